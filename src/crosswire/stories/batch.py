"""Grouping a batch of articles into stories (one event each), and a story's title.

`group_stories` takes the articles all at once, deterministically for a given set whatever
order it comes in. Syndicated copies (`find_duplicates`) are put in their original's story
and take no part in the clustering. The similarity of two articles (`similarity`) mixes tf-idf
text cosine (words and bigrams), cosine over the names the articles mention (rare shared
names weigh most) and a boost when they mention the same days or figures; it is cut sharply
when their names speak against one event (none shared, or different central people).
Articles published more than `options.story_max_days` apart never share a story. Clustering
is a single pass over the articles in publication order (each joins the story it clearly
belongs to, or starts one), then average-link merging of stories down to
`options.story_threshold`. Only candidate pairs found through indexes (text nearest
neighbours, an inverted index of rare names) are ever scored, so the cost grows with the
number of articles times the neighbours kept, not with all pairs.

Stories in different languages are then joined where their leads match across languages
(`languages.join_across_languages`).

Story ids: `s-` + the first 10 hex digits of sha1 of the id of the story's first article by
(published, id) (undated articles after dated ones). A story that grows keeps its id unless
an article published earlier than all its others joins it.

`story_title` picks a story's representative title.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from crosswire.models import Article, ArticleAnalysis, StoryGroup
from crosswire.options import Options
from crosswire.stories.copies import find_duplicates
from crosswire.stories.features import (
    Traits,
    article_names,
    article_traits,
    full_text,
    sort_key,
    story_id,
    story_text,
)
from crosswire.stories.languages import join_across_languages
from crosswire.stories.similarity import (
    HAPAX_WEIGHT,
    LEADER_FACTOR,
    NEIGHBOURS,
    RARE_NAME_MAX,
    RARE_NAME_SHARE,
    similarities,
)

TITLE_MAX_CHARS = 150


def _weighted_tfidf(vectorizer: TfidfVectorizer, docs: Sequence[object]) -> sp.csr_matrix:
    """Fit tf-idf on `docs`, down-weight batch-hapax columns, L2-normalise rows."""
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # empty vocabulary: nothing in common to measure
        return sp.csr_matrix((len(docs), 1))
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    scale = np.where(df <= 1, HAPAX_WEIGHT, 1.0)
    return sp.csr_matrix(normalize(matrix @ sp.diags(scale)))


@dataclass
class _Features:
    text: sp.csr_matrix
    names: sp.csr_matrix
    has_names: np.ndarray
    name_docs: list[list[str]]
    traits: list[Traits]

    @property
    def published(self) -> list[date | None]:
        return [t.published for t in self.traits]


def _features(articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]) -> _Features:
    text_vectorizer = TfidfVectorizer(
        sublinear_tf=True, stop_words="english", ngram_range=(1, 2), lowercase=True
    )
    text = _weighted_tfidf(text_vectorizer, [story_text(a, analyses.get(a.id)) for a in articles])
    name_docs = [article_names(analyses.get(a.id)) for a in articles]
    name_vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    names = (
        _weighted_tfidf(name_vectorizer, name_docs)
        if any(name_docs)
        else sp.csr_matrix((len(articles), 1))
    )
    return _Features(
        text=text,
        names=names,
        has_names=np.array([bool(d) for d in name_docs]),
        name_docs=name_docs,
        traits=[
            article_traits(a, analyses.get(a.id), d)
            for a, d in zip(articles, name_docs, strict=True)
        ],
    )


def _identity(doc: list[str]) -> list[str]:
    return doc


def _too_far(a: date | None, b: date | None, max_days: int) -> bool:
    return a is not None and b is not None and abs((a - b).days) > max_days


def _candidate_pairs(feats: _Features, max_days: int) -> list[tuple[int, int]]:
    """Pairs worth scoring: text nearest neighbours, plus articles sharing a rare name."""
    n = feats.text.shape[0]
    pairs: set[tuple[int, int]] = set()
    if n > 1:
        k = min(n, NEIGHBOURS + 1)
        index = NearestNeighbors(n_neighbors=k, metric="cosine", algorithm="brute")
        index.fit(feats.text)
        _, neighbours = index.kneighbors(feats.text)
        for i, row in enumerate(neighbours):
            pairs.update((min(i, int(j)), max(i, int(j))) for j in row if int(j) != i)
    rare_limit = max(2, min(RARE_NAME_MAX, int(RARE_NAME_SHARE * n)))
    holders: dict[str, set[int]] = defaultdict(set)
    for i, keys in enumerate(feats.name_docs):
        for key in set(keys):
            holders[key].add(i)
    for members in holders.values():
        if 2 <= len(members) <= rare_limit:
            ordered = sorted(members)
            pairs.update((a, b) for x, a in enumerate(ordered) for b in ordered[x + 1 :])
    published = feats.published
    return sorted((i, j) for i, j in pairs if not _too_far(published[i], published[j], max_days))


def _pair_similarity(
    feats: _Features, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], float]:
    """Similarity (0..1) of each pair: text and names, cut on conflict, plus boosts."""
    if not pairs:
        return {}
    rows = np.array([p[0] for p in pairs])
    cols = np.array([p[1] for p in pairs])
    text = np.asarray(feats.text[rows].multiply(feats.text[cols]).sum(axis=1)).ravel()
    names = np.asarray(feats.names[rows].multiply(feats.names[cols]).sum(axis=1)).ravel()
    both_named = feats.has_names[rows] & feats.has_names[cols]
    sims = similarities(
        text,
        names,
        both_named,
        [feats.traits[i] for i in rows.tolist()],
        [feats.traits[j] for j in cols.tolist()],
    )
    return {pair: float(sim) for pair, sim in zip(pairs, sims.tolist(), strict=True)}


# --------------------------------------------------------------------------- clustering


@dataclass
class _Story:
    members: list[int]
    first: date | None = None
    last: date | None = None
    links: dict[int, float] = field(default_factory=dict)  # other story -> summed pair sims

    def spans(self, other_first: date | None, other_last: date | None, max_days: int) -> bool:
        """Whether adding articles dated first..last keeps this story within max_days."""
        days = [d for d in (self.first, self.last, other_first, other_last) if d is not None]
        return not days or (max(days) - min(days)).days <= max_days

    def absorb(self, first: date | None, last: date | None) -> None:
        days = [d for d in (self.first, self.last, first, last) if d is not None]
        if days:
            self.first, self.last = min(days), max(days)


def _cluster(
    n: int,
    published: Sequence[date | None],
    sims: Mapping[tuple[int, int], float],
    threshold: float,
    max_days: int,
) -> list[list[int]]:
    """Leader clustering in publication order, then average-link merging of stories.

    The similarity of an article to a story (and of two stories) is the mean similarity of
    their article pairs; unscored pairs count as 0, so the candidate index only ever lowers it.
    """
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), s in sims.items():
        neighbours[i][j] = s
        neighbours[j][i] = s

    story_of: dict[int, int] = {}
    stories: dict[int, _Story] = {}
    for i in range(n):  # articles arrive sorted by (published, id)
        totals: dict[int, float] = defaultdict(float)
        for j, s in neighbours[i].items():
            if j in story_of:
                totals[story_of[j]] += s
        scored = [
            (total / len(stories[sid].members), -sid)
            for sid, total in totals.items()
            if stories[sid].spans(published[i], published[i], max_days)
        ]
        score, best = max(scored, default=(0.0, 0))
        best = -best
        if not scored or score < LEADER_FACTOR * threshold:
            best = i
            stories[best] = _Story(members=[])
        stories[best].members.append(i)
        stories[best].absorb(published[i], published[i])
        story_of[i] = best

    for (i, j), s in sims.items():
        a, b = story_of[i], story_of[j]
        if a != b:
            stories[a].links[b] = stories[a].links.get(b, 0.0) + s
            stories[b].links[a] = stories[b].links.get(a, 0.0) + s

    while True:
        merges = [
            (total / (len(stories[a].members) * len(stories[b].members)), -a, -b)
            for a in stories
            for b, total in stories[a].links.items()
            if a < b and stories[a].spans(stories[b].first, stories[b].last, max_days)
        ]
        score, a, b = max(merges, default=(0.0, 0, 0))
        if score < threshold or not merges:
            break
        a, b = -a, -b
        keep, gone = stories[a], stories.pop(b)
        keep.members.extend(gone.members)
        keep.absorb(gone.first, gone.last)
        keep.links.pop(b, None)
        for c, total in gone.links.items():
            if c == a:
                continue
            keep.links[c] = keep.links.get(c, 0.0) + total
            other = stories[c].links
            other[a] = other.get(a, 0.0) + other.pop(b)
    return [sorted(s.members) for s in stories.values()]


def group_stories(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
    duplicates: Mapping[str, str] | None = None,
) -> list[StoryGroup]:
    """Group `articles` into stories, one event each, in order of each story's first article.

    `analyses` supplies the names, dates and figures each article mentions; an article without
    one is compared by its text alone. `duplicates` ({copy: original}, as `find_duplicates`
    returns, which is called when it is None) puts each copy in its original's story; copies
    take no part in the clustering itself, so syndication cannot outvote independent reports.
    """
    if not articles:
        return []
    ordered = sorted(articles, key=sort_key)
    by_id = {a.id: a for a in ordered}
    copies = find_duplicates(ordered, options) if duplicates is None else dict(duplicates)
    copies = {c: _root(c, copies) for c in copies if c in by_id}
    copies = {c: o for c, o in copies.items() if o in by_id and o != c}
    copies = {c: o for c, o in copies.items() if o not in copies}  # a cycle has no original
    originals = [a for a in ordered if a.id not in copies]

    feats = _features(originals, analyses)
    pairs = _candidate_pairs(feats, options.story_max_days)
    sims = _pair_similarity(feats, pairs)
    clusters = _cluster(
        len(originals), feats.published, sims, options.story_threshold, options.story_max_days
    )

    story_of = {originals[i].id: k for k, members in enumerate(clusters) for i in members}
    members: dict[int, list[Article]] = defaultdict(list)
    for article in ordered:
        members[story_of[copies.get(article.id, article.id)]].append(article)
    groups = []
    for story in sorted(members.values(), key=lambda m: sort_key(m[0])):
        ids = [a.id for a in story]
        groups.append(
            StoryGroup(
                id=story_id(ids[0]),
                article_ids=ids,
                duplicate_of={c: copies[c] for c in ids if c in copies},
            )
        )
    return join_across_languages(groups, by_id, analyses, options)


def _root(article_id: str, copies: Mapping[str, str]) -> str:
    """Follow copy -> original links to the end (a given map may hold chains)."""
    seen = {article_id}
    while article_id in copies and copies[article_id] not in seen:
        article_id = copies[article_id]
        seen.add(article_id)
    return article_id


# --------------------------------------------------------------------------- titles


def story_title(articles: Sequence[Article], duplicates: Mapping[str, str] | None = None) -> str:
    """A representative title: the title that best matches what the story's texts share.

    Each title is scored by tf-idf cosine against the centroid of the texts, so page furniture
    left in a title ("World News") scores low. Copies (keys of `duplicates`) are passed over
    when an original has a title; near-ties go to the earliest published, the original.
    """
    ordered = sorted(articles, key=sort_key)
    copies = set(duplicates or ())
    titled = [a for a in ordered if a.title.strip()]
    # A "title" of paragraph length is a missing headline's first sentence: last resort only.
    titled = [a for a in titled if len(a.title) <= TITLE_MAX_CHARS] or titled
    preferred = [a for a in titled if a.id not in copies] or titled
    if not preferred:
        return _first_sentence(ordered[0].text) if ordered else ""
    if len(preferred) == 1:
        return preferred[0].title.strip()
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        vectorizer.fit([full_text(a) for a in ordered])
    except ValueError:  # no words at all
        return preferred[0].title.strip()
    centroid = normalize(np.asarray(vectorizer.transform([a.text for a in ordered]).mean(axis=0)))
    scores = (vectorizer.transform([a.title for a in preferred]) @ centroid.T).ravel()
    best = float(np.max(scores))
    chosen = next(a for a, s in zip(preferred, scores, strict=True) if s >= best - 0.02)
    return chosen.title.strip()


def _first_sentence(text: str, limit: int = 100) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
