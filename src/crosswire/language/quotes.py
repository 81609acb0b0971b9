"""Quotes (direct, partial, reported) and who said them.

Hand-written because the libraries that exist are unreliable on news (textacy's quote finder
misses guillemets and split quotes, and leaves speakers unresolved); this works on spaCy's parse:
the speech verb's subject names the speaker, pronouns go to the last person mentioned, and
descriptions ("the Venezuelan president") to the one person whose title fits.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from crosswire.language.entities import ROLE_WORDS, fold, resolve_description, sentence_spans
from crosswire.language.text import doc_text
from crosswire.models import ArticleEntity, QuoteKind, QuoteMention, Sentence

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc, Span, Token

__all__ = ["SPEECH_VERBS", "extract_quotes", "find_quote_spans"]

SPEECH_VERBS = {
    "say", "tell", "add", "declare", "state", "warn", "insist", "explain", "note", "ask",
    "claim", "announce", "confirm", "deny", "reply", "respond", "write", "argue", "stress",
    "reiterate", "vow", "promise", "admit", "acknowledge", "suggest", "comment", "remark",
    "tweet", "post", "recall", "describe", "characterize", "affirm", "assert", "maintain",
    "speak", "urge", "threaten", "predict", "estimate", "report", "point", "emphasize",
    "inform", "demand", "chant", "recount", "testify", "continue",
}  # fmt: skip
_PRONOUNS = {"he", "she", "him", "her"}
# Verbs that put a name on something: a short quote in their object is the subject's word
# ("called the plan “reckless”"). Not speech verbs: "called" also dates a phone call.
_NAMING_VERBS = ("call", "brand", "label", "dub", "term")
# Opening mark -> closing marks. The curly single quote only opens after a space, so
# apostrophes ("Venezuela’s") never start a quote. A quote never runs over its own opening
# mark: an unclosed mark then stops at the next one instead of scanning 2,000 characters
# from every mark of a line ("«a «a «a ..." was ~2,000 steps per character).
# A quote that runs over paragraphs leaves its opening mark unclosed at each paragraph's end
# ("said: “A. ¶ “B.”"); the last two alternatives take such a paragraph's quote to its end,
# and a curly opening closed by a straight mark ("“A,\"") is one quote too.
_QUOTE = re.compile(
    r"“([^“”\n]{2,2000})[”\"]"
    r"|«\s?([^«»\n]{2,2000}?)\s?»"
    r"|„([^„“”\n]{2,2000})[“”]"
    r'|(?<![\w])"([^"\n]{2,2000})"'
    r"|(?<![\w])‘([^‘’\n]{2,2000}?)’(?![\w])"
    r"|“([^“”\n]{8,2000}[.?!:])$"
    r'|(?<![\w])"([^"\n]{8,2000}[.?!:])$'
)
_GROUPS = 7


def find_quote_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inner text) of each quoted passage in `text`, quote marks excluded."""
    spans = []
    for m in _QUOTE.finditer(text):
        group = next(g for g in range(1, _GROUPS + 1) if m.group(g) is not None)
        inner = m.group(group).strip()
        if inner:
            spans.append((m.start(group), m.end(group), inner))
    return spans


def _proper_phrase(token: Token) -> str:
    """A proper noun with the name words before it ("Big Machine", "Liu Xiaoming")."""
    return " ".join(
        t.text
        for t in token.subtree
        if (t.i <= token.i and t.dep_ in ("compound", "flat")) or t.i == token.i
    )


def _last_subject(
    subjects: Sequence[tuple[int, str]],
    offset: int,
    skip: set[tuple[int, int]],
    lookback: int,
    reach: int | None = None,
) -> str | None:
    """The last of `subjects` ((offset, name), in order) before `offset` and outside the
    `skip` spans, among the last `lookback` of them and at most `reach` characters back."""
    last = bisect.bisect_left(subjects, offset, key=lambda pair: pair[0])
    for k in range(last, max(0, last - lookback), -1):
        at, name = subjects[k - 1]
        if reach is not None and offset - at > reach:
            break
        if not any(a <= at < b for a, b in skip):
            return name
    return None


class _Resolver:
    """Maps tokens to the article's entities and remembers who was mentioned last."""

    def __init__(self, entities: Sequence[ArticleEntity]) -> None:
        self.entities = list(entities)
        self.kinds = {e.name: e.type for e in entities}
        self.persons: list[tuple[int, str]] = sorted(
            (m.start, e.name) for e in entities if e.type == "PERSON" for m in e.mentions
        )
        self.at: dict[int, str] = {}
        for e in entities:
            for m in e.mentions:
                for pos in range(m.start, m.end):
                    self.at[pos] = e.name
        # persons outside the quote spans last asked about, by start (one set per article)
        self._skip: set[tuple[int, int]] | None = None
        self._outside: list[tuple[int, str]] = []
        self.subjects: list[tuple[int, str]] = []  # (offset, person) of clause subjects
        self.bodies: list[tuple[int, str]] = []  # (offset, organisation) of clause subjects

    def entity_at(self, token: Token) -> str | None:
        return self.at.get(token.doc.user_data.get("offset", 0) + token.idx)

    def last_person_before(self, offset: int, skip: set[tuple[int, int]]) -> str | None:
        """The last person mentioned before `offset`, mentions inside `skip` spans left out."""
        if skip is not self._skip:
            # filtered once, then bisected: linear in the article, not persons x spans x calls
            starts = sorted(a for a, _ in skip)
            ends = {a: b for a, b in sorted(skip)}  # widest span for each start wins last
            longest: list[int] = []
            for a in starts:
                longest.append(max(ends[a], longest[-1] if longest else 0))

            def inside(pos: int) -> bool:
                k = bisect.bisect_right(starts, pos) - 1
                return k >= 0 and pos < longest[k]

            self._outside = [(p, name) for p, name in self.persons if not inside(p)]
            self._skip = skip
        k = bisect.bisect_left(self._outside, offset, key=lambda pair: pair[0])
        return self._outside[k - 1][1] if k else None

    def named(self, token: Token) -> str | None:
        """The entity whose name or alias a proper-noun phrase spells ("Big Machine")."""
        written = fold(_proper_phrase(token))
        return next(
            (e.name for e in self.entities if written in {fold(n) for n in [e.name, *e.aliases]}),
            None,
        )

    def fuller(self, name: str) -> str | None:
        """The one person of the article whose longer name holds this short one's words
        ("Kennedy" -> "James P. Kennedy Jr.", "Liu" -> "Liu Xiaoming")."""
        words = set(re.findall(r"\w+", fold(name)))
        if not words or len(words) > 2:
            return None
        fits = {
            n
            for n, kind in self.kinds.items()
            if kind == "PERSON" and n != name and words < set(re.findall(r"\w+", fold(n)))
        }
        return next(iter(fits)) if len(fits) == 1 else None

    def note_subject(self, offset: int, name: str) -> None:
        """A person or an organisation as a clause's subject at `offset` (pronoun subjects
        already resolved)."""
        if self.kinds.get(name) == "PERSON":
            self.subjects.append((offset, name))
        elif self.kinds.get(name) in _BODIES:
            self.bodies.append((offset, name))

    def body(self, offset: int, skip: set[tuple[int, int]]) -> str | None:
        """'it'/'they' as a speaker: the last organisation that was a clause's subject before
        `offset` (outside quotes), within the last few clauses ("Big Machine have denied it.
        ... 'we do not', they said"); never a person: 'it says' is no one's name."""
        return _last_subject(self.bodies, offset, skip, _BODY_LOOKBACK, _BODY_REACH)

    def pronoun(self, offset: int, skip: set[tuple[int, int]]) -> str | None:
        """'he'/'she': the last person that was a clause's subject before `offset` (outside
        quotes), so neither the person spoken about nor the one addressed; else the last
        person mentioned."""
        return _last_subject(
            self.subjects, offset, skip, _PERSON_LOOKBACK
        ) or self.last_person_before(offset, skip)

    def of_phrase(self, token: Token, quote_spans: set[tuple[int, int]]) -> tuple[str | None, str]:
        """Speaker named by the noun phrase headed by `token`, and the phrase as written."""
        phrase = " ".join(t.text for t in token.subtree if t.dep_ not in ("punct",))
        name = self.entity_at(token)
        if name:
            # the head itself is a name; a name that only modifies ("the Trump
            # administration") does not make its person the speaker
            return self.fuller(name) or name, phrase
        lower = token.lower_
        if lower in _PRONOUNS and token.pos_ == "PRON":
            offset = token.doc.user_data.get("offset", 0) + token.idx
            return self.pronoun(offset, quote_spans), token.text
        if lower in _COLLECTIVE and token.pos_ == "PRON":
            offset = token.doc.user_data.get("offset", 0) + token.idx
            return self.body(offset, quote_spans), token.text
        if token.pos_ == "PROPN":
            # a name the tagger did not type: the one person of the article it is part of
            # ("Liu" -> "Liu Xiaoming"), else the name as written
            written = _proper_phrase(token)
            return self.fuller(written) or written, phrase
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
            if name is None:
                name = self.organisation(token)
            return name, phrase
        return None, phrase

    def organisation(self, token: Token) -> str | None:
        """ "An OML spokesperson" speaks for OML; "the port authority", "the ministry" name the
        one organisation of the article whose name holds those words."""
        if token.lemma_.lower() in _VOICE_NOUNS:
            for t in token.subtree:
                name = self.entity_at(t)
                if name is not None and self.kinds.get(name) == "ORG":
                    return name
            return None
        # the words as written, not lemmas: "the authorities" is generic and names no one
        words = {t.lower_ for t in token.subtree if t.i <= token.i and t.pos_ in _NAME_POS}
        fits = {
            e.name
            for e in self.entities
            if e.type == "ORG"
            and any(words <= set(re.findall(r"\w+", fold(n))) for n in [e.name, *e.aliases])
        }
        return next(iter(fits)) if len(fits) == 1 else None


# A document as a quote's speaker ("the statement said"), and a speaker said to speak in one.
_DOCUMENT = re.compile(r"^(?:the|a|its|their|his|her)\s+(?:\w+\s+)?(?:statement|release)$", re.I)
_IN_STATEMENT = re.compile(r"\b(?:statement|press release)\b", re.I)
_ISSUER_REACH = 3
"""Sentences back the issuer of a statement may be named from a quote of it."""
_VOICE_NOUNS = {"spokesperson", "spokesman", "spokeswoman", "spokespeople"}
_COLLECTIVE = {"it", "they"}
_BODIES = frozenset({"ORG", "NORP", "GPE"})
_PERSON_LOOKBACK = 20
_BODY_LOOKBACK = 5
_BODY_REACH = 600
"""Characters back an organisation's last mention as a subject may be from the 'it'/'they'
that speaks for it: two or three sentences."""
_NAME_POS = {"NOUN", "PROPN", "ADJ"}

_SPEAKER_NOUNS = {
    "official", "spokesman", "spokeswoman", "spokesperson", "minister", "president", "leader",
    "source", "witness", "resident", "analyst", "expert", "officer", "police", "government",
    "administration", "ministry", "department", "agency", "company", "union", "mayor", "chief",
    "commander", "secretary", "governor", "authority", "authorities", "statement", "report",
    "newspaper", "media", "people", "interlocutor", "journalist", "director", "spokespeople",
    "league", "council", "committee", "commission", "court", "board", "club", "federation",
    "association", "embassy", "firm", "party", "inspectorate", "regulator", "service",
    "military", "army", "navy", "hospital", "university", "school", "airline",
}  # fmt: skip


def _could_speak(token: Token) -> bool:
    """Whether a subject can be a speaker: a name, a personal pronoun, a role noun."""
    if token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    if token.pos_ == "PROPN" and token.text[:1].isupper():
        return True  # a surname the tagger left untyped ("Suter acknowledged")
    if token.pos_ == "NOUN" and token.tag_ in ("NNS", "NNPS"):
        return True  # "Teachers chanted", "analysts said"
    if token.lower_ in _PRONOUNS | {"i", "we", "they", "you", "it"}:
        return True
    if any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in token.children):
        return True  # "his lawyer, Ann Baker, said": the person named in apposition speaks
    return token.lemma_.lower() in _SPEAKER_NOUNS or token.lemma_.lower() in ROLE_WORDS


class _Marks:
    """Where a doc's speech verbs (by lemma, any part of speech) and its "according" are.

    The speaker and reported-clause rules look only at those tokens; finding them from the
    doc's arrays spares building a Token for every word of every sentence, several times."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import DEP, LEMMA, LOWER
        from spacy.strings import get_string_id

        self.doc = doc
        if len(doc) == 0:
            self.verbs: list[int] = []
            self.naming: list[int] = []
            self.according: list[int] = []
            self.subjects: list[int] = []
            return
        lemma, lower, dep = doc.to_array([LEMMA, LOWER, DEP]).T
        strings = doc.vocab.strings
        subject_deps = [get_string_id("nsubj"), get_string_id("nsubjpass")]
        self.subjects = np.flatnonzero(np.isin(dep, subject_deps)).tolist()
        self.verbs = [i for i, h in enumerate(lemma.tolist()) if _is_speech_lemma(h, strings)]
        naming = [get_string_id(v) for v in _NAMING_VERBS]
        self.naming = np.flatnonzero(np.isin(lemma, naming)).tolist()
        self.according = np.flatnonzero(lower == get_string_id("according")).tolist()

    def _within(self, found: list[int], sent: Span) -> list[Token]:
        first = bisect.bisect_left(found, sent.start)
        last = bisect.bisect_left(found, sent.end, first)
        return [self.doc[i] for i in found[first:last]]

    def verbs_in(self, sent: Span) -> list[Token]:
        """Speech-verb lemmas of `sent`, in order (their part of speech unchecked)."""
        return self._within(self.verbs, sent)

    def naming_in(self, sent: Span) -> list[Token]:
        return self._within(self.naming, sent)

    def according_in(self, sent: Span) -> list[Token]:
        return self._within(self.according, sent)

    def subjects_in(self, sent: Span) -> list[Token]:
        return self._within(self.subjects, sent)


_SPEECH_LEMMAS: dict[int, bool] = {}  # lemma hash -> lemma.lower() in SPEECH_VERBS


def _is_speech_lemma(lemma: int, strings: StringStore) -> bool:
    known = _SPEECH_LEMMAS.get(lemma)
    if known is None:
        if len(_SPEECH_LEMMAS) > 200_000:
            _SPEECH_LEMMAS.clear()  # a vocabulary's worth; keeps a long-lived worker bounded
        known = _SPEECH_LEMMAS[lemma] = strings[lemma].lower() in SPEECH_VERBS
    return known


def _speech_subject(
    sent: Span, outside: set[int], marks: _Marks, near: int | None = None
) -> Token | None:
    """The subject of the speech verb nearest to `near` (outside quoted text), if any."""
    verbs = marks.verbs_in(sent)
    tokens = sorted(verbs, key=lambda t: abs(t.idx - near)) if near is not None else verbs
    for tok in tokens:
        if tok.i not in outside:
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
    for tok in marks.according_in(sent):
        if tok.i + 1 < sent.end and tok.nbor().lower_ == "to":
            for child in tok.nbor().children:
                if child.dep_ == "pobj":
                    return child
    # 'called the plan “reckless”': the quoted words are the ones the subject chose
    if near is None:
        return None
    for tok in marks.naming_in(sent):
        if tok.i not in outside or tok.pos_ != "VERB":
            continue
        if not min(t.idx for t in tok.subtree) <= near <= max(t.idx for t in tok.subtree):
            continue
        for child in tok.children:
            if child.dep_ == "nsubj" and child.i in outside and _could_speak(child):
                return child
    return None


_SAID = (
    r"(?:said|says|say|saying|told|tells|added|adds|adding|asked|asking|declared|wrote|writes"
    r"|writing|replied|tweeted|noted|noting|explained|insisted|warned|stated|joked|telling"
    r"|chanted|chanting|commented|recounted|acknowledged|continued|responded|posted)"
)
# "said," and "told the committee," / "said in a statement,": the verb and a short object
_ATTRIBUTION_BEFORE = re.compile(rf"\b{_SAID}(?:\s+[\w.'’-]+){{0,4}}\s*,$", re.IGNORECASE)
# '..., the Troy police chief, Charles Craft, said': a few words, then the speech verb
_ATTRIBUTION_AFTER = re.compile(rf"[\s”\"»’',]*(?:[\w.'’-]+[\s,]+){{0,8}}?{_SAID}\b", re.IGNORECASE)


def _quote_kind(text: str, sentence_start: int, start: int, end: int) -> QuoteKind:
    """Direct when the quote stands on its own: it opens the sentence or follows a colon, the
    end of a sentence or "said,", or it closes a quoted sentence its attribution follows
    ('"...it was random," the police chief said'); partial when quoted words sit inside the
    writer's clause ('said it was "devastated"', 'was "deliberately seeking them out,"
    according to police')."""
    # The last few hundred characters decide; the whole sentence before every quote of a
    # long sentence would be quadratic.
    before = text[max(sentence_start, start - 300) : start].rstrip()
    before = before[:-1] if before[-1:] in "\"“«„‘'" else before  # the opening mark
    tail = before.rstrip("\"”»’' ")
    if not tail or tail[-1] in ":.!?…" or _ATTRIBUTION_BEFORE.search(tail):
        return "direct"
    inner = text[start:end].rstrip()
    if (
        inner[-1:] in (",", ".", "!", "?", "…")
        and len(re.findall(r"\w+", inner)) >= 4
        and _ATTRIBUTION_AFTER.match(text, end, end + 120)
    ):
        return "direct"
    return "partial"


def _reported_clause(sent: Span, inside: set[int], marks: _Marks) -> str | None:
    """What a sentence reports someone said, outside its quote marks, or None.

    The clause a speech verb governs ("said [that] the union would ..."), the clause before a
    parenthetical one ("The rest of the port remained open, the PAA said, ..."), or the clause
    "according to X" qualifies.
    """
    words: list[Token] = []
    for tok in marks.verbs_in(sent):
        if tok.pos_ != "VERB" or tok.i in inside:
            continue
        clause = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        if clause is not None:
            words = list(clause.subtree)
        elif tok.dep_ == "parataxis" and tok.head.i < tok.i:
            first = min(t.i for t in tok.subtree)
            words = [t for t in tok.head.subtree if t.i < first]
        else:
            continue
        break
    else:
        according = next(
            (t for t in marks.according_in(sent) if t.i + 1 < sent.end and t.nbor().lower_ == "to"),
            None,
        )
        if according is None or according.head.i == according.i:
            return None
        skip = {t.i for t in according.subtree}
        words = [t for t in according.head.subtree if t.i not in skip]
    # The text stays verbatim, so it can be found and cited: the longest unbroken piece
    # ("which he said would hold ..." gives "would hold ...").
    runs: list[list[Token]] = []
    for t in words:
        if runs and runs[-1][-1].i + 1 == t.i:
            runs[-1].append(t)
        else:
            runs.append([t])
    run = max(runs, key=len) if runs else []
    while run and (run[0].is_punct or run[0].lower_ == "that"):
        run = run[1:]
    while run and run[-1].is_punct and run[-1].text not in ("”", '"', "»", "’"):
        run = run[:-1]
    if sum(1 for t in run if t.i not in inside and not t.is_punct) < 2:
        return None  # the clause is the quotation itself: "said: “...”"
    return sent.doc[run[0].i : run[-1].i + 1].text


def _closing_subject(
    ordered: Sequence[tuple[int, Span]],
    at: int,
    end: int,
    spans: Sequence[tuple[int, int, str]],
    marks: _Marks,
) -> Token | None:
    """The speech subject of the sentence after the one at `at` when a quote ending at `end`
    runs into it or closes right before it (same paragraph), else None."""
    if at + 1 >= len(ordered):
        return None
    sent = ordered[at][1]
    nxt = ordered[at + 1][1]
    if nxt.doc is not sent.doc or not (nxt.start_char <= end + 3 and end < nxt.end_char):
        return None
    inside = {t.i for t in nxt for a, b, _ in spans if a <= t.idx < b and b > nxt.start_char}
    outside = set(range(nxt.start, nxt.end)) - inside
    return _speech_subject(nxt, outside, marks, end)


def extract_quotes(
    docs: Sequence[Doc], sentences: Sequence[Sentence], entities: Sequence[ArticleEntity]
) -> list[QuoteMention]:
    """Direct, partial and reported quotes of one article, speakers resolved where possible."""
    resolver = _Resolver(entities)
    quotes: list[QuoteMention] = []
    all_spans: set[tuple[int, int]] = set()
    per_doc_spans: dict[int, list[tuple[int, int, str]]] = {}
    doc_texts: dict[int, str] = {}  # Doc.text joins every token: once per doc, not per quote
    marks: dict[int, _Marks] = {}
    for doc in docs:
        offset = doc.user_data.get("offset", 0)
        doc_texts[id(doc)] = doc_text(doc)
        marks[id(doc)] = _Marks(doc)
        spans = find_quote_spans(doc_texts[id(doc)])
        per_doc_spans[id(doc)] = spans
        all_spans |= {(offset + a, offset + b) for a, b, _ in spans}
    previous: tuple[int, str | None] | None = None  # (sentence, speaker) of the last quote
    # (sentence, speaker, as written) of the last speaker said to speak "in a statement": whom
    # a later "the statement said" quotes
    issuer: tuple[int, str | None, str | None] | None = None
    ordered = list(sentence_spans(docs))
    for at, (index, sent) in enumerate(ordered):
        doc = sent.doc
        offset = doc.user_data.get("offset", 0)
        spans = [s for s in per_doc_spans[id(doc)] if sent.start_char <= s[0] < sent.end_char]
        inside = {t.i for t in sent for a, b, _ in spans if a <= t.idx < b} if spans else set()
        outside = set(range(sent.start, sent.end)) - inside
        doc_marks = marks[id(doc)]
        for tok in doc_marks.subjects_in(sent):
            # who each clause is about, in reading order: what "he" later refers to
            if tok.i not in outside:
                continue
            at = offset + tok.idx
            if tok.lower_ in _PRONOUNS and tok.pos_ == "PRON":
                who_is = resolver.pronoun(at, all_spans)
            else:
                # "The mayor of Port Almera, Jonas Revik, announced": the name in apposition
                named = [tok, *(t for t in tok.subtree if t.dep_ == "appos")]
                who_is = next((n for t in named if (n := resolver.entity_at(t))), None)
                if who_is is None and tok.pos_ == "PROPN":
                    who_is = resolver.named(tok)  # a mention the NER missed this time
            if who_is is not None:
                resolver.note_subject(at, who_is)
        subject = _speech_subject(sent, outside, doc_marks)
        speaker: str | None = None
        speaker_text: str | None = None
        if subject is not None:
            speaker, speaker_text = resolver.of_phrase(subject, all_spans)
        if spans:
            outside_words = [t for t in sent if t.i in outside and not t.is_punct]
            for a, b, inner in spans:
                near_subject = _speech_subject(sent, outside, doc_marks, a)
                if near_subject is None or b > sent.end_char:
                    # '“A?” He Jianxiong said.' / a quote of several sentences: its speaker
                    # is named in the sentence where it closes, or right after it
                    later = _closing_subject(ordered, at, b, per_doc_spans[id(doc)], doc_marks)
                    near_subject = later if later is not None else near_subject
                who, who_text = speaker, speaker_text
                if near_subject is not None and near_subject is not subject:
                    who, who_text = resolver.of_phrase(near_subject, all_spans)
                if (
                    _DOCUMENT.match(who_text or "")
                    and issuer
                    and issuer[0] >= index - _ISSUER_REACH
                ):
                    _, who, who_text = issuer  # "the statement said": its issuer's words
                if who is None and subject is None and previous and previous[0] >= index - 1:
                    who = previous[1]  # a quote continued in the next sentence
                if who is None and subject is None:
                    who = (
                        resolver.last_person_before(offset + a, all_spans)
                        if len(outside_words) <= 2 and previous
                        else None
                    )
                kind = _quote_kind(doc_texts[id(doc)], sent.start_char, a, b)
                quotes.append(
                    QuoteMention(
                        text=inner, speaker=who, speaker_text=who_text, kind=kind, sentence=index
                    )
                )
                previous = (index, who)
        if subject is None:
            continue
        if (speaker or speaker_text) and not _DOCUMENT.match(speaker_text or ""):
            if _IN_STATEMENT.search(sent.text):
                issuer = (index, speaker, speaker_text)
        # Reported speech: the clause the speech verb governs is what was said; said by someone
        # unnamed ("officials said") it is still reported, with no speaker.
        text = _reported_clause(sent, inside, doc_marks)
        if text is not None and len(text.split()) >= 4:
            quotes.append(
                QuoteMention(
                    text=text,
                    speaker=speaker,
                    speaker_text=speaker_text,
                    kind="indirect",
                    sentence=index,
                )
            )
    return quotes
