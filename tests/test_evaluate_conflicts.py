"""`crosswire eval conflicts` (issue 22) on ECB+ dev and GVC: the held-out figures pinned as
floors beside the "numbers differ" baseline, and the scorer shown able to fail (a report that
calls unrelated sentences conflicting scores no precision and no recall)."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from crosswire.evaluate.conflicts import ConflictsEvaluator, number_nouns
from crosswire.models import Report
from crosswire.options import Options
from crosswire.pipeline import analyze

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
GOLD = ROOT / "gold" / "conflicts" / "conflicts.json"


def _need_shared() -> None:
    for part in ("ecbplus-dev/dev_documents.jsonl", "gvc/documents.jsonl"):
        if not (SHARED / part).exists():
            pytest.skip(f"shared data {part} not found under {SHARED}")


@pytest.fixture(scope="module")
def held_out_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """Both corpora's held-out documents in one run (half the articles of `crosswire eval
    conflicts`, whose held-out figures are the same: stories do not cross the halves)."""
    _need_shared()
    folder = tmp_path_factory.mktemp("conflicts")
    return analyze(ConflictsEvaluator(SHARED).split_inputs(GOLD, folder, "heldout"), Options())


@pytest.mark.shared
def test_scoring_one_half_analyses_only_that_halfs_documents(tmp_path: Path) -> None:
    _need_shared()
    ecbplus, gvc = ConflictsEvaluator(SHARED).split_inputs(GOLD, tmp_path, "dev")
    ecb_ids = {json.loads(line)["id"] for line in ecbplus.read_text().splitlines()}
    gvc_ids = {json.loads(line)["id"] for line in gvc.read_text().splitlines()}
    assert {i.split("_")[0] for i in ecb_ids} == {"2", "12", "21", "34"}
    gvc_split = {
        d["id"]: d["split"]
        for d in map(json.loads, (SHARED / "gvc" / "documents.jsonl").read_text().splitlines())
    }
    assert gvc_ids and {gvc_split[i] for i in gvc_ids} == {"dev"}


def test_the_baseline_reads_numbers_by_the_word_after_them() -> None:
    assert number_nouns("27 killed and 63 - year - old man, in 2014 on May 3") == {
        "killed": {27.0},
        "year": {63.0},
    }
    assert number_nouns("Three men and 1,200 people") == {"men": {3.0}, "people": {1200.0}}


@pytest.mark.shared
@pytest.mark.slow
def test_conflicts_on_held_out_groups_stay_above_their_floors(
    held_out_report: Report,
) -> None:
    scores = ConflictsEvaluator(SHARED).evaluate(GOLD, held_out_report, "heldout")
    assert scores.counts["gold conflict pairs"] == 94
    assert scores.counts["gold update pairs (not conflicts)"] == 4
    assert scores.counts["gold pairs with a side not found in the report"] == 0
    # Measured 2026-12-07 (the same on the whole run): crosswire P 0.191 R 0.096 (47 pairs
    # shown, 9 right, none a gold update); numbers differ P 0.007 R 0.191.
    # Before figures were compared by what they count: P 0.093 R 0.245 (246 pairs shown). The
    # recall floor was lowered from 0.22 on purpose: precision comes first (a false alarm costs
    # more than a miss), and most of that recall came from one card lumping every figure of a
    # story, so it was right by accident.
    # Goal (issue 22): precision >= 0.9 and recall >= 0.8.
    assert scores.figure("crosswire", "precision") >= 0.17
    assert scores.figure("crosswire", "recall") >= 0.08
    assert scores.figure("numbers differ", "recall") >= 0.18


@pytest.mark.shared
def test_a_report_of_unrelated_conflicts_scores_nothing(tmp_path: Path) -> None:
    _need_shared()
    evaluator = ConflictsEvaluator(SHARED)
    rows = [
        json.loads(line)
        for source in evaluator.inputs(GOLD, tmp_path)
        for line in source.read_text(encoding="utf-8").splitlines()
    ]
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    wanted = {p["a"]["doc_id"] for p in gold["pairs"]} | {p["b"]["doc_id"] for p in gold["pairs"]}
    rows = [r for r in rows if r["id"] in wanted]
    articles = [
        {
            "id": r["id"],
            "source": r["source"],
            "title": r.get("title") or "",
            "url": None,
            "published": None,
            "published_inferred": False,
            "boilerplate_removed": [],
            "text": r["text"],
        }
        for r in rows
    ]
    # every two consecutive articles "conflict" on their last lines, which no gold pair cites
    conflicts = [
        {
            "id": f"c{i}",
            "kind": "number",
            "subject": "nothing",
            "values": [
                {
                    "value": str(side),
                    "normalized": None,
                    "article_ids": [r["id"]],
                    "evidence": [r["text"].strip().split("\n")[-1]],
                }
                for side, r in enumerate((x, y))
            ],
        }
        for i, (x, y) in enumerate(pairwise(rows))
    ]
    report = Report.model_validate(
        {
            "generated_at": "2026-12-07T00:00:00Z",
            "articles": articles,
            "stories": [
                {
                    "id": "s",
                    "title": "t",
                    "article_ids": [r["id"] for r in rows],
                    "conflicts": conflicts,
                }
            ],
        }
    )
    scores = evaluator.evaluate(GOLD, report, "dev")
    assert scores.figure("crosswire", "conflict pairs shown") > 10
    assert scores.figure("crosswire", "precision") < 0.1
    assert scores.figure("crosswire", "recall") < 0.05
