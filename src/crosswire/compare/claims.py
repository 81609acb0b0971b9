"""Compare stage: line up what the outlets of one story say.

Claims are sentences grouped across articles by similarity (one sentence per article per claim).
Conflicts compare like with like using the structure the language stage read out: times with
the events they date, numbers with what they count, titles with the person they describe,
quotes with their speaker. Precision comes first: a conflict needs two outlets, the same
subject, and values that cannot both hold.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from crosswire.embed import SentenceSpace
from crosswire.language.entities import ROLE_WORDS, fold, is_heading, same_entity, title_head
from crosswire.language.quotes import find_quote_spans
from crosswire.models import (
    Article,
    ArticleAnalysis,
    Claim,
    ClaimSource,
    Conflict,
    ConflictValue,
    FramingEntry,
    NumberMention,
    QuoteGroup,
    QuoteVariant,
    Sentence,
    Story,
    StoryEntity,
    StoryGroup,
    TimeMention,
)
from crosswire.options import Options

__all__ = ["compare_story", "outlet_of"]

# Loaded words, with the neutral word other outlets use for the same thing. General news
# vocabulary (style guides flag these), not tuned to one story.
LOADED = {
    "dictator": "president", "regime": "government", "tyrant": "leader", "strongman": "leader",
    "despot": "leader", "thug": "man", "thugs": "men", "agitator": "activist",
    "agitators": "activists", "rioters": "protesters", "mob": "crowd", "slumlord": "landlord",
    "terrorists": "militants", "puppet": "ally", "junta": "government", "cronies": "allies",
    "massacre": "killing", "butcher": "leader",
}  # fmt: skip
# Families of words news uses for the same thing; an outlet's choice within a family is framing.
FAMILIES = [
    {"strikes", "bombings", "attacks", "raids", "airstrikes"},
    {"regime", "government", "administration", "junta"},
    {"protesters", "demonstrators", "rioters", "activists", "agitators", "mob"},
    {"militants", "terrorists", "fighters", "rebels", "insurgents", "gunmen"},
    {"killed", "murdered", "slaughtered", "died"},
]
# A time of day with no date ("shortly before midnight") dates nothing to a day on its own.
_CLOCK_ONLY = re.compile(
    r"^(?:(?:shortly|just|soon|around|about|before|after|at|by|until|late|early)\s+)*"
    r"(?:midnight|noon|midday|dawn|dusk|daybreak|nightfall|\d{1,2}(?:[:.]\d{2})?\s*"
    r"(?:a\.?m\.?|p\.?m\.?|h|hrs|o['’]clock)?)$",
    re.I,
)
_NEGATION = re.compile(r"\b(not|no|never|n['’]t|without|none|neither|nor)\b", re.I)
_MODIFIERS = {
    "former",
    "ex",
    "late",
    "acting",
    "interim",
    "deputy",
    "vice",
    "outgoing",
    "assistant",
}
_WORD = re.compile(r"[\w’'-]+")


def outlet_of(
    article: Article, articles: Mapping[str, Article], duplicates: Mapping[str, str]
) -> str:
    """The outlet an article counts as: a syndicated copy counts as its original's outlet."""
    original = articles.get(duplicates.get(article.id, article.id), article)
    return fold(original.source) or original.id


def _short_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


@dataclass
class _Ctx:
    """Everything about one story the comparisons share."""

    group: StoryGroup
    articles: dict[str, Article]
    analyses: dict[str, ArticleAnalysis]
    outlet: dict[str, str]
    options: Options
    units: list[tuple[str, Sentence]] = field(default_factory=list)
    index: dict[tuple[str, int], int] = field(default_factory=dict)
    space: SentenceSpace = field(default_factory=lambda: SentenceSpace([], []))
    pairs: dict[tuple[int, int], float] = field(default_factory=dict)
    """Candidate sentence pairs (blocking): each sentence's nearest neighbours above a floor."""

    def sentence_sim(self, a: tuple[str, int], b: tuple[str, int]) -> float:
        i, j = self.index.get(a), self.index.get(b)
        if i is None or j is None:
            return 0.0
        if i == j:
            return 1.0
        known = self.pairs.get((min(i, j), max(i, j)))
        return known if known is not None else self.space.sim(i, j)

    def text(self, article_id: str, sentence: int) -> str:
        sentences = self.analyses[article_id].sentences
        return sentences[sentence].text if 0 <= sentence < len(sentences) else ""

    def outlets(self, article_ids: Sequence[str]) -> int:
        return len({self.outlet[a] for a in article_ids})

    def candidate_mention_pairs(
        self, mentions: Sequence[tuple[str, int]]
    ) -> Iterator[tuple[int, int]]:
        """Pairs of mentions (given as (article, sentence)) whose sentences are candidates:
        neighbours in `pairs`, or the same sentence. Never all pairs."""
        by_unit: dict[int, list[int]] = defaultdict(list)
        for m, key in enumerate(mentions):
            unit = self.index.get(key)
            if unit is not None:
                by_unit[unit].append(m)
        for ms in by_unit.values():
            for x in range(len(ms)):
                for y in range(x + 1, len(ms)):
                    yield ms[x], ms[y]
        for u, v in self.pairs:
            for a in by_unit.get(u, ()):
                for b in by_unit.get(v, ()):
                    yield (a, b) if a < b else (b, a)


# The lowest similarity any comparison below asks of two sentences: the blocking floor.
_PAIR_FLOOR = 0.2


def _claimable(sentence: Sentence) -> bool:
    words = _WORD.findall(sentence.text)
    return len(words) >= 5 and not is_heading(sentence.text) and not sentence.text.endswith("?")


def _build_context(
    group: StoryGroup,
    articles: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
) -> _Ctx:
    ids = [a for a in group.article_ids if a in analyses]
    ctx = _Ctx(
        group=group,
        articles={a: articles[a] for a in ids},
        analyses={a: analyses[a] for a in ids},
        outlet={a: outlet_of(articles[a], articles, group.duplicate_of) for a in ids},
        options=options,
    )
    for aid in ids:
        for sentence in analyses[aid].sentences:
            if _claimable(sentence):
                ctx.index[(aid, sentence.index)] = len(ctx.units)
                ctx.units.append((aid, sentence))
    ctx.space = SentenceSpace([s.lemmas for _, s in ctx.units], [s.text for _, s in ctx.units])
    ctx.pairs = ctx.space.pairs(_PAIR_FLOOR)
    return ctx


# --------------------------------------------------------------------------- entities


@dataclass
class _EntityCluster:
    type: str
    names: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    titles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def matches(self, name: str, kind: str) -> bool:
        return any(same_entity(name, kind, n, self.type) for n in self.names)


def _story_entities(ctx: _Ctx) -> list[StoryEntity]:
    """The articles' entities merged across the story by the same alias rules."""
    clusters: list[_EntityCluster] = []
    exact: dict[str, _EntityCluster] = {}
    pairs = [(aid, ent) for aid, analysis in ctx.analyses.items() for ent in analysis.entities]
    pairs.sort(key=lambda p: (-len(p[1].name.split()), -len(p[1].mentions), p[1].name, p[0]))
    for aid, ent in pairs:
        # most names recur verbatim across a story: look those up before testing aliases
        target = exact.get(fold(ent.name)) or next(
            (c for c in clusters if any(c.matches(n, ent.type) for n in [ent.name, *ent.aliases])),
            None,
        )
        if target is None:
            target = _EntityCluster(type=ent.type)
            clusters.append(target)
        for name in [ent.name, *ent.aliases]:
            exact.setdefault(fold(name), target)
        target.names.add(ent.name)
        target.names.update(ent.aliases)
        target.counts[ent.name] += len(ent.mentions)
        target.articles.add(aid)
        titles = target.titles[aid]
        titles.extend(t for t in ent.titles if t not in titles)
        if ent.type == "PERSON":
            target.type = "PERSON"
    out = []
    for c in clusters:
        longest = max(len(n.split()) for n in c.counts)
        name = max(
            (n for n in c.counts if len(n.split()) == longest), key=lambda n: (c.counts[n], n)
        )
        out.append(
            StoryEntity(
                name=name,
                type=c.type,
                aliases=sorted(c.names - {name}),
                article_ids=sorted(c.articles),
                titles={k: v for k, v in sorted(c.titles.items()) if v},
            )
        )
    out.sort(key=lambda e: (-len(e.article_ids), e.name))
    return out


# --------------------------------------------------------------------------- claims


def _claims(ctx: _Ctx) -> list[list[int]]:
    """Groups of unit indices stating the same thing, at most one sentence per article."""
    n = len(ctx.units)
    threshold = ctx.options.claim_threshold
    pairs = sorted(
        (
            (sim, i, j)
            for (i, j), sim in ctx.pairs.items()
            if sim >= threshold and ctx.units[i][0] != ctx.units[j][0]
        ),
        reverse=True,
    )
    parent = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    articles: dict[int, set[str]] = {i: {ctx.units[i][0]} for i in range(n)}
    vectors = {i: ctx.space.group_vector([i]) for i in {x for _, a, b in pairs for x in (a, b)}}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in pairs:
        ri, rj = find(i), find(j)
        if ri == rj or articles[ri] & articles[rj]:
            continue
        # average link: the groups must agree as wholes, not through one bridging pair
        mean = ctx.space.group_sim(vectors[ri], len(members[ri]), vectors[rj], len(members[rj]))
        if mean < threshold * 0.85:
            continue
        parent[rj] = ri
        members[ri].extend(members.pop(rj))
        articles[ri] |= articles.pop(rj)
        (lex_i, dense_i), (lex_j, dense_j) = vectors[ri], vectors.pop(rj)
        vectors[ri] = (
            lex_i + lex_j,
            None if dense_i is None or dense_j is None else dense_i + dense_j,
        )
    # A sentence left alone only because its article already sits in the matching claim
    # ("Maduro confirmed on Wednesday that he recently spoke with Trump" beside the same
    # article's other sentence on the call) still says what other outlets say: it joins
    # that claim as a further source, so it is never reported as one outlet's fact.
    best: dict[int, tuple[float, int]] = {}
    for sim, i, j in pairs:
        for lone, other in ((i, j), (j, i)):
            if len(members.get(lone, ())) == 1 and sim > best.get(lone, (0.0, -1))[0]:
                best[lone] = (sim, other)
    for lone, (_, other) in best.items():
        target = find(other)
        if lone not in members or len(members[lone]) != 1 or target == lone:
            continue
        if len(articles[target]) < 2:
            continue  # only claims other outlets share
        centre = vectors.get(target) or ctx.space.group_vector(members[target])
        mean = ctx.space.group_sim(ctx.space.group_vector([lone]), 1, centre, len(members[target]))
        if mean >= threshold * 0.85:
            members[target].append(lone)
            members.pop(lone)
    return [sorted(m) for m in members.values()]


def _attribution(ctx: _Ctx, aid: str, sentence: int) -> str | None:
    for quote in ctx.analyses[aid].quotes:
        if quote.sentence == sentence and quote.speaker:
            return quote.speaker
    return None


# --------------------------------------------------------------------------- conflicts


def _interval(n: NumberMention) -> tuple[float, float]:
    v = n.value
    if n.value_max is not None:
        return (min(v, n.value_max), max(v, n.value_max))
    if n.bound == "about":
        return (v * 0.9, v * 1.1)
    if n.bound in ("at_least", "more_than"):
        return (v, math.inf)
    if n.bound in ("at_most", "less_than"):
        return (0.0, v)
    return (v, v)


def _unit_head(unit: str | None) -> str:
    if not unit:
        return ""
    words = unit.lower().split()
    return words[0].rstrip("s") if words else ""


def _components(nodes: int, edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(nodes))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(nodes):
        groups[find(i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _subject_words(text: str, limit: int = 14) -> str:
    words = text.split()
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


def date_event_groups(ctx: _Ctx) -> list[list[tuple[str, TimeMention]]]:
    """Time mentions of different outlets that date the same event (not acts of reporting)."""
    mentions = [
        (aid, t)
        for aid, analysis in ctx.analyses.items()
        for t in analysis.times
        if t.precision != "year" and not t.reporting and not _CLOCK_ONLY.match(t.text)
    ]
    candidates = list(ctx.candidate_mention_pairs([(a, t.sentence) for a, t in mentions]))
    edges = []
    for i, j in candidates:
        (ai, ti), (aj, tj) = mentions[i], mentions[j]
        if ctx.outlet[ai] == ctx.outlet[aj]:
            if ai == aj and ti.sentence == tj.sentence:
                edges.append((i, j))  # two expressions for one event in one sentence
            continue
        sim = ctx.sentence_sim((ai, ti.sentence), (aj, tj.sentence))
        same_anchor = ti.anchor is not None and ti.anchor == tj.anchor
        if sim >= ctx.options.claim_threshold * (0.75 if same_anchor else 0.9):
            edges.append((i, j))
    groups = _components(len(mentions), edges)
    # Outlets that give a group's value for what is plausibly the same event join it as
    # support; this can add evidence to a value but never create a new one.
    group_of = {m: g for g, members in enumerate(groups) for m in members}
    values = [{mentions[k][1].value for k in members} for members in groups]
    joined = [set(members) for members in groups]
    for i, j in candidates:
        for x, y in ((i, j), (j, i)):
            g = group_of.get(x)
            if g is None or y in joined[g] or mentions[y][1].value not in values[g]:
                continue
            (ax, tx), (ay, ty) = mentions[x], mentions[y]
            if ctx.sentence_sim((ax, tx.sentence), (ay, ty.sentence)) >= 0.25:
                joined[g].add(y)
                groups[g].append(y)
    return [[mentions[k] for k in g] for g in groups]


def _date_conflicts(ctx: _Ctx) -> list[Conflict]:
    conflicts = []
    for group in date_event_groups(ctx):
        if ctx.outlets([a for a, _ in group]) < 2:
            continue
        days = [(a, t) for a, t in group if t.precision == "day"]
        day_values = {t.value for _, t in days}
        disjoint = _apart(ctx, [(a, t.earliest, t.latest) for a, t in group])
        outlets_by_value = defaultdict(set)
        for a, t in days:
            outlets_by_value[t.value].add(ctx.outlet[a])
        if len(day_values) < 2 and not disjoint:
            continue
        # differing day values from the same outlet only are one outlet's approximation
        if not disjoint and len({frozenset(v) for v in outlets_by_value.values()}) < 2:
            continue
        values = _collect_values(
            (a, t.value, t.text, t.value, ctx.text(a, t.sentence))
            for a, t in sorted(group, key=lambda p: (p[1].earliest, p[0]))
        )
        severity = "high" if disjoint else "low"
        # name the event by an explicit, exact mention where there is one: it reads best
        event = min(
            (t for _, t in group),
            key=lambda t: (
                t.relative,
                t.precision != "day",
                t.approximate,
                len(t.event) > 160,
                len(t.event),
            ),
        ).event
        conflicts.append(
            Conflict(
                id=_short_id("c", "date", *sorted(f"{v.normalized}|{v.value}" for v in values)),
                kind="date",
                subject=_subject_words(event or ctx.text(group[0][0], group[0][1].sentence)),
                values=values,
                severity=severity,
                explanation=(
                    "The dates given do not overlap."
                    if disjoint
                    else "The dates differ but their intervals overlap (approximate or relative dates)."
                ),
            )
        )
    return conflicts


def _collect_values(
    entries: Iterable[tuple[str, str, str, str | float | None, str]],
) -> list[ConflictValue]:
    """(article, grouping key, value as written, normalized, evidence) -> one value per key,
    listing each article once with its evidence sentence."""
    values: dict[str, ConflictValue] = {}
    for article_id, key, written, normalized, evidence in entries:
        cv = values.setdefault(
            key, ConflictValue(value=written, normalized=normalized, article_ids=[], evidence=[])
        )
        if written.lower() not in [w.lower() for w in cv.value.split("; ")]:
            cv.value = f"{cv.value}; {written}"  # "Tuesday night; March 10"
        if article_id not in cv.article_ids:
            cv.article_ids.append(article_id)
            cv.evidence.append(evidence)
    return list(values.values())


def _apart(ctx: _Ctx, spans: Sequence[tuple[str, Any, Any]]) -> bool:
    """Whether two outlets give intervals (article, low, high) that do not overlap.

    Linear in the common case: only the lowest upper bound and the highest lower bound can
    be apart; the pairwise check runs only when those two come from the same outlet.
    """
    if len(spans) < 2:
        return False
    lowest_high = min(spans, key=lambda s: s[2])
    highest_low = max(spans, key=lambda s: s[1])
    if not lowest_high[2] < highest_low[1]:
        return False
    if ctx.outlet[lowest_high[0]] != ctx.outlet[highest_low[0]]:
        return True
    return any(x[2] < y[1] for x in spans for y in spans if ctx.outlet[x[0]] != ctx.outlet[y[0]])


def _dated_apart(ctx: _Ctx, a: tuple[str, int], b: tuple[str, int]) -> bool:
    """Whether two sentences carry dates whose intervals do not overlap."""
    ta = [t for t in ctx.analyses[a[0]].times if t.sentence == a[1] and not t.reporting]
    tb = [t for t in ctx.analyses[b[0]].times if t.sentence == b[1] and not t.reporting]
    return bool(ta and tb) and all(
        x.latest < y.earliest or y.latest < x.earliest for x in ta for y in tb
    )


def _number_conflicts(ctx: _Ctx) -> list[Conflict]:
    mentions = [
        (aid, n)
        for aid, analysis in ctx.analyses.items()
        for n in analysis.numbers
        if n.unit and n.unit not in ("%",)
    ]
    edges = []
    for i, j in ctx.candidate_mention_pairs([(a, n.sentence) for a, n in mentions]):
        (ai, ni), (aj, nj) = mentions[i], mentions[j]
        if ctx.outlet[ai] == ctx.outlet[aj]:
            continue
        same_unit = _unit_head(ni.unit) == _unit_head(nj.unit)
        same_verb = ni.anchor is not None and ni.anchor == nj.anchor
        if not (same_unit or same_verb):
            continue
        sim = ctx.sentence_sim((ai, ni.sentence), (aj, nj.sentence))
        # Within one story, the same count of the same thing by the same verb ("9 workers
        # were killed" / "at least 12 workers were killed") is the same quantity unless
        # the sentences date it differently; otherwise the sentences must match as a claim.
        if same_unit and same_verb:
            needed = ctx.options.claim_threshold * 0.45
            if _dated_apart(ctx, (ai, ni.sentence), (aj, nj.sentence)):
                continue
        else:
            needed = ctx.options.claim_threshold * 0.9
        if sim >= needed:
            edges.append((i, j))
    conflicts = []
    for comp in _components(len(mentions), edges):
        group = [mentions[k] for k in comp]
        if not _apart(ctx, [(a, *_interval(n)) for a, n in group]):
            continue
        values = _collect_values(
            (
                a,
                f"{n.value}|{n.bound}|{n.value_max}",
                n.text,
                n.value,
                ctx.text(a, n.sentence),
            )
            for a, n in sorted(group, key=lambda p: (p[1].value, p[0]))
        )
        unit = Counter(n.unit for _, n in group).most_common(1)[0][0] or ""
        anchor = Counter(n.anchor for _, n in group if n.anchor).most_common(1)
        conflicts.append(
            Conflict(
                id=_short_id("c", "number", *sorted(f"{v.normalized}|{v.value}" for v in values)),
                kind="number",
                subject=f"{unit} {anchor[0][0] if anchor else ''}".strip(),
                values=values,
                severity="high",
                explanation="Outlets give values for the same quantity that cannot both hold, bounds considered.",
            )
        )
    return conflicts


def _normal_title(title: str) -> tuple[str, frozenset[str]]:
    """(role noun, modifiers that change the role) of a title."""
    words = [w.lower().strip(".") for w in _WORD.findall(title)]
    mods = frozenset(w for w in words if w in _MODIFIERS or w.startswith("ex-"))
    # "chief executive" and "port chief" share the role "chief": compare on it
    roles = sorted(w for w in words if w in ROLE_WORDS)
    return (roles[0] if roles else title_head(title)), mods


def _attribute_conflicts(ctx: _Ctx, entities: Sequence[StoryEntity]) -> list[Conflict]:
    conflicts = []
    for ent in entities:
        if ent.type != "PERSON" or len(ent.titles) < 2:
            continue
        by_role: dict[str, dict[frozenset[str], list[tuple[str, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for aid, titles in ent.titles.items():
            for title in titles:
                head, mods = _normal_title(title)
                if head:
                    by_role[head][mods].append((aid, title))
        for head, variants in sorted(by_role.items()):
            if len(variants) < 2:
                continue
            # "former president" vs "president" is a contradiction; "deputy" vs "acting" is not
            # checked here (too often both true).
            plain = variants.get(frozenset())
            marked = {m: v for m, v in variants.items() if m & {"former", "ex", "late"}}
            if not plain or not marked:
                continue
            sides = [(frozenset(), plain), *sorted(marked.items(), key=lambda kv: sorted(kv[0]))]
            outlets = {ctx.outlet[a] for _, items in sides for a, _ in items}
            if len(outlets) < 2:
                continue
            values = []
            for mods, items in sides:
                label = " ".join([*sorted(mods), head])
                ids = sorted({a for a, _ in items})
                evidence = []
                for a in ids:
                    titles_here = [t for aa, t in items if aa == a]
                    evidence.append(_evidence_for(ctx, a, [ent.name, *ent.aliases], titles_here))
                values.append(
                    ConflictValue(
                        value="; ".join(sorted({t for _, t in items})),
                        normalized=label,
                        article_ids=ids,
                        evidence=evidence,
                    )
                )
            conflicts.append(
                Conflict(
                    id=_short_id("c", "attribute", ent.name, head),
                    kind="attribute",
                    subject=ent.name,
                    values=values,
                    severity="medium",
                    explanation=f"Outlets give {ent.name} incompatible titles ({head}).",
                )
            )
    return conflicts


def _evidence_for(ctx: _Ctx, aid: str, names: Sequence[str], titles: Sequence[str]) -> str:
    for sentence in ctx.analyses[aid].sentences:
        low = sentence.text.lower()
        if any(t.lower() in low for t in titles):
            return sentence.text
    for sentence in ctx.analyses[aid].sentences:
        if any(n in sentence.text for n in names):
            return sentence.text
    return ""


def _same_quote(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    if min(len(a.split()), len(b.split())) < 4:
        return a.strip(" .,") == b.strip(" .,")  # short fragments match only verbatim
    return fuzz.token_set_ratio(a, b) >= 72 or fuzz.partial_ratio(a, b) >= 90


def _quotes(ctx: _Ctx, entities: Sequence[StoryEntity]) -> tuple[list[QuoteGroup], list[Conflict]]:
    def canonical(speaker: str | None) -> str | None:
        if speaker is None:
            return None
        for ent in entities:
            if speaker == ent.name or speaker in ent.aliases:
                return ent.name
        return speaker

    items = [
        (aid, canonical(q.speaker), q.text)
        for aid, analysis in ctx.analyses.items()
        for q in analysis.quotes
        if q.kind != "indirect" and len(q.text.split()) >= 3
    ]
    # candidates: quotes of the same speaker that are near neighbours in meaning or wording
    by_speaker: dict[str, list[int]] = defaultdict(list)
    for k, (_, speaker, _) in enumerate(items):
        if speaker is not None:
            by_speaker[speaker].append(k)
    edges = []
    for members in by_speaker.values():
        texts = [items[k][2] for k in members]
        space = SentenceSpace([[w.lower() for w in _WORD.findall(t)] for t in texts], texts)
        for (x, y), sim in space.pairs(floor=0.3).items():
            i, j = members[x], members[y]
            (ai, _, ti), (aj, _, tj) = items[i], items[j]
            if ai == aj:
                continue
            if _same_quote(ti, tj) or (sim >= 0.6 and min(len(ti.split()), len(tj.split())) >= 4):
                edges.append((i, j))
    groups: list[QuoteGroup] = []
    conflicts: list[Conflict] = []
    grouped = set()
    for comp in _components(len(items), edges):
        grouped.update(comp)
        variants: list[QuoteVariant] = []
        for k in comp:
            aid, _, text = items[k]
            if not any(v.article_id == aid and v.text == text for v in variants):
                variants.append(QuoteVariant(article_id=aid, text=text))
        if len({v.article_id for v in variants}) < 2:
            continue
        speaker = items[comp[0]][1]
        norm = {re.sub(r"\W+", " ", v.text.lower()).strip() for v in variants}
        groups.append(QuoteGroup(speaker=speaker, variants=variants, wording_differs=len(norm) > 1))
        negated = {bool(_NEGATION.search(v.text)) for v in variants}
        if len(negated) == 2:
            sides = _collect_values(
                (v.article_id, side, v.text, side, v.text)
                for v in variants
                for side in ["negated" if _NEGATION.search(v.text) else "affirmed"]
            )
            conflicts.append(
                Conflict(
                    id=_short_id("c", "quote", *(v.text for v in variants)),
                    kind="quote",
                    subject=speaker or "unattributed quote",
                    values=sides,
                    severity="high",
                    explanation="The same statement is quoted with and without a negation.",
                )
            )
    for k, (aid, speaker, text) in enumerate(items):
        if k not in grouped:
            groups.append(
                QuoteGroup(
                    speaker=speaker,
                    variants=[QuoteVariant(article_id=aid, text=text)],
                    wording_differs=False,
                )
            )
    return groups, conflicts


def _statement_conflicts(ctx: _Ctx, claims: Sequence[list[int]]) -> list[Conflict]:
    """Two outlets' near-identical sentences of which exactly one is negated."""
    conflicts = []

    def strip(text: str) -> str:
        return _NEGATION.sub(" ", text.lower())

    for members in claims:
        units = [ctx.units[k] for k in members]
        negated = [u for u in units if _NEGATION.search(u[1].text)]
        affirmed = [u for u in units if not _NEGATION.search(u[1].text)]
        if not negated or not affirmed:
            continue
        found = False
        for ax, sx in negated:
            for ay, sy in affirmed[:50]:  # one counter-example is enough; bound the work
                if found or ctx.outlet[ax] == ctx.outlet[ay]:
                    continue
                nx, ny = True, False
                if fuzz.token_sort_ratio(strip(sx.text), strip(sy.text)) < 80:
                    continue
                if any(a in sx.text or a in sy.text for a in ("“", '"', "«")):
                    continue  # negations inside quotes are the quote conflict's business
                found = True
                conflicts.append(
                    Conflict(
                        id=_short_id("c", "statement", sx.text, sy.text),
                        kind="statement",
                        subject=_subject_words(sx.text),
                        values=[
                            ConflictValue(
                                value=sx.text,
                                normalized="negated" if nx else "affirmed",
                                article_ids=[ax],
                                evidence=[sx.text],
                            ),
                            ConflictValue(
                                value=sy.text,
                                normalized="negated" if ny else "affirmed",
                                article_ids=[ay],
                                evidence=[sy.text],
                            ),
                        ],
                        severity="high",
                        explanation="One outlet states what the other denies.",
                    )
                )
    return conflicts


# --------------------------------------------------------------------------- framing


def _outside_quotes(text: str) -> str:
    for a, b, _ in reversed(find_quote_spans(text)):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _loaded_descriptions(
    ctx: _Ctx, entities: Sequence[StoryEntity], known: Sequence[FramingEntry]
) -> list[FramingEntry]:
    """Loaded words an outlet uses outside quotes ("the slumlord firm"), tied to the nearest
    person or organisation named in the same sentence."""
    canonical = {}
    for ent in entities:
        for name in [ent.name, *ent.aliases]:
            canonical[fold(name)] = ent
    seen = {(e.article_id, w) for e in known for w in e.term.lower().split()}
    found: list[FramingEntry] = []
    for aid, analysis in ctx.analyses.items():
        spans = [
            (m.start, m.end, ent.name)
            for ent in analysis.entities
            if ent.type in ("PERSON", "ORG")
            for m in ent.mentions
        ]
        for sentence in analysis.sentences:
            text = _outside_quotes(sentence.text)
            for m in _WORD.finditer(text):
                word = m.group().lower()
                if word not in LOADED or (aid, word) in seen:
                    continue
                if word == "regime" and text[m.end() :].lstrip().lower().startswith("change"):
                    continue  # "regime change" is a set phrase, not a label
                at = sentence.start + m.start()
                near = [
                    (min(abs(at - a), abs(at - b)), name)
                    for a, b, name in spans
                    if sentence.start <= a < sentence.end
                ]
                if not near:
                    continue
                name = min(near)[1]
                story_entity = canonical.get(fold(name))
                refers_to = story_entity.name if story_entity else name
                nxt = text[m.end() :].split(maxsplit=1)
                term = m.group()
                if nxt and nxt[0].isalpha() and nxt[0].islower() and nxt[0] not in _FUNCTION_WORDS:
                    term = f"{term} {nxt[0]}"  # "slumlord firm"
                others = sorted(
                    {
                        t
                        for other, titles in (story_entity.titles.items() if story_entity else [])
                        if ctx.outlet[other] != ctx.outlet[aid]
                        for t in titles
                    }
                ) or [LOADED[word]]
                seen.add((aid, word))
                found.append(
                    FramingEntry(
                        article_id=aid,
                        term=term,
                        refers_to=refers_to,
                        others_use=others,
                        loaded=True,
                    )
                )
    return found


_FUNCTION_WORDS = {"that", "which", "who", "and", "or", "of", "to", "in", "on", "at", "for", "with"}


def _framing(ctx: _Ctx, entities: Sequence[StoryEntity]) -> list[FramingEntry]:
    entries: list[FramingEntry] = []
    # titles given to the same person
    for ent in entities:
        if ent.type != "PERSON" or len(ent.titles) < 2:
            continue
        heads = {aid: {title_head(t): t for t in titles} for aid, titles in ent.titles.items()}
        for aid, mine in heads.items():
            others = {
                h: t
                for other, theirs in heads.items()
                if ctx.outlet[other] != ctx.outlet[aid]
                for h, t in theirs.items()
            }
            for head, title in mine.items():
                if head in others or not others:
                    continue
                entries.append(
                    FramingEntry(
                        article_id=aid,
                        term=title,
                        refers_to=ent.name,
                        others_use=sorted(set(others.values())),
                        loaded=head in LOADED,
                    )
                )
    entries += _loaded_descriptions(ctx, entities, entries)
    # word families ("strikes" / "bombings"), outside quotes: a quote is the speaker's word
    usage: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for aid, analysis in ctx.analyses.items():
        for sentence in analysis.sentences:
            words = {w.lower() for w in _WORD.findall(_outside_quotes(sentence.text))}
            for f, family in enumerate(FAMILIES):
                for w in words & family:
                    if w == "regime" and "change" in words:
                        continue  # "regime change" is a set phrase, not a label
                    usage[f][aid].add(w)
    for f, per_article in usage.items():
        neutral = sorted(FAMILIES[f] - set(LOADED))[0]
        for aid, words in per_article.items():
            used = {
                w for a, ws in per_article.items() if ctx.outlet[a] != ctx.outlet[aid] for w in ws
            }
            for w in sorted(words - used):
                if not used:
                    continue
                entries.append(
                    FramingEntry(
                        article_id=aid,
                        term=w,
                        refers_to=neutral,
                        others_use=sorted(used),
                        loaded=w in LOADED,
                    )
                )
    return entries


# --------------------------------------------------------------------------- story


def compare_story(
    group: StoryGroup,
    articles: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
    title: str = "",
) -> Story:
    """Claims, quotes, conflicts and framing for one story (timeline and summary come later)."""
    ctx = _build_context(group, articles, analyses, options)
    entities = _story_entities(ctx)
    claim_groups = _claims(ctx)
    conflicts = _date_conflicts(ctx) + _number_conflicts(ctx) + _attribute_conflicts(ctx, entities)
    quotes, quote_conflicts = _quotes(ctx, entities)
    conflicts += quote_conflicts + _statement_conflicts(ctx, claim_groups)
    # A title conflict is about the person, not about the facts of the sentence naming them.
    evidence = {
        (a, e): c.id
        for c in conflicts
        if c.kind != "attribute"
        for v in c.values
        for a, e in zip(v.article_ids, v.evidence, strict=False)
    }
    story_outlets = len(set(ctx.outlet.values()))
    claims: list[Claim] = []
    for members in claim_groups:
        units = [ctx.units[k] for k in members]
        ids = sorted({a for a, _ in units})
        outlets = ctx.outlets(ids)
        # the claim's wording: the member most similar to the others, originals before copies
        centre = ctx.space.group_vector(members)
        best = max(
            members,
            key=lambda k: (
                ctx.space.group_sim(ctx.space.group_vector([k]), 1, centre, len(members)),
                ctx.units[k][0] not in group.duplicate_of,
                -len(ctx.units[k][1].text),
            ),
        )
        conflict_ids = sorted({evidence[(a, s.text)] for a, s in units if (a, s.text) in evidence})
        if conflict_ids:
            status = "disputed"
        elif outlets >= 2 and outlets * 2 > story_outlets:
            status = "consensus"
        elif outlets >= 2:
            status = "corroborated"
        else:
            status = "single_source"
        aid, sentence = ctx.units[best]
        claims.append(
            Claim(
                id=_short_id("k", *(f"{a}:{s.index}" for a, s in units)),
                text=sentence.text,
                sources=[
                    ClaimSource(article_id=a, sentence=s.text, sentence_index=s.index)
                    for a, s in units
                ],
                outlets=outlets,
                status=status,
                attributed_to=_attribution(ctx, aid, sentence.index),
                conflict_ids=conflict_ids,
            )
        )
    order = {"disputed": 0, "consensus": 1, "corroborated": 2, "single_source": 3}
    claims.sort(
        key=lambda c: (
            order[c.status],
            -c.outlets,
            c.sources[0].article_id,
            c.sources[0].sentence_index,
        )
    )
    omissions = {
        aid: [
            c.id
            for c in claims
            if c.status == "consensus" and aid not in {s.article_id for s in c.sources}
        ]
        for aid in ctx.analyses
        if aid not in group.duplicate_of
    }
    return Story(
        id=group.id,
        title=title,
        article_ids=list(group.article_ids),
        outlets=story_outlets,
        entities=entities,
        claims=claims,
        quotes=quotes,
        conflicts=conflicts,
        framing=_framing(ctx, entities),
        omissions={k: v for k, v in omissions.items() if v},
    )
