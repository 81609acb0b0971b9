"""The API's story routes (`/api/v1/stories...`): the list, one story whole or in parts,
its version (pages poll it), its report and its CSV."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from crosswire.compare import outlet_profiles
from crosswire.models import Claim, Conflict, Report, Story, TimelineEntry
from crosswire.server.deps import API_PREFIX, State, found
from crosswire.server.schemas import (
    ERRORS_DOC,
    Limit,
    Offset,
    Page,
    StoryOut,
    StoryVersion,
    page_of,
    story_out,
)
from crosswire.tables import csv_text, story_csv_rows

router = APIRouter(prefix=f"{API_PREFIX}/stories", tags=["stories"])


@router.get("", response_model=Page[StoryOut])
def api_stories(
    state: State,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(description="Words or entity names to look for.")] = None,
) -> Page[StoryOut]:
    """Stories, newest and most covered first."""
    matched = state.search(q)
    page = matched[offset : offset + limit]
    return Page[StoryOut](
        total=len(matched), limit=limit, offset=offset, items=[story_out(s) for s in page]
    )


@router.get("/{story_id}", response_model=Story, responses=ERRORS_DOC)
def api_story(state: State, story_id: str) -> Response:
    """The whole story: claims, conflicts, timeline, framing, brief."""
    text, etag = found(state.store.story_json(story_id), "story", story_id)
    # The stored JSON as it is (already a valid `Story`): the busiest read skips
    # validating and re-encoding a large model on every request.
    return Response(text, media_type="application/json", headers={"ETag": etag})


@router.get("/{story_id}/version", response_model=StoryVersion, responses=ERRORS_DOC)
def api_story_version(state: State, story_id: str) -> StoryVersion:
    """A digest that changes whenever the story does (pages poll it)."""
    _, version = found(state.store.get_story(story_id), "story", story_id)
    return StoryVersion(id=story_id, version=version)


@router.get("/{story_id}/claims", response_model=Page[Claim], responses=ERRORS_DOC)
def api_claims(state: State, story_id: str, limit: Limit = 50, offset: Offset = 0) -> Page[Claim]:
    return page_of(state.need_story(story_id).claims, limit, offset)


@router.get("/{story_id}/conflicts", response_model=Page[Conflict], responses=ERRORS_DOC)
def api_conflicts(
    state: State, story_id: str, limit: Limit = 50, offset: Offset = 0
) -> Page[Conflict]:
    return page_of(state.need_story(story_id).conflicts, limit, offset)


@router.get("/{story_id}/timeline", response_model=Page[TimelineEntry], responses=ERRORS_DOC)
def api_timeline(
    state: State, story_id: str, limit: Limit = 50, offset: Offset = 0
) -> Page[TimelineEntry]:
    return page_of(state.need_story(story_id).timeline, limit, offset)


@router.get(
    "/{story_id}/csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"},
        **ERRORS_DOC,
    },
)
def api_story_csv(state: State, story_id: str) -> Response:
    """The story's claims, conflicts and framing as CSV, one row each, with their outlets and
    citations (columns: section, id, text, status, outlets, article_ids, detail, citations)."""
    story = state.need_story(story_id)
    articles = state.store.articles_by_id(story.article_ids)
    text = csv_text(story_csv_rows(story, {aid: a.source for aid, a in articles.items()}))
    name = re.sub(r"[^A-Za-z0-9._-]", "_", story_id)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="story-{name}.csv"'},
    )


@router.get("/{story_id}/report", response_model=Report, responses=ERRORS_DOC)
def api_report(state: State, story_id: str) -> Report:
    """The story as report.json (the same contract, `crosswire schema`), its articles only,
    with its outlets' framing profiles within the story."""
    report = found(state.store.story_report(story_id), "story", story_id)
    sources = {a.id: a.source for a in report.articles}
    copies = {a.id: a.duplicate_of for a in report.articles if a.duplicate_of}
    return report.model_copy(update={"outlets": outlet_profiles(report.stories, sources, copies)})
