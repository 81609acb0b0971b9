"""The streaming index's searchable storage, in numpy: term rows of filed articles with
running document frequencies and tf-idf cosines against them (`TermRows`), postings from
64-bit keys (terms, names, LSH bands) to article numbers (`Postings`), and the search for
candidate pairs over them (`candidates`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from crosswire.stories.similarity import HAPAX_WEIGHT, NEIGHBOURS, RARE_NAME_MAX, RARE_NAME_SHARE

HEAVY_TERMS = 30
"""An original is filed under its this many heaviest terms, and looks for candidates under
them (among the newest POSTINGS_SCANNED holders of each)."""
POSTINGS_SCANNED = 300
"""Newest holders read per query term. Articles arrive roughly in time and a story spans at
most `story_max_days`, so the newest holders of a term are the ones that can share a story."""


class TermRows:
    """Sparse term rows of filed articles in flat growable buffers (a CSR that grows without
    copying), with running document frequencies.

    Each placed row also keeps its tf-idf weights and norm as of its placement, so comparing a
    new article with many rows reads their weights in place instead of looking up every term's
    current frequency (random reads in a table of a million columns: the slow part). The
    stored weights leave out the one-article-only discount, which only bears on terms no other
    article has and so never on a shared term; the stored norm keeps it. Rebuilding during the
    warm-up refreshes them all.
    """

    def __init__(self, width: int) -> None:
        self.df = np.zeros(width, np.int32)
        self.log_df = np.zeros(width, np.float32)  # ln(1 + df), kept in step: no log per use
        self.idx = np.empty(1 << 16, np.int32)
        self.tf = np.empty(1 << 16, np.float32)  # sublinear term frequencies
        self.w = np.zeros(1 << 16, np.float32)  # tf-idf as of placement, no hapax discount
        self.used = 0
        self.start = np.zeros(1024, np.int64)
        self.length = np.zeros(1024, np.int64)
        self.norm = np.zeros(1024)  # of the placed weights, hapax discount included
        self.local = np.empty(0, np.int32)  # column -> place among a query batch's, or -1

    def widen(self, width: int) -> None:
        if width > len(self.df):
            extra = width - len(self.df)
            self.df = np.concatenate((self.df, np.zeros(extra, np.int32)))
            self.log_df = np.concatenate((self.log_df, np.zeros(extra, np.float32)))

    def extend(self, first: int, lengths: np.ndarray, idx: np.ndarray, tf: np.ndarray) -> None:
        """Rows first, first + 1, ... of these lengths (entries concatenated, columns
        ascending within a row), counted in the frequencies; an empty row stands for a copy."""
        end_row = first + len(lengths)
        while end_row > len(self.start):
            grow = len(self.start)
            self.start = np.concatenate((self.start, np.zeros(grow, np.int64)))
            self.length = np.concatenate((self.length, np.zeros(grow, np.int64)))
            self.norm = np.concatenate((self.norm, np.zeros(grow)))
        end = self.used + len(idx)
        if end > len(self.idx):
            more = max(end, 2 * len(self.idx)) - len(self.idx)
            self.idx = np.concatenate((self.idx, np.empty(more, np.int32)))
            self.tf = np.concatenate((self.tf, np.empty(more, np.float32)))
            self.w = np.concatenate((self.w, np.zeros(more, np.float32)))
        self.idx[self.used : end] = idx
        self.tf[self.used : end] = tf
        bounds = np.concatenate(([0], np.cumsum(lengths))).tolist()
        self.start[first:end_row] = self.used + np.array(bounds[:-1], np.int64)
        self.length[first:end_row] = lengths
        self.used = end
        if len(idx):
            # row by row, as a column may recur across rows (np.add.at is slower)
            for a, b in itertools.pairwise(bounds):
                if b > a:
                    self.df[idx[a:b]] += 1
            self.log_df[idx] = np.log1p(self.df[idx])

    def uncount(self, row: int) -> None:
        """Take a row out of the document frequencies and empty it (an original that became
        a copy: see `StoryIndex._promote`); its entries stay in the buffers, unused."""
        start, length = int(self.start[row]), int(self.length[row])
        cols = self.idx[start : start + length]
        self.df[cols] -= 1
        self.log_df[cols] = np.log1p(self.df[cols])
        self.length[row] = 0
        self.norm[row] = 0.0

    def _idf(self, cols: np.ndarray, docs: int) -> np.ndarray:
        """Smooth IDF, as TfidfVectorizer's."""
        return np.log1p(docs) + 1.0 - self.log_df[cols]

    def _positions(self, rows: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Buffer positions of the rows' entries, row after row."""
        before = np.cumsum(lengths) - lengths
        return np.arange(int(lengths.sum())) + np.repeat(self.start[rows] - before, lengths)

    def current(self, rows: np.ndarray, docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows under the current counts, L2-normalised, terms of one article only
        discounted by HAPAX_WEIGHT (as in batch): (row of each entry, as an index into `rows`;
        column; weight), row after row, columns ascending within a row."""
        lengths = self.length[rows]
        pos = self._positions(rows, lengths)
        cols = self.idx[pos]
        weights = self.tf[pos] * self._idf(cols, docs)
        weights = np.where(self.df[cols] <= 1, HAPAX_WEIGHT * weights, weights)
        which = np.repeat(np.arange(len(rows)), lengths)
        norms = np.sqrt(np.bincount(which, weights=weights * weights, minlength=len(rows)))
        return which, cols, weights / np.where(norms > 0, norms, 1.0)[which]

    def place(self, rows: np.ndarray, docs: int) -> None:
        """Keep the rows' weights and norms under the current counts, for later comparisons."""
        lengths = self.length[rows]
        pos = self._positions(rows, lengths)
        cols = self.idx[pos]
        weights = self.tf[pos] * self._idf(cols, docs)
        self.w[pos] = weights
        kept = np.where(self.df[cols] <= 1, HAPAX_WEIGHT * weights, weights)
        which = np.repeat(np.arange(len(rows)), lengths)
        self.norm[rows] = np.sqrt(np.bincount(which, weights=kept * kept, minlength=len(rows)))

    def cosines(
        self,
        query: tuple[np.ndarray, np.ndarray, np.ndarray],
        owners: np.ndarray,
        others: np.ndarray,
    ) -> np.ndarray:
        """For each k, the cosine of query row owners[k] (`query` as `current` gives it) with
        placed row others[k]. One sparse product of the distinct rows asked for with the
        queries: scipy's kernel only touches the terms a query shares with a row, and adds
        each dot product up in the row's column order, as before."""
        q_which, q_cols, q_weights = query
        if not len(others) or not len(q_cols):
            return np.zeros(len(others))
        # Columns renumbered over the terms the queries have (a lookup array kept for it):
        # row terms no query has cannot add to a dot product, and the product stays narrow.
        # Any numbering will do if each column reads one number: the last write for it
        # stands (no sort for distinct columns).
        width = len(q_cols)
        if len(self.local) < len(self.df):
            self.local = np.full(len(self.df), -1, np.int32)
        self.local[q_cols] = np.arange(width, dtype=np.int32)
        q_local = self.local[q_cols]
        distinct, inverse = np.unique(others, return_inverse=True)
        lengths = self.length[distinct]
        pos = self._positions(distinct, lengths)
        cols = self.local[self.idx[pos]]
        self.local[q_cols] = -1
        # Positions, not a boolean mask: masking is several times slower than gathering.
        shared = np.flatnonzero(cols >= 0)
        indptr = np.searchsorted(shared, np.concatenate(([0], np.cumsum(lengths))))
        rows = sp.csr_matrix(
            (self.w[pos[shared]], cols[shared], indptr.astype(np.int32)),
            shape=(len(distinct), width),
        )
        owned = int(max(q_which[-1], owners.max())) + 1  # the last queries may have no terms
        per_query = np.concatenate(([0], np.cumsum(np.bincount(q_which, minlength=owned))))
        queries = sp.csr_matrix(
            (q_weights, q_local, per_query.astype(np.int32)), shape=(owned, width)
        )
        # Queries times rows, not rows times queries: half the time in scipy's kernel for the
        # same sums (a query's columns ascend as a row's do, so each dot product is added up
        # in the same order and comes out bit for bit the same).
        product = queries @ rows.T
        if owned * len(distinct) <= 4_000_000:
            dots = product.toarray()[owners, inverse]
        else:
            dots = np.asarray(product[owners, inverse], dtype=float).ravel()
        norms = self.norm[others]
        return np.divide(dots, norms, out=np.zeros(len(others)), where=norms > 0)

    def drop(self, rows: np.ndarray) -> None:
        """Forget the entries of these rows (retired: see `StoryIndex`), compacting the buffers;
        their document frequencies stay counted, so IDF keeps meaning "of every article filed".
        The rows become empty; the per-row arrays keep one slot per row (24 bytes)."""
        lengths = self.length[rows]
        if not int(lengths.sum()):
            self.length[rows] = 0
            return
        gone = np.zeros(self.used + 1, bool)
        gone[self._positions(rows, lengths)] = True
        before = np.cumsum(gone) - gone  # entries dropped before each position
        keep = ~gone[: self.used]
        self.length[rows] = 0
        self.start[rows] = 0
        self.start -= before[self.start]  # every start is at most `used`
        used = int(keep.sum())
        size = max(1 << 16, 2 * used)  # room to grow again before the next copy
        for name in ("idx", "tf", "w"):
            old = getattr(self, name)
            new = np.zeros(size, old.dtype)
            new[:used] = old[: self.used][keep]
            setattr(self, name, new)
        self.used = used

    def state(self, rows: int) -> tuple[bytes, ...]:
        nonzero = np.flatnonzero(self.df).astype(np.int32)
        return (
            self.idx[: self.used].tobytes(),
            self.tf[: self.used].tobytes(),
            self.w[: self.used].tobytes(),
            self.start[:rows].tobytes(),
            self.length[:rows].tobytes(),
            self.norm[:rows].tobytes(),
            nonzero.tobytes(),
            self.df[nonzero].tobytes(),
        )

    @classmethod
    def from_state(cls, state: tuple[bytes, ...], width: int) -> TermRows:
        idx, tf, w, start, length, norm, nonzero, df = state
        terms = cls(width)
        terms.idx = np.frombuffer(idx, np.int32).copy()
        terms.tf = np.frombuffer(tf, np.float32).copy()
        terms.w = np.frombuffer(w, np.float32).copy()
        terms.used = len(terms.idx)
        rows = len(start) // 8
        size = max(1024, 2 * rows)
        terms.start, terms.length, terms.norm = (
            np.zeros(size, np.int64),
            np.zeros(size, np.int64),
            np.zeros(size),
        )
        terms.start[:rows] = np.frombuffer(start, np.int64)
        terms.length[:rows] = np.frombuffer(length, np.int64)
        terms.norm[:rows] = np.frombuffer(norm, np.float64)
        cols = np.frombuffer(nonzero, np.int32)
        terms.df[cols] = np.frombuffer(df, np.int32)
        terms.log_df[cols] = np.log1p(terms.df[cols])
        return terms


@dataclass
class _Run:
    """Postings sorted by key: key k's are ids[offsets[k]:offsets[k + 1]], oldest first."""

    keys: np.ndarray  # distinct, ascending (uint64)
    offsets: np.ndarray
    ids: np.ndarray
    weights: np.ndarray
    top: int  # the largest id

    @classmethod
    def build(cls, keys: np.ndarray, ids: np.ndarray, weights: np.ndarray) -> _Run:
        """From postings in the order they were made."""
        order = np.argsort(keys, kind="stable")  # stable: each key's postings stay oldest first
        distinct, starts = np.unique(keys[order], return_index=True)
        offsets = np.append(starts, len(keys)).astype(np.int64)
        top = int(ids.max()) if len(ids) else -1
        return cls(distinct, offsets, ids[order].astype(np.int32), weights[order], top)

    def expanded(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.repeat(self.keys, np.diff(self.offsets)), self.ids, self.weights

    def ranges(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each query key's postings as [first, end) positions (empty when absent)."""
        if not len(self.keys):
            return np.zeros(len(query), np.int64), np.zeros(len(query), np.int64)
        at = np.minimum(np.searchsorted(self.keys, query), len(self.keys) - 1)
        found = self.keys[at] == query
        return np.where(found, self.offsets[at], 0), np.where(found, self.offsets[at + 1], 0)


class Postings:
    """Postings: 64-bit key -> (number, weight), looked up for many keys in a few numpy passes.

    Hand-written rather than dicts of lists (or, for LSH band keys, datasketch's MinHashLSH, a
    dict of sets, which held about 7 KB per article: 750 MB at 100k): a log-structured merge of
    sorted runs, 16 bytes a posting. Each batch of postings becomes a run; runs of like size
    are merged, so there are O(log n) runs and a posting is merged O(log n) times in all.
    """

    def __init__(self, count_purged: bool = False) -> None:
        self.runs: list[_Run] = []  # oldest first
        # With `count_purged`, how many postings `purge` took from each key (keys ascending),
        # so that `query` still tells how many each key was ever given.
        self.count_purged = count_purged
        self.purged_keys = np.empty(0, np.uint64)
        self.purged_counts = np.empty(0, np.int64)

    def add(self, keys: np.ndarray, ids: np.ndarray, weights: np.ndarray) -> None:
        """Postings made in this order, after all those added before."""
        if not len(keys):
            return
        self.runs.append(_Run.build(keys.astype(np.uint64), ids, weights.astype(np.float32)))
        while len(self.runs) > 1 and len(self.runs[-2].ids) <= 2 * len(self.runs[-1].ids):
            newer, older = self.runs.pop(), self.runs.pop()
            parts = list(zip(older.expanded(), newer.expanded(), strict=True))
            self.runs.append(_Run.build(*(np.concatenate(p) for p in parts)))

    def query(
        self, keys: np.ndarray, newest: np.ndarray | int, since: int = 0
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Up to `newest` (per key) of each key's newest postings: (ids, weights, which key),
        and how many postings each key has in all. The oldest runs, when they and all runs
        before them hold only ids below `since`, are not read (nor counted): for a caller
        that drops those ids, as what the newer runs give is the same either way."""
        query = np.asarray(keys, np.uint64)
        room = np.broadcast_to(np.asarray(newest, np.int64), query.shape).copy()
        held = np.zeros(len(query), np.int64)
        ids, weights, which = [np.empty(0, np.int32)], [np.empty(0, np.float32)], [held[:0]]
        tops = list(itertools.accumulate((run.top for run in self.runs), max))
        for at in reversed(range(len(self.runs))):
            if tops[at] < since:
                break
            run = self.runs[at]
            first, end = run.ranges(query)
            held += end - first
            take = np.minimum(end - first, room)
            room -= take
            pos = _spans(end - take, take)
            ids.append(run.ids[pos])
            weights.append(run.weights[pos])
            which.append(np.repeat(np.arange(len(query)), take))
        if len(self.purged_keys):
            spot = np.searchsorted(self.purged_keys, query)
            spot = np.minimum(spot, len(self.purged_keys) - 1)
            held += np.where(self.purged_keys[spot] == query, self.purged_counts[spot], 0)
        return np.concatenate(ids), np.concatenate(weights), np.concatenate(which), held

    def __len__(self) -> int:
        return sum(len(run.ids) for run in self.runs)

    def _collapse(self) -> None:
        while len(self.runs) > 1:  # one run holds it all
            newer, older = self.runs.pop(), self.runs.pop()
            parts = list(zip(older.expanded(), newer.expanded(), strict=True))
            self.runs.append(_Run.build(*(np.concatenate(p) for p in parts)))

    def purge(self, alive: np.ndarray) -> None:
        """Drop the postings of the ids not `alive` (a mask over ids); one run is left."""
        self._collapse()
        if not self.runs:
            return
        keys, ids, weights = self.runs[0].expanded()
        keep = alive[ids]
        if self.count_purged:
            gone, counts = np.unique(keys[~keep], return_counts=True)
            merged = np.concatenate((self.purged_keys, gone))
            total = np.concatenate((self.purged_counts, counts))
            self.purged_keys, inverse = np.unique(merged, return_inverse=True)
            self.purged_counts = np.bincount(inverse, weights=total).astype(np.int64)
        self.runs = [_Run.build(keys[keep], ids[keep], weights[keep])] if keep.any() else []

    def state(self) -> tuple[bytes, ...]:
        self._collapse()
        purged = (self.purged_keys.tobytes(), self.purged_counts.tobytes())
        if not self.runs:
            return (b"", b"", b"", *purged)
        keys, ids, weights = self.runs[0].expanded()
        return (keys.tobytes(), ids.tobytes(), weights.tobytes(), *purged)

    @classmethod
    def from_state(cls, state: tuple[bytes, ...], count_purged: bool = False) -> Postings:
        postings = cls(count_purged)
        keys = np.frombuffer(state[0], np.uint64)
        postings.add(keys, np.frombuffer(state[1], np.int32), np.frombuffer(state[2], np.float32))
        postings.purged_keys = np.frombuffer(state[3], np.uint64).copy()
        postings.purged_counts = np.frombuffer(state[4], np.int64).copy()
        return postings


def _spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Positions starts[k] .. starts[k] + lengths[k] - 1, for each k in turn."""
    before = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum())) + np.repeat(starts - before, lengths)


def earlier_in_batch(
    q_owner: np.ndarray, q_keys: np.ndarray, p_owner: np.ndarray, p_keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Within one batch, for queries (owner, key) and postings (owner, key): the postings of
    the query's key by earlier owners, as (posting index, query index, rank from the newest),
    each query's oldest first."""
    if not len(q_keys) or not len(p_keys):
        empty = np.empty(0, np.int64)
        return empty, empty, empty
    distinct, p_kid = np.unique(p_keys, return_inverse=True)
    width = int(max(q_owner.max(), p_owner.max())) + 2
    order = np.argsort(p_kid.astype(np.int64) * width + p_owner, kind="stable")
    ordered = (p_kid.astype(np.int64) * width + p_owner)[order]
    at = np.minimum(np.searchsorted(distinct, q_keys), len(distinct) - 1)
    found = distinct[at] == q_keys
    lo = np.searchsorted(ordered, at * width)
    count = np.where(found, np.searchsorted(ordered, at * width + q_owner) - lo, 0)
    pos = _spans(lo, count)
    query = np.repeat(np.arange(len(q_keys)), count)
    rank = np.repeat(lo + count - 1, count) - pos
    return order[pos], query, rank


def heaviest(which: np.ndarray, weights: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` heaviest entries of each row (entries come row after row),
    row by row, heaviest first, ties to the earlier entry."""
    order = np.lexsort((-weights, which))  # stable: ties keep the earlier entry first
    rank = np.arange(len(order)) - np.searchsorted(which[order], which[order])
    return order[rank < count]


def candidates(
    rows: np.ndarray,
    heavy: tuple[np.ndarray, np.ndarray, np.ndarray],
    names: tuple[np.ndarray, np.ndarray, np.ndarray],
    postings: tuple[Postings, Postings, int],
    docs: int,
    close_in_time: Callable[[np.ndarray, np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (index into `rows`, original placed before it) worth scoring, sorted: for each
    row the NEIGHBOURS originals sharing the most weight of its heaviest terms among the
    newest POSTINGS_SCANNED holders of each, and those sharing a name with it that at most
    RARE_NAME_SHARE (and RARE_NAME_MAX) of the originals hold; none published more than
    `story_max_days` apart (`close_in_time`). Earlier rows of the chunk count as placed
    before. `postings`: of the heaviest terms, of the names, and a number below which no
    original can be a candidate; `docs`: originals filed."""
    h_owner, h_cols, h_weights = heavy
    term_postings, name_postings, since = postings
    posting, query, rank = earlier_in_batch(h_owner, h_cols, h_owner, h_cols)
    newer = rank < POSTINGS_SCANNED  # the newest are the chunk's own
    posting, query = posting[newer], query[newer]
    room = POSTINGS_SCANNED - np.bincount(query, minlength=len(h_cols))
    ids, theirs, which, _ = term_postings.query(h_cols, room, since)
    ids = np.concatenate((ids, rows[h_owner[posting]])).astype(np.int64)
    which = np.concatenate((which, query))
    score = np.concatenate((theirs, h_weights[posting])) * h_weights[which]
    owner = h_owner[which]
    close = close_in_time(rows[owner], ids)
    pairs, inverse = np.unique((owner[close] << 32) | ids[close], return_inverse=True)
    total = np.bincount(inverse, weights=score[close], minlength=len(pairs))
    # by row, then best first; stable, so ties keep `pairs`' (ascending) order
    ranked = pairs[np.lexsort((-total, pairs >> 32))]
    within = np.arange(len(ranked)) - np.searchsorted(ranked >> 32, ranked >> 32)
    found = [ranked[within < NEIGHBOURS]]

    n_owner, n_cols, _ = names
    rare_limit = max(2, min(RARE_NAME_MAX, int(RARE_NAME_SHARE * docs)))
    posting, query, _ = earlier_in_batch(n_owner, n_cols, n_owner, n_cols)
    ids, _, which, held = name_postings.query(n_cols, rare_limit)
    held += np.bincount(query, minlength=len(n_cols))
    ids = np.concatenate((ids, rows[n_owner[posting]])).astype(np.int64)
    which = np.concatenate((which, query))
    rare = held[which] + 1 <= rare_limit  # rare, this article counted
    owner, ids = n_owner[which[rare]], ids[rare]
    close = close_in_time(rows[owner], ids)
    found.append((owner[close] << 32) | ids[close])
    pairs = np.unique(np.concatenate(found))
    return pairs >> 32, pairs & 0xFFFFFFFF
