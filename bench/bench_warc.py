"""WARC reading with the pages' text extracted in process and on a 2-process pool (issue 8).

Run: .venv/bin/python bench/bench_warc.py [--pages 600] [--rounds 2]

Writes a `.warc.gz` of generated news pages (per page a request and an HTML response; every
third page also an image, a redirect and a tag page with no article, as a crawl has), then reads
it with `archive.read_warc` in process and with a `LocalExecutor` of 2 workers (started before
the clock), in alternating rounds, and checks both give the same articles. Needs warcio
(`pip install 'crosswire[archive]'`).
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from pathlib import Path

from crosswire.executors import LocalExecutor
from crosswire.inputs.archive import read_warc
from crosswire.options import Options


def _page(n: int) -> bytes:
    paragraphs = "".join(
        f"<p>The ferry service number {n} resumed on Monday after the storm, paragraph {k}. "
        f"Officials said {n % 40} crossings were planned for the week and the harbour reopened "
        "to freight after two days of repairs to the northern quay.</p>"
        for k in range(6)
    )
    return (
        f"<html><head><title>Ferry {n} resumes</title>"
        f'<meta property="article:published_time" content="2026-03-{1 + n % 28:02d}"></head>'
        f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
        f"<h1>Ferry {n} resumes</h1>{paragraphs}</article>"
        "<footer>Share this article. All rights reserved.</footer></body></html>"
    ).encode()


def write_crawl(path: Path, pages: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def http(status: str, kind: str) -> StatusAndHeaders:
        return StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n in range(pages):
            url = f"https://news.example.org/ferry-{n}"
            records = [
                (url, "request", b"GET", None),
                (url, "response", _page(n), http("200 OK", "text/html")),
            ]
            if n % 3 == 0:
                records += [
                    (url + ".png", "response", b"\x89PNG", http("200 OK", "image/png")),
                    (url + "/old", "response", b"<html></html>", http("301 Moved", "text/html")),
                    (
                        url + "/tags",
                        "response",
                        b"<html><body><a href='/'>Home</a></body></html>",
                        http("200 OK", "text/html"),
                    ),
                ]
            for target, kind, payload, headers in records:
                record = writer.create_warc_record(
                    target, kind, payload=io.BytesIO(payload), http_headers=headers
                )
                writer.write_record(record)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, LocalExecutor(2, preload=False) as pool:
        path = Path(tmp) / "crawl.warc.gz"
        write_crawl(path, args.pages)
        list(read_warc(path, Options(), pool))  # workers started and warm
        for r in range(args.rounds):
            for name in ("in process", "2 workers") if r % 2 == 0 else ("2 workers", "in process"):
                started = time.perf_counter()
                items = list(read_warc(path, Options(), pool if name == "2 workers" else None))
                spent = time.perf_counter() - started
                if name == "in process":
                    reference = items
                print(
                    f"round {r + 1}, {name:10}: {len(items)} articles in {spent:.2f} s "
                    f"({len(items) / spent:,.0f}/s), load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
            if list(read_warc(path, Options(), pool)) != reference:
                raise AssertionError("the pool gave other articles than the in-process read")
    print("same articles in process and on the pool: yes")


if __name__ == "__main__":
    main()
