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
from typing import Any

import numpy as np
from rouge_score import rouge_scorer, tokenizers
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from crosswire.clean import clean_articles
from crosswire.evaluate.base import SPLITS, Evaluator, Scores, Split, load_report, register
from crosswire.evaluate.loci import read_jsonl
from crosswire.evaluate.stories import load_ecbplus
from crosswire.models import (
    Article,
    ArticleAnalysis,
    Report,
    Story,
    StoryGroup,
    SummarySentence,
)
from crosswire.options import Options

__all__ = [
    "SPLITS",
    "SummaryEvaluator",
    "SummaryReference",
    "brief_problems",
    "citation_support",
    "evaluate_summary",
    "lead_summary",
    "lexrank_summary",
    "load_articles",
    "load_references",
    "pagerank",
    "report_problems",
    "rouge",
    "rouge_l",
    "rouge_n",
    "summary_text",
    "textrank_summary",
    "tokens",
    "truncate",
]

SYSTEMS = ("ours", "lead", "lexrank", "textrank")
SCORED_SECTIONS = ("established", "disputed", "single_source")
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


_SIDES = re.compile(
    r"\s*Outlets (?:date this differently|give different figures|describe .+? differently|"
    r"quote .+? differently|contradict each other)\b.*$",
    re.S,
)


def summary_text(summary: Sequence[SummarySentence]) -> str:
    """The brief as a summary, in the order a reader reads it (its sections in the order the
    brief opens them: established, disputed and single-source sentences), without the 'Only X
    reports:' attribution and without the list of a dispute's sides (presentation, not prose
    a reference could match); a dispute with no claim wording before its sides is left out."""
    parts = []
    order = list(dict.fromkeys(s.section for s in summary))
    for section in sorted(SCORED_SECTIONS, key=lambda x: order.index(x) if x in order else 9):
        for s in summary:
            if s.section == section:
                text = _SIDES.sub("", _ONLY.sub("", s.text)).strip()
                if text:
                    parts.append(text)
    return " ".join(parts)


# --------------------------------------------------------------------------- consistency


def brief_problems(story: Story) -> list[str]:
    """What in a story's brief breaks the rule that it is built from the comparison.

    Every sentence names the claims it rests on (`claim_ids`, all of the story) and cites
    exactly their source articles (and, when it lists `sources`, only their sentences). An
    established sentence rests only on claims with two or more outlets, not disputed and with
    no conflict; a single-source sentence on claims with exactly one outlet; a disputed
    sentence names its conflicts, rests on claims those conflicts are about, and shows every
    side's value. Returns one line per problem.
    """
    claims = {c.id: c for c in story.claims}
    conflicts = {c.id: c for c in story.conflicts}
    problems: list[str] = []
    for n, sentence in enumerate(story.summary):
        where = f"{story.id} brief {n + 1} ({sentence.section})"
        if not sentence.claim_ids:
            problems.append(f"{where}: names no claim")
            continue
        unknown = [c for c in sentence.claim_ids if c not in claims]
        if unknown:
            problems.append(f"{where}: unknown claim {unknown[0]}")
            continue
        rests = [claims[c] for c in sentence.claim_ids]
        sourced = {s.article_id for c in rests for s in c.sources}
        if set(sentence.article_ids) != sourced:
            problems.append(
                f"{where}: cites {sorted(sentence.article_ids)}, its claims' sources are "
                f"{sorted(sourced)}"
            )
        spans = {(s.article_id, s.start, s.end, s.sentence) for c in rests for s in c.sources}
        if any((s.article_id, s.start, s.end, s.sentence) not in spans for s in sentence.sources):
            problems.append(f"{where}: a cited span is no source of its claims")
        if sentence.section == "established":
            for c in rests:
                if c.outlets < 2 or c.status == "disputed" or c.conflict_ids:
                    problems.append(
                        f"{where}: rests on {c.id} ({c.status}, {c.outlets} outlets"
                        f"{', conflict' if c.conflict_ids else ''})"
                    )
        elif sentence.section == "single_source":
            problems.extend(
                f"{where}: rests on {c.id} with {c.outlets} outlets"
                for c in rests
                if c.outlets != 1
            )
        elif sentence.section == "disputed":
            problems.extend(_dispute_problems(where, sentence, rests, conflicts))
        else:
            problems.append(f"{where}: section {sentence.section!r} rests on no comparison")
    return problems


def _dispute_problems(
    where: str,
    sentence: SummarySentence,
    rests: Sequence[Any],
    conflicts: Mapping[str, Any],
) -> list[str]:
    if not sentence.conflict_ids or any(c not in conflicts for c in sentence.conflict_ids):
        return [f"{where}: names no conflict of the story"]
    problems = []
    evidence = {
        cid: {
            (a, e)
            for v in conflicts[cid].values
            for a, e in zip(v.article_ids, v.evidence, strict=False)
        }
        for cid in sentence.conflict_ids
    }
    for c in rests:
        if not any(
            cid in c.conflict_ids or any((s.article_id, s.sentence) in ev for s in c.sources)
            for cid, ev in evidence.items()
        ):
            problems.append(f"{where}: rests on {c.id}, which none of its conflicts is about")
    # every side a claim it rests on states (a side no claim states cannot be cited)
    stated = {(s.article_id, s.sentence) for c in rests for s in c.sources}
    for cid in sentence.conflict_ids:
        missing = [
            v.value
            for v in conflicts[cid].values
            if not any(f"{part}”" in sentence.text for part in v.value.split("; "))
            and any((a, e) in stated for a, e in zip(v.article_ids, v.evidence, strict=False))
        ]
        if missing:
            problems.append(f"{where}: leaves out the side “{missing[0]}” of {cid}")
    return problems


def report_problems(report: Report) -> list[str]:
    """`brief_problems` of every story of a report."""
    return [p for story in report.stories for p in brief_problems(story)]


def citation_support(
    summary: Sequence[SummarySentence], analyses: Mapping[str, ArticleAnalysis]
) -> float:
    """Share of ALL the brief's sentences (every section) that the articles they cite support,
    by `synthesis.sentence_supported`'s rule for their section."""
    if not summary:
        return 0.0
    from crosswire.synthesis.brief import sentence_supported  # local: pulls in the pipeline

    return sum(sentence_supported(s, analyses) for s in summary) / len(summary)


def load_articles(path: Path) -> list[Article]:
    """The documents the references summarise: ECB+ (`dev_documents.jsonl`, one outlet per
    document without a URL) or GVC (`documents.jsonl`: each document its own outlet, as
    `evaluate.loci.gvc_input` reads them; GVC names no outlets)."""
    gvc = path if path.is_file() else path / "documents.jsonl"
    first = next(iter(read_jsonl(gvc)), {}) if gvc.is_file() else {}
    if "incident" not in first:
        articles, _ = load_ecbplus(path)
        return _distinct_outlets(articles)
    return [
        Article(
            id=doc["id"],
            source=doc.get("source") or doc["id"],
            title=doc.get("title") or "",
            text=doc["text"],
            published=doc.get("published"),
            origin=f"{path.name}:{doc['id']}",
        )
        for doc in read_jsonl(gvc)
    ]


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
    # cleaned as `crosswire analyze` cleans its input: the brief scored is the brief a user gets
    by_id = {a.id: a for a in clean_articles(load_articles(data_path), options)}
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
        best = max(rows[f"{b}|rouge1"][-1] for b in SYSTEMS if b != "ours")
        rows.setdefault("ours|beats_best", []).append(float(rows["ours|rouge1"][-1] > best))
        rows.setdefault("ours|consistency_problems", []).append(float(len(brief_problems(story))))
    results: dict[str, dict[str, float]] = {s: {} for s in SYSTEMS}
    for name in SPLITS:
        if name not in per_split:
            continue
        for key, values in per_split[name].items():
            system, metric = key.split("|")
            total = metric == "consistency_problems"  # a count, not a mean
            results[system][f"{name} {metric}"] = float(
                np.sum(values) if total else np.mean(values)
            )
        results["ours"][f"{name} clusters"] = float(len(per_split[name]["ours|rouge1"]))
        # the reading: above *the* best same-length baseline (best on average over
        # the split) cluster by cluster; beats_best above is stricter (each cluster's best)
        rows = per_split[name]
        top = max((b for b in SYSTEMS if b != "ours"), key=lambda b: np.mean(rows[f"{b}|rouge1"]))
        results["ours"][f"{name} beats_top_baseline"] = float(
            np.mean(np.greater(rows["ours|rouge1"], rows[f"{top}|rouge1"]))
        )
    return results


ECBPLUS_REFS = Path("examples/summary-refs/ecbplus-dev.jsonl")
GVC_REFS = Path("examples/summary-refs/gvc.jsonl")


@register
class SummaryEvaluator(Evaluator):
    """`crosswire eval summary [REFS] [DOCS]`: ROUGE of the brief against the written
    references REFS (default: both the ECB+ and the GVC ones), beside the baselines, and the
    brief's consistency problems. DOCS are the references' documents (default: the shared
    ECB+ or GVC file, by the references' name); a report.json as DOCS has its briefs checked
    for consistency only."""

    name = "summary"
    default_gold = str(ECBPLUS_REFS)
    reads_report = False
    needs_shared_data = False  # a report's briefs need none; missing documents are named

    def run(
        self, gold: Path | None, docs: Path | None, splits: Sequence[Split | None]
    ) -> list[Scores] | None:
        if docs is not None and (docs.is_dir() or docs.suffix == ".json"):
            return [self._report_problems(docs)]
        if gold is None:
            runs = [("ECB+ dev", self.ecbplus_documents(), ECBPLUS_REFS)]
            runs.append(("GVC", self.gvc_documents(), GVC_REFS))
        else:
            corpus = self.gvc_documents() if "gvc" in gold.name else self.ecbplus_documents()
            runs = [(gold.stem, docs or corpus, gold)]
        out = []
        # one call per corpus scores both splits on one reading of the articles
        asked = splits[0] if len(splits) == 1 else None
        for name, documents, refs in runs:
            if not documents.exists():
                raise ValueError(f"{documents} not found (the references' documents)")
            results = evaluate_summary(documents, refs, asked)
            for split in splits if asked is None else [asked]:
                key = f"{split} "
                scores = Scores(title=f"summary ({name}, {split})")
                scores.rows = {
                    system: {m[len(key) :]: v for m, v in figures.items() if m.startswith(key)}
                    for system, figures in results.items()
                }
                problems = scores.rows["ours"].get("consistency_problems") or 0
                scores.counts["consistency problems"] = int(float(problems))
                out.append(scores)
        return out

    def _report_problems(self, path: Path) -> Scores:
        found = report_problems(load_report(path))
        scores = Scores(title=f"brief consistency ({path})")
        scores.counts["consistency problems"] = len(found)
        scores.notes.extend(found)
        return scores

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        del report
        return (self.run(gold, None, [split]) or [])[0]
