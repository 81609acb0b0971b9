"""`crosswire serve`: pages, REST API, background uploads, URL jobs, write rules, security."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import time
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="needs the server extra (pip install 'crosswire[server]')")

from fastapi.testclient import TestClient

from crosswire.errors import Msg
from crosswire.models import Article, InputError, Report, Story
from crosswire.options import Options
from crosswire.pipeline import analyze
from crosswire.report import timeline_parts, validate_report
from crosswire.server.app import create_app
from crosswire.server.jobs import safe_name
from crosswire.server.security import SECURITY_HEADERS
from crosswire.server.views import slug
from crosswire.server.worker import Job, Worker
from crosswire.store import Store

DEMO = Path(__file__).parent.parent / "examples" / "harbour-fire"
LOCAL = ("127.0.0.1", 50000)
HOSTILE = """<script>document.title='pwned'</script> Fire at Port Almera harbour warehouse

<img src=x onerror="document.title='pwned'"> Port Almera fire crews fought a fire at the Shed C
warehouse on the North Quay, the Port Almera Fire and Rescue Service said. "<script>alert(1)</script>"
Mara Quell of the Port Almera Authority said twelve workers died in the fire at Shed C.
<a href="javascript:alert(1)" onclick="alert(2)">more</a>
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the demo corpus, as `crosswire analyze examples/harbour-fire --db`."""
    db = tmp_path_factory.mktemp("seed") / "demo.db"
    analyze([DEMO], Options(), db=str(db))
    return db


@pytest.fixture
def db(seeded: Path, tmp_path: Path) -> str:
    """A private copy of the seeded store, for tests that write."""
    target = tmp_path / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{seeded}{suffix}")
        if src.exists():
            shutil.copy(src, Path(f"{target}{suffix}"))
    return str(target)


@pytest.fixture
def client(seeded: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(seeded), token="", isolate_analysis=False), client=LOCAL) as c:
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


def _text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# ---------------------------------------------------------------------------- story list


def test_story_list_puts_the_newest_most_covered_story_first_with_badges(
    client: TestClient,
) -> None:
    items = client.get("/api/v1/stories").json()["items"]
    assert len(items) >= 2
    keys = [(s["newest"] or "", s["outlets"]) for s in items]
    assert keys == sorted(keys, reverse=True)
    fire = _fire(client)
    assert fire["outlets"] >= 5 and fire["conflicts"] >= 1 and fire["single_source"] >= 1
    page = client.get("/").text
    item = page[page.index(html.escape(fire["title"], quote=False)) :].split("</li>")[0]
    assert f"{fire['conflicts']} disputed" in item
    assert f"{fire['single_source']} single-source" in item
    assert f"{fire['outlets']} outlets" in item


def test_story_search_finds_stories_by_entity_and_by_word(client: TestClient) -> None:
    by_entity = client.get("/api/v1/stories", params={"q": "Mara Quell"}).json()
    assert [s["title"] for s in by_entity["items"]] == [_fire(client)["title"]]
    everything = client.get("/api/v1/stories").json()["total"]
    other = client.get("/api/v1/stories", params={"q": "Kessa"}).json()
    assert other["total"] == 1 and "Almera" not in other["items"][0]["title"]
    assert client.get("/api/v1/stories", params={"q": "zzzqqq"}).json()["total"] == 0
    assert everything >= 2
    page = client.get("/", params={"q": "Quell"}).text
    assert _fire(client)["title"].split(":")[0] in html.unescape(page)
    assert "Kessa" not in page


# ---------------------------------------------------------------------------- story page


def test_brief_citations_open_the_cited_sentence_highlighted(client: TestClient) -> None:
    fire = _fire(client)
    page = client.get(f"/stories/{fire['id']}").text
    brief = page[page.index('id="brief"') : page.index('id="matrix"')]
    links = re.findall(r'href="(/articles/[^"?]+\?s=(\d+)#s\d+)"', brief)
    assert len(links) >= 10
    story = Story.model_validate(client.get(f"/api/v1/stories/{fire['id']}").json())
    claim_sentences = {src.sentence.strip() for c in story.claims for src in c.sources}
    checked = 0
    for href, index in links[:12]:
        article = client.get(html.unescape(href)).text
        found = re.search(rf'<span class="sentence hl" id="s{index}">(.*?)</span>', article, re.S)
        assert found, href
        sentence = _text_of(found.group(1)).strip()
        assert sentence
        checked += sentence in claim_sentences or sentence in html.unescape(brief)
    # Each opened sentence is the claim's sentence in that article (or the brief's own).
    assert checked == min(12, len(links))


def test_matrix_shows_who_says_what_who_is_silent_and_who_disagrees(client: TestClient) -> None:
    fire = _fire(client)
    story = Story.model_validate(client.get(f"/api/v1/stories/{fire['id']}").json())
    page = client.get(f"/stories/{fire['id']}").text
    matrix = page[page.index('id="matrix"') : page.index('id="conflicts"')]
    rows = re.findall(r'<tr id="claim-\d+">(.*?)</tr>', matrix, re.S)
    assert len(rows) == len(story.claims)
    for claim, row in zip(story.claims, rows, strict=True):
        cells = re.findall(r'<td class="cell (\w+)"', row)
        assert len(cells) == len(story.article_ids)
        # a source giving another value of the claim's conflict says otherwise: not a ✓
        sources = {s.article_id for s in claim.sources}
        other_side = {
            aid
            for c in story.conflicts
            if c.id in claim.conflict_ids
            for v in c.values
            for aid in v.article_ids
        }
        assert cells.count("supports") >= len(sources - other_side)
        assert cells.count("supports") <= len(sources)
    # "At least 12 workers were killed": the Clarion's "9 workers" sentence is on the other side
    first = re.findall(r'<td class="cell (\w+)"', rows[0])
    clarion = story.article_ids.index("daily-clarion")
    assert first[clarion] == "disputes"
    marks = " ".join(rows)
    assert 'class="cell silent"' in marks and 'class="cell disputes"' in marks


def test_conflicts_show_each_side_with_its_evidence(client: TestClient) -> None:
    fire = _fire(client)
    conflicts = client.get(f"/api/v1/stories/{fire['id']}/conflicts").json()
    assert conflicts["total"] >= 1
    page = html.unescape(client.get(f"/stories/{fire['id']}").text)
    section = page[page.index('id="conflicts"') : page.index('id="timeline"')]
    blocks = dict(
        re.findall(
            r'<div class="conflict" id="([^"]+)">(.*?)(?=<div class="conflict"|$)', section, re.S
        )
    )
    assert len(blocks) == conflicts["total"]
    for conflict in conflicts["items"]:
        block = blocks[f"conflict-{slug(conflict['id'])}"]
        assert block.count('<div class="value">') == len(conflict["values"])
        for value in conflict["values"]:
            assert value["value"] in block
            assert any(evidence in block for evidence in value["evidence"])


def test_story_page_has_a_timeline_chart_and_framing_per_outlet(client: TestClient) -> None:
    fire = _fire(client)
    story = Story.model_validate(client.get(f"/api/v1/stories/{fire['id']}").json())
    page = client.get(f"/stories/{fire['id']}").text
    timeline = page[page.index('id="timeline"') : page.index('id="framing"')]
    # the axis holds the entries the text dates, outliers apart (issue 24)
    assert timeline.count('<rect class="tl-bar') == len(timeline_parts(story.timeline).dated) > 0
    framing = html.unescape(page[page.index('id="framing"') : page.index('id="articles"')])
    for entry in story.framing:
        assert f"“{entry.term}”" in framing


def test_article_page_shows_removed_furniture_on_demand(client: TestClient) -> None:
    listed = client.get("/api/v1/articles", params={"limit": 200}).json()["items"]
    article = next(a for a in listed if a["boilerplate_removed"])
    page = html.unescape(client.get(f"/articles/{article['id']}").text)
    details = page[page.index('<details id="furniture">') : page.index("</details>")]
    for line in article["boilerplate_removed"]:
        assert line in details
    assert line not in page[page.index('id="article-text"') : page.index("<details")]


# ---------------------------------------------------------------------------- API


def test_api_lists_are_paginated_with_totals(client: TestClient, seeded: Path) -> None:
    with Store(str(seeded)) as store:
        stored = store.counts()["articles"]
    first = client.get("/api/v1/articles", params={"limit": 3}).json()
    rest = client.get("/api/v1/articles", params={"limit": 200, "offset": 3}).json()
    assert first["total"] == rest["total"] == stored
    assert len(first["items"]) == 3 and len(rest["items"]) == stored - 3
    ids = [a["id"] for a in first["items"] + rest["items"]]
    assert len(set(ids)) == stored
    fire = _fire(client)
    claims = client.get(f"/api/v1/stories/{fire['id']}/claims", params={"limit": 2}).json()
    assert len(claims["items"]) == 2 and claims["total"] > 2
    past = client.get("/api/v1/stories", params={"offset": 1000}).json()
    assert past["items"] == [] and past["total"] >= 2


def test_api_story_report_keeps_the_report_json_contract(client: TestClient) -> None:
    fire = _fire(client)
    data = client.get(f"/api/v1/stories/{fire['id']}/report").json()
    validate_report(data)
    report = Report.model_validate(data)
    assert [s.id for s in report.stories] == [fire["id"]]
    assert {a.id for a in report.articles} == set(report.stories[0].article_ids)
    assert all(a.story_id == fire["id"] and a.text for a in report.articles)


def test_api_errors_are_json_with_a_clear_message(client: TestClient) -> None:
    missing = client.get("/api/v1/stories/no-such-story")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": Msg.SERVER_NOT_FOUND.format(what="story", id="no-such-story"),
        "status": 404,
    }
    bad = client.get("/api/v1/articles", params={"limit": "many"})
    assert bad.status_code == 422 and "limit" in bad.json()["error"]
    page = client.get("/stories/no-such-story", headers={"accept": "text/html"})
    assert page.status_code == 404 and "no story with id" in html.unescape(page.text)


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/add", "/api/v1/stories", "/api/v1/stories/nope", "/static/app.js"):
        response = client.get(path)
        for key, value in SECURITY_HEADERS.items():
            assert response.headers[key] == value, (path, key)
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_pages_carry_no_inline_script(client: TestClient) -> None:
    fire = _fire(client)
    for path in ("/", f"/stories/{fire['id']}", "/articles/vpa-wire", "/add"):
        page = client.get(path).text
        assert re.findall(r"<script\b[^>]*>", page) == ['<script src="/static/app.js" defer>']
        assert not re.search(r"\son\w+\s*=", page)


# ---------------------------------------------------------------------------- writes


def test_upload_is_processed_in_the_background_and_joins_its_story(db: str) -> None:
    text = (DEMO / "vpa-wire.txt").read_text(encoding="utf-8")
    # without the dateline's agency "(VPA)", which ingest would take as the outlet (issue 26)
    extra = text.replace("Veldara Press Agency", "Coastline Radio").replace(" (VPA)", "")
    extra += "\nA vigil is planned.\n"
    # As `crosswire serve` runs it: the analysis in a child process, progress sent back.
    with TestClient(create_app(db, token=""), client=LOCAL) as client:
        fire = _fire(client)
        before = client.get(f"/api/v1/stories/{fire['id']}/version").json()["version"]
        response = client.post(
            "/api/v1/uploads",
            files=[("files", ("coastline-radio.txt", extra.encode(), "text/plain"))],
        )
        assert response.status_code == 202, response.text
        job = response.json()
        assert job["state"] in ("queued", "running")
        page = client.get(f"/jobs/{job['id']}").text
        assert 'data-job="' in page and "job-progress" in page
        job = _wait_job(client, job["id"])
        assert job["state"] == "done" and job["articles_read"] == 1, job
        # Progress came back from the child: its last stage counted the demo's 2+ stories.
        assert job["total"] >= 2
        assert job["story_ids"] == [fire["id"]]
        after = client.get(f"/api/v1/stories/{fire['id']}/version").json()["version"]
        assert after != before  # what the story page polls to update itself
        story = client.get(f"/api/v1/stories/{fire['id']}").json()
        assert "coastline-radio" in story["article_ids"]
        # A plain file names no outlet: without one given, the file's name stands in.
        assert client.get("/api/v1/articles/coastline-radio").json()["source"] == "coastline-radio"


def test_hostile_article_is_escaped_on_every_page(db: str) -> None:
    with TestClient(create_app(db, token="", isolate_analysis=False), client=LOCAL) as client:
        response = client.post(
            "/api/v1/uploads", files=[("files", ("hostile.txt", HOSTILE.encode(), "text/plain"))]
        )
        job = _wait_job(client, response.json()["id"])
        assert job["state"] == "done" and job["articles_read"] == 1, job
        article = client.get("/api/v1/articles/hostile").json()
        assert "<script>" in article["title"] + article["text"]  # stored as written
        sid = article["story_id"]
        pages = ["/articles/hostile", "/", f"/stories/{sid}" if sid else "/"]
        for path in pages:
            page = client.get(path).text
            assert "<script>document" not in page and "<script>alert" not in page
            assert "<img src=x" not in page and 'onclick="alert' not in page
            assert not re.search(r"<[^>]+\sonerror\s*=", page)
        assert "&lt;script&gt;" in client.get("/articles/hostile").text


def test_writes_need_the_token_when_one_is_set(seeded: Path) -> None:
    files = [("files", ("a.txt", b"Title\n\nSome text about the harbour.", "text/plain"))]
    app = create_app(str(seeded), token="s3cret", isolate_analysis=False)
    with TestClient(app, client=LOCAL) as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            refused = client.post("/api/v1/uploads", files=files, headers=headers)
            assert refused.status_code == 401
            assert refused.json()["error"] == Msg.SERVER_TOKEN
        refused = client.post("/api/v1/urls", json={"urls": ["https://example.org/a"]})
        assert refused.status_code == 401
        assert client.get("/api/v1/stories").status_code == 200  # reads are open


def test_writes_without_a_token_are_for_local_clients_only(seeded: Path) -> None:
    files = [("files", ("a.txt", b"Title\n\nSome text.", "text/plain"))]
    with TestClient(
        create_app(str(seeded), token="", isolate_analysis=False), client=("203.0.113.9", 5000)
    ) as client:
        refused = client.post("/api/v1/uploads", files=files)
        assert refused.status_code == 403 and refused.json()["error"] == Msg.SERVER_LOOPBACK
    with TestClient(
        create_app(str(seeded), token="", isolate_analysis=False), client=LOCAL
    ) as client:
        cross = client.post("/add/files", files=files, headers={"Sec-Fetch-Site": "cross-site"})
        assert cross.status_code == 403


def test_uploads_over_the_size_limit_or_of_other_types_are_refused(seeded: Path) -> None:
    app = create_app(str(seeded), token="", max_upload_bytes=10_000, isolate_analysis=False)
    with TestClient(app, client=LOCAL) as client:
        big = client.post("/api/v1/uploads", files=[("files", ("big.txt", b"x" * 20_000))])
        assert big.status_code == 413
        assert big.json()["error"] == Msg.SERVER_TOO_LARGE.format(limit=10_000)
        exe = client.post("/api/v1/uploads", files=[("files", ("run.exe", b"MZ..."))])
        assert exe.status_code == 415
        assert exe.json()["error"] == Msg.SERVER_TYPE.format(name="run.exe")


def test_url_form_adds_what_the_fetcher_returns(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def read_urls(urls: Sequence[str], options: Options) -> Iterator[Article | InputError]:
        asked.extend(urls)
        yield Article(
            id="fetched",
            source="Harbour FM",
            title="Fire at Port Almera warehouse",
            url=urls[0],
            text="A fire at Shed C on the North Quay of Port Almera killed twelve workers, "
            "the Port Almera Fire and Rescue Service said.",
        )
        yield InputError(origin=urls[1], message="HTTP 404")

    fake = types.ModuleType("crosswire.inputs.fetch")
    fake.read_urls = read_urls  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "crosswire.inputs.fetch", fake)
    with TestClient(create_app(db, token="", isolate_analysis=False), client=LOCAL) as client:
        form = client.post(
            "/add/urls",
            data={"urls": "https://fm.example/fire\nhttps://fm.example/gone"},
            follow_redirects=False,
        )
        assert form.status_code == 303 and form.headers["location"].startswith("/jobs/")
        job = _wait_job(client, form.headers["location"].rsplit("/", 1)[1])
        assert job["state"] == "done" and job["articles_read"] == 1
        assert job["errors"] == [{"origin": "https://fm.example/gone", "message": "HTTP 404"}]
        assert asked == ["https://fm.example/fire", "https://fm.example/gone"]
        assert client.get("/api/v1/articles/fetched").json()["url"] == "https://fm.example/fire"


def test_url_form_says_clearly_when_the_fetcher_is_missing(
    seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "crosswire.inputs.fetch", None)  # import fails
    with TestClient(
        create_app(str(seeded), token="", isolate_analysis=False), client=LOCAL
    ) as client:
        api = client.post("/api/v1/urls", json={"urls": ["https://example.org/a"]})
        assert api.status_code == 503
        assert api.json()["error"].startswith(Msg.SERVER_NO_FETCH.split("{")[0])
        form = client.post(
            "/add/urls", data={"urls": "https://example.org/a"}, headers={"accept": "text/html"}
        )
        assert form.status_code == 503 and "adding URLs is not available" in form.text


def test_reads_keep_working_while_another_process_writes_the_store(seeded: Path, db: str) -> None:
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from crosswire.models import Article\n"
            "from crosswire.store import Store\n"
            "with Store(sys.argv[1]) as s:\n"
            "    for i in range(150):\n"
            "        s.add_articles([Article(id=f'w{i}', source='W', text=f'text {i}')])\n",
            db,
        ]
    )
    try:
        with TestClient(create_app(db, token="", isolate_analysis=False), client=LOCAL) as client:
            statuses = set()
            while writer.poll() is None:
                statuses.add(client.get("/api/v1/stories").status_code)
                statuses.add(client.get("/api/v1/articles", params={"limit": 5}).status_code)
            assert writer.wait() == 0
            assert statuses == {200}
            total = client.get("/api/v1/articles").json()["total"]
    finally:
        writer.kill()
    with Store(str(seeded)) as store:
        assert total == store.counts()["articles"] + 150


def test_upload_names_are_made_safe_and_unique() -> None:
    taken: set[str] = set()
    names = []
    for given in ("../../etc/passwd.txt", "a/report.txt", "b\\report.txt", "..", "x y<z>.html"):
        names.append(safe_name(given, taken))
        taken.add(names[-1])
    assert names == ["passwd.txt", "report.txt", "report-2.txt", "upload.txt", "x_y_z_.html"]


def test_worker_forgets_the_oldest_finished_jobs(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("crosswire.server.worker.MAX_JOBS", 3)
    worker = Worker(str(seeded), Options(), tmp_path, isolate=False)
    try:
        jobs = []
        for i in range(5):
            folder = tmp_path / f"job{i}"
            folder.mkdir()
            (folder / "x.txt").write_bytes(b"")  # unreadable: the job ends with an error
            jobs.append(
                worker.submit(Job(id=f"j{i}", kind="upload", inputs=["x.txt"], folder=folder))
            )
            assert jobs[-1].finished.wait(60)
        assert list(worker.jobs) == ["j2", "j3", "j4"]
        assert all(j.state == "failed" and j.errors for j in jobs)  # nothing read: failed
    finally:
        worker.close()


def test_api_docs_page_loads_swagger_ui_from_the_server_not_a_cdn(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/api/v1/docs-assets/swagger-ui-bundle.js" in page.text
    assert "/api/v1/openapi.json" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # works offline
    policy = page.headers["content-security-policy"]
    assert "https:" not in policy and "script-src 'self'" in policy
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        answer = client.get(f"/api/v1/docs-assets/{asset}")
        assert answer.status_code == 200 and len(answer.content) > 10_000
