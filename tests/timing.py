"""CPU cost of a piece of work for the tests that check how cost grows with input size."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable


def cpu_cost(run: Callable[[], object], repeats: int = 3) -> float:
    """CPU seconds of `run()`, the best of `repeats`, with the garbage collector paused: a
    collection of the whole suite's heap landing in one run is noise, not the code's cost (it
    made linear-cost checks fail now and then late in a full run, never alone)."""
    costs = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            run()
            costs.append(time.process_time() - started)
        finally:
            gc.enable()
    return min(costs)
