"""Bytes to text, one way for every input: BOM, UTF-8, the page's declared charset
(WHATWG labels), then detection; plus the guards every file read goes through (regular file,
size limit, gzip, binary data) and what a document's first bytes say it is."""

from __future__ import annotations

import codecs
import gzip
import re
import stat
import zlib
from pathlib import Path
from typing import Literal

import charset_normalizer

from crosswire.errors import InputReadError, Msg
from crosswire.options import Options

Kind = Literal["txt", "html", "jsonl", "feed", "parquet", "warc"]

SNIFF_BYTES = 4096
"""How much of a document is read to tell what it is."""


def decode_bytes(data: bytes, origin: str, *, html: bool = False) -> str:
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
    wide = _utf16_without_bom(data[:SNIFF_BYTES])
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
        declared = _META_CHARSET.search(data[:SNIFF_BYTES])
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


def wide_codec(head: bytes) -> str | None:
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


def is_gz(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def file_stem(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    stem = Path(name).stem
    return stem or name


def sniff_kind(head: bytes) -> Kind | None:
    """ "feed" or "html" told from a document's first bytes (what its name or Content-Type
    claims is not trusted: feeds are often served as text/html or text/plain)."""
    head = head[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return None


def check_file(path: Path, limit: int | None, origin: str) -> None:
    """Refuse what is not a regular file (a pipe would block) or is over the size limit
    (None: streamed, so no limit on the whole file)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise InputReadError(origin, Msg.NOT_REGULAR)
    if limit is not None and info.st_size > limit:
        raise InputReadError(origin, Msg.TOO_LARGE.format(size=info.st_size, limit=limit))


def check_not_binary(data: bytes, origin: str) -> None:
    """NUL bytes in 8-bit data mean binary (UTF-16/32 text has them too, and is let through)."""
    head = data[:SNIFF_BYTES]
    if b"\x00" in head and wide_codec(head) is None:
        raise InputReadError(origin, Msg.BINARY)


def read_bytes(path: Path, options: Options, origin: str) -> bytes:
    """The file's bytes (unpacked if gzipped), refusing files over the size limit."""
    limit = options.max_file_bytes
    try:
        check_file(path, limit, origin)
        if not is_gz(path):
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
