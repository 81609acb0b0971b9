"""Opposite sides in one phrase: "a bullet wound behind her left ear" in one outlet, "behind
her right ear" in another. The same words around two opposite words (left/right,
inside/outside, into/out of, north/south ...) say where one thing is, and only one can hold.

Precision comes first: the word before and the noun after the opposite words must be the same
in both (so the phrase places the same thing the same way), the two sentences must tell the
same claim, and neither article may use the other side's word in that phrase itself (an
article telling "left and right" speaks of two things).
"""

from __future__ import annotations

import re
from collections import defaultdict

from crosswire.compare.matching import StoryContext, short_id
from crosswire.models import Conflict, ConflictValue

__all__ = ["opposite_conflicts", "opposite_phrases"]

_PAIRS = (
    ("left", "right"),
    ("inside", "outside"),
    ("into", "out of"),
    ("north", "south"),
    ("east", "west"),
    ("northbound", "southbound"),
    ("eastbound", "westbound"),
    ("upstairs", "downstairs"),
)
_SIDE = {w: (a, b) for a, b in _PAIRS for w in (a, b)}
_OPPOSITE = re.compile(r"\b(" + "|".join(sorted(_SIDE, key=len, reverse=True)) + r")\b")
_WORD = re.compile(r"[A-Za-z]+")
_SKIP = frozenset(["the", "a", "an", "his", "her", "their", "its", "of", "side", "hand"])


def opposite_phrases(sentence: str) -> list[tuple[str, str, str, str]]:
    """(word before, opposite word, noun after, phrase as written) for each lower-case opposite
    word the sentence holds: "behind her left ear" -> ("behind", "left", "ear", ...). The word
    before is the nearest word of four letters or more; the noun after is the next word that
    is not an article, a possessive or "side"/"hand"."""
    found = []
    for m in _OPPOSITE.finditer(sentence):
        before = [w.lower() for w in _WORD.findall(sentence[: m.start()]) if len(w) >= 4]
        after = [w.lower() for w in _WORD.findall(sentence[m.end() : m.end() + 60])[:4]]
        after = [w for w in after if w not in _SKIP]
        if not before or not after:
            continue
        end = m.end() + sentence[m.end() :].lower().find(after[0]) + len(after[0])
        start = sentence.lower().rfind(before[-1], 0, m.start())
        found.append((before[-1], m.group(1), after[0], sentence[start:end]))
    return found


def opposite_conflicts(ctx: StoryContext) -> list[Conflict]:
    # (word before, pair, noun after) -> [(article, sentence, word, phrase)]
    uses: dict[tuple[str, tuple[str, str], str], list[tuple[str, int, str, str]]] = defaultdict(
        list
    )
    for aid, analysis in ctx.analyses.items():
        for sentence in analysis.sentences:
            for before, word, noun, phrase in opposite_phrases(sentence.text):
                uses[(before, _SIDE[word], noun)].append((aid, sentence.index, word, phrase))
    needed = ctx.options.claim_threshold * 0.9
    conflicts = []
    for (_, pair, _), told in sorted(uses.items()):
        words_of: dict[str, set[str]] = defaultdict(set)
        for aid, _, word, _ in told:
            words_of[aid].add(word)
        sides: dict[str, dict[str, tuple[int, str]]] = {pair[0]: {}, pair[1]: {}}
        for aid, index, word, phrase in told:
            if len(words_of[aid]) == 1:  # an article using both words is on no side
                sides[word].setdefault(aid, (index, phrase))
        clash = [
            (a, b)
            for a, (sa, _) in sides[pair[0]].items()
            for b, (sb, _) in sides[pair[1]].items()
            if ctx.outlet[a] != ctx.outlet[b] and ctx.sentence_sim((a, sa), (b, sb)) >= needed
        ]
        if not clash:
            continue
        values = []
        for word in pair:
            ids = sorted({x if word == pair[0] else y for x, y in clash})
            values.append(
                ConflictValue(
                    value=sides[word][ids[0]][1],
                    normalized=word,
                    article_ids=ids,
                    evidence=[ctx.text(a, sides[word][a][0]) for a in ids],
                )
            )
        conflicts.append(
            Conflict(
                id=short_id("c", "statement", *(v.value for v in values)),
                kind="statement",
                subject=f"{values[0].value} / {values[1].value}",
                values=values,
                severity="medium",
                explanation=f"“{values[0].value}” and “{values[1].value}”: the same thing placed"
                " on opposite sides.",
            )
        )
    return conflicts
