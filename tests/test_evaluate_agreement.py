"""`crosswire eval agreement` and `crosswire eval links` (issue 20) on ECB+ dev: the figures of
the held-out topics pinned as floors, the baselines beside them, and the scorers shown able to
fail (a report whose claims each cite one sentence scores no recall)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosswire.evaluate.agreement import AgreementEvaluator
from crosswire.evaluate.links import LinksEvaluator
from crosswire.models import Report
from crosswire.options import Options
from crosswire.pipeline import analyze

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
GOLD = ROOT / "gold" / "agreement" / "ecbplus.json"


def _gold_report(gold: Path, data: str, factory: pytest.TempPathFactory) -> Report:
    """crosswire's report on every article of the corpus `gold` points into (skipped without
    that corpus's `data` file)."""
    if not (SHARED / data).exists():
        pytest.skip(f"{data} not found under {SHARED}")
    return analyze(AgreementEvaluator(SHARED).inputs(gold, factory.mktemp("gold")), Options())


@pytest.fixture(scope="module")
def ecbplus_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return _gold_report(GOLD, "ecbplus-dev/dev_documents.jsonl", tmp_path_factory)


@pytest.mark.shared
@pytest.mark.slow
def test_agreement_on_held_out_topics_stays_above_its_floors(ecbplus_report: Report) -> None:
    scores = AgreementEvaluator(SHARED).evaluate(GOLD, ecbplus_report, "heldout")
    assert scores.counts["facts"] == 306
    # Measured 2026-12-07: sentence-level claims recall 0.820, called single-source 0.614,
    # precision 0.789; fact claims (compare/facts.py) 0.876, 0.176, 0.825.
    # Goals (issue 20): recall >= 0.8, single-source <= 0.1, precision >= 0.8.
    assert scores.figure("crosswire", "recall") >= 0.85
    assert scores.figure("crosswire", "called single-source") <= 0.2
    assert scores.figure("crosswire", "precision") >= 0.8
    # every sentence of an event in one claim: recall for free, precision exposes it
    assert scores.figure("one claim per event", "recall") >= 0.99  # a few loci not in the text
    assert scores.figure("one claim per event", "precision") < 0.3


GVC_GOLD = ROOT / "gold" / "agreement" / "gvc.json"


@pytest.fixture(scope="module")
def gvc_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    return _gold_report(GVC_GOLD, "gvc/documents.jsonl", tmp_path_factory)


@pytest.mark.shared
@pytest.mark.slow
def test_agreement_on_held_out_gvc_incidents_stays_above_its_floors(gvc_report: Report) -> None:
    scores = AgreementEvaluator(SHARED).evaluate(GVC_GOLD, gvc_report, "heldout")
    assert scores.counts["facts"] == 170
    # Measured 2026-12-08 (full local news articles, 9 incidents of 3-4 articles): precision
    # 0.909, recall 0.506, called single-source 0.406 (dev: 0.798, 0.589, 0.077); the tf-idf
    # baseline 0.905, 0.253. Goals (issue 20): recall >= 0.8, single-source <= 0.1.
    # With facts keyed by a street, the event's day and a person introduced by name
    # (compare.slots): precision 0.912, recall 0.524, single-source 0.406 (dev 0.816, 0.629,
    # 0.077).
    assert scores.figure("crosswire", "precision") >= 0.88
    assert scores.figure("crosswire", "recall") >= 0.50
    assert scores.figure("crosswire", "called single-source") <= 0.45
    assert scores.figure("crosswire", "recall") > scores.figure("tf-idf links", "recall")


@pytest.mark.shared
@pytest.mark.slow
def test_facts_only_copies_of_one_text_state_are_no_facts_of_two_outlets(
    gvc_report: Report, tmp_path: Path
) -> None:
    evaluator = AgreementEvaluator(SHARED)
    scores = evaluator.evaluate(GVC_GOLD, gvc_report, "dev")
    assert scores.counts["facts only copies of one text state (left out)"] == 15
    assert scores.counts["facts"] == 248
    # without the annotator's list of copies, every fact of two documents counts
    gold = json.loads(GVC_GOLD.read_text(encoding="utf-8"))
    del gold["copies"]
    plain = tmp_path / "gvc.json"
    plain.write_text(json.dumps(gold), encoding="utf-8")
    scores = evaluator.evaluate(plain, gvc_report, "dev")
    assert scores.counts["facts only copies of one text state (left out)"] == 0
    assert scores.counts["facts"] == 263


@pytest.mark.shared
@pytest.mark.slow
def test_fact_links_on_held_out_topics_stay_above_their_floors(ecbplus_report: Report) -> None:
    evaluator = LinksEvaluator(SHARED)
    scores = evaluator.evaluate(Path(evaluator.default_gold), ecbplus_report, "heldout")
    assert scores.counts["gold linked pairs"] == 1270
    # Measured 2026-12-07: sentence-level claims P 0.919 R 0.215, fact claims P 0.944 R 0.254
    # (tf-idf baseline F1 0.602). Goal P >= 0.9, R >= 0.6: recall is far from it.
    assert scores.figure("crosswire", "precision") >= 0.92
    assert scores.figure("crosswire", "recall") >= 0.24
    assert scores.figure("one claim per event", "precision") == pytest.approx(0.686, abs=0.01)


@pytest.mark.shared
def test_a_report_of_one_sentence_claims_finds_no_shared_fact(tmp_path: Path) -> None:
    if not (SHARED / "ecbplus-dev" / "dev_documents.jsonl").exists():
        pytest.skip(f"ECB+ dev data not found under {SHARED}")
    evaluator = AgreementEvaluator(SHARED)
    source = evaluator.inputs(GOLD, tmp_path)[0]
    import json

    rows = [json.loads(line) for line in source.read_text().splitlines()]
    articles = [
        {
            "id": r["id"],
            "source": r["source"],
            "title": "",
            "url": None,
            "published": None,
            "published_inferred": False,
            "boilerplate_removed": [],
            "text": r["text"],
        }
        for r in rows
    ]
    claims = [
        {
            "id": f"c{i}",
            "text": line,
            "outlets": 1,
            "status": "single_source",
            "sources": [{"article_id": r["id"], "sentence": line}],
        }
        for i, r in enumerate(rows)
        for line in r["text"].split("\n")[:3]
    ]
    report = Report.model_validate(
        {
            "generated_at": "2026-12-07T00:00:00Z",
            "articles": articles,
            "stories": [
                {"id": "s", "title": "t", "article_ids": [r["id"] for r in rows], "claims": claims}
            ],
        }
    )
    scores = evaluator.evaluate(GOLD, report, "dev")
    assert scores.figure("crosswire", "recall") == 0.0
    assert scores.figure("crosswire", "called single-source") > 0.5
    links = LinksEvaluator(SHARED)
    assert (
        links.evaluate(Path(links.default_gold), report, "dev").figure("crosswire", "recall") == 0.0
    )


def test_gvc_sentences_for_the_baselines_are_whole_sentences_at_their_offsets() -> None:
    from crosswire.evaluate.agreement import gvc_units

    text = 'Police said "two men were shot." "We are looking," he said.\nOne died at 3 p.m. Sunday.'
    units = gvc_units([{"id": "d1", "incident": "7", "text": text}])
    assert [u.text for u in units] == [
        'Police said "two men were shot."',
        '"We are looking," he said.',
        "One died at 3 p.m. Sunday.",
    ]
    for unit in units:
        assert text[unit.locus["start"] : unit.locus["end"]] == unit.text
        assert (unit.topic, unit.group, unit.doc_id) == ("7", "7", "d1")


@pytest.mark.shared
@pytest.mark.parametrize("evaluator", [AgreementEvaluator, LinksEvaluator])
def test_scoring_one_half_of_ecbplus_analyses_only_its_topics(
    evaluator: type[AgreementEvaluator] | type[LinksEvaluator], tmp_path: Path
) -> None:
    if not (SHARED / "ecbplus-dev" / "dev_documents.jsonl").exists():
        pytest.skip(f"ECB+ dev data not found under {SHARED}")
    (path,) = evaluator(SHARED).split_inputs(GOLD, tmp_path, "heldout")
    topics = {json.loads(line)["id"].split("_")[0] for line in path.read_text().splitlines()}
    assert topics == {"5", "18", "23", "35"}
    (path,) = evaluator(SHARED).split_inputs(GOLD, tmp_path, None)
    assert len(path.read_text().splitlines()) == 196
