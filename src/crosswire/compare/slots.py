"""Facts keyed by what they are about (issue 20): the outlets that give one named person one
age or home town, name one street where the story happened, date its event to one day or
introduce one person by full name state one fact, however the rest of their sentences differ.
Long local reports pack several such facts into each sentence, and sentence similarity
(`facts.group_facts`) joins a sentence to one family only.

Each function takes the story's context and, per unit, whether to pass over it (the writer's
own voice, an appeal to the reader), and returns groups of indices into `ctx.units`: each
outlet's first sentence stating the fact. Thresholds and cues were chosen on the dev halves of
the agreement gold (`crosswire eval agreement [gold/agreement/gvc.json] --split dev`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence

from crosswire.compare.matching import StoryContext
from crosswire.compare.residence import residences, story_person
from crosswire.language.entities import fold
from crosswire.models import ArticleAnalysis, Sentence, StoryEntity

__all__ = [
    "Slot",
    "date_facts",
    "name_facts",
    "person_facts",
    "place_facts",
    "streets",
]


Slot = tuple[list[int], str]
"""A fact's sentences (indices into `ctx.units`) and what it is about, for the reader:
'age of Javon Wilson: 15', 'street: West Highland', 'named: Steven Dolan'."""

_AGE_AFTER_NAME = re.compile(r"\s*,\s*$")  # "Javon Wilson, 15"
_AGE_BEFORE_NAME = re.compile(r"^\s+$")  # "15-year-old Javon Wilson"


def person_facts(
    ctx: StoryContext, quiet: Sequence[bool], entities: Sequence[StoryEntity]
) -> list[Slot]:
    """Sentences of two or more outlets that give one named person one age ("Javon Wilson,
    15", "15-year-old Javon Wilson") or one home town ("Jane Doe, 36, of Harlow", "Jane Doe,
    who lived in Harlow"): a fact about a person, keyed by the person, never by the value
    alone (the 15-year-old victim is not the 15-year-old shooter)."""
    canonical = {fold(n): e.name for e in entities for n in [e.name, *e.aliases]}
    people = [e for e in entities if e.type == "PERSON"]
    by_fact: dict[tuple[str, object, str], set[int]] = defaultdict(set)
    written: dict[tuple[str, object, str], str] = {}
    for k, (aid, sentence) in enumerate(ctx.units):
        if quiet[k]:
            continue
        for name, town in residences(sentence.text):
            who = story_person(name, people)
            if who is not None:
                home: tuple[str, object, str] = ("home", fold(town), who.name)
                by_fact[home].add(k)
                written.setdefault(home, f"home town of {who.name}: {town}")
        for age, name in _ages(ctx.analyses[aid], sentence):
            person = canonical.get(fold(name), name)
            by_fact[("age", age, person)].add(k)
            written.setdefault(("age", age, person), f"age of {person}: {age:g}")
    return [
        (sorted(ks), written[key])
        for key, ks in by_fact.items()
        if ctx.outlets([ctx.units[k][0] for k in ks]) >= 2
    ]


def _ages(analysis: ArticleAnalysis, sentence: Sentence) -> list[tuple[float, str]]:
    """(age, person as named) for each age the sentence gives right beside a person's name."""
    ages = [
        n
        for n in analysis.numbers
        if n.sentence == sentence.index and (n.unit or "").startswith("year")
    ]
    if not ages:
        return []
    people = [
        (m.start - sentence.start, m.end - sentence.start, e.name)
        for e in analysis.entities
        if e.type == "PERSON"
        for m in e.mentions
        if m.sentence == sentence.index
    ]
    text, found = sentence.text, []
    for age in ages:
        at = text.find(age.text)
        while at >= 0:
            stop = at + len(age.text)
            for start, end, name in people:
                if (0 <= end <= at and _AGE_AFTER_NAME.fullmatch(text[end:at])) or (
                    stop <= start and _AGE_BEFORE_NAME.fullmatch(text[stop:start])
                ):
                    found.append((age.value, name))
            at = text.find(age.text, stop)
    return found


_SUFFIXES = (
    "street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd|lane|ln|way|court|ct|place|pl|"
    "highway|hwy|parkway|pkwy|terrace|circle|trail"
)
_NAME_WORD = r"[A-Z][\w'’-]*\.?"
# "the 5500 block of West Old National Road", "the 9500 block of Page"
_BLOCK = re.compile(rf"\b\d{{2,6}}\s+block\s+of\s+((?:{_NAME_WORD}\s?){{1,4}})")
# "1915 Birch Street", "Arlington Avenue", "S. Harrison St."
_STREET = re.compile(rf"(\d{{1,6}}\s+)?((?:{_NAME_WORD}\s){{1,3}})(?i:{_SUFFIXES})\b\.?")
_COMPASS = {"n", "s", "e", "w", "north", "south", "east", "west", "the", "in", "on", "at", "of"}
_SUFFIX_WORDS = set(_SUFFIXES.split("|"))


def _street_key(name: str) -> str:
    words = [w.strip(".") for w in fold(name).split()]
    return " ".join(w for w in words if w and w not in _COMPASS and w not in _SUFFIX_WORDS)


def streets(text: str) -> list[tuple[str, int, str]]:
    """(street, how surely it is a place where something happened, the street as written) for
    each street a sentence names: 2 written as an address ('the 5500 block of West Old
    National Road', '1915 Birch Street'), 1 as the site of a home or a venue ('his home on
    Arlington Avenue'), 0 otherwise ('another car on American Boulevard'). Directions and the
    street's kind are dropped from the street: outlets write them differently ('S. Harrison
    St.', 'Harrison Street')."""
    found = [(_street_key(m.group(1)), 2, m.group(1)) for m in _BLOCK.finditer(text)]
    for m in _STREET.finditer(text):
        site = bool(_SITE.search(text[max(0, m.start() - 30) : m.start()]))
        sure = 2 if m.group(1) else int(site)
        found.append((_street_key(m.group(2)), sure, m.group(0)[len(m.group(1) or "") :]))
    surest: dict[str, tuple[int, str]] = {}
    for key, sure, written in found:
        if key and sure >= surest.get(key, (-1, ""))[0]:
            surest[key] = (sure, " ".join(written.split()).rstrip(".,"))
    return [(key, sure, written) for key, (sure, written) in surest.items()]


# a home or a venue right before the street: "the house on", "a club at", "the corner of"
_SITE = re.compile(
    r"\b(?:home|house|residence|apartment|building|store|shop|club|bar|lounge|lodge|church|"
    r"school|park|intersection|corner|area|scene)\s+(?:on|at|of|in|along|near)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def place_facts(ctx: StoryContext, quiet: Sequence[bool]) -> list[Slot]:
    """Sentences of two or more outlets naming one street where the story happened: each
    outlet's first sentence giving it as an address, else as the site of a home or a venue. A
    street counts only when some outlet writes it as an address: "Wall Street" in a market
    report is no place where something happened."""
    first: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    addressed: dict[str, str] = {}
    for k, (aid, sentence) in enumerate(ctx.units):
        if quiet[k]:
            continue
        for key, sure, written in streets(sentence.text):
            if sure == 0:
                continue
            held = first[key].get(aid)
            if held is None or sure > held[0]:
                first[key][aid] = (sure, k)
            if sure == 2:
                addressed.setdefault(key, written)
    return [
        (sorted(k for _, k in by_article.values()), f"street: {addressed[key]}")
        for key, by_article in first.items()
        if key in addressed and ctx.outlets(list(by_article)) >= 2
    ]


# the day of writing, not of the event: "had a hearing today" in two papers is no shared fact
_DEICTIC = re.compile(r"^(?:today|now|currently|this (?:morning|afternoon|evening))$", re.I)


def date_facts(ctx: StoryContext, quiet: Sequence[bool]) -> list[Slot]:
    """Sentences of two or more outlets dating the story's event to one same day ("Monday
    night", "on Aug. 1", "The shooting happened about 11:50 p.m. Monday"): each outlet's first
    sentence giving that day. Outlets lead with the event and its day, so the first sentence
    giving a day tells what happened on it; when it was reported ("police said Tuesday") is no
    date of an event."""
    days: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
    for aid, analysis in ctx.analyses.items():
        for t in analysis.times:
            if t.precision == "day" and not t.reporting and not _DEICTIC.match(t.text.strip()):
                days[(aid, t.sentence)].append(t.earliest)
    first: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for k, (aid, sentence) in enumerate(ctx.units):
        if not quiet[k]:
            for day in days.get((aid, sentence.index), ()):
                first[day].setdefault(aid, k)
    if not first:
        return []
    # the story's day: the one most outlets give (the earliest among equals). Other days
    # hold the many things that happen around an event (an arrest, a vigil, a hearing), and
    # two outlets' first sentences on such a day tell different ones as often as not
    day = min(first, key=lambda d: (-ctx.outlets(list(first[d])), d))
    by_article = first[day]
    if ctx.outlets(list(by_article)) < 2:
        return []
    return [(sorted(by_article.values()), f"day: {day:%A} {day.day} {day:%B %Y}")]


# how a report introduces a person it names: by age ("Javon Wilson, 15,", "46-year old
# Steven Dolan") or as identified ("The teen, identified as DaMontez Jones")
_INTRODUCED = re.compile(r",\s*\d{1,3}\s*,|\d{1,3}[- ]year[- ]old|\bidentified\b|\bnamed\b", re.I)


# words that follow a place, never a person: "Aransas Pass police", "Henry County officials"
_OF_A_PLACE = r"(?:police|officials|residents|city council|fire department)\b"


def name_facts(
    ctx: StoryContext, quiet: Sequence[bool], entities: Sequence[StoryEntity]
) -> list[Slot]:
    """Sentences of two or more outlets that introduce one person by full name, each
    outlet's first: who the victim or the suspect is ("The teen, identified as DaMontez
    Jones, ...", "Jovan Wilson, 15, died Friday night"). A name alone is not enough: a
    well-known name opens sentences that say anything.

    A person who speaks in the story (an official, a witness) is left out: outlets name them
    where they say something, and what each says differs."""
    speakers = {
        fold(q.speaker) for analysis in ctx.analyses.values() for q in analysis.quotes if q.speaker
    }
    # the tagger reads some towns as people ("Aransas Pass police said"): a name any
    # article of the story reads as a place, or writes before "police", is no person's
    places = {
        fold(n) for e in entities if e.type in ("GPE", "LOC", "FAC") for n in [e.name, *e.aliases]
    }
    text = fold(" ".join(sentence.text for _, sentence in ctx.units))
    people = [
        e
        for e in entities
        if e.type == "PERSON"
        and len(e.name.split()) >= 2
        and fold(e.name) not in speakers | places
        and not re.search(rf"\b{re.escape(fold(e.name))} {_OF_A_PLACE}", text)
    ]
    # the sentences that introduce someone, folded once for every person looked for in them
    introducing = [
        (k, aid, fold(sentence.text))
        for k, (aid, sentence) in enumerate(ctx.units)
        if not quiet[k] and _INTRODUCED.search(sentence.text)
    ]
    first: dict[str, dict[str, int]] = defaultdict(dict)
    for person in people:
        names = [fold(n) for n in [person.name, *person.aliases] if len(n.split()) >= 2]
        for k, aid, folded in introducing:
            if aid not in first[person.name] and any(n in folded for n in names):
                first[person.name][aid] = k
    return [
        (sorted(by_article.values()), f"named: {name}")
        for name, by_article in first.items()
        if ctx.outlets(list(by_article)) >= 2
    ]
