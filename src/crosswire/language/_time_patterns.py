"""The grammar of temporal expressions: the pattern table `PATTERNS` (a small grammar of regexes
of our own, each with the rule that accepts or rejects a match in context) and the cheap
prefilter (`NEEDS`, `HINTS`, `possible_kinds`) that skips most patterns on most sentences.

Every pattern is a fixed sequence of literals and bounded optional parts (no nested
repetition), so matching stays linear in the input. What a match means is decided by
`_time_rules`; `times` finds the matches and resolves them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from crosswire.language._lexicon import NUMBER_WORD, WEEKDAYS, month_number
from crosswire.language.text import ANY_DIGIT, re_folded

__all__ = ["HINTS", "NEEDS", "PATTERNS", "PRIORITY", "Pattern", "possible_kinds"]

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
class Pattern:
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
) -> Pattern:
    return Pattern(kind, re.compile(pattern), accept)


_WD_PREFIX = rf"(?:(?:{_WEEKDAY}|{_WEEKDAY_ABBR}),?\s+)?"

PATTERNS: list[Pattern] = [
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

PRIORITY = {p.kind: i for i, p in enumerate(PATTERNS)}

# A literal each pattern cannot match without: one fast search skips most patterns on
# most sentences.
_MONTH_STEMS = r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
NEEDS = {
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
HINTS: dict[str, tuple[str, ...]] = {
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


_ALL_HINTS = frozenset(h for hints in HINTS.values() for h in hints if h != _DIGIT)


def possible_kinds(text: str) -> set[str]:
    """The kinds of pattern whose need `text` meets (kinds without a need are not listed)."""
    folded = re_folded(text)
    present = {hint for hint in _ALL_HINTS if hint in folded}
    if ANY_DIGIT.search(text):
        present.add(_DIGIT)
    met: dict[str, bool] = {}  # several kinds share a need (the month stems)
    possible = set()
    for kind, hints in HINTS.items():
        if present.isdisjoint(hints):
            continue
        needs = NEEDS[kind]
        if needs.pattern not in met:
            met[needs.pattern] = needs.search(text) is not None
        if met[needs.pattern]:
            possible.add(kind)
    return possible
