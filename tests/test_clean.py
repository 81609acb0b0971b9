"""clean: furniture is removed by shape, vocabulary, position and repetition; body is kept."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.clean import clean_articles, furniture_score
from crosswire.inputs import read_inputs
from crosswire.models import Article
from crosswire.options import Options

MADURO = Path(__file__).resolve().parents[2] / "shared" / "examples" / "maduro-trump-call"

BODY = [
    "The city council voted on Tuesday to close the old harbour bridge for repairs.",
    "Engineers said cracks found in the main span made the closure unavoidable.",
    "A spokesperson declined to comment on how long the work would take.",
    "Traffic will be diverted through the tunnel, which opened in 2019.",
]


def article(text: str, *, id: str = "a", source: str = "Outlet", title: str = "") -> Article:
    return Article(id=id, source=source, title=title, text=text)


def clean_one(text: str, **kwargs: str) -> Article:
    [result] = clean_articles([article(text, **kwargs)], Options())
    return result


def assert_removed_at_the_tail(furniture: list[str]) -> None:
    """Lines after the body are removed, and listed as written."""
    result = clean_one("\n".join(BODY + furniture))
    assert result.text == "\n".join(BODY)
    assert result.boilerplate_removed == furniture


# --------------------------------------------------------------------------- line kinds


def test_ui_lines_at_the_tail_are_removed_and_listed_as_written() -> None:
    furniture = [
        "Share this article",
        "Follow us on Facebook",
        "Comments (12)",
        "Tags: bridge | council | traffic",
        "Sign up for our newsletter",
        "© 2025 Outlet Media. All rights reserved.",
    ]
    assert_removed_at_the_tail(furniture)


def test_site_chrome_at_the_head_is_removed_but_a_standfirst_is_kept() -> None:
    head = ["Skip to content", "Menu", "Home | News | Local", "Updated 3 hours ago"]
    standfirst = "Old bridge to shut for months as engineers find cracks"
    result = clean_one("\n".join([*head, standfirst, *BODY]))
    assert result.boilerplate_removed == head
    assert result.text.split("\n") == [standfirst, *BODY]


def test_a_lone_ui_line_between_body_paragraphs_needs_a_strong_score() -> None:
    middle = ["Advertisement", "Read more: Council approves budget", "Background"]
    text = "\n".join([BODY[0], middle[0], BODY[1], middle[1], BODY[2], middle[2], BODY[3]])
    result = clean_one(text)
    assert result.boilerplate_removed == middle[:2]
    assert "Background" in result.text.split("\n")  # a short subheading is not furniture


def test_body_sentences_with_ui_words_are_kept_anywhere() -> None:
    sentences = [
        "Shares in the builder fell 4% after the council published its report.",
        "Readers can follow the vote on the council's website, officials said.",
        "The mayor did not reply to emails.",
    ]
    result = clean_one("\n".join([sentences[0], *BODY, *sentences[1:]]))
    assert result.boilerplate_removed == []
    assert result.text.split("\n") == [sentences[0], *BODY, *sentences[1:]]


def test_ui_dominated_sentences_at_the_tail_are_removed() -> None:
    tail = [
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
    ]
    result = clean_one("\n".join(BODY + tail))
    assert result.boilerplate_removed == tail


def test_headlines_below_tail_furniture_are_other_stories_and_removed() -> None:
    tail = [
        "Most popular",
        "Ferry operators confirm spring fare rise",
        "Old town roadworks to last until summer",
        "| Route | Fare |",
    ]
    result = clean_one("\n".join(BODY + tail))
    assert result.boilerplate_removed == tail[:3]
    assert result.text.split("\n") == [*BODY, "| Route | Fare |"]  # a table row is content


def test_a_closing_headline_line_without_furniture_before_it_is_kept() -> None:
    closing = "Council to vote again on the bridge in March"
    result = clean_one("\n".join([*BODY, closing]))
    assert result.boilerplate_removed == []


def test_a_cookie_notice_at_the_tail_is_removed() -> None:
    notice = (
        "We use cookies to improve your experience on our site. By continuing to browse, "
        "you agree to our use of cookies."
    )
    result = clean_one("\n".join([*BODY, notice]))
    assert result.boilerplate_removed == [notice]


def test_link_lists_and_counters_are_furniture_but_table_rows_are_not() -> None:
    assert furniture_score("• Source 1 • Source 2") == 1.0
    assert furniture_score("Home › World › Americas") == 1.0
    assert furniture_score("Comments (0)") == 1.0
    assert furniture_score("| Team | Points |") == 0.0
    assert furniture_score(BODY[0]) < 0.2


def test_bullets_are_stripped_from_kept_body_lines() -> None:
    result = clean_one("\n".join([BODY[0], "• " + BODY[1], "- " + BODY[2], BODY[3]]))
    assert result.text.split("\n") == BODY
    assert result.boilerplate_removed == []


def test_the_outlets_own_name_counts_as_branding() -> None:
    low = furniture_score("Harbour Gazette: local news")
    branded = furniture_score("Harbour Gazette: local news", source="Harbour Gazette")
    assert branded > low


# --------------------------------------------------------------------------- titles


def test_title_that_is_furniture_is_replaced_by_the_next_headline() -> None:
    headline = "Council shuts harbour bridge after engineers find cracks"
    result = clean_one("\n".join([headline, *BODY]), title="Site icon Gazette: daily news")
    assert result.title == headline
    assert result.text.split("\n") == BODY
    assert result.boilerplate_removed == ["Site icon Gazette: daily news"]


def test_glued_section_labels_are_cut_from_the_title() -> None:
    result = clean_one("\n".join(BODY), title="LocalCouncil shuts harbour bridge for repairs")
    assert result.title == "Council shuts harbour bridge for repairs"
    assert result.boilerplate_removed == ["Local"]


def test_a_glued_name_the_article_uses_is_not_cut() -> None:
    text = "\n".join([*BODY, "LinkedIn said it would appeal the ruling."])
    result = clean_one(text, title="LinkedIn fined over data breach")
    assert result.title == "LinkedIn fined over data breach"


def test_outlet_name_is_cut_from_the_title() -> None:
    title = "Bridge to close for repairs | Harbour Gazette"
    result = clean_one("\n".join(BODY), title=title, source="Harbour Gazette")
    assert result.title == "Bridge to close for repairs"
    assert result.boilerplate_removed == ["Harbour Gazette"]


def test_a_short_plain_title_is_kept() -> None:
    headline = "Council shuts harbour bridge after engineers find cracks"
    result = clean_one("\n".join([headline, *BODY]), title="Bridge shut")
    assert result.title == "Bridge shut"


# --------------------------------------------------------------------------- repetition


def test_a_line_repeated_across_one_outlets_articles_is_removed() -> None:
    template = "Morning briefing from the newsroom"
    first = article("\n".join([BODY[0], template, BODY[1]]), id="a", source="Gazette")
    second = article("\n".join([BODY[2], template, BODY[3]]), id="b", source="Gazette")
    elsewhere = article("\n".join([BODY[0], template, BODY[3]]), id="c", source="Other")
    a, b, c = clean_articles([first, second, elsewhere], Options())
    assert a.boilerplate_removed == [template] and b.boilerplate_removed == [template]
    assert c.boilerplate_removed == []  # one article of its outlet: no evidence


def test_repeated_full_sentences_and_repeated_versions_are_kept() -> None:
    shared = "The council will meet again next week to review the decision."
    other = [
        "Shop owners near the bridge said the closure would cost them customers.",
        "A petition against the decision had gathered 2,000 signatures by Friday.",
    ]
    first = article("\n".join([*BODY, shared]), id="a", source="Gazette")
    update = article("\n".join([*BODY, "Subheading kept", shared]), id="b", source="Gazette")
    second = article("\n".join(["Subheading kept", *other, shared]), id="c", source="Gazette")
    results = clean_articles([first, update, second], Options())
    assert all(shared in r.text for r in results)  # a full sentence is never a template
    # a and its update b are one story, so BODY counts once and stays; the subheading is in
    # two stories (b and c), so it is this outlet's template.
    assert [r.boilerplate_removed for r in results] == [
        [],
        ["Subheading kept"],
        ["Subheading kept"],
    ]


def test_repetition_threshold_comes_from_options() -> None:
    template = "Morning briefing from the newsroom"
    items = [
        article("\n".join([BODY[i], template, BODY[(i + 1) % 4]]), id=str(i), source="G")
        for i in range(2)
    ]
    strict = clean_articles(items, Options(repeated_line_min_articles=3))
    assert all(template in r.text for r in strict)


# --------------------------------------------------------------------------- contract


def test_clean_returns_new_articles_and_leaves_the_input_untouched() -> None:
    original = article("\n".join([*BODY, "Leave a Reply"]))
    [result] = clean_articles([original], Options())
    assert result is not original
    assert original.text.endswith("Leave a Reply") and original.boilerplate_removed == []
    assert result.id == original.id and result.source == original.source


@given(st.lists(st.text(max_size=300), max_size=6), st.text(max_size=80))
@settings(max_examples=80, deadline=None)
def test_clean_never_raises_and_only_removes_lines(texts: list[str], title: str) -> None:
    items = [article(t, id=str(i), source="S", title=title) for i, t in enumerate(texts)]
    for before, after in zip(items, clean_articles(items, Options()), strict=True):
        assert len(after.text) <= len(before.text)
        for line in after.boilerplate_removed:
            assert line in before.text or line in before.title


@pytest.mark.parametrize("unit", ["!", ".'", "• ", ". A", "a ", "Comments (", "|x", "PoliticsW"])
def test_clean_runs_in_linear_time_on_long_adversarial_lines(unit: str) -> None:
    line = unit * (100_000 // len(unit))
    items = [article(f"{line}\n{line}", id=str(i), title=line) for i in range(2)]
    started = time.process_time()
    clean_articles(items, Options())
    assert time.process_time() - started < 2.0  # CPU seconds: other load does not count


# --------------------------------------------------------------------------- example corpus

# Every line clean may remove from the example corpus, per article; each must be removed.
MADURO_FURNITURE = {
    "article-000": ["Related Sources:", "• Source 1 • Source 2"],
    "article-001": [
        "PoliticsWorld News",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ],
    "article-002": [],
    "article-003": ["Site icon Realist: news and analytics", "Exit mobile version"],
    "article-004": ["Comments (0)"],
}


@pytest.fixture(scope="module")
def maduro() -> dict[str, tuple[Article, Article]]:
    if not MADURO.is_dir():
        pytest.skip(f"example corpus not found at {MADURO}")
    raw = [a for a in read_inputs([MADURO], Options()) if isinstance(a, Article)]
    return {a.id: (a, c) for a, c in zip(raw, clean_articles(raw, Options()), strict=True)}


@pytest.mark.shared
def test_maduro_furniture_is_removed_and_nothing_else(
    maduro: dict[str, tuple[Article, Article]],
) -> None:
    assert {k: c.boilerplate_removed for k, (_, c) in maduro.items()} == MADURO_FURNITURE
    for _, cleaned in maduro.values():
        for line in cleaned.boilerplate_removed:
            assert line not in cleaned.text.split("\n")


@pytest.mark.shared
def test_maduro_body_lines_survive_cleaning(maduro: dict[str, tuple[Article, Article]]) -> None:
    for key, (raw, cleaned) in maduro.items():
        removed = set(MADURO_FURNITURE[key])
        kept = set(cleaned.text.split("\n")) | {cleaned.title}
        for line in raw.text.split("\n"):
            line = line.strip()
            if line and line not in removed:
                assert line.lstrip("•- ").strip() in kept, (key, line)


@pytest.mark.shared
def test_maduro_subheadings_are_kept(maduro: dict[str, tuple[Article, Article]]) -> None:
    assert "What We Know — And What’s Still Unclear" in maduro["article-001"][1].text
    assert "The Pentagon confirms bombings, leaving 82 dead" in maduro["article-002"][1].text


@pytest.mark.shared
def test_maduro_titles_are_repaired(maduro: dict[str, tuple[Article, Article]]) -> None:
    for key in ("article-001", "article-003"):
        raw, cleaned = maduro[key]
        headline = raw.text.split("\n")[0]  # the real headline follows the furniture
        assert cleaned.title == headline
        assert not cleaned.text.startswith(headline)
    for key in ("article-000", "article-004"):
        assert maduro[key][1].title == maduro[key][0].title


def test_a_credit_line_naming_no_one_is_removed_at_the_head() -> None:
    # "X staff, with agencies" credits the desk, not a person: furniture, like a byline
    cleaned = clean_one("\n".join(["Meridian Daily staff, with agencies", *BODY]))
    assert cleaned.text.split("\n") == BODY
    assert cleaned.boilerplate_removed == ["Meridian Daily staff, with agencies"]
    # a sentence about staff is news
    assert furniture_score("Hospital staff worked through the night to treat the injured.") == 0


def test_a_sign_off_at_the_tail_is_removed_but_the_same_words_in_the_body_are_kept() -> None:
    # how to reach the writer, who the writer is, the copyright line, a promise of more
    sign_off = [
        "Reach him at 412-320-7827 or jdoe@example.com.",
        "Jane Doe is a Tribune-Review staff writer.",
        "Stay with KTVI and ktvi.com for more details as they become available.",
        "Copyright 2016 Nexstar Broadcasting, Inc.",
    ]
    assert_removed_at_the_tail(sign_off)
    # between body paragraphs such a line is text, and news about a reporter is news
    middle = [BODY[0], sign_off[1], *BODY[1:]]
    assert clean_one("\n".join(middle)).text == "\n".join(middle)
    about = "Police said Smith was a reporter at the Herald for ten years before the shooting."
    assert clean_one("\n".join([*BODY, about])).text == "\n".join([*BODY, about])
