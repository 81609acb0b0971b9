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
        "unsupported file type {suffix!r} (expected .txt, .html, .htm, .jsonl, .xml, .rss, .atom, "
        ".pdf)"
    )
    LINE_TOO_LARGE = "line is {size:,} bytes, over the limit of {limit:,} bytes; skipped"
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
    DATE_DROPPED = "line {line}: unreadable date {value!r}; the article is read without one"
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
    # fetch: http(s) inputs and `crosswire watch` (each names its URL as the origin)
    URL_SCHEME = "only http and https URLs are fetched, not {scheme!r}"
    URL_INVALID = "not a valid URL ({error})"
    URL_RESOLVE = "cannot resolve host {host!r} ({error})"
    URL_BLOCKED = (
        "refused: {host} resolves to {address}, a private, loopback, link-local, multicast, "
        "reserved or unspecified address (--allow-private-addresses permits it)"
    )
    URL_CONNECT = "cannot connect ({error})"
    URL_TIMEOUT = "timed out: {what}"
    URL_TOO_LARGE = "response is over the limit of {limit:,} bytes; stopped reading"
    URL_REDIRECTS = "more than {limit} redirects"
    URL_REDIRECT_NO_LOCATION = "redirect (HTTP {status}) without a Location"
    URL_REDIRECT_HOP = "redirected to {url}: {error}"
    URL_STATUS = "server answered HTTP {status}"
    URL_ROBOTS = "robots.txt of {site} disallows fetching this page"
    URL_ROBOTS_UNAVAILABLE = (
        "robots.txt of {site} answered HTTP {status}; nothing there is fetched until it can be "
        "read (RFC 9309)"
    )
    URL_NOT_ARTICLE = "neither a web page nor a feed (Content-Type {content_type!r})"
    URL_HTTP = "HTTP error ({error})"
    FEED_NOT_FEED = "not an RSS/Atom feed"
    FEED_ENTRY_PAGE = "entry {entry}: page {url}: {error}"
    FEEDS_FILE_EMPTY = "no feed URLs found (one URL a line, or an OPML file)"
    FEEDS_FILE_OPML = "not a readable OPML file ({error})"
    DB_DRIVER = (
        "database driver not installed ({error}); for PostgreSQL: pip install 'crosswire[postgres]'"
    )
    STORY_WINDOW = (
        "story window of {window} days must be longer than story_max_days ({max_days}): "
        "stories span up to that many days"
    )
    # crosswire serve (web app and API)
    SERVER_NOT_FOUND = "no {what} with id {id!r}"
    SERVER_TOKEN = (
        "this needs the write token: send 'Authorization: Bearer <token>' (CROSSWIRE_TOKEN)"
    )
    SERVER_LOOPBACK = "writes are allowed only from this machine when CROSSWIRE_TOKEN is not set"
    SERVER_CROSS_SITE = "refused a write sent from another site"
    SERVER_TOO_LARGE = "upload is over the limit of {limit:,} bytes"
    SERVER_TYPE = "unsupported upload {name!r} (expected .txt, .html, .htm, .jsonl, .xml, .rss, .atom, optionally .gz)"
    SERVER_NO_FILES = "no files in the upload"
    SERVER_NO_URLS = "no URLs given"
    SERVER_NO_TEXT = "no article text given"
    SERVER_NO_FETCH = "adding URLs is not available: {error}"
    SERVER_BAD_REQUEST = "invalid request: {error}"
    SERVER_JOB_FAILED = "processing failed: {error}"
    SERVER_JOB_NOTHING = "no articles found in the inputs"
    SERVER_JOB_MORE = "; and {n} more inputs not read"
    SERVER_JOB_HTTP = "{status} from {site}"
    SERVER_NOT_INSTALLED = (
        "crosswire serve needs the server extra: pip install 'crosswire[server]' ({error})"
    )
    # scale-out and archive inputs (issue 8)
    RAY_MISSING = "--executor ray needs Ray: pip install 'crosswire[ray]'"
    RAY_NO_ROOM = (
        "Ray started {started} of {workers} workers in {seconds:.0f} s: the cluster has no free "
        "CPU for the rest (each worker takes one; `ray status` shows what is in use)"
    )
    EXECUTOR_UNKNOWN = "unknown executor {kind!r} (expected 'local' or 'ray')"
    ARCHIVE_MISSING = "reading {kind} files needs {package}: pip install 'crosswire[archive]'"
    PARQUET_BROKEN = "not a readable Parquet file ({error})"
    PARQUET_NO_TEXT = "row {row}: needs 'text' or 'html'"
    WARC_BROKEN = "not a readable WARC file ({error})"
    PARQUET_OUT_MISSING = "--parquet needs pyarrow: pip install 'crosswire[archive]'"
    NOT_REGULAR = "not a regular file or folder (a pipe, device or socket)"
    LOOP = "too many levels of symbolic links"
    JSONL_GAVE_UP = "not JSONL: the first {lines} lines hold no article, the rest is skipped"
    FEED_NO_TEXT = "none of the feed's {entries} entries has article text"
    INPUTS_FAILED = "{failed} of {total} inputs could not be read:"
    XML_AT = "line {line}, column {column}: {error}"
    # issue 26: the first hour of a new user
    XML_ENTITIES = (
        "refused: its DOCTYPE declares XML entities (first: {name!r}), which can expand without "
        'bound ("billion laughs"); nothing was read from it'
    )
    PDF_BROKEN = "not a readable PDF ({error})"
    PDF_NO_TEXT = "the PDF has no text layer (a scan?); run OCR on it first"
    NO_ARTICLES = (
        "no articles found in {inputs} (expected .txt, .html, .jsonl, .pdf, RSS/Atom files, or "
        "http(s) URLs)"
    )
    NONE_READ = "none of the inputs could be read; nothing was analysed"
    REPORT_NOT_FOUND = "{path}: no report.json there (write one with `crosswire analyze`)"
