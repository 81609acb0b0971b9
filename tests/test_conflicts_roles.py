"""Role conflicts: one count of people told as rescued by one outlet and as offenders caught
by another."""

from __future__ import annotations

from crosswire.compare import compare_story
from crosswire.compare.roles import OFFENDERS, RESCUED, role_side
from crosswire.language import analyze_article
from crosswire.models import Article, NumberMention, Story, StoryGroup
from crosswire.options import Options

OPTIONS = Options()


def _story(texts: dict[str, str]) -> Story:
    articles = {
        aid: Article(id=aid, source=f"Outlet {aid}", title=aid, text=text)
        for aid, text in texts.items()
    }
    analyses = {aid: analyze_article(a, OPTIONS) for aid, a in articles.items()}
    group = StoryGroup(id="s-test", article_ids=sorted(articles))
    return compare_story(group, articles, analyses, OPTIONS, title="test")


def _number(text: str, unit: str, anchor: str | None, value: float = 26) -> NumberMention:
    return NumberMention(text=text, value=value, unit=unit, sentence=0, anchor=anchor)


def test_a_count_of_people_takes_the_side_its_noun_or_verb_gives() -> None:
    assert role_side(_number("26 Somali pirates", "Somali pirates", "intercept")) == OFFENDERS
    assert role_side(_number("26 pirates arrested", "pirates arrested", None)) == OFFENDERS
    assert role_side(_number("26 men", "men", "arrest")) == OFFENDERS
    assert role_side(_number("26 crewmembers", "Somali crewmembers", "rescue")) == RESCUED
    assert role_side(_number("26 gunmen", "gunmen", "rescue")) == OFFENDERS
    # a neutral wording, a lone person and a thing take no side
    assert role_side(_number("26 Somali crew", "Somali crew", "have")) is None
    assert role_side(_number("one pirate", "pirate", "capture", value=1)) is None
    assert role_side(_number("26 rifles", "rifles", "seize")) is None


def _roles(story: Story) -> list[list[tuple[object, list[str]]]]:
    return [
        sorted((v.normalized, sorted(v.article_ids)) for v in c.values)
        for c in story.conflicts
        if c.kind == "attribute" and "rescued or caught" in c.subject
    ]


STORY = {
    "a": "The warship Sukanya thwarted an attack by pirates on Thursday and rescued 26 Somali"
    " crewmembers in the Gulf of Aden.",
    "b": "The warship Sukanya thwarted an attack on merchant ships on Thursday, capturing 26"
    " Somali pirates in the Gulf of Aden.",
    "c": "The three boats had a total of 26 Somali crew on board, the navy said.",
}


def test_people_rescued_in_one_outlet_and_caught_in_another_conflict() -> None:
    assert _roles(_story(STORY)) == [[(OFFENDERS, ["b"]), (RESCUED, ["a"])]]


def test_an_outlet_telling_the_count_on_both_sides_is_on_neither() -> None:
    story = dict(STORY, a=STORY["a"] + " Police later arrested 26 smugglers in the port.")
    assert _roles(_story(story)) == []


def test_an_outlet_is_cited_by_its_body_before_its_headline() -> None:
    # the headline words the story closest to the other side's sentence, but has no stop
    headline = (
        "The warship Sukanya thwarted an attack by pirates on Thursday and captured 26 Somali"
        " pirates in the Gulf of Aden"
    )
    story = dict(STORY, b=headline + "\n" + STORY["b"])
    conflicts = [c for c in _story(story).conflicts if "rescued or caught" in c.subject]
    assert len(conflicts) == 1
    caught = next(v for v in conflicts[0].values if v.normalized == OFFENDERS)
    assert caught.evidence == [STORY["b"]]
