"""Timeline (issue 24): does the report's timeline place each event at its date?

`crosswire eval timeline` reads MEANTIME (``../shared/data/meantime-en``, English Wikinews, four
corpora of 30 articles): airbus and apple are dev, gm and stock held out (gold/README.md). The
120 articles go through `crosswire analyze` in one run (`inputs`), each as its own outlet, with
its document creation time (DCT) as publication date.

Gold, as decided from the data:

* Documents are the CAT XML files of ``intra_cross-doc_annotation/`` (the same tokens and
  timexes as ``intra-doc_annotation/``, plus the event mentions annotated across documents and
  their cross-document instances). Text and DCT are read as `crosswire eval times` reads them
  (times.py: gold tokens rejoined, the dateline gives a missing DCT). The article given to
  crosswire is the title (sentence 0) and the body after the dateline, one sentence a line.
* An event is an EVENT_MENTION of a body sentence whose cross-document instance (REFERS_TO an
  EVENT with an ``instance_id``) has a calendar TIME in ``list_instances.csv`` (``2009-06-01``,
  ``2009-06``, ``2009``; the time anchors of the SemEval-2015 TimeLine task, built from the
  TLINKs of the intra-document annotation): the event's gold date is that value as an interval
  (a day, a month, a year). Instances anchored to ``XXXX-XX-XX`` or to nothing are not
  anchored events. The instance TIME is used rather than each mention's own TLINKs because
  most anchors of the intra-document annotation are relations to the DCT ("before the
  DCT"), which give an order, not a date; the instance TIME is the date the annotators gave
  the event, consistently across the articles that mention it. Title and dateline events are
  left out (no timeline entry cites a title).
* A timeline entry cites sentences (`TimelineEntry.sources`; a report without them, as made
  before issue 24, is read by finding the entry's `event` text in each of its articles). An
  entry's interval is ``[earliest, latest]``; an entry dated "at or before publication"
  (precision ``before_publication``) holds any date up to its `latest`.
* placed (recall): gold events some entry citing their sentence (same place: overlap of half the
  shorter span) dates with an interval that holds the gold date: the entry's interval contains
  the gold interval, or lies inside it (an entry dated to a day inside a gold month is right).
* precision: (entry, cited annotated sentence) pairs where the entry's interval holds the gold
  date of some event of that sentence, over all such pairs (a sentence is annotated when it
  holds a gold event).
* placed within a month: placed by an interval of at most 31 days (so "at or before
  publication" cannot score everything by saying little).

Beside crosswire, in the same run: "first date expression" (each body sentence dated by its
first date expression found by crosswire's own `extract_times` resolved against the DCT, else
by the publication day), and "crosswire, dated by text only" (crosswire's entries less those
dated only "at or before publication": what the timeline placed before issue 24, when only
sentences with a time expression reached it).

Caveat (../shared/data/README.md): crosswire's date normalisation (`extract_times`, used by
crosswire and the baseline alike) was tuned on all of MEANTIME, so the held-out figures measure
the timeline (which sentences reach it, which expression dates an event, the comparisons left
out) on unseen corpora, not the normalisation of each expression.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from lxml import etree

from crosswire.evaluate.base import Evaluator, Scores, Split, register
from crosswire.evaluate.loci import ArticleText, Locus, same_place, write_jsonl
from crosswire.evaluate.scoring import ratio
from crosswire.evaluate.times import _load
from crosswire.language.times import extract_times
from crosswire.models import Report, Sentence, TimelineEntry

__all__ = ["GoldEvent", "TimelineEvaluator", "meantime_timeline_input", "read_meantime_events"]

MEANTIME_TIMELINE_SPLIT: Mapping[str, Split] = {
    "airbus": "dev",
    "apple": "dev",
    "gm": "heldout",
    "stock": "heldout",
}
_FOLDER = "intra_cross-doc_annotation"
_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)$")
_MONTH = re.compile(r"(\d{4})-(\d\d)$")
_YEAR = re.compile(r"(\d{4})$")
_MONTH_DAYS = 31

Interval = tuple[date, date]


def gold_interval(value: str) -> Interval | None:
    """A MEANTIME instance TIME as a calendar interval (None: not a calendar value)."""
    value = value.strip()
    try:
        if m := _DAY.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _MONTH.match(value):
            first = date(int(m[1]), int(m[2]), 1)
            return first, first + relativedelta(months=1) - timedelta(days=1)
        if m := _YEAR.match(value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def holds(entry: Interval, gold: Interval) -> bool:
    """The entry's interval contains the gold one, or lies inside it."""
    return (entry[0] <= gold[0] and gold[1] <= entry[1]) or (
        gold[0] <= entry[0] and entry[1] <= gold[1]
    )


@dataclass(frozen=True)
class GoldEvent:
    doc_id: str
    sentence: int
    """Index of its sentence in the article text given to crosswire (title excluded)."""
    text: str
    interval: Interval


@dataclass
class GoldArticle:
    doc_id: str
    corpus: str
    title: str
    sentences: list[str]
    """Body sentences, one a line of the article text."""
    dct: date | None
    events: list[GoldEvent]

    @property
    def split(self) -> Split:
        return MEANTIME_TIMELINE_SPLIT[self.corpus]


def _instance_times(meantime: Path) -> dict[str, str]:
    times: dict[str, str] = {}
    with (meantime / "list_instances.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) > 7 and row[1] == "EVENT" and not row[0].startswith("#"):
                times[row[0]] = row[7]
    return times


def read_meantime_events(meantime: Path) -> list[GoldArticle]:
    """Every MEANTIME article with its anchored events (see the module docstring)."""
    instance_time = _instance_times(meantime)
    articles = []
    for corpus in MEANTIME_TIMELINE_SPLIT:
        for path in sorted((meantime / _FOLDER / f"corpus_{corpus}").glob("*.xml")):
            articles.append(_read_article(path, corpus, instance_time))
    return articles


def _read_article(path: Path, corpus: str, instance_time: Mapping[str, str]) -> GoldArticle:
    doc = _load(path)
    body_from = (doc.dateline if doc.dateline is not None else 0) + 1
    by_index = {s.index: s.text for s in doc.sentences}
    body = [i for i in sorted(by_index) if i >= body_from]
    line_of = {index: k for k, index in enumerate(body)}
    root = etree.parse(str(path)).getroot()
    sentence_of = {t.get("t_id", ""): int(t.get("sentence", "0")) for t in root.iter("token")}
    instance_of = {e.get("m_id", ""): e.get("instance_id", "") for e in root.iter("EVENT")}
    refers: dict[str, str] = {}
    for link in root.iter("REFERS_TO"):
        target = link.find("target")
        instance = instance_of.get(target.get("m_id", "") if target is not None else "", "")
        for source in link.findall("source"):
            if instance:
                refers[source.get("m_id", "")] = instance
    events = []
    for mention in root.iter("EVENT_MENTION"):
        anchors = [a.get("t_id", "") for a in mention.iter("token_anchor")]
        interval = gold_interval(instance_time.get(refers.get(mention.get("m_id", ""), ""), ""))
        if not anchors or interval is None or sentence_of.get(anchors[0]) not in line_of:
            continue
        index = sentence_of[anchors[0]]
        events.append(GoldEvent(path.stem, line_of[index], by_index[index], interval))
    return GoldArticle(
        doc_id=path.stem.split("_", 1)[0],
        corpus=corpus,
        title=by_index.get(0, ""),
        sentences=[by_index[i] for i in body],
        dct=doc.dct,
        events=events,
    )


def meantime_timeline_input(articles: Iterable[GoldArticle], out: Path) -> Path:
    """The articles as crosswire JSONL (id = MEANTIME doc id, each its own outlet)."""
    return write_jsonl(
        (
            {
                "id": a.doc_id,
                "source": f"wikinews-{a.doc_id}",
                "title": a.title,
                "text": "\n".join(a.sentences),
                "published": a.dct.isoformat() if a.dct else None,
            }
            for a in articles
        ),
        out,
    )


@dataclass(frozen=True)
class Dated:
    """One entry's reading of one sentence: where the sentence is, and the interval."""

    locus: Locus
    interval: Interval
    entry: int


def _interval(entry: TimelineEntry) -> Interval:
    if entry.precision == "before_publication":
        return date.min, entry.latest
    return entry.earliest, entry.latest


def report_citations(
    report: Report, texts: Mapping[str, ArticleText], keep: set[str] | None = None
) -> list[Dated]:
    """Every (entry, cited sentence) of the report's timelines, located in the article text."""
    out: list[Dated] = []
    number = 0
    for story in report.stories:
        for entry in story.timeline:
            if keep is not None and not _interval_kept(entry, keep):
                number += 1
                continue
            interval = _interval(entry)
            if entry.sources:
                for s in entry.sources:
                    if s.start >= 0 and s.end > s.start:
                        out.append(Dated(Locus(s.article_id, s.start, s.end), interval, number))
                    elif s.article_id in texts and (found := texts[s.article_id].find(s.sentence)):
                        out.append(Dated(found, interval, number))
            else:  # a report from before issue 24: entries name articles and the event's words
                for aid in entry.article_ids:
                    if aid in texts and (found := texts[aid].find(entry.event)):
                        out.append(Dated(found, interval, number))
            number += 1
    return out


def _interval_kept(entry: TimelineEntry, keep: set[str]) -> bool:
    return entry.precision in keep


def baseline_citations(
    articles: Sequence[GoldArticle], texts: Mapping[str, ArticleText]
) -> list[Dated]:
    """Each body sentence dated by its first date expression (crosswire's own `extract_times`,
    resolved against the DCT), else by the publication day."""
    out: list[Dated] = []
    number = 0
    for a in articles:
        text = texts.get(a.doc_id)
        if text is None or a.dct is None:
            continue
        sentences = [
            Sentence(index=i, text=s, start=0, end=len(s)) for i, s in enumerate(a.sentences)
        ]
        first: dict[int, Interval] = {}
        for t in extract_times(sentences, a.dct):
            first.setdefault(t.sentence, (t.earliest, t.latest))
        at = 0
        for i, s in enumerate(a.sentences):
            found = text.find(s, at)
            if found is None:
                continue
            at = found.end
            out.append(Dated(found, first.get(i, (a.dct, a.dct)), number))
            number += 1
    return out


def score_timeline(
    events: Sequence[tuple[GoldEvent, Locus]], cited: Sequence[Dated]
) -> dict[str, float | int]:
    """placed, placed within a month, precision (see the module docstring)."""
    by_article: dict[str, list[Dated]] = {}
    for c in cited:
        by_article.setdefault(c.locus.article_id, []).append(c)
    placed = close = 0
    for event, locus in events:
        hits = [
            c
            for c in by_article.get(locus.article_id, [])
            if same_place(c.locus, locus) and holds(c.interval, event.interval)
        ]
        placed += bool(hits)
        close += any((c.interval[1] - c.interval[0]).days < _MONTH_DAYS for c in hits)
    pairs = right = 0
    annotated: dict[str, list[tuple[GoldEvent, Locus]]] = {}
    for event, locus in events:
        annotated.setdefault(locus.article_id, []).append((event, locus))
    for c in cited:
        here = [e for e, loc in annotated.get(c.locus.article_id, []) if same_place(c.locus, loc)]
        if not here:
            continue
        pairs += 1
        right += any(holds(c.interval, e.interval) for e in here)
    return {
        "placed": round(ratio(placed, len(events)), 3),
        "placed within a month": round(ratio(close, len(events)), 3),
        "precision": round(ratio(right, pairs), 3),
        "citations of annotated sentences": pairs,
    }


@register
class TimelineEvaluator(Evaluator):
    name = "timeline"
    default_gold = "../shared/data/meantime-en"
    shared_corpora = ("meantime",)

    def articles(self, gold: Path) -> list[GoldArticle]:
        key = ("articles", gold)
        if key not in self.cache:
            self.cache[key] = read_meantime_events(gold)
        return list(self.cache[key])

    def inputs(self, gold: Path, out_dir: Path) -> list[Path]:
        return [meantime_timeline_input(self.articles(gold), out_dir / "meantime.jsonl")]

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        articles = [a for a in self.articles(gold) if split is None or a.split == split]
        texts = {a.id: ArticleText(a.id, a.text) for a in report.articles}
        events: list[tuple[GoldEvent, Locus]] = []
        missing = 0
        for a in articles:
            text = texts.get(a.doc_id)
            where: dict[int, Locus | None] = {}
            at = 0
            for i, s in enumerate(a.sentences):
                found = text.find(s, at) if text is not None else None
                where[i] = found
                if found is not None:
                    at = found.end
            for e in a.events:
                locus = where.get(e.sentence)
                if locus is None:
                    missing += 1
                else:
                    events.append((e, locus))
        ids = {a.doc_id for a in articles}
        result = Scores(title=f"timeline: MEANTIME vs report ({split or 'both splits'})")
        cited = [c for c in report_citations(report, texts) if c.locus.article_id in ids]
        result.rows["crosswire"] = dict(score_timeline(events, cited))
        dated = report_citations(report, texts, keep={"day", "week", "month", "year"})
        result.rows["crosswire, dated by text only"] = dict(
            score_timeline(events, [c for c in dated if c.locus.article_id in ids])
        )
        result.rows["first date expression"] = dict(
            score_timeline(events, baseline_citations(articles, texts))
        )
        result.counts = {
            "articles": len(articles),
            "anchored events": len(events),
            "anchored events not found in the report": missing,
        }
        return result
