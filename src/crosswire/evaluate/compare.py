"""Score the comparison stage against a gold reading of a story (`crosswire eval compare`).

Gold files (examples/harbour-fire/gold.json, tests/data/*.gold.json) say which conflicts a
careful reader finds, by kind, with the articles on each side; which facts one outlet alone
reports; which quotes are one statement worded differently; and which loaded terms an outlet
uses. Conflicts are matched by their sides, not by wording: a predicted conflict matches a
gold one of the same kind when it sets articles of two gold sides against each other and
never mixes two gold sides within one value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crosswire.evaluate.base import FolderEvaluator, register
from crosswire.evaluate.scoring import f1, prf, ratio
from crosswire.models import Conflict, Report, Story
from crosswire.options import Options

__all__ = ["CompareEvaluator", "conflict_matches", "evaluate_compare", "score_story"]

KINDS = ("date", "number", "attribute", "quote", "statement")


def conflict_matches(predicted: Conflict, gold: Mapping[str, Any]) -> bool:
    """Whether a predicted conflict states the gold disagreement (same kind, same sides)."""
    if predicted.kind != gold["kind"]:
        return False
    sides = [set(v["article_ids"]) for v in gold["values"]]
    # An article may stand on two sides (it says both); what tells sides apart are the
    # articles that stand on one side only.
    own = [side - set().union(*(o for j, o in enumerate(sides) if j != k)) or side
           for k, side in enumerate(sides)]  # fmt: skip
    hits: dict[int, set[str]] = {}
    for value in predicted.values:
        touched = [k for k, side in enumerate(own) if side & set(value.article_ids)]
        if len(touched) > 1:
            return False  # one value holding articles of two gold sides mixes them up
        for k in touched:
            hits.setdefault(k, set()).add(str(value.normalized))
    if len(hits) < 2:
        return False
    # the sides must really differ in what the prediction says they say
    values = list(hits.values())
    return any(a != b for i, a in enumerate(values) for b in values[i + 1 :])


def _fact_claims(story: Story, contains: str) -> list[Any]:
    return [c for c in story.claims if any(contains in s.sentence for s in c.sources)]


def score_story(story: Story, gold: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    """Per conflict kind P/R/F1, then statuses, quotes and framing, for one story."""
    results: dict[str, dict[str, float]] = {}
    gold_conflicts = list(gold.get("conflicts", []))
    matched_gold: set[int] = set()
    correct_pred = 0
    for conflict in story.conflicts:
        hit = [k for k, g in enumerate(gold_conflicts) if conflict_matches(conflict, g)]
        if hit:
            correct_pred += 1
            matched_gold.update(hit)
    results["conflicts"] = prf(correct_pred, len(story.conflicts), len(gold_conflicts))
    for kind in KINDS:
        preds = [c for c in story.conflicts if c.kind == kind]
        golds = [k for k, g in enumerate(gold_conflicts) if g["kind"] == kind]
        if not preds and not golds:
            continue
        correct = sum(
            1 for c in preds if any(conflict_matches(c, gold_conflicts[k]) for k in golds)
        )
        results[f"conflicts.{kind}"] = prf(correct, len(preds), len(golds)) | {
            "gold": len(golds),
            "predicted": len(preds),
        }
    singles = gold.get("single_source", [])
    if singles:
        ok = sum(
            1
            for fact in singles
            if (claims := _fact_claims(story, fact["contains"]))
            and all(c.outlets == 1 for c in claims)
        )
        results["status.single_source"] = {"accuracy": ratio(ok, len(singles))}
    corroborated = gold.get("corroborated", [])
    if corroborated:
        ok = sum(
            1
            for fact in corroborated
            if any(c.outlets >= fact["min_outlets"] for c in _fact_claims(story, fact["contains"]))
        )
        results["status.corroborated"] = {"accuracy": ratio(ok, len(corroborated))}
    quotes = gold.get("quotes", [])
    if quotes:
        ok = sum(
            1
            for q in quotes
            if any(
                group.speaker == q["speaker"]
                and set(q["article_ids"]) <= {v.article_id for v in group.variants}
                and group.wording_differs == q["wording_differs"]
                for group in story.quotes
            )
        )
        results["quotes"] = {"recall": ratio(ok, len(quotes))}
    framing = gold.get("framing", [])
    if framing:
        # the gold marks contrast framing (a term for a referent others name neutrally):
        # words loaded in themselves only (signal "lexicon") are scored by `eval framing`
        loaded = [f for f in story.framing if f.loaded and f.signal != "lexicon"]

        def fits(entry: Any, g: Mapping[str, Any]) -> bool:
            return entry.article_id == g["article_id"] and g["term"].lower() in entry.term.lower()

        found = sum(1 for g in framing if any(fits(e, g) for e in loaded))
        right = sum(1 for e in loaded if any(fits(e, g) for g in framing))
        precision, recall = ratio(right, len(loaded)), ratio(found, len(framing))
        results["framing.loaded"] = {
            "precision": precision,
            "recall": recall,
            "f1": f1(precision, recall),
        }
    return results


def _story_for(report: Report, gold: Mapping[str, Any]) -> Story:
    wanted = set(gold["stories"][0]["article_ids"]) if gold.get("stories") else set()
    return max(report.stories, key=lambda s: (len(wanted & set(s.article_ids)), len(s.article_ids)))


def evaluate_compare(
    folder: Path, gold_path: Path | None = None, options: Options | None = None
) -> dict[str, dict[str, float]]:
    """Run the pipeline on `folder` and score its main story against the gold reading."""
    from crosswire.pipeline import analyze

    gold_file = gold_path or folder / "gold.json"
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    report = analyze([folder], options or Options())
    return score_story(_story_for(report, gold), gold)


@register
class CompareEvaluator(FolderEvaluator):
    """`crosswire eval compare [GOLD]`: GOLD is a story folder's gold.json, or the folder
    (default: the demo corpus's); the folder's articles are analysed and its main story
    scored."""

    name = "compare"
    default_gold = "examples/harbour-fire/gold.json"
    gold_name = "gold.json"

    def score_folder(self, folder: Path, gold: Path) -> dict[str, dict[str, float]]:
        return evaluate_compare(folder, gold)
