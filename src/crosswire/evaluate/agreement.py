"""Agreement (issue 20): do the report's claims gather the outlets that state one same fact?

Gold: `gold/agreement/ecbplus.json`, facts that two or more ECB+ documents state, each with
every sentence stating it (gold/agreement/GUIDELINES.md). Each document is its own outlet
(its URL's domain where it has one). Figures per split, as the issue defines them:

- recall: facts one claim cites from two or more outlets (sentences that are loci of the fact);
- called single-source: facts some sentence of which a single-source claim cites
  ("Only X reports ...") — lower is better;
- precision: multi-outlet claims whose every source sentence is a locus of one same fact.

Beside crosswire, in the same run: claims made by linking sentences whose tf-idf cosine
passes a threshold (connected components within a topic; threshold chosen on dev), and
"one claim per event" (every sentence of a gold event in one claim: recall for free, which
the precision figure must expose).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from crosswire.evaluate.base import Evaluator, Scores, Split, register, split_filter
from crosswire.evaluate.loci import GoldPlaces, Locus, read_jsonl, same_place
from crosswire.evaluate.scoring import ratio
from crosswire.models import Report

__all__ = ["AgreementEvaluator", "ClaimView", "score_agreement"]

TFIDF_THRESHOLD = 0.5
"""Cosine above which the tf-idf baseline links two sentences (the best F1 of links on the
dev topics)."""


@dataclass(frozen=True)
class ClaimView:
    """What scoring needs of a claim: where its sources are, and how many outlets state it."""

    sources: tuple[Locus, ...]
    outlets: int
    single_source: bool


def _facts(gold: Mapping[str, Any], split: Split | None) -> list[Mapping[str, Any]]:
    keep = split_filter(split)
    return [f for f in gold["facts"] if keep(f["split"])]


def score_agreement(
    facts: Sequence[tuple[str, list[Locus]]],
    claims: Iterable[ClaimView],
    outlet_of: Mapping[str, str],
    in_scope: set[str],
) -> dict[str, float | int]:
    """The three figures for `claims` against `facts` (id, located loci); only claims whose
    articles all lie in `in_scope` count towards precision."""
    claims = list(claims)
    found = called_single = 0
    for _, loci in facts:
        outlets_seen = False
        single = False
        for claim in claims:
            hits = [s for s in claim.sources if any(same_place(s, g) for g in loci)]
            if not hits:
                continue
            if claim.single_source:
                single = True
            elif len({outlet_of[h.article_id] for h in hits}) >= 2:
                outlets_seen = True
        found += outlets_seen
        called_single += single
    multi = [
        c
        for c in claims
        if not c.single_source and c.outlets >= 2 and {s.article_id for s in c.sources} <= in_scope
    ]
    precise = sum(
        any(all(any(same_place(s, g) for g in loci) for s in c.sources) for _, loci in facts)
        for c in multi
    )
    return {
        "recall": ratio(found, len(facts)),
        "called single-source": ratio(called_single, len(facts)),
        "precision": ratio(precise, len(multi)),
        "multi-outlet claims": len(multi),
    }


def _report_claims(report: Report, places: GoldPlaces) -> tuple[list[ClaimView], int]:
    outlets = {a.id: a.source for a in report.articles}
    views, unplaced = [], 0
    for story in report.stories:
        for claim in story.claims:
            loci = []
            for source in claim.sources:
                locus = places.cited(source.article_id, source.sentence)
                if locus is None:
                    unplaced += 1
                else:
                    loci.append(locus)
            if not loci:
                continue
            count = len({outlets[s.article_id] for s in claim.sources})
            single = claim.status == "single_source" or count < 2
            views.append(ClaimView(tuple(loci), count, single))
    return views, unplaced


def tfidf_claims(
    docs: Sequence[Mapping[str, Any]],
    places: GoldPlaces,
    outlet_of: Mapping[str, str],
    threshold: float = TFIDF_THRESHOLD,
) -> list[ClaimView]:
    """The baseline: per topic, sentences linked when their tf-idf cosine passes `threshold`,
    a claim per connected component across documents; the rest single-source."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    by_topic: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for doc in docs:
        for index, text in enumerate(doc["sentences"]):
            if index == 0 and text.startswith("http"):
                continue
            by_topic[str(doc["topic"])].append((doc["doc_id"], index, text))
    claims: list[ClaimView] = []
    for rows in by_topic.values():
        vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            [text for _, _, text in rows]
        )
        similar = (vectors @ vectors.T).toarray() >= threshold
        documents = np.array([doc_id for doc_id, _, _ in rows])
        similar &= documents[:, None] != documents[None, :]
        _, component = connected_components(csr_matrix(similar), directed=False)
        groups: dict[int, list[int]] = defaultdict(list)
        for i, label in enumerate(component):
            groups[int(label)].append(i)
        for members in groups.values():
            loci = [places.locate({"doc_id": rows[i][0], "sentence": rows[i][1]}) for i in members]
            kept = tuple(x for x in loci if x is not None)
            if kept:
                count = len({outlet_of.get(x.article_id, x.article_id) for x in kept})
                claims.append(ClaimView(kept, count, count < 2))
    return claims


def event_claims(facts_docs: Sequence[Mapping[str, Any]], places: GoldPlaces) -> list[ClaimView]:
    """The coarse shortcut: every sentence of a gold event cluster in one claim."""
    by_event: dict[str, list[Locus]] = defaultdict(list)
    for doc in facts_docs:
        for index, text in enumerate(doc["sentences"]):
            if index == 0 and text.startswith("http"):
                continue
            locus = places.locate({"doc_id": doc["doc_id"], "sentence": index})
            if locus is not None:
                by_event[doc["event_cluster"]].append(locus)
    return [
        ClaimView(tuple(loci), len({x.article_id for x in loci}), False)
        for loci in by_event.values()
    ]


@register
class AgreementEvaluator(Evaluator):
    name = "agreement"
    default_gold = "gold/agreement/ecbplus.json"

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        data = json.loads(gold.read_text(encoding="utf-8"))
        docs = read_jsonl(self.ecbplus_documents())
        places = GoldPlaces(report, ecbplus=docs)
        facts = []
        for fact in _facts(data, split):
            loci = [x for x in (places.locate(locus) for locus in fact["loci"]) if x is not None]
            facts.append((str(fact["id"]), loci))
        clusters = {str(f["event_cluster"]) for f in _facts(data, split)}
        topics = {c.split("_")[0] for c in clusters}
        split_docs = [d for d in docs if str(d["topic"]) in topics]
        in_scope = {d["doc_id"] for d in split_docs}
        outlet_of = {a.id: a.source for a in report.articles}
        claims, unplaced = _report_claims(report, places)
        scores = Scores(title=f"agreement ({gold.name}, {split or 'both splits'})")
        scores.rows["crosswire"] = dict(score_agreement(facts, claims, outlet_of, in_scope))
        scores.rows["tf-idf links"] = dict(
            score_agreement(facts, tfidf_claims(split_docs, places, outlet_of), outlet_of, in_scope)
        )
        scores.rows["one claim per event"] = dict(
            score_agreement(facts, event_claims(split_docs, places), outlet_of, in_scope)
        )
        scores.counts = {
            "facts": len(facts),
            "gold loci": sum(len(loci) for _, loci in facts),
            "gold loci not found in the report": places.missing,
            "claim sources not found in their article": unplaced,
        }
        return scores
