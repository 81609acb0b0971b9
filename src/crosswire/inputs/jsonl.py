"""JSONL inputs, streamed line by line from files of any size (and the row reader that
Parquet shares)."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from crosswire.errors import InputReadError, Msg
from crosswire.inputs.decode import (
    SNIFF_BYTES,
    check_file,
    check_not_binary,
    decode_bytes,
    file_stem,
    is_gz,
    wide_codec,
)
from crosswire.inputs.pages import (
    FROM_FIELD,
    FROM_FOLDER,
    FROM_URL,
    article_from_markup,
    host_of,
    normalize_text,
    parse_date,
)
from crosswire.models import Article, InputError
from crosswire.options import Options

# A file whose first this-many lines are all bad is not JSONL (prose, CSV, a log): one error
# for the file beats one per line of it.
_JSONL_GIVE_UP = 20


def read_jsonl(path: Path, options: Options) -> Iterator[Article | InputError]:
    """One article per line, streamed, from a file of any size (JSONL archives run to many
    GB); a line over `options.max_file_bytes` is skipped unread past the limit, so even one
    endless line (a gzip bomb) is never held in memory. Each bad line is its own error."""
    limit = options.max_file_bytes
    stem, folder_name = file_stem(path), path.resolve().parent.name
    try:
        check_file(path, None, str(path))
        opener = gzip.open if is_gz(path) else open
        with opener(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
            handle.seek(0)
            check_not_binary(head, str(path))
            seen, good, bad = False, 0, 0
            lines = _jsonl_lines(handle, wide_codec(head), limit)
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
                    article = jsonl_article(raw, number, origin, stem, folder_name, problems)
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


def jsonl_article(
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
        line = decode_bytes(raw, origin)
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
        text = normalize_text(fields["text"])
        source = host_of(url) or folder_name
        source_from = FROM_URL if host_of(url) else FROM_FOLDER
        article = Article(
            id=article_id, source=source, source_from=source_from, text=text, url=url, origin=origin
        )
    elif fields["html"] is not None and fields["html"].strip():
        try:
            article = article_from_markup(
                fields["html"],
                id=article_id,
                origin=origin,
                url=url,
                fallback_source=folder_name,
                fallback_from=FROM_FOLDER,
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
        update["source_from"] = FROM_FIELD
    if fields["title"] is not None:
        update["title"] = normalize_text(fields["title"]).replace("\n", " ")
    if published is not None:
        update["published"] = published
    return article.model_copy(update=update) if update else article
