"""How alike two articles are, for batch and stream alike: the mix of text and name
cosines, cut when their names speak against one event and lifted by shared days and
figures (`similarities`), and the settings of that scale: which pairs are scored at all
(NEIGHBOURS, rare names), the floor below which a pair counts as unrelated, and how much
more an article must match to join a cluster in the first pass (LEADER_FACTOR).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from crosswire.stories.features import Traits

TEXT_WEIGHT = 0.7
"""Share of text in the article similarity when both articles have names; names get the rest."""
HAPAX_WEIGHT = 0.3
"""Weight kept by a term (or name) found in one article only: it cannot link that article to any
other, yet at full weight it would drown the shared terms in long, wordy articles."""
TIME_BOOST = 0.05
"""Added to the similarity of two articles that mention the same specific day."""
NUMBER_BOOST = 0.05
"""Added per shared figure (a number with what it counts: "23 pirates"), at most twice; with
the language stage's figures this lifted ECB+ dev B-cubed F1 at threshold 0.2 from 0.91 to 0.96."""
LINK_FLOOR = 0.05
"""Pair similarities below this count as 0: noise, not evidence. Three in four scored pairs
fall below it (mostly shared common words); they moved no ECB+ dev story and changed the
10k-article bench stream's B-cubed F1 by +0.0005, while their links were most of each
cluster's links and a sixth of the cost of filing. At 0.1, recall starts to drop."""
NEIGHBOURS = 30
"""Text nearest neighbours scored per article; pairs beyond them count as unrelated."""
RARE_NAME_SHARE = 0.1
RARE_NAME_MAX = 50
"""Names in at most this share (and number) of the articles link them as candidates."""
LEADER_FACTOR = 2.0
"""The single pass joins an article to a story only at this multiple of the threshold: joins
made early, against a story of one or two articles, cannot be undone, and joining at the
threshold itself cost 0.04 B-cubed F1 on ECB+ dev. Average-link merging settles the rest."""
CONFLICT_FACTOR = 0.1
CONFLICT_NAMES = 3
"""Names speak against one event when two articles each name at least CONFLICT_NAMES things
and share none (3% of same-event pairs on ECB+ dev, 43% of same-topic other-event pairs), or
centre on different people: their similarity is then cut to CONFLICT_FACTOR of itself, so
shared wording alone (two earthquake reports) cannot join them."""
CONFLICT_TEXT_MAX = 0.3
"""...unless the two mention the same specific day and their texts are this close: then the
names differ because each centres on someone else of one event (the victim, the gunman) or
names it differently. On the dev pairs at most 10 days apart, every pair in conflict with a
text cosine above 0.19 was one event; two GVC shootings were split for want of this."""


def _different_people(
    a: tuple[str | None, Counter[str]], b: tuple[str | None, Counter[str]]
) -> bool:
    """Whether two articles centre on different people, one never naming the other's: then
    what they share (team, city, agency, wording) is the setting of two events, not one."""
    (central_a, counts_a), (central_b, counts_b) = a, b
    if central_a is None or central_b is None or central_a == central_b:
        return False
    return counts_b[central_a] == 0 or counts_a[central_b] == 0


def similarities(
    text: np.ndarray,
    names: np.ndarray,
    both_named: np.ndarray,
    left: Sequence[Traits | None],
    right: Sequence[Traits | None],
) -> np.ndarray:
    """Similarity (0..1) of article pairs from their text and name cosines: names count when
    both articles have some, a conflict of names cuts it, shared days and figures lift it."""
    named = np.array(
        [min(a.named, b.named) if a and b else 0 for a, b in zip(left, right, strict=True)]
    )
    both = [(k, a, b) for k, (a, b) in enumerate(zip(left, right, strict=True)) if a and b]
    return similarities_of(text, names, both_named, named.astype(np.int64), both)


def similarities_of(
    text: np.ndarray,
    names: np.ndarray,
    both_named: np.ndarray,
    named: np.ndarray,
    special: Iterable[tuple[int, Traits, Traits]],
) -> np.ndarray:
    """`similarities` given the fewer distinct names of each pair (`named`) and the pairs
    (position, traits, traits) that may have different central people or share days or
    figures: any others can be left out."""
    sims = np.where(both_named, TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * names, text)
    conflict = (names == 0.0) & (named >= CONFLICT_NAMES)
    boost = np.zeros(len(sims))
    for k, a, b in special:
        if a.people[0] is not None and b.people[0] is not None:
            conflict[k] |= _different_people(a.people, b.people)
        if a.days and b.days and a.days & b.days:
            boost[k] = TIME_BOOST
            conflict[k] &= text[k] < CONFLICT_TEXT_MAX
        if a.figures and b.figures:
            boost[k] += NUMBER_BOOST * min(2, len(a.figures & b.figures))
    sims = np.minimum(1.0, np.where(conflict, CONFLICT_FACTOR * sims, sims) + boost)
    return np.where(sims < LINK_FLOOR, 0.0, sims)
