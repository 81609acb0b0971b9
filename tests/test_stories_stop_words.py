"""Terms are counted without the stop words of each article's own language (issue 25): two
reports of different events in Spanish must not look alike for sharing "de", "la", "que"."""

from __future__ import annotations

from datetime import date

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from crosswire.models import Article
from crosswire.options import Options
from crosswire.stories import StoryIndex, group_stories
from crosswire.stories.features import own_stop_words, story_text

DAY = date(2007, 6, 9)


def _spanish(source: str, title: str, text: str) -> Article:
    return Article(
        id=f"es-{source}", source=source, published=DAY, language="es", title=title, text=text
    )


# Two different events (an airline buying Airbus jets, another negotiating for Boeing jets),
# told with the same Spanish function words and few shared content words.
AIRBUS = _spanish(
    "airbus",
    "La compañía irlandesa compra aviones de Airbus",
    "La compañía irlandesa ha comprado doce aviones de Airbus para las rutas de larga "
    "distancia, que se entregarán en los próximos años. Según el director de la compañía, "
    "con los nuevos aviones se podrá volar a las ciudades de la costa este.",
)
BOEING = _spanish(
    "boeing",
    "La aerolínea rusa negocia con Boeing por sus reactores",
    "La aerolínea rusa ha negociado con Boeing veintidós reactores, que sustituirán a "
    "su flota soviética antes del invierno. Según el presidente de la aerolínea, con "
    "los reactores se ahorrará en el combustible de los vuelos a Asia.",
)


def test_spanish_stop_words_come_from_spacys_list_and_english_adds_none() -> None:
    spanish = own_stop_words("es")
    assert {"que", "los", "las", "una", "según", "para"} <= spanish
    assert not spanish & ENGLISH_STOP_WORDS  # those the vectorizer leaves out already
    assert own_stop_words("en") == frozenset()
    assert own_stop_words(None) == frozenset()
    assert own_stop_words("zz") == frozenset()  # no list: nothing left out beyond English
    assert own_stop_words("../x") == frozenset()  # not a language code: never imported


def test_story_text_blanks_the_articles_own_stop_words_and_keeps_the_rest() -> None:
    text = story_text(AIRBUS, None)
    assert "compañía irlandesa" in text and "Airbus" in text
    assert not {"que", "los", "las", "para", "según"} & set(text.lower().split())


def test_two_spanish_reports_of_different_events_stay_apart_in_batch_and_stream() -> None:
    assert len(group_stories([AIRBUS, BOEING], {}, Options())) == 2
    index = StoryIndex(Options())
    index.add([AIRBUS], {})
    index.add([BOEING], {})
    assert len(index.groups()) == 2


def test_without_their_language_the_same_reports_look_alike() -> None:
    """The cause: the same texts with no language given share enough function words to join."""
    untagged = [a.model_copy(update={"language": None}) for a in (AIRBUS, BOEING)]
    assert len(group_stories(untagged, {}, Options())) == 1
