"""Scale the per-article stages out over processes or a Ray cluster (issue 8).

One pipeline, two executors. The stateless per-article work (language analysis, the story
index's per-article preparation) runs through an `Executor`: `map(fn, chunks)` applies `fn`
to each chunk of items elsewhere and yields the results in input order, with a bounded number
of chunks in flight, so a stream of any length is read only a few chunks ahead of the workers
and memory stays flat. The stateful part (story assignment in `StoryIndex`, comparison,
synthesis) stays in the calling process as a single writer, fed in the same order and the
same chunks whatever the executor, so results are identical to the in-process run.

- `InlineExecutor`: in this process (what `--workers 1` means).
- `LocalExecutor`: a `concurrent.futures.ProcessPoolExecutor` started with `forkserver` (or
  `spawn`), never `fork`: the parent may hold threads (BLAS, Rich) that fork would copy
  mid-state. Each worker loads spaCy once, in its initializer.
- `RayExecutor`: Ray actors, each holding the model, on a local Ray instance or the cluster
  at `address`. Ray is imported only here, so the default install does not need it.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from itertools import islice
from types import TracebackType
from typing import Any, Literal, Protocol, Self, TypeVar

from crosswire.errors import CrosswireError, Msg
from crosswire.models import Article, ArticleAnalysis, StoryGroup
from crosswire.options import Options
from crosswire.stories import PreparedArticle, StoryIndex, prepare_articles

__all__ = [
    "DEFAULT_CHUNK",
    "Executor",
    "ExecutorKind",
    "InlineExecutor",
    "LocalExecutor",
    "RayExecutor",
    "analyze_and_prepare_chunk",
    "analyze_chunk",
    "analyze_many",
    "chunked",
    "file_stories",
    "make_executor",
    "prepare_chunk",
    "stream_stories",
]

T = TypeVar("T")
R = TypeVar("R")
H = TypeVar("H")

ExecutorKind = Literal["local", "ray"]

DEFAULT_CHUNK = 16
"""Articles per task: enough to amortise a task's overhead (pickling, a Ray round trip of a
few ms) against ~50 ms of spaCy per article, few enough to keep every worker busy."""

MIN_PARALLEL_ARTICLES = 2 * DEFAULT_CHUNK
"""Below this many articles to analyse, the pipeline stays in process: starting workers (and
loading spaCy in each) costs more than it saves."""


class Executor(Protocol):
    """Applies a function to chunks elsewhere; results come back in input order."""

    workers: int

    def map(self, fn: Callable[[list[T]], list[R]], chunks: Iterable[list[T]]) -> Iterator[list[R]]:
        """`fn(chunk)` for each chunk, in order, with a bounded number of chunks in flight."""
        ...

    def close(self) -> None: ...


class _Base:
    workers: int = 1

    def close(self) -> None:
        """Release the workers; the executor cannot be used afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _ordered(
    submit: Callable[[list[T]], H],
    wait: Callable[[H], list[R]],
    chunks: Iterable[list[T]],
    in_flight: int,
) -> Iterator[list[R]]:
    """Submit chunks keeping at most `in_flight` unfinished, yield results in input order.

    Waiting on the oldest chunk first keeps the order (a late chunk holds back the ones after
    it, never more than `in_flight` of them) and is what bounds the memory of a stream."""
    pending: deque[H] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= in_flight:
            yield wait(pending.popleft())
    while pending:
        yield wait(pending.popleft())


class InlineExecutor(_Base):
    """Runs every chunk in this process, one after another."""

    def __init__(self) -> None:
        self.workers = 1

    def map(self, fn: Callable[[list[T]], list[R]], chunks: Iterable[list[T]]) -> Iterator[list[R]]:
        return (fn(chunk) for chunk in chunks)


def _warm_worker(preload: bool) -> None:
    """Worker start-up: load spaCy once, so no chunk pays for it."""
    if preload:
        from crosswire.language import load_nlp

        load_nlp()


def _mp_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class LocalExecutor(_Base):
    """A process pool on this machine (the default executor)."""

    def __init__(self, workers: int, *, preload: bool = True, in_flight: int | None = None):
        self.workers = max(1, workers)
        self.in_flight = in_flight or 2 * self.workers
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_mp_context(),
            initializer=_warm_worker,
            initargs=(preload,),
        )

    def map(self, fn: Callable[[list[T]], list[R]], chunks: Iterable[list[T]]) -> Iterator[list[R]]:
        def submit(chunk: list[T]) -> Future[list[R]]:
            return self._pool.submit(fn, chunk)

        return _ordered(submit, lambda f: f.result(), chunks, self.in_flight)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _RayWorker:
    """A Ray actor: one long-lived process that holds the model and runs chunks."""

    def __init__(self, preload: bool) -> None:
        _warm_worker(preload)

    def run(self, fn: Callable[[list[Any]], list[Any]], chunk: list[Any]) -> list[Any]:
        return fn(chunk)

    def ready(self) -> bool:
        return True


class RayExecutor(_Base):
    """`workers` Ray actors on the cluster at `address`, or on a local Ray started here.

    A local Ray gets exactly `workers` CPUs and a small object store (chunks are small);
    a Ray this executor started is shut down by `close`, one it found running is left alone.
    Ray holds an actor back, without a word, until a CPU is free for it; when not every
    worker has started (and loaded its model) within `start_timeout` seconds, this says so
    instead of waiting forever.
    """

    def __init__(
        self,
        workers: int,
        *,
        address: str | None = None,
        preload: bool = True,
        in_flight: int | None = None,
        object_store_bytes: int = 200 * 1024 * 1024,
        start_timeout: float = 300.0,
    ) -> None:
        try:
            import ray
        except ImportError:
            raise CrosswireError(Msg.RAY_MISSING) from None
        self._ray = ray
        self.workers = max(1, workers)
        self.in_flight = in_flight or 2 * self.workers
        self._owns = False
        if not ray.is_initialized():
            if address:
                ray.init(address=address, log_to_driver=False)
            else:
                ray.init(
                    num_cpus=self.workers,
                    include_dashboard=False,
                    log_to_driver=False,
                    object_store_memory=object_store_bytes,
                )
            self._owns = True
        actor: Any = ray.remote(num_cpus=1)(_RayWorker)
        self._actors: list[Any] = [actor.remote(preload) for _ in range(self.workers)]
        self._next = 0
        started, _ = ray.wait(
            [a.ready.remote() for a in self._actors],
            num_returns=self.workers,
            timeout=start_timeout,
        )
        if len(started) < self.workers:
            self.close()
            raise CrosswireError(
                Msg.RAY_NO_ROOM.format(
                    started=len(started), workers=self.workers, seconds=start_timeout
                )
            )

    def map(self, fn: Callable[[list[T]], list[R]], chunks: Iterable[list[T]]) -> Iterator[list[R]]:
        # Round robin keeps each actor's queue at in_flight / workers chunks; chunks are of
        # even size, so no actor idles for long behind a slow one.
        fn_ref = self._ray.put(fn)

        def submit(chunk: list[T]) -> Any:
            actor = self._actors[self._next % len(self._actors)]
            self._next += 1
            return actor.run.remote(fn_ref, chunk)

        def wait(ref: Any) -> list[R]:
            result: list[R] = self._ray.get(ref)
            return result

        return _ordered(submit, wait, chunks, self.in_flight)

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self._owns:
            self._ray.shutdown()
            self._owns = False


def make_executor(
    kind: ExecutorKind = "local",
    workers: int = 1,
    *,
    address: str | None = None,
    preload: bool = True,
) -> InlineExecutor | LocalExecutor | RayExecutor:
    """The executor `crosswire analyze --executor KIND --workers N` asks for.

    A local run with one worker stays in process; Ray is used whenever asked for (even with
    one worker), since `--ray-address` may name a cluster."""
    if kind == "ray":
        return RayExecutor(workers, address=address, preload=preload)
    if kind != "local":
        raise CrosswireError(Msg.EXECUTOR_UNKNOWN.format(kind=kind))
    if workers <= 1:
        return InlineExecutor()
    return LocalExecutor(workers, preload=preload)


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items (the last may be shorter), drawn lazily from `items`."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --------------------------------------------------------------------------- stage functions
# Top-level functions (with `functools.partial` for options), so that every executor can
# send them to its workers by reference.


def analyze_chunk(articles: list[Article], options: Options) -> list[ArticleAnalysis]:
    """The language stage for a chunk of (cleaned) articles."""
    from crosswire.language import analyze_article

    return [analyze_article(article, options) for article in articles]


def prepare_chunk(
    pairs: list[tuple[Article, ArticleAnalysis | None]], options: Options
) -> list[PreparedArticle]:
    """The story index's per-article preparation for a chunk, in the chunk's order."""
    articles = [article for article, _ in pairs]
    analyses = {a.article_id: a for _, a in pairs if a is not None}
    by_id = {p.id: p for p in prepare_articles(articles, analyses, options)}
    return [by_id[a.id] for a in articles]


def analyze_and_prepare_chunk(
    articles: list[Article], options: Options
) -> list[tuple[ArticleAnalysis, PreparedArticle]]:
    """All of each article's stateless work in one trip to a worker: language analysis, then
    the story index's preparation (with the publication date inferred from the text, as the
    pipeline files it)."""
    from crosswire.pipeline import _with_inferred_dates

    analyses = analyze_chunk(articles, options)
    dated = [_with_inferred_dates(a, x) for a, x in zip(articles, analyses, strict=True)]
    prepared = prepare_chunk(list(zip(dated, analyses, strict=True)), options)
    return list(zip(analyses, prepared, strict=True))


def _file_chunk(
    index: StoryIndex,
    prepared: list[PreparedArticle],
    on_release: Callable[[list[StoryGroup]], None] | None,
) -> None:
    # no report: the caller reads the stories from the index (regrouped when read)
    index.add_prepared(prepared, report=False)
    if on_release is not None and (released := index.release()):
        on_release(released)


def stream_stories(
    articles: Iterable[Article],
    options: Options,
    executor: Executor,
    index: StoryIndex,
    *,
    chunk_size: int = 100,
    on_release: Callable[[list[StoryGroup]], None] | None = None,
) -> Iterator[ArticleAnalysis]:
    """Analyse a stream of (cleaned) articles in the workers and file each chunk into `index`
    here, in input order; yields each analysis once its article is filed (to store, or drop:
    nothing is kept here but the index and `in_flight` chunks).

    With a window (`options.story_window_days`) and `on_release`, stories that can no longer
    change are handed to `on_release` and dropped from the index (`StoryIndex.release`), so
    the index too stays the size of the window however long the stream."""
    stage = partial(analyze_and_prepare_chunk, options=options)
    for results in executor.map(stage, chunked(articles, chunk_size)):
        _file_chunk(index, [prepared for _, prepared in results], on_release)
        yield from (analysis for analysis, _ in results)


def analyze_many(
    articles: Sequence[Article],
    options: Options,
    executor: Executor,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> dict[str, ArticleAnalysis]:
    """`analyze_article` for every article through `executor`; {article id: analysis}."""
    known: dict[str, ArticleAnalysis] = {}
    stage = partial(analyze_chunk, options=options)
    for analyses in executor.map(stage, chunked(articles, chunk_size)):
        known.update((a.article_id, a) for a in analyses)
        if progress is not None:
            progress(len(known))
    return known


def file_stories(
    items: Iterable[tuple[Article, ArticleAnalysis | None]],
    options: Options,
    executor: Executor,
    *,
    chunk_size: int = 100,
    index: StoryIndex | None = None,
    on_release: Callable[[list[StoryGroup]], None] | None = None,
) -> StoryIndex:
    """Stream (article, analysis) pairs into a story index: preparation in the workers, filing
    in this process (the single writer), one `add_prepared` per chunk, in input order.

    The index depends on how articles are batched into `add_prepared` (document frequencies
    are counted per batch), so the result is the same for every executor given the same
    `chunk_size`, and memory holds only the index plus `in_flight` chunks. `on_release` as in
    `stream_stories`: the stories are then those it was given plus the index's `groups()`."""
    index = index if index is not None else StoryIndex(options)
    stage = partial(prepare_chunk, options=options)
    for prepared in executor.map(stage, chunked(items, chunk_size)):
        _file_chunk(index, prepared, on_release)
    return index
