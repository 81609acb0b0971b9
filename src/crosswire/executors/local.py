"""The executors of this machine: in process (`InlineExecutor`) and a process pool
(`LocalExecutor`, the default); See the package's
docstring for what an executor is."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Literal, Protocol, TypeVar

from crosswire.resources import Resource

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


class _Base(Resource):
    workers: int = 1

    def close(self) -> None:
        """Release the workers; the executor cannot be used afterwards."""


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


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items (the last may be shorter), drawn lazily from `items`."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
