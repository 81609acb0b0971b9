"""One options object for the whole pipeline (as trafilatura keeps one), passed down explicitly."""

from __future__ import annotations

from dataclasses import dataclass


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
    story_max_days: int = 10
    """Articles published further apart than this are not the same event."""
    duplicate_threshold: float = 0.6
    """Estimated Jaccard similarity of 5-word shingles above which one article copies another."""
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
