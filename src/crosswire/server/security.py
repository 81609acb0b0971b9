"""The security headers every answer carries (a Content-Security-Policy that forbids inline
script, since article text is hostile) and the upload size limit, as one ASGI middleware."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crosswire.errors import Msg
from crosswire.server.deps import API_PREFIX
from crosswire.server.schemas import json_error

# default-src 'none' and script-src 'self': no inline script or handler attribute can run,
# whatever an article smuggles past escaping. frame-ancestors 'none' forbids framing.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# Only the API docs page (no article content on it) may run an inline script: Swagger UI's
# start-up call, which FastAPI writes into the page.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds the security headers to every response, and refuses upload bodies over the limit
    (413) before they are read into memory, whether or not they declare their length."""

    def __init__(self, app: ASGIApp, max_upload_bytes: int) -> None:
        self.app = app
        self.limit = max_upload_bytes
        self.docs = f"{API_PREFIX}/docs"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for key, value in SECURITY_HEADERS.items():
                    if key.lower().encode() not in present:
                        if key == "Content-Security-Policy" and scope["path"] == self.docs:
                            value = DOCS_CSP
                        headers.append((key.lower().encode(), value.encode()))
                message = {**message, "headers": headers}
            await send(message)

        if scope["method"] == "POST":
            declared = dict(scope.get("headers", [])).get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.limit:
                await json_error(413, Msg.SERVER_TOO_LARGE.format(limit=self.limit))(
                    scope, receive, send_with_headers
                )
                return
            seen = 0

            async def counting_receive() -> Message:
                nonlocal seen
                message = await receive()
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
                return message

            try:
                await self.app(scope, counting_receive, send_with_headers)
            except _TooLarge:
                if not started:
                    await json_error(413, Msg.SERVER_TOO_LARGE.format(limit=self.limit))(
                        scope, receive, send_with_headers
                    )
            return
        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass
