"""Every user-facing error message in one place (as spaCy does), so wording stays consistent."""

from __future__ import annotations


class CrosswireError(Exception):
    """An error the user can act on; the CLI prints it as one line."""


class InputReadError(CrosswireError):
    """One input could not be read; the rest of the batch goes on."""

    def __init__(self, origin: str, message: str) -> None:
        super().__init__(f"{origin}: {message}")
        self.origin = origin
        self.message = message


class Msg:
    NO_INPUTS = "no input files given"
    NOT_FOUND = "no such file or folder"
    UNSUPPORTED = (
        "unsupported file type {suffix!r} (expected .txt, .html, .htm, .jsonl, .xml, .rss, .atom)"
    )
    TOO_LARGE = "file is {size:,} bytes, over the limit of {limit:,} bytes"
    EMPTY = "file is empty"
    BINARY = "file looks binary, not text"
    NO_TEXT = "no article text found"
    JSON_LINE = "line {line}: not valid JSON ({error})"
    JSON_NOT_OBJECT = "line {line}: expected a JSON object"
    JSON_FIELD = "line {line}: {error}"
    JSONL_NO_TEXT = "line {line}: needs 'text' or 'html'"
    FEED_BROKEN = "not a readable RSS/Atom feed ({error})"
    MANIFEST_LINE = "manifest line {line}: {error}"
    BAD_DATE = "unreadable date {value!r}"
    DB_OPEN = "cannot open database {url!r}: {error}"
    OUT_DIR = "cannot write reports to {path}: {error}"
    REPORT_INVALID = "not a valid crosswire report: {error}"
    DB_UNKNOWN_ARTICLE = "cannot save {what}: article {article_id!r} is not in the database"
    READ_FAILED = "cannot read file ({error})"
    BAD_GZIP = "not a readable gzip file ({error})"
    TOO_LARGE_UNPACKED = "file unpacks to more than {limit:,} bytes, the limit"
    UNDECODABLE = "cannot tell the text encoding (not UTF-8, and no other encoding fits)"
    FEED_EMPTY = "feed has no entries"
    FEED_ENTRY_NO_TEXT = "entry {entry}: no article text found"
    MANIFEST_NO_FILE = "manifest line {line}: no such file {file!r}"
    NOT_REGULAR = "not a regular file or folder (a pipe, device or socket)"
    LOOP = "too many levels of symbolic links"
    JSONL_GAVE_UP = "not JSONL: the first {lines} lines hold no article, the rest is skipped"
    FEED_NO_TEXT = "none of the feed's {entries} entries has article text"
    INPUTS_FAILED = "{failed} of {total} inputs could not be read:"
    XML_AT = "line {line}, column {column}: {error}"
