"""Named entities with their aliases and the titles each article gives them.

spaCy finds the mentions; what no library does for news is the alias merging ("Maduro" =
"Nicolás Maduro", "VTV" = "Venezolana de Televisión", "Cartel de los Soles" = "Cartel of the
Suns") and reading the title a mention carries ("former U.S. President Donald Trump"), so that is
written here. The same `same_entity` test merges within an article and across a story.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from anyascii import anyascii
from rapidfuzz import fuzz

from crosswire.language.nlp import common_nouns
from crosswire.models import ArticleEntity, EntityMention, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "NAME_STOP",
    "extract_entities",
    "fold",
    "is_acronym_of",
    "is_heading",
    "merge_entities",
    "resolve_description",
    "same_entity",
    "sentence_spans",
    "title_head",
]

_TYPES = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "NORP": "NORP",
    "FAC": "FAC",
    "EVENT": "EVENT",
    "WORK_OF_ART": "WORK_OF_ART",
    "LAW": "LAW",
    "PRODUCT": "PRODUCT",
}
# Words that make an organisation name an outlet: generic to the news trade, not to one corpus.
_OUTLET_WORDS = {
    "times", "post", "news", "journal", "herald", "tribune", "gazette", "reuters", "press",
    "television", "televisión", "tv", "radio", "broadcasting", "telegraph", "guardian",
    "associated", "afp", "ap", "bbc", "cnn", "agency", "wire", "observer", "chronicle",
}  # fmt: skip
# Function words of the languages names most often mix in; ignored when comparing names.
NAME_STOP = {
    "the", "of", "and", "for", "de", "del", "la", "las", "los", "el", "y", "da", "do", "dos",
    "le", "les", "des", "du", "von", "van", "der", "di",
}  # fmt: skip
_DROP_PREFIX = re.compile(r"^(the|a|an)\s+", re.I)
_DROP_SUFFIX = re.compile(r"(['’]s|['’])$")


@lru_cache(maxsize=65_536)  # names repeat: merging compares each one many times
def fold(text: str) -> str:
    """Case- and accent-insensitive form of a name."""
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold().strip()


def _clean_name(text: str) -> str:
    text = " ".join(text.split())
    text = _DROP_PREFIX.sub("", text)
    text = _DROP_SUFFIX.sub("", text)
    return text.strip(" ,.;:-—–\"'“”«»")


# the Arabic article bound to a name by a hyphen: "al-Qaddafi" is "Gaddafi" in other papers
_ARABIC_ARTICLE = re.compile(r"\b(?:al|el)-(?=\w)")


@lru_cache(maxsize=65_536)
def _content_words(name: str) -> tuple[str, ...]:
    # names in another script are compared romanised ("Путин" / "Putin")
    latin = name if name.isascii() else anyascii(name)
    words = re.findall(r"\w+", _ARABIC_ARTICLE.sub("", fold(latin)))
    return tuple(w for w in words if w not in NAME_STOP)


# "EE. UU." (Estados Unidos), "FF.AA." (Fuerzas Armadas): Spanish writes a plural word's
# initial twice, each pair with its own full stop
_PLURAL_INITIALS = re.compile(r"(?:([A-Z])\1\.\s?){2,}")


def _acronym_letters(acronym: str) -> str | None:
    """The letters of a name written as an acronym ("VTV", "BoE", "U.N.", "EE. UU."), else
    None."""
    if _PLURAL_INITIALS.fullmatch(acronym.strip()):
        return fold(acronym.replace(".", "").replace(" ", "")[::2])
    bare = acronym.replace(".", "")
    if not (2 <= len(bare) <= 8) or not bare.isalpha() or " " in bare:
        return None
    upper = sum(c.isupper() for c in bare)
    # all capitals, or capitals with a function word's small letter ("BoE")
    if bare.isupper() or (upper >= 2 and bare[0].isupper()):
        return fold(bare)
    return None


@lru_cache(maxsize=65_536)
def _all_words(name: str) -> tuple[tuple[str, bool], ...]:
    """The name's words, each with whether it is a function word (which an acronym may skip)."""
    return tuple((w, w in NAME_STOP) for w in re.findall(r"\w+", fold(name)))


def is_acronym_of(acronym: str, name: str) -> bool:
    """'VTV' ~ 'Venezolana de Televisión', 'BoE' ~ 'Bank of England': each content word gives
    its initial, in order, a function word its initial or nothing; remaining letters may come
    from inside the words (Tele-Visión). A one-word name made of the words' first syllables
    ("Pemex" ~ "Petróleos Mexicanos") is one too."""
    acr = _acronym_letters(acronym)
    words = _all_words(name)
    content = sum(1 for _, stop in words if not stop)
    if content < 2:
        return False
    if acr is None:
        return _syllabic(acronym, tuple(w for w, stop in words if not stop))
    if len(acr) < content:
        return False

    @cache
    def match(ai: int, wi: int) -> bool:
        if ai == len(acr):
            return all(stop for _, stop in words[wi:])
        if wi == len(words):
            return False
        word, stop = words[wi]
        if stop and match(ai, wi + 1):
            return True  # the function word gives no letter
        if word[0] != acr[ai]:
            return False
        # this word consumes acr[ai] and possibly more letters found inside it, in order
        pos = 1
        for take in range(0, len(acr) - ai):
            if take:
                found = word.find(acr[ai + take], pos)
                if found < 0:
                    break
                pos = found + 1
            if match(ai + take + 1, wi + 1):
                return True
        return False

    return match(0, 0)


def _syllabic(short: str, words: tuple[str, ...]) -> bool:
    """'Pemex' = 'Pe' + 'mex': a capitalised single word made of a prefix of at least two
    letters of each content word, in order."""
    word = fold(short)
    if not short[:1].isupper() or not word.isalpha() or len(words) < 2 or len(word) > 12:
        return False

    def rest(pos: int, wi: int) -> bool:
        if wi == len(words):
            return pos == len(word)
        target = words[wi]
        for n in range(min(len(target), len(word) - pos), 1, -1):
            if word[pos : pos + n] == target[:n] and rest(pos + n, wi + 1):
                return True
        return False

    return rest(0, 0)


def _same_acronym_letters(a: str, b: str) -> bool:
    """'FMI' / 'IMF', 'OTAN' / 'NATO': one body's acronym in two languages, the same letters in
    another order (adjectives follow the noun in the Romance languages)."""
    la, lb = _acronym_letters(a), _acronym_letters(b)
    return (
        la is not None
        and lb is not None
        and a.replace(".", "").isupper()
        and b.replace(".", "").isupper()
        and len(la) >= 3
        and la != lb
        and sorted(la) == sorted(lb)
    )


_GENERATION = {"jr", "sr"}


def _skeleton(word: str) -> str:
    """A word's consonants as heard, for romanisations of one name ('Zelensky' / 'Selenskyj',
    'Hezbollah' / 'Hizbulá'): vowels and h dropped, w=v, z=s, c/q/g=k, doubles collapsed."""
    out: list[str] = []
    for c in word.translate(_SOUND):
        if c in "aeiouyhj" or not c.isalpha():
            continue
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


# g/k/q: one Arabic or Slavic consonant romanised three ways ("Qaddafi", "Gaddafi", "Kadhafi")
_SOUND = str.maketrans({"w": "v", "z": "s", "c": "k", "q": "k", "g": "k"})


def _kh_as_j(word: str) -> str:
    """Spanish writes "j" for the sound English and French romanise "kh" (Russian х, Arabic
    and Persian خ): "Jamenei" / "Khamenei", "Mijaíl" / "Mikhail". Not in short words, where
    "j" is as often another name's ("Jan" / "Khan")."""
    joined = word.replace("kh", "j")
    return joined if len(joined) >= 5 else word


def _sounds_alike(wa: Sequence[str], wb: Sequence[str]) -> bool:
    if len(wa) != len(wb):
        return False
    pairs = [(_kh_as_j(x), _kh_as_j(y)) for x, y in zip(wa, wb, strict=True)]
    return all(
        x[0] == y[0] or _skeleton(x[:1]) == _skeleton(y[:1]) or {x[0], y[0]} <= {"v", "w"}
        for x, y in pairs
    ) and all(x == y or (len(_skeleton(x)) >= 3 and _skeleton(x) == _skeleton(y)) for x, y in pairs)


_UNVOICED = str.maketrans({"d": "t", "b": "p"})


def _romanised_alike(wa: Sequence[str], wb: Sequence[str]) -> bool:
    """ "Mao Tse-tung" / "Mao Zedong": Wade-Giles and pinyin write one Chinese name with other
    syllable breaks and voicing (ts/z, t/d, k/g, p/b). The same surname (first) and a given
    name that sounds alike once joined, with voicing ignored."""
    if len(wa) < 2 or len(wb) < 2 or wa[0] != wb[0] or wa[1:] == wb[1:]:
        return False
    rest_a, rest_b = ("".join(w[1:]).replace("ts", "s") for w in (wa, wb))
    key_a, key_b = (_skeleton(r).translate(_UNVOICED) for r in (rest_a, rest_b))
    return len(key_a) >= 3 and key_a == key_b


_PLACES = frozenset({"GPE", "LOC"})


def _type_family(kind: str) -> str:
    """People, places, or other named things. spaCy's small English model types one
    organisation's names ORG, PRODUCT, WORK_OF_ART or FAC from one sentence to the next (the
    seeds' cartel got three), so types within the last family do not keep names apart."""
    if kind in _PLACES:
        return "GPE"
    return kind if kind in ("PERSON", "NORP") else "THING"


def same_entity(a: str, type_a: str, b: str, type_b: str) -> bool:
    """Whether two names denote the same entity (surname, acronym, accents, translation)."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    wa, wb = _content_words(a), _content_words(b)
    if not wa or not wb:
        return False
    if is_acronym_of(a, b) or is_acronym_of(b, a) or _same_acronym_letters(a, b):
        return True
    # one name spaced two ways: "Xi Jinping" / "XiJinPing" (romanised Chinese), "Wal-Mart"
    if len(wa) != len(wb) and len(joined := "".join(wa)) >= 6 and joined == "".join(wb):
        return True
    places = {"GPE", "NORP", "LOC"}
    persons = "PERSON" in (type_a, type_b) and not ({type_a, type_b} & places)
    if persons:
        # "Kennedy" = "James P. Kennedy Jr.": the generation mark is no part of the surname
        wa = tuple(w for w in wa if w not in _GENERATION) or wa
        wb = tuple(w for w in wb if w not in _GENERATION) or wb
        short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
        if _sounds_alike(short, long_):
            return True
        if _romanised_alike(wa, wb):
            return True
        # "Maduro" = "Nicolás Maduro"; "Padrino López" = "Vladimir Padrino López"
        if len(short) < len(long_) and long_[-len(short) :] == short:
            return True
        # "Xi" = "Xi Jinping": a lone word that opens a two-word name (surname first)
        # "Nicolás Maduro" != "Nicolás Maduro Guerra": a name extended by another surname
        # is another person (a son), so a longer prefix does not merge
        return len(short) == 1 and len(long_) == 2 and long_[0] == short[0]
    if _type_family(type_a) != _type_family(type_b):
        return False
    if len(wa) == len(wb) >= 1 and _sounds_alike(wa, wb):
        return True
    # A name translated word by word keeps its first content word and its shape
    # ("Cartel de los Soles" / "Cartel of the Suns"); the fuzzy ratio guards the rest.
    if len(wa) >= 2 and len(wa) == len(wb) and wa[0] == wb[0]:
        # only the words that differ are compared: "American Medical Association" and
        # "American Library Association" share all but the word that tells them apart
        differ = [(x, y) for x, y in zip(wa[1:], wb[1:], strict=True) if x != y]
        return fuzz.ratio(
            " ".join(x for x, _ in differ), " ".join(y for _, y in differ)
        ) >= 60 or all(x[0] == y[0] for x, y in differ)
    return False


def title_head(title: str) -> str:
    """The role noun of a title: 'former U.S. President' -> 'president'."""
    words = re.findall(r"[A-Za-zÀ-ÿ-]+", title)
    for word in reversed(words):
        low = word.lower()
        if (low not in NAME_STOP and not word[:1].isupper()) or low in ROLE_WORDS:
            return low
    return words[-1].lower() if words else ""


# Role nouns are often capitalised before a name ("President", "Minister"); this lets
# `title_head` skip capitalised place words ("U.S.") but keep the role.
ROLE_WORDS = {
    "president", "minister", "secretary", "chancellor", "governor", "mayor", "senator",
    "general", "commander", "chief", "director", "spokesman", "spokeswoman", "spokesperson",
    "leader", "king", "queen", "prince", "premier", "judge", "ambassador", "chairman", "ceo",
    "officer", "executive", "head", "dictator", "prosecutor", "representative", "pope",
}  # fmt: skip


def sentence_spans(docs: Sequence[Doc]) -> Iterable[tuple[int, Span]]:
    """(sentence index, spaCy sentence) pairs, matching `language.parse`'s numbering."""
    for doc in docs:
        index = doc.user_data.get("first_sentence", 0)
        kept = doc.user_data.get("sentence_tokens")
        if kept is not None:
            # `parse` noted which sentences it kept: testing each one's text again builds
            # a Token for every word, on each of the three extractors' passes
            for start, end in kept:
                yield index, doc[start:end]
                index += 1
            continue
        for sent in doc.sents:
            if sent.text.strip():
                yield index, sent
                index += 1


def is_heading(text: str) -> bool:
    """A Title Case line with no closing punctuation: a headline or section label."""
    words = re.findall(r"[A-Za-zÀ-ÿ][\w’'-]*", text)
    if len(words) < 2 or text.rstrip()[-1:] in '.!?"”»':
        return False
    small = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by"}
    capital = sum(1 for w in words if w[0].isupper() or w.lower() in small)
    return capital / len(words) >= 0.8


def _title_of(ent: Span) -> str | None:
    """The title/role written with a person mention: left modifiers or an apposition."""
    doc = ent.doc
    root = ent.root
    candidates: list[list[Token]] = []
    left = [t for t in root.lefts if t.i < ent.start]
    if left:
        start = min(next(iter(t.subtree)).i for t in left)
        candidates.append(list(doc[start : ent.start]))
    head = root.head
    if root.dep_ in ("appos", "compound") and head.pos_ in ("NOUN", "PROPN"):
        if not (ent.start <= head.i < ent.end) and head.ent_type_ != "PERSON":
            candidates.append([t for t in head.subtree if t.i < ent.start])
    if root.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in ROLE_WORDS:
        # "the dictator of Venezuela Nicolás Maduro": the parser hangs the name under "of"
        candidates.append([t for t in head.head.subtree if t.i < ent.start])
    if root.dep_ == "appos" and head.dep_ == "pobj" and head.head.lower_ == "of":
        role = head.head.head
        if role.lemma_.lower() in ROLE_WORDS and root.ent_type_ == "PERSON":
            # "The mayor of Port Almera, Jonas Revik,": the name hangs under the place
            candidates.append([t for t in role.subtree if t.i < ent.start])
    for child in root.rights:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            pieces = []
            for t in child.subtree:
                if t.text in "(;—–":
                    break  # "(PAA)" or a dash ends the title
                if t.text != ",":
                    pieces.append(t)
            candidates.append(pieces)
    for pieces in candidates:
        title = _as_title(pieces)
        if title:
            return title
    return None


_OWNER_TYPES = ("ORG", "GPE", "NORP", "FAC", "LOC")


def _as_title(pieces: list[Token]) -> str | None:
    while pieces and (
        pieces[0].pos_ in ("DET", "PUNCT", "ADP")
        or (pieces[0].dep_ == "poss" and pieces[0].ent_type_ not in _OWNER_TYPES)
    ):
        pieces = pieces[1:]
    while pieces and pieces[-1].pos_ in ("PUNCT", "DET", "ADP", "CCONJ"):
        pieces = pieces[:-1]
    if not pieces or len(pieces) > 10:
        return None
    if any(t.pos_ in ("VERB", "AUX") or t.ent_type_ == "PERSON" for t in pieces):
        return None
    for t in pieces:
        if t.tag_ == "POS" or t.dep_ == "case":
            # "Trump's promise": a person owns it, no title; "the PAA's chief executive",
            # "Dockworkers' Union": an organisation's or a place's role is one
            owner = t.head if t.head.i != t.i and t.head.i < t.i else t.doc[max(0, t.i - 1)]
            text = " ".join(p.text for p in pieces)
            if owner.ent_type_ not in _OWNER_TYPES or title_head(text) not in ROLE_WORDS:
                return None  # "Biancardi's attorney" (owner mistyped): a relation, no title
    if not any(t.pos_ in ("NOUN", "PROPN") and not t.ent_type_ for t in pieces):
        return None
    doc = pieces[0].doc
    return " ".join(doc[pieces[0].i : pieces[-1].i + 1].text.split())


def _looks_like_acronym(name: str) -> bool:
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 8 and letters.isupper()


def _link_keys(name: str, *, query: bool) -> list[tuple[str, str]]:
    """Keys two names must share for `same_entity` to link them: the folded name, the first or
    last content word, or an acronym's initial against a long name's first word."""
    words = _content_words(name)
    keys = [("fold", fold(name))]
    if words:
        keys += [("first", words[0]), ("last", words[-1])]
        # an acronym is matched against long names with its initial, and the other way round
        keys.append(("acronym" if query else "initial", words[0][0]))
    if _looks_like_acronym(name):
        initial = fold(name).replace(".", "")[:1]
        keys.append(("initial" if query else "acronym", initial))
    return keys


def _names(entity: ArticleEntity) -> set[str]:
    return {fold(n) for n in [entity.name, *entity.aliases]}


def _initials_link(a: ArticleEntity, b: ArticleEntity) -> bool:
    """One names the other by exact initials, one letter per content word ("PAA")."""
    for short in (a, b):
        long_ = b if short is a else a
        for acronym in [short.name, *short.aliases]:
            if not _looks_like_acronym(acronym):
                continue
            letters = fold(acronym).replace(".", "")
            for name in [long_.name, *long_.aliases]:
                words = _content_words(name)
                if len(words) >= 2 and "".join(w[0] for w in words) == letters:
                    return True
    return False


def merge_entities(entities: Sequence[ArticleEntity]) -> list[ArticleEntity]:
    """Merge entities that `same_entity` links; the most frequent long form names the result."""
    ordered = sorted(
        entities, key=lambda e: (-len(_content_words(e.name)), -len(e.mentions), e.name)
    )
    groups: list[list[ArticleEntity]] = []
    # Groups by the keys of their head's names: a name is compared only with the groups it
    # could link to, so merging stays near linear on a page with thousands of names.
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for ent in ordered:
        candidates = sorted({g for key in _link_keys(ent.name, query=True) for g in index[key]})
        fits = [
            g
            for g in candidates
            if any(
                same_entity(ent.name, ent.type, alias, groups[g][0].type)
                for alias in [groups[g][0].name, *groups[g][0].aliases]
            )
        ]
        if len(fits) > 1:
            # "PAA" fits "Port Almera Authority" and, by letters inside words, "Port Almera":
            # a name both carry (an alias the article states) or exact initials decide.
            stated = [g for g in fits if _names(ent) & _names(groups[g][0])]
            initials = [g for g in fits if _initials_link(ent, groups[g][0])]
            fits = stated if len(stated) == 1 else initials if len(initials) == 1 else fits
        # ambiguous ("Smith" and two Smiths): leave it alone
        target = groups[fits[0]] if len(fits) == 1 else None
        if target is None:
            for alias in [ent.name, *ent.aliases]:
                for key in _link_keys(alias, query=False):
                    index[key].append(len(groups))
            groups.append([ent])
        else:
            target.append(ent)
    merged: list[ArticleEntity] = []
    for group in groups:
        names: Counter[str] = Counter()
        types: Counter[str] = Counter()
        for e in group:
            names[e.name] += max(1, len(e.mentions))
            types[e.type] += max(1, len(e.mentions))
        longest = max(len(_content_words(n)) for n in names)
        canonical = max(
            (n for n in names if len(_content_words(n)) == longest),
            key=lambda n: (names[n], any(ord(c) > 127 for c in n), n),
        )
        kind = "PERSON" if "PERSON" in types else types.most_common(1)[0][0]
        aliases = sorted({a for e in group for a in [e.name, *e.aliases]} - {canonical})
        titles = list(dict.fromkeys(t for e in group for t in e.titles))
        mentions = sorted(
            (m for e in group for m in e.mentions), key=lambda m: (m.sentence, m.start)
        )
        merged.append(
            ArticleEntity(
                name=canonical, type=kind, aliases=aliases, titles=titles, mentions=mentions
            )
        )
    return sorted(merged, key=lambda e: (e.mentions[0].sentence if e.mentions else 0, e.name))


# Starts at a word's start, words never give back letters (possessive) and a name has at
# most 9 words: a long run of capitals or of Capitalised Words was quadratic before.
_EXPLICIT_ACRONYM = re.compile(
    r"(?<![\w’'.-])([A-Z][\w’'.-]*+(?:\s+(?:[a-z]{1,3}\s+)?[A-Z][\w’'.-]*+){1,8})"
    r"\s+\(([A-Z]{2,8})\)"
)


def _norp_named(ent: Span, limit: int) -> tuple[Span, str]:
    """ "Islamic| State", "Chinese| Foreign Ministry": the tagger takes the adjective for a
    nationality and leaves the capitalised nouns after it out; together they name a body.
    Not before a role and a person ("Israeli Prime Minister Benjamin Netanyahu")."""
    doc, end = ent.doc, ent.end
    while (
        end < limit
        and doc[end].pos_ == "PROPN"
        and doc[end].text[:1].isupper()
        and not doc[end].ent_type_
        and doc[end].lower_ not in ROLE_WORDS
    ):
        end += 1
    if end == ent.end or (end < limit and (doc[end].pos_ == "PROPN" or doc[end].ent_type_)):
        return ent, "NORP"
    return doc[ent.start : end], "ORG"


def _hyphen_joined(ent: Span, limit: int) -> Span:
    """The tagger often stops a name at a hyphen ("Guinea|-Bissau"); a capitalised word joined
    to it by a hyphen, unspaced, is part of it: "Guinea-Bissau" is another country than
    "Guinea", and is not to be merged with it as the same name."""
    doc, end = ent.doc, ent.end
    while (
        end + 1 < limit
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].text[:1].isupper()
        and doc[end + 1].ent_type_ in ("", ent.label_)
    ):
        end += 2
    return doc[ent.start : end] if end != ent.end else ent


def _plainly_a_name(ent: Span) -> bool:
    """A person's name of two or more capitalised words, none an English common noun."""
    words = [t for t in ent if not t.is_punct]
    return (
        ent.label_ == "PERSON"
        and len(words) >= 2
        and all(t.text[:1].isupper() and t.lower_ not in common_nouns() for t in words)
    )


def extract_entities(docs: Sequence[Doc], sentences: Sequence[Sentence]) -> list[ArticleEntity]:
    """Entities of one article, aliases merged, titles attached."""
    by_name: dict[tuple[str, str], ArticleEntity] = {}
    places = {fold(e.text) for doc in docs for e in doc.ents if e.label_ in ("GPE", "NORP", "LOC")}
    for index, sent in sentence_spans(docs):
        if index < len(sentences):
            # the sentence's text as parsed, not `sent.text`, which builds every token again
            text, offset = sentences[index].text, sentences[index].start - sent.start_char
        else:
            text, offset = sent.text, 0
        # Title Case headings fool the tagger ("Rocky Backdrop: Why This"), but a headline
        # may be all an article says of its main actors ("Obama to Name Sanjay Gupta ..."):
        # there only a person's full name made of no English common noun counts
        heading = is_heading(text)
        for ent in sent.ents:
            kind = _TYPES.get(ent.label_)
            if kind is None or (heading and not _plainly_a_name(ent)):
                continue
            if (
                kind in ("PERSON", "ORG")
                and len(ent) >= 3
                and fold(ent[0].text) in places
                and ent[0].whitespace_  # "Guinea-Bissau" is one name
            ):
                ent = ent[1:]  # "the dictator of Venezuela Nicolás Maduro": a place is no name
            if kind == "PERSON" and any(t.pos_ == "VERB" or t.text in ":;" for t in ent):
                continue
            if kind == "PERSON":
                # the small model often stops a name early ("Vladimir Padrino| López")
                end = ent.end
                while (
                    not heading  # every word of a headline is capitalised
                    and end < sent.end
                    and sent.doc[end].pos_ == "PROPN"
                    and sent.doc[end].text[:1].isupper()
                    and sent.doc[end].ent_type_ in ("", "PERSON")
                ):
                    end += 1
                ent = sent.doc[ent.start : end]
            if kind == "NORP":
                ent, kind = _norp_named(ent, sent.end)
            ent = _hyphen_joined(ent, sent.end)
            name = _clean_name(ent.text)
            if len(name) < 2 or not any(c.isupper() for c in name):
                continue
            if kind == "ORG" and set(_content_words(name)) & _OUTLET_WORDS:
                kind = "OUTLET"
            key = (fold(name), kind)
            entity = by_name.get(key)
            if entity is None:
                entity = by_name[key] = ArticleEntity(name=name, type=kind)
            entity.mentions.append(
                EntityMention(
                    text=ent.text,
                    sentence=index,
                    start=offset + ent.start_char,
                    end=offset + ent.end_char,
                )
            )
            if kind in ("PERSON", "ORG"):
                # the tagger often calls a person with a long title ORG; the role noun tells
                title = _title_of(ent)
                if title and kind == "ORG" and title_head(title) not in ROLE_WORDS:
                    title = None
                if title and title not in entity.titles:
                    entity.titles.append(title)
    # "Port Almera Authority (PAA)" states the alias outright.
    by_fold: dict[str, list[ArticleEntity]] = defaultdict(list)
    for entity in by_name.values():
        by_fold[fold(entity.name)].append(entity)
    for sentence in sentences:
        for m in _EXPLICIT_ACRONYM.finditer(sentence.text):
            long_name, acr = _clean_name(m.group(1)), m.group(2)
            for entity in by_fold.get(fold(acr), []):
                if long_name not in entity.aliases:
                    entity.aliases.append(long_name)
            if fold(acr) not in by_fold and is_acronym_of(acr, long_name):
                # the tagger missed the acronym itself ("(PAFRS)"): the long name carries it
                for entity in by_fold.get(fold(long_name), []):
                    if acr not in entity.aliases:
                        entity.aliases.append(acr)
    return merge_entities(list(by_name.values()))


def resolve_description(words: Sequence[str], entities: Sequence[ArticleEntity]) -> str | None:
    """The entity a description ('the Venezuelan president') refers to, when only one fits.

    The description's role noun must be the role noun of one of the entity's titles; the other
    words ('Venezuelan', 'US', 'former') break ties by overlap with that entity's titles.
    """
    lowered = [w.lower() for w in words if w.lower() not in ("the", "a", "an")]
    if not lowered:
        return None
    head = lowered[-1]
    scored: list[tuple[int, str]] = []
    for ent in entities:
        if ent.type != "PERSON":
            continue
        heads = {title_head(t) for t in ent.titles}
        if head not in heads:
            continue
        title_words = {w.lower().replace(".", "") for t in ent.titles for w in t.split()}
        overlap = sum(1 for w in lowered[:-1] if w.replace(".", "") in title_words)
        scored.append((overlap, ent.name))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


def group_by_sentence(entities: Sequence[ArticleEntity]) -> dict[int, list[ArticleEntity]]:
    """Entities mentioned in each sentence, for the stages that work sentence by sentence."""
    out: dict[int, list[ArticleEntity]] = defaultdict(list)
    for ent in entities:
        for sentence in {m.sentence for m in ent.mentions}:
            out[sentence].append(ent)
    return dict(out)
