"""Read input files into `Article` models (raw text; `clean` removes page furniture later).

Inputs: .txt, .html/.htm, .jsonl, RSS/Atom feeds (.xml/.rss/.atom or sniffed), .pdf (its text
layer), each optionally gzipped (.gz); folders are walked recursively. A folder's `manifest.jsonl` overrides what was
read from the files it names. Bad input never raises: each bad file or line becomes one
`InputError` and the rest of the batch goes on.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosswire.errors import InputReadError, Msg
from crosswire.inputs.archive import MapChunks, read_parquet, read_warc
from crosswire.inputs.decode import (
    SNIFF_BYTES,
    Kind,
    decode_bytes,
    file_stem,
    is_gz,
    read_bytes,
    sniff_kind,
)
from crosswire.inputs.feeds import read_feed
from crosswire.inputs.jsonl import read_jsonl
from crosswire.inputs.pages import (
    FROM_BYLINE,
    FROM_FILE_NAME,
    FROM_MANIFEST,
    FROM_OPTION,
    article_from_markup,
    article_from_text,
    outlet_from_byline,
    parse_date,
)
from crosswire.inputs.pdf import read_pdf
from crosswire.models import Article, InputError
from crosswire.options import Options

if TYPE_CHECKING:
    from crosswire.inputs.fetch import Fetcher

__all__ = ["MANIFEST_NAME", "is_url", "read_inputs"]

MANIFEST_NAME = "manifest.jsonl"
_SUFFIX_KINDS: dict[str, Kind] = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    # archive inputs, streamed by crosswire.inputs.archive
    ".parquet": "parquet",
    ".warc": "warc",
    ".pdf": "pdf",
}
_MANIFEST_FIELDS = ("id", "source", "url", "title", "published")


# --------------------------------------------------------------------------- public API


def read_inputs(
    paths: Sequence[Path | str],
    options: Options,
    map_chunks: MapChunks | None = None,
    *,
    source: str | None = None,
) -> Iterator[Article | InputError]:
    """Yield one `Article` per article found in `paths`, or an `InputError` per bad input.

    A string with a scheme (`https://...`) is a URL, read by `crosswire.inputs.fetch` (a page, or a
    feed whose entries become articles); anything else is a path.

    Folders are walked recursively in sorted order, skipping hidden entries and manifests;
    inside folders, files of unknown type are skipped unless they sniff as HTML or a feed.
    `manifest.jsonl` lines override the fields read from the files they name (the nearest
    manifest wins); a manifest given by name reads the files it lists. Article ids are made
    unique within the run (`-2`, `-3`, ... on collision, in reading order).

    With `map_chunks` (an executor's `map`, given by the pipeline), the pages of WARC files are
    extracted through it, in workers (the same articles, in the same order).

    Outlets: a manifest's `source` wins; else `source` (the `--source` option) names the outlet
    of every article; else each reader's own (page metadata, URL, byline, file name), each
    article's `source_from` saying which.
    """
    run = _Run(options, map_chunks=map_chunks, source=(source or "").strip() or None)
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
    map_chunks: MapChunks | None = None
    source: str | None = None

    def read_url(self, url: str) -> Iterator[Article | InputError]:
        # imported here: fetching starts httpx, which a run of local files never needs
        from crosswire.inputs.fetch import Fetcher

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
                items = read_warc(path, self.options, self.map_chunks)
            else:
                items = _READERS[kind](path, self.options)
            single = kind in ("txt", "html", "pdf")
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
        if "source" in update:
            update["source_from"] = FROM_MANIFEST
        elif self.source is not None:
            update.update(source=self.source, source_from=FROM_OPTION)
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
            raw = read_bytes(path, self.options, origin)
            text = decode_bytes(raw, origin)
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


def _sniff(path: Path, options: Options) -> Kind | None:
    """Feeds and web pages saved without their usual suffix, told by their first bytes."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > options.max_file_bytes:
            return None  # opening a pipe would block until someone writes to it
        opener = gzip.open if is_gz(path) else open
        with opener(path, "rb") as handle:
            head = bytes(handle.read(SNIFF_BYTES))
    except (OSError, EOFError, zlib.error):
        return None
    return sniff_kind(head)


# --------------------------------------------------------------------------- readers


def _read_txt(path: Path, options: Options) -> Iterator[Article | InputError]:
    origin = str(path)
    text = decode_bytes(read_bytes(path, options, origin), origin)
    article = article_from_text(text, id=file_stem(path), origin=origin)
    # Never the folder's name: a folder often holds several outlets' saved articles.
    source, source_from = outlet_from_byline(article.title + "\n" + article.text), FROM_BYLINE
    if not source:
        source, source_from = file_stem(path), FROM_FILE_NAME
    yield article.model_copy(update={"source": source, "source_from": source_from})


def _read_html(path: Path, options: Options) -> Iterator[Article | InputError]:
    origin = str(path)
    markup = decode_bytes(read_bytes(path, options, origin), origin, html=True)
    yield article_from_markup(
        markup,
        id=file_stem(path),
        origin=origin,
        url=None,
        fallback_source=file_stem(path),
        fallback_from=FROM_FILE_NAME,
    )


# WARC is read by `_Run.read_file` itself: its reader also takes the run's `map_chunks`
_READERS = {
    "txt": _read_txt,
    "html": _read_html,
    "jsonl": read_jsonl,
    "feed": read_feed,
    "parquet": read_parquet,
    "pdf": read_pdf,
}
