"""Temporal expressions in news sentences, normalised to calendar intervals.

Recognition is a small grammar of regexes of our own; calendar arithmetic uses
dateutil. Why not dateparser's ``search_dates``: on news text it reads "may",
"second" and "now" as dates, turns a bare "2024" into the publication day of
2024, and does not know "late last month", "early 2024" or "the end of the
week". Every pattern below is a fixed sequence of literals and bounded
optional parts (no nested repetition), so matching stays linear in the input.

Resolution rules (documented here because they are choices, not facts):

* A date without a year ("on October 24") takes the year, among the
  publication year and its neighbours, that puts it closest to publication; a
  bare month, season or quarter likewise by its middle. News mostly looks back,
  so a distance into the future counts double, unless the words just before
  mark the future ("will", "is due to", "should be", "until"): then a distance
  into the past does.
* A bare weekday ("on Sunday", "Wednesday") is the most recent such day on or
  before publication (news style: the past week), unless the words just before
  it say future: then the first such day after publication.
  "last Saturday" is the most recent Saturday strictly before publication,
  "next Saturday" the first after, "this Saturday" the one in the same ISO week.
* "about/around <date>" is approximate with a +/-2 day interval; "about N days
  ago" is approximate with +/-3 days; "N weeks ago" is approximate +/-3 days
  (a week is loose in speech); "N months/years ago" names the month/year.
* Parts of a period: month early 1-10, mid 11-20, late/end 21-last day;
  year early Jan-Apr, mid May-Aug, late Sep-Dec, start Jan-Feb, end Nov-Dec;
  week start Mon-Tue, early Mon-Wed, mid Tue-Thu, late/end Thu-Sun.
  "earlier this week/month/year" runs from the period's start to publication,
  "later this ..." from publication to the period's end.
* "the end/start of the week/month/year" and "the weekend" (with "the") refer
  to the period of the latest mention in this or the previous three sentences
  that is at least that fine; failing that to the current period, or the
  previous one when publication is early in it (Mon-Wed, days 1-10, Jan-Mar)
  and nothing marks the future.
* "the next day", "that day", "two days later", and a bare "the day" ("ended
  the day down 3%", not "the day of the vote") count from the latest
  day-precise mention in this or the previous three sentences; else skipped.
  "the same period last year" is the latest day/week/month mention, a year back.
* A clock time ("18:00 UTC") takes the day written next to it ("16:00 UTC
  today", "Friday at 6 p.m."), else the nearest day-precise mention of the same
  sentence, else the latest day-precise mention of the previous three sentences
  ("late yesterday ... shortly before midnight"), else - as news reports use it -
  the publication day, approximate, with the night before in its interval.
* ``precision`` is the finest calendar unit the expression fixes: a quarter,
  half-year, season or decade fixes only the year, so its precision is "year"
  while ``value`` ("2025-Q3", "2025-SU", "199") and the interval are exact.
* Vague durations ("in recent months", "the past decade", "for two years"),
  generic references ("now", "recently") and named days whose date is not
  fixed ("Black Monday") are not mentions.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta

from crosswire.language._lexicon import (
    MONTHS,
    NUMBER_WORD,
    WEEKDAYS,
    month_number,
    parse_count,
)
from crosswire.language.text import ANY_DIGIT, re_folded
from crosswire.models import Precision, Sentence, TimeMention

__all__ = ["extract_times", "find_time_spans"]

# --------------------------------------------------------------------------- grammar pieces

_MONTH_FULL = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
_MONTH_ANY = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_WEEKDAY_ABBR = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b\.?"
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w%:])"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)(?![\w%]|[.,]\d)"
_APPROX = r"(?P<approx>(?i:about|around|approximately|roughly|circa|c\.|some|nearly|almost))"
_PART = r"(?i:early|late|mid|the\s+(?:end|start|beginning|middle|close)\s+of)"
_DAYPART = r"(?i:morning|afternoon|evening|night)"
_COUNT = rf"(?<![\w-])(?:\d{{1,3}}|(?i:{NUMBER_WORD})|(?i:an?|a\s+few|a\s+couple\s+of))"
_CLOCK = (
    r"(?<![\w:.])(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s?(?i:[ap]\.m\.|[ap]m\b))?"
    r"|\d{1,2}\s?(?i:[ap]\.m\.|[ap]m\b)"
    r"|[012]\d[0-5]\d(?=\s(?:UTC|GMT)))"
    r"(?:\s?\(?(?:UTC|GMT|[A-Z]{2,4}T)(?:\s?[+-]\s?\d{1,2})?\)?)?"
    r"|(?i:noon|midnight)"
)
_CLOCK_DAY = rf"(?:{_WEEKDAY}|(?i:today|tonight|yesterday|tomorrow))"


@dataclass(frozen=True)
class _Pattern:
    kind: str
    regex: re.Pattern[str]
    accept: Callable[[str, re.Match[str]], bool] | None = None


def _prev_words(text: str, start: int, n: int = 1) -> list[str]:
    """The n words before position start (lowercased), nearest last."""
    window = text[max(0, start - 60) : start]
    words = re.findall(r"[A-Za-z][A-Za-z'’.-]*", window)
    return [w.lower() for w in words[-n:]]


def _next_word(text: str, end: int) -> str:
    found = re.match(r"\s*([A-Za-z][A-Za-z'’-]*)", text[end : end + 40])
    return found.group(1) if found else ""


_MONTH_PREPOSITIONS = {
    "in",
    "since",
    "by",
    "until",
    "till",
    "during",
    "from",
    "through",
    "to",
    "of",
    "and",
    "or",
    "between",
    "before",
    "after",
    "last",
    "this",
    "next",
    "early",
    "late",
    "mid",
    "mid-",
    "end",
    "start",
    "beginning",
    "middle",
    "on",
    "for",
    "late-",
    "early-",
}
_COUNT_NOUNS = {
    "people",
    "persons",
    "workers",
    "jobs",
    "employees",
    "staff",
    "units",
    "cars",
    "vehicles",
    "shares",
    "dealers",
    "dealerships",
    "deaths",
    "dead",
    "cases",
    "troops",
    "soldiers",
    "residents",
    "homes",
    "houses",
    "votes",
    "points",
    "members",
    "students",
    "children",
    "migrants",
    "refugees",
    "deportees",
    "flights",
    "passengers",
    "tons",
    "tonnes",
    "barrels",
    "miles",
    "kilometres",
    "kilometers",
    "km",
    "feet",
    "metres",
    "meters",
    "acres",
    "hectares",
    "dollars",
    "euros",
    "pounds",
    "yen",
    "planes",
    "aircraft",
    "ships",
    "boats",
    "vessels",
    "stores",
    "plants",
    "officers",
    "police",
    "protesters",
    "prisoners",
    "inmates",
    "victims",
    "patients",
    "households",
    "customers",
    "users",
    "copies",
    "words",
    "pages",
}
_QUANTITY_WORDS = {"than", "least", "nearly", "almost", "over", "under", "most", "some"}
_NAMED_DAY_WORDS = {"black", "cyber", "super", "good", "ash", "easter", "palm", "holy", "bloody"}


def _accept_month(text: str, m: re.Match[str]) -> bool:
    # "May" is also a modal verb and a name; a bare month needs a cue before it.
    month = m.group("month")
    has_prefix = bool(m.group("mod") or m.group("rel"))
    prev = _prev_words(text, m.start())
    prev_word = prev[-1] if prev else ""
    if month == "May" and not has_prefix and prev_word not in _MONTH_PREPOSITIONS:
        return False
    # A capitalised word right after a bare month is a name ("June Carter").
    nxt = _next_word(text, m.end())
    return not (
        not has_prefix
        and prev_word not in _MONTH_PREPOSITIONS
        and nxt[:1].isupper()
        and nxt.lower() not in WEEKDAYS
        and month_number(nxt) is None
    )


def _accept_year(text: str, m: re.Match[str]) -> bool:
    start = m.start("year")
    before = text[max(0, start - 1) : start]
    if before and (before.isalnum() or before in "$€£¥.,/#_'’"):
        return False
    if before in {"-", "–"} and not (
        m.group("mod") or re.search(r"\d{4}\s?[-–]$", text[max(0, start - 8) : start])
    ):
        return False  # "B-2000", but "mid-2024" and "2009-2011" are years
    nxt = _next_word(text, m.end())
    if nxt.lower() in _COUNT_NOUNS:
        return False
    named = re.search(r"\b([A-Z][a-z]+)\s+$", text[max(0, start - 30) : start])
    if (
        named
        and nxt[:1].isupper()
        and named[1].lower() not in _MONTH_PREPOSITIONS
        and month_number(nxt) is None
        and nxt.lower() not in WEEKDAYS
    ):
        return False  # inside a proper name: "the Russell 2000 Index", "Windows 2000 Server"
    prev = _prev_words(text, m.start())
    return not (prev and prev[-1] in _QUANTITY_WORDS and not m.group("mod"))


def _accept_weekday(text: str, m: re.Match[str]) -> bool:
    prev = _prev_words(text, m.start())
    return not (prev and prev[-1] in _NAMED_DAY_WORDS and not m.group("rel"))


def _accept_two_digit_year(text: str, m: re.Match[str]) -> bool:
    prev = _prev_words(text, m.start())
    prev_word = prev[-1] if prev else ""
    return prev_word in _MONTH_PREPOSITIONS or month_number(prev_word) is not None


def _accept_season(text: str, m: re.Match[str]) -> bool:
    if m.group("rel") or m.group("year"):
        return True
    nxt = _next_word(text, m.end())
    word = m.group("season").lower()
    if nxt[:1].isupper() and month_number(nxt) is None:
        return False  # "Winter Olympics", "Summer Palace"
    if word in {"spring", "summer", "autumn", "winter"}:
        # Bare season words name a season, except "spring" the verb ("spring into").
        return not (word == "spring" and nxt.lower() in {"up", "into", "from", "back", "to"})
    prev = _prev_words(text, m.start(), 2)
    if prev and prev[-1] == "the":
        prev = prev[:-1]  # "in the spring"
    return bool(prev) and prev[-1] in {"in", "during", "by", "until", "since", "through"}


def _accept_bare_decade(text: str, m: re.Match[str]) -> bool:
    prev = _prev_words(text, m.start())
    # "in their 70s" is an age, "the 70s" (and "the 70s and 80s") a decade.
    if m.group("apos") or (prev and prev[-1] == "the"):
        return True
    listed = re.search(
        r"\b(?:the\s+)?['’]?\d0['’]?s\s+(?:and|or|to|through)\s+$",
        text[max(0, m.start() - 30) : m.start()],
    )
    return bool(listed) and "the" in text[max(0, m.start() - 20) : m.start()].lower()


def _p(
    kind: str, pattern: str, accept: Callable[[str, re.Match[str]], bool] | None = None
) -> _Pattern:
    return _Pattern(kind, re.compile(pattern), accept)


_WD_PREFIX = rf"(?:(?:{_WEEKDAY}|{_WEEKDAY_ABBR}),?\s+)?"

_PATTERNS: list[_Pattern] = [
    _p(
        "iso",
        r"(?<![\w/.-])(?P<year>\d{4})(?P<sep>[-/])(?P<month>[01]\d)(?P=sep)(?P<day>[0-3]\d)"
        r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w/-])",
    ),
    _p(
        "numeric",
        r"(?<![\w/.,-])(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<year>\d{4}|\d{2})(?![\w/])",
    ),
    _p(
        "mdy",
        rf"{_WD_PREFIX}(?:{_APPROX}\s+)?(?P<month>{_MONTH_ANY})\s+{_DAY}(?:,?\s+{_YEAR})?",
    ),
    _p(
        "dmy",
        rf"{_WD_PREFIX}(?:{_APPROX}\s+)?(?<![\d,.$])(?:the\s+)?{_DAY}\s+(?:of\s+)?"
        rf"(?P<month>{_MONTH_ANY})(?:,?\s+{_YEAR})?",
    ),
    _p(
        "month_year",
        rf"(?:(?P<mod>{_PART})(?:\s+|-))?(?P<month>{_MONTH_ANY})(?:,|\s+of)?\s+{_YEAR}",
    ),
    _p(
        "month",
        rf"(?:(?P<mod>{_PART})(?:\s+|-))?(?:(?P<rel>(?i:last|this|next))\s+)?"
        rf"(?P<month>{_MONTH_FULL})(?![\w-])"
        r"(?:,?\s+(?:(?i:of)\s+)?(?P<yrel>(?i:last|this|next))\s+(?i:year)(?![\w-]))?",
        _accept_month,
    ),
    _p("year", rf"(?:(?P<mod>{_PART})(?:\s+|-))?{_YEAR}", _accept_year),
    _p(
        "decade",
        rf"(?:(?P<mod>{_PART})(?:\s+|-))?(?:(?i:the)\s+)?(?P<dec>1[89]\d0|20\d0)['’]?s(?!\w)",
    ),
    _p(
        "short_decade",
        r"(?<![\w$£€])(?P<apos>['’])?(?P<dec>[2-9]0)['’]?s(?!\w)",
        _accept_bare_decade,
    ),
    _p("short_year", r"(?<![\w'’])['’](?P<yy>\d\d)(?![\w'’%])", _accept_two_digit_year),
    _p(
        "quarter",
        r"(?i:(?:the\s+)?(?P<ord>first|second|third|fourth|final|1st|2nd|3rd|4th)[\s-]+quarter)"
        r"(?:\s+(?i:of)\s+(?:(?P<year>(?:1[89]|20)\d\d)(?!\d)"
        r"|(?P<rel>(?i:this|last|next|the\s+previous|the\s+current))\s+(?i:fiscal\s+)?(?i:year)))?",
    ),
    _p(
        "quarter_rel",
        r"(?i:(?P<rel>last|this|next|the\s+last|the\s+previous|the\s+past|the\s+current)\s+quarter)"
        r"(?![\w-])",
    ),
    _p(
        "quarter_code",
        r"(?<![\w-])(?:Q(?P<q>[1-4])\s+(?P<year>(?:19|20)\d\d)|(?P<year2>(?:19|20)\d\d)\s+Q(?P<q2>[1-4]))"
        r"(?!\w)",
    ),
    _p(
        "half",
        r"(?i:(?:the\s+)?(?P<ord>first|second)\s+(?P<half>half)\s+of\s+)"
        r"(?:(?P<year>(?:1[89]|20)\d\d)(?!\d)|(?P<rel>(?i:this|last|next))\s+(?i:year))",
    ),
    _p(
        "season",
        r"(?:(?P<rel>(?i:this|last|next|early|late))\s+)?"
        r"(?P<season>(?i:spring|summer|autumn|winter)|[Ff]all)(?:\s+(?:of\s+)?"
        r"(?P<year>(?:1[89]|20)\d\d)(?!\d))?(?![\w-])",
        _accept_season,
    ),
    _p(
        "holiday",
        r"(?P<name>Christmas\s+(?:Day|Eve)|New\s+Year['’]?s\s+(?:Day|Eve))"
        r"(?:,?\s+(?P<year>(?:1[89]|20)\d\d)(?!\d))?",
    ),
    _p(
        "clock",
        rf"(?:(?P<day1>{_CLOCK_DAY})(?:,?\s+(?i:at))?\s+)?(?P<clock>{_CLOCK})"
        # A weekday that opens a full date ("midnight on Wednesday, March 11") is left to
        # the date patterns.
        rf"(?:,?\s+(?:(?i:on|of)\s+)?(?P<day2>{_CLOCK_DAY})(?!\w)(?!,?\s+(?:{_MONTH_ANY}|\d)))?",
    ),
    _p(
        "rel_day",
        r"(?:(?P<mod>(?i:earlier|later|late|early))\s+)?"
        r"(?P<word>(?i:today|tonight|yesterday|tomorrow))(?:\s+(?P<part>" + _DAYPART + r"))?(?!\w)"
        r"|(?P<this>(?i:this|last))\s+(?P<part2>" + _DAYPART + r")(?!\w)"
        r"|(?i:the\s+day\s+(?P<far>before\s+yesterday|after\s+tomorrow))(?!\w)",
    ),
    _p(
        "ago",
        rf"(?:(?P<approx>(?i:about|around|roughly|approximately|some|nearly|almost|"
        rf"more\s+than|over|less\s+than|just\s+over|just\s+under|only))\s+)?"
        rf"(?P<n>{_COUNT})\s+(?P<unit>(?i:day|week|month|year|decade|fortnight))s?\s+(?i:ago)(?!\w)",
    ),
    _p(
        "shift",
        rf"(?P<n>{_COUNT})\s+(?P<unit>(?i:day|week))s?\s+(?P<dir>(?i:later|earlier))"
        rf"(?=\s*(?:[,.;:)]|$))",
    ),
    _p(
        "rel_unit",
        rf"(?:(?P<mod>(?i:earlier|later)|{_PART})(?:\s+|-))?"
        rf"(?P<rel>(?i:last|this|next|previous|current|the\s+previous|the\s+current))\s+"
        rf"(?P<unit>(?i:week|weekend|month|year))(?![\w-])",
    ),
    _p(
        "part_of",
        r"(?P<mod>(?i:the\s+(?:end|start|beginning|middle|close)\s+of))\s+"
        r"(?i:the|that)\s+(?P<unit>(?i:week|month|year))(?![\w-])",
    ),
    _p("weekend", r"(?i:the|that)\s+(?P<unit>(?i:weekend))(?![\w-])"),
    _p(
        "weekday",
        rf"(?:(?P<mod>(?i:early|late))\s+)?(?:(?P<rel>(?i:last|this|next|past|coming))\s+)?"
        rf"(?P<wd>{_WEEKDAY})(?!\w)(?:\s+(?P<part>{_DAYPART})(?!\w))?",
        _accept_weekday,
    ),
    _p(
        "anaphor",
        r"(?P<which>(?i:the\s+(?:next|following|previous|prior|same)|that(?:\s+same)?))"
        r"\s+(?i:day|morning|evening|night)(?!\w)"
        r"|(?i:the\s+day\s+(?P<ba>before|after))(?=\s*(?:[,.;:)]|$))"
        # "ended the day down 3%": the day of the latest dated mention; not "the day of
        # the vote" or "the day when...", which an event anchors.
        r"|(?<![\w-])(?P<bare>(?i:the))\s+(?i:day)(?![\w-])"
        r"(?!\s+(?i:of|when|that|which|before|after|on|in|it|he|she|they|we|I|you)\b)",
    ),
    _p(
        "same_period",
        r"(?i:the\s+same\s+(?:period|month|quarter|week|day|time)\s+(?:(?:of\s+)?last\s+year"
        r"|a\s+year\s+(?:ago|earlier|before)|(?:of\s+)?the\s+previous\s+year))(?![\w-])",
    ),
]

_PRIORITY = {p.kind: i for i, p in enumerate(_PATTERNS)}

# A literal each pattern cannot match without: one fast search skips most patterns on
# most sentences.
_MONTH_STEMS = r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_NEEDS = {
    kind: re.compile(needs)
    for kind, needs in {
        "iso": r"\d[-/][01]\d[-/]",
        "numeric": r"\d/\d",
        "mdy": _MONTH_STEMS,
        "dmy": _MONTH_STEMS,
        "month_year": _MONTH_STEMS,
        "month": _MONTH_STEMS,
        "year": r"(?:1[89]|20)\d\d",
        "decade": r"0['’]?s",
        "short_decade": r"0['’]?s",
        "short_year": r"['’]\d",
        "quarter": r"(?i:quarter)",
        "quarter_rel": r"(?i:quarter)",
        "quarter_code": r"Q[1-4]",
        "half": r"(?i:half)",
        "season": r"(?i:spring|summer|autumn|winter|fall)",
        "holiday": r"Christmas|New\s+Year",
        "clock": r"\d:\d|\d\s?(?i:[ap]\.?m)|(?i:noon|midnight)|\d\s(?:UTC|GMT)",
        "rel_day": r"(?i:today|tonight|yesterday|tomorrow|morning|afternoon|evening|night)",
        "ago": r"(?i:ago)",
        "shift": r"(?i:later|earlier)",
        "rel_unit": r"(?i:week|month|year)",
        "part_of": r"(?i:week|month|year)",
        "weekend": r"(?i:weekend)",
        "weekday": r"day",
        "anaphor": r"(?i:day|morning|evening|night)",
        "same_period": r"(?i:same)",
    }.items()
}

# Even those searches cost more than the patterns (0.17 of 0.21 s on the language bench's
# 3,338 sentences): re tries an unanchored case-insensitive alternation at every position.
# So each need first takes a cheaper necessary condition: one of these lower-case substrings
# in `re_folded(text)`, or (_DIGIT) any digit; only then does its search decide.
_DIGIT = "0-9"
_MONTH_HINTS = tuple(_MONTH_STEMS.lower().split("|"))
_HINTS: dict[str, tuple[str, ...]] = {
    "iso": (_DIGIT,),
    "numeric": (_DIGIT,),
    "mdy": _MONTH_HINTS,
    "dmy": _MONTH_HINTS,
    "month_year": _MONTH_HINTS,
    "month": _MONTH_HINTS,
    "year": (_DIGIT,),
    "decade": ("0",),
    "short_decade": ("0",),
    "short_year": ("'", "’"),
    "quarter": ("quarter",),
    "quarter_rel": ("quarter",),
    "quarter_code": ("q",),
    "half": ("half",),
    "season": ("spring", "summer", "autumn", "winter", "fall"),
    "holiday": ("christmas", "new"),
    "clock": (_DIGIT, "noon", "midnight"),
    "rel_day": (
        "today",
        "tonight",
        "yesterday",
        "tomorrow",
        "morning",
        "afternoon",
        "evening",
        "night",
    ),
    "ago": ("ago",),
    "shift": ("later", "earlier"),
    "rel_unit": ("week", "month", "year"),
    "part_of": ("week", "month", "year"),
    "weekend": ("weekend",),
    "weekday": ("day",),
    "anaphor": ("day", "morning", "evening", "night"),
    "same_period": ("same",),
}


_ALL_HINTS = frozenset(h for hints in _HINTS.values() for h in hints if h != _DIGIT)


def _possible(text: str) -> set[str]:
    """The kinds of pattern whose need `text` meets (kinds without a need are not listed)."""
    folded = re_folded(text)
    present = {hint for hint in _ALL_HINTS if hint in folded}
    if ANY_DIGIT.search(text):
        present.add(_DIGIT)
    met: dict[str, bool] = {}  # several kinds share a need (the month stems)
    possible = set()
    for kind, hints in _HINTS.items():
        if present.isdisjoint(hints):
            continue
        needs = _NEEDS[kind]
        if needs.pattern not in met:
            met[needs.pattern] = needs.search(text) is not None
        if met[needs.pattern]:
            possible.add(kind)
    return possible


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    pattern: _Pattern
    match: re.Match[str]


@lru_cache(maxsize=4096)  # numbers.py masks dates with the same search, just before
def _candidates(text: str) -> tuple[_Candidate, ...]:
    """Non-overlapping recognised expressions, longest first, in text order."""
    found: list[_Candidate] = []
    possible = _possible(text)
    for pattern in _PATTERNS:
        if pattern.kind in _NEEDS and pattern.kind not in possible:
            continue
        for m in pattern.regex.finditer(text):
            if m.end() == m.start():
                continue
            if pattern.accept is not None and not pattern.accept(text, m):
                continue
            found.append(_Candidate(m.start(), m.end(), pattern, m))
    found.sort(key=lambda c: (c.start - c.end, _PRIORITY[c.pattern.kind], c.start))
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


# --------------------------------------------------------------------------- calendar helpers


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _week_value(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _closest_year(pub: date, month: int, day: int | None, future: bool = False) -> int | None:
    """The year (publication year +/-1) that puts month/day closest to publication.

    News reports mostly look back, so a distance into the future counts double, unless the
    words before the expression mark the future; then a distance into the past does.
    """
    best: tuple[int, int] | None = None
    for year in (pub.year - 1, pub.year, pub.year + 1):
        anchor = _safe_date(year, month, day if day is not None else 15)
        if anchor is None:
            continue
        days = (anchor - pub).days
        distance = abs(days) * (2 if (days > 0) != future and days != 0 else 1)
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None


_FUTURE_CUE = re.compile(
    r"\b(?:will|won['’]t|shall|is\s+(?:due|set|scheduled|expected|going|slated)\s+to"
    r"|are\s+(?:due|set|scheduled|expected|going|slated)\s+to|plans?\s+to|planning\s+to"
    r"|is\s+to|are\s+to|upcoming|should\s+be)\b|['’]ll\b",
    re.IGNORECASE,
)


def _future_context(text: str, start: int) -> bool:
    """Whether the words just before position start speak of the future."""
    if re.search(r"\b(?:until|till|by)\s+(?:on\s+)?$", text[max(0, start - 12) : start], re.I):
        return True
    return bool(_FUTURE_CUE.search(text[max(0, start - 60) : start]))


def _part_interval(unit: str, first: date, last: date, mod: str) -> tuple[date, date] | None:
    """Sub-interval of a week/month/year for early/mid/late/start/end/middle."""
    mod = re.sub(r"\s+", " ", mod.lower().strip("- "))
    key = mod.removeprefix("the ").removesuffix(" of")
    if unit == "week":
        spans = {
            "early": (0, 2),
            "start": (0, 1),
            "beginning": (0, 1),
            "mid": (1, 3),
            "middle": (1, 3),
            "late": (3, 6),
            "end": (3, 6),
            "close": (3, 6),
        }
        if key not in spans:
            return None
        a, b = spans[key]
        return first + timedelta(days=a), first + timedelta(days=b)
    if unit == "month":
        ranges = {
            "early": (1, 10),
            "start": (1, 10),
            "beginning": (1, 10),
            "mid": (11, 20),
            "middle": (11, 20),
            "late": (21, 31),
            "end": (21, 31),
            "close": (21, 31),
        }
        if key not in ranges:
            return None
        a, b = ranges[key]
        return first.replace(day=a), first.replace(day=min(b, last.day))
    if unit == "year":
        months = {
            "early": (1, 4),
            "start": (1, 2),
            "beginning": (1, 2),
            "mid": (5, 8),
            "middle": (5, 8),
            "late": (9, 12),
            "end": (11, 12),
            "close": (11, 12),
        }
        if key not in months:
            return None
        a, b = months[key]
        return date(first.year, a, 1), _month_end(first.year, b)
    return None


_SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "autumn": ("FA", 9), "fall": ("FA", 9)}
_SEASONS["winter"] = ("WI", 12)
_HOLIDAYS = {"christmas day": (12, 25), "christmas eve": (12, 24)}
_HOLIDAYS |= {"new years day": (1, 1), "new years eve": (12, 31)}
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "final": 4,
}
_VAGUE_COUNTS = {"a few": 3.0, "a couple of": 2.0, "a": 1.0, "an": 1.0}


# --------------------------------------------------------------------------- resolution


# A match's named groups; Any because which groups exist depends on the pattern.
_Groups = dict[str, Any]


@dataclass
class _Resolved:
    value: str
    earliest: date
    latest: date
    precision: Precision
    approximate: bool = False
    relative: bool = False


@dataclass
class _Context:
    text: str
    sentence: int
    published: date | None
    history: list[TimeMention] = field(default_factory=list)
    days_here: list[tuple[int, TimeMention]] = field(default_factory=list)
    """Day-precise mentions of this sentence other than clock times, by start offset."""

    def anchor(self, finest: tuple[str, ...]) -> TimeMention | None:
        """Latest mention in this or the previous three sentences with one of these precisions."""
        # Only the last few mentions: enough for news prose, and linear on any input.
        for mention in reversed(self.history[-12:]):
            if self.sentence - mention.sentence > 3:
                return None
            if mention.precision in finest:
                return mention
        return None


def _day(d: date, *, relative: bool, approx_days: int = 0) -> _Resolved:
    return _Resolved(
        value=d.isoformat(),
        earliest=d - timedelta(days=approx_days),
        latest=d + timedelta(days=approx_days),
        precision="day",
        approximate=approx_days > 0,
        relative=relative,
    )


def _month(year: int, month: int, mod: str | None, *, relative: bool) -> _Resolved | None:
    first, last = date(year, month, 1), _month_end(year, month)
    approximate = False
    if mod:
        part = _part_interval("month", first, last, mod)
        if part is None:
            return None
        first, last = part
        approximate = True
    return _Resolved(f"{year:04d}-{month:02d}", first, last, "month", approximate, relative)


def _year(year: int, mod: str | None, *, relative: bool) -> _Resolved | None:
    first, last = date(year, 1, 1), date(year, 12, 31)
    approximate = False
    if mod:
        part = _part_interval("year", first, last, mod)
        if part is None:
            return None
        first, last = part
        approximate = True
    return _Resolved(f"{year:04d}", first, last, "year", approximate, relative)


def _from_anchor(ctx: _Context, days: int) -> _Resolved | None:
    """The latest day-precise mention nearby, moved by days ("the next day")."""
    anchor = ctx.anchor(("day",))
    if anchor is None:
        return None
    res = _day(date.fromisoformat(anchor.value) + timedelta(days=days), relative=anchor.relative)
    res.approximate = anchor.approximate
    return res


def _on_date(ctx: _Context, start: int, month: int, day: int, year: str | None) -> _Resolved | None:
    """A month and day, with the year written or else the one nearest publication."""
    relative = False
    if year:
        year_no = int(year)
    elif ctx.published is not None:
        found = _closest_year(ctx.published, month, day, _future_context(ctx.text, start))
        if found is None:
            return None
        year_no, relative = found, True
    else:
        return None
    d = _safe_date(year_no, month, day)
    return _day(d, relative=relative) if d else None


def _weekday_date(ctx: _Context, pub: date, target: int, rel: str | None, start: int) -> date:
    rel = (rel or "").lower()
    ahead = (target - pub.weekday()) % 7 or 7
    if rel in {"next", "coming"}:
        return pub + timedelta(days=ahead)
    if rel in {"last", "past"}:
        return pub - timedelta(days=(pub.weekday() - target) % 7 or 7)
    if rel == "this":
        return _week_start(pub) + timedelta(days=target)
    if _future_context(ctx.text, start):
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=(pub.weekday() - target) % 7)


def _rel_day_offset(word: str) -> int:
    return {"yesterday": -1, "tomorrow": 1}.get(word.lower(), 0)


def _r_iso(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    d = _safe_date(int(g["year"]), int(g["month"]), int(g["day"]))
    return _day(d, relative=False) if d else None


def _r_numeric(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    a, b = int(g["a"]), int(g["b"])
    month, day = (b, a) if a > 12 else (a, b)  # US order unless the first cannot be a month
    year = int(g["year"])
    if len(g["year"]) == 2:
        pivot = (ctx.published.year % 100 + 5) if ctx.published else 30
        year += 2000 if year <= pivot else 1900
    d = _safe_date(year, month, day)
    return _day(d, relative=False) if d else None


def _r_month_day(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    month = month_number(g["month"])
    res = _on_date(ctx, start, month, int(g["day"]), g.get("year")) if month else None
    if res is not None and g.get("approx"):
        res = _day(res.earliest, relative=res.relative, approx_days=2)
    return res


def _r_holiday(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    month, day = _HOLIDAYS[re.sub(r"['’]", "", re.sub(r"\s+", " ", g["name"].lower()))]
    return _on_date(ctx, start, month, day, g.get("year"))


def _r_month_year(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    month = month_number(g["month"])
    return _month(int(g["year"]), month, g["mod"], relative=False) if month else None


def _r_month(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    pub = ctx.published
    if pub is None:
        return None
    month = MONTHS[g["month"].lower()]
    rel = (g["rel"] or "").lower()
    if g["yrel"]:  # "October of next year"
        year: int | None = pub.year + {"last": -1, "next": 1}.get(g["yrel"].lower(), 0)
    elif rel == "last":
        year = pub.year if month < pub.month else pub.year - 1
    elif rel == "next":
        year = pub.year if month > pub.month else pub.year + 1
    elif rel == "this":
        year = pub.year
    else:
        year = _closest_year(pub, month, None, _future_context(ctx.text, start))
    return _month(year, month, g["mod"], relative=True) if year else None


def _r_year(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    return _year(int(g["year"]), g["mod"], relative=False)


def _r_short_year(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    yy = int(g["yy"])
    pivot = (ctx.published.year % 100) if ctx.published else 30
    return _year(yy + (2000 if yy <= pivot else 1900), None, relative=False)


def _r_decade(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    decade = int(g["dec"])
    if decade < 100:  # "the '80s"
        decade += 2000 if decade <= ((ctx.published.year % 100) if ctx.published else 30) else 1900
    res = _Resolved(str(decade // 10), date(decade, 1, 1), date(decade + 9, 12, 31), "year")
    mod = g.get("mod")
    if mod:
        part = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}.get(mod.lower().strip("- "))
        if part is None:
            return None
        res.earliest, res.latest = date(decade + part[0], 1, 1), date(decade + part[1], 12, 31)
        res.approximate = True
    return res


def _r_quarter(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    """Quarters and halves: "the third quarter of 2009", "Q3 2024", "last quarter"."""
    pub = ctx.published
    half = g.get("half") is not None
    if g.get("q") or g.get("q2"):
        q = int(g.get("q") or g.get("q2") or 0)
        year_text = g.get("year") or g.get("year2")
    elif g.get("ord"):
        q = _ORDINALS[g["ord"].lower()]
        year_text = g.get("year")
    else:
        q, year_text = 0, None  # "last quarter": counted from publication below
    size = 6 if half else 3
    if half and q > 2:
        return None
    rel = re.sub(r"\s+", " ", (g.get("rel") or "").lower()).removeprefix("the ")
    relative = True
    if year_text:
        year, relative = int(year_text), False
    elif pub is None:
        return None
    elif q == 0:
        shift = {"this": 0, "current": 0, "next": 1}.get(rel, -1)
        year, index = divmod(pub.year * 4 + (pub.month - 1) // 3 + shift, 4)
        q = index + 1
    elif rel:
        year = pub.year + {"last": -1, "previous": -1, "next": 1}.get(rel, 0)
    else:
        # The year whose quarter has its middle nearest publication.
        found = _closest_year(pub, (q - 1) * size + size // 2 + 1, 1)
        if found is None:
            return None
        year = found
    first_month = (q - 1) * size + 1
    return _Resolved(
        f"{year:04d}-{'H' if half else 'Q'}{q}",
        date(year, first_month, 1),
        _month_end(year, first_month + size - 1),
        "year",
        relative=relative,
    )


def _r_season(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    pub = ctx.published
    code, first_month = _SEASONS[g["season"].lower()]
    rel = (g.get("rel") or "").lower()
    if g.get("year"):
        year: int | None = int(g["year"])
    elif pub is None:
        return None
    elif rel == "this":
        year = pub.year
    elif rel == "last":
        year = pub.year - 1 if first_month + 2 >= pub.month else pub.year
    elif rel == "next":
        year = pub.year + 1 if first_month <= pub.month else pub.year
    else:
        year = _closest_year(pub, first_month, 15)
    if year is None:
        return None
    first = date(year, first_month, 1)
    last = first + relativedelta(months=3) - timedelta(days=1)
    if rel == "early":
        last = first + relativedelta(months=1) - timedelta(days=1)
    elif rel == "late":
        first = first + relativedelta(months=2)
    return _Resolved(
        f"{year:04d}-{code}",
        first,
        last,
        "year",
        approximate=rel in {"early", "late"},
        relative=not g.get("year"),
    )


def _r_clock(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    day_word = g.get("day1") or g.get("day2")
    pub = ctx.published
    if day_word:
        if pub is None:
            return None
        key = day_word.lower()
        if key in WEEKDAYS:
            return _day(_weekday_date(ctx, pub, WEEKDAYS[key], None, start), relative=True)
        return _day(pub + timedelta(days=_rel_day_offset(key)), relative=True)
    # Alone, a clock time belongs to the nearest day written in the same sentence, else to
    # the day the previous sentences were about ("late yesterday ... The fire began shortly
    # before midnight"), else (news style) to the day of publication or the night before.
    if ctx.days_here:
        k = bisect.bisect_left(ctx.days_here, start, key=lambda pair: pair[0])
        near = ctx.days_here[max(0, k - 1) : k + 1]
        nearest = min(near, key=lambda pair: abs(pair[0] - start))[1]
        return _day(date.fromisoformat(nearest.value), relative=nearest.relative)
    anchored = _from_anchor(ctx, 0)
    if anchored is not None:
        return anchored
    if pub is None:
        return None
    res = _day(pub, relative=True)
    res.earliest -= timedelta(days=1)
    res.approximate = True
    return res


def _r_rel_day(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    if ctx.published is None:
        return None
    if g.get("far"):
        offset = -2 if g["far"].lower().startswith("before") else 2
    elif g.get("word"):
        offset = _rel_day_offset(g["word"])
    else:
        offset = -1 if g["this"].lower() == "last" else 0  # "last night", "this morning"
    return _day(ctx.published + timedelta(days=offset), relative=True)


def _r_ago(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    pub = ctx.published
    n = _count(g["n"])
    if pub is None or n is None or n <= 0 or n != int(n):
        return None
    k = int(n)
    approx = bool(g["approx"]) or g["n"].lower().startswith(("a few", "a couple"))
    unit = g["unit"].lower()
    if unit == "day":
        return _day(pub - timedelta(days=k), relative=True, approx_days=3 if approx else 0)
    if unit in {"week", "fortnight"}:
        days = 7 * k * (2 if unit == "fortnight" else 1)
        return _day(pub - timedelta(days=days), relative=True, approx_days=3)
    if unit == "month":
        target = pub - relativedelta(months=k)
        res = _month(target.year, target.month, None, relative=True)
    else:
        years = k * (10 if unit == "decade" else 1)
        res = _year(pub.year - years, None, relative=True)
        if res is not None and unit == "decade":
            res.earliest = date(pub.year - years - 2, 1, 1)
            res.latest = date(pub.year - years + 2, 12, 31)
            approx = True
    if res is not None:
        res.approximate = approx
    return res


def _r_shift(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    n = _count(g["n"])
    if n is None or n != int(n):
        return None
    days = int(n) * (7 if g["unit"].lower() == "week" else 1)
    return _from_anchor(ctx, days if g["dir"].lower() == "later" else -days)


def _r_anaphor(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    which = (g.get("which") or "").lower()
    before_after = (g.get("ba") or "").lower()
    if "next" in which or "following" in which or before_after == "after":
        return _from_anchor(ctx, 1)
    if "previous" in which or "prior" in which or before_after == "before":
        return _from_anchor(ctx, -1)
    return _from_anchor(ctx, 0)


def _r_same_period(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    """ "the same period last year": the period of the latest mention, a year earlier."""
    anchor = ctx.anchor(("day", "week", "month"))
    found = re.fullmatch(r"(\d{4})(.*)", anchor.value) if anchor else None
    if anchor is None or found is None:
        return None
    return _Resolved(
        f"{int(found[1]) - 1:04d}{found[2]}",
        anchor.earliest - relativedelta(years=1),
        anchor.latest - relativedelta(years=1),
        anchor.precision,
        anchor.approximate,
        anchor.relative,
    )


def _r_weekday(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    if ctx.published is None:
        return None
    d = _weekday_date(ctx, ctx.published, WEEKDAYS[g["wd"].lower()], g["rel"], start)
    return _day(d, relative=True)


def _r_period(ctx: _Context, g: _Groups, start: int) -> _Resolved | None:
    """Weeks, weekends, months and years named from publication or a nearby mention."""
    pub = ctx.published
    if pub is None:
        return None
    unit = g["unit"].lower()
    rel = re.sub(r"\s+", " ", (g.get("rel") or "").lower()).removeprefix("the ")
    mod = (g.get("mod") or "").lower()
    shift = {"last": -1, "previous": -1, "next": 1}.get(rel, 0)
    base = pub
    if not rel:
        # "the end of the week", "the weekend": the period of a recent mention, else the
        # current one (the previous one early in the period, unless future is meant).
        finer = {
            "week": ("day", "week"),
            "weekend": ("day", "week"),
            "month": ("day", "week", "month"),
        }
        anchor = ctx.anchor(finer.get(unit, ("day", "week", "month", "year")))
        if anchor is not None:
            base = anchor.earliest
        else:
            early = {
                "week": pub.weekday() <= 2,
                "weekend": pub.weekday() <= 3,
                "month": pub.day <= 10,
                "year": pub.month <= 3,
            }[unit]
            shift = -1 if early and not _future_context(ctx.text, start) else 0
    if unit in {"week", "weekend"}:
        monday = _week_start(base) + timedelta(weeks=shift)
        if unit == "weekend":
            saturday = monday + timedelta(days=5)
            value = f"{_week_value(monday)}-WE"
            return _Resolved(value, saturday, saturday + timedelta(days=1), "week", relative=True)
        res: _Resolved | None = _Resolved(
            _week_value(monday), monday, monday + timedelta(days=6), "week", relative=True
        )
    elif unit == "month":
        first = base.replace(day=1) + relativedelta(months=shift)
        res = _month(first.year, first.month, None, relative=True)
    else:
        res = _year(base.year + shift, None, relative=True)
    if res is None or not mod:
        return res
    if mod in {"earlier", "later"}:
        if shift != 0:
            return None  # "earlier last week" is not an expression
        if mod == "earlier":
            res.latest = min(res.latest, pub)
        else:
            res.earliest = max(res.earliest, pub)
        return res
    part = _part_interval(unit, res.earliest, res.latest, mod)
    if part is None:
        return None
    res.earliest, res.latest = part
    res.approximate = True
    return res


_RESOLVERS: dict[str, Callable[[_Context, _Groups, int], _Resolved | None]] = {
    "iso": _r_iso,
    "numeric": _r_numeric,
    "mdy": _r_month_day,
    "dmy": _r_month_day,
    "month_year": _r_month_year,
    "month": _r_month,
    "year": _r_year,
    "decade": _r_decade,
    "short_decade": _r_decade,
    "short_year": _r_short_year,
    "quarter": _r_quarter,
    "quarter_rel": _r_quarter,
    "quarter_code": _r_quarter,
    "half": _r_quarter,
    "season": _r_season,
    "holiday": _r_holiday,
    "clock": _r_clock,
    "rel_day": _r_rel_day,
    "ago": _r_ago,
    "shift": _r_shift,
    "rel_unit": _r_period,
    "part_of": _r_period,
    "weekend": _r_period,
    "weekday": _r_weekday,
    "anaphor": _r_anaphor,
    "same_period": _r_same_period,
}


def _count(text: str) -> float | None:
    key = re.sub(r"\s+", " ", text.lower().strip())
    if key in _VAGUE_COUNTS:
        return _VAGUE_COUNTS[key]
    return parse_count(text)


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
        ctx = _Context(sentence.text, sentence.index, published, history)
        first = len(history)
        # Clock times lean on the other day mentions of the sentence: resolve them last.
        candidates = _candidates(sentence.text)
        for cand in sorted(candidates, key=lambda c: c.pattern.kind == "clock"):
            try:
                res = _RESOLVERS[cand.pattern.kind](ctx, cand.match.groupdict(), cand.start)
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
