"""Text guards shared by the language stage."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["ANY_DIGIT", "doc_text", "re_folded", "tokenizer_safe"]

_LONG_RUN = re.compile(r"\S{50,}")


def tokenizer_safe(text: str) -> str:
    """The text with punctuation blanked inside very long space-free runs, same length.

    spaCy's tokenizer peels prefixes and suffixes one at a time, which is quadratic on a
    run like "((((...": 5,000 "%" take seconds. No word of prose is that long.
    """
    return _LONG_RUN.sub(lambda m: re.sub(r"[^\w]", " ", m.group()), text)


# re's case-insensitive matching pairs these with ASCII letters that str.lower() does not
# give ("İ" lowers to two characters), so they are mapped before lowering.
_RE_FOLDS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
ANY_DIGIT = re.compile(r"\d")


def re_folded(text: str) -> str:
    """Lower case in which every (?i) match of an ASCII word is found by `in`.

    Word prefilters use it: `"today" in re_folded(text)` is false only when no
    `(?i:today)` search can match, and `in` is far cheaper than such a search, which re
    tries at every position of the text."""
    return text.translate(_RE_FOLDS).lower()


def doc_text(doc: Doc) -> str:
    """`doc.text`, as `language.parse` kept it: spaCy joins every token to build it anew."""
    text = doc.user_data.get("text")
    return text if isinstance(text, str) else doc.text
