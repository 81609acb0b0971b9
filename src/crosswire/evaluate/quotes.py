"""Quotes and speakers (issue 21): are the quotes of real articles found, and given to the right
speaker?

Gold: `gold/quotes/quotes.json`, every direct, partial and indirect quote of 31 news articles of
the extraction benchmark (`articleBody` of its ground truth), with speakers
(gold/quotes/GUIDELINES.md). A report holds quote groups per story, not each article's quotes,
so this evaluator reads the gold's texts itself: each body becomes an `Article` and goes
through the language stage (`analyze_article`); REPORT is accepted and ignored. Figures per
split:

- direct quotes: recall (a gold direct quote overlapped by a found direct quote), precision
  (found direct quotes overlapping a gold direct quote; one overlapping only a gold partial or
  indirect quote counts neither way), speaker accuracy over the matched ones, split by how the
  text gives the speaker (named near the quote, or only by a pronoun or description), and
  matched quotes found without a speaker;
- the same over all kinds (any found quote against any gold quote).

A speaker is right when the found canonical speaker (else the speaker as written) shares its
last word with the gold name, case- and accent-insensitively; for a gold description ("a White
House spokesman") any content word of it will do.

Baseline in the same run: quote marks (a quoted stretch of four words or more is a direct quote)
with the nearest PERSON entity of spaCy's NER in the same or the previous sentence as speaker.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswire.evaluate.base import Evaluator, Scores, Split, register, split_filter
from crosswire.evaluate.loci import ArticleText
from crosswire.evaluate.scoring import Span, match_spans, ratio
from crosswire.language import analyze_article, parse
from crosswire.language.entities import fold
from crosswire.models import Article, ArticleAnalysis, Report
from crosswire.options import Options

__all__ = ["FoundQuote", "QuotesEvaluator", "score_quotes", "speaker_right"]

_QUOTED = re.compile(r"[“\"]([^“”\"\n]+)[”\"]")
_BASELINE_MIN_WORDS = 4
_DESCRIPTION_STOP = {"a", "an", "the", "of", "to", "with", "and", "in", "for", "on", "his", "her"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them"}


@dataclass(frozen=True)
class FoundQuote:
    """A quote a system found: where it is (article id, character span), its kind, speaker."""

    span: Span
    kind: str
    speaker: str | None


_GENERATION = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def _is_description(speaker: str) -> bool:
    """A gold speaker that is no name: 'a CBP spokesperson', 'people familiar with ...'."""
    return not speaker[:1].isupper() or speaker.split()[0] in {"A", "An", "The"}


def speaker_right(predicted: str | None, gold: str) -> bool:
    """Whether a found speaker names the gold speaker (shared last word; for a description, a
    shared content word)."""
    if not predicted:
        return False
    found = _words(predicted)
    if not found:
        return False
    if _is_description(gold):
        wanted = {w for w in _words(gold) if w not in _DESCRIPTION_STOP}
        return bool(wanted & set(found))
    # "Patrick W. Carlineo Jr.": the surname is the last word before a generation mark
    name = [w for w in _words(gold) if w not in _GENERATION] or _words(gold)
    return bool(name) and name[-1] in found


def _named_in_text(quote: Mapping[str, Any], body: str) -> str:
    """How the text gives the gold speaker near the quote: 'named', 'pronoun/description' or
    'not given' (no speaker mention)."""
    mention = quote.get("speaker_mention")
    if not mention:
        return "not given"
    said = _words(body[mention["start"] : mention["end"]])
    if _is_description(quote["speaker"]) or not said:
        return "pronoun/description"
    if said[0] in _PRONOUNS:
        return "pronoun/description"
    name = _words(quote["speaker"])
    return "named" if name and name[-1] in said else "pronoun/description"


def score_quotes(
    gold: Sequence[Mapping[str, Any]],
    bodies: Mapping[str, str],
    found: Sequence[FoundQuote],
) -> dict[str, float | int]:
    """Recall, precision and speaker accuracy of `found` against `gold` quotes (direct, and all
    kinds); gold carries `doc_id`, `start`, `end`, `kind`, `speaker`, `speaker_mention`."""
    spans = [Span(q["doc_id"], q["start"], q["end"]) for q in gold]
    direct = [i for i, q in enumerate(gold) if q["kind"] == "direct"]
    others = [spans[i] for i, q in enumerate(gold) if q["kind"] != "direct"]
    found_direct = [f for f in found if f.kind == "direct"]
    matching = match_spans(
        [f.span for f in found_direct], [spans[i] for i in direct], others, prefer="best"
    )
    pairs = [(found_direct[p], gold[direct[g]]) for p, g in matching.pairs]
    right = [speaker_right(f.speaker, q["speaker"]) for f, q in pairs]
    out: dict[str, float | int] = {
        "direct recall": ratio(len(pairs), len(direct)),
        "direct precision": ratio(len(pairs), matching.counted),
        "speaker accuracy": ratio(sum(right), len(pairs)),
        "speaker right / gold direct": ratio(sum(right), len(direct)),
    }
    for how in ("named", "pronoun/description"):
        kept = [
            ok
            for ok, (_, q) in zip(right, pairs, strict=True)
            if _named_in_text(q, bodies[q["doc_id"]]) == how
        ]
        out[f"speaker accuracy ({how})"] = ratio(sum(kept), len(kept))
        out[f"matched direct ({how})"] = len(kept)
    out["matched direct without speaker"] = sum(not f.speaker for f, _ in pairs)
    every = match_spans([f.span for f in found], spans, prefer="best")
    all_right = sum(speaker_right(found[p].speaker, gold[g]["speaker"]) for p, g in every.pairs)
    out["all kinds recall"] = ratio(every.matched, len(gold))
    out["all kinds precision"] = ratio(every.matched, every.counted)
    out["all kinds speaker accuracy"] = ratio(all_right, every.matched)
    return out


def crosswire_quotes(doc_id: str, body: str, analysis: ArticleAnalysis) -> list[FoundQuote]:
    """The language stage's quotes located in the body: found from their sentence on."""
    text = ArticleText(doc_id, body)
    out = []
    for quote in analysis.quotes:
        sentence = analysis.sentences[quote.sentence]
        where = text.find(quote.text, sentence.start)
        span = (
            Span(doc_id, where.start, where.end)
            if where is not None
            else Span(doc_id, sentence.start, sentence.end)
        )
        out.append(FoundQuote(span, quote.kind, quote.speaker or quote.speaker_text))
    return out


def baseline_quotes(doc_id: str, body: str) -> list[FoundQuote]:
    """Quote marks for quotes, the nearest PERSON (spaCy NER) in the same or previous sentence
    for their speaker."""
    sentences, docs = parse(body)
    persons = [
        (doc.user_data["offset"] + ent.start_char, doc.user_data["offset"] + ent.end_char, ent.text)
        for doc in docs
        for ent in doc.ents
        if ent.label_ == "PERSON"
    ]
    out = []
    for match in _QUOTED.finditer(body):
        if len(match.group(1).split()) < _BASELINE_MIN_WORDS:
            continue
        start, end = match.start(1), match.end(1)
        at = next((i for i, s in enumerate(sentences) if s.end > start), len(sentences) - 1)
        low = sentences[max(at - 1, 0)].start if sentences else 0
        high = max(sentences[at].end, end) if sentences else len(body)
        near = [p for p in persons if low <= p[0] and p[1] <= high and not start <= p[0] < end]
        near.sort(key=lambda p: min(abs(p[0] - end), abs(start - p[1])))
        out.append(FoundQuote(Span(doc_id, start, end), "direct", near[0][2] if near else None))
    return out


@register
class QuotesEvaluator(Evaluator):
    name = "quotes"
    default_gold = "gold/quotes/quotes.json"
    reads_report = False

    def bodies_path(self) -> Path:
        return self.data / "article-extraction-benchmark" / "ground-truth.json"

    def analysis(self, doc_id: str, body: str) -> ArticleAnalysis:
        if doc_id not in self.cache:
            article = Article(id=doc_id, source=doc_id, text=body)
            self.cache[doc_id] = analyze_article(article, Options())
        return self.cache[doc_id]

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        del report  # per-article quotes are not in a report: the gold's texts are read here
        data = json.loads(gold.read_text(encoding="utf-8"))
        truth = json.loads(self.bodies_path().read_text(encoding="utf-8"))
        keep = split_filter(split)
        doc_ids = [d["doc_id"] for d in data["docs"] if keep(d["split"])]
        bodies = {d: truth[d]["articleBody"] for d in doc_ids}
        quotes = [q for q in data["quotes"] if q["doc_id"] in bodies]
        ours = [
            q for d in doc_ids for q in crosswire_quotes(d, bodies[d], self.analysis(d, bodies[d]))
        ]
        theirs = [q for d in doc_ids for q in baseline_quotes(d, bodies[d])]
        scores = Scores(title=f"quotes ({gold.name}, {split or 'both splits'})")
        scores.rows["crosswire"] = dict(score_quotes(quotes, bodies, ours))
        scores.rows["quote marks + nearest PERSON"] = dict(score_quotes(quotes, bodies, theirs))
        scores.counts = {
            "articles": len(doc_ids),
            "gold quotes": len(quotes),
            "gold direct quotes": sum(q["kind"] == "direct" for q in quotes),
        }
        scores.notes = ["REPORT is ignored: the language stage reads the gold's article bodies."]
        return scores
