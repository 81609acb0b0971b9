"""Every typed model that flows through the pipeline, in the order the stages make them.

    ingest  -> Article (raw text)          clean     -> Article (text cleaned, furniture listed)
    language-> ArticleAnalysis            stories   -> StoryGroup
    compare -> Claim, QuoteGroup, Conflict, FramingEntry; OutletProfile (across stories)
    synthesis -> TimelineEntry, SummarySentence
    report  -> Report (the `report.json` contract, schema_version 1)

Field names of the report models are a public contract: add fields, never rename.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

SCHEMA_VERSION = 1

Precision = Literal["day", "week", "month", "year"]
TimelinePrecision = Literal["day", "week", "month", "year", "before_publication"]
"""A timeline entry's uncertainty: a time expression's, or "before_publication" where the
text gives no date and the event is only known to have happened by the time it was reported."""
ClaimStatus = Literal["consensus", "corroborated", "single_source", "disputed"]
ConflictKind = Literal["date", "number", "attribute", "quote", "statement"]
Bound = Literal["exact", "about", "at_least", "at_most", "more_than", "less_than"]
QuoteKind = Literal["direct", "indirect", "partial"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- ingest / clean


class Article(_Model):
    """One article as read from its input, then with its text cleaned."""

    id: str
    source: str = Field(description="The real publisher (outlet), not the feed it came through.")
    title: str = ""
    url: str | None = None
    published: dt.date | None = None
    published_inferred: bool = False
    text: str
    boilerplate_removed: list[str] = Field(default_factory=list)
    language: str | None = None
    origin: str = Field(default="", description="File (and line or entry) it was read from.")
    via: str | None = Field(default=None, description="Feed or aggregator it arrived through.")
    source_from: str | None = Field(
        default=None,
        exclude=True,  # said by the run that read it; not stored, not in report.json
        description="How `source` was decided (crosswire.inputs.SOURCE_FROM: manifest, page "
        "metadata, page URL, byline, file name...).",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def content_hash(self) -> str:
        """Identity of the content, so the same article read twice is stored once."""
        key = "\x1f".join([self.source.strip().lower(), self.title.strip(), self.text.strip()])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


class InputError(_Model):
    """One input that could not be read; the rest of the batch goes on."""

    origin: str
    message: str


# --------------------------------------------------------------------------- language


class Sentence(_Model):
    index: int
    text: str
    start: int
    end: int
    lemmas: list[str] = Field(
        default_factory=list, description="Lower-cased content-word lemmas, for matching claims."
    )


class EntityMention(_Model):
    text: str
    sentence: int
    start: int
    end: int


class ArticleEntity(_Model):
    """An entity as one article names it, aliases merged within the article."""

    name: str
    type: str = Field(description="PERSON, ORG, GPE, LOC, NORP, OUTLET, EVENT, ...")
    aliases: list[str] = Field(default_factory=list)
    titles: list[str] = Field(
        default_factory=list,
        description="Titles and roles the article gives it ('former president', 'dictator').",
    )
    mentions: list[EntityMention] = Field(default_factory=list)


class QuoteMention(_Model):
    text: str
    speaker: str | None = Field(default=None, description="Canonical entity name, if resolved.")
    speaker_text: str | None = Field(default=None, description="The speaker as written.")
    kind: QuoteKind = "direct"
    sentence: int


class NumberMention(_Model):
    text: str
    value: float
    value_max: float | None = Field(default=None, description="Upper end of a range.")
    unit: str | None = Field(default=None, description="What is counted, or the currency/%.")
    bound: Bound = "exact"
    sentence: int
    anchor: str | None = Field(
        default=None, description="Lemma of the verb the quantity belongs to ('kill', 'leave')."
    )


class TimeMention(_Model):
    text: str
    value: str = Field(description="TIMEX3-style value: 2025-11-21, 2025-W47, 2025-11, 2025.")
    earliest: dt.date
    latest: dt.date
    precision: Precision
    approximate: bool = False
    relative: bool = Field(default=False, description="Resolved against the publication date.")
    sentence: int
    anchor: str | None = Field(
        default=None, description="Lemma of the verb or noun the expression dates."
    )
    event: str = Field(default="", description="The clause the expression dates, as written.")
    reporting: bool = Field(
        default=False, description="It dates an act of reporting ('confirmed on Sunday')."
    )


class ArticleAnalysis(_Model):
    """What one article says, read out of its text (no cross-article knowledge)."""

    article_id: str
    language: str | None = None
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[ArticleEntity] = Field(default_factory=list)
    quotes: list[QuoteMention] = Field(default_factory=list)
    numbers: list[NumberMention] = Field(default_factory=list)
    times: list[TimeMention] = Field(default_factory=list)
    published_inferred: dt.date | None = Field(
        default=None, description="Publication date inferred from the text, when none was given."
    )


# --------------------------------------------------------------------------- stories


class StoryGroup(_Model):
    """Articles grouped as one event, before comparison."""

    id: str
    article_ids: list[str]
    duplicate_of: dict[str, str] = Field(
        default_factory=dict, description="Syndicated copy id -> id of the original it copies."
    )


# --------------------------------------------------------------------------- report contract


class ReportArticle(_Model):
    id: str
    source: str
    title: str
    url: str | None
    published: dt.date | None
    published_inferred: bool
    boilerplate_removed: list[str]
    language: str | None = None
    story_id: str | None = None
    duplicate_of: str | None = Field(default=None, description="Original, if a syndicated copy.")
    text: str = ""

    @classmethod
    def of(
        cls, article: Article, *, story_id: str | None, duplicate_of: str | None
    ) -> ReportArticle:
        """The report's view of an article: its own fields, and where it stands in the report."""
        own = article.model_dump(include=set(cls.model_fields) - {"story_id", "duplicate_of"})
        return cls(**own, story_id=story_id, duplicate_of=duplicate_of)


class StoryEntity(_Model):
    name: str
    type: str
    aliases: list[str]
    article_ids: list[str]
    titles: dict[str, list[str]] = Field(
        default_factory=dict, description="Article id -> titles/roles that article gives."
    )


class ClaimSource(_Model):
    article_id: str
    sentence: str
    sentence_index: int = -1
    start: int = Field(
        default=-1, description="Character offset of the sentence in the article's text."
    )
    end: int = Field(
        default=-1, description="End (exclusive) of the sentence in the article's text."
    )


class Claim(_Model):
    id: str
    text: str
    sources: list[ClaimSource]
    outlets: int = Field(description="Distinct outlets; syndicated copies count once.")
    status: ClaimStatus
    attributed_to: str | None = Field(
        default=None, description="When the claim is what someone said, who said it."
    )
    conflict_ids: list[str] = Field(default_factory=list)
    about: str | None = Field(
        default=None,
        description="For a fact keyed by what it is about, that: 'age of Javon Wilson: 15', "
        "'street: West Highland', 'day: Tuesday 28 June 2016', "
        "'named: Steven Dolan'. Its text is still one outlet's sentence stating it.",
    )


class QuoteVariant(_Model):
    article_id: str
    text: str


class QuoteGroup(_Model):
    speaker: str | None
    variants: list[QuoteVariant]
    wording_differs: bool


class ConflictValue(_Model):
    value: str
    normalized: str | float | None
    article_ids: list[str]
    evidence: list[str]


class Conflict(_Model):
    id: str
    kind: ConflictKind
    subject: str
    values: list[ConflictValue]
    severity: Literal["low", "medium", "high"] = "medium"
    explanation: str = ""


class TimelineEntry(_Model):
    """One event of the story's timeline, with the dates its wording allows."""

    date: dt.date = Field(
        description="The most likely day (a week's, month's or year's first day; for "
        "before_publication, the day it was first reported)."
    )
    earliest: dt.date = Field(
        description="First day the event may fall on; for precision before_publication the "
        "text gives no lower bound and this is the earliest publication date of its sources."
    )
    latest: dt.date = Field(
        description="Last day the event may fall on; for before_publication, the earliest "
        "publication date of its sources (the event happened by then)."
    )
    precision: TimelinePrecision = Field(
        description="The uncertainty the wording leaves: day, week, month or year of a time "
        "expression, or before_publication where the text gives no date."
    )
    event: str = Field(description="The clause (or sentence) that states the event, as written.")
    article_ids: list[str]
    sources: list[ClaimSource] = Field(
        default_factory=list, description="The sentences that state and date the event."
    )
    conflict_ids: list[str] = Field(default_factory=list)
    note: str = ""


class FramingEntry(_Model):
    article_id: str
    term: str
    refers_to: str
    others_use: list[str]
    loaded: bool = False
    signal: Literal["contrast", "lexicon", "both"] = Field(
        default="contrast",
        description="Why it is framing: other outlets word the same thing neutrally"
        " (contrast), the word itself is loaded (lexicon), or both.",
    )
    voice: Literal["outlet", "quoted"] = Field(
        default="outlet", description="The outlet's own words, or inside a quote (the speaker's)."
    )
    speaker: str | None = Field(default=None, description="Who says it, when quoted.")
    start: int | None = Field(default=None, description="Character span in the article text.")
    end: int | None = None


class SummarySentence(_Model):
    text: str
    article_ids: list[str] = Field(
        description="Exactly the articles that are sources of the sentence's claims."
    )
    section: Literal["established", "disputed", "single_source", "timeline"] = "established"
    claim_ids: list[str] = Field(
        default_factory=list, description="Ids of the story's claims the sentence rests on."
    )
    conflict_ids: list[str] = Field(
        default_factory=list, description="A disputed sentence: the conflicts whose sides it shows."
    )
    sources: list[ClaimSource] = Field(
        default_factory=list,
        description="The claims' source sentences with their spans, for click-through.",
    )


class Story(_Model):
    id: str
    title: str
    article_ids: list[str]
    outlets: int = 0
    entities: list[StoryEntity] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    quotes: list[QuoteGroup] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    framing: list[FramingEntry] = Field(default_factory=list)
    summary: list[SummarySentence] = Field(default_factory=list)
    omissions: dict[str, list[str]] = Field(
        default_factory=dict, description="Article id -> claim ids most other outlets include."
    )


class ProfileTerm(_Model):
    """One word an outlet chose (or quoted), counted across its stories."""

    term: str = Field(description="As the outlet writes it most often; counted case-folded.")
    count: int = Field(description="Framing entries of the word (one per article and word).")
    articles: int
    stories: int
    refers_to: list[str] = Field(
        default_factory=list, description="Who or what it is said of, most often first."
    )
    others_use: list[str] = Field(
        default_factory=list, description="What other outlets call the same thing."
    )
    speakers: list[str] = Field(
        default_factory=list, description="Quoted words: whose words they are, most often first."
    )
    loaded: bool = False
    other_outlets: int = Field(
        description="Other outlets of the same stories that use the word too (0: only this one)."
    )


class ProfileReferent(_Model):
    """Someone or something an outlet frames, with the words it uses for them."""

    name: str
    count: int
    terms: list[str] = Field(description="The outlet's words for it, most used first.")


class OutletProfile(_Model):
    """One outlet's framing across the stories it is in, beside the other outlets of them."""

    outlet: str
    articles: int
    stories: int
    own_voice: int = Field(description="Framing entries in the outlet's own words.")
    quoted: int = Field(description="Framing entries inside quotes (the speakers' words).")
    per_article: float = Field(description="Own-voice framing entries per article.")
    others_per_article: float | None = Field(
        default=None,
        description="The same for the other outlets' articles of its stories (none: no other).",
    )
    terms: list[ProfileTerm] = Field(
        default_factory=list, description="Its own words, most used first (the top ones)."
    )
    quoted_terms: list[ProfileTerm] = Field(
        default_factory=list, description="Loaded words it quotes, most used first."
    )
    referents: list[ProfileReferent] = Field(
        default_factory=list, description="Whom its own words frame, most framed first."
    )
    distinctive: list[str] = Field(
        default_factory=list,
        description="Its own words no other outlet of its stories uses, most used first.",
    )


class Report(_Model):
    schema_version: Literal[1] = 1  # == SCHEMA_VERSION
    generated_at: dt.datetime
    articles: list[ReportArticle]
    stories: list[Story]
    errors: list[InputError] = Field(default_factory=list)
    outlets: list[OutletProfile] = Field(
        default_factory=list,
        description="Each outlet's framing across the stories (compare.profiles), by name.",
    )
