"""fetch: page and feed URLs to articles, and every way a fetch is kept safe (no network: a
mock transport, or a server on 127.0.0.1 reached through a patched resolver)."""

from __future__ import annotations

import ipaddress
import json
import ssl
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import httpcore
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosswire import __version__
from crosswire.errors import Msg
from crosswire.inputs import read_inputs
from crosswire.inputs.fetch import Fetcher, SafeBackend, is_public_address, read_urls, resolve
from crosswire.language import analyze_article
from crosswire.models import Article, InputError
from crosswire.options import Options
from local_http import LocalServer, delayed, redirect, respond, serve, stream, trickle

PARAGRAPHS = [
    "A fire destroyed a warehouse in the harbour district on Thursday night, the fire service "
    "said, and about forty firefighters worked through the night to keep it from spreading.",
    "No one was injured, according to a spokesperson for the city, who said the cause of the "
    "fire was still under investigation and that the quay road would stay closed until Saturday.",
    "Residents described a column of black smoke that could be seen from across the bay, and "
    "several said they had heard small explosions shortly before midnight.",
]


def page(title: str = "Harbour fire destroys warehouse", site: str = "Coast Herald") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="og:site_name" content="{site}"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


FULL_TEXT = " ".join(PARAGRAPHS * 3)  # over 150 words: the feed holds the article

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>World Aggregator</title><link>https://agg.example/</link>
<item><title>Harbour fire destroys warehouse</title>
<link>https://coast.example/a</link><guid>urn:a</guid>
<pubDate>Fri, 14 Mar 2025 10:00:00 GMT</pubDate>
<source url="https://coast.example/rss">Coast Herald</source>
<description>A fire destroyed a warehouse.</description></item>
<item><title>Quay road stays closed</title><link>https://bay.example/b</link><guid>urn:b</guid>
<description>{FULL_TEXT}</description></item>
</channel></rss>
"""

PUBLIC = "93.184.216.34"  # a global address; tests never really connect to it


def articles(items: Iterable[Article | InputError]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def errors(items: Iterable[Article | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def mock_fetcher(
    routes: dict[str, httpx.Response | Callable[[httpx.Request], httpx.Response]],
    options: Options | None = None,
    seen: list[httpx.Request] | None = None,
) -> Fetcher:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        route = routes.get(str(request.url))
        if route is None:
            return httpx.Response(404, text="not here")
        return route(request) if callable(route) else route

    return Fetcher(options or Options(), transport=httpx.MockTransport(handler))


# --------------------------------------------------------------------------- URLs to articles


def test_page_url_becomes_one_article_through_the_html_path() -> None:
    url = "https://coast.example/news/fire"
    seen: list[httpx.Request] = []
    fetcher = mock_fetcher({url: httpx.Response(200, html=page())}, seen=seen)
    [article] = list(fetcher.read_url(url))
    assert isinstance(article, Article)
    assert article.title == "Harbour fire destroys warehouse"
    assert article.source == "Coast Herald"
    assert article.url == url and article.origin == url
    assert "forty firefighters" in article.text
    agent = seen[-1].headers["user-agent"]
    assert agent.startswith(f"crosswire/{__version__} (+http")


def test_feed_url_expands_to_entries_and_fetches_the_page_of_a_summary_only() -> None:
    feed = "https://agg.example/rss"
    seen: list[httpx.Request] = []
    fetcher = mock_fetcher(
        {
            # feeds lie about their type: this one claims to be a web page
            feed: httpx.Response(200, text=RSS, headers={"content-type": "text/html"}),
            "https://coast.example/a": httpx.Response(200, html=page(site="Coast Herald Online")),
        },
        seen=seen,
    )
    items = list(fetcher.read_url(feed))
    assert errors(items) == []
    first, second = articles(items)
    # the summary-only entry was read from its page; the publisher is the entry's <source>
    assert "forty firefighters" in first.text
    assert first.source == "Coast Herald" and first.via == "World Aggregator"
    assert first.url == "https://coast.example/a"
    assert str(first.published) == "2025-03-14"
    # the full-text entry was not fetched
    assert second.text.startswith("A fire destroyed") and second.source == "World Aggregator"
    fetched = [str(r.url) for r in seen]
    assert "https://bay.example/b" not in fetched
    assert fetched.count("https://coast.example/a") == 1


def test_entry_page_that_fails_is_one_error_naming_the_page_and_others_go_on() -> None:
    feed = "https://agg.example/rss"
    fetcher = mock_fetcher({feed: httpx.Response(200, text=RSS)})  # the page answers 404
    items = list(fetcher.read_url(feed))
    [error] = errors(items)
    assert "https://coast.example/a" in error.message and "HTTP 404" in error.message
    assert [a.title for a in articles(items)] == ["Quay road stays closed"]


def test_url_neither_page_nor_feed_is_a_clear_error() -> None:
    url = "https://coast.example/photo.png"
    fetcher = mock_fetcher(
        {url: httpx.Response(200, content=b"\x89PNG\r\n", headers={"content-type": "image/png"})}
    )
    [error] = list(fetcher.read_url(url))
    assert error == InputError(
        origin=url, message=Msg.URL_NOT_ARTICLE.format(content_type="image/png")
    )


def test_analyze_inputs_mix_files_and_urls(tmp_path: Path, server: LocalServer) -> None:
    server.routes["/fire"] = respond(body=page())
    (tmp_path / "note.txt").write_text("Quay road closed\nThe quay road stays closed today.")
    options = Options(allow_private_addresses=True)
    items = list(read_inputs([tmp_path / "note.txt", server.url("/fire")], options))
    assert [a.title for a in articles(items)] == [
        "Quay road closed",
        "Harbour fire destroys warehouse",
    ]
    assert errors(items) == []


# --------------------------------------------------------------------------- local server


@pytest.fixture
def server() -> Iterator[LocalServer]:
    yield from serve()


class LocalBackend(SafeBackend):
    """Resolves through a table and opens every connection to the local server, recording
    the address the safe backend checked and chose."""

    def __init__(self, table: dict[str, list[str]], *, allow_private: bool = False) -> None:
        super().__init__(allow_private=allow_private, resolver=self.lookup)
        self.table = table
        self.lookups: list[str] = []
        self.connected: list[str] = []

    def lookup(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        # literal addresses resolve to themselves, with no DNS asked
        return list(self.table[host]) if host in self.table else resolve(host, port)

    def connect_address(
        self,
        address: str,
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.NetworkStream:
        self.connected.append(address)
        return super().connect_address("127.0.0.1", port, timeout, local_address, socket_options)


def one_error(fetcher: Fetcher, url: str) -> str:
    [item] = list(fetcher.read_url(url))
    assert isinstance(item, InputError), item
    assert item.origin == url
    return item.message


def test_fetch_connects_to_the_address_it_checked(server: LocalServer) -> None:
    server.routes["/fire"] = respond(body=page())
    backend = LocalBackend({"news.test": [PUBLIC]})
    fetcher = Fetcher(Options(), backend=backend)
    [article] = list(fetcher.read_url(server.url("/fire", host="news.test")))
    assert isinstance(article, Article)
    # one lookup per new connection and the connection went to the address checked
    assert backend.connected and set(backend.connected) == {PUBLIC}
    assert server.requests[-1][1]["host"] == f"news.test:{server.port}"


def test_a_name_that_rebinds_after_the_check_still_reaches_only_the_checked_address(
    server: LocalServer,
) -> None:
    server.routes["/fire"] = respond(body=page())
    answers = iter([[PUBLIC], ["127.0.0.1"], ["127.0.0.1"]])

    class Rebinding(LocalBackend):
        def lookup(self, host: str, port: int) -> list[str]:
            self.lookups.append(host)
            return next(answers)

    backend = Rebinding({})
    fetcher = Fetcher(Options(respect_robots_txt=False), backend=backend)
    [item] = list(fetcher.read_url(server.url("/fire", host="news.test")))
    assert isinstance(item, Article)
    assert backend.lookups == ["news.test"] and backend.connected == [PUBLIC]


def test_https_to_the_pinned_address_still_verifies_the_certificate_for_the_host() -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("news.test").configure_cert(server_side)
    client_side = ssl.create_default_context()
    ca.configure_trust(client_side)
    for server in serve(tls=server_side):
        server.routes["/fire"] = respond(body=page())
        backend = LocalBackend({"news.test": [PUBLIC], "other.test": [PUBLIC]})
        fetcher = Fetcher(Options(), backend=backend, ssl_context=client_side)
        [article] = list(fetcher.read_url(f"https://news.test:{server.port}/fire"))
        assert isinstance(article, Article) and set(backend.connected) == {PUBLIC}
        # the same server and address under a name its certificate does not hold
        message = one_error(fetcher, f"https://other.test:{server.port}/fire")
        assert message.startswith("cannot connect") and "certificate" in message.lower()
        assert server.hits("/fire") == 1


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.8", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1",
     "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:a00:1::1"],
)  # fmt: skip
def test_host_resolving_to_a_non_public_address_is_refused(address: str) -> None:
    backend = LocalBackend({"sneaky.test": [address]})
    fetcher = Fetcher(Options(), backend=backend)
    message = one_error(fetcher, "http://sneaky.test/page")
    assert message == Msg.URL_BLOCKED.format(host="sneaky.test", address=address)
    assert backend.connected == []


def test_host_with_one_private_address_among_public_ones_is_refused() -> None:
    backend = LocalBackend({"mixed.test": [PUBLIC, "10.0.0.1"]})
    message = one_error(Fetcher(Options(), backend=backend), "http://mixed.test/")
    assert "10.0.0.1" in message and backend.connected == []


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://10.1.2.3/admin", "http://169.254.169.254/latest/meta-data/",
     "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://0x7f000001/", "http://2130706433/"],
)  # fmt: skip
def test_literal_private_addresses_are_refused_before_any_connection(url: str) -> None:
    message = one_error(Fetcher(Options()), url)
    assert message.startswith("refused:")


def test_localhost_is_refused(server: LocalServer) -> None:
    server.routes["/"] = respond(body=page())
    message = one_error(Fetcher(Options()), server.url("/", host="localhost"))
    assert message.startswith("refused: localhost resolves to")
    assert server.requests == []


def test_private_addresses_are_reached_when_allowed(server: LocalServer) -> None:
    server.routes["/fire"] = respond(body=page())
    items = list(read_urls([server.url("/fire")], Options(allow_private_addresses=True)))
    assert [a.title for a in articles(items)] == ["Harbour fire destroys warehouse"]


def test_public_url_redirecting_to_a_private_one_is_refused(server: LocalServer) -> None:
    server.routes["/go"] = redirect("http://internal.test/secret")
    server.routes["/meta"] = redirect("http://169.254.169.254/latest/meta-data/")
    backend = LocalBackend({"news.test": [PUBLIC], "internal.test": ["10.0.0.5"]})
    fetcher = Fetcher(Options(), backend=backend)
    message = one_error(fetcher, server.url("/go", host="news.test"))
    blocked = Msg.URL_BLOCKED.format(host="internal.test", address="10.0.0.5")
    assert message == Msg.URL_REDIRECT_HOP.format(url="http://internal.test/secret", error=blocked)
    message = one_error(fetcher, server.url("/meta", host="news.test"))
    assert "169.254.169.254" in message and message.count("refused") == 1
    assert set(backend.connected) == {PUBLIC}


def test_too_many_redirects_are_refused(server: LocalServer) -> None:
    for n in range(10):
        server.routes[f"/r{n}"] = redirect(f"/r{n + 1}")
    options = Options(allow_private_addresses=True, fetch_max_redirects=3)
    message = one_error(Fetcher(options), server.url("/r0"))
    assert message == Msg.URL_REDIRECTS.format(limit=3)
    assert server.hits("/r3") == 1 and server.hits("/r4") == 0


@pytest.mark.parametrize("declared", [True, False])
def test_oversize_body_is_refused_and_reading_stops(server: LocalServer, declared: bool) -> None:
    limit = 100_000
    if declared:
        server.routes["/big"] = respond(body=b"a" * (limit + 1))
    else:
        server.routes["/big"] = stream(total=50 * limit)
    options = Options(allow_private_addresses=True, fetch_max_bytes=limit)
    assert one_error(Fetcher(options), server.url("/big")) == Msg.URL_TOO_LARGE.format(limit=limit)


def test_slow_response_hits_the_read_timeout(server: LocalServer) -> None:
    server.routes["/slow"] = delayed(1.5, respond(body=page()))
    options = Options(allow_private_addresses=True, fetch_read_timeout=0.3)
    message = one_error(Fetcher(options), server.url("/slow"))
    assert message.startswith("timed out: waiting for the server")


def test_trickling_response_hits_the_total_timeout(server: LocalServer) -> None:
    server.routes["/trickle"] = trickle(chunks=40, pause=0.05)
    options = Options(allow_private_addresses=True, fetch_read_timeout=1.0, fetch_total_timeout=0.5)
    message = one_error(Fetcher(options), server.url("/trickle"))
    assert message == Msg.URL_TIMEOUT.format(what="the whole response took too long")


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/a", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)"],
)
def test_non_http_schemes_are_refused(url: str) -> None:
    message = one_error(Fetcher(Options()), url)
    assert message == Msg.URL_SCHEME.format(scheme=url.split(":")[0])


def test_robots_txt_disallow_is_an_error_and_allowed_pages_are_read(server: LocalServer) -> None:
    server.routes["/robots.txt"] = respond(
        body="User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    )
    server.routes["/private/a"] = respond(body=page())
    server.routes["/public/a"] = respond(body=page())
    server.routes["/public/b"] = respond(body=page())
    fetcher = Fetcher(Options(allow_private_addresses=True))
    site = f"http://127.0.0.1:{server.port}"
    assert one_error(fetcher, server.url("/private/a")) == Msg.URL_ROBOTS.format(site=site)
    assert server.hits("/private/a") == 0
    assert articles(fetcher.read_url(server.url("/public/a")))
    assert articles(fetcher.read_url(server.url("/public/b")))
    assert server.hits("/robots.txt") == 1  # cached per site


def test_robots_txt_over_the_size_limit_is_cut_not_refused() -> None:
    robots = "User-agent: *\nDisallow: /private/\n" + "# padding\n" * 100_000
    site = "https://long.example"
    fetcher = mock_fetcher(
        {
            f"{site}/robots.txt": httpx.Response(200, text=robots),
            f"{site}/a": httpx.Response(200, html=page()),
            f"{site}/private/a": httpx.Response(200, html=page()),
        }
    )
    assert articles(fetcher.read_url(f"{site}/a"))
    assert one_error(fetcher, f"{site}/private/a") == Msg.URL_ROBOTS.format(site=site)


def test_robots_txt_rules_for_crosswire_by_name_apply() -> None:
    robots = "User-agent: crosswire\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    url = "https://coast.example/news/fire"
    fetcher = mock_fetcher(
        {
            "https://coast.example/robots.txt": httpx.Response(200, text=robots),
            url: httpx.Response(200, html=page()),
        }
    )
    assert one_error(fetcher, url) == Msg.URL_ROBOTS.format(site="https://coast.example")


def test_robots_txt_answering_5xx_allows_nothing_and_4xx_allows_all() -> None:
    down, gone = "https://down.example", "https://gone.example"
    fetcher = mock_fetcher(
        {
            f"{down}/robots.txt": httpx.Response(503),
            f"{down}/a": httpx.Response(200, html=page()),
            f"{gone}/robots.txt": httpx.Response(403),
            f"{gone}/a": httpx.Response(200, html=page()),
        }
    )
    assert one_error(fetcher, f"{down}/a") == Msg.URL_ROBOTS_UNAVAILABLE.format(
        site=down, status=503
    )
    assert articles(fetcher.read_url(f"{gone}/a"))


# RFC 9309 matching: `*` matches any run of characters, `$` anchors the end, the longest
# matching rule wins and `Allow` wins a tie. urllib.robotparser got every one of these wrong.
RFC9309_ROBOTS = """User-agent: *
Disallow: /
Allow: /news/
Disallow: /*/print
Disallow: /*.pdf$
Disallow: /tie
Allow: /tie
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/news/fire", True),  # longest match: Allow /news/ (6) beats Disallow / (1)
        ("/sport/match", False),  # only Disallow / matches
        ("/news/fire/print", False),  # wildcard: Disallow /*/print (8) beats Allow /news/ (6)
        ("/news/report.pdf", False),  # `$`: ends in .pdf
        ("/news/report.pdf?page=2", True),  # `$`: does not end in .pdf, so Allow /news/ holds
        ("/news/report.pdfs", True),
        ("/tie", True),  # equal length: Allow wins
    ],
)
def test_robots_txt_is_matched_as_rfc_9309_says(
    server: LocalServer, path: str, allowed: bool
) -> None:
    server.routes["/robots.txt"] = respond(body=RFC9309_ROBOTS, content_type="text/plain")
    server.routes[path.split("?")[0]] = respond(body=page())
    fetcher = Fetcher(Options(allow_private_addresses=True))
    url = server.url(path)
    if allowed:
        assert articles(fetcher.read_url(url))
    else:
        site = f"http://127.0.0.1:{server.port}"
        assert one_error(fetcher, url) == Msg.URL_ROBOTS.format(site=site)
        assert server.hits(path) == 0


def test_robots_txt_group_naming_crosswire_beats_the_wildcard_group(server: LocalServer) -> None:
    server.routes["/robots.txt"] = respond(
        body="User-agent: *\nDisallow: /\n\nUser-agent: crosswire\nAllow: /news/\n",
        content_type="text/plain",
    )
    server.routes["/news/fire"] = respond(body=page())
    fetcher = Fetcher(Options(allow_private_addresses=True))
    assert articles(fetcher.read_url(server.url("/news/fire")))


# --------------------------------------------------------------------------- charsets

QUOTED = (
    "“No one was injured and the quay road will stay closed until Saturday,” said Maria "
    "Jensen, a spokesperson for the fire service."
)


def quoted_page(charset: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in [*PARAGRAPHS, QUOTED])
    return (
        f'<!doctype html><html><head><meta charset="{charset}"><title>Harbour fire</title></head>'
        f"<body><article><h1>Harbour fire</h1>{body}</article></body></html>"
    )


def test_latin1_labelled_page_keeps_its_curly_quotes_and_they_are_found(
    server: LocalServer,
) -> None:
    # Servers say iso-8859-1 and send cp1252 (0x93/0x94 are curly quotes there, C1 controls in
    # real Latin-1): read as browsers do, the label means windows-1252.
    data = quoted_page("iso-8859-1").encode("cp1252")
    assert b"\x93" in data and b"\x94" in data
    server.routes["/fire"] = respond(body=data, content_type="text/html; charset=iso-8859-1")
    [article] = articles(
        Fetcher(Options(allow_private_addresses=True)).read_url(server.url("/fire"))
    )
    assert "“No one was injured" in article.text
    assert not any("\x80" <= c <= "\x9f" for c in article.text)
    quotes = analyze_article(article, Options()).quotes
    assert any("No one was injured" in q.text for q in quotes), quotes


def test_utf8_page_with_one_stray_byte_keeps_its_umlauts(server: LocalServer) -> None:
    text = (
        "Der Brand zerstörte in der Nacht zum Freitag eine Lagerhalle im Hafenviertel, teilte "
        "die Feuerwehr mit; rund vierzig Einsatzkräfte verhinderten, dass er übergriff."
    )
    body = page().replace(PARAGRAPHS[0], text).encode("utf-8").replace(b"Freitag", b"Frei\xfftag")
    server.routes["/brand"] = respond(body=body, content_type="text/html; charset=utf-8")
    [article] = articles(
        Fetcher(Options(allow_private_addresses=True)).read_url(server.url("/brand"))
    )
    assert "zerstörte" in article.text and "Einsatzkräfte" in article.text
    assert "übergriff" in article.text
    assert "Frei\ufffdtag" in article.text  # the one bad byte, and only it, is replaced
    assert "Ã" not in article.text  # no mojibake from re-guessing the page as cp1252


def test_each_failure_is_one_error_and_the_batch_goes_on(server: LocalServer) -> None:
    server.routes["/fire"] = respond(body=page())
    options = Options(allow_private_addresses=True)
    urls = ["ftp://x.example/", server.url("/missing"), server.url("/fire")]
    items = list(read_urls(urls, options))
    assert [type(i).__name__ for i in items] == ["InputError", "InputError", "Article"]
    assert [e.origin for e in errors(items)] == urls[:2]


# --------------------------------------------------------------------------- the address rule


def _python_says_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


@given(st.ip_addresses(v=4))
def test_ipv4_safety_agrees_with_python_global_classification(
    ip: ipaddress.IPv4Address,
) -> None:
    assert is_public_address(str(ip)) == _python_says_public(ip)
    if is_public_address(str(ip)):
        assert not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified)
    # the same address mapped into IPv6 is judged the same
    assert is_public_address(f"::ffff:{ip}") == is_public_address(str(ip))


@given(st.ip_addresses(v=6))
def test_ipv6_safety_agrees_with_python_global_classification(
    ip: ipaddress.IPv6Address,
) -> None:
    embedded = ip.ipv4_mapped or ip.sixtofour
    expected = _python_says_public(embedded) if embedded else _python_says_public(ip)
    assert is_public_address(str(ip)) == expected
    if is_public_address(str(ip)):
        assert not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def test_cli_analyze_reads_a_url_input(tmp_path: Path, server: LocalServer) -> None:
    from typer.testing import CliRunner

    from crosswire.cli import app

    server.routes["/fire"] = respond(body=page())
    out = tmp_path / "out"
    args = ["analyze", server.url("/fire"), "--no-db", "--quiet", "--out", str(out)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1 and "refused: 127.0.0.1 resolves to 127.0.0.1" in refused.output
    result = CliRunner().invoke(app, [*args, "--allow-private-addresses"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert [a["url"] for a in report["articles"]] == [server.url("/fire")]


def test_retry_after_reads_seconds_and_http_dates() -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from crosswire.inputs.fetch import _retry_after

    assert _retry_after("120") == 120
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: no wait
    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    wait = _retry_after(later)
    assert wait is not None and 3500 < wait <= 3600
    assert _retry_after("soon") is None
