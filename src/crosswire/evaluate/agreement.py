"""Agreement (issue 20): do the report's claims gather the outlets that state one same fact?

Gold: `gold/agreement/ecbplus.json`, facts that two or more ECB+ documents state, each with
every sentence stating it (gold/agreement/GUIDELINES.md); `gold/agreement/gvc.json` the same
for GVC incidents (full local news articles, where ECB+ keeps about ten sentences of each):
the gold file's "corpus" says which corpus is analysed. Each document is its own outlet (an
ECB+ document's URL's domain where it has one). Figures per split, as the issue defines them:

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
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from crosswire.evaluate.base import Evaluator, Scores, Split, register, split_filter
from crosswire.evaluate.loci import (
    GoldPlaces,
    Locus,
    ecbplus_input,
    gvc_input,
    read_jsonl,
    same_place,
)
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


def _is_gvc(gold: Mapping[str, Any]) -> bool:
    """Whether a gold file is GVC's (its "corpus"; the ECB+ gold names its folder)."""
    return gold.get("corpus") == "gvc"


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


def _report_claims(
    report: Report, places: GoldPlaces, outlets: Mapping[str, str]
) -> tuple[list[ClaimView], int]:
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


_SENTENCE_END = re.compile(r"(?<=[.!?])([\"”’)]?)\s+(?=[\"“‘(]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class GoldUnit:
    """A sentence of a gold corpus the baselines can cite: its topic (what the tf-idf baseline
    links within: an ECB+ topic, a GVC incident), event (ECB+ event cluster, GVC incident),
    document, gold locus and text."""

    topic: str
    group: str
    doc_id: str
    locus: Mapping[str, Any]
    text: str


def ecbplus_units(docs: Sequence[Mapping[str, Any]]) -> list[GoldUnit]:
    """ECB+ sentences by index (a leading URL line is not text)."""
    return [
        GoldUnit(
            str(doc["topic"]),
            str(doc["event_cluster"]),
            doc["doc_id"],
            {"doc_id": doc["doc_id"], "sentence": i},
            t,
        )
        for doc in docs
        for i, t in enumerate(doc["sentences"])
        if not (i == 0 and t.startswith("http"))
    ]


# a full stop that ends an abbreviation, not a sentence ("3 p.m. Sunday", "Dr. Lee")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Lt|Sgt|Gov|Sen|Rep)\.)$")


def gvc_units(docs: Sequence[Mapping[str, Any]]) -> list[GoldUnit]:
    """GVC sentences by character span: the text cut after . ! ? before a capital, and at line
    breaks (a plain splitter: the baselines need sentences, not crosswire's reading)."""
    units = []
    for doc in docs:
        text, begin = doc["text"], 0
        cuts = [
            c
            for c in _SENTENCE_END.finditer(text)
            if "\n" in c.group() or not _ABBREVIATION.search(text[: c.start()])
        ]
        for cut in [*cuts, None]:
            stop = cut.start() + len(cut.group(1) or "") if cut is not None else len(text)
            piece = text[begin:stop]
            lead = len(piece) - len(piece.lstrip())
            if piece.strip():
                start, end = begin + lead, begin + len(piece.rstrip())
                locus = {"doc_id": doc["id"], "start": start, "end": end}
                incident = str(doc["incident"])
                units.append(GoldUnit(incident, incident, doc["id"], locus, text[start:end]))
            begin = cut.end() if cut is not None else len(text)
    return units


def tfidf_claims(
    units: Sequence[GoldUnit],
    places: GoldPlaces,
    outlet_of: Mapping[str, str],
    threshold: float = TFIDF_THRESHOLD,
) -> list[ClaimView]:
    """The baseline: per topic, sentences linked when their tf-idf cosine passes `threshold`,
    a claim per connected component across documents; the rest single-source."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    by_topic: dict[str, list[GoldUnit]] = defaultdict(list)
    for unit in units:
        by_topic[unit.topic].append(unit)
    claims: list[ClaimView] = []
    for rows in by_topic.values():
        vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            [u.text for u in rows]
        )
        similar = (vectors @ vectors.T).toarray() >= threshold
        documents = np.array([u.doc_id for u in rows])
        similar &= documents[:, None] != documents[None, :]
        _, component = connected_components(csr_matrix(similar), directed=False)
        groups: dict[int, list[int]] = defaultdict(list)
        for i, label in enumerate(component):
            groups[int(label)].append(i)
        for members in groups.values():
            loci = [places.locate(rows[i].locus) for i in members]
            kept = tuple(x for x in loci if x is not None)
            if kept:
                count = len({outlet_of.get(x.article_id, x.article_id) for x in kept})
                claims.append(ClaimView(kept, count, count < 2))
    return claims


def event_claims(units: Sequence[GoldUnit], places: GoldPlaces) -> list[ClaimView]:
    """The coarse shortcut: every sentence of a gold group in one claim."""
    by_group: dict[str, list[Locus]] = defaultdict(list)
    for unit in units:
        locus = places.locate(unit.locus)
        if locus is not None:
            by_group[unit.group].append(locus)
    return [
        ClaimView(tuple(loci), len({x.article_id for x in loci}), False)
        for loci in by_group.values()
    ]


@register
class AgreementEvaluator(Evaluator):
    name = "agreement"
    default_gold = "gold/agreement/ecbplus.json"
    halves_are_stories = True

    def inputs(self, gold: Path, out_dir: Path) -> list[Path]:
        """The corpus the gold file names (GVC for "gvc", else ECB+), as crosswire input."""
        if _is_gvc(json.loads(gold.read_text(encoding="utf-8"))):
            target = out_dir / "gvc.jsonl"
            gvc_input(self.gvc_documents(), target)
        else:
            target = out_dir / "ecbplus.jsonl"
            ecbplus_input(self.ecbplus_documents(), target)
        return [target]

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        data = json.loads(gold.read_text(encoding="utf-8"))
        wanted = _facts(data, split)
        if _is_gvc(data):
            docs = read_jsonl(self.gvc_documents())
            places = GoldPlaces(report, gvc=docs)
            incidents = {str(f["incident"]) for f in wanted}
            units = gvc_units([d for d in docs if str(d["incident"]) in incidents])
        else:
            docs = read_jsonl(self.ecbplus_documents())
            places = GoldPlaces(report, ecbplus=docs)
            topics = {str(f["event_cluster"]).split("_")[0] for f in wanted}
            units = ecbplus_units([d for d in docs if str(d["topic"]) in topics])
        outlet_of = {a.id: a.source for a in report.articles}
        copy_of: dict[str, str] = {}
        for first, *others in data.get("copies", []):
            # near-identical copies the gold lists are one outlet, as crosswire counts them
            copy_of.update({other: first for other in others})
            outlet_of.update({other: outlet_of.get(first, first) for other in others})
        facts, copied = [], 0
        for fact in wanted:
            loci = [x for x in (places.locate(locus) for locus in fact["loci"]) if x is not None]
            if len({copy_of.get(x.article_id, x.article_id) for x in loci}) < 2:
                copied += 1  # stated by copies of one text only: no fact of two outlets
                continue
            facts.append((str(fact["id"]), loci))
        missing = places.missing  # the baselines' sentences below are located too
        in_scope = {u.doc_id for u in units}
        claims, unplaced = _report_claims(report, places, outlet_of)
        scores = Scores(title=f"agreement ({gold.name}, {split or 'both splits'})")
        scores.rows["crosswire"] = dict(score_agreement(facts, claims, outlet_of, in_scope))
        scores.rows["tf-idf links"] = dict(
            score_agreement(facts, tfidf_claims(units, places, outlet_of), outlet_of, in_scope)
        )
        scores.rows["one claim per event"] = dict(
            score_agreement(facts, event_claims(units, places), outlet_of, in_scope)
        )
        scores.counts = {
            "facts": len(facts),
            "facts only copies of one text state (left out)": copied,
            "gold loci": sum(len(loci) for _, loci in facts),
            "gold loci not found in the report": missing,
            "claim sources not found in their article": unplaced,
        }
        return scores
