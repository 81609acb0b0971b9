"""Synthesis: the timeline and the brief of a compared story (stage 6), every sentence cited;
an optional LLM may reword the brief (`synthesis.llm`), checked back against its sources."""

from crosswire.synthesis.brief import build_summary, build_timeline, sentence_supported, synthesize

__all__ = ["build_summary", "build_timeline", "sentence_supported", "synthesize"]
