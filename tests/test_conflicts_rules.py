"""Conflict rules on made-up stories: sides of a figure conflict, running totals, home towns,
opposite sides."""

from __future__ import annotations

from datetime import date

from crosswire.compare import compare_story
from crosswire.compare.figures import counted
from crosswire.language import analyze_article
from crosswire.models import Article, Conflict, NumberMention, Story, StoryGroup
from crosswire.options import Options

OPTIONS = Options()


def _story(texts: dict[str, str], published: date | None = None) -> Story:
    articles = {
        aid: Article(id=aid, source=f"Outlet {aid}", title=aid, text=text, published=published)
        for aid, text in texts.items()
    }
    analyses = {aid: analyze_article(a, OPTIONS) for aid, a in articles.items()}
    group = StoryGroup(id="s-test", article_ids=sorted(articles))
    return compare_story(group, articles, analyses, OPTIONS, title="test")


SEIZED = "Customs officers at Varnholm port seized {n} crates of cigarettes from the freighter."


def _seized_conflict(**counts: str) -> Conflict:
    """The one figure conflict of a story whose articles give these counts of seized crates."""
    story = _story(
        {aid: SEIZED.format(n=n) for aid, n in counts.items()}, published=date(2026, 3, 11)
    )
    numbers = [c for c in story.conflicts if c.kind == "number"]
    assert len(numbers) == 1
    return numbers[0]


def test_figures_that_agree_within_rounding_stand_on_one_side() -> None:
    conflict = _seized_conflict(a="about 300", b="300", c="923")
    sides = [sorted(v.article_ids) for v in conflict.values]
    assert sorted(sides) == [["a", "b"], ["c"]]


def test_a_running_total_counts_more_than_one_happenings_figure() -> None:
    def thing(sentence: str, text: str) -> str | None:
        n = NumberMention(text=text, value=14, unit="rifles", sentence=0)
        return counted(n, sentence)

    assert thing("The navy seized 14 rifles from the boat.", "14 rifles") == "rifle"
    assert thing("The navy has seized a total of 14 rifles.", "14 rifles") == "total rifle"
    assert thing("In five raids so far it seized 14 rifles.", "14 rifles") == "total rifle"


def test_one_figure_counting_two_nouns_together_is_not_a_count_of_the_first() -> None:
    def thing(sentence: str, text: str) -> str | None:
        n = NumberMention(text=text, value=420, unit="passengers", sentence=0)
        return counted(n, sentence)

    together = "The liner flew some 420 passengers and crew home."
    assert thing(together, "some 420 passengers") == "passenger and crew"
    apart = "The liner flew its 246 passengers and most of its crew home."
    assert thing(apart, "246 passengers") == "passenger"
    listed = "Police seized 12 passengers and about 300 bags."
    assert thing(listed, "12 passengers") == "passenger"


def test_a_persons_home_town_is_read_from_name_age_of_town() -> None:
    from crosswire.compare.residence import residences

    assert residences("Police said Jane Marlow, 36, of Reading, was arrested.") == [
        ("Jane Marlow", "Reading")
    ]
    assert residences("Jane Marlow of Reading was charged on Friday.") == [
        ("Jane Marlow", "Reading")
    ]
    assert residences("Jane Marlow, who lived in Reading, was hurt.") == [
        ("Jane Marlow", "Reading")
    ]
    assert residences("A spokesman for the Bank of England said so.") == []


def test_two_separate_towns_are_apart_but_a_district_and_its_city_are_not() -> None:
    from crosswire.compare.residence import towns_apart

    assert towns_apart("Minneapolis", "Bloomington")
    assert not towns_apart("Queens", "College Point")  # a part of the borough
    assert not towns_apart("Minneapolis", "Minneapolis")
    assert not towns_apart("Minneapolis", "Nowhereville")  # unknown: not compared


def test_outlets_giving_one_person_two_home_towns_conflict() -> None:
    line = "Police said Jane Marlow, 36, of {town}, was charged with drunk driving on Friday."
    story = _story(
        {"a": line.format(town="Minneapolis"), "b": line.format(town="Bloomington")},
        published=date(2026, 3, 11),
    )
    homes = [c for c in story.conflicts if c.subject.endswith("home town")]
    assert len(homes) == 1
    assert sorted(str(v.value) for v in homes[0].values) == ["Bloomington", "Minneapolis"]


def test_an_age_written_before_a_name_describes_the_name_after_it() -> None:
    sentence = "Police found 54-year-old Tom Reed, 42-year-old Ann Cole and a dog."
    n = NumberMention(text="42-year-old", value=42, unit="years old", sentence=0)
    assert counted(n, sentence) == "age of ann cole"
    bare = NumberMention(text="54", value=54, unit="years old", sentence=0)
    assert counted(bare, "Tom Reed, 54, was found.") == "age of tom reed"


def test_a_home_town_belongs_to_the_person_of_that_first_and_last_name() -> None:
    from crosswire.compare.residence import story_person
    from crosswire.models import StoryEntity

    jane = StoryEntity(name="Jane Marlow", type="PERSON", aliases=["Marlow"], article_ids=["a"])
    assert story_person("Jane Marlow", [jane]) is jane
    assert story_person("Marlow", [jane]) is jane
    assert story_person("Peter Marlow", [jane]) is None  # a relative, not her


def test_members_of_a_group_are_counted_as_the_group_under_any_of_its_names() -> None:
    def thing(text: str, unit: str) -> str | None:
        n = NumberMention(text=text, value=300, unit=unit, sentence=0)
        return counted(n, f"Pirates hold {text} for ransom.")

    assert thing("300 crewmen", "crewmen") == "crew"
    assert thing("300 crew members", "crew members") == "crew"
    assert thing("300 crewmembers", "crewmembers") == "crew"
    assert thing("300 gunmen", "gunmen") == "gunmen"  # not a group's members


def test_a_side_of_compatible_figures_is_named_by_its_exact_figure() -> None:
    conflict = _seized_conflict(a="at least 10", b="12", c="12", d="9")
    assert sorted(v.normalized for v in conflict.values) == [9.0, 12.0]


WOUND = (
    "The cyclist was taken to Varnholm hospital with a deep cut above his {side} eye, police said."
)


def test_the_same_phrase_with_opposite_sides_is_a_conflict() -> None:
    story = _story(
        {"a": WOUND.format(side="left"), "b": WOUND.format(side="right")},
        published=date(2026, 3, 11),
    )
    sides = [c for c in story.conflicts if c.kind == "statement"]
    assert len(sides) == 1
    assert sorted(str(v.normalized) for v in sides[0].values) == ["left", "right"]


def test_an_article_naming_both_sides_is_on_neither() -> None:
    both = WOUND.format(side="left") + " He also had a cut above his right eye."
    story = _story({"a": both, "b": WOUND.format(side="right")}, published=date(2026, 3, 11))
    assert not [c for c in story.conflicts if c.kind == "statement"]


def test_opposite_words_are_read_with_the_word_before_and_the_noun_after() -> None:
    from crosswire.compare.opposites import opposite_phrases

    assert opposite_phrases("They were walking out of the store.") == [
        ("walking", "out of", "store", "walking out of the store")
    ]
    assert opposite_phrases("Right now nobody knows.") == []  # capitalised: not a side


def _date_conflicts(story: Story) -> list[list[tuple[object, list[str]]]]:
    return [
        sorted((v.normalized, sorted(v.article_ids)) for v in c.values)
        for c in story.conflicts
        if c.kind == "date"
    ]


def test_undated_outlets_giving_one_happening_days_without_a_year_conflict() -> None:
    story = _story(
        {
            "a": "On November 18, the frigate Varna sank a trawler that pirates had seized.",
            "b": "On November 19, the frigate Varna sank the trawler the pirates had seized.",
            "c": "The frigate Varna sank the seized trawler on November 19, the navy said.",
        }
    )
    assert _date_conflicts(story) == [[("XXXX-11-18", ["a"]), ("XXXX-11-19", ["b", "c"])]]


def test_undated_outlets_giving_the_same_day_without_a_year_agree() -> None:
    story = _story(
        {
            "a": "On November 19, the frigate Varna sank a trawler that pirates had seized.",
            "b": "On November 19, the frigate Varna sank the trawler the pirates had seized.",
        }
    )
    assert _date_conflicts(story) == []


def test_an_outlet_dating_two_happenings_sides_only_with_the_day_others_give() -> None:
    story = _story(
        {
            "a": "On November 18, the frigate Varna sank a trawler that pirates had seized.",
            "b": "On November 19, the frigate Varna sank the trawler the pirates had seized.",
            "c": "Deployed on November 2, the frigate Varna sank the seized pirate trawler on"
            " November 19.",
        }
    )
    conflicts = _date_conflicts(story)
    assert conflicts and all("XXXX-11-02" not in dict(c) for c in conflicts)
    assert [("XXXX-11-18", ["a"]), ("XXXX-11-19", ["b", "c"])] in conflicts


def test_a_day_dating_a_noun_conflicts_with_a_day_dating_its_verb() -> None:
    # "the November 18 sinking" is parsed as dating "followed": its one day still dates the
    # sinking the other outlet dates by "sank"
    story = _story(
        {
            "a": "Protests in Bangkok followed the November 18 sinking of a Thai fishing trawler.",
            "b": "On November 19, the frigate Varna sank a fishing trawler held by pirates.",
        }
    )
    assert _date_conflicts(story) == [[("XXXX-11-18", ["a"]), ("XXXX-11-19", ["b"])]]


def test_days_anchored_to_a_word_the_whole_story_uses_need_similar_sentences() -> None:
    # "shoot" anchors every date of a story of shootings: two shootings, two days, no conflict
    story = _story(
        {
            "a": "A girl of five was shot on May 11, 2016 at home with a gun. "
            "Prosecutors said the shooting could have been prevented. "
            "Her grandparents were charged after the shooting.",
            "b": "On April 24, 2016 gunmen shot a boy of five riding his bicycle. "
            "His father was shot dead in the same shooting. "
            "Nobody has been charged over that shooting.",
        },
        published=date(2016, 5, 25),
    )
    assert _date_conflicts(story) == []


def test_sentences_agreeing_on_a_model_count_list_one_haul_whose_other_counts_conflict() -> None:
    story = _story(
        {
            "a": "Marine commandos boarded the dhow at dawn and seized seven AK-47s, two other"
            " rifles and a grenade launcher.",
            "b": "The confiscated arms included seven AK-47s, three other assault rifles and 13"
            " loaded magazines, the ministry said.",
        },
        published=date(2026, 3, 11),
    )
    numbers = [c for c in story.conflicts if c.kind == "number"]
    assert [sorted(v.article_ids for v in c.values) for c in numbers] == [[["a"], ["b"]]]
    assert "rifle" in numbers[0].subject.lower()
