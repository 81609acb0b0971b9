"""Score the brief with ROUGE against reference summaries we wrote, beside extractive baselines.

`evaluate_summary` is what `crosswire eval summary` runs. Each ECB+ dev event cluster is read as
one story by the pipeline's own stages (language, duplicates, compare, synthesis); the brief's
`established` and `single_source` sentences, in that order, are its summary. The disputed
section (sentences built from conflict values) and the timeline ("2009-01-06: ...") are not
prose a reference could match, so they are left out, of ROUGE and of `citation_support` (the
share of the scored sentences that `llm.supported` finds backed by the articles they cite).

ECB+ documents carry no publication dates, and those without a URL no outlet name: each of them
counts as its own outlet (see `_distinct_outlets`).

ROUGE is Google's `rouge-score` with Porter stemming, so figures compare with published ones
(the hand-written, unstemmed ROUGE it replaced scored the brief 0.516 ROUGE-1 on dev; stemmed:
0.538). Every system is cut to the reference's length in words before scoring (standard practice when
comparing summarisers by ROUGE: a longer summary would otherwise win recall for free). Baselines
run on the same sentences in the same call: `lead` (first sentences of each document, round
robin), `lexrank` and `textrank` (PageRank over a tf-idf cosine sentence graph).

References (`examples/summary-refs/ecbplus-dev.jsonl`) are split by topic into `dev`, where the
brief may be tuned, and `heldout`, which is only reported.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from rouge_score import rouge_scorer, tokenizers
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from crosswire.evaluate.stories import load_ecbplus
from crosswire.models import Article, ArticleAnalysis, Story, StoryGroup, SummarySentence
from crosswire.options import Options

__all__ = [
    "SPLITS",
    "SummaryReference",
    "citation_support",
    "evaluate_summary",
    "lead_summary",
    "lexrank_summary",
    "load_references",
    "pagerank",
    "rouge",
    "rouge_l",
    "rouge_n",
    "summary_text",
    "textrank_summary",
    "tokens",
    "truncate",
]

Split = Literal["dev", "heldout"]
SPLITS: tuple[Split, ...] = ("dev", "heldout")
SYSTEMS = ("ours", "lead", "lexrank", "textrank")
SCORED_SECTIONS = ("established", "single_source")
_ONLY = re.compile(r"^Only .+? reports: ")


# --------------------------------------------------------------------------- ROUGE
# Google's `rouge-score` (the package published ROUGE figures are computed with), with Porter
# stemming: lower-case, runs of characters other than a-z0-9 separate tokens, F1 per metric.

_METRICS = ("rouge1", "rouge2", "rougeL")
_TOKENIZER = tokenizers.DefaultTokenizer(use_stemmer=False)


def tokens(text: str) -> list[str]:
    """ROUGE's tokens before stemming: lower-cased runs of letters and digits (what summaries
    are cut to a length in)."""
    return list(_TOKENIZER.tokenize(text))


def truncate(text: str, words: int) -> str:
    """The first `words` ROUGE tokens of `text`, space-joined."""
    return " ".join(tokens(text)[: max(0, words)])


@functools.cache
def _scorer(*metrics: str) -> rouge_scorer.RougeScorer:
    # the scorer logs "Using default tokenizer." at INFO through absl: noise in `crosswire eval`
    absl = logging.getLogger("absl")
    level = absl.level
    absl.setLevel(logging.WARNING)
    try:
        return rouge_scorer.RougeScorer(list(metrics), use_stemmer=True)
    finally:
        absl.setLevel(level)


def rouge_n(candidate: str, reference: str, n: int) -> float:
    """ROUGE-N F1: clipped n-gram overlap of candidate and reference (stemmed)."""
    metric = f"rouge{n}"
    return float(_scorer(metric).score(reference, candidate)[metric].fmeasure)


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1: longest common subsequence of the two token sequences (stemmed)."""
    return float(_scorer("rougeL").score(reference, candidate)["rougeL"].fmeasure)


def rouge(candidate: str, reference: str) -> dict[str, float]:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 of `candidate` against `reference` (stemmed)."""
    scores = _scorer(*_METRICS).score(reference, candidate)
    return {metric: float(scores[metric].fmeasure) for metric in _METRICS}


# --------------------------------------------------------------------------- baselines


def _fill(sentences: Sequence[str], words: int) -> str:
    """Sentences in the order given until `words` tokens, skipping exact repeats (syndicated
    copies), cut to exactly `words` tokens."""
    seen: set[tuple[str, ...]] = set()
    picked: list[str] = []
    count = 0
    for sentence in sentences:
        key = tuple(tokens(sentence))
        if not key or key in seen:
            continue
        seen.add(key)
        picked.append(sentence)
        count += len(key)
        if count >= words:
            break
    return truncate(" ".join(picked), words)


def lead_summary(documents: Sequence[Sequence[str]], words: int) -> str:
    """First sentences of each document in turn (all firsts, then all seconds, ...)."""
    depth = max((len(d) for d in documents), default=0)
    return _fill([d[i] for i in range(depth) for d in documents if i < len(d)], words)


def pagerank(weights: np.ndarray, damping: float = 0.85, tol: float = 1e-8) -> np.ndarray:
    """Stationary scores of a random walk on a weighted graph, by power iteration.

    A node with no edges links to every node (the usual fix for dangling nodes).
    """
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    out = weights.sum(axis=1, keepdims=True)
    transition = np.where(out > 0, weights / np.where(out > 0, out, 1.0), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(1000):
        updated = (1 - damping) / n + damping * (transition.T @ scores)
        if np.abs(updated - scores).sum() < tol:
            return np.asarray(updated)
        scores = updated
    return np.asarray(scores)


def _sentence_graph(sentences: Sequence[str]) -> np.ndarray:
    # Stop words stay (idf weighs them down): dropping them scored both baselines lower on the
    # dev split (ROUGE-1 0.401 and 0.403), and a baseline should be its stronger variant.
    try:
        matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(sentences)
    except ValueError:  # no words at all
        return np.zeros((len(sentences), len(sentences)))
    sim = np.asarray(cosine_similarity(matrix))
    np.fill_diagonal(sim, 0.0)
    return sim


def _ranked(documents: Sequence[Sequence[str]], words: int, edges: Callable[..., Any]) -> str:
    sentences = [s for d in documents for s in d]
    if not sentences:
        return ""
    # rounded so that ties (a symmetric graph) go to the earlier sentence, not to float noise
    scores = np.round(pagerank(edges(_sentence_graph(sentences))), 12)
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    return _fill([sentences[i] for i in order], words)


LEXRANK_THRESHOLD = 0.1
"""Erkan & Radev (2004): cosine above 0.1 is an (unweighted) edge."""


def lexrank_summary(documents: Sequence[Sequence[str]], words: int) -> str:
    """LexRank: PageRank over the graph of sentence pairs with tf-idf cosine > 0.1."""
    return _ranked(documents, words, lambda s: (s > LEXRANK_THRESHOLD).astype(float))


def textrank_summary(documents: Sequence[Sequence[str]], words: int) -> str:
    """TextRank: PageRank over the sentence graph weighted by tf-idf cosine."""
    return _ranked(documents, words, lambda s: s)


# --------------------------------------------------------------------------- references


@dataclass(frozen=True)
class SummaryReference:
    cluster: str
    doc_ids: tuple[str, ...]
    reference: str
    split: Split


def load_references(path: Path) -> list[SummaryReference]:
    """Read the reference summaries (`cluster`, `doc_ids`, `reference`, `split` per line)."""
    refs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row: dict[str, Any] = json.loads(line)
            if row["split"] not in SPLITS:
                raise ValueError(f"{row['cluster']}: unknown split {row['split']!r}")
            refs.append(
                SummaryReference(
                    cluster=row["cluster"],
                    doc_ids=tuple(row["doc_ids"]),
                    reference=row["reference"],
                    split=row["split"],
                )
            )
    return refs


# --------------------------------------------------------------------------- ours


def summary_text(summary: Sequence[SummarySentence]) -> str:
    """The brief as a summary: established, then single-source sentences, without the
    'Only X reports:' attribution (presentation, not content)."""
    return " ".join(
        _ONLY.sub("", s.text)
        for section in SCORED_SECTIONS
        for s in summary
        if s.section == section
    )


def citation_support(
    summary: Sequence[SummarySentence], analyses: Mapping[str, ArticleAnalysis]
) -> float:
    """Share of ALL the brief's sentences (every section) that the articles they cite support,
    by `synthesis.sentence_supported`'s rule for their section."""
    if not summary:
        return 0.0
    from crosswire.synthesis.brief import sentence_supported  # local: pulls in the pipeline

    return sum(sentence_supported(s, analyses) for s in summary) / len(summary)


def _distinct_outlets(articles: Sequence[Article]) -> list[Article]:
    # ECB+ documents without a URL carry the placeholder source "ecb"/"ecbplus"; they come
    # from different outlets (Google News results), so each counts as its own outlet.
    return [a if a.url else a.model_copy(update={"source": f"{a.source}:{a.id}"}) for a in articles]


def _our_story(
    cluster: str,
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
) -> Story:
    from crosswire.compare import compare_story
    from crosswire.stories import find_duplicates, story_title
    from crosswire.synthesis.brief import synthesize

    by_id = {a.id: a for a in articles}
    duplicates = find_duplicates(articles, options)
    group = StoryGroup(id=cluster, article_ids=list(by_id), duplicate_of=duplicates)
    story = compare_story(group, by_id, analyses, options, title=story_title(articles, duplicates))
    return synthesize(story, by_id, analyses, options)


def _analyze(articles: Sequence[Article], options: Options) -> dict[str, ArticleAnalysis]:
    from crosswire.language import analyze_article  # local: loads spaCy

    return {a.id: analyze_article(a, options) for a in articles}


def _with_inferred_date(article: Article, analysis: ArticleAnalysis) -> Article:
    # as the pipeline does: an undated article takes the date its text implies
    if article.published is None and analysis.published_inferred is not None:
        return article.model_copy(
            update={"published": analysis.published_inferred, "published_inferred": True}
        )
    return article


# --------------------------------------------------------------------------- evaluation


def evaluate_summary(
    data_path: Path,
    refs_path: Path,
    split: str | None = None,
    *,
    clusters: Collection[str] | None = None,
    options: Options | None = None,
) -> dict[str, dict[str, float]]:
    """ROUGE-1/2/L F1 of our brief and three baselines, mean over the clusters of each split.

    Returns {system: {"<split> <metric>": value}} for systems ours, lead, lexrank and
    textrank; ours also has "<split> citation_support" and "<split> clusters". `split` limits
    the run to one split, `clusters` to the named clusters (for quick checks).
    """
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: expected one of {', '.join(SPLITS)}")
    options = options or Options()
    refs = [
        r
        for r in load_references(refs_path)
        if (split is None or r.split == split) and (clusters is None or r.cluster in clusters)
    ]
    if not refs:
        raise ValueError(f"no reference summaries to score in {refs_path}")
    articles, _ = load_ecbplus(data_path)
    by_id = {a.id: a for a in _distinct_outlets(articles)}
    missing = sorted({d for r in refs for d in r.doc_ids} - by_id.keys())
    if missing:
        raise ValueError(f"{len(missing)} reference documents not in {data_path}: {missing[0]}")
    wanted = [by_id[d] for r in refs for d in r.doc_ids]
    analyses = _analyze(wanted, options)
    per_split: dict[str, dict[str, list[float]]] = {}
    for ref in refs:
        members = [_with_inferred_date(by_id[d], analyses[d]) for d in ref.doc_ids]
        words = len(tokens(ref.reference))
        story = _our_story(ref.cluster, members, analyses, options)
        documents = [[s.text for s in analyses[a.id].sentences] for a in members]
        candidates = {
            "ours": truncate(summary_text(story.summary), words),
            "lead": lead_summary(documents, words),
            "lexrank": lexrank_summary(documents, words),
            "textrank": textrank_summary(documents, words),
        }
        rows = per_split.setdefault(ref.split, {})
        for system, text in candidates.items():
            for metric, value in rouge(text, ref.reference).items():
                rows.setdefault(f"{system}|{metric}", []).append(value)
        rows.setdefault("ours|citation_support", []).append(
            citation_support(story.summary, analyses)
        )
    results: dict[str, dict[str, float]] = {s: {} for s in SYSTEMS}
    for name in SPLITS:
        if name not in per_split:
            continue
        for key, values in per_split[name].items():
            system, metric = key.split("|")
            results[system][f"{name} {metric}"] = float(np.mean(values))
        results["ours"][f"{name} clusters"] = float(len(per_split[name]["ours|rouge1"]))
    return results
