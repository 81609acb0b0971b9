"""The timeline (issue 24): every sentence reaches it, dated by the expression that dates its
event or "at or before publication", citing its sentences; the axis keeps far dates apart."""

from __future__ import annotations

import datetime as dt

from crosswire.language.times import extract_times
from crosswire.models import ArticleAnalysis, Sentence, Story, TimelineEntry
from crosswire.report import timeline_chart, timeline_parts
from crosswire.synthesis import build_timeline

PUBLISHED = dt.date(2009, 2, 24)


def _analysis(aid: str, *texts: str) -> ArticleAnalysis:
    sentences, at = [], 0
    for i, text in enumerate(texts):
        sentences.append(Sentence(index=i, text=text, start=at, end=at + len(text)))
        at += len(text) + 1
    # each expression dates its sentence's main clause (the parse's reading of these sentences)
    times = [
        t.model_copy(update={"event": texts[t.sentence]})
        for t in extract_times(sentences, PUBLISHED)
    ]
    return ArticleAnalysis(article_id=aid, sentences=sentences, times=times)


def _timeline(*texts: str) -> list[TimelineEntry]:
    story = Story(id="s", title="t", article_ids=["a"])
    return build_timeline(story, {"a": _analysis("a", *texts)}, {"a": PUBLISHED})


def test_every_sentence_reaches_the_timeline_citing_its_sentence() -> None:
    entries = _timeline(
        "Stocks fell on Monday.", "Investors worried about banks.", "Banks lost ground."
    )
    assert len(entries) == 3
    dated = [e for e in entries if e.precision == "day"]
    assert [e.date for e in dated] == [dt.date(2009, 2, 23)]
    assert dated[0].sources[0].sentence == "Stocks fell on Monday."
    undated = [e for e in entries if e.precision == "before_publication"]
    assert {e.sources[0].sentence_index for e in undated} == {1, 2}
    assert all(e.latest == PUBLISHED for e in undated)
    for e in entries:
        s = e.sources[0]
        text = "\n".join(["Stocks fell on Monday.", "Investors worried about banks.",
                          "Banks lost ground."])  # fmt: skip
        assert text[s.start : s.end] == s.sentence


def test_a_comparison_does_not_date_the_event() -> None:
    (entry,) = _timeline("The Dow closed at its lowest level since 1997.")
    assert entry.precision == "before_publication"
    (entry,) = _timeline("Sales fell 20% compared to March of 2008.")
    assert entry.precision == "before_publication"
    (entry,) = _timeline("The plant closed in March 2008.")
    assert entry.precision == "month" and entry.date == dt.date(2008, 3, 1)


def test_an_expression_dating_a_subordinate_clause_leaves_the_sentence_undated_too() -> None:
    story = Story(id="s", title="t", article_ids=["a"])
    text = "Apple announced that the new system, its biggest update, would ship in 2007."
    analysis = _analysis("a", text)
    analysis.times[0].event = "would ship in 2007"
    entries = build_timeline(story, {"a": analysis}, {"a": PUBLISHED})
    assert sorted(e.precision for e in entries) == ["before_publication", "year"]


def test_without_a_publication_date_undated_sentences_stay_out() -> None:
    story = Story(id="s", title="t", article_ids=["a"])
    analysis = _analysis("a", "Stocks fell on Monday.", "Banks lost ground.")
    assert len(build_timeline(story, {"a": analysis})) == 1


def _entry(day: dt.date, precision: str = "day") -> TimelineEntry:
    return TimelineEntry(
        date=day, earliest=day, latest=day, precision=precision, event=f"e {day}",
        article_ids=["a"],
    )  # fmt: skip


def test_a_far_date_is_listed_apart_and_does_not_squash_the_axis() -> None:
    month = [_entry(dt.date(2009, 6, d)) for d in range(1, 29, 3)]
    far = _entry(dt.date(1999, 5, 1))
    undated = _entry(dt.date(2009, 6, 30), "before_publication")
    parts = timeline_parts([far, *month, undated])
    assert parts.apart == [far]
    assert parts.dated == month
    assert parts.undated == [(dt.date(2009, 6, 30), [undated])]
    chart = timeline_chart([far, *month, undated])
    assert chart is not None and len(chart.bars) == len(month)
    xs = [b.x for b in chart.bars]
    assert max(xs) - min(xs) > 0.8 * (chart.x1 - chart.x0)  # the month spans the axis
    assert chart.ticks[0][1].startswith("2009-06")


def test_a_few_dates_or_a_spread_timeline_keep_every_entry_on_the_axis() -> None:
    spread = [_entry(dt.date(y, 1, 1)) for y in (2001, 2004, 2007, 2010, 2013)]
    assert timeline_parts(spread).apart == []
    two = [_entry(dt.date(2009, 6, 1)), _entry(dt.date(1999, 1, 1))]
    assert timeline_parts(two).apart == []


def test_questions_credit_lines_and_fragments_are_not_events() -> None:
    entries = _timeline(
        "Do you know someone affected by the fire?",
        "Meridian Daily staff, with agencies",
        "PORT ALMERA, Veldara (VPA) —",
        "Good.",
        "(Reporting by Jane Doe; Editing by John Roe)",
        "Banks lost ground.",
        '" The biggest leap we have taken. "',
    )
    assert [e.event for e in entries] == [
        "Banks lost ground.",
        '" The biggest leap we have taken. "',
    ]


def test_a_bar_wider_than_the_axis_is_cut_and_says_so() -> None:
    month = [_entry(dt.date(2009, 6, d)) for d in range(1, 29, 3)]
    year = TimelineEntry(
        date=dt.date(2009, 1, 1), earliest=dt.date(2009, 1, 1), latest=dt.date(2009, 12, 31),
        precision="year", event="earlier this year", article_ids=["a"],
    )  # fmt: skip
    chart = timeline_chart([year, *month])
    assert chart is not None and chart.ticks[0][1].startswith("2009-06")
    cut = next(b for b in chart.bars if "earlier this year" in b.label)
    assert cut.label.startswith("◂ ▸ ") and cut.dot_x is None and "cut" in cut.title
    assert cut.x == chart.x0 and cut.x + cut.width <= chart.x1 + 0.01
    assert all(b.dot_x is not None for b in chart.bars if b is not cut)


def test_a_dated_clause_that_leans_on_its_sentence_is_shown_with_the_whole_sentence() -> None:
    story = Story(id="s", title="t", article_ids=["a"])
    text = "The meeting happened on Friday, which ended the strike in 2008."
    analysis = _analysis("a", text)
    for t in analysis.times:
        t.event = "which ended the strike in 2008" if "2008" in t.text else text[:30]
    entries = build_timeline(story, {"a": analysis}, {"a": PUBLISHED})
    shown = {e.precision: e.event for e in entries}
    assert shown["year"] == text  # "which ended ..." cannot stand alone
    assert shown["day"] == "The meeting happened on Friday"  # opens its sentence: reads alone
