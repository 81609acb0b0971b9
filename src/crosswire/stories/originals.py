"""Which member of each copy group the streaming index clusters, and how copies join it
(`CopyOriginals`, a part of `StoryIndex`).

Batch clusters one member of each group of syndicated copies, its original as
`find_duplicates` picks it (earliest published, then most credited, then smallest id), and
puts the others in its story. While warming up (when rebuilds place every original again)
the index does the same whatever order the members arrive in: a copy that is its group's
original by that rule when it arrives takes the place of the member clustered so far
(`_promote_copies`), which becomes a copy; a copy that joins two groups links their
clustered members as if identical, and the next rebuild keeps only the one batch would
cluster (`_one_original_each`). Past the warm-up the member filed first stays clustered:
swapping it out of a cluster would leave its links and postings behind.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from crosswire.stories.clusters import Cluster
from crosswire.stories.copies import CopyIndex
from crosswire.stories.features import PreparedArticle, Traits
from crosswire.stories.postings import TermRows


class CopyOriginals:
    """The copy-group part of `StoryIndex` (which holds the state named here)."""

    _copy_index: CopyIndex
    _ids: list[str]
    _published: list[int | None]
    _traits: list[Traits | None]
    _text: TermRows
    _names: TermRows
    _named: np.ndarray
    _special: np.ndarray
    _docs: int
    _cluster_of: list[int]
    _clusters: list[Cluster]
    _rep: dict[int, int]

    def _sort_key(self, number: int) -> tuple[int, int, str]:
        raise NotImplementedError

    def _note_traits(self, number: int, traits: Traits) -> None:
        raise NotImplementedError

    def _count_rows(
        self, first: int, articles: Sequence[PreparedArticle], copies: Sequence[bool]
    ) -> None:
        raise NotImplementedError

    def _restrengthen(self, a: int, b: int) -> None:
        raise NotImplementedError

    def _is_frozen(self, cluster: int) -> bool:
        raise NotImplementedError

    def _root(self, number: int) -> int:
        return self._copy_index.root(number)

    def _rep_of(self, number: int) -> int:
        """The member of the article's copy group that takes part in the clustering."""
        root = self._root(number)
        return self._rep.get(root, root)

    def _original_key(self, number: int) -> tuple[tuple[int, int], int, str]:
        """What picks the original of a copy group (see `find_duplicates`): least first."""
        credited = self._copy_index.credited.get(number, 0)
        sort_key = self._sort_key(number)
        return (sort_key[0], sort_key[1]), -credited, self._ids[number]

    def _copies(self, members: Sequence[int]) -> dict[str, str]:
        """{copy: original} in one copy group, its original chosen as `find_duplicates` does."""
        first = min(members, key=self._original_key)
        return {self._ids[m]: self._ids[first] for m in members if m != first}

    # ---------------------------------------------------------------- the clustered member

    def _promote_copies(
        self,
        articles: Sequence[PreparedArticle],
        numbers: Sequence[int],
        copies: Sequence[bool],
    ) -> bool:
        """For each copy among `articles` (just registered as `numbers`) that is now its
        group's original, swap it in for the member clustered so far (see the module
        docstring); whether any was. The caller places all again next (a rebuild): the
        member swapped out may sit in a cluster. Only a member just filed can be promoted (a
        copy's rows are not kept): an older copy that new credits make the original stays a
        copy."""
        promoted = False
        copy_index = self._copy_index
        for article, number, copy in zip(articles, numbers, copies, strict=True):
            if not copy:
                continue
            root = self._root(number)
            was = self._rep.get(root, root)
            # the group's first-day members hold its original (`CopyIndex.leaders`)
            first = min(copy_index.leaders.get(root, [root]), key=self._original_key)
            if first != number or self._traits[was] is None:  # retired: no rows to swap
                continue
            self._demote(was)
            self._promote(number, article)
            self._rep[root] = number
            promoted = True
        return promoted

    def _demote(self, number: int) -> None:
        """An original becomes a copy: its rows out of the counts, its traits dropped."""
        self._text.uncount(number)
        self._names.uncount(number)
        self._traits[number] = None
        self._named[number] = 0
        self._special[number] = 0

    def _promote(self, number: int, article: PreparedArticle) -> None:
        """A copy becomes an original: its rows counted as an original's are, its traits
        kept."""
        self._count_rows(number, [article], [False])
        self._traits[number] = article.traits
        self._note_traits(number, article.traits)

    def _one_original_each(self) -> None:
        """Before a rebuild: a copy group that a copy joined to another holds a clustered
        member from each; batch clusters one, its original: keep the one that would be it."""
        for root, members in self._copy_index.group.items():
            placed = [m for m in members if self._traits[m] is not None]
            if len(placed) > 1:
                keep = min(placed, key=self._original_key)
                for number in placed:
                    if number != keep:
                        self._demote(number)
                        self._docs -= 1
                self._rep[root] = keep

    # ---------------------------------------------------------------- copies in clusters

    def _attach_copy(self, number: int) -> set[int]:
        """A copy joins its original's cluster. A copy by itself changes no link, size or
        span, so its story stands (and is only reported as grown): no cluster changed."""
        cluster = self._cluster_of[self._rep_of(number)]
        self._cluster_of[number] = cluster
        self._clusters[cluster].copies.append(number)
        return set()

    def _link_bridges(self, bridges: Sequence[tuple[int, int]]) -> set[int]:
        """Copy groups that one copy copies both (the `bridges` it made, by their roots then)
        are linked as if identical, so their stories merge unless they lie too many days
        apart. Return the clusters whose links changed."""
        changed: set[int] = set()
        for a, b in bridges:
            changed |= self._link_as_copies(self._rep.get(a, a), self._rep.get(b, b))
        return changed

    def _link_as_copies(self, a: int, b: int) -> set[int]:
        ka, kb = self._cluster_of[a], self._cluster_of[b]
        if ka == kb or self._is_frozen(ka) or self._is_frozen(kb):
            # A frozen story takes no new links (see `freeze`): a copy bridging it to a live
            # one (a copy of an article older than the window) leaves both stories as they are.
            return set()
        full = float(len(self._clusters[ka].originals) * len(self._clusters[kb].originals))
        self._add_link(ka, kb, full)
        return {ka, kb}

    def _add_link(self, a: int, b: int, total: float) -> None:
        links_a, links_b = self._clusters[a].links, self._clusters[b].links
        links_a[b] = links_a.get(b, 0.0) + total
        links_b[a] = links_b.get(a, 0.0) + total
        self._restrengthen(a, b)
