"""Conflicts between outlets, comparing like with like using the structure the language stage
read out: times with the events they date, numbers with what they count, titles with the
person they describe, counts of people with the side they were on (`roles`), quotes with their
speaker (the story's quote groups are made here too), and near-identical statements of which
one is negated. Precision comes first: a conflict needs
two outlets, the same subject, and values that cannot both hold.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from crosswire.compare.figures import figure_conflicts
from crosswire.compare.matching import WORD, StoryContext, components, short_id
from crosswire.compare.opposites import opposite_conflicts
from crosswire.compare.residence import residence_conflicts
from crosswire.compare.roles import role_conflicts
from crosswire.embed import SentenceSpace
from crosswire.language import anchored_yearless_days
from crosswire.language.entities import ROLE_WORDS, title_head
from crosswire.language.times import UNKNOWN_YEAR, yearless_days
from crosswire.models import (
    Conflict,
    ConflictValue,
    QuoteGroup,
    QuoteVariant,
    StoryEntity,
    TimeMention,
)

__all__ = ["date_event_groups", "find_conflicts", "story_times", "unit_head"]

# A time of day with no date ("shortly before midnight") dates nothing to a day on its own.
_CLOCK_ONLY = re.compile(
    r"^(?:(?:shortly|just|soon|around|about|before|after|at|by|until|late|early)\s+)*"
    r"(?:midnight|noon|midday|dawn|dusk|daybreak|nightfall|\d{1,2}(?:[:.]\d{2})?\s*"
    r"(?:a\.?m\.?|p\.?m\.?|h|hrs|o['’]clock)?)$",
    re.I,
)
# "n't" ends its word ("couldn't", "won't"), so it is matched without a boundary before it
# (and tokenised copies write it "didn ’ t").
# "without" is left out: it negates a phrase ("left the scene without reporting it"), seldom
# the statement two outlets would contradict each other on.
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor)\b|n ?['’] ?t\b", re.I)
# A word in at most this share of a story's sentences names a happening, not the story.
_RARE_SHARE = 0.1
# The least similarity of two sentences whose dates a rare word anchors.
_RARE_ANCHOR_FLOOR = 0.25
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


def find_conflicts(
    ctx: StoryContext, entities: Sequence[StoryEntity], families: Sequence[list[int]]
) -> tuple[list[Conflict], list[QuoteGroup]]:
    """The story's conflicts (dates, numbers, titles, home towns, roles, opposite sides, quotes,
    statements, in that order) and its quote groups. `families` are the sentence families of
    `matching.sentence_families`."""
    conflicts = _date_conflicts(ctx) + figure_conflicts(ctx) + _attribute_conflicts(ctx, entities)
    quotes, quote_conflicts = _quotes(ctx, entities)
    conflicts += residence_conflicts(ctx, entities) + role_conflicts(ctx)
    conflicts += opposite_conflicts(ctx)
    conflicts += quote_conflicts + _statement_conflicts(ctx, families)
    return conflicts, quotes


def unit_head(unit: str | None) -> str:
    if not unit:
        return ""
    words = unit.lower().split()
    return words[0].rstrip("s") if words else ""


def _subject_words(text: str, limit: int = 14) -> str:
    words = text.split()
    subject = " ".join(words[:limit]) + (" …" if len(words) > limit else "")
    return subject[:1].upper() + subject[1:]  # a heading: "He spoke ...", not "he spoke ..."


def story_times(ctx: StoryContext) -> dict[str, list[TimeMention]]:
    """Each article's time mentions, and for an article with no date (given or inferred), the
    days it writes without a year, anchored (`anchored_yearless_days`): in a story of undated
    articles, "November 18" and "November 19" are the only datings there are to compare."""
    times = {aid: list(analysis.times) for aid, analysis in ctx.analyses.items()}
    undated = [
        aid
        for aid, analysis in ctx.analyses.items()
        # English only: another language's analysis has none of the parse this reads again
        if ctx.articles[aid].published is None
        and analysis.language in (None, "en")
        and yearless_days(analysis.sentences)
    ]
    if ctx.outlets(undated) >= 2:  # a day of an unknown year is compared only with another such day
        for aid in undated:
            times[aid] += anchored_yearless_days(ctx.articles[aid].text)
    return times


def _yearless(t: TimeMention) -> bool:
    return t.value.startswith(UNKNOWN_YEAR)


def _stem(lemma: str) -> str:
    """A lemma with an "-ing" noun read as its verb ("the sinking" / "sank")."""
    return lemma[:-3] if lemma.endswith("ing") and len(lemma) > 6 else lemma


def _anchor_counts(ctx: StoryContext) -> Counter[str]:
    """In how many of the story's sentences each (stemmed) lemma occurs."""
    return Counter(w for _, s in ctx.units for w in {_stem(x) for x in s.lemmas})


def _same_happening(
    ctx: StoryContext,
    x: tuple[str, TimeMention],
    y: tuple[str, TimeMention],
    times: dict[str, list[TimeMention]],
    counts: Counter[str],
) -> bool:
    """Whether two outlets' dated sentences tell one happening: similar enough, less so when
    the dates are anchored to the same word, and less again when that word is one few of the
    story's sentences use ("sink" in a story of pirates, not "shoot" in one of a shooting) and
    both dates are written whole or both without a year, not read against a publication
    date (weekdays, "yesterday": outlets read them against different days). A
    sentence giving one day only dates what it tells, so the other date's word found in it
    anchors it too ("followed the November 18 sinking" is anchored to "follow")."""
    (ax, tx), (ay, ty) = x, y
    sim = ctx.sentence_sim((ax, tx.sentence), (ay, ty.sentence))
    if sim >= ctx.options.claim_threshold * 0.9:
        return True
    word = _shared_anchor(ctx, x, y, times)
    if word is None:
        return False
    if tx.anchor and ty.anchor and _stem(tx.anchor) == _stem(ty.anchor):
        if sim >= ctx.options.claim_threshold * 0.75:
            return True
    # a word both sentences use (a weak verb, "be", "have", is in no sentence's lemmas)
    rare = 2 <= counts[word] <= max(3, round(_RARE_SHARE * len(ctx.units)))
    calendar = all(_yearless(t) or not t.relative for t in (tx, ty))
    return rare and calendar and sim >= _RARE_ANCHOR_FLOOR


def _shared_anchor(
    ctx: StoryContext,
    x: tuple[str, TimeMention],
    y: tuple[str, TimeMention],
    times: dict[str, list[TimeMention]],
) -> str | None:
    """The (stemmed) word both dates are anchored to, or that one date is anchored to and the
    other's sentence, which gives no other day, holds; None without one."""
    tx, ty = x[1], y[1]
    if tx.anchor and ty.anchor and _stem(tx.anchor) == _stem(ty.anchor):
        return _stem(tx.anchor)
    for (a, t), other in ((x, ty), (y, tx)):
        days = [m for m in times.get(a, ()) if m.sentence == t.sentence and m.precision == "day"]
        if other.anchor and len(days) == 1:
            stems = {_stem(w) for w in ctx.analyses[a].sentences[t.sentence].lemmas}
            if _stem(other.anchor) in stems:
                return _stem(other.anchor)
    return None


def date_event_groups(
    ctx: StoryContext,
    times: dict[str, list[TimeMention]] | None = None,
    counts: Counter[str] | None = None,
) -> list[list[tuple[str, TimeMention]]]:
    """Time mentions of different outlets that date the same event (not acts of reporting);
    `times` and `counts` are `story_times` and `_anchor_counts` where already computed."""
    times = story_times(ctx) if times is None else times
    counts = _anchor_counts(ctx) if counts is None else counts
    mentions = [
        (aid, t)
        for aid, found in times.items()
        for t in found
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
        if _same_happening(ctx, mentions[i], mentions[j], times, counts):
            edges.append((i, j))
    groups = components(len(mentions), edges)
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


def _overlap(x: TimeMention, y: TimeMention) -> bool:
    return x.earliest <= y.latest and y.earliest <= x.latest


def _dates_clash(x: TimeMention, y: TimeMention) -> str | None:
    """Why two datings of one event cannot both hold, or None when they can: their intervals
    do not overlap; or both name a day, one exactly, and the other's day lies two or more days
    off ("November 21" vs "around November 23"): an approximate wording that still places the
    event elsewhere."""
    if _yearless(x) != _yearless(y):
        return None  # a day of an unknown year is compared only with another such day
    if not _overlap(x, y):
        return "apart"
    if x.precision != "day" or y.precision != "day" or x.value == y.value:
        return None
    if x.approximate and y.approximate:
        return None
    try:
        gap = abs((dt.date.fromisoformat(x.value) - dt.date.fromisoformat(y.value)).days)
    except ValueError:
        return None
    return "off" if gap >= 2 else None


def _also_dates(times: Sequence[TimeMention], own: TimeMention, other: TimeMention) -> bool:
    """Whether an article's `times` also give a date matching `other` but not `own`: then it
    tells two happenings (the shooting Thursday, the dateline Friday), not a different date."""
    return any(
        t is not own
        and t.precision != "year"
        and _yearless(t) == _yearless(other)
        and _overlap(t, other)
        and not _overlap(t, own)
        for t in times
    )


def _one_value_each(
    ctx: StoryContext,
    group: Sequence[tuple[str, TimeMention]],
    clashing: Sequence[tuple[str, TimeMention]],
) -> list[TimeMention]:
    """The clashing mentions, one value per article: an article that clashes with two days
    ("deployed on November 2 ... sank a ship on November 19") tells two happenings, and only
    the day more outlets of the group give (then the one dating the group's commonest word)
    is its dating of the one in dispute; the other would be shown against its own agreement."""
    outlets_of: dict[str, set[str]] = defaultdict(set)
    for aid, t in group:
        outlets_of[t.value].add(ctx.outlet[aid])
    anchors = Counter(_stem(t.anchor) for _, t in group if t.anchor)
    by_article: dict[str, list[TimeMention]] = defaultdict(list)
    for aid, t in clashing:
        if not any(t is m for m in by_article[aid]):
            by_article[aid].append(t)
    kept = []
    for aid, found in by_article.items():

        def weight(t: TimeMention, aid: str = aid) -> tuple[int, int]:
            return (
                len(outlets_of[t.value] - {ctx.outlet[aid]}),
                anchors[_stem(t.anchor)] if t.anchor else 0,
            )

        best = max(found, key=weight).value
        kept += [t for t in found if t.value == best]
    return kept


def _date_conflicts(ctx: StoryContext) -> list[Conflict]:
    conflicts = []
    times = story_times(ctx)
    counts = _anchor_counts(ctx)
    for group in date_event_groups(ctx, times, counts):
        if ctx.outlets([a for a, _ in group]) < 2:
            continue
        pairs: list[tuple[tuple[str, TimeMention], tuple[str, TimeMention], str]] = []
        for k, (ax, tx) in enumerate(group):
            for ay, ty in group[k + 1 :]:
                if ctx.outlet[ax] == ctx.outlet[ay]:
                    continue
                why = _dates_clash(tx, ty)
                if why is None or _also_dates(times[ax], tx, ty) or _also_dates(times[ay], ty, tx):
                    continue
                # the group joins mentions transitively: the two dated sentences themselves
                # must tell the same happening
                if _same_happening(ctx, (ax, tx), (ay, ty), times, counts):
                    pairs.append(((ax, tx), (ay, ty), why))
        kept = _one_value_each(ctx, group, [m for x, y, _ in pairs for m in (x, y)])
        pairs = [(x, y, why) for x, y, why in pairs if x[1] in kept and y[1] in kept]
        if not pairs:
            continue
        reasons = {why for _, _, why in pairs}
        shown = (pairs[0][0][1], pairs[0][1][1])
        clashing: list[tuple[str, TimeMention]] = []
        for m in (m for x, y, _ in pairs for m in (x, y)):
            if not any(m[1] is t for _, t in clashing):
                clashing.append(m)
        values = _collect_values(
            (a, t.value, t.text, t.value, ctx.text(a, t.sentence))
            for a, t in sorted(clashing, key=lambda p: (p[1].earliest, p[0]))
        )
        apart = "apart" in reasons
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
        first, last = sorted(shown, key=lambda t: t.earliest)
        conflicts.append(
            Conflict(
                id=short_id("c", "date", *sorted(f"{v.normalized}|{v.value}" for v in values)),
                kind="date",
                subject=_subject_words(event or ctx.text(group[0][0], group[0][1].sentence)),
                values=values,
                severity="high" if apart else "low",
                explanation=(
                    f"“{first.text}” ({first.value}) and “{last.text}” ({last.value}) date the same"
                    + (
                        " happening to days that do not overlap."
                        if apart
                        else " happening days apart, though one wording is approximate."
                    )
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


def _normal_title(title: str) -> tuple[str, frozenset[str]]:
    """(role noun, modifiers that change the role) of a title."""
    words = [w.lower().strip(".") for w in WORD.findall(title)]
    mods = frozenset(w for w in words if w in _MODIFIERS or w.startswith("ex-"))
    # "chief executive" and "port chief" share the role "chief": compare on it
    roles = sorted(w for w in words if w in ROLE_WORDS)
    return (roles[0] if roles else title_head(title)), mods


def _attribute_conflicts(ctx: StoryContext, entities: Sequence[StoryEntity]) -> list[Conflict]:
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
            if not plain:
                continue
            # an article that uses both titles is not on the "former" side: it either tells
            # two times or is inconsistent in itself, and neither is a conflict between outlets
            plain_ids = {a for a, _ in plain}
            marked = {
                m: kept
                for m, v in variants.items()
                if m & {"former", "ex", "late"}
                and (kept := [(a, t) for a, t in v if a not in plain_ids])
            }
            if not marked:
                continue
            plain_outlets = {ctx.outlet[a] for a in plain_ids}
            marked_outlets = {ctx.outlet[a] for v in marked.values() for a, _ in v}
            # "former" contradicts only when the other outlets, more of them, give the plain
            # title for the time told; where most say "former" it is the title at writing time
            # ("former campaign chairman"), and a plain title there names his role back then
            if len(plain_outlets - marked_outlets) < 2 or len(plain_outlets) <= len(marked_outlets):
                continue
            sides = [(frozenset(), plain), *sorted(marked.items(), key=lambda kv: sorted(kv[0]))]
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
                        value="; ".join(_spellings(t for _, t in items)),
                        normalized=label,
                        article_ids=ids,
                        evidence=evidence,
                    )
                )
            conflicts.append(
                Conflict(
                    id=short_id("c", "attribute", ent.name, head),
                    kind="attribute",
                    subject=ent.name,
                    values=values,
                    severity="medium",
                    explanation=(
                        f"{len(plain_outlets)} outlets call {ent.name} “{plain[0][1]}”,"
                        f" {len(marked_outlets)} “{next(iter(marked.values()))[0][1]}”:"
                        " at the time told both cannot hold."
                    ),
                )
            )
    return conflicts


def _spellings(titles: Iterable[str]) -> list[str]:
    """Distinct titles, one spelling each: "U.S. President", "US President" and "US president"
    are one title written three ways, shown as the spelling most used (then the first sorted)."""
    counts = Counter(titles)
    by_key: dict[str, list[str]] = defaultdict(list)
    for title in sorted(counts):
        by_key[re.sub(r"[.\s]", "", title).casefold()].append(title)
    return sorted(
        max(forms, key=lambda f: (counts[f], -forms.index(f))) for forms in by_key.values()
    )


def _evidence_for(ctx: StoryContext, aid: str, names: Sequence[str], titles: Sequence[str]) -> str:
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


def _negation_only(negated: str, affirmed: str) -> bool:
    """Whether two wordings are the same passage but for the negation."""

    def bare(text: str) -> str:
        return re.sub(r"\s+", " ", _NEGATION.sub(" ", text.lower())).strip(" .,")

    x, y = bare(negated), bare(affirmed)
    return fuzz.token_sort_ratio(x, y) >= 80 or (
        min(len(x.split()), len(y.split())) >= 4 and fuzz.partial_ratio(x, y) >= 92
    )


def _quotes(
    ctx: StoryContext, entities: Sequence[StoryEntity]
) -> tuple[list[QuoteGroup], list[Conflict]]:
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
        space = SentenceSpace([[w.lower() for w in WORD.findall(t)] for t in texts], texts)
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
    for comp in components(len(items), edges):
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
        # a negation conflict needs one wording of one passage with and without the negation
        # ("were not working" / "were working"), not a quote group in which some other
        # sentence happens to hold a "never"
        clashing = [
            (x, y)
            for x in variants
            for y in variants
            if x.article_id != y.article_id
            and _NEGATION.search(x.text)
            and not _NEGATION.search(y.text)
            and _negation_only(x.text, y.text)
        ]
        if clashing:
            involved = [v for v in variants if any(v in pair for pair in clashing)]
            sides = _collect_values(
                (v.article_id, side, v.text, side, v.text)
                for v in involved
                for side in ["negated" if _NEGATION.search(v.text) else "affirmed"]
            )
            conflicts.append(
                Conflict(
                    id=short_id("c", "quote", *(v.text for v in variants)),
                    kind="quote",
                    subject=speaker or "unattributed quote",
                    values=sides,
                    severity="high",
                    explanation=(
                        f"{speaker or 'The speaker'} is quoted saying “{clashing[0][0].text}” by one"
                        f" outlet and “{clashing[0][1].text}” by another: the negation reverses it."
                    ),
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


def _statement_conflicts(ctx: StoryContext, families: Sequence[list[int]]) -> list[Conflict]:
    """Two outlets' near-identical sentences of which exactly one is negated."""
    conflicts = []

    def strip(text: str) -> str:
        return _NEGATION.sub(" ", text.lower())

    for members in families:
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
                if any(a in sx.text or a in sy.text for a in ("“", '"', "«", "``", "''")):
                    continue  # negations inside quotes are the quote conflict's business
                found = True
                conflicts.append(
                    Conflict(
                        id=short_id("c", "statement", sx.text, sy.text),
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
