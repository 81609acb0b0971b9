"""The story index's time window (`Options.story_window_days`): memory bounded on a long stream,
the same stories as without it on a stream in publication order."""

from __future__ import annotations

import pickle
import random
import zlib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.models import Article, ArticleAnalysis, ArticleEntity, EntityMention, StoryGroup
from crosswire.options import Options
from crosswire.pipeline import _stored_index
from crosswire.stories import StoryIndex, prepare_articles, window
from crosswire.stories.postings import Postings
from crosswire.stories.window import RETIRED

START = date(2025, 1, 1)
WINDOW = 30
PER_DAY = 10
CHUNK = 40

_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


def _stream(n: int, seed: int = 7) -> tuple[list[Article], dict[str, ArticleAnalysis]]:
    """`n` small articles, about PER_DAY a day, in publication order: events of one to eight
    articles over up to three days, each with its own words and names; a few names recur
    across events (so stories link across them) and one event in ten reuses an earlier
    event's words and names on a day of its own (mostly months away, sometimes within
    `story_max_days`); about one article in eight is a copy (one word changed, a credit line
    added) of an earlier one of its event."""
    rng = random.Random(seed)
    common = [_word(rng, 2) for _ in range(400)]
    recurring = [f"{_word(rng, 2).title()} {_word(rng, 3).title()}" for _ in range(30)]
    outlets = [f"{_word(rng, 2).title()} Post" for _ in range(25)]
    rows: list[tuple[date, str, str, str, list[str]]] = []  # day, source, title, text, names
    events: list[tuple[list[str], list[str]]] = []
    days = n // PER_DAY
    while len(rows) < n:
        if events and rng.random() < 0.1:  # the same topic again, another day
            words, names = rng.choice(events[-60:])
        else:
            words = [_word(rng, 3) for _ in range(25)]
            names = [f"{_word(rng, 2).title()} {_word(rng, 3).title()}" for _ in range(2)]
            names.append(rng.choice(recurring))
            events.append((words, names))
        day = START + timedelta(days=rng.randrange(days))
        made: list[tuple[date, str, str, str, list[str]]] = []
        for _ in range(min(n - len(rows), 1 + int(rng.paretovariate(1.5)) % 8)):
            published = day + timedelta(days=rng.randrange(3))
            source = rng.choice(outlets)
            if made and rng.random() < 0.15:
                _, theirs, title, text, _ = rng.choice(made)
                tokens = text.split()
                tokens[rng.randrange(len(tokens))] = rng.choice(common)
                text = f"({theirs}) " + " ".join(tokens)
            else:
                tokens = rng.sample(words, 12) + rng.sample(common, 30)
                tokens += [n for n in names if rng.random() < 0.8]
                rng.shuffle(tokens)
                text = " ".join(tokens) + "."
                title = " ".join(tokens[:6])
            row = (published, source, title, text, names)
            made.append(row)
            rows.append(row)
    rows.sort(key=lambda r: r[0])  # publication order (ids follow it)
    articles, analyses = [], {}
    for k, (published, source, title, text, names) in enumerate(rows):
        aid = f"w{k:05d}"
        articles.append(Article(id=aid, source=source, published=published, title=title, text=text))
        mention = EntityMention(text="", sentence=0, start=0, end=0)
        analyses[aid] = ArticleAnalysis(
            article_id=aid,
            entities=[
                ArticleEntity(name=name, type="PERSON", mentions=[mention] * text.count(name))
                for name in names
                if name in text
            ],
        )
    return articles, analyses


def _chunks(articles: list[Article]) -> Iterator[list[Article]]:
    for start in range(0, len(articles), CHUNK):
        yield articles[start : start + CHUNK]


def _filed(
    articles: list[Article], analyses: dict[str, ArticleAnalysis], options: Options
) -> StoryIndex:
    index = StoryIndex(options)
    for chunk in _chunks(articles):
        index.add(chunk, analyses)
    return index


@pytest.fixture(scope="module")
def stream() -> tuple[list[Article], dict[str, ArticleAnalysis]]:
    return _stream(3000)


@pytest.fixture(scope="module")
def unwindowed(stream: tuple[list[Article], dict[str, ArticleAnalysis]]) -> StoryIndex:
    return _filed(*stream, Options())


@pytest.fixture(scope="module")
def windowed(stream: tuple[list[Article], dict[str, ArticleAnalysis]]) -> StoryIndex:
    return _filed(*stream, Options(story_window_days=WINDOW))


def _held(index: StoryIndex) -> dict[str, int]:
    return {k: v for k, v in index.footprint().items() if k != "articles"}


# A window of 30 days, swept every 3, holds about 33 days of the stream's 10 articles a day;
# half as much again allows for the spread of a day's count. Signature rows are cut only once
# the retired ones outnumber the live ones: twice that.
LIVE_SHARE = 1.5 * (WINDOW + 3) * PER_DAY / 3000


def _bound(kind: str) -> float:
    return (2 if kind == "signature_rows" else 1) * LIVE_SHARE


def test_in_order_stream_gives_the_same_stories_copies_and_merges_with_a_window(
    unwindowed: StoryIndex, windowed: StoryIndex
) -> None:
    assert windowed.groups() == unwindowed.groups()
    assert windowed.duplicates() == unwindowed.duplicates()
    assert windowed.merges == unwindowed.merges
    assert windowed.late == unwindowed.late == 0
    # the stream is worth the comparison: stories of several articles, copies, merges
    assert sum(len(g.article_ids) > 2 for g in windowed.groups()) > 100
    assert len(windowed.duplicates()) > 100
    assert windowed.merges
    # names count as rare by how many articles ever held them, retired ones included
    keys = np.arange(len(unwindowed._name_ids), dtype=np.uint64)
    held_names = windowed._name_postings.query(keys, 0)[3]
    assert held_names.tolist() == unwindowed._name_postings.query(keys, 0)[3].tolist()
    # and the retired articles' features did go
    everything, held = unwindowed.footprint(), windowed.footprint()
    for kind in _held(windowed):
        assert 0 < held[kind] <= _bound(kind) * everything[kind], kind


def test_articles_late_by_less_than_the_window_minus_story_days_give_the_same_stories(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = stream
    # one article in ten arrives as late as it may: every article it could share a story with
    # (published at most story_max_days from it) is still live
    delay = WINDOW - Options().story_max_days - 1
    late = {a.id for a in articles[::10]}
    arrival = sorted(
        articles,
        key=lambda a: (a.published or START) + timedelta(days=delay if a.id in late else 0),
    )
    unwindowed = _filed(arrival, analyses, Options())
    windowed = _filed(arrival, analyses, Options(story_window_days=WINDOW))
    assert windowed.late == 0
    assert windowed.groups() == unwindowed.groups()
    assert windowed.duplicates() == unwindowed.duplicates()
    assert windowed.merges == unwindowed.merges
    assert windowed.footprint()["live"] <= 1.5 * (WINDOW + 3) * PER_DAY


def test_window_keeps_what_the_index_holds_flat_as_a_long_stream_grows(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]], unwindowed: StoryIndex
) -> None:
    articles, analyses = stream
    index = StoryIndex(Options(story_window_days=WINDOW))
    most: dict[str, int] = {}
    for chunk in _chunks(articles):
        index.add(chunk, analyses)
        if len(index) > len(articles) // 2:  # well past the warm-up (1,000 originals)
            for kind, count in _held(index).items():
                most[kind] = max(most.get(kind, 0), count)
    everything = unwindowed.footprint()
    for kind, count in most.items():
        assert count <= _bound(kind) * everything[kind], kind
    assert most["live"] <= 1.5 * (WINDOW + 3) * PER_DAY


def test_undated_articles_are_retired_a_window_after_they_were_filed(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = stream
    undated = {a.id for a in articles[::10]}
    given = [a.model_copy(update={"published": None}) if a.id in undated else a for a in articles]
    index = _filed(given, analyses, Options(story_window_days=WINDOW))
    assert index.late == 0
    filed = sorted(a for g in index.groups() for a in g.article_ids)
    assert filed == sorted(a.id for a in articles)
    live = index._stamp[index._low : len(index)] != RETIRED
    numbers = [index._number[a] for a in sorted(undated)]
    kept = [n for n in numbers if n >= index._low and live[n - index._low]]
    assert 0 < len(kept) <= 1.5 * (WINDOW + 3) * PER_DAY / 10  # the last window's only
    assert index.footprint()["live"] <= 1.5 * (WINDOW + 3) * PER_DAY


def test_what_late_articles_find_does_not_depend_on_when_retired_ones_are_swept(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]], monkeypatch: pytest.MonkeyPatch
) -> None:
    articles, analyses = stream
    # one article in twenty (and its copies' originals with it) arrives 40 days late
    late = {a.id for a in articles[1200::20]}
    arrival = sorted(
        articles,
        key=lambda a: (a.published or START) + timedelta(days=40 if a.id in late else 0),
    )
    options = Options(story_window_days=WINDOW)
    sweeps: list[int] = []
    sweep = StoryIndex._sweep

    def counted(index: StoryIndex, horizon: int) -> None:
        sweeps.append(horizon)
        sweep(index, horizon)

    monkeypatch.setattr(StoryIndex, "_sweep", counted)
    often = _filed(arrival, analyses, options)
    swept_often = sweeps[:]
    sweeps.clear()
    monkeypatch.setattr(window, "SWEEP_DAYS_SHARE", 0.5)
    seldom = _filed(arrival, analyses, options)
    assert len(sweeps) < len(swept_often) // 2  # they did come at other times
    assert often.late == seldom.late > 0
    assert often.groups() == seldom.groups()
    assert often.duplicates() == seldom.duplicates()


def _shuffled_rewrite(article: Article, aid: str) -> Article:
    """The same words in another order: not a copy (other shingles), the same story."""
    words = article.text.rstrip(".").split()
    random.Random(3).shuffle(words)
    return article.model_copy(update={"id": aid, "text": " ".join(words) + "."})


def test_late_article_is_filed_against_live_articles_and_counted(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
    unwindowed: StoryIndex,
    windowed: StoryIndex,
) -> None:
    articles, analyses = stream
    copies = unwindowed.duplicates()
    big = {a for g in unwindowed.groups() if len(g.article_ids) > 2 for a in g.article_ids}
    old = next(a for a in articles[100:] if a.id in big and a.id not in copies)  # day 10 or so
    late = _shuffled_rewrite(old, "late-1")
    given = {**analyses, late.id: analyses[old.id].model_copy(update={"article_id": late.id})}
    kept = StoryIndex.from_bytes(unwindowed.to_bytes())
    kept.add([late], given)
    assert kept.story_of(late.id) == kept.story_of(old.id)  # joins its story without a window
    assert late.id not in kept.duplicates()

    index = StoryIndex.from_bytes(windowed.to_bytes())
    index.add([late], given)
    assert index.late == 1
    assert late.id in index
    assert index.story_of(late.id) not in (None, index.story_of(old.id))  # a story of its own
    assert len(index.groups()) == len(windowed.groups()) + 1


def test_index_saved_mid_stream_with_retired_articles_goes_on_as_if_never_saved(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]], windowed: StoryIndex
) -> None:
    articles, analyses = stream
    options = Options(story_window_days=WINDOW)
    chunks = list(_chunks(articles))
    index = StoryIndex(options)
    for chunk in chunks[: 2 * len(chunks) // 3]:
        index.add(chunk, analyses)
    assert index.footprint()["live"] < len(index) // 2  # it does hold retired articles
    restored = StoryIndex.from_bytes(index.to_bytes())
    assert restored.options.story_window_days == WINDOW
    assert restored.footprint() == index.footprint()
    assert restored.groups() == index.groups()
    for chunk in chunks[2 * len(chunks) // 3 :]:
        restored.add(chunk, analyses)
    assert restored.groups() == windowed.groups()
    assert restored.duplicates() == windowed.duplicates()
    assert restored.merges == windowed.merges
    assert restored.footprint() == windowed.footprint()
    assert _state(restored) == _state(windowed)
    with pytest.raises(ValueError, match="other story options"):
        StoryIndex.from_bytes(index.to_bytes(), Options())


def test_purged_postings_still_count_toward_how_many_a_key_was_given() -> None:
    postings = Postings(count_purged=True)
    none = np.zeros(4, np.float32)
    postings.add(np.array([5, 5, 5, 7], np.uint64), np.arange(4), none)
    postings.add(np.array([5], np.uint64), np.array([4]), none[:1])
    postings.purge(np.array([False, False, True, True, True]))
    postings.purge(np.array([False, False, False, True, True]))
    for kept in (postings, Postings.from_state(postings.state(), count_purged=True)):
        ids, _, which, held = kept.query(np.array([5, 7, 9], np.uint64), 10)
        assert ids[which == 0].tolist() == [4]
        assert ids[which == 1].tolist() == [3]
        assert held.tolist() == [4, 1, 0]
        assert len(kept) == 2


def test_stored_index_serves_again_only_under_the_same_window(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = stream
    index = StoryIndex(Options(story_window_days=WINDOW))
    index.add(articles[:50], analyses)
    data = index.to_bytes()
    assert len(_stored_index(data, articles[:50], Options(story_window_days=WINDOW))) == 50
    for other in (Options(), Options(story_window_days=WINDOW + 1)):
        assert len(_stored_index(data, articles[:50], other)) == 0  # a new one, refilled


def _state(index: StoryIndex) -> object:
    """What the index saves (its bytes may differ where the pickle shares equal strings)."""
    return pickle.loads(zlib.decompress(index.to_bytes()))


@pytest.mark.parametrize(("window", "max_days"), [(10, 10), (5, 10), (30, 40)])
def test_window_not_longer_than_a_story_may_span_is_refused(window: int, max_days: int) -> None:
    with pytest.raises(ValueError, match="must be longer than story_max_days"):
        Options(story_window_days=window, story_max_days=max_days)


def test_index_of_the_format_before_the_window_is_refused() -> None:
    state = pickle.loads(zlib.decompress(StoryIndex().to_bytes()))
    state["format"] = 1
    with pytest.raises(ValueError, match="another format version"):
        StoryIndex.from_bytes(zlib.compress(pickle.dumps(state)))


def test_cli_refuses_a_window_not_longer_than_a_story_may_span(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Title\n\nSome text of an article.", encoding="utf-8")
    args = ["analyze", str(source), "--no-db", "--quiet", "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, [*args, "--story-window-days", "10"])
    assert result.exit_code == 2
    assert "must be longer than story_max_days" in result.output


def test_retired_articles_keep_credit_lines_only_as_copy_group_members() -> None:
    """A copy group's later member counts credits against every member; nothing else needs a
    retired article's outlet or credit lines (as written or case-folded)."""
    rng = random.Random(3)
    start = date(2025, 1, 1)
    articles = [
        Article(
            id=f"c{k:04d}",
            source="Kessa Times",
            published=start + timedelta(days=k // 10),
            text="(Veldara Press Agency) — " + " ".join(_word(rng, 3) for _ in range(60)),
        )
        for k in range(1500)
    ]
    index = StoryIndex(Options(story_window_days=WINDOW))
    for chunk in _chunks(articles):
        index.add(chunk, {})
    copies = index._copy_index
    members = {m for group in copies.group.values() for m in group}
    retired = [n for n in range(index._low) if n not in members]
    assert len(retired) > 1000
    assert not any(copies.sources[n] or copies.credit[n] or copies.folded[n] for n in retired)


def _filed_in_bulk(
    articles: list[Article],
    analyses: dict[str, ArticleAnalysis],
    options: Options,
    report_every: int = 0,
) -> tuple[StoryIndex, list[tuple[list[str], list[StoryGroup]]]]:
    """File like `_filed`, but with report=False except every `report_every`-th chunk; return
    the index and, for each report, the articles filed since the one before and what it gave."""
    index = StoryIndex(options)
    reports: list[tuple[list[str], list[StoryGroup]]] = []
    since: list[str] = []
    for k, chunk in enumerate(_chunks(articles), 1):
        report = report_every > 0 and k % report_every == 0
        given = index.add_prepared(prepare_articles(chunk, analyses, options), report=report)
        since += [a.id for a in chunk]
        if report:
            now = {g.id: g for g in index.groups()}
            assert all(now[g.id] == g for g in given)  # as the stories are at the report
            reports.append((since, given))
            since = []
        else:
            assert given == []
    return index, reports


@pytest.mark.parametrize("window", [None, WINDOW])
def test_filing_without_reports_gives_the_same_stories_and_copies(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
    unwindowed: StoryIndex,
    windowed: StoryIndex,
    window: int | None,
) -> None:
    reference = unwindowed if window is None else windowed
    bulk, _ = _filed_in_bulk(*stream, Options(story_window_days=window))
    assert bulk.groups() == reference.groups()
    assert bulk.duplicates() == reference.duplicates()


def test_add_without_report_files_the_same_stories_and_returns_none(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]], unwindowed: StoryIndex
) -> None:
    articles, analyses = stream
    index = StoryIndex(Options())
    for chunk in _chunks(articles):
        assert index.add(chunk, analyses, report=False) == []
    assert index.groups() == unwindowed.groups()
    assert index.duplicates() == unwindowed.duplicates()


_READERS = {
    "groups": lambda index, last: [g.article_ids for g in index.groups()],
    "story_of": lambda index, last: index.story_of(last),
    "merges": lambda index, last: index.merges,
    "to_bytes": lambda index, last: StoryIndex.from_bytes(index.to_bytes()).story_of(last),
}


@pytest.mark.parametrize("reader", sorted(_READERS))
def test_every_reader_of_stories_regroups_what_was_filed_without_report_first(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]], reader: str
) -> None:
    articles, analyses = stream
    head, tail = articles[:1400], articles[1400:1440]
    reported, _ = _filed_in_bulk(head, analyses, Options(), report_every=1)
    reported.add(tail, analyses)
    bulk, _ = _filed_in_bulk(head, analyses, Options(), report_every=1)
    bulk.add_prepared(prepare_articles(tail, analyses, Options()), report=False)
    assert bulk._pending  # not regrouped yet...
    read = _READERS[reader]
    assert read(bulk, tail[-1].id) == read(reported, tail[-1].id)
    assert not bulk._pending  # ...until read


@pytest.mark.parametrize("window", [None, WINDOW])
def test_a_report_after_bulk_filing_gives_every_story_changed_since_the_last(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]], window: int | None
) -> None:
    options = Options(story_window_days=window)
    _, reports = _filed_in_bulk(*stream, options, report_every=7)
    assert len(reports) == len(stream[0]) // CHUNK // 7
    for since, given in reports:
        covered = {a for group in given for a in group.article_ids}
        assert set(since) <= covered  # each article filed since is in a story reported


def test_bulk_filed_index_saved_before_a_report_still_reports_what_it_filed(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = stream
    index, _ = _filed_in_bulk(articles[:1600], analyses, Options())
    index.add_prepared(prepare_articles(articles[1600:1640], analyses, Options()))
    quiet = articles[1640:1720]
    index.add_prepared(prepare_articles(quiet, analyses, Options()), report=False)
    again = StoryIndex.from_bytes(index.to_bytes(), Options())
    given = again.add_prepared([])  # nothing new: a report of what was filed quietly
    assert {a.id for a in quiet} <= {a for g in given for a in g.article_ids}
    assert again.add_prepared([]) == []  # reported once


# --------------------------------------------------------------------------- release


def _filed_releasing(
    articles: list[Article], analyses: dict[str, ArticleAnalysis], options: Options
) -> tuple[StoryIndex, list[StoryGroup], list[int]]:
    """File like `_filed`, calling `release` after each chunk; return the index, the stories
    released, and how many articles the index held after each chunk."""
    index = StoryIndex(options)
    released: list[StoryGroup] = []
    held = []
    for chunk in _chunks(articles):
        index.add(chunk, analyses)
        released += index.release()
        held.append(len(index))
        # the next sweep is due by articles filed since the last: counted among those held
        assert index._swept[1] <= len(index)
    return index, released, held


@pytest.fixture()
def release_early(monkeypatch: pytest.MonkeyPatch) -> None:
    # the tests' stream is small: release whatever can go, at every sweep
    monkeypatch.setattr(window, "RELEASE_MIN", 1)
    monkeypatch.setattr(window, "RELEASE_SHARE", 0.0)


@pytest.mark.usefixtures("release_early")
def test_released_stories_and_those_still_held_are_every_story_with_its_copies(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]], windowed: StoryIndex
) -> None:
    articles, _ = stream
    index, released, _ = _filed_releasing(*stream, Options(story_window_days=WINDOW))
    assert len(released) > 100  # it did release, many times
    assert index.released == sum(len(g.article_ids) for g in released)
    assert len(index) + index.released == len(articles)
    held = index.groups()
    assert len({g.id for g in released + held}) == len(released) + len(held)
    assert {g.id: g for g in released + held} == {g.id: g for g in windowed.groups()}
    copies = {c: o for g in released for c, o in g.duplicate_of.items()}
    assert copies | index.duplicates() == windowed.duplicates()
    assert any(g.duplicate_of for g in released)
    # merges of stories still held are those without releasing
    assert all(windowed.merges[k] == v for k, v in index.merges.items())
    # what the window bounds is the same; only the released articles went
    assert index.footprint() | {"articles": 0, "signature_rows": 0} == windowed.footprint() | {
        "articles": 0,
        "signature_rows": 0,
    }
    gone = released[0].article_ids[0]
    assert gone not in index and index.story_of(gone) is None


@pytest.mark.usefixtures("release_early")
def test_releasing_keeps_the_articles_held_flat_as_a_long_stream_grows(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = _stream(6000)
    _, _, held = _filed_releasing(articles, analyses, Options(story_window_days=WINDOW))
    quarter = len(held) // 4
    second, last = max(held[quarter : 2 * quarter]), max(held[3 * quarter :])
    # about twice what the window holds live (33 days of 10 a day), however long the stream
    assert last <= 1.25 * second
    assert last <= 2 * 1.5 * (WINDOW + 3) * PER_DAY * 2


@pytest.mark.usefixtures("release_early")
def test_index_saved_after_a_release_goes_on_as_if_never_saved(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = stream
    options = Options(story_window_days=WINDOW)
    chunks = list(_chunks(articles))
    cut = 2 * len(chunks) // 3
    index, _, _ = _filed_releasing([a for c in chunks[:cut] for a in c], analyses, options)
    assert index.released
    restored = StoryIndex.from_bytes(index.to_bytes(), options)
    assert restored.released == index.released
    for chunk in chunks[cut:]:
        index.add(chunk, analyses)
        restored.add(chunk, analyses)
        assert restored.release() == index.release()
    assert restored.groups() == index.groups()
    assert restored.duplicates() == index.duplicates()
    assert _state(restored) == _state(index)


def test_nothing_is_released_without_a_window_or_before_enough_can_go(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = stream
    unwindowed, released, _ = _filed_releasing(articles, analyses, Options())
    assert released == [] and unwindowed.released == 0
    # with the window but the default minimum (more than this stream holds): not yet
    windowed, released, _ = _filed_releasing(articles, analyses, Options(story_window_days=WINDOW))
    assert released == [] and len(windowed) == len(articles)


@pytest.mark.usefixtures("release_early")
def test_an_article_filed_again_after_its_release_is_filed_as_new(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = stream
    index, released, _ = _filed_releasing(*stream, Options(story_window_days=WINDOW))
    again = next(a for a in articles if a.id == released[0].article_ids[0])
    before = len(index)
    index.add([again], analyses)
    assert len(index) == before + 1 and index.story_of(again.id) is not None


def _planted(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> tuple[list[Article], dict[str, ArticleAnalysis]]:
    """The stream with three copy groups that keep a frozen story from being released early
    (days from day 100 of the stream):
    - a copy (day 20) of two originals 15 days apart (days 0 and 15), which bridges their
      groups but not their stories: the first story is frozen and retired (day 50 on) while
      the group's other story is not yet (day 55);
    - the other way round: an original published on day -12 arrives on day 5, after the
      first-filed member of its copy group (day 0, with a copy of both on day 6): its story
      is frozen and retired on day 28, while that of the group's first-filed member (its
      root) is not until day 40;
    - a copy (day 25) of an article of day 0: that story is frozen from day 40 on, while its
      copy is live until day 55; a copy of the copy comes on day 50."""
    rng = random.Random(3)
    p, q, r, x = ([_word(rng, 4) for _ in range(n)] for n in (40, 80, 40, 120))
    s, t, u = ([_word(rng, 4) for _ in range(n)] for n in (40, 80, 40))
    day = START + timedelta(days=100)
    planted = [  # id, day it arrives, day it is published, words
        ("pa", 0, 0, p + q),
        ("pe", 15, 15, q + r),
        ("pc", 20, 20, p[20:] + q + r[:20]),
        ("ra", 0, 0, s + t),
        ("re", 5, -12, t + u),
        ("rc", 6, 6, s[20:] + t + u[:20]),
        ("xa", 0, 0, x),
        ("xb", 25, 25, [*x[:60], "changed", *x[61:]]),
        ("xd", 50, 50, [*x[:60], "changed", *x[61:90], "again", *x[91:]]),
    ]
    articles, analyses = stream
    arrival = {a.id: a.published or START for a in articles}
    extra = []
    for aid, arrives, published, words in planted:
        extra.append(
            Article(
                id=aid,
                source=f"Planted {aid}",
                published=day + timedelta(days=published),
                text=" ".join(words),
            )
        )
        arrival[aid] = day + timedelta(days=arrives)
    merged = sorted([*articles, *extra], key=lambda a: arrival[a.id])
    return merged, {**analyses, **{a.id: ArticleAnalysis(article_id=a.id) for a in extra}}


@pytest.mark.usefixtures("release_early")
def test_a_story_is_released_only_with_its_copies_retired_and_its_copy_groups_whole(
    stream: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = _planted(stream)
    # the planted days are laid out for stories of at most 10 days (the day -12 original
    # must not share a story with the day 0 one)
    options = Options(story_window_days=WINDOW, story_max_days=10)
    reference = _filed(articles, analyses, options)
    copies = reference.duplicates()
    assert copies["pc"] == copies["pe"] == "pa" and reference.story_of("pe") != reference.story_of(
        "pa"
    )
    assert copies["xb"] == copies["xd"] == "xa" and reference.story_of("xd") == reference.story_of(
        "xa"
    )
    # the earliest published is the original; "ra", filed first, the group's root
    assert copies["rc"] == copies["ra"] == "re" and reference.story_of("re") != reference.story_of(
        "ra"
    )
    assert reference.story_of("rc") == reference.story_of("ra") and reference.late == 0
    index, released, _ = _filed_releasing(articles, analyses, options)
    held = index.groups()
    assert {g.id: g for g in released + held} == {g.id: g for g in reference.groups()}
    assert {
        c: o for g in released for c, o in g.duplicate_of.items()
    } | index.duplicates() == copies
