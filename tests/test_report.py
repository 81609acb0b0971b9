"""report.json / report.md / report.html: contract, safety against hostile text, offline HTML."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.errors import CrosswireError
from crosswire.models import (
    Claim,
    ClaimSource,
    Conflict,
    ConflictValue,
    FramingEntry,
    InputError,
    QuoteGroup,
    QuoteVariant,
    Report,
    ReportArticle,
    Story,
    StoryEntity,
    SummarySentence,
    TimelineEntry,
)
from crosswire.report import (
    claim_stances,
    render_html,
    render_markdown,
    report_schema,
    timeline_parts,
    validate_report,
    write_reports,
)

HOSTILE = "Officials said <script>alert(1)</script> and <img src=x onerror=alert(1)> nothing more."


def _article(aid: str, source: str, text: str, **kw: object) -> ReportArticle:
    fields: dict[str, object] = {
        "id": aid,
        "source": source,
        "title": f"Title of {aid}",
        "url": f"https://{source.lower().replace(' ', '')}.example/{aid}",
        "published": date(2025, 11, 23),
        "published_inferred": False,
        "boilerplate_removed": ["Leave a Reply", "Exit mobile version"],
        "text": text,
    }
    fields.update(kw)
    return ReportArticle.model_validate(fields)


@pytest.fixture
def report() -> Report:
    articles = [
        _article(
            "a1",
            "Outlet A",
            "The fire started on Friday, 21 November.\n\nTwelve people died, officials said.",
            story_id="s1",
        ),
        _article(
            "a2",
            "Outlet B",
            "The fire began on 21 November. Fifteen people died.\n"
            '"We will rebuild," the mayor said.',
            story_id="s1",
        ),
        _article(
            "a3",
            "Outlet C",
            "The blaze at the harbour began on 22 November. " + HOSTILE,
            story_id="s1",
            url="javascript:alert(1)",
            published_inferred=True,
        ),
        _article("b1", "Outlet D", "The port reopened on Monday.", story_id="s2"),
        _article(
            "b2", "Outlet E", "The port reopened on Monday.", story_id="s2", duplicate_of="b1"
        ),
        _article("loose", "Outlet F", "An unrelated article.", story_id=None, url=None),
    ]
    x_date = Conflict(
        id="x1",
        kind="date",
        subject="when the fire started",
        values=[
            ConflictValue(
                value="21 November",
                normalized="2025-11-21",
                article_ids=["a1", "a2"],
                evidence=[
                    "The fire started on Friday, 21 November.",
                    "The fire began on 21 November.",
                ],
            ),
            ConflictValue(
                value="22 November",
                normalized="2025-11-22",
                article_ids=["a3"],
                evidence=["The blaze at the harbour began on 22 November."],
            ),
        ],
        severity="high",
        explanation="Outlets give different start dates.",
    )
    x_number = Conflict(
        id="x2",
        kind="number",
        subject="deaths",
        values=[
            ConflictValue(
                value="Twelve",
                normalized=12.0,
                article_ids=["a1"],
                evidence=["Twelve people died, officials said."],
            ),
            ConflictValue(
                value="Fifteen",
                normalized=15.0,
                article_ids=["a2"],
                evidence=["Fifteen people died."],
            ),
        ],
    )
    s1 = Story(
        id="s1",
        title="Harbour fire",
        article_ids=["a1", "a2", "a3"],
        outlets=3,
        entities=[
            StoryEntity(
                name="Harbour",
                type="LOC",
                aliases=["the harbour", "port"],
                article_ids=["a1", "a3"],
                titles={"a3": ["historic harbour"]},
            )
        ],
        claims=[
            Claim(
                id="c1",
                text="The fire started on 21 November.",
                sources=[
                    ClaimSource(
                        article_id="a1",
                        sentence="The fire started on Friday, 21 November.",
                        sentence_index=0,
                    ),
                    ClaimSource(
                        article_id="a2", sentence="The fire began on 21 November.", sentence_index=0
                    ),
                ],
                outlets=2,
                status="disputed",
                conflict_ids=["x1"],
            ),
            Claim(
                id="c2",
                text="People died in the fire.",
                sources=[
                    ClaimSource(article_id="a1", sentence="Twelve people died, officials said."),
                    ClaimSource(article_id="a2", sentence="Fifteen people died."),
                ],
                outlets=2,
                status="corroborated",
                conflict_ids=["x2"],
            ),
            Claim(
                id="c3",
                text="The mayor said they will rebuild.",
                sources=[
                    ClaimSource(article_id="a2", sentence='"We will rebuild," the mayor said.')
                ],
                outlets=1,
                status="single_source",
                attributed_to="mayor",
            ),
        ],
        quotes=[
            QuoteGroup(
                speaker="mayor",
                variants=[
                    QuoteVariant(article_id="a2", text="We will rebuild"),
                    QuoteVariant(article_id="a1", text="We shall rebuild"),
                ],
                wording_differs=True,
            )
        ],
        conflicts=[x_date, x_number],
        timeline=[
            TimelineEntry(
                date=date(2025, 11, 21),
                earliest=date(2025, 11, 21),
                latest=date(2025, 11, 22),
                precision="day",
                event="The fire starts",
                article_ids=["a1", "a2", "a3"],
                conflict_ids=["x1"],
                note="Outlet C says 22 November.",
            ),
            TimelineEntry(
                date=date(2025, 11, 23),
                earliest=date(2025, 11, 23),
                latest=date(2025, 11, 23),
                precision="day",
                event="Articles published",
                article_ids=["a1"],
            ),
            TimelineEntry(
                date=date(2025, 11, 26),
                earliest=date(2025, 11, 24),
                latest=date(2025, 11, 30),
                precision="week",
                event="Inquiry opens <b>next week</b>",
                article_ids=["a3"],
            ),
        ],
        framing=[
            FramingEntry(
                article_id="a3",
                term="inferno",
                refers_to="the fire",
                others_use=["fire", "blaze"],
                loaded=True,
            ),
            FramingEntry(
                article_id="a1", term="fire", refers_to="the fire", others_use=["inferno"]
            ),
        ],
        summary=[
            SummarySentence(
                text="A fire broke out at the harbour.",
                article_ids=["a1", "a2"],
                section="established",
            ),
            SummarySentence(
                text="Outlets disagree on the start date.",
                article_ids=["a1", "a3"],
                section="disputed",
            ),
            SummarySentence(
                text="The mayor promised to rebuild.", article_ids=["a2"], section="single_source"
            ),
            SummarySentence(
                text="The fire started on 21 or 22 November.",
                article_ids=["a3"],
                section="timeline",
            ),
        ],
        omissions={"a3": ["c2"]},
    )
    s2 = Story(
        id="s2",
        title="Port reopens",
        article_ids=["b1", "b2"],
        outlets=1,
        claims=[
            Claim(
                id="c1",
                text="The port reopened on Monday.",
                sources=[
                    ClaimSource(article_id="b1", sentence="The port reopened on Monday."),
                    ClaimSource(article_id="b2", sentence="The port reopened on Monday."),
                ],
                outlets=1,
                status="single_source",
            )
        ],
        conflicts=[
            Conflict(
                id="x1",
                kind="quote",
                subject="what the harbour master said",
                values=[
                    ConflictValue(
                        value="open for business", normalized=None, article_ids=["b1"], evidence=[]
                    ),
                    ConflictValue(
                        value="partly open", normalized=None, article_ids=["b2"], evidence=[]
                    ),
                ],
                severity="low",
            )
        ],
        timeline=[
            TimelineEntry(
                date=date(2025, 11, 24),
                earliest=date(2025, 11, 24),
                latest=date(2025, 11, 24),
                precision="day",
                event="Port reopens",
                article_ids=["b1"],
            )
        ],
        # "gone" is cited but not among the articles: it must not become a dangling link.
        summary=[SummarySentence(text="The port reopened.", article_ids=["b1", "gone"])],
    )
    return Report(
        generated_at=datetime(2025, 11, 25, 12, 0, tzinfo=UTC),
        articles=articles,
        stories=[s1, s2],
        errors=[InputError(origin="feeds/broken.xml", message="not a readable RSS/Atom feed")],
    )


def _tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


# --------------------------------------------------------------------------- report.json


def test_report_json_round_trips_and_validates_against_schema(
    report: Report, tmp_path: Path
) -> None:
    paths = write_reports(report, tmp_path / "out")
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    validate_report(data)
    assert Report.model_validate(data) == report
    assert data["generated_at"].startswith("2025-11-25T12:00:00")
    assert data["articles"][0]["published"] == "2025-11-23"


def test_report_schema_lists_required_story_fields() -> None:
    schema = report_schema()
    assert schema["properties"]["schema_version"]["const"] == 1
    assert set(schema["$defs"]["Story"]["required"]) == {"id", "title", "article_ids"}
    assert "Conflict" in schema["$defs"]


def test_validate_report_names_the_missing_key(report: Report) -> None:
    data = json.loads(report.model_dump_json())
    del data["stories"][0]["title"]
    with pytest.raises(ValueError, match=r"stories\[0\].*'title'"):
        validate_report(data)


def test_validate_report_rejects_wrong_schema_version_and_bad_values(report: Report) -> None:
    data = json.loads(report.model_dump_json())
    data["schema_version"] = 2
    with pytest.raises(ValueError, match="schema_version"):
        validate_report(data)
    data = json.loads(report.model_dump_json())
    data["stories"][0]["claims"][0]["status"] = "rumour"
    # the schema's own verdict, at the JSON path that broke it
    with pytest.raises(
        ValueError, match=r"\$\.stories\[0\]\.claims\[0\]\.status: 'rumour' is not one of"
    ):
        validate_report(data)
    with pytest.raises(ValueError, match="is not of type 'object'"):
        validate_report([])  # type: ignore[arg-type]


def test_validate_report_refuses_keys_the_schema_does_not_name(report: Report) -> None:
    data = json.loads(report.model_dump_json())
    data["stories"][0]["claims"][0]["confidence"] = 0.9
    with pytest.raises(ValueError, match=r"claims\[0\].*'confidence' was unexpected"):
        validate_report(data)


# --------------------------------------------------------------------------- html safety


def test_html_escapes_hostile_article_text(report: Report) -> None:
    html = render_html(report)
    assert "<script>alert" not in html
    assert "onerror=" not in html.replace("onerror=alert(1)&gt;", "")
    tree = _tree(html)
    assert not tree.xpath("//img"), "article markup must not become elements"
    assert not tree.xpath("//@*[starts-with(name(), 'on')]"), "no event-handler attributes"
    scripts = tree.xpath("//script")
    assert len(scripts) == 1 and "alert" not in scripts[0].text_content()
    # The hostile text is still shown to the reader, as text.
    assert "<script>alert(1)</script>" in tree.get_element_by_id("art-a3").text_content()


def test_html_never_links_non_web_urls(report: Report) -> None:
    tree = _tree(render_html(report))
    assert not tree.xpath("//a[starts-with(@href, 'javascript:')]")
    assert tree.xpath("//a[@href='https://outleta.example/a1']")


def test_html_loads_no_remote_resources(report: Report) -> None:
    html = render_html(report)
    tree = _tree(html)
    for attr in tree.xpath("//@src | //link/@href | //script/@href | //use/@href"):
        assert not str(attr).lower().startswith(("http:", "https:", "//")), attr
    assert not tree.xpath("//link[@rel='stylesheet'] | //script[@src] | //iframe | //object")
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]
    assert "@import" not in html and "url(" not in html


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&\"'\n/="),
        min_size=1,
        max_size=200,
    )
)
def test_html_shows_any_article_text_exactly_as_text(text: str) -> None:
    rep = Report(
        generated_at=datetime(2025, 1, 1, tzinfo=UTC),
        articles=[_article("a1", "Outlet", text, story_id=None)],
        stories=[],
    )
    tree = _tree(render_html(rep))
    body = tree.xpath("//section[@id='art-a1']//div[@class='text']")
    assert len(body) == 1
    assert body[0].text_content() == text
    assert not body[0].xpath(".//*[not(self::mark)]")


# --------------------------------------------------------------------------- html content


def test_html_links_resolve_to_existing_ids(report: Report) -> None:
    tree = _tree(render_html(report))
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids)), "element ids are unique"
    internal = [h for h in tree.xpath("//a/@href") if h.startswith("#")]
    assert len(internal) > 20
    for href in internal:
        assert href[1:] in ids, f"dangling link {href}"
    # The brief cites articles by id, and an id missing from the report is not a link.
    assert tree.xpath("//section[@class='brief']//a[@href='#art-a1']")
    missing = tree.xpath("//span[contains(@class, 'missing')]")
    assert [m.text_content() for m in missing] == ["[gone]"]


def test_html_draws_timeline_chart_with_one_bar_per_entry(report: Report) -> None:
    tree = _tree(render_html(report))
    charts = tree.xpath("//svg[contains(@class, 'timeline')]")
    assert len(charts) == len(report.stories)
    for chart, story in zip(charts, report.stories, strict=True):
        # the axis holds the entries the text dates, outliers apart (issue 24)
        on_axis = timeline_parts(story.timeline).dated
        bars = chart.xpath(".//rect[contains(@class, 'tl-bar')]")
        assert len(bars) == len(on_axis)
        disputed = chart.xpath(".//rect[contains(@class, 'disputed')]")
        assert len(disputed) == sum(1 for t in on_axis if t.conflict_ids)
        assert chart.xpath(".//line[contains(@class, 'tl-axis')]")
    # A range (week) is wider than a single day, and bars sit in date order along the axis.
    widths = [float(b.get("width")) for b in charts[0].xpath(".//rect")]
    xs = [float(b.get("x")) for b in charts[0].xpath(".//rect")]
    assert widths[2] > widths[1] * 5
    assert xs == sorted(xs)


def test_html_matrix_marks_support_dispute_and_silence(report: Report) -> None:
    tree = _tree(render_html(report))
    row = tree.get_element_by_id("claim-0-0")  # c1: a1, a2 support; a3 is on the other side of x1
    cells = row.xpath("./td[contains(@class, 'cell')]")
    assert [c.get("class").split()[-1] for c in cells] == ["supports", "supports", "disputes"]
    assert cells[2].xpath("./a/@href") == ["#conflict-0-0"]
    # Support links to the highlighted sentence in the article.
    target = cells[0].xpath("./a/@href")[0][1:]
    assert (
        tree.get_element_by_id(target).text_content() == "The fire started on Friday, 21 November."
    )
    row3 = tree.get_element_by_id("claim-0-2")  # c3: only a2
    marks = [c.get("class").split()[-1] for c in row3.xpath("./td[contains(@class, 'cell')]")]
    assert marks == ["silent", "supports", "silent"]


def test_html_shows_conflicts_framing_quotes_entities_and_errors(report: Report) -> None:
    tree = _tree(render_html(report))
    conflict = tree.get_element_by_id("conflict-0-0")
    values = conflict.xpath(".//div[@class='value']")
    assert len(values) == 2
    assert "The blaze at the harbour began on 22 November." in values[1].text_content()
    assert "high severity" in conflict.text_content() and "date" in conflict.text_content()
    text = tree.text_content()
    assert "inferno" in text and tree.xpath("//span[@class='loaded']")
    assert "wording differs" in text and "We shall rebuild" in text
    assert "the harbour, port" in text
    assert "feeds/broken.xml" in tree.get_element_by_id("errors").text_content()
    furniture = tree.xpath("//section[@id='art-a1']//details/ul/li/text()")
    assert furniture == ["Leave a Reply", "Exit mobile version"]
    assert "<b>next week</b>" in text  # shown literally, not as markup


# --------------------------------------------------------------------------- markdown


def test_markdown_contains_each_conflict_and_citation(report: Report) -> None:
    md = render_markdown(report)
    for story in report.stories:
        for conflict in story.conflicts:
            assert conflict.subject in md
            for value in conflict.values:
                assert value.value in md
        for sentence in story.summary:
            line = next(ln for ln in md.splitlines() if sentence.text in ln)
            for aid in sentence.article_ids:
                assert f"[{aid}]" in line
    assert "| c1 | The fire started on 21 November. | disputed | 2 | [a1] [a2] | x1 |" in md
    assert "⚠ disputed (x1)" in md
    assert "feeds/broken.xml" in md


def test_markdown_escapes_markup_from_content(report: Report) -> None:
    md = render_markdown(report)
    assert "<script>" not in md and "<img" not in md
    assert r"\<b\>next week\</b\>" in md
    # Only web addresses become link definitions for citations.
    assert "[a1]: <https://outleta.example/a1>" in md
    assert "javascript:" not in md


# --------------------------------------------------------------------------- files


def test_write_reports_creates_three_files_and_no_temp_files(
    report: Report, tmp_path: Path
) -> None:
    out = tmp_path / "deep" / "out"
    paths = write_reports(report, out)
    assert set(paths) == {"json", "md", "html"}
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json", "report.md"]
    assert paths["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # Written again over the old files, still whole.
    write_reports(report, out)
    assert len(list(out.iterdir())) == 3


def test_write_reports_into_a_file_path_raises_clear_error(report: Report, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(CrosswireError, match="cannot write reports to"):
        write_reports(report, blocker / "out")


EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples" / "maduro-trump-call"


@pytest.mark.shared
def test_html_shows_real_article_texts_unchanged() -> None:
    if not (EXAMPLES / "manifest.jsonl").exists():
        pytest.skip(f"example corpus not found at {EXAMPLES}")
    rows = [json.loads(ln) for ln in (EXAMPLES / "manifest.jsonl").read_text().splitlines() if ln]
    articles = [
        _article(
            f"article-{i:03d}",
            row["source"],
            (EXAMPLES / row["file"]).read_text(encoding="utf-8"),
            published=date.fromisoformat(row["published"]),
        )
        for i, row in enumerate(rows)
    ]
    rep = Report(generated_at=datetime(2025, 12, 5, tzinfo=UTC), articles=articles, stories=[])
    tree = _tree(render_html(rep))
    for art in articles:
        body = tree.xpath(f"//section[@id='art-{art.id}']//div[@class='text']")
        assert body[0].text_content() == art.text.replace("\r\n", "\n")
    md = render_markdown(rep)
    assert all(f"[{a.id}] **{a.source}**" in md for a in articles)


def test_the_brief_opens_with_its_lead_section_in_markdown_and_html(report: Report) -> None:
    from crosswire.report import brief_sections

    story = report.stories[0]
    story.summary = [
        SummarySentence(
            text="The fire, its date disputed.", article_ids=["a1"], section="disputed"
        ),
        SummarySentence(text="Both report the fire.", article_ids=["a1", "a2"]),
        SummarySentence(text="Only one: a detail.", article_ids=["a1"], section="single_source"),
    ]
    assert [s for s, _, _ in brief_sections(story)] == ["disputed", "established", "single_source"]
    md = render_markdown(report)
    assert md.index("**Disputed**") < md.index("**Established**") < md.index("**Reported by")
    brief = lxml.html.fromstring(render_html(report)).find_class("brief")[0]
    assert [h.text for h in brief.iter("h4")] == [
        "Disputed",
        "Established",
        "Reported by one outlet",
    ]
    # a brief that opens with an established fact keeps the usual order
    story.summary = story.summary[1:2] + story.summary[0:1]
    assert [s for s, _, _ in brief_sections(story)] == ["established", "disputed"]
    story.summary = []
    assert brief_sections(story) == []


def test_a_source_on_the_other_side_of_the_claims_conflict_disputes_it_a_compatible_bound_does_not() -> (
    None
):
    text = "At least 12 workers were killed."
    said = {"a": text, "b": "At least 10 workers were killed.", "c": "Nine workers were killed."}
    toll = Conflict(
        id="x",
        kind="number",
        subject="workers killed",
        values=[
            ConflictValue(
                value="9 workers", normalized=9.0, article_ids=["c"], evidence=[said["c"]]
            ),
            ConflictValue(
                value="at least 10 workers",
                normalized=10.0,
                article_ids=["b"],
                evidence=[said["b"]],
            ),
            ConflictValue(
                value="At least 12 workers", normalized=12.0, article_ids=["a"], evidence=[text]
            ),
        ],
    )
    claim = Claim(
        id="k",
        text=text,
        sources=[ClaimSource(article_id=a, sentence=t, sentence_index=0) for a, t in said.items()],
        outlets=3,
        status="disputed",
        conflict_ids=["x"],
    )
    story = Story(
        id="s", title="t", article_ids=["a", "b", "c", "d"], claims=[claim], conflicts=[toll]
    )
    marks = {aid: mark for aid, (mark, _) in claim_stances(story, claim).items()}
    assert marks == {"a": "supports", "b": "supports", "c": "disputes", "d": "silent"}
