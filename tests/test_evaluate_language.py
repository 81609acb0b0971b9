"""The language stage keeps its measured quality on the hand-annotated demo corpus; the shared
scoring helpers count the way the evaluators say they do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.evaluate.language import (
    GOLD_NAME,
    evaluate_language,
    locate,
    normalize_name,
    title_matches,
)
from crosswire.evaluate.scoring import Span, match_spans, prf

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "harbour-fire"

# Measured 2025-11 on the 8 articles of examples/harbour-fire (crosswire eval language):
# entities P/R/F 0.943/0.880/0.910, type 0.853, aliases 0.771; titles 0.969/0.969/0.969;
# quotes 1.000/0.934/0.966, kind 1.000; speakers 1.000/0.913/0.955, accuracy 0.972;
# numbers 0.935/0.935/0.935, value/unit/bound 1.000; times 1.000/0.818/0.900, value
# accuracy 0.926, value_f1 0.833. Floors sit about one item below each figure.
FLOORS: dict[str, dict[str, float]] = {
    "entities": {
        "precision": 0.92,
        "recall": 0.86,
        "f1": 0.89,
        "type_accuracy": 0.83,
        "alias_recall": 0.74,
    },
    "titles": {"precision": 0.93, "recall": 0.93, "f1": 0.93},
    "quotes": {"precision": 0.97, "recall": 0.91, "f1": 0.94, "kind_accuracy": 0.97},
    "speakers": {"precision": 0.97, "recall": 0.89, "f1": 0.93, "accuracy": 0.95},
    "numbers": {
        "precision": 0.90,
        "recall": 0.90,
        "f1": 0.90,
        "value_accuracy": 0.96,
        "unit_accuracy": 0.96,
        "bound_accuracy": 0.96,
    },
    "times": {
        "precision": 0.96,
        "recall": 0.78,
        "f1": 0.87,
        "value_accuracy": 0.88,
        "value_f1": 0.80,
    },
}


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, float]]:
    return evaluate_language(CORPUS)


def test_every_gold_item_is_found_in_the_cleaned_articles(
    scores: dict[str, dict[str, float]],
) -> None:
    assert scores["coverage"] == {"articles": 8, "articles_missing": 0, "gold_unlocated": 0}


def test_language_scores_stay_above_their_floors(scores: dict[str, dict[str, float]]) -> None:
    below = {
        f"{family}.{metric}": round(scores[family][metric], 3)
        for family, floors in FLOORS.items()
        for metric, floor in floors.items()
        if scores[family][metric] < floor
    }
    assert not below, f"below floor: {below}"


def test_gold_speakers_are_entities_of_their_article() -> None:
    gold = json.loads((CORPUS / GOLD_NAME).read_text(encoding="utf-8"))["articles"]
    for article_id, annotation in gold.items():
        names = {normalize_name(e["name"]) for e in annotation["entities"]}
        for quote in annotation["quotes"]:
            if quote["speaker"] is not None:
                assert normalize_name(quote["speaker"]) in names, (article_id, quote)


def test_gold_dates_are_the_publication_dates_of_the_corpus() -> None:
    language = json.loads((CORPUS / GOLD_NAME).read_text(encoding="utf-8"))["articles"]
    corpus = json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))["articles"]
    assert {k: v["published"] for k, v in language.items()} == {
        k: v["published"] for k, v in corpus.items()
    }


def test_article_missing_from_the_folder_counts_all_its_gold_as_missed(tmp_path: Path) -> None:
    (tmp_path / "wire.txt").write_text(
        "Port fire\n\nMayor Jonas Revik said 12 workers died on Tuesday.\n", encoding="utf-8"
    )
    one: dict[str, Any] = {
        "published": None,
        "entities": [{"name": "Jonas Revik", "type": "PERSON", "titles": ["Mayor"]}],
        "quotes": [
            {"text": "12 workers died on Tuesday", "speaker": "Jonas Revik", "kind": "indirect"}
        ],
        "numbers": [{"text": "12 workers", "value": 12, "unit": "workers", "bound": "exact"}],
        "times": [],
    }
    gold = {"articles": {"wire": one, "elsewhere": one}}
    (tmp_path / GOLD_NAME).write_text(json.dumps(gold), encoding="utf-8")
    scores = evaluate_language(tmp_path)
    assert scores["coverage"]["articles"] == 1 and scores["coverage"]["articles_missing"] == 1
    assert scores["numbers"]["recall"] == 0.5 and scores["numbers"]["precision"] == 1.0
    assert scores["entities"]["recall"] == 0.5 and scores["titles"]["recall"] == 0.5
    assert scores["speakers"]["accuracy"] == 1.0


def test_cli_prints_one_row_per_family_and_metric() -> None:
    result = CliRunner().invoke(app, ["eval", "language", str(CORPUS / GOLD_NAME)])
    assert result.exit_code == 0, result.output
    for row in ("entities.f1", "titles.recall", "speakers.accuracy", "times.value_accuracy"):
        assert row in result.output


def test_cli_says_which_gold_file_is_missing(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "language", str(tmp_path)])
    assert result.exit_code == 2
    assert GOLD_NAME in result.output


# --------------------------------------------------------------------------- scoring helpers


def test_prf_of_a_perfect_an_empty_and_a_partial_result() -> None:
    assert prf(5, 5, 5) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    partial = prf(2, 4, 8)
    assert (partial["precision"], partial["recall"]) == (0.5, 0.25)
    assert partial["f1"] == pytest.approx(1 / 3)


def test_spans_match_one_to_one_when_they_share_a_character() -> None:
    gold = [Span(0, 0, 10), Span(0, 20, 30), Span(1, 0, 10)]
    perfect = match_spans(gold, gold)
    assert perfect.pairs == [(0, 0), (1, 1), (2, 2)] and perfect.counted == 3
    assert match_spans([], gold).matched == 0 and match_spans(gold, []).counted == 3
    partial = match_spans([Span(0, 5, 12), Span(0, 10, 20), Span(0, 25, 26)], gold)
    assert partial.pairs == [(0, 0), (2, 1)]  # [10, 20) touches neither: spans are half-open
    assert partial.counted == 3
    assert match_spans([Span(1, 20, 30)], [Span(0, 20, 30)]).matched == 0  # other sentence


def test_best_overlap_picks_the_nested_gold_item() -> None:
    # a reported clause [0, 80) holding a partial quote [30, 40)
    gold = [Span(0, 0, 80), Span(0, 30, 40)]
    assert match_spans([Span(0, 30, 40)], gold, prefer="best").pairs == [(0, 1)]
    assert match_spans([Span(0, 30, 40)], gold).pairs == [(0, 0)]


def test_fragments_and_ignored_spans_count_neither_way_when_asked() -> None:
    gold = [Span(0, 0, 40)]  # "midnight on Wednesday, March 11"
    pieces = [Span(0, 0, 8), Span(0, 12, 40)]
    assert match_spans(pieces, gold).counted == 2
    assert match_spans(pieces, gold, count_fragments=False).counted == 1
    ignored = match_spans([Span(0, 50, 60)], gold, [Span(0, 50, 55)])
    assert ignored.counted == 0 and ignored.matched == 0


def test_locate_folds_quotes_case_and_spaces_and_uses_context() -> None:
    text = "On the night shift “Our Thoughts”  are here, through the night."
    found = locate(text, '"our thoughts" are')
    assert found is not None and text[found.start : found.end] == "“Our Thoughts”  are"
    night = locate(text, "the night", context="through the night")
    assert night is not None and night.start == text.rindex("the night")
    assert locate(text, "the day") is None


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab “”\"'’ \nC.")), max_size=60), st.data())
def test_locate_finds_any_piece_of_the_text(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    needle = text[i:j]
    found = locate(text, needle)
    if not needle.strip():
        assert found is None
        return
    assert found is not None
    fold = str.maketrans({"“": '"', "”": '"', "’": "'"})
    got = " ".join(text[found.start : found.end].translate(fold).lower().split())
    assert got == " ".join(needle.translate(fold).lower().split())


def test_titles_agree_when_one_holds_the_others_words() -> None:
    assert title_matches("chief executive", "PAA’s chief executive")
    assert title_matches("Mayor", "mayor of Port Almera")
    assert not title_matches("Union leader", "general secretary")
    assert not title_matches("", "Mayor")


def test_names_compare_without_accents_case_article_or_possessive() -> None:
    assert normalize_name("The Dockworkers’ Union") == normalize_name("dockworkers' union")
    assert normalize_name("Straža") == normalize_name("Straza")
    assert normalize_name("Ostrow's") == "ostrow"


def test_cli_scores_the_demo_corpus_without_the_shared_data(tmp_path: Path) -> None:
    missing = tmp_path / "no-shared-data"
    result = CliRunner().invoke(
        app, ["eval", "language", str(CORPUS / GOLD_NAME), "--data", str(missing)]
    )
    assert result.exit_code == 0, result.output
    assert "entities.f1" in result.output
