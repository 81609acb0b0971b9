"""Fact links on ECB+ (issue 20): do the report's claims link the sentences of different
articles that report the same event, and only those?

The measure of `../shared/tools/check_links.py`, per split: the unit is a pair of
gold-annotated sentences (holding a gold event mention) in different documents of one topic;
gold links two when they hold mentions of one cross-document event chain; crosswire links two
when one claim cites both. Beside it, in the same run: a tf-idf cosine threshold (chosen on
the dev topics), and "one claim per event" (every sentence of an event linked: recall 1.0,
not fact-level; a method must beat its precision).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from crosswire.evaluate.base import (
    DEV_TOPICS,
    HELDOUT_TOPICS,
    Evaluator,
    Scores,
    Split,
    register,
)
from crosswire.evaluate.loci import GoldPlaces, Locus, read_jsonl, same_place
from crosswire.evaluate.scoring import prf
from crosswire.models import Report

__all__ = ["LinksEvaluator"]

Key = tuple[str, int]  # (document id, gold sentence index)
Pair = tuple[Key, Key]


def _topics(split: Split | None) -> frozenset[str]:
    if split == "dev":
        return DEV_TOPICS
    if split == "heldout":
        return HELDOUT_TOPICS
    return DEV_TOPICS | HELDOUT_TOPICS


def _universe(
    docs: Mapping[str, Mapping[str, Any]], mentions: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, set[Key]], dict[Key, set[str]]]:
    """Per topic its annotated sentences, and per sentence its cross-document chains."""
    chain_docs: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m["doc_id"] in docs:
            chain_docs[m["coref_chain"]].add(m["doc_id"])
    universe: dict[str, set[Key]] = defaultdict(set)
    chains: dict[Key, set[str]] = defaultdict(set)
    for m in mentions:
        if m["doc_id"] not in docs:
            continue
        key = (m["doc_id"], int(m["sent_id"]))
        universe[str(docs[m["doc_id"]]["topic"])].add(key)
        chain = m["coref_chain"]
        if not chain.startswith("Singleton") and len(chain_docs[chain]) > 1:
            chains[key].add(chain)
    return universe, chains


def _pairs(universe: Mapping[str, set[Key]]) -> list[Pair]:
    return [
        (a, b)
        for keys in universe.values()
        for a, b in combinations(sorted(keys), 2)
        if a[0] != b[0]
    ]


def _claim_links(report: Report, places: GoldPlaces, located: Mapping[Key, Locus]) -> set[Pair]:
    """Pairs of gold sentences that one claim of the report cites together."""
    by_article: dict[str, list[tuple[Key, Locus]]] = defaultdict(list)
    for key, locus in located.items():
        by_article[key[0]].append((key, locus))
    links: set[Pair] = set()
    for story in report.stories:
        for claim in story.claims:
            cited: set[Key] = set()
            for source in claim.sources:
                where = places.cited(source.article_id, source.sentence)
                if where is not None:
                    cited.update(
                        k for k, g in by_article[source.article_id] if same_place(where, g)
                    )
            links.update((a, b) for a, b in combinations(sorted(cited), 2) if a[0] != b[0])
    return links


def _tfidf(
    docs: Mapping[str, Mapping[str, Any]], universe: Mapping[str, set[Key]]
) -> dict[Pair, float]:
    """Cosine of every candidate pair, tf-idf fitted per topic on all its sentences."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    scores: dict[Pair, float] = {}
    for topic, keys in universe.items():
        ordered = sorted(keys)
        corpus = [s for d in docs.values() if str(d["topic"]) == topic for s in d["sentences"]]
        vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(corpus)
        matrix = vectorizer.transform([docs[k[0]]["sentences"][k[1]] for k in ordered])
        similar = (matrix @ matrix.T).toarray()
        at = {k: i for i, k in enumerate(ordered)}
        for a, b in combinations(ordered, 2):
            if a[0] != b[0]:
                scores[(a, b)] = float(similar[at[a], at[b]])
    return scores


def _best_threshold(scores: Mapping[Pair, float], gold: set[Pair]) -> float:
    best, threshold = -1.0, 0.5
    for step in range(1, 100):
        t = step / 100
        linked = {p for p, s in scores.items() if s >= t}
        f1 = prf(len(linked & gold), len(linked), len(gold))["f1"]
        if f1 > best:
            best, threshold = f1, t
    return threshold


@register
class LinksEvaluator(Evaluator):
    name = "links"
    default_gold = "../shared/data/ecbplus-dev/dev_event_gold_mentions.json"
    halves_are_stories = True

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        all_docs = {d["doc_id"]: d for d in read_jsonl(self.ecbplus_documents())}
        mentions = json.loads(gold.read_text(encoding="utf-8"))
        topics = _topics(split)
        docs = {k: d for k, d in all_docs.items() if str(d["topic"]) in topics}
        universe, chains = _universe(docs, mentions)
        candidates = _pairs(universe)
        gold_links = {p for p in candidates if chains[p[0]] & chains[p[1]]}
        places = GoldPlaces(report, ecbplus=docs.values())
        located = {
            key: locus
            for keys in universe.values()
            for key in keys
            if (locus := places.locate({"doc_id": key[0], "sentence": key[1]})) is not None
        }
        linked = _claim_links(report, places, located) & set(candidates)

        # the baseline's threshold is always chosen on the dev topics
        dev_docs = {k: d for k, d in all_docs.items() if str(d["topic"]) in DEV_TOPICS}
        dev_universe, dev_chains = _universe(dev_docs, mentions)
        dev_scores = _tfidf(dev_docs, dev_universe)
        dev_gold = {p for p in _pairs(dev_universe) if dev_chains[p[0]] & dev_chains[p[1]]}
        threshold = _best_threshold(dev_scores, dev_gold)
        tfidf = {p for p, s in _tfidf(docs, universe).items() if s >= threshold}
        same_event = {
            p
            for p in candidates
            if docs[p[0][0]]["event_cluster"] == docs[p[1][0]]["event_cluster"]
        }

        def row(pairs: set[Pair]) -> dict[str, float | int | str | None]:
            figures: dict[str, float | int | str | None] = dict(
                prf(len(pairs & gold_links), len(pairs), len(gold_links))
            )
            figures["linked pairs"] = len(pairs)
            return figures

        scores = Scores(title=f"links (ECB+ {split or 'all'} topics {','.join(sorted(topics))})")
        scores.rows["crosswire"] = row(linked)
        scores.rows[f"tf-idf >= {threshold:.2f}"] = row(tfidf)
        scores.rows["one claim per event"] = row(same_event)
        scores.counts = {
            "annotated sentences": sum(len(k) for k in universe.values()),
            "candidate pairs": len(candidates),
            "gold linked pairs": len(gold_links),
            "gold sentences not found in the report": places.missing,
        }
        return scores
