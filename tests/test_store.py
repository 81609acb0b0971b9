"""Store: articles stored once by content, analyses and stories round-trip, SQLite in WAL mode.

Every test taking `store` or `db_url` runs on SQLite and on PostgreSQL (tests/conftest.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from crosswire.errors import CrosswireError
from crosswire.models import (
    Article,
    ArticleAnalysis,
    Claim,
    ClaimSource,
    Sentence,
    Story,
    TimeMention,
)
from crosswire.store import Store, metadata


def _article(aid: str, text: str, source: str = "Outlet A", **kw: object) -> Article:
    fields: dict[str, object] = {
        "id": aid,
        "source": source,
        "title": f"Title {aid}",
        "text": text,
        "url": f"https://example.org/{aid}",
        "published": date(2025, 12, 4),
        "boilerplate_removed": ["Leave a Reply"],
        "language": "en",
        "origin": f"in/{aid}.txt",
        "via": "feed.xml",
    }
    fields.update(kw)
    return Article.model_validate(fields)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as s:
        yield s


def test_adding_the_same_articles_twice_stores_them_once(store: Store) -> None:
    arts = [_article("a1", "One text."), _article("a2", "Two text.", source="Outlet B")]
    assert store.add_articles(arts) == arts
    assert store.add_articles(arts) == []
    assert store.counts()["articles"] == 2


def test_only_new_articles_are_returned(store: Store) -> None:
    store.add_articles([_article("a1", "One text.")])
    new = store.add_articles([_article("a1", "One text."), _article("a3", "Three text.")])
    assert [a.id for a in new] == ["a3"]
    assert [a.id for a in store.get_articles()] == ["a1", "a3"]


def test_same_content_under_two_ids_in_one_batch_is_stored_once(store: Store) -> None:
    # content_hash covers source, title and text, not the id.
    new = store.add_articles(
        [_article("a1", "Same.", title="T"), _article("copy", "Same.", title="T")]
    )
    assert [a.id for a in new] == ["a1"]
    assert store.counts()["articles"] == 1


def test_same_id_with_different_content_gets_a_deterministic_new_id(store: Store) -> None:
    store.add_articles([_article("a1", "First version.")])
    changed = _article("a1", "Second version.")
    new = store.add_articles([changed])
    assert [a.id for a in new] == [f"a1-{changed.content_hash[:8]}"]
    assert new[0].text == "Second version."
    assert {a.id for a in store.get_articles()} == {"a1", new[0].id}
    # Adding it again is recognised by content, under either id.
    assert store.add_articles([changed]) == []


def test_articles_round_trip_every_field(store: Store) -> None:
    art = _article(
        "a1", "Text with ünïcode — and “quotes”.", published=None, published_inferred=True, url=None
    )
    store.add_articles([art])
    assert store.get_articles() == [art]


def test_analyses_round_trip_and_upsert(store: Store) -> None:
    store.add_articles([_article("a1", "One."), _article("a2", "Two.")])
    first = ArticleAnalysis(
        article_id="a1",
        language="en",
        sentences=[Sentence(index=0, text="One.", start=0, end=4)],
        times=[
            TimeMention(
                text="last week",
                value="2025-W48",
                earliest=date(2025, 11, 24),
                latest=date(2025, 11, 30),
                precision="week",
                relative=True,
                sentence=0,
            )
        ],
    )
    store.save_analyses([first, ArticleAnalysis(article_id="a2")])
    assert store.get_analyses() == {"a1": first, "a2": ArticleAnalysis(article_id="a2")}
    updated = first.model_copy(update={"language": "es"})
    store.save_analyses([updated])
    assert store.get_analyses(["a1"]) == {"a1": updated}
    assert store.counts()["analyses"] == 2


def test_saving_an_analysis_of_an_unknown_article_is_a_clear_error(store: Store) -> None:
    with pytest.raises(CrosswireError, match="article 'nope' is not in the database"):
        store.save_analyses([ArticleAnalysis(article_id="nope")])


def _story(sid: str, ids: list[str]) -> Story:
    return Story(
        id=sid,
        title=f"Story {sid}",
        article_ids=ids,
        outlets=len(ids),
        claims=[
            Claim(
                id="c1",
                text="Something happened.",
                sources=[ClaimSource(article_id=ids[0], sentence="Something happened.")],
                outlets=1,
                status="single_source",
            )
        ],
    )


def test_stories_round_trip_in_order_and_are_replaced(store: Store) -> None:
    store.add_articles([_article(f"a{i}", f"Text {i}.") for i in range(4)])
    stories = [_story("s10", ["a0", "a1"]), _story("s2", ["a2", "a3"])]
    store.save_stories(stories, {"a1": "a0"})
    assert store.get_stories() == stories
    assert store.story_of("a3") == "s2"
    assert store.story_of("missing") is None
    assert store.duplicates() == {"a1": "a0"}
    assert store.counts() == {"articles": 4, "analyses": 0, "stories": 2, "story_articles": 4}

    store.save_stories([_story("s1", ["a0", "a1", "a2"])], {})
    assert [s.id for s in store.get_stories()] == ["s1"]
    assert store.story_of("a3") is None
    assert store.duplicates() == {}


def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path: Path) -> None:
    with Store(str(tmp_path / "x.db")) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 1000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_plain_path_creates_folders_and_url_works_too(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "x.db"
    with Store(str(path)) as s:
        s.add_articles([_article("a1", "One.")])
    assert path.exists()
    with Store(f"sqlite:///{path}") as s:
        assert [a.id for a in s.get_articles()] == ["a1"]


def test_schema_is_in_one_metadata_and_created_when_missing(store: Store) -> None:
    expected = {"articles", "analyses", "stories", "story_articles", "meta"}
    expected |= {"feeds", "feed_entries"}  # crosswire watch
    assert set(metadata.tables) == expected
    # alembic_version: the migrations that built it (tests/test_migrations.py)
    assert set(inspect(store.engine).get_table_names()) == expected | {"alembic_version"}


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("nosuchdialect://host/db", "nosuchdialect"),
        ("not a url://", "not a url://"),
    ],
)
def test_bad_url_raises_clear_error(url: str, fragment: str) -> None:
    with pytest.raises(CrosswireError, match="cannot open database") as info:
        Store(url)
    assert fragment in str(info.value)


def test_unopenable_sqlite_file_raises_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "is-a-folder"
    folder.mkdir()
    with pytest.raises(CrosswireError, match="cannot open database"):
        Store(str(folder))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CrosswireError, match="cannot open database"):
        Store(str(blocker / "sub" / "x.db"))


def test_error_message_hides_the_password() -> None:
    # Nothing listens on port 1, so the connection is refused at once.
    with pytest.raises(CrosswireError, match="cannot open database") as info:
        Store("postgresql://user:s3cret@127.0.0.1:1/db")
    assert "s3cret" not in str(info.value)


def _emptied(store: Store) -> Store:
    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    return store


# One database for all examples (emptied before each): a new PostgreSQL one each is slow.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["x", "y", "z", "w"])),
        max_size=8,
    )
)
def test_any_batch_added_twice_stores_each_content_once(
    store: Store, pairs: list[tuple[str, str]]
) -> None:
    arts = [_article(aid, text, title="T") for aid, text in pairs]
    s = _emptied(store)
    first = s.add_articles(arts)
    assert s.add_articles(arts) == []
    assert len(first) == len({a.content_hash for a in arts})
    stored = s.get_articles()
    assert len({a.id for a in stored}) == len(stored) == len(first)


EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples" / "maduro-trump-call"


@pytest.mark.shared
def test_real_articles_are_stored_once_with_their_text(store: Store) -> None:
    if not (EXAMPLES / "manifest.jsonl").exists():
        pytest.skip(f"example corpus not found at {EXAMPLES}")
    rows = [json.loads(ln) for ln in (EXAMPLES / "manifest.jsonl").read_text().splitlines() if ln]
    arts = [
        _article(
            row["file"],
            (EXAMPLES / row["file"]).read_text(encoding="utf-8"),
            source=row["source"],
            published=date.fromisoformat(row["published"]),
        )
        for row in rows
    ]
    assert len(store.add_articles(arts)) == len(arts) == 5
    assert store.add_articles(arts) == []
    assert sorted(store.get_articles(), key=lambda a: a.id) == sorted(arts, key=lambda a: a.id)


def test_meta_values_round_trip_and_are_replaced(store: Store) -> None:
    assert store.get_meta("story_index") is None
    store.set_meta("story_index", b"\x00first")
    store.set_meta("story_index", b"\x00second")
    store.set_meta("other", b"")
    assert store.get_meta("story_index") == b"\x00second"
    assert store.get_meta("other") == b""


def test_bare_postgresql_urls_use_psycopg_3() -> None:
    from crosswire.store.engine import to_url

    assert to_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert to_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert to_url("postgresql+psycopg2://u@h/db").drivername == "postgresql+psycopg2"


def test_timestamps_read_back_as_aware_utc(store: Store) -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from crosswire.store.tables import MetaRow

    store.set_meta("k", b"v")
    with store.engine.connect() as conn:
        stamp = conn.execute(select(MetaRow.updated_at)).scalar_one()
    assert stamp.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - stamp) < timedelta(minutes=5)
    # another offset is stored as the same instant
    plus2 = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    with store.engine.begin() as conn:
        conn.execute(MetaRow.__table__.update().values(updated_at=plus2))
        assert conn.execute(select(MetaRow.updated_at)).scalar_one() == plus2


def test_save_run_is_all_or_nothing(store: Store) -> None:
    store.add_articles([_article("a1", "One."), _article("a2", "Two.")])
    store.save_stories([_story("s1", ["a1"])], {})
    store.set_meta("story_index", b"before")
    with pytest.raises(CrosswireError, match="'ghost' is not in the database"):
        store.save_run(
            [ArticleAnalysis(article_id="a1")],
            [_story("s2", ["a1", "a2"]), _story("s3", ["ghost"])],
            {},
            {"story_index": b"after"},
        )
    assert store.get_analyses() == {}
    assert [s.id for s in store.get_stories()] == ["s1"]
    assert store.get_meta("story_index") == b"before"


def test_save_run_saves_nothing_when_another_run_saved_first(store: Store) -> None:
    store.add_articles([_article("a1", "One.")])
    saved = store.get_meta("story_index")
    store.set_meta("story_index", b"other run")  # another process, meanwhile
    done = store.save_run(
        [ArticleAnalysis(article_id="a1")],
        [_story("s1", ["a1"])],
        {},
        {"story_index": b"mine"},
        unchanged={"story_index": saved},
    )
    assert done is False
    assert store.get_meta("story_index") == b"other run"
    assert store.counts()["stories"] == store.counts()["analyses"] == 0
    assert store.save_run(
        [ArticleAnalysis(article_id="a1")],
        [_story("s1", ["a1"])],
        {},
        {"story_index": b"mine"},
        unchanged={"story_index": b"other run"},
    )
    assert store.get_meta("story_index") == b"mine" and store.story_of("a1") == "s1"


def test_concurrent_writers_store_each_article_once(db_url: str) -> None:
    # Each thread has its own Store (engine, connections), as separate processes would.
    # Without the write lock, two "insert if absent" transactions both find a text absent
    # and the second fails on the unique content hash (PostgreSQL) or on a stale snapshot
    # (SQLite).
    import threading

    Store(db_url).close()  # migrated before the race
    batches = [
        [_article(f"a{i}", f"Text {i}.") for i in range(start, start + 20)]
        for start in (0, 10, 5, 15)
    ]
    barrier = threading.Barrier(len(batches))
    failures: list[BaseException] = []
    added: list[list[Article]] = []

    def write(batch: list[Article]) -> None:
        try:
            with Store(db_url) as s:
                barrier.wait()
                for article in batch:  # many small transactions, interleaved
                    added.append(s.add_articles([article]))
                    s.set_meta("last", article.id.encode())
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failures == []
    with Store(db_url) as s:
        assert sorted(a.id for a in s.get_articles()) == sorted(f"a{i}" for i in range(35))
    assert sum(len(a) for a in added) == 35


def test_ids_longer_than_the_column_are_shortened_alike_on_every_backend(store: Store) -> None:
    from crosswire.store.tables import ID_LENGTH

    long_id = "feed-" + "x" * 400
    (stored,) = store.add_articles([_article(long_id, "Long one.")])
    assert len(stored.id) == ID_LENGTH and stored.id.startswith("feed-xxx")
    assert [a.id for a in store.get_articles()] == [stored.id]
    assert store.add_articles([_article(long_id, "Long one.")]) == []
    # the same long id with other content: a free id that still fits
    (other,) = store.add_articles([_article(long_id, "Another text.")])
    assert len(other.id) <= ID_LENGTH and other.id != stored.id
    store.save_stories([_story("s1", [stored.id, other.id])], {other.id: stored.id})
    assert store.duplicates() == {other.id: stored.id}


def test_a_missing_database_driver_says_what_to_install() -> None:
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("psycopg2 is installed here, so no driver is missing")
    with pytest.raises(CrosswireError, match=r"crosswire\[postgres\]"):
        Store("postgresql+psycopg2://user@127.0.0.1:1/db")
