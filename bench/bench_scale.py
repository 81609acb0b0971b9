"""Scale-out (issue 8): end-to-end articles/s on 1 and 2 workers, local pool and Ray.

Run: .venv/bin/python bench/bench_scale.py [--spacy 1000] [--sizes 10000 100000] [--repeat 1]
     [--workers 1 2] [--window-days N] [--no-ray] [--no-local] [--no-inline]

Two workloads, each streamed as the archive path streams it: synthetic articles are written to
a `.jsonl.gz`, read back by `crosswire.inputs.archive.read_jsonl`, cut into chunks, sent through an
executor, and filed into one `StoryIndex` in this process (the single writer).

- **full**: the whole per-article path in the workers, `analyze_and_prepare_chunk`: spaCy
  language analysis (entities, quotes, numbers, times) and story preparation; filing here.
  spaCy costs ~20-40 ms an article on this machine, so this size is small (--spacy).
- **stories**: the story path alone, without language analysis (`prepare_chunk` in the
  workers: hashing, shingles, MinHash; filing here), at the issue's 10k and 100k articles.

Executors: in process (reference), `LocalExecutor` with 1 and 2 processes, `RayExecutor`
with 1 and 2 actors (a local Ray started for the run). Scaling efficiency = rate(2) / (2 x
rate(1)) on the same executor; the Ray/local ratio compares 2 workers each. All runs of one
workload are in one process, one after the other, so load from other jobs on the machine
affects them alike only roughly: repeat (--repeat) and read the ratios, not the absolutes.

Time per stage: read (parse the jsonl.gz into Articles, here), work (summed busy time inside
the workers, split into analyze and prepare), file (`add_prepared`, here), and wall.
Peak memory: this process's RSS high-water mark after each workload, and the largest worker's
(RUSAGE_CHILDREN; Ray actors are not children of this process and are not counted there).

Articles are made of the sentences of examples/harbour-fire (in the project), recombined per
synthetic event with its own names and figures; nothing from ../shared is used.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from crosswire.executors import Executor, InlineExecutor, LocalExecutor, chunked
from crosswire.executors.ray import RayExecutor
from crosswire.inputs.archive import read_jsonl
from crosswire.models import Article, ArticleAnalysis, InputError, StoryGroup
from crosswire.options import Options
from crosswire.pipeline import analyze_and_prepare_chunk, file_chunk, prepare_chunk, read_and_clean
from crosswire.stories import PreparedArticle, StoryIndex

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "harbour-fire"
CHUNK = {"full": 16, "stories": 100}


# --------------------------------------------------------------------------- corpus

_NAMES = [
    "Alder",
    "Brook",
    "Calder",
    "Dunmore",
    "Elgin",
    "Fenwick",
    "Garrow",
    "Hollis",
    "Ives",
    "Jarrow",
    "Keld",
    "Lorne",
    "Marsh",
    "Norland",
    "Orrin",
    "Pell",
    "Quarry",
    "Rusk",
    "Selby",
    "Tarn",
    "Ulver",
    "Vane",
    "Wick",
    "Yarrow",
]
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{3,}\b")
_NUMBER = re.compile(r"\b\d+\b")


def _sentences() -> list[str]:
    articles, _ = read_and_clean([DEMO], Options())
    out = []
    for article in articles:
        out += [s for s in re.split(r"(?<=[.!?])\s+", article.text) if len(s.split()) > 5]
    return out


def write_corpus(path: Path, n: int, seed: int = 8, per_day: int | None = None) -> None:
    """n articles as JSONL.gz: events of 1-40 articles, 300 outlets, ~8 sentences each.

    By default the events fall on random days of one year, in no order: the denser the
    corpus, the more of it any window holds. With `per_day`, it is a stream in publication
    order at that many articles a day (time moves on as it grows, as a feed's does)."""
    rng = random.Random(seed)
    sentences = _sentences()
    start = date(2026, 1, 1)
    written = 0
    pending: dict[date, list[str]] = defaultdict(list)  # per_day: rows not yet due

    def flush(before: date | None) -> None:
        for due in sorted(d for d in pending if before is None or d < before):
            handle.writelines(pending.pop(due))

    with gzip.open(path, "wt", encoding="utf-8") as handle:
        event = 0
        while written < n:
            event += 1
            # a tuple, not a set: a set's order follows the process's string hash seed, and
            # made each run of the bench write a different corpus
            rename = {w: rng.choice(_NAMES) for w in ("Harbour", "Quell", "Mara", "Lindmark")}
            base = rng.sample(sentences, 12)
            scale = rng.randrange(2, 9)
            if per_day:
                day = start + timedelta(days=written // per_day)
                flush(day)  # every event from here on is published on `day` or later
            else:
                day = start + timedelta(days=rng.randrange(365))

            def respell(s: str, rename: dict[str, str] = rename, scale: int = scale) -> str:
                s = _CAPITALISED.sub(lambda m: rename.get(m.group(), m.group()), s)
                return _NUMBER.sub(lambda m: str(int(m.group()) * scale), s)

            for _ in range(min(rng.choice((1, 2, 3, 5, 8, 40)), n - written)):
                picked = rng.sample(base, 8)
                source = f"outlet{rng.randrange(300)}"  # draws in the order they always had
                published = day + timedelta(days=rng.randrange(3))
                row = {
                    "id": f"a{written}",
                    "source": source,
                    "title": respell(picked[0])[:80],
                    "published": published.isoformat(),
                    "text": "\n".join(respell(s) for s in picked),
                }
                pending[published].append(json.dumps(row) + "\n")
                if not per_day:
                    flush(None)
                written += 1
        flush(None)


def read_articles(path: Path, clock: list[float]) -> Iterator[Article]:
    """The corpus as a stream, its read time added to clock[0]."""
    stream = read_jsonl(path, Options())
    while True:
        t = time.perf_counter()
        item = next(stream, None)
        clock[0] += time.perf_counter() - t
        if item is None:
            return
        if not isinstance(item, InputError):
            yield item


# --------------------------------------------------------------------------- timed stages
# Module-level so every executor can send them; each returns its results and busy times.


def timed_full(
    chunk: list[Article], options: Options
) -> tuple[list[tuple[ArticleAnalysis, PreparedArticle]], float, float, int]:
    t, cpu = time.perf_counter(), time.thread_time()
    results = analyze_and_prepare_chunk(chunk, options)
    busy, cpu = time.perf_counter() - t, time.thread_time() - cpu
    return results, busy, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def timed_stories(
    chunk: list[Article], options: Options
) -> tuple[list[PreparedArticle], float, float, int]:
    t, cpu = time.perf_counter(), time.thread_time()
    results = prepare_chunk([(a, None) for a in chunk], options)
    busy, cpu = time.perf_counter() - t, time.thread_time() - cpu
    return results, busy, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _wrap(fn: Callable[..., Any]) -> Callable[[list[Article]], list[Any]]:
    # executors map list -> list; one tuple per chunk rides in a one-element list
    return _Wrapped(fn)


@dataclass
class _Wrapped:
    fn: Callable[..., Any]
    options: Options = field(default_factory=Options)

    def __call__(self, chunk: list[Article]) -> list[Any]:
        return [self.fn(chunk, self.options)]


@dataclass
class Run:
    workload: str
    executor: str
    workers: int
    articles: int = 0
    wall: float = 0.0
    read: float = 0.0
    work: float = 0.0
    # CPU seconds of the workers' threads on the chunks (thread time: a Ray actor's own
    # background threads are not the work)
    work_cpu: float = 0.0
    parent_cpu: float = 0.0  # CPU seconds of this process: reading, sending, filing
    file: float = 0.0
    stories: int = 0
    held: int = 0  # articles the index still held at the end (the rest released)
    worker_rss_mb: float = 0.0
    rss_mb: list[float] = field(default_factory=list)  # this process's, each tenth of the way
    # of the stories, order-free (a sum of each story's hash), so that a run that released
    # stories on the way and one that did not, or runs in separate invocations (the corpus is
    # the same for a given size), can be compared without holding every story
    story_sum: int = 0

    def count(self, groups: list[StoryGroup]) -> None:
        for group in groups:
            listed = json.dumps([group.id, group.article_ids, group.duplicate_of]).encode()
            self.story_sum += int.from_bytes(hashlib.sha1(listed).digest()[:8], "big")
        self.stories += len(groups)

    @property
    def digest(self) -> str:
        return f"{self.story_sum % 2**48:012x}"

    @property
    def rate(self) -> float:
        return self.articles / self.wall


def _rss_now_mb() -> float:
    """This process's resident memory now (not its peak), where /proc tells it."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_once(
    workload: str,
    name: str,
    executor: Executor,
    corpus: Path,
    size: int,
    options: Options,
    release: bool = True,
) -> Run:
    if name != "inline":  # workers start and load their model before the clock starts
        list(executor.map(_wrap(timed_stories), chunked(_warm_articles(), 1)))
    fn = timed_full if workload == "full" else timed_stories
    run = Run(workload, name, executor.workers)
    index = StoryIndex(options)
    tenth = max(1, size // 10)
    clock = [0.0]
    t0, cpu0 = time.perf_counter(), time.process_time()
    mark = (t0, 0, 0.0, cpu0)
    for results, busy, cpu, rss in (
        r[0]
        for r in executor.map(_wrap(fn), chunked(read_articles(corpus, clock), CHUNK[workload]))
    ):
        run.work += busy
        run.work_cpu += cpu
        run.worker_rss_mb = max(run.worker_rss_mb, rss / 1024)
        prepared = [p for _, p in results] if workload == "full" else results
        t = time.perf_counter()
        file_chunk(index, prepared, run.count if release else None)  # as file_stories files
        run.file += time.perf_counter() - t
        if (run.articles + len(prepared)) // tenth > run.articles // tenth:
            run.rss_mb.append(_rss_now_mb())
            if size >= 10 * _PROGRESS_FROM:
                mark = _progress(mark, run, len(prepared), t0)
        run.articles += len(prepared)
    t = time.perf_counter()
    groups = index.groups()  # the stories are regrouped here, once: timed as filing
    run.file += time.perf_counter() - t
    run.wall = time.perf_counter() - t0
    run.parent_cpu = time.process_time() - cpu0
    if isinstance(executor, InlineExecutor):  # the work ran here too
        run.parent_cpu -= run.work_cpu
    run.read = clock[0]
    run.count(groups)
    run.held = len(index)
    return run


_PROGRESS_FROM = 1_000  # long runs (10k articles and up) print each tenth as it ends


def _progress(
    mark: tuple[float, int, float, float], run: Run, more: int, t0: float
) -> tuple[float, int, float, float]:
    """Print the last tenth's rate and CPU per article, so a run that slows down shows where
    (the VM's own speed drifts, and a long run outlasts a quiet spell), and return the new mark."""
    now, done, cpu_here = time.perf_counter(), run.articles + more, time.process_time()
    t, n, work_cpu, parent_cpu = mark
    print(
        f"    {done:>8,} articles {now - t0:7.0f}s: last tenth {(done - n) / (now - t):7.1f} art/s,"
        f" workers {(run.work_cpu - work_cpu) / (done - n) * 1e3:.2f} ms/article,"
        f" here {(cpu_here - parent_cpu) / (done - n) * 1e3:.2f} ms/article,"
        f" load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return now, done, run.work_cpu, cpu_here


def _warm_articles() -> list[Article]:
    return [Article(id=f"w{i}", source="w", text="Warm up the worker.") for i in range(8)]


def _executor(name: str, workers: int) -> Executor:
    if name == "inline":
        return InlineExecutor()
    if name == "local":
        return LocalExecutor(workers, preload=True)
    return RayExecutor(workers, preload=True)


def bench(
    workload: str,
    size: int,
    repeat: int,
    with_ray: bool,
    inline: bool = True,
    workers: tuple[int, ...] = (1, 2),
    options: Options | None = None,
    with_local: bool = True,
    release: bool = True,
    per_day: int | None = None,
) -> list[Run]:
    """Every executor on one corpus; with repeats, the order reverses each round (ABC CBA),
    so a burst of load from other jobs does not fall on the same executor each time."""
    options = options or Options()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl.gz"
        write_corpus(corpus, size, per_day=per_day)
        # in process: a reference only
        configs = [("inline", 1)] if inline and size <= 10_000 else []
        configs += [("local", w) for w in workers] if with_local else []
        if with_ray:
            configs += [("ray", w) for w in workers]
        runs: list[Run] = []
        for round_ in range(repeat):
            for name, count in configs if round_ % 2 == 0 else configs[::-1]:
                executor = _executor(name, count)
                try:
                    run = run_once(workload, name, executor, corpus, size, options, release)
                finally:
                    executor.close()
                runs.append(run)
                print(
                    f"{workload:7} {size:>7,} {name:6} w={count} {run.rate:8.1f} art/s"
                    f"  wall {run.wall:7.1f}s read {run.read:6.1f}s work {run.work:7.1f}s"
                    f" file {run.file:6.1f}s  cpu/article: workers {run.work_cpu / size * 1e3:.2f} ms,"
                    f" here {run.parent_cpu / size * 1e3:.2f} ms  stories {run.stories:,} ({run.digest})"
                    f"  worker rss {run.worker_rss_mb:,.0f} MB  load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
                print(
                    "  this process's RSS each tenth of the way (MB): "
                    + " ".join(f"{mb:,.0f}" for mb in run.rss_mb)
                    + f"; the index holds {run.held:,} articles at the end",
                    flush=True,
                )
        same = len({(r.stories, r.digest) for r in runs}) == 1
        print(f"{workload} {size:,}: identical stories across executors: {same}", flush=True)
        return runs


def summarise(runs: list[Run]) -> dict[str, float]:
    """Rates pooled over the rounds (all articles / all wall time of a configuration), and
    the efficiencies from them; per round too (`..._round_k`): the VM's own speed drifts by
    up to a quarter from one minute to the next, so a best-of-rounds rate picks a fast moment
    of one configuration against an ordinary one of another, while in one round the 1- and
    2-worker runs of an executor follow each other."""
    articles: dict[tuple[str, int], int] = {}
    wall: dict[tuple[str, int], float] = {}
    for r in runs:
        key = (r.executor, r.workers)
        articles[key] = articles.get(key, 0) + r.articles
        wall[key] = wall.get(key, 0.0) + r.wall
    best = {k: articles[k] / wall[k] for k in articles}
    out = {f"{k[0]}{k[1]}": v for k, v in best.items()}
    for name in ("local", "ray"):
        if (name, 1) in best and (name, 2) in best:
            out[f"{name}_efficiency"] = best[name, 2] / (2 * best[name, 1])
            ones = [r.rate for r in runs if (r.executor, r.workers) == (name, 1)]
            twos = [r.rate for r in runs if (r.executor, r.workers) == (name, 2)]
            for k, (one, two) in enumerate(zip(ones, twos, strict=False)):
                out[f"{name}_efficiency_round_{k + 1}"] = two / (2 * one)
    if ("ray", 2) in best and ("local", 2) in best:
        out["ray_vs_local_2"] = best["ray", 2] / best["local", 2]
    # CPU seconds per article, from the 2-worker runs: load from other jobs stretches wall
    # time but hardly CPU time, so these project what dedicated cores would do.
    for name in ("local", "ray"):
        mine = [r for r in runs if r.executor == name and r.workers == 2]
        if mine:
            worker = min(r.work_cpu / r.articles for r in mine)
            parent = min(r.parent_cpu / r.articles for r in mine)
            out[f"{name}_worker_cpu_ms"] = worker * 1e3
            out[f"{name}_parent_cpu_ms"] = parent * 1e3
            out[f"{name}_per_core_rate"] = 1 / worker
            out[f"{name}_writer_max_rate"] = 1 / parent
            out[f"{name}_cores_for_10M_a_day"] = 10_000_000 / 86_400 * worker
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spacy", type=int, nargs="*", default=[1000])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--no-inline", action="store_true", help="skip the in-process reference")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-local", action="store_true", help="skip the local pool runs")
    parser.add_argument(
        "--window-days", type=int, help="Options.story_window_days for the story index"
    )
    parser.add_argument(
        "--per-day",
        type=int,
        help="a corpus in publication order at this many articles a day (default: a year's"
        " events in no order)",
    )
    parser.add_argument(
        "--no-release",
        action="store_true",
        help="keep every story in the index (by default, with a window, stories that can no"
        " longer change are released as the stream goes, as file_stories(on_release=...))",
    )
    args = parser.parse_args()
    options = Options(story_window_days=args.window_days) if args.window_days else Options()
    try:
        import ray  # noqa: F401

        with_ray = not args.no_ray
    except ImportError:
        with_ray = False
    print(f"cpus {os.cpu_count()}, load {os.getloadavg()}, python {sys.version.split()[0]}")
    for workload, sizes in (("full", args.spacy), ("stories", args.sizes)):
        for size in sizes:
            runs = bench(
                workload,
                size,
                args.repeat,
                with_ray,
                inline=not args.no_inline,
                workers=tuple(args.workers),
                options=options,
                with_local=not args.no_local,
                release=not args.no_release,
                per_day=args.per_day,
            )
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            summary = {k: round(v, 3) for k, v in summarise(runs).items()}
            print(
                f"{workload} {size:,}: {summary}; peak RSS here {rss:,.0f} MB, children {kids:,.0f} MB"
            )
            print(f"load after: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
