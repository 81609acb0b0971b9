"""Syndicated and near-verbatim copies: `find_duplicates` for a batch, `CopyIndex` as
articles arrive. MinHash LSH over word 5-shingles proposes pairs and the exact Jaccard of the
two shingle sets decides; copies of copies form one group, whose original is the earliest
published, then the one whose source the others credit ("(Reuters)", "— AP"), then the
smallest id. Every copy points at the root original of its group.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from crosswire.language.text import re_folded
from crosswire.models import Article
from crosswire.options import Options
from crosswire.stories.features import (
    LSH_WEIGHTS,
    NO_SHINGLES,
    NUM_PERM,
    SHINGLE_WORDS,
    WORD,
    PreparedArticle,
    day_key,
    lsh_setup,
    sort_key,
)
from crosswire.stories.postings import Postings, earlier_in_batch
from crosswire.stories.saved import pack_rows, unpack_rows

SIGNATURE_MARGIN = 0.15
"""LSH proposals whose MinHash agreement is below the copy threshold minus this are dropped
before the exact Jaccard check."""


def _shingles(text: str) -> set[str]:
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


_CREDIT_LEAD = r"(?:\(\s*|[—–-]\s*|\bvia\s+|\bsource:\s*)"


def _credits(copy: Article, source: str) -> bool:
    """Whether `copy` credits `source` as wire copy does: "(Reuters)", "— AP", "via AFP"."""
    return _credits_text(copy.text, source)


def _credits_text(text: str, source: str, folded: str | None = None) -> bool:
    """Whether `text` credits `source`; the source's initials count too ("(VPA)" credits
    Veldara Press Agency), matched in capitals. `folded`: `re_folded(text)`, if kept."""
    patterns = _credit_patterns(source)
    if patterns is None:
        return False
    by_name, by_initials, folded_name, initials = patterns
    # Neither pattern can match without its words in the text: `in` first, as a search is
    # tried at every position (a copy group compares credit lines pairwise).
    if folded_name is not None and folded is None:
        folded = re_folded(text)
    if folded_name is None or folded is None or folded_name in folded:
        if by_name.search(text):
            return True
    return by_initials is not None and initials in text and by_initials.search(text) is not None


@lru_cache(maxsize=1 << 12)  # a few hundred outlets, each compared many times
def _credit_patterns(
    source: str,
) -> tuple[re.Pattern[str], re.Pattern[str] | None, str | None, str] | None:
    """What credits `source`: its name (any case), and its initials in capitals if it has two
    or more; None for a blank source. Also the name as `re_folded` gives it when it is ASCII
    (then `in` finds every case-insensitive match), and the initials."""
    name = source.strip()
    if not name:
        return None
    by_name = re.compile(rf"{_CREDIT_LEAD}{re.escape(name)}\b", flags=re.IGNORECASE)
    words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper() and w != "The"]
    initials = "".join(w[0] for w in words)
    by_initials = re.compile(rf"{_CREDIT_LEAD}{initials}\b") if len(initials) >= 2 else None
    return by_name, by_initials, re_folded(name) if name.isascii() else None, initials


def find_duplicates(articles: Sequence[Article], options: Options) -> dict[str, str]:
    """Return {copy_id: original_id} for near-verbatim copies among `articles`.

    Two articles are copies when the Jaccard similarity of their word 5-shingle sets reaches
    `options.duplicate_threshold`; MinHash LSH proposes the pairs and the exact Jaccard of the
    two sets decides, so a pair near the threshold does not depend on hashing luck. Copies of
    copies form one group; its original is the earliest published, then the one whose source
    the others credit, then the smallest id.
    """
    ordered = sorted(articles, key=sort_key)
    shingles = {a.id: _shingles(a.text) for a in ordered}
    lsh = MinHashLSH(threshold=options.duplicate_threshold, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    parent: dict[str, str] = {a.id: a.id for a in ordered}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for article in ordered:
        grams = shingles[article.id]
        if not grams:
            continue
        minhash = MinHash(num_perm=NUM_PERM)
        minhash.update_batch([g.encode("utf-8") for g in grams])
        for other in sorted(lsh.query(minhash)):
            theirs = shingles[other]
            if len(grams & theirs) / len(grams | theirs) >= options.duplicate_threshold:
                a, b = root(article.id), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        lsh.insert(article.id, minhash)

    groups: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        groups[root(article.id)].append(article)
    result: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        credited = {
            m.id: sum(_credits(o, m.source) for o in members if o.source != m.source)
            for m in members
        }
        first = min(members, key=lambda m: (sort_key(m)[:2], -credited[m.id], m.id))
        result.update({m.id: first.id for m in members if m.id != first.id})
    return dict(sorted(result.items()))


# --------------------------------------------------------------------------- features


class CopyIndex:
    """Near-verbatim copies as articles arrive: MinHash LSH proposes, exact Jaccard of the
    shingle sets decides (as in `find_duplicates`); copies of copies form one group."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.lsh = Postings()
        bands, rows = lsh_setup(threshold)[:2]
        self.signatures = np.zeros((1024, bands * rows), np.uint32)
        self.base = 0  # article number of signatures' first row: retired ones are cut off
        self.shingles: list[np.ndarray] = []
        self.sources: list[str] = []
        self.credit: list[str] = []
        self.parent: list[int] = []  # union-find over article numbers; root = first filed
        self.group: dict[int, list[int]] = {}  # root -> members, for groups of two or more
        self.bridges: list[tuple[int, int, int]] = []  # groups' roots a copy joined; it
        self.folded: list[str] = []  # credit lines as `re_folded` gives them
        self.days: list[int | None] = []  # publication days, by number
        # The original of a group is its earliest-published member, then the most credited
        # one (see `find_duplicates`), so credits are only counted for a group's members of
        # its earliest day (its `leaders`). Counting them for every member made each article
        # joining a group of m copies search m credit lines: quadratic in a big wire story.
        self.leaders: dict[int, list[int]] = {}  # root -> members of the group's first day
        self.credited: dict[int, int] = {}  # leader -> members of its group crediting it

    def add(
        self,
        articles: Sequence[PreparedArticle],
        stamps: np.ndarray | None = None,
        horizon: tuple[int, int] | None = None,
    ) -> list[bool]:
        """File the next articles (numbered on from the count filed so far); for each, whether
        it copies an article filed before it (with a `horizon`, one whose retirement day in
        `stamps` is not before it: see `StoryIndex._horizon`)."""
        first = len(self.shingles)
        keys = np.concatenate([a.bands for a in articles] + [np.empty(0, np.uint64)])
        owner = np.repeat(np.arange(len(articles)), [len(a.bands) for a in articles])
        ids, _, which, _ = self.lsh.query(keys, 2**31)
        if stamps is not None and horizon is not None:
            live = stamps[ids] >= horizon[0]
            ids, which = ids[live], which[live]
        posting, query, _ = earlier_in_batch(owner, keys, owner, keys)
        # (article, older one its bands meet), by article, then the older one
        proposed = np.unique(
            (np.concatenate((owner[which], owner[query])).astype(np.int64) << 32)
            | np.concatenate((ids.astype(np.int64), first + owner[posting]))
        )
        mine, theirs = proposed >> 32, proposed & 0xFFFFFFFF
        base = self.base
        while first - base + len(articles) > len(self.signatures):
            self.signatures = np.concatenate((self.signatures, np.zeros_like(self.signatures)))
        if articles:
            self.signatures[first - base : first - base + len(articles)] = [
                a.signature for a in articles
            ]
        # MinHash's estimate first (for the whole chunk in one pass): an exact check of every
        # LSH proposal cost more as the corpus grew. Over 96 values its error has sd < 0.05,
        # so a true pair at the threshold falls SIGNATURE_MARGIN below it about once in a
        # thousand.
        agree = (self.signatures[theirs - base] == self.signatures[first - base + mine]).mean(
            axis=1
        )
        likely = agree >= self.threshold - SIGNATURE_MARGIN
        self.shingles.extend(a.shingles for a in articles)
        self.sources.extend(a.source for a in articles)
        self.credit.extend(a.credit for a in articles)
        self.folded.extend(re_folded(a.credit) for a in articles)
        self.days.extend(a.day for a in articles)
        originals: list[list[int]] = [[] for _ in articles]
        # One copied member per earlier group is enough to join it: the rest of the group's
        # proposals (all its members, in a big wire story) need no exact check.
        found_in: set[tuple[int, int]] = set()  # (article, root of a group it copies)
        for k, other in zip(mine[likely].tolist(), theirs[likely].tolist(), strict=True):
            group = self.root(other) if other < first else -1
            if group >= 0 and (k, group) in found_in:
                continue
            if _jaccard(self.shingles[first + k], self.shingles[other]) >= self.threshold:
                originals[k].append(other)
                if group >= 0:
                    found_in.add((k, group))
        result = []
        for k, found in enumerate(originals):
            number = first + k
            self.parent.append(number)
            result.append(bool(found))
            if found:
                self._join(number, found)
        self.lsh.add(keys, first + owner, np.zeros(len(keys), np.float32))
        return result

    def state(self, filed: int) -> dict[str, Any]:
        """What `StoryIndex` saves of the copy index (`filed`: articles filed), as plain data
        under the saved index's keys (see `from_state`)."""
        return {
            "shingles": pack_rows([(x,) for x in self.shingles], 1),
            "signatures": self.signatures[: filed - self.base].tobytes(),
            "signature_base": self.base,
            "sources": self.sources,
            "credit": self.credit,
            "parent": self.parent,
            "group": self.group,
            "bridges": self.bridges,
            "credited": self.credited,
            "lsh": self.lsh.state(),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any], threshold: float) -> CopyIndex:
        """The copy index of a saved `StoryIndex` (its `state` keys, and "published")."""
        copies = cls(threshold)
        copies.shingles = [
            row[0] if len(row[0]) else NO_SHINGLES
            for row in unpack_rows(state["shingles"], (np.uint32,))
        ]
        width = copies.signatures.shape[1]
        signatures = np.frombuffer(state["signatures"], np.uint32).reshape(-1, width)
        copies.signatures = np.zeros((max(1024, 2 * len(signatures)), width), np.uint32)
        copies.signatures[: len(signatures)] = signatures
        copies.base = state["signature_base"]
        copies.sources, copies.credit = state["sources"], state["credit"]
        copies.parent, copies.bridges = state["parent"], state["bridges"]
        copies.group = state["group"]
        copies.credited = state["credited"]
        copies.days = list(state["published"])
        copies.folded = [re_folded(c) for c in copies.credit]
        for root, members in copies.group.items():
            first = min(map(copies._first_key, members))
            copies.leaders[root] = [m for m in members if copies._first_key(m) == first]
        copies.lsh = Postings.from_state(state["lsh"])
        return copies

    def retire(self, numbers: Sequence[int], alive: np.ndarray, low: int) -> None:
        """Forget what only finding new copies of these articles needs: their LSH postings,
        shingles and signatures (all of them below `low`, the first article still `alive`).
        Sources and credit lines of copy-group members stay: an article joining the group
        later counts its credits against every member."""
        for number in numbers:
            self.shingles[number] = NO_SHINGLES
            if self.root(number) not in self.group:
                self.sources[number] = self.credit[number] = self.folded[number] = ""
        self.lsh.purge(alive)
        held = len(self.shingles) - low
        if low - self.base > held:  # cut the retired rows once they outnumber the live ones
            kept = self.signatures[low - self.base : len(self.shingles) - self.base]
            self.signatures = np.zeros((max(1024, 2 * held), kept.shape[1]), np.uint32)
            self.signatures[:held] = kept
            self.base = low

    def _join(self, number: int, originals: Sequence[int]) -> None:
        roots = sorted({self.root(o) for o in originals})
        root = roots[0]
        members = self.group.pop(root, [root])
        leaders = self.leaders.pop(root, [root])
        for other in roots[1:]:
            self.parent[other] = root
            joining = self.group.pop(other, [other])
            leaders = self._merge_leaders(
                members, leaders, joining, self.leaders.pop(other, [other])
            )
            members.extend(joining)
            self.bridges.append((root, other, number))
        self.parent[number] = root
        leaders = self._merge_leaders(members, leaders, [number], [number])
        members.append(number)
        self.group[root] = members
        self.leaders[root] = leaders

    def _first_key(self, number: int) -> tuple[int, int]:
        """The publication part of `day_key`: what picks a group's first-day members."""
        return day_key(self.days[number], "")[:2]

    def _merge_leaders(
        self,
        ours: Sequence[int],
        our_leaders: list[int],
        theirs: Sequence[int],
        their_leaders: list[int],
    ) -> list[int]:
        """The leaders of two groups joined, their credits counted over both: each side's
        leaders were counted over their own group, so only the other side is left to count."""
        key = min(self._first_key(our_leaders[0]), self._first_key(their_leaders[0]))
        kept = []
        for leaders, others in ((our_leaders, theirs), (their_leaders, ours)):
            if self._first_key(leaders[0]) == key:
                for leader in leaders:
                    self._count_credits(leader, others)
                kept.extend(leaders)
            else:
                for leader in leaders:
                    self.credited.pop(leader, None)
        return kept

    def _count_credits(self, leader: int, others: Sequence[int]) -> None:
        """Count the articles of `others` (another outlet's) that credit `leader`'s outlet."""
        source = self.sources[leader]
        count = sum(
            1
            for o in others
            if self.sources[o] != source and _credits_text(self.credit[o], source, self.folded[o])
        )
        if count:
            self.credited[leader] = self.credited.get(leader, 0) + count

    def root(self, number: int) -> int:
        while self.parent[number] != number:
            self.parent[number] = self.parent[self.parent[number]]
            number = self.parent[number]
        return number


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted arrays of distinct hashes."""
    if not len(a) or not len(b):
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)
