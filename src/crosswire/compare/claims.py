"""Claims: the sentence families `matching` found, as `Claim`s — the wording that stands for
each, the articles that state it and who is quoted saying it, and its status (disputed when a
conflict's evidence is among its sentences, else consensus, corroborated or single-source by
how many outlets state it) — and the consensus claims each article leaves out (omissions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crosswire.compare.matching import StoryContext, short_id
from crosswire.models import Claim, ClaimSource, Conflict

__all__ = ["build_claims", "omissions"]

_ORDER = {"disputed": 0, "consensus": 1, "corroborated": 2, "single_source": 3}


def build_claims(
    ctx: StoryContext,
    families: Sequence[list[int]],
    conflicts: Sequence[Conflict],
    about: Mapping[tuple[int, ...], str] | None = None,
) -> list[Claim]:
    """One claim per sentence family (indices into `ctx.units`), disputed ones first; `about`
    says what a family keyed by a person, a street or a day is about."""
    # A title conflict is about the person, not about the facts of the sentence naming them.
    evidence = {
        (a, e): c.id
        for c in conflicts
        if c.kind != "attribute"
        for v in c.values
        for a, e in zip(v.article_ids, v.evidence, strict=False)
    }
    story_outlets = ctx.outlets(list(ctx.outlet))
    claims: list[Claim] = []
    for members in families:
        units = [ctx.units[k] for k in members]
        ids = sorted({a for a, _ in units})
        outlets = ctx.outlets(ids)
        # the claim's wording: the member most similar to the others, originals before copies
        centrality = dict(zip(members, ctx.space.member_sims(members).tolist(), strict=True))
        best = max(
            members,
            key=lambda k: (
                round(centrality[k], 6),  # exact ties (two members) go to the rules below
                ctx.units[k][0] not in ctx.group.duplicate_of,
                -len(ctx.units[k][1].text),
            ),
        )
        conflict_ids = sorted({evidence[(a, s.text)] for a, s in units if (a, s.text) in evidence})
        if conflict_ids:
            status = "disputed"
        elif outlets >= 2 and outlets * 2 > story_outlets:
            status = "consensus"
        elif outlets >= 2:
            status = "corroborated"
        else:
            status = "single_source"
        aid, sentence = ctx.units[best]
        claims.append(
            Claim(
                id=short_id("k", *(f"{a}:{s.index}" for a, s in units)),
                text=sentence.text,
                sources=[
                    ClaimSource(
                        article_id=a,
                        sentence=s.text,
                        sentence_index=s.index,
                        start=s.start,
                        end=s.end,
                    )
                    for a, s in units
                ],
                outlets=outlets,
                status=status,
                attributed_to=_attribution(ctx, aid, sentence.index),
                conflict_ids=conflict_ids,
                about=(about or {}).get(tuple(members)),
            )
        )
    claims.sort(
        key=lambda c: (
            _ORDER[c.status],
            -c.outlets,
            c.sources[0].article_id,
            c.sources[0].sentence_index,
        )
    )
    return claims


def _attribution(ctx: StoryContext, aid: str, sentence: int) -> str | None:
    """The speaker of a quote in the sentence, if any: who the claim is attributed to."""
    for quote in ctx.analyses[aid].quotes:
        if quote.sentence == sentence and quote.speaker:
            return quote.speaker
    return None


def omissions(ctx: StoryContext, claims: Sequence[Claim]) -> dict[str, list[str]]:
    """Article id -> the consensus claims it does not state (originals only; none: left out)."""
    missing = {
        aid: [
            c.id
            for c in claims
            if c.status == "consensus" and aid not in {s.article_id for s in c.sources}
        ]
        for aid in ctx.analyses
        if aid not in ctx.group.duplicate_of
    }
    return {k: v for k, v in missing.items() if v}
