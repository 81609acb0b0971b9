"""What the migration check costs each time a store is opened, and the write lock per write.

Run: .venv/bin/python bench/bench_store.py [--rounds 30] [--postgresql URL]

Opening: `Store(path)` on an existing, up-to-date SQLite database (Alembic: read the revision,
find nothing to do) against the way the store opened before migrations (engine, pragmas,
`metadata.create_all`), interleaved in the same run and given as a ratio, because absolute
figures on a shared machine are noise. Writing: `set_meta` through `Store._write()` (BEGIN
IMMEDIATE; on PostgreSQL an advisory lock too) against the same upsert in a plain session.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, event

from crosswire.store import Store, metadata
from crosswire.store.engine import sqlite_pragmas, to_url


def _old_open(url: str) -> None:
    engine = create_engine(to_url(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", sqlite_pragmas)
    metadata.create_all(engine)
    engine.dispose()


def _new_open(url: str) -> None:
    Store(url).close()


def _time(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--postgresql", help="also measure on this PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        urls = [str(Path(tmp) / "bench.db")] + ([args.postgresql] if args.postgresql else [])
        for url in urls:
            Store(url).close()  # migrated once, as an existing database would be
            old, new = [], []
            for _ in range(args.rounds):  # interleaved: load changes hit both alike
                old.append(_time(lambda url=url: _old_open(url)))
                new.append(_time(lambda url=url: _new_open(url)))
            o, n = statistics.median(old), statistics.median(new)
            backend = to_url(url).get_backend_name()
            print(f"{backend}: open {n * 1e3:.1f} ms vs create_all {o * 1e3:.1f} ms: x{n / o:.2f}")
            with Store(url) as store:
                locked, plain = [], []
                for i in range(args.rounds):
                    locked.append(_time(lambda i=i: store.set_meta("bench", str(i).encode())))

                    def unlocked(i: int = i) -> None:
                        with store._sessions.begin() as session:
                            store._set_meta(session, "bench", str(i).encode())

                    plain.append(_time(unlocked))
                lk, pl = statistics.median(locked), statistics.median(plain)
                print(
                    f"{backend}: write {lk * 1e3:.2f} ms locked vs {pl * 1e3:.2f} ms: x{lk / pl:.2f}"
                )


if __name__ == "__main__":
    main()
