"""Bad input, reader by reader: each bad file is one clear error naming it (and its line), the
rest of the batch is still read, and the CLI exits non-zero with a list of what failed.

The table crosses every reader (txt, html, jsonl, feed, manifest) with every kind of bad input.
"""

from __future__ import annotations

import gzip
import json
import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from crosswire.errors import Msg
from crosswire.inputs import read_inputs
from crosswire.models import Article, InputError
from crosswire.options import Options

READERS = ("txt", "html", "jsonl", "feed")

# Non-ASCII on purpose: accents and curly quotes are what mislabeled encodings break.
FRENCH = [
    "Un incendie a détruit jeudi soir un entrepôt du quartier du port, a déclaré le service "
    "d’incendie, et une quarantaine de pompiers ont travaillé toute la nuit.",
    "« Personne n’a été blessé », a dit une porte-parole de la ville, qui a ajouté que la "
    "cause de l’incendie était encore à l’étude et que la route du quai resterait fermée.",
    "Des habitants ont décrit une colonne de fumée noire visible de l’autre côté de la baie, "
    "et plusieurs ont dit avoir entendu de petites explosions peu avant minuit.",
]
TITLE = "Grève générale à la gare"
# A phrase that must come through intact when the encoding is read right.
PROBE = "service d’incendie"

NON_ENGLISH = {
    "russian": (
        "cp1251",
        [
            "Пожар уничтожил склад в портовом районе в четверг вечером, сообщила пожарная "
            "служба, и около сорока пожарных работали всю ночь.",
            "Никто не пострадал, сказала представитель города, добавив, что причина пожара "
            "всё ещё выясняется и что дорога вдоль причала останется закрытой до субботы.",
            "Жители описали столб чёрного дыма, который был виден с другой стороны залива.",
        ],
        "сорока пожарных",
    ),
    "chinese": (
        "gb18030",
        [
            "周四晚上，港口区的一座仓库被大火烧毁，消防部门说，大约四十名消防员彻夜工作，防止火势蔓延。",
            "市政府发言人说，没有人受伤，火灾原因仍在调查中，码头道路将关闭到星期六。",
            "居民们说，从海湾对面可以看到一股黑烟，午夜前他们听到了几次小爆炸。",
        ],
        "消防员彻夜工作",
    ),
    "japanese": (
        "shift_jis",
        [
            "木曜日の夜、港湾地区の倉庫が火災で焼失したと消防当局が発表した。約四十人の消防士が"
            "夜通し消火活動にあたった。",
            "市の広報担当者によると、けが人はおらず、火災の原因は現在調査中で、岸壁の道路は"
            "土曜日まで閉鎖される。",
            "住民らは、湾の向こう側からも黒い煙が見えたと話し、真夜中の少し前に小さな爆発音を"
            "聞いたという。",
        ],
        "消防士が夜通し",
    ),
    "arabic": (
        "cp1256",
        [
            "دمر حريق مستودعا في منطقة الميناء مساء الخميس، بحسب ما أعلنت خدمة الإطفاء، "
            "وعمل نحو أربعين رجل إطفاء طوال الليل لمنع انتشاره.",
            "وقالت متحدثة باسم المدينة إن أحدا لم يصب بأذى، وإن سبب الحريق لا يزال قيد التحقيق "
            "وإن طريق الرصيف سيبقى مغلقا حتى يوم السبت.",
            "ووصف السكان عمودا من الدخان الأسود شوهد من الجانب الآخر من الخليج.",
        ],
        "أربعين رجل إطفاء",
    ),
}

BILLION_LAUGHS_DTD = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol;" if i == 1 else f"&lol{i - 1};") * 10}">' for i in range(1, 10)
)
SECRET = "TOP-SECRET-MARKER-4711"


# --------------------------------------------------------------------------- building inputs


def content(kind: str, title: str, paragraphs: list[str], *, declare: str = "utf-8") -> str:
    """One article as the file text of `kind` (a page, a feed, a JSONL line or plain text)."""
    if kind == "txt":
        return title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    if kind == "html":
        body = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
        return (
            f'<!doctype html><html><head><meta charset="{declare}"><title>{escape(title)}</title>'
            f"</head><body><article><h1>{escape(title)}</h1>\n{body}</article></body></html>\n"
        )
    if kind == "jsonl":
        line = {"id": "a1", "source": "Coast", "title": title, "text": "\n\n".join(paragraphs)}
        return json.dumps(line, ensure_ascii=False) + "\n"
    if kind == "feed":
        html = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (
            f'<?xml version="1.0" encoding="{declare}"?>\n<rss version="2.0"><channel>'
            f"<title>Coast</title><link>https://coast.example/</link><item>"
            f"<title>{escape(title)}</title><link>https://coast.example/a</link>"
            f"<description>{escape(html)}</description></item></channel></rss>\n"
        )
    raise AssertionError(kind)


SUFFIX = {"txt": ".txt", "html": ".html", "jsonl": ".jsonl", "feed": ".xml"}


def write(folder: Path, kind: str, data: bytes, *, gz: bool = False, name: str = "bad") -> Path:
    path = folder / (name + SUFFIX[kind] + (".gz" if gz else ""))
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def good_file(folder: Path) -> Path:
    """A file that reads fine, put in every batch to show the batch goes on."""
    path = folder / "good.txt"
    path.write_text("Harbour fire\n\nA fire destroyed a warehouse on Thursday night.\n")
    return path


def read(*paths: Path, options: Options | None = None) -> list[Article | InputError]:
    return list(read_inputs(list(paths), options or Options()))


def split(items: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, InputError)],
    )


def read_with_good(
    path: Path, options: Options | None = None
) -> tuple[list[Article], list[InputError]]:
    """Read `path` in a batch after a good file; the good file must come through."""
    good = good_file(path.parent)
    got, errors = split(read(good, path, options=options))
    assert got and got[0].origin == str(good), "the good file of the batch was lost"
    return got[1:], errors


def one_error(errors: list[InputError], path: Path, message: str | None = None) -> InputError:
    """Exactly one error, naming `path`, with `message` when given."""
    assert len(errors) == 1, errors
    [error] = errors
    assert error.origin.startswith(str(path)), error
    assert error.message.strip()
    if message is not None:
        assert error.message == message
    return error


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize("kind", READERS)
def test_empty_file_is_one_error_naming_it(tmp_path: Path, kind: str) -> None:
    for data in (b"", b" \n\n\t\n"):
        path = write(tmp_path, kind, data)
        got, errors = read_with_good(path)
        assert not got
        one_error(errors, path, Msg.EMPTY)


@pytest.mark.parametrize("kind", READERS)
def test_binary_file_is_one_error_naming_it(tmp_path: Path, kind: str) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40 + b"\n{}\n" * 50
    path = write(tmp_path, kind, data)
    got, errors = read_with_good(path)
    assert not got
    one_error(errors, path, Msg.BINARY)


@pytest.mark.parametrize("kind", READERS)
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "utf-8-sig"])
def test_utf16_with_or_without_bom_is_decoded(tmp_path: Path, kind: str, codec: str) -> None:
    declare = "utf-16" if codec.startswith("utf-16") else "utf-8"
    text = content(kind, TITLE, FRENCH, declare=declare)
    path = write(tmp_path, kind, text.encode(codec))
    got, errors = read_with_good(path)
    assert not errors
    [article] = got
    assert PROBE in article.text and "détruit" in article.text
    assert article.title == TITLE


@pytest.mark.parametrize("kind", READERS)
@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
@pytest.mark.parametrize("declare", ["utf-8", "iso-8859-1"])
def test_cp1252_or_latin1_bytes_mislabeled_or_unlabeled_are_decoded(
    tmp_path: Path, kind: str, codec: str, declare: str
) -> None:
    paragraphs, probe = FRENCH, PROBE
    if codec == "latin-1":  # latin-1 has no curly quotes
        paragraphs = [p.replace("’", "'").replace("«", "").replace("»", "") for p in FRENCH]
        probe = PROBE.replace("’", "'")
    text = content(kind, TITLE, paragraphs, declare=declare)
    path = write(tmp_path, kind, text.encode(codec))
    got, errors = read_with_good(path)
    assert not errors
    [article] = got
    assert probe in article.text and "détruit" in article.text and "à l" in article.text
    assert article.title == TITLE


@pytest.mark.parametrize("kind", READERS)
@pytest.mark.parametrize("language", sorted(NON_ENGLISH))
@pytest.mark.parametrize("encoded", ["utf-8", "legacy"])
def test_non_english_text_is_read_in_utf8_and_in_its_legacy_code_page(
    tmp_path: Path, kind: str, language: str, encoded: str
) -> None:
    legacy, paragraphs, probe = NON_ENGLISH[language]
    codec = "utf-8" if encoded == "utf-8" else legacy
    # Feeds are XML: a legacy encoding must be declared to be valid; the others stay silent.
    declare = codec if kind == "feed" else "utf-8" if codec == "utf-8" else "x"
    text = content(kind, paragraphs[0][:12], paragraphs, declare=declare)
    if kind == "html" and declare == "x":
        text = text.replace('<meta charset="x">', "")
    path = write(tmp_path, kind, text.encode(codec))
    got, errors = read_with_good(path)
    assert not errors
    [article] = got
    assert probe in article.text


@pytest.mark.parametrize("kind", READERS)
def test_truncated_gzip_is_one_error_naming_it(tmp_path: Path, kind: str) -> None:
    many = "".join(content(kind, TITLE, FRENCH) for _ in range(3 if kind == "jsonl" else 1))
    packed = gzip.compress(many.encode() * (1 if kind != "txt" else 20))
    path = tmp_path / f"cut{SUFFIX[kind]}.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    _, errors = read_with_good(path)
    error = one_error(errors, path)
    assert "gzip" in error.message


@pytest.mark.parametrize("kind", READERS)
def test_gzip_of_garbage_is_one_error_naming_it(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"junk{SUFFIX[kind]}.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage that is not deflate")
    got, errors = read_with_good(path)
    assert not got
    assert "gzip" in one_error(errors, path).message


@pytest.mark.parametrize("kind", READERS)
def test_file_over_the_size_limit_is_refused_with_sizes_in_the_message(
    tmp_path: Path, kind: str
) -> None:
    data = content(kind, TITLE, FRENCH * 20).encode()
    path = write(tmp_path, kind, data)
    limit = len(data) // 2
    _, errors = read_with_good(path, options=Options(max_file_bytes=limit))
    if kind == "jsonl":  # streamed, so its limit is per line: the one line is refused
        one_error(errors, path, Msg.LINE_TOO_LARGE.format(size=len(data), limit=limit))
    else:
        one_error(errors, path, Msg.TOO_LARGE.format(size=len(data), limit=limit))


@pytest.mark.parametrize("kind", READERS)
def test_gzip_unpacking_past_the_size_limit_is_refused(tmp_path: Path, kind: str) -> None:
    data = content(kind, TITLE, FRENCH * 200).encode()
    path = write(tmp_path, kind, data, gz=True)
    limit = len(data) // 4
    assert path.stat().st_size < limit  # the packed file alone would pass
    got, errors = read_with_good(path, options=Options(max_file_bytes=limit))
    assert not got
    if kind == "jsonl":  # streamed, so its limit is per line: the one line is refused
        one_error(errors, path, Msg.LINE_TOO_LARGE.format(size=len(data), limit=limit))
    else:
        one_error(errors, path, Msg.TOO_LARGE_UNPACKED.format(limit=limit))


def test_jsonl_gzip_bomb_of_one_endless_line_is_refused_without_reading_it_whole(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": "' + b"a" * 20_000_000))
    limit = 1_000_000
    tracemalloc.start()
    try:
        got, errors = read_with_good(path, options=Options(max_file_bytes=limit))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not got
    size = len(b'{"text": "') + 20_000_000
    one_error(errors, path, Msg.LINE_TOO_LARGE.format(size=size, limit=limit))
    assert peak < 8 * limit  # never the 20 MB line


def test_malformed_html_still_gives_its_text(tmp_path: Path) -> None:
    page = content("html", TITLE, FRENCH)
    broken = page.replace("</p>", "").replace("</article></body></html>", "<div><span")
    broken = broken.replace("<h1>", "<h1 class=x><b><i>").replace(
        "<article>", "</div></span><article>"
    )
    broken = broken.replace("<head>", "<head><</td><p <b>")
    path = write(tmp_path, "html", broken.encode())
    got, errors = read_with_good(path)
    assert not errors
    assert PROBE in got[0].text


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda s: s[: len(s) // 2], id="cut-in-half"),
        pytest.param(lambda s: s.replace("</item>", "</itme>"), id="mismatched-tag"),
        pytest.param(lambda s: s.replace("<channel>", "<channel><<<&&&"), id="junk-markup"),
        pytest.param(lambda s: "<rss><channel>" + "<item>" * 5_000, id="deep-unclosed"),
        pytest.param(lambda s: "<?xml version='1.0'?><notafeed><a>1</a></notafeed>", id="no-feed"),
    ],
)
def test_malformed_feed_gives_its_entries_or_one_error_naming_it(
    tmp_path: Path, mangle: Callable[[str], str]
) -> None:
    path = write(tmp_path, "feed", mangle(content("feed", TITLE, FRENCH)).encode())
    got, errors = read_with_good(path)
    if got:
        assert not errors and all(a.text for a in got)
    else:
        one_error(errors, path)


def test_broken_feed_error_names_the_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "feed", b'<?xml version="1.0"?>\n<rss><channel>\n<title>x</title></chan')
    _, errors = read_with_good(path)
    problem = Msg.XML_AT.format(line=3, column=16, error="unclosed token")
    one_error(errors, path, Msg.FEED_BROKEN.format(error=problem))


@pytest.mark.parametrize("kind", ["html", "feed", "jsonl"])
def test_billion_laughs_is_not_expanded_and_stays_fast(tmp_path: Path, kind: str) -> None:
    laugh = "<p>Then &lol9; the end.</p>"
    paragraphs = [*FRENCH, laugh]
    if kind == "html":
        text = content("html", TITLE, FRENCH).replace("</article>", laugh + "</article>")
        text = f'<?xml version="1.0"?>\n<!DOCTYPE html [{BILLION_LAUGHS_DTD}]>\n' + text
    elif kind == "feed":
        text = content("feed", TITLE, paragraphs).replace("&amp;lol9;", "&lol9;")
        text = text.replace("?>\n", f"?>\n<!DOCTYPE rss [{BILLION_LAUGHS_DTD}]>\n", 1)
    else:  # the html field of a JSONL line
        html = content("html", TITLE, FRENCH).replace("</article>", laugh + "</article>")
        html = f"<!DOCTYPE html [{BILLION_LAUGHS_DTD}]>\n" + html
        text = json.dumps({"html": html}) + "\n"
    path = write(tmp_path, kind, text.encode())
    started = time.perf_counter()
    got, errors = read_with_good(path)
    assert time.perf_counter() - started < 5.0
    for article in got:
        assert "lollol" not in article.text and len(article.text) < 10_000
    assert got or len(errors) == 1


@pytest.mark.parametrize("kind", ["html", "feed", "jsonl"])
def test_external_entities_are_never_fetched(tmp_path: Path, kind: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    dtd = f'<!ENTITY xxe SYSTEM "{secret.as_uri()}"><!ENTITY % p SYSTEM "{secret.as_uri()}">%p;'
    leak = "<p>Leak: &xxe; here.</p>"
    if kind == "feed":
        text = content("feed", TITLE, [*FRENCH, leak]).replace("&amp;xxe;", "&xxe;")
        text = text.replace("?>\n", f"?>\n<!DOCTYPE rss [{dtd}]>\n", 1)
    else:
        html = content("html", TITLE, FRENCH).replace("</article>", leak + "</article>")
        html = f'<?xml version="1.0"?>\n<!DOCTYPE html [{dtd}]>\n' + html
        text = html if kind == "html" else json.dumps({"html": html}) + "\n"
    path = write(tmp_path, kind, text.encode())
    got, errors = read_with_good(path)
    for item in [*got, *errors]:
        assert SECRET not in item.model_dump_json()
    assert got or len(errors) == 1


# --------------------------------------------------------------------------- JSONL lines


def test_jsonl_lines_that_are_not_json_are_errors_naming_file_and_line(tmp_path: Path) -> None:
    good = json.dumps({"text": "A fire destroyed a warehouse."})
    lines = [
        good,
        "{not json",
        good,
        "plain words",
        "",
        "[1, 2]",
        '"a string"',
        good,
        "{" * 100_000,
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    got, errors = read_with_good(path)
    assert [a.origin for a in got] == [f"{path}:1", f"{path}:3", f"{path}:8"]
    assert [e.origin for e in errors] == [f"{path}:{n}" for n in (2, 4, 6, 7, 9)]
    for error in errors:
        line = error.origin.rsplit(":", 1)[1]
        assert error.message.startswith(f"line {line}: ")
    assert len({e.message for e in errors}) == len(errors)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"text": 42}, "text"),
        ({"text": ["a", "b"]}, "text"),
        ({"text": "Body.", "title": {"x": 1}}, "title"),
        ({"text": "Body.", "source": 3.5}, "source"),
        ({"text": "Body.", "url": True}, "url"),
        ({"html": None, "text": None}, None),
        ({"id": [1], "text": "Body."}, "id"),
    ],
)
def test_jsonl_lines_with_wrong_types_are_one_error_each(
    tmp_path: Path, line: dict[str, object], field: str | None
) -> None:
    path = tmp_path / "types.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps({"text": "A fire."}) + "\n")
    got, errors = read_with_good(path)
    assert [a.origin for a in got] == [f"{path}:2"]
    error = one_error(errors, path)
    assert error.origin == f"{path}:1" and error.message.startswith("line 1: ")
    if field is not None:
        assert repr(field) in error.message


def test_jsonl_with_a_cp1252_line_among_utf8_lines_reads_all(tmp_path: Path) -> None:
    path = tmp_path / "mixed-encoding.jsonl"
    lines = [json.dumps({"text": p}, ensure_ascii=False) for p in FRENCH]
    path.write_bytes(
        lines[0].encode() + b"\n" + lines[1].encode("cp1252") + b"\n" + lines[2].encode() + b"\n"
    )
    got, errors = read_with_good(path)
    assert not errors
    assert [a.text for a in got] == FRENCH


def test_text_file_named_jsonl_stops_after_a_run_of_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text("\n".join(f"just a line of prose number {n}" for n in range(5_000)))
    got, errors = read_with_good(path)
    assert not got
    error = one_error(errors[-1:], path)
    assert len(errors) <= 21 and error.message == Msg.JSONL_GAVE_UP.format(lines=len(errors) - 1)


# --------------------------------------------------------------------------- manifests


def test_manifest_errors_name_the_manifest_and_line_and_the_files_are_still_read(
    tmp_path: Path,
) -> None:
    good_file(tmp_path)
    manifest = tmp_path / "manifest.jsonl"
    lines = [
        json.dumps({"file": "good.txt", "source": "Télé Grève"}, ensure_ascii=False),
        "{not json",
        json.dumps({"file": "good.txt", "source": 7}),
        json.dumps({"file": "missing.txt"}),
    ]
    manifest.write_bytes("\n".join(lines).encode("cp1252"))
    got, errors = split(read(tmp_path))
    assert [a.source for a in got] == ["Télé Grève"]
    assert [e.origin for e in errors] == [str(manifest)] * 3
    assert [e.message.split(":")[0] for e in errors] == [f"manifest line {n}" for n in (2, 3, 4)]


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", Msg.EMPTY), (b"\x00\x01\x02" * 100, Msg.BINARY)],
)
def test_empty_or_binary_manifest_is_one_error_and_the_files_are_still_read(
    tmp_path: Path, data: bytes, message: str
) -> None:
    good_file(tmp_path)
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_bytes(data)
    got, errors = split(read(tmp_path))
    assert len(got) == 1
    one_error(errors, manifest, message)


def test_manifest_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    good_file(tmp_path)
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(json.dumps({"file": "good.txt", "source": "x" * 500}) + "\n")
    size = manifest.stat().st_size
    got, errors = split(read(tmp_path, options=Options(max_file_bytes=size - 1)))
    assert len(got) == 1
    one_error(errors, manifest, Msg.TOO_LARGE.format(size=size, limit=size - 1))


# --------------------------------------------------------------------------- folders


def test_folder_with_unreadable_entries_reports_each_and_reads_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = good_file(folder)
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "loop.html").symlink_to(folder / "loop.html")
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    os.mkfifo(folder / "pipe-unknown")  # unknown suffix: sniffing must not block either
    (folder / "sub.txt").mkdir()  # a folder named like a file is walked, not read
    (folder / "sub.txt" / "inner.txt").write_text("Inner\n\nA second article here.\n")
    started = time.perf_counter()
    got, errors = split(read(folder))
    assert time.perf_counter() - started < 10
    assert sorted(a.origin for a in got) == sorted(
        [str(good), str(folder / "sub.txt" / "inner.txt")]
    )
    by_origin = {e.origin: e.message for e in errors}
    assert set(by_origin) == {str(folder / n) for n in ("dangling.txt", "loop.html", "pipe.txt")}
    assert by_origin[str(folder / "pipe.txt")] == Msg.NOT_REGULAR


def test_unreadable_file_is_one_error_naming_it(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: file permissions do not stop reading")
    path = tmp_path / "locked.txt"
    path.write_text("Title\n\nBody.\n")
    path.chmod(0)
    try:
        _, errors = read_with_good(path)
    finally:
        path.chmod(0o600)
    assert one_error(errors, path).message.startswith("cannot read file")


def test_a_pipe_or_device_named_explicitly_is_one_error(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    _, errors = read_with_good(pipe)
    one_error(errors, pipe, Msg.NOT_REGULAR)


# --------------------------------------------------------------------------- the CLI


def test_cli_exit_code_and_summary_list_every_failed_input(tmp_path: Path) -> None:
    from crosswire.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    good_file(folder)
    (folder / "more.txt").write_text(
        "Harbour fire spreads\n\nThe fire destroyed a second warehouse near the quay.\n"
    )
    empty = write(folder, "txt", b"", name="empty")
    binary = write(folder, "html", b"\x00\x01" * 500, name="binary")
    lines = write(folder, "jsonl", b'{"text": "A fire."}\n{oops\n', name="lines")
    missing = tmp_path / "missing.txt"
    for flags in ([], ["--quiet"]):
        result = CliRunner().invoke(
            app,
            [
                "analyze",
                str(folder),
                str(missing),
                "--out",
                str(tmp_path / "out"),
                "--no-db",
                *flags,
            ],
        )
        assert result.exit_code == 1, result.output
        output = " ".join(result.output.split())  # wrapping must not hide a name
        summary = Msg.INPUTS_FAILED.format(failed=4, total=7)
        assert summary in output
        for origin in (str(empty), str(binary), f"{lines}:2", str(missing)):
            assert origin in output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert len(report["articles"]) == 3
    assert len(report["errors"]) == 4
