"""Which side of a happening a counted group of people was on: "rescued 26 Somali crewmembers"
in one outlet, "apprehending 26 Somali pirates" in another. The same count of people told as
the ones saved by one outlet and as the offenders caught by another cannot both hold.

Precision comes first: the count must be the same (two or more people), the two sentences
must tell the same claim, and an article that tells the count on both sides (the crew
rescued, the pirates caught, both 26) is on neither. A neutral wording ("26 Somali crew on
board") takes no side.
"""

from __future__ import annotations

from collections import defaultdict

from crosswire.compare.matching import StoryContext, short_id
from crosswire.models import Conflict, ConflictValue, NumberMention

__all__ = ["role_conflicts", "role_side"]

RESCUED = "rescued"
OFFENDERS = "offenders"
# Verbs whose object was saved, not caught ("release" is left out: suspects are released too).
_SAVING = frozenset(["rescue", "free", "save", "evacuate"])
# Verbs whose object was caught.
_CATCHING = frozenset(["arrest", "capture", "apprehend", "nab", "detain"])
# How a sentence of an article's body ends (a headline has no closing stop).
_STOPS = frozenset(".!?\"”’'")
# Nouns that name the people a happening's victims were saved from.
_OFFENDER_NOUNS = frozenset(
    [
        "pirate",
        "brigand",
        "hijacker",
        "gunman",
        "kidnapper",
        "robber",
        "attacker",
        "assailant",
        "militant",
        "raider",
        "smuggler",
    ]
)


def _head(unit: str) -> str:
    """The counted noun of a unit, singular: "Somali pirates arrested" -> pirate."""
    words = [w.lower().strip(".,") for w in unit.split() if w.isalpha()]
    while len(words) > 1 and words[-1].endswith("ed"):
        words.pop()  # "26 pirates arrested": the participle is not what is counted
    if not words:
        return ""
    word = words[-1]
    if word.endswith("men"):
        return word[:-3] + "man"  # gunmen, crewmen
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def role_side(n: NumberMention) -> str | None:
    """`OFFENDERS` for a count of people named as offenders or caught ("26 pirates", "arrested
    26 men"), `RESCUED` for one saved ("rescued 26 crewmembers"), None otherwise."""
    if not n.unit or n.value < 2 or n.value != int(n.value):
        return None
    head = _head(n.unit)
    if head in _OFFENDER_NOUNS:
        return OFFENDERS
    if n.anchor in _SAVING:
        return RESCUED
    if n.anchor in _CATCHING:
        return OFFENDERS
    return None


def role_conflicts(ctx: StoryContext) -> list[Conflict]:
    # count -> side -> article -> [(sentence, number as written)]
    told: dict[float, dict[str, dict[str, list[tuple[int, str]]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for aid, analysis in ctx.analyses.items():
        for n in analysis.numbers:
            side = role_side(n)
            if side is not None:
                told[n.value][side][aid].append((n.sentence, n.text))
    needed = ctx.options.claim_threshold * 0.8
    conflicts = []
    for count, sides in sorted(told.items()):
        both = set(sides[RESCUED]) & set(sides[OFFENDERS])  # an article on both is on neither
        # each article is cited by a sentence of its body before a headline's ("nabs 26
        # pirates", no closing stop), then by the one closest to a sentence of the other side
        best: dict[str, tuple[bool, float, int, str]] = {}
        for a, mine in sides[RESCUED].items():
            for b, theirs in sides[OFFENDERS].items():
                if a in both or b in both or ctx.outlet[a] == ctx.outlet[b]:
                    continue
                for sa, ta in mine:
                    for sb, tb in theirs:
                        sim = ctx.sentence_sim((a, sa), (b, sb))
                        if sim < needed:
                            continue
                        for aid, sentence, text in ((a, sa, ta), (b, sb, tb)):
                            body = ctx.text(aid, sentence).rstrip()[-1:] in _STOPS
                            if (body, sim) > best.get(aid, (False, 0.0, -1, ""))[:2]:
                                best[aid] = (body, sim, sentence, text)
        if not any(a in best for a in sides[RESCUED]) or not any(
            b in best for b in sides[OFFENDERS]
        ):
            continue
        values = []
        for side in (RESCUED, OFFENDERS):
            ids = sorted(a for a in sides[side] if a in best)
            values.append(
                ConflictValue(
                    value="; ".join(sorted({best[a][3] for a in ids})),
                    normalized=side,
                    article_ids=ids,
                    evidence=[ctx.text(a, best[a][2]) for a in ids],
                )
            )
        conflicts.append(
            Conflict(
                id=short_id("c", "attribute", "role", f"{count:g}", *(v.value for v in values)),
                kind="attribute",
                subject=f"The {count:g} people: rescued or caught?",
                values=values,
                severity="high",
                explanation=f"One outlet tells of {count:g} people rescued, another of"
                f" {count:g} offenders caught: the same people cannot be both.",
            )
        )
    return conflicts
