"""The API docs and an outlet's page as a person sees them, in headless Chromium (Debian's
chromium driven by Selenium, as tests/test_server_e2e.py does): the docs render the API's
operations from the OpenAPI 3.1 document; the outlet page shows what the outlet alone
reported and its framing, reached from a story page, and opens with its framing profile
(reached from the Outlets list). Screenshots go to $CROSSWIRE_SHOTS when
set (docs/guide.md's pictures are taken so), else to the test's temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import chrome, colours, require_browser, served

DEMO = Path(__file__).parent.parent / "examples" / "harbour-fire"

require_browser()

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from crosswire.options import Options  # noqa: E402
from crosswire.pipeline import analyze  # noqa: E402
from crosswire.server.app import create_app  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a store holding the demo corpus, on a free loopback port, in a thread."""
    db = tmp_path_factory.mktemp("e2e-pages") / "demo.db"
    analyze([DEMO], Options(), db=str(db))
    with served(create_app(str(db), token="", isolate_analysis=False)) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    with chrome() as driver:
        yield driver


def _shot(driver: webdriver.Chrome, name: str, tmp_path: Path) -> int:
    """Save a screenshot as `name`; return its distinct colours (a blank page has one or two)."""
    folder = Path(os.environ.get("CROSSWIRE_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    png = driver.get_screenshot_as_png()
    (folder / name).write_bytes(png)
    return colours(png)


def test_api_docs_render_the_operations(
    server: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    browser.get(f"{server}/api/v1/docs")
    wait = WebDriverWait(browser, 60, poll_frequency=0.25)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock-summary-path")))
    paths = {
        (e.get_attribute("data-path") or e.text).replace("\u200b", "")
        for e in browser.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")
    }
    for path in (
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/stories/{story_id}/csv",
        "/api/v1/uploads",
        "/api/v1/texts",
        "/api/v1/jobs/{job_id}",
    ):
        assert path in paths, sorted(paths)
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Unable to render this definition" not in page
    assert "crosswire" in browser.find_element(By.CSS_SELECTOR, ".info .title").text
    # An operation opens and shows its parameters, as a reader would click it.
    browser.find_element(
        By.CSS_SELECTOR, "#operations-stories-api_stories_api_v1_stories_get button"
    ).click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".parameters")))
    assert _shot(browser, "api-docs.png", tmp_path) > 50


def test_outlet_page_from_a_story_shows_what_it_alone_reported(
    server: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    wait = WebDriverWait(browser, 60, poll_frequency=0.25)
    browser.get(server)
    browser.find_element(By.CSS_SELECTOR, "ul.stories a.title").click()
    wait.until(ec.presence_of_element_located((By.ID, "brief")))
    assert _shot(browser, "story.png", tmp_path) > 50
    csv_link = browser.find_element(By.ID, "csv")
    assert (csv_link.get_attribute("href") or "").endswith("/csv")
    # The outlet's name in the article list opens its page.
    link = next(
        a
        for a in browser.find_elements(By.CSS_SELECTOR, "#articles a.outlet")
        if a.text == "Harbourwatch"
    )
    browser.execute_script("arguments[0].scrollIntoView()", link)
    link.click()
    wait.until(ec.presence_of_element_located((By.ID, "outlet-name")))
    assert browser.find_element(By.ID, "outlet-name").text == "Harbourwatch"
    summary = browser.find_element(By.ID, "outlet-summary").text
    assert "only here" in summary
    section = browser.find_element(By.CSS_SELECTOR, "section.outlet-story")
    alone = section.find_elements(By.CSS_SELECTOR, "ul.alone li")
    assert alone and any("National Labour Inspectorate" in li.text for li in alone)
    assert alone[0].is_displayed()
    framing = section.find_element(By.CSS_SELECTOR, "ul.framing").text
    assert "loaded" in framing  # its framing, shown with why it counts
    assert _shot(browser, "outlet.png", tmp_path) > 50
    # A cited sentence opens in the article, highlighted.
    alone[0].find_element(By.CSS_SELECTOR, "a.cite").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ".sentence.hl")))
    assert len(browser.find_element(By.CSS_SELECTOR, ".sentence.hl").text.split()) >= 4


def test_csv_link_downloads_the_story_as_a_spreadsheet_reads_it(
    server: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    """A click on CSV saves a file (not a page of text) that a spreadsheet opens: the header,
    one row per claim, conflict and framing entry, outlets and cited sentences in them."""
    import csv
    import html
    import time

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    browser.get(server)
    browser.find_element(By.CSS_SELECTOR, "ul.stories a.title").click()
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.ID, "csv")))
    browser.find_element(By.ID, "csv").click()
    deadline = time.monotonic() + 30
    while not (files := [p for p in downloads.glob("*.csv")]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert files, f"no CSV saved (folder holds {sorted(p.name for p in downloads.iterdir())})"
    (saved,) = files
    assert saved.name.startswith("story-")
    rows = list(csv.DictReader(saved.read_text(encoding="utf-8").splitlines()))
    kinds = {row["kind"] for row in rows}
    assert {"claim", "conflict", "framing"} <= kinds, kinds
    assert any("The Almera Herald" in row["outlets"] for row in rows)
    assert all(row["citations"] for row in rows if row["kind"] == "claim")
    # What a spreadsheet would show, rendered and shot so a person can look at it.
    header = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v[:90])}</td>" for v in row.values()) + "</tr>"
        for row in rows[:25]
    )
    sheet = tmp_path / "sheet.html"
    sheet.write_text(
        "<style>td,th{border:1px solid #bbb;font:12px sans-serif;padding:2px 4px}</style>"
        f"<p>{html.escape(saved.name)}: {len(rows)} rows</p><table>{header}{body}</table>",
        encoding="utf-8",
    )
    browser.get(sheet.as_uri())
    assert _shot(browser, "csv.png", tmp_path) > 20


def test_outlet_page_opens_with_its_framing_profile(
    server: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    wait = WebDriverWait(browser, 60, poll_frequency=0.25)
    browser.get(server)
    browser.find_element(By.LINK_TEXT, "Outlets").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "ul.outlets")))
    browser.find_element(By.LINK_TEXT, "The Daily Clarion").click()
    wait.until(ec.presence_of_element_located((By.ID, "framing-profile")))
    profile = browser.find_element(By.ID, "framing-profile")
    assert profile.is_displayed()
    # Above the per-story sections: the first thing a reader sees of its framing.
    story = browser.find_element(By.CSS_SELECTOR, "section.outlet-story")
    assert profile.location["y"] < story.location["y"]
    summary = profile.find_element(By.CSS_SELECTOR, ".profile-summary").text
    assert "in its own voice" in summary and "the other outlets of these stories" in summary
    rows = {
        cells[0].text: [c.text for c in cells]
        for tr in profile.find_elements(By.CSS_SELECTOR, "table.profile-terms tbody tr")
        if (cells := tr.find_elements(By.TAG_NAME, "td"))
    }
    # its loaded title for the union leader: whom, what the others call him, only it says so
    agitator = rows["Union agitator"]
    assert agitator[2] == "Dorin Askell" and "Union leader" in agitator[3]
    assert agitator[4] == "only this outlet"
    # a word said near the outlet's own name is not said of the outlet ("witnesses told the
    # Clarion they heard screams": "screams" is now a plain fact word, not framing at all)
    assert "screams" not in rows
    assert all(cells[2] != "The Daily Clarion" for cells in rows.values())
    first = profile.find_element(By.CSS_SELECTOR, "table.profile-terms tbody tr td .loaded")
    assert first.value_of_css_property("font-weight") == "700"  # loaded words stand out
    framed = profile.find_element(By.CSS_SELECTOR, ".profile-referents").text
    assert framed.startswith("Whom its words frame: Dorin Askell (“Union agitator”")
    quoted = profile.find_element(By.CSS_SELECTOR, ".profile-quoted").text
    assert "(Ostrow Maritime Logistics)" in quoted  # quoted words are the speaker's
    assert quoted.split("“")[1].split("”")[0] not in rows  # not counted as its own
    browser.execute_script("arguments[0].scrollIntoView()", profile)
    assert _shot(browser, "outlet-profile-web.png", tmp_path) > 50
