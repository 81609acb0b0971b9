"""Archive-scale inputs and outputs (issue 8): streams in, Parquet tables out.

Readers never hold a whole file: JSONL(.gz) line by line, Parquet in row batches (pyarrow),
WARC(.gz) record by record (warcio; the format of Common Crawl's news crawl). There is no
whole-file size limit for them (nor for JSONL read by `ingest`) (archives are many GB by design); each record is held to
`Options.max_file_bytes` instead. Rows and lines go through ingest's own JSONL path, and WARC
responses through its HTML path, so an article reads the same whichever container it came in.
`ingest.read_inputs` dispatches `.parquet` and `.warc`/`.warc.gz` here.

Outputs: `write_tables` writes `claims.parquet` and `conflicts.parquet` (one row per claim or
conflict, with its story, outlets and sentence references) and one JSON file per story, for
analysis in DuckDB or pandas. pyarrow and warcio come with `pip install 'crosswire[archive]'`
and are imported only when used.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosswire.errors import CrosswireError, InputReadError, Msg
from crosswire.ingest import _article_from_markup, _decode, _jsonl_article, _read_jsonl, _stem
from crosswire.models import Article, InputError, Report
from crosswire.options import Options

if TYPE_CHECKING:
    from crosswire.scale import Executor

__all__ = ["read_jsonl", "read_parquet", "read_warc", "write_tables"]

PARQUET_BATCH_ROWS = 256
"""Rows per Parquet batch read: a few MB of text, so memory stays flat on any file size."""

_PARQUET_COLUMNS = ("id", "source", "url", "title", "published", "text", "html")


def read_jsonl(path: Path, options: Options) -> Iterator[Article | InputError]:
    """One article per line of a `.jsonl` or `.jsonl.gz` of any size, streamed: ingest's own
    reader, which has no whole-file limit and holds each line to `options.max_file_bytes`
    (a line over it is one error, read past without being held)."""
    return _read_jsonl(path, options)


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
    stem, folder_name = _stem(path), path.resolve().parent.name
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
                    article = _jsonl_article(raw, number, origin, stem, folder_name)
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
    path: Path, options: Options, executor: Executor | None = None
) -> Iterator[Article | InputError]:
    """One article per HTML response (HTTP 200) of a `.warc` or `.warc.gz`, in file order.

    Other records (requests, metadata, redirects, images) are passed over, and so are pages
    with no article text (section fronts, tag pages), as a folder walk passes over files that
    are not articles: a crawl is mostly such pages, and an error for each would bury the real
    ones. The page's publication date comes from its markup, never the crawl date.

    With an `executor` of more than one worker, the pages' text is extracted there
    (trafilatura costs milliseconds a page; reading the records stays here, a stream), a
    chunk of WARC_CHUNK_PAGES pages at a time, and comes back in file order: the same
    articles as without it."""
    pages = _warc_pages(path, options)
    if executor is None or executor.workers <= 1:
        for page in pages:
            found = _page_article(page)
            if found is not None:
                yield found
        return
    from crosswire.scale import chunked

    for extracted in executor.map(_page_articles, chunked(pages, WARC_CHUNK_PAGES)):
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


def _page_article(page: _Page | InputError) -> Article | InputError | None:
    """The page's article; None when it has no article text (see `read_warc`)."""
    if isinstance(page, InputError):
        return page
    try:
        markup = _decode(page.data, page.origin, html=True)
        return _article_from_markup(
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
    stem = _stem(path)
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
                yield _Page(origin=origin, id=f"{stem}-{number}", url=url, data=data)
    except (ArchiveLoadFailed, gzip.BadGzipFile, EOFError, OSError) as error:
        # an item, not a raise: the pages before the break, some of them still being
        # extracted in an executor's workers, come out first
        yield InputError(origin=str(path), message=Msg.WARC_BROKEN.format(error=error))


# --------------------------------------------------------------------------- outputs


def _claim_rows(report: Report) -> list[dict[str, Any]]:
    source_of = {a.id: a.source for a in report.articles}
    rows = []
    for story in report.stories:
        for claim in story.claims:
            article_ids = [s.article_id for s in claim.sources]
            rows.append(
                {
                    "story_id": story.id,
                    "story_title": story.title,
                    "claim_id": claim.id,
                    "text": claim.text,
                    "status": claim.status,
                    "outlets": claim.outlets,
                    "sources": sorted({source_of.get(a, "") for a in article_ids}),
                    "article_ids": article_ids,
                    "sentence_indexes": [s.sentence_index for s in claim.sources],
                    "sentences": [s.sentence for s in claim.sources],
                    "attributed_to": claim.attributed_to,
                    "conflict_ids": list(claim.conflict_ids),
                }
            )
    return rows


def _conflict_rows(report: Report) -> list[dict[str, Any]]:
    source_of = {a.id: a.source for a in report.articles}
    rows = []
    for story in report.stories:
        claims_of: dict[str, list[str]] = {}
        for claim in story.claims:
            for conflict_id in claim.conflict_ids:
                claims_of.setdefault(conflict_id, []).append(claim.id)
        for conflict in story.conflicts:
            article_ids = sorted({a for v in conflict.values for a in v.article_ids})
            rows.append(
                {
                    "story_id": story.id,
                    "story_title": story.title,
                    "conflict_id": conflict.id,
                    "kind": conflict.kind,
                    "subject": conflict.subject,
                    "severity": conflict.severity,
                    "explanation": conflict.explanation,
                    "values": [v.value for v in conflict.values],
                    "value_article_ids": [list(v.article_ids) for v in conflict.values],
                    "evidence": [list(v.evidence) for v in conflict.values],
                    "article_ids": article_ids,
                    "sources": sorted({source_of.get(a, "") for a in article_ids}),
                    "claim_ids": claims_of.get(conflict.id, []),
                }
            )
    return rows


def write_tables(report: Report, out_dir: Path) -> dict[str, Path]:
    """`claims.parquet`, `conflicts.parquet` and `stories/<story id>.json` under `out_dir`."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CrosswireError(Msg.PARQUET_OUT_MISSING) from None
    schemas = {
        "claims": pa.schema(
            [
                ("story_id", pa.string()),
                ("story_title", pa.string()),
                ("claim_id", pa.string()),
                ("text", pa.string()),
                ("status", pa.string()),
                ("outlets", pa.int32()),
                ("sources", pa.list_(pa.string())),
                ("article_ids", pa.list_(pa.string())),
                ("sentence_indexes", pa.list_(pa.int32())),
                ("sentences", pa.list_(pa.string())),
                ("attributed_to", pa.string()),
                ("conflict_ids", pa.list_(pa.string())),
            ]
        ),
        "conflicts": pa.schema(
            [
                ("story_id", pa.string()),
                ("story_title", pa.string()),
                ("conflict_id", pa.string()),
                ("kind", pa.string()),
                ("subject", pa.string()),
                ("severity", pa.string()),
                ("explanation", pa.string()),
                ("values", pa.list_(pa.string())),
                ("value_article_ids", pa.list_(pa.list_(pa.string()))),
                ("evidence", pa.list_(pa.list_(pa.string()))),
                ("article_ids", pa.list_(pa.string())),
                ("sources", pa.list_(pa.string())),
                ("claim_ids", pa.list_(pa.string())),
            ]
        ),
    }
    try:
        stories_dir = out_dir / "stories"
        stories_dir.mkdir(parents=True, exist_ok=True)
        paths: dict[str, Path] = {}
        for name, rows in (("claims", _claim_rows(report)), ("conflicts", _conflict_rows(report))):
            # explicit schemas: an empty table still has its columns, with their types
            table = pa.Table.from_pylist(rows, schema=schemas[name])
            paths[name] = out_dir / f"{name}.parquet"
            pq.write_table(table, paths[name])
        for story in report.stories:
            (stories_dir / f"{story.id}.json").write_text(
                story.model_dump_json(indent=2), encoding="utf-8"
            )
        paths["stories"] = stories_dir
    except OSError as error:
        raise CrosswireError(Msg.OUT_DIR.format(path=out_dir, error=error)) from None
    return paths
