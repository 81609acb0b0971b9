"""What the safe fetch path costs over plain httpx, on a local server (no network).

Run: .venv/bin/python bench/bench_fetch.py [--requests 300] [--size 50000] [--rounds 5]

Both sides GET the same page from a server on 127.0.0.1 (HTTP/1.0: a new connection per
request, so every request pays the safe path's name resolution and address check):
- httpx: a plain `httpx.Client` (`client.get`);
- crosswire: `Fetcher.get` (resolution and address check in `SafeBackend`, pinned connect,
  streamed body with size and deadline checks, redirect loop), robots.txt read once, cached.
Rounds alternate the two sides; the figure is the ratio of their median round times, which the
shared machine's noise affects less than absolute times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from crosswire.inputs.fetch import Fetcher
from crosswire.options import Options
from local_http import respond, serve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for server in serve():
        server.routes["/page"] = respond(
            body=b"<html><body>" + b"a" * args.size + b"</body></html>"
        )
        url = server.url("/page")
        fetcher = Fetcher(Options(allow_private_addresses=True))
        plain = httpx.Client()
        times: dict[str, list[float]] = {"httpx": [], "crosswire": []}
        for _ in range(args.rounds):
            start = time.perf_counter()
            for _ in range(args.requests):
                assert plain.get(url).status_code == 200
            times["httpx"].append(time.perf_counter() - start)
            start = time.perf_counter()
            for _ in range(args.requests):
                assert fetcher.get(url).status == 200
            times["crosswire"].append(time.perf_counter() - start)
        plain.close()
        fetcher.close()
        medians = {k: statistics.median(v) for k, v in times.items()}
        for side, median in medians.items():
            print(f"{side:10s} {args.requests / median:8.0f} requests/s (median of {args.rounds})")
        print(f"ratio crosswire/httpx time: {medians['crosswire'] / medians['httpx']:.2f}")


if __name__ == "__main__":
    main()
