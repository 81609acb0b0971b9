"""Executors: where the per-article stages run — in process, a local process pool, or Ray (issue 8).

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

from typing import TYPE_CHECKING

from crosswire.errors import CrosswireError, Msg
from crosswire.executors.local import (
    DEFAULT_CHUNK,
    MIN_PARALLEL_ARTICLES,
    Executor,
    ExecutorKind,
    InlineExecutor,
    LocalExecutor,
    chunked,
)

if TYPE_CHECKING:
    from crosswire.executors.ray import RayExecutor

__all__ = [
    "DEFAULT_CHUNK",
    "MIN_PARALLEL_ARTICLES",
    "Executor",
    "ExecutorKind",
    "InlineExecutor",
    "LocalExecutor",
    "RayExecutor",
    "chunked",
    "make_executor",
]


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
        from crosswire.executors.ray import RayExecutor  # Ray only when asked for

        return RayExecutor(workers, address=address, preload=preload)
    if kind != "local":
        raise CrosswireError(Msg.EXECUTOR_UNKNOWN.format(kind=kind))
    if workers <= 1:
        return InlineExecutor()
    return LocalExecutor(workers, preload=preload)


def __getattr__(name: str) -> object:
    # Ray is imported only when its executor is asked for
    if name == "RayExecutor":
        from crosswire.executors.ray import RayExecutor

        return RayExecutor
    raise AttributeError(name)
