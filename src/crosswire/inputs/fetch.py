"""Pages and feeds read over HTTP(S), safely, into `Article`s.

`read_urls` is the entry point: a page URL becomes one article through the same HTML path
`ingest` uses for .html files; a feed URL (told by its content: feeds often claim to be
text/html or text/plain) becomes one article per entry, and an entry whose feed text is only a
summary is read from its page. Each failure is one `InputError` naming the URL; the rest of
the batch goes on.

Safety (the URLs may come from feeds or users we do not control):

* only http and https; redirects followed here, at most `fetch_max_redirects`, each hop
  checked like the first;
* every address a host resolves to must be globally reachable unicast, unless
  `allow_private_addresses`: no loopback, private, link-local (cloud metadata at
  169.254.169.254), multicast, reserved or unspecified address, IPv4 inside IPv6 judged as the
  IPv4 it carries. The check runs in the connection pool's network backend, which then connects
  to the very address it checked, so a DNS answer that changes between check and connect
  (DNS rebinding) cannot slip through; TLS still verifies the certificate against the host name;
* connect and read timeouts per request, and a total deadline per URL that also cuts a server
  trickling bytes; bodies are streamed and reading stops past `fetch_max_bytes`;
* a User-Agent naming crosswire; robots.txt obeyed (RFC 9309), cached per site.

Residual risks: name resolution (getaddrinfo) is bounded by the system resolver's timeouts,
not ours; the size limit counts decompressed bytes, but httpx inflates each received chunk
whole before we count it, so one compressed chunk may briefly take more memory than its share;
a `transport` given to `Fetcher` (tests) bypasses the address checks.
"""

from __future__ import annotations

import email.utils
import hashlib
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpcore
import httpx
from protego import Protego

from crosswire.errors import InputReadError, Msg
from crosswire.inputs.decode import decode_bytes, sniff_kind
from crosswire.inputs.feeds import FeedEntry, parse_feed
from crosswire.inputs.pages import article_from_html
from crosswire.models import Article, InputError
from crosswire.options import Options
from crosswire.resources import Resource
from crosswire.version import __version__

__all__ = [
    "BlockedAddressError",
    "FetchError",
    "Fetched",
    "Fetcher",
    "SafeBackend",
    "default_user_agent",
    "is_public_address",
    "read_urls",
]

PROJECT_URL = "https://github.com/crosswire/crosswire"
"""Named in the User-Agent so a site owner can find out who is fetching."""

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512_000
"""RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt."""
ROBOTS_TTL = 24 * 3600.0
"""RFC 9309: a cached robots.txt should not be used for more than 24 hours."""
ROBOTS_RETRY = 300.0
"""A robots.txt that answered 5xx is asked again after this many seconds."""

_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
)

Resolver = Callable[[str, int], list[str]]
"""host, port -> the addresses to connect to (socket.getaddrinfo by default)."""


def default_user_agent() -> str:
    return f"crosswire/{__version__} (+{PROJECT_URL})"


# --------------------------------------------------------------------------- addresses


def is_public_address(address: str) -> bool:
    """Whether `address` may be fetched from without `allow_private_addresses`: an address
    Python's `ipaddress` calls global that is neither multicast nor reserved (so neither
    private, loopback, link-local nor unspecified). IPv4-mapped (::ffff:a.b.c.d) and 6to4
    addresses are judged as the IPv4 address they carry."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            return is_public_address(str(embedded))
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_reserved
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # a link-local IPv6 address may carry a scope ("fe80::1%eth0"); the address is what counts
    return list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))


class BlockedAddressError(Exception):
    """The host resolves to an address that is not fetched from (see `is_public_address`)."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(Msg.URL_BLOCKED.format(host=host, address=address))
        self.host, self.address = host, address


class UnresolvableHostError(Exception):
    def __init__(self, host: str, error: object) -> None:
        super().__init__(Msg.URL_RESOLVE.format(host=host, error=error))


class SafeBackend(httpcore.SyncBackend):
    """httpcore's network backend that resolves the host itself, refuses it when any of its
    addresses is not public, and connects to an address it checked.

    Refusing when *any* address is non-public (not just skipping those) keeps a host that
    mixes public and internal records from being steered to the internal one. Residual risk:
    name resolution (getaddrinfo) has no timeout of its own beyond the system resolver's.
    """

    def __init__(self, *, allow_private: bool = False, resolver: Resolver = resolve) -> None:
        self.allow_private = allow_private
        self.resolver = resolver

    def checked_addresses(self, host: str, port: int) -> list[str]:
        try:
            addresses = self.resolver(host, port)
        except (OSError, UnicodeError) as error:
            raise UnresolvableHostError(host, error) from None
        if not addresses:
            raise UnresolvableHostError(host, "no addresses")
        if not self.allow_private:
            for address in addresses:
                if not is_public_address(address):
                    raise BlockedAddressError(host, address)
        return addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in self.checked_addresses(host, port):
            try:
                return self.connect_address(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as error:
                failure = error  # try the host's next address, as browsers do
        assert failure is not None  # checked_addresses returns at least one address
        raise failure

    def connect_address(
        self,
        address: str,
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.NetworkStream:
        """Open the connection to one checked address (tests override this to reach a local
        server in place of a public address)."""
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport whose connection pool uses `SafeBackend`.

    httpx 0.28 offers no public way to give its pool a network backend, so the pool it built is
    replaced (private attribute; tests fail if that stops taking effect). trust_env is off: a
    proxy from the environment would resolve names where we cannot check them.
    """

    def __init__(self, backend: SafeBackend, ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            network_backend=backend,
        )


# --------------------------------------------------------------------------- fetching


class FetchError(InputReadError):
    """One URL could not be fetched; `transient` when trying later may succeed."""

    def __init__(
        self,
        origin: str,
        message: str,
        *,
        transient: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(origin, message)
        self.transient = transient
        self.retry_after = retry_after
        """Seconds the server asked us to wait (Retry-After), if it said."""


class _Failure(Exception):
    """A failure of one request, before the URL it is reported against is known."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.message, self.transient = message, transient


@dataclass(frozen=True)
class Fetched:
    """A response read whole: `url` is the final one, after redirects."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes


class Fetcher(Resource):
    """One HTTP client with its robots.txt cache; reuse it for a batch, then `close` it."""

    def __init__(
        self,
        options: Options,
        *,
        transport: httpx.BaseTransport | None = None,
        backend: SafeBackend | None = None,
        ssl_context: ssl.SSLContext | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`transport` replaces the network entirely (tests: httpx.MockTransport; the address
        checks then do not run); `backend` replaces only how names resolve and sockets open;
        `ssl_context` the certificates trusted (default: certifi's, as httpx)."""
        self.options = options
        self.user_agent = options.user_agent or default_user_agent()
        self.clock = clock
        if transport is None:
            transport = _PinnedTransport(
                backend or SafeBackend(allow_private=options.allow_private_addresses), ssl_context
            )
        self.client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": self.user_agent, "Accept": _ACCEPT},
        )
        # site -> (when read, parser or the reason nothing there may be fetched)
        self._robots: dict[str, tuple[float, Protego | str]] = {}

    def close(self) -> None:
        self.client.close()

    # ---------------------------------------------------------------- HTTP

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Fetched:
        """GET `url`, following redirects; a 2xx or 304 response, else `FetchError` naming
        `url` (with the hop that failed, when it was a redirect target)."""
        deadline = self.clock() + self.options.fetch_total_timeout
        fetched = self._follow(url, url, headers, deadline, self.options.fetch_max_bytes)
        if fetched.status == 304 or 200 <= fetched.status < 300:
            return fetched
        transient = fetched.status >= 500 or fetched.status in (408, 429)
        raise FetchError(
            url,
            Msg.URL_STATUS.format(status=fetched.status),
            transient=transient,
            retry_after=_retry_after(fetched.headers.get("retry-after", "")),
        )

    def _follow(
        self,
        origin: str,
        url: str,
        headers: dict[str, str] | None,
        deadline: float,
        limit: int,
        *,
        robots: bool = True,
        truncate: bool = False,
    ) -> Fetched:
        current = url
        for _ in range(self.options.fetch_max_redirects + 1):
            try:
                _check_url(current)
                if robots and self.options.respect_robots_txt:
                    self._check_robots(current, deadline)
                fetched = self._request(current, headers, deadline, limit, truncate=truncate)
            except _Failure as failure:
                message = failure.message
                if current != url:
                    message = Msg.URL_REDIRECT_HOP.format(url=current, error=message)
                raise FetchError(origin, message, transient=failure.transient) from None
            if fetched.status not in REDIRECT_STATUSES:
                return fetched
            location = fetched.headers.get("location", "").strip()
            if not location:
                message = Msg.URL_REDIRECT_NO_LOCATION.format(status=fetched.status)
                raise FetchError(origin, message)
            try:
                current = str(httpx.URL(current).join(location))
            except (httpx.InvalidURL, TypeError, ValueError) as error:
                message = Msg.URL_REDIRECT_HOP.format(
                    url=location, error=Msg.URL_INVALID.format(error=error)
                )
                raise FetchError(origin, message) from None
        raise FetchError(origin, Msg.URL_REDIRECTS.format(limit=self.options.fetch_max_redirects))

    def _request(
        self,
        url: str,
        headers: dict[str, str] | None,
        deadline: float,
        limit: int,
        *,
        truncate: bool = False,
    ) -> Fetched:
        """One GET. Past `limit` bytes: refused, or with `truncate` the first `limit` kept."""
        left = deadline - self.clock()
        if left <= 0:
            raise _Failure(Msg.URL_TIMEOUT.format(what=_TOTAL), transient=True)
        o = self.options
        timeout = httpx.Timeout(
            connect=min(o.fetch_connect_timeout, left),
            read=min(o.fetch_read_timeout, left),
            write=min(o.fetch_read_timeout, left),
            pool=min(o.fetch_connect_timeout, left),
        )
        try:
            with self.client.stream("GET", url, headers=headers, timeout=timeout) as response:
                status = response.status_code
                if status in REDIRECT_STATUSES or status == 304:
                    return Fetched(str(response.url), status, response.headers, b"")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit and not truncate:
                    raise _Failure(Msg.URL_TOO_LARGE.format(limit=limit))
                chunks: list[bytes] = []
                size = 0
                # decoded bytes are counted, so a compressed body cannot unpack past the limit
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        if not truncate:
                            raise _Failure(Msg.URL_TOO_LARGE.format(limit=limit))
                        chunks.append(chunk[: len(chunk) - (size - limit)])
                        break
                    if self.clock() > deadline:
                        raise _Failure(Msg.URL_TIMEOUT.format(what=_TOTAL), transient=True)
                    chunks.append(chunk)
                return Fetched(str(response.url), status, response.headers, b"".join(chunks))
        except BlockedAddressError as error:
            raise _Failure(str(error)) from None
        except UnresolvableHostError as error:
            raise _Failure(str(error), transient=True) from None
        except httpx.ConnectTimeout:
            what = f"connecting (over {o.fetch_connect_timeout:g} s)"
            raise _Failure(Msg.URL_TIMEOUT.format(what=what), transient=True) from None
        except httpx.TimeoutException:
            if self.clock() >= deadline:
                raise _Failure(Msg.URL_TIMEOUT.format(what=_TOTAL), transient=True) from None
            what = f"waiting for the server (over {o.fetch_read_timeout:g} s)"
            raise _Failure(Msg.URL_TIMEOUT.format(what=what), transient=True) from None
        except httpx.ConnectError as error:
            raise _Failure(Msg.URL_CONNECT.format(error=error), transient=True) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise _Failure(Msg.URL_INVALID.format(error=error)) from None
        except httpx.HTTPError as error:
            raise _Failure(Msg.URL_HTTP.format(error=error), transient=True) from None

    # ---------------------------------------------------------------- robots.txt

    def _check_robots(self, url: str, deadline: float) -> None:
        parts = httpx.URL(url)
        site = f"{parts.scheme}://{parts.netloc.decode('ascii')}"
        cached = self._robots.get(site)
        now = self.clock()
        if cached is None or cached[0] <= now:
            rules = self._read_robots(site, deadline)
            ttl = ROBOTS_RETRY if isinstance(rules, str) else ROBOTS_TTL
            cached = (now + ttl, rules)
            self._robots[site] = cached
        rules = cached[1]
        if isinstance(rules, str):
            raise _Failure(rules, transient=True)
        if not rules.can_fetch(url, self.user_agent):
            raise _Failure(Msg.URL_ROBOTS.format(site=site))

    def _read_robots(self, site: str, deadline: float) -> Protego | str:
        """The site's rules, read as RFC 9309 says: 4xx (401 and 403 too) allows everything,
        5xx allows nothing for now. A failure to connect is raised: the page would fail too.

        Matching is protego's (Scrapy's parser): `*` and `$` in paths, the longest matching
        rule wins, `Allow` beats `Disallow` on a tie, the group naming crosswire before `*`.
        The standard library's robotparser does none of the first three."""
        robots_url = f"{site}/robots.txt"
        try:
            # RFC 9309: rules past the first 500 KiB may be ignored, so a longer file is cut
            fetched = self._follow(
                robots_url,
                robots_url,
                None,
                deadline,
                ROBOTS_MAX_BYTES,
                robots=False,
                truncate=True,
            )
        except FetchError as error:
            raise _Failure(error.message, transient=error.transient) from None
        if fetched.status >= 500 or fetched.status == 429:
            return Msg.URL_ROBOTS_UNAVAILABLE.format(site=site, status=fetched.status)
        if fetched.status >= 400:
            return Protego.parse("")  # no rules: everything allowed
        return Protego.parse(fetched.content.decode("utf-8", "replace"))

    # ---------------------------------------------------------------- articles

    def read_url(self, url: str) -> Iterator[Article | InputError]:
        """The article of a page URL, or the articles of a feed URL's entries."""
        try:
            fetched = self.get(url)
            if sniff_kind(fetched.content) == "feed":
                yield from self.read_feed(url, fetched)
                return
            yield self._page_article(url, fetched, id=page_id(url), origin=url)
        except InputReadError as error:
            yield InputError(origin=url, message=error.message)

    def read_feed(self, url: str, fetched: Fetched) -> Iterator[Article | InputError]:
        """One article per entry of a fetched feed (each entry's own failure is its error)."""
        for entry in feed_entries(url, fetched):
            try:
                yield self.entry_article(entry, url)
            except InputReadError as error:
                yield InputError(origin=error.origin, message=error.message)

    def entry_article(self, entry: FeedEntry, feed_url: str) -> Article:
        """The entry's article: from the feed's text when it holds the article, else from
        the page it links to. Raises `FetchError` (origin: the entry) when neither serves."""
        words = len(entry.text.split())
        if words >= self.options.feed_full_text_words or not entry.link:
            if not entry.text:
                raise FetchError(entry.origin, Msg.FEED_ENTRY_NO_TEXT.format(entry=entry.number))
            return entry.article()
        try:
            fetched = self.get(entry.link)
            page = self._page_article(entry.link, fetched, id=entry.id, origin=entry.origin)
        except InputReadError as error:
            message = Msg.FEED_ENTRY_PAGE.format(
                entry=entry.number, url=entry.link, error=error.message
            )
            transient = isinstance(error, FetchError) and error.transient
            raise FetchError(entry.origin, message, transient=transient) from None
        # The real publisher, as ingest reads feed files: the entry's <source>; else the feed,
        # when the page is on the feed's own site; else (an aggregator) the page's own site.
        if entry.publisher:
            source = entry.publisher
        elif _host(fetched.url) == _host(feed_url) or not page.source:
            source = entry.feed_name
        else:
            source = page.source
        return page.model_copy(
            update={
                "source": source,
                "via": entry.feed_name if source != entry.feed_name else None,
                "title": entry.title or page.title,
                "published": entry.published or page.published,
            }
        )

    def _page_article(self, url: str, fetched: Fetched, *, id: str, origin: str) -> Article:
        if sniff_kind(fetched.content) == "feed":
            raise FetchError(origin, Msg.URL_NOT_ARTICLE.format(content_type="a feed"))
        content_type = fetched.headers.get("content-type", "")
        if not _looks_like_html(fetched.content, content_type):
            raise FetchError(origin, Msg.URL_NOT_ARTICLE.format(content_type=content_type))
        markup = decode_bytes(fetched.content, origin, html=True, content_type=content_type)
        return article_from_html(markup, id=id, origin=origin, url=fetched.url)


_TOTAL = "the whole response took too long"


def read_urls(urls: Sequence[str], options: Options) -> Iterator[Article | InputError]:
    """One `Article` per page URL and per feed entry, or one `InputError` per failure (naming
    the URL); the rest of the batch goes on. A URL given twice is read once."""
    with Fetcher(options) as fetcher:
        for url in dict.fromkeys(urls):
            yield from fetcher.read_url(url)


def feed_entries(url: str, fetched: Fetched) -> list[FeedEntry]:
    """The entries of a fetched feed; raises `InputReadError` naming `url` when it is none."""
    if sniff_kind(fetched.content) != "feed":
        raise InputReadError(url, Msg.FEED_NOT_FEED)
    host = _host(url) or "feed"
    return parse_feed(fetched.content, url, stem=host, fallback_name=host)


def page_id(url: str) -> str:
    """A stable article id for a page URL: its host and a digest of the URL."""
    digest = hashlib.sha1(url.encode("utf-8", "replace")).hexdigest()[:10]
    return f"{_host(url) or 'page'}-{digest}"


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host.removeprefix("www.")
    except (httpx.InvalidURL, TypeError):
        return ""


def _retry_after(value: str) -> float | None:
    """Seconds from a Retry-After header: a number of seconds, or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _check_url(url: str) -> None:
    try:
        parts = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise _Failure(Msg.URL_INVALID.format(error=error)) from None
    if parts.scheme not in ("http", "https"):
        raise _Failure(Msg.URL_SCHEME.format(scheme=parts.scheme))
    if not parts.host:
        raise _Failure(Msg.URL_INVALID.format(error="no host"))


def _looks_like_html(content: bytes, content_type: str) -> bool:
    if "html" in content_type.lower():
        return True
    # served as text/plain, octet-stream or nothing at all, yet a page
    return sniff_kind(content) == "html" or b"<html" in content[:4096].lower()
