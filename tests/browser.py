"""Headless Chromium for the web app's end-to-end tests (Debian's chromium and chromedriver,
driven by Selenium; never a browser a test tool downloads): what they need, else a module-level
skip saying what is missing; the app served on a free loopback port in a thread; a driver."""

from __future__ import annotations

import io
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def require_browser() -> None:
    """Skip the calling test module, saying why, unless everything a browser test needs is here."""
    pytest.importorskip(
        "fastapi", reason="needs the server extra (pip install 'crosswire[server]')"
    )
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(app: Any) -> Iterator[str]:
    """`app` on a free loopback port, in a thread, until the block ends; yields its base URL."""
    import uvicorn

    config = uvicorn.Config(
        app, host="127.0.0.1", port=_free_port(), log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(60)


@contextmanager
def chrome() -> Iterator[Any]:
    """A headless Chromium driver, 1280×1000, closed when the block ends."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

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


def colours(png: bytes) -> int:
    """Distinct colours of a screenshot (a blank page has one or two)."""
    from PIL import Image

    found = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 20)
    assert found is not None
    return len(found)
