"""`crosswire watch`: poll feeds on a schedule and pass new articles through the pipeline.

Each feed is asked with a conditional request (If-None-Match / If-Modified-Since from its last
answer; 304 means nothing new), on failure retried after an exponentially growing, jittered,
capped delay, and its entries are read only once: an entry whose key (id, else link) the feed
already gave, or whose link any feed gave or any stored article has, is skipped before its page
is fetched. The state lives in the store (`FeedStore`), so all of this holds across runs.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from lxml import etree

from crosswire.clean import clean_articles
from crosswire.errors import CrosswireError, InputReadError, Msg
from crosswire.inputs import FeedEntry, decode_bytes
from crosswire.inputs.fetch import Fetcher, FetchError, feed_entries
from crosswire.models import Article, InputError
from crosswire.options import Options
from crosswire.store import FeedState, FeedStore, Store

__all__ = ["PollResult", "Watcher", "backoff_delay", "read_feed_list"]

Log = Callable[[str], None]


def read_feed_list(path: Path) -> list[str]:
    """Feed URLs from an OPML file (every outline's xmlUrl) or a text file (one URL a line,
    `#` starts a comment), in order, each once. Raises `CrosswireError` when none is found."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CrosswireError(
            f"{path}: {Msg.READ_FAILED.format(error=error.strerror or error)}"
        ) from None
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<opml" in head:
        urls = _opml_urls(data, path)
    else:
        text = decode_bytes(data, str(path)) if data.strip() else ""
        urls = []
        for line in text.splitlines():
            line = line.strip()
            # a comment starts a line or follows a space; a '#' inside a URL is its fragment
            line = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
            if line and not line.startswith("#"):
                urls.append(line)
    if not urls:
        raise CrosswireError(f"{path}: {Msg.FEEDS_FILE_EMPTY}")
    return list(dict.fromkeys(urls))


def _opml_urls(data: bytes, path: Path) -> list[str]:
    # no entities, no network: an OPML file is someone else's XML
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise CrosswireError(f"{path}: {Msg.FEEDS_FILE_OPML.format(error=error)}") from None
    return [
        url.strip()
        for outline in root.iter("outline")
        if (url := outline.get("xmlUrl") or outline.get("xmlurl"))
    ]


def backoff_delay(failures: int, interval: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait after `failures` failed polls in a row (>= 1): the interval doubled per
    failure after the first, capped (never below the interval), then "equal jitter" (a uniform
    draw over its upper half) so that feeds failing together do not retry together."""
    ceiling = min(max(cap, interval), interval * 2 ** (failures - 1))
    return ceiling * rng.uniform(0.5, 1.0)


@dataclass
class PollResult:
    feed: str
    outcome: Literal["new", "not_modified", "failed"]
    articles: list[Article] = field(default_factory=list)
    """Articles stored by this poll."""
    skipped: int = 0
    """Entries already seen: no page fetched for them."""
    errors: list[InputError] = field(default_factory=list)
    retry: int = 0
    """Entries that failed for now (timeouts, 5xx): asked again at the next poll."""


class Watcher:
    """Polls feeds into one store. `clock` and `rng` are the time and jitter (tests set them)."""

    def __init__(
        self,
        store: Store,
        options: Options,
        *,
        fetcher: Fetcher | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
        log: Log = lambda line: None,
    ) -> None:
        self.store = store
        self.feeds = FeedStore(store)
        self.options = options
        self.fetcher = fetcher or Fetcher(options)
        self.clock = clock
        self.rng = rng or random.Random()
        self.log = log

    def close(self) -> None:
        self.fetcher.close()

    def due(self, urls: Sequence[str]) -> list[str]:
        """The feeds due now (a feed never polled is due)."""
        now = self.clock()
        found = []
        for url in urls:
            state = self.feeds.state(url)
            if state is None or state.next_due <= now:
                found.append(url)
        return found

    def next_due(self, urls: Sequence[str]) -> datetime:
        """When the first of the feeds is next due."""
        now = self.clock()
        times = [s.next_due if (s := self.feeds.state(u)) else now for u in urls]
        return min(times, default=now)

    def poll(self, url: str) -> PollResult:
        """Poll one feed now: fetch it conditionally, read its unseen entries, store their
        articles, and keep its state (validators on success, backoff on failure)."""
        now = self.clock()
        state = self.feeds.state(url) or FeedState(url=url, next_due=now)
        state.last_checked = now
        headers: dict[str, str] = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            fetched = self.fetcher.get(url, headers=headers)
            if fetched.status == 304:
                self._succeeded(state, now)
                self.log(f"{url}: not modified")
                return PollResult(url, "not_modified")
            entries: list[FeedEntry]
            try:
                entries = feed_entries(url, fetched)
            except InputReadError as error:
                if error.message != Msg.FEED_EMPTY:
                    raise
                entries = []
        except InputReadError as error:
            wait = error.retry_after if isinstance(error, FetchError) else None
            return self._failed(state, now, error.message, retry_after=wait)
        result = self._read_entries(url, entries)
        # Validators are saved only now: saved before the articles, a crash in between would
        # turn the next poll into a 304 and lose the entries. Nor are they saved when an entry
        # failed for now, so that the next poll gets the whole feed and tries it again.
        if not result.retry:
            state.etag = fetched.headers.get("etag") or None
            state.last_modified = fetched.headers.get("last-modified") or None
        self._succeeded(state, now)
        self.log(
            f"{url}: {len(result.articles)} new, {result.skipped} seen before, "
            f"{len(result.errors)} failed"
        )
        return result

    def _read_entries(self, url: str, todo: Sequence[FeedEntry]) -> PollResult:
        seen = self.feeds.seen_keys(url, [e.key for e in todo])
        known = self.feeds.known_urls([e.link for e in todo if e.link])
        result = PollResult(url, "new")
        read: list[tuple[Article, tuple[str, str | None]]] = []
        done: list[tuple[str, str | None, str | None]] = []
        for entry in todo:
            if entry.key in seen or (entry.link and entry.link in known):
                result.skipped += 1
                continue
            try:
                article = self.fetcher.entry_article(entry, url)
            except FetchError as error:
                result.errors.append(InputError(origin=error.origin, message=error.message))
                self.log(f"{error.origin}: {error.message}")
                if error.transient:
                    result.retry += 1
                else:  # a lasting failure is not asked again at each poll
                    done.append((entry.key, entry.link, None))
                continue
            read.append((article, (entry.key, entry.link)))
            if entry.link:
                known.add(entry.link)  # the same link twice in one feed is read once
        cleaned = clean_articles([a for a, _ in read], self.options)
        added = {a.content_hash: a for a in self.store.add_articles(cleaned)}
        for article, (key, link) in zip(cleaned, (k for _, k in read), strict=True):
            stored = added.get(article.content_hash)
            done.append((key, link, stored.id if stored else None))
            if stored is not None:
                result.articles.append(stored)
        self.feeds.mark_seen(url, done)
        return result

    def _succeeded(self, state: FeedState, now: datetime) -> None:
        state.failures, state.last_error = 0, None
        state.next_due = now + timedelta(seconds=self.options.watch_interval)
        self.feeds.save_state(state)

    def _failed(
        self, state: FeedState, now: datetime, message: str, *, retry_after: float | None = None
    ) -> PollResult:
        state.failures += 1
        state.last_error = message
        delay = backoff_delay(
            state.failures, self.options.watch_interval, self.options.watch_max_backoff, self.rng
        )
        if retry_after is not None:  # the server's Retry-After, within the same cap
            cap = max(self.options.watch_max_backoff, self.options.watch_interval)
            delay = max(delay, min(retry_after, cap))
        state.next_due = now + timedelta(seconds=delay)
        self.feeds.save_state(state)
        self.log(f"{state.url}: {message} (failure {state.failures}; next try in {delay:.0f} s)")
        return PollResult(
            state.url, "failed", errors=[InputError(origin=state.url, message=message)]
        )

    def poll_due(
        self, urls: Sequence[str], stop: threading.Event | None = None
    ) -> list[PollResult]:
        """Poll every feed due now, one after another; stops between feeds once `stop` is set."""
        results = []
        for url in self.due(urls):
            if stop is not None and stop.is_set():
                break
            results.append(self.poll(url))
        return results
