"""Feed state for `crosswire watch`: what is known of each polled feed, and the entries it has
already turned into articles (so no page is fetched twice, across polls and runs). The tables
(`feeds`, `feed_entries`) are in `tables.py` with the rest of the schema.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from crosswire.store.store import Store
from crosswire.store.tables import ArticleRow, FeedEntryRow, FeedRow, find_existing, utc_now

__all__ = ["FeedState", "FeedStore"]


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


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def _feed_state(row: FeedRow) -> FeedState:
    # The state's fields are the row's columns.
    state = FeedState(**{f.name: getattr(row, f.name) for f in fields(FeedState)})
    state.failures = state.failures or 0
    return state


class FeedStore:
    """The feed methods of a `Store`: `FeedStore(store).state(url)`. A wrapper rather than
    methods inside `Store`, so the feed code stays in this module."""

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
            for name in (f.name for f in fields(FeedState)):
                setattr(row, name, getattr(state, name))

    def seen_keys(self, feed_url: str, keys: Sequence[str]) -> set[str]:
        """Those of `keys` already recorded for the feed."""
        by_hash = {_key_hash(k): k for k in keys}
        with self._sessions() as session:
            found = find_existing(
                session, FeedEntryRow.key_hash, list(by_hash), FeedEntryRow.feed_url == feed_url
            )
        return {by_hash[h] for h in found}

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of `urls` that an entry of any feed, or a stored article, already had."""
        urls = list(dict.fromkeys(urls))
        with self._sessions() as session:
            return find_existing(session, FeedEntryRow.url, urls) | find_existing(
                session, ArticleRow.url, urls
            )

    def mark_seen(
        self, feed_url: str, entries: Sequence[tuple[str, str | None, str | None]]
    ) -> None:
        """Record (entry key, link, article id) for the feed; keys recorded before are kept."""
        with self._write() as session:
            if session.get(FeedRow, feed_url) is None:
                session.add(FeedRow(url=feed_url, next_due=utc_now(), failures=0))
                session.flush()
            hashes = [_key_hash(key) for key, _, _ in entries]
            known = find_existing(
                session, FeedEntryRow.key_hash, hashes, FeedEntryRow.feed_url == feed_url
            )
            now = utc_now()
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
