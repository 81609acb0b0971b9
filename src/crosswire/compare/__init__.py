"""Compare: what the articles of one story say side by side (stage 5) — claims and who
states them, quotes, conflicts between outlets, and framing."""

from crosswire.compare.claims import LOADED, compare_story, outlet_of

__all__ = ["LOADED", "compare_story", "outlet_of"]
