"""Synthesis: the timeline and the brief of a compared story (stage 6), every sentence cited;
an optional LLM may reword the brief (`synthesis.llm`), checked back against its sources."""

from crosswire.synthesis.brief import build_summary, sentence_supported, synthesize
from crosswire.synthesis.timeline import build_timeline

__all__ = ["build_summary", "build_timeline", "sentence_supported", "synthesize"]
