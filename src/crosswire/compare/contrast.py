"""Contrast: the wording one outlet chooses where the other outlets of the story, telling the
same thing, choose otherwise (issue 23, point 1a). No list of loaded terms decides it:

- **The same referent named by age.** News names an unnamed person by age and a noun ("a
  59-year-old woman"); where an outlet's noun for that age is not the one most other outlets
  use ("a 59-year-old grandmother", "mother of two"), the noun is its choice, wherever an
  article of the story uses it for the person ("Queens grandmother killed").
- **A hedge dropped.** Where other outlets attribute a description ("allegedly drunk"), an
  outlet that states it plainly of someone ("a drunk driver") frames it as fact.
- **A colouring adverb few outlets use.** A manner adverb in -ly ("justly", "professionally",
  "frantically") that at most half of the story's outlets use: the others tell the same events
  without it. Adverbs that place, time or hedge a fact ("recently", "allegedly") are not.
- **Substitutions in aligned sentences.** Two outlets' sentences that state the same fact (close
  paraphrases, or one claim's sentences) are compared word by word; where they differ in a
  short run of content words between shared context ("by *thugs* on the convoy" / "by *men* on
  the convoy"), the outlet's run is its choice for that slot when few outlets use it, more use
  the other side's, and it is loaded at least mildly (`compare.lexicon`): without any sense of
  which word is the neutral one, a minority wording is mostly paraphrase ("vehicle" / "car";
  measured on the framing gold's dev stories: ungated, one flag in twenty-five was right).

Each finding carries the exact span, what the others use instead, and whether it sits inside a
quote (the speaker's words: `quote_spans`, which also reads tokenised corpora's `` '' marks).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise

from crosswire.compare.lexicon import listed, mild_words
from crosswire.compare.matching import StoryContext
from crosswire.language.nlp import load_nlp
from crosswire.language.quotes import find_quote_spans
from crosswire.models import Sentence

__all__ = ["Contrast", "contrast_terms", "open_quote_spans", "quote_spans"]

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z]+)*|\d+")

# Function words, and words that vary between outlets by house style or timing rather than
# judgement: when, how sure, who said it. None of them is a choice of framing.
_STOP_WORDS = """
    a an the this that these those there here it its it's he she they them his her their him
    we us our you your i me my and or but nor so yet for of to in on at by with from into onto
    over under about after before during since until up down out off as than then when where
    while who whom whose which what why how if because though although also not no all any
    some each every both either neither one two three four five six seven eight nine ten is
    are was were be been being am has have had having do does did will would shall should can
    could may might must just only even still very more most much many such other another
    same own said says say saying told tells tell according reported reports report added
    today yesterday tonight tomorrow now earlier later recently last next ago week weeks
    month months year years day days morning afternoon evening night hour hours minute minutes
    time times am pm mr mrs ms dr st
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    """
_STOP = frozenset(_STOP_WORDS.split())

# Sentence pairs at least this similar are taken to say the same thing (the story's candidate
# pairs start lower, at 0.2).
_ALIGNED = 0.5
# The longest run of differing words compared, on either side.
_RUN = 3
# A substituted wording is a minority one when at most this share of the story's outlets use
# it, and at least `_SUPPORT` other outlets word the slot otherwise.
_MINORITY = 0.34
_SUPPORT = 2
# A colouring adverb is a choice when at most this share of the story's outlets use it (chosen
# on the framing gold's dev stories: a third finds 0.69 of the terms, a half 0.76, at the same
# precision).
_ADVERB_MINORITY = 0.5

_HEDGES = frozenset({"allegedly", "reportedly", "apparently", "purportedly", "supposedly"})
# "mother of two": the count goes with the noun
_KIN_COUNT = r"(?:\s+of\s+(?:\d+|two|three|four|five|six))?"
_AGE = re.compile(r"\b(\d{1,3})\s*-?\s*years?\s*-?\s*old\s+([a-z]+" + _KIN_COUNT + ")")

# Adverbs in -ly that place, time, order, count, hedge or focus a fact, tell how loud, close
# or tight something physically was, where it happened (locally), how a figure moved
# (steadily), to what degree (highly, slightly) or that a task was done (successfully,
# safely), rather than colour it; and words in -ly that are no adverbs.
_PLAIN = """
    allegedly reportedly apparently recently currently previously eventually finally initially
    immediately early nearly only daily weekly monthly yearly likely approximately roughly
    exactly directly partly mostly largely fully really actually certainly probably possibly
    potentially presumably seemingly evidently usually normally typically generally
    originally formerly lately shortly quickly slowly rapidly speedily briefly temporarily
    momentarily presently ultimately subsequently consequently accordingly additionally
    similarly separately respectively simultaneously jointly independently repeatedly
    frequently occasionally regularly routinely rarely periodically notably particularly
    especially specifically mainly primarily chiefly merely simply solely tentatively
    formally informally officially publicly privately personally legally physically
    fatally critically seriously severely badly accidentally intentionally deliberately
    closely quietly loudly softly silently tightly loosely heavily lightly
    locally nationally internationally globally regionally domestically
    steadily gradually increasingly progressively consistently continually continuously
    constantly highly fairly relatively slightly somewhat moderately partially considerably
    successfully safely properly correctly
    family supply reply rally italy
    """
_PLAIN_ADVERBS = frozenset(_PLAIN.split())
# The parts of speech an adverb in -ly is tagged with when it colours ("a timely operation").
_DESCRIBING = frozenset({"ADJ", "ADV"})


@dataclass
class Contrast:
    """One outlet's wording (`term` at `start:end` of its article) and what the others use."""

    article_id: str
    term: str
    start: int
    end: int
    others_use: list[str]
    quoted: bool
    support: set[str] = field(default_factory=set)
    """The other outlets that word it otherwise (substitutions)."""


def quote_spans(text: str) -> list[tuple[int, int, str]]:
    """`find_quote_spans`, reading the `` '' marks of tokenised corpora as quotation marks."""
    return find_quote_spans(text.replace("``", ' "').replace("''", '" '))


def open_quote_spans(text: str) -> list[tuple[int, int, str]]:
    """Paragraphs that open a quote and do not close it: news leaves the mark off at the end of
    a paragraph whose quote goes on in the next."""
    found = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        marks = sum(line.count(c) for c in '"“”')
        if line.lstrip().startswith(('"', "“")) and marks % 2:
            found.append((m.start(), m.end(), line.strip(' "“')))
    return found


class _Quotes:
    """Whether a span of an article is inside a quote (each article's quotes found once)."""

    def __init__(self, ctx: StoryContext) -> None:
        self.ctx = ctx
        self.spans: dict[str, list[tuple[int, int]]] = {}

    def __call__(self, article_id: str, start: int, end: int) -> bool:
        if article_id not in self.spans:
            text = self.ctx.articles[article_id].text
            quotes = quote_spans(text) + open_quote_spans(text)
            self.spans[article_id] = [(a, b) for a, b, _ in quotes]
        return any(a <= start and end <= b for a, b in self.spans[article_id])


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [
        (m.group().lower().replace("’", "'"), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


def _content(word: str) -> bool:
    return (word.isalpha() and len(word) >= 3 and word not in _STOP) or "-" in word


def _named(text: str, start: int, end: int) -> bool:
    """A capitalised word inside a sentence is most often part of a name, and a short all-caps
    one an acronym ("DWI"): they name, they do not word."""
    word = text[start:end]
    if word.isupper():
        return len(word) <= 5
    return word[0].isupper() and bool(text[:start].strip(" \"“‘'(`"))


def _same_stem(a: str, b: str) -> bool:
    """Inflection or spelling variants ("drunk" / "drunken", "capturing" / "captured", "gray" /
    "grey")."""
    if min(len(a), len(b)) >= 5 and a[:5] == b[:5]:
        return True
    if a[0] != b[0] or len(a) != len(b):
        return a == b
    return sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def _outlet_vocab(ctx: StoryContext) -> dict[str, set[str]]:
    """Word -> the outlets of the story that use it anywhere."""
    vocab: dict[str, set[str]] = defaultdict(set)
    for aid, article in ctx.articles.items():
        for word, _, _ in _tokens(article.text):
            vocab[word].add(ctx.outlet[aid])
    return vocab


# --------------------------------------------------------------------------- substitutions


def _aligned_pairs(ctx: StoryContext, groups: Iterable[Sequence[int]]) -> list[tuple[int, int]]:
    pairs = {(i, j) for (i, j), sim in ctx.pairs.items() if sim >= _ALIGNED}
    for group in groups:
        pairs |= {(min(i, j), max(i, j)) for i in group for j in group if i != j}
    return sorted(
        (i, j) for i, j in pairs if ctx.outlet[ctx.units[i][0]] != ctx.outlet[ctx.units[j][0]]
    )


def _substitutions(
    ctx: StoryContext, groups: Iterable[Sequence[int]], quoted: _Quotes
) -> list[Contrast]:
    """Short runs of differing content words between shared context, in aligned sentences of
    two outlets; each side is a candidate, the other side what the others use."""
    found: list[Contrast] = []
    tokens = [_tokens(s.text) for _, s in ctx.units]
    for i, j in _aligned_pairs(ctx, groups):
        ops = SequenceMatcher(
            None, [t[0] for t in tokens[i]], [t[0] for t in tokens[j]], autojunk=False
        ).get_opcodes()
        for k in range(1, len(ops) - 1):
            tag, a1, a2, b1, b2 = ops[k]
            before, after = ops[k - 1], ops[k + 1]
            # a short run with shared context on both sides: one slot of one statement
            if tag != "replace" or max(a2 - a1, b2 - b1) > _RUN:
                continue
            if before[0] != "equal" or after[0] != "equal":
                continue
            if (before[2] - before[1]) + (after[2] - after[1]) < 3:
                continue
            for x, (x1, x2), y, (y1, y2) in (
                (i, (a1, a2), j, (b1, b2)),
                (j, (b1, b2), i, (a1, a2)),
            ):
                aid, sentence = ctx.units[x]
                other = ctx.units[y][1].text
                mine = [
                    t
                    for t in tokens[x][x1:x2]
                    if _content(t[0]) and not _named(sentence.text, t[1], t[2])
                ]
                theirs = [
                    t[0]
                    for t in tokens[y][y1:y2]
                    if _content(t[0]) and not _named(other, t[1], t[2])
                ]
                if not mine or not theirs:
                    continue
                if any(_same_stem(m[0], o) for m in mine for o in theirs):
                    continue
                s, e = sentence.start + mine[0][1], sentence.start + mine[-1][2]
                found.append(
                    Contrast(
                        article_id=aid,
                        term=sentence.text[mine[0][1] : mine[-1][2]],
                        start=s,
                        end=e,
                        others_use=[" ".join(theirs)],
                        quoted=quoted(aid, s, e),
                        support={ctx.outlet[ctx.units[y][0]]},
                    )
                )
    return found


def _minority(
    found: Sequence[Contrast], vocab: dict[str, set[str]], outlets: int
) -> list[Contrast]:
    """The substitutions whose wording is a minority one and loaded at least mildly."""
    mild = mild_words()
    kept = []
    for c in _merge(found):
        mine = [w for w, _, _ in _tokens(c.term) if _content(w)]
        theirs = [w for o in c.others_use for w, _, _ in _tokens(o) if _content(w)]
        if len(c.support) < min(_SUPPORT, outlets - 1):
            continue
        if not any(w in mild or listed(w) for w in mine):
            continue
        rare = max(len(vocab.get(w, ())) for w in mine)
        common = max(len(vocab.get(w, ())) for w in theirs)
        if rare < common and rare <= max(1, _MINORITY * outlets):
            kept.append(c)
    return kept


# --------------------------------------------------------------------------- adverbs


def _colouring(word: str) -> bool:
    return word.endswith("ly") and len(word) > 5 and word not in _PLAIN_ADVERBS


def _rare_adverbs(
    ctx: StoryContext, vocab: dict[str, set[str]], outlets: int, quoted: _Quotes
) -> list[Contrast]:
    """Colouring adverbs in -ly that at most `_ADVERB_MINORITY` of the story's outlets use."""
    candidates = []
    for aid, analysis in ctx.analyses.items():
        for sentence in analysis.sentences:
            words = [
                t
                for t in _tokens(sentence.text)
                if _colouring(t[0])
                and not _named(sentence.text, t[1], t[2])
                and len(vocab.get(t[0], ())) <= _ADVERB_MINORITY * outlets
            ]
            if words:
                candidates.append((aid, sentence, words))
    found: list[Contrast] = []
    tags = _tags([sentence.text for _, sentence, _ in candidates])
    for (aid, sentence, words), tagged in zip(candidates, tags, strict=True):
        for _, a, b in words:
            if tagged.get(a) in _DESCRIBING:
                s, e = sentence.start + a, sentence.start + b
                found.append(Contrast(aid, sentence.text[a:b], s, e, [], quoted(aid, s, e)))
    return found


def _tags(texts: Sequence[str]) -> list[dict[int, str]]:
    """Each text's part-of-speech tags by token start (spaCy's tagger; no parse)."""
    if not texts:
        return []
    nlp = load_nlp()
    disabled = [p for p in ("parser", "ner", "lemmatizer") if p in nlp.pipe_names]
    return [{t.idx: t.pos_ for t in doc} for doc in nlp.pipe(texts, disable=disabled)]


# --------------------------------------------------------------------------- referents, hedges


def _age_nouns(ctx: StoryContext, quoted: _Quotes) -> list[Contrast]:
    """A person named by age: the noun an outlet uses for that age where most other outlets
    use another ("59-year-old grandmother" / "59-year-old woman"); that noun is the outlet's
    choice for the person wherever an article of the story uses it ("Queens grandmother
    killed")."""
    uses: dict[str, dict[str, list[tuple[str, int, int]]]] = defaultdict(lambda: defaultdict(list))
    for aid, article in ctx.articles.items():
        for m in _AGE.finditer(article.text):
            if m.group(2).split()[0] not in _STOP:
                uses[m.group(1)][m.group(2)].append((aid, m.start(2), m.end(2)))
    chosen: dict[str, str] = {}
    for by_noun in uses.values():
        outlets = {n: {ctx.outlet[a] for a, _, _ in places} for n, places in by_noun.items()}
        for noun in by_noun:
            head = noun.split()[0]
            others = {n: len(o - outlets[noun]) for n, o in outlets.items() if n.split()[0] != head}
            if not others:
                continue
            best = max(others, key=lambda n: (others[n], n))
            if others[best] > len(outlets[noun]):
                chosen[head] = best
    found: list[Contrast] = []
    for head, best in chosen.items():
        pattern = re.compile(rf"\b{re.escape(head)}{_KIN_COUNT}\b", re.I)
        for aid, article in ctx.articles.items():
            for m in pattern.finditer(article.text):
                word = m.group().split()[0]
                if word[0].isupper() and not word.isupper():
                    continue  # a name, or a sentence's first word that may start one
                s, e = m.span()
                found.append(Contrast(aid, m.group(), s, e, [best], quoted(aid, s, e)))
    return found


def _dropped_hedges(ctx: StoryContext, quoted: _Quotes) -> list[Contrast]:
    """A description other outlets attribute ("allegedly drunk") that an outlet states plainly
    of someone ("a drunk driver": an adjective right before a common noun, not an act such as
    "were offered full amnesty")."""
    hedged: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for aid, article in ctx.articles.items():
        words = _tokens(article.text)
        for (hedge, _, _), (word, _, _) in pairwise(words):
            if hedge in _HEDGES and _content(word) and len(word) >= 4:
                hedged[word][hedge].add(ctx.outlet[aid])
    candidates: list[tuple[str, Sentence, int, int, list[str]]] = []
    for aid, analysis in ctx.analyses.items() if hedged else ():
        for sentence in analysis.sentences:
            text, words = sentence.text, _tokens(sentence.text)
            for k, (w, s, e) in enumerate(words[:-1]):
                if len(w) < 4 or _named(text, s, e):
                    continue
                stems = [h for h in hedged if _same_stem(w, h)]
                hedging = {o for h in stems for by in hedged[h].values() for o in by}
                if not stems or ctx.outlet[aid] in hedging:
                    continue
                if any(p[0] in _HEDGES for p in words[max(0, k - 3) : k]):
                    continue
                nxt, ns, ne = words[k + 1]
                if not _content(nxt) or text[e:ns].strip() or not text[ns:ne].islower():
                    continue
                if nxt.endswith("ing"):
                    continue  # "drunk driving": an adjective before a gerund names the offence
                others = sorted({f"{hedge} {h}" for h in stems for hedge in hedged[h]})
                candidates.append((aid, sentence, s, e, others))
    found: list[Contrast] = []
    tags = _tags([c[1].text for c in candidates])
    for (aid, sentence, a, b, others), tagged in zip(candidates, tags, strict=True):
        if tagged.get(a) == "ADJ":
            s, e = sentence.start + a, sentence.start + b
            found.append(Contrast(aid, sentence.text[a:b], s, e, others, quoted(aid, s, e)))
    return found


def _merge(found: Iterable[Contrast]) -> list[Contrast]:
    """One finding per article and term (any case): its first place, all the others' words."""
    merged: dict[tuple[str, str], Contrast] = {}
    for c in sorted(found, key=lambda c: (c.article_id, c.start)):
        key = (c.article_id, c.term.lower())
        if key in merged:
            merged[key].others_use = sorted(set(merged[key].others_use) | set(c.others_use))
            merged[key].support |= c.support
        else:
            merged[key] = c
    return list(merged.values())


def contrast_terms(ctx: StoryContext, groups: Iterable[Sequence[int]] = ()) -> list[Contrast]:
    """The story's contrast findings, one per article and term. `groups`: its claims, as
    indices into `ctx.units` (their sentences are aligned too)."""
    outlets = len(set(ctx.outlet.values()))
    if outlets < 2:
        return []
    vocab = _outlet_vocab(ctx)
    quoted = _Quotes(ctx)
    found = _age_nouns(ctx, quoted) + _dropped_hedges(ctx, quoted)
    found += _minority(_substitutions(ctx, groups, quoted), vocab, outlets)
    if outlets >= 3:  # with two, "at most half" is either outlet
        found += _rare_adverbs(ctx, vocab, outlets, quoted)
    return _merge(found)
