"""The story index's shortcuts for speed change no result: each is checked against the plain
computation it stands for."""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.models import Article
from crosswire.options import Options
from crosswire.stories import StoryIndex, features, find_duplicates
from crosswire.stories import index as story_index
from crosswire.stories.copies import _CREDIT_LEAD, _credits_text
from crosswire.stories.features import (
    _GRAM_MIX,
    _STOP_WORDS,
    SHINGLE_WORDS,
    Traits,
    _fmix64,
    _hashed_words,
    _minhash,
    _shingle_hashes,
    _term_counts,
    lsh_setup,
)
from crosswire.stories.postings import Postings
from crosswire.stories.similarity import (
    CONFLICT_FACTOR,
    CONFLICT_TEXT_MAX,
    LINK_FLOOR,
    TEXT_WEIGHT,
    TIME_BOOST,
    similarities_of,
)

OPTIONS = Options()
WORDS = [
    *[
        "harbour",
        "fire",
        "crews",
        "tanker",
        "berth",
        "smoke",
        "council",
        "mayor",
        "report",
        "minister",
        "river",
        "bridge",
    ],
    *[
        "storm",
        "flood",
        "rescue",
        "police",
        "court",
        "trial",
        "verdict",
        "budget",
        "vote",
        "strike",
        "union",
        "port",
        "ship",
    ],
    *[
        "cargo",
        "crane",
        "night",
        "morning",
        "residents",
        "evacuated",
        "injured",
        "hospital",
        "damage",
        "cause",
    ],
]
OUTLETS = [
    "Veldara Press Agency",
    "Kessa Times",
    "The Almera Herald",
    "Borsk Daily",
    "Dunmore Post",
]


def test_pairs_below_the_link_floor_count_as_unrelated() -> None:
    text = np.array([LINK_FLOOR / 2, LINK_FLOOR, 0.5])
    sims = similarities_of(text, np.zeros(3), np.zeros(3, bool), np.zeros(3, np.int64), [])
    assert sims.tolist() == [0.0, LINK_FLOOR, 0.5]


def _traits(central: str, day: date) -> Traits:
    people: Counter[str] = Counter({central: 5})
    return Traits(
        named=4, people=(central, people), days=frozenset({day}), figures=frozenset(), published=day
    )


def test_a_conflict_of_names_cuts_a_pair_unless_close_texts_name_the_same_day() -> None:
    """The victim in one report, the gunman in the other: different central people and no
    shared name, yet the same day and much shared wording make it one event."""
    day = date(2016, 9, 11)
    text = np.array([CONFLICT_TEXT_MAX + 0.1, CONFLICT_TEXT_MAX - 0.1, 0.9])
    pairs = [
        (0, _traits("lanfair", day), _traits("schowalter", day)),
        (1, _traits("lanfair", day), _traits("schowalter", day)),
        (2, _traits("lanfair", day), _traits("schowalter", day + timedelta(days=3))),
    ]
    named = np.full(3, 4, np.int64)
    sims = similarities_of(text, np.zeros(3), np.ones(3, bool), named, pairs)
    mixed = TEXT_WEIGHT * text
    assert sims[0] == pytest.approx(mixed[0] + TIME_BOOST)
    assert sims[1] == pytest.approx(CONFLICT_FACTOR * mixed[1] + TIME_BOOST)
    assert sims[2] == pytest.approx(CONFLICT_FACTOR * mixed[2])


# --------------------------------------------------------------------------- credits

_TEXT_PARTS = st.sampled_from(
    [*"()—-: ", "via ", "source:", "VPA", "Sas", "SAS", "Saſ", "Kis", "KİS", "Kıs", "Agency"]
)


def _plain_credit(text: str, source: str) -> bool:
    """`_credits_text` without its `in` prefilters: the two searches alone."""
    name = source.strip()
    if not name:
        return False
    if re.search(rf"{_CREDIT_LEAD}{re.escape(name)}\b", text, flags=re.IGNORECASE):
        return True
    words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper() and w != "The"]
    initials = "".join(w[0] for w in words)
    return len(initials) >= 2 and re.search(rf"{_CREDIT_LEAD}{initials}\b", text) is not None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_TEXT_PARTS, max_size=12).map("".join),
    st.sampled_from([*OUTLETS, "Sas", "Kis Agency", "ſK Wire", "İzmir Post", "a"]),
)
def test_credit_prefilters_never_skip_a_credit(text: str, source: str) -> None:
    assert _credits_text(text, source) == _plain_credit(text, source)


@pytest.mark.parametrize(
    ("text", "source"),
    [("(Saſ) — ", "Sas"), ("via KİS Agency", "Kis Agency"), ("— VPA ", "Veldara Press Agency")],
)
def test_credits_match_case_folded_letters_as_the_pattern_does(text: str, source: str) -> None:
    assert _plain_credit(text, source)
    assert _credits_text(text, source)


# --------------------------------------------------------------------------- copy groups


def _base_text(rng: random.Random) -> str:
    # Words seldom repeated, so that copies are clearly copies (Jaccard near 0.8): batch and
    # stream may tell a pair near the threshold apart differently (MinHash), not the subject.
    return " ".join(rng.choice(WORDS) + str(rng.randrange(500)) for _ in range(120))


def _copy(text: str, rng: random.Random) -> str:
    words = text.split()
    words[rng.randrange(len(words))] = rng.choice(WORDS)
    return " ".join(words)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32))
def test_copy_groups_streamed_pick_the_original_batch_picks(seed: int) -> None:
    """Groups of copies over three days, from five outlets, some crediting another outlet by
    name or initials: streamed in any order and chunking, each group's original (earliest,
    then most credited, then smallest id) is the one `find_duplicates` picks. (Seeded, not
    drawn: a shrunk draw repeats one word, whose shingles make no fair copy.)"""
    rng = random.Random(seed)
    start = date(2025, 3, 1)
    articles = []
    for group in range(3):
        base = _base_text(rng)
        for k in range(rng.randint(2, 9)):
            credited = rng.choice([*OUTLETS, "VPA", ""])
            lead = rng.choice(["({}) — ", "— {} ", "via {} "]).format(credited) if credited else ""
            articles.append(
                Article(
                    id=f"g{group}-{rng.randrange(1000):03d}-{k}",
                    source=rng.choice(OUTLETS),
                    published=rng.choice([start + timedelta(days=d) for d in range(3)] + [None]),
                    title="",
                    text=lead + _copy(base, rng),
                )
            )
    rng.shuffle(articles)
    index = StoryIndex(OPTIONS)
    at = 0
    while at < len(articles):
        step = rng.randint(1, 5)
        index.add(articles[at : at + step], {})
        at += step
    expected = find_duplicates(articles, OPTIONS)
    assert len(expected) >= 3  # every group holds copies
    assert index.duplicates() == expected
    restored = StoryIndex.from_bytes(index.to_bytes(), OPTIONS)
    assert restored.duplicates() == expected


# --------------------------------------------------------------------------- old postings


@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False))
def test_postings_query_passing_over_old_runs_keeps_every_recent_posting(
    rng: random.Random,
) -> None:
    """Runs of ids in any order: what `since` leaves out is only ever ids below it."""
    postings = Postings()
    for _ in range(rng.randint(1, 12)):
        size = rng.randint(1, 30)
        postings.add(
            np.array([rng.randrange(3) for _ in range(size)], np.uint64),
            np.array([rng.randrange(200) for _ in range(size)], np.int64),
            np.array([rng.random() for _ in range(size)], np.float32),
        )
    keys = np.array(sorted({rng.randrange(4) for _ in range(3)}), np.uint64)
    newest = np.array([rng.randint(1, 8) for _ in keys], np.int64)
    since = rng.randrange(220)
    full = postings.query(keys, newest)
    cut = postings.query(keys, newest, since)

    def recent(found: tuple[np.ndarray, ...]) -> list[tuple[int, float, int]]:
        ids, weights, which = found[:3]
        kept = ids >= since
        return sorted(
            zip(ids[kept].tolist(), weights[kept].tolist(), which[kept].tolist(), strict=True)
        )

    assert recent(cut) == recent(full)


def _dated_stream(rng: random.Random) -> list[Article]:
    """Four events, weeks apart, reported over a few days each; an undated report of the
    last among the first's; then late reports of the first."""
    start = date(2025, 1, 6)
    stream = []
    bases = [_base_text(rng) for _ in range(4)]
    for event, base in enumerate(bases):
        for k in range(8):
            day = start + timedelta(days=30 * event + rng.randrange(4))
            stream.append(
                Article(
                    id=f"e{event}-{k}",
                    source=rng.choice(OUTLETS),
                    published=day,
                    title="",
                    text=" ".join(rng.sample(base.split(), 60)),
                )
            )
    stream.sort(key=lambda a: (a.published, a.id))
    undated = Article(id="undated", source="Kessa Times", published=None, text=bases[3])
    stream.insert(4, undated)  # a candidate for the last event, however old its number
    for k in range(3):
        text = " ".join(rng.sample(bases[0].split(), 60))
        late = start + timedelta(days=rng.randrange(4))
        stream.append(Article(id=f"late-{k}", source="Kessa Times", published=late, text=text))
    return stream


@pytest.mark.parametrize("seed", range(3))
def test_candidate_search_passing_over_old_articles_files_as_a_full_search(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    stream = _dated_stream(rng)
    cuts: list[int] = []
    real = StoryIndex._too_old_before

    def spy(self: StoryIndex, rows: np.ndarray) -> int:
        cuts.append(real(self, rows))
        return cuts[-1]

    def file(index: StoryIndex) -> StoryIndex:
        for at in range(0, len(stream), 3):
            index.add(stream[at : at + 3], {})
        return index

    # no warm-up: its rebuilds (one per chunk here, after the undated article) place
    # everything from scratch, and the shortcut is for placing one chunk
    monkeypatch.setattr(story_index, "WARMUP_DOCS", 0)
    monkeypatch.setattr(StoryIndex, "_too_old_before", spy)
    fast = file(StoryIndex(OPTIONS))
    monkeypatch.setattr(StoryIndex, "_too_old_before", lambda self, rows: 0)
    full = file(StoryIndex(OPTIONS))
    assert max(cuts) > 0  # the search did pass over old articles
    assert max(cuts) <= fast._number["undated"]  # but never over an undated one
    assert fast.groups() == full.groups()
    assert fast.to_bytes() == full.to_bytes()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=1, max_size=60),
    st.integers(1, 5),
)
def test_articles_passed_over_are_dated_and_too_far_from_every_new_one(
    steps: list[int | None], chunk: int
) -> None:
    """A stream a few days at a time (None: an undated article), its last `chunk` articles
    being filed: every article below the cut is dated and more than story_max_days before
    each of them; the next one is not (or is undated), so the cut passes over all it may."""
    days: list[int | None] = []
    day = 0
    for step in steps:
        day += step or 0
        days.append(None if step is None else day)
    index = StoryIndex(OPTIONS)
    index._ids = [f"a{k}" for k in range(len(days))]
    index._day = np.array([-(2**31) if d is None else d for d in days], np.int64)
    index._note_days(0, len(days))
    rows = np.arange(max(0, len(days) - chunk), len(days))
    cut = index._too_old_before(rows)
    near = [days[r] for r in rows.tolist()]
    max_days = OPTIONS.story_max_days

    def too_old(day: int | None) -> bool:
        return day is not None and all(r is not None and r - day > max_days for r in near)

    assert all(too_old(days[n]) for n in range(cut))
    assert cut == len(days) or not all(too_old(d) for d in days[: cut + 1])


# --------------------------------------------------------------------------- preparing a chunk
# The plain per-article computations that preparing a chunk in one numpy pass stands for.


def _plain_hashes(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    hashes = np.array([zlib.crc32(w.encode()) for w in words], np.uint64)
    terms = np.array([len(w) > 1 and w not in _STOP_WORDS for w in words], bool)
    return hashes, terms


def _plain_terms(hashes: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    kept = hashes[keep]
    grams = np.concatenate((kept, (kept[:-1] * _GRAM_MIX + kept[1:]) ^ features._BIGRAM_SALT))
    shift = np.uint64(64 - features.TEXT_FEATURES.bit_length() + 1)
    return np.unique((_fmix64(grams) >> shift).astype(np.int32), return_counts=True)


def _plain_shingles(words: list[str], hashes: np.ndarray) -> np.ndarray:
    if len(words) < SHINGLE_WORDS:
        return np.array([zlib.crc32(" ".join(words).encode())] if words else [], np.uint32)
    count = len(words) - SHINGLE_WORDS + 1
    combined = hashes[:count].copy()
    for k in range(1, SHINGLE_WORDS):
        combined = combined * _GRAM_MIX + hashes[k : k + count]
    return np.unique((combined >> np.uint64(32)).astype(np.uint32) ^ combined.astype(np.uint32))


def _plain_minhash(shingles: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    bands, rows, a, b, mix, salt = lsh_setup(threshold)
    if not len(shingles):
        return np.zeros(bands * rows, np.uint32), np.empty(0, np.uint64)
    signature = (shingles[:, None] * a[: bands * rows] + b[: bands * rows]).min(axis=0)
    mixed = signature.astype(np.uint64).reshape(bands, rows) * mix
    return signature, np.asarray(mixed.sum(axis=1) ^ salt, np.uint64)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b))


_TEXT_WORDS = st.lists(
    st.sampled_from([*WORDS[:40], "a", "the", "of", "x", "é", "ſ"]) | st.text("abcé", min_size=1),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXT_WORDS, min_size=1, max_size=12), st.integers(1, 40))
def test_a_chunk_prepared_at_once_gives_each_article_its_own_arrays(
    chunk: list[list[str]], minhash_values: int
) -> None:
    """Term columns, shingles and MinHash of a chunk in one pass equal each article's own,
    with articles of no words, fewer words than a shingle, and MinHash work split in batches."""
    hashed = [_hashed_words(words) for words in chunk]
    for words, (hashes, terms) in zip(chunk, hashed, strict=True):
        plain = _plain_hashes(words)
        assert _same(hashes, plain[0]) and _same(terms, plain[1])
    for (cols, counts), (hashes, terms) in zip(
        _term_counts([h for h, _ in hashed], [t for _, t in hashed]), hashed, strict=True
    ):
        plain_cols, plain_counts = _plain_terms(hashes, terms)
        assert _same(cols, plain_cols) and np.array_equal(counts, plain_counts)
    shingles = _shingle_hashes(chunk, [h for h, _ in hashed])
    for words, found, (hashes, _) in zip(chunk, shingles, hashed, strict=True):
        assert _same(found, _plain_shingles(words, hashes))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(features, "MINHASH_VALUES", minhash_values)
        signatures = _minhash(shingles, OPTIONS.duplicate_threshold)
    for (signature, bands), values in zip(signatures, shingles, strict=True):
        plain_signature, plain_bands = _plain_minhash(values, OPTIONS.duplicate_threshold)
        assert _same(signature, plain_signature) and _same(bands, plain_bands)


def test_word_hashes_stay_the_same_when_their_memo_fills_and_starts_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(features, "WORD_CODES_MAX", 5)
    monkeypatch.setattr(features, "_word_codes", {})
    for words in (WORDS[:4], WORDS[2:9], WORDS[:3], ["the", "a", *WORDS[:3]], []):
        hashes, terms = _hashed_words(words)
        plain = _plain_hashes(words)
        assert _same(hashes, plain[0]) and _same(terms, plain[1])
    assert len(features._word_codes) <= 5
