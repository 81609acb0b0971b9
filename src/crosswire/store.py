"""Persistence of articles, analyses and stories with SQLAlchemy 2 (SQLite by default, or
PostgreSQL with `crosswire[postgres]`: any SQLAlchemy URL, `postgresql://...` included).

The schema lives in one place, `metadata`; Alembic migrations in `crosswire/migrations` build
it, and `Store(...)` upgrades a database to the newest one on open. A table added here needs a
migration too (how: crosswire/migrations/__init__.py); tests/test_migrations.py fails until it
has one. Only portable column types are used, so the same tables work on both backends.

Writers take turns: every write goes through `Store._write()`, one transaction that holds the
database's write lock (SQLite `BEGIN IMMEDIATE`; a PostgreSQL advisory lock) from its first
read, so "insert if absent" cannot race another process (a server and `watch`, say).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from alembic.util import CommandError
from pydantic import BaseModel
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from crosswire.errors import CrosswireError, Msg
from crosswire.models import Article, ArticleAnalysis, Report, ReportArticle, Story

BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another process's lock before giving up."""

ID_LENGTH = 255
"""Longest article id the `articles.id` column (String(255)) holds; PostgreSQL enforces it."""

_IN_CHUNK = 500
"""Ids per IN (...) query; SQLite caps bound parameters per statement."""

_WRITE_LOCK = 0x63726F7373  # "cross": the PostgreSQL advisory lock key writers take turns on
_WRITE = "crosswire_write"
"""Execution option that marks a write transaction (SQLite: BEGIN IMMEDIATE)."""

# JSON on every backend, JSONB (indexable, compact) on PostgreSQL.
_Json = JSON().with_variant(JSONB(), "postgresql")


class _UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL keeps the offset (timestamptz); SQLite keeps none, so values are stored in UTC
    and read back with UTC attached, and both backends give the same aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps aware ones only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


metadata = Base.metadata


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    published_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    boilerplate_removed: Mapped[list[str]] = mapped_column(_Json, default=list)
    language: Mapped[str | None] = mapped_column(String(32), nullable=True)
    origin: Mapped[str] = mapped_column(Text, default="")
    via: Mapped[str | None] = mapped_column(Text, nullable=True)
    added_at: Mapped[datetime] = mapped_column(_UtcDateTime)


class AnalysisRow(Base):
    __tablename__ = "analyses"

    article_id: Mapped[str] = mapped_column(
        String(255), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(_Json)


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    # Keeps the order stories were saved in; ids need not sort the way they were ranked.
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(_Json)
    updated_at: Mapped[datetime] = mapped_column(_UtcDateTime)


class StoryArticleRow(Base):
    __tablename__ = "story_articles"

    story_id: Mapped[str] = mapped_column(
        String(255), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[str] = mapped_column(
        String(255), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    duplicate_of: Mapped[str | None] = mapped_column(String(255), nullable=True)


class MetaRow(Base):
    """Other state kept between runs, by key (the story index: `STORY_INDEX_KEY`)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(_UtcDateTime)


def _to_url(url: str) -> URL:
    """A SQLAlchemy URL as given, or a plain file path as a SQLite database (folders created)."""
    if "://" in url:
        sa_url = make_url(url)
        # Bare postgresql:// would mean psycopg2; the `postgres` extra ships psycopg 3.
        if sa_url.drivername in ("postgresql", "postgres"):
            sa_url = sa_url.set(drivername="postgresql+psycopg")
        return sa_url
    path = Path(url).expanduser()
    if url != ":memory:":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OSError(f"cannot create folder {path.parent}: {exc.strerror or exc}") from exc
    return URL.create("sqlite", database=str(path))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while one process writes; the busy timeout makes a second writer
    # wait instead of failing at once; foreign keys match what PostgreSQL enforces anyway.
    # The driver's own transaction handling starts a transaction only at the first write, so a
    # read-then-write would not be one transaction; `_sqlite_begin` emits BEGIN itself instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock at once (waiting up to the busy timeout): a deferred one
    # that read first fails at its first write if another process wrote in between.
    immediate = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _take_write_lock(conn: Connection | Session) -> None:
    """On PostgreSQL, the advisory lock writers take turns on, held to the transaction's end
    (SQLite's BEGIN IMMEDIATE already holds its write lock)."""
    dialect = conn.dialect if isinstance(conn, Connection) else conn.get_bind().dialect
    if dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK})


_UPGRADING = threading.Lock()


def _upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration, in one transaction that other processes
    opening the same database wait for (SQLite: its write lock; PostgreSQL: transactional DDL
    under the writers' advisory lock)."""
    from alembic import command
    from sqlalchemy import inspect

    from crosswire.migrations import BASELINE, alembic_config

    config = alembic_config()
    # Alembic keeps the running migration in module globals: one upgrade per process at a time.
    with _UPGRADING, engine.execution_options(**{_WRITE: True}).begin() as conn:
        _take_write_lock(conn)
        config.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "articles" in tables and "alembic_version" not in tables:
            # Made by create_all before migrations existed: that schema is the baseline.
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _IN_CHUNK):
        yield items[i : i + _IN_CHUNK]


def _now() -> datetime:
    return datetime.now(UTC)


class Store:
    """Articles, their analyses and the stories they form, kept between runs."""

    def __init__(self, url: str) -> None:
        shown = url
        try:
            sa_url = _to_url(str(url))
            shown = sa_url.render_as_string(hide_password=True)
            self.engine: Engine = create_engine(sa_url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
                event.listen(self.engine, "begin", _sqlite_begin)
            _upgrade(self.engine)
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
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )

    # ---------------------------------------------------------------- lifecycle

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction, holding the write lock from its first statement."""
        with self._writes.begin() as session:
            _take_write_lock(session)
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
            known_hashes = self._existing(session, ArticleRow.content_hash, hashes)
            taken_ids = self._existing(session, ArticleRow.id, ids)
            now = _now()
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
                session.add(_article_row(article, now))
                added.append(article)
        return added

    @staticmethod
    def _existing(session: Session, column: Any, values: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(values):
            found.update(session.scalars(select(column).where(column.in_(chunk))))
        return found

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
            return [_article_model(row) for row in rows]

    # ---------------------------------------------------------------- analyses

    def save_analyses(self, analyses: Sequence[ArticleAnalysis]) -> None:
        """Insert or replace each article's analysis, in one transaction."""
        with self._write() as session:
            self._save_analyses(session, analyses)

    def _save_analyses(self, session: Session, analyses: Sequence[ArticleAnalysis]) -> None:
        ids = list(dict.fromkeys(a.article_id for a in analyses))
        self._require_articles(session, ids, "analysis")
        existing: dict[str, AnalysisRow] = {}
        for chunk in _chunks(ids):
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
                for chunk in _chunks(list(dict.fromkeys(ids))):
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
        now = _now()
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
            session.add(MetaRow(key=key, value=value, updated_at=_now()))
        else:
            row.value, row.updated_at = value, _now()

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
        known = self._existing(session, ArticleRow.id, ids)
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


def _article_row(article: Article, added_at: datetime) -> ArticleRow:
    return ArticleRow(
        id=article.id,
        content_hash=article.content_hash,
        source=article.source,
        title=article.title,
        url=article.url,
        published=article.published,
        published_inferred=article.published_inferred,
        text=article.text,
        boilerplate_removed=list(article.boilerplate_removed),
        language=article.language,
        origin=article.origin,
        via=article.via,
        added_at=added_at,
    )


def _article_model(row: ArticleRow) -> Article:
    return Article(
        id=row.id,
        source=row.source,
        title=row.title,
        url=row.url,
        published=row.published,
        published_inferred=row.published_inferred,
        text=row.text,
        boilerplate_removed=list(row.boilerplate_removed or []),
        language=row.language,
        origin=row.origin,
        via=row.via,
    )


# =========================================================================== feeds (`watch`)
# Appended as one section: the state `crosswire watch` keeps per feed, and the entries it has
# already turned into articles (so no page is fetched twice, across polls and runs). The
# `feeds` and `feed_entries` tables need their migration beside the others.


@dataclass
class FeedState:
    """What is known of one polled feed."""

    url: str
    next_due: datetime
    etag: str | None = None
    last_modified: str | None = None
    last_checked: datetime | None = None
    failures: int = 0
    """Polls failed in a row (0 after a success); the backoff grows with it."""
    last_error: str | None = None


class FeedRow(Base):
    __tablename__ = "feeds"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_modified: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_checked: Mapped[datetime | None] = mapped_column(_UtcDateTime, nullable=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_due: Mapped[datetime] = mapped_column(_UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class FeedEntryRow(Base):
    """An entry already read (or given up on): by feed and entry key, and by its link."""

    __tablename__ = "feed_entries"

    feed_url: Mapped[str] = mapped_column(
        String(2048), ForeignKey("feeds.url", ondelete="CASCADE"), primary_key=True
    )
    # sha256 of the entry's key (its id, else link): keys can be longer than an index allows
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2048), nullable=True, index=True)
    article_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    seen_at: Mapped[datetime] = mapped_column(_UtcDateTime)


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def _feed_state(row: FeedRow) -> FeedState:
    return FeedState(
        url=row.url,
        next_due=row.next_due,
        etag=row.etag,
        last_modified=row.last_modified,
        last_checked=row.last_checked,
        failures=row.failures or 0,
        last_error=row.last_error,
    )


class FeedStore:
    """The feed methods of a `Store`: `FeedStore(store).state(url)`. A wrapper rather than
    methods inside `Store`, so that this section stays in one place."""

    def __init__(self, store: Store) -> None:
        self._sessions = store._sessions
        self._write = store._write  # read-then-write steps, under the writers' lock

    def state(self, url: str) -> FeedState | None:
        """The stored state of the feed at `url`, or None if it was never polled."""
        with self._sessions() as session:
            row = session.get(FeedRow, url)
            return None if row is None else _feed_state(row)

    def save_state(self, state: FeedState) -> None:
        """Insert or replace the feed's state."""
        with self._write() as session:
            row = session.get(FeedRow, state.url)
            if row is None:
                row = FeedRow(url=state.url)
                session.add(row)
            row.etag, row.last_modified = state.etag, state.last_modified
            row.last_checked, row.failures = state.last_checked, state.failures
            row.next_due, row.last_error = state.next_due, state.last_error

    def seen_keys(self, feed_url: str, keys: Sequence[str]) -> set[str]:
        """Those of `keys` already recorded for the feed."""
        by_hash = {_key_hash(k): k for k in keys}
        with self._sessions() as session:
            found = _existing_where(
                session, FeedEntryRow.key_hash, list(by_hash), FeedEntryRow.feed_url == feed_url
            )
        return {by_hash[h] for h in found}

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of `urls` that an entry of any feed, or a stored article, already had."""
        urls = list(dict.fromkeys(urls))
        with self._sessions() as session:
            return _existing_where(session, FeedEntryRow.url, urls, true()) | _existing_where(
                session, ArticleRow.url, urls, true()
            )

    def mark_seen(
        self, feed_url: str, entries: Sequence[tuple[str, str | None, str | None]]
    ) -> None:
        """Record (entry key, link, article id) for the feed; keys recorded before are kept."""
        with self._write() as session:
            if session.get(FeedRow, feed_url) is None:
                session.add(FeedRow(url=feed_url, next_due=_now(), failures=0))
                session.flush()
            hashes = [_key_hash(key) for key, _, _ in entries]
            known = _existing_where(
                session, FeedEntryRow.key_hash, hashes, FeedEntryRow.feed_url == feed_url
            )
            now = _now()
            for (_, url, article_id), digest in zip(entries, hashes, strict=True):
                if digest in known:
                    continue
                known.add(digest)
                session.add(
                    FeedEntryRow(
                        feed_url=feed_url,
                        key_hash=digest,
                        url=url,
                        article_id=article_id,
                        seen_at=now,
                    )
                )


def _existing_where(
    session: Session, column: Any, values: Sequence[str], condition: Any
) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(values):
        found.update(session.scalars(select(column).where(condition, column.in_(chunk))))
    return found


# =============================================================================== server reads
# Reads for `crosswire serve` (server.py), kept in this one section so the code above stays as
# it is. No new table: each `stories` row already holds the story's full `Story` model, and a
# story's report.json is that story plus its member articles (`ServerStore.story_report`).


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
            return None if row is None else _article_model(row)

    def articles_by_id(self, ids: Sequence[str]) -> dict[str, Article]:
        found: dict[str, Article] = {}
        with self._sessions() as session:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                for row in session.scalars(select(ArticleRow).where(ArticleRow.id.in_(chunk))):
                    found[row.id] = _article_model(row)
        return found

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
            return [_article_model(row) for row in rows], total

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
            articles.append(
                ReportArticle(
                    id=art.id,
                    source=art.source,
                    title=art.title,
                    url=art.url,
                    published=published,
                    published_inferred=inferred,
                    boilerplate_removed=art.boilerplate_removed,
                    language=art.language or (analysis.language if analysis else None),
                    story_id=story.id,
                    duplicate_of=copies.get(aid),
                    text=art.text,
                )
            )
        return Report(generated_at=generated, articles=articles, stories=[story])
