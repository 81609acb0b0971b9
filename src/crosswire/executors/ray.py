"""`RayExecutor`: Ray actors, each holding the model, on a local Ray instance or the cluster
at `address`. Ray is imported only here, so the default install does not need it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from crosswire.errors import CrosswireError, Msg
from crosswire.executors.local import _Base, _ordered, _warm_worker

T = TypeVar("T")
R = TypeVar("R")


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
