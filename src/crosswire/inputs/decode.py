"""Bytes to text, one way for every input, files and HTTP alike: BOM, then the HTTP header's
charset, then the document's own declaration, then detection, labels read as the WHATWG
encoding spec says (w3lib); plus the guards every file read goes through (regular file, size
limit, gzip, binary data) and what a document's first bytes say it is."""

from __future__ import annotations

import codecs
import gzip
import re
import stat
import zlib
from pathlib import Path
from typing import Literal

import charset_normalizer
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    to_unicode,
)

from crosswire.errors import InputReadError, Msg
from crosswire.options import Options

Kind = Literal["txt", "html", "jsonl", "feed", "parquet", "warc", "pdf"]

SNIFF_BYTES = 4096
"""How much of a document is read to tell what it is."""


def decode_bytes(
    data: bytes, origin: str, *, html: bool = False, content_type: str | None = None
) -> str:
    """Bytes to text, for files and HTTP responses alike (`content_type`: the response's
    Content-Type header, when there was one).

    In order: a BOM (or the NUL pattern of UTF-16 without one); then the header's charset;
    then (`html`) the page's own `<meta charset>` or XML declaration; then detection (UTF-8,
    else charset-normalizer). Labels map as browsers map them (w3lib, after the WHATWG
    encoding spec): latin-1 and ascii read as cp1252, gb2312/gbk as gb18030, shift_jis as
    cp932. Bytes a label does not cover become U+FFFD, so one stray byte costs one character,
    not the page: a label is set aside only when it explains fewer of the non-ASCII characters
    than it spoils (cp1252 text under a stale utf-8 label). One deviation from browsers, kept
    from the file path: bytes that are valid UTF-8 with non-ASCII in them are UTF-8 whatever a
    legacy label says (legacy text practically never forms valid UTF-8; stale labels are
    common on files saved by hand).
    """
    bom_codec, bom = read_bom(data)
    if bom_codec is not None and bom is not None:
        return _non_empty(to_unicode(data[len(bom) :], bom_codec), origin)
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
    labels = [http_content_type_encoding(content_type)]
    if html:
        labels.append(html_body_declared_encoding(data[:SNIFF_BYTES]))
    for codec in [*labels, "utf-8"]:
        # a UTF-16/32 label on bytes without its BOM or NULs is wrong (WHATWG reads it as utf-8)
        if codec is None or codec.startswith(("utf-16", "utf-32")):
            continue
        text = _decode_if_fits(data, codec)
        if text is not None:
            return _non_empty(text, origin)
    return _non_empty(_detected(data, origin), origin)


def _decode_if_fits(data: bytes, codec: str) -> str | None:
    """`data` in `codec`, bytes it does not cover as U+FFFD; None when those outnumber the
    non-ASCII characters it did decode (the label is then wrong, not the bytes)."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    text = to_unicode(data, codec)
    spoiled = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return text if non_ascii - spoiled > spoiled else None


def _detected(data: bytes, origin: str) -> str:
    """The text in the code page charset-normalizer finds most likely."""
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
    return str(best)


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
