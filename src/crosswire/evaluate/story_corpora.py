"""The corpora story grouping is scored on, as articles with a gold story each (issue 25).

A `Corpus` is articles, the gold story of each, and the split each belongs to (the project's
one dev / held-out split, gold/README.md). What is read from where:

- ECB+ (`ecbplus-dev/`): gold story = event cluster; dev topics 2, 12, 21, 34, held-out
  5, 18, 23, 35 (each topic two look-alike events); no publication dates.
- GVC (`gvc/documents.jsonl`): gold story = incident; its `split` field; publication dates.
- meantime-xl-dev (`meantime-xl-dev/`): a story = one Wikinews article and its Spanish,
  Italian and Dutch translations (`gold.json`); split by MEANTIME corpus as issue 25 sets it:
  airbus dev, apple held out (membership from `meantime-en`'s corpus folders).
- Folders crosswire reads as they are (the seeds, the demo corpus): read and cleaned as
  `crosswire analyze` reads them; gold stories from a `gold.json` that lists them, else one.
- Any gold file `crosswire eval stories GOLD DOCS` is given (`read_gold`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlparse

from crosswire.evaluate.base import DEV_TOPICS, HELDOUT_TOPICS, Split
from crosswire.evaluate.loci import read_jsonl
from crosswire.models import Article

__all__ = [
    "ECBPLUS_FILE",
    "Corpus",
    "ecbplus_corpus",
    "folder_corpus",
    "gvc_corpus",
    "load_ecbplus",
    "meantime_xl_corpus",
    "mixed",
    "read_gold",
]

ECBPLUS_FILE = "dev_documents.jsonl"
MEANTIME_SPLIT: Mapping[str, Split] = {"airbus": "dev", "apple": "heldout"}
"""meantime-xl-dev's two MEANTIME corpora: tune on airbus, hold out apple (issue 25)."""


@dataclass(frozen=True)
class Corpus:
    """Articles with their gold story, and the split of each (an article missing from
    `split_of` belongs to no split: it is scored only when both are)."""

    name: str
    articles: tuple[Article, ...]
    gold: Mapping[str, str]
    split_of: Mapping[str, Split] = field(default_factory=dict)
    origin: Mapping[str, str] = field(default_factory=dict)
    """article id -> the corpus it came from, in a mixed corpus (for naming split stories)."""

    def part(self, split: Split | None) -> Corpus:
        """The articles of one split (None: all of them)."""
        if split is None:
            return self
        kept = tuple(a for a in self.articles if self.split_of.get(a.id) == split)
        return Corpus(
            f"{self.name}",
            kept,
            {a.id: self.gold[a.id] for a in kept},
            {a.id: split for a in kept},
            {a.id: self.origin[a.id] for a in kept if a.id in self.origin},
        )

    def __len__(self) -> int:
        return len(self.articles)


def mixed(name: str, corpora: Iterable[Corpus]) -> Corpus:
    """Corpora analysed together; gold stories are prefixed with their corpus, so no two
    corpora share one."""
    articles: list[Article] = []
    gold: dict[str, str] = {}
    split_of: dict[str, Split] = {}
    origin: dict[str, str] = {}
    for corpus in corpora:
        for article in corpus.articles:
            if article.id in gold:
                raise ValueError(f"article id {article.id} is in two mixed corpora")
            articles.append(article)
            gold[article.id] = f"{corpus.name}:{corpus.gold[article.id]}"
            origin[article.id] = corpus.origin.get(article.id, corpus.name)
            if article.id in corpus.split_of:
                split_of[article.id] = corpus.split_of[article.id]
    return Corpus(name, tuple(articles), gold, split_of, origin)


def _with_split(corpus: Corpus, split: Split) -> Corpus:
    """The corpus with every article in `split` (the seeds, the demo: in both mixed runs)."""
    return Corpus(corpus.name, corpus.articles, corpus.gold, dict.fromkeys(corpus.gold, split))


# --------------------------------------------------------------------------- the shared corpora


def load_ecbplus(path: Path) -> tuple[list[Article], dict[str, str]]:
    """Read ECB+ documents as undated Articles, and their gold event cluster per article id.

    `path` is `dev_documents.jsonl` or the folder holding it. A leading URL "sentence" (some
    ecbplus documents have one) becomes the article's url and source, not part of its text.
    """
    if path.is_dir():
        path = path / ECBPLUS_FILE
    articles: list[Article] = []
    gold: dict[str, str] = {}
    for doc in read_jsonl(path):
        sentences: list[str] = list(doc["sentences"])
        url = None
        if sentences and sentences[0].startswith("http"):
            url = sentences.pop(0).replace(" ", "")
        source = (urlparse(url).hostname or "ecbplus") if url else doc["subtopic"]
        articles.append(
            Article(
                id=doc["doc_id"],
                source=source,
                url=url,
                text="\n".join(sentences),
                origin=f"{path.name}:{doc['doc_id']}",
            )
        )
        gold[doc["doc_id"]] = doc["event_cluster"]
    return articles, gold


def _ecbplus_split(event_cluster: str) -> Split | None:
    topic = event_cluster.split("_")[0]
    return "dev" if topic in DEV_TOPICS else "heldout" if topic in HELDOUT_TOPICS else None


def ecbplus_corpus(path: Path) -> Corpus:
    """ECB+ dev (`dev_documents.jsonl` or its folder), split by topic."""
    articles, gold = load_ecbplus(path)
    split_of = {i: s for i, g in gold.items() if (s := _ecbplus_split(g)) is not None}
    return Corpus("ECB+", tuple(articles), gold, split_of)


def gvc_corpus(path: Path) -> Corpus:
    """GVC (`documents.jsonl` or its folder): dated articles, gold incident, its split. GVC
    names no outlet, so each document is its own (as `loci.gvc_input` writes it)."""
    if path.is_dir():
        path = path / "documents.jsonl"
    articles, gold, split_of = [], {}, {}
    for doc in read_jsonl(path):
        articles.append(
            Article(
                id=doc["id"],
                source=doc["id"],
                title=doc.get("title") or "",
                text=doc["text"],
                published=doc.get("published"),
                origin=f"{path.name}:{doc['id']}",
            )
        )
        gold[doc["id"]] = str(doc["incident"])
        split_of[doc["id"]] = cast(Split, doc["split"])
    return Corpus("GVC", tuple(articles), gold, split_of)


def _meantime_corpora(meantime_en: Path) -> dict[str, str]:
    """MEANTIME document number -> its corpus (airbus, apple, ...), from meantime-en's
    folders (`corpus_airbus/100911_Title.xml`)."""
    folder = meantime_en / "intra_cross-doc_annotation"
    if not folder.is_dir():
        raise ValueError(f"{folder} not found: it says which corpus each MEANTIME article is in")
    return {
        xml.name.split("_")[0]: corpus.name.removeprefix("corpus_")
        for corpus in folder.iterdir()
        if corpus.is_dir()
        for xml in corpus.glob("*.xml")
    }


def meantime_xl_corpus(path: Path, meantime_en: Path | None = None) -> Corpus:
    """meantime-xl-dev (its folder): 240 articles in four languages, a story = one article and
    its translations; split airbus (dev) / apple (held-out)."""
    corpus_of = _meantime_corpora(meantime_en or path.parent / "meantime-en")
    gold = json.loads((path / "gold.json").read_text(encoding="utf-8"))
    articles, split_of = [], {}
    for doc in read_jsonl(path / "documents.jsonl"):
        articles.append(
            Article(
                id=doc["id"],
                source=f"{doc['source']} ({doc['lang']})",
                title=doc.get("title") or "",
                text=doc["text"],
                published=doc.get("published"),
                language=doc["lang"],
                origin=f"documents.jsonl:{doc['id']}",
            )
        )
        split = MEANTIME_SPLIT.get(corpus_of.get(doc["id"].split("_", 1)[1], ""))
        if split is not None:
            split_of[doc["id"]] = split
    return Corpus("meantime-xl", tuple(articles), gold, split_of)


def folder_corpus(path: Path, name: str | None = None, split: Split | None = None) -> Corpus:
    """Articles as `crosswire analyze` reads and cleans them from `path` (a folder or files);
    gold stories from `path/gold.json` when it lists them, else all one story."""
    from crosswire.options import Options
    from crosswire.pipeline import read_and_clean  # local: the evaluator's only use of it

    articles, errors = read_and_clean([path], Options())
    if errors:
        raise ValueError(f"{path}: {len(errors)} inputs could not be read: {errors[0]}")
    stories = path / "gold.json"
    gold = dict.fromkeys((a.id for a in articles), path.name)
    if stories.is_file():
        gold.update(_story_lists(json.loads(stories.read_text(encoding="utf-8"))))
    corpus = Corpus(name or path.name, tuple(articles), gold)
    return _with_split(corpus, split) if split else corpus


def _story_lists(data: Mapping[str, Any]) -> dict[str, str]:
    """{"stories": [{"article_ids": [...]}, ...]} (a demo corpus's gold.json) as item -> story."""
    return {
        article_id: f"story-{i}"
        for i, story in enumerate(data.get("stories", []))
        for article_id in story["article_ids"]
    }


# --------------------------------------------------------------------------- any gold file


def read_gold(path: Path, meantime_en: Path | None = None) -> Corpus:
    """A gold file as a corpus (its articles only where the gold file holds them).

    - JSONL of ECB+ documents (`doc_id`, `event_cluster`) or GVC ones (`id`, `incident`):
      the documents themselves, so no DOCS are needed;
    - JSON {"stories": [{"article_ids": [...]}]} (a demo corpus's gold.json), or a JSON
      object {article id: story id} (meantime-xl-dev's gold.json: split by MEANTIME corpus
      when `meantime_en` or the gold's ../meantime-en is there): gold only, no articles.
    """
    if path.suffix == ".jsonl":
        first = next(iter(read_jsonl(path)), {})
        if "event_cluster" in first:
            return ecbplus_corpus(path)
        if "incident" in first:
            return gvc_corpus(path)
        raise ValueError("a JSONL gold needs event_cluster (ECB+) or incident (GVC) per line")
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    if "stories" in data:
        return Corpus(path.parent.name, (), _story_lists(data))
    gold = {str(k): str(v) for k, v in data.items()}
    split_of: dict[str, Split] = {}
    source = meantime_en or path.parent.parent / "meantime-en"
    if (source / "intra_cross-doc_annotation").is_dir():
        corpus_of = _meantime_corpora(source)
        for item in gold:
            split = MEANTIME_SPLIT.get(corpus_of.get(item.split("_", 1)[-1], ""))
            if split is not None:
                split_of[item] = split
    return Corpus(path.parent.name, (), gold, split_of)
