"""What is taken from one article to group it: its publication order and story id, the
names, people, days and figures its analysis mentions (`Traits`), and for the streaming
index everything else it files (`prepare_articles` gives a `PreparedArticle`): hashed term
columns and frequencies, the hashes of its word 5-shingles and their MinHash signature and
LSH band keys, and where it may credit a source. Preparing needs nothing of the index, so
it can run elsewhere (another process) before `StoryIndex.add_prepared`.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from crosswire.language import language_of
from crosswire.models import Article, ArticleAnalysis
from crosswire.options import Options

NUM_PERM = 128
SHINGLE_WORDS = 5
LSH_WEIGHTS = (0.05, 0.95)
"""Weights of false positives and false negatives when datasketch picks the LSH banding. The
exact Jaccard decides, so the LSH should miss few true pairs: at datasketch's default (0.5,
0.5) a pair at the 0.6 threshold was proposed 40% of the time, at these 96%."""

CENTRAL_MIN_MENTIONS = 3
CENTRAL_RATIO = 2.0
"""A person is an article's central figure with at least this many mentions and this multiple
of the next person's."""
DAY_RANGE_MAX = 7
"""Time mentions spanning more days than this are too vague to say two articles match."""
TEXT_FEATURES = 2**22
"""Hashed text columns (words and bigrams). At 2**20, collisions alone moved ECB+ dev B-cubed F1
by 0.01; at 2**22, filing all of it at once gives batch's stories. The per-column tables take
48 MB however many words arrive."""
CREDIT_WINDOW = 120
"""Characters kept from each place an article may credit a source ("(Reuters", "— AP"), so
the original of a group of same-day copies can be told without keeping whole texts."""

_NAME_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
WORD = re.compile(r"\w+", re.UNICODE)

# Hashing instead of a fitted vocabulary: a fitted tf-idf cannot be refit per article, while
# hashed columns mean the same thing forever, so stored vectors and the running document
# frequencies never need rebuilding and nothing but numbers is persisted. The weights stay
# tf-idf (IDF recomputed from the running counts, sklearn's smooth formula) rather than BM25
# because cosines of tf-idf vectors are on the scale the batch path's thresholds were tuned
# on; BM25 scores are unbounded and one-sided, and would need their own.
# The hashing is hand-written rather than sklearn's HashingVectorizer, with the same analysis
# (lower case, tokens of two or more word characters, English stop words out, and those of the
# article's own language, `own_stop_words`; then bigrams of what is left): each word is hashed
# once (crc32) for both the copy detector's shingles and the term columns, bigrams combined
# from their words' hashes, which took a third off preparing an article.
_STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)
_GRAM_MIX = np.uint64(0x100000001B3)  # odd multiplier combining word hashes into n-grams
_BIGRAM_SALT = np.uint64(0x9E3779B97F4A7C15)
_CREDIT_MARK = re.compile(r"[(—–-]\s*(?=[A-Z0-9])")
_CREDIT_WORDS = ("via", "source:")
NO_SHINGLES = np.empty(0, np.uint32)
"""Shared by every retired article (one empty array each would cost 100 bytes apiece)."""


def sort_key(article: Article) -> tuple[int, date, str]:
    """Publication order; undated articles after dated ones, then by id (a total order)."""
    if article.published is None:
        return (1, date.min, article.id)
    return (0, article.published, article.id)


def story_id(first_article_id: str) -> str:
    """`s-` + 10 hex digits of sha1 of the story's first article id (see the module docstring)."""
    return "s-" + hashlib.sha1(first_article_id.encode("utf-8")).hexdigest()[:10]


def full_text(article: Article) -> str:
    return f"{article.title}\n{article.text}" if article.title else article.text


_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


@lru_cache(maxsize=64)
def own_stop_words(language: str | None) -> frozenset[str]:
    """Stop words of an article's own language beyond the English list every article's terms
    leave out: spaCy's list for that language (spaCy ships lists for some 70 languages, no
    model needed), empty for English and for a language spaCy has no list for.

    Why: with the English list alone, two Spanish or Italian reports of different events
    shared "de", "la", "che", and looked alike (meantime-xl airbus dev: Aer Lingus's Airbus
    order and Aeroflot's Boeing order one story in Spanish and Italian, two in English)."""
    if not language or language == "en" or not _LANGUAGE_CODE.fullmatch(language):
        return frozenset()
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(w.lower() for w in module.STOP_WORDS) - _STOP_WORDS


def story_text(article: Article, analysis: ArticleAnalysis | None) -> str:
    """An article's title and text as its terms are counted: the words of `own_stop_words`
    blanked (the English ones the vectorizer leaves out itself), as `prepare_articles` leaves
    them out of the stream's terms."""
    text = full_text(article)
    stops = own_stop_words(language_of(article, analysis))
    if not stops:
        return text
    return WORD.sub(lambda m: " " if m.group().lower() in stops else m.group(), text)


def day_key(day: int | None, article_id: str) -> tuple[int, int, str]:
    """`sort_key` on a publication day as an ordinal."""
    return (1, 0, article_id) if day is None else (0, day, article_id)


@lru_cache(maxsize=1 << 16)  # the same names recur across articles
@lru_cache(maxsize=2**16)  # names recur across articles, and each is keyed twice
def _name_key(name: str) -> str:
    """Compare names without case, accents, possessive 's or a leading "the"."""
    folded = unicodedata.normalize("NFKD", name.strip().lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    key = re.sub(r"[’']s$", "", folded)
    key = re.sub(r"^the\s+", "", key)
    return " ".join(WORD.findall(key))


def article_names(analysis: ArticleAnalysis | None) -> list[str]:
    """One key per mention of each name; people also under their surname alone, since a later
    article often names them by surname only."""
    if analysis is None:
        return []
    keys: list[str] = []
    for entity in analysis.entities:
        if entity.type not in _NAME_TYPES:
            continue
        key = _name_key(entity.name)
        if not key:
            continue
        count = max(1, len(entity.mentions))
        keys.extend([key] * count)
        if entity.type == "PERSON":
            keys.extend(["~" + key.rsplit(" ", 1)[-1]] * count)
    return keys


def _people(analysis: ArticleAnalysis | None) -> tuple[str | None, Counter[str]]:
    """Mentions per person (by surname) and the central person, if one clearly dominates."""
    counts: Counter[str] = Counter()
    if analysis is not None:
        for entity in analysis.entities:
            key = _name_key(entity.name)
            if entity.type == "PERSON" and key:
                counts[key.rsplit(" ", 1)[-1]] += max(1, len(entity.mentions))
    top = counts.most_common(2)
    if not top or top[0][1] < CENTRAL_MIN_MENTIONS:
        return None, counts
    if len(top) == 2 and top[0][1] < CENTRAL_RATIO * top[1][1]:
        return None, counts
    return top[0][0], counts


def _days(analysis: ArticleAnalysis | None) -> frozenset[date]:
    """Specific days the article mentions (mentions vaguer than a week say too little)."""
    if analysis is None:
        return frozenset()
    days: set[date] = set()
    for time in analysis.times:
        span = (time.latest - time.earliest).days
        if 0 <= span <= DAY_RANGE_MAX and not time.approximate:
            days.update(time.earliest + timedelta(days=k) for k in range(span + 1))
    return frozenset(days)


def _figures(analysis: ArticleAnalysis | None) -> frozenset[tuple[float, str]]:
    """Counted figures ("23 pirates", "$4 million"); bare numbers and years match by chance."""
    if analysis is None:
        return frozenset()
    return frozenset(
        (n.value, n.unit.lower()) for n in analysis.numbers if n.unit and n.bound == "exact"
    )


@dataclass(frozen=True)
class Traits:
    """What besides text and names bears on whether two articles report one event."""

    named: int  # distinct names (surname keys aside)
    people: tuple[str | None, Counter[str]]
    days: frozenset[date]
    figures: frozenset[tuple[float, str]]
    published: date | None


def article_traits(
    article: Article, analysis: ArticleAnalysis | None, name_doc: list[str]
) -> Traits:
    return Traits(
        named=len({k for k in name_doc if not k.startswith("~")}),
        people=_people(analysis),
        days=_days(analysis),
        figures=_figures(analysis),
        published=article.published,
    )


def _fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads every input bit over the output."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


WORD_CODES_MAX = 2**17
"""Words whose hash `_hashed_words` remembers (about 150 bytes each); past it, it starts over."""
_word_codes: dict[str, int] = {}


def _hashed_words(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each word's hash, and whether it is a term (more than one letter, not a stop word).

    Remembered per word across articles, so that only words not seen before cost a Python
    step: hashing every word in a Python loop was a third of preparing an article. When full,
    the memo is replaced, not cleared, so a thread still reading the old one is not hurt."""
    global _word_codes
    codes = _word_codes
    new = set(words).difference(codes)
    if len(codes) + len(new) > WORD_CODES_MAX:
        codes = _word_codes = {}
        new = set(words)
    for w in new:
        codes[w] = zlib.crc32(w.encode()) << 1 | (len(w) > 1 and w not in _STOP_WORDS)
    packed = np.fromiter(map(codes.__getitem__, words), np.uint64, len(words))
    return packed >> np.uint64(1), (packed & np.uint64(1)).astype(bool)


def _without(
    hashed: tuple[np.ndarray, np.ndarray], words: Sequence[str], stops: frozenset[str]
) -> tuple[np.ndarray, np.ndarray]:
    """`_hashed_words`' result with `stops` no longer terms."""
    hashes, keep = hashed
    listed = np.fromiter((w in stops for w in words), bool, len(words))
    return hashes, keep & ~listed


# The per-article arrays of preparing (term columns, shingles, MinHash) are worked out for a
# whole chunk of articles in one numpy pass each, each article a segment of one long array:
# per article they were a few dozen numpy calls on a few hundred values, mostly call overhead.


def _segments(lengths: Sequence[int]) -> np.ndarray:
    """For the concatenation of arrays of these lengths: which one each element came from."""
    return np.repeat(np.arange(len(lengths), dtype=np.uint64), lengths)


def _unique_by_segment(
    segment: np.ndarray, values: np.ndarray, count: int
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """`np.unique(..., return_counts=True)` of each of `count` segments' values (below 2**32):
    one sort of (segment, value) keys for all of them."""
    keys, tally = np.unique((segment << np.uint64(32)) | values, return_counts=True)
    bounds = np.searchsorted(keys >> np.uint64(32), np.arange(count + 1, dtype=np.uint64))
    low = keys & np.uint64(0xFFFFFFFF)
    starts, ends = bounds[:-1].tolist(), bounds[1:].tolist()
    return (
        [low[a:b] for a, b in zip(starts, ends, strict=True)],
        [tally[a:b] for a, b in zip(starts, ends, strict=True)],
    )


def _term_counts(
    hashes: Sequence[np.ndarray], keep: Sequence[np.ndarray]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per article, the hashed columns (int32, ascending) of its words (by their hashes;
    `keep`: which are terms) and bigrams of terms (as TfidfVectorizer analyses them), and
    their counts."""
    lengths = [len(h) for h in hashes]
    if not sum(lengths):
        return [(np.empty(0, np.int32), np.empty(0, np.intp)) for _ in hashes]
    kept_in = np.concatenate(keep)
    kept = np.concatenate(hashes)[kept_in]
    segment = _segments(lengths)[kept_in]
    pairs = segment[:-1] == segment[1:]  # neighbours within one article
    grams = np.concatenate((kept, ((kept[:-1] * _GRAM_MIX + kept[1:]) ^ _BIGRAM_SALT)[pairs]))
    shift = np.uint64(64 - TEXT_FEATURES.bit_length() + 1)
    columns, counts = _unique_by_segment(
        np.concatenate((segment, segment[:-1][pairs])), _fmix64(grams) >> shift, len(hashes)
    )
    return [(c.astype(np.int32), n) for c, n in zip(columns, counts, strict=True)]


@lru_cache(maxsize=8)
def lsh_setup(threshold: float) -> tuple[int, int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bands and rows (datasketch's optimum for `threshold`), MinHash permutations (datasketch's
    affine scheme, seed 1) and the constants mixing each band into one 64-bit key."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    a, b = MinHash(num_perm=NUM_PERM, seed=1).permutations
    rng = np.random.default_rng(20240601)
    mix = rng.integers(1, 2**63, size=lsh.r, dtype=np.uint64) | np.uint64(1)
    salt = rng.integers(0, 2**63, size=lsh.b, dtype=np.uint64)
    return int(lsh.b), int(lsh.r), a.astype(np.uint32), b.astype(np.uint32), mix, salt


def _shingle_hashes(
    words: Sequence[Sequence[str]], hashes: Sequence[np.ndarray]
) -> list[np.ndarray]:
    """Per article (its words and their hashes), the sorted distinct 32-bit hashes of its word
    5-shingles (the sets `_shingles` makes), each combined from its words' hashes: a tenth of
    the memory of the strings, for exact Jaccard."""
    # the whole text as one shingle where it is shorter than one; the others are set below
    shingles: list[np.ndarray] = [
        np.array([zlib.crc32(" ".join(w).encode())] if w else [], np.uint32)
        if len(w) < SHINGLE_WORDS
        else NO_SHINGLES
        for w in words
    ]
    long = [k for k, w in enumerate(words) if len(w) >= SHINGLE_WORDS]
    if not long:
        return shingles
    lengths = [len(hashes[k]) for k in long]
    flat = np.concatenate([hashes[k] for k in long])
    segment = _segments(lengths)
    count = len(flat) - SHINGLE_WORDS + 1
    combined = flat[:count].copy()
    for k in range(1, SHINGLE_WORDS):
        combined = combined * _GRAM_MIX + flat[k : k + count]  # wraps: mod 2**64
    inside = segment[:count] == segment[SHINGLE_WORDS - 1 :]  # windows within one article
    folded = ((combined >> np.uint64(32)) ^ (combined & np.uint64(0xFFFFFFFF)))[inside]
    found, _ = _unique_by_segment(segment[:count][inside], folded, len(long))
    for k, values in zip(long, found, strict=True):
        shingles[k] = values.astype(np.uint32)
    return shingles


_NO_MINHASH = (np.empty(0, np.uint32), np.empty(0, np.uint64))
"""A placeholder `_minhash` overwrites: no article keeps it."""

MINHASH_VALUES = 2**12
"""Shingles hashed at once by `_minhash`: its work array (this many x NUM_PERM values, 2 MB)
is made once a call and stays in the CPU's cache; fresh arrays of 2**16 x NUM_PERM values
ran at a third of the speed."""


def _minhash(
    shingles: Sequence[np.ndarray], threshold: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per article (its shingles), the MinHash signature (the values the LSH bands use) and one
    64-bit key per band (none for an empty text). The signature is datasketch's affine scheme
    in numpy: its update_batch loops over the values in Python."""
    bands, rows, a, b, mix, salt = lsh_setup(threshold)
    width = bands * rows
    out = [
        (np.zeros(width, np.uint32), np.empty(0, np.uint64)) if not len(values) else _NO_MINHASH
        for values in shingles
    ]  # set below for every article with shingles
    todo = [k for k, values in enumerate(shingles) if len(values)]
    work = np.empty((min(MINHASH_VALUES, sum(len(shingles[k]) for k in todo)), width), np.uint32)
    while todo:
        batch: list[int] = []
        total = 0
        for k in todo:
            if batch and total + len(shingles[k]) > MINHASH_VALUES:
                break
            batch.append(k)
            total += len(shingles[k])
        todo = todo[len(batch) :]
        flat = np.concatenate([shingles[k] for k in batch])
        starts = np.cumsum([0] + [len(shingles[k]) for k in batch[:-1]])
        # one article alone may exceed MINHASH_VALUES: then it gets an array of its own
        hashed = (
            work[: len(flat)] if len(flat) <= len(work) else np.empty((len(flat), width), np.uint32)
        )
        np.multiply(flat[:, None], a[:width], out=hashed)
        np.add(hashed, b[:width], out=hashed)  # wraps: mod 2**32
        signatures = np.minimum.reduceat(hashed, starts, axis=0)
        mixed = signatures.astype(np.uint64).reshape(len(batch), bands, rows) * mix  # mod 2**64
        keys = mixed.sum(axis=2) ^ salt
        for row, k in enumerate(batch):
            out[k] = (signatures[row], keys[row])
    return out


def _credit_context(text: str, lowered: str) -> str:
    """The stretches of `text` where it may credit a source, for `_credits_text`: after "(",
    a dash, "via" or "source:" (a word of its own), then a capital or digit."""
    starts = [m.start() for m in _CREDIT_MARK.finditer(text)]
    for word in _CREDIT_WORDS:
        at = lowered.find(word)
        while at >= 0:
            after = at + len(word)
            rest = text[after : after + 40].lstrip()
            spaced = word.endswith(":") or (after < len(text) and text[after].isspace())
            if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")) and spaced:
                if rest[:1].isupper() or rest[:1].isdigit():
                    starts.append(at)
            at = lowered.find(word, at + 1)
    return "\n".join(text[k : k + CREDIT_WINDOW] for k in sorted(starts))


def _day(published: date | None) -> int | None:
    return published.toordinal() if published is not None else None


@dataclass(frozen=True)
class PreparedArticle:
    """What `StoryIndex` files of one article, computed apart from the index (in another
    process, if wanted): numbers, strings and arrays, nothing that needs the index."""

    id: str
    source: str
    day: int | None  # publication day (ordinal)
    credit: str  # where it may credit a source
    shingles: np.ndarray  # sorted distinct hashes of its 5-shingles
    signature: np.ndarray  # their MinHash
    bands: np.ndarray  # LSH band keys of it
    text_idx: np.ndarray  # hashed columns of title and text, words and bigrams
    text_tf: np.ndarray  # their sublinear term frequencies
    names: tuple[tuple[str, int], ...]  # name keys and mentions
    traits: Traits


def prepare_articles(
    articles: Sequence[Article],
    analyses: Mapping[str, ArticleAnalysis],
    options: Options | None = None,
) -> list[PreparedArticle]:
    """Everything `StoryIndex.add_prepared` needs of `articles`, in publication order."""
    options = options or Options()
    ordered = sorted(articles, key=sort_key)
    lowered = [article.text.lower() for article in ordered]
    words = [WORD.findall(text) for text in lowered]
    text = [_hashed_words(w) for w in words]
    title_words = [WORD.findall(article.title.lower()) for article in ordered]
    titles = [_hashed_words(w) for w in title_words]
    for k, article in enumerate(ordered):
        stops = own_stop_words(language_of(article, analyses.get(article.id)))
        if stops:  # as `story_text` blanks them for the batch path
            text[k] = _without(text[k], words[k], stops)
            titles[k] = _without(titles[k], title_words[k], stops)
    terms = _term_counts(
        [np.concatenate((t[0], x[0])) for t, x in zip(titles, text, strict=True)],
        [np.concatenate((t[1], x[1])) for t, x in zip(titles, text, strict=True)],
    )
    shingles = _shingle_hashes(words, [hashes for hashes, _ in text])
    signatures = _minhash(shingles, options.duplicate_threshold)
    prepared = []
    for k, article in enumerate(ordered):
        analysis = analyses.get(article.id)
        name_doc = article_names(analysis)
        text_idx, text_counts = terms[k]
        prepared.append(
            PreparedArticle(
                id=article.id,
                source=article.source,
                day=_day(article.published),
                credit=_credit_context(article.text, lowered[k]),
                shingles=shingles[k],
                signature=signatures[k][0],
                bands=signatures[k][1],
                text_idx=text_idx,
                text_tf=(1.0 + np.log(text_counts)).astype(np.float32),
                names=tuple(sorted(Counter(name_doc).items())),
                traits=article_traits(article, analysis, name_doc),
            )
        )
    return prepared
