"""Quotes (direct, partial, reported) and who said them.

Hand-written because the libraries that exist are unreliable on news (textacy's quote finder
misses guillemets and split quotes, and leaves speakers unresolved); this works on spaCy's parse:
the speech verb's subject names the speaker, pronouns go to the last person mentioned, and
descriptions ("the Venezuelan president") to the one person whose title fits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crosswire.language.entities import _ROLE_WORDS, resolve_description, sentence_spans
from crosswire.models import ArticleEntity, QuoteMention, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["SPEECH_VERBS", "extract_quotes", "find_quote_spans"]

SPEECH_VERBS = {
    "say", "tell", "add", "declare", "state", "warn", "insist", "explain", "note", "ask",
    "claim", "announce", "confirm", "deny", "reply", "respond", "write", "argue", "stress",
    "reiterate", "vow", "promise", "admit", "acknowledge", "suggest", "comment", "remark",
    "tweet", "post", "recall", "describe", "characterize", "affirm", "assert", "maintain",
    "speak", "urge", "threaten", "predict", "estimate", "report", "point", "emphasize",
}  # fmt: skip
_PRONOUNS = {"he", "she", "him", "her"}
# Opening mark -> closing marks. The curly single quote only opens after a space, so
# apostrophes ("Venezuela’s") never start a quote.
_QUOTE = re.compile(
    r"“([^”\n]{2,2000})”"
    r"|«\s?([^»\n]{2,2000}?)\s?»"
    r"|„([^“”\n]{2,2000})[“”]"
    r'|(?<![\w])"([^"\n]{2,2000})"'
    r"|(?<![\w])‘([^’\n]{2,2000}?)’(?![\w])"
)


def find_quote_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of each quoted passage in `text`, quote marks excluded."""
    spans = []
    for m in _QUOTE.finditer(text):
        group = next(g for g in range(1, 6) if m.group(g) is not None)
        inner = m.group(group).strip()
        if inner:
            spans.append((m.start(group), m.end(group), inner))
    return spans


class _Resolver:
    """Maps tokens to the article's entities and remembers who was mentioned last."""

    def __init__(self, entities: Sequence[ArticleEntity]) -> None:
        self.entities = list(entities)
        self.persons: list[tuple[int, str]] = sorted(
            (m.start, e.name) for e in entities if e.type == "PERSON" for m in e.mentions
        )
        self.at: dict[int, str] = {}
        for e in entities:
            for m in e.mentions:
                for pos in range(m.start, m.end):
                    self.at[pos] = e.name

    def entity_at(self, token: Token) -> str | None:
        return self.at.get(token.doc.user_data.get("offset", 0) + token.idx)

    def last_person_before(self, offset: int, skip: set[tuple[int, int]]) -> str | None:
        best = None
        for start, name in self.persons:
            if start >= offset:
                break
            if any(a <= start < b for a, b in skip):
                continue
            best = name
        return best

    def of_phrase(self, token: Token, quote_spans: set[tuple[int, int]]) -> tuple[str | None, str]:
        """Speaker named by the noun phrase headed by `token`, and the phrase as written."""
        phrase = " ".join(t.text for t in token.subtree if t.dep_ not in ("punct",))
        name = self.entity_at(token)
        if name:
            # the head itself is a name; a name that only modifies ("the Trump
            # administration") does not make its person the speaker
            return name, phrase
        lower = token.lower_
        if lower in _PRONOUNS:
            offset = token.doc.user_data.get("offset", 0) + token.idx
            return self.last_person_before(offset, quote_spans), token.text
        if token.pos_ in ("NOUN", "PROPN"):
            words = [t.text for t in token.subtree if t.i <= token.i and t.pos_ != "PUNCT"]
            name = resolve_description(words, self.entities)
            if name is not None and 2 <= len(words) <= 6:
                # "the former US president said": the description is a title this
                # article gives the speaker, which the comparison stage needs
                title = " ".join(w for w in words if w.lower() not in ("the", "a", "an"))
                for ent in self.entities:
                    if ent.name == name and title not in ent.titles and len(title.split()) >= 2:
                        ent.titles.append(title)
            return name, phrase
        return None, phrase


_SPEAKER_NOUNS = {
    "official", "spokesman", "spokeswoman", "spokesperson", "minister", "president", "leader",
    "source", "witness", "resident", "analyst", "expert", "officer", "police", "government",
    "administration", "ministry", "department", "agency", "company", "union", "mayor", "chief",
    "commander", "secretary", "governor", "authority", "authorities", "statement", "report",
    "newspaper", "media", "people", "interlocutor", "journalist", "director", "spokespeople",
}  # fmt: skip


def _could_speak(token: Token) -> bool:
    """Whether a subject can be a speaker: a name, a personal pronoun, a role noun."""
    if token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if token.lower_ in _PRONOUNS | {"i", "we", "they", "you"}:
        return True
    return token.lemma_.lower() in _SPEAKER_NOUNS or token.lemma_.lower() in _ROLE_WORDS


def _speech_subject(sent: Span, outside: set[int], near: int | None = None) -> Token | None:
    """The subject of the speech verb nearest to `near` (outside quoted text), if any."""
    tokens = sorted(sent, key=lambda t: abs(t.idx - near)) if near is not None else list(sent)
    for tok in tokens:
        if tok.i not in outside or tok.lemma_.lower() not in SPEECH_VERBS:
            continue
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        verb: Token | None = tok
        while verb is not None:
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i in outside:
                    if _could_speak(child):
                        return child
            # "..., saying ..." / "speaking Wednesday, Maduro ...": climb to the clause head
            verb = (
                verb.head
                if verb.head.i != verb.i and verb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl")
                else None
            )
        # "according to X"
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor().lower_ == "to":
            for child in tok.nbor().children:
                if child.dep_ == "pobj":
                    return child
    return None


def extract_quotes(
    docs: Sequence[Doc], sentences: Sequence[Sentence], entities: Sequence[ArticleEntity]
) -> list[QuoteMention]:
    """Direct, partial and reported quotes of one article, speakers resolved where possible."""
    resolver = _Resolver(entities)
    quotes: list[QuoteMention] = []
    all_spans: set[tuple[int, int]] = set()
    per_doc_spans: dict[int, list[tuple[int, int, str]]] = {}
    for doc in docs:
        offset = doc.user_data.get("offset", 0)
        spans = find_quote_spans(doc.text)
        per_doc_spans[id(doc)] = spans
        all_spans |= {(offset + a, offset + b) for a, b, _ in spans}
    previous: tuple[int, str | None] | None = None  # (sentence, speaker) of the last quote
    for index, sent in sentence_spans(docs):
        doc = sent.doc
        offset = doc.user_data.get("offset", 0)
        spans = [s for s in per_doc_spans[id(doc)] if sent.start_char <= s[0] < sent.end_char]
        inside = {t.i for t in sent for a, b, _ in spans if a <= t.idx < b}
        outside = {t.i for t in sent} - inside
        subject = _speech_subject(sent, outside)
        speaker: str | None = None
        speaker_text: str | None = None
        if subject is not None:
            speaker, speaker_text = resolver.of_phrase(subject, all_spans)
        if spans:
            outside_words = [t for t in sent if t.i in outside and not t.is_punct]
            for a, _b, inner in spans:
                words = len(inner.split())
                near_subject = _speech_subject(sent, outside, a)
                who, who_text = speaker, speaker_text
                if near_subject is not None and near_subject is not subject:
                    who, who_text = resolver.of_phrase(near_subject, all_spans)
                if who is None and subject is None and previous and previous[0] >= index - 1:
                    who = previous[1]  # a quote continued in the next sentence
                if who is None and subject is None:
                    who = (
                        resolver.last_person_before(offset + a, all_spans)
                        if len(outside_words) <= 2 and previous
                        else None
                    )
                kind = "partial" if words < 6 and len(outside_words) > 3 else "direct"
                quotes.append(
                    QuoteMention(
                        text=inner, speaker=who, speaker_text=who_text, kind=kind, sentence=index
                    )
                )
                previous = (index, who)
            continue
        if subject is None:
            continue
        # Reported speech: the clause the speech verb governs is what was said.
        for tok in sent:
            if tok.lemma_.lower() not in SPEECH_VERBS or tok.pos_ != "VERB":
                continue
            clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if clause is None:
                continue
            words_ = [t for t in clause.subtree]
            text = sent.doc[words_[0].i : words_[-1].i + 1].text
            if text.lower().startswith("that "):
                text = text[5:]
            if len(text.split()) >= 4 and speaker is not None:
                quotes.append(
                    QuoteMention(
                        text=text,
                        speaker=speaker,
                        speaker_text=speaker_text,
                        kind="indirect",
                        sentence=index,
                    )
                )
            break
    return quotes
