"""End to end: the bundled corpus and the real example, against what they were written to hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.models import Report, Story
from crosswire.options import Options
from crosswire.pipeline import analyze
from crosswire.report import validate_report, write_reports

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "harbour-fire"
MADURO = ROOT.parent / "shared" / "examples" / "maduro-trump-call"
GOLD = json.loads((DEMO / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo() -> Report:
    return analyze([DEMO])


@pytest.fixture(scope="module")
def maduro() -> Report:
    if not MADURO.exists():
        pytest.skip(f"real example corpus absent: {MADURO}")
    return analyze([MADURO])


def _fire(report: Report) -> Story:
    return max(report.stories, key=lambda s: len(s.article_ids))


def test_demo_groups_the_fire_and_leaves_the_football_match_alone(demo: Report) -> None:
    fire = _fire(demo)
    gold_fire = set(GOLD["stories"][0]["article_ids"]) | set(GOLD["duplicates"])
    assert set(fire.article_ids) == gold_fire
    assert len(demo.stories) == 2
    assert fire.outlets == 6  # the syndicated copy counts once


def test_demo_syndicated_copy_is_linked_to_its_wire_original(demo: Report) -> None:
    marked = {a.id: a.duplicate_of for a in demo.articles if a.duplicate_of}
    assert set(marked.items()) == set(GOLD["duplicates"].items()) or set(marked) | set(
        marked.values()
    ) == set(GOLD["duplicates"]) | set(GOLD["duplicates"].values())


def test_demo_finds_the_death_toll_conflict_with_bounds_respected(demo: Report) -> None:
    numbers = [c for c in _fire(demo).conflicts if c.kind == "number"]
    assert len(numbers) == 1
    values = {v.normalized for v in numbers[0].values}
    assert {9.0, 12.0} <= values  # 12 against 9
    clarion = next(v for v in numbers[0].values if v.normalized == 9.0)
    assert clarion.article_ids == ["daily-clarion"]


def test_demo_finds_the_date_of_the_fire_disputed(demo: Report) -> None:
    dates = [c for c in _fire(demo).conflicts if c.kind == "date"]
    assert dates, "the Courier dates the fire to 11 March, the others to 10 March"
    values = {str(v.normalized) for c in dates for v in c.values}
    assert "2026-03-10" in values and "2026-03-11" in values
    courier = {
        a for c in dates for v in c.values if v.normalized == "2026-03-11" for a in v.article_ids
    }
    assert "north-coast-courier" in courier


def test_demo_finds_mara_quell_called_former_chief(demo: Report) -> None:
    attrs = [c for c in _fire(demo).conflicts if c.kind == "attribute"]
    assert [c.subject for c in attrs] == ["Mara Quell"]
    former = [v for v in attrs[0].values if "former" in str(v.normalized)]
    assert former and former[0].article_ids == ["harbourwatch-blog"]


def test_demo_quote_with_dropped_negation_is_a_conflict(demo: Report) -> None:
    quotes = [c for c in _fire(demo).conflicts if c.kind == "quote"]
    assert len(quotes) == 1 and quotes[0].subject == "Teodor Brask"
    affirmed = [v for v in quotes[0].values if v.normalized == "affirmed"]
    assert [v.article_ids for v in affirmed] == [["lindmark-observer"]]


def test_demo_statement_reworded_without_change_is_one_quote_group(demo: Report) -> None:
    quell = [q for q in _fire(demo).quotes if q.speaker == "Mara Quell" and len(q.variants) > 1]
    assert quell and quell[0].wording_differs
    conflict_subjects = {c.subject for c in _fire(demo).conflicts if c.kind == "quote"}
    assert "Mara Quell" not in conflict_subjects


def test_demo_loaded_term_is_flagged_and_neutralised_in_the_brief(demo: Report) -> None:
    fire = _fire(demo)
    loaded = [f for f in fire.framing if f.loaded]
    assert any("agitator" in f.term.lower() and f.article_id == "daily-clarion" for f in loaded)
    assert not any("agitator" in s.text.lower() for s in fire.summary)


# Claims are whole sentences for now: a sentence that adds one outlet's fact to a widely
# reported one ("Askell said the union had written to Ostrow last week") joins the widely
# reported claim. Splitting claims into clauses is issue 5's work; until then this is a known,
# strict failure rather than a loosened check.
_CLAUSE_LEVEL = pytest.mark.xfail(
    strict=True, reason="sentence-level claims: a single-source clause inside a shared sentence"
)
_NEW_WORDS = pytest.mark.xfail(
    strict=True,
    reason="five words no other outlet uses no longer make a loosely matching sentence "
    "single-source (it called shared facts single-source; compare/facts.py NOVEL_FIGURE)",
)
_MISSED = {"written to Ostrow last week": _CLAUSE_LEVEL, "battery storage bay": _NEW_WORDS}


@pytest.mark.parametrize(
    "fact",
    [pytest.param(f, marks=_MISSED.get(f["contains"], ())) for f in GOLD["single_source"]],
    ids=[f["contains"][:30] for f in GOLD["single_source"]],
)
def test_demo_single_source_facts_are_marked(demo: Report, fact: dict[str, str]) -> None:
    fire = _fire(demo)
    claims = [c for c in fire.claims if any(fact["contains"] in s.sentence for s in c.sources)]
    assert claims, fact
    assert all(c.outlets == 1 for c in claims), fact


def test_demo_furniture_is_removed_and_reported(demo: Report) -> None:
    by_id = {a.id: a for a in demo.articles}
    for aid, lines in GOLD["furniture"].items():
        for line in lines:
            assert line not in by_id[aid].text.splitlines(), (aid, line)


def test_every_brief_sentence_cites_articles_of_its_story(demo: Report) -> None:
    for story in demo.stories:
        assert story.summary
        for sentence in story.summary:
            assert sentence.article_ids
            assert set(sentence.article_ids) <= set(story.article_ids)


def test_timeline_is_sorted_and_holds_the_fire(demo: Report) -> None:
    fire = _fire(demo)
    dates = [e.date for e in fire.timeline]
    assert dates == sorted(dates)
    assert any(e.date.isoformat() == "2026-03-10" for e in fire.timeline)


def test_report_files_validate_against_the_schema(demo: Report, tmp_path: Path) -> None:
    paths = write_reports(demo, tmp_path)
    validate_report(json.loads(paths["json"].read_text(encoding="utf-8")))
    assert "<svg" in paths["html"].read_text(encoding="utf-8")


# db_url: SQLite, then PostgreSQL (tests/conftest.py)
def test_running_twice_with_a_database_adds_nothing_twice(db_url: str) -> None:
    db = db_url
    first = analyze([DEMO], db=db)
    second = analyze([DEMO], db=db)
    assert len(first.articles) == len(second.articles) == 8
    assert [s.article_ids for s in first.stories] == [s.article_ids for s in second.stories]


def test_cli_analyze_writes_reports_and_exits_nonzero_on_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "inputs"
    bad.mkdir()
    (bad / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["analyze", str(DEMO), str(bad), "--out", str(tmp_path / "out"), "--no-db", "--quiet"]
    )
    assert result.exit_code == 1
    assert (tmp_path / "out" / "report.json").exists()
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert len(report["articles"]) == 8
    assert any("broken.jsonl" in e["origin"] for e in report["errors"])


def test_cli_schema_prints_the_report_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert "schema_version" in json.loads(result.stdout)["properties"]


# ---------------------------------------------------------------- the real example


def test_maduro_is_one_story_with_furniture_gone(maduro: Report) -> None:
    assert len(maduro.stories) == 1 and maduro.stories[0].outlets == 5
    texts = "\n".join(a.text for a in maduro.articles)
    for furniture in ("Leave a Reply", "Exit mobile version", "Comments (0)", "Site icon"):
        assert furniture not in texts


def test_maduro_trump_called_former_president_is_an_attribute_conflict(maduro: Report) -> None:
    story = maduro.stories[0]
    attrs = [c for c in story.conflicts if c.kind == "attribute" and "Trump" in c.subject]
    assert attrs
    former = [v for v in attrs[0].values if "former" in str(v.normalized)]
    assert former and "article-000" in former[0].article_ids


def test_maduro_dictator_is_flagged_as_loaded(maduro: Report) -> None:
    story = maduro.stories[0]
    assert any(
        f.loaded and "dictator" in f.term and f.article_id == "article-004" for f in story.framing
    )


def test_maduro_quoted_insult_is_framing_in_the_speakers_voice(maduro: Report) -> None:
    framing = maduro.stories[0].framing
    dictator = [f for f in framing if f.term == "dictator of Venezuela"]
    assert dictator and dictator[0].voice == "outlet" and dictator[0].article_id == "article-004"
    insult = [f for f in framing if f.term == "bitches"]
    assert insult and insult[0].voice == "quoted" and insult[0].speaker == "Donald Trump"
    text = next(a.text for a in maduro.articles if a.id == insult[0].article_id)
    assert text[insult[0].start : insult[0].end] == "bitches"


def test_maduro_trump_quote_in_two_wordings_is_one_statement(maduro: Report) -> None:
    groups = [
        q for q in maduro.stories[0].quotes if q.speaker == "Donald Trump" and len(q.variants) > 1
    ]
    assert any(
        {v.article_id for v in g.variants} >= {"article-000", "article-003"} and g.wording_differs
        for g in groups
    )


def test_maduro_single_outlet_facts_are_single_source(maduro: Report) -> None:
    story = maduro.stories[0]
    deportees = [c for c in story.claims if any("266 deportees" in s.sentence for s in c.sources)]
    assert deportees and all(c.status == "single_source" for c in deportees)


def test_maduro_date_of_the_call_differs_with_overlapping_intervals(maduro: Report) -> None:
    dates = [c for c in maduro.stories[0].conflicts if c.kind == "date"]
    assert len(dates) == 1
    conflict = dates[0]
    assert conflict.severity == "low"  # "about ten days ago" overlaps November 21
    by_value = {str(v.normalized): v.article_ids for v in conflict.values}
    assert "article-000" in by_value["2025-11-21"]
    assert any(v.startswith("2025-11-2") and v != "2025-11-21" for v in by_value)


def test_maduro_reporting_dates_are_not_taken_for_the_call(maduro: Report) -> None:
    # "Trump confirmed on Sunday" and "Maduro said on Wednesday" date the reports, not the call
    values = {str(v.normalized) for c in maduro.stories[0].conflicts for v in c.values}
    assert "2025-11-30" not in values and "2025-12-03" not in values


def test_new_articles_join_the_stored_story_they_belong_to(tmp_path: Path, db_url: str) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for name in ("vpa-wire.txt", "daily-clarion.txt"):
        (first / name).write_text((DEMO / name).read_text(encoding="utf-8"), encoding="utf-8")
    for name in ("north-coast-courier.txt", "harbourwatch-blog.txt"):
        (later / name).write_text((DEMO / name).read_text(encoding="utf-8"), encoding="utf-8")
    db = db_url
    before = analyze([first], db=db)
    after = analyze([later], db=db)
    assert len(before.stories) == 1 and len(before.stories[0].article_ids) == 2
    assert len(after.stories) == 1
    assert set(after.stories[0].article_ids) == {
        "vpa-wire",
        "daily-clarion",
        "north-coast-courier",
        "harbourwatch-blog",
    }


def test_cli_extract_prints_what_each_article_says() -> None:
    result = CliRunner().invoke(app, ["extract", str(DEMO / "vpa-wire.txt")])
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    assert article["id"] == "vpa-wire"
    assert any(e["name"] == "Mara Quell" for e in article["entities"])
    assert any(q["speaker"] == "Teodor Brask" for q in article["quotes"])
    assert any(t["value"] == "2026-03-10" for t in article["times"])
    assert {"text", "value", "unit", "bound"} <= set(article["numbers"][0])


def test_cli_eval_times_prints_the_metrics_table() -> None:
    shared = ROOT.parent / "shared" / "data"
    if not (shared / "gvc").exists() or not (shared / "meantime-en").exists():
        pytest.skip(f"GVC or MEANTIME data absent under {shared}")
    result = CliRunner().invoke(app, ["eval", "times", "--split", "dev", "--data", str(shared)])
    assert result.exit_code == 0, result.output
    assert "value F1" in result.stdout


def test_cli_eval_with_missing_data_is_one_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "times", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_missing_publication_date_is_inferred_from_the_text_and_marked(tmp_path: Path) -> None:
    (tmp_path / "undated.txt").write_text(
        "Bridge reopens\n\nThe Kessa bridge reopened on Tuesday, March 10, 2026, after repairs. "
        "Officials said traffic was back to normal by Wednesday.\n",
        encoding="utf-8",
    )
    report = analyze([tmp_path])
    (article,) = report.articles
    assert article.published_inferred is True
    assert article.published is not None and article.published.isoformat() == "2026-03-10"


def test_a_removed_timestamp_line_dates_an_undated_article(tmp_path: Path) -> None:
    # the clean stage removes "Posted ..." as furniture; it still says when the page appeared,
    # ahead of a later day the text mentions (a hearing set for March 20)
    (tmp_path / "undated.txt").write_text(
        "Bridge reopens\n\nPosted: March 11, 2026 10:05 AM EDT\n\n"
        "The Kessa bridge reopened on Tuesday after repairs, officials said. A hearing on the "
        "repair bill is set for March 20, 2026.\n",
        encoding="utf-8",
    )
    report = analyze([tmp_path])
    (article,) = report.articles
    assert "Posted: March 11, 2026 10:05 AM EDT" in article.boilerplate_removed
    assert article.published_inferred is True
    assert article.published is not None and article.published.isoformat() == "2026-03-11"


def test_public_api_is_re_exported() -> None:
    import crosswire

    assert set(crosswire.__all__) >= {"analyze", "Options", "Report", "write_reports"}
    assert crosswire.analyze is analyze


def test_every_brief_sentence_is_supported_by_what_it_cites() -> None:
    from crosswire.pipeline import analyze_articles_to_report, read_and_clean
    from crosswire.synthesis.brief import sentence_supported

    for folder in (DEMO, MADURO):
        if not folder.exists():
            continue
        articles, _ = read_and_clean([folder], Options())
        report, _, analyses = analyze_articles_to_report(articles, Options())
        for story in report.stories:
            for sentence in story.summary:
                assert sentence_supported(sentence, analyses), (folder.name, sentence.text)


def test_the_briefs_of_the_demo_and_the_seeds_are_consistent_with_their_comparison(
    demo: Report, maduro: Report
) -> None:
    from crosswire.evaluate.summary import report_problems

    assert report_problems(demo) == []
    assert report_problems(maduro) == []
    for report in (demo, maduro):
        assert all(s.claim_ids for story in report.stories for s in story.summary)
