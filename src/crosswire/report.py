"""Write a `Report` as report.json (the contract), report.md (compact) and report.html (offline).

Article text is hostile input: the HTML template autoescapes everything and nothing from an
article is ever marked safe; the Markdown escapes the characters that would turn text into markup.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, cast, get_args

import jinja2
import jsonschema
import jsonschema.protocols
import jsonschema.validators
from pydantic import ValidationError

from crosswire.errors import CrosswireError, Msg
from crosswire.models import (
    Claim,
    ClaimStatus,
    Conflict,
    ConflictValue,
    FramingEntry,
    OutletProfile,
    Report,
    ReportArticle,
    Story,
    SummarySentence,
    TimelineEntry,
)

STATUSES: tuple[str, ...] = get_args(ClaimStatus)
SECTIONS: tuple[tuple[str, str], ...] = (
    ("established", "Established"),
    ("disputed", "Disputed"),
    ("single_source", "Reported by one outlet"),
    ("timeline", "Timeline"),
)


# How a conflict's value as written bounds its figure ("at least 10 workers": 10 or more).
_LOWER = re.compile(r"^(?:at least|more than|over|upwards of|no fewer than)\b", re.IGNORECASE)
_UPPER = re.compile(r"^(?:at most|up to|fewer than|less than|under|no more than)\b", re.IGNORECASE)


def _allows(value: ConflictValue) -> tuple[float, float] | None:
    """The figures a number conflict's value allows; None for other values (dates, titles,
    quotes), which are different values whenever they differ."""
    if not isinstance(value.normalized, (int, float)) or isinstance(value.normalized, bool):
        return None
    n = float(value.normalized)
    if _LOWER.match(value.value):
        return (n, math.inf)
    if _UPPER.match(value.value):
        return (0.0, n)
    return (n, n)


def _compatible(a: ConflictValue, b: ConflictValue) -> bool:
    """Whether both values can hold at once: "at least 10" and "at least 12" can, 9 and "at
    least 12" cannot (the conflict lists every value outlets gave, for the reader)."""
    if a is b:
        return True
    x, y = _allows(a), _allows(b)
    return x is not None and y is not None and x[0] <= y[1] and y[0] <= x[1]


def claim_stances(story: Story, claim: Claim) -> dict[str, tuple[str, Conflict | None]]:
    """Per article of the story, how it stands to `claim` (both matrices read it): "disputes"
    with the conflict where it gives a value that cannot hold with the claim's own (the value
    most of its sources give), even as a source ("9 workers" under "At least 12 workers";
    "at least 10" can hold), else "supports" as a source, else "silent"."""
    sources = {s.article_id for s in claim.sources}
    wording = next((s.article_id for s in claim.sources if s.sentence == claim.text), None)
    against: dict[str, Conflict] = {}
    for conflict in story.conflicts:
        if conflict.id not in claim.conflict_ids or not conflict.values:
            continue
        own = max(
            conflict.values,
            key=lambda v: (len(sources & set(v.article_ids)), wording in v.article_ids),
        )
        for value in conflict.values:
            if _compatible(value, own):
                continue
            for aid in value.article_ids:
                if aid not in own.article_ids:
                    against.setdefault(aid, conflict)
    stances: dict[str, tuple[str, Conflict | None]] = {}
    for aid in story.article_ids:
        if aid in against:
            stances[aid] = ("disputes", against[aid])
        elif aid in sources:
            stances[aid] = ("supports", None)
        else:
            stances[aid] = ("silent", None)
    return stances


def brief_sections(story: Story) -> list[tuple[str, str, list[SummarySentence]]]:
    """The brief's sections as (section, label, sentences), each non-empty: the one the brief
    opens with first (the event, even when its date or figure is disputed), then the others in
    `SECTIONS` order. One order for report.md, report.html and the web app."""
    parts = [
        (section, label, [s for s in story.summary if s.section == section])
        for section, label in SECTIONS
    ]
    parts = [p for p in parts if p[2]]
    opening = story.summary[0].section if story.summary else None
    return sorted(parts, key=lambda p: p[0] != opening)


STATUS_LABEL = {
    "consensus": "consensus",
    "corroborated": "corroborated",
    "single_source": "single source",
    "disputed": "disputed",
}

# --------------------------------------------------------------------------- schema + validation


def report_schema() -> dict[str, Any]:
    """JSON Schema of report.json, as written (serialization mode), for `crosswire schema`."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def validate_report(data: dict[str, Any]) -> None:
    """Raise ValueError with a readable message when `data` is not a valid report.json.

    jsonschema checks `data` against the published schema (`report_schema()`, what
    `crosswire schema` prints: types, enums, required keys, no unknown keys), so the schema
    and the model cannot silently drift apart; Pydantic then checks what the schema leaves to
    formats (dates parse).
    """
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        details = [f"{error.json_path}: {error.message}" for error in errors[:5]]
        raise ValueError(Msg.REPORT_INVALID.format(error="; ".join(details)))
    try:
        Report.model_validate(data)
    except ValidationError as exc:
        details = [
            f"{'.'.join(str(p) for p in err['loc']) or '$'}: {err['msg']}"
            for err in exc.errors()[:5]
        ]
        raise ValueError(Msg.REPORT_INVALID.format(error="; ".join(details))) from exc


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = report_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


# --------------------------------------------------------------------------- writing


def write_reports(report: Report, out_dir: Path) -> dict[str, Path]:
    """Write report.json, report.md and report.html into `out_dir` (created if missing).

    All three are rendered before any is written, and each file is written to a temporary file
    then renamed over the old one, so a crash never leaves half a report.
    """
    rendered = {
        "json": ("report.json", report.model_dump_json(indent=2) + "\n"),
        "md": ("report.md", render_markdown(report)),
        "html": ("report.html", render_html(report)),
    }
    out_dir = Path(out_dir)
    paths: dict[str, Path] = {}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for key, (name, text) in rendered.items():
            paths[key] = out_dir / name
            _atomic_write(paths[key], text)
    except OSError as exc:
        raise CrosswireError(Msg.OUT_DIR.format(path=out_dir, error=exc.strerror or exc)) from exc
    return paths


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file owner-only; a report is meant to be read and shared.
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- shared helpers


def status_counts(story: Story) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter(claim.status for claim in story.claims)
    return [(status, counts[status]) for status in STATUSES if counts[status]]


def _span(entry: TimelineEntry) -> tuple[date, date]:
    # mypy reads `earliest: date` in models.py as the field named `date` declared just above it;
    # the values are `datetime.date` at run time (Pydantic validates them).
    return cast(date, entry.earliest), cast(date, entry.latest)


def date_range(entry: TimelineEntry) -> str:
    earliest, latest = _span(entry)
    if earliest == latest:
        return earliest.isoformat()
    return f"{earliest.isoformat()} – {latest.isoformat()}"


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def _show_value(value: str | float | None) -> str:
    """A normalized conflict value for display: 12.0 reads as 12."""
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def is_web_url(url: str | None) -> bool:
    # Only http(s) links are rendered as links: a `javascript:` or `data:` URL is hostile input.
    return bool(url) and re.match(r"(?i)^https?://[^\s]+$", url or "") is not None


# --------------------------------------------------------------------------- markdown

_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#])")


def _md(text: str) -> str:
    """One line of inline Markdown text: no raw HTML, no accidental links, tables or emphasis."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_table(title: str, header: list[str], rows: list[list[str]]) -> list[str]:
    """A section of the Markdown report: its heading, then a table."""
    return [
        f"### {title}",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def _md_cites(article_ids: list[str]) -> str:
    return " ".join(f"[{_md(aid)}]" for aid in article_ids)


def render_markdown(report: Report) -> str:
    """The report as compact Markdown: brief with [article-id] citations, tables and lists."""
    by_id = {a.id: a for a in report.articles}
    out: list[str] = ["# crosswire report", ""]
    out.append(
        f"Generated {report.generated_at.isoformat()} · {_count(len(report.articles), 'article')}"
        f" · {_count(len(report.stories), 'story', 'stories')}"
        f" · schema version {report.schema_version}"
    )
    out.append("")
    if report.errors:
        out += ["## Input errors", ""]
        out += [f"- `{_md(e.origin)}`: {_md(e.message)}" for e in report.errors]
        out.append("")
    for story in report.stories:
        out += _md_story(story, by_id)
    if report.outlets:
        out += _md_outlets(report.outlets)
    out += ["## Articles", ""]
    for art in report.articles:
        line = f"- [{_md(art.id)}] **{_md(art.source)}**"
        if art.title:
            line += f" — {_md(art.title)}"
        if art.published:
            inferred = ", inferred" if art.published_inferred else ""
            line += f" ({art.published.isoformat()}{inferred})"
        if art.story_id:
            line += f"; story `{_md(art.story_id)}`"
        if art.duplicate_of:
            line += f"; copy of [{_md(art.duplicate_of)}]"
        if art.boilerplate_removed:
            line += f"; {len(art.boilerplate_removed)} furniture lines removed"
        out.append(line)
    # Link reference definitions make each [article-id] citation a link to its source, where the
    # source has a web address; other citations stay plain text.
    links = [
        f"[{_md(a.id)}]: <{_md_url(a.url)}>" for a in report.articles if a.url and is_web_url(a.url)
    ]
    if links:
        out += ["", *links]
    return "\n".join(out).rstrip() + "\n"


def _md_outlets(profiles: list[OutletProfile]) -> list[str]:
    """Each outlet's framing across its stories: its most used words, for whom, what only it
    says, and the loaded words it quotes (the speakers')."""
    out = ["## Framing by outlet", ""]
    for p in profiles:
        out += [f"### {_md(p.outlet)}", ""]
        rate = f"{p.per_article:.1f} per article"
        if p.others_per_article is not None:
            rate += f"; the other outlets of these stories {p.others_per_article:.1f}"
        out += [
            f"{_count(p.own_voice, 'framing word')} in its own voice over"
            f" {_count(p.articles, 'article')} in {_count(p.stories, 'story', 'stories')}"
            f" ({rate}) · {p.quoted} in quotes",
            "",
        ]
        if p.terms:
            rows = [
                [
                    _md(t.term) + (" (loaded)" if t.loaded else ""),
                    str(t.count),
                    ", ".join(_md(r) for r in t.refers_to),
                    ", ".join(_md(o) for o in t.others_use),
                    str(t.other_outlets) if t.other_outlets else "only this outlet",
                ]
                for t in p.terms
            ]
            header = ["Its own words", "Times", "Said of", "Others say", "Other outlets using it"]
            out += _md_table("", header, rows)[2:]  # no heading: the outlet's is above
        if p.referents:
            framed = "; ".join(
                f"{_md(r.name)} ({', '.join('“' + _md(w) + '”' for w in r.terms)})"
                for r in p.referents
            )
            out += [f"- Whom its words frame: {framed}"]
        # the table marks its own distinctive words; this names those it had no room for
        more = [w for w in p.distinctive if w not in {t.term for t in p.terms}]
        if more:
            out += [f"- More words only it uses: {', '.join('“' + _md(w) + '”' for w in more)}"]
        if p.quoted_terms:
            quoted = ", ".join(
                f"“{_md(t.term)}”"
                + (f" ({', '.join(_md(s) for s in t.speakers)})" if t.speakers else "")
                for t in p.quoted_terms
            )
            out += [f"- Loaded words it quotes: {quoted}"]
        if p.referents or more or p.quoted_terms:
            out.append("")
    return out


def _md_url(url: str) -> str:
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def _md_story(story: Story, by_id: dict[str, ReportArticle]) -> list[str]:
    out = [f"## {_md(story.title) or 'Untitled story'} (`{_md(story.id)}`)", ""]
    counts = ", ".join(f"{n} {STATUS_LABEL[s]}" for s, n in status_counts(story))
    out.append(
        f"{_count(story.outlets, 'outlet')} · {_count(len(story.article_ids), 'article')}"
        + (f" · claims: {counts}" if counts else "")
    )
    out.append("")
    if story.summary:
        out += ["### Brief", ""]
        for _, label, sentences in brief_sections(story):
            out += [f"**{label}**", ""]
            out += [f"- {_md(s.text)} {_md_cites(s.article_ids)}" for s in sentences]
            out.append("")
    if story.claims:
        rows = []
        for c in story.claims:
            text = (f"*{_md(c.about)}* · " if c.about else "") + _md(c.text)
            text += f" — *{_md(c.attributed_to)}*" if c.attributed_to else ""
            sources = _md_cites(list(dict.fromkeys(s.article_id for s in c.sources)))
            conflicts = ", ".join(_md(x) for x in c.conflict_ids)
            rows.append(
                [_md(c.id), text, STATUS_LABEL[c.status], str(c.outlets), sources, conflicts]
            )
        out += _md_table(
            "Claims", ["Claim", "Text", "Status", "Outlets", "Sources", "Conflicts"], rows
        )
    if story.conflicts:
        rows = []
        for x in story.conflicts:
            values = " · ".join(f"“{_md(v.value)}” {_md_cites(v.article_ids)}" for v in x.values)
            subject = _md(x.subject) + (f" — {_md(x.explanation)}" if x.explanation else "")
            rows.append([_md(x.id), subject, x.kind, x.severity, values])
        out += _md_table("Conflicts", ["Conflict", "Subject", "Kind", "Severity", "Values"], rows)
    if story.timeline:
        out += ["### Timeline", ""]
        parts = timeline_parts(story.timeline)
        for heading, entries in [("", parts.dated), ("Dated far from the rest", parts.apart)]:
            if heading and entries:
                out += ["", f"#### {heading}", ""]
            for t in entries:
                line = f"- **{t.date.isoformat()}** ({when(t)}) {_md(t.event)}"
                line += f" {_md_cites(t.article_ids)}"
                if t.conflict_ids:
                    line += f" ⚠ disputed ({', '.join(_md(c) for c in t.conflict_ids)})"
                if t.note:
                    line += f" — {_md(t.note)}"
                out.append(line)
        for day, entries in parts.undated:
            out += ["", f"#### Not dated by the text, reported by {day.isoformat()}", ""]
            out += [f"- {_md(t.event)} {_md_cites(t.article_ids)}" for t in entries]
        out.append("")
    if story.framing:
        rows = []
        for f in story.framing:
            art = by_id.get(f.article_id)
            outlet = f"{_md(art.source)} [{_md(f.article_id)}]" if art else f"[{_md(f.article_id)}]"
            others = ", ".join(_md(o) for o in f.others_use)
            rows.append([outlet, _md(f.term), _md(f.refers_to), others, "yes" if f.loaded else ""])
        out += _md_table("Framing", ["Outlet", "Term", "Refers to", "Others use", "Loaded"], rows)
    if story.quotes:
        out += ["### Quotes", ""]
        for q in story.quotes:
            badge = " (wording differs)" if q.wording_differs else ""
            out.append(f"- **{_md(q.speaker or 'Unknown speaker')}**{badge}")
            out += [f"  - [{_md(v.article_id)}] “{_md(v.text)}”" for v in q.variants]
        out.append("")
    if story.entities:
        out += ["### Entities", ""]
        for e in story.entities:
            aliases = f" — also: {', '.join(_md(a) for a in e.aliases)}" if e.aliases else ""
            out.append(f"- **{_md(e.name)}** ({_md(e.type)}){aliases} {_md_cites(e.article_ids)}")
        out.append("")
    if story.omissions:
        out += ["### Left out", ""]
        for aid, claim_ids in story.omissions.items():
            out.append(f"- [{_md(aid)}] omits {', '.join(_md(c) for c in claim_ids)}")
        out.append("")
    return out


# --------------------------------------------------------------------------- html view model


def _slug(text: str) -> str:
    """An id-safe form of `text`; a short hash keeps two ids that slug alike apart."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    if slug == text and slug:
        return slug
    return f"{slug or 'x'}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:6]}"


@dataclass(frozen=True)
class Cite:
    label: str
    href: str | None
    title: str


@dataclass(frozen=True)
class Segment:
    text: str
    anchor: str | None = None


@dataclass(frozen=True)
class Cell:
    mark: Literal["supports", "disputes", "silent"]
    href: str | None = None
    title: str = ""


@dataclass
class Bar:
    x: float
    label_x: float
    width: float
    dot_x: float | None
    """The most likely day; None when it lies off the axis (the bar is cut at its edge)."""
    y: float
    label: str
    title: str
    disputed: bool


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]
    axis_y: float
    x0: float
    x1: float


@dataclass
class StoryView:
    story: Story
    anchor: str
    status_counts: list[tuple[str, int]]
    columns: list[str]
    matrix: list[tuple[str, list[Cell]]]  # (row anchor, cells) per claim
    conflict_anchor: dict[str, str]
    chart: Chart | None
    framing: list[tuple[str, list[FramingEntry]]]
    summary: list[tuple[str, list[SummarySentence]]]
    articles: list[ReportArticle] = field(default_factory=list)


class _Anchors:
    """Stable, unique element ids for articles and the sentences the report cites."""

    def __init__(self, report: Report) -> None:
        self.articles = {a.id: a for a in report.articles}
        self.article = {a.id: f"art-{_slug(a.id)}" for a in report.articles}
        self.sentence: dict[tuple[str, str], str] = {}
        self.segments: dict[str, list[Segment]] = {}
        wanted: dict[str, list[str]] = {a.id: [] for a in report.articles}
        for story in report.stories:
            for claim in story.claims:
                for src in claim.sources:
                    wanted.setdefault(src.article_id, []).append(src.sentence)
            for conflict in story.conflicts:
                for value in conflict.values:
                    for aid in value.article_ids:
                        wanted.setdefault(aid, []).extend(value.evidence)
            for quote in story.quotes:
                for variant in quote.variants:
                    wanted.setdefault(variant.article_id, []).append(variant.text)
        for art in report.articles:
            self.segments[art.id] = self._mark(art, wanted.get(art.id, []))

    def _mark(self, art: ReportArticle, sentences: list[str]) -> list[Segment]:
        """Split the article text so each cited sentence found in it gets its own anchor."""
        spans: list[tuple[int, int, str]] = []
        for sentence in dict.fromkeys(s.strip() for s in sentences if s.strip()):
            start = art.text.find(sentence)
            if start >= 0:
                spans.append((start, start + len(sentence), sentence))
        spans.sort()
        segments: list[Segment] = []
        pos = marked = 0
        last: str | None = None
        for start, end, sentence in spans:
            if start < pos:
                # Overlaps the previous highlight: link to that one rather than nesting marks.
                if last is not None:
                    self.sentence[(art.id, sentence)] = last
                continue
            marked += 1
            anchor = f"sen-{_slug(art.id)}-{marked}"
            self.sentence[(art.id, sentence)] = anchor
            if start > pos:
                segments.append(Segment(art.text[pos:start]))
            segments.append(Segment(art.text[start:end], anchor))
            pos, last = end, anchor
        if pos < len(art.text):
            segments.append(Segment(art.text[pos:]))
        return segments

    def cite(self, article_id: str, sentence: str | None = None) -> Cite:
        art = self.articles.get(article_id)
        if art is None:
            return Cite(article_id, None, "article not in this report")
        href = self.article[article_id]
        if sentence is not None:
            href = self.sentence.get((article_id, sentence.strip()), href)
        title = f"{art.source}: {art.title}" if art.title else art.source
        return Cite(article_id, f"#{href}", title)

    def outlet(self, article_id: str) -> str:
        art = self.articles.get(article_id)
        return art.source if art else article_id


def _matrix(
    story: Story, anchors: _Anchors, conflict_anchor: dict[str, str], si: int
) -> list[tuple[str, list[Cell]]]:
    rows: list[tuple[str, list[Cell]]] = []
    for ci, claim in enumerate(story.claims):
        supporting = {s.article_id: s.sentence for s in claim.sources}
        stances = claim_stances(story, claim)
        cells: list[Cell] = []
        for aid in story.article_ids:
            mark, against = stances[aid]
            if mark == "supports":
                cite = anchors.cite(aid, supporting[aid])
                cells.append(Cell("supports", cite.href, f"{anchors.outlet(aid)} supports"))
            elif against is not None:
                cells.append(
                    Cell(
                        "disputes",
                        f"#{conflict_anchor[against.id]}",
                        f"{anchors.outlet(aid)} disputes ({against.subject})",
                    )
                )
            else:
                cells.append(Cell("silent", None, f"{anchors.outlet(aid)} does not say"))
        rows.append((f"claim-{si}-{ci}", cells))
    return rows


_CHART_WIDTH = 900
_ROW_HEIGHT = 40
_LABEL_CHARS = 120


_APART_SPREAD = 3
"""An entry is listed apart when its date lies more than this many interquartile spreads
outside the middle half of the timeline's dates (Tukey's far-out rule)."""
_MIN_SPREAD_DAYS = 14
_CLOSE_DAYS = 31
"""Entries spanning at most this many days widen the axis; wider ones ("2009") are clipped."""


@dataclass
class TimelineParts:
    """A timeline as the report shows it: dated entries on the axis, those dated far from the
    rest listed apart (so one mention of 1999 does not squash a month into a corner), and the
    entries the text does not date, by the day they were reported by."""

    dated: list[TimelineEntry]
    apart: list[TimelineEntry]
    undated: list[tuple[date, list[TimelineEntry]]]


def timeline_parts(timeline: Sequence[TimelineEntry]) -> TimelineParts:
    dated = [t for t in timeline if t.precision != "before_publication"]
    by_day: dict[date, list[TimelineEntry]] = {}
    for t in timeline:
        if t.precision == "before_publication":
            by_day.setdefault(cast(date, t.latest), []).append(t)
    # the bulk is where the exactly dated entries lie ("2019" says little about where it is)
    exact = [t for t in dated if (_span(t)[1] - _span(t)[0]).days <= _CLOSE_DAYS] or dated
    apart: list[TimelineEntry] = []
    if len(exact) >= 3:
        days = sorted(t.date.toordinal() for t in exact)
        q1, q3 = days[len(days) // 4], days[(3 * len(days)) // 4]
        spread = max(q3 - q1, _MIN_SPREAD_DAYS)
        low, high = q1 - _APART_SPREAD * spread, q3 + _APART_SPREAD * spread

        def inside(t: TimelineEntry) -> bool:
            earliest, latest = _span(t)
            return earliest.toordinal() <= high and latest.toordinal() >= low

        far = [t for t in dated if not inside(t)]
        if len(far) * 2 < len(dated):
            apart = far
            dated = [t for t in dated if inside(t)]
    return TimelineParts(dated, apart, sorted(by_day.items()))


def when(entry: TimelineEntry) -> str:
    """How exactly the entry is dated, in words."""
    if entry.precision == "before_publication":
        return f"at or before {cast(date, entry.latest).isoformat()}, when it was reported"
    earliest, latest = _span(entry)
    return entry.precision + (f", {date_range(entry)}" if earliest != latest else "")


def timeline_chart(timeline: list[TimelineEntry]) -> Chart | None:
    """Geometry of the timeline chart: one bar per dated entry over a shared day axis; entries
    dated far from the rest and those the text does not date stay off it (`timeline_parts`),
    and bars wider than the axis are clipped to it."""
    timeline = timeline_parts(timeline).dated
    if not timeline:
        return None
    spans = [_span(t) for t in timeline]
    close = [
        (earliest, latest) for earliest, latest in spans if (latest - earliest).days <= _CLOSE_DAYS
    ] or spans
    first = min(earliest for earliest, _ in close)
    last = max(latest for _, latest in close)
    last += timedelta(days=1)
    days = max(1, (last - first).days)
    x0, x1 = 16.0, float(_CHART_WIDTH - 16)
    per_day = (x1 - x0) / days

    def pos(d: date) -> float:
        d = min(max(d, first), last)
        return round(x0 + (d - first).days * per_day, 2)

    bars: list[Bar] = []
    for i, (t, (earliest, latest)) in enumerate(zip(timeline, spans, strict=True)):
        y = 8 + i * _ROW_HEIGHT
        start, end = pos(earliest), pos(latest + timedelta(days=1))
        # a bar wider than the axis ("2025", the bulk being a month) is cut at its edge, and
        # says so: an arrow where it goes on, no dot when its likely day is off the axis
        cut = ("◂ " if earliest < first else "") + ("▸ " if latest >= last else "")
        prefix = "⚠ " if t.conflict_ids else ""
        head = f"{prefix}{cut}{t.date.isoformat()} · "
        # about 6.5 px per character at 12 px, 7.4 in the bold of a disputed entry
        fits = int((x1 - x0) / (7.4 if t.conflict_ids else 6.5)) - len(head)
        chars = min(_LABEL_CHARS, fits)
        label = t.event if len(t.event) <= chars else t.event[: chars - 1] + "…"
        title = f"{t.date.isoformat()} ({when(t)}): {t.event}"
        if cut:
            title += " (the bar is cut at the edge of the axis)"
        text = head + label
        # Start the label over its bar, pulled left only as far as needed to stay in the chart.
        width = (7.4 if t.conflict_ids else 6.5) * len(text)
        label_x = round(max(x0, min(start, x1 - width)), 2)
        bars.append(
            Bar(
                x=start,
                label_x=label_x,
                width=max(2.0, round(end - start, 2)),
                dot_x=round(pos(t.date) + per_day / 2, 2) if first <= t.date < last else None,
                y=y,
                label=text,
                title=title,
                disputed=bool(t.conflict_ids),
            )
        )
    axis_y = 8 + len(timeline) * _ROW_HEIGHT + 4
    step = max(1, math.ceil(days / 8))
    ticks = [
        (
            round(pos(first + timedelta(days=d)) + per_day / 2, 2),
            (first + timedelta(days=d)).isoformat(),
        )
        for d in range(0, days, step)
    ]
    return Chart(_CHART_WIDTH, int(axis_y + 30), bars, ticks, axis_y, x0, x1)


def _story_view(story: Story, si: int, anchors: _Anchors, report: Report) -> StoryView:
    conflict_anchor = {c.id: f"conflict-{si}-{ci}" for ci, c in enumerate(story.conflicts)}
    by_outlet: dict[str, list[FramingEntry]] = {}
    for f in story.framing:
        by_outlet.setdefault(anchors.outlet(f.article_id), []).append(f)
    summary = [(label, sentences) for _, label, sentences in brief_sections(story)]
    return StoryView(
        story=story,
        anchor=f"story-{si}",
        status_counts=status_counts(story),
        columns=list(story.article_ids),
        matrix=_matrix(story, anchors, conflict_anchor, si),
        conflict_anchor=conflict_anchor,
        chart=timeline_chart(story.timeline),
        framing=list(by_outlet.items()),
        summary=[(label, items) for label, items in summary if items],
        articles=[a for a in report.articles if a.story_id == story.id],
    )


def template_env() -> jinja2.Environment:
    """A Jinja environment over the package's templates (the report's and the web app's),
    with the helpers both use as globals."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("crosswire", "templates"),
        # Article content is hostile: every value is escaped, and nothing from it is marked safe.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        status_label=STATUS_LABEL,
        is_web_url=is_web_url,
        date_range=date_range,
        when=when,
        timeline_parts=timeline_parts,
    )
    return env


_ENV = template_env()


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page that opens offline."""
    anchors = _Anchors(report)
    stories = [_story_view(s, i, anchors, report) for i, s in enumerate(report.stories)]
    story_ids = {s.id for s in report.stories}
    loose = [a for a in report.articles if a.story_id not in story_ids]
    story_anchor = {v.story.id: v.anchor for v in stories}
    return _ENV.get_template("report.html.j2").render(
        report=report,
        stories=stories,
        loose_articles=loose,
        anchors=anchors,
        story_anchor=story_anchor,
        count=_count,
        show_value=_show_value,
    )
