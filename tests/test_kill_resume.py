"""Nothing lost: `crosswire analyze --db` killed (SIGKILL) at random moments, then run again,
ends with the store a clean run gives, on SQLite and PostgreSQL.

After every kill the store must be as before or after a step, never in between: the stories
and the story index (meta table) agree, and every article in a story has its analysis.
After the final run: every article stored exactly once, in exactly one story, with the clean
run's story membership, and the stored index is the one `analyze` would reuse.

CROSSWIRE_KILL_TRIALS (default 2) sets the killed-and-resumed runs per backend; each is
killed twice before it is let finish: after a random delay, or (first kill of trials 0, 1,
3, 4, ...) the moment the first stories, or the first articles, show in the database.
CROSSWIRE_KILL_SEED fixes the random delays.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from crosswire.options import Options
from crosswire.pipeline import STORY_INDEX_KEY, _stored_index
from crosswire.store import Store
from crosswire.store.engine import to_url
from crosswire.store.tables import ArticleRow, StoryArticleRow
from crosswire.stories import StoryIndex

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "harbour-fire"
TRIALS = int(os.environ.get("CROSSWIRE_KILL_TRIALS", "2"))
KILLS = 2
SEED = int(os.environ.get("CROSSWIRE_KILL_SEED", str(random.SystemRandom().randrange(10**6))))

pytestmark = pytest.mark.slow

Membership = dict[str, list[str]]


def _cli(db: str, out: Path) -> list[str]:
    # The console script beside this interpreter: the same install the tests import.
    script = Path(sys.executable).with_name("crosswire")
    return [str(script), "analyze", str(DEMO), "--db", db, "--out", str(out), "--quiet"]


def _run(db: str, out: Path) -> float:
    start = time.monotonic()
    done = subprocess.run(_cli(db, out), capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.monotonic() - start


def _kill_after(db: str, out: Path, delay: float) -> bool:
    """Start a run and SIGKILL it after `delay` seconds; False if it finished first."""
    proc = subprocess.Popen(_cli(db, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        return True
    finally:
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == 0
    return False


_WATCH = {
    # the moment a step's rows first show: right after a commit, where a run that saves in
    # several transactions is between them
    "articles": "SELECT count(*) FROM articles",
    "stories": "SELECT count(*) FROM story_articles",
}


def _kill_when(db: str, out: Path, watch: str) -> bool:
    """Start a run on a fresh database and SIGKILL it as soon as `watch`'s rows appear."""
    proc = subprocess.Popen(_cli(db, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = create_engine(to_url(db))
    try:
        deadline = time.monotonic() + 600
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with engine.connect() as conn:
                    if conn.exec_driver_sql(_WATCH[watch]).scalar():
                        proc.send_signal(signal.SIGKILL)
                        proc.wait(timeout=60)
                        return True
            except Exception:  # tables not made yet
                pass
            time.sleep(0.005)
        proc.wait(timeout=600)
        return False
    finally:
        engine.dispose()


def _membership(store: Store) -> Membership:
    """Story id -> its article ids, as stored (story_articles rows, not the JSON)."""
    rows: Membership = {}
    with store.engine.connect() as conn:
        for sid, aid in conn.execute(select(StoryArticleRow.story_id, StoryArticleRow.article_id)):
            rows.setdefault(sid, []).append(aid)
    return {sid: sorted(ids) for sid, ids in rows.items()}


def _index_membership(index: StoryIndex) -> Membership:
    return {g.id: sorted(g.article_ids) for g in index.groups()}


def _check_between_steps(store: Store, note: str) -> None:
    """What must hold after a kill at any moment."""
    stored = {a.id for a in store.get_articles()}
    members = _membership(store)
    data = store.get_meta(STORY_INDEX_KEY)
    if data is None:
        assert members == {}, f"{note}: stories saved without their index"
        return
    index = StoryIndex.from_bytes(data, Options())
    assert _index_membership(index) == members, f"{note}: stories and index disagree"
    in_stories = {aid for ids in members.values() for aid in ids}
    assert in_stories <= stored
    assert in_stories <= set(store.get_analyses()), f"{note}: story article without analysis"


def _check_finished(store: Store, clean: Membership, note: str) -> None:
    articles = store.get_articles()
    ids = [a.id for a in articles]
    with store.engine.connect() as conn:
        hashes = conn.execute(select(func.count(func.distinct(ArticleRow.content_hash)))).scalar()
    assert len(ids) == len(set(ids)) == hashes == 8, f"{note}: articles {ids}"
    members = _membership(store)
    in_stories = [aid for group in members.values() for aid in group]
    assert sorted(in_stories) == sorted(ids), f"{note}: not every article in exactly one story"
    assert members == clean, f"{note}: story membership differs from a clean run"
    assert set(store.get_analyses()) == set(ids)
    data = store.get_meta(STORY_INDEX_KEY)
    assert data is not None, f"{note}: no story index stored"
    index = _stored_index(data, articles, Options())
    assert len(index) == len(ids) and all(a in index for a in ids), f"{note}: index is stale"
    assert _index_membership(index) == members
    assert [s.id for s in store.get_stories()] == sorted(members, key=list(members).index)


def _fresh(db_url: str, trial: int) -> str:
    """A fresh database per trial: a new file, or the PostgreSQL one emptied."""
    url = to_url(db_url)
    if url.get_backend_name() == "sqlite":
        return str(Path(db_url).with_name(f"trial-{trial}.db"))
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return db_url


def test_killed_runs_resume_to_what_a_clean_run_stores(db_url: str, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    note = f"seed {SEED} (CROSSWIRE_KILL_SEED to repeat)"
    clean_db = _fresh(db_url, -1)
    full = _run(clean_db, tmp_path / "clean")
    with Store(clean_db) as store:
        clean = _membership(store)
        _check_finished(store, clean, note)  # the checks hold for a clean run
    killed = 0
    for trial in range(TRIALS):
        db = _fresh(db_url, trial)
        for kill in range(KILLS):
            watch = ("stories", "articles", None)[trial % 3] if kill == 0 else None
            if watch is None:
                # Anywhere in a whole run: start-up, reading, the writes, or after it finished.
                delay = rng.uniform(0.2, full * 1.1)
                killed += _kill_after(db, tmp_path / f"out-{trial}", delay)
                where = f"{note}, trial {trial}, kill {kill} after {delay:.1f}s"
            else:
                killed += _kill_when(db, tmp_path / f"out-{trial}", watch)
                where = f"{note}, trial {trial}, kill {kill} when {watch} appeared"
            if to_url(db).get_backend_name() == "postgresql" or Path(db).exists():
                with Store(db) as store:
                    _check_between_steps(store, where)
        _run(db, tmp_path / f"out-{trial}")
        with Store(db) as store:
            _check_finished(store, clean, f"{note}, trial {trial}")
    print(f"kill-and-resume: {TRIALS} runs, {killed} kills landed, {note}")
    assert killed >= 1, "every run finished before its kill: nothing was tested"


def test_a_run_that_another_run_overtook_starts_again_and_loses_nothing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two writers on one store (a server and `watch`, say): while this run groups its
    # articles, another run stores its own and saves its stories. Saving ours over theirs
    # would leave their articles in no story; ours must notice and group again.
    import crosswire.pipeline as pipeline

    first, later = tmp_path / "first", tmp_path / "later"
    for folder, names in (
        (first, ("vpa-wire.txt", "daily-clarion.txt")),
        (later, ("north-coast-courier.txt", "harbourwatch-blog.txt")),
    ):
        folder.mkdir()
        for name in names:
            (folder / name).write_text((DEMO / name).read_text(encoding="utf-8"), "utf-8")
    real = pipeline.analyze_articles_to_report
    calls: list[int] = []

    def overtaken(*args: object, **kw: object) -> object:
        if not calls:  # the first time only: the other run goes in between
            calls.append(1)
            with monkeypatch.context() as inner:
                inner.setattr(pipeline, "analyze_articles_to_report", real)
                pipeline.analyze([later], db=db_url)
        calls.append(2)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "analyze_articles_to_report", overtaken)
    report = pipeline.analyze([first], db=db_url)
    everything = {"vpa-wire", "daily-clarion", "north-coast-courier", "harbourwatch-blog"}
    assert {a.id for a in report.articles} == everything
    with Store(db_url) as store:
        members = _membership(store)
        assert sorted(a for ids in members.values() for a in ids) == sorted(everything)
        data = store.get_meta(STORY_INDEX_KEY)
        assert data is not None
        assert _index_membership(StoryIndex.from_bytes(data, Options())) == members
    assert calls.count(2) == 2, "the overtaken run did not start again"
