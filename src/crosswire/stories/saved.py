"""The streaming index's saved form: `StoryIndex` as plain data (numbers, strings, bytes,
lists, dicts) in a zlib-compressed pickle that loads no class or function (`dump_state`,
`load_state`, FORMAT_VERSION), the packing of its rows and traits, and the same data less
the stories `StoryIndex.release` hands over (`without_released`)."""

from __future__ import annotations

import io
import pickle
import zlib
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np

from crosswire.options import Options
from crosswire.stories.features import Traits

FORMAT_VERSION = 2
"""2: with the time window (`Options.story_window_days`); version 1 is refused (rebuild it)."""


def without_released(
    state: dict[str, Any], keep: np.ndarray, keep_clusters: np.ndarray, width: int
) -> dict[str, Any]:
    """`StoryIndex._state` less the articles and clusters not kept, those kept numbered anew
    in the same order (so every order among them, and with it every tie-break, stays).

    What `release` drops is whole stories and copy groups of retired articles: in no posting
    (purged when retired), term or name row (emptied), shingle set (emptied) or link (their
    clusters are frozen), so none of those needs more than renumbering."""
    kept = np.flatnonzero(keep)
    new = np.cumsum(keep) - 1  # old number -> new (for kept ones)
    new_cluster = np.cumsum(keep_clusters) - 1
    at = kept.tolist()
    renumber = new.tolist()
    recluster = new_cluster.tolist()
    out = dict(state)

    def pick(items: Sequence[Any]) -> list[Any]:
        return [items[n] for n in at]

    def renumbered(first: int) -> int:
        """The new number of the first kept article numbered `first` or more."""
        return int(np.count_nonzero(kept < first))

    def rows_from(first: int) -> np.ndarray:
        """Of arrays holding a row per article from number `first` on: the kept rows."""
        return kept[kept >= first] - first

    def postings(packed: tuple[bytes, ...]) -> tuple[bytes, ...]:
        ids = np.frombuffer(packed[1], np.int32)
        assert keep[ids].all(), "a released article still has postings"
        return (packed[0], new[ids].astype(np.int32).tobytes(), *packed[2:])

    for key in ("ids", "published", "sources", "credit", "traits"):
        out[key] = pick(state[key])
    lengths = np.frombuffer(state["shingles"][0], np.int64)[kept]
    out["shingles"] = (lengths.tobytes(), *state["shingles"][1:])
    base = state["signature_base"]
    signatures = np.frombuffer(state["signatures"], np.uint32)
    signatures = signatures.reshape(-1, width)  # a row per article from number `base` on
    out["signatures"] = signatures[rows_from(base)].tobytes()
    out["signature_base"] = renumbered(base)
    out["parent"] = [renumber[state["parent"][n]] for n in at]
    for root, members in state["group"].items():
        assert keep[[root, *members]].all() or not keep[members].any(), "a copy group split"
    out["group"] = {
        renumber[root]: [renumber[m] for m in members]
        for root, members in state["group"].items()
        if keep[root]
    }
    out["bridges"] = [
        (renumber[a], renumber[b], renumber[by]) for a, b, by in state["bridges"] if keep[by]
    ]
    out["credited"] = {renumber[n]: c for n, c in state["credited"].items() if keep[n]}
    out["reps"] = {renumber[r]: renumber[m] for r, m in state.get("reps", {}).items() if keep[r]}
    out["lsh"] = postings(state["lsh"])
    out["cluster_of"] = [recluster[state["cluster_of"][n]] for n in at]
    # term rows: (idx, tf, w, start, length, norm, ...): start and length int64, norm float
    for key in ("text", "names"):
        packed = state[key]
        starts = np.frombuffer(packed[3], np.int64)[kept]
        lengths_ = np.frombuffer(packed[4], np.int64)[kept]
        norms = np.frombuffer(packed[5], np.float64)[kept]
        out[key] = (*packed[:3], starts.tobytes(), lengths_.tobytes(), norms.tobytes(), *packed[6:])
    out["postings"] = postings(state["postings"])
    out["name_postings"] = postings(state["name_postings"])
    out["clusters"] = [
        (
            [renumber[n] for n in originals],
            [renumber[n] for n in copies],
            first,
            last,
            [(recluster[k], w) for k, w in links],
        )
        for (originals, copies, first, last, links), held in zip(
            state["clusters"], keep_clusters.tolist(), strict=True
        )
        if held
    ]
    out["stories"] = [
        [recluster[k] for k in members] for members in state["stories"] if keep_clusters[members[0]]
    ]
    out["reported"] = {sid: renumber[n] for sid, n in state["reported"].items() if keep[n]}
    out["unreported"] = [recluster[k] for k in state["unreported"] if keep_clusters[k]]
    out["low"] = renumbered(state["low"])
    out["stamps"] = np.frombuffer(state["stamps"], np.int64)[rows_from(state["low"])].tobytes()
    horizon, filed, live = state["swept"]
    out["swept"] = (horizon, renumbered(filed), live)
    frozen = np.frombuffer(state["frozen"], np.uint8)
    out["frozen"] = frozen[keep_clusters[: len(frozen)]].tobytes()
    return out


class PlainUnpickler(pickle.Unpickler):
    """Loads plain data only: a saved index never names a class or function to call."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refused {module}.{name}: a story index is plain data")


def story_options(options: Options) -> tuple[float, int, float, int | None]:
    return (
        options.story_threshold,
        options.story_max_days,
        options.duplicate_threshold,
        options.story_window_days,
    )


def pack_rows(rows: Sequence[tuple[np.ndarray, ...]], columns: int) -> tuple[bytes, ...]:
    """Rows of parallel arrays as one lengths array and one concatenation per column."""
    lengths = np.fromiter((len(r[0]) for r in rows), np.int64, len(rows))
    joined = (b"".join(r[k].tobytes() for r in rows) for k in range(columns))
    return (lengths.tobytes(), *joined)


def unpack_rows(packed: tuple[bytes, ...], dtypes: tuple[type, ...]) -> list[Any]:
    lengths = np.frombuffer(packed[0], np.int64)
    bounds = np.concatenate(([0], np.cumsum(lengths))).tolist()
    columns: list[np.ndarray] = [
        np.frombuffer(data, dtype).copy() for data, dtype in zip(packed[1:], dtypes, strict=True)
    ]
    return [tuple(c[bounds[k] : bounds[k + 1]] for c in columns) for k in range(len(lengths))]


def trait_data(traits: Traits) -> tuple[object, ...]:
    central, counts = traits.people
    return (
        traits.named,
        central,
        dict(counts),
        sorted(d.toordinal() for d in traits.days),
        sorted(traits.figures),
        traits.published.toordinal() if traits.published else None,
    )


def trait_of(data: tuple[Any, ...]) -> Traits:
    named, central, counts, days, figures, published = data
    return Traits(
        named=named,
        people=(central, Counter(counts)),
        days=frozenset(date.fromordinal(d) for d in days),
        figures=frozenset((float(v), str(u)) for v, u in figures),
        published=date.fromordinal(published) if published is not None else None,
    )


def dump_state(state: dict[str, Any]) -> bytes:
    """A `StoryIndex`'s plain data as saved: a pickle, zlib-compressed."""
    return zlib.compress(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL), 1)


def load_state(data: bytes, options: Options | None) -> tuple[dict[str, Any], Options]:
    """The plain data `dump_state` saved, and the options to load it with: `options`, or
    those it was built with. Raise ValueError for anything else than a saved index of
    FORMAT_VERSION (it refuses any class or function), or one built with other story options
    than `options` (rebuild it then)."""
    try:
        state = PlainUnpickler(io.BytesIO(zlib.decompress(data))).load()
    except (pickle.UnpicklingError, zlib.error, EOFError, ValueError) as exc:
        raise ValueError(f"not a story index: {exc}") from exc
    if not isinstance(state, dict) or state.get("format") != FORMAT_VERSION:
        raise ValueError("story index of another format version")
    threshold, max_days, duplicate_threshold, window = state["options"]
    saved = Options(
        story_threshold=threshold,
        story_max_days=max_days,
        duplicate_threshold=duplicate_threshold,
        story_window_days=window,
    )
    if options is not None and story_options(options) != story_options(saved):
        raise ValueError("story index built with other story options")
    return state, options or saved
