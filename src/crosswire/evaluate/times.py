"""Dates (issue 21): are the dates of real articles found and resolved right, and is a missing
publication date inferred from the text?

`crosswire eval times [GOLD]` scores the language stage on `gold/times/times.json`: every DATE
expression of 80 GVC articles, hand-normalised to TIMEX3 values against each article's date
(gold/times/GUIDELINES.md). Each gold document becomes an `Article` (with `published`) and goes
through `analyze_article`; its `times` are located in the text and matched to gold by span
overlap, one to one in text order. Value precision / recall / F1: a found expression is right
when it overlaps a gold one and has its value. REPORT is accepted and ignored (a report does not
hold each article's time expressions). Bare times of day ("3:15 a.m.", "noon", "last night") are
TIMEX3 TIME, not DATE: the gold leaves them out, so found ones count neither way. Per split, beside dateparser's `search_dates` (relative
to the article's date, preferring the past; its day as value) in the same run. Also per split:
`published` inference, on the documents whose text pins their date (`published_inferable`):
`published` removed, `published_inferred` right within one day, as a share of those documents;
and on the others, how often a date more than a day off is inferred anyway.

MEANTIME (tuned on, so dev only) stays available as the `crosswire, MEANTIME` row of the dev
split, scored by `evaluate_meantime` under the protocol below
(``python -m crosswire.evaluate.times ../shared/data/meantime-en`` prints all its figures).

MEANTIME protocol (choices stated, so the figures can be read):

* Documents: the CAT XML files under ``intra-doc_annotation/`` (the cross-doc folder holds
  the same timexes again). Text is rebuilt from the gold tokens (PTB quotes turned back into
  curly ones, no space before closing punctuation); sentences are the gold sentences.
* Annotated region: MEANTIME annotates the title and the first sentences only (no gold
  timex lies beyond sentence 5: title, dateline, four body sentences), so only sentences
  0-5 are scored; the extractor still reads the whole document.
* Publication date: the gold document creation time (DCT). Two files lack one and one writes
  it day-first ("03-02-2009"); for those the dateline (sentence 1, e.g. "September 01,
  2007") gives it. The dateline itself is not scored: it *is* the DCT.
* Gold scored: DATE and TIME timexes whose value names a calendar period (``2009-06-01``,
  ``2009-W13``, ``2009-06``, ``2009-Q1``, ``2009-SP``, ``2009``, decades ``199``), with a
  TIME value cut to its date (``2009-12-15T18:00Z`` -> ``2009-12-15``) and unspecified parts
  dropped (``2011-06-XX`` -> ``2011-06``), since ``TimeMention`` stops at day precision.
* Ignored: DURATION and SET timexes, and DATE/TIME whose value is not a calendar period
  (``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``, ``XXXX-XX-XX``, ``P1D``). A prediction that
  overlaps only ignored gold counts neither way. ``*_all`` figures instead count every
  non-DCT DATE/TIME timex as gold (the reference values the extractor never produces are then
  misses).
* Matching: a prediction matches a gold timex of the same sentence when their character spans
  overlap (lenient), one to one, in text order. ``value_accuracy`` = matched pairs whose value
  equals gold / matched pairs; ``value_f1`` counts a prediction correct only when it overlaps
  a gold timex and has its value.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from crosswire.evaluate.base import Evaluator, Scores, Split, register, split_filter
from crosswire.evaluate.loci import ArticleText, read_jsonl
from crosswire.evaluate.scoring import Span, f1, match_spans, prf, ratio
from crosswire.language import analyze_article
from crosswire.language.times import extract_times
from crosswire.models import Article, ArticleAnalysis, Report, Sentence
from crosswire.options import Options

__all__ = ["TimesEvaluator", "evaluate_meantime", "score_values"]

_CALENDAR = re.compile(r"\d{3,4}(?:-(?:\d\d|W\d\d|Q[1-4]|H[12]|SP|SU|FA|WI))?(?:-(?:\d\d|WE))?")
_ANNOTATED_SENTENCES = 6
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "''", "'", "n't"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "#"}


@dataclass
class _Timex:
    sentence: int
    start: int
    end: int
    value: str
    is_date: bool
    """A DATE or TIME timex (not DURATION or SET)."""
    scored: bool
    """Its value names a calendar period, so it counts in the main figures."""


@dataclass
class _Doc:
    sentences: list[Sentence]
    dct: date | None
    dateline: int | None
    gold: list[_Timex] = field(default_factory=list)


def _normalise_gold(value: str) -> str:
    value = re.sub(r"^(\d{4}-\d\d-\d\d)T.*$", r"\1", value)
    value = re.sub(r"T(?:MO|AF|EV|NI|DT)$", "", value)
    while value.endswith("-XX"):
        value = value[:-3]
    return value


def _token_text(token: str) -> str:
    return {"``": "“", "''": "”", "-LRB-": "(", "-RRB-": ")"}.get(token, token)


def _load(path: Path) -> _Doc:
    root = etree.parse(str(path)).getroot()
    by_sentence: dict[int, list[tuple[str, str]]] = {}
    for tok in root.iter("token"):
        by_sentence.setdefault(int(tok.get("sentence", "0")), []).append(
            (tok.get("t_id", ""), tok.text or "")
        )
    where: dict[str, tuple[int, int, int]] = {}
    sentences: list[Sentence] = []
    for number in sorted(by_sentence):
        parts: list[str] = []
        length = 0
        previous = ""
        for t_id, raw in by_sentence[number]:
            piece = _token_text(raw)
            space = bool(parts) and not (
                raw in _NO_SPACE_BEFORE
                or (raw.startswith("'") and raw[1:2].isalpha())
                or previous in _NO_SPACE_AFTER
            )
            if space:
                parts.append(" ")
                length += 1
            where[t_id] = (number, length, length + len(piece))
            parts.append(piece)
            length += len(piece)
            previous = raw
        text = "".join(parts)
        sentences.append(Sentence(index=number, text=text, start=0, end=len(text)))

    dct: date | None = None
    dct_text_odd = False
    dct_span: tuple[int, int, int] | None = None
    gold: list[_Timex] = []
    for timex in root.iter("TIMEX3"):
        anchors = [a.get("t_id", "") for a in timex.iter("token_anchor")]
        value = timex.get("value", "")
        if timex.get("functionInDocument") == "CREATION_TIME":
            dct = _parse_dct(value)
            dct_text_odd = dct is None
        if not anchors or not all(a in where for a in anchors):
            continue
        first, last = where[anchors[0]], where[anchors[-1]]
        span = (first[0], first[1], last[2])
        if timex.get("functionInDocument") == "CREATION_TIME":
            dct_span = span
            continue
        if timex.get("type") not in {"DATE", "TIME"}:
            gold.append(_Timex(*span, value="", is_date=False, scored=False))
            continue
        normal = _normalise_gold(value)
        gold.append(_Timex(*span, normal, is_date=True, scored=bool(_CALENDAR.fullmatch(normal))))

    dateline = dct_span[0] if dct_span else None
    if dct is None or dateline is None or dct_text_odd:
        # The dateline (sentence 1) states the DCT when the annotation does not.
        line = next((s for s in sentences if s.index == 1), None)
        found = extract_times([line], None) if line else []
        explicit = [t for t in found if t.precision == "day" and not t.relative]
        if line is not None and explicit:
            dct = explicit[0].earliest
            dateline = 1
    if dateline is not None:
        gold = [g for g in gold if g.sentence != dateline]
    return _Doc(sentences=sentences, dct=dct, dateline=dateline, gold=gold)


def _parse_dct(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


_Prediction = tuple[int, int, int, str]  # sentence, start, end, value


def _score(
    predictions: list[_Prediction], gold: list[_Timex], ignore: list[_Timex]
) -> tuple[int, int, int]:
    """(predictions counted, span matches, value matches); one to one, in text order.

    A prediction overlapping only ``ignore`` timexes counts neither way.
    """
    matching = match_spans(
        [Span(p[0], p[1], p[2]) for p in predictions],
        [Span(g.sentence, g.start, g.end) for g in gold],
        [Span(g.sentence, g.start, g.end) for g in ignore],
    )
    correct = sum(gold[g].value == predictions[p][3] for p, g in matching.pairs)
    return matching.counted, matching.matched, correct


def _predictions(doc: _Doc) -> list[_Prediction]:
    """Predicted spans in the annotated sentences (the extractor reads the whole document)."""
    sentences = [s for s in doc.sentences if s.index != doc.dateline]
    texts = {s.index: s.text for s in sentences}
    cursor: dict[int, int] = {}
    out: list[_Prediction] = []
    for m in extract_times(sentences, doc.dct):
        # Mentions come in text order, so each text is found after the previous one.
        start = texts[m.sentence].find(m.text, cursor.get(m.sentence, 0))
        cursor[m.sentence] = start + len(m.text)
        if m.sentence < _ANNOTATED_SENTENCES:
            out.append((m.sentence, start, start + len(m.text), m.value))
    return out


def evaluate_meantime(folder: Path) -> dict[str, float]:
    """Span and value scores of ``extract_times`` on MEANTIME, with the gold DCT as publication date."""
    base = folder / "intra-doc_annotation"
    files = sorted((base if base.is_dir() else folder).rglob("*.xml"))
    totals = {"gold": 0, "pred": 0, "match": 0, "correct": 0}
    totals_all = dict(totals)
    for path in files:
        doc = _load(path)
        predictions = _predictions(doc)
        for tally, gold in (
            (totals, [g for g in doc.gold if g.scored]),
            (totals_all, [g for g in doc.gold if g.is_date]),
        ):
            counted, matched, correct = _score(predictions, gold, doc.gold)
            tally["gold"] += len(gold)
            tally["pred"] += counted
            tally["match"] += matched
            tally["correct"] += correct

    precision = ratio(totals["match"], totals["pred"])
    recall = ratio(totals["match"], totals["gold"])
    value_p = ratio(totals["correct"], totals["pred"])
    value_r = ratio(totals["correct"], totals["gold"])
    return {
        "documents": float(len(files)),
        "gold": float(totals["gold"]),
        "predicted": float(totals["pred"]),
        "precision": precision,
        "recall": recall,
        "f1": f1(precision, recall),
        "value_accuracy": ratio(totals["correct"], totals["match"]),
        "value_precision": value_p,
        "value_recall": value_r,
        "value_f1": f1(value_p, value_r),
        "gold_all": float(totals_all["gold"]),
        "recall_all": ratio(totals_all["match"], totals_all["gold"]),
        "value_f1_all": f1(
            ratio(totals_all["correct"], totals_all["pred"]),
            ratio(totals_all["correct"], totals_all["gold"]),
        ),
    }


# --------------------------------------------------------------------------- GVC gold

Found = tuple[Span, str]
"""A time expression a system found: where (article id, character span), and its value."""

_TIME_OF_DAY = re.compile(
    r"(?:(?:about|around|at|by|before|after|until)\s+)?"
    r"(?:\d{1,2}(?::\d\d)?\s*(?:[ap]\.?\s?m\.?|o'clock)|noon|midday|midnight|tonight|"
    r"(?:last|this|that)\s+(?:night|morning|afternoon|evening))",
    re.IGNORECASE,
)
"""A bare time of day: TIMEX3 type TIME, which the DATE-only gold leaves out (so it counts
neither way, as an expression of an unscored type does on MEANTIME)."""


def _dated(text: str) -> bool:
    return not _TIME_OF_DAY.fullmatch(text.strip(" ,.;"))


def score_values(
    gold: Sequence[Mapping[str, Any]], found: Sequence[Found]
) -> dict[str, float | int]:
    """Span and value precision / recall / F1 of `found` against gold times (`doc_id`, `start`,
    `end`, `value`); a found expression is right when it overlaps a gold one and has its value."""
    matching = match_spans(
        [span for span, _ in found], [Span(g["doc_id"], g["start"], g["end"]) for g in gold]
    )
    correct = sum(found[p][1] == gold[g]["value"] for p, g in matching.pairs)
    values = prf(correct, matching.counted, len(gold))
    spans = prf(matching.matched, matching.counted, len(gold))
    return {
        "value precision": values["precision"],
        "value recall": values["recall"],
        "value F1": values["f1"],
        "span F1": spans["f1"],
        "value accuracy (found spans)": ratio(correct, matching.matched),
    }


def crosswire_times(doc_id: str, text: str, analysis: ArticleAnalysis) -> list[Found]:
    """The language stage's time expressions located in the text, each from its sentence on
    (mentions come in text order, so each after the previous one of its sentence)."""
    where = ArticleText(doc_id, text)
    cursor: dict[int, int] = {}
    out: list[Found] = []
    for mention in analysis.times:
        sentence = analysis.sentences[mention.sentence]
        at = where.find(mention.text, cursor.get(mention.sentence, sentence.start))
        if at is None or not _dated(mention.text):
            continue
        cursor[mention.sentence] = at.end
        out.append((Span(doc_id, at.start, at.end), mention.value))
    return out


def dateparser_times(doc_id: str, text: str, published: date) -> list[Found]:
    """The baseline: dateparser's `search_dates` relative to the article's date, preferring
    the past, its day as the value."""
    from dateparser.search import search_dates

    base = datetime(published.year, published.month, published.day, 12)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    hits = search_dates(text, languages=["en"], settings=settings) or []
    where = ArticleText(doc_id, text)
    out: list[Found] = []
    cursor = 0
    for found, when in hits:
        at = where.find(found, cursor)
        if at is None or not _dated(found):
            continue
        cursor = at.end
        out.append((Span(doc_id, at.start, at.end), when.date().isoformat()))
    return out


@register
class TimesEvaluator(Evaluator):
    name = "times"
    default_gold = "gold/times/times.json"
    reads_report = False

    def analysis(self, doc: Mapping[str, Any], *, dated: bool) -> ArticleAnalysis:
        """The language stage on a GVC document, with its `published` date or without it."""
        key = (str(doc["id"]), dated)
        if key not in self.cache:
            article = Article(
                id=doc["id"],
                source=doc["id"],
                title=doc.get("title") or "",
                text=doc["text"],
                published=doc.get("published") if dated else None,
            )
            self.cache[key] = analyze_article(article, Options())
        return self.cache[key]

    def _published(
        self, docs: Mapping[str, Mapping[str, Any]], inferable: Sequence[Mapping[str, Any]]
    ) -> dict[str, float | int]:
        """`published` inference: right within a day on the inferable documents, and how often
        a date more than a day off is inferred on the others."""
        right = invented = 0
        for item in inferable:
            doc = docs[item["doc_id"]]
            real = date.fromisoformat(doc["published"])
            guess = self.analysis(doc, dated=False).published_inferred
            near = guess is not None and abs((guess - real).days) <= 1
            if item["inferable"]:
                right += near
            else:
                invented += guess is not None and not near
        pinned = sum(bool(i["inferable"]) for i in inferable)
        return {
            "published within a day (inferable)": ratio(right, pinned),
            "published off by > 1 day (not inferable)": ratio(invented, len(inferable) - pinned),
        }

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        del report  # per-article times are not in a report: the gold's texts are read here
        data = json.loads(gold.read_text(encoding="utf-8"))
        keep = split_filter(split)
        ids = [d["doc_id"] for d in data["docs"] if keep(d["split"])]
        docs = {d["id"]: d for d in read_jsonl(self.gvc_documents()) if d["id"] in set(ids)}
        times = [t for t in data["times"] if t["doc_id"] in docs]
        ours: list[Found] = []
        theirs: list[Found] = []
        for doc_id in ids:
            doc = docs[doc_id]
            ours += crosswire_times(doc_id, doc["text"], self.analysis(doc, dated=True))
            published = date.fromisoformat(doc["published"])
            theirs += dateparser_times(doc_id, doc["text"], published)
        inferable = [i for i in data["published_inferable"] if i["doc_id"] in docs]
        scores = Scores(title=f"times ({gold.name}, {split or 'both splits'})")
        scores.rows["crosswire"] = {**score_values(times, ours), **self._published(docs, inferable)}
        scores.rows["dateparser search_dates"] = dict(score_values(times, theirs))
        if split in (None, "dev"):
            meantime = self.data / "meantime-en"
            if meantime.is_dir():
                m = evaluate_meantime(meantime)
                scores.rows["crosswire, MEANTIME (dev only)"] = {
                    "value precision": m["value_precision"],
                    "value recall": m["value_recall"],
                    "value F1": m["value_f1"],
                    "span F1": m["f1"],
                    "value accuracy (found spans)": m["value_accuracy"],
                }
            else:
                scores.notes.append(f"MEANTIME not found under {meantime}: its row is left out")
        scores.counts = {
            "documents": len(ids),
            "gold DATE expressions": len(times),
            "documents whose text pins their date": sum(bool(i["inferable"]) for i in inferable),
        }
        scores.notes.append("REPORT is ignored: the language stage reads the gold's documents.")
        return scores


if __name__ == "__main__":  # pragma: no cover - manual run
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/meantime-en")
    print(json.dumps(evaluate_meantime(target), indent=2))
