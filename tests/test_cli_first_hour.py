"""The first hour of a new user (issue 26), through the CLI as they would type it: outlets
decided and said, no hidden store mixing runs, refused XML entity feeds, --version, CSV
export, PDF input, literal extras in messages, languages other than English named."""

from __future__ import annotations

import csv
import json
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crosswire.cli import app
from crosswire.errors import Msg
from crosswire.inputs import read_inputs
from crosswire.models import Article, InputError
from crosswire.options import Options

BODY = (
    "A fire destroyed a warehouse in the harbour district on Thursday night, the fire service "
    "said, and about forty firefighters worked through the night to stop it spreading.\n\n"
    "Nobody was hurt, a city spokeswoman said, adding that the cause of the fire was still "
    "being investigated and that the quay road would stay closed until Saturday.\n\n"
    "Residents described a column of black smoke visible from across the bay, and several "
    "said they had heard small explosions shortly before midnight."
)
SPANISH = (
    "Un incendio destruyó el jueves por la noche un almacén del barrio del puerto, según "
    "informó el servicio de bomberos, y unos cuarenta bomberos trabajaron toda la noche.\n\n"
    "Nadie resultó herido, dijo una portavoz de la ciudad, que añadió que la causa del "
    "incendio todavía se investiga y que la carretera del muelle seguirá cerrada hasta el sábado."
)


def _page(head: str, title: str = "Harbour warehouse fire") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    return (
        f"<html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
        f"{paragraphs}</article></body></html>"
    )


def _five_outlets(folder: Path) -> Path:
    """A folder of five saved articles from five outlets, no manifest."""
    folder.mkdir(parents=True)
    (folder / "one.html").write_text(
        _page('<meta property="og:site_name" content="The Harbour Times">'), encoding="utf-8"
    )
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Harbour fire"}
    ld["publisher"] = {"@type": "Organization", "name": "Bay Chronicle"}
    (folder / "two.html").write_text(
        _page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'), encoding="utf-8"
    )
    (folder / "three.html").write_text(
        _page('<link rel="canonical" href="https://www.quayside-news.example/fire">'),
        encoding="utf-8",
    )
    (folder / "four.txt").write_text(
        "Harbour fire\n\nPORT ALMERA (Coastal Wire) - " + BODY, encoding="utf-8"
    )
    (folder / "five-daily.txt").write_text("Harbour fire\n\n" + BODY, encoding="utf-8")
    return folder


def _read(*paths: Path, source: str | None = None) -> list[Article]:
    items = list(read_inputs(list(paths), Options(), source=source))
    assert not [i for i in items if isinstance(i, InputError)], items
    return [i for i in items if isinstance(i, Article)]


# --------------------------------------------------------------------------- 1. outlets


def test_each_file_says_its_outlet_and_how_it_was_decided(tmp_path: Path) -> None:
    folder = _five_outlets(tmp_path / "saved")
    found = {a.id: (a.source, a.source_from) for a in _read(folder)}
    assert found["one"] == ("The Harbour Times", "page metadata")
    assert found["two"][1] == "page metadata" and found["two"][0] == "Bay Chronicle"
    assert found["three"] == ("quayside-news.example", "page URL")
    assert found["four"] == ("Coastal Wire", "byline or dateline")
    assert found["five-daily"] == ("five-daily", "file name")
    assert "saved" not in {source for source, _ in found.values()}  # never the folder's name


def test_manifest_wins_then_source_option(tmp_path: Path) -> None:
    folder = _five_outlets(tmp_path / "saved")
    (folder / "manifest.jsonl").write_text('{"file": "one.html", "source": "Named"}\n')
    found = {a.id: (a.source, a.source_from) for a in _read(folder, source="Everyone")}
    assert found["one"] == ("Named", "manifest")
    assert {found[k] for k in ("two", "three", "four", "five-daily")} == {("Everyone", "--source")}


def test_analyze_says_how_outlets_were_decided_and_where_the_data_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _five_outlets(tmp_path / "saved")
    (folder / "spanish.txt").write_text("Incendio en el puerto\n\n" + SPANISH, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a ./crosswire.db would show up here
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "6 articles, 6 outlets:" in said
    assert "from page metadata 2" in said and "from file name 2" in said
    assert "from page URL 1" in said and "from byline or dateline 1" in said
    assert "manifest.jsonl" in said and "--source NAME" in said
    # 5: the Spanish article is named, skipped by the English-only steps, marked in the report
    assert "not in English: spanish (es)" in said
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {a["id"]: a["language"] for a in report["articles"]}["spanish"] == "es"
    # 2: a fresh store under --out, said; nothing hidden in the working directory
    assert f"Data: {out / 'crosswire.db'} (a fresh store for this run)" in said
    assert (out / "crosswire.db").is_file() and not (tmp_path / "crosswire.db").exists()
    assert len({a["source"] for a in report["articles"]}) == 6

    # A second run into the same --out reports only its own articles.
    other = tmp_path / "other"
    other.mkdir()
    (other / "solo.txt").write_text("Harbour fire\n\n" + BODY, encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(other), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in report["articles"]] == ["solo"]


# --------------------------------------------------------------------------- 2. no hidden state


def test_empty_folder_is_an_error_and_shows_no_earlier_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    db = tmp_path / "kept.db"
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour fire\n\n" + BODY, encoding="utf-8")
    first = CliRunner().invoke(app, ["analyze", str(folder), "--out", str(out), "--db", str(db)])
    assert first.exit_code == 0, first.output
    written = (out / "report.json").stat().st_mtime_ns

    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(app, ["analyze", str(empty), "--out", str(out), "--db", str(db)])
    assert result.exit_code == 2
    assert "no articles found in" in result.output and str(empty) in result.output
    assert "crosswire" not in result.output.split("error:")[0]  # no story table printed
    assert (out / "report.json").stat().st_mtime_ns == written


def test_unreadable_inputs_are_an_error_naming_them(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(app, ["analyze", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert f"{bad}: {Msg.EMPTY}" in said and Msg.NONE_READ in said
    assert not (tmp_path / "out" / "report.json").exists()


# --------------------------------------------------------------------------- 3. literal extras


def test_file_names_with_brackets_print_literally(tmp_path: Path) -> None:
    bad = tmp_path / "x[server].txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(app, ["analyze", str(bad), "--no-db", "--out", str(tmp_path)])
    assert "x[server].txt" in result.output


def test_server_hint_keeps_the_extra_name(capsys: pytest.CaptureFixture[str]) -> None:
    import typer

    from crosswire.console import fail as _fail

    with pytest.raises(typer.Exit):
        _fail(Msg.SERVER_NOT_INSTALLED.format(error="x"))
    assert "pip install 'crosswire[server]'" in " ".join(capsys.readouterr().err.split())


# --------------------------------------------------------------------------- 6. feeds

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>Laughs</title>
<item><title>&lol3;</title><description>&lol3; &lol3; &lol3; &lol3;</description></item>
</channel></rss>
"""


def test_feed_declaring_entities_is_refused_and_the_rest_goes_in(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "laughs.xml").write_bytes(LAUGHS)
    (folder / "good.txt").write_text("Harbour fire\n\n" + BODY, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(folder), "--out", str(out)])
    assert result.exit_code == 1  # an input failed
    said = " ".join(result.output.split())
    assert f"{folder / 'laughs.xml'}: refused: its DOCTYPE declares XML entities" in said
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in report["articles"]] == ["good"]
    assert "lol" not in json.dumps(report["articles"])


def test_feed_with_a_plain_doctype_is_still_read(tmp_path: Path) -> None:
    feed = tmp_path / "plain.rss"
    feed.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
        "<title>Plain</title><item><title>Fire</title><description>"
        + BODY.replace("\n\n", " ")
        + "</description></item></channel></rss>",
        encoding="utf-8",
    )
    [article] = _read(feed)
    assert article.source == "Plain" and article.source_from == "feed"


# --------------------------------------------------------------------------- 7. new commands


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("crosswire ")


def test_export_csv_of_the_demo_report(tmp_path: Path) -> None:
    # a small report built by hand is enough: the CSV's shape, not the analysis, is tested
    from crosswire.models import (
        Claim,
        ClaimSource,
        Conflict,
        ConflictValue,
        FramingEntry,
        Report,
        ReportArticle,
        Story,
    )
    from crosswire.report import write_reports
    from crosswire.tables import CSV_COLUMNS

    def art(i: str, source: str) -> ReportArticle:
        return ReportArticle(
            id=i,
            source=source,
            title="t",
            url=None,
            published=None,
            published_inferred=False,
            boilerplate_removed=[],
        )

    story = Story(
        id="s1",
        title="Harbour fire",
        article_ids=["a", "b"],
        outlets=2,
        claims=[
            Claim(
                id="c1",
                text="=40 firefighters worked",
                sources=[ClaimSource(article_id="a", sentence="40 firefighters.", start=0, end=16)],
                outlets=1,
                status="single_source",
            )
        ],
        conflicts=[
            Conflict(
                id="k1",
                kind="number",
                subject="dead",
                values=[
                    ConflictValue(
                        value="10", normalized=10.0, article_ids=["a"], evidence=["10 died"]
                    ),
                    ConflictValue(
                        value="12", normalized=12.0, article_ids=["b"], evidence=["12 died"]
                    ),
                ],
            )
        ],
        framing=[
            FramingEntry(article_id="b", term="inferno", refers_to="fire", others_use=["fire"])
        ],
    )
    from datetime import UTC, datetime

    report = Report(
        generated_at=datetime.now(UTC),
        articles=[art("a", "Times"), art("b", "Chronicle")],
        stories=[story],
    )
    folder = tmp_path / "report"
    write_reports(report, folder)
    out = tmp_path / "export.csv"
    result = CliRunner().invoke(app, ["export", "--csv", str(out), str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 claims, 1 conflicts, 1 framing entries" in " ".join(result.output.split())
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_kind = {r["kind"]: r for r in rows}
    assert by_kind["claim"]["text"] == "'=40 firefighters worked"  # not run as a formula
    assert by_kind["claim"]["outlets"] == "Times"
    assert by_kind["claim"]["citations"] == 'Times [a]: "40 firefighters."'
    assert by_kind["conflict"]["text"] == "number of dead: 10 (Times) vs 12 (Chronicle)"
    assert by_kind["conflict"]["outlets"] == "Chronicle; Times"
    assert by_kind["framing"]["outlets"] == "Chronicle"

    missing = CliRunner().invoke(app, ["export", "--csv", str(out), str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no report.json there" in missing.output


def _pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF whose text layer holds `lines` (Helvetica, one line each)."""
    ops = ["BT /F1 11 Tf 50 780 Td 14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    stream = zlib.compress("\n".join(ops).encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    data = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return data


def test_pdf_articles_are_read_from_their_text_layer(tmp_path: Path) -> None:
    sentences = [s.strip() + "." for s in BODY.replace("\n\n", " ").split(". ") if s.strip()]
    path = tmp_path / "harbour-gazette.pdf"
    path.write_bytes(_pdf(["Harbour warehouse fire", *sentences]))
    [article] = _read(path)
    assert article.title == "Harbour warehouse fire"
    assert "forty firefighters" in article.text
    assert (article.source, article.source_from) == ("harbour-gazette", "file name")

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_pdf([]))
    [error] = list(read_inputs([scan], Options()))
    assert isinstance(error, InputError) and error.message == Msg.PDF_NO_TEXT
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    [error] = list(read_inputs([broken], Options()))
    assert isinstance(error, InputError) and error.message.startswith("not a readable PDF")
