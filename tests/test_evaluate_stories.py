"""`crosswire eval stories` (issue 25): clustering metrics on hand examples, the scorer shown
able to fail, and story grouping on the shared corpora's held-out parts pinned as floors
beside the told-k baseline of the same run (ECB+, GVC, meantime-xl apple, the mixed run,
stream against batch)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosswire.evaluate.base import Scores
from crosswire.evaluate.stories import (
    StoriesEvaluator,
    bcubed,
    load_ecbplus,
    splits_and_merges,
    v_measure,
)
from crosswire.evaluate.story_corpora import read_gold
from crosswire.models import Report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
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


def test_splits_and_merges_name_the_gold_stories_spread_and_the_stories_mixed() -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}
    pred = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "2"}
    assert splits_and_merges(pred, gold) == ({"x": [2, 1]}, {"2": ["x", "y", "z"]})
    assert splits_and_merges(gold, gold) == ({}, {})


def _report(stories: list[list[str]], texts: dict[str, str]) -> Report:
    return Report.model_validate(
        {
            "generated_at": "2026-12-07T00:00:00Z",
            "articles": [
                {
                    "id": i,
                    "source": i,
                    "title": "",
                    "url": None,
                    "published": None,
                    "published_inferred": False,
                    "boilerplate_removed": [],
                    "text": t,
                }
                for i, t in texts.items()
            ],
            "stories": [
                {"id": f"s{n}", "title": "t", "article_ids": ids, "claims": []}
                for n, ids in enumerate(stories)
            ],
        }
    )


def test_a_report_that_lumps_every_story_together_scores_low(tmp_path: Path) -> None:
    gold = tmp_path / "gold.json"
    stories = [["f1", "f2", "f3"], ["q1", "q2", "q3"], ["v1", "v2"]]
    gold.write_text(json.dumps({"stories": [{"article_ids": s} for s in stories]}))
    texts = {
        **{f"f{i}": f"A fire destroyed the warehouse on the quay, report {i}." for i in (1, 2, 3)},
        **{
            f"q{i}": f"An earthquake shook the coastal town at dawn, report {i}." for i in (1, 2, 3)
        },
        **{
            f"v{i}": f"Parliament voted on the budget bill late on Monday, report {i}."
            for i in (1, 2)
        },
    }
    evaluator = StoriesEvaluator(tmp_path)
    lumped = evaluator.evaluate(gold, _report([list(texts)], texts), None)
    assert lumped.figure("crosswire", "merged stories") == 1
    assert lumped.figure("crosswire", "B3 P") == pytest.approx((9 + 9 + 4) / 8 / 8)
    assert lumped.figure("crosswire", "B3 F1") < 0.6
    # the told-k baseline, on the same texts, finds the three stories
    assert lumped.figure("told-k baseline", "B3 F1") == pytest.approx(1.0)
    right = evaluator.evaluate(gold, _report(stories, texts), None)
    assert right.figure("crosswire", "B3 F1") == pytest.approx(1.0)
    # an article the report left out of every story is a story of its own
    missing = evaluator.evaluate(gold, _report([["f1", "f2"], *stories[1:]], texts), None)
    assert missing.figure("crosswire", "split stories") == 1


def test_read_gold_splits_meantime_xl_by_corpus_and_ecbplus_by_topic(tmp_path: Path) -> None:
    annotation = tmp_path / "meantime-en" / "intra_cross-doc_annotation"
    (annotation / "corpus_airbus").mkdir(parents=True)
    (annotation / "corpus_apple").mkdir()
    (annotation / "corpus_airbus" / "11_Airbus_wins.xml").write_text("")
    (annotation / "corpus_apple" / "22_Apple_sells.xml").write_text("")
    gold = tmp_path / "meantime-xl-dev" / "gold.json"
    gold.parent.mkdir()
    gold.write_text(json.dumps({"en_11": "mt11", "es_11": "mt11", "nl_22": "mt22"}))
    corpus = read_gold(gold)
    assert dict(corpus.split_of) == {"en_11": "dev", "es_11": "dev", "nl_22": "heldout"}
    docs = tmp_path / "dev_documents.jsonl"
    rows = [
        {"doc_id": "2_1ecb.xml", "subtopic": "ecb", "event_cluster": "2_ecb", "sentences": ["A."]},
        {"doc_id": "5_1ecb.xml", "subtopic": "ecb", "event_cluster": "5_ecb", "sentences": ["B."]},
    ]
    docs.write_text("".join(json.dumps(r) + "\n" for r in rows))
    ecb = read_gold(docs)
    assert dict(ecb.split_of) == {"2_1ecb.xml": "dev", "5_1ecb.xml": "heldout"}
    assert [a.text for a in ecb.part("heldout").articles] == ["B."]


# --------------------------------------------------------------------------- shared corpora


@pytest.fixture(scope="module")
def evaluator() -> StoriesEvaluator:
    """One evaluator for the module: each article is analysed once (the pipeline's language
    stage), however many corpora and tests read it."""
    if not (SHARED / "ecbplus-dev" / "dev_documents.jsonl").exists():
        pytest.skip(f"the shared corpora are not found under {SHARED}")
    return StoriesEvaluator(SHARED)


@pytest.fixture(scope="module")
def heldout(evaluator: StoriesEvaluator) -> dict[str, Scores]:
    results = evaluator.suite("heldout")
    return dict(zip(("ECB+", "GVC", "meantime-xl", "mixed"), results, strict=True))


@pytest.mark.shared
@pytest.mark.slow
def test_ecbplus_held_out_topics_stay_above_their_floors(heldout: dict[str, Scores]) -> None:
    scores = heldout["ECB+"]
    assert scores.counts == {"articles": 92, "gold stories": 8}
    # Measured 2026-12-07: B3 P 1.000 R 0.893 F1 0.943; told-k baseline 0.861. Goal (issue
    # 25): >= 0.95, and ahead of the baseline.
    assert scores.figure("crosswire", "B3 F1") >= 0.93
    assert scores.figure("crosswire", "B3 F1") > scores.figure("told-k baseline", "B3 F1")
    assert scores.figure("told-k baseline", "B3 F1") == pytest.approx(0.861, abs=0.002)
    assert scores.figure("crosswire", "V-measure") > scores.figure("told-k baseline", "V-measure")
    assert scores.figure("crosswire", "merged stories") == 0
    # ECB+ as a whole (what `eval stories` printed before issue 25): 0.974, baseline 0.847;
    # dev topics alone 0.991 (tuned there), so no floor on them here.


@pytest.mark.shared
@pytest.mark.slow
def test_gvc_held_out_incidents_stay_above_their_floor(heldout: dict[str, Scores]) -> None:
    scores = heldout["GVC"]
    assert scores.counts == {"articles": 74, "gold stories": 34}
    # Measured 2026-12-07: B3 P 1.000 R 0.903 F1 0.949 (5 incidents split), behind the told-k
    # baseline's 0.971. Goal (issue 25): >= 0.97 and ahead of the baseline.
    assert scores.figure("crosswire", "B3 F1") >= 0.94
    assert scores.figure("told-k baseline", "B3 F1") == pytest.approx(0.971, abs=0.002)


@pytest.mark.shared
@pytest.mark.slow
def test_meantime_xl_apple_across_four_languages_stays_above_its_floor(
    heldout: dict[str, Scores],
) -> None:
    scores = heldout["meantime-xl"]
    assert scores.counts == {"articles": 120, "gold stories": 30}
    # Measured 2026-12-07: B3 P 0.919 R 0.958 F1 0.938 with stories joined across languages
    # (stories/languages.py; 0.695 before, translations mostly apart; dev airbus 0.642 -> 0.951);
    # told-k baseline 0.360. Goal (issue 25): >= 0.95.
    assert scores.figure("crosswire", "B3 F1") >= 0.92
    assert scores.figure("crosswire", "B3 F1") > scores.figure("told-k baseline", "B3 F1")


@pytest.mark.shared
@pytest.mark.slow
def test_the_mixed_held_out_run_merges_nothing_and_splits_few(heldout: dict[str, Scores]) -> None:
    scores = heldout["mixed"]
    assert scores.counts["articles"] == 92 + 74 + 5 + 8
    assert scores.counts["gold stories"] == 8 + 34 + 1 + 2
    # Measured 2026-12-07: F1 0.956 (told-k baseline 0.903); 7 gold stories split (2 ECB+,
    # 5 GVC; the seeds and the demo corpus whole), none merged. Goal: no split, no merge.
    assert scores.figure("crosswire", "B3 F1") >= 0.94
    assert scores.figure("crosswire", "merged stories") == 0
    assert scores.figure("crosswire", "split stories") <= 8
    assert not any("seeds" in note or "demo" in note for note in scores.notes)


@pytest.mark.shared
@pytest.mark.slow
def test_streaming_in_five_orders_stays_close_to_batch_on_held_out_data(
    heldout: dict[str, Scores],
) -> None:
    streaming = "streaming (5 orders)"
    # Measured 2026-12-07, B3 F1 of the streamed stories against the batch ones: ECB+ min
    # 0.958, mean 0.977 (the index re-places what it filed during its warm-up, and the order
    # changes what it joins); GVC 1.000. Goal (issue 25 point 4): >= 0.99 in every order.
    assert heldout["ECB+"].figure(streaming, "B3 F1 vs batch (min)") >= 0.94
    assert heldout["GVC"].figure(streaming, "B3 F1 vs batch (min)") >= 0.99
    for corpus in ("ECB+", "GVC"):
        assert heldout[corpus].figure(streaming, "B3 F1") >= 0.93, corpus
