"""Language stage: read what each article says (sentences, entities, quotes, numbers, times).

Every article is analysed on its own; nothing here knows about other articles. spaCy's small
English pipeline (shipped as a PyPI wheel) gives sentences, parses and named entities; the
sub-modules turn those into the typed mentions of `models.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from crosswire.language._gemm import one_blas_thread
from crosswire.language._time_rules import future_context
from crosswire.language.anchors import anchor_mentions
from crosswire.language.entities import extract_entities
from crosswire.language.nlp import load_nlp
from crosswire.language.numbers import extract_numbers
from crosswire.language.quotes import extract_quotes
from crosswire.language.text import tokenizer_safe
from crosswire.language.times import extract_times, stamped_date, yearless_days
from crosswire.models import Article, ArticleAnalysis, Sentence, TimeMention
from crosswire.options import Options

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "analyze_articles",
    "anchored_yearless_days",
    "detect_language",
    "language_of",
    "load_nlp",
    "load_sentencizer",
    "parse",
]

# spaCy's parser cost grows with paragraph length; very long "paragraphs" (a 200k-word page with
# no line breaks) are cut at sentence-looking boundaries into chunks of about this many chars.
_MAX_CHUNK = 20_000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“«‘A-Z0-9])")


LANGUAGE_SAMPLE = 2000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell.

    The first LANGUAGE_SAMPLE characters decide: a few hundred words are plenty for the
    classifier, whose cost grows with the sample (on the 204 bench articles, 0.135 s at
    5,000 characters, 0.103 s at 2,000: about 1% of the language stage either way)."""
    sample = text[:LANGUAGE_SAMPLE]
    if len(re.findall(r"\w+", sample)) < 5:
        return None
    import py3langid

    lang, _ = py3langid.classify(sample)
    return str(lang)


def language_of(article: Article, analysis: ArticleAnalysis | None) -> str | None:
    """The article's language as given, else as `detect_language` found it, as a bare code:
    "en-GB" and "en" are one language to the stages that compare languages."""
    code = article.language or (analysis.language if analysis is not None else None)
    return code.split("-")[0].casefold() if code else None


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Paragraphs (lines) of the text with their offsets; long ones cut near sentence ends."""
    for match in re.finditer(r"[^\n]+", text):
        para, offset = match.group(), match.start()
        if not para.strip():
            continue
        while len(para) > _MAX_CHUNK:
            cut = _MAX_CHUNK
            found = None
            for m in _SENTENCE_END.finditer(para, _MAX_CHUNK // 2, _MAX_CHUNK):
                found = m.end()
            if found:
                cut = found
            yield offset, para[:cut]
            offset, para = offset + cut, para[cut:]
        yield offset, para


def parse(text: str) -> tuple[list[Sentence], list[Doc]]:
    """Sentences of the whole text (offsets into `text`) and one spaCy Doc per paragraph.

    Paragraphs are parsed separately: a heading or bullet never runs into the next line, and
    memory stays bounded on huge pages.
    """
    nlp = load_nlp()
    pieces = list(_chunks(text))
    seen = [tokenizer_safe(p) for _, p in pieces]
    with one_blas_thread():
        docs = list(nlp.pipe(seen, batch_size=64))
    sentences: list[Sentence] = []
    for (offset, para), doc, text in zip(pieces, docs, seen, strict=True):
        doc.user_data["offset"] = offset
        doc.user_data["text"] = text  # = doc.text, which joins every token each time it is read
        doc.user_data["first_sentence"] = len(sentences)
        kept: list[tuple[int, int]] = []  # token bounds, for `entities.sentence_spans`
        doc.user_data["sentence_tokens"] = kept
        for sent in doc.sents:
            # the original text, not the tokenizer-safe copy spaCy saw (same offsets)
            raw = para[sent.start_char : sent.end_char]
            stripped = raw.strip()
            if not stripped:
                continue
            kept.append((sent.start, sent.end))
            lead = len(raw) - len(raw.lstrip())
            sentences.append(
                Sentence(
                    index=len(sentences),
                    text=stripped,
                    start=offset + sent.start_char + lead,
                    end=offset + sent.start_char + lead + len(stripped),
                )
            )
    return sentences, docs


# CJK text has no spaces, so the multi-language tokenizer would leave "。" inside a word,
# where the sentencizer cannot see it; these split it (and closing brackets/quotes after it)
# into tokens of their own.
_CJK_INFIXES = (r"[。！？]", r"[」』）〕】”’]")


@lru_cache(maxsize=1)
def load_sentencizer() -> Language:
    """spaCy's multi-language tokenizer and rule-based sentencizer, for text the English
    model does not read: a sentence ends at any of ~100 scripts' end marks (`؟`, `।`, `。`
    ...), with no capital letter required after it."""
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("xx")
    infixes = [*(nlp.Defaults.infixes or []), *_CJK_INFIXES]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    nlp.add_pipe("sentencizer")
    return nlp


def _simple_sentences(text: str) -> list[Sentence]:
    """Sentence split by spaCy's sentencizer, for languages we do not analyse further."""
    nlp = load_sentencizer()
    ends: set[str] = nlp.get_pipe("sentencizer").punct_chars  # type: ignore[attr-defined]
    sentences: list[Sentence] = []
    for offset, para in _chunks(text):
        doc = nlp(para)
        starts = sorted(set(_opening_marks_lead(doc, [s.start for s in doc.sents], ends)))
        for first, stop in zip(starts, [*starts[1:], len(doc)], strict=True):
            span = doc[first:stop]
            raw = para[span.start_char : span.end_char]
            piece = raw.strip()
            if piece:
                begin = offset + span.start_char + len(raw) - len(raw.lstrip())
                sentences.append(
                    Sentence(index=len(sentences), text=piece, start=begin, end=begin + len(piece))
                )
    return sentences


def _opening_marks_lead(doc: Doc, starts: list[int], ends: set[str]) -> list[int]:
    """Sentence starts moved back over the punctuation glued to a sentence's first word
    ("¿", "¡", "«", "(" ...): the sentencizer leaves it at the end of the sentence before."""
    moved = []
    for start in starts:
        first = start
        while (
            first > 0
            and doc[first - 1].is_punct
            and not doc[first - 1].whitespace_
            and doc[first - 1].text not in ends
        ):
            first -= 1
        # only a run set off by a space from what precedes it opens the next sentence
        moved.append(first if first == 0 or doc[first - 1].whitespace_ else start)
    return moved


def infer_publication_date(
    times: Sequence[TimeMention], sentences: Sequence[Sentence] = ()
) -> date | None:
    """Latest explicit day-precise date the article mentions: it cannot predate what it reports.

    Used only when no publication date was given; the article is then marked
    `published_inferred`. Relative expressions cannot be resolved without a date, so only
    explicit ones count; nor do dates the text speaks of as ahead ("will be broadcast on
    March 2, 2014"): a report can predate what it announces.
    """
    text = {s.index: s.text for s in sentences}

    def ahead(t: TimeMention) -> bool:
        said = text.get(t.sentence, "")
        at = said.find(t.text)
        return at >= 0 and future_context(said, at)

    explicit = [t.latest for t in times if t.precision == "day" and not t.relative and not ahead(t)]
    return max(explicit) if explicit else None


def analyze_article(article: Article, options: Options) -> ArticleAnalysis:
    """Everything one article says, read from its cleaned text."""
    del options  # reserved for per-stage settings; kept for a uniform stage signature
    language = article.language or detect_language(article.title + "\n" + article.text)
    if language not in (None, "en"):
        # Non-English text is marked, not mangled by an English model.
        return ArticleAnalysis(
            article_id=article.id, language=language, sentences=_simple_sentences(article.text)
        )
    sentences, docs = parse(article.text)
    entities = extract_entities(docs, sentences)
    quotes = extract_quotes(docs, sentences, entities)
    numbers = extract_numbers(sentences, docs)
    published = article.published
    inferred: date | None = None
    times = extract_times(sentences, published)
    if published is None:
        # a timestamp line says when the page appeared (the clean stage removes such lines
        # as furniture; an input not cleaned keeps them); else the text's latest explicit day
        stamp_lines = [*article.boilerplate_removed, *article.text.splitlines()]
        inferred = stamped_date(stamp_lines) or infer_publication_date(times, sentences)
        if inferred is not None:
            times = extract_times(sentences, inferred)
    sentences, times, numbers = anchor_mentions(docs, sentences, times, numbers)
    return ArticleAnalysis(
        article_id=article.id,
        language=language or "en",
        sentences=sentences,
        entities=entities,
        quotes=quotes,
        numbers=numbers,
        times=times,
        published_inferred=inferred,
    )


def anchored_yearless_days(text: str) -> list[TimeMention]:
    """The days an undated article writes without a year (`times.yearless_days`), each with
    the event it dates, as `analyze_article` anchors the times it reads: its analysis has none
    of them (with no date, their year is unknown), and only the comparison of a story's undated
    articles can use them. Parses the text again, so asked only where they are needed."""
    sentences, docs = parse(text)
    days = yearless_days(sentences)
    if not days:
        return []
    return anchor_mentions(docs, sentences, days, [])[1]


def analyze_articles(articles: Sequence[Article], options: Options) -> list[ArticleAnalysis]:
    return [analyze_article(a, options) for a in articles]
