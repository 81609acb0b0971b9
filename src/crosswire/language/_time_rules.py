"""How a recognised temporal expression becomes a calendar interval: `RESOLVERS`, one rule
per kind of pattern in `_time_patterns.PATTERNS`, each reading the match in its `Context` (the
sentence, the publication date, the mentions before it). Calendar arithmetic uses dateutil.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

from crosswire.language._lexicon import MONTHS, WEEKDAYS, month_number, parse_count
from crosswire.models import Precision, TimeMention

__all__ = ["RESOLVERS", "Context", "Resolved", "future_context"]

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


def future_context(text: str, start: int) -> bool:
    """Whether the words just before position start speak of the future."""
    if re.search(r"\b(?:until|till|by)\s+(?:on\s+)?$", text[max(0, start - 12) : start], re.I):
        return True
    return bool(_FUTURE_CUE.search(text[max(0, start - 60) : start]))


# Parts of a period: (first, last) in days after Monday, days of the month, or months.
_PARTS: dict[str, dict[str, tuple[int, int]]] = {
    "week": {
        "early": (0, 2),
        "start": (0, 1),
        "beginning": (0, 1),
        "mid": (1, 3),
        "middle": (1, 3),
        "late": (3, 6),
        "end": (3, 6),
        "close": (3, 6),
    },
    "month": {
        "early": (1, 10),
        "start": (1, 10),
        "beginning": (1, 10),
        "mid": (11, 20),
        "middle": (11, 20),
        "late": (21, 31),
        "end": (21, 31),
        "close": (21, 31),
    },
    "year": {
        "early": (1, 4),
        "start": (1, 2),
        "beginning": (1, 2),
        "mid": (5, 8),
        "middle": (5, 8),
        "late": (9, 12),
        "end": (11, 12),
        "close": (11, 12),
    },
}


def _part_interval(unit: str, first: date, last: date, mod: str) -> tuple[date, date] | None:
    """Sub-interval of a week/month/year for early/mid/late/start/end/middle."""
    mod = re.sub(r"\s+", " ", mod.lower().strip("- "))
    key = mod.removeprefix("the ").removesuffix(" of")
    span = _PARTS.get(unit, {}).get(key)
    if span is None:
        return None
    a, b = span
    if unit == "week":
        return first + timedelta(days=a), first + timedelta(days=b)
    if unit == "month":
        return first.replace(day=a), first.replace(day=min(b, last.day))
    return date(first.year, a, 1), _month_end(first.year, b)


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
class Resolved:
    value: str
    earliest: date
    latest: date
    precision: Precision
    approximate: bool = False
    relative: bool = False


@dataclass
class Context:
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


def _day(d: date, *, relative: bool, approx_days: int = 0) -> Resolved:
    return Resolved(
        value=d.isoformat(),
        earliest=d - timedelta(days=approx_days),
        latest=d + timedelta(days=approx_days),
        precision="day",
        approximate=approx_days > 0,
        relative=relative,
    )


def _month(year: int, month: int, mod: str | None, *, relative: bool) -> Resolved | None:
    first, last = date(year, month, 1), _month_end(year, month)
    return _period(f"{year:04d}-{month:02d}", "month", first, last, mod, relative=relative)


def _year(year: int, mod: str | None, *, relative: bool) -> Resolved | None:
    first, last = date(year, 1, 1), date(year, 12, 31)
    return _period(f"{year:04d}", "year", first, last, mod, relative=relative)


def _period(
    value: str,
    unit: Literal["month", "year"],
    first: date,
    last: date,
    mod: str | None,
    *,
    relative: bool,
) -> Resolved | None:
    """A month or year, narrowed to the part `mod` names ("early", "the end of")."""
    approximate = False
    if mod:
        part = _part_interval(unit, first, last, mod)
        if part is None:
            return None
        first, last = part
        approximate = True
    return Resolved(value, first, last, unit, approximate, relative)


def _from_anchor(ctx: Context, days: int) -> Resolved | None:
    """The latest day-precise mention nearby, moved by days ("the next day")."""
    anchor = ctx.anchor(("day",))
    if anchor is None:
        return None
    res = _day(date.fromisoformat(anchor.value) + timedelta(days=days), relative=anchor.relative)
    res.approximate = anchor.approximate
    return res


def _on_date(ctx: Context, start: int, month: int, day: int, year: str | None) -> Resolved | None:
    """A month and day, with the year written or else the one nearest publication."""
    relative = False
    if year:
        year_no = int(year)
    elif ctx.published is not None:
        found = _closest_year(ctx.published, month, day, future_context(ctx.text, start))
        if found is None:
            return None
        year_no, relative = found, True
    else:
        return None
    d = _safe_date(year_no, month, day)
    return _day(d, relative=relative) if d else None


def _weekday_date(ctx: Context, pub: date, target: int, rel: str | None, start: int) -> date:
    rel = (rel or "").lower()
    ahead = (target - pub.weekday()) % 7 or 7
    if rel in {"next", "coming"}:
        return pub + timedelta(days=ahead)
    if rel in {"last", "past"}:
        return pub - timedelta(days=(pub.weekday() - target) % 7 or 7)
    if rel == "this":
        return _week_start(pub) + timedelta(days=target)
    if future_context(ctx.text, start):
        return pub + timedelta(days=ahead)
    return pub - timedelta(days=(pub.weekday() - target) % 7)


def _rel_day_offset(word: str) -> int:
    return {"yesterday": -1, "tomorrow": 1}.get(word.lower(), 0)


def _r_iso(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    d = _safe_date(int(g["year"]), int(g["month"]), int(g["day"]))
    return _day(d, relative=False) if d else None


def _r_numeric(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    a, b = int(g["a"]), int(g["b"])
    month, day = (b, a) if a > 12 else (a, b)  # US order unless the first cannot be a month
    year = int(g["year"])
    if len(g["year"]) == 2:
        pivot = (ctx.published.year % 100 + 5) if ctx.published else 30
        year += 2000 if year <= pivot else 1900
    d = _safe_date(year, month, day)
    return _day(d, relative=False) if d else None


def _r_month_day(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    month = month_number(g["month"])
    res = _on_date(ctx, start, month, int(g["day"]), g.get("year")) if month else None
    if res is not None and g.get("approx"):
        res = _day(res.earliest, relative=res.relative, approx_days=2)
    return res


def _r_holiday(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    month, day = _HOLIDAYS[re.sub(r"['’]", "", re.sub(r"\s+", " ", g["name"].lower()))]
    return _on_date(ctx, start, month, day, g.get("year"))


def _r_month_year(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    month = month_number(g["month"])
    return _month(int(g["year"]), month, g["mod"], relative=False) if month else None


def _r_month(ctx: Context, g: _Groups, start: int) -> Resolved | None:
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
        year = _closest_year(pub, month, None, future_context(ctx.text, start))
    return _month(year, month, g["mod"], relative=True) if year else None


def _r_year(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    return _year(int(g["year"]), g["mod"], relative=False)


def _r_short_year(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    yy = int(g["yy"])
    pivot = (ctx.published.year % 100) if ctx.published else 30
    return _year(yy + (2000 if yy <= pivot else 1900), None, relative=False)


def _r_decade(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    decade = int(g["dec"])
    if decade < 100:  # "the '80s"
        decade += 2000 if decade <= ((ctx.published.year % 100) if ctx.published else 30) else 1900
    res = Resolved(str(decade // 10), date(decade, 1, 1), date(decade + 9, 12, 31), "year")
    mod = g.get("mod")
    if mod:
        part = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}.get(mod.lower().strip("- "))
        if part is None:
            return None
        res.earliest, res.latest = date(decade + part[0], 1, 1), date(decade + part[1], 12, 31)
        res.approximate = True
    return res


def _r_quarter(ctx: Context, g: _Groups, start: int) -> Resolved | None:
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
    return Resolved(
        f"{year:04d}-{'H' if half else 'Q'}{q}",
        date(year, first_month, 1),
        _month_end(year, first_month + size - 1),
        "year",
        relative=relative,
    )


def _r_season(ctx: Context, g: _Groups, start: int) -> Resolved | None:
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
    return Resolved(
        f"{year:04d}-{code}",
        first,
        last,
        "year",
        approximate=rel in {"early", "late"},
        relative=not g.get("year"),
    )


def _r_clock(ctx: Context, g: _Groups, start: int) -> Resolved | None:
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


def _r_rel_day(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    if ctx.published is None:
        return None
    if g.get("far"):
        offset = -2 if g["far"].lower().startswith("before") else 2
    elif g.get("word"):
        offset = _rel_day_offset(g["word"])
    else:
        offset = -1 if g["this"].lower() == "last" else 0  # "last night", "this morning"
    return _day(ctx.published + timedelta(days=offset), relative=True)


def _r_ago(ctx: Context, g: _Groups, start: int) -> Resolved | None:
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


def _r_shift(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    n = _count(g["n"])
    if n is None or n != int(n):
        return None
    days = int(n) * (7 if g["unit"].lower() == "week" else 1)
    return _from_anchor(ctx, days if g["dir"].lower() == "later" else -days)


def _r_anaphor(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    which = (g.get("which") or "").lower()
    before_after = (g.get("ba") or "").lower()
    if "next" in which or "following" in which or before_after == "after":
        return _from_anchor(ctx, 1)
    if "previous" in which or "prior" in which or before_after == "before":
        return _from_anchor(ctx, -1)
    return _from_anchor(ctx, 0)


def _r_same_period(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    """ "the same period last year": the period of the latest mention, a year earlier."""
    anchor = ctx.anchor(("day", "week", "month"))
    found = re.fullmatch(r"(\d{4})(.*)", anchor.value) if anchor else None
    if anchor is None or found is None:
        return None
    return Resolved(
        f"{int(found[1]) - 1:04d}{found[2]}",
        anchor.earliest - relativedelta(years=1),
        anchor.latest - relativedelta(years=1),
        anchor.precision,
        anchor.approximate,
        anchor.relative,
    )


def _r_weekday(ctx: Context, g: _Groups, start: int) -> Resolved | None:
    if ctx.published is None:
        return None
    d = _weekday_date(ctx, ctx.published, WEEKDAYS[g["wd"].lower()], g["rel"], start)
    return _day(d, relative=True)


def _r_period(ctx: Context, g: _Groups, start: int) -> Resolved | None:
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
            shift = -1 if early and not future_context(ctx.text, start) else 0
    if unit in {"week", "weekend"}:
        monday = _week_start(base) + timedelta(weeks=shift)
        if unit == "weekend":
            saturday = monday + timedelta(days=5)
            value = f"{_week_value(monday)}-WE"
            return Resolved(value, saturday, saturday + timedelta(days=1), "week", relative=True)
        res: Resolved | None = Resolved(
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


RESOLVERS: dict[str, Callable[[Context, _Groups, int], Resolved | None]] = {
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
