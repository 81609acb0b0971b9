"""How well ingest (and clean) recover an article's body from its web page.

Scored on the Zyte/Scrapinghub article-extraction-benchmark layout (`ground-truth.json`
mapping item id -> {"articleBody", "url"}, pages in `html/<id>.html.gz`) with that
benchmark's metric, re-implemented here from its description: tokens are `\\w+` runs,
documents are multisets of 4-token shingles, per-document precision and recall are averaged
over documents, F1 is the harmonic mean of the two averages.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from crosswire.clean import clean_articles
from crosswire.inputs import read_inputs
from crosswire.models import Article
from crosswire.options import Options

__all__ = ["evaluate_extraction", "shingle_scores"]

_TOKEN = re.compile(r"\w+")
_N = 4


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    # Texts shorter than one shingle count as a single short shingle, as the benchmark does.
    return Counter(tuple(tokens[i : i + _N]) for i in range(max(1, len(tokens) - _N + 1)))


def shingle_scores(true: str, pred: str) -> tuple[float | None, float | None]:
    """Precision and recall of `pred` against `true` over 4-token shingles; None where the
    benchmark leaves a document out of that average (nothing predicted / nothing true)."""
    t, p = _shingles(true), _shingles(pred)
    t.pop((), None)
    p.pop((), None)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    if fp == fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def _summary(pairs: Sequence[tuple[float | None, float | None]], prefix: str) -> dict[str, float]:
    precisions = [p for p, _ in pairs if p is not None]
    recalls = [r for _, r in pairs if r is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {f"{prefix}precision": precision, f"{prefix}recall": recall, f"{prefix}f1": f1}


def evaluate_extraction(folder: Path, limit: int | None = None) -> dict[str, float]:
    """Score ingest's text (and the same text after `clean`) against the ground truth.

    `limit` takes the first items in id order (ids are hashes, so a fair sample). Returns
    precision/recall/f1 for ingest, `cleaned_*` for ingest + clean, `exact` (share of
    documents whose token sequence matches exactly) and `files` (documents scored).
    """
    truth: dict[str, dict[str, str]] = json.loads(
        (folder / "ground-truth.json").read_text(encoding="utf-8")
    )
    ids = sorted(truth)[:limit] if limit is not None else sorted(truth)
    paths = [folder / "html" / f"{item}.html.gz" for item in ids]
    options = Options()
    articles = [a for a in read_inputs(paths, options) if isinstance(a, Article)]
    cleaned = {a.id: a.text for a in clean_articles(articles, options)}
    raw = {a.id: a.text for a in articles}
    raw_pairs, clean_pairs, exact = [], [], 0
    for item in ids:
        body = truth[item].get("articleBody", "")
        predicted = raw.get(item, "")
        raw_pairs.append(shingle_scores(body, predicted))
        clean_pairs.append(shingle_scores(body, cleaned.get(item, "")))
        exact += _TOKEN.findall(body) == _TOKEN.findall(predicted)
    return {
        **_summary(raw_pairs, ""),
        **_summary(clean_pairs, "cleaned_"),
        "exact": exact / len(ids) if ids else 0.0,
        "files": float(len(ids)),
    }
