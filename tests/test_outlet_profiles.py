"""Per-outlet framing profiles (compare.profiles, issue 23 point 4): what each outlet's words
are across stories, for whom, which only it uses, the speakers' words kept apart; and the
profile in report.json, report.md and report.html."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from crosswire.compare import outlet_profiles
from crosswire.models import FramingEntry, OutletProfile, Report, ReportArticle, Story
from crosswire.report import render_html, render_markdown, validate_report, write_reports

# outlet of each article: a1/a2 Clarion (two stories), b1/b2 Herald, c1 Wire, d1 a copy of c1
SOURCES = {"a1": "Clarion", "a2": "Clarion", "b1": "Herald", "b2": "Herald", "c1": "Wire",
           "d1": "Copyist"}  # fmt: skip
COPIES = {"d1": "c1"}


def _f(aid: str, term: str, refers_to: str = "", **kw: Any) -> FramingEntry:
    return FramingEntry.model_validate(
        {"article_id": aid, "term": term, "refers_to": refers_to, "others_use": [], **kw}
    )


def _stories() -> list[Story]:
    one = Story(
        id="s1",
        title="Crackdown",
        article_ids=["a1", "b1", "c1", "d1"],
        framing=[
            _f("a1", "regime", "Maduro", loaded=True, signal="both", others_use=["government"]),
            _f("a1", "slammed", "Trump", loaded=True, signal="lexicon"),
            _f("a1", "thugs", "", loaded=True, signal="lexicon", voice="quoted", speaker="Rubio"),
            _f("b1", "slammed", "Trump", loaded=True, signal="lexicon"),
            _f("c1", "raging", "", loaded=True, signal="lexicon"),
            _f("d1", "raging", "", loaded=True, signal="lexicon"),
        ],
    )
    two = Story(
        id="s2",
        title="Talks",
        article_ids=["a2", "b2"],
        framing=[
            _f("a2", "Regime", "Maduro", loaded=True, signal="lexicon"),
            _f("a2", "died", "died", signal="contrast", others_use=["killed"]),
            _f("b2", "bombings", "airstrikes", signal="contrast", others_use=["strikes"]),
        ],
    )
    return [one, two]


def _by_outlet() -> dict[str, OutletProfile]:
    return {p.outlet: p for p in outlet_profiles(_stories(), SOURCES, COPIES)}


def test_profile_counts_an_outlets_words_across_stories_most_used_first() -> None:
    profiles = outlet_profiles(_stories(), SOURCES, COPIES)
    assert [p.outlet for p in profiles] == ["Clarion", "Copyist", "Herald", "Wire"]
    clarion = profiles[0]
    assert (clarion.articles, clarion.stories, clarion.own_voice, clarion.quoted) == (2, 2, 4, 1)
    assert clarion.per_article == 2.0
    # the other outlets' articles of its stories (b1, c1, d1, b2): 4 own-voice entries
    assert clarion.others_per_article == 1.0
    regime = clarion.terms[0]
    # "regime" and "Regime" are one word, written as it is most often (a tie: sorted)
    assert (regime.term.lower(), regime.count, regime.articles, regime.stories) == (
        "regime",
        2,
        2,
        2,
    )
    assert regime.refers_to == ["Maduro"] and regime.others_use == ["government"]
    assert regime.loaded and regime.other_outlets == 0
    assert [t.term for t in clarion.terms] == [regime.term, "died", "slammed"]


def test_profile_says_whom_the_words_frame_and_which_words_only_it_uses() -> None:
    clarion = _by_outlet()["Clarion"]
    assert clarion.referents[0].name == "Maduro" and clarion.referents[0].count == 2
    assert [r.name for r in clarion.referents] == ["Maduro", "Trump"]
    # a word family's neutral word ("died" for "died", "airstrikes" for "bombings") is no referent
    assert all(r.name != "died" for r in clarion.referents)
    herald = _by_outlet()["Herald"]
    assert [r.name for r in herald.referents] == ["Trump"]
    assert next(t for t in herald.terms if t.term == "bombings").refers_to == []
    slammed = next(t for t in clarion.terms if t.term == "slammed")
    assert slammed.other_outlets == 1  # the Herald says it too
    assert "slammed" not in clarion.distinctive
    assert {"died"} <= set(clarion.distinctive) and any(
        w.lower() == "regime" for w in clarion.distinctive
    )


def test_quoted_words_are_the_speakers_counted_apart_from_the_outlets_own() -> None:
    clarion = _by_outlet()["Clarion"]
    assert all(t.term != "thugs" for t in clarion.terms)
    [thugs] = clarion.quoted_terms
    assert thugs.term == "thugs" and thugs.speakers == ["Rubio"]


def test_a_syndicated_copy_shares_its_words_with_the_original_only() -> None:
    profiles = _by_outlet()
    # the wire's "raging" is printed again by its copy: still no other outlet's own choice
    assert profiles["Wire"].distinctive == ["raging"]
    # the copyist printed the wire's words: shared with the wire
    [raging] = profiles["Copyist"].terms
    assert raging.other_outlets == 1 and profiles["Copyist"].distinctive == []


def test_another_inflection_of_a_word_is_the_same_word() -> None:
    story = Story(
        id="s",
        title="",
        article_ids=["x", "y"],
        framing=[_f("x", "insisted", "Trump"), _f("x", "insists", "Trump"),
                 _f("y", "Insists", "Maduro"), _f("y", "slamming")],
    )  # fmt: skip
    profiles = {p.outlet: p for p in outlet_profiles([story], {"x": "A", "y": "B"})}
    [insisted] = profiles["A"].terms  # one word, counted twice, shared with B
    assert (insisted.count, insisted.other_outlets) == (2, 1)
    assert profiles["A"].distinctive == [] and profiles["B"].distinctive == ["slamming"]


def test_an_outlet_alone_in_its_stories_has_no_others_to_compare_with() -> None:
    alone = Story(id="s", title="", article_ids=["x"], framing=[_f("x", "panic", voice="quoted")])
    [p] = outlet_profiles([alone], {"x": "Solo"})
    assert p.others_per_article is None and p.per_article == 0.0 and p.quoted == 1
    assert outlet_profiles([], {}) == []


def _report() -> Report:
    stories = _stories()
    stories[0].framing.append(_f("b1", "<script>alert(1)</script>", "Trump", loaded=True))
    articles = [
        ReportArticle(id=aid, source=src, title="", url=None, published=date(2026, 1, 1),
                      published_inferred=False, boilerplate_removed=[],
                      story_id="s1" if aid in stories[0].article_ids else "s2")
        for aid, src in SOURCES.items()
    ]  # fmt: skip
    return Report(
        generated_at=datetime(2026, 1, 2, tzinfo=UTC),
        articles=articles,
        stories=stories,
        outlets=outlet_profiles(stories, SOURCES, COPIES),
    )


def test_report_json_holds_the_profiles_and_validates(tmp_path: Path) -> None:
    paths = write_reports(_report(), tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    validate_report(data)
    assert [p["outlet"] for p in data["outlets"]] == ["Clarion", "Copyist", "Herald", "Wire"]
    assert Report.model_validate(data).outlets == _report().outlets
    # a report written before profiles existed still reads
    del data["outlets"]
    validate_report(data)


def test_report_md_and_html_show_each_outlets_profile_escaped() -> None:
    report = _report()
    md = render_markdown(report)
    section = md.split("## Framing by outlet")[1].split("## Articles")[0]
    assert "### Clarion" in section and "| slammed (loaded) | 1 | Trump |  | 1 |" in section
    assert "Loaded words it quotes: “thugs” (Rubio)" in section
    assert "<script>" not in md
    page = render_html(report)
    assert 'href="#outlets"' in page and '<section id="outlets"' in page
    profile = page.split('<section id="outlets"')[1].split('<section id="articles">')[0]
    assert '<h3 id="outlet-0">Clarion</h3>' in profile
    assert "only this outlet" in profile and "“thugs” (Rubio)" in profile
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in profile
