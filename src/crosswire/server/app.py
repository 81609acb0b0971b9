"""`crosswire serve`: the stored corpus as a web app (server-rendered pages) and a REST API.

`create_app` assembles the app from its parts: the state the routers share (`deps`), the
routers (`stories`, `articles`, `jobs`, `pages`), the error answers (`problems`), the security
middleware (`security`) and the static files. Uploads and URLs become jobs for one worker
thread (`worker`). Reads go straight to the store; SQLite runs in WAL mode, so they never wait
for the worker or for another process writing the same database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from crosswire.options import Options
from crosswire.server.articles import router as articles_router
from crosswire.server.deps import API_PREFIX, MAX_UPLOAD_BYTES, TOKEN_ENV, ServerState
from crosswire.server.jobs import router as jobs_router
from crosswire.server.pages import DOCS_ASSETS, swagger_ui_path
from crosswire.server.pages import router as pages_router
from crosswire.server.problems import add_problem_handlers
from crosswire.server.security import SecurityHeaders
from crosswire.server.stories import router as stories_router
from crosswire.server.worker import Worker
from crosswire.store import ServerStore

__all__ = ["API_PREFIX", "create_app", "serve"]


def create_app(
    db: str,
    *,
    token: str | None = None,
    options: Options | None = None,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    isolate_analysis: bool = True,
) -> FastAPI:
    """The web app and API over the store at `db`. `token` defaults to $CROSSWIRE_TOKEN; an
    empty one means none (then only loopback clients may write). `isolate_analysis` runs
    the analysis of added articles in a child process (off the GIL of the reads); tests may
    turn it off to skip that process's start-up."""
    options = options or Options()
    token = token if token is not None else os.environ.get(TOKEN_ENV)
    spool = Path(tempfile.mkdtemp(prefix="crosswire-uploads-"))
    state = ServerState(
        store=ServerStore(db),
        worker=Worker(db, options, spool, isolate=isolate_analysis),
        spool=spool,
        token=token or None,  # an empty token would let anyone write: it means "no token"
        max_upload_bytes=max_upload_bytes,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.worker.start()
        yield
        state.worker.close()
        state.store.close()
        shutil.rmtree(spool, ignore_errors=True)

    app = FastAPI(
        lifespan=lifespan,
        title="crosswire",
        version="1",
        summary="Stories across outlets: agreements, conflicts, timeline, cited brief.",
        docs_url=None,  # pages.api_docs serves it from the fastapi-offline wheel: offline
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.server = state
    app.state.store = state.store
    app.state.worker = state.worker
    app.add_middleware(SecurityHeaders, max_upload_bytes=max_upload_bytes)
    add_problem_handlers(app)
    static = Path(__file__).parents[1] / "templates" / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_path()), name="docs-assets")
    # In this order: the OpenAPI document lists the API's paths as they were added.
    for router in (stories_router, articles_router, jobs_router, pages_router):
        app.include_router(router)
    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    # Keep-alive longer than uvicorn's 5 s: a busy client's reused connection is otherwise
    # sometimes closed under it (seen as read errors in bench/bench_server.py).
    uvicorn.run(
        create_app(db, token=token),
        host=host,
        port=port,
        log_level="info",
        timeout_keep_alive=30,
    )
