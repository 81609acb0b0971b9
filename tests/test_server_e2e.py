"""The web app as a person uses it, in a real headless browser: Debian's chromium driven by
Selenium. Upload the demo corpus (and one hostile article), wait for processing, open the
story, click a citation, see the cited sentence highlighted; no script from an article runs."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import chrome, colours, require_browser, served

DEMO = Path(__file__).parent.parent / "examples" / "harbour-fire"
UPLOADS = (".txt", ".html", ".jsonl")  # the corpus files `crosswire analyze` reads
HOSTILE = (
    "<script>document.title='pwned';window.pwned=1</script> Harbour notice\n\n"
    "<img src=x onerror=\"window.pwned=1;document.title='pwned'\"> The Port Almera Authority "
    "said Shed C on the North Quay stays closed after the fire. "
    '<svg onload="window.pwned=1"></svg> <a href="javascript:window.pwned=1">more</a>\n'
)

require_browser()

import httpx  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from crosswire.server.app import create_app  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app on a free loopback port, over an empty SQLite store, in a thread."""
    with served(create_app(str(tmp_path / "e2e.db"), token="")) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    with chrome() as driver:
        yield driver


def _not_blank(png: bytes, path: Path) -> int:
    """Save the screenshot and return its distinct colours (a blank page has one or two)."""
    path.write_bytes(png)
    width, height = _size(png)
    assert width >= 800 and height >= 600
    return colours(png)


def _size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    size: tuple[int, int] = Image.open(io.BytesIO(png)).size
    return size


def _no_script_ran(driver: webdriver.Chrome) -> None:
    assert driver.execute_script("return window.pwned === undefined")
    assert driver.title != "pwned"
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    raise AssertionError(f"an alert opened: {alert.text}")


def test_upload_corpus_open_story_click_citation_sees_sentence(
    server: str, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile-notice.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    files = [*sorted(str(p) for p in DEMO.iterdir() if p.suffix in UPLOADS), str(hostile)]
    wait = WebDriverWait(browser, 90, poll_frequency=0.25)

    browser.get(f"{server}/add")
    browser.find_element(By.ID, "files").send_keys("\n".join(files))
    browser.find_element(By.ID, "upload").click()
    # The job page polls its progress and reloads when done, listing the stories.
    wait.until(ec.url_contains("/jobs/"))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#job-stories a")))
    assert browser.find_element(By.ID, "job-state").text == "done"

    browser.get(server)
    first = browser.find_element(By.CSS_SELECTOR, "ul.stories a.title")
    assert "Almera" in first.text  # newest, most covered first
    badges = browser.find_element(By.CSS_SELECTOR, "li.story-item").text
    assert "disputed" in badges and "single-source" in badges
    first.click()
    wait.until(ec.presence_of_element_located((By.ID, "brief")))
    colours = _not_blank(browser.get_screenshot_as_png(), tmp_path / "story.png")
    assert colours > 50
    assert browser.find_elements(By.CSS_SELECTOR, "svg.timeline rect.tl-bar")
    assert browser.find_elements(By.CSS_SELECTOR, "table.matrix td.cell.supports")

    cite = browser.find_element(By.CSS_SELECTOR, "#brief a.cite[href*='?s=']")
    href = cite.get_attribute("href") or ""
    index = href.rsplit("#s", 1)[1]
    cite.click()
    wait.until(ec.url_contains(f"#s{index}"))
    sentence = browser.find_element(By.ID, f"s{index}")
    assert "hl" in (sentence.get_attribute("class") or "").split()
    assert sentence.is_displayed() and len(sentence.text.split()) >= 4
    # Highlighted: its background is not the text block's.
    text_bg = browser.find_element(By.ID, "article-text").value_of_css_property("background-color")
    assert sentence.value_of_css_property("background-color") != text_bg
    # ...and scrolled into view.
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", sentence)
    # (a sub-pixel above the top is in view: scrolling to a fractional offset rounds)
    assert -1 < top < browser.execute_script("return window.innerHeight")
    assert _not_blank(browser.get_screenshot_as_png(), tmp_path / "article.png") > 50

    browser.get(f"{server}/articles/hostile-notice")
    wait.until(ec.presence_of_element_located((By.ID, "article-text")))
    shown = browser.find_element(By.ID, "article-text").text
    assert '<img src=x onerror="' in shown and "<svg onload=" in shown  # as text, not markup
    assert "<script>" in browser.find_element(By.TAG_NAME, "h1").text
    _no_script_ran(browser)
    story_link = browser.find_elements(By.CSS_SELECTOR, "dd a[href^='/stories/']")
    if story_link:
        story_link[0].click()
        wait.until(ec.presence_of_element_located((By.ID, "brief")))
        _no_script_ran(browser)
    browser.get(server)
    _no_script_ran(browser)

    # An open story page follows its story: another article joins, the page reloads itself.
    browser.find_element(By.CSS_SELECTOR, "ul.stories a.title").click()
    wait.until(ec.presence_of_element_located((By.ID, "brief")))
    version = browser.execute_script("return document.body.dataset.version")
    outlets = browser.find_element(By.CSS_SELECTOR, "p.meta").text
    text = (DEMO / "vpa-wire.txt").read_text(encoding="utf-8")
    extra = text.replace("Veldara Press Agency", "Coastline Radio") + "\nA vigil is planned.\n"
    upload = httpx.post(
        f"{server}/api/v1/uploads",
        files={"files": ("coastline-radio.txt", extra.encode(), "text/plain")},
        data={"outlet": "Coastline Radio"},
        timeout=30,
    )
    assert upload.status_code == 202, upload.text
    wait.until(
        lambda d: (
            d.execute_script("return document.body && document.body.dataset.version")
            not in (None, version)
        )
    )
    wait.until(ec.presence_of_element_located((By.ID, "brief")))
    assert browser.find_element(By.CSS_SELECTOR, "p.meta").text != outlets
    assert "Coastline Radio" in browser.find_element(By.ID, "articles").text
