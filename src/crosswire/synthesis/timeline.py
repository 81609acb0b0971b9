"""The timeline of a story: every sentence that reports an event, dated by the expression
that dates its event (with the uncertainty its wording leaves) or "at or before publication",
each entry citing its sentences (issue 24, point 4)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from crosswire.language.times import readable_event
from crosswire.models import (
    ArticleAnalysis,
    ClaimSource,
    Sentence,
    Story,
    TimelineEntry,
    TimeMention,
)

__all__ = ["build_timeline"]

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}

# A time expression after these words is what the event is compared with or measured from
# ("lowest since 2003", "compared to March of 2008", "more than in 2007"), not when it
# happened: it does not date the sentence's event (on MEANTIME dev, where such comparisons are
# rare, it costs one event of 378 placed within a month; evaluate/timeline.py).
_BACKGROUND = re.compile(
    r"(?:\bsince|\bcompared (?:to|with)|\bthan(?: (?:in|on|at|during))?)"
    r"\s+(?:(?:the|early|late|mid|last|its|a|an)\s+)*$",
    re.IGNORECASE,
)
_BEFORE_MENTION = 40
"""Characters before a time expression searched for `_BACKGROUND`."""
# Wire credit lines ("(Reporting by ...; Editing by ...)") and other wholly parenthesised
# asides report no event.
_ASIDE = re.compile(
    r"^\s*\(.*\)\s*$|^\s*\(?(?:additional )?(?:reporting|writing|editing) by\b", re.I
)
# Nor do questions put to the reader, credit and dateline lines without a full stop ("Meridian
# Daily staff, with agencies", "PORT ALMERA, Veldara (VPA) —") or fragments of a few words
# ("Good."): undated, they would only crowd the "at or before publication" list.
_CLOSING_QUOTES = "\"'”’»)"
_MIN_EVENT_WORDS = 3


def _reports_event(text: str) -> bool:
    end = text.rstrip(_CLOSING_QUOTES + " \t\n")
    return (
        not _ASIDE.match(text) and end[-1:] in (".", "!") and len(text.split()) >= _MIN_EVENT_WORDS
    )


_MAIN_CLAUSE = 0.5
"""A time expression whose clause is at least this share of its sentence dates the sentence's
own event (on MEANTIME dev, 0.5 places 0.93 of the events, no clause test 0.90, at equal
precision)."""


def _background(sentence: str, mention: TimeMention) -> bool:
    """The expression is a comparison's or a range's starting point, not the event's date."""
    at = sentence.find(mention.text)
    if at < 0:
        return False
    return bool(_BACKGROUND.search(sentence[max(0, at - _BEFORE_MENTION) : at]))


def _source(aid: str, sentence: Sentence) -> ClaimSource:
    return ClaimSource(
        article_id=aid,
        sentence=sentence.text,
        sentence_index=sentence.index,
        start=sentence.start,
        end=sentence.end,
    )


def build_timeline(
    story: Story,
    analyses: Mapping[str, ArticleAnalysis],
    published: Mapping[str, dt.date | None] | None = None,
) -> list[TimelineEntry]:
    """Every event the articles report, one entry per event (a claim: outlets that report it
    share the entry, and those that date it differently are noted), each citing its sentences.

    A sentence is dated by its time expressions, less comparisons ("lowest since 2003"); an
    act of reporting's date stays ("confirmed on Sunday": on MEANTIME dev, leaving those out
    placed 0.93 of the events instead of 0.92 but fewer within a month, 0.15 instead of 0.18). A sentence with none is dated by its
    claim's other sentences, else "at or before publication" (`published`: article id ->
    publication date; without it, such sentences are left out). Every sentence counts,
    statements of plans too: on MEANTIME dev, leaving out sentences with "will", "plans to"...
    placed 0.77 of the events instead of 0.90 (before the clause test below), at a lower
    precision (evaluate/timeline.py).
    """
    claim_of = {(s.article_id, s.sentence_index): c.id for c in story.claims for s in c.sources}
    conflict_of: dict[tuple[str, str], str] = {}
    for conflict in story.conflicts:
        if conflict.kind == "date":
            for value in conflict.values:
                for aid, evidence in zip(value.article_ids, value.evidence, strict=False):
                    conflict_of[(aid, evidence)] = conflict.id
    conflict_ids = set(conflict_of.values())
    groups: dict[str, list[tuple[str, TimeMention]]] = defaultdict(list)
    cited: dict[str, list[ClaimSource]] = defaultdict(list)
    undated: dict[str, list[tuple[str, Sentence]]] = defaultdict(list)
    for aid in story.article_ids:
        analysis = analyses.get(aid)
        if analysis is None:
            continue
        by_sentence: dict[int, list[TimeMention]] = defaultdict(list)
        for t in analysis.times:
            by_sentence[t.sentence].append(t)
        for sentence in analysis.sentences:
            mentions = by_sentence.get(sentence.index, [])
            key = conflict_of.get((aid, sentence.text)) or claim_of.get(
                (aid, sentence.index), f"{aid}:{sentence.index}"
            )
            dating = [t for t in mentions if not _background(sentence.text, t)]
            for t in dating:
                group = f"{key}|{t.value if key not in conflict_ids else ''}"
                groups[group].append((aid, t))
                cited[group].append(_source(aid, sentence))
            # an expression dating a clause of the sentence ("announced that it would be
            # released in 2007") leaves the sentence's own event undated
            main_dated = any(
                len(t.event) >= _MAIN_CLAUSE * len(sentence.text) or not t.event for t in dating
            )
            if not main_dated and _reports_event(sentence.text):
                undated[key if not dating else f"{key}#main"].append((aid, sentence))
    dated: dict[str, list[TimelineEntry]] = defaultdict(list)
    for group, found in groups.items():
        key = group.split("|", 1)[0]
        dated[key].append(_dated_entry(key, found, cited[group], conflict_ids))
    entries = [e for es in dated.values() for e in es]
    for key, sentences in undated.items():
        if key in dated:
            # the claim is dated by other sentences (other outlets'): these report it too
            for entry in dated[key]:
                _add_sources(entry, sentences)
            continue
        undated_entry = _undated_entry(sentences, published or {})
        if undated_entry is not None:
            entries.append(undated_entry)
    order = {aid: i for i, aid in enumerate(story.article_ids)}

    def place(e: TimelineEntry) -> tuple[int, int, int]:
        # undated events: the most widely reported first, then in the order the articles tell
        first = e.sources[0] if e.sources else None
        at = (order.get(first.article_id, 0), first.sentence_index) if first else (0, 0)
        return (-len(e.article_ids), *at)

    entries.sort(
        key=lambda e: (
            (e.date, e.earliest, e.precision == "before_publication")
            + ((0, 0, 0, e.event) if e.precision != "before_publication" else (*place(e), ""))
        )
    )
    return entries


def _add_sources(entry: TimelineEntry, sentences: Sequence[tuple[str, Sentence]]) -> None:
    have = {(s.article_id, s.sentence_index) for s in entry.sources}
    for aid, sentence in sentences:
        if (aid, sentence.index) not in have:
            entry.sources.append(_source(aid, sentence))
            have.add((aid, sentence.index))
    entry.article_ids = sorted(set(entry.article_ids) | {a for a, _ in sentences})


def _dated_entry(
    key: str,
    mentions: Sequence[tuple[str, TimeMention]],
    sources: Sequence[ClaimSource],
    conflict_ids: set[str],
) -> TimelineEntry:
    conflict_id = key.split("|", 1)[0] if key.split("|", 1)[0] in conflict_ids else None
    counts = Counter(t.value for _, t in mentions)
    # date the entry by its most exact mention (an explicit day beats "last week"), then
    # by how many mentions agree with it
    first = min(
        (t for _, t in mentions),
        key=lambda t: (
            t.relative,
            t.approximate,
            _PRECISION_RANK[t.precision],
            -counts[t.value],
        ),
    )
    main = [t for _, t in mentions if t.value == first.value]
    note = ""
    if len(counts) > 1:
        note = "Outlets date this differently: " + "; ".join(
            f"{v} ({', '.join(sorted({a for a, t in mentions if t.value == v}))})" for v in counts
        )
    unique: dict[tuple[str, int], ClaimSource] = {}
    for source in sources:
        unique.setdefault((source.article_id, source.sentence_index), source)
    return TimelineEntry(
        date=first.earliest
        if first.precision != "day"
        else first.earliest + (first.latest - first.earliest) / 2,
        earliest=min(t.earliest for _, t in mentions),
        latest=max(t.latest for _, t in mentions),
        precision=first.precision,
        event=readable_event(
            next((t.event for t in main if t.event), "") or first.text,
            next(
                (
                    x.sentence
                    for a, t in mentions
                    if t is first
                    for x in sources
                    if (x.article_id, x.sentence_index) == (a, t.sentence)
                ),
                "",
            ),
        ),
        article_ids=sorted({a for a, _ in mentions}),
        sources=list(unique.values()),
        conflict_ids=[conflict_id] if conflict_id else [],
        note=note,
    )


def _undated_entry(
    sentences: Sequence[tuple[str, Sentence]], published: Mapping[str, dt.date | None]
) -> TimelineEntry | None:
    """An event the text does not date: it happened by the time the first outlet reported it."""
    days = [d for a, _ in sentences if (d := published.get(a)) is not None]
    if not days:
        return None
    day = min(days)
    return TimelineEntry(
        date=day,
        earliest=day,
        latest=day,
        precision="before_publication",
        event=" ".join(sentences[0][1].text.split()),
        article_ids=sorted({a for a, _ in sentences}),
        sources=[_source(a, s) for a, s in sentences],
    )
