"""A small HTTP server on 127.0.0.1 for the fetch and watch tests (no network beyond it)."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LocalServer:
    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def respond(
    status: int = 200,
    body: bytes | str = b"",
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> Route:
    data = body.encode() if isinstance(body, str) else body

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    return route


def redirect(location: str, status: int = 302) -> Route:
    return respond(status, b"", headers={"Location": location})


def trickle(chunks: int, pause: float) -> Route:
    """Headers at once, then one byte every `pause` seconds, no Content-Length."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for _ in range(chunks):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(pause)

    return route


def stream(total: int, chunk: int = 65536) -> Route:
    """`total` bytes with no Content-Length: only counting while reading can stop it."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        sent = 0
        try:
            while sent < total:
                handler.wfile.write(b"a" * chunk)
                sent += chunk
        except OSError:
            pass  # the client hung up, as it should

    return route


def delayed(seconds: float, route: Route) -> Route:
    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        route(handler)

    return slow


def serve(tls: ssl.SSLContext | None = None) -> Iterator[LocalServer]:
    """A server on 127.0.0.1 (HTTPS with `tls`, a server-side context) until the caller ends."""
    server_state: dict[str, LocalServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            local = server_state["s"]
            local.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = local.routes.get(self.path) or local.routes.get(self.path.split("?")[0])
            if route is None:
                respond(404, "not here", "text/plain")(self)
            else:
                route(self)

        def log_message(self, format: str, *args: object) -> None:
            del format, args  # keep test output clean

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    server_state["s"] = LocalServer(port=httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server_state["s"]
    finally:
        httpd.shutdown()
        httpd.server_close()
