"""Inputs: files, folders, feeds, URLs and archives read into `Article`s (stage 1).

    files.read_inputs ─┬─ pages    .txt / .html → Article (trafilatura for the main text)
                       ├─ jsonl    one article per line, streamed
                       ├─ feeds    RSS / Atom entries
                       ├─ archive  Parquet rows, WARC responses (workers through `map_chunks`)
                       └─ fetch    http(s) pages and feeds, safely (address checks, robots.txt)
    decode: bytes → text for all of them.

Readers never import the pipeline or an executor: work that may run in workers is handed to a
`map_chunks` function the caller passes in (an executor's `map`).
"""

from crosswire.inputs.archive import MapChunks
from crosswire.inputs.decode import decode_bytes, sniff_kind
from crosswire.inputs.feeds import FeedEntry, parse_feed
from crosswire.inputs.files import MANIFEST_NAME, is_url, read_inputs
from crosswire.inputs.pages import article_from_html, article_from_text, parse_date

__all__ = [
    "MANIFEST_NAME",
    "FeedEntry",
    "MapChunks",
    "article_from_html",
    "article_from_text",
    "decode_bytes",
    "is_url",
    "parse_date",
    "parse_feed",
    "read_inputs",
    "sniff_kind",
]
