"""Plain text and web pages to `Article`s: the main text by trafilatura, titles, the page
furniture left out, and dates as written in metadata."""

from __future__ import annotations

import bisect
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
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
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
    return words > 30 or (words > 12 and bool(_SENTENCE_END.search(line)))


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
    shown, titled = _key(line), _key(title)
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
        text = _with_left_out_prose(tree, _with_split_body(tree, text), page_lines)
        text = _with_embedded_posts(tree, text)
        text = _without_edge_prompts(_without_story_links(tree, text))
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
        if _PROSE_END.search(line) and (n := len(_WORD.findall(line))) >= _PROSE_LINE_WORDS
    ):
        settings = _BALANCED_KW
    else:
        return text
    fallback = _text_pass(tree, url, settings)
    if fallback is not None and len(_WORD.findall(fallback)) >= _FALLBACK_GAIN * max(kept, 1):
        return fallback
    return text


# A paragraph of an article's body: this many words or more (shorter ones are captions,
# labels, "Advertisement")...
_BODY_PARAGRAPH_WORDS = 8
# ...and a body container's twin lies within this many levels of it (the same article's
# chunks, not another article appended further down the page).
_TWIN_LEVELS = 3
_PROSE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text)).casefold()


def _with_split_body(tree: Any, text: str) -> str:
    """`text` with the paragraphs of the rest of a body split into several containers.

    Sites cut long articles into chunks between ads: sibling elements with the same tag and
    class, each holding some of the <p>s. trafilatura keeps the first chunk only. A chunk is
    taken back when it is the twin of the container trafilatura's paragraphs came from
    (same tag and class, near it in the tree) and none of its own paragraphs was kept.
    """
    by_signature: dict[tuple[str, str], dict[Any, list[Any]]] = {}
    for p in tree.iter("p"):
        parent = p.getparent()
        cls = parent.get("class") if parent is not None else None
        if cls:
            by_signature.setdefault((parent.tag, cls), {}).setdefault(parent, []).append(p)
    kept = _key(text)
    best: tuple[int, Any, dict[Any, list[str]], dict[Any, int]] | None = None
    for containers in by_signature.values():
        if len(containers) < 2:
            continue
        paragraphs: dict[Any, list[str]] = {}
        matched: dict[Any, int] = {}
        for container, ps in containers.items():
            lines = [" ".join(p.text_content().split()) for p in ps]
            lines = [line for line in lines if len(_WORD.findall(line)) >= _BODY_PARAGRAPH_WORDS]
            paragraphs[container] = lines
            matched[container] = sum(_key(line) in kept for line in lines)
        main = max(matched, key=matched.__getitem__)
        if matched[main] >= 2 and (best is None or matched[main] > best[0]):
            best = (matched[main], main, paragraphs, matched)
    if best is None:
        return text
    _, main, paragraphs, matched = best
    near = main
    for _ in range(_TWIN_LEVELS):
        near = near.getparent() if near.getparent() is not None else near
    if near is main:
        return text
    before: list[str] = []
    after: list[str] = []
    seen_main = False
    for container, lines in paragraphs.items():  # document order
        if container is main:
            seen_main = True
            continue
        prose = [line for line in lines if _PROSE_END.search(line)]
        if matched[container] or len(prose) < 2 or not _nested_in(container, near):
            continue
        # kept after all, only not word for word (trafilatura cut a link out of it)
        if any(_opening(line) in kept for line in lines):
            continue
        if _nested_in(container, main) or _nested_in(main, container):
            continue
        (after if seen_main else before).extend(prose)
    if not before and not after:
        return text
    lines = text.split("\n")
    keys = [_key(line) for line in lines]
    main_kept = [_key(line) for line in paragraphs[main] if _key(line) in kept]
    # where the main chunk's first and last kept paragraphs are in the text
    first = next((n for n, k in enumerate(keys) if main_kept[0] in k), 0)
    last = next((n for n in reversed(range(len(keys))) if main_kept[-1] in keys[n]), len(keys) - 1)
    return "\n".join(lines[:first] + before + lines[first : last + 1] + after + lines[last + 1 :])


# Prose the strict pass left out of the article: a line of the page of this many words or
# more that ends like a sentence...
_LEFT_OUT_MIN_WORDS = 15
_CLOSERS = "\"'”’»)]"
_ENDS = frozenset(".!?…:;")
# ...mostly words, not markup shown as text ('style="display: inline-block;"')...
_LEFT_OUT_WORD_SHARE = 0.8
_WORDLIKE = re.compile(r"[\"'“‘(\[]*[^\W_]+(?:[’'\-.][^\W_]+)*[\"'”’)\].,;:!?…]*")
# ...not mostly the text of one link (a teaser of another story), not a photo's caption.
_LEFT_OUT_LINK_SHARE = 0.5
_CAPTIONS = etree.XPath('//figcaption|//*[contains(@class, "caption") or contains(@id, "caption")]')
# Characters that do not show and that trafilatura leaves out (soft hyphens, zero widths).
_INVISIBLE = re.compile("[\xad\u200b-\u200d\u2060\ufeff]")


def _looks_like_prose(line: str) -> bool:
    """A page line that may be the article's prose (see the constants above)."""
    tokens = line.split()
    if len(tokens) < _LEFT_OUT_MIN_WORDS or line.rstrip(_CLOSERS)[-1:] not in _ENDS:
        return False
    words = sum(bool(_WORDLIKE.fullmatch(token)) for token in tokens)
    return words >= _LEFT_OUT_WORD_SHARE * len(tokens) and not _is_prompt(line)


def _with_left_out_prose(tree: Any, text: str, page_lines: list[str]) -> str:
    """`text` with the prose the strict pass cut out of the article, taken from the page's
    visible lines (`page_lines`).

    favor_precision drops elements by class or style ("link", "bottom", a border), and with
    them a link inside a sentence ("... reported that [the NFL will fine Rudolph] for his
    role") or a whole paragraph holding one. A kept line that is a page line with words cut
    out is replaced by the page line; a page line left out between two page lines that follow
    each other in the text is put back between them, unless it is a caption or a link. Not
    before the text's first line or after its last: teasers and notes lie there.
    """
    lines = text.split("\n")
    first_at: dict[str, int] = {}
    for n, line in enumerate(lines):
        first_at.setdefault(" ".join(line.split()), n)
    # where each page line is in the text, if kept word for word (most of the kept ones are;
    # page lines have their spaces collapsed already)
    kept_at = [first_at.get(line) for line in page_lines]
    # (a count of spaces first: most of a page's lines are short, and it is the cheapest test)
    candidates = [
        n
        for n, line in enumerate(page_lines)
        if line.count(" ") >= _LEFT_OUT_MIN_WORDS - 1
        and kept_at[n] is None
        and _looks_like_prose(line)
    ]
    if not candidates:
        return text
    keys = [_key(line) for line in lines]
    kept_text = " ".join(keys)
    line_words = [key.split() for key in keys]
    by_edge: dict[str, set[int]] = {}  # the text's lines by their first and last word
    for n, words in enumerate(line_words):
        for word in words[:1] + words[-1:]:
            by_edge.setdefault(word, set()).add(n)
    anchors: list[int] = []
    mended: dict[int, str] = {}
    inserts: dict[int, list[str]] = {}
    unwanted: set[str] | None = None
    for n in candidates:
        line = _INVISIBLE.sub("", page_lines[n])
        key = _key(line)
        if key in kept_text:
            continue
        at = _cut_from(key.split(), line_words, by_edge)
        if at is not None:
            # not a page line that runs on over the next kept line (it would be there twice)
            if at not in mended and (at + 1 == len(keys) or keys[at + 1] not in key):
                mended[at] = line
            continue
        anchors = anchors or [m for m, place in enumerate(kept_at) if place is not None]
        # the kept page lines around this one, and where they are in the text
        following = bisect.bisect(anchors, n)
        if not 0 < following < len(anchors):
            continue
        before, after = kept_at[anchors[following - 1]], kept_at[anchors[following]]
        if before is None or after != before + 1:
            continue
        unwanted = _link_and_caption_keys(tree) if unwanted is None else unwanted
        if not any(_covers(part, key) for part in unwanted):
            inserts.setdefault(before, []).append(line)
    if not mended and not inserts:
        return text
    out: list[str] = []
    for n, line in enumerate(lines):
        out.append(mended.get(n, line))
        out.extend(inserts.get(n, ()))
    return "\n".join(out)


def _cut_from(words: list[str], lines: list[list[str]], by_edge: dict[str, set[int]]) -> int | None:
    """The line of `lines` that is `words` with some cut out: most of them, in order, the
    first or the last in place (`by_edge`: the lines by their first and last word)."""
    for n in sorted(by_edge.get(words[0], set()) | by_edge.get(words[-1], set())):
        part = lines[n]
        if (
            _BODY_PARAGRAPH_WORDS <= len(part) < len(words) <= 2 * len(part)
            and (part[0] == words[0] or part[-1] == words[-1])
            and _in_order(part, words)
        ):
            return n
    return None


def _link_and_caption_keys(tree: Any) -> set[str]:
    """The words of the page's links and photo captions."""
    elements = [*tree.iter("a"), *_CAPTIONS(tree)]
    return {key for element in elements if (key := _key(element.text_content()))}


def _covers(part: str, key: str) -> bool:
    """`key` lies inside `part`, or `part` makes up most of it."""
    return key in part or (part in key and len(part) >= _LEFT_OUT_LINK_SHARE * len(key))


def _in_order(part: list[str], whole: list[str]) -> bool:
    """Every word of `part` is in `whole`, in the same order."""
    rest = iter(whole)
    return all(word in rest for word in part)


# A link to another story, kept by trafilatura as a line of the text ("SEE MORE: Hong Kong
# protests: 800 students under siege", "[Related: ...]", a list of further reading): a line
# that is not a sentence, mostly the text of one link, and that link's address ends in a
# story's slug ("/2019/11/hong-kong-students-under-siege").
_LINK_SHARE = 0.7
_LINK_MIN_WORDS = 4
_LINK_MAX_WORDS = 25
_SLUG_WORDS = 4  # a slug of 4+ words, three of their separators
_ADDRESS_TEXT = re.compile(r"https?:|www\.", re.IGNORECASE)


def _story_link_keys(tree: Any, first_words: set[str] | None = None) -> list[tuple[str, int]]:
    """The texts of the page's links to stories, with their word counts; with `first_words`,
    only links starting with one of them (a page has hundreds of links, few of them kept)."""
    keys: list[tuple[str, int]] = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").split("?", 1)[0].split("#", 1)[0].rstrip("/")
        slug = href.rsplit("/", 1)[-1]
        if slug.count("-") + slug.count("_") < _SLUG_WORDS - 1:
            continue
        if first_words is not None and anchor.text and not anchor.text.isspace():
            first = _WORD.search(anchor.text)
            if first is None or first.group().casefold() not in first_words:
                continue
        shown = anchor.text_content()
        key = _key(shown)
        words = key.count(" ") + 1 if key else 0
        if words >= _LINK_MIN_WORDS and not _ADDRESS_TEXT.search(shown):
            keys.append((key, words))
    return keys


def _without_story_links(tree: Any, text: str) -> str:
    """`text` without the lines that are links to other stories (a sentence stays: a link in
    the article's own prose, "Get more meal ideas here!")."""
    lines = text.split("\n")
    candidates = [
        n
        for n, line in enumerate(lines)
        if _LINK_MIN_WORDS <= len(_WORD.findall(line)) <= _LINK_MAX_WORDS
        and not _SENTENCE_END.search(line.rstrip())
    ]
    if not candidates:
        return text
    keys = {n: _key(lines[n]) for n in candidates}
    links = _story_link_keys(tree, {word for key in keys.values() for word in key.split()})
    if not links:
        return text
    drop = set()
    for n, key in keys.items():
        words = key.count(" ") + 1
        if any(k in key and w >= _LINK_SHARE * words for k, w in links):
            drop.add(n)
    kept = [line for n, line in enumerate(lines) if n not in drop]
    return "\n".join(kept) if any(_WORD.search(line) for line in kept) else text


# The site's calls to the reader that trafilatura keeps at either end of the text ("Follow
# us on Twitter", "Sign up for our newsletter", "Like this story? Share it with a friend!"):
# a sentence opening with an imperative of the web's own verbs (not in quotes: "Get out of
# here," she said), and about the web's own things. English only; on dev no line of an
# article's own text has both.
_PROMPT_VERB = re.compile(
    r"(?:^|[.!?…]\s+)(?:follow|subscribe|sign up|click|tap|share|listen|get|tell us|"
    r"download|like us|join|send us|register)\b",
    re.IGNORECASE,
)
_PROMPT_OBJECT = re.compile(
    r"\b(?:twitter|facebook|instagram|youtube|linkedin|tiktok|whatsapp|newsletters?|inbox|"
    r"subscribe|subscription|sign up|click here|app|e-?mail|friends?|here|podcast|"
    r"what you think)\b",
    re.IGNORECASE,
)
# A prompt is a line or two of text: a longer paragraph is the article's own.
_PROMPT_MAX_WORDS = 60


# Short labels ("comments", "Share") between such prompts and the edge go with them.
_LABEL_MAX_WORDS = 3


def _is_prompt(line: str) -> bool:
    words = len(_WORD.findall(line))
    return (
        words <= _PROMPT_MAX_WORDS
        and bool(_PROMPT_VERB.search(line))
        and bool(_PROMPT_OBJECT.search(line))
    )


def _prompts_at_edge(lines: list[str]) -> int:
    """How many of `lines`, from the first, are prompts or the labels around them."""
    cut = 0
    for n, line in enumerate(lines):
        if _is_prompt(line):
            cut = n + 1
        elif len(_WORD.findall(line)) > _LABEL_MAX_WORDS or _SENTENCE_END.search(line):
            break
    return cut


def _without_edge_prompts(text: str) -> str:
    """`text` without the calls to the reader on its first and last lines (only there: in the
    middle such a line may be the article's, a how-to's steps)."""
    lines = text.split("\n")
    end = len(lines) - _prompts_at_edge(lines[::-1])
    start = _prompts_at_edge(lines[:end])
    kept = lines[start:end]
    return "\n".join(kept) if kept else text


# Posts quoted in an article with the platform's embed code: trafilatura drops them when the
# site wraps them in a "social" block, as it drops share bars.
_EMBEDDED_POSTS = etree.XPath(
    '//blockquote[contains(concat(" ", normalize-space(@class), " "), " twitter-tweet ")]'
)
# Words of the text before an embedded post that place it in the article's text.
_PLACE_WORDS = 8


def _with_embedded_posts(tree: Any, text: str) -> str:
    """`text` with the embedded posts (tweets) of the article that trafilatura left out, each
    after the kept text that precedes it on the page; a post whose preceding text was not
    kept is outside the article and stays out."""
    posts = _EMBEDDED_POSTS(tree)
    if not posts:
        return text
    lines = text.split("\n")
    for post in posts:
        post_lines = _post_lines(post)
        # kept already, maybe cut into lines at its <br>s: its last words (the byline) are there
        signature = " ".join(_key(" ".join(post_lines)).split()[-_PLACE_WORDS:])
        if not signature or signature in _key(" ".join(lines)):
            continue
        at = _line_after(post, lines)
        if at is not None:
            lines[at:at] = post_lines
    return "\n".join(lines)


def _post_lines(post: Any) -> list[str]:
    """An embedded post's paragraphs, then the rest of it (author, handle, date), a line each."""
    paragraphs = [" ".join(" ".join(p.itertext()).split()) for p in post.iter("p")]
    rest = " ".join(" ".join(post.itertext()).split())
    for paragraph in paragraphs:
        rest = rest.replace(paragraph, "", 1)
    lines = [*paragraphs, rest.strip()]
    return [line for line in lines if _WORD.search(line)]


def _line_after(element: Any, lines: list[str]) -> int | None:
    """Where in `lines` the element goes: after the line holding the end of the text just
    before it (its nearest preceding sibling with text, at most _TWIN_LEVELS up)."""
    for _ in range(_TWIN_LEVELS):
        for sibling in element.itersiblings(preceding=True):
            words = _key(sibling.text_content()).split()
            if not words:
                continue
            end = " ".join(words[-_PLACE_WORDS:])
            for n in reversed(range(len(lines))):
                if end in _key(lines[n]):
                    return n + 1
            return None
        element = element.getparent()
        if element is None:
            return None
    return None


def _opening(line: str) -> str:
    return " ".join(_key(line).split()[:_PLACE_WORDS])


def _nested_in(element: Any, ancestor: Any) -> bool:
    return any(a is ancestor for a in element.iterancestors())


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
