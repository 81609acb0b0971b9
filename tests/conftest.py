"""Storage tests run on every backend: the `db_url` fixture is SQLite, then PostgreSQL.

PostgreSQL is a throwaway server started once per session (tests/_postgres.py), or the one
CROSSWIRE_TEST_POSTGRES_URL names; each test gets a database of its own, dropped after.
When no server can be had, the PostgreSQL variants skip and say why.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import _postgres

BACKENDS = ("sqlite", "postgresql")
_names = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The admin URL of a PostgreSQL server (skips, with the reason, when there is none)."""
    url = os.environ.get(_postgres.ENV_URL)
    if url:
        yield url
        return
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"PostgreSQL tests need psycopg (pip install -e '.[dev]'): {exc}")
    try:
        with _postgres.server() as started:
            yield started
    except _postgres.Unavailable as exc:
        pytest.skip(f"no PostgreSQL server for the storage tests: {exc}")


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped after the test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from crosswire.store.engine import to_url

    admin = create_engine(to_url(postgres_server), isolation_level="AUTOCOMMIT")
    name = f"crosswire_test_{os.getpid()}_{next(_names)}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database to store into: a SQLite file path, then a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "db" / "crosswire.db")
    return str(request.getfixturevalue("postgres_url"))
