"""Sentences of text the English model does not read: spaCy's rule-based sentencizer over its
multi-language tokenizer, with CJK end marks split out of unspaced text (samples written for
these tests)."""

from __future__ import annotations

import pytest

from crosswire.language import analyze_article
from crosswire.models import Article
from crosswire.options import Options

SAMPLES = {
    "ar": (
        "اندلع حريق كبير في مستودع بمنطقة الميناء مساء الخميس. هل أصيب أحد في الحريق؟ "
        "قالت متحدثة باسم البلدية إن أحدا لم يصب بأذى. وسيبقى طريق الرصيف مغلقا حتى يوم السبت.",
        [
            "اندلع حريق كبير في مستودع بمنطقة الميناء مساء الخميس.",
            "هل أصيب أحد في الحريق؟",
            "قالت متحدثة باسم البلدية إن أحدا لم يصب بأذى.",
            "وسيبقى طريق الرصيف مغلقا حتى يوم السبت.",
        ],
    ),
    "hi": (
        "गुरुवार रात बंदरगाह इलाके के एक गोदाम में भीषण आग लग गई। दमकल विभाग के चालीस कर्मचारी "
        "पूरी रात आग बुझाने में लगे रहे। क्या कोई घायल हुआ? नगर निगम की प्रवक्ता ने कहा कि कोई "
        "घायल नहीं हुआ।",
        [
            "गुरुवार रात बंदरगाह इलाके के एक गोदाम में भीषण आग लग गई।",
            "दमकल विभाग के चालीस कर्मचारी पूरी रात आग बुझाने में लगे रहे।",
            "क्या कोई घायल हुआ?",
            "नगर निगम की प्रवक्ता ने कहा कि कोई घायल नहीं हुआ।",
        ],
    ),
    "es": (
        "Un incendio destruyó el jueves por la noche un almacén del puerto. ¿Hubo heridos? "
        "Nadie resultó herido, según la portavoz del ayuntamiento. ¡Fue una noche muy larga! "
        "Un vecino preguntó: «¿Cuándo abrirán la carretera?» "
        "la carretera seguirá cerrada hasta el sábado.",
        [
            "Un incendio destruyó el jueves por la noche un almacén del puerto.",
            "¿Hubo heridos?",
            "Nadie resultó herido, según la portavoz del ayuntamiento.",
            "¡Fue una noche muy larga!",
            "Un vecino preguntó: «¿Cuándo abrirán la carretera?»",
            "la carretera seguirá cerrada hasta el sábado.",  # no capital needed
        ],
    ),
    "zh": (
        "周四晚上，港口区的一座仓库被大火烧毁。有人受伤吗？没有！"
        "市政府发言人说：「火灾原因仍在调查中。」码头道路将关闭到星期六。",
        [
            "周四晚上，港口区的一座仓库被大火烧毁。",
            "有人受伤吗？",
            "没有！",
            "市政府发言人说：「火灾原因仍在调查中。」",
            "码头道路将关闭到星期六。",
        ],
    ),
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_non_english_text_is_split_into_its_sentences(language: str) -> None:
    text, expected = SAMPLES[language]
    article = Article(id=language, source="Coast", text=text)
    analysis = analyze_article(article, Options())
    assert analysis.language == language
    assert [s.text for s in analysis.sentences] == expected
    for sentence in analysis.sentences:  # offsets point into the article text
        assert text[sentence.start : sentence.end] == sentence.text


def test_sentences_keep_their_offsets_across_paragraphs() -> None:
    text, expected = SAMPLES["es"]
    doubled = text + "\n\n" + text
    analysis = analyze_article(Article(id="es2", source="Coast", text=doubled), Options())
    assert [s.text for s in analysis.sentences] == expected * 2
    assert [s.index for s in analysis.sentences] == list(range(2 * len(expected)))
    assert all(doubled[s.start : s.end] == s.text for s in analysis.sentences)
