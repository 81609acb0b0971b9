"""Claims as facts (issue 20): which sentences of a story's outlets state one same fact.

Two steps, both on the candidate pairs the story's `SentenceSpace` proposes (each sentence's
nearest neighbours: never all pairs):

1. **Match.** A logistic model over cheap features of a pair of sentences from different
   articles gives the probability that they state a common fact: word overlap (tf-idf over
   lemmas, and plain lemma counts), paraphrase similarity (static embeddings), the story
   entities, numbers and dates both mention, and whether both lead their articles. It was fitted
   on pairs from the ECB+ dev topics labelled by the agreement gold (`bench/fit_claim_matcher.py`
   refits it and prints the candidate table; held-out topics only scored). On held-out pairs its
   ROC-AUC is 0.850, against 0.785 for the similarity alone.
2. **Group, with overlaps.** Average-linkage merging over the matched pairs (a group's mean
   probability must stay high, so one bridging pair cannot join two facts), then a sentence
   also joins any other multi-outlet group whose members (two or more, from other articles) it
   matches on average: a sentence that states two facts stands in both claims. A sentence
   left alone is single-source when no other outlet's sentence even plausibly states it, or,
   less strictly, when it names a figure that no other outlet names; one that might state
   another outlet's fact is not called single-source (nor shown as shared): it is left out of
   the claims. Calling a shared
   fact "only X reports" misleads a reader more than leaving a sentence unclassified. Nor is
   a sentence in the writer's own first-person voice, or one about a pronoun that names no
   one, no figure and no date ("Most of them were young"): it reports nothing a reader can
   place. Nor is an appeal to the reader ("Anyone with information is asked to call ...").
3. **Facts inside sentences.** A sentence states more than its family shares: the outlets
   that give one person one age or home town, name one street where the story happened, date
   its event to one day or introduce one person by full name state one fact, however the
   rest of their sentences differ (`compare.slots`).

The thresholds were chosen on the dev topics (`crosswire eval agreement` and `eval links`).
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy import sparse

from crosswire.compare.conflicts import unit_head
from crosswire.compare.matching import StoryContext
from crosswire.compare.slots import (
    date_facts,
    name_facts,
    person_facts,
    place_facts,
)
from crosswire.language.entities import fold
from crosswire.language.quotes import find_quote_spans
from crosswire.models import StoryEntity

__all__ = [
    "FACT_MODEL",
    "FEATURES",
    "FactGrouping",
    "FactGroups",
    "UnitFacts",
    "author_voice",
    "fact_groups",
    "group_facts",
    "match_probabilities",
    "pair_features",
]

FEATURES = (
    "lexical",  # tf-idf cosine over content lemmas
    "dense",  # static-embedding cosine (paraphrase)
    "entities_jaccard",
    "entities_shared",  # capped at 4
    "number_same",  # a number with the same value and counted noun in both
    "number_differs",  # both give numbers, none the same
    "date_same",
    "date_differs",
    "lemmas_jaccard",
    "lemmas_shared",  # capped at 8
    "length_ratio",
    "both_lead",  # both among their articles' first two sentences
)
FACT_MODEL = (
    np.array(
        [10.937, 1.73, 0.047, 0.094, 3.078, 0.434, 2.583, -0.358, -5.383, 0.145, 0.069, 2.267]
    ),
    -3.329,
)
"""(weights over FEATURES, intercept), fitted by bench/fit_claim_matcher.py on ECB+ dev."""

LINK = 0.5
"""A pair of sentences is a candidate link at this probability."""
GROUP = 0.8
"""Groups merge while their mean probability over all member pairs stays at this."""
JOIN = 0.9
"""A sentence joins a further claim when its mean probability against the claim's members
from other articles reaches this,"""
JOIN_WITNESSES = 2
"""and they are at least this many: against one sentence it is one pairwise match, which the
grouping already weighed. Long articles state several facts a sentence, so one strong match
joined sentences to claims they do not state: on the GVC agreement gold's dev incidents (full
local news articles), claim precision 0.645 -> 0.787 with this, recall 0.589 -> 0.559; on the
ECB+ dev topics precision 0.810 -> 0.832, recall 0.812 -> 0.804."""
ALONE = 0.1
"""Below this best probability against every other outlet's sentence, a lone sentence is
single-source; between it and a match, it is left out."""
NOVEL_FIGURE = 0.5
"""The bound instead of ALONE for a sentence naming a figure no other outlet names: a toll or
a count one outlet alone gives is what a reader must know rests on one outlet, even where the
sentence loosely resembles another outlet's. Chosen on the dev topics (`crosswire eval
agreement`): with ALONE 0.2 and this bound also for a sentence with five content words no
other outlet has, 20 % of the shared facts had a sentence called single-source; with ALONE
0.1 and figures alone, 11 %. The cost, on the demo corpus: one of its three single-source
facts ("a battery storage bay", five new words) is no longer called single-source."""


# The writer speaking of themself, or the outlet of itself, outside any quote ("I have started
# this post four times", "details are on our website"): a blog's, a column's or the outlet's
# own voice, not a happening it reports.
_FIRST_PERSON = re.compile(
    r"\b(?:[Mm]y|me|myself|mine|[Ww]e|us|[Oo]ur|ours|ourselves)\b|\bI(?=\s+[a-z]|['’])"
)
# A sentence whose subject is a pronoun ("Most of them were young", "That is less than ...").
_PRONOUN_SUBJECT = re.compile(
    r"[\"“‘'(]?(?:(?:most|some|all|none|many|few|both|each|one|several|much) of )?"
    r"(?:it|its|this|that|these|those|they|their|them|he|his|she|her|nobody|none|no one|"
    r"everyone|everybody|someone|somebody|something|nothing|everything|anyone|anything)\b",
    re.IGNORECASE,
)
# An appeal to the reader ("Anyone with information is asked to call police at ...", "Tips can
# be left with Crime Stoppers"): outlets print it alike, and it states nothing that happened.
_APPEAL = re.compile(
    r"^\W*(?:anyone|those|people|residents|witnesses) (?:with|who (?:has|have)) (?:any )?"
    r"(?:information|info|details|tips?|knowledge)\b|\bcrime ?stoppers\b",
    re.IGNORECASE,
)
_WORD_BEFORE = re.compile(r"(\S+)\s+$")
# A quote that began in an earlier sentence ends in this one: its closing mark after a
# sentence's punctuation ('but I am very disappointed."'), with no opening mark before it.
_QUOTE_END = re.compile(r"^[^“\"]*?[.,!?…]\s*[”\"]")


def author_voice(sentence: str) -> bool:
    """The sentence's writer (or outlet) speaks in the first person outside its quotes. A
    capital "I" after a capitalised word other than the first is a name's numeral ("World War
    I ended", "when Elizabeth I died"), not the writer."""
    end = _QUOTE_END.match(sentence)
    if end is not None:
        sentence = sentence[end.end() :]
    for start, stop, _ in reversed(find_quote_spans(sentence)):
        sentence = sentence[: max(0, start - 1)] + " " + sentence[stop + 1 :]
    for m in _FIRST_PERSON.finditer(sentence):
        if m.group() != "I":
            return True
        before = sentence[: m.start()]
        previous = _WORD_BEFORE.search(before)
        if previous is None or not previous.group(1)[:1].isupper():
            return True
        if not before[: previous.start()].strip():  # "Yesterday I went": the first word
            return True
    return False


class FactGrouping:
    """The groups of one story: member lists (a sentence may be in several)."""

    def __init__(self, groups: list[list[int]], left_out: list[int]) -> None:
        self.groups = groups
        self.left_out = left_out


def _indicator(sets: Sequence[frozenset[object]]) -> sparse.csr_matrix:
    """Rows of 0/1 over the values any set holds."""
    index: dict[object, int] = {}
    rows, cols = [], []
    for r, values in enumerate(sets):
        for v in values:
            rows.append(r)
            cols.append(index.setdefault(v, len(index)))
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), max(1, len(index))))


def _shared(m: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return np.asarray(m[i].multiply(m[j]).sum(axis=1)).ravel()


class UnitFacts:
    """What the features read of each sentence of a story (`ctx.units`), as parallel lists."""

    def __init__(self, ctx: StoryContext, entities: Sequence[StoryEntity]) -> None:
        canonical = {fold(n): e.name for e in entities for n in [e.name, *e.aliases]}
        named: dict[tuple[str, int], set[str]] = defaultdict(set)
        numbers: dict[tuple[str, int], set[object]] = defaultdict(set)
        dates: dict[tuple[str, int], set[object]] = defaultdict(set)
        for aid, analysis in ctx.analyses.items():
            for entity in analysis.entities:
                name = canonical.get(fold(entity.name), fold(entity.name))
                for mention in entity.mentions:
                    named[(aid, mention.sentence)].add(name)
            for number in analysis.numbers:
                numbers[(aid, number.sentence)].add(
                    (round(number.value, 2), unit_head(number.unit))
                )
            for time in analysis.times:
                dates[(aid, time.sentence)].add(time.value)
        keys = [(aid, s.index) for aid, s in ctx.units]
        self.lexical = ctx.space.lexical
        self.dense = ctx.space.dense
        self.entities = [frozenset(named.get(k, ())) for k in keys]
        self.numbers = [frozenset(numbers.get(k, ())) for k in keys]
        self.dates = [frozenset(dates.get(k, ())) for k in keys]
        self.lemmas = [frozenset(s.lemmas) for _, s in ctx.units]
        self.words = np.array([len(s.text.split()) for _, s in ctx.units])
        self.positions = np.array([s.index for _, s in ctx.units])
        self.author_voice = [author_voice(s.text) for _, s in ctx.units]
        self.appeal = [_APPEAL.search(s.text) is not None for _, s in ctx.units]
        self.unplaced = [
            not (self.entities[k] or self.numbers[k] or self.dates[k])
            and _PRONOUN_SUBJECT.match(s.text) is not None
            for k, (_, s) in enumerate(ctx.units)
        ]

    def single_bounds(self, outlet_of_unit: Sequence[str]) -> list[float]:
        """Per sentence, the best match probability under which it is single-source:
        `NOVEL_FIGURE` when it names a figure no other outlet's sentences name, else `ALONE`;
        never (0) for a sentence in the writer's own first-person voice (`author_voice`): a
        blogger's "I worked on that quay for nineteen years" is not what "Only X reports" means;
        nor for one about a pronoun that names no one, no figure and no date ("Most of them
        were young", "None of this is secret"): out of its article it states nothing a reader
        can place.
        (Five content words no other outlet has counted too, once; on the dev topics that
        called many shared facts single-source, as long sentences word a shared fact their
        own way.)"""
        by_outlet: dict[str, list[int]] = defaultdict(list)
        for k, outlet in enumerate(outlet_of_unit):
            by_outlet[outlet].append(k)
        seen = {
            outlet: set().union(*(self.numbers[k] for k in ks)) for outlet, ks in by_outlet.items()
        }
        bounds: list[float] = []
        for k, outlet in enumerate(outlet_of_unit):
            others = [v for o, v in seen.items() if o != outlet]
            new = set(self.numbers[k]).difference(*others)
            if self.author_voice[k] or self.unplaced[k] or self.appeal[k]:
                bounds.append(0.0)
            else:
                bounds.append(NOVEL_FIGURE if new else ALONE)
        return bounds


def pair_features(units: UnitFacts, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """One row of FEATURES per pair (i[k], j[k]), computed a column at a time."""
    columns = [_shared(units.lexical, i, j)]
    if units.dense is not None:
        dense = units.dense
        columns.append(np.clip(np.einsum("ij,ij->i", dense[i], dense[j]), 0.0, None))
    else:
        columns.append(np.zeros(len(i)))
    words, positions = units.words, units.positions
    sources = ((units.entities, 4), (units.numbers, None), (units.dates, None), (units.lemmas, 8))
    for sets, cap in sources:
        m = _indicator(sets)
        sizes = np.asarray(m.sum(axis=1)).ravel()
        shared = _shared(m, i, j)
        union = sizes[i] + sizes[j] - shared
        if cap is None:  # numbers, dates: same / differs
            columns.append((shared > 0).astype(float))
            columns.append(((sizes[i] > 0) & (sizes[j] > 0) & (shared == 0)).astype(float))
        else:
            columns.append(np.divide(shared, union, out=np.zeros(len(i)), where=union > 0))
            columns.append(np.minimum(shared, cap))
    # entities give (jaccard, shared), lemmas the same: reorder to FEATURES' order
    lex, den, ej, en, ns, nd, ds, dd, lj, ln = columns
    ratio = np.minimum(words[i], words[j]) / np.maximum(1, np.maximum(words[i], words[j]))
    lead = ((positions[i] <= 1) & (positions[j] <= 1)).astype(float)
    return np.column_stack([lex, den, ej, en, ns, nd, ds, dd, lj, ln, ratio, lead])


def match_probabilities(features: np.ndarray) -> np.ndarray:
    weights, intercept = FACT_MODEL
    return 1.0 / (1.0 + np.exp(-(features @ weights + intercept)))


def group_facts(
    n: int,
    article_of: Sequence[str],
    pairs: dict[tuple[int, int], float],
    bounds: Sequence[float] | None = None,
) -> FactGrouping:
    """Groups of sentences (0..n-1) stating one same fact, from match probabilities of
    candidate pairs (i < j, different articles); see the module docstring. `bounds`: per
    sentence, the best probability under which a lone one is single-source (else ALONE)."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    between: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), value in pairs.items():
        if value >= LINK:
            between[i][j] = between[j][i] = value

    def mean(a: int, b: int) -> float:
        return between[a].get(b, 0.0) / (len(members[a]) * len(members[b]))

    heap = [(-mean(a, b), a, b) for a in between for b in between[a] if a < b]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members or abs(mean(a, b) + negative) > 1e-12:
            continue  # merged away, or its mean changed since (a fresher entry exists)
        if -negative < GROUP:
            break
        members[a].extend(members.pop(b))
        for other, total in between.pop(b).items():
            del between[other][b]
            if other != a:
                between[a][other] = between[other][a] = between[a].get(other, 0.0) + total
        for other in between[a]:
            heapq.heappush(heap, (-mean(a, other), min(a, other), max(a, other)))

    def probability(x: int, y: int) -> float:
        return pairs.get((min(x, y), max(x, y)), 0.0)

    neighbours: dict[int, set[int]] = defaultdict(set)
    best = np.zeros(n)
    for (i, j), value in pairs.items():
        neighbours[i].add(j)
        neighbours[j].add(i)
        best[i] = max(best[i], value)
        best[j] = max(best[j], value)
    groups: list[list[int]] = []
    for group in members.values():
        if len({article_of[k] for k in group}) < 2:
            continue
        inside = set(group)
        extra = []
        for s in set().union(*(neighbours[k] for k in group)) - inside:
            others = [probability(s, k) for k in group if article_of[k] != article_of[s]]
            if len(others) >= JOIN_WITNESSES and sum(others) / len(others) >= JOIN:
                extra.append(s)
        groups.append(sorted(group + extra))
    shared = {k for g in groups for k in g}
    left_out = []
    for group in members.values():
        if len({article_of[k] for k in group}) >= 2:
            continue
        for k in group:
            if k in shared:
                continue
            if best[k] < (ALONE if bounds is None else bounds[k]):
                groups.append([k])
            else:
                left_out.append(k)
    return FactGrouping(groups, left_out)


class FactGroups(NamedTuple):
    """The story's claims as groups of indices into `ctx.units`, and what the facts keyed by
    a person, a street or a day are about (`compare.slots`), by group."""

    groups: list[list[int]]
    about: dict[tuple[int, ...], str]


def fact_groups(ctx: StoryContext, entities: Sequence[StoryEntity]) -> FactGroups:
    """The story's claims (a sentence may be in several; one that may state another outlet's
    fact, but not surely, is in none)."""
    articles = [aid for aid, _ in ctx.units]
    units = UnitFacts(ctx, entities)
    cross = [
        (i, j)
        for i, j in ctx.pairs
        if articles[i] != articles[j] and not (units.appeal[i] or units.appeal[j])
    ]
    probabilities: dict[tuple[int, int], float] = {}
    if cross:
        i = np.array([a for a, _ in cross])
        j = np.array([b for _, b in cross])
        found = match_probabilities(pair_features(units, i, j))
        probabilities = dict(zip(cross, found.tolist(), strict=True))
    # with no pair to match, every sentence is its outlet's alone (bar the writer's own voice)
    bounds = units.single_bounds([ctx.outlet[a] for a in articles])
    groups = group_facts(len(ctx.units), articles, probabilities, bounds).groups
    quiet = [
        voice or appeal for voice, appeal in zip(units.author_voice, units.appeal, strict=True)
    ]
    slots = [
        *person_facts(ctx, quiet, entities),
        *place_facts(ctx, quiet),
        *date_facts(ctx, quiet),
        *name_facts(ctx, quiet, entities),
    ]
    about: dict[tuple[int, ...], str] = {}
    for group, what in slots:
        about.setdefault(tuple(group), what)
    # a syndicated copy and its original group as two articles of one outlet: what a lone
    # sentence may not be called (bound 0), such a pair may not be either; two groups that
    # grew into the same sentences (each joined by the other's members) are one claim
    kept: dict[tuple[int, ...], list[int]] = {}
    for g in [*groups, *(group for group, _ in slots)]:
        if ctx.outlets([articles[k] for k in g]) >= 2 or any(bounds[k] > 0 for k in g):
            kept.setdefault(tuple(g), g)
    return FactGroups(list(kept.values()), {k: v for k, v in about.items() if k in kept})
