"""One options object for the whole pipeline (as trafilatura keeps one), passed down explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from crosswire.errors import Msg


@dataclass(frozen=True)
class Options:
    # ingest
    max_file_bytes: int = 50_000_000
    """Inputs larger than this are refused with a clear error rather than read."""
    # clean
    repeated_line_min_articles: int = 2
    """A short line seen in this many articles of one outlet is that outlet's furniture."""
    # stories
    story_threshold: float = 0.18
    """Minimum similarity (0..1) between an article and a story for it to join."""
    story_max_days: int = 14
    """Articles published further apart than this are not the same event. Two weeks: follow-up
    reports of one incident (ruled an accident, charges filed) came up to 14 days after the
    first on GVC dev, where 10 split two incidents; on meantime-xl airbus dev 21 began merging
    related events (14 and 10 gave the same stories there)."""
    story_language_threshold: float = 0.88
    """Cosine of multilingual embeddings (title and lead) above which stories told in
    different languages are one event (see stories/languages.py)."""
    duplicate_threshold: float = 0.6
    """Estimated Jaccard similarity of 5-word shingles above which one article copies another."""
    story_window_days: int | None = None
    """Keep the story index's memory flat on a long stream: articles published more than this
    many days before the newest one filed are retired (no longer candidates for new articles,
    their features dropped) and stories ended before that are frozen as they are. Must be more
    than `story_max_days`. On a stream in publication order the stories are those without a
    window (an article late by less than this minus `story_max_days` still meets every article
    it could share a story with); the cost is that an article older than the window is filed
    against the live articles only (counted as late), and a copy of an article older than the
    window is not recognised as a copy. None keeps all."""
    # compare
    claim_threshold: float = 0.45
    """Minimum similarity for two sentences to state the same claim."""
    # synthesis
    summary_sentences: int = 10
    """Upper bound on the brief's sentences outside the timeline section."""
    mmr_lambda: float = 0.7
    """Relevance vs novelty trade-off when picking the brief's sentences."""
    # synthesis, optional LLM
    llm_url: str | None = None
    """OpenAI-compatible endpoint that rewrites the brief fluently; None sends nothing."""
    llm_model: str = "default"
    # fetch: http(s) inputs and `crosswire watch`
    fetch_connect_timeout: float = 10.0
    """Seconds to open a connection (each address tried)."""
    fetch_read_timeout: float = 20.0
    """Seconds to wait for each piece of a response."""
    fetch_total_timeout: float = 60.0
    """Seconds for one URL, redirects and robots.txt included; a slow trickle is cut here."""
    fetch_max_bytes: int = 10_000_000
    """Responses larger than this (after decompression) are refused, reading stops there."""
    fetch_max_redirects: int = 5
    """Redirects followed for one URL before giving up."""
    user_agent: str | None = None
    """User-Agent sent; None sends `crosswire/<version> (+<project url>)`."""
    allow_private_addresses: bool = False
    """Fetch from private, loopback, link-local and other non-global addresses (off: SSRF)."""
    respect_robots_txt: bool = True
    """Obey each site's robots.txt (RFC 9309) for every page and feed fetched."""
    feed_full_text_words: int = 150
    """A feed entry with fewer words is a summary: its page is fetched for the article."""
    # watch
    watch_interval: float = 900.0
    """Seconds between polls of one feed."""
    watch_max_backoff: float = 6 * 3600.0
    """Longest wait before retrying a feed that keeps failing."""

    def __post_init__(self) -> None:
        window = self.story_window_days
        if window is not None and window <= self.story_max_days:
            raise ValueError(Msg.STORY_WINDOW.format(window=window, max_days=self.story_max_days))
