"""Framing: the words an outlet chooses where other outlets of the story choose others. Two
signals: contrast (a loaded title given to the same person, loaded words outside quotes with
the neutral word others use, `LOADED`, which the brief also uses to neutralise, and choices
within a family of words news uses for the same thing, "strikes" / "bombings"; and the
minority wordings `compare.contrast` finds with no word list: the noun for a person named by
age, a hedge the others keep, a colouring adverb few outlets use, a loaded substitution in one
claim's sentences) and loadedness (`compare.lexicon`: a word loaded in itself, found even when
one outlet alone covers it). Words inside a quote, in a paragraph that opens a quote and
leaves it open, or in indirect speech after a verb of saying ("Worthy said ... irresponsible")
are the speaker's (`voice="quoted"`), kept apart from the outlet's own; a feeling the speaker
reports of themself ("I'm devastated") and an everyday reaction in a quote ("she was bad")
are not framing at all. A family's plain member ("killed" / "died") is no choice. Titles that
differ only in house style ("general secretary" / "leader") are not framing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from crosswire.compare.contrast import contrast_terms, open_quote_spans, quote_spans
from crosswire.compare.lexicon import loaded_spans
from crosswire.compare.matching import WORD, StoryContext
from crosswire.language.entities import fold, title_head
from crosswire.models import ArticleAnalysis, FramingEntry, QuoteMention, StoryEntity

__all__ = ["FAMILIES", "LOADED", "PLAIN_MEMBERS", "framing_entries"]

# Loaded words, with the neutral word other outlets use for the same thing. General news
# vocabulary (style guides flag these), not tuned to one story.
LOADED = {
    "dictator": "president", "regime": "government", "tyrant": "leader", "strongman": "leader",
    "despot": "leader", "thug": "man", "thugs": "men", "agitator": "activist",
    "agitators": "activists", "rioters": "protesters", "mob": "crowd", "slumlord": "landlord",
    "terrorists": "militants", "puppet": "ally", "junta": "government", "cronies": "allies",
    "massacre": "killing", "butcher": "leader",
}  # fmt: skip
# Families of words news uses for the same thing; an outlet's choice within a family is framing.
FAMILIES = [
    {"strikes", "bombings", "attacks", "raids", "airstrikes"},
    {"regime", "government", "administration", "junta"},
    {"protesters", "demonstrators", "rioters", "activists", "agitators", "mob"},
    {"militants", "terrorists", "fighters", "rebels", "insurgents", "gunmen"},
    {"killed", "murdered", "slaughtered", "died"},
]
# The plain members of the families: an outlet that says "killed" where another says "died"
# chose no frame (the issue: a term is framing where the others describe it neutrally).
PLAIN_MEMBERS = frozenset(
    {"attacks", "government", "administration", "protesters", "demonstrators", "fighters"}
    | {"killed", "died"}
)


def _named_spans(analysis: ArticleAnalysis, outlet: str = "") -> list[tuple[int, int, str]]:
    """(start, end, name) of every mention of a person or organisation in the article, less
    the outlet itself ("witnesses told the Clarion they heard screams": the screams are not
    said of the Clarion)."""
    own = set(fold(outlet).split())
    return [
        (m.start, m.end, ent.name)
        for ent in analysis.entities
        if ent.type in ("PERSON", "ORG") and not (own and set(fold(ent.name).split()) <= own)
        for m in ent.mentions
    ]


def _source(ctx: StoryContext, aid: str) -> str:
    article = ctx.articles.get(aid)
    return article.source if article else ""


def _outside_quotes(text: str) -> str:
    for a, b, _ in reversed(quote_spans(text)):
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def _loaded_descriptions(
    ctx: StoryContext, entities: Sequence[StoryEntity], known: Sequence[FramingEntry]
) -> list[FramingEntry]:
    """Loaded words an outlet uses outside quotes ("the slumlord firm"), tied to the nearest
    person or organisation named in the same sentence."""
    canonical = {}
    for ent in entities:
        for name in [ent.name, *ent.aliases]:
            canonical[fold(name)] = ent
    seen = {(e.article_id, w) for e in known for w in e.term.lower().split()}
    found: list[FramingEntry] = []
    for aid, analysis in ctx.analyses.items():
        spans = _named_spans(analysis, _source(ctx, aid))
        for sentence in analysis.sentences:
            text = _outside_quotes(sentence.text)
            for m in WORD.finditer(text):
                word = m.group().lower()
                if word not in LOADED or (aid, word) in seen:
                    continue
                if word == "regime" and text[m.end() :].lstrip().lower().startswith("change"):
                    continue  # "regime change" is a set phrase, not a label
                at = sentence.start + m.start()
                near = [
                    (min(abs(at - a), abs(at - b)), name)
                    for a, b, name in spans
                    if sentence.start <= a < sentence.end
                ]
                if not near:
                    continue
                name = min(near)[1]
                story_entity = canonical.get(fold(name))
                refers_to = story_entity.name if story_entity else name
                nxt = text[m.end() :].split(maxsplit=1)
                term = m.group()
                if nxt and nxt[0].isalpha() and nxt[0].islower() and nxt[0] not in _FUNCTION_WORDS:
                    term = f"{term} {nxt[0]}"  # "slumlord firm"
                others = sorted(
                    {
                        t
                        for other, titles in (story_entity.titles.items() if story_entity else [])
                        if ctx.outlet[other] != ctx.outlet[aid]
                        for t in titles
                    }
                ) or [LOADED[word]]
                seen.add((aid, word))
                found.append(
                    FramingEntry(
                        article_id=aid,
                        term=term,
                        refers_to=refers_to,
                        others_use=others,
                        loaded=True,
                        signal="both",
                        start=at,
                        end=at + len(term),
                    )
                )
    return found


def _nearest_name(at: int, spans: Sequence[tuple[int, int, str]], lo: int, hi: int) -> str | None:
    near = [(min(abs(at - a), abs(at - b)), name) for a, b, name in spans if lo <= a < hi]
    return min(near)[1] if near else None


def _lexicon_entries(ctx: StoryContext, known: Sequence[FramingEntry]) -> list[FramingEntry]:
    """Words loaded in themselves (`compare.lexicon`), one entry per article and word. Inside a
    quote they are the speaker's; outside, the outlet's. The signal is "both" when a sentence
    of another outlet aligned with this one (same claim) says it without the word, and the
    neutral word is known (`LOADED`); otherwise the word is loaded in itself ("lexicon")."""
    seen = {(e.article_id, e.term.lower()) for e in known}
    seen |= {(e.article_id, w) for e in known for w in e.term.lower().split()}
    neighbours: dict[int, set[int]] = defaultdict(set)
    for (i, j), sim in ctx.pairs.items():
        if sim >= _ALIGNED:
            neighbours[i].add(j)
            neighbours[j].add(i)
    found: list[FramingEntry] = []
    for aid, analysis in ctx.analyses.items():
        spans = _named_spans(analysis, _source(ctx, aid))
        persons = [(m.start, m.end, e.name) for e in analysis.entities if e.type == "PERSON"
                   for m in e.mentions]  # fmt: skip
        # a word inside a name ("Fire and Rescue Service") is the name, not a choice
        named = [(m.start, m.end) for ent in analysis.entities for m in ent.mentions]
        text = ctx.articles[aid].text if aid in ctx.articles else ""
        article_quotes = quote_spans(text) + open_quote_spans(text)
        for sentence in analysis.sentences:
            hits = [
                (a, b)
                for a, b in loaded_spans(sentence.text)
                if not any(s <= sentence.start + a and sentence.start + b <= e for s, e in named)
            ]
            if not hits:
                continue
            # a quote may run over several sentences ("`` He took off . People were just
            # screaming . ''"): the article's quotes, moved into the sentence, count too
            quoted = quote_spans(sentence.text) + [
                (qa - sentence.start, qb - sentence.start, inner)
                for qa, qb, inner in article_quotes
                if qa < sentence.end and sentence.start < qb
            ]
            aligned = [
                ctx.units[j][1].text.lower()
                for j in neighbours.get(ctx.index.get((aid, sentence.index), -1), ())
                if ctx.outlet[ctx.units[j][0]] != ctx.outlet[aid]
            ]
            for a, b in hits:
                term = sentence.text[a:b]
                if (aid, term.lower()) in seen:
                    continue
                quote = next((q for q in quoted if q[0] <= a and b <= q[1]), None)
                if quote and _self_report(sentence.text, a, b, max(0, quote[0])):
                    continue
                if quote and term.lower() in _EVERYDAY_REACTIONS:
                    continue
                seen.add((aid, term.lower()))
                if term.lower() == "regime" and sentence.text[b:].lstrip().lower().startswith(
                    "change"
                ):
                    continue  # "regime change" is a set phrase, not a label
                speaker = None
                reported = None if quote else _reporter(sentence.text, sentence.start, a, persons)
                if quote:
                    speaker = _possessor(
                        sentence.text, sentence.start, max(0, quote[0]), persons
                    ) or _speaker(analysis.quotes, sentence.index, quote[2])
                elif reported is not None:
                    speaker = reported or None
                at = sentence.start + a
                contrast = bool(aligned) and not any(
                    re.search(rf"\b{re.escape(term.lower())}\b", t) for t in aligned
                )
                found.append(
                    FramingEntry(
                        article_id=aid,
                        term=term,
                        refers_to=_nearest_name(at, spans, sentence.start, sentence.end) or "",
                        others_use=[LOADED[term.lower()]] if term.lower() in LOADED else [],
                        loaded=True,
                        # contrast needs the neutral word the others use, not only its absence
                        signal="both" if contrast and term.lower() in LOADED else "lexicon",
                        voice="quoted" if quote or reported is not None else "outlet",
                        speaker=speaker,
                        start=at,
                        end=sentence.start + b,
                    )
                )
    return found


# Verbs that report speech or belief: a loaded word in the clause after one is the speaker's,
# in indirect speech ("Worthy said ... irresponsible gun ownership", "the violence that he
# says plagues the area"; gold/framing/GUIDELINES.md).
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|stated|states|added|noted|explained|warned|argued|"
    r"insisted|believes|believed)\b",
    re.I,
)


def _reporter(
    text: str, offset: int, at: int, persons: Sequence[tuple[int, int, str]]
) -> str | None:
    """Who reports the words at `at` of a sentence (`text`, at `offset` of its article) in
    indirect speech: the person named last before the reporting verb, else the words of its
    clause before it ("A Sam's Club spokesperson"), else "" (someone reports it); None when no
    reporting verb with a subject comes before `at`."""
    verbs = [
        m
        for m in _REPORTING.finditer(text[:at])
        # a subject before it; "to say about" is no report
        if WORD.search(text[: m.start()]) and not text[: m.start()].rstrip().endswith(" to")
    ]
    if not verbs:
        return None
    verb = verbs[-1]
    named = [p for p in persons if offset <= p[0] and p[1] <= offset + verb.start()]
    if named:
        return max(named)[2]
    clause = re.split(r"[,;:.!?]", text[: verb.start()])[-1].split()
    return " ".join(clause) if 0 < len(clause) <= 5 else ""


# Sentence similarity from which two outlets' sentences tell the same claim (the claim
# grouping's candidate pairs start lower; this keeps only close paraphrases).
_ALIGNED = 0.6


# The speaker, or the group the speaker speaks for: "I'm devastated", "we are really shocked".
_FIRST_PERSON = frozenset(
    {"i", "i'm", "im", "i've", "i'd", "i'll", "me", "my", "myself"}
    | {"we", "we're", "we've", "we'd", "we'll", "us", "our", "ourselves"}
)


# The everyday words anyone reaches for to react ("she was bad", "it's sad", "huge issues"):
# in a quote they are a speaker's plain reaction, not an evaluation worth reporting
# (gold/framing/GUIDELINES.md: mild quoted reactions are not framing); stronger words
# ("horrible", "a tragedy") still are.
_EVERYDAY_REACTIONS = frozenset(
    {"bad", "sad", "wrong", "upset", "hard", "tough", "huge", "big", "scary", "scared"}
    | {"strange", "weird", "shock", "shocked", "heart", "hearts", "good", "great", "nice"}
)


def _self_report(text: str, a: int, b: int, quote_start: int) -> bool:
    """A quoted feeling the speaker reports of themself ("I'm devastated", "it really shocks
    me"): their state, not a judgement on the event or on anyone (gold/framing/GUIDELINES.md).
    A first-person word among the four before the word in its quote, or the two after."""
    before = WORD.findall(text[quote_start:a].lower().replace("’", "'"))[-4:]
    after = WORD.findall(text[b:].lower().replace("’", "'"))[:2]
    return bool(_FIRST_PERSON & {*before, *after})


def _possessor(
    text: str, offset: int, quote_start: int, persons: Sequence[tuple[int, int, str]]
) -> str | None:
    """The person whose words a partial quote gives by a possessive just before it ("Trump’s
    promise to end “…”"): the last person named before the quote in its sentence, when that
    mention is possessive. The quote finder gives such a quote to the clause's subject."""
    before = [p for p in persons if offset <= p[0] and p[1] <= offset + quote_start]
    if not before:
        return None
    _, end, name = max(before)
    after = text[end - offset :]
    if after[:2] not in ("’s", "'s"):
        return None
    noun = after[2:].split(maxsplit=1)
    return name if noun and noun[0].lower() in _SPEECH_NOUNS else None


# Nouns that name what someone said ("Trump’s promise to end …"), unlike "Maduro’s government".
_SPEECH_NOUNS = {
    "promise", "pledge", "vow", "words", "remark", "remarks", "comment", "comments", "statement",
    "claim", "threat", "warning", "call", "description", "phrase", "insult", "boast", "tweet",
    "post", "speech", "message", "demand", "accusation", "slogan", "catchphrase",
}  # fmt: skip


def _speaker(quotes: Sequence[QuoteMention], sentence: int, inner: str) -> str | None:
    """Who says the quote `inner` of sentence `sentence`, when the quote finder resolved it."""
    mine = [q for q in quotes if q.sentence == sentence]
    for q in mine:
        if q.text and (q.text in inner or inner in q.text):
            return q.speaker or q.speaker_text
    return (mine[0].speaker or mine[0].speaker_text) if mine else None


_FUNCTION_WORDS = {"that", "which", "who", "and", "or", "of", "to", "in", "on", "at", "for", "with"}


def _contrast_entries(
    ctx: StoryContext, groups: Sequence[Sequence[int]], known: Sequence[FramingEntry]
) -> list[FramingEntry]:
    """The outlet's minority wordings for what the others say otherwise (`compare.contrast`);
    "both" (and loaded) when the word is loaded in itself too."""
    seen = {(e.article_id, w) for e in known for w in e.term.lower().split()}
    found: list[FramingEntry] = []
    for c in contrast_terms(ctx, groups):
        if any((c.article_id, w) in seen for w in c.term.lower().split()):
            continue
        loaded = bool(loaded_spans(c.term))
        if loaded and not c.others_use:
            continue  # loaded in itself, with no counterpart in the others: the lexicon's
        analysis = ctx.analyses[c.article_id]
        sentence = next((s for s in analysis.sentences if s.start <= c.start < s.end), None)
        name = speaker = None
        if sentence is not None:
            spans = _named_spans(analysis, _source(ctx, c.article_id))
            name = _nearest_name(c.start, spans, sentence.start, sentence.end)
            at = c.start - sentence.start
            quote = next((q for q in quote_spans(sentence.text) if q[0] <= at < q[1]), None)
            if quote and _self_report(sentence.text, at, c.end - sentence.start, quote[0]):
                continue
            if quote:
                speaker = _speaker(analysis.quotes, sentence.index, quote[2])
        found.append(
            FramingEntry(
                article_id=c.article_id,
                term=c.term,
                refers_to=name or next(iter(c.others_use), ""),
                others_use=c.others_use,
                loaded=loaded,
                signal="both" if loaded else "contrast",
                voice="quoted" if c.quoted else "outlet",
                speaker=speaker,
                start=c.start,
                end=c.end,
            )
        )
    return found


def framing_entries(
    ctx: StoryContext, entities: Sequence[StoryEntity], groups: Sequence[Sequence[int]] = ()
) -> list[FramingEntry]:
    """Every framing entry of the story: titles, loaded descriptions, word families, the
    outlet's minority wordings (`groups`: the story's claims, as indices into `ctx.units`)."""
    entries: list[FramingEntry] = []
    # titles given to the same person
    for ent in entities:
        if ent.type != "PERSON" or len(ent.titles) < 2:
            continue
        heads = {aid: {title_head(t): t for t in titles} for aid, titles in ent.titles.items()}
        for aid, mine in heads.items():
            others = {
                h: t
                for other, theirs in heads.items()
                if ctx.outlet[other] != ctx.outlet[aid]
                for h, t in theirs.items()
            }
            for head, title in mine.items():
                # a title that differs in house style only ("general secretary" / "leader")
                # is not framing: only a loaded one is
                if head in others or not others or not _is_loaded(head):
                    continue
                at = ctx.articles[aid].text.find(title) if aid in ctx.articles else -1
                entries.append(
                    FramingEntry(
                        article_id=aid,
                        term=title,
                        refers_to=ent.name,
                        others_use=sorted(set(others.values())),
                        loaded=True,
                        signal="both",
                        start=at if at >= 0 else None,
                        end=at + len(title) if at >= 0 else None,
                    )
                )
    entries += _loaded_descriptions(ctx, entities, entries)
    # word families ("strikes" / "bombings"), outside quotes: a quote is the speaker's word
    usage: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for aid, analysis in ctx.analyses.items():
        for sentence in analysis.sentences:
            words = {w.lower() for w in WORD.findall(_outside_quotes(sentence.text))}
            for f, family in enumerate(FAMILIES):
                for w in words & family:
                    if w == "regime" and "change" in words:
                        continue  # "regime change" is a set phrase, not a label
                    usage[f][aid].add(w)
    for f, per_article in usage.items():
        neutral = sorted(FAMILIES[f] - set(LOADED))[0]
        for aid, words in per_article.items():
            used = {
                w for a, ws in per_article.items() if ctx.outlet[a] != ctx.outlet[aid] for w in ws
            }
            for w in sorted(words - used - PLAIN_MEMBERS):
                if not used:
                    continue
                entries.append(
                    FramingEntry(
                        article_id=aid,
                        term=w,
                        refers_to=neutral,
                        others_use=sorted(used),
                        loaded=w in LOADED,
                        signal="both" if w in LOADED else "contrast",
                    )
                )
    entries += _contrast_entries(ctx, groups, entries)
    entries += _lexicon_entries(ctx, entries)
    return entries


def _is_loaded(head: str) -> bool:
    return any(bool(loaded_spans(w)) or w in LOADED for w in head.lower().split())
