"""Issue 8: the same answers whichever executor runs the per-article stages.

The example corpora go through the real spaCy path (language analysis in the workers, then
stories, claims and conflicts in the parent); a synthetic corpus of a few thousand articles
goes through the streaming story index (preparation in the workers, filing in the parent).
Each is run in process, on a 2-process local pool and on a local Ray with 2 actors.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crosswire import pipeline
from crosswire.cli import app
from crosswire.errors import CrosswireError
from crosswire.executors import InlineExecutor, LocalExecutor, chunked, make_executor
from crosswire.executors.ray import RayExecutor
from crosswire.models import Article, ArticleAnalysis, Report
from crosswire.options import Options
from crosswire.pipeline import (
    analyze_articles_to_report,
    analyze_many,
    file_stories,
    read_and_clean,
    stream_stories,
)
from crosswire.stories import StoryIndex, window

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "harbour-fire"
MADURO = ROOT.parent / "shared" / "examples" / "maduro-trump-call"
SYNTHETIC_ARTICLES = 3000


def _corpora() -> list[Path]:
    # the shared real example joins when present; the bundled one always runs
    return [DEMO, *([MADURO] if MADURO.exists() else [])]


def _comparable(report: Report) -> dict[str, Any]:
    data = report.model_dump(mode="json")
    data.pop("generated_at")
    return data


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def examples() -> list[Article]:
    articles, errors = read_and_clean(_corpora(), Options())
    assert not errors
    return articles


@pytest.fixture(scope="module")
def inline_run(examples: list[Article]) -> tuple[dict[str, ArticleAnalysis], Report]:
    report, _, analyses = analyze_articles_to_report(examples, Options())
    return analyses, report


@pytest.fixture(scope="module")
def pool() -> Iterator[LocalExecutor]:
    with LocalExecutor(2) as executor:  # started once: each worker loads spaCy
        yield executor


@pytest.fixture(scope="module")
def ray_executor() -> Iterator[RayExecutor]:
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'crosswire[ray]')")
    # A local Ray with room for 4 one-CPU workers: these 2, and 2 more for the tests that
    # start an executor of their own on it (the CLI's). Logical CPUs, not cores.
    ray.init(num_cpus=4, include_dashboard=False, log_to_driver=False)
    executor = RayExecutor(2)
    yield executor
    executor.close()
    ray.shutdown()


_WORDS = [
    "harbour",
    "council",
    "minister",
    "police",
    "river",
    "market",
    "school",
    "station",
    "bridge",
    "storm",
    "hospital",
    "court",
    "budget",
    "strike",
    "election",
    "museum",
    "airport",
    "factory",
    "union",
    "village",
    "festival",
    "ferry",
    "tunnel",
    "mayor",
    "inquiry",
    "protest",
    "flood",
    "contract",
    "railway",
    "library",
]
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
]


def _synthetic(n: int, seed: int = 8) -> list[tuple[Article, ArticleAnalysis | None]]:
    """Events of a few to dozens of articles, from 40 outlets, some verbatim copies; cheap to
    make, and close enough to news that stories and copies both form."""
    rng = random.Random(seed)
    start = date(2026, 1, 1)
    items: list[tuple[Article, ArticleAnalysis | None]] = []
    texts: list[str] = []
    event = 0
    while len(items) < n:
        event += 1
        topic = rng.sample(_WORDS, 6)
        who = f"{rng.choice(_NAMES)} {rng.choice(_NAMES)}"
        day = start + timedelta(days=rng.randrange(120))
        for _ in range(min(rng.choice((2, 3, 5, 8, 20)), n - len(items))):
            if texts and rng.random() < 0.12:
                text = rng.choice(texts) + " Credit: wire."  # a syndicated copy
            else:
                words = [rng.choice(topic) for _ in range(rng.randrange(60, 120))]
                words[rng.randrange(len(words))] = who
                text = f"{who} said the {topic[0]} {topic[1]} had {' '.join(words)}."
            texts.append(text)
            published = day + timedelta(days=rng.randrange(3))
            article = Article(
                id=f"a{len(items)}",
                source=f"outlet{rng.randrange(40)}",
                title=f"{topic[0].title()} {topic[1]} {event}",
                text=text,
                published=published,
            )
            items.append((article, None))
    return items


def _stories(index: StoryIndex) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    return [(g.id, g.article_ids) for g in index.groups()], index.duplicates()


@pytest.fixture(scope="module")
def synthetic_inline() -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    return _stories(file_stories(_synthetic(SYNTHETIC_ARTICLES), Options(), InlineExecutor()))


# --------------------------------------------------------------------------- tests


def test_local_pool_analyses_and_report_match_in_process(
    examples: list[Article],
    inline_run: tuple[dict[str, ArticleAnalysis], Report],
    pool: LocalExecutor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inline_analyses, inline_report = inline_run
    monkeypatch.setattr(pipeline, "MIN_PARALLEL_ARTICLES", 2)  # the examples are few
    seen: list[tuple[str, int, int]] = []
    report, _, analyses = analyze_articles_to_report(
        examples, Options(), executor=pool, progress=lambda *p: seen.append(p)
    )
    # the pool reports per chunk (16 articles), the in-process loop per article
    assert next(p for p in seen if p[0] == "reading articles")[1] > 1
    assert analyses == inline_analyses
    assert _comparable(report) == _comparable(inline_report)
    assert report.stories and any(s.claims for s in report.stories)
    assert any(s.conflicts for s in report.stories)


def test_ray_analyses_and_report_match_in_process(
    examples: list[Article],
    inline_run: tuple[dict[str, ArticleAnalysis], Report],
    ray_executor: RayExecutor,
) -> None:
    inline_analyses, inline_report = inline_run
    analyses = analyze_many(examples, Options(), ray_executor, chunk_size=3)
    assert analyses == inline_analyses
    report, _, _ = analyze_articles_to_report(examples, Options(), analyses=analyses)
    assert _comparable(report) == _comparable(inline_report)


def test_synthetic_stories_match_on_a_local_pool(
    synthetic_inline: tuple[list[tuple[str, list[str]]], dict[str, str]], pool: LocalExecutor
) -> None:
    stories, copies = synthetic_inline
    assert len(stories) > 50 and copies  # the corpus does form stories and copies
    index = file_stories(_synthetic(SYNTHETIC_ARTICLES), Options(), pool)
    assert _stories(index) == synthetic_inline


def test_synthetic_stories_match_on_ray(
    synthetic_inline: tuple[list[tuple[str, list[str]]], dict[str, str]],
    ray_executor: RayExecutor,
) -> None:
    index = file_stories(_synthetic(SYNTHETIC_ARTICLES), Options(), ray_executor)
    assert _stories(index) == synthetic_inline


# Run in a fresh interpreter under a given string hash seed: what it prints is the report of
# the example corpora and the synthetic corpus's stories, as JSON.
_SEEDED_RUN = """
import json, sys
sys.path.insert(0, sys.argv[1])
from test_scale import _comparable, _corpora, _stories, _synthetic, SYNTHETIC_ARTICLES
from crosswire.options import Options
from crosswire.pipeline import analyze_articles_to_report, read_and_clean
from crosswire.executors import InlineExecutor
from crosswire.pipeline import file_stories
articles, _ = read_and_clean(_corpora(), Options())
report, _, _ = analyze_articles_to_report(articles, Options())
index = file_stories(_synthetic(SYNTHETIC_ARTICLES), Options(), InlineExecutor())
print(json.dumps({"report": _comparable(report), "stories": _stories(index)}))
"""


def test_report_and_stories_do_not_depend_on_the_string_hash_seed(
    inline_run: tuple[dict[str, ArticleAnalysis], Report],
    synthetic_inline: tuple[list[tuple[str, list[str]]], dict[str, str]],
) -> None:
    # Every worker and the writer hash strings with a seed of their own (a Ray cluster's
    # machines, a pool's processes, each run of the CLI): nothing may follow a set's order.
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _SEEDED_RUN, str(Path(__file__).parent)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")
    ]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    here = json.loads(
        json.dumps({"report": _comparable(inline_run[1]), "stories": synthetic_inline})
    )
    assert here["report"]["stories"] and here["stories"][0]
    assert [json.loads(out) for out in outputs] == [here, here]


def _released_and_held(
    executor: InlineExecutor | LocalExecutor | RayExecutor, options: Options
) -> tuple[list[tuple[str, list[str]]], dict[str, str], int]:
    """Stories of the synthetic corpus filed with releases on the way: those released and
    those still held, in order of first article id; their copies; how many were released."""
    released: list[Any] = []
    index = file_stories(
        _synthetic(SYNTHETIC_ARTICLES), options, executor, on_release=released.extend
    )
    every = sorted(released + index.groups(), key=lambda g: g.article_ids[0])
    copies = {c: o for g in every for c, o in g.duplicate_of.items()}
    return [(g.id, g.article_ids) for g in every], copies, index.released


def test_stories_released_on_the_way_are_the_stories_on_every_executor(
    pool: LocalExecutor, ray_executor: RayExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window, "RELEASE_MIN", 1)  # release whatever can go, at every sweep
    monkeypatch.setattr(window, "RELEASE_SHARE", 0.0)
    options = Options(story_window_days=30)
    whole = file_stories(_synthetic(SYNTHETIC_ARTICLES), options, InlineExecutor())
    every = sorted(whole.groups(), key=lambda g: g.article_ids[0])
    expected = [(g.id, g.article_ids) for g in every]
    inline = _released_and_held(InlineExecutor(), options)
    assert inline[2] > SYNTHETIC_ARTICLES // 3  # a good part of the corpus was released
    assert inline[:2] == (expected, whole.duplicates())
    assert _released_and_held(pool, options) == inline
    assert _released_and_held(ray_executor, options) == inline


def _streamed(
    examples: list[Article], executor: InlineExecutor | LocalExecutor | RayExecutor
) -> Any:
    index = StoryIndex(Options())
    analyses = list(stream_stories(examples, Options(), executor, index, chunk_size=3))
    return analyses, _stories(index)


def test_streamed_analysis_and_filing_match_across_executors(
    examples: list[Article],
    inline_run: tuple[dict[str, ArticleAnalysis], Report],
    pool: LocalExecutor,
) -> None:
    inline = _streamed(examples, InlineExecutor())
    assert inline[0] == [inline_run[0][a.id] for a in examples]
    assert inline[1][0]  # the examples do form stories
    assert _streamed(examples, pool) == inline


def test_streamed_analysis_and_filing_match_on_ray(
    examples: list[Article], ray_executor: RayExecutor
) -> None:
    assert _streamed(examples, ray_executor) == _streamed(examples, InlineExecutor())


def test_ray_executor_says_when_the_cluster_has_no_cpu_for_its_workers(
    ray_executor: RayExecutor,
) -> None:
    # the fixture's two actors hold two of the local Ray's four CPUs: a fifth worker cannot start
    import ray

    with pytest.raises(CrosswireError, match=r"Ray started 2 of 3 workers in 5 s"):
        RayExecutor(3, preload=False, start_timeout=5)
    deadline = time.monotonic() + 30  # the two that started are stopped (Ray frees them async)
    while ray.available_resources().get("CPU") != 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ray.available_resources().get("CPU") == 2
    assert ray.is_initialized()  # the Ray it found running is left up
    assert list(ray_executor.map(lambda c: [len(c)], [[1, 2], [3]])) == [[2], [1]]  # still works


def test_ray_executor_without_ray_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(CrosswireError, match=r"pip install 'crosswire\[ray\]'"):
        make_executor("ray", 2)


def test_results_come_back_in_input_order_with_bounded_work_in_flight(
    pool: LocalExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = 0

    def numbers() -> Iterator[int]:
        nonlocal drawn
        for i in range(200):
            drawn += 1
            yield i

    monkeypatch.setattr(pool, "in_flight", 3)
    results = pool.map(_slow_square, chunked(numbers(), 4))
    first = next(results)
    # the pool has drawn at most in_flight chunks (plus the one being submitted)
    assert drawn <= 4 * 4
    rest = [x for chunk in results for x in chunk]
    assert first + rest == [i * i for i in range(200)]


def _slow_square(chunk: list[int]) -> list[int]:
    return [i * i for i in chunk]


def test_one_local_worker_stays_in_process() -> None:
    assert isinstance(make_executor("local", 1), InlineExecutor)


def test_cli_analyze_with_workers_writes_claims_and_conflicts_tables(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    result = CliRunner().invoke(
        app,
        [
            "analyze",
            str(DEMO),
            "--out",
            str(tmp_path / "out"),
            "--no-db",
            "--quiet",
            "--workers",
            "2",
            "--parquet",
            str(tmp_path / "tables"),
        ],
    )
    assert result.exit_code == 0, result.output
    report = Report.model_validate(
        json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    )
    assert any(s.conflicts for s in report.stories)
    claims = pq.read_table(tmp_path / "tables" / "claims.parquet").to_pylist()
    conflicts = pq.read_table(tmp_path / "tables" / "conflicts.parquet").to_pylist()
    assert len(claims) == sum(len(s.claims) for s in report.stories)
    assert len(conflicts) == sum(len(s.conflicts) for s in report.stories)
    first = report.stories[0]
    row = next(r for r in claims if r["claim_id"] == first.claims[0].id)
    assert row["story_id"] == first.id
    assert row["article_ids"] == [c.article_id for c in first.claims[0].sources]
    assert row["sentence_indexes"] == [c.sentence_index for c in first.claims[0].sources]
    assert {r["story_id"] for r in conflicts} <= {s.id for s in report.stories}
    for story in report.stories:
        saved = json.loads((tmp_path / "tables" / "stories" / f"{story.id}.json").read_text())
        assert saved["claims"] == story.model_dump(mode="json")["claims"]


def test_cli_unknown_executor_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["analyze", str(DEMO), "--no-db", "--executor", "spark", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "unknown executor 'spark'" in result.output


def test_cli_analyze_on_ray_joins_the_running_ray_and_leaves_it_up(
    tmp_path: Path, ray_executor: RayExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ray

    monkeypatch.setattr(pipeline, "MIN_PARALLEL_ARTICLES", 2)  # the demo's 8 articles go to Ray
    sent: list[int] = []
    real_map = RayExecutor.map

    def counting_map(self: RayExecutor, fn: Any, chunks: Any) -> Any:
        for result in real_map(self, fn, chunks):
            sent.append(len(result))
            yield result

    monkeypatch.setattr(RayExecutor, "map", counting_map)
    result = CliRunner().invoke(
        app,
        [
            "analyze",
            str(DEMO),
            "--out",
            str(tmp_path),
            "--no-db",
            "--quiet",
            "--executor",
            "ray",
            "--workers",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["stories"]
    assert sum(sent) == 8  # every article was analysed by the Ray workers
    assert ray.is_initialized()  # a Ray it did not start is not shut down
