"""Quantities in news sentences: counts with what they count, money, percentages, ranges.

Recognition is regexes of our own (quantulum3, the usual library, turns "10–13%" into
11.5% and reads years and model names as quantities); spaCy's part-of-speech tags
then find what a number counts: the noun phrase that follows it ("eight
international airlines" -> "airlines", "three US officials" -> "us officials").

Not quantities: dates, times and "10 days ago" (found by ``times.find_time_spans``),
years 1900-2100 standing alone, ordinals ("21st"), model and flight names ("B-1",
"A380", "Flight 370", "Air Force One"), phone numbers, fractions and scores
written with "/" or ":". "hundreds of", "dozens of" are skipped: they bound
nothing a reader could compare. Nor are scores ("won 2-1"), fractions ("one third"),
the pronoun "one" ("no one", "one of them"), or a number word with no noun after it
("the two met"). A bare digit string with nothing after it is kept with unit None.
A partitive names what is counted after "of the": "two of the victims" counts victims.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crosswire.language._lexicon import (
    MONTHS,
    NUMBER_PHRASE,
    SCALES,
    TENS,
    UNITS,
    WEEKDAYS,
    parse_number_words,
)
from crosswire.language.text import ANY_DIGIT, re_folded, tokenizer_safe
from crosswire.language.times import find_time_spans
from crosswire.models import Bound, NumberMention, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_numbers"]

_CURRENCY_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "USD$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "HK$": "HKD",
    "NZ$": "NZD",
    "S$": "SGD",
    "R$": "BRL",
    "NT$": "TWD",
    "Mex$": "MXN",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "Rs": "INR",
    "Rs.": "INR",
    "₽": "RUB",
    "₩": "KRW",
}
_CURRENCY_CODES = {"USD", "EUR", "GBP", "JPY", "CNY", "CHF", "CAD", "AUD", "INR", "RUB"}
_CURRENCY_WORDS = {
    "dollars": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "yen": "JPY",
    "yuan": "CNY",
    "rupees": "INR",
    "roubles": "RUB",
    "rubles": "RUB",
    "bolivars": "VES",
}
_SCALE_VALUES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "dozen": 12.0,
}
# Single letters are scales only after a currency ("$3m"); "100m" alone is a distance.
_AMBIGUOUS_SCALES = {"k", "m", "b"}

_ATOM = re.compile(
    r"(?P<cur>(?<![A-Za-z])(?:US|USD|A|AU|C|CA|HK|NZ|S|R|NT|Mex)?\$|[€£¥₹₽₩]"
    r"|(?<![A-Za-z])(?:USD|EUR|GBP|JPY|CNY|CHF|CAD|AUD|INR|RUB)\s?|(?<![A-Za-z])Rs\.?\s?)?"
    r"(?:(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    rf"|(?<![\w-])(?P<aword>(?i:(?:half\s+)?an?\s+(?:dozen|hundred|thousand|million|billion))(?![\w-]))"
    rf"|(?<![\w-])(?P<words>(?i:{NUMBER_PHRASE})))"
    r"(?:\s?(?P<scale>(?i:million|billion|trillion|thousand|hundred|dozen)(?![\w-])"
    r"|(?:mn|mln|bn|bln|tn|m|b|k|M|B|K)(?![\w])))?"
    r"(?:\s?(?P<pct>%|(?i:per\s?cent|percentage\s+points?|pct)(?![\w])))?"
    r"(?:\s(?P<curw>(?i:(?:US\s|U\.S\.\s)?dollars|euros?|yen|yuan|rupees|roubles|rubles|bolivars)"
    r"|USD|EUR|GBP|JPY|CNY|CHF)(?![\w]))?"
)
# _ATOM's case-insensitive word alternations cost a search at every position of every
# sentence; an atom holds a digit or starts with one of these words ("a dozen" ends in one),
# so a sentence with neither is passed over (see `re_folded`).
_ATOM_WORDS = (*(w for w in UNITS if w != "zero"), *TENS, *SCALES, "dozen")
_PHONE = re.compile(
    r"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3}[\s.-]\d{3,4}(?![\w])"
    r"|(?<![\w.,-])\d{3}-\d{4}(?![\w-])"
)
_BOUND_BEFORE = re.compile(
    r"(?i)(?<![\w])(?P<w>at\s+least|no\s+(?:fewer|less)\s+than|not\s+less\s+than|more\s+than"
    r"|over|upwards\s+of|in\s+excess\s+of|above|at\s+most|no\s+more\s+than|up\s+to"
    r"|as\s+many\s+as|as\s+much\s+as|fewer\s+than|less\s+than|under|below|about|around"
    r"|approximately|roughly|some|nearly|almost|close\s+to|an\s+estimated|estimated|circa"
    r"|between|from|~)\s*$"
)
_BOUNDS: dict[str, Bound] = {
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "not less than": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "above": "more_than",
    "at most": "at_most",
    "no more than": "at_most",
    "up to": "at_most",
    "as many as": "at_most",
    "as much as": "at_most",
    "fewer than": "less_than",
    "less than": "less_than",
    "under": "less_than",
    "below": "less_than",
}
_ABOUT = {"about", "around", "approximately", "roughly", "some", "nearly", "almost"}
_ABOUT |= {"close to", "an estimated", "estimated", "circa", "~"}
_BOUND_AFTER = re.compile(r"(?i)\s*(?:(?P<more>or\s+more|\+|-?plus\b)|(?P<about>or\s+so\b))")
_FRACTION_AFTER = re.compile(
    r"[\s-]+(?:thirds?|quarters?|halves|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?)\b",
    re.IGNORECASE,
)
_AGE = re.compile(r"(?i)[\s-]*(?:years?|yrs?)[\s-]*old\b")
_HYPHEN_UNIT = re.compile(r"-(?P<w>[A-Za-z]+)(?![\w-])")
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "mile"}
_STATE_WORDS = {"dead", "killed", "injured", "wounded", "missing", "arrested", "detained"}
_STATE_WORDS |= {"hurt", "displaced", "hospitalized", "hospitalised", "homeless"}
_ONE_PRONOUN_BEFORE = {"no", "the", "this", "that", "each", "any", "every", "which", "another"}
_ONE_PRONOUN_AFTER = {"of", "another", "by", "or", "and", "day"}
_FUNCTION_CAPS = {
    # a sentence's first word before its number: "A 12-year-old girl ...", "Each 40 ..."
    "a",
    "each",
    "every",
    "both",
    "this",
    "that",
    "there",
    "if",
    "exactly",
    "about",
    "some",
    "nearly",
    "almost",
    "around",
    "only",
    "over",
    "under",
    "at",
    "more",
    "fewer",
    "less",
    "roughly",
    "approximately",
    "just",
    "an",
    "the",
    "all",
    "another",
    "those",
    "these",
    "its",
    "their",
    "his",
    "her",
    "our",
    "with",
    "and",
    "but",
    "of",
    "in",
    "on",
    "for",
    "to",
    "by",
    "from",
    "as",
    "after",
    "before",
    "since",
    "when",
    "while",
    "up",
    "between",
    "than",
    "said",
    "says",
    "killing",
    "leaving",
    "least",
}
_NAME_BEFORE = {"no", "no.", "number", "nos", "nos.", "#"}


@dataclass
class _Atom:
    start: int
    end: int
    value: float
    is_words: bool
    currency: str | None
    percent: str | None
    scale: float | None


@dataclass(frozen=True)
class _Tok:
    start: int  # offset in the sentence text
    end: int
    text: str
    pos: str
    tag: str


# --------------------------------------------------------------------------- tokens (spaCy)


def _tokens_from_docs(
    sentences: Sequence[Sentence], docs: Sequence[Doc], needed: Sequence[int]
) -> dict[int, list[_Tok]] | None:
    """Tokens of the needed sentences, taken from the caller's docs when their offsets line up.

    Only the sentences holding a bare number are looked at: most sentences need no tags.
    """
    placed = sorted(
        (int(doc.user_data.get("offset", 0)) if doc.user_data else 0, k)
        for k, doc in enumerate(docs)
    )
    offsets = [offset for offset, _ in placed]
    out: dict[int, list[_Tok]] = {}
    for i in needed:
        sentence = sentences[i]
        k = bisect.bisect_right(offsets, sentence.start) - 1
        if k < 0:
            out[i] = []
            continue
        offset, d = placed[k]
        doc = docs[d]
        first, last = sentence.start - offset, sentence.end - offset
        safe: str | None = None
        tokens: list[_Tok] = []
        # one Token object per token: spaCy builds a new one on every doc[t]
        for t in range(bisect.bisect_left(doc, first, key=lambda tok: tok.idx), len(doc)):
            tok = doc[t]
            text = tok.text
            rel = tok.idx - first
            if rel + len(text) > last - first:
                break
            if sentence.text[rel : rel + len(text)] != text:
                # `parse` gives spaCy the tokenizer-safe copy (same length): compare with it
                safe = safe if safe is not None else tokenizer_safe(sentence.text)
                if safe[rel : rel + len(text)] != text:
                    return None  # the docs are not of this text
            tokens.append(_Tok(rel, rel + len(text), text, tok.pos_, tok.tag_))
        out[i] = tokens
    return out


def _tokens_by_parsing(sentences: Sequence[Sentence]) -> list[list[_Tok]]:
    from crosswire.language._gemm import one_blas_thread
    from crosswire.language.nlp import load_nlp

    nlp = load_nlp()
    disabled = [p for p in ("parser", "ner", "lemmatizer") if p in nlp.pipe_names]
    result: list[list[_Tok]] = []
    texts = (tokenizer_safe(s.text) for s in sentences)
    with one_blas_thread():
        docs = list(nlp.pipe(texts, disable=disabled, batch_size=64))
    for doc in docs:
        result.append([_Tok(t.idx, t.idx + len(t.text), t.text, t.pos_, t.tag_) for t in doc])
    return result


# --------------------------------------------------------------------------- recognition


def _masked(text: str, digit: bool) -> bytearray:
    """One flag per character: inside a date, time or phone number (`digit`: whether the
    text has a digit; no phone number without one)."""
    mask = bytearray(len(text))
    spans = find_time_spans(text)
    if digit:
        spans.extend((m.start(), m.end()) for m in _PHONE.finditer(text))
    for start, end in spans:
        mask[start:end] = b"\x01" * (end - start)
    return mask


def _prev_word(text: str, start: int) -> str:
    """The word right before start, separated from it by spaces only."""
    m = re.search(r"(?:^|(?<=\s))(\S+)\s+$", text[max(0, start - 40) : start])
    return m.group(1) if m else ""


def _looks_like_name(text: str, start: int) -> bool:
    """Preceded by a capitalised non-function word: "Flight 370", "Air Force One"."""
    word = _prev_word(text, start)
    bare = word.strip("\"'“”‘’(").rstrip(",")
    if not bare or not bare[0].isupper() or word.endswith(","):
        return False
    key = bare.lower().rstrip(".")
    return key not in _FUNCTION_CAPS and key not in MONTHS and key not in WEEKDAYS


def _atom(text: str, m: re.Match[str]) -> _Atom | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    cur_text = (g["cur"] or "").strip()
    currency = (
        _CURRENCY_SYMBOLS.get(cur_text)
        or (cur_text if cur_text in _CURRENCY_CODES else None)
        or _CURRENCY_WORDS.get(re.sub(r"\s+", " ", (g["curw"] or "").lower()))
        or (g["curw"] if g["curw"] in _CURRENCY_CODES else None)
    )
    scale_text = g["scale"]
    scale: float | None = None
    if scale_text:
        key = scale_text.lower()
        if key in _AMBIGUOUS_SCALES and currency is None:
            return None
        scale = _SCALE_VALUES[key]
    if g["num"]:
        value = float(g["num"].replace(",", ""))
        before = text[start - 1 : start] if start else ""
        before2 = text[start - 2 : start - 1] if start > 1 else ""
        if not g["cur"]:
            if (
                before.isalnum()
                or before in {"_", "#", ":", "/"}
                or (before == "." and before2.isdigit())
            ):
                return None
            if before in {"-", "–"} and before2.isalpha():
                return None  # "B-1", "COVID-19"
            if _DESIGNATION_BEFORE.search(text, max(0, start - 8), start):
                return None  # "AK - 47" as tokenised text writes "AK-47"
            if before == "," and before2.isdigit():
                return None
        after = text[end : end + 2]
        if after[:1].isalpha() or after[:1] == "_":
            return None  # "21st", "5G", "1990s"
        if after[:1] in {"/", ":"} and after[1:2].isdigit():
            return None  # "9/11", "3:1", "10:30"
        if (
            not (currency or g["pct"] or scale)
            and re.fullmatch(r"\d{4}", g["num"])
            and 1900 <= value <= 2100
        ):
            return None  # a year
        is_words = False
    elif g["aword"]:
        words = g["aword"].lower().split()
        value = 6.0 if words[0] == "half" else 1.0
        value *= _SCALE_VALUES[words[-1]]
        is_words = True
    else:
        parsed = parse_number_words(g["words"] or "")
        if parsed is None:
            return None
        value = parsed
        is_words = True
    if scale:
        value *= scale
    percent = None
    if g["pct"]:
        percent = "percentage points" if "point" in g["pct"].lower() else "%"
    return _Atom(start, end, value, is_words, currency, percent, scale)


# A model designation written in capitals and digits, as wire copy and tokenised text spell
# it ("AK-47", "AK 47", "AK - 47", "F-16"): one name, whatever the spacing.
_DESIGNATION = re.compile(r"\s+([A-Z]{1,4})(?:\s*[-–]\s*|\s)(\d{1,4})\b(?![.,]\d)")
_DESIGNATION_BEFORE = re.compile(r"\b[A-Z]{1,4}\s*[-–]\s*$")


def _unit_after(text: str, end: int, tokens: Sequence[_Tok]) -> tuple[str | None, int]:
    """What the number at text[..end] counts, and where that phrase ends. A model designation
    opening it is one word ("12 AK 47 guns" and "seven AK-47 rifles" both count "ak47 ...")."""
    rest = text[end : end + 40]
    model = _DESIGNATION.match(rest)
    if model:
        name = (model.group(1) + model.group(2)).lower()
        unit, stop = _unit_after(text, end + model.end(), tokens)
        return (f"{name} {unit}" if unit else name), (stop if unit else end + model.end())
    age = _AGE.match(rest)
    if age:
        return "years old", end + age.end()
    hyphen = _HYPHEN_UNIT.match(rest)
    if hyphen:
        word = hyphen.group("w").lower()
        unit = word + "s" if word in _TIME_UNITS else word
        return unit, end + hyphen.end()
    run: list[_Tok] = []
    i = bisect.bisect_left(tokens, end, key=lambda t: t.start)
    while i < len(tokens) and len(run) < 5:
        tok = tokens[i]
        if tok.start - (run[-1].end if run else end) > 2:
            break
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        nominal = tok.pos in {"NOUN", "PROPN", "ADJ"} and tok.text.lower() not in _STATE_WORDS
        premodifier = tok.tag in {"VBN", "VBG"} and nxt is not None and nxt.pos in {"NOUN", "ADJ"}
        if not (nominal or premodifier) or not tok.text[:1].isalpha():
            break
        run.append(tok)
        i += 1
    heads = [k for k, t in enumerate(run) if t.pos in {"NOUN", "PROPN"}]
    if not heads:
        first = tokens[i] if i < len(tokens) and not run else None
        if first is not None and first.text.lower() in _STATE_WORDS and first.start - end <= 2:
            return first.text.lower(), first.end
        return None, end
    head = heads[-1]
    block = [run[head]]
    k = head - 1
    while k >= 0 and run[k].pos in {"NOUN", "PROPN"} and len(block) < 3:
        block.insert(0, run[k])
        k -= 1
    words = [t.text.lower() for t in block]
    stop = block[-1].end
    after = tokens[i] if i < len(tokens) else None
    if (
        after is not None
        and after.text.lower() in _STATE_WORDS
        and after.start - stop <= 2
        and len(words) < 3
        and run[head] is run[-1]
    ):
        words.append(after.text.lower())
        stop = after.end
    return " ".join(words), stop


_PARTITIVE = re.compile(
    r"\s+of\s+(?:the|their|its|our|his|her|these|those|your|my)\s+(?=[A-Za-z])", re.IGNORECASE
)


def _partitive_unit(text: str, end: int, tokens: Sequence[_Tok]) -> tuple[str | None, int]:
    """ "two of the victims", "Two of the dead": what a number counts, named after "of the"."""
    m = _PARTITIVE.match(text, end)
    if m is None:
        return None, end
    unit, stop = _unit_after(text, m.end(), tokens)
    return (unit, stop) if unit is not None else (None, end)


def _atoms_in(text: str) -> tuple[list[_Atom], bytearray]:
    """The numbers of a sentence, and its mask of dates, times and phone numbers."""
    digit = ANY_DIGIT.search(text) is not None
    masked = _masked(text, digit)
    atoms: list[_Atom] = []
    if not digit:
        folded = re_folded(text)
        if not any(word in folded for word in _ATOM_WORDS):
            return atoms, masked
    for m in _ATOM.finditer(text):
        if not any(masked[m.start() : m.end()]):
            atom = _atom(text, m)
            if atom is not None:
                atoms.append(atom)
    return atoms, masked


def _as_range(text: str, first: _Atom, nxt: _Atom, bound_word: str) -> _Atom | None:
    """The low end of "10–13%", "80 to 90 people", "between 80 and 90", or None."""
    gap = text[first.end : nxt.start]
    dash = bool(re.fullmatch(r"\s*[-–—]\s*", gap))
    dash_or_to = (dash or re.fullmatch(r"\s+to\s+", gap)) and bound_word != "from"
    between = re.fullmatch(r"\s+and\s+", gap) and bound_word == "between"
    if not (dash_or_to or between) or first.is_words != nxt.is_words:
        return None
    # The upper end may carry the unit for both ("10–13%"), the lower end only across a
    # dash ("$1.5-2 billion"); "rose 43% to 142,285" is a change, not a range.
    if (first.percent and not nxt.percent) or (first.currency and not nxt.currency and not dash):
        return None
    low = first.value
    if first.scale is None and nxt.scale is not None:
        low *= nxt.scale
    if low >= nxt.value:
        return None  # "3-1" is a score
    return _Atom(
        first.start,
        nxt.end,
        low,
        first.is_words,
        first.currency or nxt.currency,
        first.percent or nxt.percent,
        first.scale or nxt.scale,
    )


def _mentions(
    sentence: Sentence, atoms: Sequence[_Atom], tokens: Sequence[_Tok]
) -> list[NumberMention]:
    text = sentence.text
    out: list[NumberMention] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        i += 1
        window_start = max(0, atom.start - 40)
        before = _BOUND_BEFORE.search(text[window_start : atom.start])
        bound_word = re.sub(r"\s+", " ", before.group("w").lower()) if before else ""
        text_start = window_start + before.start() if before else atom.start
        value_max: float | None = None
        if i < len(atoms):
            ranged = _as_range(text, atom, atoms[i], bound_word)
            if ranged is not None:
                value_max = atoms[i].value
                atom = ranged
                i += 1
        if bound_word in {"between", "from"} and value_max is None:
            bound_word, text_start = "", atom.start
        if (
            _looks_like_name(text, text_start)
            or _prev_word(text, atom.start).lower() in _NAME_BEFORE
        ):
            continue
        if atom.is_words and atom.value == 1 and _is_pronoun_one(text, atom):
            continue
        if value_max is None and _is_score_or_fraction(text, atom):
            continue
        bound: Bound = _BOUNDS.get(bound_word, "about" if bound_word in _ABOUT else "exact")
        stop = atom.end
        after = _BOUND_AFTER.match(text[stop : stop + 12])
        if after and bound == "exact":
            bound = "at_least" if after.group("more") else "about"
            stop += after.end()
        if bound == "exact" and "dozen" in text[atom.start : atom.end].lower():
            bound = "about"  # "a dozen people" is a round figure
        unit: str | None = atom.currency or atom.percent
        if unit is None:
            unit, stop = _unit_after(text, stop, tokens)
            if unit is None:
                unit, stop = _partitive_unit(text, stop, tokens)
            if unit is None and _is_age(text, atom.start, atom.end, atom.value):
                unit = "years old"
        if unit is None and atom.value == 0:
            continue  # "Comments (0)": a zero that counts nothing says nothing
        if (
            unit is None
            and atom.is_words
            and not text[atom.start : atom.end].lower().startswith(("a ", "half"))
        ):
            continue  # "the two met": a pronoun, not a count
        out.append(
            NumberMention(
                text=text[text_start:stop],
                value=atom.value,
                value_max=value_max,
                unit=unit,
                bound=bound,
                sentence=sentence.index,
            )
        )
    return out


def _is_score_or_fraction(text: str, atom: _Atom) -> bool:
    """ "won 2-1" (a score, not a range), "one third" (a fraction, not a count of thirds)."""
    if atom.is_words:
        return bool(_FRACTION_AFTER.match(text, atom.end))
    return bool(
        re.search(r"\d[-–]$", text[max(0, atom.start - 2) : atom.start])
        or re.match(r"[-–]\d", text[atom.end : atom.end + 2])
    )


def _is_pronoun_one(text: str, atom: _Atom) -> bool:
    """ "no one", "the one", "one of them": not a count."""
    prev = _prev_word(text, atom.start).lower()
    nxt = re.match(r"\s*([A-Za-z]+)", text[atom.end : atom.end + 40])
    return prev in _ONE_PRONOUN_BEFORE or bool(nxt and nxt.group(1).lower() in _ONE_PRONOUN_AFTER)


def _is_age(text: str, start: int, end: int, value: float) -> bool:
    """ "Barra, 51, will ..." — a number between commas right after a name is an age."""
    if value != int(value) or not 0 < value < 120:
        return False
    before = re.search(r"[A-Z][\w.'’-]*,\s*$", text[max(0, start - 40) : start])
    return bool(before) and text[end : end + 1] == ","


# --------------------------------------------------------------------------- public API


def extract_numbers(
    sentences: Sequence[Sentence], docs: Doc | Sequence[Doc] | None = None
) -> list[NumberMention]:
    """Counts, money, percentages and ranges in the sentences, in text order.

    ``docs`` are spaCy docs already parsed from the article (one doc, or one per
    paragraph with ``user_data["offset"]`` giving its offset in the article, as
    ``crosswire.language.parse`` makes them); sentence offsets must point into that
    same text. Without docs, or when they do not line up, the sentences that need
    part-of-speech tags (a number with no currency or %) are tagged here.
    """
    found_masks = [_atoms_in(s.text) for s in sentences]
    found = [atoms for atoms, _ in found_masks]
    needy = [
        i
        for i, atoms in enumerate(found)
        if any(a.currency is None and a.percent is None for a in atoms)
    ]
    tokens: dict[int, list[_Tok]] = {}
    from_docs: dict[int, list[_Tok]] | None = None
    if needy and docs is not None:
        from spacy.tokens import Doc as SpacyDoc

        doc_list = [docs] if isinstance(docs, SpacyDoc) else list(docs)
        from_docs = _tokens_from_docs(sentences, doc_list, needy)
        if from_docs is not None:
            tokens = from_docs
    if needy and from_docs is None:
        parsed = _tokens_by_parsing([sentences[i] for i in needy])
        tokens = dict(zip(needy, parsed, strict=True))
    out: list[NumberMention] = []
    for i, (sentence, (atoms, masked)) in enumerate(zip(sentences, found_masks, strict=True)):
        # a time word never names what is counted: "40 firefighters yesterday"
        words = [t for t in tokens.get(i, []) if not masked[t.start : t.end].count(1)]
        out.extend(_mentions(sentence, atoms, words))
    return out
