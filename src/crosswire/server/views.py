"""What the story, outlet and article pages show, worked out from a story, its articles and
their analyses: cited brief sentences, the claim matrix, conflicts with evidence, framing by
outlet, one outlet's part in each story, and an article's text cut at its sentences (so a
citation can open the very sentence)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as url_quote

from rapidfuzz import fuzz

from crosswire.models import (
    Article,
    ArticleAnalysis,
    Claim,
    Conflict,
    FramingEntry,
    Story,
    TimelineEntry,
)
from crosswire.report import brief_sections, claim_stances


@dataclass(frozen=True)
class CiteLink:
    article_id: str
    label: str
    title: str
    href: str


@dataclass
class ConflictView:
    conflict: Conflict
    anchor: str
    values: list[tuple[str, list[tuple[CiteLink, str]]]]  # value, [(cite, evidence)]


@dataclass
class OutletStory:
    """One outlet's part in one story: its articles there, the claims it made (with the
    sentence that says so), those no other outlet made, the sides it took in conflicts, and
    the words it chose where others chose other ones."""

    story: Story
    articles: list[Article]
    claims: list[tuple[Claim, CiteLink]]
    alone: list[tuple[Claim, CiteLink]]
    sides: list[tuple[Conflict, str, str]]  # conflict, the value it gave, the conflict's anchor
    framing: list[FramingEntry]


class Views:
    """What the story and article pages need, from the story, its articles and analyses."""

    def __init__(self, story: Story, articles: dict[str, Article], analyses: dict[str, Any]):
        self.story = story
        self.articles = articles
        self.analyses: dict[str, ArticleAnalysis] = analyses

    def outlet(self, aid: str) -> str:
        art = self.articles.get(aid)
        return art.source if art else aid

    def sentence_index(self, aid: str, text: str, hint: int = -1) -> int | None:
        """Which sentence of the article `text` is: the hint when it fits, else an exact or
        containing match, else the closest by fuzzy ratio (the brief may neutralise words)."""
        analysis = self.analyses.get(aid)
        if analysis is None or not analysis.sentences:
            return None
        sentences = analysis.sentences
        wanted = text.strip()
        if 0 <= hint < len(sentences) and sentences[hint].text.strip() == wanted:
            return hint
        for s in sentences:
            if s.text.strip() == wanted:
                return s.index
        for s in sentences:
            if wanted and (wanted in s.text or s.text.strip() in wanted):
                return s.index
        best = max(sentences, key=lambda s: fuzz.ratio(s.text, wanted))
        return best.index if fuzz.ratio(best.text, wanted) >= 50 else None

    def cite(self, aid: str, text: str | None = None, hint: int = -1) -> CiteLink:
        art = self.articles.get(aid)
        label = self.outlet(aid)
        title = f"{art.source}: {art.title}" if art and art.title else label
        href = f"/articles/{quote(aid)}"
        if text is not None:
            index = self.sentence_index(aid, text, hint)
            if index is not None:
                href += f"?s={index}#s{index}"
        return CiteLink(aid, label, title, href)

    def _brief_source(self, aid: str, text: str) -> tuple[str, int]:
        """The sentence of article `aid` behind a brief sentence: the brief picks one outlet's
        wording of a claim (or describes a conflict), so the claim's (or the conflict's)
        sentence from `aid` is the one to open; the brief's own text is the fallback."""
        wanted = text.strip()
        for claim in self.story.claims:
            if any(
                src.sentence.strip() == wanted or fuzz.ratio(src.sentence, wanted) >= 85
                for src in claim.sources
            ):
                for src in claim.sources:
                    if src.article_id == aid:
                        return src.sentence, src.sentence_index
        for conflict in self.story.conflicts:
            if conflict.values and all(v.value in wanted for v in conflict.values):
                for v in conflict.values:
                    if aid in v.article_ids:
                        said = next((e for e in v.evidence if self._in_article(aid, e)), "")
                        if said:
                            return said, -1
        return wanted, -1

    def brief(self) -> list[tuple[str, list[tuple[str, list[CiteLink]]]]]:
        return [
            (
                label,
                [
                    (
                        s.text,
                        [self.cite(aid, *self._brief_source(aid, s.text)) for aid in s.article_ids],
                    )
                    for s in sentences
                ],
            )
            for _, label, sentences in brief_sections(self.story)
        ]

    def matrix(self) -> list[tuple[Claim, list[tuple[str, str, str]]]]:
        """Per claim, per article: (mark, href, title); mark is supports/disputes/silent."""
        rows = []
        for claim in self.story.claims:
            supporting = {s.article_id: s for s in claim.sources}
            stances = claim_stances(self.story, claim)
            cells = []
            for aid in self.story.article_ids:
                mark, against = stances[aid]
                if mark == "supports":
                    src = supporting[aid]
                    link = self.cite(aid, src.sentence, src.sentence_index)
                    cells.append(("supports", link.href, f"{self.outlet(aid)} says so"))
                elif against is not None:
                    cells.append(
                        (
                            "disputes",
                            f"#conflict-{slug(against.id)}",
                            f"{self.outlet(aid)} disagrees ({against.subject})",
                        )
                    )
                else:
                    cells.append(("silent", "", f"{self.outlet(aid)} does not say"))
            rows.append((claim, cells))
        return rows

    def conflicts(self) -> list[ConflictView]:
        views = []
        for c in self.story.conflicts:
            values = []
            for v in c.values:
                evidence = []
                for aid in v.article_ids:
                    said = next((e for e in v.evidence if self._in_article(aid, e)), "")
                    evidence.append((self.cite(aid, said or None), said))
                values.append((v.value, evidence))
            views.append(ConflictView(c, f"conflict-{slug(c.id)}", values))
        return views

    def _in_article(self, aid: str, text: str) -> bool:
        art = self.articles.get(aid)
        return bool(art and text.strip() and text.strip() in art.text)

    def framing(self) -> list[tuple[str, list[Any]]]:
        by_outlet: dict[str, list[Any]] = {}
        for f in self.story.framing:
            by_outlet.setdefault(self.outlet(f.article_id), []).append(f)
        return sorted(by_outlet.items())

    def timeline_cites(self, entry: TimelineEntry) -> list[CiteLink]:
        if entry.sources:
            return [self.cite(s.article_id, s.sentence, s.sentence_index) for s in entry.sources]
        return [self.cite(aid, entry.event) for aid in entry.article_ids]

    def outlet_href(self, aid: str) -> str:
        return outlet_href(self.outlet(aid))

    def outlet_part(self, outlet: str) -> OutletStory:
        """What `outlet` (a source name) reported in this story, and what it alone did."""
        own = [aid for aid in self.story.article_ids if self.outlet(aid) == outlet]
        mine = set(own)
        claims, alone = [], []
        for claim in self.story.claims:
            source = next((src for src in claim.sources if src.article_id in mine), None)
            if source is None:
                continue
            link = self.cite(source.article_id, source.sentence, source.sentence_index)
            claims.append((claim, link))
            # Alone: every source is this outlet's (its own copies do not make a second one).
            if all(src.article_id in mine for src in claim.sources):
                alone.append((claim, link))
        sides = [
            (c, v.value, f"conflict-{slug(c.id)}")
            for c in self.story.conflicts
            for v in c.values
            if mine & set(v.article_ids)
        ]
        framing = [f for f in self.story.framing if f.article_id in mine]
        articles = [self.articles[aid] for aid in own if aid in self.articles]
        return OutletStory(self.story, articles, claims, alone, sides, framing)


def slug(text: str) -> str:
    """The text as an HTML anchor (ids with other characters would need escaping)."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)


def quote(text: str) -> str:
    """The text as one URL path segment."""
    return url_quote(text, safe="")


def outlet_href(name: str) -> str:
    """The outlet page of the outlet `name`."""
    return f"/outlets/{quote(name)}"


def article_segments(article: Article, analysis: ArticleAnalysis | None) -> list[tuple[str, int]]:
    """The article text cut at its sentences: (text, sentence index or -1 between them)."""
    if analysis is None or not analysis.sentences:
        return [(article.text, -1)]
    out: list[tuple[str, int]] = []
    pos = 0
    text = article.text
    for s in sorted(analysis.sentences, key=lambda s: s.start):
        if s.start < pos or s.end > len(text) or text[s.start : s.end] != s.text:
            continue  # offsets that do not fit this text (another version): leave it plain
        if s.start > pos:
            out.append((text[pos : s.start], -1))
        out.append((text[s.start : s.end], s.index))
        pos = s.end
    if pos < len(text):
        out.append((text[pos:], -1))
    return out
