"""What the routers share: the app's settings, its state (the store, the job worker, the
upload spool, the write token, the cached story list) as `ServerState` on `app.state`, reached
through the `State` dependency; the write check; the page templates; and `found`, the
404 for whatever was looked up and is not there."""

from __future__ import annotations

import hmac
import ipaddress
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from crosswire.errors import Msg
from crosswire.models import Article, Story
from crosswire.report import template_env
from crosswire.server.schemas import ApiProblem
from crosswire.server.views import outlet_href, quote
from crosswire.server.worker import Worker
from crosswire.store import ServerStore, StorySummary

API_PREFIX = "/api/v1"
TOKEN_ENV = "CROSSWIRE_TOKEN"
TOKEN_COOKIE = "crosswire_token"
MAX_UPLOAD_BYTES = 20_000_000
"""Largest upload request accepted (all files together)."""
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".xml", ".rss", ".atom")
"""What `crosswire analyze` reads (ingest's kinds), each also accepted gzipped."""
POLL_MS = 3000

T = TypeVar("T")

TEMPLATES = template_env()  # the report's settings and helpers; the web app's own below
TEMPLATES.globals.update(quote=quote, outlet_href=outlet_href, api=API_PREFIX, poll_ms=POLL_MS)


def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The page template `name`, rendered with `context`."""
    return HTMLResponse(TEMPLATES.get_template(name).render(**context), status_code=status)


def found(value: T | None, what: str, key: str) -> T:
    """`value`, looked up as the `what` called `key`; when there is none, a 404."""
    if value is None:
        raise ApiProblem(404, Msg.SERVER_NOT_FOUND.format(what=what, id=key))
    return value


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


@dataclass
class ServerState:
    """One app's state. Reads go straight to the store; writes become jobs for the worker."""

    store: ServerStore
    worker: Worker
    spool: Path
    """Where uploads wait for the worker, one folder per job."""
    token: str | None
    """The write token; None means only this machine may write."""
    max_upload_bytes: int
    _cache: dict[str, tuple[str, list[StorySummary], dict[str, str]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _cache_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def summaries(self) -> tuple[list[StorySummary], dict[str, str]]:
        """Stories newest first, then most covered; and each article's story. Cached until the
        store changes (one cheap query tells), so the list is not rebuilt per request."""
        store = self.store
        state = store.stories_state()
        with self._cache_lock:
            hit = self._cache.get("stories")
            if hit is not None and hit[0] == state:
                return hit[1], hit[2]
        items = store.story_summaries()
        items.sort(
            key=lambda s: (
                -(s.newest.toordinal() if s.newest else 0),
                -s.outlets,
                -s.articles,
                s.id,
            )
        )
        story_of: dict[str, str] = {}
        for s in items:
            stored = store.get_story(s.id)
            if stored is not None:
                for aid in stored[0].article_ids:
                    story_of.setdefault(aid, s.id)
        with self._cache_lock:
            self._cache["stories"] = (state, items, story_of)
        return items, story_of

    def search(self, q: str | None) -> list[StorySummary]:
        items, _ = self.summaries()
        words = (q or "").lower().split()
        if not words:
            return items
        return [s for s in items if all(w in s.search_text for w in words)]

    def need_story(self, story_id: str) -> Story:
        return found(self.store.get_story(story_id), "story", story_id)[0]

    def need_article(self, article_id: str) -> Article:
        return found(self.store.get_article(article_id), "article", article_id)

    def check_write(self, request: Request, form_token: str | None = None) -> None:
        """Writes need the token when one is set; without one, only this machine may write.
        A browser form sent from another site is refused either way (no cross-site writes).

        Called by each write after its body is read, not as a dependency: a request that is
        invalid as well as unauthorised keeps its 422, and a form's token is in its body."""
        site = request.headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            raise ApiProblem(403, Msg.SERVER_CROSS_SITE)
        if self.token is None:
            if not is_loopback(request.client.host if request.client else None):
                raise ApiProblem(403, Msg.SERVER_LOOPBACK)
            return
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        given = given or form_token or request.cookies.get(TOKEN_COOKIE, "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise ApiProblem(401, Msg.SERVER_TOKEN)


async def server_state(request: Request) -> ServerState:
    """The app's `ServerState` (async: a plain function would cost a thread hop per request)."""
    state: ServerState = request.app.state.server
    return state


State = Annotated[ServerState, Depends(server_state)]
"""An endpoint's parameter for the app's state."""
