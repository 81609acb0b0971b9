"""A story as CSV, for a spreadsheet: one row per claim, per conflict and per framing choice,
each naming its outlets and citing the sentences it rests on."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping

from crosswire.models import Article, Story

COLUMNS = ("section", "id", "text", "status", "outlets", "article_ids", "detail", "citations")
"""section: claim, conflict or framing. status: a claim's status, a conflict's severity, or
"loaded" for a loaded word. citations: `outlet [article id, sentence n]: "sentence"`, joined
by " | "."""


def story_rows(story: Story, articles: Mapping[str, Article]) -> Iterator[list[str]]:
    """The story's claims, conflicts and framing, one row each, in `COLUMNS` order."""

    def outlet(aid: str) -> str:
        art = articles.get(aid)
        return art.source if art else aid

    def outlets(aids: list[str]) -> str:
        return "; ".join(dict.fromkeys(outlet(a) for a in aids))

    for c in story.claims:
        aids = [src.article_id for src in c.sources]
        cites = [
            f"{outlet(src.article_id)} [{src.article_id}, sentence {src.sentence_index}]: "
            f'"{src.sentence}"'
            for src in c.sources
        ]
        yield [
            "claim",
            c.id,
            c.text,
            c.status,
            outlets(aids),
            "; ".join(aids),
            c.attributed_to or "",
            " | ".join(cites),
        ]
    for k in story.conflicts:
        aids = [a for v in k.values for a in v.article_ids]
        sides = " vs ".join(f"{v.value} ({outlets(v.article_ids)})" for v in k.values)
        cites = [
            f'{outlet(aid)} [{aid}]: "{said}"'
            for v in k.values
            for aid, said in zip(v.article_ids, v.evidence, strict=False)
        ]
        yield [
            "conflict",
            k.id,
            k.subject,
            k.severity,
            outlets(aids),
            "; ".join(aids),
            f"{k.kind}: {sides}",
            " | ".join(cites),
        ]
    for f in story.framing:
        others = f"; others say {', '.join(f.others_use)}" if f.others_use else ""
        yield [
            "framing",
            f"{f.article_id}:{f.term}",
            f.term,
            "loaded" if f.loaded else "",
            outlet(f.article_id),
            f.article_id,
            f"for {f.refers_to}{others}",
            "",
        ]


def story_csv(story: Story, articles: Mapping[str, Article]) -> str:
    """The story's rows as CSV text with a header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in story_rows(story, articles):
        writer.writerow([_inert(cell) for cell in row])
    return out.getvalue()


def _inert(cell: str) -> str:
    """The cell, made inert for spreadsheets: article text is hostile, and a cell starting
    with = + - @ (or a tab or carriage return) would be run as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
