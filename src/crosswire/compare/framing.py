"""Framing: the words an outlet chooses where other outlets of the story choose others. Titles
given to the same person, loaded words outside quotes ("the slumlord firm") with the neutral
word others use (`LOADED`, which the brief also uses to neutralise), and choices within a
family of words news uses for the same thing ("strikes" / "bombings").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from crosswire.compare.matching import WORD, StoryContext
from crosswire.language.entities import fold, title_head
from crosswire.language.quotes import find_quote_spans
from crosswire.models import FramingEntry, StoryEntity

__all__ = ["FAMILIES", "LOADED", "framing_entries"]

# Loaded words, with the neutral word other outlets use for the same thing. General news
# vocabulary (style guides flag these), not tuned to one story.
LOADED = {
    "dictator": "president", "regime": "government", "tyrant": "leader", "strongman": "leader",
    "despot": "leader", "thug": "man", "thugs": "men", "agitator": "activist",
    "agitators": "activists", "rioters": "protesters", "mob": "crowd", "slumlord": "landlord",
    "terrorists": "militants", "puppet": "ally", "junta": "government", "cronies": "allies",
    "massacre": "killing", "butcher": "leader",
}  # fmt: skip
# Families of words news uses for the same thing; an outlet's choice within a family is framing.
FAMILIES = [
    {"strikes", "bombings", "attacks", "raids", "airstrikes"},
    {"regime", "government", "administration", "junta"},
    {"protesters", "demonstrators", "rioters", "activists", "agitators", "mob"},
    {"militants", "terrorists", "fighters", "rebels", "insurgents", "gunmen"},
    {"killed", "murdered", "slaughtered", "died"},
]


def _outside_quotes(text: str) -> str:
    for a, b, _ in reversed(find_quote_spans(text)):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _loaded_descriptions(
    ctx: StoryContext, entities: Sequence[StoryEntity], known: Sequence[FramingEntry]
) -> list[FramingEntry]:
    """Loaded words an outlet uses outside quotes ("the slumlord firm"), tied to the nearest
    person or organisation named in the same sentence."""
    canonical = {}
    for ent in entities:
        for name in [ent.name, *ent.aliases]:
            canonical[fold(name)] = ent
    seen = {(e.article_id, w) for e in known for w in e.term.lower().split()}
    found: list[FramingEntry] = []
    for aid, analysis in ctx.analyses.items():
        spans = [
            (m.start, m.end, ent.name)
            for ent in analysis.entities
            if ent.type in ("PERSON", "ORG")
            for m in ent.mentions
        ]
        for sentence in analysis.sentences:
            text = _outside_quotes(sentence.text)
            for m in WORD.finditer(text):
                word = m.group().lower()
                if word not in LOADED or (aid, word) in seen:
                    continue
                if word == "regime" and text[m.end() :].lstrip().lower().startswith("change"):
                    continue  # "regime change" is a set phrase, not a label
                at = sentence.start + m.start()
                near = [
                    (min(abs(at - a), abs(at - b)), name)
                    for a, b, name in spans
                    if sentence.start <= a < sentence.end
                ]
                if not near:
                    continue
                name = min(near)[1]
                story_entity = canonical.get(fold(name))
                refers_to = story_entity.name if story_entity else name
                nxt = text[m.end() :].split(maxsplit=1)
                term = m.group()
                if nxt and nxt[0].isalpha() and nxt[0].islower() and nxt[0] not in _FUNCTION_WORDS:
                    term = f"{term} {nxt[0]}"  # "slumlord firm"
                others = sorted(
                    {
                        t
                        for other, titles in (story_entity.titles.items() if story_entity else [])
                        if ctx.outlet[other] != ctx.outlet[aid]
                        for t in titles
                    }
                ) or [LOADED[word]]
                seen.add((aid, word))
                found.append(
                    FramingEntry(
                        article_id=aid,
                        term=term,
                        refers_to=refers_to,
                        others_use=others,
                        loaded=True,
                    )
                )
    return found


_FUNCTION_WORDS = {"that", "which", "who", "and", "or", "of", "to", "in", "on", "at", "for", "with"}


def framing_entries(ctx: StoryContext, entities: Sequence[StoryEntity]) -> list[FramingEntry]:
    """Every framing entry of the story: titles, loaded descriptions, word families."""
    entries: list[FramingEntry] = []
    # titles given to the same person
    for ent in entities:
        if ent.type != "PERSON" or len(ent.titles) < 2:
            continue
        heads = {aid: {title_head(t): t for t in titles} for aid, titles in ent.titles.items()}
        for aid, mine in heads.items():
            others = {
                h: t
                for other, theirs in heads.items()
                if ctx.outlet[other] != ctx.outlet[aid]
                for h, t in theirs.items()
            }
            for head, title in mine.items():
                if head in others or not others:
                    continue
                entries.append(
                    FramingEntry(
                        article_id=aid,
                        term=title,
                        refers_to=ent.name,
                        others_use=sorted(set(others.values())),
                        loaded=head in LOADED,
                    )
                )
    entries += _loaded_descriptions(ctx, entities, entries)
    # word families ("strikes" / "bombings"), outside quotes: a quote is the speaker's word
    usage: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for aid, analysis in ctx.analyses.items():
        for sentence in analysis.sentences:
            words = {w.lower() for w in WORD.findall(_outside_quotes(sentence.text))}
            for f, family in enumerate(FAMILIES):
                for w in words & family:
                    if w == "regime" and "change" in words:
                        continue  # "regime change" is a set phrase, not a label
                    usage[f][aid].add(w)
    for f, per_article in usage.items():
        neutral = sorted(FAMILIES[f] - set(LOADED))[0]
        for aid, words in per_article.items():
            used = {
                w for a, ws in per_article.items() if ctx.outlet[a] != ctx.outlet[aid] for w in ws
            }
            for w in sorted(words - used):
                if not used:
                    continue
                entries.append(
                    FramingEntry(
                        article_id=aid,
                        term=w,
                        refers_to=neutral,
                        others_use=sorted(used),
                        loaded=w in LOADED,
                    )
                )
    return entries
