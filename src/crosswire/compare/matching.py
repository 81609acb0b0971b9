"""Matching: what lines up across the articles of one story. The `StoryContext` every comparison
shares (the sentences that can carry a claim, their similarity space and candidate pairs, the
outlet each article counts as), the families of sentences across outlets that state the same
thing (`sentence_families`), and the story's entities merged across articles by the same
alias rules (`story_entities`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from crosswire.embed import SentenceSpace
from crosswire.language import language_of
from crosswire.language.aliases import translated
from crosswire.language.entities import fold, is_heading, same_entity
from crosswire.models import (
    Article,
    ArticleAnalysis,
    Sentence,
    StoryEntity,
    StoryGroup,
)
from crosswire.options import Options

__all__ = [
    "WORD",
    "StoryContext",
    "build_context",
    "components",
    "outlet_of",
    "sentence_families",
    "short_id",
    "story_entities",
]

WORD = re.compile(r"[\w’'-]+")


def components(nodes: int, edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    """The groups of two or more of `range(nodes)` that `edges` connect, each in ascending
    order, ordered by their first member (scipy's connected components, singletons left out)."""
    if not edges:
        return []
    rows, cols = zip(*edges, strict=True)
    graph = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(nodes, nodes))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = defaultdict(list)
    for i, label in enumerate(labels.tolist()):
        groups[label].append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def outlet_of(
    article: Article, articles: Mapping[str, Article], duplicates: Mapping[str, str]
) -> str:
    """The outlet an article counts as: a syndicated copy counts as its original's outlet."""
    original = articles.get(duplicates.get(article.id, article.id), article)
    return fold(original.source) or original.id


def short_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


@dataclass
class StoryContext:
    """Everything about one story the comparisons share (claims, conflicts, framing)."""

    group: StoryGroup
    articles: dict[str, Article]
    analyses: dict[str, ArticleAnalysis]
    outlet: dict[str, str]
    options: Options
    units: list[tuple[str, Sentence]] = field(default_factory=list)
    index: dict[tuple[str, int], int] = field(default_factory=dict)
    space: SentenceSpace = field(default_factory=lambda: SentenceSpace([], []))
    pairs: dict[tuple[int, int], float] = field(default_factory=dict)
    """Candidate sentence pairs (blocking): each sentence's nearest neighbours above a floor."""

    def sentence_sim(self, a: tuple[str, int], b: tuple[str, int]) -> float:
        i, j = self.index.get(a), self.index.get(b)
        if i is None or j is None:
            return 0.0
        if i == j:
            return 1.0
        known = self.pairs.get((min(i, j), max(i, j)))
        return known if known is not None else self.space.sim(i, j)

    def text(self, article_id: str, sentence: int) -> str:
        sentences = self.analyses[article_id].sentences
        return sentences[sentence].text if 0 <= sentence < len(sentences) else ""

    def outlets(self, article_ids: Sequence[str]) -> int:
        return len({self.outlet[a] for a in article_ids})

    def candidate_mention_pairs(
        self, mentions: Sequence[tuple[str, int]]
    ) -> Iterator[tuple[int, int]]:
        """Pairs of mentions (given as (article, sentence)) whose sentences are candidates:
        neighbours in `pairs`, or the same sentence. Never all pairs."""
        by_unit: dict[int, list[int]] = defaultdict(list)
        for m, key in enumerate(mentions):
            unit = self.index.get(key)
            if unit is not None:
                by_unit[unit].append(m)
        for ms in by_unit.values():
            for x in range(len(ms)):
                for y in range(x + 1, len(ms)):
                    yield ms[x], ms[y]
        for u, v in self.pairs:
            for a in by_unit.get(u, ()):
                for b in by_unit.get(v, ()):
                    yield (a, b) if a < b else (b, a)


# The lowest similarity any comparison below asks of two sentences: the blocking floor.
_PAIR_FLOOR = 0.2


def _claimable(sentence: Sentence) -> bool:
    words = WORD.findall(sentence.text)
    return len(words) >= 5 and not is_heading(sentence.text) and not sentence.text.endswith("?")


def build_context(
    group: StoryGroup,
    articles: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
) -> StoryContext:
    ids = [a for a in group.article_ids if a in analyses]
    ctx = StoryContext(
        group=group,
        articles={a: articles[a] for a in ids},
        analyses={a: analyses[a] for a in ids},
        outlet={a: outlet_of(articles[a], articles, group.duplicate_of) for a in ids},
        options=options,
    )
    for aid in ids:
        for sentence in analyses[aid].sentences:
            if _claimable(sentence):
                ctx.index[(aid, sentence.index)] = len(ctx.units)
                ctx.units.append((aid, sentence))
    ctx.space = SentenceSpace([s.lemmas for _, s in ctx.units], [s.text for _, s in ctx.units])
    ctx.pairs = ctx.space.pairs(_PAIR_FLOOR)
    return ctx


# --------------------------------------------------------------------------- entities


@dataclass
class _EntityCluster:
    type: str
    names: set[str] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)
    articles: set[str] = field(default_factory=set)
    titles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    types: Counter[str] = field(default_factory=Counter)
    languages: set[str] = field(default_factory=set)

    def matches(self, name: str, kind: str, language: str | None) -> bool:
        if any(same_entity(name, kind, n, self.type) for n in self.names):
            return True
        # a name from an article in another language may be a translation of one of ours
        return bool(language and self.languages - {language}) and any(
            translated(name, kind, n, self.type) for n in self.names
        )


def _other_person(name: str, names: set[str]) -> bool:
    """Whether `names` hold another person of the same surname ("Brenda Dolan" for "Steven
    Dolan"): the surname alone, an alias of both, must not make husband and wife one."""
    words = fold(name).split()
    if len(words) < 2:
        return False
    for other in names:
        theirs = fold(other).split()
        if len(theirs) >= 2 and theirs[-1] == words[-1] and theirs[0] != words[0]:
            if not (theirs[0][0] == words[0][0] and min(len(theirs[0]), len(words[0])) <= 2):
                return True  # "S. Dolan" may be Steven; "Brenda" may not
    return False


def story_entities(ctx: StoryContext) -> list[StoryEntity]:
    """The articles' entities merged across the story by the same alias rules."""
    clusters: list[_EntityCluster] = []
    exact: dict[str, _EntityCluster] = {}
    pairs = [(aid, ent) for aid, analysis in ctx.analyses.items() for ent in analysis.entities]
    pairs.sort(key=lambda p: (-len(p[1].name.split()), -len(p[1].mentions), p[1].name, p[0]))
    language = {aid: language_of(ctx.articles[aid], ctx.analyses[aid]) for aid in ctx.analyses}
    for aid, ent in pairs:
        names = [ent.name, *ent.aliases]
        # most names recur verbatim across a story: look those up before testing aliases
        target = exact.get(fold(ent.name)) or next(
            (
                c
                for c in clusters
                if any(c.matches(n, ent.type, language[aid]) for n in names)
                and not (ent.type == "PERSON" and _other_person(ent.name, c.names))
            ),
            None,
        )
        if target is None:
            target = _EntityCluster(type=ent.type)
            clusters.append(target)
        for name in [ent.name, *ent.aliases]:
            exact.setdefault(fold(name), target)
        target.names.add(ent.name)
        target.names.update(ent.aliases)
        target.counts[ent.name] += len(ent.mentions)
        target.articles.add(aid)
        if (lang := language[aid]) is not None:
            target.languages.add(lang)
        titles = target.titles[aid]
        titles.extend(t for t in ent.titles if t not in titles)
        target.types[ent.type] += len(ent.mentions)
    out = []
    for c in clusters:
        longest = max(len(n.split()) for n in c.counts)
        name = max(
            (n for n in c.counts if len(n.split()) == longest), key=lambda n: (c.counts[n], n)
        )
        out.append(
            StoryEntity(
                name=name,
                # the type most mentions carry: spaCy types one name differently from one
                # sentence to the next, and one stray reading should not rename the whole
                type=max(sorted(c.types), key=lambda t: c.types[t]),
                aliases=sorted(c.names - {name}),
                article_ids=sorted(c.articles),
                titles={k: v for k, v in sorted(c.titles.items()) if v},
            )
        )
    out.sort(key=lambda e: (-len(e.article_ids), e.name))
    return out


def sentence_families(ctx: StoryContext) -> list[list[int]]:
    """Groups of indices into `ctx.units` stating the same thing, at most one sentence per
    article (a lone sentence may join its own article's group, see below): the claims."""
    n = len(ctx.units)
    threshold = ctx.options.claim_threshold
    pairs = sorted(
        (
            (sim, i, j)
            for (i, j), sim in ctx.pairs.items()
            if sim >= threshold and ctx.units[i][0] != ctx.units[j][0]
        ),
        reverse=True,
    )
    parent = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    articles: dict[int, set[str]] = {i: {ctx.units[i][0]} for i in range(n)}
    vectors = {i: ctx.space.group_vector([i]) for i in {x for _, a, b in pairs for x in (a, b)}}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in pairs:
        ri, rj = find(i), find(j)
        if ri == rj or articles[ri] & articles[rj]:
            continue
        # average link: the groups must agree as wholes, not through one bridging pair
        mean = ctx.space.group_sim(vectors[ri], len(members[ri]), vectors[rj], len(members[rj]))
        if mean < threshold * 0.85:
            continue
        parent[rj] = ri
        members[ri].extend(members.pop(rj))
        articles[ri] |= articles.pop(rj)
        (lex_i, dense_i), (lex_j, dense_j) = vectors[ri], vectors.pop(rj)
        vectors[ri] = (
            lex_i + lex_j,
            None if dense_i is None or dense_j is None else dense_i + dense_j,
        )
    # A sentence left alone only because its article already sits in the matching claim
    # ("Maduro confirmed on Wednesday that he recently spoke with Trump" beside the same
    # article's other sentence on the call) still says what other outlets say: it joins
    # that claim as a further source, so it is never reported as one outlet's fact.
    best: dict[int, tuple[float, int]] = {}
    for sim, i, j in pairs:
        for lone, other in ((i, j), (j, i)):
            if len(members.get(lone, ())) == 1 and sim > best.get(lone, (0.0, -1))[0]:
                best[lone] = (sim, other)
    for lone, (_, other) in best.items():
        target = find(other)
        if lone not in members or len(members[lone]) != 1 or target == lone:
            continue
        if len(articles[target]) < 2:
            continue  # only claims other outlets share
        centre = vectors.get(target) or ctx.space.group_vector(members[target])
        mean = ctx.space.group_sim(ctx.space.group_vector([lone]), 1, centre, len(members[target]))
        if mean >= threshold * 0.85:
            members[target].append(lone)
            members.pop(lone)
    return [sorted(m) for m in members.values()]
