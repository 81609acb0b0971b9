"""Synthesis stage: the story told once, as a timeline and a brief that cites every sentence.

The brief is extractive: each sentence is a source sentence (or a sentence built from the
conflict's own values), so it can only say what its sources say. Redundancy is removed with
maximal marginal relevance; loaded words are replaced by the neutral word other outlets use.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from crosswire.compare import LOADED
from crosswire.embed import similarity_matrix
from crosswire.models import (
    Article,
    ArticleAnalysis,
    Claim,
    Conflict,
    Story,
    SummarySentence,
    TimelineEntry,
    TimeMention,
)
from crosswire.options import Options

__all__ = [
    "build_summary",
    "build_timeline",
    "mmr",
    "neutralize",
    "sentence_supported",
    "synthesize",
]

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def build_timeline(story: Story, analyses: Mapping[str, ArticleAnalysis]) -> list[TimelineEntry]:
    """Dated events, one entry per event; outlets that date it differently share the entry."""
    claim_of = {(s.article_id, s.sentence_index): c.id for c in story.claims for s in c.sources}
    conflict_of: dict[tuple[str, str], str] = {}
    for conflict in story.conflicts:
        if conflict.kind == "date":
            for value in conflict.values:
                for aid, sentence in zip(value.article_ids, value.evidence, strict=False):
                    conflict_of[(aid, sentence)] = conflict.id
    groups: dict[str, list[tuple[str, TimeMention]]] = defaultdict(list)
    for aid in story.article_ids:
        analysis = analyses.get(aid)
        if analysis is None:
            continue
        for t in analysis.times:
            text = (
                analysis.sentences[t.sentence].text if t.sentence < len(analysis.sentences) else ""
            )
            key = conflict_of.get((aid, text)) or claim_of.get(
                (aid, t.sentence), f"{aid}:{t.sentence}"
            )
            groups[f"{key}|{t.value if key not in conflict_of.values() else ''}"].append((aid, t))
    entries = []
    for key, mentions in groups.items():
        conflict_id = key.split("|", 1)[0] if key.split("|", 1)[0] in conflict_of.values() else None
        counts = Counter(t.value for _, t in mentions)
        # date the entry by its most exact mention (an explicit day beats "last week"), then
        # by how many mentions agree with it
        first = min(
            (t for _, t in mentions),
            key=lambda t: (
                t.relative,
                t.approximate,
                _PRECISION_RANK[t.precision],
                -counts[t.value],
            ),
        )
        main = [t for _, t in mentions if t.value == first.value]
        earliest = min(t.earliest for _, t in mentions)
        latest = max(t.latest for _, t in mentions)
        event = next((t.event for t in main if t.event), "") or first.text
        note = ""
        if len(counts) > 1:
            note = "Outlets date this differently: " + "; ".join(
                f"{v} ({', '.join(sorted({a for a, t in mentions if t.value == v}))})"
                for v in counts
            )
        entries.append(
            TimelineEntry(
                date=first.earliest
                if first.precision != "day"
                else first.earliest + (first.latest - first.earliest) / 2,
                earliest=earliest,
                latest=latest,
                precision=first.precision,
                event=event,
                article_ids=sorted({a for a, _ in mentions}),
                conflict_ids=[conflict_id] if conflict_id else [],
                note=note,
            )
        )
    entries.sort(key=lambda e: (e.date, e.earliest, e.event))
    return entries


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


def _conflict_sentence(conflict: Conflict, articles: Mapping[str, Article]) -> str:
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
        f" ({conflict.subject})" if conflict.kind in ("date", "number") and conflict.subject else ""
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
_MIN_WORDS = 6
_FULL_LENGTH = 20
"""Words (alphabetic) at which a sentence counts as fully informative for the brief."""
_INFORMATIVE_WEIGHT = 0.5
"""Weight of informativeness beside attestation (outlets / the story's most attested claim)."""


def _complete(text: str) -> bool:
    """Whether a sentence reads on its own in a brief: not a fragment cut at an abbreviation,
    not a dateline or byline (mostly figures), not an unattributed first-person quote."""
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


def _informative(text: str) -> float:
    # a headline fragment ("Regina Benjamin to be US Surgeon General") says less than a
    # sentence with who, what, where and when, however many outlets share it
    return min(1.0, len(_WORD.findall(text)) / _FULL_LENGTH)


def build_summary(
    story: Story,
    articles: Mapping[str, Article],
    timeline: Sequence[TimelineEntry],
    options: Options,
) -> list[SummarySentence]:
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

    def add(text: str, ids: Sequence[str], section: str) -> None:
        out.append(
            SummarySentence(
                text=neutralize(text, loaded), article_ids=sorted(set(ids)), section=section
            )
        )

    # A disputed claim most outlets make is still the story's core ("Maduro confirmed the
    # call"); the disputed section right below says which detail of it is contested.
    established = [
        c
        for c in story.claims
        if c.status in ("consensus", "corroborated") or (c.status == "disputed" and c.outlets >= 2)
    ]
    wording = [_wording(c) for c in established]
    top = max((c.outlets for c in established), default=1)
    # What several outlets agree on is the core of the brief: it gets most of the budget, the
    # single-source section the rest (budget // 3).
    picked = mmr(
        wording,
        [
            c.outlets / top
            + (0.1 if c.status == "consensus" else 0.0)
            + _INFORMATIVE_WEIGHT * _informative(text)
            for c, text in zip(established, wording, strict=True)
        ],
        k=max(1, budget - budget // 3),
        lam=options.mmr_lambda,
    )
    for i in sorted(picked, key=lambda i: (-established[i].outlets, i)):
        claim = established[i]
        add(wording[i], [s.article_id for s in claim.sources], "established")
    for conflict in story.conflicts:
        add(
            _conflict_sentence(conflict, articles),
            [a for v in conflict.values for a in v.article_ids],
            "disputed",
        )
    singles = [c for c in story.claims if c.status == "single_source"]
    singles = [c for c in singles if _complete(c.text)] or singles

    def salience(c: Claim) -> float:
        # facts with figures, names or quotes are what a reader checks first
        return (
            sum(ch.isdigit() for ch in c.text) * 0.2
            + sum(w[:1].isupper() for w in c.text.split()[1:]) * 0.3
            + (1.0 if c.attributed_to else 0.0)
        )

    picked = mmr(
        [c.text for c in singles],
        [salience(c) + 0.1 for c in singles],
        k=max(1, budget // 3),
        lam=options.mmr_lambda,
    )
    for i in picked:
        claim = singles[i]
        aid = claim.sources[0].article_id
        source = articles[aid].source if aid in articles else aid
        add(f"Only {source} reports: {claim.text}", [aid], "single_source")
    # the brief's timeline keeps the best-attested, most precise events, told in date order
    ranked = sorted(
        timeline, key=lambda e: (-len(e.article_ids), _PRECISION_RANK[e.precision], e.date)
    )[: max(1, budget // 2)]
    for entry in sorted(ranked, key=lambda e: (e.date, e.event)):
        when = (
            entry.date.isoformat()
            if entry.precision == "day"
            else f"{entry.earliest.isoformat()} – {entry.latest.isoformat()}"
        )
        add(f"{when}: {entry.event}.".replace("..", "."), entry.article_ids, "timeline")
    return out


def synthesize(
    story: Story,
    articles: Mapping[str, Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options,
) -> Story:
    timeline = build_timeline(story, analyses)
    summary = build_summary(story, articles, timeline, options)
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
    text = _ONLY.sub("", sentence.text)
    return supported(text, cited) or _squash(text) in corpus
