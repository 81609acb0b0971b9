"""How crosswire reads a page's main text beyond trafilatura's own pass (issue 26): small
synthetic pages, each showing one behaviour."""

from __future__ import annotations

import trafilatura
from lxml import html as lxml_html

from crosswire.inputs.mending import _story_link_keys
from crosswire.inputs.pages import _STRICT_KW, article_from_html, fragment_text

_CHUNK_1 = """
   <p>The harbour council voted on Tuesday to split the dredging plan into two phases, after
   fishermen asked for a study of the silt first.</p>
   <p>The first phase clears the inner basin this winter, when the mussel beds off the point
   are least disturbed by the boats.</p>
   <p>Councillors said the second phase would wait for the study, which the university has
   agreed to run over the spring.</p>"""
_CHUNK_2 = """
   <p>The study will sample the silt at twelve points along the channel and report on the
   metals it finds there.</p>
   <p>Fishermen welcomed the delay but warned that the outer channel is already too shallow
   for the larger trawlers at low tide.</p>
   <p>The council will hold an open meeting on the results in June, and vote on the second
   phase the same night.</p>"""
_OTHER_ARTICLE = """
   <p>The lifeboat crew took part in a night exercise with the coastguard helicopter off the
   northern breakwater on Sunday.</p>
   <p>Volunteers practised lifting a casualty from the deck of the boat in a rising swell and
   a stiff wind from the east.</p>"""


def _page(article: str, after: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><title>Harbour dredging plan split in two
</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<main><article class="story"><h1>Harbour dredging plan split in two</h1>{article}</article>
{after}</main>
<footer><p>Copyright 2026 Harbour Gazette. All rights reserved.</p></footer></body></html>"""


def _chunks(*bodies: str) -> str:
    # each chunk of the body in its own grid cell, an ad slot between them
    cells = [f'<div class="grid"><div class="body article__body">{b}</div></div>' for b in bodies]
    return '<div class="chunks">' + '<div class="ad">Advertisement</div>'.join(cells) + "</div>"


SPLIT = _page(_chunks(_CHUNK_1, _CHUNK_2))


def test_trafilatura_alone_keeps_only_the_first_chunk_of_a_split_body() -> None:
    kept = trafilatura.extract(SPLIT, **_STRICT_KW) or ""
    assert "split the dredging plan" in kept and "twelve points" not in kept


def test_a_body_split_into_chunks_between_ads_is_read_whole_and_in_order() -> None:
    text = article_from_html(SPLIT, id="a", origin="a").text
    first = text.index("split the dredging plan")
    assert first < text.index("run over the spring") < text.index("twelve points")
    assert text.index("twelve points") < text.index("vote on the second phase the same night")
    assert "Advertisement" not in text and "Copyright" not in text
    assert text.count("twelve points") == 1


def test_another_article_with_the_same_body_class_further_down_stays_out() -> None:
    appended = f'<section class="next"><article class="story"><h2>Lifeboat drill</h2>\
<div class="more"><div class="teaser"><div class="body article__body">{_OTHER_ARTICLE}\
</div></div></div></article></section>'
    page = _page(_chunks(_CHUNK_1), after=appended)
    text = article_from_html(page, id="a", origin="a").text
    assert "split the dredging plan" in text
    assert "night exercise" not in text


def test_a_page_whose_body_is_one_container_reads_as_trafilatura_reads_it() -> None:
    page = _page(f'<div class="body article__body">{_CHUNK_1}{_CHUNK_2}</div>')
    text = article_from_html(page, id="a", origin="a").text
    kept = trafilatura.extract(page, **_STRICT_KW) or ""
    assert " ".join(text.split()) == " ".join(kept.split()).removeprefix(
        "Harbour dredging plan split in two "
    )


_PROMPTS = """
   <p>Like this story? Share it with a friend!</p>
   <p>Get the latest harbour news in your inbox. Subscribe to our newsletters.</p>
   <p>Follow the Harbour Gazette on Twitter and Facebook.</p>
   <p>comments</p>"""


def test_calls_to_the_reader_at_the_end_of_the_text_are_left_out() -> None:
    page = _page(f'<div class="body article__body">{_CHUNK_1}{_PROMPTS}</div>')
    kept = trafilatura.extract(page, **_STRICT_KW) or ""
    assert "Share it with a friend" in kept  # trafilatura keeps them
    article = article_from_html(page, id="a", origin="a")
    assert article.text.endswith("agreed to run over the spring.")
    assert "Like this story? Share it with a friend!" in article.boilerplate_removed


def test_the_article_own_sentences_about_newsletters_and_sharing_are_kept() -> None:
    # reported speech, not an imperative to the reader
    news = """
   <p>Boat owners can sign up with the email address on their mooring licence, and the
   council said 4,000 residents had subscribed to its harbour newsletter since the spring.</p>"""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{news}</div>')
    text = article_from_html(page, id="a", origin="a").text
    assert text.endswith("subscribed to its harbour newsletter since the spring.")


def test_a_call_to_the_reader_between_paragraphs_is_kept() -> None:
    # only the ends of the text are page furniture; between paragraphs it may be a how-to step
    step = "<p>Sign up for the tide alerts here, then share the link with your crew.</p>"
    page = _page(f'<div class="body article__body">{_CHUNK_1}{step}{_CHUNK_2}</div>')
    assert "Sign up for the tide alerts here" in article_from_html(page, id="a", origin="a").text


def test_a_line_that_links_to_another_story_is_left_out() -> None:
    teaser = """<p><strong>SEE MORE:</strong> <a href="/news/2026/04/lifeboat-crew-rescues-two-\
kayakers-off-the-point">Lifeboat crew rescues two kayakers off the point</a></p>"""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{teaser}{_CHUNK_2}</div>')
    assert "Lifeboat crew rescues" in (trafilatura.extract(page, **_STRICT_KW) or "")
    article = article_from_html(page, id="a", origin="a")
    assert "Lifeboat crew rescues" not in article.text
    assert "twelve points" in article.text and "run over the spring" in article.text


def test_a_link_in_the_article_own_sentence_stays() -> None:
    own = """<p>The council published <a href="/news/2026/04/the-full-dredging-plan-as-voted">the
full dredging plan as voted</a> on its site.</p>"""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{own}{_CHUNK_2}</div>')
    text = article_from_html(page, id="a", origin="a").text
    assert "the full dredging plan as voted on its site." in " ".join(text.split())


def test_only_links_to_an_address_ending_in_a_story_slug_are_story_links() -> None:
    tree = lxml_html.fromstring(
        """<div><a href="/shop/tide-tables">Harbour tide tables for this spring</a>
<a href="https://amzn.to/2hXQPDr">Buy the harbour guide book now</a>
<a href="/p/a-b-c-d">https://example.org/a-b-c-d and more words</a>
<a href="/2026/04/lifeboat-crew-rescues-two-kayakers/?ref=top">Lifeboat crew rescues two
kayakers</a></div>"""
    )
    assert _story_link_keys(tree) == [("lifeboat crew rescues two kayakers", 5)]


_TWEET = """<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en">The
silt study starts on Monday, twelve samples along the channel.</p>&mdash; Harbour Council
(@harbourcouncil) <a href="https://twitter.com/harbourcouncil/status/1">April 2, 2026</a>
</blockquote><script async src="https://platform.twitter.com/widgets.js"></script></div>"""


def _put_back_between_chunks(inserted: str, needle: str) -> str:
    """The article text of a page whose body holds `inserted` between the two chunks, where
    trafilatura's strict pass alone leaves `needle` out."""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{inserted}{_CHUNK_2}</div>')
    assert needle not in (trafilatura.extract(page, **_STRICT_KW) or "")
    return article_from_html(page, id="a", origin="a").text


def test_an_embedded_tweet_the_site_wraps_as_social_is_kept_in_its_place() -> None:
    text = _put_back_between_chunks(_TWEET, "silt study starts")
    assert text.index("run over the spring") < text.index("silt study starts on Monday")
    assert text.index("(@harbourcouncil)") < text.index("twelve points along the channel and")


def test_an_embedded_tweet_outside_the_article_stays_out() -> None:
    sidebar = (
        f'<aside class="rail"><div class="widget"><p>Follow the council</p>{_TWEET}</div></aside>'
    )
    page = _page(f'<div class="body article__body">{_CHUNK_1}{_CHUNK_2}</div>', after=sidebar)
    assert "silt study starts" not in article_from_html(page, id="a", origin="a").text


def test_an_embedded_tweet_trafilatura_kept_in_lines_is_not_added_twice() -> None:
    tweet = """<blockquote class="twitter-tweet"><p lang="en">The silt study starts on Monday.<br>Twelve
samples along the channel, results in June.</p>&mdash; Harbour Council (@harbourcouncil)
<a href="https://twitter.com/harbourcouncil/status/1">April 2, 2026</a></blockquote>"""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{tweet}{_CHUNK_2}</div>')
    assert "Twelve samples" in " ".join((trafilatura.extract(page, **_STRICT_KW) or "").split())
    text = article_from_html(page, id="a", origin="a").text
    assert text.count("silt study starts on Monday") == 1


def test_a_quote_closing_the_article_is_not_taken_for_a_call_to_the_reader() -> None:
    quote = """<p>“Get the boats out of here before the winter, and let the study tell us what we
    have in the silt,” the harbour master said.</p>"""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{quote}</div>')
    text = article_from_html(page, id="a", origin="a").text
    assert text.rstrip().endswith("the harbour master said.")


def test_a_first_line_repeating_the_title_with_other_quotes_or_without_the_site_goes() -> None:
    page = f"""<!DOCTYPE html><html lang="en"><head>
<title>'Harbour dredging plan' split in two | Harbour Gazette</title></head><body>
<div class="body article__body"><h2>‘Harbour dredging plan’ split in two</h2>{_CHUNK_1}</div>
</body></html>"""
    assert (trafilatura.extract(page, **_STRICT_KW) or "").startswith("‘Harbour dredging plan’")
    article = article_from_html(page, id="a", origin="a")
    assert article.text.startswith("The harbour council voted on Tuesday")


def test_a_chunk_trafilatura_kept_with_a_link_cut_out_is_not_added_again() -> None:
    # trafilatura's precision pass drops a <span class="link"> inside a paragraph
    link = '<span class="link"><a href="/metals">with a link</a></span>'
    cut = f"""<p>The study will sample the silt at twelve points {link} along the channel.</p>
<p>Fishermen welcomed the delay but warned {link} that the outer channel is too shallow.</p>"""
    page = _page(f'<div class="chunk">{_CHUNK_1}</div><div class="chunk">{cut}</div>')
    kept = trafilatura.extract(page, **_STRICT_KW) or ""
    assert "twelve points" in kept and "with a link" not in kept
    text = article_from_html(page, id="a", origin="a").text
    assert text.count("twelve points") == 1


def test_a_paragraph_wrapped_over_source_lines_is_one_page_line() -> None:
    text = fragment_text("<p>The council\nvoted on Tuesday.</p><pre>line one\nline two</pre>")
    assert text == "The council voted on Tuesday.\n\nline one\nline two"


def test_text_after_a_comment_inside_a_paragraph_is_kept() -> None:
    assert fragment_text("<p>The council <!-- ad slot --> votes today.</p>") == (
        "The council votes today."
    )


_LEAD = """<p>The harbour council split the dredging plan in two on Tuesday, after a long night
of questions from the fishermen of the east quay.</p>"""


def test_a_strict_pass_that_keeps_little_of_the_page_prose_gives_way_to_the_balanced_one() -> None:
    # the body in a block favor_precision drops by its class: the strict pass keeps the lead,
    # more than 5% of the page's words but under a quarter of its prose
    body = f'<div class="article-bottom">{_CHUNK_1}{_CHUNK_2}</div>'
    page = _page(f'<div class="body article__body">{_LEAD}{body}</div>')
    kept = trafilatura.extract(page, **_STRICT_KW) or ""
    assert "long night" in kept and "twelve points" not in kept
    text = article_from_html(page, id="a", origin="a").text
    assert text.index("long night") < text.index("run over the spring") < text.index("twelve")
    assert text.count("twelve points") == 1


def test_a_strict_text_too_short_for_an_article_gives_way_to_the_balanced_one() -> None:
    page = """<!DOCTYPE html><html><head><title>Quay</title></head><body><div class="story">
<div><p>Photo: quay</p></div><div class="bottom">The quay reopens on Monday after the silt
tests, the harbour office said.</div></div></body></html>"""
    assert trafilatura.extract(page, **_STRICT_KW) == "Photo: quay"
    text = article_from_html(page, id="a", origin="a").text
    assert "The quay reopens on Monday after the silt tests" in " ".join(text.split())


def test_a_sentence_the_strict_pass_cut_a_link_out_of_is_read_whole() -> None:
    cut = """<p>The harbour master said <span class="link"><a href="/news/2026/04/fined">the
contractor will be fined</a></span> for the spill, and that the quay stays closed until the
silt has been tested again.</p>"""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{cut}{_CHUNK_2}</div>')
    kept = " ".join((trafilatura.extract(page, **_STRICT_KW) or "").split())
    assert "The harbour master said for the spill" in kept
    text = article_from_html(page, id="a", origin="a").text
    assert "The harbour master said the contractor will be fined for the spill" in text
    assert text.count("for the spill") == 1
    assert text.index("run over the spring") < text.index("for the spill") < text.index("twelve")


_BOXED = """<p style="border-left: 3px solid #036">The harbour master said the quay would stay
closed until the silt had been tested again, which could take most of the summer.</p>"""


def test_a_prose_paragraph_left_out_between_two_kept_ones_is_put_back_in_place() -> None:
    text = _put_back_between_chunks(_BOXED, "quay would stay")
    assert text.index("run over the spring") < text.index("quay would stay closed")
    assert text.index("most of the summer.") < text.index("twelve points")


def test_a_caption_or_a_teaser_link_left_out_between_paragraphs_stays_out() -> None:
    caption = """<figure><img src="/quay.jpg"><figcaption class="caption">Fishing boats lie at
the east quay on Tuesday morning, before the council voted to split the dredging plan in
two.</figcaption></figure>"""
    teaser = """<p style="border: 1px solid #ccc"><a href="/news/2026/04/lifeboat-rescue">The
lifeboat crew rescued two kayakers off the point on Sunday, after their boats capsized in a
stiff easterly wind.</a></p>"""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{caption}{teaser}{_CHUNK_2}</div>')
    text = article_from_html(page, id="a", origin="a").text
    assert "Fishing boats" not in text and "kayakers" not in text
    assert "run over the spring" in text and "twelve points" in text


def test_prose_left_out_after_the_article_last_kept_paragraph_stays_out() -> None:
    note = """<p style="border-top: 1px solid #ccc">The Harbour Gazette is an independent
paper owned by its readers, and it has reported on the port and the town since 1887.</p>"""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{note}</div>')
    text = article_from_html(page, id="a", origin="a").text
    assert text.endswith("agreed to run over the spring.")


def test_a_cut_sentence_is_read_whole_without_the_page_soft_hyphens() -> None:
    # trafilatura leaves soft hyphens out; the page's line is matched and put back without them
    cut = """<p>The coun\u00adcil\u00adlors said <span class="link"><a href="/news/2026/04/vote">the
vote will wait</a></span> for the uni\u00adversity study of the silt along the channel.</p>"""
    page = _page(f'<div class="body article__body">{_CHUNK_1}{cut}{_CHUNK_2}</div>')
    text = article_from_html(page, id="a", origin="a").text
    whole = "The councillors said the vote will wait for the university study of the silt"
    assert whole in text and "\u00ad" not in text
    assert text.count("councillors said") == 1
