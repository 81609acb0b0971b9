"""Sanity checks on the bundled demo corpus and its gold file, without running the pipeline.

The pipeline tests compare crosswire's output with `examples/harbour-fire/gold.json`; these
tests make sure the gold itself is true of the corpus text, so a failing pipeline test points
at the pipeline and not at a stale gold file.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import lxml.html
import pytest

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "harbour-fire"
GOLD_PATH = CORPUS / "gold.json"
# Files in the folder that are not articles.
NOT_ARTICLES = {"gold.json", "gold-language.json", "manifest.jsonl", "README.md"}
ARTICLE_SUFFIXES = {".txt", ".html", ".jsonl"}

_QUOTE_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def fold(text: str) -> str:
    """Curly quotes to straight, whitespace runs to one space: how gold snippets are compared."""
    return re.sub(r"\s+", " ", text.translate(_QUOTE_FOLD)).strip()


@dataclass(frozen=True)
class RawArticle:
    id: str
    fmt: str
    text: str
    """The article as written (for HTML: the <article> element's text)."""
    page: str
    """Everything a reader sees (for HTML: the whole <body>), furniture included."""
    lines: tuple[str, ...]
    source: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None


def _html_text(element: Any) -> str:
    # text_content() glues block elements together; a newline after each keeps words apart.
    for block in element.iter("p", "div", "li", "h1", "h2", "span", "nav", "button", "time"):
        block.tail = "\n" + (block.tail or "")
    return str(element.text_content())


def load_articles() -> dict[str, RawArticle]:
    articles: dict[str, RawArticle] = {}
    for path in sorted(CORPUS.iterdir()):
        if path.name in NOT_ARTICLES:
            continue
        if path.suffix == ".txt":
            text = path.read_text(encoding="utf-8")
            lines = tuple(line.strip() for line in text.splitlines())
            articles[path.stem] = RawArticle(path.stem, "txt", text, text, lines)
        elif path.suffix == ".html":
            root = lxml.html.fromstring(path.read_bytes())
            page = _html_text(root.body)
            article_text = "\n".join(_html_text(a) for a in root.body.iter("article"))
            lines = tuple(line.strip() for line in page.splitlines())
            articles[path.stem] = RawArticle(path.stem, "html", article_text, page, lines)
        elif path.suffix == ".jsonl":
            for raw in path.read_text(encoding="utf-8").splitlines():
                if not raw.strip():
                    continue
                rec = json.loads(raw)
                lines = tuple(line.strip() for line in rec["text"].splitlines())
                articles[rec["id"]] = RawArticle(
                    rec["id"],
                    "jsonl",
                    rec["text"],
                    rec["text"],
                    lines,
                    source=rec["source"],
                    title=rec["title"],
                    published=rec["published"],
                    url=rec["url"],
                )
    return articles


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def articles() -> dict[str, RawArticle]:
    return load_articles()


def _original(article_id: str, gold: dict[str, Any]) -> str:
    return str(gold["duplicates"].get(article_id, article_id))


def _ids_in(node: Any) -> set[str]:
    """Every article id the gold mentions, wherever it sits."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"article_ids"}:
                found.update(value)
            elif key == "article_id":
                found.add(value)
            elif key in {"evidence", "duplicates", "furniture", "articles"}:
                found.update(value)
                if key == "duplicates":
                    found.update(value.values())
            elif key == "other_language_aliases":
                found.update(value.values())
            found |= _ids_in(value)
    elif isinstance(node, list):
        for item in node:
            found |= _ids_in(item)
    return found


# --------------------------------------------------------------------------- structure


def test_gold_json_parses_with_every_section(gold: dict[str, Any]) -> None:
    expected = {
        "articles",
        "stories",
        "duplicates",
        "conflicts",
        "not_conflicts",
        "quotes",
        "single_source",
        "corroborated",
        "framing",
        "timeline",
        "furniture",
        "entities",
    }
    assert expected <= set(gold)
    assert {c["kind"] for c in gold["conflicts"]} == {"date", "number", "attribute", "quote"}


def test_folder_holds_only_formats_this_checker_reads() -> None:
    # A new feed or format would hold ids this checker cannot see; make adding one deliberate.
    for path in CORPUS.iterdir():
        assert path.name in NOT_ARTICLES or path.suffix in ARTICLE_SUFFIXES, path.name


def test_every_gold_article_id_names_an_article_in_the_folder(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    mentioned = _ids_in(gold)
    assert mentioned, "gold names no articles"
    assert mentioned <= set(articles), sorted(mentioned - set(articles))


def test_every_article_belongs_to_exactly_one_gold_story(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    grouped = [aid for story in gold["stories"] for aid in story["article_ids"]]
    assert sorted(grouped) == sorted(articles)
    assert set(gold["articles"]) == set(articles)


def test_gold_outlet_counts_treat_a_syndicated_copy_as_its_original(
    gold: dict[str, Any],
) -> None:
    for story in gold["stories"]:
        originals = {_original(aid, gold) for aid in story["article_ids"]}
        assert story["outlets"] == len(originals)
    event = gold["stories"][0]
    assert event["outlets"] == 6 and len(event["article_ids"]) == 7


def test_duplicate_and_original_sit_in_the_same_story(gold: dict[str, Any]) -> None:
    for copy_id, original_id in gold["duplicates"].items():
        assert any(
            copy_id in s["article_ids"] and original_id in s["article_ids"] for s in gold["stories"]
        )


# --------------------------------------------------------------------------- metadata


def test_manifest_covers_every_txt_and_html_file_and_matches_gold(
    gold: dict[str, Any],
) -> None:
    rows = [
        json.loads(line)
        for line in (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    files = {p.name for p in CORPUS.iterdir() if p.suffix in {".txt", ".html"}}
    assert {row["file"] for row in rows} == files
    for row in rows:
        assert set(row) == {"file", "source", "url", "published"}
        meta = gold["articles"][Path(row["file"]).stem]
        assert (row["source"], row["published"]) == (meta["source"], meta["published"])
        assert row["url"].startswith("https://")


def test_jsonl_lines_carry_every_field_and_match_gold(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    jsonl = [a for a in articles.values() if a.fmt == "jsonl"]
    assert len(jsonl) == 2
    for art in jsonl:
        meta = gold["articles"][art.id]
        assert (art.source, art.title, art.published) == (
            meta["source"],
            meta["title"],
            meta["published"],
        )
        assert art.url and art.url.startswith("https://")


def test_html_page_names_outlet_publication_time_and_canonical_url(
    gold: dict[str, Any],
) -> None:
    root = lxml.html.fromstring((CORPUS / "almera-herald.html").read_bytes())
    site = root.xpath('//meta[@property="og:site_name"]/@content')
    published = root.xpath('//meta[@property="article:published_time"]/@content')
    canonical = root.xpath('//link[@rel="canonical"]/@href')
    meta = gold["articles"]["almera-herald"]
    assert site == [meta["source"]]
    assert published and published[0].startswith(meta["published"])
    manifest = {
        json.loads(line)["file"]: json.loads(line)
        for line in (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert canonical == [manifest["almera-herald.html"]["url"]]
    assert root.xpath("//h1")[0].text_content() == meta["title"]


def test_txt_title_is_first_non_furniture_line(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for art in articles.values():
        if art.fmt != "txt":
            continue
        furniture = set(gold["furniture"].get(art.id, []))
        first = next(line for line in art.lines if line and line not in furniture)
        assert first == gold["articles"][art.id]["title"], art.id


def test_publication_dates_fall_between_11_and_13_march(gold: dict[str, Any]) -> None:
    for meta in gold["articles"].values():
        assert date(2026, 3, 11) <= date.fromisoformat(meta["published"]) <= date(2026, 3, 13)


def test_story_articles_run_300_to_500_words(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for art in articles.values():
        furniture = set(gold["furniture"].get(art.id, []))
        words = sum(len(line.split()) for line in art.text.splitlines() if line not in furniture)
        assert 300 <= words <= 500, (art.id, words)


# --------------------------------------------------------------------------- claims


def _assert_occurs(snippet: str, article_id: str, articles: dict[str, RawArticle]) -> None:
    assert fold(snippet) in fold(articles[article_id].text), f"{snippet!r} not in {article_id}"


def test_conflict_evidence_occurs_in_every_named_article(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for conflict in gold["conflicts"]:
        for value in conflict["values"]:
            assert set(value["evidence"]) == set(value["article_ids"])
            for aid, snippet in value["evidence"].items():
                _assert_occurs(snippet, aid, articles)


def test_conflict_sides_are_distinct_values_from_different_articles(
    gold: dict[str, Any],
) -> None:
    for conflict in gold["conflicts"]:
        values = conflict["values"]
        assert len(values) >= 2
        assert len({str(v["normalized"]) for v in values}) == len(values)
        seen: set[str] = set()
        for value in values:
            assert not seen & set(value["article_ids"]), conflict["subject"]
            seen |= set(value["article_ids"])


def test_date_conflict_puts_the_fire_on_tuesday_10_march() -> None:
    # The corpus says Tuesday 10 March; the calendar must agree or the relative dates lie.
    assert date(2026, 3, 10).strftime("%A") == "Tuesday"
    assert date(2026, 3, 11).strftime("%A") == "Wednesday"


def test_number_conflict_articles_state_only_their_own_toll(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    conflict = next(c for c in gold["conflicts"] if c["kind"] == "number")
    for value in conflict["values"]:
        others = [v["normalized"] for v in conflict["values"] if v is not value]
        for aid in value["article_ids"]:
            for other in others:
                pattern = rf"\b{other}\s+(workers|people)\b"
                assert not re.search(pattern, articles[aid].text), (aid, other)


def test_not_conflict_evidence_occurs(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for entry in gold["not_conflicts"]:
        assert entry["note"]
        for aid, snippet in entry.get("evidence", {}).items():
            _assert_occurs(snippet, aid, articles)


def test_quote_evidence_occurs_and_wordings_really_differ(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for group in gold["quotes"]:
        for aid, snippet in group["evidence"].items():
            _assert_occurs(snippet, aid, articles)
        wordings = {fold(s).strip(" ,.") for s in group["evidence"].values()}
        assert (len(wordings) > 1) == group["wording_differs"]


def test_single_source_snippet_occurs_only_in_its_article(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for fact in gold["single_source"]:
        holders = {
            _original(aid, gold)
            for aid, art in articles.items()
            if fold(fact["contains"]) in fold(art.text)
        }
        assert holders == {fact["article_id"]}, fact["contains"]


def test_corroborated_snippet_occurs_in_enough_outlets(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for fact in gold["corroborated"]:
        holders = {
            _original(aid, gold)
            for aid, art in articles.items()
            if fold(fact["contains"]) in fold(art.text)
        }
        assert holders == set(fact["article_ids"]), fact["contains"]
        assert len(holders) >= fact["min_outlets"]


def test_framing_term_is_used_only_by_its_article_about_the_named_referent(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for entry in gold["framing"]:
        text = fold(articles[entry["article_id"]].text)
        assert entry["term"] in text and entry["refers_to"] in text
        others = [a for aid, a in articles.items() if aid != entry["article_id"]]
        assert not any(entry["term"] in fold(a.text) for a in others), entry["term"]
        neutral = entry["others_use"]
        assert any(alt in fold(a.text) for a in others for alt in neutral), neutral


def test_timeline_dates_are_consistent_and_backed_by_articles(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for entry in gold["timeline"]:
        earliest = date.fromisoformat(entry["earliest"])
        latest = date.fromisoformat(entry["latest"])
        precision, value = entry["precision"], entry["date"]
        if precision == "day":
            assert earliest == latest == date.fromisoformat(value)
        elif precision == "week":
            year, week = value.split("-W")
            assert earliest == date.fromisocalendar(int(year), int(week), 1)
            assert latest == date.fromisocalendar(int(year), int(week), 7)
        elif precision == "month":
            year, month = map(int, value.split("-"))
            assert (earliest.year, earliest.month, earliest.day) == (year, month, 1)
            assert (latest.year, latest.month) == (year, month) and latest > earliest
        else:
            assert precision == "year"
            assert earliest == date(int(value), 1, 1) and latest == date(int(value), 12, 31)
        for aid in entry["article_ids"]:
            assert entry["event_contains"] in fold(articles[aid].text), (aid, entry["date"])


def test_furniture_line_occurs_in_named_article(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for aid, furniture in gold["furniture"].items():
        art = articles[aid]
        for line in furniture:
            if art.fmt == "html":
                # Inline markup splits lines in HTML; what matters is the reader sees it.
                assert fold(line) in fold(art.page), (aid, line)
            else:
                assert line in art.lines, (aid, line)


def test_syndicated_copy_is_a_near_copy_with_small_edits(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    for copy_id, original_id in gold["duplicates"].items():
        copy_words = articles[copy_id].text.split()
        original_words = articles[original_id].text.split()
        ratio = difflib.SequenceMatcher(None, copy_words, original_words).ratio()
        assert 0.9 < ratio < 1.0, ratio
        assert articles[copy_id].source != gold["articles"][original_id]["source"]


def test_entity_names_and_aliases_occur_in_the_corpus(
    gold: dict[str, Any], articles: dict[str, RawArticle]
) -> None:
    corpus = " ".join(fold(a.text) for a in articles.values())
    for entity in gold["entities"]:
        assert fold(entity["name"]) in corpus, entity["name"]
        for alias in entity["aliases_include"]:
            assert re.search(rf"\b{re.escape(alias)}\b", corpus), alias
        for alias, aid in entity.get("other_language_aliases", {}).items():
            holders = {i for i, a in articles.items() if alias in a.text}
            assert holders == {aid}, alias
