"""PDF articles: the text layer (pypdf), the title from the document's metadata or first line;
a scanned PDF with no text layer is refused, not read as empty."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

from crosswire.errors import InputReadError, Msg
from crosswire.inputs.decode import file_stem, read_bytes
from crosswire.inputs.pages import (
    FROM_BYLINE,
    FROM_FILE_NAME,
    article_from_text,
    normalize_text,
    outlet_from_byline,
)
from crosswire.models import Article, InputError
from crosswire.options import Options

# pypdf warns on every slightly broken xref it repairs; a page it can read is enough here.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(path: Path, options: Options) -> Iterator[Article | InputError]:
    """One article from a PDF's text layer (pages joined in order)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    origin = str(path)
    data = read_bytes(path, options, origin)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
    except (PyPdfError, ValueError, TypeError, KeyError, OSError, RecursionError) as error:
        raise InputReadError(origin, Msg.PDF_BROKEN.format(error=error)) from None
    text = normalize_text("\n\n".join(pages))
    if not text:
        raise InputReadError(origin, Msg.PDF_NO_TEXT)
    title = normalize_text(str(meta_title)).replace("\n", " ")
    if title:
        article = Article(id=file_stem(path), source="", title=title, text=text, origin=origin)
    else:
        article = article_from_text(text, id=file_stem(path), origin=origin)
    source, source_from = outlet_from_byline(article.text), FROM_BYLINE
    if not source:
        source, source_from = file_stem(path), FROM_FILE_NAME
    yield article.model_copy(update={"source": source, "source_from": source_from})
