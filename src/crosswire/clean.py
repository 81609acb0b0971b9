"""Remove page furniture ("Leave a Reply", "Comments (0)", link lists, site badges) from
article text, line by line, and repair titles that are furniture or carry a glued label.

Hand-written: no maintained library removes furniture from *already extracted* text;
trafilatura and jusText classify HTML blocks using markup (tags, link density) that plain
text no longer has. The method is general rather than tuned to one corpus; it combines
  1. line shape and vocabulary: short label-like lines, lists of 1-3-word links, counters
     ("Comments (0)"), and the density of generic web-UI words (reply, subscribe, cookie,
     share, ...) among the line's content words;
  2. position: furniture clusters before the first and after the last body paragraph, so
     lines there need a weaker score than a lone line between body paragraphs;
  3. repetition: a line that is not a full sentence and recurs in several articles of the
     same outlet is that outlet's template.
The UI vocabulary is English; in other languages only shape, position and repetition act.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from spacy.lang.en.stop_words import STOP_WORDS

from crosswire.models import Article
from crosswire.options import Options

__all__ = ["clean_articles", "furniture_score"]

# --------------------------------------------------------------------------- vocabulary


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that on the web mostly label controls, widgets and page chrome (weight 1.0)...
_UI_STRONG = _wordset(
    """
    subscribe subscribed subscriber subscribers subscription subscriptions unsubscribe
    newsletter newsletters cookie cookies advertisement advertisements advertising advert
    ad ads sponsored login logout signup signin comments replies trackback trackbacks
    pingback pingbacks permalink bookmark bookmarks tweet retweet facebook twitter
    instagram linkedin pinterest reddit telegram tiktok whatsapp youtube rss icon logo
    menu sidebar widget copyright browser javascript
    """
)
# ... and words that label them often but are also ordinary news words (weight 0.5).
_UI_WEAK = _wordset(
    """
    reply share shares shared sharing follow following email emails mail print printed
    published updated posted post posts related comment commented home search photo
    photos image images video videos gallery tags tag topics category categories author
    credit credits caption click tap download app apps page pages close exit version
    mobile desktop site website web listen watch audio podcast like likes views save
    submit cancel loading enable privacy terms contact read more next previous prev
    top back news
    """
)
# Multi-word UI phrases: every word they cover counts as a strong UI word, and a
# non-sentence line holding one scores at least _PHRASE_SCORE.
_UI_PHRASES = tuple(
    tuple(phrase.split())
    for phrase in """
    read more|read also|also read|see also|sign up|sign in|log in|log out|leave a reply|
    leave a comment|post a comment|add a comment|required fields|email address|
    mobile version|desktop version|site icon|skip to content|skip to main content|
    all rights reserved|privacy policy|terms of use|terms of service|cookie policy|
    contact us|about us|click here|tap here|load more|show more|show comments|
    view comments|next post|previous post|next article|previous article|back to top|
    go to top|share this|share on|follow us|like us|download the app|appeared first on|
    min read|minute read|minutes read|related articles|related posts|related stories|
    related news|more stories|most read|most popular|trending now|recommended for you|
    you may also like|you might also like|don't miss|editor's picks|photo credit|
    image credit|image source|this browser|notify me|your comment|posted in|filed under|
    tagged|use cookies|uses cookies|use of cookies|accept cookies|cookie settings|
    continuing to browse|best experience|agree to our|copy link|print this|related coverage|
    ad blocker|ad blockers|ad blocking|adblock|adblocker
    """.replace("\n", "").split("|")
    if phrase.strip()
)
_UI_ANY = _UI_STRONG | _UI_WEAK
_PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = defaultdict(list)
for _phrase in _UI_PHRASES:
    _PHRASES_BY_FIRST[_phrase[0]].append(_phrase)
# Dates and counts make up datelines and timestamps ("Updated 3 hours ago").
_META_WORDS = _wordset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday am pm gmt utc est edt cet ago hours hour minutes minute mins
    """
)
# Prefixes of inline links and widget labels ("Read more: ...", "Related | ...").
_UI_PREFIX = re.compile(
    r"(?:read more|read also|also read|see also|related|recommended|watch|listen|more|"
    r"advertisement|sponsored|tags|topics|share this|follow us|click here)\s*[:|»›>]",
    re.IGNORECASE,
)
_COUNTER = re.compile(r"[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+){0,2} ?[(\[] ?\d+ ?[)\]]")
_BYLINE = re.compile(r"(?:by|written by|reporting by|words by)\s+(?!the\b)[A-Z]", re.IGNORECASE)
# A credit line naming no one: "Meridian Daily staff, with agencies", "Staff and agencies",
# "With agencies", "AP contributed to this report".
_CREDIT = re.compile(
    r"(?:[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*){0,4} )?(?:staff|correspondents?|reporters?)"
    r"(?:,? (?:and|with) (?:wires|agencies))?|(?:with )?(?:wires|agencies)"
    r"|(?:[A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*){0,4}|wires|agencies) contributed to this report",
    re.IGNORECASE,
)
# A sign-off: how to reach or follow the writer, who the writer is, the copyright line, a
# promise of more ("Reach him at 412-...", "Jane Doe is a Tribune staff writer.",
# "Copyright 2016 Nexstar", "Stay with KTVI for more details."). Prose in shape, furniture
# by what it says: removed at the text's edges only.
_NAME = r"(?-i:[A-Z][\w'’.-]+)"
_SIGNOFF = re.compile(
    r"(?:copyright\b|©|\(c\) ?\d{4})"
    r"|(?:reach|contact|e-?mail|follow|write to) (?:(?:reporter|writer) )?"
    rf"(?:him|her|them|me|us|the (?:writer|author|reporter)|{_NAME}(?: {_NAME}){{0,2}})"
    r" (?:at|on|via)\b"
    rf"|{_NAME}(?: {_NAME}){{0,3}} is an? (?:[\w'’-]+ ){{0,6}}?"
    r"(?:staff writer|staff reporter|reporter|correspondent|columnist|contributor|freelance "
    r"writer)\b[^.!?]{0,60}[.!]?$"
    r"|(?:stay (?:with|tuned)|check back)\b.{0,80}?\b(?:updates?|details|latest|develop)",
    re.IGNORECASE,
)
_SIGNOFF_MAX_WORDS = 20
# A first word made of two capitalised words run together, the first 4+ letters long.
_GLUE = re.compile(r"[A-Z][a-z]{3,}([A-Z][a-z]+)(?:\s|$)")
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_BULLET_CHARS = "•·▪◦●■►‣⁃-–—*"
_LIST_SEPARATORS = re.compile(r"[•·|▪◦●■►»›‣⁃]")
_INNER_BREAK = re.compile(r"[.!?] +(?=[\"“‘(]?[A-Z])")
_CLOSERS = "\"'”’»)]*"
_SENTENCE_ENDS = ".!?…"

_PHRASE_SCORE = 0.8
_PREFIX_SCORE = 0.9
_BYLINE_SCORE = 0.6
_SHORT_SCORE = 0.5
_LABEL_SCORE = 0.6
# Removal thresholds by position (see module docstring).
_EDGE = 0.4
_MIDDLE = 0.75
_EDGE_SENTENCE = 0.34
_ANCHOR_MAX_DENSITY = 0.3
_TITLE_DENSITY = 0.6


# --------------------------------------------------------------------------- line features


@dataclass(frozen=True)
class _Line:
    raw: str
    text: str  # without a leading bullet
    words: int
    density: float
    strong: bool  # holds a strong UI word or phrase
    phrase: bool
    sentence: bool  # ends like a sentence or holds a sentence boundary
    body: bool  # prose: a sentence of 5+ words, or a very long line
    shape: float  # furniture score from shape and patterns alone

    @property
    def headline(self) -> bool:
        return 4 <= self.words <= 25 and not self.body and not self.text.endswith(":")

    @property
    def anchor(self) -> bool:
        return self.body and self.density < _ANCHOR_MAX_DENSITY and self.shape < 1.0


def _strip_bullet(line: str) -> str:
    stripped = line.lstrip(_BULLET_CHARS)
    if stripped != line and (not stripped or stripped[0] in " \t"):
        return stripped.strip()
    return line


def _ends_sentence(text: str) -> bool:
    tail = text.rstrip(_CLOSERS + " ")
    return bool(tail) and tail[-1] in _SENTENCE_ENDS


def _has_inner_sentence_break(text: str) -> bool:
    # ". X" with X upper case: two sentences on one line. Linear scan, no backtracking.
    for match in _INNER_BREAK.finditer(text):
        word_start = text.rfind(" ", 0, match.start()) + 1
        if match.start() - word_start > 2:  # not an initial or "U.S"
            return True
    return False


def _density(tokens: list[str], extra: frozenset[str]) -> tuple[float, bool, bool]:
    """Weighted share of content words that are UI vocabulary; also: any strong word, any
    phrase."""
    covered = [0.0] * len(tokens)
    strong = phrase = False
    for i, token in enumerate(tokens):
        if token in _UI_STRONG:
            covered[i], strong = 1.0, True
        elif token in _UI_WEAK or token in extra:
            covered[i] = 0.5
        elif token in _META_WORDS or token.isdigit():
            covered[i] = 0.5  # datelines and counters, but also facts ("82 dead")
    for i, token in enumerate(tokens):
        for words in _PHRASES_BY_FIRST.get(token, ()):
            n = len(words)
            if tuple(tokens[i : i + n]) == words:
                covered[i : i + n] = [1.0] * n
                strong = phrase = True
    content = [c for t, c in zip(tokens, covered, strict=True) if t not in STOP_WORDS]
    if not content:
        content = covered
    return (sum(content) / len(content) if content else 0.0), strong, phrase


def _link_list(text: str) -> bool:
    """Two or more items of 1-3 words between bullets or bars: a row of links."""
    items = [item.strip() for item in _LIST_SEPARATORS.split(text)]
    items = [item for item in items if item]
    if len(items) < 2:
        return False
    return all(len(_TOKEN.findall(item)) <= 3 and not _ends_sentence(item) for item in items)


def _is_table_row(text: str) -> bool:
    return len(text) > 1 and text[0] == text[-1] == "|"


def _features(raw: str, extra: frozenset[str]) -> _Line:
    text = _strip_bullet(raw.strip())
    tokens = [t.casefold().replace("’", "'") for t in _TOKEN.findall(text)]
    words = len(tokens)
    density, strong, phrase = _density(tokens, extra)
    sentence = _ends_sentence(text) or _has_inner_sentence_break(text)
    body = (sentence and words >= 5) or words > 25
    shape = 0.0
    if words <= _SIGNOFF_MAX_WORDS and _SIGNOFF.match(text):
        shape = 1.0
    elif _is_table_row(text) and tokens:
        shape = 0.0  # a table row (trafilatura writes tables as "| a | b |"): content
    elif not tokens:
        shape = 1.0  # rules, dots, lone symbols
    elif _COUNTER.fullmatch(text) or (words == 2 and tokens[0].isdigit() and tokens[1] in _UI_ANY):
        shape = 1.0  # "Comments (0)", "12 shares"
    elif not body and _LIST_SEPARATORS.search(raw) and _link_list(raw):
        shape = 1.0  # "• Source 1 • Source 2", "Home | World | Politics"
    elif not body:
        if _UI_PREFIX.match(text):
            shape = _PREFIX_SCORE
        elif phrase:
            shape = _PHRASE_SCORE
        elif words <= 4 and text.endswith(":"):
            shape = _LABEL_SCORE  # "Related Sources:", "Tags:"
        elif (_BYLINE.match(text) or _CREDIT.fullmatch(text.rstrip("."))) and words <= 8:
            shape = _BYLINE_SCORE
        elif words <= 3 and not sentence:
            shape = _SHORT_SCORE
    return _Line(raw, text, words, density, strong, phrase, sentence, body, shape)


def furniture_score(line: str, *, source: str = "") -> float:
    """How much `line` looks like page furniture on its own (0..1), ignoring position."""
    f = _features(line, _source_words(source))
    return f.density if f.body else max(f.shape, f.density)


def _source_words(source: str) -> frozenset[str]:
    # The outlet's own name in a short line is branding ("Site icon Realist: ...").
    return frozenset(
        w.casefold()
        for w in _TOKEN.findall(source)
        if len(w) > 2 and not w.isdigit() and w.casefold() not in STOP_WORDS
    )


# --------------------------------------------------------------------------- decisions


def _is_furniture(f: _Line, zone: str) -> bool:
    if f.body:
        # Prose is furniture only at the edges, holding a UI phrase, UI words dominating
        # ("Your email address will not be published. Required fields are marked *").
        return zone != "middle" and (
            (f.phrase and f.density >= _EDGE_SENTENCE) or f.shape >= 1.0  # a sign-off
        )
    score = max(f.shape, f.density)
    return score >= (_MIDDLE if zone == "middle" else _EDGE)


def _ui_evidence(f: _Line) -> bool:
    """Furniture by what it says, not just by being short: a UI phrase or prefix, a counter or
    link row, or mostly UI words. Only such a line opens a furniture cluster at the tail."""
    return f.phrase or f.shape >= _PHRASE_SCORE or f.density >= 0.5


def _zones(lines: list[_Line | None]) -> list[str]:
    anchors = [i for i, f in enumerate(lines) if f is not None and f.anchor]
    if not anchors:
        # No body paragraph to tell edges from middle: judge every line strictly.
        return ["middle"] * len(lines)
    first, last = anchors[0], anchors[-1]
    return ["head" if i < first else "tail" if i > last else "middle" for i in range(len(lines))]


def _norm(line: str) -> str:
    return " ".join(line.split()).casefold()


def _repeated_lines(articles: Sequence[Article], lines: list[list[str]], k: int) -> list[set[str]]:
    """Per article, the normalized lines that recur in >= k articles of its outlet.

    Versions of one article (same outlet, sharing half their lines) count once, so that an
    updated copy does not turn the whole text into "repeated" lines.
    """
    result: list[set[str]] = [set() for _ in articles]
    if k < 2:
        return result
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, article in enumerate(articles):
        by_source[article.source.strip().casefold()].append(i)
    for members in by_source.values():
        if len(members) < k:
            continue
        parent = {i: i for i in members}

        def find(i: int, parent: dict[int, int] = parent) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        owners_of: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for key in set(lines[i]):
                owners_of[key].append(i)
        sizes = {i: len(set(lines[i])) for i in members}
        shared: Counter[tuple[int, int]] = Counter()
        for owners in owners_of.values():
            if 2 <= len(owners) <= 20:  # more owners: a site template, not a copy
                shared.update(combinations(sorted(owners), 2))
        for (a, b), count in shared.items():
            if count >= 3 and count >= 0.5 * min(sizes[a], sizes[b]):
                parent[find(a)] = find(b)
        for key, owners in owners_of.items():
            if len(owners) >= k and len({find(i) for i in owners}) >= k:
                for i in owners:
                    result[i].add(key)
    return result


# --------------------------------------------------------------------------- titles


def _strip_outlet(title: str, source: str) -> tuple[str, str]:
    """Split the outlet's name off a title: "Headline | Outlet" -> ("Headline", "Outlet").

    Also "Outlet: Headline". The rest must keep 3+ words to count as a headline."""
    name = " ".join(source.split())
    if len(name) < 2:
        return title, ""
    folded, folded_name = title.casefold(), name.casefold()
    for sep in (" | ", " - ", " – ", " — ", " · "):
        if folded.endswith(sep + folded_name):
            head = title[: -len(sep + name)].strip()
            if len(head.split()) >= 3:
                return head, title[len(head) :].strip(" |-–—·")
    if folded.startswith(folded_name):
        rest = title[len(name) :]
        if rest[:1] in ("|", ":", "-", "–", "—", "·") or rest[:2] in (" |", " -", " –", " —", " ·"):
            head = rest.lstrip(" |:-–—·").strip()
            if len(head.split()) >= 3:
                return head, title[: len(name)]
    return title, ""


def _fix_title(
    title: str,
    lines: list[_Line | None],
    zones: list[str],
    body: str,
    source: str,
) -> tuple[str, list[str], int | None]:
    """The repaired title, the furniture removed from it, and the index of a text line that
    became the title (to drop from the text)."""
    removed: list[str] = []
    title = title.strip()
    if not title:
        return title, removed, None
    extra = _source_words(source)
    title, outlet = _strip_outlet(title, source)
    if outlet:
        removed.append(outlet)
    label_only = False
    glue = _GLUE.match(title)
    if glue:
        token = title.split(" ", 1)[0]
        left, right = title[: glue.start(1)], title[glue.start(1) :].strip()
        # A glued first word that the article never uses again and that is not the
        # outlet's name is labels run together ("PoliticsWorld News"), not a name.
        if token not in body and token.casefold() not in extra:
            if len(_TOKEN.findall(right)) >= 4:
                removed.append(left)
                title = right
            else:
                label_only = True
    f = _features(title, extra)
    # Stricter than for text lines: a short title is no evidence of furniture, and
    # headlines may well speak of posts, videos and shares.
    furniture = label_only or (
        not f.body and (f.shape >= _LABEL_SCORE or (f.strong and f.density >= _TITLE_DENSITY))
    )
    if not furniture:
        return title, removed, None
    for i, line in enumerate(lines):
        if line is None:
            continue
        if zones[i] != "head":
            break
        if line.headline and not _is_furniture(line, "head"):
            return line.text, [*removed, title], i
    if label_only or max(f.shape, f.density) >= _MIDDLE:
        return "", [*removed, title], None  # clearly furniture, and no headline to take
    return title, removed, None


# --------------------------------------------------------------------------- public API


def clean_articles(articles: Sequence[Article], options: Options) -> list[Article]:
    """Copies of `articles` with furniture lines removed from `text` (listed, as written, in
    `boilerplate_removed`) and titles repaired."""
    raw_lines = [article.text.split("\n") for article in articles]
    normalized = [[_norm(line) for line in lines if line.strip()] for lines in raw_lines]
    repeated = _repeated_lines(articles, normalized, options.repeated_line_min_articles)
    cleaned: list[Article] = []
    for article, lines, recurring in zip(articles, raw_lines, repeated, strict=True):
        extra = _source_words(article.source)
        features: list[_Line | None] = [
            _features(line, extra) if line.strip() else None for line in lines
        ]
        zones = _zones(features)
        title, removed, title_line = _fix_title(
            article.title, features, zones, article.text, article.source
        )
        kept: list[str] = []
        in_tail_cluster = False
        for i, (line, f) in enumerate(zip(lines, features, strict=True)):
            if f is None:
                if kept and kept[-1]:
                    kept.append("")
                continue
            if i == title_line:
                continue
            recurring_template = _norm(line) in recurring and not (f.sentence and f.words >= 5)
            # Below the last body paragraph, once furniture starts, a line that is not prose
            # belongs to it: a heading with no text after it heads nothing ("Most read"
            # followed by other stories' headlines).
            cluster = in_tail_cluster and not f.body and not _is_table_row(f.text)
            if recurring_template or cluster or _is_furniture(f, zones[i]):
                removed.append(line)
                in_tail_cluster = in_tail_cluster or (zones[i] == "tail" and _ui_evidence(f))
                continue
            kept.append(f.text)
        text = "\n".join(kept).strip()
        cleaned.append(
            article.model_copy(
                update={
                    "title": title,
                    "text": text,
                    "boilerplate_removed": [*article.boilerplate_removed, *removed],
                }
            )
        )
    return cleaned
