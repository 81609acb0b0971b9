"""Attach times and numbers to what they are about, using the dependency parse.

"Maduro confirmed on Wednesday that he spoke with Trump on November 21": Wednesday dates the
confirming (an act of reporting), November 21 dates the speaking. The comparison stage must
compare the second with other outlets' dates for the call, never the first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crosswire.language.entities import sentence_spans
from crosswire.language.quotes import SPEECH_VERBS
from crosswire.language.text import doc_text
from crosswire.models import NumberMention, Sentence, TimeMention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["anchor_mentions", "content_lemmas"]

# Verbs that report rather than happen. "speak"/"talk" are events when they have a partner
# ("spoke with Trump") and reporting when they do not ("speaking on state TV").
_REPORTING = (SPEECH_VERBS | {"reveal", "mention", "publish", "broadcast", "acknowledge"}) - {
    "speak", "threaten", "promise", "vow", "urge",
}  # fmt: skip
_PARTNER_PREPS = {"with", "to"}
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"}
_WEAK_LEMMAS = {"be", "have", "do", "say", "also", "then", "now", "just", "only", "very", "so"}


def content_lemmas(spans: dict[int, Span]) -> dict[int, list[str]]:
    """Lower-cased lemmas of each sentence's content words, the unit of claim matching:
    nouns, proper nouns, verbs, adjectives, numbers and adverbs, alphabetic, not stop words,
    not `_WEAK_LEMMAS`.

    Read from each doc's attribute array: asking every Token for four attributes cost more
    than the rest of this stage. (Plain lists: numpy's per-call cost is more than the work
    on the one-sentence docs of a wire story's short paragraphs.)"""
    from spacy.attrs import IS_ALPHA, IS_STOP, LEMMA, POS
    from spacy.parts_of_speech import IDS

    content_pos = {IDS[p] for p in _CONTENT_POS}
    lowered: dict[int, str] = {}  # lemma hash -> lower case
    rows: dict[int, list[list[int]]] = {}  # doc -> (pos, stop, alpha, lemma) of each token
    out: dict[int, list[str]] = {}
    for index, sent in spans.items():
        doc = sent.doc
        table = rows.get(id(doc))
        if table is None:
            table = rows[id(doc)] = doc.to_array([POS, IS_STOP, IS_ALPHA, LEMMA]).tolist()
        words = []
        for pos, stop, alpha, lemma in table[sent.start : sent.end]:
            if pos in content_pos and not stop and alpha:
                word = lowered.get(lemma)
                if word is None:
                    word = lowered[lemma] = doc.vocab.strings[lemma].lower()
                if word not in _WEAK_LEMMAS:
                    words.append(word)
        out[index] = words
    return out


_LEADING_SPACE = re.compile(r"\s*")


def _leads(spans: dict[int, Span]) -> dict[int, int]:
    """Character offset in its doc where each sentence's stripped text starts.

    Computed once per article: Span.text and Doc.text join every token, and reading them
    for each mention of a long sentence was quadratic.
    """
    texts: dict[int, str] = {}
    leads: dict[int, int] = {}
    for index, sent in spans.items():
        text = texts.get(id(sent.doc))
        if text is None:
            text = texts[id(sent.doc)] = doc_text(sent.doc)
        match = _LEADING_SPACE.match(text, sent.start_char, sent.end_char)
        leads[index] = match.end() if match else sent.start_char
    return leads


def _token_at(sent: Span, sentence: Sentence, text: str, start: int) -> Token | None:
    """The token heading the first `text` in the sentence; `start` is where the sentence's
    stripped text starts in its doc."""
    pos = sentence.text.find(text)
    if pos < 0:
        return None
    char = start + pos
    span = sent.doc.char_span(char, char + len(text), alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _governing(token: Token) -> Token:
    """The nearest verb above the token (or the sentence root)."""
    seen = 0
    cur = token
    while cur.pos_ not in ("VERB",) and cur.head.i != cur.i and seen < 12:
        cur = cur.head
        seen += 1
    # auxiliaries head nothing meaningful: "took place" -> take
    return cur


def _is_reporting(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    if lemma in ("speak", "talk"):
        return not any(c.dep_ == "prep" and c.lower_ in _PARTNER_PREPS for c in verb.children)
    return lemma in _REPORTING


def anchor_mentions(
    docs: Sequence[Doc],
    sentences: Sequence[Sentence],
    times: Sequence[TimeMention],
    numbers: Sequence[NumberMention],
) -> tuple[list[Sentence], list[TimeMention], list[NumberMention]]:
    """Sentences with lemmas, times with the event they date, numbers with their verb."""
    spans = dict(sentence_spans(docs))
    leads = _leads(spans)
    lemmas = content_lemmas(spans)
    out_sentences = [
        s.model_copy(update={"lemmas": lemmas[s.index]}) if s.index in spans else s
        for s in sentences
    ]

    def token_of(index: int, text: str) -> Token | None:
        """The token a mention's text governs from, in its parsed sentence (None if unparsed)."""
        sent = spans.get(index)
        return _token_at(sent, sentences[index], text, leads[index]) if sent is not None else None

    out_times: list[TimeMention] = []
    for t in times:
        token = token_of(t.sentence, t.text)
        if token is None:
            out_times.append(t)
            continue
        verb = _governing(token)
        words = list(verb.subtree)
        while words and words[0].dep_ in ("mark", "cc", "punct", "advmod") and len(words) > 3:
            words = words[1:]  # "that he spoke ..." reads as "he spoke ..."
        event = (
            token.doc[words[0].i : words[-1].i + 1].text
            if 3 <= len(words) <= 45
            else sentences[t.sentence].text
        )
        out_times.append(
            t.model_copy(
                update={
                    "anchor": verb.lemma_.lower(),
                    "event": " ".join(event.split()),
                    "reporting": _is_reporting(verb),
                }
            )
        )
    out_numbers: list[NumberMention] = []
    for n in numbers:
        token = token_of(n.sentence, n.text)
        anchor = _governing(token).lemma_.lower() if token is not None else None
        out_numbers.append(n.model_copy(update={"anchor": anchor}))
    return out_sentences, out_times, out_numbers
