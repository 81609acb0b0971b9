"""Clustering metrics on hand examples, and story grouping scored on ECB+ dev."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosswire.evaluate.stories import (
    AnalysesProvider,
    bcubed,
    evaluate_ecbplus,
    format_results,
    language_analyses,
    load_ecbplus,
    v_measure,
)

ECBPLUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev"
GOLD = {"a": "x", "b": "x", "c": "y", "d": "y"}


def test_bcubed_of_a_perfect_clustering_is_one_whatever_the_labels() -> None:
    assert bcubed({"a": "1", "b": "1", "c": "2", "d": "2"}, GOLD) == (1.0, 1.0, 1.0)
    assert v_measure({"a": "1", "b": "1", "c": "2", "d": "2"}, GOLD) == pytest.approx(1.0)


def test_bcubed_of_everything_in_one_cluster_has_full_recall_half_precision() -> None:
    precision, recall, f1 = bcubed(dict.fromkeys(GOLD, "all"), GOLD)
    assert (precision, recall) == (0.5, 1.0)
    assert f1 == pytest.approx(2 / 3)
    assert v_measure(dict.fromkeys(GOLD, "all"), GOLD) == pytest.approx(0.0)


def test_bcubed_of_all_singletons_has_full_precision_half_recall() -> None:
    precision, recall, f1 = bcubed({k: k for k in GOLD}, GOLD)
    assert (precision, recall) == (1.0, 0.5)
    assert f1 == pytest.approx(2 / 3)


def test_bcubed_of_an_uneven_split_matches_the_hand_count() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y"}
    pred = {"a": "1", "b": "1", "c": "2", "d": "2"}
    # precision per item 1, 1, 1/2, 1/2; recall per item 2/3, 2/3, 1/3, 1
    precision, recall, f1 = bcubed(pred, gold)
    assert precision == pytest.approx(0.75)
    assert recall == pytest.approx(2 / 3)
    assert f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))


def test_bcubed_refuses_items_missing_from_the_prediction() -> None:
    with pytest.raises(ValueError, match="no predicted cluster"):
        bcubed({"a": "1"}, GOLD)


def test_load_ecbplus_moves_the_leading_url_out_of_the_text(tmp_path: Path) -> None:
    docs = [
        {
            "doc_id": "1_1ecbplus.xml",
            "topic": "1",
            "subtopic": "ecbplus",
            "event_cluster": "1_ecbplus",
            "n_sentences": 2,
            "sentences": ["http : / / example . com / story", "A ship sank ."],
        },
        {
            "doc_id": "1_2ecb.xml",
            "topic": "1",
            "subtopic": "ecb",
            "event_cluster": "1_ecb",
            "n_sentences": 1,
            "sentences": ["Another ship sank ."],
        },
    ]
    path = tmp_path / "dev_documents.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    articles, gold = load_ecbplus(tmp_path)
    assert [a.text for a in articles] == ["A ship sank .", "Another ship sank ."]
    assert articles[0].url == "http://example.com/story"
    assert articles[0].source == "example.com"
    assert articles[0].published is None
    assert gold == {"1_1ecbplus.xml": "1_ecbplus", "1_2ecb.xml": "1_ecb"}


@pytest.fixture(scope="module")
def ecbplus_analyses() -> AnalysesProvider:
    """The pipeline's own language stage on ECB+ dev, run once for the tests that need it
    (about 20 s): one pass instead of one per test."""
    if not (ECBPLUS / "dev_documents.jsonl").exists():
        pytest.skip(f"ECB+ dev data not found at {ECBPLUS}")
    articles, _ = load_ecbplus(ECBPLUS)
    analyses = language_analyses(articles)
    return lambda _articles: analyses


@pytest.mark.shared
@pytest.mark.slow
def test_story_grouping_on_ecbplus_dev_beats_the_baseline_told_the_cluster_count(
    ecbplus_analyses: AnalysesProvider,
) -> None:
    results = evaluate_ecbplus(ECBPLUS, analyses_provider=ecbplus_analyses)
    ours, baseline = results["ours"], results["baseline"]
    assert results["gold"]["documents"] == 196
    assert results["gold"]["clusters"] == 16
    assert baseline["bcubed_f1"] == pytest.approx(0.847, abs=0.002)  # the published reference
    # Measured 0.974 at the default threshold 0.18 (0.955 with spaCy's NER alone), on the data
    # the threshold was tuned on: expect less on held-out data.
    assert ours["bcubed_f1"] >= 0.96
    assert ours["bcubed_f1"] > baseline["bcubed_f1"]
    assert ours["v_measure"] > baseline["v_measure"]
    assert "ours" in format_results(results)


@pytest.mark.shared
@pytest.mark.slow
def test_streaming_one_document_at_a_time_scores_within_a_point_of_batch_on_ecbplus_dev(
    ecbplus_analyses: AnalysesProvider,
) -> None:
    results = evaluate_ecbplus(ECBPLUS, analyses_provider=ecbplus_analyses, streaming=True)
    batch = results["ours"]["bcubed_f1"]
    # Measured 0.974 in both orders, as batch. ECB+ dev (196 documents) is within the index's
    # warm-up; without it, filing one at a time scored 0.92-0.95 (see bench/README.md).
    for order in ("streaming", "streaming shuffled"):
        assert abs(results[order]["bcubed_f1"] - batch) <= 0.01, order
        assert results[order]["bcubed_f1"] >= 0.96, order
    assert "streaming shuffled" in format_results(results)
