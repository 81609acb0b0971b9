"""`Resource`: what holds something to release (an HTTP client, a database engine, worker
processes) closes it when used as a context manager. One base instead of the same three
methods in every such class."""

from __future__ import annotations

from types import TracebackType
from typing import Self

__all__ = ["Resource"]


class Resource:
    """`with thing: ...` closes `thing` at the end, whatever happened inside."""

    def close(self) -> None:
        """Release what the object holds; subclasses say what."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
