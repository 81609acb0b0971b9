"""`crosswire eval times` (issue 21): hand-normalised DATE expressions of GVC articles (held-out
figures pinned as floors beside dateparser's, `published` inference on documents whose date is
removed), and MEANTIME (tuned on, dev only) keeping its measured quality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosswire.evaluate.base import Scores
from crosswire.evaluate.scoring import Span
from crosswire.evaluate.times import TimesEvaluator, evaluate_meantime, score_values
from crosswire.models import Report

ROOT = Path(__file__).resolve().parents[1]
# ../shared/data from the repository root; from a worktree under /work/wt, two levels up
SHARED = next(
    (
        p
        for p in (ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data")
        if p.is_dir()
    ),
    ROOT.parent / "shared" / "data",
)
MEANTIME = SHARED / "meantime-en"
GOLD = ROOT / "gold" / "times" / "times.json"

# Measured 2025-11 on all 120 documents: precision 0.979, recall 0.926, f1 0.952,
# value_accuracy 0.958, value_f1 0.912, value_f1_all 0.832. Floors sit a little below.
FLOORS = {
    "precision": 0.95,
    "recall": 0.90,
    "f1": 0.93,
    "value_accuracy": 0.93,
    "value_f1": 0.89,
    "value_f1_all": 0.80,
}


@pytest.fixture(scope="module")
def heldout() -> Scores:
    if not (SHARED / "gvc" / "documents.jsonl").exists():
        pytest.skip(f"GVC documents not found under {SHARED}")
    empty = Report.model_validate(
        {"generated_at": "2026-12-07T00:00:00Z", "articles": [], "stories": []}
    )
    return TimesEvaluator(SHARED).evaluate(GOLD, empty, "heldout")


@pytest.mark.shared
@pytest.mark.slow
def test_dates_of_held_out_articles_stay_above_their_floors(heldout: Scores) -> None:
    assert heldout.counts["documents"] == 40
    assert heldout.counts["gold DATE expressions"] == 129
    # Measured 2026-12-07: value F1 0.880 (P 0.909, R 0.853), span F1 0.944; dateparser's
    # search_dates value F1 0.265. Goal (issue 21): value F1 >= 0.85.
    assert heldout.figure("crosswire", "value F1") >= 0.85
    assert heldout.figure("crosswire", "value recall") >= 0.82
    assert heldout.figure("dateparser search_dates", "value F1") < 0.4
    # Measured 2026-12-07: 3/3 inferable documents right within a day; 0.054 of the others get
    # a date more than a day off. Goal (issue 21): >= 0.8 of the inferable ones.
    assert heldout.figure("crosswire", "published within a day (inferable)") >= 0.8
    assert heldout.figure("crosswire", "published off by > 1 day (not inferable)") <= 0.1


def test_wrong_values_and_stray_spans_score_low() -> None:
    gold = [
        {"doc_id": "d", "start": 0, "end": 8, "value": "2016-10-22"},
        {"doc_id": "d", "start": 20, "end": 26, "value": "2016-10-21"},
    ]
    assert score_values(gold, [(Span("d", 0, 8), "2016-10-22")])["value precision"] == 1.0
    wrong = score_values(gold, [(Span("d", 0, 8), "2016-10-15"), (Span("d", 40, 46), "2016")])
    assert wrong["value F1"] == 0.0
    assert wrong["span F1"] == pytest.approx(0.5)


@pytest.mark.shared
def test_meantime_scores_stay_above_their_floors() -> None:
    if not MEANTIME.is_dir():
        pytest.skip(f"MEANTIME corpus absent: {MEANTIME}")
    scores = evaluate_meantime(MEANTIME)
    assert scores["documents"] == 120
    assert scores["gold"] >= 250  # the scored DATE/TIME timexes of the annotated sentences
    below = {k: round(scores[k], 3) for k, floor in FLOORS.items() if scores[k] < floor}
    assert not below, f"below floor: {below} (floors {FLOORS})"


def test_empty_folder_scores_zero_without_error(tmp_path: Path) -> None:
    scores = evaluate_meantime(tmp_path)
    assert scores["documents"] == 0
    assert scores["f1"] == 0 and scores["value_f1"] == 0


@pytest.mark.shared
def test_gold_times_name_gvc_documents() -> None:
    if not (SHARED / "gvc" / "documents.jsonl").exists():
        pytest.skip(f"GVC documents not found under {SHARED}")
    gold = json.loads(GOLD.read_text())
    assert {d["split"] for d in gold["docs"]} == {"dev", "heldout"}
