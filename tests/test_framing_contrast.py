"""Contrast between outlets (issue 23, point 1a): the noun for a person named by age, a hedge
the others keep, a colouring adverb few outlets use, and the compare stage's framing entries
built from them (quoted self-reported feelings left out)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from crosswire.compare.contrast import contrast_terms, open_quote_spans, quote_spans
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


def test_an_adverb_that_places_measures_or_completes_a_fact_does_not_colour_it() -> None:
    texts = {
        "a": "The ship successfully intercepted three boats and the crew steadily pushed on.",
        "b": "The ship intercepted three boats and the crew pushed on.",
        "c": "The ship intercepted three boats and its crew pushed on.",
    }
    found = _found(_context(texts))
    assert ("a", "successfully") not in found and ("a", "steadily") not in found


def test_an_adjective_before_a_gerund_names_the_offence_not_the_person() -> None:
    texts = {
        "a": "The driver was charged with drunk driving after the crash on Main Street.",
        "b": "The allegedly drunk driver was charged after the crash on Main Street.",
        "c": "The driver, allegedly drunk, was charged after the crash on Main Street.",
    }
    assert ("a", "drunk") not in _found(_context(texts))


def test_choosing_the_plain_word_of_a_family_is_not_framing() -> None:
    texts = {
        "a": "Two men were killed in the crash on the highway on Friday night.",
        "b": "Two men died in the crash on the highway on Friday night.",
        "c": "Two men were murdered on the highway on Friday night.",
    }
    terms = {(e.article_id, e.term) for e in framing_entries(_context(texts), [])}
    assert ("c", "murdered") in terms
    assert ("a", "killed") not in terms and ("b", "died") not in terms


def test_a_loaded_word_naming_an_offence_or_a_condition_is_not_framing() -> None:
    texts = {
        "a": "He faces a charge of reckless endangerment after the shooting on Friday.",
        "b": "He faces several charges after the shooting on Friday, police said.",
    }
    terms = {e.term.lower() for e in framing_entries(_context(texts), [])}
    assert "reckless" not in terms


def test_a_word_in_a_quote_over_several_sentences_is_the_speakers() -> None:
    texts = {
        "a": "`` He took off fast . People were just horrified and disgusted . '' "
        "Police arrested the driver on Friday .",
        "b": "The driver took off and police arrested him on Friday.",
    }
    entries = [e for e in framing_entries(_context(texts), []) if e.term == "disgusted"]
    assert entries and all(e.voice == "quoted" for e in entries)


def test_an_everyday_reaction_in_a_quote_is_not_framing_a_strong_one_is() -> None:
    texts = {
        "a": '"She was bad, it was a horrible scene," a neighbour said on Friday night.',
        "b": "A woman was hurt in a crash on Friday night, police said.",
    }
    terms = {e.term for e in framing_entries(_context(texts), [])}
    assert "horrible" in terms and "bad" not in terms


def test_a_loaded_word_in_indirect_speech_is_the_speakers() -> None:
    texts = {
        "a": "Prosecutor Kym Worthy said the shootings were the result of irresponsible owners.",
        "b": "Prosecutor Kym Worthy spoke about the shootings of children on Friday.",
    }
    entry = next(e for e in framing_entries(_context(texts), []) if e.term == "irresponsible")
    assert entry.voice == "quoted" and entry.speaker == "Kym Worthy"


def test_a_paragraph_that_opens_a_quote_and_does_not_close_it_is_quoted() -> None:
    text = 'The officer described it.\n"The crew stopped a shameful attack.\nPolice thanked them.'
    assert [text[a:b] for a, b, _ in open_quote_spans(text)] == [
        '"The crew stopped a shameful attack.'
    ]
    assert open_quote_spans('"We are proud," he said.\n') == []


def test_a_verb_of_saying_in_the_infinitive_reports_nothing() -> None:
    texts = {
        "a": "He had only one thing to say about the horrible crash he saw on Friday.",
        "b": "He saw the crash on Friday and called the police at once.",
    }
    entry = next(e for e in framing_entries(_context(texts), []) if e.term == "horrible")
    assert entry.voice == "outlet"
