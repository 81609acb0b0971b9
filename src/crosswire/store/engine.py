"""Opening a database and taking turns writing to it.

Writers take turns: every write of the store goes through one transaction that holds the
database's write lock (SQLite `BEGIN IMMEDIATE`; a PostgreSQL advisory lock) from its first
read, so "insert if absent" cannot race another process (a server and `watch`, say). On open,
`upgrade` brings the schema to the newest migration.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session

__all__ = [
    "BUSY_TIMEOUT_MS",
    "WRITE",
    "sqlite_begin",
    "sqlite_pragmas",
    "take_write_lock",
    "to_url",
    "upgrade",
]

BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another process's lock before giving up."""

_WRITE_LOCK = 0x63726F7373  # "cross": the PostgreSQL advisory lock key writers take turns on
WRITE = "crosswire_write"
"""Execution option that marks a write transaction (SQLite: BEGIN IMMEDIATE)."""


def to_url(url: str) -> URL:
    """A SQLAlchemy URL as given, or a plain file path as a SQLite database (folders created)."""
    if "://" in url:
        sa_url = make_url(url)
        # Bare postgresql:// would mean psycopg2; the `postgres` extra ships psycopg 3.
        if sa_url.drivername in ("postgresql", "postgres"):
            sa_url = sa_url.set(drivername="postgresql+psycopg")
        return sa_url
    path = Path(url).expanduser()
    if url != ":memory:":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OSError(f"cannot create folder {path.parent}: {exc.strerror or exc}") from exc
    return URL.create("sqlite", database=str(path))


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while one process writes; the busy timeout makes a second writer
    # wait instead of failing at once; foreign keys match what PostgreSQL enforces anyway.
    # The driver's own transaction handling starts a transaction only at the first write, so a
    # read-then-write would not be one transaction; `sqlite_begin` emits BEGIN itself instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def sqlite_begin(conn: Any) -> None:
    # IMMEDIATE takes the write lock at once (waiting up to the busy timeout): a deferred one
    # that read first fails at its first write if another process wrote in between.
    immediate = conn.get_execution_options().get(WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def take_write_lock(conn: Connection | Session) -> None:
    """On PostgreSQL, the advisory lock writers take turns on, held to the transaction's end
    (SQLite's BEGIN IMMEDIATE already holds its write lock)."""
    dialect = conn.dialect if isinstance(conn, Connection) else conn.get_bind().dialect
    if dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK})


_UPGRADING = threading.Lock()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration, in one transaction that other processes
    opening the same database wait for (SQLite: its write lock; PostgreSQL: transactional DDL
    under the writers' advisory lock)."""
    from alembic import command
    from sqlalchemy import inspect

    from crosswire.migrations import BASELINE, alembic_config

    config = alembic_config()
    # Alembic keeps the running migration in module globals: one upgrade per process at a time.
    with _UPGRADING, engine.execution_options(**{WRITE: True}).begin() as conn:
        take_write_lock(conn)
        config.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "articles" in tables and "alembic_version" not in tables:
            # Made by create_all before migrations existed: that schema is the baseline.
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")
