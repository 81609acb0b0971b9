"""Contrast between outlets (issue 23, point 1a): the noun for a person named by age, a hedge
the others keep, a colouring adverb few outlets use, and the compare stage's framing entries
built from them (quoted self-reported feelings left out)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from crosswire.compare.contrast import contrast_terms, quote_spans
from crosswire.compare.framing import framing_entries
from crosswire.compare.matching import StoryContext, build_context, story_entities
from crosswire.language import analyze_articles
from crosswire.models import Article, StoryGroup
from crosswire.options import Options

TEXTS = {
    "a": "A 59-year-old grandmother was killed by a drunk driver in Queens on Friday. "
    "The officers acted professionally and arrested him at once.",
    "b": "A 59-year-old woman was killed by an allegedly drunk driver in Queens on Friday. "
    "Police arrested the driver nearby.",
    "c": "A 59-year-old woman was struck and killed in Queens on Friday by a driver who was "
    "allegedly drunk. Police arrested the driver nearby.",
    "d": 'A 59-year-old woman died in Queens on Friday. "I am devastated," her nephew said. '
    "Police arrested the driver nearby.",
}


def _context(texts: Mapping[str, str]) -> StoryContext:
    options = Options()
    articles = {k: Article(id=k, source=f"outlet-{k}", text=t) for k, t in texts.items()}
    analyses = {a.article_id: a for a in analyze_articles(list(articles.values()), options)}
    return build_context(StoryGroup(id="s", article_ids=list(texts)), articles, analyses, options)


@pytest.fixture(scope="module")
def story() -> StoryContext:
    return _context(TEXTS)


def _found(ctx: StoryContext) -> dict[tuple[str, str], list[str]]:
    return {(c.article_id, c.term): c.others_use for c in contrast_terms(ctx)}


def test_the_minority_noun_for_a_person_named_by_age_is_a_choice(story: StoryContext) -> None:
    found = _found(story)
    assert found[("a", "grandmother")] == ["woman"]
    assert not any(term == "woman" for _, term in found)


def test_a_description_others_hedge_is_framing_where_stated_plainly(
    story: StoryContext,
) -> None:
    found = _found(story)
    assert found[("a", "drunk")] == ["allegedly drunk"]
    # the outlets that hedge it, and a verb ("struck"), are not flagged
    assert ("b", "drunk") not in found and ("c", "drunk") not in found


def test_a_colouring_adverb_few_outlets_use_is_a_choice(story: StoryContext) -> None:
    found = _found(story)
    assert ("a", "professionally") in found
    assert not any(term == "nearby" for _, term in found)


def test_one_outlet_alone_has_nothing_to_contrast() -> None:
    assert contrast_terms(_context({"a": TEXTS["a"]})) == []


def test_framing_entries_carry_the_contrast_and_leave_out_self_reported_feelings(
    story: StoryContext,
) -> None:
    entries = framing_entries(story, story_entities(story))
    by_term = {(e.article_id, e.term): e for e in entries}
    grandmother = by_term[("a", "grandmother")]
    assert grandmother.signal == "contrast" and grandmother.others_use == ["woman"]
    assert grandmother.start is not None and grandmother.end is not None
    assert TEXTS["a"][grandmother.start : grandmother.end] == "grandmother"
    assert ("d", "devastated") not in by_term  # "I am devastated": the nephew's own state


def test_tokenised_quote_marks_are_quotes() -> None:
    text = "He said `` it was horrible '' and left ."
    assert [inner.strip() for _, _, inner in quote_spans(text)] == ["it was horrible"]
