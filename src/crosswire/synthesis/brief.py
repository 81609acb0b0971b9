"""Synthesis stage: the story told once, as a brief that cites every sentence (its timeline is
`synthesis.timeline`).

The brief is extractive: each sentence is a source sentence (or a sentence built from the
conflict's own values), so it can only say what its sources say. Redundancy is removed with
maximal marginal relevance; loaded words are replaced by the neutral word other outlets use.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from crosswire.compare import LOADED
from crosswire.embed import similarity_matrix
from crosswire.language.times import MONTH_NAMES, WEEKDAY_NAMES
from crosswire.models import (
    Article,
    ArticleAnalysis,
    Claim,
    ClaimSource,
    Conflict,
    Story,
    SummarySentence,
    TimelineEntry,
    TimeMention,
)
from crosswire.options import Options
from crosswire.synthesis.timeline import build_timeline

__all__ = [
    "build_summary",
    "mmr",
    "neutralize",
    "sentence_supported",
    "synthesize",
]


def neutralize(text: str, loaded: Mapping[str, str]) -> str:
    """Replace loaded words by their neutral counterparts, keeping capitalisation."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        neutral = loaded[word.lower()]
        return neutral.capitalize() if word[0].isupper() else neutral

    if not loaded:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in loaded) + r")\b", re.I)
    return pattern.sub(swap, text)


_MMR_POOL = 200
"""MMR looks at the most relevant texts only: a brief never needs the 10,000th claim."""


def mmr(texts: Sequence[str], relevance: Sequence[float], k: int, lam: float) -> list[int]:
    """Indices of up to k texts by maximal marginal relevance (relevant, not redundant)."""
    if not texts or k <= 0:
        return []
    pool = sorted(range(len(texts)), key=lambda i: (-relevance[i], i))[:_MMR_POOL]
    picked = _mmr([texts[i] for i in pool], [relevance[i] for i in pool], k, lam)
    return [pool[i] for i in picked]


def _mmr(texts: Sequence[str], relevance: Sequence[float], k: int, lam: float) -> list[int]:
    sim = similarity_matrix([t.lower().split() for t in texts], texts)
    rel = np.asarray(relevance, dtype=np.float32)
    if rel.max() > 0:
        rel = rel / rel.max()
    chosen: list[int] = []
    candidates = list(range(len(texts)))
    while candidates and len(chosen) < k:

        def score(i: int) -> float:
            redundancy = max((float(sim[i, j]) for j in chosen), default=0.0)
            return lam * float(rel[i]) - (1 - lam) * redundancy

        best = max(candidates, key=lambda i: (score(i), -i))
        if chosen and max(float(sim[best, j]) for j in chosen) > 0.8:
            candidates.remove(best)
            continue
        chosen.append(best)
        candidates.remove(best)
    return chosen


def _names(ids: Sequence[str], articles: Mapping[str, Article]) -> str:
    outlets = sorted({articles[a].source for a in ids if a in articles})
    if len(outlets) <= 1:
        return outlets[0] if outlets else "one outlet"
    return ", ".join(outlets[:-1]) + " and " + outlets[-1]


def _conflict_sentence(
    conflict: Conflict, articles: Mapping[str, Article], with_subject: bool = True
) -> str:
    """Each side of a conflict with the outlets that give it (after the disputed claim's
    wording in the brief, which then says what is disputed: no subject needed)."""
    sides = [
        f"{_names(v.article_ids, articles)} {'say' if len({articles[a].source for a in v.article_ids if a in articles}) > 1 else 'says'} “{v.value}”"
        for v in conflict.values
    ]
    lead = {
        "date": "Outlets date this differently",
        "number": "Outlets give different figures",
        "attribute": f"Outlets describe {conflict.subject} differently",
        "quote": f"Outlets quote {conflict.subject} differently",
        "statement": "Outlets contradict each other",
    }[conflict.kind]
    subject = (
        f" ({conflict.subject})"
        if conflict.kind in ("date", "number") and conflict.subject and with_subject
        else ""
    )
    return f"{lead}{subject}: " + "; ".join(sides) + "."


# --------------------------------------------------------------------------- brief wording

_WORD = re.compile(r"[A-Za-z][\w’'-]*")
# A sentence cut at an abbreviation ("... nomination of Dr .", "at about 7 p .") or an initial.
_CUT_SHORT = re.compile(r"(?:\b[A-Z][a-z]{0,2}|\b[a-z])\s?\.\s*$")
_FIRST_PERSON = re.compile(r"^\W*(?:I|We|My|Our)\b|[“\"]\s*(?:I|We|My|Our)\b")
_REPORTING = re.compile(
    r"\b(?:said|says|told|added|adds|according|announced|wrote|tweeted|stated|explained)\b"
)
_PRONOUN_START = re.compile(r"^(\W*)(He|She|They|His|Her|Their)\b")
"""A sentence opening with a pronoun leans on the one before it in its article, which the
brief does not show ("He emphasized that ..." says nothing of who)."""
_LEANS = re.compile(
    r"^\W*(?:These|This|Those|That|Such)\s+"
    r"(?!(?:week|month|year|morning|afternoon|evening|weekend|time|summer|winter|spring|fall)\b)[a-z]"
)
"""A sentence opening with a demonstrative and a noun ("These operations ...") leans on the
sentence before it ("This week ..." is a date, not a reference back)."""
_MIN_WORDS = 6
_FULL_LENGTH = 20
"""Words (alphabetic) at which a sentence counts as fully informative for the brief."""
_INFORMATIVE_WEIGHT = 0.5
"""Weight of informativeness beside attestation (outlets / the story's most attested claim)."""


_FURNITURE = re.compile(
    r"https?://|www\.|\S@\S|(?:^|\s)@\w|\(?\b\d{3}\)?[ .-]\d{3}-\d{4}\b|"
    r"\b(?:read or share|share this|click here|sign up|subscribe|newsletter|all rights reserved|"
    r"copyright|ad ?block|your browser|staff writer|contributed to this report|"
    r"stay with|for more details|reach (?:him|her|them) at|follow (?:him|her|us)|"
    r"hotline|anyone with information|is asked to call|crime ?stoppers?|"
    r"photo:|buy photo|watch:|video:|related:)",
    re.I,
)


# headline lists of other stories ("Toledo mother grieves ... | Judge sets bond ... | ..."),
# "Related Coverage" boxes and hashtags are the page around the story, not the story
_PAGE = re.compile(r"\s\|\s.*\s\|\s|\brelated coverage\b|(?<![\w&])#[A-Za-z]", re.I)
# A dateline or station tag opening a report ("WATERBURY, Conn. (WTNH) — ", "– Overland
# Police say"): the brief's reader needs the sentence, not where the wire filed it from.
_DATELINE = re.compile(
    r"^\W*?(?:[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][A-Za-z.]*\.?(?:\s[A-Z][a-z]+\.?)?)?\s*"
    r"(?:\([^()\n]{1,40}\))?\s*)?(?:[—–]+|--|(?<=\s)-(?=\s))\s*(?=[A-Z0-9“\"])"
)


# A connective opening a sentence points at the one before it in its article, which the brief
# does not show ("In response, the government revoked ..."): the brief states the fact alone.
_CONNECTIVE = re.compile(
    r"^(?:In response|However|Meanwhile|Moreover|Furthermore|In addition|Additionally|Also|"
    r"Still|Nevertheless|As a result|In turn),\s+(?=\w)"
)


def _standalone(text: str) -> str:
    """`text` as it stands alone in the brief: no opening dateline, station tag or connective."""
    text = _CONNECTIVE.sub("", _DATELINE.sub("", text, count=1), count=1)
    return text[:1].upper() + text[1:]


def _restates(a: str, b: str) -> bool:
    """Whether two sentences say the same in nearly the same words (word-set Jaccard)."""
    wa, wb = set(_squash(a).split()), set(_squash(b).split())
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= _RESTATED


_RESTATED = 0.8


def _contained(a: str, b: str) -> bool:
    """Whether `b` already says all `a` says but its date: every content word of `a` but
    numbers and calendar words is `b`'s. Outlets word one fact differently, so two claims of
    the comparison can tell it twice; one other word ("bridge" for "harbour") is another fact."""
    words = {
        w
        for w in _squash(a).split()
        if w not in ENGLISH_STOP_WORDS and not w.isdigit() and w not in _CALENDAR
    }
    return len(words) >= _CONTAINED_MIN and words <= set(_squash(b).split())


_CALENDAR = MONTH_NAMES | WEEKDAY_NAMES | {
    "morning", "afternoon", "evening", "night", "today", "yesterday",
}  # fmt: skip


_CONTAINED_MIN = 4
_CLOSING = " \"'”’»)]"


def _furniture(text: str) -> bool:
    """Page furniture, not news: links, handles, phone numbers, share/subscribe prompts,
    bylines, appeals for tips. Several outlets (or one outlet's pages) share it, so without
    this it would pass as corroborated."""
    return bool(_FURNITURE.search(text) or _PAGE.search(text))


def _complete(text: str) -> bool:
    """Whether a sentence reads on its own in a brief: not a fragment cut at an abbreviation,
    not a dateline or byline (mostly figures), not an unattributed first-person quote, not
    page furniture."""
    if _furniture(text) or _PRONOUN_START.match(text) or _LEANS.match(text):
        return False
    if not text.rstrip(_CLOSING).endswith((".", "!", "?", "…")):
        return False  # a headline or a caption ("Pentagon confirms bombings, leaving 82 dead")
    words = _WORD.findall(text)
    tokens = [t for t in text.split() if any(c.isalnum() for c in t)]
    if len(words) < _MIN_WORDS or _CUT_SHORT.search(text) or len(words) < 0.6 * len(tokens):
        return False
    return not (_FIRST_PERSON.search(text) and not _REPORTING.search(text))


def _wording(claim: Claim) -> str:
    """The claim as the brief shows it: its own wording when that reads on its own, else the
    earliest complete sentence among the outlets' versions of it (same claim, same citations)."""
    if _complete(claim.text):
        return claim.text
    full = [s for s in claim.sources if _complete(s.sentence)]
    if not full:
        return claim.text
    return min(full, key=lambda s: (s.sentence_index, s.article_id)).sentence


def _named_subject(claim: Claim, text: str) -> str | None:
    """`text` with an opening pronoun replaced by the person the claim is attributed to (the
    language stage resolved it: "He emphasized" -> "Nicolás Maduro emphasized"); None when it
    opens with a pronoun nobody was resolved for: it cannot stand in a brief."""
    m = _PRONOUN_START.match(text)
    if m is None:
        return text
    if not claim.attributed_to or m.group(2) == "They":
        return None
    name = claim.attributed_to
    if m.group(2) in ("His", "Her", "Their"):
        name += "’s"
    return f"{m.group(1)}{name}{text[m.end() :]}"


def _informative(text: str) -> float:
    # a headline fragment ("Regina Benjamin to be US Surgeon General") says less than a
    # sentence with who, what, where and when, however many outlets share it
    return min(1.0, len(_WORD.findall(text)) / _FULL_LENGTH)


_FIGURE = re.compile(r"\d")
_ACCUSATION = re.compile(
    r"\b(?:accus\w*|alleg\w*|charg\w*|blam\w*|deni\w*|den(?:y|ies)|arrest\w*|killed|dead|"
    r"died|injur\w*|wound\w*|kill\w*|deport\w*|threat\w*)\b",
    re.I,
)
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_RELATIVE_DAY = re.compile(r"^(?:yesterday|today|tonight|this morning|last night)$", re.I)
_LAST_MONTH = re.compile(r"\blast month\b", re.I)
# "about 10 days ago", "two weeks ago": a day the reader can only place against the date of
# the article; "last week": a week.
_AGO = re.compile(r"^(?:about |some |nearly |almost |roughly )?\S+ (?:days?|weeks?) ago$", re.I)
_LAST_WEEK = re.compile(r"^last week$", re.I)


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B}"


_PART_OF_DAY = re.compile(r"\s+(?:night|morning|afternoon|evening)\b")
_MONTHS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)


def _dated(text: str, times: Sequence[TimeMention], written: set[dt.date]) -> str:
    """The wording with relative dates written as dates ("Wednesday" -> "Wednesday 19
    November", "Tuesday night" -> "Tuesday night (10 March)", "yesterday" -> "on 19
    November", "last month" -> "in October", "about 10 days ago" -> "around 21 November", "last
    week" -> "in the week of 24 November"), from the time expressions the article's own
    sentence resolves against its publication date; a sentence that already names a month
    is left as written (it gives its dates itself), and so is a quote. `written`: the dates
    the brief has written out already (once is enough), updated."""
    if _MONTHS.search(text):
        return text
    for t in times:
        if not t.relative or t.text not in text or t.earliest in written:
            continue
        before = text[: text.index(t.text)]
        if before.count("“") > before.count("”") or before.count('"') % 2:
            continue  # a quote stays as spoken
        ago = t.precision == "day" and _AGO.match(t.text.strip())
        last_week = t.precision == "week" and _LAST_WEEK.match(t.text.strip())
        if t.approximate and not (ago or last_week):
            continue  # "around the weekend": no date the brief could write
        written.add(t.earliest)
        if ago:
            middle = t.earliest + (t.latest - t.earliest) / 2
            text = text.replace(t.text, f"around {_day(middle)}", 1)
        elif last_week:
            text = text.replace(t.text, f"in the week of {_day(t.earliest)}", 1)
        elif t.precision == "day":
            weekday = _WEEKDAY.search(t.text)
            at = text.index(t.text) + len(t.text)
            part = _PART_OF_DAY.match(text, at)
            if weekday and (part or _PART_OF_DAY.search(t.text)):
                end = part.end() if part else at
                text = f"{text[:end]} ({_day(t.earliest)}){text[end:]}"
            elif weekday:
                text = text.replace(t.text, f"{t.text} {_day(t.earliest)}", 1)
            elif _RELATIVE_DAY.match(t.text.strip()):
                text = text.replace(t.text, f"on {_day(t.earliest)}", 1)
        elif t.precision == "month" and _LAST_MONTH.search(t.text):
            text = text.replace(t.text, _LAST_MONTH.sub(f"in {t.earliest:%B}", t.text), 1)
    return text


class _Facts:
    """What the brief needs to know about claims: their conflicts (own or by evidence), and
    whether they state a date, a place or a figure."""

    def __init__(self, story: Story, analyses: Mapping[str, ArticleAnalysis]) -> None:
        self.analyses = analyses
        self.written: set[dt.date] = set()
        self.evidence: dict[str, set[tuple[str, str]]] = {
            c.id: {
                (a, e) for v in c.values for a, e in zip(v.article_ids, v.evidence, strict=False)
            }
            for c in story.conflicts
        }

    def ties(self, claim: Claim, conflict_id: str) -> bool:
        """Whether the claim is one the conflict is about (its id, or its evidence sentence)."""
        if conflict_id in claim.conflict_ids:
            return True
        ev = self.evidence.get(conflict_id, set())
        return any((s.article_id, s.sentence) in ev for s in claim.sources)

    def times(self, claim: Claim) -> list[TimeMention]:
        return [
            t
            for s in claim.sources
            if s.article_id in self.analyses
            for t in self.analyses[s.article_id].times
            if t.sentence == s.sentence_index
        ]

    def dated(self, claim: Claim, text: str) -> str:
        source = next((s for s in claim.sources if s.sentence == text), None)
        if source is None or source.article_id not in self.analyses:
            return text
        times = [
            t for t in self.analyses[source.article_id].times if t.sentence == source.sentence_index
        ]
        return _dated(text, times, self.written)

    def counts(self, claim: Claim) -> bool:
        """Whether the claim counts something ("eight international airlines", "266
        deportees"): a quantity the language stage read with what it counts."""
        return any(
            n.unit and n.sentence == s.sentence_index
            for s in claim.sources
            if s.article_id in self.analyses
            for n in self.analyses[s.article_id].numbers
        )

    def event_like(self, claim: Claim) -> float:
        """1 for a claim stating when and where, 0.5 for either: what a lead says."""
        when = bool(self.times(claim))
        where = False
        for s in claim.sources:
            analysis = self.analyses.get(s.article_id)
            if analysis is None:
                continue
            where = where or any(
                e.type in _PLACE_TYPES and any(m.sentence == s.sentence_index for m in e.mentions)
                for e in analysis.entities
            )
        return 0.5 * when + 0.5 * where


def _citing(claims: Sequence[Claim]) -> tuple[list[str], list[ClaimSource]]:
    sources = [s for c in claims for s in c.sources]
    return sorted({s.article_id for s in sources}), sources


_LEAD_WEIGHT = 0.0
"""Bonus of a claim that says when and where (the event) when choosing the brief's lead."""
_FIGURE_WEIGHT = 0.3
"""Bonus of a claim stating a figure: after the event, figures are what a reader needs."""


def _stated_sides(conflict: Conflict, stated: set[tuple[str, str]]) -> Conflict:
    """The conflict with only the sides, and the wordings of a side, that the given source
    sentences (article id, sentence) state."""
    values = []
    for v in conflict.values:
        said = [e for a, e in zip(v.article_ids, v.evidence, strict=False) if (a, e) in stated]
        parts = [p for p in v.value.split("; ") if any(_squash(p) in _squash(e) for e in said)]
        if said and parts:
            values.append(v.model_copy(update={"value": "; ".join(parts)}))
    return conflict.model_copy(update={"values": values})


def build_summary(
    story: Story,
    articles: Mapping[str, Article],
    timeline: Sequence[TimelineEntry],
    options: Options,
    analyses: Mapping[str, ArticleAnalysis] | None = None,
) -> list[SummarySentence]:
    """The brief, built from the comparison: every sentence names the claims it rests on and
    cites exactly their source articles. Established: claims two or more outlets state that
    no conflict touches, the event (most shared, with a date or place) first, then figures;
    disputed: each conflict with every side and its outlets; single source: one-outlet claims,
    figures and accusations before colour. `timeline` is kept for callers; the report shows the
    timeline in its own section."""
    del timeline
    facts = _Facts(story, analyses or {})
    loaded = {
        e.term.split()[0].lower(): LOADED[e.term.split()[0].lower()]
        for e in story.framing
        if e.loaded and e.term.split()[0].lower() in LOADED
    }
    loaded.update(
        {
            w: n
            for w, n in LOADED.items()
            if any(f.loaded and f.term.lower() == w for f in story.framing)
        }
    )
    budget = max(1, options.summary_sentences)
    out: list[SummarySentence] = []

    def add(
        text: str, claims: Sequence[Claim], section: str, conflicts: Sequence[str] = ()
    ) -> None:
        ids, sources = _citing(claims)
        out.append(
            SummarySentence(
                text=neutralize(_standalone(text), loaded),
                article_ids=ids,
                section=section,
                claim_ids=[c.id for c in claims],
                conflict_ids=list(conflicts),
                sources=sources,
            )
        )

    established = [
        c
        for c in story.claims
        if c.status in ("consensus", "corroborated") and c.outlets >= 2 and not c.conflict_ids
    ]
    named = [_named_subject(c, _wording(c)) for c in established]
    keep = [i for i, text in enumerate(named) if text is not None and not _furniture(text)]
    established = [established[i] for i in keep]
    wording = [named[i] or "" for i in keep]
    top = max((c.outlets for c in story.claims), default=1)
    event = [facts.event_like(c) for c in established]
    figure = [bool(_FIGURE.search(t)) for t in wording]
    relevance = [
        c.outlets / top
        + (0.1 if c.status == "consensus" else 0.0)
        + _INFORMATIVE_WEIGHT * _informative(text)
        + _LEAD_WEIGHT * e
        for c, text, e in zip(established, wording, event, strict=True)
    ]
    picked = mmr(wording, relevance, k=max(1, budget - budget // 3), lam=options.mmr_lambda)
    if picked:
        # the lead is the event: the most shared claim, the one saying when and where among
        # equals; then by how many outlets share them, and among equals the event (when,
        # where) before figures, figures before the rest (a figure weighed in choosing them
        # scored no better on the dev split)
        lead = max(picked, key=lambda i: (established[i].outlets, relevance[i], -i))
        rest = sorted(
            (i for i in picked if i != lead),
            key=lambda i: (-established[i].outlets, -event[i], not figure[i], -relevance[i], i),
        )
        said: list[str] = []
        for i in [lead, *rest]:
            if any(_contained(wording[i], t) for t in said):
                continue  # "Three bodies were found in a home" after a sentence saying so
            said.append(wording[i])
            add(facts.dated(established[i], wording[i]), [established[i]], "established")

    # disputes: the conflicts over the most shared claims first; conflicts over one claim
    # (its date, a title in it) share one sentence that states the claim once
    kinds = {"date": 0, "number": 1, "statement": 2, "quote": 3, "attribute": 4}
    by_core: dict[str, tuple[Claim, list[Conflict], list[Claim]]] = {}
    for conflict in sorted(story.conflicts, key=lambda c: (kinds[c.kind], c.id)):
        tied = [c for c in story.claims if facts.ties(c, conflict.id)]
        if not tied:
            continue
        core = max(tied, key=lambda c: (conflict.id in c.conflict_ids, c.outlets))
        _, grouped, claims = by_core.setdefault(core.id, (core, [], []))
        grouped.append(conflict)
        claims.extend(c for c in tied if c not in claims)
    used = {c for s in out for c in s.claim_ids}
    disputes = len(out)
    for core, all_grouped, claims in sorted(by_core.values(), key=lambda g: -g[0].outlets):
        # a side is shown when a claim of the comparison states it (the brief cites claims
        # only); a conflict left with one side is no dispute the brief can show
        stated = {(x.article_id, x.sentence) for c in claims for x in c.sources}
        grouped = [g for g in (_stated_sides(c, stated) for c in all_grouped) if len(g.values) >= 2]
        if not grouped:
            continue
        claims = [c for c in claims if any(facts.ties(c, g.id) for g in grouped)]
        if core.id in used:
            # the claim is already told above: the dispute says what it is about itself
            text = " ".join(_conflict_sentence(c, articles) for c in grouped)
        else:
            sides = " ".join(_conflict_sentence(c, articles, with_subject=False) for c in grouped)
            text = f"{facts.dated(core, _wording(core)).rstrip()} {sides}"
        add(text, claims, "disputed", [c.id for c in grouped])
    if len(out) > disputes and max(
        (c.outlets for c in story.claims if c.id in out[disputes].claim_ids), default=0
    ) >= max((c.outlets for c in established), default=0):
        # the story's most shared claim is disputed (its date, its figure): it is the event,
        # so the brief opens with the disputes
        out[:] = out[disputes:] + out[:disputes]

    singles = [
        c
        for c in story.claims
        if c.status == "single_source" and c.outlets == 1 and not c.conflict_ids
    ]
    # a sentence right after a picked one in its article that leans on it ("These operations
    # have left at least 82 people dead.") goes with it: alone it says nothing of what
    following = {
        (c.sources[0].article_id, c.sources[0].sentence_index): c
        for c in singles
        if len(c.sources) == 1 and _LEANS.match(c.text)
    }
    singles = [c for c in singles if _complete(c.text)] or [
        c for c in singles if _named_subject(c, c.text) is not None and not _furniture(c.text)
    ]

    def salience(c: Claim) -> float:
        # a figure or an accusation resting on one outlet changes the picture more than a
        # colourful detail; names and attributed statements next
        return (
            (1.5 if _FIGURE.search(c.text) or facts.counts(c) else 0.0)
            + (1.0 if _ACCUSATION.search(c.text) else 0.0)
            + min(1.0, sum(w[:1].isupper() for w in c.text.split()[1:]) * 0.2)
            + (0.5 if c.attributed_to else 0.0)
            - (1.0 if _FIRST_PERSON.search(c.text) else 0.0)
        )

    picked = mmr(
        [c.text for c in singles],
        [salience(c) + 1.0 for c in singles],
        # a third of the brief, or what the shared claims left of it unused
        k=max(1, budget // 3, budget - len(out)),
        lam=options.mmr_lambda,
    )
    told = {singles[i].id for i in picked}
    for i in sorted(picked, key=lambda i: (-salience(singles[i]), i)):
        claim = singles[i]
        if any(_restates(claim.text, s.text) for s in out):
            # one outlet's copy of a sentence the brief already tells from others: the
            # comparison left it apart, the reader must not read it twice
            continue
        aid = claim.sources[0].article_id
        source = articles[aid].source if aid in articles else aid
        # a sentence opening "He ..." is told with the name the language stage resolved
        text = facts.dated(claim, claim.text)
        text, parts = _named_subject(claim, text) or text, [claim]
        after = following.get((aid, claim.sources[0].sentence_index + 1))
        if len(claim.sources) == 1 and after is not None and after.id not in told:
            text, parts = f"{text.rstrip()} {facts.dated(after, after.text)}", [claim, after]
            told.add(after.id)
        add(f"Only {source} reports: {_standalone(text)}", parts, "single_source")
    return out


def synthesize(
    story: Story,
    articles: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
) -> Story:
    timeline = build_timeline(story, analyses, {a: articles[a].published for a in articles})
    summary = build_summary(story, articles, timeline, options, analyses)
    if options.llm_url:
        from crosswire.synthesis.llm import rewrite_brief

        # every sentence of the articles a brief sentence cites is evidence it may draw on
        cited = {
            i: [
                s.text for a in sentence.article_ids if a in analyses for s in analyses[a].sentences
            ]
            for i, sentence in enumerate(summary)
        }
        summary, _ = rewrite_brief(summary, cited, options.llm_url, options.llm_model)
    return story.model_copy(update={"timeline": timeline, "summary": summary})


_QUOTED = re.compile(r"“([^”]+)”")
_RESOLVED = re.compile(
    r"\b(?:on |in )?(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b"
)
_ONLY = re.compile(r"^Only .+? reports: ")
_WHEN = re.compile(r"^\d{4}-\d{2}-\d{2}(?: – \d{4}-\d{2}-\d{2})?: ")


def _squash(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def sentence_supported(sentence: SummarySentence, analyses: Mapping[str, ArticleAnalysis]) -> bool:
    """Whether the articles a brief sentence cites support it, by the rule of its section.

    Extractive sentences (established, single source) must pass `llm.supported` against the
    cited articles; a disputed sentence is built from the conflict's values, so each value it
    quotes must be written in a cited article; a timeline sentence's event must be a cited
    article's words. Loaded words replaced by neutral ones are compared as the source wrote
    them would not match, so neutralised words are accepted in either form.
    """
    from crosswire.synthesis.llm import supported

    cited = [s.text for a in sentence.article_ids if a in analyses for s in analyses[a].sentences]
    if not cited:
        return False
    corpus = _squash(" ".join(cited))
    for loaded, neutral in LOADED.items():
        corpus = re.sub(rf"\b{re.escape(loaded)}\b", neutral, corpus)
    if sentence.section == "disputed":
        values = _QUOTED.findall(sentence.text)
        return bool(values) and all(
            _squash(part) in corpus for v in values for part in v.split("; ") if _squash(part)
        )
    if sentence.section == "timeline":
        event = _WHEN.sub("", sentence.text).rstrip(".")
        return bool(_squash(event)) and _squash(event) in corpus
    # dates the brief wrote out from the article's own relative expressions ("Wednesday" ->
    # "Wednesday 19 November") are not words of the article: checked as the article wrote them
    text = _RESOLVED.sub("", _ONLY.sub("", sentence.text))
    return supported(text, cited) or _squash(text) in corpus
