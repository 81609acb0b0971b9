"""Where gold and a report meet: the shared corpora as crosswire input, and places in them.

Gold in `gold/` points into `../shared/data` by loci (see gold/README.md): an ECB+ sentence
index, or character offsets into a GVC document's text. A report cites sentences by their
text (claim sources, conflict evidence). Both are turned into character spans of the article
text the report holds, found whitespace-insensitively (cleaning may re-flow whitespace), so
one overlap rule scores every metric: two spans match when they overlap by at least half of
the shorter one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crosswire.models import Report

__all__ = [
    "ArticleText",
    "Locus",
    "ecbplus_input",
    "gvc_input",
    "keep_rows",
    "read_jsonl",
    "same_place",
    "write_jsonl",
]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def keep_rows(path: Path, ids: set[str]) -> Path:
    """Rewrite a crosswire JSONL input keeping only the articles whose id is in `ids`."""
    return write_jsonl([r for r in read_jsonl(path) if r["id"] in ids], path)


def write_jsonl(rows: Iterable[Mapping[str, Any]], out: Path) -> Path:
    """Write `rows` as JSONL (one object a line, UTF-8 as is), creating the folder; `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


def _kept_sentences(doc: Mapping[str, Any]) -> tuple[str | None, list[tuple[int, str]]]:
    """(URL, [(gold sentence index, text)]) of an ECB+ document: a leading URL "sentence" is
    the page's address, not text (as `../shared/tools/check_links.py make` reads it)."""
    sentences = list(enumerate(doc["sentences"]))
    url = None
    if sentences and sentences[0][1].startswith("http"):
        url = sentences.pop(0)[1].replace(" ", "")
    return url, sentences


def ecbplus_input(docs_path: Path, out: Path) -> list[dict[str, Any]]:
    """Write ECB+ documents as crosswire JSONL (id = doc id, one sentence a line, no title, so
    every annotated sentence can be cited; outlet = the URL's domain, else the document).
    Returns the documents."""
    docs = read_jsonl(docs_path)

    def row(doc: Mapping[str, Any]) -> dict[str, Any]:
        url, sentences = _kept_sentences(doc)
        host = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""
        out_row: dict[str, Any] = {
            "id": doc["doc_id"],
            "source": host or doc["doc_id"],
            "text": "\n".join(text for _, text in sentences),
        }
        if url:
            out_row["url"] = url
        return out_row

    write_jsonl((row(doc) for doc in docs), out)
    return docs


def gvc_input(docs_path: Path, out: Path) -> list[dict[str, Any]]:
    """Write GVC documents as crosswire JSONL (id, title, text, published; each document its
    own outlet: GVC names none). Returns the documents."""
    docs = read_jsonl(docs_path)
    write_jsonl(
        (
            {
                "id": doc["id"],
                "source": doc["id"],
                "title": doc.get("title") or "",
                "text": doc["text"],
                "published": doc.get("published"),
            }
            for doc in docs
        ),
        out,
    )
    return docs


@dataclass(frozen=True)
class Locus:
    """A character span of one article's text in the report."""

    article_id: str
    start: int
    end: int


def same_place(a: Locus, b: Locus) -> bool:
    """Overlap of at least half the shorter span, in the same article."""
    if a.article_id != b.article_id:
        return False
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > 0 and shared >= 0.5 * min(a.end - a.start, b.end - b.start)


class ArticleText:
    """One report article's text, searchable whitespace-insensitively."""

    def __init__(self, article_id: str, text: str) -> None:
        self.article_id = article_id
        self.text = text
        keep = [i for i, ch in enumerate(text) if not ch.isspace()]
        self._squashed = "".join(text[i] for i in keep)
        self._offsets = keep

    def find(self, needle: str, start: int = 0) -> Locus | None:
        """The span of `needle` in the text (whitespace ignored), searched from character
        `start` of the text, else from the beginning."""
        squashed = "".join(needle.split())
        if not squashed:
            return None
        begin = next((k for k, i in enumerate(self._offsets) if i >= start), 0)
        at = self._squashed.find(squashed, begin)
        if at < 0:
            at = self._squashed.find(squashed)
        if at < 0:
            return None
        end = self._offsets[at + len(squashed) - 1] + 1
        return Locus(self.article_id, self._offsets[at], end)


def article_texts(report: Report) -> dict[str, ArticleText]:
    return {a.id: ArticleText(a.id, a.text) for a in report.articles}


class GoldPlaces:
    """Gold loci of the shared corpora located in a report's article texts."""

    def __init__(
        self,
        report: Report,
        ecbplus: Iterable[Mapping[str, Any]] = (),
        gvc: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        self.texts = article_texts(report)
        self.ecb = {d["doc_id"]: d for d in ecbplus}
        self.gvc = {d["id"]: d for d in gvc}
        self.missing = 0

    def locate(self, locus: Mapping[str, Any]) -> Locus | None:
        """A gold locus ({"doc_id", "sentence"} for ECB+, {"doc_id", "start", "end"} for GVC;
        an ECB+ locus may add "start"/"end" inside its sentence) in the report's text."""
        doc_id = locus["doc_id"]
        text = self.texts.get(doc_id)
        if text is None:
            self.missing += 1
            return None
        if doc_id in self.ecb:
            sentence = self.ecb[doc_id]["sentences"][int(locus["sentence"])]
            if "start" in locus:
                sentence = sentence[int(locus["start"]) : int(locus["end"])]
        elif doc_id in self.gvc:
            sentence = self.gvc[doc_id]["text"][int(locus["start"]) : int(locus["end"])]
        else:
            self.missing += 1
            return None
        found = text.find(sentence)
        if found is None:
            self.missing += 1
        return found

    def cited(self, article_id: str, sentence: str) -> Locus | None:
        """Where a sentence the report cites stands in its article."""
        text = self.texts.get(article_id)
        return text.find(sentence) if text is not None else None
