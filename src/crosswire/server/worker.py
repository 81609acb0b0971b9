"""The job registry and its worker: uploads and URL lists waiting to be read and analysed.

Jobs are processed by one worker thread, in the order they came; jobs waiting together are
analysed in one pass (each pass re-reports every stored story, so batching keeps many small
uploads cheap). The analysis itself may run in a child process, off the GIL of the reads.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import queue
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from fastapi import FastAPI

from crosswire.clean import clean_articles
from crosswire.errors import Msg
from crosswire.models import Article, InputError, Report
from crosswire.options import Options
from crosswire.server.schemas import JobOut, JobState, out_of

MAX_JOBS = 1000
"""Jobs remembered (their state and progress); the oldest finished ones are forgotten."""

UrlReader = Callable[[Sequence[str], Options], Iterator[Article | InputError]]


@dataclass
class Job:
    """One upload or URL list: its inputs, then its progress and what became of it."""

    id: str
    kind: Literal["upload", "urls", "text"]
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
        return out_of(JobOut, self)


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
                    elif job.outlet and item.source_from in ("file name", "byline or dateline"):
                        # the outlet given with the upload wins over ingest's guesses
                        read.append(item.model_copy(update={"source": job.outlet}))
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
                job.state, job.stage = job_outcome(job)
                if job.state == "failed":
                    job.message = job.stage
                job.done = job.total = max(job.total, 1)
        except Exception as exc:  # a failed pass must not kill the worker or hide the reason
            for job in batch:
                job.state, job.message = "failed", Msg.SERVER_JOB_FAILED.format(error=exc)
                job.stage = job.message
        finally:
            for job in batch:
                if job.folder is not None:
                    shutil.rmtree(job.folder, ignore_errors=True)
                job.finished.set()


def job_outcome(job: Job) -> tuple[JobState, str]:
    """The job's end state and what happened, in words: "3 articles read into 1 story; 1
    input not read", or, when nothing was read, why ("404 from example.org")."""
    if job.articles_read == 0:
        if not job.errors:
            return "failed", Msg.SERVER_JOB_NOTHING
        shown = "; ".join(describe_error(e) for e in job.errors[:3])
        more = len(job.errors) - 3
        return "failed", shown + (Msg.SERVER_JOB_MORE.format(n=more) if more > 0 else "")
    said = _count(job.articles_read, "article") + " read"
    if job.story_ids:
        said += " into " + _count(len(job.story_ids), "story", "stories")
    if job.errors:
        said += "; " + _count(len(job.errors), "input") + " not read"
    return "done", said


def describe_error(error: InputError) -> str:
    """An input's error, short, naming where it came from: a URL's site ("404 from
    example.org"), else the file."""
    parsed = urlsplit(error.origin)
    if parsed.scheme in ("http", "https") and parsed.hostname:
        status = _HTTP_STATUS.search(error.message)
        if status:
            return Msg.SERVER_JOB_HTTP.format(status=status.group(1), site=parsed.hostname)
        return f"{error.message} ({parsed.hostname})"
    return f"{error.origin}: {error.message}"


_HTTP_STATUS = re.compile(r"\bHTTP (\d{3})\b")


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


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


def wait_for_jobs(app: FastAPI, timeout: float = 300.0) -> bool:
    """Wait until every submitted job has finished; False on timeout (tests, benchmarks)."""
    deadline = time.monotonic() + timeout
    worker: Worker = app.state.worker
    for job in list(worker.jobs.values()):
        if not job.finished.wait(max(0.0, deadline - time.monotonic())):
            return False
    return True
