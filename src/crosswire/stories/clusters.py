"""The streaming index's clusters and their stories: the batch clustering's two steps one
article at a time. `join_cluster` puts an original in the cluster it clearly belongs to, or
starts one; `regroup` merges the clusters near a change into stories by average link
(`average_link`), keeping each pair's `strong` mark (`restrengthen`) so it knows which
clusters a change can reach. Also their plain-data form for a saved index.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from typing import Any

from crosswire.stories.similarity import LEADER_FACTOR

NO_FIRST = 2**40
NO_LAST = -(2**40)
"""First and last day of an undated cluster: min() and max() with any day pass them over, and
(last - first) is negative, so "fits in max_days" needs no case for undated clusters."""


def average_link(
    sizes: Mapping[int, int],
    spans: Mapping[int, tuple[int, int]],
    links: Mapping[int, Mapping[int, float]],
    strong: Mapping[int, set[int]],
    threshold: float,
    max_days: int,
) -> list[list[int]]:
    """Average-link merging of clusters (keyed in creation order) while the best pair's mean
    similarity reaches `threshold`: best pair first, ties to the smaller keys, never spanning
    more than `max_days` days. The rule of `batch._cluster`'s second step; a heap stands in for its
    rescan after each merge, as a story may hold many clusters.

    `spans` are (first, last) days with `NO_FIRST`, `NO_LAST` for undated clusters; `strong`
    the pairs at the threshold's mean that fit in `max_days` together (the only pairs the
    heap starts from). `links` may name clusters beyond `sizes`: those are passed over, as
    no merge can reach them (none is strong with a cluster of `sizes`)."""
    size = dict(sizes)
    first = {k: spans[k][0] for k in size}
    last = {k: spans[k][1] for k in size}
    head = {k: k for k in size}  # cluster -> the group it is in now
    members = {k: [k] for k in size}
    version = dict.fromkeys(size, 0)
    # Each group's links to the other groups, made when a merge first needs them: most
    # clusters of a part never merge, and filtering all their links (hundreds each on a dense
    # stream) was most of the cost. Made ones are kept up to date at each merge; one made
    # later reads what it has with merged groups from their side (kept symmetric, so equal).
    link: dict[int, dict[int, float]] = {}

    def row(k: int) -> dict[int, float]:
        made = link.get(k)
        if made is None:
            made = link[k] = {}
            own = links[k]
            # Most links lead out of the part, and most parts are smaller than a cluster's
            # links: look up from the smaller side (`keys() & keys()` copies the left one).
            # The order does not matter: each group's value is read, not summed, here.
            inside = [c for c in head if c in own] if len(head) < len(own) else own.keys() & head
            for c in inside:
                group = head[c]
                if group == k or group in made:
                    continue
                theirs = link.get(group)
                made[group] = own[c] if theirs is None else theirs[k]
        return made

    # Only pairs at the threshold go on the heap: the loop stops at the first pair below it,
    # and a pair's mean only changes by a merge, which pushes it again. A pair too wide to
    # merge would only be skipped, so the strong pairs are all the heap needs to start.
    heap = [
        (-links[a][b] / (size[a] * size[b]), a, b, 0, 0) for a in size for b in strong[a] if a < b
    ]
    heapq.heapify(heap)
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if -neg < threshold:
            break
        if a not in members or b not in members or (version[a], version[b]) != (va, vb):
            continue  # stale: one side has merged since
        low, high = min(first[a], first[b]), max(last[a], last[b])
        if high - low > max_days:
            continue  # spans only widen, so this pair never qualifies again
        mine, gone = row(a), row(b)
        del link[b]
        for k in members[b]:
            head[k] = a
        members[a].extend(members.pop(b))
        size[a] += size.pop(b)
        first[a], last[a] = low, high
        version[a] += 1
        gone.pop(a, None)
        mine.pop(b, None)
        for c, total in gone.items():
            mine[c] = mine.get(c, 0.0) + total
            theirs = link.get(c)
            if theirs is not None:
                theirs[a] = theirs.get(a, 0.0) + theirs.pop(b)
        for c, total in mine.items():
            if total >= threshold * size[a] * size[c]:
                lo, hi = min(a, c), max(a, c)
                heapq.heappush(
                    heap, (-total / (size[a] * size[c]), lo, hi, version[lo], version[hi])
                )
    return [sorted(m) for m in members.values()]


class Cluster:
    """Articles joined by the first pass (each to a cluster it clearly belongs to). Slotted:
    filing an article reads and updates a few dozen clusters."""

    __slots__ = ("copies", "first", "last", "links", "originals", "strong")

    def __init__(
        self,
        originals: list[int],
        copies: list[int] | None = None,
        first: int = NO_FIRST,
        last: int = NO_LAST,
        links: dict[int, float] | None = None,
    ) -> None:
        self.originals = originals  # article numbers taking part in clustering
        self.copies = copies if copies is not None else []
        self.first = first  # publication days (ordinals) of the originals; see NO_FIRST
        self.last = last
        self.links = links if links is not None else {}  # other cluster -> summed sims
        self.strong: set[int] = set()  # linked at the threshold's mean, in span together


def join_cluster(
    clusters: list[Cluster],
    cluster_of: list[int],
    story_of: list[int],
    story: dict[int, list[int]],
    number: int,
    day: int | None,
    links_to: tuple[Sequence[int], Sequence[float]],
    threshold: float,
    max_days: int,
) -> int:
    """The batch clustering's first step for original `number` (published on `day`), linked
    to the articles `links_to` gives with these similarities: put it in a cluster (appended
    to `clusters`, with a story of its own, when it starts one) and return that.

    Written out in one loop per step (no helper calls per link): filing an article links
    it to a few dozen clusters, and the calls were most of the cost."""
    others, sims = links_to
    totals: dict[int, float] = {}
    for other, sim in zip(others, sims, strict=True):
        if sim > 0.0:
            k = cluster_of[other]
            totals[k] = totals.get(k, 0.0) + sim
    first, last = (NO_FIRST, NO_LAST) if day is None else (day, day)
    best, score = -1, 0.0  # the best mean, ties to the oldest cluster
    for k, total in totals.items():
        c = clusters[k]
        if max(c.last, last) - min(c.first, first) <= max_days:
            mean = total / len(c.originals)
            if best < 0 or mean > score or (mean == score and k < best):
                best, score = k, mean
    if best >= 0 and score >= LEADER_FACTOR * threshold:
        cluster = best
        mine = clusters[cluster]
        mine.originals.append(number)
        mine.first, mine.last = min(mine.first, first), max(mine.last, last)
        touched = set(mine.strong)  # growing may weaken these
    else:
        cluster = len(clusters)
        mine = Cluster(originals=[number], first=first, last=last)
        clusters.append(mine)
        story_of.append(cluster)
        story[cluster] = [cluster]
        touched = set()
    cluster_of[number] = cluster
    links = mine.links
    for k, total in totals.items():
        if k != cluster:
            links[k] = links.get(k, 0.0) + total
            theirs = clusters[k].links
            theirs[cluster] = theirs.get(cluster, 0.0) + total
            touched.add(k)
    # `restrengthen` of each pair touched, inlined
    limit, strong = threshold * len(mine.originals), mine.strong
    for k in touched:
        c = clusters[k]
        if (
            links.get(k, 0.0) >= limit * len(c.originals)
            and max(mine.last, c.last) - min(mine.first, c.first) <= max_days
        ):
            strong.add(k)
            c.strong.add(cluster)
        else:
            strong.discard(k)
            c.strong.discard(cluster)
    return cluster


def regroup(
    clusters: Sequence[Cluster],
    story_of: list[int],
    story: dict[int, list[int]],
    starts: set[int],
    threshold: float,
    max_days: int,
) -> set[int]:
    """The batch clustering's second step, where it may have changed: regroup into stories
    the clusters linked to `starts` (clusters that changed) at the threshold's average or
    more, and to those, with all their current story-mates; return the stories (their
    oldest clusters) that changed.

    Merging two groups never lifts their average link to a third above both of theirs,
    so stories only ever form along such links, and only between clusters that fit in
    `story_max_days` together: clusters beyond them keep their stories, and regrouping once
    after many placements gives what regrouping after each would.
    """
    seen: set[int] = set()
    changed: set[int] = set()
    for start in sorted(starts):
        if start in seen:
            continue
        part = {start}
        todo = [start]
        heads: set[int] = set()
        while todo:
            k = todo.pop()
            head = story_of[k]
            # A story's members are listed once, from the first of them reached: listing
            # them from each was quadratic in the story's size (hundreds of clusters).
            mates = () if head in heads else story[head]
            heads.add(head)
            for c in [*clusters[k].strong, *mates]:
                if c not in part:
                    part.add(c)
                    todo.append(c)
        seen |= part
        if len(part) == 1:
            changed.add(start)  # alone, and was alone: its story is itself
            continue
        before = {frozenset(story.pop(h)) for h in heads}
        inside = {k: clusters[k] for k in part}
        stories = average_link(
            {k: len(c.originals) for k, c in inside.items()},
            {k: (c.first, c.last) for k, c in inside.items()},
            {k: c.links for k, c in inside.items()},
            {k: c.strong for k, c in inside.items()},
            threshold,
            max_days,
        )
        for members in stories:
            story[members[0]] = members
            for k in members:
                story_of[k] = members[0]
            if frozenset(members) not in before or not starts.isdisjoint(members):
                changed.add(members[0])
    return changed


def restrengthen(
    clusters: Sequence[Cluster], a: int, b: int, threshold: float, max_days: int
) -> None:
    """Keep `strong` true of a pair: clusters whose mean link reaches the threshold and
    that fit in `story_max_days` together (the only pairs stories can form along). A pair
    turns strong only when its link grows, weak only when a cluster grows or widens."""
    ca, cb = clusters[a], clusters[b]
    mean_ok = ca.links.get(b, 0.0) >= threshold * len(ca.originals) * len(cb.originals)
    # Each cluster fits in story_max_days by itself, so the pair fits when their union does.
    width = max(ca.last, cb.last) - min(ca.first, cb.first)
    if mean_ok and width <= max_days:
        ca.strong.add(b)
        cb.strong.add(a)
    else:
        ca.strong.discard(b)
        cb.strong.discard(a)


def pack_clusters(clusters: Sequence[Cluster]) -> list[tuple[Any, ...]]:
    """Clusters as plain data (undated spans as None), for a saved index."""
    return [
        (
            c.originals,
            c.copies,
            None if c.first == NO_FIRST else c.first,
            None if c.last == NO_LAST else c.last,
            list(c.links.items()),
        )
        for c in clusters
    ]


def unpack_clusters(packed: Sequence[tuple[Any, ...]]) -> list[Cluster]:
    """The clusters `pack_clusters` gave, their strong pairs still to be set."""
    return [
        Cluster(
            originals=o,
            copies=c,
            first=NO_FIRST if f is None else f,
            last=NO_LAST if la is None else la,
            links=dict(links),
        )
        for o, c, f, la, links in packed
    ]
