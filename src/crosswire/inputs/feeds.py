"""RSS and Atom: entries as read from a feed, and a feed file's articles."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from crosswire.errors import InputReadError, Msg
from crosswire.inputs.decode import check_not_binary, file_stem, read_bytes
from crosswire.inputs.pages import FROM_FEED, fragment_text, host_of, parse_date
from crosswire.models import Article, InputError
from crosswire.options import Options


def read_feed(path: Path, options: Options) -> Iterator[Article | InputError]:
    """One article per RSS/Atom entry; the publisher from the entry's <source>, else the feed."""
    origin = str(path)
    data = read_bytes(path, options, origin)
    entries = parse_feed(
        data, origin, stem=file_stem(path), fallback_name=path.resolve().parent.name
    )
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
            "source_from": FROM_FEED,
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
    check_not_binary(data, origin)
    refuse_xml_entities(data, origin)
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
    feed_title = fragment_text(feed.get("title") or "").replace("\n", " ")
    feed_name = feed_title or host_of(feed.get("link")) or fallback_name
    found: list[FeedEntry] = []
    for number, entry in enumerate(entries, start=1):
        link = entry.get("link") or None
        key = entry.get("id") or link or f"{entry.get('title', '')}\x1f{number}"
        digest = hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:10]
        publisher = entry.get("source") or {}
        publisher_name = fragment_text(publisher.get("title") or "").replace("\n", " ")
        publisher_name = publisher_name or host_of(publisher.get("href") or publisher.get("url"))
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
                title=fragment_text(entry.get("title") or "").replace("\n", " "),
                published=published,
                publisher=publisher_name,
                feed_name=feed_name,
                text=_entry_text(entry),
            )
        )
    return found


_DOCTYPE = re.compile(rb"<!doctype", re.IGNORECASE)


def refuse_xml_entities(data: bytes, origin: str) -> None:
    """Raise `InputReadError` for XML whose DOCTYPE declares entities or external references
    ("billion laughs", XXE): refused whole, as defusedxml refuses it, not read as an article
    titled "&lol9;". Documents without a DOCTYPE (nearly every feed) are not parsed twice."""
    if not _DOCTYPE.search(data):
        return
    try:
        defused_fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        name = getattr(error, "name", None) or getattr(error, "sysid", None) or "?"
        raise InputReadError(origin, Msg.XML_ENTITIES.format(name=name)) from None
    except SyntaxError:  # not well-formed XML (ParseError): feedparser's lenient reading decides
        return


def _entry_text(entry: Any) -> str:
    bodies = [c.get("value") or "" for c in entry.get("content") or []]
    return fragment_text(max(bodies, key=len, default="") or entry.get("summary") or "")
