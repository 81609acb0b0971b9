"""Scoring helpers shared by the evaluators: ratios, precision/recall/F1, lenient span matching.

One small base (as sentence-transformers keeps one evaluator base) so every `crosswire eval`
figure is computed the same way: a prediction matches a gold item of the same group (sentence,
article) when their character spans overlap, one to one, predictions taken in text order.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Matching", "Span", "f1", "match_spans", "prf", "ratio"]


def ratio(a: float, b: float) -> float:
    """a / b, or 0.0 when b is 0 (an empty corpus scores zero rather than failing)."""
    return a / b if b else 0.0


def f1(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall; 0.0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(correct: float, predicted: float, gold: float) -> dict[str, float]:
    """precision, recall and f1 from counts: correct predictions, all predictions, all gold."""
    precision, recall = ratio(correct, predicted), ratio(correct, gold)
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


@dataclass(frozen=True)
class Span:
    """A character span [start, end) within a group (a sentence index, an article id)."""

    group: Hashable
    start: int
    end: int

    def overlap(self, other: Span) -> int:
        """Characters the two spans share (0 across groups)."""
        if self.group != other.group:
            return 0
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass
class Matching:
    """The outcome of `match_spans`."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    """(prediction index, gold index) of each match."""
    counted: int = 0
    """Predictions that count towards precision (see `match_spans` for which do not)."""

    @property
    def matched(self) -> int:
        return len(self.pairs)


def _touches(span: Span, other: Span) -> bool:
    # Lenient: any shared character, or an empty span inside the other.
    return span.group == other.group and span.start < other.end and other.start < span.end


def match_spans(
    predicted: Sequence[Span],
    gold: Sequence[Span],
    ignore: Sequence[Span] = (),
    *,
    prefer: Literal["first", "best"] = "first",
    count_fragments: bool = True,
) -> Matching:
    """Match predictions to gold spans one to one, predictions in the order given.

    A prediction takes a free gold span it overlaps: the first in gold order (`prefer="first"`)
    or the one it overlaps most relative to their union (`"best"`, for gold spans that nest,
    such as a partial quote inside a reported clause). A prediction counts towards precision
    unless it overlaps only `ignore` spans (gold that is not scored), or - with
    `count_fragments=False` - only gold spans already matched (a second piece of an item
    already found, e.g. "midnight" and "Wednesday, March 11" against one gold expression).
    """
    result = Matching()
    used: set[int] = set()
    for p_index, p in enumerate(predicted):
        hits = [g for g in range(len(gold)) if _touches(p, gold[g])]
        free = [g for g in hits if g not in used]
        if free:
            if prefer == "best":
                free.sort(key=lambda g: -_iou(p, gold[g]))  # stable: ties keep gold order
            used.add(free[0])
            result.pairs.append((p_index, free[0]))
            result.counted += 1
            continue
        if hits:
            result.counted += count_fragments
        elif not any(_touches(p, s) for s in ignore):
            result.counted += 1
    return result


def _iou(a: Span, b: Span) -> float:
    union = max(a.end, b.end) - min(a.start, b.start)
    return ratio(a.overlap(b), union)
