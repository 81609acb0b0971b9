"""The streaming index's time window: retiring, freezing and releasing (`StoryIndex`).

Without a window, `StoryIndex` keeps everything filed, to file later articles against. With
`options.story_window_days` (W) it keeps what can still matter to articles that arrive in
publication order: once the warm-up is over, articles published before the horizon (the newest
publication day filed, minus W) are retired in sweeps (`StoryIndex._sweep`, when `sweep_due`):
their postings go, so they are never candidates again, and so do their term and name rows,
traits, shingles, MinHash signatures and LSH postings. Stories that ended `story_max_days`
before the horizon are frozen (`freeze`): their clusters' links go, their members stay. Every
output (`groups`, `story_of`, `duplicates`, `merges`) still covers every article ever filed,
until a caller takes the stories that can no longer change out of the index
(`StoryIndex.release`, which hands over what `releasable` finds). What does not change:
document frequencies (IDF) and the count behind "rare name" go on counting every article filed.
An article is compared only with articles at most `story_max_days` from it, so on a stream in
publication order the stories are the same as without a window (`freeze` says what it leaves
out). An article up to W - `story_max_days` days older than the newest before it still meets
every article it could share a story with; only where a term has more than POSTINGS_SCANNED
holders can its candidates differ, retired holders no longer taking places among the newest
read. An article older than the horizon when filed is still filed, against the live articles
only (it may start a story of its own where it would have joined an old one), and counted in
`late`, so a caller can warn; a copy of an article published before the horizon is not seen as
a copy. "Live" is decided by the horizon as each `add` begins, not by the sweeps, so when they
come changes what is held, never the result (`StoryIndex._horizon`). Undated articles are
retired W days after they were filed.

What still grows with a window, about 700 bytes per article on the tests' synthetic stream
(tracemalloc, 4,000 to 8,000 articles; 1.3 KB of RSS on bench_stories' stream, half of it its
2.6 new names an article): its id (in `_ids` and the `_number` dict), publication day (list and
arrays), cluster, copy-detection parent, a slot in the per-row arrays (term and name rows,
traits, shingles, flags); a third of it the frozen clusters (an object with its member lists
and emptied link containers per cluster, about 0.45 per article there): what `groups`,
`story_of`, `duplicates` and `merges` need to report old stories, and numbering that lets the
live arrays be indexed by article. Per distinct name (new names were a fifth of it there), its
id and counts. Copy groups keep their members' sources and credit lines (an article joining a
group counts its credits against every member). `StoryIndex.release` drops all of that for the
stories that can no longer change, so what the index holds then stays the size of the window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from crosswire.stories.clusters import Cluster

RELEASE_MIN = 8192
RELEASE_SHARE = 1.0
"""`StoryIndex.release` waits until it can release RELEASE_MIN articles at least, and
RELEASE_SHARE times as many as it would keep: rebuilding the index costs about what it holds,
plus ~40 ms whatever it holds (its term-count arrays), ~5 µs an article at RELEASE_MIN."""
RETIRED = 2**62
UNSTAMPED = -(2**62)
"""Retirement days (`StoryIndex._stamp`) of a retired article, and of an undated one filed
before any dated one (it gets the first newest day there is)."""
SWEEP_DAYS_SHARE = 0.1
"""With a window, retired articles are swept out when the horizon has moved by this share of
the window (at least a day) since the last sweep, or when as many articles were filed since
then as the sweep left live: each sweep costs about what is live, so the cost per article is
a constant, and memory holds at most this share of the window more than it needs."""


def is_frozen(frozen: bytearray, cluster: int) -> bool:
    """Whether `freeze` froze the cluster (clusters beyond `frozen` are not)."""
    return cluster < len(frozen) and frozen[cluster] == 1


def sweep_due(
    window: int, newest: int, filed: int, swept: tuple[int, int, int], least: int
) -> bool:
    """Whether to sweep now, `newest` the latest publication day filed and `swept` (horizon,
    articles filed, articles live) at the last sweep: when the horizon has moved by
    SWEEP_DAYS_SHARE of the window since, or as many articles were filed since as it left
    live (and at least `least`)."""
    swept_horizon, swept_filed, swept_live = swept
    moved = newest - window - swept_horizon >= max(1, int(SWEEP_DAYS_SHARE * window))
    return moved or filed - swept_filed >= max(swept_live, least)


def freeze(
    clusters: Sequence[Cluster],
    story: Mapping[int, list[int]],
    story_of: Sequence[int],
    stamp: np.ndarray,
    frozen: bytearray,
    thaw_from: int,
    before: int,
) -> int:
    """Freeze the stories all of whose clusters end before day `before` (horizon minus
    `story_max_days`) and whose originals are all retired: drop their links and strong
    pairs, both ways; keep their members, so every output still reports them. `frozen` has
    a byte per cluster (1: frozen), extended here; return the first cluster not frozen,
    looking from `thaw_from` (none before it is thawed).

    Why no regroup can reach them: a regroup part grows along strong pairs and story-mates.
    A frozen cluster has no strong pair left (none can form again: links only grow in
    `join_cluster`, between the clusters of live candidates, and in `StoryIndex._link_as_copies`,
    which passes frozen ones over), and its story-mates are frozen with it, as whole
    stories freeze at once and a frozen story gains no cluster (that takes a strong pair).

    Why that changes nothing on a stream in publication order: any cluster that can still
    gain a link or an original holds an article published on or after the horizon minus
    `story_max_days`, so it can never share a story with a frozen one (which ended before
    that by more than `story_max_days`). Left out: average link is greedy, so in
    principle a change among recent clusters could cascade back through a chain of
    older ones, each within `story_max_days` of the next, and regroup a story older than
    the window; frozen stories no longer follow such cascades. Undated articles count as
    published the day they were filed."""
    frozen.extend(bytes(len(clusters) - len(frozen)))
    for k in range(thaw_from, len(clusters)):
        if frozen[k]:
            continue
        mates = story[story_of[k]]
        if not all(
            clusters[j].last < before and all(stamp[n] == RETIRED for n in clusters[j].originals)
            for j in mates
        ):
            continue
        for j in mates:
            cluster = clusters[j]
            for other in cluster.links:
                clusters[other].links.pop(j, None)
                clusters[other].strong.discard(j)
            cluster.links.clear()
            cluster.strong.clear()
            frozen[j] = 1
    while thaw_from < len(clusters) and frozen[thaw_from]:
        thaw_from += 1
    return thaw_from


def releasable(
    story: Mapping[int, list[int]],
    members: Callable[[int], list[int]],
    frozen: bytearray,
    stamp: np.ndarray,
    copy_groups: Iterable[list[int]],
    heads: tuple[Sequence[int], Sequence[int]],
) -> dict[int, list[int]]:
    """What `StoryIndex.release` can hand over now ({story head: its articles}, for the
    stories of `story` and their articles as `members` gives them), or {} when it is not yet
    worth it: the frozen stories whose every article is retired, less those sharing a copy
    group with an article that stays (`heads`: each article's cluster, each cluster's story),
    once they are at least RELEASE_MIN articles and RELEASE_SHARE times as many as the rest."""
    gone: dict[int, list[int]] = {}  # story head -> its articles
    for head, clusters in story.items():
        if all(is_frozen(frozen, k) for k in clusters):
            held = members(head)
            if bool((stamp[held] == RETIRED).all()):
                gone[head] = held
    # copy groups: all in or all out (the root, first filed, may be on either side)
    groups = list(copy_groups)
    cluster_of, story_of = heads
    out: set[int] = set()
    while True:
        out = {n for held in gone.values() for n in held}
        split = [held for held in groups if not out.isdisjoint(held) and not out.issuperset(held)]
        if not split:
            break
        for held in split:
            for n in held:
                gone.pop(story_of[cluster_of[n]], None)
    if len(out) < max(RELEASE_MIN, RELEASE_SHARE * (len(cluster_of) - len(out))):
        return {}  # not yet: each release costs about what the index holds, and more
    return gone
