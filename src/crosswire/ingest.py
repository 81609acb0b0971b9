"""Read input files into `Article` models (raw text; `clean` removes page furniture later).

Inputs: .txt, .html/.htm, .jsonl, RSS/Atom feeds (.xml/.rss/.atom or sniffed), each optionally
gzipped (.gz); folders are walked recursively. A folder's `manifest.jsonl` overrides what was
read from the files it names. Bad input never raises: each bad file or line becomes one
`InputError` and the rest of the batch goes on.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import logging
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, cast
from urllib.parse import urlsplit
from xml.sax import SAXParseException

import charset_normalizer
import feedparser
import trafilatura
from dateutil import parser as date_parser
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Document

from crosswire.errors import InputReadError, Msg
from crosswire.models import Article, InputError
from crosswire.options import Options

if TYPE_CHECKING:
    from crosswire.fetch import Fetcher
    from crosswire.scale import Executor

__all__ = [
    "FeedEntry",
    "article_from_html",
    "article_from_text",
    "decode_bytes",
    "is_url",
    "parse_date",
    "parse_feed",
    "read_inputs",
    "sniff_kind",
]

Kind = Literal["txt", "html", "jsonl", "feed", "parquet", "warc"]

MANIFEST_NAME = "manifest.jsonl"
_SUFFIX_KINDS: dict[str, Kind] = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    # archive inputs, streamed by crosswire.archive
    ".parquet": "parquet",
    ".warc": "warc",
}
_SNIFF_BYTES = 4096
# Fewer words than this from a whole page is a leftover link ("Home"), not an article.
_MIN_PAGE_WORDS = 3
_MANIFEST_FIELDS = ("id", "source", "url", "title", "published")

# trafilatura settings chosen on the article-extraction benchmark (see evaluate_extraction):
# favor_precision without comments scores F1 0.964 there vs 0.958 for the defaults.
_EXTRACT_KW: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    # Dates from markup and URL only; guessing from body text is the language stage's job.
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}

# trafilatura logs every page it finds too little text in; our InputError already says so.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


# --------------------------------------------------------------------------- public API


def read_inputs(
    paths: Sequence[Path | str], options: Options, executor: Executor | None = None
) -> Iterator[Article | InputError]:
    """Yield one `Article` per article found in `paths`, or an `InputError` per bad input.

    A string with a scheme (`https://...`) is a URL, read by `crosswire.fetch` (a page, or a
    feed whose entries become articles); anything else is a path.

    Folders are walked recursively in sorted order, skipping hidden entries and manifests;
    inside folders, files of unknown type are skipped unless they sniff as HTML or a feed.
    `manifest.jsonl` lines override the fields read from the files they name (the nearest
    manifest wins); a manifest given by name reads the files it lists. Article ids are made
    unique within the run (`-2`, `-3`, ... on collision, in reading order).

    With an `executor` (crosswire.scale) of more than one worker, the pages of WARC files are
    extracted in its workers (the same articles, in the same order).
    """
    run = _Run(options, executor=executor)
    try:
        for path in paths:
            if isinstance(path, str) and is_url(path):
                yield from run.read_url(path)
            else:
                yield from run.read_path(Path(path))
    finally:
        if run.fetcher is not None:
            run.fetcher.close()


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")


def is_url(text: str) -> bool:
    """Whether an input names a URL (any scheme; fetch refuses all but http and https)."""
    return bool(_URL.match(text))


def article_from_text(text: str, *, id: str, origin: str) -> Article:
    """An article from plain text: the first non-empty line is the title, the rest the text.

    A first line shaped like body prose (a long sentence) is kept as text, with no title.
    Raises `InputReadError` when there is no text.
    """
    title, body = _split_title(_normalize_text(text))
    if not body:
        raise InputReadError(origin, Msg.NO_TEXT)
    return Article(id=id, source="", title=title, text=body, origin=origin)


def article_from_html(html: str, *, id: str, origin: str, url: str | None = None) -> Article:
    """An article from a web page: main text by trafilatura, date by htmldate (through it).

    `source` is the page's site name, else the URL's host, else empty.
    Raises `InputReadError` when the page holds no article text.
    """
    return _article_from_markup(html, id=id, origin=origin, url=url, fallback_source="")


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


def _normalize_text(text: str) -> str:
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


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _fragment_text(markup: str) -> str:
    """Visible text of an HTML fragment (feed content), one line per block element.

    Hand-written: trafilatura refuses fragments shorter than its minimum page size.
    """
    if "<" not in markup:
        return _normalize_text(markup)
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        # "<" excluded inside: a run of unclosed "<" is then linear, not quadratic
        return _normalize_text(re.sub(r"<[^<>]*>", " ", markup))
    return _block_text(root)


def _block_text(root: Any) -> str:
    """The visible text under an lxml element, one line per block element."""
    parts: list[str] = []
    skipping = 0  # depth inside <script>, <style>, ...
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP_TAGS:
            skipping += 1 if event == "start" else -1
            if event == "end" and not skipping and element.tail:
                parts.append(element.tail)
            continue
        if skipping:
            continue
        block = tag in _BLOCK_TAGS
        if event == "start":
            if block:
                parts.append("\n")
            if element.text and isinstance(element.tag, str):
                parts.append(element.text)
        else:
            if block:
                parts.append("\n")
            if element.tail and element is not root:
                parts.append(element.tail)
    return _normalize_text(re.sub(r"[ \t\xa0]+", " ", "".join(parts)))


_SKIP_TAGS = {"script", "style", "noscript", "template", "iframe"}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "section", "article", "header", "footer", "tr", "table", "figure", "figcaption", "pre",
    "hr", "dd", "dt", "dl",
}  # fmt: skip


# --------------------------------------------------------------------------- decoding


def _decode(data: bytes, origin: str, *, html: bool = False) -> str:
    """Bytes to text: BOM, then UTF-8, then (HTML) the declared charset, then a detected one."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _non_empty(data.decode(codec), origin)
            except UnicodeDecodeError:
                break
    wide = _utf16_without_bom(data[:_SNIFF_BYTES])
    if wide is not None:
        try:
            return _non_empty(data.decode(wide), origin)
        except UnicodeDecodeError:
            raise InputReadError(origin, Msg.BINARY) from None
    if not data.strip():
        raise InputReadError(origin, Msg.EMPTY)
    if b"\x00" in data[:8192]:
        raise InputReadError(origin, Msg.BINARY)
    try:
        return _non_empty(data.decode("utf-8"), origin)
    except UnicodeDecodeError:
        pass
    if html:
        declared = _META_CHARSET.search(data[:_SNIFF_BYTES])
        if declared:
            label = declared.group(1).decode("ascii").lower()
            try:
                return _non_empty(data.decode(_WHATWG_LABELS.get(label, label)), origin)
            except (LookupError, UnicodeDecodeError):
                pass
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise InputReadError(origin, Msg.UNDECODABLE)
    best = matches[0]
    # Short Western texts often fit several code pages equally well; prefer windows-1252,
    # the web's de-facto default for undeclared 8-bit text (as the WHATWG encoding spec does).
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + 0.1:
            best = match
            break
    return _non_empty(str(best), origin)


def decode_bytes(data: bytes, origin: str, *, html: bool = False) -> str:
    """Bytes to text as input files are decoded (BOM, UTF-8, for HTML the declared charset,
    else detected). Raises `InputReadError` for empty, binary or undecodable data."""
    return _decode(data, origin, html=html)


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_\-]{2,40})""", re.I)


# Labels browsers read as windows-1252 (WHATWG encoding spec): pages that say latin-1 are
# nearly always cp1252, whose curly quotes latin-1 would turn into invisible C1 controls.
_WHATWG_LABELS = dict.fromkeys(
    (
        "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819",
        "ibm819", "us-ascii", "ascii", "ansi_x3.4-1968", "windows-1252", "x-cp1252",
    ),
    "cp1252",
)  # fmt: skip


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'-be' when NUL bytes fall on every other byte, as in UTF-16 of Latin text.

    Hand-written: charset-normalizer does not try UTF-16 without a BOM, and Notepad-style
    exports without one are common. Binary data has NULs on both sides.
    """
    sample = head[: len(head) // 2 * 2]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


def _wide_codec(head: bytes) -> str | None:
    """The codec of UTF-16/32 text, from its BOM or its NUL pattern; None for 8-bit text."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return codec
    return _utf16_without_bom(head)


def _non_empty(text: str, origin: str) -> str:
    if not text.strip():
        raise InputReadError(origin, Msg.EMPTY)
    return text


# --------------------------------------------------------------------------- one run


@dataclass
class _Run:
    """State of one `read_inputs` call: ids handed out, manifests and files already read."""

    options: Options
    ids: set[str] = field(default_factory=set)
    manifests: dict[Path, dict[Path, dict[str, Any]]] = field(default_factory=dict)
    manifest_files: dict[Path, list[str]] = field(default_factory=dict)
    seen_files: set[Path] = field(default_factory=set)
    fetcher: Fetcher | None = None
    executor: Executor | None = None

    def read_url(self, url: str) -> Iterator[Article | InputError]:
        # imported here: fetch builds on this module's readers
        from crosswire.fetch import Fetcher

        if self.fetcher is None:
            self.fetcher = Fetcher(self.options)
        for item in self.fetcher.read_url(url):
            yield self._finish(item, None, single=True) if isinstance(item, Article) else item

    def read_path(self, path: Path) -> Iterator[Article | InputError]:
        if path.is_dir():
            for file in _walk(path):
                yield from self.read_file(file, explicit=False, root=path)
        elif path.is_file() and path.name == MANIFEST_NAME:
            # A manifest given by name stands for the files it lists, in its order.
            _, errors = self._manifest(_absolute(path.parent))
            yield from errors
            for name in self.manifest_files.get(_absolute(path.parent), []):
                yield from self.read_file(path.parent / name, explicit=True, root=path.parent)
        elif path.is_file():
            yield from self.read_file(path, explicit=True, root=path.parent)
        elif path.exists():
            yield InputError(origin=str(path), message=Msg.NOT_REGULAR)
        else:
            yield InputError(origin=str(path), message=Msg.NOT_FOUND)

    def read_file(
        self, path: Path, *, explicit: bool, root: Path
    ) -> Iterator[Article | InputError]:
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
            yield InputError(origin=str(path), message=Msg.READ_FAILED.format(error=Msg.LOOP))
            return
        if resolved in self.seen_files:
            return
        self.seen_files.add(resolved)
        # Manifests from the given folder down to the file's own; the nearest one wins.
        override: dict[str, Any] = {}
        for folder in _folders_between(_absolute(root), _absolute(path.parent)):
            overrides, errors = self._manifest(folder)
            yield from errors
            override.update(overrides.get(resolved, {}))
        try:
            kind = _kind(path)
            if kind is None:
                kind = _sniff(path, self.options)
            if kind is None:
                if explicit:
                    raise InputReadError(str(path), Msg.UNSUPPORTED.format(suffix=path.suffix))
                return
            if kind == "warc":
                items = _read_warc(path, self.options, self.executor)
            else:
                items = _READERS[kind](path, self.options)
            single = kind in ("txt", "html")
            for item in items:
                if isinstance(item, Article):
                    item = self._finish(item, override or None, single=single)
                yield item
        except InputReadError as error:
            yield InputError(origin=error.origin, message=error.message)

    def _finish(
        self, article: Article, override: dict[str, Any] | None, *, single: bool
    ) -> Article:
        update: dict[str, Any] = {}
        if override is not None:
            update = {k: v for k, v in override.items() if single or k != "id"}
        wanted = str(update.get("id", article.id))
        unique, n = wanted, 1
        while unique in self.ids:
            n += 1
            unique = f"{wanted}-{n}"
        self.ids.add(unique)
        update["id"] = unique
        return article.model_copy(update=update)

    def _manifest(self, folder: Path) -> tuple[dict[Path, dict[str, Any]], list[InputError]]:
        if folder in self.manifests:
            return self.manifests[folder], []
        overrides: dict[Path, dict[str, Any]] = {}
        self.manifests[folder] = overrides
        self.manifest_files[folder] = listed = []
        path = folder / MANIFEST_NAME
        if not path.is_file():
            return overrides, []
        errors: list[InputError] = []
        origin = str(path)
        try:
            raw = _read_bytes(path, self.options, origin)
            text = _decode(raw, origin)
        except InputReadError as error:
            return overrides, [InputError(origin=error.origin, message=error.message)]
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                file, fields = _manifest_line(line, number)
            except InputReadError as error:
                errors.append(InputError(origin=origin, message=error.message))
                continue
            target = (folder / file).resolve()
            if not target.is_file():
                message = Msg.MANIFEST_NO_FILE.format(line=number, file=file)
                errors.append(InputError(origin=origin, message=message))
                continue
            if "published" in fields and fields["published"] is not None:
                when = parse_date(fields["published"])
                if when is None:
                    problem = Msg.BAD_DATE.format(value=fields["published"])
                    message = Msg.MANIFEST_LINE.format(line=number, error=problem)
                    errors.append(InputError(origin=origin, message=message))
                    del fields["published"]
                else:
                    fields["published"] = when
            overrides[target] = fields
            listed.append(file)
        return overrides, errors


def _manifest_line(line: str, number: int) -> tuple[str, dict[str, Any]]:
    def bad(error: str) -> InputReadError:
        return InputReadError("", Msg.MANIFEST_LINE.format(line=number, error=error))

    try:
        obj = json.loads(line)
    except (ValueError, RecursionError) as error:
        raise bad(f"not valid JSON ({error})") from None
    if not isinstance(obj, dict):
        raise bad("expected a JSON object")
    file = obj.get("file")
    if not isinstance(file, str) or not file.strip():
        raise bad("needs 'file' (a file name)")
    fields: dict[str, Any] = {}
    for name in _MANIFEST_FIELDS:
        if name not in obj:
            continue
        value = obj[name]
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if name == "published" and isinstance(value, int | float) and not isinstance(value, bool):
            fields[name] = value
            continue
        if value is not None and not isinstance(value, str):
            raise bad(f"field {name!r} must be a string")
        if name in ("id", "source") and not (value or "").strip():
            raise bad(f"field {name!r} must not be empty")
        fields[name] = value.strip() if isinstance(value, str) else value
    return file.strip(), fields


def _absolute(path: Path) -> Path:
    """Absolute and normalized, but symlinks kept (a linked file's manifest is beside the link)."""
    return Path(os.path.abspath(path))


def _folders_between(root: Path, folder: Path) -> list[Path]:
    """`root`, its subfolders down to `folder`, and `folder`; just `folder` if not below root."""
    if folder != root and root not in folder.parents:
        return [folder]
    chain = [folder]
    while chain[-1] != root:
        chain.append(chain[-1].parent)
    return chain[::-1]


def _walk(folder: Path) -> list[Path]:
    """Files under `folder`, sorted, without hidden entries or manifests; symlinked dirs not
    followed (no cycles)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(root) / name
            for name in files
            if not name.startswith(".") and name != MANIFEST_NAME
        )
    return sorted(found, key=lambda p: p.as_posix())


def _kind(path: Path) -> Kind | None:
    name = path.name.lower().removesuffix(".gz")
    return _SUFFIX_KINDS.get(Path(name).suffix)


def _is_gz(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def _stem(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    stem = Path(name).stem
    return stem or name


def _sniff(path: Path, options: Options) -> Kind | None:
    """Feeds and web pages saved without their usual suffix, told by their first bytes."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > options.max_file_bytes:
            return None  # opening a pipe would block until someone writes to it
        opener = gzip.open if _is_gz(path) else open
        with opener(path, "rb") as handle:
            head = bytes(handle.read(_SNIFF_BYTES))
    except (OSError, EOFError, zlib.error):
        return None
    return sniff_kind(head)


def sniff_kind(head: bytes) -> Kind | None:
    """ "feed" or "html" told from a document's first bytes (what its name or Content-Type
    claims is not trusted: feeds are often served as text/html or text/plain)."""
    head = head[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def _check_file(path: Path, limit: int | None, origin: str) -> None:
    """Refuse what is not a regular file (a pipe would block) or is over the size limit
    (None: streamed, so no limit on the whole file)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise InputReadError(origin, Msg.NOT_REGULAR)
    if limit is not None and info.st_size > limit:
        raise InputReadError(origin, Msg.TOO_LARGE.format(size=info.st_size, limit=limit))


def _check_not_binary(data: bytes, origin: str) -> None:
    """NUL bytes in 8-bit data mean binary (UTF-16/32 text has them too, and is let through)."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head and _wide_codec(head) is None:
        raise InputReadError(origin, Msg.BINARY)


def _read_bytes(path: Path, options: Options, origin: str) -> bytes:
    """The file's bytes (unpacked if gzipped), refusing files over the size limit."""
    limit = options.max_file_bytes
    try:
        _check_file(path, limit, origin)
        if not _is_gz(path):
            return path.read_bytes()
        with gzip.open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise InputReadError(origin, Msg.BAD_GZIP.format(error=error)) from None
    except OSError as error:
        raise InputReadError(
            origin, Msg.READ_FAILED.format(error=error.strerror or error)
        ) from None
    if len(data) > limit:
        raise InputReadError(origin, Msg.TOO_LARGE_UNPACKED.format(limit=limit))
    return data


# --------------------------------------------------------------------------- readers


def _read_txt(path: Path, options: Options) -> Iterator[Article | InputError]:
    origin = str(path)
    text = _decode(_read_bytes(path, options, origin), origin)
    article = article_from_text(text, id=_stem(path), origin=origin)
    yield article.model_copy(update={"source": path.resolve().parent.name})


def _read_html(path: Path, options: Options) -> Iterator[Article | InputError]:
    origin = str(path)
    markup = _decode(_read_bytes(path, options, origin), origin, html=True)
    yield _article_from_markup(
        markup, id=_stem(path), origin=origin, url=None, fallback_source=path.resolve().parent.name
    )


def _article_from_markup(
    markup: str, *, id: str, origin: str, url: str | None, fallback_source: str
) -> Article:
    try:
        doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True, **_EXTRACT_KW)
    except (ValueError, TypeError, etree.LxmlError, RecursionError):
        doc = None
    if not isinstance(doc, Document):
        raise InputReadError(origin, Msg.NO_TEXT)
    text = _normalize_text(doc.text or "")
    if len(_WORD.findall(text)) < _MIN_PAGE_WORDS:
        raise InputReadError(origin, Msg.NO_TEXT)
    page_url = url or doc.url or None
    source = (doc.sitename or "").strip() or _host(page_url) or fallback_source
    title = _normalize_text(doc.title or "").replace("\n", " ")
    first, _, rest = text.partition("\n")
    if rest.strip() and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        text = rest.strip()  # the page's <h1> repeats the title
    return Article(
        id=id,
        source=source,
        title=title,
        url=page_url,
        published=parse_date(doc.date),
        text=text,
        origin=origin,
        boilerplate_removed=_dropped_lines(markup, text, title),
    )


# What is listed of a page's dropped lines: enough to see what went, not a copy of the page.
_MAX_DROPPED_LISTED = 60
_MAX_PAGE_LINES = 3000
_SUBSTRING_CHECK_CHARS = 200_000


def _dropped_lines(markup: str, text: str, title: str) -> list[str]:
    """The page's visible lines that trafilatura left out of the article text (navigation,
    share bars, bylines, related links...): HTML's furniture, listed as removed the way
    `clean` lists the lines it removes from plain text."""
    try:
        page = lxml_html.document_fromstring(markup)
        body = page.body
    except (etree.ParserError, ValueError, IndexError):
        return []
    if body is None:  # lxml gives None, not an error, for a page without <body>
        return []
    kept_text = " ".join(text.split()).casefold()
    kept_lines = {" ".join(line.split()).casefold() for line in text.split("\n")}
    kept_lines.add(" ".join(title.split()).casefold())
    # A line inside a kept paragraph (a link, an emphasis on its own block) is not dropped;
    # searching the text for each line is skipped on huge pages, where it would be quadratic.
    search = len(kept_text) <= _SUBSTRING_CHECK_CHARS
    dropped: list[str] = []
    for line in _block_text(body).split("\n")[:_MAX_PAGE_LINES]:
        shown = " ".join(line.split())
        folded = shown.casefold()
        if not _WORD.search(shown) or folded in kept_lines or (search and folded in kept_text):
            continue
        if shown not in dropped:
            dropped.append(shown[:200])
        if len(dropped) >= _MAX_DROPPED_LISTED:
            break
    return dropped


# A file whose first this-many lines are all bad is not JSONL (prose, CSV, a log): one error
# for the file beats one per line of it.
_JSONL_GIVE_UP = 20


def _read_jsonl(path: Path, options: Options) -> Iterator[Article | InputError]:
    """One article per line, streamed, from a file of any size (JSONL archives run to many
    GB); a line over `options.max_file_bytes` is skipped unread past the limit, so even one
    endless line (a gzip bomb) is never held in memory. Each bad line is its own error."""
    limit = options.max_file_bytes
    stem, folder_name = _stem(path), path.resolve().parent.name
    try:
        _check_file(path, None, str(path))
        opener = gzip.open if _is_gz(path) else open
        with opener(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            handle.seek(0)
            _check_not_binary(head, str(path))
            seen, good, bad = False, 0, 0
            lines = _jsonl_lines(handle, _wide_codec(head), limit)
            for number, (raw, size) in enumerate(lines, start=1):
                if not raw.strip():
                    continue
                seen = True
                origin = f"{path}:{number}"
                try:
                    if size > limit:
                        raise InputReadError(
                            origin, Msg.LINE_TOO_LARGE.format(size=size, limit=limit)
                        )
                    problems: list[str] = []
                    article = _jsonl_article(raw, number, origin, stem, folder_name, problems)
                except InputReadError as error:
                    yield InputError(origin=origin, message=error.message)
                    bad += 1
                    if not good and bad >= _JSONL_GIVE_UP:
                        message = Msg.JSONL_GAVE_UP.format(lines=bad)
                        yield InputError(origin=str(path), message=message)
                        return
                    continue
                good += 1
                for problem in problems:  # the article is read; what was wrong is said
                    yield InputError(origin=origin, message=problem)
                yield article
            if not seen:
                raise InputReadError(str(path), Msg.EMPTY)
    except InputReadError as error:
        yield InputError(origin=error.origin, message=error.message)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        yield InputError(origin=str(path), message=Msg.BAD_GZIP.format(error=error))
    except OSError as error:
        message = Msg.READ_FAILED.format(error=error.strerror or error)
        yield InputError(origin=str(path), message=message)


def _jsonl_lines(
    handle: io.BufferedIOBase, codec: str | None, limit: int
) -> Iterator[tuple[bytes, int]]:
    """The file's lines as bytes with their sizes. A line longer than `limit` is cut to its
    first `limit` + 1 bytes and the rest read past in pieces of that size, only counted;
    UTF-16/32 files are decoded first (their newline is not one byte) and their lines handed
    on as UTF-8."""
    if codec is None:
        read: Callable[[], bytes] = lambda: handle.readline(limit + 1)  # noqa: E731
    else:
        # typeshed wants a narrower buffer type than the BufferedIOBase both openers return
        buffer = cast(IO[bytes], handle)
        text = io.TextIOWrapper(buffer, encoding=codec, errors="replace", newline=None)
        read = lambda: text.readline(limit + 1).encode("utf-8", "surrogatepass")  # noqa: E731
    while line := read():
        size = len(line)
        if size > limit:
            piece = line
            while piece and not piece.endswith(b"\n"):
                piece = read()
                size += len(piece)
        yield line, size


def _jsonl_article(
    raw: bytes,
    number: int,
    origin: str,
    stem: str,
    folder_name: str,
    problems: list[str] | None = None,
) -> Article:
    """The article on one JSONL line (or Parquet row). What is wrong but does not stop it
    from being read (an unreadable date) is appended to `problems` when given."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        # JSON must be UTF-8, but files saved from spreadsheets are often cp1252 & co.
        line = _decode(raw, origin)
    try:
        obj = json.loads(line.lstrip("\ufeff"))
    except (ValueError, RecursionError) as error:
        raise InputReadError(origin, Msg.JSON_LINE.format(line=number, error=error)) from None
    if not isinstance(obj, dict):
        raise InputReadError(origin, Msg.JSON_NOT_OBJECT.format(line=number))
    fields: dict[str, str | None] = {}
    for name in ("id", "source", "url", "title", "text", "html"):
        value = obj.get(name)
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            problem = f"field {name!r} must be a string"
            raise InputReadError(origin, Msg.JSON_FIELD.format(line=number, error=problem))
        fields[name] = value
    article_id = (fields["id"] or "").strip() or f"{stem}-{number}"
    url = (fields["url"] or "").strip() or None
    published = parse_date(obj.get("published"))
    if published is None and obj.get("published") not in (None, "") and problems is not None:
        problems.append(Msg.DATE_DROPPED.format(line=number, value=obj.get("published")))
    if fields["text"] is not None and fields["text"].strip():
        text = _normalize_text(fields["text"])
        source = _host(url) or folder_name
        article = Article(id=article_id, source=source, text=text, url=url, origin=origin)
    elif fields["html"] is not None and fields["html"].strip():
        try:
            article = _article_from_markup(
                fields["html"], id=article_id, origin=origin, url=url, fallback_source=folder_name
            )
        except InputReadError:
            message = Msg.JSON_FIELD.format(line=number, error=Msg.NO_TEXT)
            raise InputReadError(origin, message) from None
    elif fields["text"] is None and fields["html"] is None:
        raise InputReadError(origin, Msg.JSONL_NO_TEXT.format(line=number))
    else:
        raise InputReadError(origin, Msg.JSON_FIELD.format(line=number, error=Msg.NO_TEXT))
    update: dict[str, Any] = {}
    if (fields["source"] or "").strip():
        update["source"] = (fields["source"] or "").strip()
    if fields["title"] is not None:
        update["title"] = _normalize_text(fields["title"]).replace("\n", " ")
    if published is not None:
        update["published"] = published
    return article.model_copy(update=update) if update else article


def _read_feed(path: Path, options: Options) -> Iterator[Article | InputError]:
    """One article per RSS/Atom entry; the publisher from the entry's <source>, else the feed."""
    origin = str(path)
    data = _read_bytes(path, options, origin)
    entries = parse_feed(data, origin, stem=_stem(path), fallback_name=path.resolve().parent.name)
    if not any(entry.text for entry in entries):
        # One error for a feed of titles only (or a broken one), not one per entry.
        raise InputReadError(origin, Msg.FEED_NO_TEXT.format(entries=len(entries)))
    for entry in entries:
        if not entry.text:
            message = Msg.FEED_ENTRY_NO_TEXT.format(entry=entry.number)
            yield InputError(origin=entry.origin, message=message)
            continue
        yield entry.article()


@dataclass(frozen=True)
class FeedEntry:
    """One RSS/Atom entry as read from the feed (its text may be a summary, or empty)."""

    number: int
    key: str
    """The entry's id, else its link, else title and position: what identifies it across polls."""
    id: str
    origin: str
    link: str | None
    title: str
    published: date | None
    publisher: str
    """The real publisher from the entry's <source>; empty when the feed names none."""
    feed_name: str
    text: str

    def article(self, **update: Any) -> Article:
        """The entry as an article from its feed text; `update` overrides fields."""
        fields: dict[str, Any] = {
            "id": self.id,
            "source": self.publisher or self.feed_name,
            "via": self.feed_name if self.publisher else None,
            "title": self.title,
            "url": self.link,
            "published": self.published,
            "text": self.text,
            "origin": self.origin,
        }
        fields.update(update)
        return Article(**fields)


def parse_feed(data: bytes, origin: str, *, stem: str, fallback_name: str) -> list[FeedEntry]:
    """The entries of an RSS/Atom document. `stem` prefixes article ids; `fallback_name` names
    the feed when it has no title or link. Raises `InputReadError` for a broken or empty feed."""
    if not data.strip():
        raise InputReadError(origin, Msg.EMPTY)
    _check_not_binary(data, origin)
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception as error:  # feedparser is lenient; anything escaping it means unreadable
        raise InputReadError(origin, Msg.FEED_BROKEN.format(error=error)) from None
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            problem: object = parsed.get("bozo_exception") or "malformed"
            if isinstance(problem, SAXParseException):
                # its own text starts "<unknown>:3:16:"; the origin already names the file
                problem = Msg.XML_AT.format(
                    line=problem.getLineNumber(),
                    column=problem.getColumnNumber(),
                    error=problem.getMessage(),
                )
            raise InputReadError(origin, Msg.FEED_BROKEN.format(error=problem))
        raise InputReadError(origin, Msg.FEED_EMPTY)
    feed = parsed.get("feed") or {}
    feed_title = _fragment_text(feed.get("title") or "").replace("\n", " ")
    feed_name = feed_title or _host(feed.get("link")) or fallback_name
    found: list[FeedEntry] = []
    for number, entry in enumerate(entries, start=1):
        link = entry.get("link") or None
        key = entry.get("id") or link or f"{entry.get('title', '')}\x1f{number}"
        digest = hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:10]
        publisher = entry.get("source") or {}
        publisher_name = _fragment_text(publisher.get("title") or "").replace("\n", " ")
        publisher_name = publisher_name or _host(publisher.get("href") or publisher.get("url"))
        # dict.get, not FeedParserDict's: its own maps a missing published_parsed to
        # updated_parsed with a DeprecationWarning; this asks for each in turn, no warning
        struct = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
        published = None
        if struct:
            try:
                published = date(struct.tm_year, struct.tm_mon, struct.tm_mday)
            except ValueError:
                published = None
        if published is None:
            published = parse_date(entry.get("published") or entry.get("updated"))
        found.append(
            FeedEntry(
                number=number,
                key=key,
                id=f"{stem}-{digest}",
                origin=f"{origin}#{number}",
                link=link,
                title=_fragment_text(entry.get("title") or "").replace("\n", " "),
                published=published,
                publisher=publisher_name,
                feed_name=feed_name,
                text=_entry_text(entry),
            )
        )
    return found


# crosswire.archive is imported in these two, not above: it builds on this module's readers
def _read_parquet(path: Path, options: Options) -> Iterator[Article | InputError]:
    from crosswire import archive

    yield from archive.read_parquet(path, options)


def _read_warc(
    path: Path, options: Options, executor: Executor | None = None
) -> Iterator[Article | InputError]:
    from crosswire import archive

    yield from archive.read_warc(path, options, executor)


def _entry_text(entry: Any) -> str:
    bodies = [c.get("value") or "" for c in entry.get("content") or []]
    return _fragment_text(max(bodies, key=len, default="") or entry.get("summary") or "")


# WARC is read by `_Run.read_file` itself: its reader also takes the run's executor
_READERS = {
    "txt": _read_txt,
    "html": _read_html,
    "jsonl": _read_jsonl,
    "feed": _read_feed,
    "parquet": _read_parquet,
}
