"""Adding articles: the upload, pasted-text and URL routes, the API's (`/api/v1/uploads`,
`/api/v1/texts`, `/api/v1/urls`) and the add page's forms (`/add/files`, `/add/text`,
`/add/urls`), each turning a request into a job for the worker; and the API's job progress
(`/api/v1/jobs/{id}`)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from crosswire.errors import Msg
from crosswire.server.deps import (
    API_PREFIX,
    TOKEN_COOKIE,
    UPLOAD_SUFFIXES,
    ServerState,
    State,
    found,
)
from crosswire.server.schemas import ERRORS_DOC, ApiError, ApiProblem, JobOut, TextIn, UrlsIn
from crosswire.server.worker import Job, UrlReader

router = APIRouter()
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def url_reader() -> UrlReader:
    """`crosswire.inputs.fetch.read_urls`, imported only when URLs are added: the fetcher is
    optional, and without it the rest of the app works. Raises ApiProblem(503) when it cannot
    load."""
    try:
        from crosswire.inputs.fetch import read_urls
    except Exception as exc:  # any import failure means the same to the user: not available
        raise ApiProblem(503, Msg.SERVER_NO_FETCH.format(error=exc)) from exc
    return read_urls


def safe_name(filename: str, taken: set[str]) -> str:
    """The upload's base name with only safe characters, made unique within the upload: a
    client's path must not place files elsewhere, and two files of the same name (from two
    folders) must not overwrite each other (an article would be lost)."""
    base = Path(filename.replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".") or "upload.txt"
    name, n = base, 1
    while name in taken:
        stem, dot, suffix = base.partition(".")
        n += 1
        name = f"{stem}-{n}{dot}{suffix}"
    return name


async def spool_files(
    state: ServerState, files: list[UploadFile], outlet: str | None = None
) -> Job:
    """The uploaded files written to a fresh spool folder, as an upload job."""
    named = [f for f in files if f.filename]
    if not named:
        raise ApiProblem(400, Msg.SERVER_NO_FILES)
    for f in named:
        name = (f.filename or "").lower().removesuffix(".gz")
        if not name.endswith(UPLOAD_SUFFIXES) and Path(name).name != "manifest.jsonl":
            raise ApiProblem(415, Msg.SERVER_TYPE.format(name=f.filename))
    job_id = uuid.uuid4().hex[:12]
    folder = state.spool / job_id
    folder.mkdir(parents=True)  # the spool goes with an app's shutdown; a restart needs it anew
    names: list[str] = []
    for f in named:
        name = safe_name(f.filename or "", taken=set(names))
        target = folder / name
        with target.open("wb") as out:
            while chunk := await f.read(1 << 16):
                out.write(chunk)
        names.append(name)
    outlet = (outlet or "").strip() or None
    return Job(id=job_id, kind="upload", inputs=names, folder=folder, outlet=outlet)


def text_job(state: ServerState, given: TextIn) -> Job:
    """A pasted article, written to a fresh spool folder as one JSONL line (the form
    `crosswire analyze` reads a JSONL corpus in), as a job."""
    if not given.text.strip():
        raise ApiProblem(400, Msg.SERVER_NO_TEXT)
    job_id = uuid.uuid4().hex[:12]
    folder = state.spool / job_id
    folder.mkdir(parents=True)  # the spool goes with an app's shutdown; a restart needs it anew
    stem = re.sub(r"[^a-z0-9]+", "-", (given.title or given.outlet).lower()).strip("-")
    line = {
        "id": f"{stem[:60] or 'pasted'}-{job_id[:6]}",
        "source": given.outlet.strip(),
        "title": given.title.strip(),
        "published": given.published.isoformat() if given.published else None,
        "url": (given.url or "").strip() or None,
        "text": given.text,
    }
    (folder / "pasted.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    label = f"{line['source']}: {line['title']}" if line["title"] else str(line["source"])
    return Job(id=job_id, kind="text", inputs=[label], folder=folder)


def url_job(urls: list[str]) -> Job:
    urls = [u.strip() for u in urls if u.strip()]
    if not urls:
        raise ApiProblem(400, Msg.SERVER_NO_URLS)
    reader = url_reader()
    return Job(id=uuid.uuid4().hex[:12], kind="urls", inputs=urls, urls=urls, reader=reader)


def remember_token(state: ServerState, response: Response, form_token: str | None) -> Response:
    """The form's answer, setting the token it came with as a cookie (later forms need not
    ask for it again)."""
    if state.token is not None and form_token:
        response.set_cookie(TOKEN_COOKIE, form_token, httponly=True, samesite="strict")
    return response


# ---------------------------------------------------------------------------------- API


def job_write(path: str, *codes: int) -> Callable[[Endpoint], Endpoint]:
    """An API write at `path` that answers 202 with its job, documenting the error `codes`."""
    return router.post(
        f"{API_PREFIX}{path}",
        response_model=JobOut,
        status_code=202,
        tags=["jobs"],
        responses={code: {"model": ApiError} for code in codes},
    )


@router.get(
    f"{API_PREFIX}/jobs/{{job_id}}", response_model=JobOut, tags=["jobs"], responses=ERRORS_DOC
)
def api_job(state: State, job_id: str) -> JobOut:
    """Progress of an upload or URL job."""
    return found(state.worker.jobs.get(job_id), "job", job_id).out()


@job_write("/uploads", 400, 401, 403, 413, 415)
async def api_upload(
    state: State,
    request: Request,
    files: Annotated[list[UploadFile], File(description="Article files.")],
    outlet: Annotated[
        str | None,
        Form(
            max_length=200,
            description="Outlet of plain files that do not name one (.txt); "
            "without it, each such file's name.",
        ),
    ] = None,
) -> JobOut:
    """Add article files (the kinds `crosswire analyze` reads); processed in the background.
    Needs `Authorization: Bearer $CROSSWIRE_TOKEN` (or, with no token set, a local client)."""
    state.check_write(request)
    return state.worker.submit(await spool_files(state, files, outlet)).out()


@job_write("/texts", 400, 401, 403, 413)
def api_text(state: State, request: Request, body: TextIn) -> JobOut:
    """Add one article as its text, with its outlet, title and date; processed in the
    background."""
    state.check_write(request)
    return state.worker.submit(text_job(state, body)).out()


@job_write("/urls", 400, 401, 403, 413, 503)
def api_urls(state: State, request: Request, body: UrlsIn) -> JobOut:
    """Add articles or feeds by URL; fetched and processed in the background."""
    state.check_write(request)
    return state.worker.submit(url_job(body.urls)).out()


# ---------------------------------------------------------------------------------- forms


@router.post("/add/files", include_in_schema=False)
async def form_upload(
    state: State,
    request: Request,
    files: Annotated[list[UploadFile], File()],
    outlet: Annotated[str | None, Form(max_length=200)] = None,
    form_token: Annotated[str | None, Form(alias="token")] = None,
) -> Response:
    state.check_write(request, form_token)
    job = state.worker.submit(await spool_files(state, files, outlet))
    return remember_token(state, RedirectResponse(f"/jobs/{job.id}", status_code=303), form_token)


@router.post("/add/text", include_in_schema=False)
def form_text(
    state: State,
    request: Request,
    text: Annotated[str, Form()],
    outlet: Annotated[str, Form(max_length=200)],
    title: Annotated[str, Form(max_length=1000)] = "",
    published: Annotated[str, Form(max_length=40)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    form_token: Annotated[str | None, Form(alias="token")] = None,
) -> Response:
    state.check_write(request, form_token)
    try:
        day = date.fromisoformat(published) if published else None
    except ValueError as error:
        raise ApiProblem(422, Msg.SERVER_BAD_REQUEST.format(error=f"published: {error}")) from None
    try:
        given = TextIn(text=text, outlet=outlet, title=title, published=day, url=url or None)
    except ValidationError as error:
        problem = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise ApiProblem(422, Msg.SERVER_BAD_REQUEST.format(error=problem)) from None
    job = state.worker.submit(text_job(state, given))
    return remember_token(state, RedirectResponse(f"/jobs/{job.id}", status_code=303), form_token)


@router.post("/add/urls", include_in_schema=False)
def form_urls(
    state: State,
    request: Request,
    urls: Annotated[str, Form()],
    form_token: Annotated[str | None, Form(alias="token")] = None,
) -> Response:
    state.check_write(request, form_token)
    job = state.worker.submit(url_job(urls.split()))
    return remember_token(state, RedirectResponse(f"/jobs/{job.id}", status_code=303), form_token)
