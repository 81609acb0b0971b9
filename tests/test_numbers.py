"""Quantities: counts with what they count, money, percentages, ranges, bounds; non-quantities."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.language import load_nlp, parse
from crosswire.language.numbers import extract_numbers
from crosswire.models import NumberMention, Sentence
from timing import cpu_cost

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples" / "maduro-trump-call"


def _sentences(*texts: str) -> list[Sentence]:
    return [Sentence(index=i, text=t, start=0, end=len(t)) for i, t in enumerate(texts)]


def _numbers(*texts: str) -> list[NumberMention]:
    return extract_numbers(_sentences(*texts))


def _one(text: str) -> NumberMention:
    found = _numbers(text)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- counts


def test_at_least_counts_people_dead() -> None:
    n = _one("These operations have left at least 82 people dead.")
    assert (n.value, n.unit, n.bound, n.value_max) == (82, "people dead", "at_least", None)
    assert n.text == "at least 82 people dead"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The US has carried out 21 bombings against ships.", 21, "bombings"),
        ("A flight arrived carrying 266 deportees from Phoenix.", 266, "deportees"),
        ("So far, 14,407 Venezuelans have returned.", 14407, "venezuelans"),
        ("The government revoked the licenses of eight international airlines.", 8, "airlines"),
        ("Two people close to the government confirmed it.", 2, "people"),
        ("Three US officials said so.", 3, "us officials"),
        ("They seized 21 suspected drug boats.", 21, "drug boats"),
        ("Twenty-five soldiers were wounded.", 25, "soldiers"),
        ("The toll rose to 1.5 million people.", 1_500_000, "people"),
        ("Barra, 51, will lead the firm.", 51, "years old"),
        ("The 51-year-old leader spoke.", 51, "years old"),
    ],
)
def test_count_with_what_it_counts(text: str, value: float, unit: str) -> None:
    n = _one(text)
    assert (n.value, n.unit, n.bound) == (value, unit, "exact")


def test_a_dozen_is_twelve_about() -> None:
    n = _one("A dozen journalists were detained.")
    assert (n.value, n.unit, n.bound) == (12, "journalists", "about")


def test_hundreds_of_is_not_a_count() -> None:
    assert _numbers("Hundreds of people gathered in Caracas.") == []


# --------------------------------------------------------------------------- ranges


def test_percentage_range_keeps_both_ends() -> None:
    n = _one("Venezuela served as a transit point for 10–13% of global supply in 2020.")
    assert (n.value, n.value_max, n.unit, n.bound) == (10, 13, "%", "exact")
    assert n.text == "10–13%"


def test_between_and_range_counts_people() -> None:
    n = _one("Between 80 and 90 people were hurt.")
    assert (n.value, n.value_max, n.unit) == (80, 90, "people")


def test_to_range_and_scale_shared_by_both_ends() -> None:
    n = _one("The plan costs $1.5-2 billion.")
    assert (n.value, n.value_max, n.unit) == (1.5e9, 2e9, "USD")


def test_change_from_one_value_to_another_is_not_a_range() -> None:
    found = _numbers("Sales rose from 80 to 90 units, and 43% to 142,285 units.")
    assert all(n.value_max is None for n in found)
    assert [n.value for n in found] == [80, 90, 43, 142285]


# --------------------------------------------------------------------------- bounds


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("About 300 people died.", "about"),
        ("Around 300 people died.", "about"),
        ("Nearly 300 people died.", "about"),
        ("Almost 300 people died.", "about"),
        ("Some 300 people died.", "about"),
        ("Roughly 300 people died.", "about"),
        ("At least 300 people died.", "at_least"),
        ("More than 300 people died.", "more_than"),
        ("Over 300 people died.", "more_than"),
        ("At most 300 people died.", "at_most"),
        ("Up to 300 people died.", "at_most"),
        ("Fewer than 300 people died.", "less_than"),
        ("Less than 300 people died.", "less_than"),
        ("Under 300 people died.", "less_than"),
        ("300 or more people died.", "at_least"),
        ("300 people died.", "exact"),
    ],
)
def test_bound_words(text: str, bound: str) -> None:
    n = _one(text)
    assert (n.value, n.bound, n.unit) == (300, bound, "people")


# --------------------------------------------------------------------------- money and %


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The deal is worth $3 million.", 3e6, "USD"),
        ("Brussels spent €2.5bn on it.", 2.5e9, "EUR"),
        ("London paid £10m for it.", 1e7, "GBP"),
        ("It moved US$1.2 billion.", 1.2e9, "USD"),
        ("They pledged 500 million euros.", 5e8, "EUR"),
        ("Unemployment rose 3.4 percent.", 3.4, "%"),
        ("Unemployment rose 3.4 per cent.", 3.4, "%"),
        ("Unemployment rose 3.4%.", 3.4, "%"),
        ("Support fell two percentage points.", 2, "percentage points"),
    ],
)
def test_money_and_percentages(text: str, value: float, unit: str) -> None:
    n = _one(text)
    assert (n.value, n.unit) == (pytest.approx(value), unit)


# --------------------------------------------------------------------------- not quantities


@pytest.mark.parametrize(
    "text",
    [
        "USA sent supersonic bombers B-1 to the coast.",
        "Relations have been frosty since 2019.",
        "The call took place on November 21 at 10:30.",
        "The call took place 10 days ago.",
        "It was the 21st attempt and the first one.",
        "Call +1 555-123-4567 or 555-1234 for details.",
        "Flight 370 vanished; Air Force One landed; the A380 and COVID-19 were discussed.",
        "No one knew, and one of the victims was the one.",
        "The two met in Caracas.",
        "The 9/11 attacks and a 3:1 vote.",
        "Comments (0)",
        "Maduro Confirms Phone Call with Trump.",
        "Kessa United beat the Rovers 2-1 after extra time.",
        "Around one third of imports and two-thirds of exports pass the port.",
        "The fire broke out on Wednesday, March 11, in Shed C.",
    ],
)
def test_non_quantities_are_not_counted(text: str) -> None:
    assert _numbers(text) == []


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("A 12-year-old girl was shot.", 12.0, "years old"),
        ("A 16-year old boy was charged.", 16.0, "years old"),
        ("Each 40 minutes a bus left.", 40.0, "minutes"),
    ],
)
def test_a_number_after_a_sentences_first_article_is_counted(
    text: str, value: float, unit: str
) -> None:
    """A capitalised word before a number usually names it ("Flight 370"); "A" does not."""
    assert [(n.value, n.unit) for n in _numbers(text)] == [(value, unit)]


# --------------------------------------------------------------------------- docs and order


def test_uses_the_callers_docs_when_they_line_up() -> None:
    text = "Intro line.\nThese operations have left at least 82 people dead."
    sentences, docs = parse(text)
    found = extract_numbers(sentences, docs)
    assert [(n.value, n.unit, n.sentence) for n in found] == [(82, "people dead", 1)]


def test_falls_back_to_tagging_when_docs_do_not_line_up() -> None:
    doc = load_nlp()("Completely different text.")
    found = extract_numbers(_sentences("The US carried out 21 bombings."), doc)
    assert [(n.value, n.unit) for n in found] == [(21, "bombings")]


def test_mentions_keep_sentence_index_and_order() -> None:
    found = _numbers("Nothing.", "It had 5 ships and 7 planes.")
    assert [(n.sentence, n.value, n.unit) for n in found] == [(1, 5, "ships"), (1, 7, "planes")]


def test_example_article_counts() -> None:
    path = EXAMPLES / "article-002.txt"
    if not path.is_file():
        pytest.skip(f"example corpus absent: {EXAMPLES}")
    sentences, docs = parse(path.read_text(encoding="utf-8"))
    found = {(n.value, n.unit, n.bound) for n in extract_numbers(sentences, docs)}
    assert {
        (21, "bombings", "exact"),
        (82, "people dead", "at_least"),
        (8, "airlines", "exact"),
    } <= found


# --------------------------------------------------------------------------- robustness


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_and_text_is_a_substring(text: str) -> None:
    for n in _numbers(text):
        assert n.text and n.text in text
        assert n.value_max is None or n.value_max > n.value


_WORDS = [
    "at",
    "least",
    "about",
    "between",
    "and",
    "to",
    "-",
    "–",
    "$",
    "€",
    "3",
    "10",
    "1,000",
    "2.5",
    "million",
    "bn",
    "%",
    "percent",
    "people",
    "dead",
    "eight",
    "twenty-one",
    "a",
    "dozen",
    "one",
    "of",
    "B-1",
    "2019",
    "21st",
    "or",
    "more",
    "+",
]
_NUMBERY = st.lists(
    st.sampled_from(_WORDS),
    max_size=30,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(_NUMBERY)
def test_number_word_salad_gives_well_formed_mentions(text: str) -> None:
    for n in _numbers(text):
        assert n.text in text
        assert n.value >= 0
        assert n.value_max is None or n.value_max > n.value


def _cost_with_doc(text: str) -> float:
    # The caller's doc carries the tokens, so this times our own code, not spaCy's tagger.
    doc = load_nlp().make_doc(text)
    sentences = _sentences(text)
    return cpu_cost(lambda: extract_numbers(sentences, doc))


@pytest.mark.parametrize("unit", ["1 ", "1-", "about 1 ", "$1", "'8", "1,", "x" * 9 + " "])
def test_long_adversarial_input_runs_in_linear_time(unit: str) -> None:
    _cost_with_doc(unit * 500)  # warm up
    small = _cost_with_doc(unit * (10_000 // len(unit)))
    large = _cost_with_doc(unit * (40_000 // len(unit)))
    assert large < 3.0
    assert large < small * 4 * 2.5 + 0.05


@pytest.mark.parametrize("run", ["(", "%", "'", "$", "#"])
def test_long_punctuation_runs_do_not_stall_the_tagger(run: str) -> None:
    # spaCy's tokenizer is quadratic on such runs; we blank them before tagging.
    text = run * 20_000 + " 5 people"
    started = time.process_time()
    found = _numbers(text)
    assert time.process_time() - started < 2.0
    assert [(n.value, n.unit) for n in found] == [(5, "people")]


def test_partitive_names_what_is_counted_after_of_the() -> None:
    n = _one("Neighbours left flowers outside the homes of two of the victims.")
    assert (n.value, n.unit, n.text) == (2, "victims", "two of the victims")
    assert _one("Two of the dead were citizens of Lindmark.").unit == "dead"


def test_time_word_after_a_count_is_not_what_it_counts() -> None:
    text = "They sent 40 firefighters yesterday and 30 more workers on Monday."
    sentences, docs = parse(text)
    found = extract_numbers(sentences, docs)
    assert [(n.text, n.unit) for n in found] == [
        ("40 firefighters", "firefighters"),
        ("30 more workers", "workers"),
    ]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["ONE", "twenty-five", "a dozen", "TEN", "ſix", "eİght", "none", "x"])
        | st.text(max_size=8),
        max_size=10,
    ).map(" ".join)
)
def test_number_prefilter_never_skips_a_number(text: str) -> None:
    # `_atoms_in` skips the number grammar when a sentence has no digit and no number word;
    # it must find exactly what the grammar run on every sentence finds
    from crosswire.language.numbers import _ATOM, _atom, _atoms_in

    atoms, masked = _atoms_in(text)
    every = [_atom(text, m) for m in _ATOM.finditer(text) if not any(masked[m.start() : m.end()])]
    assert atoms == [a for a in every if a is not None]


@pytest.mark.parametrize(
    "text",
    [
        "The navy seized 12 AK 47 guns from the pirates .",
        "They confiscated 12 AK-47 rifles and ammunition.",
        "Officers found 12 AK - 47 automatic rifles on the boat .",
    ],
)
def test_a_model_designation_is_one_counted_word_however_spaced(text: str) -> None:
    # the count is 12 of "ak47 ..." in every spelling, and the 47 of the name is no figure
    (number,) = _numbers(text)
    assert number.value == 12
    assert number.unit is not None and number.unit.split()[0] == "ak47"
