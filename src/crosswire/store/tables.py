"""The store's schema, in one place (`metadata`): the SQLAlchemy tables, the conversion of
articles to and from their rows, and the chunked `IN (...)` look-up every part of the store uses.

Alembic migrations in `crosswire/migrations` build this schema. A table or column added here
needs a migration too (how: crosswire/migrations/__init__.py); tests/test_migrations.py fails
until it has one. Only portable column types are used, so the same tables work on SQLite and
PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from crosswire.models import Article

__all__ = [
    "ID_LENGTH",
    "AnalysisRow",
    "ArticleRow",
    "Base",
    "FeedEntryRow",
    "FeedRow",
    "MetaRow",
    "StoryArticleRow",
    "StoryRow",
    "article_model",
    "article_row",
    "chunks",
    "find_existing",
    "metadata",
    "utc_now",
]

ID_LENGTH = 255
"""Longest article id the `articles.id` column (String(255)) holds; PostgreSQL enforces it."""

_IN_CHUNK = 500
"""Ids per IN (...) query; SQLite caps bound parameters per statement."""

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


# The state `crosswire watch` keeps per feed, and the entries it has already turned into
# articles (so no page is fetched twice, across polls and runs).


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


def article_row(article: Article, added_at: datetime) -> ArticleRow:
    # The model's fields are the table's columns (its computed content_hash included).
    return ArticleRow(**article.model_dump(), added_at=added_at)


def article_model(row: ArticleRow) -> Article:
    # fields excluded from dumps (source_from: said by the run that read it) are not stored
    fields = {n: getattr(row, n) for n, f in Article.model_fields.items() if not f.exclude}
    return Article(**fields | {"boilerplate_removed": list(row.boilerplate_removed or [])})


def chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _IN_CHUNK):
        yield items[i : i + _IN_CHUNK]


def find_existing(session: Session, column: Any, values: Sequence[str], *where: Any) -> set[str]:
    """Those of `values` found in `column` (of the rows meeting `where`), in chunks."""
    found: set[str] = set()
    for chunk in chunks(values):
        found.update(session.scalars(select(column).where(*where, column.in_(chunk))))
    return found


def utc_now() -> datetime:
    return datetime.now(UTC)
