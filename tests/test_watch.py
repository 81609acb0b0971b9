"""watch: conditional polls, backoff, each article fetched once across polls and runs, the
FEEDS file, and `crosswire watch --once` end to end (no network: a mock transport, or a
server on 127.0.0.1)."""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.errors import CrosswireError, Msg
from crosswire.inputs.fetch import Fetcher, FetchError
from crosswire.options import Options
from crosswire.store import FeedStore, Store
from crosswire.watch import Watcher, backoff_delay, read_feed_list
from local_http import LocalServer, respond, serve
from test_fetch import PARAGRAPHS, page

FEED = "https://agg.example/rss"


def rss(*items: tuple[str, str]) -> str:
    """A feed of summary-only entries: (guid, link) each."""
    body = "".join(
        f"<item><title>Story {guid}</title><link>{link}</link><guid>{guid}</guid>"
        f"<description>Short summary.</description></item>"
        for guid, link in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Agg</title>{body}</channel></rss>'
    )


class Site:
    """A mock web: one feed (with ETag/Last-Modified) and pages; counts every request."""

    def __init__(self) -> None:
        self.feeds = {
            FEED: rss(("g1", "https://coast.example/1"), ("g2", "https://coast.example/2"))
        }
        self.etag = '"v1"'
        self.modified = "Fri, 14 Mar 2025 10:00:00 GMT"
        self.fail_feed = 0
        self.requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        url = str(request.url)
        if url.endswith("/robots.txt"):
            return httpx.Response(404)
        if url in self.feeds:
            if self.fail_feed:
                self.fail_feed -= 1
                return httpx.Response(503)
            if request.headers.get("if-none-match") == self.etag:
                return httpx.Response(304)
            headers = {"etag": self.etag, "last-modified": self.modified}
            return httpx.Response(200, text=self.feeds[url], headers=headers)
        if url.startswith("https://coast.example/"):
            n = url.rsplit("/", 1)[1]
            return httpx.Response(200, html=page(title=f"Harbour story {n} of the fire"))
        return httpx.Response(404)

    def hits(self, url: str) -> int:
        return sum(1 for r in self.requests if str(r.url) == url)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(str(tmp_path / "watch.db")) as db:
        yield db


def watcher(store: Store, site: Site, clock: Clock, **options: float) -> Watcher:
    opts = Options(**options)  # type: ignore[arg-type]
    fetcher = Fetcher(opts, transport=httpx.MockTransport(site.handler))
    return Watcher(store, opts, fetcher=fetcher, clock=clock, rng=random.Random(7))


def test_first_poll_reads_each_summary_entry_from_its_page(store: Store) -> None:
    site, clock = Site(), Clock()
    result = watcher(store, site, clock).poll(FEED)
    assert result.outcome == "new" and result.errors == []
    assert sorted(a.url or "" for a in result.articles) == [
        "https://coast.example/1",
        "https://coast.example/2",
    ]
    assert {a.source for a in store.get_articles()} == {"Coast Herald"}


def test_second_poll_is_conditional_and_304_fetches_no_page(store: Store) -> None:
    site, clock = Site(), Clock()
    w = watcher(store, site, clock)
    w.poll(FEED)
    before = len(site.requests)
    clock.now += timedelta(hours=1)
    result = w.poll(FEED)
    feed_requests = [r for r in site.requests if str(r.url) == FEED]
    assert feed_requests[-1].headers["if-none-match"] == '"v1"'
    assert feed_requests[-1].headers["if-modified-since"] == site.modified
    assert "if-none-match" not in feed_requests[0].headers
    assert result.outcome == "not_modified" and result.articles == []
    assert [str(r.url) for r in site.requests[before:]] == [FEED]  # no page fetched
    state = FeedStore(store).state(FEED)
    assert state is not None and state.last_checked == clock.now and state.failures == 0


def test_backoff_grows_on_errors_and_resets_on_success(store: Store) -> None:
    site, clock = Site(), Clock()
    site.fail_feed = 4
    interval, cap = 600.0, 3000.0
    w = watcher(store, site, clock, watch_interval=interval, watch_max_backoff=cap)
    feeds = FeedStore(store)
    delays = []
    for failures in range(1, 5):
        assert w.due([FEED]) == [FEED]
        result = w.poll(FEED)
        assert result.outcome == "failed" and "HTTP 503" in result.errors[0].message
        state = feeds.state(FEED)
        assert state is not None and state.failures == failures
        delay = (state.next_due - clock.now).total_seconds()
        ceiling = min(cap, interval * 2 ** (failures - 1))
        assert ceiling / 2 <= delay <= ceiling
        delays.append(delay)
        clock.now += timedelta(seconds=delay - 1)
        assert w.due([FEED]) == []  # not retried before its time
        clock.now += timedelta(seconds=1)
    assert delays[2] > delays[0]  # grows (each ceiling doubles; jitter stays in its upper half)
    assert w.poll(FEED).outcome == "new"
    state = feeds.state(FEED)
    assert state is not None and state.failures == 0 and state.last_error is None
    assert state.next_due == clock.now + timedelta(seconds=interval)


def test_retry_after_from_the_server_lengthens_the_wait_within_the_cap(store: Store) -> None:
    site, clock = Site(), Clock()

    def busy(request: httpx.Request) -> httpx.Response:
        if str(request.url) == FEED:
            return httpx.Response(429, headers={"retry-after": "7200"})
        return site.handler(request)

    opts = Options(watch_interval=600, watch_max_backoff=3600)
    fetcher = Fetcher(opts, transport=httpx.MockTransport(busy))
    w = Watcher(store, opts, fetcher=fetcher, clock=clock, rng=random.Random(3))
    assert "HTTP 429" in w.poll(FEED).errors[0].message
    state = FeedStore(store).state(FEED)
    assert state is not None and state.next_due == clock.now + timedelta(seconds=3600)


def test_backoff_delay_is_capped_and_jittered() -> None:
    rng = random.Random(1)
    draws = {round(backoff_delay(30, 60, 3600, rng), 3) for _ in range(20)}
    assert all(1800 <= d <= 3600 for d in draws) and len(draws) > 1


def test_an_article_is_never_fetched_twice_across_polls_and_runs(store: Store) -> None:
    site, clock = Site(), Clock()
    watcher(store, site, clock).poll(FEED)
    # the feed changes (new ETag): one new entry, the old two still listed
    site.feeds[FEED] = rss(
        ("g1", "https://coast.example/1"),
        ("g2", "https://coast.example/2"),
        ("g3", "https://coast.example/3"),
    )
    site.etag = '"v2"'
    clock.now += timedelta(hours=1)
    result = watcher(store, site, clock).poll(FEED)  # a new Watcher: as a later run would
    assert [a.url for a in result.articles] == ["https://coast.example/3"]
    assert result.skipped == 2
    # another feed listing a known page under another id does not fetch it either
    other = "https://other.example/rss"
    site.feeds[other] = rss(("x9", "https://coast.example/1"))
    assert watcher(store, site, clock).poll(other).skipped == 1
    for n in (1, 2, 3):
        assert site.hits(f"https://coast.example/{n}") == 1
    assert len(store.get_articles()) == 3


def test_lasting_page_failure_is_not_retried_but_a_passing_one_is(store: Store) -> None:
    site, clock = Site(), Clock()
    calls = {"1": 0, "2": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        for n in calls:
            if url == f"https://coast.example/{n}":
                calls[n] += 1
                return httpx.Response(404 if n == "1" else 503)
        return site.handler(request)

    opts = Options()
    fetcher = Fetcher(opts, transport=httpx.MockTransport(handler))
    w = Watcher(store, opts, fetcher=fetcher, clock=clock)
    first = w.poll(FEED)
    assert first.outcome == "new" and len(first.errors) == 2
    assert any("HTTP 404" in e.message and "coast.example/1" in e.message for e in first.errors)
    # the feed is unchanged, yet it is asked in full (no validators kept) to retry entry 2
    clock.now += timedelta(hours=1)
    second = w.poll(FEED)
    assert second.outcome == "new" and second.retry == 1
    assert calls == {"1": 1, "2": 2}


def test_bad_redirect_location_is_one_clear_error() -> None:
    fetcher = Fetcher(
        Options(respect_robots_txt=False),
        transport=httpx.MockTransport(
            lambda r: httpx.Response(302, headers={"location": "http://a:b/"})
        ),
    )
    with pytest.raises(FetchError, match=r"HTTP error \(Invalid URL in location header"):
        fetcher.get(FEED)


def test_stop_takes_effect_between_feeds(store: Store) -> None:
    site, clock = Site(), Clock()
    other = "https://other.example/rss"
    site.feeds[other] = rss(("x1", "https://coast.example/9"))
    stop = threading.Event()
    opts = Options()
    fetcher = Fetcher(opts, transport=httpx.MockTransport(site.handler))
    # Ctrl-C (the CLI sets this event) arrives while the first feed is being read
    w = Watcher(store, opts, fetcher=fetcher, clock=clock, log=lambda line: stop.set())
    results = w.poll_due([FEED, other], stop)
    assert [r.feed for r in results] == [FEED] and results[0].outcome == "new"
    assert site.hits(other) == 0 and w.due([FEED, other]) == [other]


def test_feed_that_is_no_feed_counts_as_a_failure(store: Store) -> None:
    site, clock = Site(), Clock()
    site.feeds[FEED] = page()
    result = watcher(store, site, clock).poll(FEED)
    assert result.outcome == "failed" and result.errors[0].message == Msg.FEED_NOT_FEED


# --------------------------------------------------------------------------- FEEDS file


def test_plain_feed_list_keeps_order_skips_comments_and_repeats(tmp_path: Path) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text(
        "# world news\nhttps://a.example/rss\n\n  https://b.example/feed#top  # the B feed\n"
        "https://a.example/rss\n#https://c.example/rss\n"
    )
    assert read_feed_list(path) == ["https://a.example/rss", "https://b.example/feed#top"]


def test_opml_feed_list_reads_every_outline_url(tmp_path: Path) -> None:
    path = tmp_path / "feeds.opml"
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>'
        '<outline text="News"><outline type="rss" text="A" xmlUrl="https://a.example/rss"/>'
        '<outline type="rss" text="B" xmlUrl="https://b.example/atom" htmlUrl="https://b.example/"/>'
        '</outline><outline text="no feed here" htmlUrl="https://c.example/"/></body></opml>'
    )
    assert read_feed_list(path) == ["https://a.example/rss", "https://b.example/atom"]


def test_feed_list_without_urls_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text("# nothing yet\n")
    with pytest.raises(CrosswireError, match=re.escape(Msg.FEEDS_FILE_EMPTY)):
        read_feed_list(path)
    path.write_text("<opml><body><outline xmlUrl='x'")
    with pytest.raises(CrosswireError, match="not a readable OPML file"):
        read_feed_list(path)


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def server() -> Iterator[LocalServer]:
    yield from serve()


def test_cli_watch_once_stores_articles_and_stories_then_adds_nothing_twice(
    tmp_path: Path, server: LocalServer
) -> None:
    items = "".join(
        f"<item><title>Harbour fire report {n}</title><link>{server.url(f'/a{n}')}</link>"
        f"<guid>a{n}</guid><description>Summary {n}.</description></item>"
        for n in (1, 2)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>{items}</channel></rss>'
    server.routes["/rss"] = respond(
        body=feed, content_type="application/rss+xml", headers={"ETag": '"e1"'}
    )
    for n, site in ((1, "Coast Herald"), (2, "Bay Times")):
        text = page(site=site).replace(PARAGRAPHS[2], f"{PARAGRAPHS[2]} Report {n}.")
        server.routes[f"/a{n}"] = respond(body=text)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# local\n{server.url('/rss')}\n")
    db = tmp_path / "w.db"
    args = ["watch", str(feeds), "--db", str(db), "--once", "--allow-private-addresses"]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "report.json").is_file()
    with Store(str(db)) as stored:
        assert len(stored.get_articles()) == 2
        assert stored.get_stories() and stored.get_analyses()
    # a second run: the feed is not due yet, so nothing is asked
    hits = len(server.requests)
    assert CliRunner().invoke(app, args).exit_code == 0
    assert len(server.requests) == hits


def test_cli_watch_once_exits_1_when_a_feed_fails(tmp_path: Path, server: LocalServer) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{server.url('/missing.rss')}\n")
    args = ["watch", str(feeds), "--db", str(tmp_path / "w.db"), "--once"]
    result = CliRunner().invoke(app, [*args, "--allow-private-addresses"])
    assert result.exit_code == 1 and "HTTP 404" in result.output
    assert "failure 1" in result.output  # the backoff is logged


def test_cli_watch_refuses_a_feeds_file_without_urls(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("\n")
    result = CliRunner().invoke(app, ["watch", str(feeds), "--db", str(tmp_path / "w.db")])
    assert result.exit_code == 2 and Msg.FEEDS_FILE_EMPTY in result.output
