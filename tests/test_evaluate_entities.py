"""`crosswire eval entities` (issue 21): alias pairs merged (and look-alikes kept apart) and ECB+
cross-document coreference of named mentions on the held-out topics, beside exact string match;
the scorer shown able to fail."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from crosswire.evaluate.base import Scores
from crosswire.evaluate.entities import (
    ECB_TOPICS,
    EntitiesEvaluator,
    b_cubed,
    entity_labels,
    mention_key,
)
from crosswire.models import Report, Story, StoryEntity
from crosswire.options import Options
from crosswire.pipeline import analyze

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
GOLD = ROOT / "gold" / "aliases" / "aliases.json"


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> Scores:
    evaluator = EntitiesEvaluator(SHARED)
    if not evaluator.mentions_path().exists():
        pytest.skip(f"ECB+ dev data not found under {SHARED}")
    source = evaluator.inputs(GOLD, tmp_path_factory.mktemp("ecbplus"))[0]
    # only the held-out topics' documents: the figures read no other, and the test stays short
    rows = [json.loads(line) for line in source.read_text().splitlines()]
    kept = [r for r in rows if r["id"].split("_")[0] in ECB_TOPICS["heldout"]]
    source.write_text("".join(json.dumps(r) + "\n" for r in kept))
    return evaluator.evaluate(GOLD, analyze([source], Options()), "heldout")


@pytest.mark.shared
@pytest.mark.slow
def test_entities_on_held_out_parts_stay_above_their_floors(heldout: Scores) -> None:
    assert heldout.counts["alias pairs"] == 38
    assert heldout.counts["look-alike pairs"] == 17
    assert heldout.counts["their documents missing from the report"] == 0
    # Measured 2026-12-07: 0.158 of alias pairs merged (exact string 0.0), no look-alike pair
    # merged. Goal (issue 21): >= 0.9 merged, none wrongly.
    # After acronym (function words, mixed case, syllabic, cross-language letter order),
    # romanisation and surname-first rules: 0.342 merged, none wrongly.
    # With names of two languages tested as word-by-word translations (language/aliases.py,
    # thresholds set on dev): 0.632 merged, none wrongly.
    # With one weak word allowed, accents kept for the encoder, the noun/adjective test, names
    # joined by hyphens, "Organization" droppable and city exonyms (GeoNames): 0.763, none
    # wrongly (dev 0.816, none wrongly).
    # With places' adjectives read from CLDR (a country's body named with either; a region's
    # after "of" another body), "e" for "s" between acronyms, the "o" of "organization" in an
    # acronym, foreign titles before a full name, regnal names translated, Spanish doubled
    # plural initials and "j" for "kh": 0.789, none wrongly (dev 0.842, none wrongly).
    assert heldout.figure("crosswire", "alias pairs merged") >= 0.78
    assert heldout.figure("crosswire", "look-alike pairs merged") <= 0.06
    # Measured 2026-12-07: B3 F1 0.709 (P 0.990, R 0.552); exact string 0.703.
    # Goal (issue 21): ahead of the exact-string baseline. After the alias rules: 0.698
    # (P 0.990, R 0.539), now just below exact string 0.703 (name extensions no longer merge).
    # With ORG/PRODUCT/WORK_OF_ART/FAC names mergeable (one type family) and ECB+'s spaced
    # tokens joined before string matching (both systems): 0.739 (P 0.990, R 0.590), exact
    # string 0.721; on dev still behind (0.677 vs 0.722: descriptions such as "Driver",
    # "Police", "Surgeon General" are no named entity to crosswire).
    # After this branch's alias rules: 0.744 (P 0.990, R 0.596), exact string 0.721; dev
    # unchanged (0.677).
    # The measure changed (2026-12-08): honorifics and degrees ("Dr . Regina Benjamin , MD")
    # dropped from a mention before string matching, for both systems, and an entity known by
    # its type and name across stories: 0.755 (P 0.990, R 0.610), exact string 0.721 (dev
    # 0.763 vs 0.755; before the change 0.677 vs 0.722). With a headline's full names read and
    # a shared surname no longer joining two people of a story: 0.798 (P 0.990), exact string
    # 0.721 (dev 0.772 vs 0.755).
    assert heldout.figure("crosswire", "B3 F1") >= 0.72
    assert heldout.figure("crosswire", "B3 F1") > heldout.figure("exact string", "B3 F1")
    assert heldout.figure("crosswire", "B3 precision") >= 0.97


def test_b_cubed_punishes_one_cluster_for_everything() -> None:
    gold = ["a", "a", "b", "b", "c"]
    assert b_cubed(gold, gold)["B3 F1"] == 1.0
    lumped = b_cubed(gold, ["x"] * 5)
    assert lumped["B3 recall"] == 1.0
    assert lumped["B3 precision"] < 0.4
    assert b_cubed(gold, [1, 2, 3, 4, 5])["B3 recall"] < 0.7


def test_mention_keys_drop_honorifics_and_degrees_but_keep_name_words() -> None:
    assert mention_key("Dr . Regina Benjamin , MD") == "regina benjamin"
    assert mention_key("Sen. John McCain") == "john mccain"
    assert mention_key("The Toyota Camry's") == "toyota camry"
    # a name that only begins like an honorific keeps its first word
    assert mention_key("General Motors") == "general motors"
    assert mention_key("Drew Brees") == "drew brees"


def _story(story_id: str, *entities: StoryEntity) -> Story:
    return Story(id=story_id, title=story_id, article_ids=[], entities=list(entities))


def test_one_name_in_two_stories_is_one_entity_and_unknown_mentions_stand_alone() -> None:
    obama_a = StoryEntity(name="Barack Obama", type="PERSON", aliases=["Obama"], article_ids=["a"])
    obama_b = StoryEntity(name="Barack Obama", type="PERSON", aliases=[], article_ids=["b"])
    singh = StoryEntity(name="Ravi Singh", type="PERSON", aliases=[], article_ids=["b"])
    report = Report(
        generated_at=dt.datetime(2026, 12, 8, tzinfo=dt.UTC),
        articles=[],
        stories=[_story("s1", obama_a), _story("s2", obama_b, singh)],
    )
    mentions = [
        {"doc_id": "a", "tokens_str": "Obama"},
        {"doc_id": "b", "tokens_str": "Barack Obama"},
        {"doc_id": "b", "tokens_str": "Ravi Singh"},
        {"doc_id": "b", "tokens_str": "Driver"},
        {"doc_id": "a", "tokens_str": "Ravi Singh"},  # not named in its own document's story
    ]
    labels = entity_labels(mentions, report)
    assert labels[0] == labels[1]
    assert labels[2] != labels[1]
    assert len({labels[3], labels[4]} | {labels[0], labels[2]}) == 4
