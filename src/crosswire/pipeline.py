"""The whole job, stage by stage: ingest -> clean -> language -> stories -> compare -> synthesis.

Each stage is a function of data; this module only calls them in order, keeps the store in
step, and reports progress.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from crosswire.clean import clean_articles
from crosswire.compare import compare_story, outlet_profiles
from crosswire.executors import DEFAULT_CHUNK, MIN_PARALLEL_ARTICLES, Executor, chunked
from crosswire.inputs import read_inputs
from crosswire.language import analyze_article
from crosswire.models import (
    Article,
    ArticleAnalysis,
    InputError,
    Report,
    ReportArticle,
    Story,
    StoryGroup,
)
from crosswire.options import Options
from crosswire.stories import (
    PreparedArticle,
    StoryIndex,
    find_duplicates,
    group_stories,
    join_across_languages,
    prepare_articles,
    story_title,
)
from crosswire.synthesis.brief import synthesize

if TYPE_CHECKING:
    from crosswire.store import Store

__all__ = [
    "Progress",
    "analyze",
    "analyze_and_prepare_chunk",
    "analyze_articles_to_report",
    "analyze_chunk",
    "analyze_into_store",
    "analyze_many",
    "file_chunk",
    "file_stories",
    "prepare_chunk",
    "read_and_clean",
    "stream_stories",
]

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): called as work advances."""

STORY_INDEX_KEY = "story_index"
"""Where the story index is kept in the store's meta table."""


def _quiet(stage: str, done: int, total: int) -> None:
    del stage, done, total


def read_and_clean(
    inputs: Sequence[Path | str],
    options: Options,
    executor: Executor | None = None,
    *,
    source: str | None = None,
) -> tuple[list[Article], list[InputError]]:
    """Read every input (files, folders, http(s) URLs) and clean the articles found (the
    pages of WARC files extracted in the `executor`'s workers, when it has more than one);
    `source` names the outlet of articles no manifest names (`--source`)."""
    articles: list[Article] = []
    errors: list[InputError] = []
    map_chunks = executor.map if executor is not None and executor.workers > 1 else None
    for item in read_inputs(inputs, options, map_chunks, source=source):
        if isinstance(item, InputError):
            errors.append(item)
        else:
            articles.append(item)
    return clean_articles(articles, options), errors


def with_inferred_dates(article: Article, analysis: ArticleAnalysis) -> Article:
    """The article with what its analysis read from the text: an inferred publication date
    (marked as such) when it had none, its language when it had none."""
    if article.published is None and analysis.published_inferred is not None:
        return article.model_copy(
            update={"published": analysis.published_inferred, "published_inferred": True}
        )
    if analysis.language and article.language is None:
        return article.model_copy(update={"language": analysis.language})
    return article


def analyze_articles_to_report(
    articles: Sequence[Article],
    options: Options,
    *,
    analyses: dict[str, ArticleAnalysis] | None = None,
    errors: Sequence[InputError] = (),
    progress: Progress = _quiet,
    index: StoryIndex | None = None,
    executor: Executor | None = None,
) -> tuple[Report, dict[str, str], dict[str, ArticleAnalysis]]:
    """Articles (already cleaned) to a report; `analyses` holds ones already computed.

    With `index`, the articles it has not filed yet are filed into it and its stories are
    reported (it is updated in place); without, the articles are grouped in one batch.
    With `executor` (crosswire.executors), the language stage runs in its workers; everything
    after it stays here, so the report is the same.
    """
    known = dict(analyses or {})
    todo = [a for a in articles if a.id not in known]
    if executor is not None and executor.workers > 1:
        if len(todo) >= MIN_PARALLEL_ARTICLES:

            def advance(done: int) -> None:
                progress("reading articles", done, len(todo))

            known.update(analyze_many(todo, options, executor, progress=advance))
            todo = []
    for i, article in enumerate(todo, 1):
        known[article.id] = analyze_article(article, options)
        progress("reading articles", i, len(todo))
    articles = [with_inferred_dates(a, known[a.id]) for a in articles]
    by_id = {a.id: a for a in articles}
    progress("grouping stories", 0, 1)
    if index is None:
        duplicates = find_duplicates(articles, options)
        groups = group_stories(articles, known, options, duplicates)
    else:
        # no report: every story is read next (ids already filed are passed over)
        index.add(articles, known, report=False)
        duplicates = index.duplicates()
        groups = join_across_languages(index.groups(), by_id, known, options)
    progress("grouping stories", 1, 1)
    stories: list[Story] = []
    story_of: dict[str, str] = {}
    for i, group in enumerate(groups, 1):
        members = [by_id[a] for a in group.article_ids]
        story = compare_story(group, by_id, known, options, title=story_title(members))
        stories.append(synthesize(story, by_id, known, options))
        story_of.update({a: group.id for a in group.article_ids})
        progress("comparing outlets", i, len(groups))
    stories.sort(key=lambda s: (-s.outlets, -len(s.article_ids), s.id))
    report = Report(
        generated_at=datetime.now(UTC),
        articles=[
            ReportArticle.of(a, story_id=story_of.get(a.id), duplicate_of=duplicates.get(a.id))
            for a in articles
        ],
        stories=stories,
        errors=list(errors),
        outlets=outlet_profiles(stories, {a.id: a.source for a in articles}, duplicates),
    )
    return report, duplicates, known


def analyze(
    inputs: Sequence[Path | str],
    options: Options | None = None,
    *,
    db: str | None = None,
    progress: Progress = _quiet,
    executor: Executor | None = None,
    source: str | None = None,
    on_read: Callable[[list[Article], list[InputError]], None] | None = None,
) -> Report:
    """Read, analyse and compare `inputs`; with `db`, add them to the stored corpus first and
    report on every stored story. `on_read` is told what this run read (before any analysis:
    the CLI says how outlets were decided, and refuses a run that read nothing). New articles are filed into the story index kept in the
    store (built from every stored article when there is none, or it was built with other
    story options), so they join the stories they belong to without regrouping the rest."""
    options = options or Options()
    articles, errors = read_and_clean(inputs, options, executor, source=source)
    if on_read is not None:
        on_read(articles, errors)
    if db is None:
        report, _, _ = analyze_articles_to_report(
            articles, options, errors=errors, progress=progress, executor=executor
        )
        return report
    from crosswire.store import Store

    with Store(db) as store:
        return analyze_into_store(
            articles, options, store, errors=errors, progress=progress, executor=executor
        )


def analyze_into_store(
    articles: Sequence[Article],
    options: Options,
    store: Store,
    *,
    errors: Sequence[InputError] = (),
    progress: Progress = _quiet,
    executor: Executor | None = None,
) -> Report:
    """`analyze --db` for articles already read and cleaned (`crosswire watch` reads its own):
    store the new ones, analyse what the store has not analysed yet, file it into the stored
    story index and report on every stored story.

    Two steps, each one transaction, so a kill at any moment loses nothing that a rerun does
    not redo: the articles (stored once by content), then the analyses, stories and story
    index together (never stories without the index that made them)."""
    store.add_articles(articles)
    known: dict[str, ArticleAnalysis] = {}
    while True:
        # The index first: a run saved after this read is caught by save_run below, and one
        # saved before it stored its articles before it, so they are read too.
        saved_index = store.get_meta(STORY_INDEX_KEY)
        stored = store.get_articles()
        analyses = store.get_analyses()
        index = _stored_index(saved_index, stored, options)
        report, duplicates, known = analyze_articles_to_report(
            stored,
            options,
            analyses={**known, **analyses},
            errors=errors,
            progress=progress,
            index=index,
            executor=executor,
        )
        # Saved only if no other process (a server, `watch`) saved its own run meanwhile; else
        # start again from what is stored now, its articles included.
        if store.save_run(
            [known[a.id] for a in stored if a.id not in analyses],
            report.stories,
            duplicates,
            {STORY_INDEX_KEY: index.to_bytes()},
            unchanged={STORY_INDEX_KEY: saved_index},
        ):
            return report


def _stored_index(data: bytes | None, stored: Sequence[Article], options: Options) -> StoryIndex:
    """The saved story index, or a new one when there is none or it cannot serve: saved by
    another version, with other story options, or holding articles the store no longer has
    (a new index then files every stored article, which groups them as batch would)."""
    if data is not None:
        try:
            index = StoryIndex.from_bytes(data, options)
        except ValueError:
            pass
        else:
            if sum(a.id in index for a in stored) == len(index):  # holds only stored articles
                return index
    return StoryIndex(options)


# --------------------------------------------------------------------------- stage functions
# Top-level functions (with `functools.partial` for options), so that every executor can
# send them to its workers by reference.


def analyze_chunk(articles: list[Article], options: Options) -> list[ArticleAnalysis]:
    """The language stage for a chunk of (cleaned) articles."""
    return [analyze_article(article, options) for article in articles]


def prepare_chunk(
    pairs: list[tuple[Article, ArticleAnalysis | None]], options: Options
) -> list[PreparedArticle]:
    """The story index's per-article preparation for a chunk, in the chunk's order."""
    articles = [article for article, _ in pairs]
    analyses = {a.article_id: a for _, a in pairs if a is not None}
    by_id = {p.id: p for p in prepare_articles(articles, analyses, options)}
    return [by_id[a.id] for a in articles]


def analyze_and_prepare_chunk(
    articles: list[Article], options: Options
) -> list[tuple[ArticleAnalysis, PreparedArticle]]:
    """All of each article's stateless work in one trip to a worker: language analysis, then
    the story index's preparation (with the publication date inferred from the text, as the
    pipeline files it)."""
    analyses = analyze_chunk(articles, options)
    dated = [with_inferred_dates(a, x) for a, x in zip(articles, analyses, strict=True)]
    prepared = prepare_chunk(list(zip(dated, analyses, strict=True)), options)
    return list(zip(analyses, prepared, strict=True))


def file_chunk(
    index: StoryIndex,
    prepared: list[PreparedArticle],
    on_release: Callable[[list[StoryGroup]], None] | None,
) -> None:
    # no report: the caller reads the stories from the index (regrouped when read)
    index.add_prepared(prepared, report=False)
    if on_release is not None and (released := index.release()):
        on_release(released)


def stream_stories(
    articles: Iterable[Article],
    options: Options,
    executor: Executor,
    index: StoryIndex,
    *,
    chunk_size: int = 100,
    on_release: Callable[[list[StoryGroup]], None] | None = None,
) -> Iterator[ArticleAnalysis]:
    """Analyse a stream of (cleaned) articles in the workers and file each chunk into `index`
    here, in input order; yields each analysis once its article is filed (to store, or drop:
    nothing is kept here but the index and `in_flight` chunks).

    With a window (`options.story_window_days`) and `on_release`, stories that can no longer
    change are handed to `on_release` and dropped from the index (`StoryIndex.release`), so
    the index too stays the size of the window however long the stream."""
    stage = partial(analyze_and_prepare_chunk, options=options)
    for results in executor.map(stage, chunked(articles, chunk_size)):
        file_chunk(index, [prepared for _, prepared in results], on_release)
        yield from (analysis for analysis, _ in results)


def analyze_many(
    articles: Sequence[Article],
    options: Options,
    executor: Executor,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None,
) -> dict[str, ArticleAnalysis]:
    """`analyze_article` for every article through `executor`; {article id: analysis}."""
    known: dict[str, ArticleAnalysis] = {}
    stage = partial(analyze_chunk, options=options)
    for analyses in executor.map(stage, chunked(articles, chunk_size)):
        known.update((a.article_id, a) for a in analyses)
        if progress is not None:
            progress(len(known))
    return known


def file_stories(
    items: Iterable[tuple[Article, ArticleAnalysis | None]],
    options: Options,
    executor: Executor,
    *,
    chunk_size: int = 100,
    index: StoryIndex | None = None,
    on_release: Callable[[list[StoryGroup]], None] | None = None,
) -> StoryIndex:
    """Stream (article, analysis) pairs into a story index: preparation in the workers, filing
    in this process (the single writer), one `add_prepared` per chunk, in input order.

    The index depends on how articles are batched into `add_prepared` (document frequencies
    are counted per batch), so the result is the same for every executor given the same
    `chunk_size`, and memory holds only the index plus `in_flight` chunks. `on_release` as in
    `stream_stories`: the stories are then those it was given plus the index's `groups()`."""
    index = index if index is not None else StoryIndex(options)
    stage = partial(prepare_chunk, options=options)
    for prepared in executor.map(stage, chunked(items, chunk_size)):
        file_chunk(index, prepared, on_release)
    return index
