"""A throwaway PostgreSQL server for the storage tests, on 127.0.0.1 and a free port.

Debian's `postgresql` package is installed with apt when no server binaries are found (as
root, or through passwordless sudo). The cluster lives in a temporary folder, runs as a
non-root user when the tests run as root (PostgreSQL refuses to run as root), trusts
loopback connections, and is stopped and removed at the end of the session.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENV_URL = "CROSSWIRE_TEST_POSTGRES_URL"
"""Set to a server URL (with rights to CREATE DATABASE) to test against it instead."""


_INITDB = ("--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync")


class Unavailable(Exception):
    """No PostgreSQL server can be had here; the message says why."""


def _bindir() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    return None


def _run(cmd: list[str], timeout: float, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, **kw)  # type: ignore[call-overload]


def _install() -> None:
    """apt-get install postgresql, as root or via `sudo -n`; raises Unavailable if it can't."""
    if shutil.which("apt-get") is None:
        raise Unavailable("no PostgreSQL binaries and no apt-get to install them")
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo") and _run(["sudo", "-n", "true"], 30).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        raise Unavailable("no PostgreSQL binaries; installing them needs root or sudo")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"]
    done = _run(install, 600, env=env)
    if done.returncode != 0:  # stale package lists are the usual cause
        _run([*prefix, "apt-get", "update", "-q"], 600, env=env)
        done = _run(install, 600, env=env)
    if done.returncode != 0:
        raise Unavailable(f"apt-get install postgresql failed: {done.stderr.strip()[-300:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user() -> tuple[list[str], pwd.struct_passwd | None]:
    """The prefix that runs a command as a non-root user, when we are root."""
    if os.geteuid() != 0:
        return [], None
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        setpriv = shutil.which("setpriv")
        if setpriv:
            return [
                setpriv,
                f"--reuid={user.pw_uid}",
                f"--regid={user.pw_gid}",
                "--clear-groups",
            ], user
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", name, "--"], user
    raise Unavailable("running as root with no non-root user (postgres, nobody) to run as")


@contextmanager
def server() -> Iterator[str]:
    """The URL of a running server's `postgres` database, as superuser `postgres`."""
    bindir = _bindir()
    if bindir is None:
        _install()
        bindir = _bindir()
    if bindir is None:
        raise Unavailable("postgresql installed, but no pg_ctl under /usr/lib/postgresql/*/bin")
    prefix, user = _as_user()
    root = Path(tempfile.mkdtemp(prefix="crosswire-pg-"))
    data, log = root / "data", root / "server.log"
    try:
        if user is not None:
            os.chown(root, user.pw_uid, user.pw_gid)
        os.chmod(root, 0o700)
        init = _run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", *_INITDB],
            120,
        )
        if init.returncode != 0:
            raise Unavailable(f"initdb failed: {(init.stderr or init.stdout).strip()[-300:]}")
        port = _free_port()
        # No fsync: a test cluster thrown away at the end needs no durability, and it is faster.
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root}"
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        start = _run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            90,
        )
        if start.returncode != 0:
            tail = log.read_text(errors="replace")[-300:] if log.exists() else start.stderr
            raise Unavailable(f"pg_ctl start failed: {tail.strip()}")
        try:
            # Plain postgresql://, as users write it; the store picks psycopg 3 for it.
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], 60)
    finally:
        shutil.rmtree(root, ignore_errors=True)
