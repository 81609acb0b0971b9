"""How well ingest and clean recover an article's body from its web page (`crosswire eval
extraction`), beside trafilatura alone with its default settings, in the same run.

Scored on the Zyte/Scrapinghub article-extraction-benchmark layout (`ground-truth.json`
mapping item id -> {"articleBody", "url"}, pages in `html/<id>.html.gz`) with that
benchmark's metric, re-implemented here from its description (its PROVENANCE.md): tokens are
`\\w+` runs, documents are multisets of 4-token shingles, per-document precision and recall
are averaged over documents, F1 is the harmonic mean of the two averages.

crosswire's text is the text a user gets: the page read by ingest, then `clean` (what
`crosswire extract --json` prints as `text`). The project's split: item ids starting 0-7 are
dev, 8-f held-out. Each system's pages per second is timed on the same pages, page by page
in turn (best of `rounds` runs of each page, so a burst of load on the shared machine does
not land on one system only), from the gzipped file to the text.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import trafilatura

from crosswire.clean import clean_articles
from crosswire.evaluate.base import Evaluator, Scores, Split, register
from crosswire.inputs import read_inputs
from crosswire.models import Article, Report
from crosswire.options import Options

__all__ = ["ExtractionEvaluator", "score_extraction", "shingle_scores", "split_of"]

_TOKEN = re.compile(r"\w+")
_N = 4
BENCHMARK = "article-extraction-benchmark"
TRAFILATURA = "trafilatura (defaults)"

Extractor = Callable[[Path], str]


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


def _page_f1(pair: tuple[float | None, float | None]) -> float:
    precision, recall = (v or 0.0 for v in pair)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _summary(pairs: Sequence[tuple[float | None, float | None]]) -> dict[str, float]:
    precisions = [p for p, _ in pairs if p is not None]
    recalls = [r for _, r in pairs if r is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def split_of(item_id: str) -> Split:
    """The project's split of a benchmark page (gold/README.md): ids 0-7 dev, 8-f held-out."""
    return "dev" if item_id[:1] in "01234567" else "heldout"


def _trafilatura_text(path: Path) -> str:
    """trafilatura alone, its defaults, on the page's bytes (it decodes them itself)."""
    return trafilatura.extract(gzip.decompress(path.read_bytes())) or ""


def score_extraction(
    folder: Path,
    split: Split | None,
    *,
    limit: int | None = None,
    rounds: int = 3,
    baseline: Extractor = _trafilatura_text,
) -> Scores:
    """crosswire (ingest + clean), ingest alone and `baseline` on one split's pages (None:
    all), in id order; `limit` keeps the first pages (ids are hashes, so a fair sample)."""
    truth: dict[str, dict[str, str]] = json.loads(
        (folder / "ground-truth.json").read_text(encoding="utf-8")
    )
    ids = [i for i in sorted(truth) if split is None or split_of(i) == split][:limit]
    options = Options()
    ours_s = [float("inf")] * len(ids)
    theirs_s = [float("inf")] * len(ids)
    read: dict[str, Article] = {}
    theirs: dict[str, str] = {}
    _warm_up(folder, sorted(truth)[:1], options, baseline)
    for _ in range(max(1, rounds)):
        for n, item in enumerate(ids):
            path = folder / "html" / f"{item}.html.gz"
            start = time.perf_counter()
            found = [a for a in read_inputs([path], options) if isinstance(a, Article)]
            middle = time.perf_counter()
            theirs[item] = baseline(path)
            end = time.perf_counter()
            ours_s[n] = min(ours_s[n], middle - start)
            theirs_s[n] = min(theirs_s[n], end - middle)
            if found:
                read[item] = found[0]
    clean_s = float("inf")
    cleaned: dict[str, str] = {}
    for _ in range(max(1, rounds)):
        start = time.perf_counter()
        cleaned = {a.id: a.text for a in clean_articles(list(read.values()), options)}
        clean_s = min(clean_s, time.perf_counter() - start)
    texts = {
        "crosswire": cleaned,
        "crosswire ingest only": {i: a.text for i, a in read.items()},
        TRAFILATURA: theirs,
    }
    pairs = {
        system: [shingle_scores(truth[i].get("articleBody", ""), got.get(i, "")) for i in ids]
        for system, got in texts.items()
    }
    scores = Scores(title=f"extraction ({folder.name}, {split or 'both splits'})")
    for system, got in texts.items():
        exact = sum(
            _TOKEN.findall(truth[i].get("articleBody", "")) == _TOKEN.findall(got.get(i, ""))
            for i in ids
        )
        scores.rows[system] = {**_summary(pairs[system]), "exact": exact / len(ids) if ids else 0.0}
    ours_total, theirs_total = sum(ours_s) + clean_s, sum(theirs_s)
    scores.rows["crosswire"]["pages/s"] = len(ids) / ours_total if ours_total else None
    scores.rows[TRAFILATURA]["pages/s"] = len(ids) / theirs_total if theirs_total else None
    deltas = [
        _page_f1(a) - _page_f1(b)
        for a, b in zip(pairs["crosswire"], pairs[TRAFILATURA], strict=True)
    ]
    scores.counts = {
        "pages": len(ids),
        "pages crosswire scores better on (F1)": sum(d > 1e-9 for d in deltas),
        "pages crosswire scores worse on (F1)": sum(d < -1e-9 for d in deltas),
        "pages scored equal": sum(abs(d) <= 1e-9 for d in deltas),
        "pages crosswire reads no article from": len(ids) - len(read),
    }
    if ours_total and theirs_total:
        scores.notes.append(
            f"pages/s crosswire / trafilatura: {theirs_total / ours_total:.2f} "
            f"(best of {max(1, rounds)} runs per page; crosswire: read, extract, clean)"
        )
    return scores


def _warm_up(folder: Path, ids: Sequence[str], options: Options, baseline: Extractor) -> None:
    """One page through both systems first: imports and caches are not timed."""
    for item in ids:
        path = folder / "html" / f"{item}.html.gz"
        clean_articles([a for a in read_inputs([path], options) if isinstance(a, Article)], options)
        baseline(path)


@register
class ExtractionEvaluator(Evaluator):
    """`crosswire eval extraction [GOLD]`: GOLD is the benchmark's ground-truth.json (or its
    folder); REPORT is ignored (a report holds no page's text as extracted)."""

    name = "extraction"
    default_gold = f"../shared/data/{BENCHMARK}/ground-truth.json"
    reads_report = False

    def folder(self, gold: Path | None) -> Path:
        if gold is None:
            return self.data / BENCHMARK
        return gold if gold.is_dir() else gold.parent

    def run(
        self, gold: Path | None, docs: Path | None, splits: Sequence[Split | None]
    ) -> list[Scores] | None:
        del docs
        folder = self.folder(gold)
        if not (folder / "ground-truth.json").is_file():
            raise ValueError(f"no ground-truth.json in {folder}")
        return [score_extraction(folder, split) for split in splits]

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        del report
        return score_extraction(self.folder(gold), split)
