"""Entities (issue 21): does crosswire take two names of one referent for one entity, and only
those?

Two parts, per split:

- aliases (gold: `gold/aliases/aliases.json`, cross-language pairs written by hand, positives
  and look-alike negatives; gold/aliases/GUIDELINES.md): each name is read by the language
  stage in a neutral carrier sentence (`analyze_article`: its entity's name, aliases and type;
  a name it finds no entity in stays as written and takes the other name's type, else ORG), and
  the pair counts as merged when the story-level rule would merge them (the same folded name,
  or `same_entity` between any of their names, as `compare.claims` merges a story's entities).
  Figures: positive pairs merged (goal >= 0.9) and negative pairs merged (goal 0), beside exact
  string match after case-folding.
- ECB+ cross-document coreference (gold: `dev_entity_gold_mentions.json` of ECB+ dev, its named
  entity mentions: not pronouns, capitalised, not times): each mention is put in the report's
  story entity of its document whose name or an alias is the mention's string (folded, "the"
  and "'s" dropped), else on its own. B-cubed precision / recall / F1 against the gold chains,
  over the split's topics (gold/README.md), beside exact string match (across the corpus, and
  within each gold topic). REPORT is the report of ECB+ dev (`crosswire eval entities` makes
  it); the alias part does not read it.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

from crosswire.evaluate.base import (
    DEV_TOPICS,
    HELDOUT_TOPICS,
    Evaluator,
    Scores,
    Split,
    register,
    split_filter,
)
from crosswire.evaluate.scoring import f1, ratio
from crosswire.language import analyze_article
from crosswire.language.aliases import translated
from crosswire.language.entities import fold, same_entity
from crosswire.models import Article, Report
from crosswire.options import Options

__all__ = [
    "ECB_TOPICS",
    "EntitiesEvaluator",
    "b_cubed",
    "entity_labels",
    "mention_key",
    "merged_by_crosswire",
]

ECB_TOPICS: dict[str, frozenset[str]] = {"dev": DEV_TOPICS, "heldout": HELDOUT_TOPICS}
"""The project's split of ECB+ dev topics, by half (gold/README.md)."""

Reading = tuple[list[str], str]
"""A name as the language stage reads it: its names (name first, then aliases) and type."""


_CARRIER = "Reporters spoke to {} on Tuesday."
"""A neutral sentence around each name: spaCy's NER finds far fewer entities in a bare name
(on the gold names, 147 of 198 missed bare, 57 in this sentence)."""


def read_name(name: str) -> Reading | None:
    """The entity the language stage finds in `name` (inside a carrier sentence), the one
    covering most of the name."""
    text = _CARRIER.format(name)
    start = text.index(name)
    end = start + len(name)
    analysis = analyze_article(Article(id="name", source="name", text=text), Options())
    inside = [
        e for e in analysis.entities if any(m.start < end and start < m.end for m in e.mentions)
    ]
    if not inside:
        return None
    best = max(inside, key=lambda e: sum(m.end - m.start for m in e.mentions))
    return [best.name, *best.aliases], best.type


def merged_by_crosswire(
    a: str, b: str, read: Mapping[str, Reading | None], *, languages_differ: bool = False
) -> bool:
    """Whether the story-level rule merges two names (read by `read_name`); names from
    articles in two languages are also tested as translations, as `compare.matching` does."""
    ra, rb = read[a], read[b]
    type_a = ra[1] if ra else (rb[1] if rb else "ORG")
    type_b = rb[1] if rb else type_a
    names_a = ra[0] if ra else [a]
    names_b = rb[0] if rb else [b]
    if {fold(n) for n in names_a} & {fold(n) for n in names_b}:
        return True
    if any(same_entity(x, type_a, y, type_b) for x in names_a for y in names_b):
        return True
    return languages_differ and any(
        translated(x, type_a, y, type_b) for x in names_a for y in names_b
    )


def _alias_figures(pairs: Sequence[Mapping[str, Any]], merged: Sequence[bool]) -> dict[str, Any]:
    positive = [m for p, m in zip(pairs, merged, strict=True) if p["same"]]
    negative = [m for p, m in zip(pairs, merged, strict=True) if not p["same"]]
    out: dict[str, Any] = {
        "alias pairs merged": ratio(sum(positive), len(positive)),
        "look-alike pairs merged": ratio(sum(negative), len(negative)),
    }
    for kind in sorted({p["type"] for p in pairs if p["same"]}):
        kept = [m for p, m in zip(pairs, merged, strict=True) if p["same"] and p["type"] == kind]
        out[f"alias pairs merged ({kind})"] = ratio(sum(kept), len(kept))
    return out


def b_cubed(gold: Sequence[Hashable], system: Sequence[Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of `system` cluster labels against `gold` ones (one
    label per mention, the same mentions in the same order)."""
    both = Counter(zip(gold, system, strict=True))
    size_gold, size_system = Counter(gold), Counter(system)
    precision = ratio(sum(n * n / size_system[s] for (_, s), n in both.items()), len(gold))
    recall = ratio(sum(n * n / size_gold[g] for (g, _), n in both.items()), len(gold))
    return {"B3 precision": precision, "B3 recall": recall, "B3 F1": f1(precision, recall)}


# titles ECB+ keeps inside a mention ("Dr . Regina Benjamin") and a name goes without
_HONORIFICS = (
    "dr", "mr", "mrs", "ms", "miss", "prof", "sen", "rep", "gov", "gen", "col", "capt", "lt",
    "sgt", "adm", "rev", "sir", "dame", "det",
)  # fmt: skip
_HONORIFIC = re.compile(r"^(?:(?:" + "|".join(_HONORIFICS) + r")\.?\s+)+")
_DEGREES = re.compile(r",\s*(?:m\.?\s?d|ph\.?\s?d|d\.?\s?o|r\.?\s?n|esq|jr|sr)\b.*$")


def mention_key(text: str) -> str:
    """A mention or entity name for string comparison: folded; "the", "'s", honorifics
    ("Dr.") and degrees (", MD") dropped, which ECB+ keeps in a mention and a name lacks."""
    # ECB+ joins its tokens with spaces ("Dr . Regina Benjamin", "U . S ."): undo that first
    text = re.sub(r"\s+([.,])", r"\1", " ".join(text.split()))
    text = re.sub(r"\s*(['’]s|['’])$", "", text)
    text = re.sub(r"^(the|a|an)\s+", "", fold(text))
    return _DEGREES.sub("", _HONORIFIC.sub("", text)).strip()


def _named(mention: Mapping[str, Any]) -> bool:
    text = str(mention["tokens_str"])
    return (
        mention.get("event_entity") == "entity"
        and not mention.get("is_pronoun")
        and text[:1].isupper()
        and not str(mention.get("mention_type", "")).startswith("TIM")
    )


def entity_labels(mentions: Sequence[Mapping[str, Any]], report: Report) -> list[Hashable]:
    """Each mention's entity (its document's story entity with that name or alias), else a
    label of its own.

    An entity is known by its type and name across stories: the report calls one referent by
    one name wherever it appears (the web app finds a person's stories by that name), so two
    stories' "Barack Obama" are one entity, and two people it names alike are merged."""
    by_doc: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for story in report.stories:
        for entity in story.entities:
            label = (entity.type, mention_key(entity.name))
            for name in [entity.name, *entity.aliases]:
                for doc in entity.article_ids:
                    by_doc[doc].setdefault(mention_key(name), label)
    labels: list[Hashable] = []
    for i, m in enumerate(mentions):
        found = by_doc.get(m["doc_id"], {}).get(mention_key(m["tokens_str"]))
        labels.append(found if found is not None else ("alone", i))
    return labels


def _placed(labels: Sequence[Hashable]) -> int:
    return sum(not (isinstance(x, tuple) and x[0] == "alone") for x in labels)


@register
class EntitiesEvaluator(Evaluator):
    name = "entities"
    default_gold = "gold/aliases/aliases.json"

    def mentions_path(self) -> Path:
        return self.data / "ecbplus-dev" / "dev_entity_gold_mentions.json"

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        keep = split_filter(split)
        pairs = [
            p for p in json.loads(gold.read_text(encoding="utf-8"))["pairs"] if keep(p["split"])
        ]
        names = sorted({n for p in pairs for n in (p["a"], p["b"])})
        read = {n: read_name(n) for n in names}
        ours = [
            merged_by_crosswire(p["a"], p["b"], read, languages_differ=p["lang_a"] != p["lang_b"])
            for p in pairs
        ]
        exact = [p["a"].casefold() == p["b"].casefold() for p in pairs]
        scores = Scores(
            title=f"entities ({gold.name} + ECB+ coreference, {split or 'both splits'})"
        )
        scores.rows["crosswire"] = _alias_figures(pairs, ours)
        scores.rows["exact string"] = _alias_figures(pairs, exact)
        scores.counts = {
            "alias pairs": sum(bool(p["same"]) for p in pairs),
            "look-alike pairs": sum(not p["same"] for p in pairs),
            "names the language stage finds no entity in": sum(r is None for r in read.values()),
        }
        topics = set().union(*(ECB_TOPICS[s] for s in ECB_TOPICS if keep(s)))
        if not self.mentions_path().exists():
            scores.notes.append(f"{self.mentions_path()} not found: no ECB+ coreference figures")
            return scores
        every = json.loads(self.mentions_path().read_text(encoding="utf-8"))
        mentions = [m for m in every if _named(m) and str(m["topic"]) in topics]
        truth: list[Hashable] = [m["coref_chain"] for m in mentions]
        labels = entity_labels(mentions, report)
        scores.rows["crosswire"].update(b_cubed(truth, labels))
        scores.rows["exact string"].update(
            b_cubed(truth, [mention_key(m["tokens_str"]) for m in mentions])
        )
        scores.rows["exact string within gold topic"] = dict(
            b_cubed(truth, [(str(m["topic"]), mention_key(m["tokens_str"])) for m in mentions])
        )
        in_report = {a.id for a in report.articles}
        scores.counts["ECB+ named entity mentions"] = len(mentions)
        scores.counts["of them in a story entity of their document"] = _placed(labels)
        scores.counts["their documents missing from the report"] = len(
            {m["doc_id"] for m in mentions} - in_report
        )
        return scores
