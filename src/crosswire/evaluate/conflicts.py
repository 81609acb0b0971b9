"""Conflicts (issue 22): does the report show the incompatible statements outlets really make,
and only those?

Gold: `gold/conflicts/conflicts.json`, pairs of incompatible statements of one same fact
between two articles of one event (ECB+ `event_cluster`, GVC `incident`), marked by hand in
the groups it lists under `groups_read` (gold/conflicts/GUIDELINES.md). The unit is an
unordered pair of sides, each an (article, sentence span):

- a conflict the report shows with k sides yields its pairs: every two evidence sentences of
  different values and different articles (a value's `evidence[i]` is the sentence of its
  `article_ids[i]`, as crosswire.compare builds it);
- a pair matches a gold pair when both its sides overlap the gold sides (`same_place`);
- precision counts every pair shown within read groups (a pair joining a read group to an
  article of another event is counted, and wrong; pairs wholly outside the read groups are
  ignored: nobody marked them); recall counts gold conflicts (`update: false`), per kind too;
- gold updates (`update: true`, a figure a later report revised) are NOT conflicts: shown as
  conflicts, they are wrong pairs for precision, and counted apart too (they should be shown
  as updates).

Beside crosswire, in the same run, the "numbers differ" baseline: within one gold group, two
sentences of different articles conflict when the same word follows different numbers in
them ("27 killed" / "30 killed"; "6.1 magnitude" / "5.9 magnitude"); see `number_nouns`.

Input: both corpora, ECB+ dev and GVC, written as two input files analysed in one run, so one
report covers both (stories are grouped over all 348 articles, as a mixed feed would be).
Mixing could merge stories across corpora; measured 2026-12-07 it does not: the run groups
each corpus exactly as analysing it alone does, with the same conflicts, and a run of one
half's documents gives that half the same figures. Should that change, the count of pairs
"joining two different events" shows it. A report made another way scores the same way.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from crosswire.evaluate.base import (
    DEV_TOPICS,
    Evaluator,
    Figure,
    Scores,
    Split,
    register,
    split_filter,
)
from crosswire.evaluate.loci import (
    GoldPlaces,
    Locus,
    read_jsonl,
    same_place,
)
from crosswire.evaluate.scoring import prf
from crosswire.models import Report

__all__ = [
    "ConflictsEvaluator",
    "GoldPair",
    "Pair",
    "number_nouns",
    "report_pairs",
    "score_pairs",
]

Pair = tuple[Locus, Locus]


@dataclass(frozen=True)
class GoldPair:
    id: str
    kind: str
    update: bool
    sides: Pair


def _pair(a: Locus, b: Locus) -> Pair:
    """The unordered pair in one canonical order (so a set holds each pair once)."""
    return (a, b) if (a.article_id, a.start, a.end) <= (b.article_id, b.start, b.end) else (b, a)


def _matches(shown: Pair, gold: Pair) -> bool:
    a, b = shown
    x, y = gold
    return (same_place(a, x) and same_place(b, y)) or (same_place(a, y) and same_place(b, x))


def score_pairs(shown: Iterable[Pair], gold: Sequence[GoldPair]) -> dict[str, Figure]:
    """Precision over `shown`, recall over the gold conflicts (and per kind), and how many gold
    updates `shown` calls conflicts."""
    shown = set(shown)
    conflicts = [g for g in gold if not g.update]
    updates = [g for g in gold if g.update]
    correct = sum(any(_matches(p, g.sides) for g in conflicts) for p in shown)
    found = {g.id for g in conflicts if any(_matches(p, g.sides) for p in shown)}
    figures: dict[str, Figure] = dict(prf(correct, len(shown), len(conflicts)))
    figures["conflict pairs shown"] = len(shown)
    figures["correct pairs"] = correct
    figures["gold updates shown as conflicts"] = sum(
        any(_matches(p, g.sides) for p in shown) for g in updates
    )
    by_kind: dict[str, list[GoldPair]] = defaultdict(list)
    for g in conflicts:
        by_kind[g.kind].append(g)
    for kind in sorted(by_kind):
        hit = sum(g.id in found for g in by_kind[kind])
        figures[f"recall {kind}"] = f"{hit}/{len(by_kind[kind])}"
    return figures


def report_pairs(report: Report, places: GoldPlaces) -> tuple[set[Pair], int]:
    """Every pair of sides the report's conflicts show (located in the article texts), and the
    number of evidence sentences not found in their article."""
    pairs: set[Pair] = set()
    unplaced = 0
    for story in report.stories:
        for conflict in story.conflicts:
            sides: list[tuple[int, Locus]] = []
            for index, value in enumerate(conflict.values):
                for i, article_id in enumerate(value.article_ids):
                    # evidence[i] belongs to article_ids[i]; should the lists ever drift, any
                    # evidence sentence of the value found in that article stands in
                    tries = value.evidence[i : i + 1] + value.evidence
                    where = next(
                        (x for t in tries if (x := places.cited(article_id, t)) is not None), None
                    )
                    if where is None:
                        unplaced += 1
                    else:
                        sides.append((index, where))
            pairs.update(
                _pair(a, b)
                for (va, a), (vb, b) in combinations(sides, 2)
                if va != vb and a.article_id != b.article_id
            )
    return pairs, unplaced


# --- the "numbers differ" baseline -------------------------------------------------------

_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}
_NUMBER = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)*|" + "|".join(_WORD_NUMBERS) + r")\s*(?:-\s*)?([A-Za-z]+)",
    re.IGNORECASE,
)
_NOT_NOUNS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "p.m",
        "a.m",
        "pm",
        "am",
        "the",
        "to",
        "with",
        "was",
        "were",
        "is",
        "are",
        "has",
        "had",
        "have",
        "who",
        "which",
        "that",
        "than",
    ]
)
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def number_nouns(sentence: str) -> dict[str, set[float]]:
    """The numbers a sentence holds, by the word right after each ("27 killed" -> killed: 27;
    "63 - year - old" -> year: 63). Years, days of a month and function words are left out."""
    found: dict[str, set[float]] = defaultdict(set)
    for match in _NUMBER.finditer(sentence):
        raw, word = match.group(1).lower(), match.group(2).lower()
        if word in _NOT_NOUNS or word in _MONTHS:
            continue
        if raw in _WORD_NUMBERS:
            number = float(_WORD_NUMBERS[raw])
        else:
            try:
                number = float(raw.replace(",", ""))
            except ValueError:
                continue
            if raw.isdigit() and len(raw) == 4 and 1900 <= number <= 2099:
                continue  # a year
        found[word.removesuffix("s") if len(word) > 3 else word].add(number)
    return found


def _sentences(doc: Mapping[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(gold locus, text) of every sentence of a shared-corpus document."""
    if "sentences" in doc:  # ECB+: the corpus' own sentences, a leading URL line left out
        return [
            ({"doc_id": doc["doc_id"], "sentence": i}, text)
            for i, text in enumerate(doc["sentences"])
            if not (i == 0 and text.startswith("http"))
        ]
    return [
        ({"doc_id": doc["id"], "start": m.start(), "end": m.end()}, m.group())
        for m in _SENTENCE.finditer(doc["text"])
        if m.group().strip()
    ]


def numbers_differ(
    groups: Mapping[str, Sequence[Mapping[str, Any]]], places: GoldPlaces
) -> set[Pair]:
    """The baseline's pairs: per group, two sentences of different documents in which one same
    word follows numbers that differ (no number in common)."""
    pairs: set[Pair] = set()
    for docs in groups.values():
        rows: list[tuple[Locus, dict[str, set[float]]]] = []
        for doc in docs:
            for locus, text in _sentences(doc):
                numbers = number_nouns(text)
                if numbers and (where := places.locate(locus)) is not None:
                    rows.append((where, numbers))
        for (a, na), (b, nb) in combinations(rows, 2):
            if a.article_id != b.article_id and any(
                not (na[w] & nb[w]) for w in na.keys() & nb.keys()
            ):
                pairs.add(_pair(a, b))
    return pairs


# --- the evaluator --------------------------------------------------------------------------


@register
class ConflictsEvaluator(Evaluator):
    name = "conflicts"
    default_gold = "gold/conflicts/conflicts.json"
    shared_corpora = ("ecbplus", "gvc")
    halves_are_stories = True  # the groups of one half are the same stories either way

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        data = json.loads(gold.read_text(encoding="utf-8"))
        ecb_docs, gvc_docs = read_jsonl(self.ecbplus_documents()), read_jsonl(self.gvc_documents())
        read = {str(g) for groups in data["groups_read"].values() for g in groups}
        # every document's group and split; only read groups are scored
        group_of: dict[str, str] = {}
        split_of: dict[str, str] = {}
        docs_of: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for doc in ecb_docs:
            group = str(doc["event_cluster"])
            group_of[doc["doc_id"]] = group
            split_of[group] = "dev" if str(doc["topic"]) in DEV_TOPICS else "heldout"
            docs_of[group].append(doc)
        for doc in gvc_docs:
            group = str(doc["incident"])
            group_of[doc["id"]] = group
            split_of[group] = str(doc["split"])
            docs_of[group].append(doc)
        keep = split_filter(split)
        scored = {g for g in read if keep(split_of.get(g, ""))}

        places = GoldPlaces(report, ecbplus=ecb_docs, gvc=gvc_docs)
        gold_pairs = []
        for item in data["pairs"]:
            if not keep(item["split"]):
                continue
            a, b = places.locate(item["a"]), places.locate(item["b"])
            if a is not None and b is not None:
                sides = _pair(a, b)
                gold_pairs.append(GoldPair(item["id"], item["kind"], bool(item["update"]), sides))
        conflicts_gold = sum(not item["update"] and keep(item["split"]) for item in data["pairs"])
        updates_gold = sum(bool(item["update"]) and keep(item["split"]) for item in data["pairs"])

        def in_scope(pair: Pair) -> bool:
            # counted when a side lies in a scored read group; a pair whose articles lie in no
            # read group was never marked, so it is neither right nor wrong
            return any(group_of.get(s.article_id) in scored for s in pair)

        shown, unplaced = report_pairs(report, places)
        ignored = sum(not any(group_of.get(s.article_id) in read for s in p) for p in shown)
        shown = {p for p in shown if in_scope(p)}
        across = sum(group_of.get(p[0].article_id) != group_of.get(p[1].article_id) for p in shown)
        baseline = numbers_differ({g: docs_of[g] for g in sorted(scored)}, places)

        scores = Scores(
            title=f"conflicts ({gold.name}, {split or 'both splits'}, {len(scored)} read groups)"
        )
        scores.rows["crosswire"] = score_pairs(shown, gold_pairs)
        scores.rows["numbers differ"] = score_pairs(baseline, gold_pairs)
        corpus_of = Counter(
            item["corpus"] for item in data["pairs"] if keep(item["split"]) and not item["update"]
        )
        scores.counts = {
            "gold conflict pairs": conflicts_gold,
            "of which ECB+": corpus_of["ecbplus"],
            "of which GVC": corpus_of["gvc"],
            "gold update pairs (not conflicts)": updates_gold,
            "gold pairs with a side not found in the report": conflicts_gold
            + updates_gold
            - len(gold_pairs),
            "crosswire pairs joining two different events": across,
            "crosswire pairs outside the read groups (ignored)": ignored,
            "evidence sentences not found in their article": unplaced,
        }
        return scores
