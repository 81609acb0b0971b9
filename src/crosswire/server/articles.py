"""The API's article routes (`/api/v1/articles...`): the list in the order articles were
added, and one article with its text."""

from __future__ import annotations

from fastapi import APIRouter

from crosswire.server.deps import API_PREFIX, State
from crosswire.server.schemas import ERRORS_DOC, ArticleOut, Limit, Offset, Page, article_out

router = APIRouter(prefix=f"{API_PREFIX}/articles", tags=["articles"])


@router.get("", response_model=Page[ArticleOut])
def api_articles(state: State, limit: Limit = 50, offset: Offset = 0) -> Page[ArticleOut]:
    """Articles in the order they were added (text left out; ask for one to get it)."""
    items, total = state.store.article_page(limit, offset)
    _, story_of = state.summaries()
    return Page[ArticleOut](
        total=total,
        limit=limit,
        offset=offset,
        items=[article_out(a, story_of.get(a.id), text=False) for a in items],
    )


@router.get("/{article_id}", response_model=ArticleOut, responses=ERRORS_DOC)
def api_article(state: State, article_id: str) -> ArticleOut:
    article = state.need_article(article_id)
    _, story_of = state.summaries()
    return article_out(article, story_of.get(article.id), text=True)
