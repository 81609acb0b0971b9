"""Group articles into stories (one event each) and tell syndicated copies from own reports.

Two steps, both deterministic for a given set of articles whatever order it comes in:

1. `find_duplicates`: near-verbatim copies (syndication, light rewrites) by MinHash/LSH over
   word 5-shingles; every copy points at the root original of its group.
2. `group_stories`: event-level clustering. The similarity of two articles mixes tf-idf text
   cosine (words and bigrams), cosine over the names the articles mention (rare shared names
   weigh most) and a boost when they mention the same days or figures; it is cut sharply when
   their names speak against one event (none shared, or different central people). Articles
   published more than `options.story_max_days` apart never share a story. Clustering is a
   single pass over the articles in publication order (each joins the story it clearly belongs
   to, or starts one), then average-link merging of stories down to `options.story_threshold`.
   Only candidate pairs found through indexes (text nearest neighbours, an inverted index of
   rare names) are ever scored, so the cost grows with the number of articles times the
   neighbours kept, not with all pairs.

Story ids: `s-` + the first 10 hex digits of sha1 of the id of the story's first article by
(published, id) (undated articles after dated ones). A story that grows keeps its id unless an
article published earlier than all its others joins it.

3. `StoryIndex`: the same two steps as articles arrive, without regrouping what came before;
   it persists as plain bytes (`to_bytes`/`from_bytes`) so the pipeline keeps it in its store.
   `prepare_articles` is the per-article half of its work (hashing, shingles, MinHash, names)
   and can run elsewhere (another process) before `StoryIndex.add_prepared`. With
   `options.story_window_days` it retires articles older than the window, so its memory stays
   flat on an endless stream (see `StoryIndex`).
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import io
import itertools
import pickle
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import scipy.sparse as sp
from datasketch import MinHash, MinHashLSH
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from crosswire.language.text import re_folded
from crosswire.models import Article, ArticleAnalysis, StoryGroup
from crosswire.options import Options

__all__ = [
    "PreparedArticle",
    "StoryIndex",
    "find_duplicates",
    "group_stories",
    "prepare_articles",
    "story_title",
]

NUM_PERM = 128
SHINGLE_WORDS = 5
LSH_WEIGHTS = (0.05, 0.95)
"""Weights of false positives and false negatives when datasketch picks the LSH banding. The
exact Jaccard decides, so the LSH should miss few true pairs: at datasketch's default (0.5,
0.5) a pair at the 0.6 threshold was proposed 40% of the time, at these 96%."""

TEXT_WEIGHT = 0.7
"""Share of text in the article similarity when both articles have names; names get the rest."""
HAPAX_WEIGHT = 0.3
"""Weight kept by a term (or name) found in one article only: it cannot link that article to any
other, yet at full weight it would drown the shared terms in long, wordy articles."""
TIME_BOOST = 0.05
"""Added to the similarity of two articles that mention the same specific day."""
NUMBER_BOOST = 0.05
"""Added per shared figure (a number with what it counts: "23 pirates"), at most twice; with
the language stage's figures this lifted ECB+ dev B-cubed F1 at threshold 0.2 from 0.91 to 0.96."""
LINK_FLOOR = 0.05
"""Pair similarities below this count as 0: noise, not evidence. Three in four scored pairs
fall below it (mostly shared common words); they moved no ECB+ dev story and changed the
10k-article bench stream's B-cubed F1 by +0.0005, while their links were most of each
cluster's links and a sixth of the cost of filing. At 0.1, recall starts to drop."""
NEIGHBOURS = 30
"""Text nearest neighbours scored per article; pairs beyond them count as unrelated."""
RARE_NAME_SHARE = 0.1
RARE_NAME_MAX = 50
"""Names in at most this share (and number) of the articles link them as candidates."""
LEADER_FACTOR = 2.0
"""The single pass joins an article to a story only at this multiple of the threshold: joins
made early, against a story of one or two articles, cannot be undone, and joining at the
threshold itself cost 0.04 B-cubed F1 on ECB+ dev. Average-link merging settles the rest."""
CONFLICT_FACTOR = 0.1
CONFLICT_NAMES = 3
"""Names speak against one event when two articles each name at least CONFLICT_NAMES things
and share none (3% of same-event pairs on ECB+ dev, 43% of same-topic other-event pairs), or
centre on different people: their similarity is then cut to CONFLICT_FACTOR of itself, so
shared wording alone (two earthquake reports) cannot join them."""
CENTRAL_MIN_MENTIONS = 3
CENTRAL_RATIO = 2.0
"""A person is an article's central figure with at least this many mentions and this multiple
of the next person's."""
DAY_RANGE_MAX = 7
"""Time mentions spanning more days than this are too vague to say two articles match."""
TITLE_MAX_CHARS = 150

_NAME_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
_WORD = re.compile(r"\w+", re.UNICODE)


# --------------------------------------------------------------------------- shared helpers


def _sort_key(article: Article) -> tuple[int, date, str]:
    """Publication order; undated articles after dated ones, then by id (a total order)."""
    if article.published is None:
        return (1, date.min, article.id)
    return (0, article.published, article.id)


def _story_id(first_article_id: str) -> str:
    """`s-` + 10 hex digits of sha1 of the story's first article id (see the module docstring)."""
    return "s-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:10]


def _full_text(article: Article) -> str:
    return f"{article.title}\n{article.text}" if article.title else article.text


# --------------------------------------------------------------------------- duplicates


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


_CREDIT_LEAD = r"(?:\(\s*|[—–-]\s*|\bvia\s+|\bsource:\s*)"


def _credits(copy: Article, source: str) -> bool:
    """Whether `copy` credits `source` as wire copy does: "(Reuters)", "— AP", "via AFP"."""
    return _credits_text(copy.text, source)


def _credits_text(text: str, source: str, folded: str | None = None) -> bool:
    """Whether `text` credits `source`; the source's initials count too ("(VPA)" credits
    Veldara Press Agency), matched in capitals. `folded`: `re_folded(text)`, if kept."""
    patterns = _credit_patterns(source)
    if patterns is None:
        return False
    by_name, by_initials, folded_name, initials = patterns
    # Neither pattern can match without its words in the text: `in` first, as a search is
    # tried at every position (a copy group compares credit lines pairwise).
    if folded_name is not None and folded is None:
        folded = re_folded(text)
    if folded_name is None or folded is None or folded_name in folded:
        if by_name.search(text):
            return True
    return by_initials is not None and initials in text and by_initials.search(text) is not None


@lru_cache(maxsize=1 << 12)  # a few hundred outlets, each compared many times
def _credit_patterns(
    source: str,
) -> tuple[re.Pattern[str], re.Pattern[str] | None, str | None, str] | None:
    """What credits `source`: its name (any case), and its initials in capitals if it has two
    or more; None for a blank source. Also the name as `re_folded` gives it when it is ASCII
    (then `in` finds every case-insensitive match), and the initials."""
    name = source.strip()
    if not name:
        return None
    by_name = re.compile(rf"{_CREDIT_LEAD}{re.escape(name)}\b", flags=re.IGNORECASE)
    words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper() and w != "The"]
    initials = "".join(w[0] for w in words)
    by_initials = re.compile(rf"{_CREDIT_LEAD}{initials}\b") if len(initials) >= 2 else None
    return by_name, by_initials, re_folded(name) if name.isascii() else None, initials


def find_duplicates(articles: Sequence[Article], options: Options) -> dict[str, str]:
    """Return {copy_id: original_id} for near-verbatim copies among `articles`.

    Two articles are copies when the Jaccard similarity of their word 5-shingle sets reaches
    `options.duplicate_threshold`; MinHash LSH proposes the pairs and the exact Jaccard of the
    two sets decides, so a pair near the threshold does not depend on hashing luck. Copies of
    copies form one group; its original is the earliest published, then the one whose source
    the others credit, then the smallest id.
    """
    ordered = sorted(articles, key=_sort_key)
    shingles = {a.id: _shingles(a.text) for a in ordered}
    lsh = MinHashLSH(threshold=options.duplicate_threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    parent: dict[str, str] = {a.id: a.id for a in ordered}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for article in ordered:
        grams = shingles[article.id]
        if not grams:
            continue
        minhash = MinHash(num_perm=NUM_PERM)
        minhash.update_batch([g.encode("utf-8") for g in grams])
        for other in sorted(lsh.query(minhash)):
            theirs = shingles[other]
            if len(grams & theirs) / len(grams | theirs) >= options.duplicate_threshold:
                a, b = root(article.id), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        lsh.insert(article.id, minhash)

    groups: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        groups[root(article.id)].append(article)
    result: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        credited = {
            m.id: sum(_credits(o, m.source) for o in members if o.source != m.source)
            for m in members
        }
        first = min(members, key=lambda m: (_sort_key(m)[:2], -credited[m.id], m.id))
        result.update({m.id: first.id for m in members if m.id != first.id})
    return dict(sorted(result.items()))


# --------------------------------------------------------------------------- features


@lru_cache(maxsize=1 << 16)  # the same names recur across articles
@lru_cache(maxsize=2**16)  # names recur across articles, and each is keyed twice
def _name_key(name: str) -> str:
    """Compare names without case, accents, possessive 's or a leading "the"."""
    folded = unicodedata.normalize("NFKD", name.strip().lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    key = re.sub(r"[’']s$", "", folded)
    key = re.sub(r"^the\s+", "", key)
    return " ".join(_WORD.findall(key))


def _names(analysis: ArticleAnalysis | None) -> list[str]:
    """One key per mention of each name; people also under their surname alone, since a later
    article often names them by surname only."""
    if analysis is None:
        return []
    keys: list[str] = []
    for entity in analysis.entities:
        if entity.type not in _NAME_TYPES:
            continue
        key = _name_key(entity.name)
        if not key:
            continue
        count = max(1, len(entity.mentions))
        keys.extend([key] * count)
        if entity.type == "PERSON":
            keys.extend(["~" + key.rsplit(" ", 1)[-1]] * count)
    return keys


def _people(analysis: ArticleAnalysis | None) -> tuple[str | None, Counter[str]]:
    """Mentions per person (by surname) and the central person, if one clearly dominates."""
    counts: Counter[str] = Counter()
    if analysis is not None:
        for entity in analysis.entities:
            key = _name_key(entity.name)
            if entity.type == "PERSON" and key:
                counts[key.rsplit(" ", 1)[-1]] += max(1, len(entity.mentions))
    top = counts.most_common(2)
    if not top or top[0][1] < CENTRAL_MIN_MENTIONS:
        return None, counts
    if len(top) == 2 and top[0][1] < CENTRAL_RATIO * top[1][1]:
        return None, counts
    return top[0][0], counts


def _different_people(
    a: tuple[str | None, Counter[str]], b: tuple[str | None, Counter[str]]
) -> bool:
    """Whether two articles centre on different people, one never naming the other's: then
    what they share (team, city, agency, wording) is the setting of two events, not one."""
    (central_a, counts_a), (central_b, counts_b) = a, b
    if central_a is None or central_b is None or central_a == central_b:
        return False
    return counts_b[central_a] == 0 or counts_a[central_b] == 0


def _days(analysis: ArticleAnalysis | None) -> frozenset[date]:
    """Specific days the article mentions (mentions vaguer than a week say too little)."""
    if analysis is None:
        return frozenset()
    days: set[date] = set()
    for time in analysis.times:
        span = (time.latest - time.earliest).days
        if 0 <= span <= DAY_RANGE_MAX and not time.approximate:
            days.update(time.earliest + timedelta(days=k) for k in range(span + 1))
    return frozenset(days)


def _figures(analysis: ArticleAnalysis | None) -> frozenset[tuple[float, str]]:
    """Counted figures ("23 pirates", "$4 million"); bare numbers and years match by chance."""
    if analysis is None:
        return frozenset()
    return frozenset(
        (n.value, n.unit.lower()) for n in analysis.numbers if n.unit and n.bound == "exact"
    )


def _weighted_tfidf(vectorizer: TfidfVectorizer, docs: Sequence[object]) -> sp.csr_matrix:
    """Fit tf-idf on `docs`, down-weight batch-hapax columns, L2-normalise rows."""
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # empty vocabulary: nothing in common to measure
        return sp.csr_matrix((len(docs), 1))
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    scale = np.where(df <= 1, HAPAX_WEIGHT, 1.0)
    return sp.csr_matrix(normalize(matrix @ sp.diags(scale)))


@dataclass(frozen=True)
class _Traits:
    """What besides text and names bears on whether two articles report one event."""

    named: int  # distinct names (surname keys aside)
    people: tuple[str | None, Counter[str]]
    days: frozenset[date]
    figures: frozenset[tuple[float, str]]
    published: date | None


def _traits(article: Article, analysis: ArticleAnalysis | None, name_doc: list[str]) -> _Traits:
    return _Traits(
        named=len({k for k in name_doc if not k.startswith("~")}),
        people=_people(analysis),
        days=_days(analysis),
        figures=_figures(analysis),
        published=article.published,
    )


def _similarities(
    text: np.ndarray,
    names: np.ndarray,
    both_named: np.ndarray,
    left: Sequence[_Traits | None],
    right: Sequence[_Traits | None],
) -> np.ndarray:
    """Similarity (0..1) of article pairs from their text and name cosines: names count when
    both articles have some, a conflict of names cuts it, shared days and figures lift it."""
    named = np.array(
        [min(a.named, b.named) if a and b else 0 for a, b in zip(left, right, strict=True)]
    )
    both = [(k, a, b) for k, (a, b) in enumerate(zip(left, right, strict=True)) if a and b]
    return _similarities_of(text, names, both_named, named.astype(np.int64), both)


def _similarities_of(
    text: np.ndarray,
    names: np.ndarray,
    both_named: np.ndarray,
    named: np.ndarray,
    special: Iterable[tuple[int, _Traits, _Traits]],
) -> np.ndarray:
    """`_similarities` given the fewer distinct names of each pair (`named`) and the pairs
    (position, traits, traits) that may have different central people or share days or
    figures: any others can be left out."""
    sims = np.where(both_named, TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * names, text)
    conflict = (names == 0.0) & (named >= CONFLICT_NAMES)
    boost = np.zeros(len(sims))
    for k, a, b in special:
        if a.people[0] is not None and b.people[0] is not None:
            conflict[k] |= _different_people(a.people, b.people)
        if a.days and b.days and a.days & b.days:
            boost[k] = TIME_BOOST
        if a.figures and b.figures:
            boost[k] += NUMBER_BOOST * min(2, len(a.figures & b.figures))
    sims = np.minimum(1.0, np.where(conflict, CONFLICT_FACTOR * sims, sims) + boost)
    return np.where(sims < LINK_FLOOR, 0.0, sims)


@dataclass
class _Features:
    text: sp.csr_matrix
    names: sp.csr_matrix
    has_names: np.ndarray
    name_docs: list[list[str]]
    traits: list[_Traits]

    @property
    def published(self) -> list[date | None]:
        return [t.published for t in self.traits]


def _features(articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]) -> _Features:
    text_vectorizer = TfidfVectorizer(
        sublinear_tf=True, stop_words="english", ngram_range=(1, 2), lowercase=True
    )
    text = _weighted_tfidf(text_vectorizer, [_full_text(a) for a in articles])
    name_docs = [_names(analyses.get(a.id)) for a in articles]
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
            _traits(a, analyses.get(a.id), d) for a, d in zip(articles, name_docs, strict=True)
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
    sims = _similarities(
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
    ordered = sorted(articles, key=_sort_key)
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
    for story in sorted(members.values(), key=lambda m: _sort_key(m[0])):
        ids = [a.id for a in story]
        groups.append(
            StoryGroup(
                id=_story_id(ids[0]),
                article_ids=ids,
                duplicate_of={c: copies[c] for c in ids if c in copies},
            )
        )
    return groups


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
    ordered = sorted(articles, key=_sort_key)
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
        vectorizer.fit([_full_text(a) for a in ordered])
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


# --------------------------------------------------------------------------- streaming

TEXT_FEATURES = 2**22
"""Hashed text columns (words and bigrams). At 2**20, collisions alone moved ECB+ dev B-cubed F1
by 0.01; at 2**22, filing all of it at once gives batch's stories. The per-column tables take
48 MB however many words arrive."""
HEAVY_TERMS = 30
"""An original is filed under its this many heaviest terms, and looks for candidates under
them (among the newest POSTINGS_SCANNED holders of each)."""
POSTINGS_SCANNED = 300
"""Newest holders read per query term. Articles arrive roughly in time and a story spans at
most `story_max_days`, so the newest holders of a term are the ones that can share a story."""
CREDIT_WINDOW = 120
"""Characters kept from each place an article may credit a source ("(Reuters", "— AP"), so
the original of a group of same-day copies can be told without keeping whole texts."""
SIGNATURE_MARGIN = 0.15
"""LSH proposals whose MinHash agreement is below the copy threshold minus this are dropped
before the exact Jaccard check."""
PLACE_CHUNK = 256
"""Originals placed together: their order-free work is vectorised across the chunk."""
WARMUP_DOCS = 1000
REBUILD_FACTOR = 1.25
"""While at most WARMUP_DOCS originals are filed, all are placed again each time their number
grows by REBUILD_FACTOR (see `StoryIndex`): about five placements per article then, none
after. On ECB+ dev (196 documents, so warming up throughout) this is what brings one article
at a time to batch's B-cubed F1; on the 10k-article bench stream it moved F1 by 0.001."""
FORMAT_VERSION = 2
"""2: with the time window (`Options.story_window_days`); version 1 is refused (rebuild it)."""
RELEASE_MIN = 8192
RELEASE_SHARE = 1.0
"""`StoryIndex.release` waits until it can release RELEASE_MIN articles at least, and
RELEASE_SHARE times as many as it would keep: rebuilding the index costs about what it holds,
plus ~40 ms whatever it holds (its term-count arrays), ~5 µs an article at RELEASE_MIN."""

# Hashing instead of a fitted vocabulary: a fitted tf-idf cannot be refit per article, while
# hashed columns mean the same thing forever, so stored vectors and the running document
# frequencies never need rebuilding and nothing but numbers is persisted. The weights stay
# tf-idf (IDF recomputed from the running counts, sklearn's smooth formula) rather than BM25
# because cosines of tf-idf vectors are on the scale the batch path's thresholds were tuned
# on; BM25 scores are unbounded and one-sided, and would need their own.
# The hashing is hand-written rather than sklearn's HashingVectorizer, with the same analysis
# (lower case, tokens of two or more word characters, English stop words out, then bigrams of
# what is left): each word is hashed once (crc32) for both the copy detector's shingles and the
# term columns, bigrams combined from their words' hashes, which took a third off preparing an
# article.
_STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)
_GRAM_MIX = np.uint64(0x100000001B3)  # odd multiplier combining word hashes into n-grams
_BIGRAM_SALT = np.uint64(0x9E3779B97F4A7C15)
_CREDIT_MARK = re.compile(r"[(—–-]\s*(?=[A-Z0-9])")
_CREDIT_WORDS = ("via", "source:")
_NONE_DAY = -(2**31)
"""Stands for "undated" in the array of publication days."""
_RETIRED = 2**62
_UNSTAMPED = -(2**62)
"""Retirement days (`StoryIndex._stamp`) of a retired article, and of an undated one filed
before any dated one (it gets the first newest day there is)."""
SWEEP_DAYS_SHARE = 0.1
"""With a window, retired articles are swept out when the horizon has moved by this share of
the window (at least a day) since the last sweep, or when as many articles were filed since
then as the sweep left live: each sweep costs about what is live, so the cost per article is
a constant, and memory holds at most this share of the window more than it needs."""
_NO_SHINGLES = np.empty(0, np.uint32)
"""Shared by every retired article (one empty array each would cost 100 bytes apiece)."""


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads every input bit over the output."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


WORD_CODES_MAX = 2**17
"""Words whose hash `_hashed_words` remembers (about 150 bytes each); past it, it starts over."""
_word_codes: dict[str, int] = {}


def _hashed_words(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each word's hash, and whether it is a term (more than one letter, not a stop word).

    Remembered per word across articles, so that only words not seen before cost a Python
    step: hashing every word in a Python loop was a third of preparing an article. When full,
    the memo is replaced, not cleared, so a thread still reading the old one is not hurt."""
    global _word_codes
    codes = _word_codes
    new = set(words).difference(codes)
    if len(codes) + len(new) > WORD_CODES_MAX:
        codes = _word_codes = {}
        new = set(words)
    for w in new:
        codes[w] = zlib.crc32(w.encode()) << 1 | (len(w) > 1 and w not in _STOP_WORDS)
    packed = np.fromiter(map(codes.__getitem__, words), np.uint64, len(words))
    return packed >> np.uint64(1), (packed & np.uint64(1)).astype(bool)


# The per-article arrays of preparing (term columns, shingles, MinHash) are worked out for a
# whole chunk of articles in one numpy pass each, each article a segment of one long array:
# per article they were a few dozen numpy calls on a few hundred values, mostly call overhead.


def _segments(lengths: Sequence[int]) -> np.ndarray:
    """For the concatenation of arrays of these lengths: which one each element came from."""
    return np.repeat(np.arange(len(lengths), dtype=np.uint64), lengths)


def _unique_by_segment(
    segment: np.ndarray, values: np.ndarray, count: int
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """`np.unique(..., return_counts=True)` of each of `count` segments' values (below 2**32):
    one sort of (segment, value) keys for all of them."""
    keys, tally = np.unique((segment << np.uint64(32)) | values, return_counts=True)
    bounds = np.searchsorted(keys >> np.uint64(32), np.arange(count + 1, dtype=np.uint64))
    low = keys & np.uint64(0xFFFFFFFF)
    starts, ends = bounds[:-1].tolist(), bounds[1:].tolist()
    return (
        [low[a:b] for a, b in zip(starts, ends, strict=True)],
        [tally[a:b] for a, b in zip(starts, ends, strict=True)],
    )


def _term_counts(
    hashes: Sequence[np.ndarray], keep: Sequence[np.ndarray]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per article, the hashed columns (int32, ascending) of its words (by their hashes;
    `keep`: which are terms) and bigrams of terms (as TfidfVectorizer analyses them), and
    their counts."""
    lengths = [len(h) for h in hashes]
    if not sum(lengths):
        return [(np.empty(0, np.int32), np.empty(0, np.intp)) for _ in hashes]
    kept_in = np.concatenate(keep)
    kept = np.concatenate(hashes)[kept_in]
    segment = _segments(lengths)[kept_in]
    pairs = segment[:-1] == segment[1:]  # neighbours within one article
    grams = np.concatenate((kept, ((kept[:-1] * _GRAM_MIX + kept[1:]) ^ _BIGRAM_SALT)[pairs]))
    shift = np.uint64(64 - TEXT_FEATURES.bit_length() + 1)
    columns, counts = _unique_by_segment(
        np.concatenate((segment, segment[:-1][pairs])), _fmix64(grams) >> shift, len(hashes)
    )
    return [(c.astype(np.int32), n) for c, n in zip(columns, counts, strict=True)]


@lru_cache(maxsize=8)
def _lsh_setup(threshold: float) -> tuple[int, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bands and rows (datasketch's optimum for `threshold`), MinHash permutations (datasketch's
    affine scheme, seed 1) and the constants mixing each band into one 64-bit key."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    a, b = MinHash(num_perm=NUM_PERM, seed=1).permutations
    rng = np.random.default_rng(20240601)
    mix = rng.integers(1, 2**63, size=lsh.r, dtype=np.uint64) | np.uint64(1)
    salt = rng.integers(0, 2**63, size=lsh.b, dtype=np.uint64)
    return int(lsh.b), int(lsh.r), a.astype(np.uint32), b.astype(np.uint32), mix, salt


def _shingle_hashes(
    words: Sequence[Sequence[str]], hashes: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """Per article (its words and their hashes), the sorted distinct 32-bit hashes of its word
    5-shingles (the sets `_shingles` makes), each combined from its words' hashes: a tenth of
    the memory of the strings, for exact Jaccard."""
    # the whole text as one shingle where it is shorter than one; the others are set below
    shingles: list[np.ndarray] = [
        np.array([zlib.crc32(" ".join(w).encode())] if w else [], np.uint32)
        if len(w) < SHINGLE_WORDS
        else _NO_SHINGLES
        for w in words
    ]
    long = [k for k, w in enumerate(words) if len(w) >= SHINGLE_WORDS]
    if not long:
        return shingles
    lengths = [len(hashes[k]) for k in long]
    flat = np.concatenate([hashes[k] for k in long])
    segment = _segments(lengths)
    count = len(flat) - SHINGLE_WORDS + 1
    combined = flat[:count].copy()
    for k in range(1, SHINGLE_WORDS):
        combined = combined * _GRAM_MIX + flat[k : k + count]  # wraps: mod 2**64
    inside = segment[:count] == segment[SHINGLE_WORDS - 1 :]  # windows within one article
    folded = ((combined >> np.uint64(32)) ^ (combined & np.uint64(0xFFFFFFFF)))[inside]
    found, _ = _unique_by_segment(segment[:count][inside], folded, len(long))
    for k, values in zip(long, found, strict=True):
        shingles[k] = values.astype(np.uint32)
    return shingles


_NO_MINHASH = (np.empty(0, np.uint32), np.empty(0, np.uint64))
"""A placeholder `_minhash` overwrites: no article keeps it."""

MINHASH_VALUES = 2**12
"""Shingles hashed at once by `_minhash`: its work array (this many x NUM_PERM values, 2 MB)
is made once a call and stays in the CPU's cache; fresh arrays of 2**16 x NUM_PERM values
ran at a third of the speed."""


def _minhash(
    shingles: Sequence[np.ndarray], threshold: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per article (its shingles), the MinHash signature (the values the LSH bands use) and one
    64-bit key per band (none for an empty text). The signature is datasketch's affine scheme
    in numpy: its update_batch loops over the values in Python."""
    bands, rows, a, b, mix, salt = _lsh_setup(threshold)
    width = bands * rows
    out = [
        (np.zeros(width, np.uint32), np.empty(0, np.uint64)) if not len(values) else _NO_MINHASH
        for values in shingles
    ]  # set below for every article with shingles
    todo = [k for k, values in enumerate(shingles) if len(values)]
    work = np.empty((min(MINHASH_VALUES, sum(len(shingles[k]) for k in todo)), width), np.uint32)
    while todo:
        batch: list[int] = []
        total = 0
        for k in todo:
            if batch and total + len(shingles[k]) > MINHASH_VALUES:
                break
            batch.append(k)
            total += len(shingles[k])
        todo = todo[len(batch) :]
        flat = np.concatenate([shingles[k] for k in batch])
        starts = np.cumsum([0] + [len(shingles[k]) for k in batch[:-1]])
        # one article alone may exceed MINHASH_VALUES: then it gets an array of its own
        hashed = (
            work[: len(flat)] if len(flat) <= len(work) else np.empty((len(flat), width), np.uint32)
        )
        np.multiply(flat[:, None], a[:width], out=hashed)
        np.add(hashed, b[:width], out=hashed)  # wraps: mod 2**32
        signatures = np.minimum.reduceat(hashed, starts, axis=0)
        mixed = signatures.astype(np.uint64).reshape(len(batch), bands, rows) * mix  # mod 2**64
        keys = mixed.sum(axis=2) ^ salt
        for row, k in enumerate(batch):
            out[k] = (signatures[row], keys[row])
    return out


def _credit_context(text: str, lowered: str) -> str:
    """The stretches of `text` where it may credit a source, for `_credits_text`: after "(",
    a dash, "via" or "source:" (a word of its own), then a capital or digit."""
    starts = [m.start() for m in _CREDIT_MARK.finditer(text)]
    for word in _CREDIT_WORDS:
        at = lowered.find(word)
        while at >= 0:
            after = at + len(word)
            rest = text[after : after + 40].lstrip()
            spaced = word.endswith(":") or (after < len(text) and text[after].isspace())
            if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")) and spaced:
                if rest[:1].isupper() or rest[:1].isdigit():
                    starts.append(at)
            at = lowered.find(word, at + 1)
    return "\n".join(text[k : k + CREDIT_WINDOW] for k in sorted(starts))


def _day(published: date | None) -> int | None:
    return published.toordinal() if published is not None else None


@dataclass(frozen=True)
class PreparedArticle:
    """What `StoryIndex` files of one article, computed apart from the index (in another
    process, if wanted): numbers, strings and arrays, nothing that needs the index."""

    id: str
    source: str
    day: int | None  # publication day (ordinal)
    credit: str  # where it may credit a source
    shingles: np.ndarray  # sorted distinct hashes of its 5-shingles
    signature: np.ndarray  # their MinHash
    bands: np.ndarray  # LSH band keys of it
    text_idx: np.ndarray  # hashed columns of title and text, words and bigrams
    text_tf: np.ndarray  # their sublinear term frequencies
    names: tuple[tuple[str, int], ...]  # name keys and mentions
    traits: _Traits


def prepare_articles(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options | None = None,
) -> list[PreparedArticle]:
    """Everything `StoryIndex.add_prepared` needs of `articles`, in publication order."""
    options = options or Options()
    ordered = sorted(articles, key=_sort_key)
    lowered = [article.text.lower() for article in ordered]
    words = [_WORD.findall(text) for text in lowered]
    text = [_hashed_words(w) for w in words]
    titles = [_hashed_words(_WORD.findall(article.title.lower())) for article in ordered]
    terms = _term_counts(
        [np.concatenate((t[0], x[0])) for t, x in zip(titles, text, strict=True)],
        [np.concatenate((t[1], x[1])) for t, x in zip(titles, text, strict=True)],
    )
    shingles = _shingle_hashes(words, [hashes for hashes, _ in text])
    signatures = _minhash(shingles, options.duplicate_threshold)
    prepared = []
    for k, article in enumerate(ordered):
        analysis = analyses.get(article.id)
        name_doc = _names(analysis)
        text_idx, text_counts = terms[k]
        prepared.append(
            PreparedArticle(
                id=article.id,
                source=article.source,
                day=_day(article.published),
                credit=_credit_context(article.text, lowered[k]),
                shingles=shingles[k],
                signature=signatures[k][0],
                bands=signatures[k][1],
                text_idx=text_idx,
                text_tf=(1.0 + np.log(text_counts)).astype(np.float32),
                names=tuple(sorted(Counter(name_doc).items())),
                traits=_traits(article, analysis, name_doc),
            )
        )
    return prepared


class _Terms:
    """Sparse term rows of filed articles in flat growable buffers (a CSR that grows without
    copying), with running document frequencies.

    Each placed row also keeps its tf-idf weights and norm as of its placement, so comparing a
    new article with many rows reads their weights in place instead of looking up every term's
    current frequency (random reads in a table of a million columns: the slow part). The
    stored weights leave out the one-article-only discount, which only bears on terms no other
    article has and so never on a shared term; the stored norm keeps it. Rebuilding during the
    warm-up refreshes them all.
    """

    def __init__(self, width: int) -> None:
        self.df = np.zeros(width, np.int32)
        self.log_df = np.zeros(width, np.float32)  # ln(1 + df), kept in step: no log per use
        self.idx = np.empty(1 << 16, np.int32)
        self.tf = np.empty(1 << 16, np.float32)  # sublinear term frequencies
        self.w = np.zeros(1 << 16, np.float32)  # tf-idf as of placement, no hapax discount
        self.used = 0
        self.start = np.zeros(1024, np.int64)
        self.length = np.zeros(1024, np.int64)
        self.norm = np.zeros(1024)  # of the placed weights, hapax discount included
        self.local = np.empty(0, np.int32)  # column -> place among a query batch's, or -1

    def widen(self, width: int) -> None:
        if width > len(self.df):
            extra = width - len(self.df)
            self.df = np.concatenate((self.df, np.zeros(extra, np.int32)))
            self.log_df = np.concatenate((self.log_df, np.zeros(extra, np.float32)))

    def extend(self, first: int, lengths: np.ndarray, idx: np.ndarray, tf: np.ndarray) -> None:
        """Rows first, first + 1, ... of these lengths (entries concatenated, columns
        ascending within a row), counted in the frequencies; an empty row stands for a copy."""
        end_row = first + len(lengths)
        while end_row > len(self.start):
            grow = len(self.start)
            self.start = np.concatenate((self.start, np.zeros(grow, np.int64)))
            self.length = np.concatenate((self.length, np.zeros(grow, np.int64)))
            self.norm = np.concatenate((self.norm, np.zeros(grow)))
        end = self.used + len(idx)
        if end > len(self.idx):
            more = max(end, 2 * len(self.idx)) - len(self.idx)
            self.idx = np.concatenate((self.idx, np.empty(more, np.int32)))
            self.tf = np.concatenate((self.tf, np.empty(more, np.float32)))
            self.w = np.concatenate((self.w, np.zeros(more, np.float32)))
        self.idx[self.used : end] = idx
        self.tf[self.used : end] = tf
        bounds = np.concatenate(([0], np.cumsum(lengths))).tolist()
        self.start[first:end_row] = self.used + np.array(bounds[:-1], np.int64)
        self.length[first:end_row] = lengths
        self.used = end
        if len(idx):
            # row by row, as a column may recur across rows (np.add.at is slower)
            for a, b in itertools.pairwise(bounds):
                if b > a:
                    self.df[idx[a:b]] += 1
            self.log_df[idx] = np.log1p(self.df[idx])

    def _idf(self, cols: np.ndarray, docs: int) -> np.ndarray:
        """Smooth IDF, as TfidfVectorizer's."""
        return np.log1p(docs) + 1.0 - self.log_df[cols]

    def _positions(self, rows: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Buffer positions of the rows' entries, row after row."""
        before = np.cumsum(lengths) - lengths
        return np.arange(int(lengths.sum())) + np.repeat(self.start[rows] - before, lengths)

    def current(self, rows: np.ndarray, docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows under the current counts, L2-normalised, terms of one article only
        discounted by HAPAX_WEIGHT (as in batch): (row of each entry, as an index into `rows`;
        column; weight), row after row, columns ascending within a row."""
        lengths = self.length[rows]
        pos = self._positions(rows, lengths)
        cols = self.idx[pos]
        weights = self.tf[pos] * self._idf(cols, docs)
        weights = np.where(self.df[cols] <= 1, HAPAX_WEIGHT * weights, weights)
        which = np.repeat(np.arange(len(rows)), lengths)
        norms = np.sqrt(np.bincount(which, weights=weights * weights, minlength=len(rows)))
        return which, cols, weights / np.where(norms > 0, norms, 1.0)[which]

    def place(self, rows: np.ndarray, docs: int) -> None:
        """Keep the rows' weights and norms under the current counts, for later comparisons."""
        lengths = self.length[rows]
        pos = self._positions(rows, lengths)
        cols = self.idx[pos]
        weights = self.tf[pos] * self._idf(cols, docs)
        self.w[pos] = weights
        kept = np.where(self.df[cols] <= 1, HAPAX_WEIGHT * weights, weights)
        which = np.repeat(np.arange(len(rows)), lengths)
        self.norm[rows] = np.sqrt(np.bincount(which, weights=kept * kept, minlength=len(rows)))

    def cosines(
        self,
        query: tuple[np.ndarray, np.ndarray, np.ndarray],
        owners: np.ndarray,
        others: np.ndarray,
    ) -> np.ndarray:
        """For each k, the cosine of query row owners[k] (`query` as `current` gives it) with
        placed row others[k]. One sparse product of the distinct rows asked for with the
        queries: scipy's kernel only touches the terms a query shares with a row, and adds
        each dot product up in the row's column order, as before."""
        q_which, q_cols, q_weights = query
        if not len(others) or not len(q_cols):
            return np.zeros(len(others))
        # Columns renumbered over the terms the queries have (a lookup array kept for it):
        # row terms no query has cannot add to a dot product, and the product stays narrow.
        # Any numbering will do if each column reads one number: the last write for it
        # stands (no sort for distinct columns).
        width = len(q_cols)
        if len(self.local) < len(self.df):
            self.local = np.full(len(self.df), -1, np.int32)
        self.local[q_cols] = np.arange(width, dtype=np.int32)
        q_local = self.local[q_cols]
        distinct, inverse = np.unique(others, return_inverse=True)
        lengths = self.length[distinct]
        pos = self._positions(distinct, lengths)
        cols = self.local[self.idx[pos]]
        self.local[q_cols] = -1
        # Positions, not a boolean mask: masking is several times slower than gathering.
        shared = np.flatnonzero(cols >= 0)
        indptr = np.searchsorted(shared, np.concatenate(([0], np.cumsum(lengths))))
        rows = sp.csr_matrix(
            (self.w[pos[shared]], cols[shared], indptr.astype(np.int32)),
            shape=(len(distinct), width),
        )
        owned = int(max(q_which[-1], owners.max())) + 1  # the last queries may have no terms
        per_query = np.concatenate(([0], np.cumsum(np.bincount(q_which, minlength=owned))))
        queries = sp.csr_matrix(
            (q_weights, q_local, per_query.astype(np.int32)), shape=(owned, width)
        )
        # Queries times rows, not rows times queries: half the time in scipy's kernel for the
        # same sums (a query's columns ascend as a row's do, so each dot product is added up
        # in the same order and comes out bit for bit the same).
        product = queries @ rows.T
        if owned * len(distinct) <= 4_000_000:
            dots = product.toarray()[owners, inverse]
        else:
            dots = np.asarray(product[owners, inverse], dtype=float).ravel()
        norms = self.norm[others]
        return np.divide(dots, norms, out=np.zeros(len(others)), where=norms > 0)

    def drop(self, rows: np.ndarray) -> None:
        """Forget the entries of these rows (retired: see `StoryIndex`), compacting the buffers;
        their document frequencies stay counted, so IDF keeps meaning "of every article filed".
        The rows become empty; the per-row arrays keep one slot per row (24 bytes)."""
        lengths = self.length[rows]
        if not int(lengths.sum()):
            self.length[rows] = 0
            return
        gone = np.zeros(self.used + 1, bool)
        gone[self._positions(rows, lengths)] = True
        before = np.cumsum(gone) - gone  # entries dropped before each position
        keep = ~gone[: self.used]
        self.length[rows] = 0
        self.start[rows] = 0
        self.start -= before[self.start]  # every start is at most `used`
        used = int(keep.sum())
        size = max(1 << 16, 2 * used)  # room to grow again before the next copy
        for name in ("idx", "tf", "w"):
            old = getattr(self, name)
            new = np.zeros(size, old.dtype)
            new[:used] = old[: self.used][keep]
            setattr(self, name, new)
        self.used = used

    def state(self, rows: int) -> tuple[bytes, ...]:
        nonzero = np.flatnonzero(self.df).astype(np.int32)
        return (
            self.idx[: self.used].tobytes(),
            self.tf[: self.used].tobytes(),
            self.w[: self.used].tobytes(),
            self.start[:rows].tobytes(),
            self.length[:rows].tobytes(),
            self.norm[:rows].tobytes(),
            nonzero.tobytes(),
            self.df[nonzero].tobytes(),
        )

    @classmethod
    def from_state(cls, state: tuple[bytes, ...], width: int) -> _Terms:
        idx, tf, w, start, length, norm, nonzero, df = state
        terms = cls(width)
        terms.idx = np.frombuffer(idx, np.int32).copy()
        terms.tf = np.frombuffer(tf, np.float32).copy()
        terms.w = np.frombuffer(w, np.float32).copy()
        terms.used = len(terms.idx)
        rows = len(start) // 8
        size = max(1024, 2 * rows)
        terms.start, terms.length, terms.norm = (
            np.zeros(size, np.int64),
            np.zeros(size, np.int64),
            np.zeros(size),
        )
        terms.start[:rows] = np.frombuffer(start, np.int64)
        terms.length[:rows] = np.frombuffer(length, np.int64)
        terms.norm[:rows] = np.frombuffer(norm, np.float64)
        cols = np.frombuffer(nonzero, np.int32)
        terms.df[cols] = np.frombuffer(df, np.int32)
        terms.log_df[cols] = np.log1p(terms.df[cols])
        return terms


@dataclass
class _Run:
    """Postings sorted by key: key k's are ids[offsets[k]:offsets[k + 1]], oldest first."""

    keys: np.ndarray  # distinct, ascending (uint64)
    offsets: np.ndarray
    ids: np.ndarray
    weights: np.ndarray
    top: int  # the largest id

    @classmethod
    def build(cls, keys: np.ndarray, ids: np.ndarray, weights: np.ndarray) -> _Run:
        """From postings in the order they were made."""
        order = np.argsort(keys, kind="stable")  # stable: each key's postings stay oldest first
        distinct, starts = np.unique(keys[order], return_index=True)
        offsets = np.append(starts, len(keys)).astype(np.int64)
        top = int(ids.max()) if len(ids) else -1
        return cls(distinct, offsets, ids[order].astype(np.int32), weights[order], top)

    def expanded(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.repeat(self.keys, np.diff(self.offsets)), self.ids, self.weights

    def ranges(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each query key's postings as [first, end) positions (empty when absent)."""
        if not len(self.keys):
            return np.zeros(len(query), np.int64), np.zeros(len(query), np.int64)
        at = np.minimum(np.searchsorted(self.keys, query), len(self.keys) - 1)
        found = self.keys[at] == query
        return np.where(found, self.offsets[at], 0), np.where(found, self.offsets[at + 1], 0)


class _Postings:
    """Postings: 64-bit key -> (number, weight), looked up for many keys in a few numpy passes.

    Hand-written rather than dicts of lists (or, for LSH band keys, datasketch's MinHashLSH, a
    dict of sets, which held about 7 KB per article: 750 MB at 100k): a log-structured merge of
    sorted runs, 16 bytes a posting. Each batch of postings becomes a run; runs of like size
    are merged, so there are O(log n) runs and a posting is merged O(log n) times in all.
    """

    def __init__(self, count_purged: bool = False) -> None:
        self.runs: list[_Run] = []  # oldest first
        # With `count_purged`, how many postings `purge` took from each key (keys ascending),
        # so that `query` still tells how many each key was ever given.
        self.count_purged = count_purged
        self.purged_keys = np.empty(0, np.uint64)
        self.purged_counts = np.empty(0, np.int64)

    def add(self, keys: np.ndarray, ids: np.ndarray, weights: np.ndarray) -> None:
        """Postings made in this order, after all those added before."""
        if not len(keys):
            return
        self.runs.append(_Run.build(keys.astype(np.uint64), ids, weights.astype(np.float32)))
        while len(self.runs) > 1 and len(self.runs[-2].ids) <= 2 * len(self.runs[-1].ids):
            newer, older = self.runs.pop(), self.runs.pop()
            parts = list(zip(older.expanded(), newer.expanded(), strict=True))
            self.runs.append(_Run.build(*(np.concatenate(p) for p in parts)))

    def query(
        self, keys: np.ndarray, newest: np.ndarray | int, since: int = 0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Up to `newest` (per key) of each key's newest postings: (ids, weights, which key),
        and how many postings each key has in all. The oldest runs, when they and all runs
        before them hold only ids below `since`, are not read (nor counted): for a caller
        that drops those ids, as what the newer runs give is the same either way."""
        query = np.asarray(keys, np.uint64)
        room = np.broadcast_to(np.asarray(newest, np.int64), query.shape).copy()
        held = np.zeros(len(query), np.int64)
        ids, weights, which = [np.empty(0, np.int32)], [np.empty(0, np.float32)], [held[:0]]
        tops = list(itertools.accumulate((run.top for run in self.runs), max))
        for at in reversed(range(len(self.runs))):
            if tops[at] < since:
                break
            run = self.runs[at]
            first, end = run.ranges(query)
            held += end - first
            take = np.minimum(end - first, room)
            room -= take
            pos = _spans(end - take, take)
            ids.append(run.ids[pos])
            weights.append(run.weights[pos])
            which.append(np.repeat(np.arange(len(query)), take))
        if len(self.purged_keys):
            spot = np.searchsorted(self.purged_keys, query)
            spot = np.minimum(spot, len(self.purged_keys) - 1)
            held += np.where(self.purged_keys[spot] == query, self.purged_counts[spot], 0)
        return np.concatenate(ids), np.concatenate(weights), np.concatenate(which), held

    def __len__(self) -> int:
        return sum(len(run.ids) for run in self.runs)

    def _collapse(self) -> None:
        while len(self.runs) > 1:  # one run holds it all
            newer, older = self.runs.pop(), self.runs.pop()
            parts = list(zip(older.expanded(), newer.expanded(), strict=True))
            self.runs.append(_Run.build(*(np.concatenate(p) for p in parts)))

    def purge(self, alive: np.ndarray) -> None:
        """Drop the postings of the ids not `alive` (a mask over ids); one run is left."""
        self._collapse()
        if not self.runs:
            return
        keys, ids, weights = self.runs[0].expanded()
        keep = alive[ids]
        if self.count_purged:
            gone, counts = np.unique(keys[~keep], return_counts=True)
            merged = np.concatenate((self.purged_keys, gone))
            total = np.concatenate((self.purged_counts, counts))
            self.purged_keys, inverse = np.unique(merged, return_inverse=True)
            self.purged_counts = np.bincount(inverse, weights=total).astype(np.int64)
        self.runs = [_Run.build(keys[keep], ids[keep], weights[keep])] if keep.any() else []

    def state(self) -> tuple[bytes, ...]:
        self._collapse()
        purged = (self.purged_keys.tobytes(), self.purged_counts.tobytes())
        if not self.runs:
            return (b"", b"", b"", *purged)
        keys, ids, weights = self.runs[0].expanded()
        return (keys.tobytes(), ids.tobytes(), weights.tobytes(), *purged)

    @classmethod
    def from_state(cls, state: tuple[bytes, ...], count_purged: bool = False) -> _Postings:
        postings = cls(count_purged)
        keys = np.frombuffer(state[0], np.uint64)
        postings.add(keys, np.frombuffer(state[1], np.int32), np.frombuffer(state[2], np.float32))
        postings.purged_keys = np.frombuffer(state[3], np.uint64).copy()
        postings.purged_counts = np.frombuffer(state[4], np.int64).copy()
        return postings


def _spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Positions starts[k] .. starts[k] + lengths[k] - 1, for each k in turn."""
    before = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum())) + np.repeat(starts - before, lengths)


def _earlier_in_batch(
    q_owner: np.ndarray, q_keys: np.ndarray, p_owner: np.ndarray, p_keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Within one batch, for queries (owner, key) and postings (owner, key): the postings of
    the query's key by earlier owners, as (posting index, query index, rank from the newest),
    each query's oldest first."""
    if not len(q_keys) or not len(p_keys):
        empty = np.empty(0, np.int64)
        return empty, empty, empty
    distinct, p_kid = np.unique(p_keys, return_inverse=True)
    width = int(max(q_owner.max(), p_owner.max())) + 2
    order = np.argsort(p_kid.astype(np.int64) * width + p_owner, kind="stable")
    ordered = (p_kid.astype(np.int64) * width + p_owner)[order]
    at = np.minimum(np.searchsorted(distinct, q_keys), len(distinct) - 1)
    found = distinct[at] == q_keys
    lo = np.searchsorted(ordered, at * width)
    count = np.where(found, np.searchsorted(ordered, at * width + q_owner) - lo, 0)
    pos = _spans(lo, count)
    query = np.repeat(np.arange(len(q_keys)), count)
    rank = np.repeat(lo + count - 1, count) - pos
    return order[pos], query, rank


class _CopyIndex:
    """Near-verbatim copies as articles arrive: MinHash LSH proposes, exact Jaccard of the
    shingle sets decides (as in `find_duplicates`); copies of copies form one group."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.lsh = _Postings()
        bands, rows = _lsh_setup(threshold)[:2]
        self.signatures = np.zeros((1024, bands * rows), np.uint32)
        self.base = 0  # article number of signatures' first row: retired ones are cut off
        self.shingles: list[np.ndarray] = []
        self.sources: list[str] = []
        self.credit: list[str] = []
        self.parent: list[int] = []  # union-find over article numbers; root = first filed
        self.group: dict[int, list[int]] = {}  # root -> members, for groups of two or more
        self.bridges: list[tuple[int, int, int]] = []  # groups' roots a copy joined; it
        self.folded: list[str] = []  # credit lines as `re_folded` gives them
        self.days: list[int | None] = []  # publication days, by number
        # The original of a group is its earliest-published member, then the most credited
        # one (see `find_duplicates`), so credits are only counted for a group's members of
        # its earliest day (its `leaders`). Counting them for every member made each article
        # joining a group of m copies search m credit lines: quadratic in a big wire story.
        self.leaders: dict[int, list[int]] = {}  # root -> members of the group's first day
        self.credited: dict[int, int] = {}  # leader -> members of its group crediting it

    def add(
        self,
        articles: Sequence[PreparedArticle],
        stamps: np.ndarray | None = None,
        horizon: tuple[int, int] | None = None,
    ) -> list[bool]:
        """File the next articles (numbered on from the count filed so far); for each, whether
        it copies an article filed before it (with a `horizon`, one whose retirement day in
        `stamps` is not before it: see `StoryIndex._horizon`)."""
        first = len(self.shingles)
        keys = np.concatenate([a.bands for a in articles] + [np.empty(0, np.uint64)])
        owner = np.repeat(np.arange(len(articles)), [len(a.bands) for a in articles])
        ids, _, which, _ = self.lsh.query(keys, 2**31)
        if stamps is not None and horizon is not None:
            live = stamps[ids] >= horizon[0]
            ids, which = ids[live], which[live]
        posting, query, _ = _earlier_in_batch(owner, keys, owner, keys)
        # (article, older one its bands meet), by article, then the older one
        proposed = np.unique(
            (np.concatenate((owner[which], owner[query])).astype(np.int64) << 32)
            | np.concatenate((ids.astype(np.int64), first + owner[posting]))
        )
        mine, theirs = proposed >> 32, proposed & 0xFFFFFFFF
        base = self.base
        while first - base + len(articles) > len(self.signatures):
            self.signatures = np.concatenate((self.signatures, np.zeros_like(self.signatures)))
        if articles:
            self.signatures[first - base : first - base + len(articles)] = [
                a.signature for a in articles
            ]
        # MinHash's estimate first (for the whole chunk in one pass): an exact check of every
        # LSH proposal cost more as the corpus grew. Over 96 values its error has sd < 0.05,
        # so a true pair at the threshold falls SIGNATURE_MARGIN below it about once in a
        # thousand.
        agree = (self.signatures[theirs - base] == self.signatures[first - base + mine]).mean(
            axis=1
        )
        likely = agree >= self.threshold - SIGNATURE_MARGIN
        self.shingles.extend(a.shingles for a in articles)
        self.sources.extend(a.source for a in articles)
        self.credit.extend(a.credit for a in articles)
        self.folded.extend(re_folded(a.credit) for a in articles)
        self.days.extend(a.day for a in articles)
        originals: list[list[int]] = [[] for _ in articles]
        # One copied member per earlier group is enough to join it: the rest of the group's
        # proposals (all its members, in a big wire story) need no exact check.
        found_in: set[tuple[int, int]] = set()  # (article, root of a group it copies)
        for k, other in zip(mine[likely].tolist(), theirs[likely].tolist(), strict=True):
            group = self.root(other) if other < first else -1
            if group >= 0 and (k, group) in found_in:
                continue
            if _jaccard(self.shingles[first + k], self.shingles[other]) >= self.threshold:
                originals[k].append(other)
                if group >= 0:
                    found_in.add((k, group))
        result = []
        for k, found in enumerate(originals):
            number = first + k
            self.parent.append(number)
            result.append(bool(found))
            if found:
                self._join(number, found)
        self.lsh.add(keys, first + owner, np.zeros(len(keys), np.float32))
        return result

    def retire(self, numbers: Sequence[int], alive: np.ndarray, low: int) -> None:
        """Forget what only finding new copies of these articles needs: their LSH postings,
        shingles and signatures (all of them below `low`, the first article still `alive`).
        Sources and credit lines of copy-group members stay: an article joining the group
        later counts its credits against every member."""
        for number in numbers:
            self.shingles[number] = _NO_SHINGLES
            if self.root(number) not in self.group:
                self.sources[number] = self.credit[number] = self.folded[number] = ""
        self.lsh.purge(alive)
        held = len(self.shingles) - low
        if low - self.base > held:  # cut the retired rows once they outnumber the live ones
            kept = self.signatures[low - self.base : len(self.shingles) - self.base]
            self.signatures = np.zeros((max(1024, 2 * held), kept.shape[1]), np.uint32)
            self.signatures[:held] = kept
            self.base = low

    def _join(self, number: int, originals: Sequence[int]) -> None:
        roots = sorted({self.root(o) for o in originals})
        root = roots[0]
        members = self.group.pop(root, [root])
        leaders = self.leaders.pop(root, [root])
        for other in roots[1:]:
            self.parent[other] = root
            joining = self.group.pop(other, [other])
            leaders = self._merge_leaders(
                members, leaders, joining, self.leaders.pop(other, [other])
            )
            members.extend(joining)
            self.bridges.append((root, other, number))
        self.parent[number] = root
        leaders = self._merge_leaders(members, leaders, [number], [number])
        members.append(number)
        self.group[root] = members
        self.leaders[root] = leaders

    def _first_key(self, number: int) -> tuple[int, int]:
        """The publication part of `_day_key`: what picks a group's first-day members."""
        return _day_key(self.days[number], "")[:2]

    def _merge_leaders(
        self,
        ours: Sequence[int],
        our_leaders: list[int],
        theirs: Sequence[int],
        their_leaders: list[int],
    ) -> list[int]:
        """The leaders of two groups joined, their credits counted over both: each side's
        leaders were counted over their own group, so only the other side is left to count."""
        key = min(self._first_key(our_leaders[0]), self._first_key(their_leaders[0]))
        kept = []
        for leaders, others in ((our_leaders, theirs), (their_leaders, ours)):
            if self._first_key(leaders[0]) == key:
                for leader in leaders:
                    self._count_credits(leader, others)
                kept.extend(leaders)
            else:
                for leader in leaders:
                    self.credited.pop(leader, None)
        return kept

    def _count_credits(self, leader: int, others: Sequence[int]) -> None:
        """Count the articles of `others` (another outlet's) that credit `leader`'s outlet."""
        source = self.sources[leader]
        count = sum(
            1
            for o in others
            if self.sources[o] != source and _credits_text(self.credit[o], source, self.folded[o])
        )
        if count:
            self.credited[leader] = self.credited.get(leader, 0) + count

    def root(self, number: int) -> int:
        while self.parent[number] != number:
            self.parent[number] = self.parent[self.parent[number]]
            number = self.parent[number]
        return number


def _average_link(
    sizes: Mapping[int, int],
    spans: Mapping[int, tuple[int, int]],
    links: Mapping[int, Mapping[int, float]],
    strong: Mapping[int, set[int]],
    threshold: float,
    max_days: int,
) -> list[list[int]]:
    """Average-link merging of clusters (keyed in creation order) while the best pair's mean
    similarity reaches `threshold`: best pair first, ties to the smaller keys, never spanning
    more than `max_days` days. The rule of `_cluster`'s second step; a heap stands in for its
    rescan after each merge, as a story may hold many clusters.

    `spans` are (first, last) days with `_NO_FIRST`, `_NO_LAST` for undated clusters; `strong`
    the pairs at the threshold's mean that fit in `max_days` together (the only pairs the
    heap starts from). `links` may name clusters beyond `sizes`: those are passed over, as
    no merge can reach them (none is strong with a cluster of `sizes`)."""
    size = dict(sizes)
    first = {k: spans[k][0] for k in size}
    last = {k: spans[k][1] for k in size}
    head = {k: k for k in size}  # cluster -> the group it is in now
    members = {k: [k] for k in size}
    version = dict.fromkeys(size, 0)
    # Each group's links to the other groups, made when a merge first needs them: most
    # clusters of a part never merge, and filtering all their links (hundreds each on a dense
    # stream) was most of the cost. Made ones are kept up to date at each merge; one made
    # later reads what it has with merged groups from their side (kept symmetric, so equal).
    link: dict[int, dict[int, float]] = {}

    def row(k: int) -> dict[int, float]:
        made = link.get(k)
        if made is None:
            made = link[k] = {}
            own = links[k]
            # Most links lead out of the part, and most parts are smaller than a cluster's
            # links: look up from the smaller side (`keys() & keys()` copies the left one).
            # The order does not matter: each group's value is read, not summed, here.
            inside = [c for c in head if c in own] if len(head) < len(own) else own.keys() & head
            for c in inside:
                group = head[c]
                if group == k or group in made:
                    continue
                theirs = link.get(group)
                made[group] = own[c] if theirs is None else theirs[k]
        return made

    # Only pairs at the threshold go on the heap: the loop stops at the first pair below it,
    # and a pair's mean only changes by a merge, which pushes it again. A pair too wide to
    # merge would only be skipped, so the strong pairs are all the heap needs to start.
    heap = [
        (-links[a][b] / (size[a] * size[b]), a, b, 0, 0) for a in size for b in strong[a] if a < b
    ]
    heapq.heapify(heap)
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if -neg < threshold:
            break
        if a not in members or b not in members or (version[a], version[b]) != (va, vb):
            continue  # stale: one side has merged since
        low, high = min(first[a], first[b]), max(last[a], last[b])
        if high - low > max_days:
            continue  # spans only widen, so this pair never qualifies again
        mine, gone = row(a), row(b)
        del link[b]
        for k in members[b]:
            head[k] = a
        members[a].extend(members.pop(b))
        size[a] += size.pop(b)
        first[a], last[a] = low, high
        version[a] += 1
        gone.pop(a, None)
        mine.pop(b, None)
        for c, total in gone.items():
            mine[c] = mine.get(c, 0.0) + total
            theirs = link.get(c)
            if theirs is not None:
                theirs[a] = theirs.get(a, 0.0) + theirs.pop(b)
        for c, total in mine.items():
            if total >= threshold * size[a] * size[c]:
                lo, hi = min(a, c), max(a, c)
                heapq.heappush(
                    heap, (-total / (size[a] * size[c]), lo, hi, version[lo], version[hi])
                )
    return [sorted(m) for m in members.values()]


_NO_FIRST = 2**40
_NO_LAST = -(2**40)
"""First and last day of an undated cluster: min() and max() with any day pass them over, and
(last - first) is negative, so "fits in max_days" needs no case for undated clusters."""


class _Cluster:
    """Articles joined by the first pass (each to a cluster it clearly belongs to). Slotted:
    filing an article reads and updates a few dozen clusters."""

    __slots__ = ("copies", "first", "last", "links", "originals", "strong")

    def __init__(
        self,
        originals: list[int],
        copies: list[int] | None = None,
        first: int = _NO_FIRST,
        last: int = _NO_LAST,
        links: dict[int, float] | None = None,
    ) -> None:
        self.originals = originals  # article numbers taking part in clustering
        self.copies = copies if copies is not None else []
        self.first = first  # publication days (ordinals) of the originals; see _NO_FIRST
        self.last = last
        self.links = links if links is not None else {}  # other cluster -> summed sims
        self.strong: set[int] = set()  # linked at the threshold's mean, in span together


class StoryIndex:
    """Stories that grow as articles arrive, without re-clustering what came before.

    `add` files new articles. A near-verbatim copy of a filed article (MinHash LSH proposes,
    exact shingle Jaccard decides, as in `find_duplicates`) joins its original's story. Any
    other article is scored, with `group_stories`' similarity, against the filed articles an
    inverted index over their heaviest terms and rarer names proposes (never against all of
    them), then goes through the two steps of the batch clustering: it joins the cluster it
    clearly belongs to, or starts one; then the clusters near it are merged into stories by
    average link, best pair first, down to `options.story_threshold`. Only clusters linked to
    the changed one at that average or more (and their current story-mates) are regrouped, as
    no other merge can have changed. So the stories are those `group_stories` finds for the
    same similarities, at the cost of a few clusters per article whatever the index holds.
    Filing in bulk (`add_prepared(..., report=False)`, as `pipeline.file_stories` files an
    archive) leaves that regrouping until the stories are read, once for many chunks: a big
    story is then not regrouped whole for each chunk that touches it.

    Term weights are tf-idf with document frequencies counted as articles arrive: a pair is
    scored when its later article is placed, with the counts of that moment, and the articles
    of one `add` are all counted before any is placed. While the index is young the counts
    move fast, so until WARMUP_DOCS originals are filed, each time their number grows by
    REBUILD_FACTOR every original is placed again (from stored features, in publication
    order) with the current counts; that costs a constant number of placements per article.

    Story ids are `s-` + sha1 of the id of the story's first-filed article (its first article,
    as in batch, when articles come in publication order): the id stays while the story
    grows. When an article bridges two stories, the merged story keeps the older id and
    `merges` records where the other went.

    Without a window everything filed stays in memory, to file later articles against. With
    `options.story_window_days` (W) the index keeps what can still matter to articles that
    arrive in publication order: once the warm-up is over, articles published before the
    horizon (the newest publication day filed, minus W) are retired in sweeps (`_sweep`, every
    SWEEP_DAYS_SHARE of W): their postings go, so they are never candidates again, and so do
    their term and name rows, traits, shingles, MinHash signatures and LSH postings. Stories
    that ended `story_max_days` before the horizon are frozen (`_freeze`): their clusters'
    links go, their members stay. Every output (`groups`, `story_of`, `duplicates`,
    `merges`) still covers every article ever filed, until a caller takes the stories that
    can no longer change out of the index (`release`). What does not change: document
    frequencies (IDF) and the count behind "rare name" go on counting every article filed.
    An article is compared only with articles at most `story_max_days` from it, so on a
    stream in publication order the stories are the same as without a window (`_freeze` says
    what it leaves out). An article up to W - `story_max_days` days older than the newest
    before it still meets every article it could share a story with; only where a term has
    more than POSTINGS_SCANNED holders can its candidates differ, retired holders no longer
    taking places among the newest read. An article older than the horizon when filed is still filed, against the live
    articles only (it may start a story of its own where it would have joined an old one),
    and counted in `late`, so a caller can warn; a copy of an article published before the
    horizon is not seen as a copy. "Live" is decided by the horizon as each `add` begins,
    not by the sweeps, so when they come changes what is held, never the result
    (`_horizon`). Undated articles are retired W days after they were filed.

    What still grows with a window, about 700 bytes per article on the tests' synthetic stream
    (tracemalloc, 4,000 to 8,000 articles; 1.3 KB of RSS on bench_stories' stream, half of it
    its 2.6 new names an article): its id (in `_ids` and the `_number` dict),
    publication day (list and arrays), cluster, copy-detection parent, a slot in the per-row
    arrays (term and name rows, traits, shingles, flags); a third of it the frozen clusters
    (an object with its member lists and emptied link containers per cluster, about 0.45 per
    article there): what `groups`, `story_of`, `duplicates` and `merges` need to report old
    stories, and numbering that lets the live arrays be indexed by article. Per distinct name
    (new names were a fifth of it there), its id and counts. Copy groups keep their members'
    sources and credit lines (an article joining a group counts its credits against every
    member). `release` drops all of that for the stories that can no longer change, so what
    the index holds then stays the size of the window.
    """

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self._copy_index = _CopyIndex(self.options.duplicate_threshold)
        # every article, by number (order of filing)
        self._ids: list[str] = []
        self._number: dict[str, int] = {}
        self._published: list[int | None] = []
        self._day = np.empty(1024, np.int64)  # the same as an array, for filtering
        # the latest day among articles 0..n, and the first undated article: what lets a
        # candidate search skip postings of articles all too old to share a story
        self._day_max = np.empty(1024, np.int64)
        self._first_undated = 2**62
        self._cluster_of: list[int] = []  # -1 until placed
        # features of originals (copies hold empty rows and no traits)
        self._text = _Terms(TEXT_FEATURES)
        self._names = _Terms(1024)
        self._traits: list[_Traits | None] = []
        # per article, for scoring pairs in numpy: distinct names, and which of a central
        # person, days, figures it has (bits: only pairs sharing a bit need their traits)
        self._named = np.zeros(1024, np.int64)
        self._special = np.zeros(1024, np.uint8)
        self._docs = 0
        self._name_ids: dict[str, int] = {}
        self._next_rebuild = 1
        # placing: postings of placed originals, clusters in creation order, their stories
        self._postings = _Postings()  # heaviest terms -> originals, with their weights
        self._name_postings = _Postings(count_purged=True)  # name ids -> originals
        self._clusters: list[_Cluster] = []
        self._story_of: list[int] = []  # cluster -> its story's oldest cluster
        self._story: dict[int, list[int]] = {}  # oldest cluster -> the story's clusters
        self._reported: dict[str, int] = {}  # story id `add` returned -> its first-filed article
        # clusters that changed since the last regroup (`_flush`), and clusters whose stories
        # changed or grew since the last report (filing with report=False defers both)
        self._pending: set[int] = set()
        self._unreported: set[int] = set()
        # the time window (options.story_window_days; see the class docstring)
        self.late = 0
        """Articles filed although published before the window's horizon (see the class
        docstring); always 0 without a window."""
        self._newest: int | None = None  # latest publication day filed
        # The articles of one `add` are compared with (and may copy) earlier-filed ones only
        # if not retired by this day (None: all), whether or not a sweep has come yet: so
        # what they find does not depend on when the sweeps came. Also the number of the
        # first of them (they see each other).
        self._horizon: tuple[int, int] | None = None
        self._stamp = np.empty(1024, np.int64)  # per article: its retirement day, or _RETIRED
        self._low = 0  # first article not retired
        self._swept = (_UNSTAMPED, 0, 0)  # at the last sweep: horizon, articles filed, live
        self._frozen = bytearray()  # per cluster: 1 once frozen (clusters beyond: 0)
        self._thaw_from = 0  # first cluster not frozen
        self.released = 0
        """Articles handed over by `release` and no longer held."""
        self._release_checked = self._swept  # `_swept` when `release` last looked

    # ---------------------------------------------------------------- public

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._number

    def add(
        self,
        articles: Sequence[Article],
        analyses: Mapping[str, ArticleAnalysis],
        *,
        report: bool = True,
    ) -> list[StoryGroup]:
        """File `articles` (ids already filed are passed over); return the stories that
        changed (new, grown, merged or regrouped), in order of each story's first article.
        `report=False`: file in bulk, return nothing (see `add_prepared`)."""
        fresh = {a.id: a for a in reversed(articles) if a.id not in self._number}
        prepared = prepare_articles(list(fresh.values()), analyses, self.options)
        return self.add_prepared(prepared, report=report)

    def add_prepared(
        self, prepared: Sequence[PreparedArticle], *, report: bool = True
    ) -> list[StoryGroup]:
        """`add` for articles already through `prepare_articles` (with this index's options).

        With `report=False` (bulk filing, e.g. an archive read to the end) it returns no
        stories and leaves the regrouping into stories until they are next read (`groups`,
        `story_of`, `merges`, `to_bytes`, a window's sweep) or reported (the next call with
        `report=True`, which then reports every story changed since the last report). The
        stories are the same (regrouping once after many placements gives what regrouping
        after each would, see `_regroup`), and it costs less: a story is regrouped whole each
        time it changes, so a big story touched by every chunk was regrouped once a chunk."""
        fresh = {p.id: p for p in reversed(prepared) if p.id not in self._number}
        ordered = sorted(fresh.values(), key=lambda p: _day_key(p.day, p.id))
        if not ordered:
            return self._report() if report else []
        with _gc_paused():
            self._date(ordered)
            known = len(self._copy_index.bridges)
            copies = self._copy_index.add(ordered, self._stamp, self._horizon)
            numbers = self._register(ordered, copies)
            bridges: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for a, b, by in self._copy_index.bridges[known:]:
                bridges[by].append((a, b))
            if self._docs >= self._next_rebuild and self._docs <= WARMUP_DOCS:
                self._next_rebuild = max(self._docs + 1, int(self._docs * REBUILD_FACTOR))
                before = {g.id: g for g in self.groups()}
                # a rebuild numbers the clusters anew: hold what is still to report by article
                unreported = [self._clusters[k].originals[0] for k in self._unreported]
                self._rebuild()
                self._unreported = {
                    head
                    for head in self._story
                    if before.get(self._story_id_of(head)) != self._story_group(head)
                } | {self._cluster_of[n] for n in unreported}
            else:
                originals = [n for n, copy in zip(numbers, copies, strict=True) if not copy]
                self._pending |= self._place_many(originals)
                for number, copy in zip(numbers, copies, strict=True):
                    if copy:
                        self._pending |= self._attach_copy(number, bridges[number])
                        self._unreported.add(self._cluster_of[number])
            self._sweep_if_due()
        return self._report() if report else []

    def _flush(self) -> None:
        """Regroup into stories what changed since the last regroup."""
        if self._pending:
            self._unreported |= self._regroup(self._pending)
            self._pending = set()

    def _report(self) -> list[StoryGroup]:
        """The stories that changed or grew since the last report, and note them reported."""
        self._flush()
        heads = sorted({self._story_of[k] for k in self._unreported}, key=self._first_key)
        self._unreported = set()
        groups = [self._story_group(head) for head in heads]
        for head, group in zip(heads, groups, strict=True):
            self._reported.setdefault(group.id, min(self._members(head)))
        return groups

    def groups(self) -> list[StoryGroup]:
        """Every story, in order of its first article (as `group_stories` orders them)."""
        self._flush()
        return [self._story_group(head) for head in sorted(self._story, key=self._first_key)]

    def duplicates(self) -> dict[str, str]:
        """{copy_id: original_id} for every copy filed so far (as `find_duplicates` gives)."""
        result: dict[str, str] = {}
        for members in self._copy_index.group.values():
            result.update(self._copies(members))
        return dict(sorted(result.items()))

    def story_of(self, article_id: str) -> str | None:
        """The id of the story the article is in now (None if it was never filed)."""
        number = self._number.get(article_id)
        if number is None:
            return None
        self._flush()
        return self._story_id_of(self._story_of[self._cluster_of[number]])

    @property
    def merges(self) -> dict[str, str]:
        """{id of a story `add` returned that has since merged: id of the story it is in}."""
        result = {}
        for story_id, founder in sorted(self._reported.items()):
            now = self.story_of(self._ids[founder])
            if now is not None and now != story_id:
                result[story_id] = now
        return result

    def release(self) -> list[StoryGroup]:
        """Hand over the stories that can no longer change and forget them, so that a writer
        filing an endless stream holds only the window (issue 8); [] when none is due.

        With a window, a frozen story (see `_freeze`) whose every article, copies included,
        is retired gains nothing again: no later article meets its articles. Once such
        articles are as many as the rest held (RELEASE_SHARE) and at least RELEASE_MIN, a
        call drops them from the index and returns their stories (in order of first article,
        as `groups` gives them): what `groups` would have shown for them. From then on
        `groups`, `story_of`, `duplicates` and `merges` cover only the stories still held,
        `len` counts the articles still held (`released` the others), and an id filed again
        after its release is filed as a new article. The stories of everything filed are
        those returned over all calls plus `groups()`, the same as without releasing. A copy
        group spanning stories is released only whole. Checked only after a window's sweep
        (at most once per sweep); without a window, nothing is ever released."""
        if self.options.story_window_days is None or self._release_checked == self._swept:
            return []
        self._release_checked = self._swept
        self._flush()
        stamp, story_of, cluster_of = self._stamp, self._story_of, self._cluster_of
        gone: dict[int, list[int]] = {}  # story head -> its articles
        for head, story in self._story.items():
            if all(self._is_frozen(k) for k in story):
                members = self._members(head)
                if bool((stamp[members] == _RETIRED).all()):
                    gone[head] = members
        # copy groups: all in or all out (the root, first filed, may be on either side)
        groups = self._copy_index.group
        out: set[int] = set()
        while True:
            out = {n for members in gone.values() for n in members}
            split = [
                members
                for members in groups.values()
                if not out.isdisjoint(members) and not out.issuperset(members)
            ]
            if not split:
                break
            for members in split:
                for n in members:
                    gone.pop(story_of[cluster_of[n]], None)
        if len(out) < max(RELEASE_MIN, RELEASE_SHARE * (len(self._ids) - len(out))):
            return []  # not yet: each release costs about what the index holds, and more
        released = [self._story_group(head) for head in sorted(gone, key=self._first_key)]
        keep = np.ones(len(self._ids), bool)
        keep[list(out)] = False
        keep_clusters = np.ones(len(self._clusters), bool)
        keep_clusters[[k for head in gone for k in self._story[head]]] = False
        width = self._copy_index.signatures.shape[1]
        state = _without(self._state(), keep, keep_clusters, width)
        state["released"] = self.released + len(out)
        # the loader derives the rest (numbers by id, day arrays, copy leaders, strong pairs)
        vars(self).update(vars(StoryIndex._from_state(state, self.options)))
        self._release_checked = self._swept
        return released

    # ---------------------------------------------------------------- persistence

    def to_bytes(self) -> bytes:
        """The whole index as bytes: a pickle of plain data (numbers, strings, bytes, lists,
        dicts), zlib-compressed; `from_bytes` refuses anything else."""
        state = self._state()
        return zlib.compress(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL), 1)

    def _state(self) -> dict[str, Any]:
        """The index as plain data (what `to_bytes` saves; `_from_state` loads it)."""
        self._flush()
        copies = self._copy_index
        state: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "options": _story_options(self.options),
            "ids": self._ids,
            "published": self._published,
            "shingles": _pack_rows([(x,) for x in copies.shingles], 1),
            "signatures": copies.signatures[: len(self._ids) - copies.base].tobytes(),
            "signature_base": copies.base,
            "sources": copies.sources,
            "credit": copies.credit,
            "parent": copies.parent,
            "group": copies.group,
            "bridges": copies.bridges,
            "credited": copies.credited,
            "lsh": copies.lsh.state(),
            "cluster_of": self._cluster_of,
            "text": self._text.state(len(self._ids)),
            "names": self._names.state(len(self._ids)),
            "traits": [None if t is None else _trait_data(t) for t in self._traits],
            "docs": self._docs,
            "name_keys": list(self._name_ids),
            "next_rebuild": self._next_rebuild,
            "postings": self._postings.state(),
            "name_postings": self._name_postings.state(),
            "clusters": [
                (
                    c.originals,
                    c.copies,
                    None if c.first == _NO_FIRST else c.first,
                    None if c.last == _NO_LAST else c.last,
                    list(c.links.items()),
                )
                for c in self._clusters
            ],
            "stories": list(self._story.values()),
            "reported": self._reported,
            "unreported": sorted(self._unreported),
            "late": self.late,
            "newest": self._newest,
            "low": self._low,
            "stamps": self._stamp[self._low : len(self._ids)].tobytes()
            if self.options.story_window_days is not None
            else b"",
            "swept": self._swept,
            "frozen": bytes(self._frozen),
            "released": self.released,
        }
        return state

    @classmethod
    def from_bytes(cls, data: bytes, options: Options | None = None) -> StoryIndex:
        """An index saved by `to_bytes`. With `options`, raise ValueError if the index was
        built with other story settings (threshold, days, copy threshold): rebuild it then."""
        try:
            state = _PlainUnpickler(io.BytesIO(zlib.decompress(data))).load()
        except (pickle.UnpicklingError, zlib.error, EOFError, ValueError) as exc:
            raise ValueError(f"not a story index: {exc}") from exc
        if not isinstance(state, dict) or state.get("format") != FORMAT_VERSION:
            raise ValueError("story index of another format version")
        threshold, max_days, duplicate_threshold, window = state["options"]
        saved = Options(
            story_threshold=threshold,
            story_max_days=max_days,
            duplicate_threshold=duplicate_threshold,
            story_window_days=window,
        )
        if options is not None and _story_options(options) != _story_options(saved):
            raise ValueError("story index built with other story options")
        return cls._from_state(state, options or saved)

    @classmethod
    def _from_state(cls, state: dict[str, Any], options: Options) -> StoryIndex:
        """The index `_state` gave (its options checked by the caller)."""
        index = cls(options)
        copies = index._copy_index
        copies.shingles = [
            row[0] if len(row[0]) else _NO_SHINGLES
            for row in _unpack_rows(state["shingles"], (np.uint32,))
        ]
        width = copies.signatures.shape[1]
        signatures = np.frombuffer(state["signatures"], np.uint32).reshape(-1, width)
        copies.signatures = np.zeros((max(1024, 2 * len(signatures)), width), np.uint32)
        copies.signatures[: len(signatures)] = signatures
        copies.base = state["signature_base"]
        copies.sources, copies.credit = state["sources"], state["credit"]
        copies.parent, copies.bridges = state["parent"], state["bridges"]
        copies.group = state["group"]
        copies.credited = state["credited"]
        copies.days = list(state["published"])
        copies.folded = [re_folded(c) for c in copies.credit]
        for root, members in copies.group.items():
            first = min(map(copies._first_key, members))
            copies.leaders[root] = [m for m in members if copies._first_key(m) == first]
        copies.lsh = _Postings.from_state(state["lsh"])
        index._ids = state["ids"]
        index._number = {aid: n for n, aid in enumerate(index._ids)}
        index._published = state["published"]
        index._day = np.array(
            [_NONE_DAY if d is None else d for d in index._published] or [0], np.int64
        )
        index._day = np.concatenate((index._day, np.empty(1024, np.int64)))
        index._note_days(0, len(index._ids))
        index._cluster_of = state["cluster_of"]
        index._text = _Terms.from_state(state["text"], TEXT_FEATURES)
        index._names = _Terms.from_state(state["names"], max(1024, 2 * len(state["name_keys"])))
        index._traits = [None if t is None else _trait_of(t) for t in state["traits"]]
        for number, traits in enumerate(index._traits):
            if traits is not None:
                index._note_traits(number, traits)
        index._docs = state["docs"]
        index._name_ids = {key: n for n, key in enumerate(state["name_keys"])}
        index._next_rebuild = state["next_rebuild"]
        index._postings = _Postings.from_state(state["postings"])
        index._name_postings = _Postings.from_state(state["name_postings"], count_purged=True)
        index._clusters = [
            _Cluster(
                originals=o,
                copies=c,
                first=_NO_FIRST if f is None else f,
                last=_NO_LAST if la is None else la,
                links=dict(links),
            )
            for o, c, f, la, links in state["clusters"]
        ]
        for a, cluster in enumerate(index._clusters):
            for b in cluster.links:
                if a < b:
                    index._restrengthen(a, b)
        index._story_of = list(range(len(index._clusters)))
        for members in state["stories"]:
            index._story[members[0]] = members
            for k in members:
                index._story_of[k] = members[0]
        index._reported = state["reported"]
        index._unreported = set(state.get("unreported", ()))  # saves before it had none
        index.late, index._newest, index._low = state["late"], state["newest"], state["low"]
        stamps = np.frombuffer(state["stamps"], np.int64)
        index._stamp = np.full(max(1024, 2 * len(index._ids)), _RETIRED, np.int64)
        index._stamp[index._low : index._low + len(stamps)] = stamps
        horizon, filed, live = state["swept"]
        index._swept = (horizon, filed, live)
        index._frozen = bytearray(state["frozen"])
        thawed = index._frozen.find(0)
        index._thaw_from = thawed if thawed >= 0 else len(index._frozen)
        index.released = state.get("released", 0)  # saves before release() had none
        return index

    # ---------------------------------------------------------------- filing

    def _register(self, articles: Sequence[PreparedArticle], copies: Sequence[bool]) -> list[int]:
        """Record articles (their copy detection done) and count the originals' terms; return
        their numbers."""
        first = len(self._ids)
        numbers = list(range(first, first + len(articles)))
        for article, number in zip(articles, numbers, strict=True):
            self._ids.append(article.id)
            self._number[article.id] = number
            self._published.append(article.day)
        while first + len(articles) > len(self._day):
            self._day = np.concatenate((self._day, np.empty(len(self._day), np.int64)))
        self._day[first : first + len(articles)] = [
            _NONE_DAY if a.day is None else a.day for a in articles
        ]
        self._note_days(first, first + len(articles))
        self._cluster_of.extend([-1] * len(articles))
        originals = [a for a, copy in zip(articles, copies, strict=True) if not copy]
        for article, copy, number in zip(articles, copies, numbers, strict=True):
            self._traits.append(None if copy else article.traits)
            if not copy:
                self._note_traits(number, article.traits)
        self._docs += len(originals)
        pairs = list(zip(articles, copies, strict=True))
        lengths = np.array([0 if c else len(a.text_idx) for a, c in pairs], np.int64)
        self._text.extend(
            first,
            lengths,
            np.concatenate([a.text_idx for a in originals] + [np.empty(0, np.int32)]),
            np.concatenate([a.text_tf for a in originals] + [np.empty(0, np.float32)]),
        )
        # names: ids in each row ascending, one sort for all rows
        counts = np.array([0 if c else len(a.names) for a, c in pairs], np.int64)
        ids = np.array([self._name_id(key) for a in originals for key, _ in a.names], np.int32)
        mentions = np.array([n for a in originals for _, n in a.names], np.float64)
        order = np.lexsort((ids, np.repeat(np.arange(len(articles)), counts)))
        self._names.extend(
            first,
            counts,
            ids[order],
            (1.0 + np.log(mentions[order])).astype(np.float32),
        )
        return numbers

    def _note_days(self, start: int, end: int) -> None:
        """Keep `_day_max` and `_first_undated` for articles start..end-1 (just registered)."""
        if len(self._day_max) < len(self._day):
            self._day_max = np.resize(self._day_max, len(self._day))
        days = self._day[start:end]
        before = self._day_max[start - 1] if start else _NONE_DAY
        self._day_max[start:end] = np.maximum.accumulate(np.maximum(days, before))
        undated = np.flatnonzero(days == _NONE_DAY)
        if len(undated):
            self._first_undated = min(self._first_undated, start + int(undated[0]))

    def _too_old_before(self, rows: np.ndarray) -> int:
        """A number below which every article is dated and published more than
        `story_max_days` before each of `rows`: none can be a candidate for them."""
        if not len(rows):
            return 0
        # an undated row's day is _NONE_DAY, below every day: then no article is too old
        limit = int(self._day[rows].min()) - self.options.story_max_days
        # _day_max never decreases, so the articles whose latest day is below the limit
        # come first
        old = int(np.searchsorted(self._day_max[: len(self._ids)], limit, side="left"))
        return min(old, self._first_undated)

    def _note_traits(self, number: int, traits: _Traits) -> None:
        while number >= len(self._named):  # a loaded index skips the rows of retired ones
            self._named = np.concatenate((self._named, np.zeros_like(self._named)))
            self._special = np.concatenate((self._special, np.zeros_like(self._special)))
        self._named[number] = traits.named
        self._special[number] = (
            (traits.people[0] is not None) | (bool(traits.days) << 1) | (bool(traits.figures) << 2)
        )

    def _root(self, number: int) -> int:
        return self._copy_index.root(number)

    def _attach_copy(self, number: int, bridges: Sequence[tuple[int, int]]) -> set[int]:
        """A copy joins its original's cluster. Originals that one copy copies both (the
        `bridges` it made) are linked as if identical, so their stories merge unless they lie
        too many days apart. Return the clusters whose links changed: a copy by itself changes
        no link, size or span, so its story stands (and is only reported as grown)."""
        cluster = self._cluster_of[self._root(number)]
        self._cluster_of[number] = cluster
        self._clusters[cluster].copies.append(number)
        changed: set[int] = set()
        for a, b in bridges:
            changed |= self._link_as_copies(a, b)
        return changed

    def _link_as_copies(self, a: int, b: int) -> set[int]:
        ka, kb = self._cluster_of[a], self._cluster_of[b]
        if ka == kb or self._is_frozen(ka) or self._is_frozen(kb):
            # A frozen story takes no new links (see `_freeze`): a copy bridging it to a live
            # one (a copy of an article older than the window) leaves both stories as they are.
            return set()
        full = float(len(self._clusters[ka].originals) * len(self._clusters[kb].originals))
        self._add_link(ka, kb, full)
        return {ka, kb}

    def _add_link(self, a: int, b: int, total: float) -> None:
        links_a, links_b = self._clusters[a].links, self._clusters[b].links
        links_a[b] = links_a.get(b, 0.0) + total
        links_b[a] = links_b.get(a, 0.0) + total
        self._restrengthen(a, b)

    def _restrengthen(self, a: int, b: int) -> None:
        """Keep `strong` true of a pair: clusters whose mean link reaches the threshold and
        that fit in `story_max_days` together (the only pairs stories can form along). A pair
        turns strong only when its link grows, weak only when a cluster grows or widens."""
        ca, cb = self._clusters[a], self._clusters[b]
        mean_ok = ca.links.get(b, 0.0) >= (
            self.options.story_threshold * len(ca.originals) * len(cb.originals)
        )
        # Each cluster fits in story_max_days by itself, so the pair fits when their union does.
        width = max(ca.last, cb.last) - min(ca.first, cb.first)
        if mean_ok and width <= self.options.story_max_days:
            ca.strong.add(b)
            cb.strong.add(a)
        else:
            ca.strong.discard(b)
            cb.strong.discard(a)

    # ---------------------------------------------------------------- the time window

    def _date(self, articles: Sequence[PreparedArticle]) -> None:
        """Before filing the next articles: set the horizon they are filed against
        (`_horizon`), count the late ones among them (published before it), move `_newest`
        and, with a window, give each a retirement day: its publication day; undated ones
        the newest day (filed now, they count as published now)."""
        window = self.options.story_window_days
        before = self._newest
        days = [a.day for a in articles if a.day is not None]
        if days:
            self._newest = max(days) if before is None else max(before, *days)
        self._horizon = None
        if window is None:
            return
        if before is not None:
            self.late += sum(day < before - window for day in days)
            # Not while warming up: a rebuild places old articles again, against old ones.
            if self._docs > WARMUP_DOCS:
                self._horizon = (before - window, len(self._ids))
        first, end = len(self._ids), len(self._ids) + len(articles)
        while end > len(self._stamp):
            self._stamp = np.concatenate((self._stamp, np.empty(len(self._stamp), np.int64)))
        if before is None and self._newest is not None:  # the first dated articles
            stamps = self._stamp[self._low : first]  # a view: the write lands in `_stamp`
            stamps[stamps == _UNSTAMPED] = self._newest
        undated = _UNSTAMPED if self._newest is None else self._newest
        self._stamp[first:end] = [undated if a.day is None else a.day for a in articles]

    def _sweep_if_due(self) -> None:
        """Sweep (`_sweep`) when the horizon has moved by SWEEP_DAYS_SHARE of the window
        since the last sweep, or as many articles were filed since as it left live. Never
        while warming up: a rebuild then places every original again, retired ones too."""
        window = self.options.story_window_days
        if window is None or self._newest is None or self._docs <= WARMUP_DOCS:
            return
        newest = self._newest
        swept_horizon, swept_filed, swept_live = self._swept
        moved = newest - window - swept_horizon >= max(1, int(SWEEP_DAYS_SHARE * window))
        if moved or len(self._ids) - swept_filed >= max(swept_live, PLACE_CHUNK):
            self._sweep(newest - window)

    def _sweep(self, horizon: int) -> None:
        """Retire the articles whose retirement day is before `horizon`: they stop being
        candidates (postings purged) and their features go (term rows, traits; shingles,
        signature and LSH postings in the copy index). Then freeze the stories that ended
        `story_max_days` before it (`_freeze`)."""
        self._flush()
        filed, low = len(self._ids), self._low
        due = np.flatnonzero(self._stamp[low:filed] < horizon) + low
        if len(due):
            self._stamp[due] = _RETIRED
            originals = [n for n in due.tolist() if self._traits[n] is not None]
            for number in originals:
                # None marks a copy too: no matter, only a rebuild tells them apart, and none
                # comes after the warm-up (see `_sweep_if_due`)
                self._traits[number] = None
            rows = np.array(originals, np.int64)
            self._text.drop(rows)
            self._names.drop(rows)
            alive = self._stamp[:filed] != _RETIRED
            self._postings.purge(alive)
            self._name_postings.purge(alive)
            live = np.flatnonzero(alive[low:])
            self._low = low = low + int(live[0]) if len(live) else filed
            self._copy_index.retire(due.tolist(), alive, low)
        self._freeze(horizon - self.options.story_max_days)
        live_count = int(np.count_nonzero(self._stamp[low:filed] != _RETIRED))
        self._swept = (horizon, filed, live_count)

    def _freeze(self, before: int) -> None:
        """Freeze the stories all of whose clusters end before day `before` (horizon minus
        `story_max_days`) and whose originals are all retired: drop their links and strong
        pairs, both ways; keep their members, so every output still reports them.

        Why no regroup can reach them: a regroup part grows along strong pairs and story-mates.
        A frozen cluster has no strong pair left (none can form again: links only grow in
        `_join_cluster`, between the clusters of live candidates, and in `_link_as_copies`,
        which passes frozen ones over), and its story-mates are frozen with it, as whole
        stories freeze at once and a frozen story gains no cluster (that takes a strong pair).

        Why that changes nothing on a stream in publication order: any cluster that can still
        gain a link or an original holds an article published on or after the horizon minus
        `story_max_days`, so it can never share a story with a frozen one (which ended before
        that by more than `story_max_days`). Left out: average link is greedy, so in
        principle a change among recent clusters could cascade back through a chain of
        older ones, each within `story_max_days` of the next, and regroup a story older than
        the window; frozen stories no longer follow such cascades. Undated articles count as
        published the day they were filed."""
        clusters, frozen, stamp = self._clusters, self._frozen, self._stamp
        frozen.extend(bytes(len(clusters) - len(frozen)))
        for k in range(self._thaw_from, len(clusters)):
            if frozen[k]:
                continue
            story = self._story[self._story_of[k]]
            if not all(
                clusters[j].last < before
                and all(stamp[n] == _RETIRED for n in clusters[j].originals)
                for j in story
            ):
                continue
            for j in story:
                cluster = clusters[j]
                for other in cluster.links:
                    clusters[other].links.pop(j, None)
                    clusters[other].strong.discard(j)
                cluster.links.clear()
                cluster.strong.clear()
                frozen[j] = 1
        while self._thaw_from < len(clusters) and frozen[self._thaw_from]:
            self._thaw_from += 1

    def _is_frozen(self, cluster: int) -> bool:
        return cluster < len(self._frozen) and self._frozen[cluster] == 1

    def footprint(self) -> dict[str, int]:
        """How much the index holds of what a window bounds (entries, not bytes): articles
        filed and still live, term and name entries, postings (terms, names, LSH), signature
        rows, shingle sets and traits kept, cluster links."""
        filed = len(self._ids)
        live = filed
        if self.options.story_window_days is not None:
            live = int(np.count_nonzero(self._stamp[self._low : filed] != _RETIRED))
        copies = self._copy_index
        return {
            "articles": filed,
            "live": live,
            "text_entries": self._text.used,
            "name_entries": self._names.used,
            "postings": len(self._postings),
            "name_postings": len(self._name_postings),
            "lsh_postings": len(copies.lsh),
            "signature_rows": filed - copies.base,
            "shingle_sets": sum(x is not _NO_SHINGLES for x in copies.shingles),
            "traits": sum(t is not None for t in self._traits),
            "links": sum(len(c.links) for c in self._clusters),
        }

    def _rebuild(self) -> None:
        """Place every original again, in publication order, with the current counts."""
        self._postings, self._name_postings = _Postings(), _Postings(count_purged=True)
        self._clusters, self._story_of, self._story = [], [], {}
        self._cluster_of = [-1] * len(self._ids)
        originals = sorted(
            (n for n, t in enumerate(self._traits) if t is not None), key=self._sort_key
        )
        self._place_many(originals)
        for members in self._copy_index.group.values():
            for number in sorted(members):
                if self._traits[number] is None:
                    cluster = self._cluster_of[self._root(number)]
                    self._cluster_of[number] = cluster
                    self._clusters[cluster].copies.append(number)
        for a, b, _ in self._copy_index.bridges:
            self._link_as_copies(a, b)
        self._regroup(set(range(len(self._clusters))))

    def _place_many(self, numbers: Sequence[int]) -> set[int]:
        """Place originals in this order (in chunks: see `_place_chunk`); return the clusters
        that changed (stories are regrouped afterwards, by `_regroup`)."""
        changed: set[int] = set()
        for start in range(0, len(numbers), PLACE_CHUNK):
            changed |= self._place_chunk(np.array(numbers[start : start + PLACE_CHUNK], np.int64))
        return changed

    def _place_chunk(self, rows: np.ndarray) -> set[int]:
        """Score each original against the ones placed before it and put it in a cluster (the
        batch clustering's first step); return the clusters that changed.

        What does not depend on the order (weights, candidates among the articles filed
        before each one, every pair's similarity) is worked out for the whole chunk in a few
        numpy passes; only the clustering runs article by article.
        """
        docs = self._docs
        text = self._text.current(rows, docs)
        names = self._names.current(rows, docs)
        self._text.place(rows, docs)
        self._names.place(rows, docs)
        heavy = _heaviest(text[0], text[2], HEAVY_TERMS)
        h_owner, h_cols, h_weights = text[0][heavy], text[1][heavy], text[2][heavy]
        owners, others = self._candidates(rows, (h_owner, h_cols, h_weights), names)
        self._postings.add(h_cols, rows[h_owner], h_weights)
        self._name_postings.add(names[1], rows[names[0]], np.zeros(len(names[1]), np.float32))
        text_cos = self._text.cosines(text, owners, others)
        name_cos = self._names.cosines(names, owners, others)
        both_named = (self._names.length[rows[owners]] > 0) & (self._names.length[others] > 0)
        mine = rows[owners]
        special = np.flatnonzero(self._special[mine] & self._special[others])
        traits = self._traits
        sims = _similarities_of(
            text_cos,
            name_cos,
            both_named,
            np.minimum(self._named[mine], self._named[others]),
            [
                (k, traits[a], traits[b])
                for k, a, b in zip(
                    special.tolist(), mine[special].tolist(), others[special].tolist(), strict=True
                )
            ],
        )
        linked = np.flatnonzero(sims > 0.0)  # most pairs fall below LINK_FLOOR
        owners, others, sims = owners[linked], others[linked], sims[linked]
        bounds = np.searchsorted(owners, np.arange(len(rows) + 1))
        return {
            self._join_cluster(number, others[a:b].tolist(), sims[a:b].tolist())
            for number, a, b in zip(rows.tolist(), bounds[:-1], bounds[1:], strict=True)
        }

    def _candidates(
        self,
        rows: np.ndarray,
        heavy: tuple[np.ndarray, np.ndarray, np.ndarray],
        names: tuple[np.ndarray, np.ndarray, np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (index into `rows`, original placed before it) worth scoring, sorted: for each
        row the NEIGHBOURS originals sharing the most weight of its heaviest terms among the
        newest POSTINGS_SCANNED holders of each, and those sharing a name with it that at most
        RARE_NAME_SHARE (and RARE_NAME_MAX) of the originals hold; none published more than
        `story_max_days` apart. Earlier rows of the chunk count as placed before."""
        h_owner, h_cols, h_weights = heavy
        posting, query, rank = _earlier_in_batch(h_owner, h_cols, h_owner, h_cols)
        newer = rank < POSTINGS_SCANNED  # the newest are the chunk's own
        posting, query = posting[newer], query[newer]
        room = POSTINGS_SCANNED - np.bincount(query, minlength=len(h_cols))
        ids, theirs, which, _ = self._postings.query(h_cols, room, self._too_old_before(rows))
        ids = np.concatenate((ids, rows[h_owner[posting]])).astype(np.int64)
        which = np.concatenate((which, query))
        score = np.concatenate((theirs, h_weights[posting])) * h_weights[which]
        owner = h_owner[which]
        close = self._close_in_time(rows[owner], ids)
        pairs, inverse = np.unique((owner[close] << 32) | ids[close], return_inverse=True)
        total = np.bincount(inverse, weights=score[close], minlength=len(pairs))
        # by row, then best first; stable, so ties keep `pairs`' (ascending) order
        ranked = pairs[np.lexsort((-total, pairs >> 32))]
        within = np.arange(len(ranked)) - np.searchsorted(ranked >> 32, ranked >> 32)
        found = [ranked[within < NEIGHBOURS]]

        n_owner, n_cols, _ = names
        rare_limit = max(2, min(RARE_NAME_MAX, int(RARE_NAME_SHARE * self._docs)))
        posting, query, _ = _earlier_in_batch(n_owner, n_cols, n_owner, n_cols)
        ids, _, which, held = self._name_postings.query(n_cols, rare_limit)
        held += np.bincount(query, minlength=len(n_cols))
        ids = np.concatenate((ids, rows[n_owner[posting]])).astype(np.int64)
        which = np.concatenate((which, query))
        rare = held[which] + 1 <= rare_limit  # rare, this article counted
        owner, ids = n_owner[which[rare]], ids[rare]
        close = self._close_in_time(rows[owner], ids)
        found.append((owner[close] << 32) | ids[close])
        pairs = np.unique(np.concatenate(found))
        return pairs >> 32, pairs & 0xFFFFFFFF

    def _close_in_time(self, numbers: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Whether each pair was published at most `story_max_days` apart (or is undated), the
        other not retired by the window (see `_horizon`)."""
        a, b = self._day[numbers], self._day[others]
        undated = (a == _NONE_DAY) | (b == _NONE_DAY)
        close = undated | (np.abs(a - b) <= self.options.story_max_days)
        if self._horizon is not None:
            horizon, first = self._horizon
            close &= (others >= first) | (self._stamp[others] >= horizon)
        return close

    def _join_cluster(self, number: int, others: Sequence[int], sims: Sequence[float]) -> int:
        """The batch clustering's first step for one original; return its cluster.

        Written out in one loop per step (no helper calls per link): filing an article links
        it to a few dozen clusters, and the calls were most of the cost."""
        cluster_of, clusters = self._cluster_of, self._clusters
        totals: dict[int, float] = {}
        for other, sim in zip(others, sims, strict=True):
            if sim > 0.0:
                k = cluster_of[other]
                totals[k] = totals.get(k, 0.0) + sim
        day = self._published[number]
        first, last = (_NO_FIRST, _NO_LAST) if day is None else (day, day)
        max_days, threshold = self.options.story_max_days, self.options.story_threshold
        best, score = -1, 0.0  # the best mean, ties to the oldest cluster
        for k, total in totals.items():
            c = clusters[k]
            if max(c.last, last) - min(c.first, first) <= max_days:
                mean = total / len(c.originals)
                if best < 0 or mean > score or (mean == score and k < best):
                    best, score = k, mean
        if best >= 0 and score >= LEADER_FACTOR * threshold:
            cluster = best
            mine = clusters[cluster]
            mine.originals.append(number)
            mine.first, mine.last = min(mine.first, first), max(mine.last, last)
            touched = set(mine.strong)  # growing may weaken these
        else:
            cluster = len(clusters)
            mine = _Cluster(originals=[number], first=first, last=last)
            clusters.append(mine)
            self._story_of.append(cluster)
            self._story[cluster] = [cluster]
            touched = set()
        cluster_of[number] = cluster
        links = mine.links
        for k, total in totals.items():
            if k != cluster:
                links[k] = links.get(k, 0.0) + total
                theirs = clusters[k].links
                theirs[cluster] = theirs.get(cluster, 0.0) + total
                touched.add(k)
        # `_restrengthen` of each pair touched, inlined
        limit, strong = threshold * len(mine.originals), mine.strong
        for k in touched:
            c = clusters[k]
            if (
                links.get(k, 0.0) >= limit * len(c.originals)
                and max(mine.last, c.last) - min(mine.first, c.first) <= max_days
            ):
                strong.add(k)
                c.strong.add(cluster)
            else:
                strong.discard(k)
                c.strong.discard(cluster)
        return cluster

    def _regroup(self, starts: set[int]) -> set[int]:
        """The batch clustering's second step, where it may have changed: regroup into stories
        the clusters linked to `starts` (clusters that changed) at the threshold's average or
        more, and to those, with all their current story-mates; return the stories (their
        oldest clusters) that changed.

        Merging two groups never lifts their average link to a third above both of theirs,
        so stories only ever form along such links, and only between clusters that fit in
        `story_max_days` together: clusters beyond them keep their stories, and regrouping once
        after many placements gives what regrouping after each would.
        """
        threshold = self.options.story_threshold
        seen: set[int] = set()
        changed: set[int] = set()
        for start in sorted(starts):
            if start in seen:
                continue
            part = {start}
            todo = [start]
            heads: set[int] = set()
            while todo:
                k = todo.pop()
                head = self._story_of[k]
                # A story's members are listed once, from the first of them reached: listing
                # them from each was quadratic in the story's size (hundreds of clusters).
                mates = () if head in heads else self._story[head]
                heads.add(head)
                for c in [*self._clusters[k].strong, *mates]:
                    if c not in part:
                        part.add(c)
                        todo.append(c)
            seen |= part
            if len(part) == 1:
                changed.add(start)  # alone, and was alone: its story is itself
                continue
            before = {frozenset(self._story.pop(h)) for h in heads}
            clusters = {k: self._clusters[k] for k in part}
            stories = _average_link(
                {k: len(c.originals) for k, c in clusters.items()},
                {k: (c.first, c.last) for k, c in clusters.items()},
                {k: c.links for k, c in clusters.items()},
                {k: c.strong for k, c in clusters.items()},
                threshold,
                self.options.story_max_days,
            )
            for members in stories:
                self._story[members[0]] = members
                for k in members:
                    self._story_of[k] = members[0]
                if frozenset(members) not in before or not starts.isdisjoint(members):
                    changed.add(members[0])
        return changed

    def _name_id(self, key: str) -> int:
        found = self._name_ids.get(key)
        if found is None:
            found = self._name_ids[key] = len(self._name_ids)
            self._names.widen(2 * found if found >= len(self._names.df) else 0)
        return found

    # ---------------------------------------------------------------- output

    def _sort_key(self, number: int) -> tuple[int, int, str]:
        return _day_key(self._published[number], self._ids[number])

    def _members(self, head: int) -> list[int]:
        return [
            n
            for k in self._story[head]
            for n in self._clusters[k].originals + self._clusters[k].copies
        ]

    def _story_id_of(self, head: int) -> str:
        """Named after its first-filed article: a story keeps its id while it grows, the
        older id survives a merge, and the part holding that article keeps it on a split."""
        return _story_id(self._ids[min(self._members(head))])

    def _first_key(self, head: int) -> tuple[int, int, str]:
        return min(self._sort_key(n) for n in self._members(head))

    def _copies(self, members: Sequence[int]) -> dict[str, str]:
        """{copy: original} in one copy group, its original chosen as `find_duplicates` does."""
        credited = self._copy_index.credited
        first = min(
            members,
            key=lambda m: (self._sort_key(m)[:2], -credited.get(m, 0), self._ids[m]),
        )
        return {self._ids[m]: self._ids[first] for m in members if m != first}

    def _story_group(self, head: int) -> StoryGroup:
        members = sorted(self._members(head), key=self._sort_key)
        duplicate_of: dict[str, str] = {}
        for root in {self._root(m) for m in members} & self._copy_index.group.keys():
            duplicate_of.update(self._copies(self._copy_index.group[root]))
        return StoryGroup(
            id=self._story_id_of(head),
            article_ids=[self._ids[m] for m in members],
            duplicate_of=dict(sorted(duplicate_of.items())),
        )


def _without(
    state: dict[str, Any], keep: np.ndarray, keep_clusters: np.ndarray, width: int
) -> dict[str, Any]:
    """`StoryIndex._state` less the articles and clusters not kept, those kept numbered anew
    in the same order (so every order among them, and with it every tie-break, stays).

    What `release` drops is whole stories and copy groups of retired articles: in no posting
    (purged when retired), term or name row (emptied), shingle set (emptied) or link (their
    clusters are frozen), so none of those needs more than renumbering."""
    kept = np.flatnonzero(keep)
    new = np.cumsum(keep) - 1  # old number -> new (for kept ones)
    new_cluster = np.cumsum(keep_clusters) - 1
    at = kept.tolist()
    renumber = new.tolist()
    recluster = new_cluster.tolist()
    out = dict(state)

    def pick(items: Sequence[Any]) -> list[Any]:
        return [items[n] for n in at]

    def renumbered(first: int) -> int:
        """The new number of the first kept article numbered `first` or more."""
        return int(np.count_nonzero(kept < first))

    def rows_from(first: int) -> np.ndarray:
        """Of arrays holding a row per article from number `first` on: the kept rows."""
        return kept[kept >= first] - first

    def postings(packed: tuple[bytes, ...]) -> tuple[bytes, ...]:
        ids = np.frombuffer(packed[1], np.int32)
        assert keep[ids].all(), "a released article still has postings"
        return (packed[0], new[ids].astype(np.int32).tobytes(), *packed[2:])

    for key in ("ids", "published", "sources", "credit", "traits"):
        out[key] = pick(state[key])
    lengths = np.frombuffer(state["shingles"][0], np.int64)[kept]
    out["shingles"] = (lengths.tobytes(), *state["shingles"][1:])
    base = state["signature_base"]
    signatures = np.frombuffer(state["signatures"], np.uint32)
    signatures = signatures.reshape(-1, width)  # a row per article from number `base` on
    out["signatures"] = signatures[rows_from(base)].tobytes()
    out["signature_base"] = renumbered(base)
    out["parent"] = [renumber[state["parent"][n]] for n in at]
    for root, members in state["group"].items():
        assert keep[[root, *members]].all() or not keep[members].any(), "a copy group split"
    out["group"] = {
        renumber[root]: [renumber[m] for m in members]
        for root, members in state["group"].items()
        if keep[root]
    }
    out["bridges"] = [
        (renumber[a], renumber[b], renumber[by]) for a, b, by in state["bridges"] if keep[by]
    ]
    out["credited"] = {renumber[n]: c for n, c in state["credited"].items() if keep[n]}
    out["lsh"] = postings(state["lsh"])
    out["cluster_of"] = [recluster[state["cluster_of"][n]] for n in at]
    # term rows: (idx, tf, w, start, length, norm, ...): start and length int64, norm float
    for key in ("text", "names"):
        packed = state[key]
        starts = np.frombuffer(packed[3], np.int64)[kept]
        lengths_ = np.frombuffer(packed[4], np.int64)[kept]
        norms = np.frombuffer(packed[5], np.float64)[kept]
        out[key] = (*packed[:3], starts.tobytes(), lengths_.tobytes(), norms.tobytes(), *packed[6:])
    out["postings"] = postings(state["postings"])
    out["name_postings"] = postings(state["name_postings"])
    out["clusters"] = [
        (
            [renumber[n] for n in originals],
            [renumber[n] for n in copies],
            first,
            last,
            [(recluster[k], w) for k, w in links],
        )
        for (originals, copies, first, last, links), held in zip(
            state["clusters"], keep_clusters.tolist(), strict=True
        )
        if held
    ]
    out["stories"] = [
        [recluster[k] for k in members] for members in state["stories"] if keep_clusters[members[0]]
    ]
    out["reported"] = {sid: renumber[n] for sid, n in state["reported"].items() if keep[n]}
    out["unreported"] = [recluster[k] for k in state["unreported"] if keep_clusters[k]]
    out["low"] = renumbered(state["low"])
    out["stamps"] = np.frombuffer(state["stamps"], np.int64)[rows_from(state["low"])].tobytes()
    horizon, filed, live = state["swept"]
    out["swept"] = (horizon, renumbered(filed), live)
    frozen = np.frombuffer(state["frozen"], np.uint8)
    out["frozen"] = frozen[keep_clusters[: len(frozen)]].tobytes()
    return out


def _heaviest(which: np.ndarray, weights: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` heaviest entries of each row (entries come row after row),
    row by row, heaviest first, ties to the earlier entry."""
    order = np.lexsort((-weights, which))  # stable: ties keep the earlier entry first
    rank = np.arange(len(order)) - np.searchsorted(which[order], which[order])
    return order[rank < count]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: while an index grows it would scan its millions of
    objects again and again (a third of the time at 5k articles), and none is cyclic garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _day_key(day: int | None, article_id: str) -> tuple[int, int, str]:
    """`_sort_key` on a publication day as an ordinal."""
    return (1, 0, article_id) if day is None else (0, day, article_id)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted arrays of distinct hashes."""
    if not len(a) or not len(b):
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


class _PlainUnpickler(pickle.Unpickler):
    """Loads plain data only: a saved index never names a class or function to call."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refused {module}.{name}: a story index is plain data")


def _story_options(options: Options) -> tuple[float, int, float, int | None]:
    return (
        options.story_threshold,
        options.story_max_days,
        options.duplicate_threshold,
        options.story_window_days,
    )


def _pack_rows(rows: Sequence[tuple[np.ndarray, ...]], columns: int) -> tuple[bytes, ...]:
    """Rows of parallel arrays as one lengths array and one concatenation per column."""
    lengths = np.fromiter((len(r[0]) for r in rows), np.int64, len(rows))
    joined = (b"".join(r[k].tobytes() for r in rows) for k in range(columns))
    return (lengths.tobytes(), *joined)


def _unpack_rows(packed: tuple[bytes, ...], dtypes: tuple[type, ...]) -> list[Any]:
    lengths = np.frombuffer(packed[0], np.int64)
    bounds = np.concatenate(([0], np.cumsum(lengths))).tolist()
    columns: list[np.ndarray] = [
        np.frombuffer(data, dtype).copy() for data, dtype in zip(packed[1:], dtypes, strict=True)
    ]
    return [tuple(c[bounds[k] : bounds[k + 1]] for c in columns) for k in range(len(lengths))]


def _trait_data(traits: _Traits) -> tuple[object, ...]:
    central, counts = traits.people
    return (
        traits.named,
        central,
        dict(counts),
        sorted(d.toordinal() for d in traits.days),
        sorted(traits.figures),
        traits.published.toordinal() if traits.published else None,
    )


def _trait_of(data: tuple[Any, ...]) -> _Traits:
    named, central, counts, days, figures, published = data
    return _Traits(
        named=named,
        people=(central, Counter(counts)),
        days=frozenset(date.fromordinal(d) for d in days),
        figures=frozenset((float(v), str(u)) for v, u in figures),
        published=date.fromordinal(published) if published is not None else None,
    )
