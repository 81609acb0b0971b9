"""A faster stand-in for the matching step of spaCy's `attribute_ruler`, same results.

Why by hand: in `en_core_web_sm` the attribute ruler maps tags to parts of speech and
morphology with 179 token patterns run through spaCy's general `Matcher`, which tries every
pattern at every token: about 13% of the whole pipeline's time, more than the tagger and
parser together. Almost all of those patterns test one token for equality or membership, so
they can be looked up by the token's tag, lower-case form or dependency instead of tried one by
one (a pattern of several tokens by its first). Patterns of any other shape (operators, other
attributes) still go through a `Matcher` holding only them. The matches are returned as the ruler's own `match` returns them and set by
its own `set_annotations`, so the annotations are the same (a test compares every token's
attributes with the stock ruler's over real news text).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

__all__ = ["speed_up_attribute_ruler"]

# The token attributes the fast path can read (the Matcher's names); others go to the Matcher.
_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_CACHE_LIMIT = 200_000  # distinct (tag, lower, dep, space) keys kept; cleared beyond
Values = tuple[str, str, str, bool]  # a token's TAG, LOWER, DEP and IS_SPACE
Test = Callable[[Values], bool]
Entry = tuple[int, Test, tuple[Test, ...]]


def _value_test(position: int, spec: object) -> Test | None:
    """A test of one attribute against one Matcher value spec, or None if not supported."""
    if isinstance(spec, (str, bool)):
        return lambda values: values[position] == spec
    if isinstance(spec, dict) and len(spec) == 1:
        ((op, arg),) = spec.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda values: values[position] in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            refused = frozenset(arg)
            return lambda values: values[position] not in refused
        if op == "REGEX" and isinstance(arg, str) and position != 3:
            search = re.compile(arg).search
            return lambda values: search(values[position]) is not None  # type: ignore[arg-type]
    return None


def _token_test(token_spec: dict[str, Any]) -> Test | None:
    """All of one token pattern's tests together, or None if any is unsupported."""
    tests = []
    for key, spec in token_spec.items():
        if key not in _ATTRS:  # OP, other attributes: left to the Matcher
            return None
        test = _value_test(_ATTRS.index(key), spec)
        if test is None:
            return None
        tests.append(test)
    return lambda values: all(test(values) for test in tests)


def _index_keys(token_spec: dict[str, Any]) -> tuple[int, list[object]] | None:
    """Where to file a one-token pattern: an attribute position and the values that can match
    it (so it is only tried on tokens with one of them); None to try it on every token."""
    for position, key in enumerate(_ATTRS[:3]):
        spec = token_spec.get(key)
        if isinstance(spec, str):
            return position, [spec]
        if isinstance(spec, dict) and isinstance(spec.get("IN"), list) and len(spec) == 1:
            return position, list(spec["IN"])
    if token_spec.get("IS_SPACE") is True:
        return 3, [True]
    return None


class _FastMatch:
    """`AttributeRuler.match`, with patterns looked up by their first token's values instead
    of tried in turn."""

    def __init__(self, nlp: Language, patterns: list[dict[str, Any]]) -> None:
        strings = nlp.vocab.strings
        # position -> value -> [(attr_id, test of the first token, tests of the next tokens)]
        self.indexed: list[dict[object, list[Entry]]] = [defaultdict(list) for _ in _ATTRS]
        self.everywhere: list[Entry] = []
        self.rest = Matcher(nlp.vocab)  # patterns of any other shape
        self.match_ids: dict[int, int] = {}
        for attr_id, pattern in enumerate(patterns):
            self.match_ids[attr_id] = strings.add(str(attr_id))
            sequences = [_sequence(alternative) for alternative in pattern["patterns"]]
            if any(tests is None for tests in sequences):
                self.rest.add(str(attr_id), pattern["patterns"])
                continue
            for alternative, tests in zip(pattern["patterns"], sequences, strict=True):
                assert tests is not None
                entry = (attr_id, tests[0], tuple(tests[1:]))
                where = _index_keys(alternative[0])
                if where is None:
                    self.everywhere.append(entry)
                else:
                    position, values = where
                    for value in values:
                        self.indexed[position][value].append(entry)
        self.has_rest = len(self.rest) > 0
        self.cache: dict[Values, tuple[tuple[int, tuple[Test, ...]], ...]] = {}

    def _starts(self, values: Values) -> tuple[tuple[int, tuple[Test, ...]], ...]:
        """The patterns a token with these values can start: (attr_id, tests of the tokens
        after it)."""
        by_tag, by_lower, by_dep, by_space = self.indexed
        candidates = [
            *by_tag.get(values[0], ()),
            *by_lower.get(values[1], ()),
            *by_dep.get(values[2], ()),
            *(by_space.get(True, ()) if values[3] else ()),
            *self.everywhere,
        ]
        starts = {(a, after) for a, first, after in candidates if first(values)}
        return tuple(sorted(starts, key=lambda start: start[0]))  # never compare the tests

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        # A token's starts depend only on these four values, which repeat a lot in text.
        cache = self.cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        values = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        found: set[tuple[int, int, int]] = set()
        for i, token_values in enumerate(values):
            starts = cache.get(token_values)
            if starts is None:
                starts = cache[token_values] = self._starts(token_values)
            for attr_id, after in starts:
                end = i + 1 + len(after)
                if end <= len(values) and all(
                    test(v) for test, v in zip(after, values[i + 1 : end], strict=True)
                ):
                    found.add((attr_id, i, end))
        matches = [(a, self.match_ids[a], start, end) for a, start, end in found]
        if self.has_rest:
            strings = doc.vocab.strings
            for match_id, start, end in self.rest(doc, allow_missing=True, as_spans=False):
                matches.append((int(strings[match_id]), match_id, start, end))
        matches.sort()  # by attribute id: later rules win, as in the ruler
        return matches


def _sequence(alternative: list[dict[str, Any]]) -> list[Test] | None:
    """The tests of a pattern made of plain token specs (no operators), or None."""
    tests = [_token_test(spec) for spec in alternative]
    if not tests or any(test is None for test in tests):
        return None
    return [test for test in tests if test is not None]


def speed_up_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> None:
    """Give the pipeline's attribute ruler the faster matching (nothing if it has none)."""
    if name not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe(name)
    if not isinstance(ruler, AttributeRuler):
        return
    ruler.match = _FastMatch(nlp, list(ruler.patterns))  # type: ignore[method-assign]
