"""Streaming story assignment at scale: 10k and 100k articles (issue 4's speed targets).

Run: .venv/bin/python bench/bench_stories.py [--sizes 10000 100000] [--chunk 100] [--batch]
     [--window-days N] [--report-each-chunk]

Each size runs in a fresh process, so peak memory is that size's own. The stream is synthetic
but made of real prose: the ECB+ dev documents (../shared/data/ecbplus-dev) and the
examples/harbour-fire articles are the seeds. Each synthetic event takes one seed event (an ECB+
gold cluster, the harbour fire or the football derby), renames the words of its names (word by
word, the same way in all the event's articles) with words of names found in the whole corpus,
scales its figures and gets a day in the stream's span: by default 170 articles a day (10k
articles over two months, 100k over twenty), so sizes differ in length, not density;
--span-days fixes the span instead (denser news as the size grows). Each of its articles recombines
sentences of that seed event's articles (two thirds of one, up to three of another) under the
event's names and figures, comes from one of 400 outlets and is published up to three days after
the event; about one in seven is a syndicated copy of an earlier one (a credit line added, a
word in sixty changed). Event sizes are heavy-tailed (most have a handful of articles, a few
have hundreds). The truth is the event of each article.

Entities come from a cheap stand-in, not spaCy: runs of capitalised words are names (two-word
runs typed PERSON), so the bench measures clustering, not the language stage; no dates or
figures are given. The corpus is held as plain tuples; Articles and analyses are built per
chunk and are not timed, and the corpus is frozen out of the garbage collector, as a streaming
service would not hold its past input.

Timed, per size (articles/s; chunks of --chunk articles per call):
- add: `StoryIndex.add` in one process, preparing (`prepare_articles`: hashing, shingles,
  MinHash, names) and filing (`add_prepared`), with the time of each half per article;
- add_prepared alone: the index process's busy time (and its thread's CPU time) when a
  second process builds the inputs and prepares them, a few chunks ahead (preparing upstream,
  as crosswire's language workers do in `scale`, leaves the index process this much work);
- two processes: the same, wall-clock, so bounded by the slower process; here the worker,
  which also builds the stand-in analyses (about 0.4 ms an article, the bench's own input);
  then again with the worker building every chunk's Articles and stand-in analyses before
  the clock starts (as the language stage would hand them over), so that it only prepares:
  the rate the two processes reach on clustering alone;
- copy detection alone: shingles, MinHash and `CopyIndex` (the first thing filing does).
Filing is in bulk (`add_prepared(..., report=False)`, as `pipeline.file_stories` files an archive),
and the stories are regrouped once, when read at the end: that read is timed with filing. With
--report-each-chunk every call reports the stories it changed instead (a live stream's cost:
each story a chunk touches is regrouped and built, big ones too).
With --window-days N every `StoryIndex` gets `Options(story_window_days=N)` (articles older
than N days retired, see `StoryIndex`); the line then also says how many articles the index
still held live at the end and how many came late. Also: peak RSS (and RSS before streaming;
the copy-detection-only index is dropped before the story indexes are built, so the peak is
theirs), the serialised index size and B-cubed against the synthetic truth; with --batch (smallest size only) `find_duplicates` + `group_stories` in
batch, for time and B-cubed.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import multiprocessing
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict, deque
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from crosswire.evaluate.stories import bcubed, load_ecbplus
from crosswire.models import Article, ArticleAnalysis, ArticleEntity, EntityMention
from crosswire.options import Options
from crosswire.pipeline import read_and_clean
from crosswire.stories import (
    PreparedArticle,
    StoryIndex,
    find_duplicates,
    group_stories,
    prepare_articles,
)
from crosswire.stories.copies import CopyIndex
from crosswire.stories.features import WORD, _hashed_words, _minhash, _shingle_hashes

ROOT = Path(__file__).resolve().parents[1]
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus-dev"
START = date(2025, 1, 6)
PER_DAY = 170
"""Articles a day, by default: sizes differ in how many months they span, not in density."""
OUTLETS = 400
COPY_SHARE = 0.15

_NAME = re.compile(r"\b[A-Z][\w'’.&-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w'’.&-]*)*")
_NUMBER = re.compile(r"\b\d+\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# Capitalised words that are not names when they stand alone (sentence starts, days, months).
_NOT_NAMES_TEXT = (
    "A An The This That These Those It Its He She His Her They Their We Our I You In On At "
    "For From By With Without After Before When While But And Or If As Of To Up Down Over "
    "Under Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
    "April May June July August September October November December Mr Mrs Ms Dr There "
    "Here Some Many Most All No Not One Two Three Four Five Six Seven Eight Nine Ten"
)
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_OUTLET_TEXT = (
    "Almera Borsk Cedar Dunmore Eastfield Fairhaven Glenrock Harlow Ivybridge Juniper Kingsport "
    "Lakeside Millbrook Northgate Oakridge Pinecrest Queensbury Riverton Stonehill Thornbury "
    "Upton Valemont Westbrook Yarrow Zephyr Ashford Brookvale Clearwater Dover Elmhurst "
    "Foxborough Greystone Hillcrest Ironwood Kestrel Lindenfield Marston Newhaven Orchard Prescott"
)
OUTLET_WORDS = _OUTLET_TEXT.split()
TITLES = ["Herald", "Gazette", "Courier", "Times", "Post", "Observer", "Daily", "Tribune", "Wire"]

Row = tuple[str, str, str, date, str]  # id, source, title, published, text


def name_spans(text: str) -> list[str]:
    """The stand-in for entities: runs of capitalised words, bar lone function words."""
    spans = (m.group(0).strip() for m in _NAME.finditer(text))
    return [s for s in spans if not (len(s.split()) == 1 and s in _NOT_NAMES)]


_MENTION = EntityMention(text="", sentence=0, start=0, end=0)


def stand_in_analysis(article: Article) -> ArticleAnalysis:
    """Names by the stand-in, each with as many mentions as it has (clustering counts them,
    nothing else of a mention: one shared placeholder stands for each). Built without
    validation (`model_construct`, every field given): the bench's own well-formed data, and
    validating the models would cost more than clustering them."""
    counts = Counter(name_spans(article.text))
    return ArticleAnalysis.model_construct(
        article_id=article.id,
        language=None,
        sentences=[],
        entities=[
            ArticleEntity.model_construct(
                name=n,
                type="PERSON" if len(n.split()) == 2 else "ORG",
                aliases=[],
                titles=[],
                mentions=[_MENTION] * k,
            )
            for n, k in counts.items()
        ],
        quotes=[],
        numbers=[],
        times=[],
        published_inferred=None,
    )


@dataclass
class Seeds:
    events: list[list[list[str]]]  # seed event -> its articles -> their sentences
    words: list[str]  # the words of the names found in the corpus


def load_seeds() -> Seeds:
    if not (ECBPLUS / "dev_documents.jsonl").exists():
        sys.exit(f"ECB+ dev data not found at {ECBPLUS}")
    articles, gold = load_ecbplus(ECBPLUS)
    demo, _ = read_and_clean([ROOT / "examples" / "harbour-fire"], Options())
    clusters: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        clusters[gold[a.id]].append(a.text)
    for a in demo:
        clusters["derby" if a.id == "kessa-derby" else "fire"].append(a.text)
    events = [
        [[s for s in _SENTENCE.split(text) if len(s.split()) > 3] for text in texts]
        for _, texts in sorted(clusters.items())
    ]
    words = {
        w
        for texts in clusters.values()
        for text in texts
        for span in name_spans(text)
        for w in span.split()
        if w not in _NOT_NAMES and w.isalpha()
    }
    return Seeds(events=events, words=sorted(words))


def synthetic_stream(
    n: int, seed: int = 11, span_days: int | None = None
) -> tuple[list[Row], dict[str, str]]:
    """`n` articles over `span_days` (by default as many as PER_DAY gives), in arrival order
    (by publication day), and the event of each article id."""
    span_days = span_days or max(1, round(n / PER_DAY))
    rng = random.Random(seed)
    seeds = load_seeds()
    outlets = [f"{rng.choice(['The ', ''])}{w} {rng.choice(TITLES)}" for w in OUTLET_WORDS]
    outlets = [f"{o} {k}" if k else o for k in range(OUTLETS // len(outlets) + 1) for o in outlets]
    rows: list[Row] = []
    truth: dict[str, str] = {}
    event = 0
    while len(rows) < n:
        event += 1
        texts = seeds.events[rng.randrange(len(seeds.events))]
        # Names change word by word, the same way in all the event's articles, so a person
        # named in full in one article and by surname in another stays one person.
        words = sorted(
            {w for t in texts for line in t for s in name_spans(line) for w in s.split()}
        )
        words = [w for w in words if w[:1].isupper() and w not in _NOT_NAMES]
        mapping = {w: rng.choice(seeds.words) for w in words}
        names = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None
        factor = rng.uniform(0.4, 2.5)
        day = START + timedelta(days=rng.randrange(span_days))
        made: list[Row] = []
        for _ in range(min(int(rng.paretovariate(1.3) * 3), 400, n - len(rows))):
            aid = f"a{len(rows):06d}"
            if made and rng.random() < COPY_SHARE:
                text = _copy_of(rng.choice(made), rng)
            else:
                base = rng.choice(texts)
                kept = [s for s in base if rng.random() > 0.35] or base[:3]
                extra = rng.choice(texts)
                kept += rng.sample(extra, min(len(extra), rng.randint(0, 3)))
                text = _recast("\n".join(kept), names, mapping, factor)
            published = day + timedelta(days=min(3, int(rng.expovariate(1.0))))
            row = (aid, rng.choice(outlets), text.split("\n")[0][:120], published, text)
            made.append(row)
            rows.append(row)
            truth[aid] = f"e{event}"
    rows.sort(key=lambda r: (r[3], rng.random()))
    return rows, truth


def _recast(
    text: str, names: re.Pattern[str] | None, mapping: dict[str, str], factor: float
) -> str:
    """The seed text under the event's names and figures."""
    if names is not None:
        text = names.sub(lambda m: mapping[m.group(0)], text)
    return _NUMBER.sub(lambda m: str(max(1, round(int(m.group(0)) * factor))), text)


def _copy_of(original: Row, rng: random.Random) -> str:
    words = original[4].split(" ")
    for _ in range(max(1, len(words) // 60)):
        words[rng.randrange(len(words))] = rng.choice(["said", "reported", "the", "and"])
    return f"({original[1]}) — " + " ".join(words)


def materialise(rows: Sequence[Row]) -> tuple[list[Article], dict[str, ArticleAnalysis]]:
    articles = [
        Article.model_construct(
            id=aid,
            source=source,
            title=title,
            url=None,
            published=published,
            published_inferred=False,
            text=text,
            boilerplate_removed=[],
            language=None,
            origin="",
            via=None,
        )
        for aid, source, title, published, text in rows
    ]
    return articles, {a.id: stand_in_analysis(a) for a in articles}


# The corpus, set before the preparing process is forked so that it inherits it unpickled.
_ROWS: list[Row] = []


# In the preparing process: chunks' inputs built before the clock starts (see measure).
_BUILT: dict[tuple[int, int], tuple[list[Article], dict[str, ArticleAnalysis]]] = {}


def _prepare_chunk(start: int, stop: int) -> list[PreparedArticle]:
    built = _BUILT.pop((start, stop), None)
    articles, analyses = built if built is not None else materialise(_ROWS[start:stop])
    return prepare_articles(articles, analyses)


def _build_ahead(bounds: Sequence[tuple[int, int]]) -> int:
    _BUILT.update({(a, b): materialise(_ROWS[a:b]) for a, b in bounds})
    return len(_BUILT)


def _two_processes(
    bounds: Sequence[tuple[int, int]], options: Options, ahead: bool, report: bool
) -> tuple[StoryIndex, float, float, float]:
    """File the stream here while a forked process prepares the next chunks (three in
    flight); with `ahead`, that process builds every chunk's Articles and stand-in analyses
    before the clock starts, so it only prepares. Return the index, the wall-clock time, and
    this process's busy time and CPU time (this thread's) in `add_prepared`."""
    index = StoryIndex(options)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        pool.submit(_prepare_chunk, 0, 1).result()  # started, corpus inherited
        if ahead:
            pool.submit(_build_ahead, bounds).result()
        started = time.perf_counter()
        waiting: deque[Future[list[PreparedArticle]]] = deque()
        todo = iter(bounds)
        for a, b in todo:
            waiting.append(pool.submit(_prepare_chunk, a, b))
            if len(waiting) == 3:
                break
        busy = cpu = 0.0
        while waiting:
            prepared = waiting.popleft().result()
            following = next(todo, None)
            if following is not None:
                waiting.append(pool.submit(_prepare_chunk, *following))
            clock, thread = time.perf_counter(), time.thread_time()
            index.add_prepared(prepared, report=report)
            busy += time.perf_counter() - clock
            cpu += time.thread_time() - thread
        clock, thread = time.perf_counter(), time.thread_time()
        index.groups()  # without reports, the stories are regrouped here: timed with filing
        busy += time.perf_counter() - clock
        cpu += time.thread_time() - thread
        return index, time.perf_counter() - started, busy, cpu


def _copies_only(rows: Sequence[Row]) -> list[PreparedArticle]:
    """What copy detection needs of each article (shingles, MinHash bands), nothing else."""
    empty = np.empty(0, np.int32)
    prepared = []
    for aid, source, _, published, text in rows:
        words = WORD.findall(text.lower())
        shingles = _shingle_hashes([words], [_hashed_words(words)[0]])[0]
        signature, bands = _minhash([shingles], Options().duplicate_threshold)[0]
        prepared.append(
            PreparedArticle(
                id=aid,
                source=source,
                day=published.toordinal(),
                credit="",
                shingles=shingles,
                signature=signature,
                bands=bands,
                text_idx=empty,
                text_tf=np.empty(0, np.float32),
                names=(),
                traits=None,  # type: ignore[arg-type]  # copy detection never reads it
            )
        )
    return prepared


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(
    n: int,
    chunk: int,
    with_batch: bool,
    span_days: int | None,
    window_days: int | None = None,
    report: bool = False,
) -> dict[str, float | str]:
    global _ROWS
    options = Options(story_window_days=window_days)
    started = time.perf_counter()
    _ROWS, truth = synthetic_stream(n, span_days=span_days)
    result: dict[str, float | str] = {
        "articles": float(n),
        "days": float((max(r[3] for r in _ROWS) - min(r[3] for r in _ROWS)).days + 1),
        "events": float(len(set(truth.values()))),
        "make_s": time.perf_counter() - started,
    }
    gc.collect()
    gc.freeze()  # the corpus: a streaming service would not hold it
    result["rss_before_mb"] = _rss_mb()
    bounds = [(k, min(n, k + chunk)) for k in range(0, n, chunk)]

    # copy detection alone
    copies = CopyIndex(Options().duplicate_threshold)
    started = time.perf_counter()
    for a, b in bounds:
        copies.add(_copies_only(_ROWS[a:b]))
    result["copies_per_s"] = n / (time.perf_counter() - started)
    del copies  # the story indexes' peak is what this bench reports
    gc.collect()

    # one process: add() = prepare + file
    # CPU time beside wall-clock: on a shared machine the wall-clock rate drops with other
    # load, while this process's CPU time stays close to what it costs.
    index = StoryIndex(options)
    spent = 0.0
    prepare_cpu = file_cpu = 0.0
    for a, b in bounds:
        articles, analyses = materialise(_ROWS[a:b])
        clock, cpu = time.perf_counter(), time.process_time()
        prepared = prepare_articles(articles, analyses, index.options)
        middle = time.process_time()
        prepare_cpu += middle - cpu
        index.add_prepared(prepared, report=report)
        file_cpu += time.process_time() - middle
        spent += time.perf_counter() - clock
    clock, cpu = time.perf_counter(), time.process_time()
    single = index.groups()  # without reports, the stories are regrouped here
    file_cpu += time.process_time() - cpu
    spent += time.perf_counter() - clock
    result["one_process_per_s"] = n / spent
    result["one_process_cpu_per_s"] = n / (prepare_cpu + file_cpu)
    result["prepare_cpu_us"] = prepare_cpu / n * 1e6
    result["file_cpu_us"] = file_cpu / n * 1e6

    # two processes: the next chunks prepared in a forked worker while this one files; first
    # with the worker building the bench's inputs as it goes, then with them built ahead
    del index
    index, wall, busy, cpu = _two_processes(bounds, options, ahead=False, report=report)
    result["two_processes_per_s"] = n / wall
    result["file_only_per_s"] = n / busy
    result["file_only_cpu_per_s"] = n / cpu
    if index.groups() != single:
        raise AssertionError("one process and two gave different stories")
    del index
    index, wall, busy, cpu = _two_processes(bounds, options, ahead=True, report=report)
    result["two_processes_ahead_per_s"] = n / wall
    result["file_only_ahead_per_s"] = n / busy
    result["peak_rss_mb"] = _rss_mb()

    groups = index.groups()
    if groups != single:
        raise AssertionError("one process and two gave different stories")
    started = time.perf_counter()
    result["index_mb"] = len(index.to_bytes()) / 1e6
    result["save_s"] = time.perf_counter() - started
    pred = {aid: g.id for g in groups for aid in g.article_ids}
    result["stories"] = float(len(groups))
    result["copies"] = float(len(index.duplicates()))
    result["live"] = float(index.footprint()["live"])
    # compares runs (with and without a window): the same stories and copies, the same digest
    listed = [[g.id, g.article_ids, g.duplicate_of] for g in groups]
    digest = hashlib.sha1(json.dumps(listed).encode()).hexdigest()[:12]
    result["late"] = float(index.late)
    _, _, result["stream_bcubed_f1"] = bcubed(pred, truth)
    result["stories_digest"] = digest
    if with_batch:
        articles, analyses = materialise(_ROWS)
        started = time.perf_counter()
        duplicates = find_duplicates(articles, Options())
        batch = group_stories(articles, analyses, Options(), duplicates)
        result["batch_s"] = time.perf_counter() - started
        batch_pred = {aid: g.id for g in batch for aid in g.article_ids}
        _, _, result["batch_bcubed_f1"] = bcubed(batch_pred, truth)
        result["batch_stories"] = float(len(batch))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--chunk", type=int, default=100, help="articles per add() call")
    parser.add_argument("--batch", action="store_true", help="also batch, smallest size (slow)")
    parser.add_argument(
        "--span-days", type=int, help=f"days every size spans (default: {PER_DAY} a day)"
    )
    parser.add_argument(
        "--window-days", type=int, help="Options.story_window_days for every index (default: none)"
    )
    parser.add_argument(
        "--report-each-chunk",
        action="store_true",
        help="report the stories each add_prepared changed (default: bulk, regroup at the end)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    args = parser.parse_args()
    if args.one:
        row = measure(
            args.one,
            args.chunk,
            args.batch,
            args.span_days,
            args.window_days,
            report=args.report_each_chunk,
        )
        print(json.dumps(row))
        return
    results = []
    for n in args.sizes:
        command = [sys.executable, __file__, "--one", str(n), "--chunk", str(args.chunk)]
        if args.span_days:
            command += ["--span-days", str(args.span_days)]
        if args.window_days:
            command += ["--window-days", str(args.window_days)]
        if args.report_each_chunk:
            command.append("--report-each-chunk")
        if args.batch and n == min(args.sizes):
            command.append("--batch")
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        row = json.loads(out.strip().splitlines()[-1])
        results.append(row)
        line = (
            f"{n:>7} articles over {int(row['days'])} days ({int(row['events'])} events, {int(row['copies'])} copies found): "
            f"add {row['one_process_per_s']:,.0f}/s in one process "
            f"({row['one_process_cpu_per_s']:,.0f}/s of its CPU time; per article: prepare "
            f"{row['prepare_cpu_us']:.0f} us, file {row['file_cpu_us']:.0f} us CPU); "
            f"add_prepared alone {row['file_only_per_s']:,.0f}/s "
            f"({row['file_only_cpu_per_s']:,.0f}/s of its CPU time); two processes "
            f"{row['two_processes_per_s']:,.0f}/s wall-clock, "
            f"{row['two_processes_ahead_per_s']:,.0f}/s with the inputs built ahead "
            f"(add_prepared alone {row['file_only_ahead_per_s']:,.0f}/s); copy detection "
            f"alone {row['copies_per_s']:,.0f}/s; peak RSS {row['peak_rss_mb']:,.0f} MB "
            f"({row['rss_before_mb']:,.0f} MB before streaming); index {row['index_mb']:.0f} MB "
            f"saved in {row['save_s']:.1f} s; B-cubed F1 {row['stream_bcubed_f1']:.3f} "
            f"({int(row['stories'])} stories, digest {row['stories_digest']})"
        )
        if args.window_days:
            line += (
                f"; window {args.window_days} days: {int(row['live'])} articles live at the "
                f"end, {int(row['late'])} late"
            )
        if "batch_s" in row:
            line += (
                f"; batch {row['batch_s']:.0f} s, B-cubed F1 {row['batch_bcubed_f1']:.3f} "
                f"({int(row['batch_stories'])} stories)"
            )
        print(line, flush=True)
    if len(results) >= 2:
        small, large = results[0], results[-1]
        n0, n1 = small["articles"], large["articles"]
        for mode in (
            "one_process",
            "one_process_cpu",
            "file_only",
            "two_processes",
            "two_processes_ahead",
            "copies",
        ):
            ratio = (n1 / large[f"{mode}_per_s"]) / (n0 / small[f"{mode}_per_s"])
            print(
                f"{mode.replace('_', ' ')}: time x{ratio:.1f} for x{n1 / n0:.0f} articles "
                f"(n log n would be x{n1 * math.log(n1) / (n0 * math.log(n0)):.1f})"
            )


if __name__ == "__main__":
    main()
