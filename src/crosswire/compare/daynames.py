"""Date conflicts between articles that carry no publication date: "on Thursday" against "on
Friday", "November 18" against "November 19", for one happening.

Without a date to resolve against, such names date nothing to the calendar (the language stage
leaves them out of an article's times), but two outlets naming different days for the same
happening still contradict each other: wire reports of one event name the days of its own
week ("the attack on Thursday"), and a month and day name one day of the event's year.
A weekday is compared only with a weekday and a month-day only with a month-day.

Precision comes first: at least one of the two articles is undated (two dated articles'
days are resolved and compared as dates); the two sentences tell the same claim; each
sentence names one day of that kind only (with two, which one dates the happening is not
known); a day named as the time of saying ("a naval officer said Friday") dates the report,
not the happening, and is left out; neighbouring days either of which is worded loosely
("Monday night" and "early Tuesday") may meet around midnight and do not conflict; the
sentences share a word of what happened besides names (they can be close through the names
alone: "police identified Jane Doe on Thursday" and "Jane Doe was killed Wednesday night"
tell two happenings); and neither article names the other's day for that happening itself
(then it tells two happenings, or is inconsistent in itself: not two outlets disagreeing).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from crosswire.compare.matching import StoryContext, components, short_id
from crosswire.language.quotes import SPEECH_VERBS
from crosswire.language.times import DayName, day_names
from crosswire.models import Conflict, ConflictValue

__all__ = ["day_name_conflicts", "said_on"]

_WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_IRREGULAR = {"said", "says", "told", "tells", "wrote", "writes"}
_FILLER = {"here", "on", "late", "early", "this", "that", "in", "a", "statement"}
_WORD = re.compile(r"[A-Za-z]+")
# Words every report of a crime or accident shares whatever happened on the day
_GENERIC = {"police", "said", "says", "told", "according", "officials", "people", "year", "years"}
_GENERIC |= {"morning", "afternoon", "evening", "night", "there", "their", "about", "after"}
_GENERIC |= {"were", "when", "where", "which", "that", "this", "with", "from", "have", "been"}


def _happening_words(text: str) -> set[str]:
    """Lower-case words of four letters or more, cut to five (a rough stem: "attack",
    "attacked"), less `_GENERIC`: what a sentence says happened, its names left out."""
    return {
        w.lower()[:5]
        for w in _WORD.findall(text)
        if len(w) >= 4 and w.islower() and w.lower() not in _GENERIC
    }


def said_on(text: str, start: int) -> bool:
    """Whether the day named at `start` dates an act of saying: a speech verb right before it,
    filler words aside ("said here Friday", "announced on Friday")."""
    for word in reversed(_WORD.findall(text[max(0, start - 40) : start])[-4:]):
        low = word.lower()
        if low in _IRREGULAR or low.removesuffix("d") in SPEECH_VERBS:
            return True
        if low.removesuffix("ed") in SPEECH_VERBS or low.removesuffix("s") in SPEECH_VERBS:
            return True
        if low not in _FILLER:
            return False
    return False


def _next_day(a: str, b: str) -> bool:
    """Whether day `b` is the day after day `a` (weekdays, or month-days of a leap year)."""
    if a.isalpha():
        return (_WEEK.index(b) - _WEEK.index(a)) % 7 == 1
    x, y = (dt.date.fromisoformat(f"2024-{k}") for k in (a, b))
    return (y - x).days == 1


def _overlap(x: DayName, y: DayName) -> bool:
    """Whether two named days may name one time: neighbouring days either of which is worded
    loosely ("Monday night" and "early Tuesday" meet around midnight)."""
    return (x.loose or y.loose) and (_next_day(x.key, y.key) or _next_day(y.key, x.key))


def _kind(name: DayName) -> str:
    return "weekday" if name.key.isalpha() else "month-day"


def day_name_conflicts(ctx: StoryContext) -> list[Conflict]:
    """Conflicts of days named by undated articles for one happening, one per group."""
    undated = {a for a in ctx.analyses if ctx.articles[a].published is None}
    if not undated:
        return []  # dated articles' days are resolved and compared as dates
    mentions: list[tuple[str, int, DayName]] = []
    named: list[tuple[str, int, DayName]] = []  # every day each article names, as told
    for aid in ctx.analyses:
        for sentence in ctx.analyses[aid].sentences:
            names = [n for n in day_names(sentence.text) if not said_on(sentence.text, n.start)]
            named.extend((aid, sentence.index, n) for n in names)
            for kind in ("weekday", "month-day"):
                of_kind = [n for n in names if _kind(n) == kind]
                if len({n.key for n in of_kind}) == 1:
                    mentions.append((aid, sentence.index, of_kind[0]))
    needed = ctx.options.claim_threshold * 0.9

    def also_tells(aid: str, key: str, other: tuple[str, int]) -> bool:
        """Whether article `aid` itself names day `key` for the happening `other` tells."""
        return any(
            a == aid and n.key == key and ctx.sentence_sim((a, s), other) >= needed
            for a, s, n in named
        )

    edges: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, j in sorted(set(ctx.candidate_mention_pairs([(a, s) for a, s, _ in mentions]))):
        (ai, si, ni), (aj, sj, nj) = mentions[i], mentions[j]
        if ctx.outlet[ai] == ctx.outlet[aj] or _kind(ni) != _kind(nj) or ni.key == nj.key:
            continue
        if _overlap(ni, nj):
            continue
        if ai not in undated and aj not in undated:
            continue  # both resolved: the date conflicts compare them
        if ctx.sentence_sim((ai, si), (aj, sj)) < needed:
            continue
        if not _happening_words(ctx.text(ai, si)) & _happening_words(ctx.text(aj, sj)):
            continue
        if also_tells(ai, nj.key, (aj, sj)) or also_tells(aj, ni.key, (ai, si)):
            continue  # one article gives both days for it: not two outlets disagreeing
        edges[_kind(ni)].append((i, j))
    conflicts = []
    for kind, pairs in sorted(edges.items()):
        for comp in components(len(mentions), pairs):
            values: dict[str, ConflictValue] = {}
            for k in sorted(comp, key=lambda k: (mentions[k][2].key, mentions[k][0])):
                aid, index, name = mentions[k]
                cv = values.setdefault(
                    name.key,
                    ConflictValue(
                        value=name.text, normalized=name.key, article_ids=[], evidence=[]
                    ),
                )
                if name.text.lower() not in [w.lower() for w in cv.value.split("; ")]:
                    cv.value = f"{cv.value}; {name.text}"
                if aid not in cv.article_ids:
                    cv.article_ids.append(aid)
                    cv.evidence.append(ctx.text(aid, index))
            sides = list(values.values())
            first = mentions[comp[0]]
            words = ctx.text(first[0], first[1]).split()
            conflicts.append(
                Conflict(
                    id=short_id("c", "date", *sorted(f"{v.normalized}|{v.value}" for v in sides)),
                    kind="date",
                    subject=" ".join(words[:14]) + (" …" if len(words) > 14 else ""),
                    values=sides,
                    severity="high",
                    explanation=(
                        f"“{sides[0].value}” and “{sides[-1].value}” name different "
                        + ("weekdays" if kind == "weekday" else "days")
                        + " for the same happening (with no publication date to resolve them"
                        " against, the days are compared as named)."
                    ),
                )
            )
    return conflicts
