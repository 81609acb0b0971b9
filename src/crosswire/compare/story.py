"""The compare stage for one story: `compare_story` runs matching, conflicts, claims and framing
in order and assembles the `Story` (its timeline and brief come later, from synthesis).
"""

from __future__ import annotations

from collections.abc import Mapping

from crosswire.compare.claims import build_claims, omissions
from crosswire.compare.conflicts import find_conflicts
from crosswire.compare.facts import fact_groups
from crosswire.compare.framing import framing_entries
from crosswire.compare.matching import build_context, sentence_families, story_entities
from crosswire.models import Article, ArticleAnalysis, Story, StoryGroup
from crosswire.options import Options

__all__ = ["compare_story"]


def compare_story(
    group: StoryGroup,
    articles: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
    title: str = "",
) -> Story:
    """Claims, quotes, conflicts and framing for one story (timeline and summary come later)."""
    ctx = build_context(group, articles, analyses, options)
    entities = story_entities(ctx)
    families = sentence_families(ctx)
    conflicts, quotes = find_conflicts(ctx, entities, families)
    # conflicts still pair whole sentences; the claims are facts (a sentence may state several)
    groups = fact_groups(ctx, entities)
    claims = build_claims(ctx, groups.groups, conflicts, groups.about)
    return Story(
        id=group.id,
        title=title,
        article_ids=list(group.article_ids),
        outlets=ctx.outlets(list(ctx.outlet)),
        entities=entities,
        claims=claims,
        quotes=quotes,
        conflicts=conflicts,
        framing=framing_entries(ctx, entities, groups.groups),
        omissions=omissions(ctx, claims),
    )
