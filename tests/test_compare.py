"""Comparisons on small hand-made stories: like with like, bounds respected, precision first."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from crosswire.compare import compare_story
from crosswire.compare.facts import author_voice
from crosswire.language import analyze_article
from crosswire.models import Article, Story, StoryGroup
from crosswire.options import Options
from crosswire.synthesis.brief import mmr, neutralize, synthesize

OPTIONS = Options()


def _story(texts: dict[str, str], published: date = date(2026, 3, 11)) -> Story:
    articles = {
        aid: Article(id=aid, source=f"Outlet {aid}", title=aid, text=text, published=published)
        for aid, text in texts.items()
    }
    analyses = {aid: analyze_article(a, OPTIONS) for aid, a in articles.items()}
    group = StoryGroup(id="s-test", article_ids=sorted(articles))
    story = compare_story(group, articles, analyses, OPTIONS, title="test")
    return synthesize(story, articles, analyses, OPTIONS)


def _shared_claims(story: Story) -> list[list[str]]:
    """The articles each claim of two or more outlets cites."""
    return [sorted(s.article_id for s in c.sources) for c in story.claims if c.outlets >= 2]


KILLED = "{n} people were killed when the factory in Dornholm collapsed on Monday morning."


def test_different_death_tolls_conflict() -> None:
    story = _story({"a": KILLED.format(n="82"), "b": KILLED.format(n="80")})
    numbers = [c for c in story.conflicts if c.kind == "number"]
    assert len(numbers) == 1
    assert sorted(v.normalized for v in numbers[0].values) == [80.0, 82.0]


def test_at_least_80_does_not_contradict_82() -> None:
    story = _story({"a": KILLED.format(n="82"), "b": KILLED.format(n="at least 80")})
    assert not [c for c in story.conflicts if c.kind == "number"]


def test_nearly_a_figure_falls_short_of_it() -> None:
    from crosswire.compare.figures import interval
    from crosswire.models import NumberMention

    def figure(text: str, value: float) -> NumberMention:
        return NumberMention(text=text, value=value, unit="crewmen", bound="about", sentence=0)

    assert interval(figure("nearly 300 crewmen", 300)) == (270.0, 300)
    assert interval(figure("about 300 crewmen", 300))[1] > 300
    # so "nearly 300" and "more than 300" contradict each other, "about 300" and 310 do not
    story = _story({"a": KILLED.format(n="nearly 30"), "b": KILLED.format(n="more than 30")})
    assert [c for c in story.conflicts if c.kind == "number"]


def test_different_numbers_of_different_things_do_not_conflict() -> None:
    story = _story(
        {
            "a": KILLED.format(n="82"),
            "b": "The company employed 300 people at the plant, which opened in 1998.",
        }
    )
    assert not [c for c in story.conflicts if c.kind == "number"]


def test_same_event_on_different_days_is_a_date_conflict_with_high_severity() -> None:
    story = _story(
        {
            "a": "The factory in Dornholm collapsed on March 9, killing dozens of workers.",
            "b": "The factory in Dornholm collapsed on March 4, killing dozens of workers.",
        }
    )
    dates = [c for c in story.conflicts if c.kind == "date"]
    assert len(dates) == 1 and dates[0].severity == "high"
    assert {str(v.normalized) for v in dates[0].values} == {"2026-03-09", "2026-03-04"}
    assert any(e.conflict_ids for e in story.timeline)


def test_agreeing_outlets_make_a_consensus_claim_and_the_brief_cites_them() -> None:
    text = "The bridge over the Kessa river reopened to traffic after three years of repairs."
    story = _story({"a": text, "b": text.replace("reopened to traffic", "opened again to cars")})
    consensus = [c for c in story.claims if c.status == "consensus"]
    assert consensus and consensus[0].outlets == 2
    established = [s for s in story.summary if s.section == "established"]
    assert established and established[0].article_ids == ["a", "b"]


def test_unrelated_sentences_stay_single_source() -> None:
    story = _story(
        {
            "a": "The bridge over the Kessa river reopened to traffic after three years of repairs.",
            "b": "The city council approved a new budget for public libraries on Tuesday evening.",
        }
    )
    assert {c.status for c in story.claims} == {"single_source"}


def test_neutralize_replaces_loaded_words_keeping_case() -> None:
    assert neutralize(
        "The Regime said the dictator would speak.",
        {"regime": "government", "dictator": "president"},
    ) == ("The Government said the president would speak.")


def test_mmr_drops_near_duplicates() -> None:
    texts = [
        "The fire killed twelve workers at the port.",
        "The fire killed twelve workers at the port on Tuesday.",
        "The mayor announced an independent inquiry.",
    ]
    assert sorted(mmr(texts, [1.0, 0.9, 0.8], k=2, lam=0.7)) == [0, 2]


def test_more_than_is_a_bound_not_other_things_counted() -> None:
    from crosswire.compare.figures import counted
    from crosswire.models import NumberMention

    def thing(text: str, unit: str) -> str | None:
        return counted(NumberMention(text=text, value=300, unit=unit, sentence=0), text)

    assert thing("more than 300 crew members", "crew members") == "crew"
    assert thing("300 crew members", "crew members") == "crew"
    assert thing("three more rifles", "rifles") == "other rifle"


def test_a_contraction_is_the_same_negation_not_a_contradiction() -> None:
    story = _story(
        {
            "a": "Police could not say how many shots were fired at the Dornholm depot on Monday.",
            "b": "Police couldn't say how many shots were fired at the Dornholm depot on Monday.",
        }
    )
    assert not [c for c in story.conflicts if c.kind == "statement"]


def test_the_writers_own_first_person_voice_is_not_an_outlet_fact() -> None:
    assert author_voice("I have started this post four times.")
    assert author_voice("Yesterday I went back to the quay.")
    assert author_voice("Details of how to donate are on our website.")
    # a speaker's words, a name's numeral, a country's initials: not the writer
    assert not author_voice('"I will not resign," the mayor said.')
    assert not author_voice('We will look at it again, but I am very disappointed."')
    assert not author_voice("World War I ended in 1918, when Elizabeth I was long dead.")
    assert not author_voice("The US and Britain signed the deal.")


def _single_source_articles(texts: dict[str, str]) -> list[str]:
    """The articles whose claims the story calls single-source, in claim order."""
    story = _story(texts)
    return [c.sources[0].article_id for c in story.claims if c.status == "single_source"]


def test_a_bloggers_first_person_lines_are_not_single_source_claims() -> None:
    assert _single_source_articles(
        {
            "a": "I worked on that quay for nineteen years before my back gave out.",
            "b": "The city council approved a new budget for public libraries on Tuesday evening.",
        }
    ) == ["b"]


def test_a_lone_sentence_about_a_pronoun_naming_nothing_is_not_single_source() -> None:
    # "the company" is placeable in its story; "most of them" is not, out of its article
    assert _single_source_articles(
        {
            "a": "Most of them were young and worked the night shift at the depot.",
            "b": "The company did not respond to questions about the sprinkler system.",
        }
    ) == ["b"]


def test_an_appeal_for_information_is_no_claim_however_many_outlets_print_it() -> None:
    appeal = "Anyone with information is asked to call the Dornholm police at 555-0100."
    story = _story(
        {
            "a": f"A man was shot on Elm Street on Monday night. {appeal}",
            "b": f"Police are investigating a shooting on Elm Street. {appeal}",
        }
    )
    assert not [c for c in story.claims if "information" in c.text]


def test_outlets_giving_one_person_one_age_state_one_fact_and_other_ages_do_not_join() -> None:
    story = _story(
        {
            "a": "Javon Wilson, 15, died after two people forced their way into the apartment.",
            "b": "Friends held a candlelight vigil on Sunday for 15-year-old Javon Wilson at school.",
            "c": "A 15-year-old boy was charged with murder, the police department said on Sunday.",
        }
    )
    cited = _shared_claims(story)
    assert ["a", "b"] in cited
    assert not [c for c in cited if "a" in c and "c" in c]  # another 15-year-old


def test_outlets_giving_one_person_one_home_town_state_one_fact() -> None:
    from crosswire.compare.facts import UnitFacts
    from crosswire.compare.matching import build_context, story_entities
    from crosswire.compare.slots import person_facts

    texts = {
        "a": "Jane Doe, 36, of Harlow, was charged with dangerous driving on Tuesday.",
        "b": "Her sister said that Jane Doe of Harlow had never owned a car before.",
        "c": "Peter Doe, 40, of Harlow, a cousin, was not in the car.",
    }
    articles = {
        aid: Article(id=aid, source=f"Outlet {aid}", title=aid, text=text)
        for aid, text in texts.items()
    }
    analyses = {aid: analyze_article(a, OPTIONS) for aid, a in articles.items()}
    group = StoryGroup(id="s-test", article_ids=sorted(articles))
    ctx = build_context(group, articles, analyses, OPTIONS)
    entities = story_entities(ctx)
    units = UnitFacts(ctx, entities)
    quiet = [v or a for v, a in zip(units.author_voice, units.appeal, strict=True)]
    facts = person_facts(ctx, quiet, entities)
    assert [sorted(ctx.units[k][0] for k in g) for g, _ in facts] == [["a", "b"]]
    assert [about for _, about in facts] == ["home town of Jane Doe: Harlow"]


def test_a_sentence_joins_a_further_claim_only_on_two_matches_from_other_articles() -> None:
    from crosswire.compare.facts import group_facts

    # 0 (article a) and 1 (b) state one fact; 2, also in a, matches 1 alone: one pairwise
    # match, which the grouping already weighed, does not make it a source of that claim
    pairs = {(0, 1): 0.95, (1, 2): 0.95}
    assert group_facts(3, ["a", "b", "a"], pairs).groups == [[0, 1]]
    # with a third article's sentence in the claim, 2 matches two of its sentences: it joins
    pairs = {(0, 1): 0.95, (0, 3): 0.95, (1, 3): 0.95, (1, 2): 0.95, (2, 3): 0.95}
    assert [0, 1, 2, 3] in group_facts(4, ["a", "b", "a", "c"], pairs).groups


def test_counts_of_one_model_spelled_two_ways_conflict() -> None:
    seized = "Indian commandos seized {} from the pirates' boats in the Gulf of Aden on Saturday."
    story = _story(
        {"a": seized.format("12 AK-47 rifles"), "b": seized.format("seven AK 47 rifles")}
    )
    assert [c.kind for c in story.conflicts] == ["number"]


def test_the_brief_drops_a_dateline_with_a_dated_parenthesis_or_a_double_hyphen() -> None:
    story = _story(
        {
            "a": "DORNHOLM, Md. (Mar. 11, 2026) -- " + KILLED.format(n="82"),
            "b": "DORNHOLM, Md. - " + KILLED.format(n="82"),
        }
    )
    texts = [s.text for s in story.summary]
    assert texts and all("DORNHOLM" not in t for t in texts)
    assert any(t.startswith("82 people were killed") for t in texts)


def test_the_brief_never_falls_back_on_page_furniture_for_its_single_source_part() -> None:
    story = _story(
        {
            "a": KILLED.format(n="82") + "\nReach him at 412-320-7827 or jdoe@example.com.",
            "b": KILLED.format(n="82") + "\nJane Doe is a Dornholm Courier staff writer.",
        }
    )
    texts = " ".join(s.text for s in story.summary)
    assert "82 people were killed" in texts
    assert "412-320-7827" not in texts and "staff writer" not in texts


def test_outlets_naming_the_street_of_an_address_state_one_fact_but_a_passing_street_not() -> None:
    story = _story(
        {
            "a": "Officers found the man in the 1500 block of Arlington Avenue around midnight.",
            "b": "A neighbour said the police had come to his home on Arlington Avenue twice.",
            "c": "The driver then hit another car on Arlington Avenue before fleeing the area.",
        }
    )
    cited = _shared_claims(story)
    assert ["a", "b"] in cited
    assert not [c for c in cited if "c" in c]


def test_streets_are_keyed_without_their_direction_or_kind() -> None:
    from crosswire.compare.slots import streets

    assert streets("It happened in the 2000 block of S. Harrison St. on Friday.") == [
        ("harrison", 2, "S. Harrison St")
    ]
    assert ("harrison", 1, "Harrison Street") in streets(
        "Police were called to a house on Harrison Street."
    )
    assert streets("Stocks fell on Wall Street on Monday.") == [("wall", 0, "Wall Street")]
    assert streets("no street is named in this sentence at all") == []


@given(st.text(max_size=200))
def test_streets_read_any_text_without_failing(text: str) -> None:
    from crosswire.compare.slots import streets

    for key, sure, written in streets(text):
        assert key and key == key.strip() and sure in (0, 1, 2) and written


def test_outlets_giving_the_event_one_day_state_one_fact_and_a_later_day_stays_apart() -> None:
    story = _story(
        {
            "a": "A gunman opened fire inside the Dornholm tavern late on Monday, police said.",
            "b": "Two regulars were wounded when shots rang out at a bar on March 9 near midnight.",
            "c": "Neighbours will hold a vigil on Friday evening outside the town hall.",
            "d": "The Dornholm tavern shooting on Monday left two regulars wounded and one dead.",
        }
    )
    cited = _shared_claims(story)
    assert any({"a", "b"} <= set(c) for c in cited)
    assert not [c for c in cited if "c" in c]


def test_outlets_introducing_one_person_by_name_state_one_fact_a_mere_mention_not() -> None:
    story = _story(
        {
            "a": "Police said the victim, identified as Marcus Johnson, was shot twice in the "
            "chest outside his home in Dornholm.",
            "b": "Marcus Johnson, 15, died at Dornholm General Hospital shortly after midnight, "
            "his family said on Friday.",
            "c": "Friends of Marcus Johnson set up a fund that had raised a thousand dollars by "
            "Saturday night.",
        }
    )
    cited = _shared_claims(story)
    assert ["a", "b"] in cited
    assert not [c for c in cited if "c" in c]


def test_a_surname_both_use_does_not_make_husband_and_wife_one_person() -> None:
    from crosswire.compare.matching import StoryContext, story_entities
    from crosswire.models import ArticleAnalysis, ArticleEntity, EntityMention

    # each article calls its own Dolan by the surname alone later on
    names = {"a": ("Brenda Dolan", ["Dolan"]), "b": ("Steven Dolan", ["Dolan"])}
    articles, analyses = {}, {}
    for aid, (name, aliases) in names.items():
        articles[aid] = Article(id=aid, source=f"Outlet {aid}", text=name)
        mention = EntityMention(text=name, sentence=0, start=0, end=len(name))
        entity = ArticleEntity(name=name, type="PERSON", aliases=aliases, mentions=[mention])
        analyses[aid] = ArticleAnalysis(article_id=aid, entities=[entity])
    ctx = StoryContext(
        group=StoryGroup(id="s", article_ids=sorted(articles)),
        articles=articles,
        analyses=analyses,
        outlet={a: a for a in articles},
        options=OPTIONS,
    )
    people = {e.name: e for e in story_entities(ctx)}
    assert people.keys() == {"Steven Dolan", "Brenda Dolan"}
