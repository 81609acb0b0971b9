"""Word lists shared by the time and number extractors (English news).

Hand-written because they are tiny, closed classes; a library would add a
dependency for a few dozen words.
"""

from __future__ import annotations

import math
import re

UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES: dict[str, float] = {
    "hundred": 100.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}


def _alternation(words: list[str]) -> str:
    # Longest first, so "seventeen" is tried before "seven".
    return "|".join(sorted(words, key=len, reverse=True))


_UNIT_ALT = _alternation([w for w in UNITS if w != "zero"])
_TENS_ALT = _alternation(list(TENS))
_SCALE_ALT = _alternation(list(SCALES))

# One number word: "seven", "twenty", "twenty-five" (no scale words).
NUMBER_WORD = rf"(?:(?:{_TENS_ALT})(?:[-\s](?:{_UNIT_ALT}))?|(?:{_UNIT_ALT}))(?![\w-])"
# A phrase of number words: "two hundred and fifty thousand". The repetition is
# bounded and every piece starts with a distinct literal, so matching is linear.
NUMBER_PHRASE = (
    rf"(?:{NUMBER_WORD})"
    rf"(?:(?:\s+|-)(?:and\s+)?(?:(?:{_SCALE_ALT})(?![\w-])|{NUMBER_WORD})){{0,6}}"
)

_WORD_SPLIT = re.compile(r"[\s-]+")


def parse_number_words(text: str) -> float | None:
    """Value of a phrase such as "twenty-five", "two hundred and fifty thousand", else None."""
    total = 0.0
    current = 0.0
    seen = False
    for raw in _WORD_SPLIT.split(text.strip().lower()):
        if not raw or raw == "and":
            continue
        if raw in UNITS:
            current += UNITS[raw]
        elif raw in TENS:
            current += TENS[raw]
        elif raw == "hundred":
            current = (current or 1.0) * 100  # floats: "hundred" x 500 must not be a bigint
        elif raw in SCALES:
            total += (current or 1.0) * SCALES[raw]
            current = 0.0
        else:
            return None
        seen = True
    value = total + current
    # "hundred hundred hundred ..." overflows to inf; no count is that large
    return value if seen and math.isfinite(value) else None


_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def parse_count(text: str) -> float | None:
    """Value of digits ("10", "1,200", "2.5") or number words ("ten"), else None."""
    cleaned = text.strip().replace(",", "")
    # float() alone also takes "nan", "inf", "1e5", "1_000" and other scripts' digits
    if _DIGITS.fullmatch(cleaned):
        value = float(cleaned)
        return value if math.isfinite(value) else None
    return parse_number_words(text)


MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}


def month_number(name: str) -> int | None:
    """1..12 for "November", "Nov.", "Sept", else None."""
    key = name.strip().rstrip(".").lower()
    return MONTHS.get(key) or MONTH_ABBREVIATIONS.get(key)
