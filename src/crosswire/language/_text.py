"""Text guards shared by the language stage."""

from __future__ import annotations

import re

__all__ = ["tokenizer_safe"]

_LONG_RUN = re.compile(r"\S{50,}")


def tokenizer_safe(text: str) -> str:
    """The text with punctuation blanked inside very long space-free runs, same length.

    spaCy's tokenizer peels prefixes and suffixes one at a time, which is quadratic on a
    run like "((((...": 5,000 "%" take seconds. No word of prose is that long.
    """
    return _LONG_RUN.sub(lambda m: re.sub(r"[^\w]", " ", m.group()), text)
