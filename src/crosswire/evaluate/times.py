"""Score ``extract_times`` against the gold TIMEX3 of the MEANTIME corpus (English Wikinews).

Run: ``python -m crosswire.evaluate.times ../shared/data/meantime-en``.

Protocol (choices stated, so the figures can be read):

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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from crosswire.evaluate.scoring import Span, f1, match_spans, ratio
from crosswire.language.times import extract_times
from crosswire.models import Sentence

__all__ = ["evaluate_meantime"]

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


if __name__ == "__main__":  # pragma: no cover - manual run
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/meantime-en")
    print(json.dumps(evaluate_meantime(target), indent=2))
