"""The web app as a person uses it, in a real headless browser: Debian's chromium driven by
Selenium. Upload the demo corpus (and one hostile article), wait for processing, open the
story, click a citation, see the cited sentence highlighted; no script from an article runs."""

from __future__ import annotations

import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DEMO = Path(__file__).parent.parent / "examples" / "harbour-fire"
UPLOADS = (".txt", ".html", ".jsonl")  # the corpus files `crosswire analyze` reads
HOSTILE = (
    "<script>document.title='pwned';window.pwned=1</script> Harbour notice\n\n"
    "<img src=x onerror=\"window.pwned=1;document.title='pwned'\"> The Port Almera Authority "
    "said Shed C on the North Quay stays closed after the fire. "
    '<svg onload="window.pwned=1"></svg> <a href="javascript:window.pwned=1">more</a>\n'
)

pytest.importorskip("fastapi", reason="needs the server extra (pip install 'crosswire[server]')")
pytest.importorskip("uvicorn", reason="needs uvicorn (the server extra)")
pytest.importorskip("selenium", reason="needs selenium (the dev extra)")
pytest.importorskip("PIL", reason="needs pillow (the dev extra) to check screenshots")
missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
if missing:
    pytest.skip(
        f"needs Debian's chromium and chromium-driver ({', '.join(missing)} missing; "
        "`make browser` installs them as root)",
        allow_module_level=True,
    )

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from PIL import Image  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from crosswire.server.app import create_app  # noqa: E402

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app on a free loopback port, over an empty SQLite store, in a thread."""
    app = create_app(str(tmp_path / "e2e.db"), token="")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(60)


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not fetch a browser
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--disable-gpu",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _not_blank(png: bytes, path: Path) -> int:
    """Save the screenshot and return its distinct colours (a blank page has one or two)."""
    path.write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.width >= 800 and image.height >= 600
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None
    return len(colours)


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
    assert 0 <= top < browser.execute_script("return window.innerHeight")
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
