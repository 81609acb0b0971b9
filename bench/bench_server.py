"""Load benchmark of `crosswire serve`: story reads from 50 concurrent clients while articles
are uploaded and processed.

The server runs in its own process (uvicorn, as `crosswire serve` runs it) over a temporary
SQLite store seeded with examples/harbour-fire. The benchmark process then runs, with httpx's
async client:

1. baseline: `--clients` clients (each its own keep-alive connection; a minimal hand-written
   HTTP/1.1 reader by default, `--client httpx` for httpx) read `GET /api/v1/stories/{id}` (the demo's main story, the
   largest response) in a loop for `--seconds`, with nothing else going on;
2. under ingestion: the same reads, for the same time, while `--uploads` uploads of
   `--per-upload` new articles each are sent `--upload-concurrency` at a time
   (`POST /api/v1/uploads`, token in the Authorization header) and processed by the worker.

It prints p50/p99/max latency and errors per phase, the ratio of the two p99s (both measured in
the same run, so load from other processes hits both), then waits for every job and checks that
the store holds every article sent (stored = seeded + sent; none lost).

    .venv/bin/python bench/bench_server.py                # 50 clients, 20 s per phase
    .venv/bin/python bench/bench_server.py --seconds 10 --uploads 6
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "harbour-fire"
TOKEN = "bench-token"


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        lat = sorted(self.latencies)
        if not lat:
            return f"{self.name}: no requests, {self.errors} errors"
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        return (
            f"{self.name}: {len(lat)} reads, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
            f"max {lat[-1] * 1000:.1f} ms, errors {self.errors} {self.error_kinds or ''}"
        )

    def p99(self) -> float:
        lat = sorted(self.latencies)
        return lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")


def _cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) of this process, or of process `pid` from /proc (Linux)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _seed(db: Path) -> None:
    from crosswire.options import Options
    from crosswire.pipeline import analyze

    analyze([DEMO], Options(), db=str(db))


def _start_server(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    code = (
        "import sys; from crosswire.server import serve; "
        "serve(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]))"
    )
    env = {**os.environ, "CROSSWIRE_TOKEN": TOKEN}
    return subprocess.Popen(
        [sys.executable, "-c", code, str(db), str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        # To a file: an unread pipe fills with the access log and stalls the server.
        stderr=log.open("wb"),
    )


async def _wait_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base) as client:
        while True:
            try:
                if (await client.get("/api/v1/stories")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            await asyncio.sleep(0.2)


async def _reader(client: httpx.AsyncClient, path: str, phase: Phase, until: float) -> None:
    while time.monotonic() < until:
        start = time.perf_counter()
        try:
            response = await client.get(path)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                phase.errors += 1
                key = str(response.status_code)
                phase.error_kinds[key] = phase.error_kinds.get(key, 0) + 1
            else:
                phase.latencies.append(elapsed)
        except httpx.HTTPError as exc:
            phase.errors += 1
            key = type(exc).__name__
            phase.error_kinds[key] = phase.error_kinds.get(key, 0) + 1


def _error(phase: Phase, key: str) -> None:
    phase.errors += 1
    phase.error_kinds[key] = phase.error_kinds.get(key, 0) + 1


async def _read_response(reader: asyncio.StreamReader) -> int:
    """One HTTP/1.1 response off a keep-alive connection; its status (the body is read and
    dropped)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    headers = head.lower()
    marker = headers.find(b"content-length:")
    if marker >= 0:
        end = headers.index(b"\r\n", marker)
        await reader.readexactly(int(headers[marker + 15 : end]))
    elif b"transfer-encoding: chunked" in headers:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _raw_reader(base: str, path: str, phase: Phase, until: float) -> None:
    """A client on its own keep-alive connection, reading `path` in a loop.

    Written by hand (status line, Content-Length, nothing else) because httpx's per-response
    work cost the bench process twice the server's CPU on this 2-core machine, so the figures
    measured the client. `--client httpx` keeps the httpx reader for comparison."""
    host, port = base.removeprefix("http://").split(":")
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while time.monotonic() < until:
        start = time.perf_counter()
        try:
            if connection is None:
                connection = await asyncio.open_connection(host, int(port))
            reader, writer = connection
            writer.write(request)
            status = await asyncio.wait_for(_read_response(reader), 30)
            elapsed = time.perf_counter() - start
            if status != 200:
                _error(phase, str(status))
            else:
                phase.latencies.append(elapsed)
        except (
            OSError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
            TimeoutError,
        ) as exc:
            _error(phase, type(exc).__name__)
            if connection is not None:
                connection[1].close()
            connection = None
    if connection is not None:
        connection[1].close()


async def _reads(
    base: str, path: str, clients: int, seconds: float, phase: Phase, client: str = "raw"
) -> None:
    until = time.monotonic() + seconds
    if client == "raw":
        await asyncio.gather(*(_raw_reader(base, path, phase, until) for _ in range(clients)))
        return
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        await asyncio.gather(*(_reader(http, path, phase, until) for _ in range(clients)))


def _upload_body(n: int, per_upload: int, template: str) -> bytes:
    lines = []
    for k in range(per_upload):
        i = n * per_upload + k
        text = template + f"\n\nBench note {i}: relatives of worker {i} gathered at gate {i}."
        lines.append(
            json.dumps(
                {
                    "id": f"bench-{i}",
                    "source": f"Bench Outlet {i % 7}",
                    "title": f"Port Almera fire, update {i}",
                    "published": "2026-03-12",
                    "text": text,
                }
            )
        )
    return ("\n".join(lines) + "\n").encode()


async def _uploads(
    base: str, uploads: int, per_upload: int, concurrency: int, jobs: list[str], failed: list[str]
) -> None:
    template = (DEMO / "vpa-wire.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    gate = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as client:

        async def one(n: int) -> None:
            async with gate:
                body = _upload_body(n, per_upload, template)
                files = {"files": (f"bench-{n}.jsonl", body, "application/jsonl")}
                response = await client.post("/api/v1/uploads", files=files)
                if response.status_code == 202:
                    jobs.append(response.json()["id"])
                else:
                    failed.append(f"{response.status_code} {response.text[:200]}")

        await asyncio.gather(*(one(n) for n in range(uploads)))


async def _wait_jobs(base: str, jobs: list[str], timeout: float) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while True:
            states = [(await client.get(f"/api/v1/jobs/{j}")).json() for j in jobs]
            if all(s["state"] in ("done", "failed") for s in states):
                return states
            if time.monotonic() > deadline:
                raise SystemExit(f"jobs still running after {timeout} s")
            await asyncio.sleep(1)


async def _main(args: argparse.Namespace) -> int:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    folder = Path(tempfile.mkdtemp(prefix="crosswire-bench-server-"))
    db = folder / "bench.db"
    t0 = time.perf_counter()
    _seed(db)
    print(f"seeded {db} with {DEMO.name} in {time.perf_counter() - t0:.1f} s")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start_server(db, port, folder / "server.log")
    try:
        await _wait_up(base)
        async with httpx.AsyncClient(base_url=base) as client:
            stories = (await client.get("/api/v1/stories")).json()
            seeded = (await client.get("/api/v1/articles", params={"limit": 1})).json()["total"]
        story = stories["items"][0]["id"]
        path = f"/api/v1/stories/{story}"
        print(f"story {story} ({stories['items'][0]['title']}); {seeded} articles stored")

        baseline = Phase("baseline (reads only)")
        cpu = (_cpu_seconds(), _cpu_seconds(server.pid))
        await _reads(base, path, args.clients, args.seconds, baseline, args.client)
        print(baseline.line())
        # Where the CPU went: a client using as much as the server means the figures are
        # partly the client's own queueing (one asyncio process parsing every response).
        print(
            f"  CPU in that phase: client {_cpu_seconds() - cpu[0]:.1f} s, "
            f"server {_cpu_seconds(server.pid) - cpu[1]:.1f} s, wall {args.seconds:.0f} s"
        )

        loaded = Phase("reads while uploading")
        jobs: list[str] = []
        failed: list[str] = []
        started = time.perf_counter()
        await asyncio.gather(
            _reads(base, path, args.clients, args.seconds, loaded, args.client),
            _uploads(base, args.uploads, args.per_upload, args.upload_concurrency, jobs, failed),
        )
        print(loaded.line())
        print(f"p99 ratio under ingestion / baseline: {loaded.p99() / baseline.p99():.2f}")
        states = await _wait_jobs(base, jobs, args.job_timeout)
        done = sum(s["state"] == "done" for s in states)
        print(
            f"uploads: {len(jobs)} accepted, {len(failed)} refused, {done} jobs done, "
            f"all processed {time.perf_counter() - started:.1f} s after the first upload"
        )
        for f in failed[:5]:
            print(f"  refused: {f}")
        async with httpx.AsyncClient(base_url=base) as client:
            stored = (await client.get("/api/v1/articles", params={"limit": 1})).json()["total"]
        sent = args.uploads * args.per_upload
        lost = seeded + sent - stored
        print(f"articles: sent {sent}, stored {stored - seeded} new ({stored} in all); lost {lost}")
        ok = (
            loaded.errors == 0
            and baseline.errors == 0
            and not failed
            and lost == 0
            and done == len(jobs)
        )
        goal = loaded.p99() < 200
        print(f"goal p99 < 200 ms under ingestion: {'met' if goal else 'NOT met'}")
        print("result: " + ("no errors, no article lost" if ok else "ERRORS or LOST ARTICLES"))
        return 0 if ok else 1
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="Per phase.")
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--per-upload", type=int, default=3, help="Articles per upload.")
    parser.add_argument("--upload-concurrency", type=int, default=5)
    parser.add_argument("--job-timeout", type=float, default=600.0)
    parser.add_argument(
        "--client", choices=("raw", "httpx"), default="raw", help="How the readers read."
    )
    raise SystemExit(asyncio.run(_main(parser.parse_args())))


if __name__ == "__main__":
    main()
