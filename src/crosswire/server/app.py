"""`crosswire serve`: the stored corpus as a web app (server-rendered pages) and a REST API.

FastAPI serves both. Pages are Jinja2 templates with autoescape on (article text is hostile),
and the only script is a static file, so the Content-Security-Policy can forbid inline script.
Uploads and URLs are processed by one worker thread, in the order they came; jobs waiting
together are analysed in one pass (each pass re-reports every stored story, so batching keeps
many small uploads cheap). Reads go straight to the store; SQLite runs in WAL mode, so they
never wait for the worker or for another process writing the same database.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import multiprocessing
import os
import queue
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from rapidfuzz import fuzz
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crosswire.clean import clean_articles
from crosswire.errors import CrosswireError, Msg
from crosswire.models import (
    Article,
    ArticleAnalysis,
    Claim,
    Conflict,
    InputError,
    Report,
    Story,
    TimelineEntry,
)
from crosswire.options import Options
from crosswire.report import (
    SECTIONS,
    STATUS_LABEL,
    date_range,
    is_web_url,
    status_counts,
    template_env,
    timeline_chart,
)
from crosswire.store import ServerStore, StorySummary

__all__ = ["API_PREFIX", "create_app", "serve"]

API_PREFIX = "/api/v1"
TOKEN_ENV = "CROSSWIRE_TOKEN"
TOKEN_COOKIE = "crosswire_token"
MAX_UPLOAD_BYTES = 20_000_000
"""Largest upload request accepted (all files together)."""
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".xml", ".rss", ".atom")
"""What `crosswire analyze` reads (ingest's kinds), each also accepted gzipped."""
MAX_PAGE = 200
MAX_JOBS = 1000
"""Jobs remembered (their state and progress); the oldest finished ones are forgotten."""
POLL_MS = 3000

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
DOCS_ASSETS = f"{API_PREFIX}/docs-assets"


def _swagger_ui_path() -> Path:
    """Swagger UI's files as shipped in the swagger-ui-bundle wheel (a server dependency), so
    the docs page needs no CDN."""
    import swagger_ui_bundle

    return Path(str(swagger_ui_bundle.swagger_ui_path))


SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

T = TypeVar("T")
# Module level, not inside create_app: FastAPI resolves the (string) annotations here.
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]


# =============================================================================== API models


class Page(BaseModel, Generic[T]):
    """One page of a list: `items` from `offset`, at most `limit`, out of `total`."""

    total: int
    limit: int
    offset: int
    items: list[T]


class ApiError(BaseModel):
    error: str = Field(description="What went wrong, in one sentence.")
    status: int


class StoryOut(BaseModel):
    id: str
    title: str
    outlets: int
    articles: int
    disputed: int = Field(description="Claims outlets disagree on.")
    conflicts: int
    single_source: int = Field(description="Claims only one outlet makes.")
    newest: Any = Field(default=None, description="Latest publication date among its articles.")
    updated_at: datetime | None = None
    version: str = Field(description="Changes whenever the story does.")
    entities: list[str]


class ArticleOut(BaseModel):
    id: str
    source: str
    title: str
    url: str | None
    published: Any = None
    published_inferred: bool
    language: str | None
    story_id: str | None
    boilerplate_removed: list[str]
    text: str | None = Field(default=None, description="Only when one article is asked for.")


class StoryVersion(BaseModel):
    id: str
    version: str


class UrlsIn(BaseModel):
    urls: list[str] = Field(description="Article or feed URLs; feeds are expanded.")


JobState = Literal["queued", "running", "done", "failed"]


class JobOut(BaseModel):
    id: str
    kind: Literal["upload", "urls"]
    state: JobState
    stage: str = ""
    done: int = 0
    total: int = 0
    inputs: list[str] = Field(default_factory=list, description="File names or URLs.")
    articles_read: int = 0
    errors: list[InputError] = Field(default_factory=list)
    story_ids: list[str] = Field(default_factory=list, description="Stories its articles joined.")
    message: str = ""
    created_at: datetime


def _story_out(s: StorySummary) -> StoryOut:
    return StoryOut(**s.model_dump(exclude={"search_text"}))


def _article_out(a: Article, story_id: str | None, *, text: bool) -> ArticleOut:
    return ArticleOut(
        id=a.id,
        source=a.source,
        title=a.title,
        url=a.url,
        published=a.published,
        published_inferred=a.published_inferred,
        language=a.language,
        story_id=story_id,
        boilerplate_removed=a.boilerplate_removed,
        text=a.text if text else None,
    )


def _page(items: Sequence[T], limit: int, offset: int) -> Page[T]:
    return Page[T](
        total=len(items), limit=limit, offset=offset, items=list(items[offset : offset + limit])
    )


class ApiProblem(Exception):
    """An error answered as JSON (API) or as an error page (browser), with its status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# =============================================================================== jobs


UrlReader = Callable[[Sequence[str], Options], Iterator[Article | InputError]]


def url_reader() -> UrlReader:
    """`crosswire.inputs.fetch.read_urls`, imported only when URLs are added: the fetcher is optional,
    and without it the rest of the app works. Raises ApiProblem(503) when it cannot load."""
    try:
        from crosswire.inputs.fetch import read_urls
    except Exception as exc:  # any import failure means the same to the user: not available
        raise ApiProblem(503, Msg.SERVER_NO_FETCH.format(error=exc)) from exc
    return read_urls


@dataclass
class Job:
    id: str
    kind: Literal["upload", "urls"]
    inputs: list[str]
    folder: Path | None = None
    outlet: str | None = None
    urls: list[str] = field(default_factory=list)
    reader: UrlReader | None = None
    state: JobState = "queued"
    stage: str = ""
    done: int = 0
    total: int = 0
    articles_read: int = 0
    errors: list[InputError] = field(default_factory=list)
    story_ids: list[str] = field(default_factory=list)
    message: str = ""
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished: threading.Event = field(default_factory=threading.Event)

    def out(self) -> JobOut:
        return JobOut(
            id=self.id,
            kind=self.kind,
            state=self.state,
            stage=self.stage,
            done=self.done,
            total=self.total,
            inputs=self.inputs,
            articles_read=self.articles_read,
            errors=self.errors,
            story_ids=self.story_ids,
            message=self.message,
            created_at=self.created_at,
        )


def analysis_pass(
    articles: Sequence[Article],
    options: Options,
    db: str,
    errors: Sequence[InputError],
    progress: Callable[[str, int, int], None],
) -> dict[str, str]:
    """Store and analyse `articles` (`pipeline.analyze_into_store`); return the story each
    joined, by content hash (the store may have given an article another id)."""
    from crosswire.pipeline import analyze_into_store
    from crosswire.store import Store

    with Store(db) as store:
        report = analyze_into_store(articles, options, store, errors=errors, progress=progress)
    by_hash = {a.content_hash: a.id for a in articles}
    stored_story = {a.id: a.story_id for a in report.articles}
    joined: dict[str, str] = {}
    for digest, aid in by_hash.items():
        sid = stored_story.get(aid) or _story_by_content(report, digest)
        if sid:
            joined[digest] = sid
    return joined


# In the analysis child process: where progress goes (set by the pool's initializer).
_child_progress: Any = None


def _child_init(progress_queue: Any) -> None:
    global _child_progress
    _child_progress = progress_queue


def _child_pass(
    articles: Sequence[Article], options: Options, db: str, errors: Sequence[InputError]
) -> dict[str, str]:
    def progress(stage: str, done: int, total: int) -> None:
        _child_progress.put((stage, done, total))

    return analysis_pass(articles, options, db, errors, progress)


class Worker:
    """Processes jobs one batch at a time in a single thread.

    One writer at a time is what the store's story index needs (each pass reads it, files the
    new articles and saves it back). Jobs that queued up while a pass ran go in one pass.
    Inputs are read in this thread; with `isolate`, the analysis pass (CPU-bound: spaCy,
    comparison) runs in one long-lived child process, so it does not hold the GIL that the
    server's reads need; its progress comes back through a queue.
    """

    def __init__(self, db: str, options: Options, spool: Path, *, isolate: bool = True) -> None:
        self.db = db
        self.options = options
        self.spool = spool
        self.isolate = isolate
        self._pool: ProcessPoolExecutor | None = None
        self._progress: Any = None
        self.jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.start()

    def start(self) -> None:
        """Start the thread unless it runs (the app's shutdown stops it; a test client or a
        server may start the app again)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="crosswire-worker", daemon=True
                )
                self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def submit(self, job: Job) -> Job:
        with self._lock:
            self.jobs[job.id] = job
            # Jobs are kept in memory for their progress pages; forget the oldest finished
            # ones so a long-running server does not grow without bound.
            finished = [j.id for j in self.jobs.values() if j.finished.is_set()]
            for old in finished[: max(0, len(self.jobs) - MAX_JOBS)]:
                del self.jobs[old]
        self._queue.put(job)
        self.start()
        return job

    def close(self, timeout: float = 30.0) -> None:
        """Finish the jobs queued so far, then stop the thread (and the analysis process)."""
        with self._lock:
            thread = self._thread
            if thread is not None and thread.is_alive():
                self._queue.put(None)
            else:
                thread = None
        if thread is not None:
            thread.join(timeout)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _analyse(
        self,
        articles: Sequence[Article],
        errors: Sequence[InputError],
        progress: Callable[[str, int, int], None],
    ) -> dict[str, str]:
        if not self.isolate:
            return analysis_pass(articles, self.options, self.db, errors, progress)
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # no fork of a threaded server
            self._progress = context.Queue()
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=_child_init,
                initargs=(self._progress,),
            )
        future = self._pool.submit(_child_pass, articles, self.options, self.db, errors)
        try:
            while True:
                try:
                    progress(*self._progress.get(timeout=0.2))
                except queue.Empty:
                    if future.done():
                        break
            return future.result()
        except BrokenProcessPool:
            self._pool = None  # the child died (killed, out of memory): a new one next time
            raise

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while True:  # whatever else is waiting joins this pass
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            self._process(batch)
            if stop:
                return

    def _process(self, batch: list[Job]) -> None:
        from crosswire.inputs import read_inputs

        for job in batch:
            job.state, job.stage = "running", "reading inputs"

        def progress(stage: str, done: int, total: int) -> None:
            for job in batch:
                job.stage, job.done, job.total = stage, done, total

        try:
            articles: list[Article] = []
            errors: list[InputError] = []
            origin_job: dict[str, Job] = {}
            for job in batch:
                items: Iterator[Article | InputError]
                if job.folder is not None:
                    items = read_inputs([job.folder], self.options)
                else:
                    assert job.reader is not None
                    items = job.reader(job.urls, self.options)
                read: list[Article] = []
                for item in items:
                    if isinstance(item, InputError):
                        job.errors.append(_short_origin(item, job.folder))
                    elif job.folder is not None and item.source == job.folder.name:
                        # Ingest names a plain file's outlet after its folder, here the spool
                        # folder: the outlet given with the upload, else the file's name.
                        outlet = job.outlet or Path(item.origin.split(":", 1)[0]).stem
                        read.append(item.model_copy(update={"source": outlet}))
                    else:
                        read.append(item)
                job.articles_read = len(read)
                # Cleaning compares an outlet's articles with each other, so it runs per job
                # (the articles that arrived together), as `crosswire analyze` does per run.
                cleaned = clean_articles(read, self.options)
                articles += cleaned
                for article in cleaned:
                    origin_job[article.content_hash] = job
                errors += job.errors
            if articles:
                joined = self._analyse(articles, errors, progress)
                for digest, job in origin_job.items():
                    sid = joined.get(digest)
                    if sid and sid not in job.story_ids:
                        job.story_ids.append(sid)
            for job in batch:
                job.state, job.stage = "done", "done"
                job.done = job.total = max(job.total, 1)
        except Exception as exc:  # a failed pass must not kill the worker or hide the reason
            for job in batch:
                job.state, job.message = "failed", Msg.SERVER_JOB_FAILED.format(error=exc)
        finally:
            for job in batch:
                if job.folder is not None:
                    shutil.rmtree(job.folder, ignore_errors=True)
                job.finished.set()


def _safe_name(filename: str, taken: set[str]) -> str:
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


def _short_origin(error: InputError, folder: Path | None) -> InputError:
    """The error with the spool folder cut from its origin: the user knows the file name."""
    if folder is None:
        return error
    return error.model_copy(update={"origin": error.origin.replace(f"{folder}{os.sep}", "")})


def _story_by_content(report: Report, digest: str) -> str | None:
    for art in report.articles:
        # Article.content_hash's key (a ReportArticle does not carry the hash).
        key = "\x1f".join([art.source.strip().lower(), art.title.strip(), art.text.strip()])
        if hashlib.sha256(key.encode("utf-8")).hexdigest() == digest:
            return art.story_id
    return None


# =============================================================================== security


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


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
                await _json_error(413, Msg.SERVER_TOO_LARGE.format(limit=self.limit))(
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
                    await _json_error(413, Msg.SERVER_TOO_LARGE.format(limit=self.limit))(
                        scope, receive, send_with_headers
                    )
            return
        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass


def _json_error(status: int, message: str) -> JSONResponse:
    return JSONResponse(ApiError(error=message, status=status).model_dump(), status_code=status)


# =============================================================================== views


@dataclass(frozen=True)
class CiteLink:
    article_id: str
    label: str
    title: str
    href: str


@dataclass
class ConflictView:
    conflict: Conflict
    anchor: str
    values: list[tuple[str, list[tuple[CiteLink, str]]]]  # value, [(cite, evidence)]


class Views:
    """What the story and article pages need, from the story, its articles and analyses."""

    def __init__(self, story: Story, articles: dict[str, Article], analyses: dict[str, Any]):
        self.story = story
        self.articles = articles
        self.analyses: dict[str, ArticleAnalysis] = analyses

    def outlet(self, aid: str) -> str:
        art = self.articles.get(aid)
        return art.source if art else aid

    def sentence_index(self, aid: str, text: str, hint: int = -1) -> int | None:
        """Which sentence of the article `text` is: the hint when it fits, else an exact or
        containing match, else the closest by fuzzy ratio (the brief may neutralise words)."""
        analysis = self.analyses.get(aid)
        if analysis is None or not analysis.sentences:
            return None
        sentences = analysis.sentences
        wanted = text.strip()
        if 0 <= hint < len(sentences) and sentences[hint].text.strip() == wanted:
            return hint
        for s in sentences:
            if s.text.strip() == wanted:
                return s.index
        for s in sentences:
            if wanted and (wanted in s.text or s.text.strip() in wanted):
                return s.index
        best = max(sentences, key=lambda s: fuzz.ratio(s.text, wanted))
        return best.index if fuzz.ratio(best.text, wanted) >= 50 else None

    def cite(self, aid: str, text: str | None = None, hint: int = -1) -> CiteLink:
        art = self.articles.get(aid)
        label = self.outlet(aid)
        title = f"{art.source}: {art.title}" if art and art.title else label
        href = f"/articles/{_quote(aid)}"
        if text is not None:
            index = self.sentence_index(aid, text, hint)
            if index is not None:
                href += f"?s={index}#s{index}"
        return CiteLink(aid, label, title, href)

    def _brief_source(self, aid: str, text: str) -> tuple[str, int]:
        """The sentence of article `aid` behind a brief sentence: the brief picks one outlet's
        wording of a claim (or describes a conflict), so the claim's (or the conflict's)
        sentence from `aid` is the one to open; the brief's own text is the fallback."""
        wanted = text.strip()
        for claim in self.story.claims:
            if any(
                src.sentence.strip() == wanted or fuzz.ratio(src.sentence, wanted) >= 85
                for src in claim.sources
            ):
                for src in claim.sources:
                    if src.article_id == aid:
                        return src.sentence, src.sentence_index
        for conflict in self.story.conflicts:
            if conflict.values and all(v.value in wanted for v in conflict.values):
                for v in conflict.values:
                    if aid in v.article_ids:
                        said = next((e for e in v.evidence if self._in_article(aid, e)), "")
                        if said:
                            return said, -1
        return wanted, -1

    def brief(self) -> list[tuple[str, list[tuple[str, list[CiteLink]]]]]:
        out = []
        for section, label in SECTIONS:
            items = [
                (
                    s.text,
                    [self.cite(aid, *self._brief_source(aid, s.text)) for aid in s.article_ids],
                )
                for s in self.story.summary
                if s.section == section
            ]
            if items:
                out.append((label, items))
        return out

    def matrix(self) -> list[tuple[Claim, list[tuple[str, str, str]]]]:
        """Per claim, per article: (mark, href, title); mark is supports/disputes/silent."""
        conflicts = {c.id: c for c in self.story.conflicts}
        rows = []
        for claim in self.story.claims:
            supporting = {s.article_id: s for s in claim.sources}
            cells = []
            for aid in self.story.article_ids:
                if aid in supporting:
                    src = supporting[aid]
                    link = self.cite(aid, src.sentence, src.sentence_index)
                    cells.append(("supports", link.href, f"{self.outlet(aid)} says so"))
                    continue
                against = next(
                    (
                        conflicts[cid]
                        for cid in claim.conflict_ids
                        if cid in conflicts
                        and any(aid in v.article_ids for v in conflicts[cid].values)
                    ),
                    None,
                )
                if against is not None:
                    cells.append(
                        (
                            "disputes",
                            f"#conflict-{_slug(against.id)}",
                            f"{self.outlet(aid)} disagrees ({against.subject})",
                        )
                    )
                else:
                    cells.append(("silent", "", f"{self.outlet(aid)} does not say"))
            rows.append((claim, cells))
        return rows

    def conflicts(self) -> list[ConflictView]:
        views = []
        for c in self.story.conflicts:
            values = []
            for v in c.values:
                evidence = []
                for aid in v.article_ids:
                    said = next((e for e in v.evidence if self._in_article(aid, e)), "")
                    evidence.append((self.cite(aid, said or None), said))
                values.append((v.value, evidence))
            views.append(ConflictView(c, f"conflict-{_slug(c.id)}", values))
        return views

    def _in_article(self, aid: str, text: str) -> bool:
        art = self.articles.get(aid)
        return bool(art and text.strip() and text.strip() in art.text)

    def framing(self) -> list[tuple[str, list[Any]]]:
        by_outlet: dict[str, list[Any]] = {}
        for f in self.story.framing:
            by_outlet.setdefault(self.outlet(f.article_id), []).append(f)
        return sorted(by_outlet.items())

    def timeline_cites(self, entry: TimelineEntry) -> list[CiteLink]:
        return [self.cite(aid, entry.event) for aid in entry.article_ids]


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def article_segments(article: Article, analysis: ArticleAnalysis | None) -> list[tuple[str, int]]:
    """The article text cut at its sentences: (text, sentence index or -1 between them)."""
    if analysis is None or not analysis.sentences:
        return [(article.text, -1)]
    out: list[tuple[str, int]] = []
    pos = 0
    text = article.text
    for s in sorted(analysis.sentences, key=lambda s: s.start):
        if s.start < pos or s.end > len(text) or text[s.start : s.end] != s.text:
            continue  # offsets that do not fit this text (another version): leave it plain
        if s.start > pos:
            out.append((text[pos : s.start], -1))
        out.append((text[s.start : s.end], s.index))
        pos = s.end
    if pos < len(text):
        out.append((text[pos:], -1))
    return out


_ENV = template_env()  # the report's settings; its own globals below
_ENV.globals.update(
    status_label=STATUS_LABEL,
    date_range=date_range,
    is_web_url=is_web_url,
    quote=_quote,
    api=API_PREFIX,
    poll_ms=POLL_MS,
)


# =============================================================================== app


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
    token = token or None  # an empty token would let anyone write: it means "no token"
    store = ServerStore(db)
    spool = Path(tempfile.mkdtemp(prefix="crosswire-uploads-"))
    worker = Worker(db, options, spool, isolate=isolate_analysis)
    cache: dict[str, tuple[str, list[StorySummary], dict[str, str]]] = {}
    cache_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker.start()
        yield
        worker.close()
        store.close()
        shutil.rmtree(spool, ignore_errors=True)

    app = FastAPI(
        lifespan=lifespan,
        title="crosswire",
        version="1",
        summary="Stories across outlets: agreements, conflicts, timeline, cited brief.",
        docs_url=None,  # served below, from the swagger-ui-bundle wheel: it works offline
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.store = store
    app.state.worker = worker
    app.add_middleware(SecurityHeaders, max_upload_bytes=max_upload_bytes)
    static = Path(__file__).parents[1] / "templates" / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=_swagger_ui_path()), name="docs-assets")

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{API_PREFIX}/openapi.json",
            title="crosswire API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    # ------------------------------------------------------------------ errors

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith(API_PREFIX) and "text/html" in request.headers.get(
            "accept", ""
        )

    def problem(
        request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        response: Response
        if wants_html(request):
            page = _ENV.get_template("error.html.j2").render(status=status, message=message)
            response = HTMLResponse(page, status_code=status)
        else:
            response = _json_error(status, message)
        response.headers.update(headers or {})  # e.g. Allow on 405
        return response

    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> Response:
        return problem(request, exc.status, exc.message)

    @app.exception_handler(CrosswireError)
    async def _crosswire_error(request: Request, exc: CrosswireError) -> Response:
        return problem(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return problem(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        error = f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg"))
        return problem(request, 422, Msg.SERVER_BAD_REQUEST.format(error=error))

    # ------------------------------------------------------------------ reads

    def summaries() -> tuple[list[StorySummary], dict[str, str]]:
        """Stories newest first, then most covered; and each article's story. Cached until the
        store changes (one cheap query tells), so the list is not rebuilt per request."""
        state = store.stories_state()
        with cache_lock:
            hit = cache.get("stories")
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
            found = store.get_story(s.id)
            if found is not None:
                for aid in found[0].article_ids:
                    story_of.setdefault(aid, s.id)
        with cache_lock:
            cache["stories"] = (state, items, story_of)
        return items, story_of

    def search(q: str | None) -> list[StorySummary]:
        items, _ = summaries()
        words = (q or "").lower().split()
        if not words:
            return items
        return [s for s in items if all(w in s.search_text for w in words)]

    def need_story(story_id: str) -> Story:
        found = store.get_story(story_id)
        if found is None:
            raise ApiProblem(404, Msg.SERVER_NOT_FOUND.format(what="story", id=story_id))
        return found[0]

    def need_article(article_id: str) -> Article:
        article = store.get_article(article_id)
        if article is None:
            raise ApiProblem(404, Msg.SERVER_NOT_FOUND.format(what="article", id=article_id))
        return article

    errors_doc: dict[int | str, dict[str, Any]] = {
        404: {"model": ApiError, "description": "Not found"},
        422: {"model": ApiError, "description": "Invalid request"},
    }

    @app.get(f"{API_PREFIX}/stories", response_model=Page[StoryOut], tags=["stories"])
    def api_stories(
        limit: Limit = 50,
        offset: Offset = 0,
        q: Annotated[str | None, Query(description="Words or entity names to look for.")] = None,
    ) -> Page[StoryOut]:
        """Stories, newest and most covered first."""
        found = search(q)
        page = found[offset : offset + limit]
        return Page[StoryOut](
            total=len(found), limit=limit, offset=offset, items=[_story_out(s) for s in page]
        )

    @app.get(
        f"{API_PREFIX}/stories/{{story_id}}",
        response_model=Story,
        tags=["stories"],
        responses=errors_doc,
    )
    def api_story(story_id: str) -> Response:
        """The whole story: claims, conflicts, timeline, framing, brief."""
        found = store.story_json(story_id)
        if found is None:
            raise ApiProblem(404, Msg.SERVER_NOT_FOUND.format(what="story", id=story_id))
        # The stored JSON as it is (already a valid `Story`): the busiest read skips
        # validating and re-encoding a large model on every request.
        return Response(found[0], media_type="application/json", headers={"ETag": found[1]})

    @app.get(
        f"{API_PREFIX}/stories/{{story_id}}/version",
        response_model=StoryVersion,
        tags=["stories"],
        responses=errors_doc,
    )
    def api_story_version(story_id: str) -> StoryVersion:
        """A digest that changes whenever the story does (pages poll it)."""
        found = store.get_story(story_id)
        if found is None:
            raise ApiProblem(404, Msg.SERVER_NOT_FOUND.format(what="story", id=story_id))
        return StoryVersion(id=story_id, version=found[1])

    @app.get(
        f"{API_PREFIX}/stories/{{story_id}}/claims",
        response_model=Page[Claim],
        tags=["stories"],
        responses=errors_doc,
    )
    def api_claims(story_id: str, limit: Limit = 50, offset: Offset = 0) -> Page[Claim]:
        return _page(need_story(story_id).claims, limit, offset)

    @app.get(
        f"{API_PREFIX}/stories/{{story_id}}/conflicts",
        response_model=Page[Conflict],
        tags=["stories"],
        responses=errors_doc,
    )
    def api_conflicts(story_id: str, limit: Limit = 50, offset: Offset = 0) -> Page[Conflict]:
        return _page(need_story(story_id).conflicts, limit, offset)

    @app.get(
        f"{API_PREFIX}/stories/{{story_id}}/timeline",
        response_model=Page[TimelineEntry],
        tags=["stories"],
        responses=errors_doc,
    )
    def api_timeline(story_id: str, limit: Limit = 50, offset: Offset = 0) -> Page[TimelineEntry]:
        return _page(need_story(story_id).timeline, limit, offset)

    @app.get(
        f"{API_PREFIX}/stories/{{story_id}}/report",
        response_model=Report,
        tags=["stories"],
        responses=errors_doc,
    )
    def api_report(story_id: str) -> Report:
        """The story as report.json (the same contract, `crosswire schema`), its articles only."""
        report = store.story_report(story_id)
        if report is None:
            raise ApiProblem(404, Msg.SERVER_NOT_FOUND.format(what="story", id=story_id))
        return report

    @app.get(f"{API_PREFIX}/articles", response_model=Page[ArticleOut], tags=["articles"])
    def api_articles(limit: Limit = 50, offset: Offset = 0) -> Page[ArticleOut]:
        """Articles in the order they were added (text left out; ask for one to get it)."""
        items, total = store.article_page(limit, offset)
        _, story_of = summaries()
        return Page[ArticleOut](
            total=total,
            limit=limit,
            offset=offset,
            items=[_article_out(a, story_of.get(a.id), text=False) for a in items],
        )

    @app.get(
        f"{API_PREFIX}/articles/{{article_id}}",
        response_model=ArticleOut,
        tags=["articles"],
        responses=errors_doc,
    )
    def api_article(article_id: str) -> ArticleOut:
        article = need_article(article_id)
        _, story_of = summaries()
        return _article_out(article, story_of.get(article.id), text=True)

    @app.get(
        f"{API_PREFIX}/jobs/{{job_id}}", response_model=JobOut, tags=["jobs"], responses=errors_doc
    )
    def api_job(job_id: str) -> JobOut:
        """Progress of an upload or URL job."""
        job = worker.jobs.get(job_id)
        if job is None:
            raise ApiProblem(404, Msg.SERVER_NOT_FOUND.format(what="job", id=job_id))
        return job.out()

    # ------------------------------------------------------------------ writes

    def check_write(request: Request, form_token: str | None = None) -> None:
        """Writes need the token when one is set; without one, only this machine may write.
        A browser form sent from another site is refused either way (no cross-site writes)."""
        site = request.headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            raise ApiProblem(403, Msg.SERVER_CROSS_SITE)
        if token is None:
            if not _is_loopback(request.client.host if request.client else None):
                raise ApiProblem(403, Msg.SERVER_LOOPBACK)
            return
        auth = request.headers.get("authorization", "")
        given = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        given = given or form_token or request.cookies.get(TOKEN_COOKIE, "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiProblem(401, Msg.SERVER_TOKEN)

    async def spool_files(files: list[UploadFile], outlet: str | None = None) -> Job:
        named = [f for f in files if f.filename]
        if not named:
            raise ApiProblem(400, Msg.SERVER_NO_FILES)
        for f in named:
            name = (f.filename or "").lower().removesuffix(".gz")
            if not name.endswith(UPLOAD_SUFFIXES) and Path(name).name != "manifest.jsonl":
                raise ApiProblem(415, Msg.SERVER_TYPE.format(name=f.filename))
        job_id = uuid.uuid4().hex[:12]
        folder = spool / job_id
        folder.mkdir()
        names: list[str] = []
        for f in named:
            name = _safe_name(f.filename or "", taken=set(names))
            target = folder / name
            with target.open("wb") as out:
                while chunk := await f.read(1 << 16):
                    out.write(chunk)
            names.append(name)
        outlet = (outlet or "").strip() or None
        return Job(id=job_id, kind="upload", inputs=names, folder=folder, outlet=outlet)

    def url_job(urls: list[str]) -> Job:
        urls = [u.strip() for u in urls if u.strip()]
        if not urls:
            raise ApiProblem(400, Msg.SERVER_NO_URLS)
        reader = url_reader()
        return Job(id=uuid.uuid4().hex[:12], kind="urls", inputs=urls, urls=urls, reader=reader)

    @app.post(
        f"{API_PREFIX}/uploads",
        response_model=JobOut,
        status_code=202,
        tags=["jobs"],
        responses={code: {"model": ApiError} for code in (400, 401, 403, 413, 415)},
    )
    async def api_upload(
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
        check_write(request)
        return worker.submit(await spool_files(files, outlet)).out()

    @app.post(
        f"{API_PREFIX}/urls",
        response_model=JobOut,
        status_code=202,
        tags=["jobs"],
        responses={code: {"model": ApiError} for code in (400, 401, 403, 413, 503)},
    )
    def api_urls(request: Request, body: UrlsIn) -> JobOut:
        """Add articles or feeds by URL; fetched and processed in the background."""
        check_write(request)
        return worker.submit(url_job(body.urls)).out()

    # ------------------------------------------------------------------ pages

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(_ENV.get_template(name).render(**context), status_code=status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_stories(q: str | None = None, offset: Offset = 0) -> HTMLResponse:
        found = search(q)
        return render(
            "stories.html.j2",
            stories=found[offset : offset + 50],
            total=len(found),
            offset=offset,
            q=q or "",
            page=50,
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_story(story_id: str) -> HTMLResponse:
        found = store.get_story(story_id)
        if found is None:
            raise ApiProblem(404, Msg.SERVER_NOT_FOUND.format(what="story", id=story_id))
        story, version = found
        views = Views(
            story, store.articles_by_id(story.article_ids), store.get_analyses(story.article_ids)
        )
        return render(
            "story.html.j2",
            s=story,
            v=views,
            version=version,
            chart=timeline_chart(story.timeline),
            counts=status_counts(story),
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_article(article_id: str, s: Annotated[int, Query(ge=-1)] = -1) -> HTMLResponse:
        article = need_article(article_id)
        analysis = store.get_analyses([article.id]).get(article.id)
        _, story_of = summaries()
        sid = story_of.get(article.id)
        story = store.get_story(sid) if sid else None
        return render(
            "article.html.j2",
            a=article,
            segments=article_segments(article, analysis),
            highlight=s,
            story=story[0] if story else None,
        )

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def page_add() -> HTMLResponse:
        return render(
            "add.html.j2",
            needs_token=token is not None,
            suffixes=", ".join(UPLOAD_SUFFIXES),
            limit=max_upload_bytes,
        )

    def remember_token(response: Response, form_token: str | None) -> Response:
        if token is not None and form_token:
            response.set_cookie(TOKEN_COOKIE, form_token, httponly=True, samesite="strict")
        return response

    @app.post("/add/files", include_in_schema=False)
    async def form_upload(
        request: Request,
        files: Annotated[list[UploadFile], File()],
        outlet: Annotated[str | None, Form(max_length=200)] = None,
        form_token: Annotated[str | None, Form(alias="token")] = None,
    ) -> Response:
        check_write(request, form_token)
        job = worker.submit(await spool_files(files, outlet))
        return remember_token(RedirectResponse(f"/jobs/{job.id}", status_code=303), form_token)

    @app.post("/add/urls", include_in_schema=False)
    def form_urls(
        request: Request,
        urls: Annotated[str, Form()],
        form_token: Annotated[str | None, Form(alias="token")] = None,
    ) -> Response:
        check_write(request, form_token)
        job = worker.submit(url_job(urls.split()))
        return remember_token(RedirectResponse(f"/jobs/{job.id}", status_code=303), form_token)

    @app.get("/jobs/{job_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_job(job_id: str) -> HTMLResponse:
        job = worker.jobs.get(job_id)
        if job is None:
            raise ApiProblem(404, Msg.SERVER_NOT_FOUND.format(what="job", id=job_id))
        items, _ = summaries()
        titles = {s.id: s.title for s in items}
        return render("job.html.j2", job=job.out(), titles=titles)

    return app


def wait_for_jobs(app: FastAPI, timeout: float = 300.0) -> bool:
    """Wait until every submitted job has finished; False on timeout (tests, benchmarks)."""
    deadline = time.monotonic() + timeout
    worker: Worker = app.state.worker
    for job in list(worker.jobs.values()):
        if not job.finished.wait(max(0.0, deadline - time.monotonic())):
            return False
    return True


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
