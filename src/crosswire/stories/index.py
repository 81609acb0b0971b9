"""The streaming story index: `StoryIndex` files articles chunk by chunk, without regrouping
what came before, and keeps its stories between runs as bytes (`to_bytes`/`from_bytes`).

It runs the batch grouping's steps (`crosswire.stories.batch`) as articles arrive: copy
detection (`crosswire.stories.copies`), candidates from postings of heavy terms and rare names
(`crosswire.stories.postings`), the batch similarity (`crosswire.stories.similarity`), and
the clustering's two steps, one article at a time (`crosswire.stories.clusters`). What the
time window and the saved form need lives in `crosswire.stories.window` and `saved`.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from crosswire.models import Article, ArticleAnalysis, StoryGroup
from crosswire.options import Options
from crosswire.stories.clusters import (
    Cluster,
    join_cluster,
    pack_clusters,
    regroup,
    restrengthen,
    unpack_clusters,
)
from crosswire.stories.copies import CopyIndex
from crosswire.stories.features import (
    NO_SHINGLES,
    TEXT_FEATURES,
    PreparedArticle,
    Traits,
    day_key,
    prepare_articles,
    story_id,
)
from crosswire.stories.originals import CopyOriginals
from crosswire.stories.postings import HEAVY_TERMS, Postings, TermRows, candidates, heaviest
from crosswire.stories.saved import (
    FORMAT_VERSION,
    dump_state,
    load_state,
    story_options,
    trait_data,
    trait_of,
    without_released,
)
from crosswire.stories.similarity import similarities_of
from crosswire.stories.window import RETIRED, UNSTAMPED, freeze, is_frozen, releasable, sweep_due

PLACE_CHUNK = 256
"""Originals placed together: their order-free work is vectorised across the chunk."""
WARMUP_DOCS = 1000
REBUILD_FACTOR = 1.25
"""While at most WARMUP_DOCS originals are filed, all are placed again each time their number
grows by REBUILD_FACTOR (see `StoryIndex`): about five placements per article then, none
after. On ECB+ dev (196 documents, so warming up throughout) this is what brings one article
at a time to batch's B-cubed F1; on the 10k-article bench stream it moved F1 by 0.001."""
_NONE_DAY = -(2**31)
"""Stands for "undated" in the array of publication days."""


class StoryIndex(CopyOriginals):
    """Stories that grow as articles arrive, without re-clustering what came before.

    `add` files new articles. A near-verbatim copy of a filed article (MinHash LSH proposes,
    exact shingle Jaccard decides, as in `find_duplicates`) joins its original's story; while
    warming up, the group's clustered member is batch's original, whatever came first. Any
    other article is scored, with `group_stories`' similarity, against the filed articles an
    inverted index over their heaviest terms and rarer names proposes (never against all of
    them), then goes through the two steps of the batch clustering: it joins the cluster it
    clearly belongs to, or starts one; then the clusters near it are merged into stories by
    average link, best pair first, down to `options.story_threshold`. Only clusters linked to
    the changed one at that average or more (and their current story-mates) are regrouped, as
    no other merge can have changed. So the stories are those `group_stories` finds for the
    same similarities, at the cost of a few clusters per article whatever the index holds.
    Filing in bulk (`add_prepared(..., report=False)`, as `pipeline.file_stories` files an
    archive) leaves that regrouping until the stories are read, once for many chunks: a big
    story is then not regrouped whole for each chunk that touches it.

    Term weights are tf-idf with document frequencies counted as articles arrive: a pair is
    scored when its later article is placed, with the counts of that moment, and the articles
    of one `add` are all counted before any is placed. While the index is young the counts
    move fast, so until WARMUP_DOCS originals are filed, each time their number grows by
    REBUILD_FACTOR every original is placed again (from stored features, in publication
    order) with the current counts; that costs a constant number of placements per article.
    Until then a rebuild also comes when an original arrives out of publication order or a
    copy joins two copy groups, so the warm-up's stories do not depend on the arrival order
    (at most WARMUP_DOCS rebuilds of at most WARMUP_DOCS originals, whatever comes after).

    Story ids are `s-` + sha1 of the id of the story's first-filed article (its first article,
    as in batch, when articles come in publication order): the id stays while the story
    grows. When an article bridges two stories, the merged story keeps the older id and
    `merges` records where the other went.

    Without a window everything filed stays in memory, to file later articles against. With
    `options.story_window_days` the index keeps what can still matter to articles that arrive
    in publication order: it retires older articles in sweeps (`_sweep`), freezes the stories
    they end (`freeze`) and hands over those that can no longer change (`release`); on such a
    stream its stories are those found without a window. `crosswire.stories.window` says
    what it keeps, what it leaves out and what still grows.
    """

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self._copy_index = CopyIndex(self.options.duplicate_threshold)
        # every article, by number (order of filing)
        self._ids: list[str] = []
        self._number: dict[str, int] = {}
        self._published: list[int | None] = []
        self._day = np.empty(1024, np.int64)  # the same as an array, for filtering
        # the latest day among articles 0..n, and the first undated article: what lets a
        # candidate search skip postings of articles all too old to share a story
        self._day_max = np.empty(1024, np.int64)
        self._first_undated = 2**62
        self._cluster_of: list[int] = []  # -1 until placed
        # features of originals (copies hold empty rows and no traits)
        self._text = TermRows(TEXT_FEATURES)
        self._names = TermRows(1024)
        self._traits: list[Traits | None] = []
        # per article, for scoring pairs in numpy: distinct names, and which of a central
        # person, days, figures it has (bits: only pairs sharing a bit need their traits)
        self._named = np.zeros(1024, np.int64)
        self._special = np.zeros(1024, np.uint8)
        self._docs = 0
        self._name_ids: dict[str, int] = {}
        self._next_rebuild = 1
        self._latest: tuple[int, int, str] | None = None  # the latest-sorting original filed
        # copy group (root) -> the member clustered for it, where that is not the root (the
        # first filed): the group's original as `find_duplicates` chooses it
        self._rep: dict[int, int] = {}
        # placing: postings of placed originals, clusters in creation order, their stories
        self._postings = Postings()  # heaviest terms -> originals, with their weights
        self._name_postings = Postings(count_purged=True)  # name ids -> originals
        self._clusters: list[Cluster] = []
        self._story_of: list[int] = []  # cluster -> its story's oldest cluster
        self._story: dict[int, list[int]] = {}  # oldest cluster -> the story's clusters
        self._reported: dict[str, int] = {}  # story id `add` returned -> its first-filed article
        # clusters that changed since the last regroup (`_flush`), and clusters whose stories
        # changed or grew since the last report (filing with report=False defers both)
        self._pending: set[int] = set()
        self._unreported: set[int] = set()
        # the time window (options.story_window_days; see the class docstring)
        self.late = 0
        """Articles filed although published before the window's horizon (see the class
        docstring); always 0 without a window."""
        self._newest: int | None = None  # latest publication day filed
        # The articles of one `add` are compared with (and may copy) earlier-filed ones only
        # if not retired by this day (None: all), whether or not a sweep has come yet: so
        # what they find does not depend on when the sweeps came. Also the number of the
        # first of them (they see each other).
        self._horizon: tuple[int, int] | None = None
        self._stamp = np.empty(1024, np.int64)  # per article: its retirement day, or RETIRED
        self._low = 0  # first article not retired
        self._swept = (UNSTAMPED, 0, 0)  # at the last sweep: horizon, articles filed, live
        self._frozen = bytearray()  # per cluster: 1 once frozen (clusters beyond: 0)
        self._thaw_from = 0  # first cluster not frozen
        self.released = 0
        """Articles handed over by `release` and no longer held."""
        self._release_checked = self._swept  # `_swept` when `release` last looked

    # ---------------------------------------------------------------- public

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._number

    def add(
        self,
        articles: Sequence[Article],
        analyses: Mapping[str, ArticleAnalysis],
        *,
        report: bool = True,
    ) -> list[StoryGroup]:
        """File `articles` (ids already filed are passed over); return the stories that
        changed (new, grown, merged or regrouped), in order of each story's first article.
        `report=False`: file in bulk, return nothing (see `add_prepared`)."""
        fresh = {a.id: a for a in reversed(articles) if a.id not in self._number}
        prepared = prepare_articles(list(fresh.values()), analyses, self.options)
        return self.add_prepared(prepared, report=report)

    def add_prepared(
        self, prepared: Sequence[PreparedArticle], *, report: bool = True
    ) -> list[StoryGroup]:
        """`add` for articles already through `prepare_articles` (with this index's options).

        With `report=False` (bulk filing, e.g. an archive read to the end) it returns no
        stories and leaves the regrouping into stories until they are next read (`groups`,
        `story_of`, `merges`, `to_bytes`, a window's sweep) or reported (the next call with
        `report=True`, which then reports every story changed since the last report). The
        stories are the same (regrouping once after many placements gives what regrouping
        after each would, see `regroup`), and it costs less: a story is regrouped whole each
        time it changes, so a big story touched by every chunk was regrouped once a chunk."""
        fresh = {p.id: p for p in reversed(prepared) if p.id not in self._number}
        ordered = sorted(fresh.values(), key=lambda p: day_key(p.day, p.id))
        if not ordered:
            return self._report() if report else []
        with _gc_paused():
            self._date(ordered)
            known = len(self._copy_index.bridges)
            copies = self._copy_index.add(ordered, self._stamp, self._horizon)
            numbers = self._register(ordered, copies)
            bridges: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for a, b, by in self._copy_index.bridges[known:]:
                bridges[by].append((a, b))
            warming = self._docs <= WARMUP_DOCS
            promoted = warming and self._promote_copies(ordered, numbers, copies)
            copies = [self._traits[n] is None for n in numbers]  # a promoted copy is not
            # An arrival out of publication order, a copy clustered in place of another, or
            # one joining two copy groups (each with a member clustered) sets the warm-up's
            # stories apart from those in publication order: a rebuild settles all three.
            late = self._arrived_late(numbers, copies) or bool(bridges) or promoted
            if warming and (self._docs >= self._next_rebuild or late):
                if self._docs >= self._next_rebuild:
                    self._next_rebuild = max(self._docs + 1, int(self._docs * REBUILD_FACTOR))
                before = {g.id: g for g in self.groups()}
                # a rebuild numbers the clusters anew: hold what is still to report by article
                unreported = [self._clusters[k].originals[0] for k in self._unreported]
                self._rebuild()
                self._unreported = {
                    head
                    for head in self._story
                    if before.get(self._story_id_of(head)) != self._story_group(head)
                } | {self._cluster_of[n] for n in unreported}
            else:
                originals = [n for n, copy in zip(numbers, copies, strict=True) if not copy]
                self._pending |= self._place_many(originals)
                for number, copy in zip(numbers, copies, strict=True):
                    if copy:
                        self._pending |= self._attach_copy(number)
                        self._unreported.add(self._cluster_of[number])
                    self._pending |= self._link_bridges(bridges[number])
            self._sweep_if_due()
        return self._report() if report else []

    def _arrived_late(self, numbers: Sequence[int], copies: Sequence[bool]) -> bool:
        """Whether an original among `numbers` (just registered) sorts before one filed
        earlier; move `_latest` on. Batch's first pass runs in publication order: an article
        placed after later-published ones can land elsewhere, and they did not see it."""
        keys = [self._sort_key(n) for n, copy in zip(numbers, copies, strict=True) if not copy]
        if not keys:
            return False
        late = self._latest is not None and min(keys) < self._latest
        self._latest = max(keys) if self._latest is None else max(self._latest, *keys)
        return late

    def _flush(self) -> None:
        """Regroup into stories what changed since the last regroup."""
        if self._pending:
            self._unreported |= self._regroup(self._pending)
            self._pending = set()

    def _report(self) -> list[StoryGroup]:
        """The stories that changed or grew since the last report, and note them reported."""
        self._flush()
        heads = sorted({self._story_of[k] for k in self._unreported}, key=self._first_key)
        self._unreported = set()
        groups = [self._story_group(head) for head in heads]
        for head, group in zip(heads, groups, strict=True):
            self._reported.setdefault(group.id, min(self._members(head)))
        return groups

    def groups(self) -> list[StoryGroup]:
        """Every story, in order of its first article (as `group_stories` orders them)."""
        self._flush()
        return [self._story_group(head) for head in sorted(self._story, key=self._first_key)]

    def duplicates(self) -> dict[str, str]:
        """{copy_id: original_id} for every copy filed so far (as `find_duplicates` gives)."""
        result: dict[str, str] = {}
        for members in self._copy_index.group.values():
            result.update(self._copies(members))
        return dict(sorted(result.items()))

    def story_of(self, article_id: str) -> str | None:
        """The id of the story the article is in now (None if it was never filed)."""
        number = self._number.get(article_id)
        if number is None:
            return None
        self._flush()
        return self._story_id_of(self._story_of[self._cluster_of[number]])

    @property
    def merges(self) -> dict[str, str]:
        """{id of a story `add` returned that has since merged: id of the story it is in}."""
        result = {}
        for reported, founder in sorted(self._reported.items()):
            now = self.story_of(self._ids[founder])
            if now is not None and now != reported:
                result[reported] = now
        return result

    def release(self) -> list[StoryGroup]:
        """Hand over the stories that can no longer change and forget them, so that a writer
        filing an endless stream holds only the window (issue 8); [] when none is due.

        With a window, a frozen story (see `freeze`) whose every article, copies included,
        is retired gains nothing again: no later article meets its articles. Once such
        articles are as many as the rest held (RELEASE_SHARE) and at least RELEASE_MIN, a
        call drops them from the index and returns their stories (in order of first article,
        as `groups` gives them): what `groups` would have shown for them. From then on
        `groups`, `story_of`, `duplicates` and `merges` cover only the stories still held,
        `len` counts the articles still held (`released` the others), and an id filed again
        after its release is filed as a new article. The stories of everything filed are
        those returned over all calls plus `groups()`, the same as without releasing. A copy
        group spanning stories is released only whole. Checked only after a window's sweep
        (at most once per sweep); without a window, nothing is ever released."""
        if self.options.story_window_days is None or self._release_checked == self._swept:
            return []
        self._release_checked = self._swept
        self._flush()
        gone = releasable(
            self._story,
            self._members,
            self._frozen,
            self._stamp,
            self._copy_index.group.values(),
            (self._cluster_of, self._story_of),
        )
        if not gone:
            return []
        out = {n for members in gone.values() for n in members}
        released = [self._story_group(head) for head in sorted(gone, key=self._first_key)]
        keep = np.ones(len(self._ids), bool)
        keep[list(out)] = False
        keep_clusters = np.ones(len(self._clusters), bool)
        keep_clusters[[k for head in gone for k in self._story[head]]] = False
        width = self._copy_index.signatures.shape[1]
        state = without_released(self._state(), keep, keep_clusters, width)
        state["released"] = self.released + len(out)
        # the loader derives the rest (numbers by id, day arrays, copy leaders, strong pairs)
        vars(self).update(vars(StoryIndex._from_state(state, self.options)))
        self._release_checked = self._swept
        return released

    # ---------------------------------------------------------------- persistence

    def to_bytes(self) -> bytes:
        """The whole index as bytes: a pickle of plain data (numbers, strings, bytes, lists,
        dicts), zlib-compressed; `from_bytes` refuses anything else."""
        return dump_state(self._state())

    def _state(self) -> dict[str, Any]:
        """The index as plain data (what `to_bytes` saves; `_from_state` loads it)."""
        self._flush()
        state: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "options": story_options(self.options),
            "ids": self._ids,
            "published": self._published,
            **self._copy_index.state(len(self._ids)),
            "cluster_of": self._cluster_of,
            "text": self._text.state(len(self._ids)),
            "names": self._names.state(len(self._ids)),
            "traits": [None if t is None else trait_data(t) for t in self._traits],
            "docs": self._docs,
            "name_keys": list(self._name_ids),
            "next_rebuild": self._next_rebuild,
            "reps": self._rep,
            "postings": self._postings.state(),
            "name_postings": self._name_postings.state(),
            "clusters": pack_clusters(self._clusters),
            "stories": list(self._story.values()),
            "reported": self._reported,
            "unreported": sorted(self._unreported),
            "late": self.late,
            "newest": self._newest,
            "low": self._low,
            "stamps": self._stamp[self._low : len(self._ids)].tobytes()
            if self.options.story_window_days is not None
            else b"",
            "swept": self._swept,
            "frozen": bytes(self._frozen),
            "released": self.released,
        }
        return state

    @classmethod
    def from_bytes(cls, data: bytes, options: Options | None = None) -> StoryIndex:
        """An index saved by `to_bytes`. With `options`, raise ValueError if the index was
        built with other story settings (threshold, days, copy threshold): rebuild it then."""
        state, saved = load_state(data, options)
        return cls._from_state(state, saved)

    @classmethod
    def _from_state(cls, state: dict[str, Any], options: Options) -> StoryIndex:
        """The index `_state` gave (its options checked by the caller)."""
        index = cls(options)
        index._copy_index = CopyIndex.from_state(state, options.duplicate_threshold)
        index._ids = state["ids"]
        index._number = {aid: n for n, aid in enumerate(index._ids)}
        index._published = state["published"]
        index._day = np.array(
            [_NONE_DAY if d is None else d for d in index._published] or [0], np.int64
        )
        index._day = np.concatenate((index._day, np.empty(1024, np.int64)))
        index._note_days(0, len(index._ids))
        index._cluster_of = state["cluster_of"]
        index._text = TermRows.from_state(state["text"], TEXT_FEATURES)
        index._names = TermRows.from_state(state["names"], max(1024, 2 * len(state["name_keys"])))
        index._traits = [None if t is None else trait_of(t) for t in state["traits"]]
        for number, traits in enumerate(index._traits):
            if traits is not None:
                index._note_traits(number, traits)
        index._docs = state["docs"]
        index._name_ids = {key: n for n, key in enumerate(state["name_keys"])}
        index._next_rebuild = state["next_rebuild"]
        index._rep = dict(state.get("reps", {}))  # saves before promotion had none
        originals = [n for n, t in enumerate(index._traits) if t is not None]
        index._latest = max(map(index._sort_key, originals), default=None)
        index._postings = Postings.from_state(state["postings"])
        index._name_postings = Postings.from_state(state["name_postings"], count_purged=True)
        index._clusters = unpack_clusters(state["clusters"])
        for a, cluster in enumerate(index._clusters):
            for b in cluster.links:
                if a < b:
                    index._restrengthen(a, b)
        index._story_of = list(range(len(index._clusters)))
        for members in state["stories"]:
            index._story[members[0]] = members
            for k in members:
                index._story_of[k] = members[0]
        index._reported = state["reported"]
        index._unreported = set(state.get("unreported", ()))  # saves before it had none
        index.late, index._newest, index._low = state["late"], state["newest"], state["low"]
        stamps = np.frombuffer(state["stamps"], np.int64)
        index._stamp = np.full(max(1024, 2 * len(index._ids)), RETIRED, np.int64)
        index._stamp[index._low : index._low + len(stamps)] = stamps
        horizon, filed, live = state["swept"]
        index._swept = (horizon, filed, live)
        index._frozen = bytearray(state["frozen"])
        thawed = index._frozen.find(0)
        index._thaw_from = thawed if thawed >= 0 else len(index._frozen)
        index.released = state.get("released", 0)  # saves before release() had none
        return index

    # ---------------------------------------------------------------- filing

    def _register(self, articles: Sequence[PreparedArticle], copies: Sequence[bool]) -> list[int]:
        """Record articles (their copy detection done) and count the originals' terms; return
        their numbers."""
        first = len(self._ids)
        numbers = list(range(first, first + len(articles)))
        for article, number in zip(articles, numbers, strict=True):
            self._ids.append(article.id)
            self._number[article.id] = number
            self._published.append(article.day)
        while first + len(articles) > len(self._day):
            self._day = np.concatenate((self._day, np.empty(len(self._day), np.int64)))
        self._day[first : first + len(articles)] = [
            _NONE_DAY if a.day is None else a.day for a in articles
        ]
        self._note_days(first, first + len(articles))
        self._cluster_of.extend([-1] * len(articles))
        originals = [a for a, copy in zip(articles, copies, strict=True) if not copy]
        for article, copy, number in zip(articles, copies, numbers, strict=True):
            self._traits.append(None if copy else article.traits)
            if not copy:
                self._note_traits(number, article.traits)
        self._docs += len(originals)
        self._count_rows(first, articles, copies)
        return numbers

    def _count_rows(
        self, first: int, articles: Sequence[PreparedArticle], copies: Sequence[bool]
    ) -> None:
        """File the term and name rows of `articles` from row `first` on (a copy's rows stay
        empty) and count them in the document frequencies."""
        originals = [a for a, copy in zip(articles, copies, strict=True) if not copy]
        pairs = list(zip(articles, copies, strict=True))
        lengths = np.array([0 if c else len(a.text_idx) for a, c in pairs], np.int64)
        self._text.extend(
            first,
            lengths,
            np.concatenate([a.text_idx for a in originals] + [np.empty(0, np.int32)]),
            np.concatenate([a.text_tf for a in originals] + [np.empty(0, np.float32)]),
        )
        # names: ids in each row ascending, one sort for all rows
        counts = np.array([0 if c else len(a.names) for a, c in pairs], np.int64)
        ids = np.array([self._name_id(key) for a in originals for key, _ in a.names], np.int32)
        mentions = np.array([n for a in originals for _, n in a.names], np.float64)
        order = np.lexsort((ids, np.repeat(np.arange(len(articles)), counts)))
        self._names.extend(
            first,
            counts,
            ids[order],
            (1.0 + np.log(mentions[order])).astype(np.float32),
        )

    def _note_days(self, start: int, end: int) -> None:
        """Keep `_day_max` and `_first_undated` for articles start..end-1 (just registered)."""
        if len(self._day_max) < len(self._day):
            self._day_max = np.resize(self._day_max, len(self._day))
        days = self._day[start:end]
        before = self._day_max[start - 1] if start else _NONE_DAY
        self._day_max[start:end] = np.maximum.accumulate(np.maximum(days, before))
        undated = np.flatnonzero(days == _NONE_DAY)
        if len(undated):
            self._first_undated = min(self._first_undated, start + int(undated[0]))

    def _too_old_before(self, rows: np.ndarray) -> int:
        """A number below which every article is dated and published more than
        `story_max_days` before each of `rows`: none can be a candidate for them."""
        if not len(rows):
            return 0
        # an undated row's day is _NONE_DAY, below every day: then no article is too old
        limit = int(self._day[rows].min()) - self.options.story_max_days
        # _day_max never decreases, so the articles whose latest day is below the limit
        # come first
        old = int(np.searchsorted(self._day_max[: len(self._ids)], limit, side="left"))
        return min(old, self._first_undated)

    def _note_traits(self, number: int, traits: Traits) -> None:
        while number >= len(self._named):  # a loaded index skips the rows of retired ones
            self._named = np.concatenate((self._named, np.zeros_like(self._named)))
            self._special = np.concatenate((self._special, np.zeros_like(self._special)))
        self._named[number] = traits.named
        self._special[number] = (
            (traits.people[0] is not None) | (bool(traits.days) << 1) | (bool(traits.figures) << 2)
        )

    def _restrengthen(self, a: int, b: int) -> None:
        restrengthen(
            self._clusters, a, b, self.options.story_threshold, self.options.story_max_days
        )

    # ---------------------------------------------------------------- the time window

    def _date(self, articles: Sequence[PreparedArticle]) -> None:
        """Before filing the next articles: set the horizon they are filed against
        (`_horizon`), count the late ones among them (published before it), move `_newest`
        and, with a window, give each a retirement day: its publication day; undated ones
        the newest day (filed now, they count as published now)."""
        window = self.options.story_window_days
        before = self._newest
        days = [a.day for a in articles if a.day is not None]
        if days:
            self._newest = max(days) if before is None else max(before, *days)
        self._horizon = None
        if window is None:
            return
        if before is not None:
            self.late += sum(day < before - window for day in days)
            # Not while warming up: a rebuild places old articles again, against old ones.
            if self._docs > WARMUP_DOCS:
                self._horizon = (before - window, len(self._ids))
        first, end = len(self._ids), len(self._ids) + len(articles)
        while end > len(self._stamp):
            self._stamp = np.concatenate((self._stamp, np.empty(len(self._stamp), np.int64)))
        if before is None and self._newest is not None:  # the first dated articles
            stamps = self._stamp[self._low : first]  # a view: the write lands in `_stamp`
            stamps[stamps == UNSTAMPED] = self._newest
        undated = UNSTAMPED if self._newest is None else self._newest
        self._stamp[first:end] = [undated if a.day is None else a.day for a in articles]

    def _sweep_if_due(self) -> None:
        """Sweep (`_sweep`) when `sweep_due`. Never while warming up: a rebuild then places
        every original again, retired ones too."""
        window = self.options.story_window_days
        if window is None or self._newest is None or self._docs <= WARMUP_DOCS:
            return
        if sweep_due(window, self._newest, len(self._ids), self._swept, PLACE_CHUNK):
            self._sweep(self._newest - window)

    def _sweep(self, horizon: int) -> None:
        """Retire the articles whose retirement day is before `horizon`: they stop being
        candidates (postings purged) and their features go (term rows, traits; shingles,
        signature and LSH postings in the copy index). Then freeze the stories that ended
        `story_max_days` before it (`freeze`)."""
        self._flush()
        filed, low = len(self._ids), self._low
        due = np.flatnonzero(self._stamp[low:filed] < horizon) + low
        if len(due):
            self._stamp[due] = RETIRED
            originals = [n for n in due.tolist() if self._traits[n] is not None]
            for number in originals:
                # None marks a copy too: no matter, only a rebuild tells them apart, and none
                # comes after the warm-up (see `_sweep_if_due`)
                self._traits[number] = None
            rows = np.array(originals, np.int64)
            self._text.drop(rows)
            self._names.drop(rows)
            alive = self._stamp[:filed] != RETIRED
            self._postings.purge(alive)
            self._name_postings.purge(alive)
            live = np.flatnonzero(alive[low:])
            self._low = low = low + int(live[0]) if len(live) else filed
            self._copy_index.retire(due.tolist(), alive, low)
        self._freeze(horizon - self.options.story_max_days)
        live_count = int(np.count_nonzero(self._stamp[low:filed] != RETIRED))
        self._swept = (horizon, filed, live_count)

    def _freeze(self, before: int) -> None:
        """`freeze` this index's stories that ended before day `before`."""
        self._thaw_from = freeze(
            self._clusters,
            self._story,
            self._story_of,
            self._stamp,
            self._frozen,
            self._thaw_from,
            before,
        )

    def _is_frozen(self, cluster: int) -> bool:
        return is_frozen(self._frozen, cluster)

    def footprint(self) -> dict[str, int]:
        """How much the index holds of what a window bounds (entries, not bytes): articles
        filed and still live, term and name entries, postings (terms, names, LSH), signature
        rows, shingle sets and traits kept, cluster links."""
        filed = len(self._ids)
        live = filed
        if self.options.story_window_days is not None:
            live = int(np.count_nonzero(self._stamp[self._low : filed] != RETIRED))
        copies = self._copy_index
        return {
            "articles": filed,
            "live": live,
            "text_entries": self._text.used,
            "name_entries": self._names.used,
            "postings": len(self._postings),
            "name_postings": len(self._name_postings),
            "lsh_postings": len(copies.lsh),
            "signature_rows": filed - copies.base,
            "shingle_sets": sum(x is not NO_SHINGLES for x in copies.shingles),
            "traits": sum(t is not None for t in self._traits),
            "links": sum(len(c.links) for c in self._clusters),
        }

    def _rebuild(self) -> None:
        """Place every original again, in publication order, with the current counts."""
        self._postings, self._name_postings = Postings(), Postings(count_purged=True)
        self._clusters, self._story_of, self._story = [], [], {}
        self._cluster_of = [-1] * len(self._ids)
        self._one_original_each()
        originals = sorted(
            (n for n, t in enumerate(self._traits) if t is not None), key=self._sort_key
        )
        self._place_many(originals)
        for members in self._copy_index.group.values():
            for number in sorted(members):
                if self._traits[number] is None:
                    self._attach_copy(number)
        self._link_bridges([(a, b) for a, b, _ in self._copy_index.bridges])
        self._regroup(set(range(len(self._clusters))))

    def _place_many(self, numbers: Sequence[int]) -> set[int]:
        """Place originals in this order (in chunks: see `_place_chunk`); return the clusters
        that changed (stories are regrouped afterwards, by `_regroup`)."""
        changed: set[int] = set()
        for start in range(0, len(numbers), PLACE_CHUNK):
            changed |= self._place_chunk(np.array(numbers[start : start + PLACE_CHUNK], np.int64))
        return changed

    def _place_chunk(self, rows: np.ndarray) -> set[int]:
        """Score each original against the ones placed before it and put it in a cluster (the
        batch clustering's first step); return the clusters that changed.

        What does not depend on the order (weights, candidates among the articles filed
        before each one, every pair's similarity) is worked out for the whole chunk in a few
        numpy passes; only the clustering runs article by article.
        """
        docs = self._docs
        text = self._text.current(rows, docs)
        names = self._names.current(rows, docs)
        self._text.place(rows, docs)
        self._names.place(rows, docs)
        heavy = heaviest(text[0], text[2], HEAVY_TERMS)
        h_owner, h_cols, h_weights = text[0][heavy], text[1][heavy], text[2][heavy]
        postings = (self._postings, self._name_postings, self._too_old_before(rows))
        owners, others = candidates(
            rows, (h_owner, h_cols, h_weights), names, postings, self._docs, self._close_in_time
        )
        self._postings.add(h_cols, rows[h_owner], h_weights)
        self._name_postings.add(names[1], rows[names[0]], np.zeros(len(names[1]), np.float32))
        text_cos = self._text.cosines(text, owners, others)
        name_cos = self._names.cosines(names, owners, others)
        both_named = (self._names.length[rows[owners]] > 0) & (self._names.length[others] > 0)
        mine = rows[owners]
        special = np.flatnonzero(self._special[mine] & self._special[others])
        traits = self._traits
        sims = similarities_of(
            text_cos,
            name_cos,
            both_named,
            np.minimum(self._named[mine], self._named[others]),
            [
                (k, traits[a], traits[b])
                for k, a, b in zip(
                    special.tolist(), mine[special].tolist(), others[special].tolist(), strict=True
                )
            ],
        )
        linked = np.flatnonzero(sims > 0.0)  # most pairs fall below LINK_FLOOR
        owners, others, sims = owners[linked], others[linked], sims[linked]
        bounds = np.searchsorted(owners, np.arange(len(rows) + 1))
        return {
            join_cluster(
                self._clusters,
                self._cluster_of,
                self._story_of,
                self._story,
                number,
                self._published[number],
                (others[a:b].tolist(), sims[a:b].tolist()),
                self.options.story_threshold,
                self.options.story_max_days,
            )
            for number, a, b in zip(rows.tolist(), bounds[:-1], bounds[1:], strict=True)
        }

    def _close_in_time(self, numbers: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Whether each pair was published at most `story_max_days` apart (or is undated), the
        other not retired by the window (see `_horizon`)."""
        a, b = self._day[numbers], self._day[others]
        undated = (a == _NONE_DAY) | (b == _NONE_DAY)
        close = undated | (np.abs(a - b) <= self.options.story_max_days)
        if self._horizon is not None:
            horizon, first = self._horizon
            close &= (others >= first) | (self._stamp[others] >= horizon)
        return close

    def _regroup(self, starts: set[int]) -> set[int]:
        """`regroup` of this index's clusters."""
        options = self.options
        return regroup(
            self._clusters,
            self._story_of,
            self._story,
            starts,
            options.story_threshold,
            options.story_max_days,
        )

    def _name_id(self, key: str) -> int:
        found = self._name_ids.get(key)
        if found is None:
            found = self._name_ids[key] = len(self._name_ids)
            self._names.widen(2 * found if found >= len(self._names.df) else 0)
        return found

    # ---------------------------------------------------------------- output

    def _sort_key(self, number: int) -> tuple[int, int, str]:
        return day_key(self._published[number], self._ids[number])

    def _members(self, head: int) -> list[int]:
        return [
            n
            for k in self._story[head]
            for n in self._clusters[k].originals + self._clusters[k].copies
        ]

    def _story_id_of(self, head: int) -> str:
        """Named after its first-filed article: a story keeps its id while it grows, the
        older id survives a merge, and the part holding that article keeps it on a split."""
        return story_id(self._ids[min(self._members(head))])

    def _first_key(self, head: int) -> tuple[int, int, str]:
        return min(self._sort_key(n) for n in self._members(head))

    def _story_group(self, head: int) -> StoryGroup:
        members = sorted(self._members(head), key=self._sort_key)
        duplicate_of: dict[str, str] = {}
        for root in {self._root(m) for m in members} & self._copy_index.group.keys():
            duplicate_of.update(self._copies(self._copy_index.group[root]))
        return StoryGroup(
            id=self._story_id_of(head),
            article_ids=[self._ids[m] for m in members],
            duplicate_of=dict(sorted(duplicate_of.items())),
        )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: while an index grows it would scan its millions of
    objects again and again (a third of the time at 5k articles), and none is cyclic garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
