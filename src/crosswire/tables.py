"""Report tables for analysis in DuckDB or pandas (issue 8): `claims.parquet` and
`conflicts.parquet` (one row per claim or conflict, with its story, outlets and sentence
references) and one JSON file per story. pyarrow comes with `pip install 'crosswire[archive]'`
and is imported only when used. Also `write_csv`: claims, conflicts and framing in one CSV
table (`crosswire export --csv`), no extra needed."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from crosswire.errors import CrosswireError, Msg
from crosswire.models import Report, Story

__all__ = ["CSV_COLUMNS", "csv_rows", "csv_text", "story_csv_rows", "write_csv", "write_tables"]


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


CSV_COLUMNS = (
    "kind", "story_id", "story_title", "id", "text", "status", "outlets", "article_ids",
    "detail", "citations",
)  # fmt: skip
"""kind: claim, conflict or framing. status: a claim's status, a conflict's severity, or
"loaded" for a loaded word. detail: who a claim is attributed to, a conflict's kind and sides,
what a framing term refers to and what others call it. citations: one line per cited
sentence, `outlet [article id, sentence n]: "sentence"`. The same table from `crosswire export
--csv` (every story) and from the web app's CSV link (one story)."""
# A cell a spreadsheet would run as a formula ("=HYPERLINK(...)" in an article) is kept as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def story_csv_rows(story: Story, outlet_of: Mapping[str, str]) -> list[dict[str, str]]:
    """One row per claim, conflict and framing entry of `story`, in `CSV_COLUMNS`;
    `outlet_of` maps article ids to outlet names."""

    def outlet(aid: str) -> str:
        return outlet_of.get(aid) or aid

    def outlets(ids: Sequence[str]) -> str:
        return "; ".join(sorted({outlet(i) for i in ids}, key=str.casefold))

    base = {"story_id": story.id, "story_title": story.title}
    rows: list[dict[str, str]] = []
    for claim in story.claims:
        ids = list(dict.fromkeys(s.article_id for s in claim.sources))
        cites = [
            f"{outlet(s.article_id)} [{s.article_id}"
            + (f", sentence {s.sentence_index}" if s.sentence_index >= 0 else "")
            + f']: "{s.sentence}"'
            for s in claim.sources
        ]
        rows.append(
            {
                **base,
                "kind": "claim",
                "id": claim.id,
                "text": claim.text,
                "status": claim.status,
                "outlets": outlets(ids),
                "article_ids": "; ".join(ids),
                "detail": f"said by {claim.attributed_to}" if claim.attributed_to else "",
                "citations": "\n".join(cites),
            }
        )
    for conflict in story.conflicts:
        ids = list(dict.fromkeys(i for v in conflict.values for i in v.article_ids))
        sides = " vs ".join(f"{v.value} ({outlets(v.article_ids)})" for v in conflict.values)
        cites = [
            f'{outlet(aid)} [{aid}]: "{said}"'
            for v in conflict.values
            for aid, said in zip(v.article_ids, v.evidence, strict=False)
        ]
        rows.append(
            {
                **base,
                "kind": "conflict",
                "id": conflict.id,
                "text": f"{conflict.kind} of {conflict.subject}: {sides}",
                "status": conflict.severity,
                "outlets": outlets(ids),
                "article_ids": "; ".join(ids),
                "detail": f"{conflict.kind}: {sides}",
                "citations": "\n".join(cites),
            }
        )
    for n, entry in enumerate(story.framing, 1):
        others = f"; others say {', '.join(entry.others_use)}" if entry.others_use else ""
        aid = entry.article_id
        span = f", characters {entry.start}-{entry.end}" if entry.start is not None else ""
        rows.append(
            {
                **base,
                "kind": "framing",
                "id": f"{story.id}-framing-{n}",
                "text": entry.term,
                "status": "loaded" if entry.loaded else "",
                "outlets": outlet(entry.article_id),
                "article_ids": entry.article_id,
                "detail": f"for {entry.refers_to}{others}",
                "citations": f'{outlet(aid)} [{aid}{span}]: "{entry.term}"',
            }
        )
    return [{k: _cell(str(v)) for k, v in row.items()} for row in rows]


def csv_rows(report: Report) -> list[dict[str, str]]:
    """`story_csv_rows` of every story of the report (`crosswire export --csv`)."""
    outlet_of = {a.id: a.source for a in report.articles}
    return [row for story in report.stories for row in story_csv_rows(story, outlet_of)]


def csv_text(rows: Sequence[Mapping[str, str]]) -> str:
    """Rows as CSV text with the header line (the web app's download)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_csv(report: Report, path: Path) -> Counter[str]:
    """Write `csv_rows` to `path` (UTF-8 with a BOM, so spreadsheets read accents right);
    returns the rows written per kind. Raises OSError when it cannot be written."""
    rows = csv_rows(report)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(csv_text(rows))
    return Counter(r["kind"] for r in rows)
