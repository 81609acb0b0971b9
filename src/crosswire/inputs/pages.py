"""Plain text and web pages to `Article`s: the main text by trafilatura, titles, the page
furniture left out, and dates as written in metadata."""

from __future__ import annotations

import contextlib
import logging
import re
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from dateutil import parser as date_parser
from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html
from trafilatura import metadata as traf_meta
from trafilatura.settings import Document
from trafilatura.utils import load_html

from crosswire.errors import InputReadError, Msg
from crosswire.inputs.mending import PROSE_END, SENTENCE_END, mend, text_key
from crosswire.models import Article

# Fewer words than this from a whole page is a leftover link ("Home"), not an article.
_MIN_PAGE_WORDS = 3
_MANIFEST_FIELDS = ("id", "source", "url", "title", "published")

# How an article's outlet was decided (Article.source_from), as `analyze` says it.
FROM_MANIFEST = "manifest"
FROM_OPTION = "--source"
FROM_METADATA = "page metadata"
FROM_URL = "page URL"
FROM_BYLINE = "byline or dateline"
FROM_FILE_NAME = "file name"
FROM_FOLDER = "folder name"
FROM_FEED = "feed"
FROM_FIELD = "input field"

# Two trafilatura passes, chosen on the extraction benchmark's dev pages (`crosswire eval
# extraction`). The strict pass: favor_precision without comments, and without trafilatura's
# comparison with readability/justext (`fast`), which costs a third of its time and on dev
# changed one page only, the one the fallback recovers.
_STRICT_KW: dict[str, Any] = {"include_comments": False, "favor_precision": True, "fast": True}
# The fallback where the strict pass keeps almost nothing of the page (under this share of its
# visible words: on dev one page at 3%, where it kept a date line; every other page 7% or
# more): trafilatura's balanced defaults, with their own recall retry, no comments...
_SUSPECT_SHARE = 0.05
_FALLBACK_KW: dict[str, Any] = {"include_comments": False}
# ...and where it keeps under this share of the page's prose (its lines of _PROSE_LINE_WORDS
# words or more that end like a sentence; comments and teasers are prose too, so much of it is
# never the article's: on dev one page at 4%, then one at 19% where both passes keep the same
# text, then 31% and more), the balanced pass as fast as the strict one: what favor_precision
# drops, at half the cost of the defaults.
_SUSPECT_PROSE_SHARE = 0.25
_PROSE_LINE_WORDS = 15
_BALANCED_KW: dict[str, Any] = {"include_comments": False, "fast": True}
# A fallback's text replaces the strict one only when at least twice as long: on dev a strict
# text at 0.6x of the balanced one was the better (the balanced one added a link list).
_FALLBACK_GAIN = 2.0
# Dates from markup and URL only; guessing from body text is the language stage's job.
_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}

# trafilatura logs every page it finds too little text in; our InputError already says so.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


def article_from_text(text: str, *, id: str, origin: str) -> Article:
    """An article from plain text: the first non-empty line is the title, the rest the text.

    A first line shaped like body prose (a long sentence) is kept as text, with no title.
    Raises `InputReadError` when there is no text.
    """
    title, body = _split_title(normalize_text(text))
    if not body:
        raise InputReadError(origin, Msg.NO_TEXT)
    return Article(id=id, source="", title=title, text=body, origin=origin)


# "LONDON (Reuters) -", "KYIV, Ukraine (AP) —": the agency a dateline names.
_DATELINE = re.compile(
    r"^[A-Z][A-Za-z.'\- ]{1,40}(?:, [A-Z][A-Za-z.' ]{1,30})?\s*\(([A-Z][\w&.' ]{1,40})\)\s*[-—–:]"
)
# "By Jane Doe | Reuters", "By Jane Doe for The Guardian": the outlet a byline names.
_BYLINE = re.compile(
    r"^By [A-Z][\w.'\- ]{1,60}?\s+(?:\||for)\s+([A-Z][\w&.' ]{1,40}?)\s*$", re.IGNORECASE
)
_BYLINE_LINES = 6


def outlet_from_byline(text: str) -> str:
    """The outlet a byline or dateline in the first lines of `text` names, else ""."""
    for line in text.split("\n")[:_BYLINE_LINES]:
        line = line.strip()
        match = _DATELINE.match(line) or _BYLINE.match(line)
        if match:
            return match.group(1).strip()
    return ""


def article_from_html(html: str, *, id: str, origin: str, url: str | None = None) -> Article:
    """An article from a web page: main text by trafilatura, date by htmldate (through it).

    `source` is the page's site name, else the URL's host, else empty.
    Raises `InputReadError` when the page holds no article text.
    """
    return article_from_markup(html, id=id, origin=origin, url=url, fallback_source="")


def parse_date(value: object) -> date | None:
    """A calendar date from an ISO string, a common written format, or a Unix timestamp.

    Partial dates ("Dec 2025") and unreadable values give None: a guessed day would be
    mistaken for a known one downstream.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 100:
        return None
    if _ISO_DAY.match(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    return _parse_written_date(text)


# --------------------------------------------------------------------------- dates

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")
# Two far-apart defaults: a field dateutil filled in from the default differs between them.
_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))


# Major news languages: loading all of dateparser's ~200 locales costs ~2.5 s on first use.
_DATE_LANGUAGES = (
    "en", "es", "fr", "de", "pt", "it", "nl", "ru", "uk", "pl", "tr", "ar", "zh",
    "ja", "ko", "sv", "da", "nb", "fi", "cs", "ro", "hu", "el", "he", "id", "hi",
)  # fmt: skip


def _parse_written_date(text: str) -> date | None:
    results = []
    for default in _DEFAULTS:
        try:
            results.append(date_parser.parse(text, default=default).date())
        except (ValueError, OverflowError, TypeError):
            results = []
            break
    if len(results) == 2:
        return results[0] if results[0] == results[1] else None
    # Other languages and forms ("4 de diciembre de 2025"); imported lazily, it is slow.
    import dateparser

    try:
        parsed = dateparser.parse(
            text,
            languages=list(_DATE_LANGUAGES),
            settings={"REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True},
        )
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    return parsed.date() if parsed else None


# --------------------------------------------------------------------------- text helpers

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_RUNS = re.compile(r"\n{3,}")
_WORD = re.compile(r"\w+")


def normalize_text(text: str) -> str:
    """Unify newlines, drop control characters, trim each line, keep the line structure."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _CONTROL.sub("", text).replace("\ufeff", "")
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _looks_like_body(line: str) -> bool:
    """A long line ending like a sentence is prose, not a headline."""
    words = len(_WORD.findall(line))
    return words > 30 or (words > 12 and bool(SENTENCE_END.search(line)))


def _split_title(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    first = first.strip()
    if _looks_like_body(first):
        return "", text
    rest = rest.strip()
    if not rest:
        # A single line is all the text there is; keep it as text.
        return "", first
    return first, rest


def host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def fragment_text(markup: str) -> str:
    """Visible text of an HTML fragment (feed content), one line per block element.

    Hand-written: trafilatura refuses fragments shorter than its minimum page size.
    """
    if "<" not in markup:
        return normalize_text(markup)
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        # "<" excluded inside: a run of unclosed "<" is then linear, not quadratic
        return normalize_text(re.sub(r"<[^<>]*>", " ", markup))
    return _block_text(root)


def _block_text(root: Any) -> str:
    """The visible text under an lxml element, one line per block element: a paragraph whose
    source is wrapped over several lines is one line (the lines of a <pre> stay)."""
    text = _SPACES.sub(" ", str(_BLOCK_TEXT(root)))
    return normalize_text(text.replace(_BREAK, "\n"))


_SKIP_TAGS = ("script", "style", "noscript", "template", "iframe")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "section", "article", "header", "footer", "tr", "table", "figure", "figcaption",
    "hr", "dd", "dt", "dl",
)  # fmt: skip
_SPACES = re.compile(r"[ \t\xa0\r\n]+")
# A line break the stylesheet writes (a noncharacter, never in a page's own text), told apart
# from the source's line breaks, which are spaces.
_BREAK = "\ufdd0"
# The text of the element and its descendants (their tails too, not its own), a break around
# each block element, nothing from the skipped ones or comments. As an XSLT run by libxslt:
# walking the tree in Python cost a tenth of a page's reading time.
_BLOCK_TEXT = etree.XSLT(
    etree.XML(
        f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="{"|".join(_BLOCK_TAGS)}">
<xsl:text>&#xFDD0;</xsl:text><xsl:apply-templates/><xsl:text>&#xFDD0;</xsl:text>
</xsl:template>
<xsl:template match="pre">
<xsl:text>&#xFDD0;</xsl:text><xsl:apply-templates mode="pre"/><xsl:text>&#xFDD0;</xsl:text>
</xsl:template>
<xsl:template match="*" mode="pre"><xsl:apply-templates mode="pre"/></xsl:template>
<xsl:template match="text()" mode="pre">
<xsl:value-of select="translate(., '&#10;', '&#xFDD0;')"/>
</xsl:template>
<xsl:template match="{"|".join(_SKIP_TAGS)}|comment()|processing-instruction()" mode="pre"/>
<xsl:template match="{"|".join(_SKIP_TAGS)}|comment()|processing-instruction()"/>
</xsl:stylesheet>"""
    )
)


def article_from_markup(
    markup: str,
    *,
    id: str,
    origin: str,
    url: str | None,
    fallback_source: str,
    fallback_from: str = FROM_FILE_NAME,
) -> Article:
    """A page's article; its outlet from the page's metadata (og:site_name, JSON-LD publisher:
    trafilatura's sitename), else the canonical URL's host, else a byline or dateline, else
    `fallback_source` (said as `fallback_from`)."""
    try:
        page = _extract(markup, url)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        page = None
    if page is None:
        raise InputReadError(origin, Msg.NO_TEXT)
    doc, page_lines = page
    text = normalize_text(doc.text or "")
    if len(_WORD.findall(text)) < _MIN_PAGE_WORDS:
        raise InputReadError(origin, Msg.NO_TEXT)
    page_url = url or doc.url or None
    source, source_from = (doc.sitename or "").strip(), FROM_METADATA
    host = host_of(page_url)
    if source and host and host.casefold().endswith(source.casefold()):
        source_from = FROM_URL  # trafilatura names the site by its domain when nothing else
    if not source:
        source, source_from = host, FROM_URL
    if not source:
        source, source_from = outlet_from_byline(text), FROM_BYLINE
    if not source:
        source, source_from = fallback_source, fallback_from
    title = normalize_text(doc.title or "").replace("\n", " ")
    first, _, rest = text.partition("\n")
    if rest.strip() and _repeats_title(first, title):
        text = rest.strip()  # the page's <h1> repeats the title
    return Article(
        id=id,
        source=source,
        source_from=source_from if source else None,
        title=title,
        url=page_url,
        published=parse_date(doc.date),
        text=text,
        origin=origin,
        boilerplate_removed=_dropped_lines(page_lines, text, title),
    )


# A headline of fewer words may be a kicker ("Analysis"), not the title repeated.
_TITLE_MIN_WORDS = 4


def _repeats_title(line: str, title: str) -> bool:
    """The line is the page's title: word for word (quotes and dashes aside), or the title
    is it with the site's name after it ("Headline | Outlet")."""
    shown, titled = text_key(line), text_key(title)
    if shown == titled and shown:
        return True
    return shown.count(" ") + 1 >= _TITLE_MIN_WORDS and titled.startswith(shown + " ")


# What is listed of a page's dropped lines: enough to see what went, not a copy of the page.
_MAX_DROPPED_LISTED = 60
_MAX_PAGE_LINES = 3000
_SUBSTRING_CHECK_CHARS = 200_000


def _dropped_lines(page_lines: list[str], text: str, title: str) -> list[str]:
    """The page's visible lines that extraction left out of the article text (navigation,
    share bars, bylines, related links...): HTML's furniture, listed as removed the way
    `clean` lists the lines it removes from plain text."""
    kept_text = " ".join(text.split()).casefold()
    kept_lines = {" ".join(line.split()).casefold() for line in text.split("\n")}
    kept_lines.add(" ".join(title.split()).casefold())
    # A line inside a kept paragraph (a link, an emphasis on its own block) is not dropped;
    # searching the text for each line is skipped on huge pages, where it would be quadratic.
    search = len(kept_text) <= _SUBSTRING_CHECK_CHARS
    dropped: list[str] = []
    for line in page_lines[:_MAX_PAGE_LINES]:
        shown = " ".join(line.split())
        folded = shown.casefold()
        if not _WORD.search(shown) or folded in kept_lines or (search and folded in kept_text):
            continue
        if shown not in dropped:
            dropped.append(shown[:200])
        if len(dropped) >= _MAX_DROPPED_LISTED:
            break
    return dropped


# --------------------------------------------------------------------------- extraction


def _extract(markup: str, url: str | None) -> tuple[Document, list[str]] | None:
    """The page's metadata and main text (`Document.text`), and its visible lines; None when
    it holds no text. The page is parsed once for all of them.

    The strict pass runs first; when it keeps too little of the page for an article (a blog
    post cut down to its date line) or little of its prose, a balanced pass runs, and wins when
    it keeps twice as much or more. Then what trafilatura gets wrong on news pages is mended
    from the page: the rest of a body split into chunks, the prose the strict pass cut out of
    the article and embedded tweets put back; links to other stories and calls to the reader
    at the text's ends taken out.
    """
    tree = load_html(markup)
    if tree is None:
        return None
    page_lines = _page_lines(tree)
    doc = _metadata(tree, url)
    page_url = url or doc.url
    text = _fuller_text(tree, page_url, _text_pass(tree, page_url, _STRICT_KW), page_lines)
    if text is None:
        return None
    try:
        text = mend(tree, text, page_lines)
    except (ValueError, TypeError, etree.LxmlError):
        # refinements of trafilatura's text: a page one of them trips on keeps that text
        logging.getLogger(__name__).debug("page refinement failed", exc_info=True)
    doc.text = text
    return doc, page_lines


def _fuller_text(tree: Any, url: str | None, text: str | None, page_lines: list[str]) -> str | None:
    """The strict pass's `text`, or a fallback pass's where the strict one kept too little of
    the page to be an article, or little of its prose, and the fallback keeps at least twice as
    much."""
    kept = len(_WORD.findall(text or ""))
    if kept < _MIN_PAGE_WORDS or kept < _SUSPECT_SHARE * len(_WORD.findall("\n".join(page_lines))):
        settings = _FALLBACK_KW
    elif kept < _SUSPECT_PROSE_SHARE * sum(
        n
        for line in page_lines
        if PROSE_END.search(line) and (n := len(_WORD.findall(line))) >= _PROSE_LINE_WORDS
    ):
        settings = _BALANCED_KW
    else:
        return text
    fallback = _text_pass(tree, url, settings)
    if fallback is not None and len(_WORD.findall(fallback)) >= _FALLBACK_GAIN * max(kept, 1):
        return fallback
    return text


def _page_lines(tree: Any) -> list[str]:
    """The visible lines of a parsed page's body; none for a page without one (a frameset,
    a head only)."""
    body = tree.find("body")
    return _block_text(body).split("\n") if body is not None else []


def _text_pass(tree: Any, url: str | None, settings: dict[str, Any]) -> str | None:
    """One trafilatura pass over (a copy of) the parsed page: its main text, None if none."""
    doc = trafilatura.bare_extraction(tree, url=url, **settings)
    return doc.text if isinstance(doc, Document) else None


def _metadata(tree: Any, url: str | None) -> Document:
    """The fields of trafilatura's `extract_metadata` that crosswire reads (title, URL, date,
    site name), computed as it computes them; its author, categories, tags and licence
    searches (a third of a page's extraction time) are left out."""
    meta = traf_meta.examine_meta(tree)
    # As trafilatura does: its JSON-LD reader has bugs of its own, the other fields still count.
    with contextlib.suppress(Exception):
        meta = traf_meta.extract_meta_json(tree, meta)
    if not meta.title:
        meta.title = traf_meta.extract_title(tree)
    if not meta.url:
        meta.url = traf_meta.extract_url(tree, url)
    meta.date = find_date(tree, url=meta.url, **_DATE_PARAMS)
    if not meta.sitename:
        meta.sitename = traf_meta.extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")  # a Twitter handle
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url:
        match = traf_meta.META_URL.match(meta.url)
        if match:
            meta.sitename = match[1]
    meta.clean_and_trim()
    return meta
