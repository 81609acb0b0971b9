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
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import scipy.sparse as sp
from datasketch import MinHash, MinHashLSH
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from crosswire.models import Article, ArticleAnalysis, StoryGroup
from crosswire.options import Options

__all__ = ["find_duplicates", "group_stories", "story_title"]

NUM_PERM = 128
SHINGLE_WORDS = 5

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


def _credits(copy: Article, source: str) -> bool:
    """Whether `copy` credits `source` as wire copy does: "(Reuters)", "— AP", "via AFP".

    The source's initials count too ("(VPA)" credits Veldara Press Agency), matched in capitals.
    """
    name = source.strip()
    if not name:
        return False
    lead = r"(?:\(\s*|[—–-]\s*|\bvia\s+|\bsource:\s*)"
    if re.search(rf"{lead}{re.escape(name)}\b", copy.text, flags=re.IGNORECASE):
        return True
    words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper() and w != "The"]
    initials = "".join(w[0] for w in words)
    return len(initials) >= 2 and re.search(rf"{lead}{initials}\b", copy.text) is not None


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
    lsh = MinHashLSH(threshold=options.duplicate_threshold, num_perm=NUM_PERM)
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


def _similarity(text: float, names: float, both_named: bool, a: _Traits, b: _Traits) -> float:
    """Similarity (0..1) of two articles from their text and name cosines: names count when
    both articles have some, a conflict of names cuts it, shared days and figures lift it."""
    sim = TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * names if both_named else text
    if _different_people(a.people, b.people) or (
        names == 0.0 and min(a.named, b.named) >= CONFLICT_NAMES
    ):
        sim = CONFLICT_FACTOR * sim
    boost = TIME_BOOST if a.days & b.days else 0.0
    boost += NUMBER_BOOST * min(2, len(a.figures & b.figures))
    return min(1.0, sim + boost)


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
    return {
        (i, j): _similarity(float(t), float(n), bool(b), feats.traits[i], feats.traits[j])
        for (i, j), t, n, b in zip(pairs, text, names, both_named, strict=True)
    }


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
