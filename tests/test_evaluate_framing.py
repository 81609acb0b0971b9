"""`crosswire eval framing` (issue 23): framing terms of multi-outlet stories (hand-marked ECB+
and GVC gold) and loaded words on BABE, held-out figures pinned as floors beside the baselines,
and the scorers shown able to fail (wrong flags score low, the gold itself scores 1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crosswire.evaluate.base import HELDOUT_TOPICS
from crosswire.evaluate.framing import (
    FramingEvaluator,
    babe_sentences,
    marked_phrases,
    score_sentences,
    term_spans,
    todays_lexicon,
    word_list_flagger,
)
from crosswire.models import Report
from crosswire.options import Options
from crosswire.pipeline import analyze

ROOT = Path(__file__).resolve().parents[1]
# CROSSWIRE_SHARED_DATA: where a git worktree has no ../shared beside it
SHARED = Path(os.environ.get("CROSSWIRE_SHARED_DATA") or ROOT.parent / "shared" / "data")
GOLD = ROOT / "gold" / "framing" / "framing.json"
NEEDED = [
    SHARED / "ecbplus-dev" / "dev_documents.jsonl",
    SHARED / "gvc" / "documents.jsonl",
    SHARED / "babe" / "babe.jsonl",
]


def _require_shared() -> None:
    missing = [str(p) for p in NEEDED if not p.exists()]
    if missing:
        pytest.skip(f"shared data not found: {', '.join(missing)}")


@pytest.fixture(scope="module")
def heldout_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The evaluator's inputs cut to the held-out half (ECB+ topics 5, 18, 23, 35; GVC held-out
    incidents), analysed once: half the time of the whole, and the same held-out figures (no
    story of the full run mixes the halves or the corpora; checked 2026-12-07)."""
    _require_shared()
    folder = tmp_path_factory.mktemp("framing")
    inputs = FramingEvaluator(SHARED).inputs(GOLD, folder)
    keep = {
        json.loads(line)["doc_id"]
        for line in (SHARED / "ecbplus-dev" / "dev_documents.jsonl").read_text().splitlines()
        if line.strip() and str(json.loads(line)["topic"]) in HELDOUT_TOPICS
    }
    keep |= {
        json.loads(line)["id"]
        for line in (SHARED / "gvc" / "documents.jsonl").read_text().splitlines()
        if line.strip() and json.loads(line)["split"] == "heldout"
    }
    for path in inputs:
        rows = [r for r in path.read_text().splitlines() if json.loads(r)["id"] in keep]
        path.write_text("\n".join(rows) + "\n")
    return analyze(inputs, Options())


@pytest.mark.shared
@pytest.mark.slow
def test_framing_on_held_out_halves_stays_above_its_floors(heldout_report: Report) -> None:
    scores = FramingEvaluator(SHARED).evaluate(GOLD, heldout_report, "heldout")
    assert scores.counts["gold terms"] == 57
    assert scores.counts["gold terms not found in the report"] == 0
    assert scores.counts["BABE sentences"] == 1849
    # Measured 2026-12-07 (multi-outlet terms): before the lexicon, crosswire recall 0.000,
    # precision 0.000 (8 flags, all titles and word-family choices the gold does not mark);
    # with compare.lexicon recall 0.351, precision 0.210 (100 flags; dev 0.470 / 0.444); with
    # its judging and hyperbole lists recall 0.351, precision 0.208 (101 flags; dev 0.470 /
    # 0.440).
    # With compare.contrast (minority nouns for a person named by age, dropped hedges, colouring
    # adverbs few outlets use, loaded substitutions) and quoted self-reported feelings left
    # out: recall 0.368, precision 0.209 (110 flags; dev 0.759 / 0.489, 133 flags).
    # The 18-word list flags nothing there; adjectives+adverbs recall 0.474, precision 0.037.
    # Floors lowered on purpose: the lexicon's "vivid" list held words of this gold's own terms
    # and of its guidelines' examples (nabbed, nabs, mowed, slain, skirmish, ordeal, unreal...),
    # so it measured the gold, not the method; without it: recall 0.333, precision 0.194
    # (dev 0.602 / 0.432).
    # Goal (issue 23): recall >= 0.7 of the marked terms.
    assert scores.figure("crosswire", "terms recall") >= 0.31
    assert scores.figure("crosswire", "terms precision") >= 0.17
    assert scores.figure("adjectives+adverbs", "terms recall") >= 0.45
    assert scores.figure("adjectives+adverbs", "terms precision") <= 0.1
    # Measured 2026-12-07 (BABE held-out): the 18-word list recall 0.021, precision 0.550;
    # crosswire's lexicon (compare.lexicon) recall 0.310, precision 0.373 (dev 0.301 / 0.383);
    # with the judging and hyperbole lists, in the outlet's own voice, recall 0.361, precision
    # 0.409 (1,424 flags; dev 0.331 / 0.398); adjectives+adverbs recall 0.403, precision 0.100.
    # Goal: recall >= 0.5 and precision >= 0.5. Precision's floor is lower than the list's: the
    # list flagged 60 words, the lexicon 1,424, at 17 times its recall.
    assert scores.figure("crosswire", "BABE recall") >= 0.35
    assert scores.figure("crosswire", "BABE precision") >= 0.39
    assert scores.figure("18-word list", "BABE recall") == pytest.approx(0.021, abs=0.005)
    assert scores.figure("adjectives+adverbs", "BABE recall") == pytest.approx(0.403, abs=0.02)
    assert scores.figure("adjectives+adverbs", "BABE precision") <= 0.15


def _with_framing(report: Report, entries: list[dict[str, object]]) -> Report:
    data = report.model_dump(mode="json")
    data["stories"] = [
        {"id": "s", "title": "t", "article_ids": [a["id"] for a in data["articles"]]}
    ]
    data["stories"][0]["framing"] = entries
    return Report.model_validate(data)


@pytest.mark.shared
@pytest.mark.slow
def test_wrong_flags_score_low_and_the_gold_scores_one(heldout_report: Report) -> None:
    gold = json.loads(GOLD.read_text())
    read = {d for g in gold["groups_read"] if g["split"] == "heldout" for d in g["doc_ids"]}
    the = [
        {"article_id": a, "term": "the", "refers_to": "x", "others_use": [], "loaded": True}
        for a in sorted(read)
    ]
    evaluator = FramingEvaluator(SHARED)
    wrong = evaluator.evaluate(GOLD, _with_framing(heldout_report, the), "heldout")
    assert wrong.figure("crosswire", "terms precision") < 0.2
    assert wrong.figure("crosswire", "terms recall") < 0.2
    right = [
        {"article_id": t["doc_id"], "term": t["term"], "refers_to": "x", "others_use": []}
        for t in gold["terms"]
        if t["split"] == "heldout"
    ]
    perfect = evaluator.evaluate(GOLD, _with_framing(heldout_report, right), "heldout")
    assert perfect.figure("crosswire", "terms recall") == 1.0
    assert perfect.figure("crosswire", "terms precision") == 1.0


@pytest.mark.shared
def test_babe_scorer_rewards_marked_words_and_punishes_blanket_flags() -> None:
    _require_shared()
    sentences = babe_sentences(SHARED / "babe", "heldout")
    assert score_sentences(lambda s: [], sentences)["recall"] == 0.0
    everything = score_sentences(lambda s: [(0, len(s))], sentences)
    assert everything["recall"] > 0.99
    assert everything["precision"] < 0.6  # about half the sentences have no marked word
    marked = {s.text: list(s.phrases) for s in sentences}
    oracle = score_sentences(lambda s: marked[s], sentences)
    # three held-out texts occur twice with different marks, so the text-keyed oracle is a
    # hair under 1
    assert oracle["recall"] > 0.99 and oracle["precision"] > 0.99
    assert score_sentences(word_list_flagger(todays_lexicon()), sentences)["flags"] > 0


def test_marked_words_one_space_apart_form_one_phrase() -> None:
    text = "a rammed through bill, radical left"
    spans = [(2, 8), (9, 16), (23, 30), (31, 35)]
    assert marked_phrases(text, spans) == [(2, 16), (23, 35)]
    assert marked_phrases("bad,  worse", [(0, 3), (6, 11)]) == [(0, 3), (6, 11)]


def test_terms_are_found_at_every_occurrence_in_any_case_and_spacing() -> None:
    text = "The Regime said.\nregime  change; the regimes"
    assert term_spans(text, "regime") == [(4, 10), (17, 23)]
    assert term_spans("face - off here", "face -  off") == [(0, 10)]
