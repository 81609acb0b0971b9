"""The web app's HTML pages: the story list, a story, an article, the add page, a job's
progress, an outlet's page, and the API's docs page (Swagger UI, served from its wheel so it
works offline).
Pages are Jinja2 templates with autoescape on; the only script is a static file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from crosswire.compare import outlet_profiles
from crosswire.report import status_counts, timeline_chart
from crosswire.server.deps import API_PREFIX, UPLOAD_SUFFIXES, State, found, render
from crosswire.server.schemas import Offset
from crosswire.server.views import Views, article_segments

DOCS_ASSETS = f"{API_PREFIX}/docs-assets"
STORIES_PER_PAGE = 50

router = APIRouter(include_in_schema=False)


def swagger_ui_path() -> Path:
    """Swagger UI's files as shipped in the fastapi-offline wheel (a server dependency), so the
    docs page needs no CDN. Its Swagger UI is 5.x, which reads the OpenAPI 3.1 document FastAPI
    writes (swagger-ui-bundle's 4.x showed "Unable to render this definition")."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


@router.get(f"{API_PREFIX}/docs")
def api_docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=f"{API_PREFIX}/openapi.json",
        title="crosswire API",
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url="data:,",
    )


@router.get("/", response_class=HTMLResponse)
def page_stories(state: State, q: str | None = None, offset: Offset = 0) -> HTMLResponse:
    matched = state.search(q)
    return render(
        "stories.html.j2",
        stories=matched[offset : offset + STORIES_PER_PAGE],
        total=len(matched),
        offset=offset,
        q=q or "",
        page=STORIES_PER_PAGE,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def page_story(state: State, story_id: str) -> HTMLResponse:
    story, version = found(state.store.get_story(story_id), "story", story_id)
    store = state.store
    views = Views(
        story, store.articles_by_id(story.article_ids), store.get_analyses(story.article_ids)
    )
    return render(
        "story.html.j2",
        s=story,
        v=views,
        version=version,
        chart=timeline_chart(story.timeline),
        counts=status_counts(story),
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def page_article(
    state: State, article_id: str, s: Annotated[int, Query(ge=-1)] = -1
) -> HTMLResponse:
    article = state.need_article(article_id)
    analysis = state.store.get_analyses([article.id]).get(article.id)
    _, story_of = state.summaries()
    sid = story_of.get(article.id)
    story = state.store.get_story(sid) if sid else None
    return render(
        "article.html.j2",
        a=article,
        segments=article_segments(article, analysis),
        highlight=s,
        story=story[0] if story else None,
    )


@router.get("/outlets", response_class=HTMLResponse)
def page_outlets(state: State) -> HTMLResponse:
    return render("outlets.html.j2", outlets=state.store.outlet_counts())


@router.get("/outlets/{name}", response_class=HTMLResponse)
def page_outlet(state: State, name: str) -> HTMLResponse:
    """One outlet across stories: its framing profile (as report.json's `outlets` gives it),
    then per story what it reported, what it alone reported, its framing."""
    articles = found(state.store.outlet_articles(name) or None, "outlet", name)
    _, story_of = state.summaries()
    story_ids = list(dict.fromkeys(story_of[a.id] for a in articles if a.id in story_of))
    store = state.store
    parts = []
    sources: dict[str, str] = {}
    copies: dict[str, str] = {}
    for sid in story_ids:
        report = store.story_report(sid)  # the story with its articles' outlets and copies
        if report is None:
            continue
        story = report.stories[0]
        sources.update({a.id: a.source for a in report.articles})
        copies.update({a.id: a.duplicate_of for a in report.articles if a.duplicate_of})
        views = Views(
            story, store.articles_by_id(story.article_ids), store.get_analyses(story.article_ids)
        )
        parts.append(views.outlet_part(name))
    profiles = outlet_profiles([part.story for part in parts], sources, copies)
    profile = next((p for p in profiles if p.outlet == name), None)
    return render(
        "outlet.html.j2",
        outlet=name,
        articles=articles,
        parts=parts,
        profile=profile,
        unfiled=[a for a in articles if a.id not in story_of],
    )


@router.get("/add", response_class=HTMLResponse)
def page_add(state: State) -> HTMLResponse:
    return render(
        "add.html.j2",
        needs_token=state.token is not None,
        suffixes=", ".join(UPLOAD_SUFFIXES),
        limit=state.max_upload_bytes,
    )


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def page_job(state: State, job_id: str) -> HTMLResponse:
    job = found(state.worker.jobs.get(job_id), "job", job_id)
    items, _ = state.summaries()
    titles = {s.id: s.title for s in items}
    return render("job.html.j2", job=job.out(), titles=titles)
