"""decode_bytes: the one path from bytes to text for files and HTTP responses (BOM, header
charset, the document's declaration, detection; WHATWG labels; bad bytes replaced)."""

from __future__ import annotations

import pytest

from crosswire.inputs import decode_bytes

GERMAN = (
    "Der Brand zerstörte in der Nacht zum Freitag eine Lagerhalle im Hafenviertel; rund "
    "vierzig Einsatzkräfte verhinderten, dass das Feuer auf die Nachbargebäude übergriff."
)
QUOTED = "“No one was injured,” the spokesperson said — the road stays closed."


def page(body: str, charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<!doctype html><html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("label", "text", "codec"),
    [
        ("iso-8859-1", QUOTED, "cp1252"),  # latin-1 means windows-1252
        ("latin1", QUOTED, "cp1252"),
        ("us-ascii", QUOTED, "cp1252"),
        ("gb2312", "港口区的一座仓库被大火烧毁，消防员彻夜工作。€", "gb18030"),  # gb2312 → gb18030
        ("shift_jis", "港湾地区の倉庫が火災で焼失した。①②", "cp932"),  # shift_jis → cp932
    ],
)
@pytest.mark.parametrize("where", ["header", "meta"])
def test_labels_are_read_as_browsers_read_them(
    label: str, text: str, codec: str, where: str
) -> None:
    data = page(text, charset=label if where == "meta" else None).encode(codec)
    content_type = f"text/html; charset={label}" if where == "header" else None
    assert text in decode_bytes(data, "x", html=True, content_type=content_type)


def test_the_header_comes_before_the_document_declaration() -> None:
    text = "Пожар уничтожил склад в портовом районе, сообщила пожарная служба."
    data = page(text, charset="koi8-r").encode("cp1251")
    got = decode_bytes(data, "x", html=True, content_type="text/html; charset=windows-1251")
    assert text in got


def test_a_bom_comes_before_the_header() -> None:
    data = "\ufeff".encode() + page(GERMAN).encode()
    got = decode_bytes(data, "x", html=True, content_type="text/html; charset=iso-8859-1")
    assert GERMAN in got and not got.startswith("\ufeff")


@pytest.mark.parametrize("label", [None, "utf-8"])
@pytest.mark.parametrize("html", [False, True])
def test_one_stray_byte_in_utf8_costs_one_character_not_the_page(
    label: str | None, html: bool
) -> None:
    data = page(GERMAN, charset=label).encode().replace(b"Freitag", b"Frei\xfftag")
    got = decode_bytes(data, "x", html=html)
    assert "zerstörte" in got and "Einsatzkräfte" in got and "übergriff" in got
    assert "Frei\ufffdtag" in got and "Ã" not in got


def test_cp1252_under_a_stale_utf8_label_is_read_as_cp1252() -> None:
    # every accented byte is invalid UTF-8: the label, not the text, is wrong
    data = page(GERMAN + " " + QUOTED, charset="utf-8").encode("cp1252")
    got = decode_bytes(data, "x", html=True, content_type="text/html; charset=utf-8")
    assert GERMAN in got and QUOTED in got


def test_valid_utf8_under_a_legacy_label_stays_utf8() -> None:
    data = page(GERMAN, charset="iso-8859-1").encode()
    assert GERMAN in decode_bytes(data, "x", html=True)
