"""Temporal expressions: recognition, resolution against the publication date, robustness."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.language.times import extract_times, find_time_spans, stamped_date, yearless_days
from crosswire.models import Sentence, TimeMention
from timing import cpu_cost

THU = date(2025, 12, 4)  # a Thursday: the publication date of most example articles
SAT = date(2025, 11, 29)  # a Saturday
EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples" / "maduro-trump-call"


def _sentences(*texts: str) -> list[Sentence]:
    return [Sentence(index=i, text=t, start=0, end=len(t)) for i, t in enumerate(texts)]


def _times(published: date | None, *texts: str) -> list[TimeMention]:
    return extract_times(_sentences(*texts), published)


def _one(published: date | None, text: str) -> TimeMention:
    found = _times(published, text)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- worked examples


def test_month_day_takes_the_publication_year() -> None:
    t = _one(THU, "Maduro said he spoke with Trump on November 21.")
    assert (t.value, t.earliest, t.latest, t.precision) == (
        "2025-11-21",
        date(2025, 11, 21),
        date(2025, 11, 21),
        "day",
    )
    assert t.text == "November 21"
    assert t.relative and not t.approximate


def test_about_ten_days_ago_is_approximate_plus_minus_three_days() -> None:
    for text in ("The call took place about 10 days ago.", "It was «about ten days ago»."):
        t = _one(THU, text)
        assert t.value == "2025-11-24"
        assert (t.earliest, t.latest) == (date(2025, 11, 21), date(2025, 11, 27))
        assert t.approximate and t.relative and t.precision == "day"


def test_around_a_date_is_approximate_plus_minus_two_days() -> None:
    t = _one(THU, "That would place the conversation around November 23.")
    assert t.value == "2025-11-23" and t.precision == "day" and t.approximate
    assert (t.earliest, t.latest) == (date(2025, 11, 21), date(2025, 11, 25))


def test_late_last_month_is_the_last_third_of_the_previous_month() -> None:
    t = _one(THU, "He spoke by phone with Trump late last month.")
    assert (t.value, t.precision) == ("2025-11", "month")
    assert (t.earliest, t.latest) == (date(2025, 11, 21), date(2025, 11, 30))
    assert t.approximate


def test_bare_weekday_is_the_most_recent_such_day() -> None:
    assert _one(THU, "Maduro confirmed on Wednesday that he spoke.").value == "2025-12-03"
    assert _one(THU, "Trump had confirmed on Sunday that a call took place.").value == "2025-11-30"
    assert _one(THU, "Maduro, speaking Wednesday, said so.").value == "2025-12-03"


def test_weekday_last_saturday_resolves_to_previous_saturday() -> None:
    t = _one(THU, "The situation worsened last Saturday when Trump warned pilots.")
    assert t.value == "2025-11-29" and t.text == "last Saturday"


def test_weekday_equal_to_publication_weekday_is_the_publication_day() -> None:
    assert _one(THU, "Shares fell on Thursday.").value == "2025-12-04"


def test_weekday_with_future_cue_looks_forward() -> None:
    assert _one(THU, "The two leaders will meet on Monday.").value == "2025-12-08"
    assert _one(THU, "Markets will remain closed until Friday.").value == "2025-12-05"


def test_earlier_this_week_is_the_current_iso_week_up_to_publication() -> None:
    t = _one(THU, "Addressing supporters at a rally earlier this week, he spoke.")
    assert (t.value, t.precision) == ("2025-W49", "week")
    assert (t.earliest, t.latest) == (date(2025, 12, 1), THU)


def test_so_far_in_a_year_is_that_year() -> None:
    t = _one(THU, "Official figures indicate that so far in 2024, 14,407 Venezuelans returned.")
    assert (t.value, t.precision, t.earliest, t.latest) == (
        "2024",
        "year",
        date(2024, 1, 1),
        date(2024, 12, 31),
    )
    assert not t.relative


def test_last_week_is_the_previous_iso_week() -> None:
    t = _one(SAT, "Last week, Trump held a telephone conversation with Maduro.")
    assert (t.value, t.precision) == ("2025-W47", "week")
    assert (t.earliest, t.latest) == (date(2025, 11, 17), date(2025, 11, 23))


def test_end_of_the_week_refers_to_the_week_just_mentioned() -> None:
    found = _times(
        SAT,
        "Last week, Trump held a telephone conversation with Maduro.",
        "The conversation took place at the end of the week, the two interlocutors said.",
    )
    end = found[1]
    assert end.text == "the end of the week"
    assert (end.value, end.precision, end.approximate) == ("2025-W47", "week", True)
    assert (end.earliest, end.latest) == (date(2025, 11, 20), date(2025, 11, 23))


def test_end_of_the_week_without_context_is_late_in_the_current_week() -> None:
    t = _one(SAT, "The conversation took place at the end of the week.")
    assert (t.value, t.approximate) == ("2025-W48", True)
    assert (t.earliest, t.latest) == (date(2025, 11, 27), date(2025, 11, 30))


def test_end_of_the_week_early_in_a_week_is_the_previous_week() -> None:
    t = _one(date(2025, 12, 2), "The conversation took place at the end of the week.")
    assert t.value == "2025-W48"


def test_bare_month_and_month_day_on_a_saturday_publication() -> None:
    assert _one(SAT, "In October, the newspaper wrote that.").value == "2025-10"
    assert _one(SAT, "- October 24, USA sent bombers B-1 to the coast.").value == "2025-10-24"
    assert _one(SAT, "According to Reuters, on November 12 Venezuela planned.").value == (
        "2025-11-12"
    )


def test_month_precision_interval_covers_the_whole_month() -> None:
    t = _one(SAT, "In October, the newspaper wrote that.")
    assert (t.precision, t.earliest, t.latest) == ("month", date(2025, 10, 1), date(2025, 10, 31))


def test_the_next_day_counts_from_the_previous_dated_mention() -> None:
    found = _times(
        SAT,
        "- October 24, USA sent supersonic bombers B-1 to the coast of Venezuela.",
        "- The next day, America sent a strike team.",
    )
    assert [t.value for t in found] == ["2025-10-24", "2025-10-25"]


def test_the_next_day_without_a_dated_mention_is_skipped() -> None:
    assert _times(SAT, "The next day, America sent a strike team.") == []


# --------------------------------------------------------------------------- more forms


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("It was signed on Nov. 21, 2025 in Caracas.", "2025-11-21", "day"),
        ("It was signed on 21 November 2025 in Caracas.", "2025-11-21", "day"),
        ("It was signed on 2025-11-21 in Caracas.", "2025-11-21", "day"),
        ("It was signed on Thursday, November 20, in Caracas.", "2025-11-20", "day"),
        ("It was signed in October 2024 in Caracas.", "2024-10", "month"),
        ("The ties were cut in 2019.", "2019", "year"),
        ("Relations have been frosty since 2019.", "2019", "year"),
        ("He said so yesterday.", "2025-12-03", "day"),
        ("He says so today.", "2025-12-04", "day"),
        ("It happened two weeks ago.", "2025-11-20", "day"),
        ("The talks happened this week.", "2025-W49", "week"),
        ("The talks happen next week.", "2025-W50", "week"),
        ("The talks happened last month.", "2025-11", "month"),
        ("The talks happened early last month.", "2025-11", "month"),
        ("It happened earlier this year.", "2025", "year"),
        ("It happened in early 2024.", "2024", "year"),
        ("It happened in late 2024.", "2024", "year"),
        ("It happened in mid-2024.", "2024", "year"),
        ("Profits rose in the third quarter of 2024.", "2024-Q3", "year"),
        ("It was popular in the 1990s.", "199", "year"),
        ("It opens this spring.", "2025-SP", "year"),
        ("The vote is on Christmas Day.", "2025-12-25", "day"),
        ("The agreement will lapse next October.", "2026-10", "month"),
        ("It was agreed last September.", "2025-09", "month"),
    ],
)
def test_forms_resolve_to_expected_value(text: str, value: str, precision: str) -> None:
    t = _one(THU, text)
    assert (t.value, t.precision) == (value, precision)


def test_early_late_and_mid_year_intervals() -> None:
    early, late, mid = _times(THU, "It ran from early 2024 to late 2024, peaking in mid-2024.")
    assert (early.earliest, early.latest) == (date(2024, 1, 1), date(2024, 4, 30))
    assert (late.earliest, late.latest) == (date(2024, 9, 1), date(2024, 12, 31))
    assert (mid.earliest, mid.latest) == (date(2024, 5, 1), date(2024, 8, 31))
    assert early.approximate and late.approximate and mid.approximate


def test_earlier_this_year_runs_from_new_year_to_publication() -> None:
    t = _one(THU, "part of a migration agreement revived earlier this year")
    assert (t.earliest, t.latest, t.relative) == (date(2025, 1, 1), THU, True)


def test_month_day_near_new_year_takes_the_nearer_year() -> None:
    assert _one(date(2026, 1, 3), "He spoke on December 30.").value == "2025-12-30"
    assert _one(date(2025, 12, 30), "They will meet on January 5.").value == "2026-01-05"


def test_clock_time_takes_the_day_written_beside_it() -> None:
    assert _one(SAT, "Trading stopped at 16:00 UTC today.").value == "2025-11-29"
    assert _one(SAT, "Trading stopped at 12:00 UTC Monday.").value == "2025-11-24"


def test_lone_clock_time_is_publication_day_or_night_before_approximately() -> None:
    t = _one(SAT, "As of 18:00 UTC, the index was up.")
    assert t.value == "2025-11-29" and t.approximate
    assert (t.earliest, t.latest) == (date(2025, 11, 28), date(2025, 11, 29))


def test_same_period_last_year_shifts_the_mentioned_month() -> None:
    found = _times(
        date(2010, 3, 3), "Sales rose 43% in February compared to the same period last year."
    )
    assert [t.value for t in found] == ["2010-02", "2009-02"]


def test_clock_time_does_not_swallow_a_following_date() -> None:
    found = _times(
        date(2026, 3, 12), "It broke out before midnight on Wednesday, March 11, in Shed C."
    )
    assert [(t.text, t.value) for t in found] == [
        ("midnight", "2026-03-11"),
        ("Wednesday, March 11", "2026-03-11"),
    ]


def test_the_day_in_market_reports_is_the_day_last_mentioned() -> None:
    found = _times(
        date(2009, 2, 24),
        "The Dow fell on Monday.",
        "It ended the day at 7,114.3, and the day of the vote is not dated.",
    )
    assert [(t.sentence, t.text, t.value) for t in found] == [
        (0, "Monday", "2009-02-23"),
        (1, "the day", "2009-02-23"),
    ]


def test_at_the_edge_of_the_calendar_nothing_raises() -> None:
    assert _times(date(1, 1, 1), "It happened yesterday, last year and 3 months ago.") == []
    assert _times(date(9999, 12, 31), "It happens tomorrow and next year.") == []


# --------------------------------------------------------------------------- not time mentions


@pytest.mark.parametrize(
    "text",
    [
        "The answer is yes, and it may be now.",
        "A second contact has not occurred.",
        "In recent months the US deployed ships.",
        "US bombers B-1 flew near the coast.",
        "The company employs 2000 people in the region.",
        "The Russell 2000 Index fell.",
        "June Carter sang.",
        "Stocks crashed on Black Monday.",
        "They will shape relations in the coming months.",
        "Call 555-123-4567 for details.",
    ],
)
def test_text_without_dates_yields_no_mentions(text: str) -> None:
    assert _times(THU, text) == []


def test_relative_expressions_are_skipped_without_publication_date() -> None:
    found = _times(None, "He spoke yesterday, on Wednesday, on November 21 and on 2025-11-20.")
    assert [t.value for t in found] == ["2025-11-20"]
    assert not found[0].relative


def test_mentions_come_in_text_order_with_sentence_index() -> None:
    found = _times(THU, "Nothing here.", "On Monday and then on Tuesday.")
    assert [(t.sentence, t.text) for t in found] == [(1, "Monday"), (1, "Tuesday")]


def test_find_time_spans_includes_clock_times() -> None:
    text = "At 6 p.m. on November 21 it ended."
    spans = [text[a:b] for a, b in find_time_spans(text)]
    assert spans == ["6 p.m.", "November 21"]


def test_example_articles_yield_expected_dates() -> None:
    if not EXAMPLES.is_dir():
        pytest.skip(f"example corpus absent: {EXAMPLES}")
    text = (EXAMPLES / "article-002.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    values = {t.value for t in extract_times(_sentences(*lines), THU)}
    assert {"2025-12-03", "2025-11-24", "2025-11-23", "2025-11-30", "2025-11-29"} <= values


# --------------------------------------------------------------------------- robustness


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
def test_never_raises_and_mentions_are_well_formed(text: str, published: date) -> None:
    for t in extract_times(_sentences(text), published):
        assert t.earliest <= t.latest
        assert t.text and t.text in text


_WORDS = [
    "on",
    "in",
    "last",
    "next",
    "this",
    "early",
    "late",
    "mid-",
    "the",
    "end",
    "of",
    "week",
    "month",
    "year",
    "ago",
    "about",
    "10",
    "ten",
    "days",
    "November",
    "May",
    "21",
    "2024",
    ",",
    ".",
    "Monday",
    "Saturday",
    "yesterday",
    "today",
    "'82",
    "1990s",
    "quarter",
    "third",
    "spring",
    "at",
    "18:00",
    "UTC",
]
_WORDS += ["next day", "same period"]
_NEWSY = st.lists(
    st.sampled_from(_WORDS),
    max_size=40,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_NEWSY, st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
def test_newsy_word_salad_gives_well_formed_mentions(text: str, published: date) -> None:
    for t in extract_times(_sentences(text, text), published):
        assert t.earliest <= t.latest
        assert t.text in text


@pytest.mark.parametrize(
    "adversarial",
    [
        "1" + " " * 100_000 + "x",
        "1 " * 50_000,
        "early " * 16_000,
        "about 1 " * 12_000,
        "twenty-" * 14_000,
        "12:" * 33_000,
        "'8" * 50_000,
        "the end of the " * 6_500,
        "1-" * 50_000,
        "18:00 UTC " * 10_000,
        "2009-2011-" * 5_000,
        "the 70s and 80s and " * 5_000,
    ],
)
def test_long_adversarial_input_completes_in_under_two_cpu_seconds(adversarial: str) -> None:
    started = time.process_time()
    extract_times(_sentences(adversarial), THU)
    assert time.process_time() - started < 2.0  # CPU seconds: other load does not count


def test_cost_grows_linearly_with_mention_dense_input() -> None:
    def cost(n: int) -> float:
        text = "On November 21, 2025, at 18:00 UTC, last week, 10 days ago and the next day, " * n
        sentences = _sentences(text)
        return cpu_cost(lambda: extract_times(sentences, THU))

    cost(50)  # warm up
    small, large = cost(400), cost(1600)
    assert large < small * 4 * 2.5


def test_clock_time_alone_takes_the_day_of_the_previous_sentence() -> None:
    fire = date(2026, 3, 11)  # published the day after the fire
    found = _times(
        fire,
        "A fire swept through a warehouse late yesterday.",
        "It began shortly before midnight.",
    )
    assert [(t.text, t.value) for t in found] == [
        ("late yesterday", "2026-03-10"),
        ("midnight", "2026-03-10"),
    ]
    alone = _one(fire, "It began shortly before midnight.")  # nothing to lean on
    assert (alone.value, alone.earliest, alone.approximate) == (
        "2026-03-11",
        date(2026, 3, 10),
        True,
    )


# The prefilter: a pattern's own search decides only when a cheap literal test passes; it must
# never skip a pattern whose search would match (case folding included: "İ", "ı", "ſ", "K").
_FOLD_TRAPS = ["TODAY", "toDAY", "ToNİGHT", "yesterdaſ", "Monday", "ſame", "weeK", "nıght", "MAY 4"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_WORDS + _FOLD_TRAPS) | st.text(max_size=8), max_size=12).map(" ".join)
)
def test_pattern_prefilter_never_skips_a_pattern_that_could_match(text: str) -> None:
    from crosswire.language._time_patterns import HINTS, NEEDS, possible_kinds

    assert set(HINTS) == set(NEEDS)
    assert possible_kinds(text) == {kind for kind, needs in NEEDS.items() if needs.search(text)}


def test_a_timestamp_line_states_its_day_and_a_headline_does_not() -> None:
    assert stamped_date(
        [
            "Share this: Facebook",
            "Updated: Apr 03, 2009 11:06 PM CEST",
            "Posted: Apr 02, 2009 11:06 PM CEST",
        ]
    ) == date(2009, 4, 2)
    assert stamped_date(["on July 13, 2009 at 10:50 AM, updated July 29, 2009"]) == date(
        2009, 7, 13
    )
    # a line that says something besides its date is not a timestamp
    assert stamped_date(["Obama meets the Pope on July 10, 2009", "Most read"]) is None
    assert stamped_date(["Posted 3 hours ago"]) is None  # no explicit day


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=5))
def test_stamped_date_reads_any_lines_without_failing(lines: list[str]) -> None:
    found = stamped_date(lines)
    assert found is None or any(ch.isdigit() for line in lines for ch in line)


def test_a_day_without_a_year_is_read_in_an_unknown_year_only_when_asked() -> None:
    sentences = [
        Sentence(index=0, text="On November 18, the frigate sank the trawler.", start=0, end=45),
        Sentence(index=1, text="It sailed on Thursday and docked on 2 May 2011.", start=46, end=93),
    ]
    assert [t.text for t in extract_times(sentences, None)] == ["2 May 2011"]
    days = yearless_days(sentences)
    assert [(t.text, t.value, t.sentence) for t in days] == [
        ("November 18", "XXXX-11-18", 0)
    ]  # the weekday needs a real date, the dated day has its year
    assert days[0].earliest == days[0].latest and days[0].earliest.month == 11
