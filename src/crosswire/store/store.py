"""`Store`: articles, their analyses and the stories they form, kept between runs, in SQLite
by default or PostgreSQL with `crosswire[postgres]` (any SQLAlchemy URL, `postgresql://...`
included). Opening upgrades the database to the newest schema (`engine.upgrade`); every write
is one transaction under the writers' lock (`Store._write`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crosswire.errors import CrosswireError, Msg
from crosswire.models import Article, ArticleAnalysis, Story
from crosswire.resources import Resource
from crosswire.store.engine import (
    WRITE,
    sqlite_begin,
    sqlite_pragmas,
    take_write_lock,
    to_url,
    upgrade,
)
from crosswire.store.tables import (
    ID_LENGTH,
    AnalysisRow,
    ArticleRow,
    MetaRow,
    StoryArticleRow,
    StoryRow,
    article_model,
    article_row,
    chunks,
    find_existing,
    utc_now,
)

__all__ = ["Store"]


class Store(Resource):
    """Articles, their analyses and the stories they form, kept between runs."""

    def __init__(self, url: str) -> None:
        shown = url
        try:
            sa_url = to_url(str(url))
            shown = sa_url.render_as_string(hide_password=True)
            self.engine: Engine = create_engine(sa_url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", sqlite_pragmas)
                event.listen(self.engine, "begin", sqlite_begin)
            upgrade(self.engine)
        except (
            SQLAlchemyError,
            ArgumentError,
            ImportError,
            OSError,
            sqlite3.Error,
            CommandError,  # e.g. a database migrated by a newer crosswire
        ) as exc:
            error: object = getattr(exc, "orig", None) or exc
            if isinstance(exc, ImportError):
                error = Msg.DB_DRIVER.format(error=exc)
            raise CrosswireError(Msg.DB_OPEN.format(url=shown, error=error)) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(
            self.engine.execution_options(**{WRITE: True}), expire_on_commit=False
        )

    # ---------------------------------------------------------------- lifecycle

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction, holding the write lock from its first statement."""
        with self._writes.begin() as session:
            take_write_lock(session)
            yield session

    # ---------------------------------------------------------------- articles

    def add_articles(self, articles: Sequence[Article]) -> list[Article]:
        """Store the articles whose content is new, in one transaction; return those stored.

        The same content twice is stored once. An id already taken by different content is
        stored under `<id>-<first 8 hex of its content hash>`, and that version is returned;
        so is an id longer than `ID_LENGTH`, shortened (`_fit_id`).
        """
        added: list[Article] = []
        # Same on both backends: SQLite would keep a longer id, PostgreSQL would refuse it.
        articles = [_fit_id(a) for a in articles]
        with self._write() as session:
            hashes = list({a.content_hash for a in articles})
            ids = list({a.id for a in articles})
            known_hashes = find_existing(session, ArticleRow.content_hash, hashes)
            taken_ids = find_existing(session, ArticleRow.id, ids)
            now = utc_now()
            for article in articles:
                digest = article.content_hash
                if digest in known_hashes:
                    continue
                if article.id in taken_ids:
                    article = article.model_copy(
                        update={"id": self._free_id(session, article, taken_ids)}
                    )
                known_hashes.add(digest)
                taken_ids.add(article.id)
                session.add(article_row(article, now))
                added.append(article)
        return added

    @staticmethod
    def _free_id(session: Session, article: Article, taken: set[str]) -> str:
        digest = article.content_hash
        for length in range(8, len(digest) + 1):
            candidate = f"{article.id[: ID_LENGTH - 1 - length]}-{digest[:length]}"
            if candidate not in taken and session.get(ArticleRow, candidate) is None:
                return candidate
        raise AssertionError("unreachable: the full content hash is unique per content")

    def get_articles(self) -> list[Article]:
        with self._sessions() as session:
            rows = session.scalars(select(ArticleRow).order_by(ArticleRow.added_at, ArticleRow.id))
            return [article_model(row) for row in rows]

    # ---------------------------------------------------------------- analyses

    def save_analyses(self, analyses: Sequence[ArticleAnalysis]) -> None:
        """Insert or replace each article's analysis, in one transaction."""
        with self._write() as session:
            self._save_analyses(session, analyses)

    def _save_analyses(self, session: Session, analyses: Sequence[ArticleAnalysis]) -> None:
        ids = list(dict.fromkeys(a.article_id for a in analyses))
        self._require_articles(session, ids, "analysis")
        existing: dict[str, AnalysisRow] = {}
        for chunk in chunks(ids):
            for row in session.scalars(
                select(AnalysisRow).where(AnalysisRow.article_id.in_(chunk))
            ):
                existing[row.article_id] = row
        for analysis in analyses:
            data = analysis.model_dump(mode="json")
            if analysis.article_id in existing:
                existing[analysis.article_id].data = data
            else:
                existing[analysis.article_id] = AnalysisRow(
                    article_id=analysis.article_id, data=data
                )
                session.add(existing[analysis.article_id])

    def get_analyses(self, ids: Iterable[str] | None = None) -> dict[str, ArticleAnalysis]:
        with self._sessions() as session:
            if ids is None:
                rows = list(session.scalars(select(AnalysisRow)))
            else:
                rows = []
                for chunk in chunks(list(dict.fromkeys(ids))):
                    rows += session.scalars(
                        select(AnalysisRow).where(AnalysisRow.article_id.in_(chunk))
                    )
            return {row.article_id: ArticleAnalysis.model_validate(row.data) for row in rows}

    # ---------------------------------------------------------------- stories

    def save_stories(self, stories: Sequence[Story], duplicates: Mapping[str, str]) -> None:
        """Replace every stored story and membership with these, in one transaction.

        `duplicates` maps a syndicated copy's id to the id of the original it copies.
        """
        with self._write() as session:
            self._save_stories(session, stories, duplicates)

    def _save_stories(
        self, session: Session, stories: Sequence[Story], duplicates: Mapping[str, str]
    ) -> None:
        members = list(dict.fromkeys(aid for s in stories for aid in s.article_ids))
        self._require_articles(session, members, "story")
        session.execute(delete(StoryArticleRow))
        session.execute(delete(StoryRow))
        now = utc_now()
        for position, story in enumerate(stories):
            session.add(
                StoryRow(
                    id=story.id,
                    position=position,
                    title=story.title,
                    data=story.model_dump(mode="json"),
                    updated_at=now,
                )
            )
        session.flush()  # stories first, so memberships' foreign keys resolve
        for story in stories:
            for aid in dict.fromkeys(story.article_ids):
                session.add(
                    StoryArticleRow(
                        story_id=story.id, article_id=aid, duplicate_of=duplicates.get(aid)
                    )
                )

    def get_stories(self) -> list[Story]:
        with self._sessions() as session:
            rows = session.scalars(select(StoryRow).order_by(StoryRow.position, StoryRow.id))
            return [Story.model_validate(row.data) for row in rows]

    def story_of(self, article_id: str) -> str | None:
        """The id of the story the article belongs to, if any."""
        with self._sessions() as session:
            return session.scalars(
                select(StoryArticleRow.story_id)
                .join(StoryRow, StoryRow.id == StoryArticleRow.story_id)
                .where(StoryArticleRow.article_id == article_id)
                .order_by(StoryRow.position)
                .limit(1)
            ).first()

    def duplicates(self) -> dict[str, str]:
        """Syndicated copy id -> original id, as last saved with the stories."""
        with self._sessions() as session:
            rows = session.execute(
                select(StoryArticleRow.article_id, StoryArticleRow.duplicate_of).where(
                    StoryArticleRow.duplicate_of.is_not(None)
                )
            )
            return {aid: orig for aid, orig in rows if orig is not None}

    # ---------------------------------------------------------------- meta

    def get_meta(self, key: str) -> bytes | None:
        """The value stored under `key`, or None."""
        with self._sessions() as session:
            row = session.get(MetaRow, key)
            return None if row is None else bytes(row.value)

    def set_meta(self, key: str, value: bytes) -> None:
        """Store `value` under `key`, replacing what was there."""
        with self._write() as session:
            self._set_meta(session, key, value)

    @staticmethod
    def _set_meta(session: Session, key: str, value: bytes) -> None:
        row = session.get(MetaRow, key)
        if row is None:
            session.add(MetaRow(key=key, value=value, updated_at=utc_now()))
        else:
            row.value, row.updated_at = value, utc_now()

    # ---------------------------------------------------------------- one step, atomically

    def save_run(
        self,
        analyses: Sequence[ArticleAnalysis],
        stories: Sequence[Story],
        duplicates: Mapping[str, str],
        meta: Mapping[str, bytes],
        *,
        unchanged: Mapping[str, bytes | None] | None = None,
    ) -> bool:
        """Save the analyses, replace the stories and set the meta values in one transaction,
        so a crash or kill leaves the store as it was before or after, never in between.

        With `unchanged`, nothing is saved and False is returned when a meta value is no
        longer what the caller read (None: absent): another process saved its own run
        meanwhile, and the caller must start again from what is stored now.
        """
        with self._write() as session:
            for key, expected in (unchanged or {}).items():
                row = session.get(MetaRow, key)
                if (None if row is None else bytes(row.value)) != expected:
                    return False
            self._save_analyses(session, analyses)
            self._save_stories(session, stories, duplicates)
            for key, value in meta.items():
                self._set_meta(session, key, value)
        return True

    def counts(self) -> dict[str, int]:
        """Rows per table, keyed by table name."""
        with self._sessions() as session:
            return {
                table: session.scalar(select(func.count()).select_from(model)) or 0
                for table, model in (
                    ("articles", ArticleRow),
                    ("analyses", AnalysisRow),
                    ("stories", StoryRow),
                    ("story_articles", StoryArticleRow),
                )
            }

    # ---------------------------------------------------------------- helpers

    def _require_articles(self, session: Session, ids: Sequence[str], what: str) -> None:
        # Checked up front so the user gets a clear message, not a foreign-key IntegrityError.
        known = find_existing(session, ArticleRow.id, ids)
        for aid in ids:
            if aid not in known:
                raise CrosswireError(Msg.DB_UNKNOWN_ARTICLE.format(what=what, article_id=aid))


def _fit_id(article: Article) -> Article:
    """The article, its id shortened to fit the column when longer: a prefix and a digest of
    the whole id, so the same long id always maps to the same stored one."""
    if len(article.id) <= ID_LENGTH:
        return article
    digest = hashlib.sha256(article.id.encode("utf-8")).hexdigest()[:16]
    return article.model_copy(update={"id": f"{article.id[: ID_LENGTH - 17]}-{digest}"})
