"""The web app's pages and API for issue 26: an outlet's page, a story's CSV, pasted text with
its outlet and date, job states that say what happened, and an OpenAPI document that
validates."""

from __future__ import annotations

import csv
import html
import io
import sys
import time
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="needs the server extra (pip install 'crosswire[server]')")

from fastapi.testclient import TestClient

from crosswire.models import Article, InputError
from crosswire.options import Options
from crosswire.pipeline import analyze
from crosswire.server.app import create_app
from crosswire.server.worker import Job, describe_error, job_outcome
from crosswire.tables import CSV_COLUMNS

DEMO = Path(__file__).parent.parent / "examples" / "harbour-fire"
LOCAL = ("127.0.0.1", 50000)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seed") / "demo.db"
    analyze([DEMO], Options(), db=str(db))
    return db


@pytest.fixture(scope="module")
def client(seeded: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(seeded), token="", isolate_analysis=False), client=LOCAL) as c:
        yield c


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(
        create_app(str(tmp_path / "w.db"), token="", isolate_analysis=False), client=LOCAL
    ) as c:
        yield c


def _fire(client: TestClient) -> dict[str, Any]:
    stories = client.get("/api/v1/stories").json()["items"]
    return next(s for s in stories if "Almera" in s["title"])


def _wait_job(client: TestClient, job_id: str, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def test_openapi_document_validates(client: TestClient) -> None:
    validator = pytest.importorskip("openapi_spec_validator", reason="needs the dev extra")
    document = client.get("/api/v1/openapi.json").json()
    validator.validate(document)
    assert "/api/v1/stories/{story_id}/csv" in document["paths"]
    assert "/api/v1/texts" in document["paths"]


def test_docs_page_uses_a_swagger_ui_that_reads_openapi_3_1(client: TestClient) -> None:
    assert client.get("/api/v1/openapi.json").json()["openapi"].startswith("3.1")
    bundle = client.get("/api/v1/docs-assets/swagger-ui-bundle.js").text
    assert "isOAS31" in bundle  # Swagger UI 5: 4.x cannot render a 3.1 document


def test_story_page_links_each_outlet_to_its_page(client: TestClient) -> None:
    page = client.get(f"/stories/{_fire(client)['id']}").text
    assert 'href="/outlets/The%20Almera%20Herald"' in page
    assert f'href="/api/v1/stories/{_fire(client)["id"]}/csv"' in page


def test_outlet_page_shows_what_it_reported_alone_and_its_framing(client: TestClient) -> None:
    page = client.get("/outlets/Harbourwatch")
    assert page.status_code == 200
    text = page.text
    assert "Only Harbourwatch reported" in text
    assert "the National Labour Inspectorate cited Ostrow" in text  # its single-source claim
    # its framing: every term the story's framing gives for this outlet's article
    report = client.get(f"/api/v1/stories/{_fire(client)['id']}/report").json()
    blog = {a["id"] for a in report["articles"] if a["source"] == "Harbourwatch"}
    terms = [f["term"] for s in report["stories"] for f in s["framing"] if f["article_id"] in blog]
    assert terms and all(html.escape(t, quote=False) in text for t in terms)
    # What another outlet alone reported is not listed as this one's.
    assert "Kessa United" not in text
    clarion = client.get("/outlets/The%20Daily%20Clarion").text
    assert "Union agitator" in clarion and "loaded" in clarion
    assert "the National Labour Inspectorate cited Ostrow" not in clarion.split("All ")[0]
    index = client.get("/outlets").text
    assert 'href="/outlets/Veldara%20Sport"' in index
    missing = client.get("/outlets/Nobody", headers={"accept": "text/html"})
    assert missing.status_code == 404


def test_outlet_page_shows_its_framing_profile_as_the_report_gives_it(client: TestClient) -> None:
    # the demo's outlets are each in one story, so the story report's profiles are theirs
    report = client.get(f"/api/v1/stories/{_fire(client)['id']}/report").json()
    profiles = {p["outlet"]: p for p in report["outlets"]}
    clarion = profiles["The Daily Clarion"]
    assert clarion["own_voice"] >= 5 and clarion["per_article"] > clarion["others_per_article"]
    page = client.get("/outlets/The%20Daily%20Clarion").text
    section = page.split('id="framing-profile"')[1].split('class="outlet-story"')[0]
    assert "Its framing across stories" in section
    assert all(html.escape(t["term"], quote=False) in section for t in clarion["terms"])
    assert "Union agitator" in section and "only this outlet" in section
    assert "Dorin Askell (“Union agitator”" in section  # whom its words frame
    quoted = clarion["quoted_terms"][0]
    assert f"“{quoted['term']}” ({quoted['speakers'][0]})" in section  # the speaker's words
    # the syndicated copy shares its words with the wire it copied
    meridian = client.get("/outlets/Meridian%20Daily").text.split('id="framing-profile"')[1]
    assert "complained" in meridian.split("</table>")[0]
    assert "only this outlet" not in meridian.split("</table>")[0]


def test_story_csv_has_one_row_per_claim_conflict_and_framing(client: TestClient) -> None:
    fire = _fire(client)
    story = client.get(f"/api/v1/stories/{fire['id']}").json()
    answer = client.get(f"/api/v1/stories/{fire['id']}/csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    sections = [r["kind"] for r in rows]
    assert sections.count("claim") == len(story["claims"])
    assert sections.count("conflict") == len(story["conflicts"])
    assert sections.count("framing") == len(story["framing"])
    claim = next(r for r in rows if r["kind"] == "claim" and r["status"] == "single_source")
    assert claim["outlets"] and '"' in claim["citations"] and "sentence" in claim["citations"]
    conflict = next(r for r in rows if r["kind"] == "conflict")
    assert " vs " in conflict["detail"]
    assert client.get("/api/v1/stories/nope/csv").status_code == 404


def test_csv_cells_cannot_run_as_spreadsheet_formulas() -> None:
    from crosswire.models import Claim, ClaimSource, Story
    from crosswire.tables import csv_text, story_csv_rows

    source = ClaimSource(article_id="a", sentence="=HYPERLINK(1)", sentence_index=0)
    claim = Claim(
        id="c", text="=cmd|' /C calc'!A0", sources=[source], outlets=1, status="single_source"
    )
    story = Story(id="s", title="t", article_ids=["a"], claims=[claim])
    (row,) = csv.DictReader(io.StringIO(csv_text(story_csv_rows(story, {}))))
    assert row["text"].startswith("'=")


def test_pasted_text_form_adds_an_article_with_its_outlet_title_and_date(
    fresh: TestClient,
) -> None:
    assert 'action="/add/text"' in fresh.get("/add").text
    text = (DEMO / "vpa-wire.txt").read_text(encoding="utf-8")
    form = fresh.post(
        "/add/text",
        data={
            "text": text,
            "outlet": "Coastline Radio",
            "title": "Warehouse fire kills workers",
            "published": "2025-03-14",
        },
        follow_redirects=False,
    )
    assert form.status_code == 303, form.text
    job = _wait_job(fresh, form.headers["location"].rsplit("/", 1)[1])
    assert job["state"] == "done" and job["kind"] == "text", job
    assert job["stage"].startswith("1 article read into 1 story")
    items = fresh.get("/api/v1/articles").json()["items"]
    assert [(a["source"], a["title"], a["published"]) for a in items] == [
        ("Coastline Radio", "Warehouse fire kills workers", "2025-03-14")
    ]
    page = fresh.get(f"/jobs/{job['id']}").text
    assert 'done</span>: <span id="job-stage">1 article read' in page
    bad = fresh.post("/add/text", data={"text": "x", "outlet": "A", "published": "someday"})
    assert bad.status_code == 422
    api = fresh.post("/api/v1/texts", json={"text": "  ", "outlet": "A"})
    assert api.status_code == 400


def test_job_states_say_what_happened(fresh: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_urls(urls: Sequence[str], options: Options) -> Iterator[Article | InputError]:
        yield InputError(origin=urls[0], message="server answered HTTP 404")

    fake = types.ModuleType("crosswire.inputs.fetch")
    fake.read_urls = read_urls  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crosswire.inputs.fetch", fake)
    form = fresh.post(
        "/add/urls", data={"urls": "https://example.org/gone"}, follow_redirects=False
    )
    job = _wait_job(fresh, form.headers["location"].rsplit("/", 1)[1])
    assert (job["state"], job["stage"]) == ("failed", "404 from example.org")
    assert job["message"] == "404 from example.org"
    page = fresh.get(f"/jobs/{job['id']}").text
    assert 'failed</span>: <span id="job-stage">404 from example.org' in page


def test_job_outcome_words() -> None:
    job = Job(id="j", kind="upload", inputs=["a.txt", "b.txt"], articles_read=3)
    job.story_ids = ["s1"]
    job.errors = [InputError(origin="b.txt", message="file is empty")]
    assert job_outcome(job) == ("done", "3 articles read into 1 story; 1 input not read")
    empty = Job(id="k", kind="upload", inputs=["b.txt"], errors=job.errors)
    assert job_outcome(empty) == ("failed", "b.txt: file is empty")
    assert job_outcome(Job(id="m", kind="upload", inputs=[]))[0] == "failed"
    odd = InputError(origin="https://news.example/x", message="connection refused")
    assert describe_error(odd) == "connection refused (news.example)"
