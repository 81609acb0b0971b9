"""What trafilatura gets wrong on news pages, mended from the page itself (`mend`): the rest
of a body split into same-class chunks between ads and the prose the strict pass cut out of the
article put back, embedded posts put back in their place, links to other stories and calls to
the reader at the text's ends taken out. Each step reads the parsed page (an lxml tree) beside
trafilatura's text; `pages` runs them after its extraction passes.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from lxml import etree

__all__ = ["PROSE_END", "SENTENCE_END", "mend", "text_key"]

_WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
"""A line that ends like a sentence (closing quotes and brackets after its mark)."""


def mend(tree: Any, text: str, page_lines: list[str]) -> str:
    """`text` (trafilatura's, of the page `tree` whose visible lines are `page_lines`) with
    every mending step applied, in order."""
    text = _with_left_out_prose(tree, _with_split_body(tree, text), page_lines)
    text = _with_embedded_posts(tree, text)
    return _without_edge_prompts(_without_story_links(tree, text))


# A paragraph of an article's body: this many words or more (shorter ones are captions,
# labels, "Advertisement")...
_BODY_PARAGRAPH_WORDS = 8
# ...and a body container's twin lies within this many levels of it (the same article's
# chunks, not another article appended further down the page).
_TWIN_LEVELS = 3
PROSE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


def text_key(text: str) -> str:
    """A line's words, case-folded: how lines of the page and of the text are compared."""
    return " ".join(_WORD.findall(text)).casefold()


def _with_split_body(tree: Any, text: str) -> str:
    """`text` with the paragraphs of the rest of a body split into several containers.

    Sites cut long articles into chunks between ads: sibling elements with the same tag and
    class, each holding some of the <p>s. trafilatura keeps the first chunk only. A chunk is
    taken back when it is the twin of the container trafilatura's paragraphs came from
    (same tag and class, near it in the tree) and none of its own paragraphs was kept.
    """
    by_signature: dict[tuple[str, str], dict[Any, list[Any]]] = {}
    for p in tree.iter("p"):
        parent = p.getparent()
        cls = parent.get("class") if parent is not None else None
        if cls:
            by_signature.setdefault((parent.tag, cls), {}).setdefault(parent, []).append(p)
    kept = text_key(text)
    best: tuple[int, Any, dict[Any, list[str]], dict[Any, int]] | None = None
    for containers in by_signature.values():
        if len(containers) < 2:
            continue
        paragraphs: dict[Any, list[str]] = {}
        matched: dict[Any, int] = {}
        for container, ps in containers.items():
            lines = [" ".join(p.text_content().split()) for p in ps]
            lines = [line for line in lines if len(_WORD.findall(line)) >= _BODY_PARAGRAPH_WORDS]
            paragraphs[container] = lines
            matched[container] = sum(text_key(line) in kept for line in lines)
        main = max(matched, key=matched.__getitem__)
        if matched[main] >= 2 and (best is None or matched[main] > best[0]):
            best = (matched[main], main, paragraphs, matched)
    if best is None:
        return text
    _, main, paragraphs, matched = best
    near = main
    for _ in range(_TWIN_LEVELS):
        near = near.getparent() if near.getparent() is not None else near
    if near is main:
        return text
    before: list[str] = []
    after: list[str] = []
    seen_main = False
    for container, lines in paragraphs.items():  # document order
        if container is main:
            seen_main = True
            continue
        prose = [line for line in lines if PROSE_END.search(line)]
        if matched[container] or len(prose) < 2 or not _nested_in(container, near):
            continue
        # kept after all, only not word for word (trafilatura cut a link out of it)
        if any(_opening(line) in kept for line in lines):
            continue
        if _nested_in(container, main) or _nested_in(main, container):
            continue
        (after if seen_main else before).extend(prose)
    if not before and not after:
        return text
    lines = text.split("\n")
    keys = [text_key(line) for line in lines]
    main_kept = [text_key(line) for line in paragraphs[main] if text_key(line) in kept]
    # where the main chunk's first and last kept paragraphs are in the text
    first = next((n for n, k in enumerate(keys) if main_kept[0] in k), 0)
    last = next((n for n in reversed(range(len(keys))) if main_kept[-1] in keys[n]), len(keys) - 1)
    return "\n".join(lines[:first] + before + lines[first : last + 1] + after + lines[last + 1 :])


# Prose the strict pass left out of the article: a line of the page of this many words or
# more that ends like a sentence (`PROSE_END`)...
_LEFT_OUT_MIN_WORDS = 15
# ...mostly words, not markup shown as text ('style="display: inline-block;"')...
_LEFT_OUT_WORD_SHARE = 0.8
_WORDLIKE = re.compile(r"[\"'“‘(\[]*[^\W_]+(?:[’'\-.][^\W_]+)*[\"'”’)\].,;:!?…]*")
# ...not mostly the text of one link (a teaser of another story), not a photo's caption.
_LEFT_OUT_LINK_SHARE = 0.5
_CAPTIONS = etree.XPath('//figcaption|//*[contains(@class, "caption") or contains(@id, "caption")]')
# Characters that do not show and that trafilatura leaves out (soft hyphens, zero widths).
_INVISIBLE = re.compile("[\xad\u200b-\u200d\u2060\ufeff]")


def _looks_like_prose(line: str) -> bool:
    """A page line that may be the article's prose (see the constants above)."""
    tokens = line.split()
    if len(tokens) < _LEFT_OUT_MIN_WORDS or not PROSE_END.search(line):
        return False
    words = sum(bool(_WORDLIKE.fullmatch(token)) for token in tokens)
    return words >= _LEFT_OUT_WORD_SHARE * len(tokens) and not _is_prompt(line)


def _with_left_out_prose(tree: Any, text: str, page_lines: list[str]) -> str:
    """`text` with the prose the strict pass cut out of the article, taken from the page's
    visible lines (`page_lines`).

    favor_precision drops elements by class or style ("link", "bottom", a border), and with
    them a link inside a sentence ("... reported that [the NFL will fine Rudolph] for his
    role") or a whole paragraph holding one. A kept line that is a page line with words cut
    out is replaced by the page line; a page line left out between two page lines that follow
    each other in the text is put back between them, unless it is a caption or a link. Not
    before the text's first line or after its last: teasers and notes lie there.
    """
    lines = text.split("\n")
    first_at: dict[str, int] = {}
    for n, line in enumerate(lines):
        first_at.setdefault(" ".join(line.split()), n)
    # where each page line is in the text, if kept word for word (most of the kept ones are;
    # page lines have their spaces collapsed already)
    kept_at = [first_at.get(line) for line in page_lines]
    # (a count of spaces first: most of a page's lines are short, and it is the cheapest test)
    candidates = [
        n
        for n, line in enumerate(page_lines)
        if line.count(" ") >= _LEFT_OUT_MIN_WORDS - 1
        and kept_at[n] is None
        and _looks_like_prose(line)
    ]
    if not candidates:
        return text
    keys = [text_key(line) for line in lines]
    kept_text = " ".join(keys)
    line_words = [key.split() for key in keys]
    by_edge: dict[str, set[int]] = {}  # the text's lines by their first and last word
    for n, words in enumerate(line_words):
        for word in words[:1] + words[-1:]:
            by_edge.setdefault(word, set()).add(n)
    anchors: list[int] = []
    mended: dict[int, str] = {}
    inserts: dict[int, list[str]] = {}
    unwanted: set[str] | None = None
    for n in candidates:
        line = _INVISIBLE.sub("", page_lines[n])
        key = text_key(line)
        if key in kept_text:
            continue
        at = _cut_from(key.split(), line_words, by_edge)
        if at is not None:
            # not a page line that runs on over the next kept line (it would be there twice)
            if at not in mended and (at + 1 == len(keys) or keys[at + 1] not in key):
                mended[at] = line
            continue
        anchors = anchors or [m for m, place in enumerate(kept_at) if place is not None]
        # the kept page lines around this one, and where they are in the text
        following = bisect.bisect(anchors, n)
        if not 0 < following < len(anchors):
            continue
        before, after = kept_at[anchors[following - 1]], kept_at[anchors[following]]
        if before is None or after != before + 1:
            continue
        unwanted = _link_and_caption_keys(tree) if unwanted is None else unwanted
        if not any(_covers(part, key) for part in unwanted):
            inserts.setdefault(before, []).append(line)
    if not mended and not inserts:
        return text
    out: list[str] = []
    for n, line in enumerate(lines):
        out.append(mended.get(n, line))
        out.extend(inserts.get(n, ()))
    return "\n".join(out)


def _cut_from(words: list[str], lines: list[list[str]], by_edge: dict[str, set[int]]) -> int | None:
    """The line of `lines` that is `words` with some cut out: most of them, in order, the
    first or the last in place (`by_edge`: the lines by their first and last word)."""
    for n in sorted(by_edge.get(words[0], set()) | by_edge.get(words[-1], set())):
        part = lines[n]
        if (
            _BODY_PARAGRAPH_WORDS <= len(part) < len(words) <= 2 * len(part)
            and (part[0] == words[0] or part[-1] == words[-1])
            and _in_order(part, words)
        ):
            return n
    return None


def _link_and_caption_keys(tree: Any) -> set[str]:
    """The words of the page's links and photo captions."""
    elements = [*tree.iter("a"), *_CAPTIONS(tree)]
    return {key for element in elements if (key := text_key(element.text_content()))}


def _covers(part: str, key: str) -> bool:
    """`key` lies inside `part`, or `part` makes up most of it."""
    return key in part or (part in key and len(part) >= _LEFT_OUT_LINK_SHARE * len(key))


def _in_order(part: list[str], whole: list[str]) -> bool:
    """Every word of `part` is in `whole`, in the same order."""
    rest = iter(whole)
    return all(word in rest for word in part)


# A link to another story, kept by trafilatura as a line of the text ("SEE MORE: Hong Kong
# protests: 800 students under siege", "[Related: ...]", a list of further reading): a line
# that is not a sentence, mostly the text of one link, and that link's address ends in a
# story's slug ("/2019/11/hong-kong-students-under-siege").
_LINK_SHARE = 0.7
_LINK_MIN_WORDS = 4
_LINK_MAX_WORDS = 25
_SLUG_WORDS = 4  # a slug of 4+ words, three of their separators
_ADDRESS_TEXT = re.compile(r"https?:|www\.", re.IGNORECASE)


def _story_link_keys(tree: Any, first_words: set[str] | None = None) -> list[tuple[str, int]]:
    """The texts of the page's links to stories, with their word counts; with `first_words`,
    only links starting with one of them (a page has hundreds of links, few of them kept)."""
    keys: list[tuple[str, int]] = []
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").split("?", 1)[0].split("#", 1)[0].rstrip("/")
        slug = href.rsplit("/", 1)[-1]
        if slug.count("-") + slug.count("_") < _SLUG_WORDS - 1:
            continue
        if first_words is not None and anchor.text and not anchor.text.isspace():
            first = _WORD.search(anchor.text)
            if first is None or first.group().casefold() not in first_words:
                continue
        shown = anchor.text_content()
        key = text_key(shown)
        words = key.count(" ") + 1 if key else 0
        if words >= _LINK_MIN_WORDS and not _ADDRESS_TEXT.search(shown):
            keys.append((key, words))
    return keys


def _without_story_links(tree: Any, text: str) -> str:
    """`text` without the lines that are links to other stories (a sentence stays: a link in
    the article's own prose, "Get more meal ideas here!")."""
    lines = text.split("\n")
    candidates = [
        n
        for n, line in enumerate(lines)
        if _LINK_MIN_WORDS <= len(_WORD.findall(line)) <= _LINK_MAX_WORDS
        and not SENTENCE_END.search(line.rstrip())
    ]
    if not candidates:
        return text
    keys = {n: text_key(lines[n]) for n in candidates}
    links = _story_link_keys(tree, {word for key in keys.values() for word in key.split()})
    if not links:
        return text
    drop = set()
    for n, key in keys.items():
        words = key.count(" ") + 1
        if any(k in key and w >= _LINK_SHARE * words for k, w in links):
            drop.add(n)
    kept = [line for n, line in enumerate(lines) if n not in drop]
    return "\n".join(kept) if any(_WORD.search(line) for line in kept) else text


# The site's calls to the reader that trafilatura keeps at either end of the text ("Follow
# us on Twitter", "Sign up for our newsletter", "Like this story? Share it with a friend!"):
# a sentence opening with an imperative of the web's own verbs (not in quotes: "Get out of
# here," she said), and about the web's own things. English only; on dev no line of an
# article's own text has both.
_PROMPT_VERB = re.compile(
    r"(?:^|[.!?…]\s+)(?:follow|subscribe|sign up|click|tap|share|listen|get|tell us|"
    r"download|like us|join|send us|register)\b",
    re.IGNORECASE,
)
_PROMPT_OBJECT = re.compile(
    r"\b(?:twitter|facebook|instagram|youtube|linkedin|tiktok|whatsapp|newsletters?|inbox|"
    r"subscribe|subscription|sign up|click here|app|e-?mail|friends?|here|podcast|"
    r"what you think)\b",
    re.IGNORECASE,
)
# A prompt is a line or two of text: a longer paragraph is the article's own.
_PROMPT_MAX_WORDS = 60


# Short labels ("comments", "Share") between such prompts and the edge go with them.
_LABEL_MAX_WORDS = 3


def _is_prompt(line: str) -> bool:
    words = len(_WORD.findall(line))
    return (
        words <= _PROMPT_MAX_WORDS
        and bool(_PROMPT_VERB.search(line))
        and bool(_PROMPT_OBJECT.search(line))
    )


def _prompts_at_edge(lines: list[str]) -> int:
    """How many of `lines`, from the first, are prompts or the labels around them."""
    cut = 0
    for n, line in enumerate(lines):
        if _is_prompt(line):
            cut = n + 1
        elif len(_WORD.findall(line)) > _LABEL_MAX_WORDS or SENTENCE_END.search(line):
            break
    return cut


def _without_edge_prompts(text: str) -> str:
    """`text` without the calls to the reader on its first and last lines (only there: in the
    middle such a line may be the article's, a how-to's steps)."""
    lines = text.split("\n")
    end = len(lines) - _prompts_at_edge(lines[::-1])
    start = _prompts_at_edge(lines[:end])
    kept = lines[start:end]
    return "\n".join(kept) if kept else text


# Posts quoted in an article with the platform's embed code: trafilatura drops them when the
# site wraps them in a "social" block, as it drops share bars.
_EMBEDDED_POSTS = etree.XPath(
    '//blockquote[contains(concat(" ", normalize-space(@class), " "), " twitter-tweet ")]'
)
# Words of the text before an embedded post that place it in the article's text.
_PLACE_WORDS = 8


def _with_embedded_posts(tree: Any, text: str) -> str:
    """`text` with the embedded posts (tweets) of the article that trafilatura left out, each
    after the kept text that precedes it on the page; a post whose preceding text was not
    kept is outside the article and stays out."""
    posts = _EMBEDDED_POSTS(tree)
    if not posts:
        return text
    lines = text.split("\n")
    for post in posts:
        post_lines = _post_lines(post)
        # kept already, maybe cut into lines at its <br>s: its last words (the byline) are there
        signature = " ".join(text_key(" ".join(post_lines)).split()[-_PLACE_WORDS:])
        if not signature or signature in text_key(" ".join(lines)):
            continue
        at = _line_after(post, lines)
        if at is not None:
            lines[at:at] = post_lines
    return "\n".join(lines)


def _post_lines(post: Any) -> list[str]:
    """An embedded post's paragraphs, then the rest of it (author, handle, date), a line each."""
    paragraphs = [" ".join(" ".join(p.itertext()).split()) for p in post.iter("p")]
    rest = " ".join(" ".join(post.itertext()).split())
    for paragraph in paragraphs:
        rest = rest.replace(paragraph, "", 1)
    lines = [*paragraphs, rest.strip()]
    return [line for line in lines if _WORD.search(line)]


def _line_after(element: Any, lines: list[str]) -> int | None:
    """Where in `lines` the element goes: after the line holding the end of the text just
    before it (its nearest preceding sibling with text, at most _TWIN_LEVELS up)."""
    for _ in range(_TWIN_LEVELS):
        for sibling in element.itersiblings(preceding=True):
            words = text_key(sibling.text_content()).split()
            if not words:
                continue
            end = " ".join(words[-_PLACE_WORDS:])
            for n in reversed(range(len(lines))):
                if end in text_key(lines[n]):
                    return n + 1
            return None
        element = element.getparent()
        if element is None:
            return None
    return None


def _opening(line: str) -> str:
    return " ".join(text_key(line).split()[:_PLACE_WORDS])


def _nested_in(element: Any, ancestor: Any) -> bool:
    return any(a is ancestor for a in element.iterancestors())
