"""Reads for `crosswire serve` (the web app and API): `ServerStore` and the story list's
`StorySummary`. No table of their own: each `stories` row already holds the story's full
`Story` model, and a story's report.json is that story plus its member articles
(`ServerStore.story_report`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select

from crosswire.models import Article, Report, ReportArticle, Story
from crosswire.store.store import Store
from crosswire.store.tables import (
    ArticleRow,
    StoryArticleRow,
    StoryRow,
    article_model,
    chunks,
)

__all__ = ["ServerStore", "StorySummary", "story_version"]


class StorySummary(BaseModel):
    """A story's line in the story list: the counts the list shows, not the story's body."""

    id: str
    title: str
    outlets: int
    articles: int
    disputed: int = 0
    conflicts: int = 0
    single_source: int = 0
    newest: date | None = None
    updated_at: datetime | None = None
    version: str = ""
    entities: list[str] = []
    search_text: str = ""
    """Lower-cased title, entity names and aliases, and claim texts: what a search looks in."""


def story_version(data: Mapping[str, Any]) -> str:
    """A short digest of a story's stored content: it changes exactly when the story does."""
    raw = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def _summary(row: StoryRow, newest: date | None) -> StorySummary:
    story = Story.model_validate(row.data)
    names = [e.name for e in story.entities]
    words = [story.title, *names, *(a for e in story.entities for a in e.aliases)]
    words += [c.text for c in story.claims]
    return StorySummary(
        id=story.id,
        title=story.title,
        outlets=story.outlets,
        articles=len(story.article_ids),
        disputed=sum(c.status == "disputed" for c in story.claims),
        conflicts=len(story.conflicts),
        single_source=sum(c.status == "single_source" for c in story.claims),
        newest=newest,
        updated_at=row.updated_at,
        version=story_version(row.data),
        entities=names,
        search_text="\n".join(words).lower(),
    )


class ServerStore(Store):
    """The store with the reads the web app and API need."""

    def stories_state(self) -> str:
        """Changes whenever stories or articles are saved (counts and the latest save time)."""
        with self._sessions() as session:
            count, latest = session.execute(
                select(func.count(StoryRow.id), func.max(StoryRow.updated_at))
            ).one()
            articles = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
            return f"{count}:{latest}:{articles}"

    def story_summaries(self) -> list[StorySummary]:
        """Every stored story with the counts the story list shows, in stored order."""
        with self._sessions() as session:
            newest: dict[str, date] = {}
            for story_id, published in session.execute(
                select(StoryArticleRow.story_id, func.max(ArticleRow.published))
                .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
                .group_by(StoryArticleRow.story_id)
            ):
                if published is not None:
                    newest[story_id] = published
            rows = session.scalars(select(StoryRow).order_by(StoryRow.position, StoryRow.id))
            return [_summary(row, newest.get(row.id)) for row in rows]

    def __init__(self, url: str) -> None:
        super().__init__(url)
        # story id -> (row's updated_at, JSON bytes, version, Story): reads of a story skip
        # decoding, validating and re-encoding its JSON while it is unchanged. `save_stories`
        # stamps every row on each save, so a cheap look at updated_at tells when to reload.
        self._story_cache: dict[str, tuple[datetime, bytes, str, Story]] = {}
        self._cache_lock = threading.Lock()

    def _cached_story(self, story_id: str) -> tuple[bytes, str, Story] | None:
        with self._sessions() as session:
            stamp = session.scalar(select(StoryRow.updated_at).where(StoryRow.id == story_id))
            if stamp is None:
                return None
            with self._cache_lock:
                hit = self._story_cache.get(story_id)
            if hit is not None and hit[0] == stamp:
                return hit[1], hit[2], hit[3]
            row = session.get(StoryRow, story_id)
            if row is None:
                return None
            story = Story.model_validate(row.data)
            raw = json.dumps(row.data, separators=(",", ":"), ensure_ascii=False).encode()
            entry = (row.updated_at, raw, story_version(row.data), story)
        with self._cache_lock:
            self._story_cache[story_id] = entry
        return entry[1], entry[2], entry[3]

    def get_story(self, story_id: str) -> tuple[Story, str] | None:
        """The stored story and its version digest, or None. (Shared and cached: do not
        modify the returned story.)"""
        found = self._cached_story(story_id)
        return None if found is None else (found[2], found[1])

    def story_json(self, story_id: str) -> tuple[bytes, str] | None:
        """The stored story as JSON (the `Story` model's fields) and its version, or None."""
        found = self._cached_story(story_id)
        return None if found is None else (found[0], found[1])

    def get_article(self, article_id: str) -> Article | None:
        with self._sessions() as session:
            row = session.get(ArticleRow, article_id)
            return None if row is None else article_model(row)

    def articles_by_id(self, ids: Sequence[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        with self._sessions() as session:
            for chunk in chunks(list(dict.fromkeys(ids))):
                for row in session.scalars(select(ArticleRow).where(ArticleRow.id.in_(chunk))):
                    found[row.id] = article_model(row)
        return found

    def outlet_articles(self, source: str) -> list[Article]:
        """Every stored article of the outlet `source` (its name exactly), newest first."""
        with self._sessions() as session:
            rows = session.scalars(select(ArticleRow).where(ArticleRow.source == source))
            found = [article_model(row) for row in rows]
        return sorted(found, key=lambda a: (a.published or date.min, a.id), reverse=True)

    def outlet_counts(self) -> list[tuple[str, int]]:
        """Each outlet's name and how many articles it has stored, most first."""
        with self._sessions() as session:
            rows = session.execute(
                select(ArticleRow.source, func.count()).group_by(ArticleRow.source)
            ).all()
        return sorted(((str(s), int(n)) for s, n in rows), key=lambda x: (-x[1], x[0]))

    def article_page(self, limit: int, offset: int) -> tuple[list[Article], int]:
        """One page of articles, oldest added first, and how many there are in all."""
        with self._sessions() as session:
            total = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
            rows = session.scalars(
                select(ArticleRow)
                .order_by(ArticleRow.added_at, ArticleRow.id)
                .limit(limit)
                .offset(offset)
            )
            return [article_model(row) for row in rows], total

    def story_report(self, story_id: str) -> Report | None:
        """The story as a report.json of its own: the same contract (`models.Report`), holding
        only this story and its member articles."""
        with self._sessions() as session:
            row = session.get(StoryRow, story_id)
            if row is None:
                return None
            story = Story.model_validate(row.data)
            copies = {
                aid: dup
                for aid, dup in session.execute(
                    select(StoryArticleRow.article_id, StoryArticleRow.duplicate_of).where(
                        StoryArticleRow.story_id == story_id
                    )
                )
            }
            generated = row.updated_at
        by_id = self.articles_by_id(story.article_ids)
        analyses = self.get_analyses(story.article_ids)
        articles: list[ReportArticle] = []
        for aid in story.article_ids:
            art = by_id.get(aid)
            if art is None:
                continue
            analysis = analyses.get(aid)
            published, inferred = art.published, art.published_inferred
            # The pipeline reports a date inferred from the text when none was given.
            if published is None and analysis is not None and analysis.published_inferred:
                published, inferred = analysis.published_inferred, True
            shown = ReportArticle.of(art, story_id=story.id, duplicate_of=copies.get(aid))
            language = art.language or (analysis.language if analysis else None)
            articles.append(
                shown.model_copy(
                    update={
                        "published": published,
                        "published_inferred": inferred,
                        "language": language,
                    }
                )
            )
        return Report(generated_at=generated, articles=articles, stories=[story])
