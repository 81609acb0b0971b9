"""The loadedness lexicon of the compare stage (issue 23): VADER's strong words less plain
fact words, hand-written lists, inflections, names, terms of law, scare quotes, shouting, and
the outlet's own voice apart from the words it quotes."""

from __future__ import annotations

from crosswire.compare.lexicon import (
    FACT_WORDS,
    HAND_WORDS,
    lexicon_flagger,
    lexicon_words,
    loaded_spans,
    own_voice_spans,
    scare_quote_spans,
)


def _words(sentence: str) -> list[str]:
    return [sentence[a:b] for a, b in loaded_spans(sentence)]


def test_emotional_and_hand_listed_words_are_flagged() -> None:
    assert _words("The senator slammed the disgusting bill.") == ["slammed", "disgusting"]
    assert _words("Sadly, the horrific crash was a tragedy.") == ["Sadly", "horrific", "tragedy"]


def test_plain_event_words_are_not_loaded() -> None:
    assert _words("Three people were killed and two injured in the fire.") == []
    assert not FACT_WORDS & HAND_WORDS - {"assault", "assaulted"}
    assert "killed" not in lexicon_words()


def test_inflections_of_listed_words_are_found() -> None:
    assert _words("Critics are slamming it.") == ["slamming"]


def test_a_capitalised_word_inside_a_sentence_is_a_name() -> None:
    assert _words("She flew Plus Ultra to Madrid.") == []
    assert _words("MUST SEE: an absolutely shocking rescue") == [
        "MUST SEE",
        "absolutely",
        "shocking",
    ]


def test_scare_quotes_are_short_quoted_phrases_inside_running_text() -> None:
    text = 'The so-called "experts" disagreed. "We will win this fight," he said.'
    assert [text[a:b] for a, b in scare_quote_spans(text)] == ["experts"]
    at = text.index("experts")
    assert (at, at + 7) in loaded_spans(text, scare_quotes=True)
    assert (at, at + 7) not in loaded_spans(text)
    assert lexicon_flagger()("A calm, factual sentence about the budget.") == []


def test_words_that_judge_and_hyperbole_are_flagged() -> None:
    text = "The embattled mayor's ploy drew a whopping bill, a scheme critics call a fiasco."
    assert _words(text) == ["embattled", "ploy", "whopping", "scheme", "fiasco"]
    assert _words("Officials said the plan would cut costs by 3%.") == []


def test_the_outlets_own_voice_leaves_out_the_words_it_quotes() -> None:
    text = 'Critics slammed what he called "a disgraceful sham" on Monday.'
    assert [text[a:b] for a, b in own_voice_spans(text)] == ["slammed"]
    assert [text[a:b] for a, b in loaded_spans(text)] == ["slammed", "disgraceful", "sham"]
    assert lexicon_flagger()(text) == own_voice_spans(text)
    assert lexicon_flagger(own_voice=False)(text) == loaded_spans(text)


def test_plain_words_of_the_economy_and_public_health_are_the_fact() -> None:
    assert _words("Student debt and unemployment rose as the flu infected thousands.") == []


def test_what_a_moved_person_was_heard_to_do_is_reported_not_judged() -> None:
    assert _words("A man screamed and mourners wept at the grieving family's home.") == []


def test_an_adjective_in_ic_is_loaded_when_its_adverb_is_listed() -> None:
    assert "dramatically" in lexicon_words()
    assert _words("The city has seen a dramatic rise in shootings.") == ["dramatic"]


def test_a_listed_words_other_inflections_are_listed_too() -> None:
    # the lists hold "claimed" and "claims": "claiming" and "claim" are the same verb
    assert _words("He is claiming the vote was stolen.") == ["claiming"]
    # an adverb's adjective is not an inflection: "totally" is listed, "total" is not
    assert _words("The total cost was announced.") == []


def test_terms_of_law_and_medicine_are_not_loaded() -> None:
    assert _words("He faces a charge of reckless endangerment.") == []
    assert _words("According to the criminal complaint, he fled.") == []
    assert _words("She was taken to hospital in traumatic arrest.") == []
    assert _words("It was a reckless and traumatic night.") == ["reckless", "traumatic"]


def test_the_plain_verbs_of_disagreement_attribute_a_stance_without_loading_it() -> None:
    assert _words("Critics criticized and questioned the plan; others blamed the mayor.") == []
    assert _words("Critics slammed the plan.") == ["slammed"]


def test_an_appeal_in_capitals_inside_running_text_is_the_outlet_raising_its_voice() -> None:
    assert _words("MUST SEE : Navy stops a pirate attack in the gulf") == ["MUST SEE"]
    # acronyms and a headline all in capitals are not shouting
    assert _words("The INS ship seized six AK rifles from the boats") == []
    assert _words("GRANDMOTHER KILLED BY DRIVER IN QUEENS") == []


def test_a_compound_carries_its_loaded_part() -> None:
    assert _words("The scandal-ridden agency issued a rage-tweeting reply.") == [
        "scandal-ridden",
        "rage-tweeting",
    ]
    assert _words("A well-known, long-running program.") == []


def test_terms_of_policing_and_medicine_after_their_modifier_are_not_loaded() -> None:
    assert _words("He was shot in a home invasion and suffered head trauma.") == []
    assert _words("Police say there are no outstanding suspects.") == []
    assert _words("It was an outstanding and heroic rescue.") != []


def test_a_simile_of_action_is_the_outlets_image() -> None:
    assert _words("He took off like a bullet and vanished.") == ["like a bullet"]
    assert _words("The verdict landed like a bomb in the town.") == ["like a bomb"]
    # a comparison after a verb of seeming or perceiving describes
    assert _words("It looked like a church and smelled like a barn.") == []
