"""Temporal expressions in news sentences, normalised to calendar intervals.

Recognition is a small grammar of regexes of our own; calendar arithmetic uses
dateutil. Why not dateparser's ``search_dates``: on news text it reads "may",
"second" and "now" as dates, turns a bare "2024" into the publication day of
2024, and does not know "late last month", "early 2024" or "the end of the
week". Every pattern is a fixed sequence of literals and bounded
optional parts (no nested repetition), so matching stays linear in the input.

This module finds the expressions in a sentence (`find_time_spans`) and resolves them in order
(`extract_times`); the pattern table is `_time_patterns`, the resolution rules (choices, not
facts, documented there) are `_time_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from crosswire.language._lexicon import MONTHS, WEEKDAYS
from crosswire.language._time_patterns import NEEDS, PATTERNS, PRIORITY, Pattern, possible_kinds
from crosswire.language._time_rules import RESOLVERS, Context
from crosswire.models import Sentence, TimeMention

__all__ = [
    "MONTH_NAMES",
    "UNKNOWN_YEAR",
    "WEEKDAY_NAMES",
    "extract_times",
    "find_time_spans",
    "readable_event",
    "stamped_date",
    "yearless_days",
]


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    pattern: Pattern
    match: re.Match[str]


@lru_cache(maxsize=4096)  # numbers.py masks dates with the same search, just before
def _candidates(text: str) -> tuple[_Candidate, ...]:
    """Non-overlapping recognised expressions, longest first, in text order."""
    found: list[_Candidate] = []
    possible = possible_kinds(text)
    for pattern in PATTERNS:
        if pattern.kind in NEEDS and pattern.kind not in possible:
            continue
        for m in pattern.regex.finditer(text):
            if m.end() == m.start():
                continue
            if pattern.accept is not None and not pattern.accept(text, m):
                continue
            found.append(_Candidate(m.start(), m.end(), pattern, m))
    found.sort(key=lambda c: (c.start - c.end, PRIORITY[c.pattern.kind], c.start))
    taken: list[_Candidate] = []
    occupied = bytearray(len(text))  # one flag per character, so overlap tests stay linear
    for cand in found:
        if any(occupied[cand.start : cand.end]):
            continue
        taken.append(cand)
        occupied[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
    taken.sort(key=lambda c: c.start)
    return tuple(taken)


def find_time_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of every temporal expression in text (clock times included),
    whether or not it could be resolved to a date."""
    return [(c.start, c.end) for c in _candidates(text)]


# --------------------------------------------------------------------------- public API


def extract_times(sentences: Sequence[Sentence], published: date | None) -> list[TimeMention]:
    """Every temporal expression in the sentences, resolved to a calendar interval.

    Mentions come in text order (sentence, then position), do not overlap, and
    each ``text`` is the expression exactly as written, so its k-th occurrence
    can be found again with ``str.find`` from the end of the previous one.
    Without a publication date, expressions that need one are skipped.
    """
    history: list[TimeMention] = []
    for sentence in sentences:
        resolved: dict[int, TimeMention] = {}
        ctx = Context(sentence.text, sentence.index, published, history)
        first = len(history)
        # Clock times lean on the other day mentions of the sentence: resolve them last.
        candidates = _candidates(sentence.text)
        for cand in sorted(candidates, key=lambda c: c.pattern.kind == "clock"):
            try:
                res = RESOLVERS[cand.pattern.kind](ctx, cand.match.groupdict(), cand.start)
            except (OverflowError, ValueError):
                continue  # arithmetic past the ends of the calendar (year 1 or 9999)
            if res is None or res.earliest > res.latest:
                continue
            mention = TimeMention(
                text=sentence.text[cand.start : cand.end],
                value=res.value,
                earliest=res.earliest,
                latest=res.latest,
                precision=res.precision,
                approximate=res.approximate,
                relative=res.relative,
                sentence=sentence.index,
            )
            resolved[cand.start] = mention
            history.append(mention)
            if mention.precision == "day" and cand.pattern.kind != "clock":
                ctx.days_here.append((cand.start, mention))
        history[first:] = [resolved[k] for k in sorted(resolved)]
    return history


MONTH_NAMES = frozenset(MONTHS)
"""Month names, lower case."""
WEEKDAY_NAMES = frozenset(WEEKDAYS)
"""Weekday names, lower case."""
UNKNOWN_YEAR = "XXXX"
"""How TIMEX3 writes a year the text does not give: `yearless_days`' values open with it."""
# The year `yearless_days` reads its days in: a leap year, so that February 29 exists.
_NOMINAL_YEAR = 2000
_WORDS = re.compile(r"[^\W\d_]+")


def yearless_days(sentences: Sequence[Sentence]) -> list[TimeMention]:
    """The days a text writes with a month but no year ("on November 18", "the November 18
    sinking"), which `extract_times` skips when there is no publication date to take the year
    from: each read in one nominal year, its value written with TIMEX3's unknown year
    ("XXXX-11-18"). Outlets reporting one story write one same year, so two such days of one
    story can be compared with each other; they never place anything on a calendar."""
    found = []
    for t in extract_times(sentences, date(_NOMINAL_YEAR, 12, 31)):
        words = {w.lower().rstrip(".") for w in _WORDS.findall(t.text)}
        # a month and a day of it, written; a weekday or "yesterday" needs the real date
        if t.precision != "day" or not t.relative or not words & MONTHS.keys():
            continue
        if not re.search(r"\d", t.text) or re.search(r"\d{3}", t.text):
            continue
        day = date.fromisoformat(t.value)
        shift = day - date(_NOMINAL_YEAR, day.month, day.day)
        found.append(
            t.model_copy(
                update={
                    "value": UNKNOWN_YEAR + t.value[4:],
                    "earliest": t.earliest - shift,
                    "latest": t.latest - shift,
                }
            )
        )
    return found


# A clause opening with a relative word or a pronoun leans on the rest of its sentence
# ("which would place the conversation around November 23", "he spoke by phone ...")
_LEANING_CLAUSE = re.compile(
    r"^\W*(?:which|who|whom|whose|that|where|when|he|she|they|it|his|her|their|its)\b", re.I
)


def readable_event(clause: str, sentence: str) -> str:
    """An event as the timeline shows it: its clause when that reads alone (it opens the
    sentence, or opens with a capital and no pronoun), else its whole sentence, whose subject
    the clause lacks ("carrying 266 deportees ...", "which would place ...")."""
    alone = sentence.lstrip().startswith(clause.strip()) or (
        clause.lstrip()[:1].isupper() and not _LEANING_CLAUSE.match(clause)
    )
    text = " ".join((clause if alone or not sentence else sentence).split())
    return text[:1].upper() + text[1:]


# Words a page's timestamp line holds besides its date and clock ("Posted: July 20, 2009
# 11:06 PM CEST", "Published on Feb. 4, 2009 | Updated ...").
_STAMP_WORDS = frozenset(
    [
        "posted",
        "published",
        "updated",
        "modified",
        "last",
        "first",
        "created",
        "on",
        "at",
        "by",
        "date",
        "time",
        "and",
        "am",
        "pm",
        "gmt",
        "utc",
        "est",
        "edt",
        "cst",
        "cdt",
        "mst",
        "mdt",
        "pst",
        "pdt",
        "cet",
        "cest",
        "bst",
        "ist",
    ]
)
_STAMP_MAX_WORDS = 20  # words and numbers, punctuation apart


def stamped_date(lines: Sequence[str]) -> date | None:
    """The day a page's timestamp states: of the lines that are a timestamp and nothing else
    (an explicit date, a clock, the words of a stamp), the earliest day; None without one.

    The clean stage removes such lines as furniture; they are still the best evidence of
    when an undated article appeared (a "posted" stamp precedes its "updated" one)."""
    days: list[date] = []
    for line in lines:
        if len(re.findall(r"\w+", line)) > _STAMP_MAX_WORDS:
            continue
        times = extract_times([Sentence(index=0, text=line, start=0, end=len(line))], None)
        explicit = [t for t in times if t.precision == "day" and not t.relative]
        if not explicit:
            continue
        rest = line
        for t in times:
            rest = rest.replace(t.text, " ", 1)
        words = re.findall(r"[^\W\d_]+", rest.lower())
        if all(w in _STAMP_WORDS for w in words):
            days.append(min(t.earliest for t in explicit))
    return min(days) if days else None
