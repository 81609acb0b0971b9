"""Saved web pages read right (issue 26, point 8): the fallback when trafilatura's strict pass
keeps almost nothing of a page, bad bytes under a declared charset, and the cleaned text in
`crosswire extract --json`. The pages under tests/data/pages/ were written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import trafilatura
from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.inputs import read_inputs
from crosswire.inputs.pages import _STRICT_KW
from crosswire.models import Article
from crosswire.options import Options

PAGES = Path(__file__).parent / "data" / "pages"
COLLAPSING = PAGES / "strict-pass-keeps-a-caption.html"
STRAY_BYTE = PAGES / "declared-utf8-stray-byte.html"


def _read(path: Path) -> Article:
    (article,) = [a for a in read_inputs([path], Options()) if isinstance(a, Article)]
    return article


def test_strict_pass_alone_keeps_only_the_photo_caption_of_the_page() -> None:
    kept = trafilatura.extract(COLLAPSING.read_text(encoding="utf-8"), **_STRICT_KW) or ""
    assert len(kept.split()) < 10 and "dredging" not in kept


def test_the_fallback_recovers_the_article_the_strict_pass_dropped() -> None:
    article = _read(COLLAPSING)
    assert article.title == "Harbour council delays the dredging vote"
    assert "after fishermen asked for a study of the silt first" in article.text
    assert "open meeting on 14 April, and vote the same night" in article.text
    # the page's furniture stays out, and is listed as removed
    assert "Most read" not in article.text and "Lifeboat crew" not in article.text
    assert "Most read" in article.boilerplate_removed


def test_a_stray_byte_under_a_declared_utf8_charset_costs_one_character() -> None:
    article = _read(STRAY_BYTE)
    assert "zerstörte" in article.text and "Einsatzkräfte" in article.text
    assert "Frei\ufffdtag" in article.text
    assert "Ã" not in article.text  # not read as Latin-1 / cp1252


def test_cli_extract_json_prints_the_cleaned_text_of_a_page() -> None:
    result = CliRunner().invoke(app, ["extract", "--json", str(COLLAPSING)])
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    assert article["title"] == "Harbour council delays the dredging vote"
    assert "the mussel beds off the point" in article["text"]
    assert "Copyright" not in article["text"]
    assert {"id", "published", "language", "entities", "quotes", "numbers", "times"} <= set(article)


def test_cli_extract_json_text_is_the_text_after_clean(tmp_path: Path) -> None:
    body = (
        "The ferry company added a winter crossing to the islands from next month, "
        "the harbour office said on Monday.\n\n"
        "Crossings leave at eight and at four, weather permitting.\n\n"
        "Leave a Reply\nShare this article\n"
    )
    path = tmp_path / "ferry.txt"
    path.write_text("Winter ferry crossing added\n" + body, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    assert article["text"].startswith("The ferry company added a winter crossing")
    assert "weather permitting" in article["text"]
    assert "Leave a Reply" not in article["text"]
    assert "Share this article" not in article["text"]


def test_cli_extract_of_the_stray_byte_page_keeps_the_umlauts() -> None:
    result = CliRunner().invoke(app, ["extract", str(STRAY_BYTE)])
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)
    assert "Nachbargebäude übergriff" in article["text"]
