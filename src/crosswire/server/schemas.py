"""The REST API's shapes: its request and response models, paging, and the error answer
(`ApiProblem` raised anywhere in the app, answered by `problems`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from crosswire.models import Article, InputError
from crosswire.store import StorySummary

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

MAX_PAGE = 200
# Module level, not inside a function: FastAPI resolves the (string) annotations of an
# endpoint in its module's globals, so each router imports these at its top.
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]


class Page(BaseModel, Generic[T]):
    """One page of a list: `items` from `offset`, at most `limit`, out of `total`."""

    total: int
    limit: int
    offset: int
    items: list[T]


class ApiError(BaseModel):
    error: str = Field(description="What went wrong, in one sentence.")
    status: int


class StoryOut(BaseModel):
    id: str
    title: str
    outlets: int
    articles: int
    disputed: int = Field(description="Claims outlets disagree on.")
    conflicts: int
    single_source: int = Field(description="Claims only one outlet makes.")
    newest: Any = Field(default=None, description="Latest publication date among its articles.")
    updated_at: datetime | None = None
    version: str = Field(description="Changes whenever the story does.")
    entities: list[str]


class ArticleOut(BaseModel):
    id: str
    source: str
    title: str
    url: str | None
    published: Any = None
    published_inferred: bool
    language: str | None
    story_id: str | None
    boilerplate_removed: list[str]
    text: str | None = Field(default=None, description="Only when one article is asked for.")


class StoryVersion(BaseModel):
    id: str
    version: str


class UrlsIn(BaseModel):
    urls: list[str] = Field(description="Article or feed URLs; feeds are expanded.")


class TextIn(BaseModel):
    """One article given as its text (pasted), with what a file would have told."""

    text: str = Field(min_length=1, max_length=2_000_000, description="The article's text.")
    outlet: str = Field(min_length=1, max_length=200, description="Who published it.")
    title: str = Field(default="", max_length=1000)
    published: date | None = Field(
        default=None, strict=True, description="Publication date, YYYY-MM-DD."
    )  # strict: a number is not a date (lax mode reads 0 as 1970-01-01)
    url: str | None = Field(default=None, max_length=2000)


JobState = Literal["queued", "running", "done", "failed"]


class JobOut(BaseModel):
    id: str
    kind: Literal["upload", "urls", "text"]
    state: JobState
    stage: str = ""
    done: int = 0
    total: int = 0
    inputs: list[str] = Field(default_factory=list, description="File names or URLs.")
    articles_read: int = 0
    errors: list[InputError] = Field(default_factory=list)
    story_ids: list[str] = Field(default_factory=list, description="Stories its articles joined.")
    message: str = ""
    created_at: datetime


ERRORS_DOC: dict[int | str, dict[str, Any]] = {
    404: {"model": ApiError, "description": "Not found"},
    422: {"model": ApiError, "description": "Invalid request"},
}
"""The error answers documented on the reads that look something up."""


def out_of(model: type[M], source: object, **given: Any) -> M:
    """`model` filled from `source`: each field from `given`, else from the attribute of
    the same name (what the API answers is what is stored, less what it keeps to itself)."""
    shared = {name: getattr(source, name) for name in model.model_fields if name not in given}
    return model(**shared, **given)


def story_out(s: StorySummary) -> StoryOut:
    return out_of(StoryOut, s)


def article_out(a: Article, story_id: str | None, *, text: bool) -> ArticleOut:
    return out_of(ArticleOut, a, story_id=story_id, text=a.text if text else None)


def page_of(items: Sequence[T], limit: int, offset: int) -> Page[T]:
    return Page[T](
        total=len(items), limit=limit, offset=offset, items=list(items[offset : offset + limit])
    )


class ApiProblem(Exception):
    """An error answered as JSON (API) or as an error page (browser), with its status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_error(status: int, message: str) -> JSONResponse:
    return JSONResponse(ApiError(error=message, status=status).model_dump(), status_code=status)
