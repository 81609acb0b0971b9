"""Archive-scale inputs (issue 8), streamed: Parquet in row batches (pyarrow), WARC(.gz) record
by record (warcio; the format of Common Crawl's news crawl). There is no whole-file size limit
for them (archives are many GB by design); each record is held to `Options.max_file_bytes`
instead. Rows go through the JSONL row reader (`inputs.jsonl`) and WARC responses through the
page reader (`inputs.pages`), so an article reads the same whichever container it came in.
`inputs.files.read_inputs` dispatches `.parquet` and `.warc`/`.warc.gz` here. pyarrow and
warcio come with `pip install 'crosswire[archive]'` and are imported only when used.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from crosswire.errors import InputReadError, Msg
from crosswire.inputs.decode import decode_bytes, file_stem
from crosswire.inputs.jsonl import jsonl_article, read_jsonl
from crosswire.inputs.pages import article_from_markup
from crosswire.models import Article, InputError
from crosswire.options import Options

__all__ = ["MapChunks", "read_jsonl", "read_parquet", "read_warc"]

T = TypeVar("T")
R = TypeVar("R")
MapChunks = Callable[[Callable[[list[Any]], list[Any]], Iterable[list[Any]]], Iterable[list[Any]]]
"""How a reader hands work to workers without knowing them: an executor's `map` (a function
applied to each chunk, results in chunk order), passed in by the pipeline."""

PARQUET_BATCH_ROWS = 256
"""Rows per Parquet batch read: a few MB of text, so memory stays flat on any file size."""

_PARQUET_COLUMNS = ("id", "source", "url", "title", "published", "text", "html")


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def read_parquet(path: Path, options: Options) -> Iterator[Article | InputError]:
    """One article per row of a Parquet file with the JSONL fields as columns (`text` or
    `html`; `id`, `source`, `url`, `title`, `published` optional), read in row batches."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputReadError(
            str(path), Msg.ARCHIVE_MISSING.format(kind="Parquet", package="pyarrow")
        ) from None
    stem, folder_name = file_stem(path), path.resolve().parent.name
    limit = options.max_file_bytes
    try:
        table = pq.ParquetFile(path)
        present = [c for c in _PARQUET_COLUMNS if c in table.schema_arrow.names]
        if "text" not in present and "html" not in present:
            raise InputReadError(str(path), Msg.PARQUET_NO_TEXT.format(row=1))
        number = 0
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=present):
            for row in batch.to_pylist():
                number += 1
                origin = f"{path}:{number}"
                # ingest's JSONL path validates the fields; dates become ISO strings for it
                raw = json.dumps({k: _json_value(v) for k, v in row.items()}).encode()
                if len(raw) > limit:
                    message = Msg.TOO_LARGE.format(size=len(raw), limit=limit)
                    yield InputError(origin=origin, message=message)
                    continue
                try:
                    article = jsonl_article(raw, number, origin, stem, folder_name)
                except InputReadError as error:
                    message = error.message.replace(f"line {number}", f"row {number}")
                    yield InputError(origin=origin, message=message)
                else:
                    yield article
    except InputReadError:
        raise
    except OSError as error:
        raise InputReadError(str(path), Msg.PARQUET_BROKEN.format(error=error)) from None
    except Exception as error:  # pyarrow raises its own ArrowInvalid and friends
        if type(error).__module__.startswith("pyarrow"):
            raise InputReadError(str(path), Msg.PARQUET_BROKEN.format(error=error)) from None
        raise


def read_warc(
    path: Path, options: Options, map_chunks: MapChunks | None = None
) -> Iterator[Article | InputError]:
    """One article per HTML response (HTTP 200) of a `.warc` or `.warc.gz`, in file order.

    Other records (requests, metadata, redirects, images) are passed over, and so are pages
    with no article text (section fronts, tag pages), as a folder walk passes over files that
    are not articles: a crawl is mostly such pages, and an error for each would bury the real
    ones. The page's publication date comes from its markup, never the crawl date.

    With `map_chunks` (an executor's `map`), the pages' text is extracted through it
    (trafilatura costs milliseconds a page; reading the records stays here, a stream), a
    chunk of WARC_CHUNK_PAGES pages at a time, and comes back in file order: the same
    articles as without it."""
    pages = _warc_pages(path, options)
    if map_chunks is None:
        for page in pages:
            found = _page_article(page)
            if found is not None:
                yield found
        return
    for extracted in map_chunks(_page_articles, _chunks(pages, WARC_CHUNK_PAGES)):
        yield from (item for item in extracted if item is not None)


WARC_CHUNK_PAGES = 16
"""HTML pages per task when extraction runs in an executor's workers."""


@dataclass(frozen=True)
class _Page:
    """An HTML response of a WARC file, as read: what extraction needs, and no more."""

    origin: str
    id: str
    url: str | None
    data: bytes
    content_type: str


def _page_article(page: _Page | InputError) -> Article | InputError | None:
    """The page's article; None when it has no article text (see `read_warc`)."""
    if isinstance(page, InputError):
        return page
    try:
        markup = decode_bytes(page.data, page.origin, html=True, content_type=page.content_type)
        return article_from_markup(
            markup, id=page.id, origin=page.origin, url=page.url, fallback_source=""
        )
    except InputReadError:
        return None


def _page_articles(pages: list[_Page | InputError]) -> list[Article | InputError | None]:
    return [_page_article(page) for page in pages]


def _warc_pages(path: Path, options: Options) -> Iterator[_Page | InputError]:
    """The HTML responses (HTTP 200) of a WARC file, in file order, read as a stream; a file
    that breaks off ends with its error."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:
        raise InputReadError(
            str(path), Msg.ARCHIVE_MISSING.format(kind="WARC", package="warcio")
        ) from None
    stem = file_stem(path)
    limit = options.max_file_bytes
    try:
        with open(path, "rb") as handle:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                if record.http_headers.get_statuscode() != "200":
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                origin = f"{path}#{number}"
                data = record.content_stream().read(limit + 1)
                if len(data) > limit:
                    message = Msg.TOO_LARGE_UNPACKED.format(limit=limit)
                    yield InputError(origin=origin, message=message)
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or None
                yield _Page(
                    origin=origin,
                    id=f"{stem}-{number}",
                    url=url,
                    data=data,
                    content_type=content_type,
                )
    except (ArchiveLoadFailed, gzip.BadGzipFile, EOFError, OSError) as error:
        # an item, not a raise: the pages before the break, some of them still being
        # extracted in an executor's workers, come out first
        yield InputError(origin=str(path), message=Msg.WARC_BROKEN.format(error=error))


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
