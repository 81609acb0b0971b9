"""Matrix products of spaCy's models through numpy's BLAS, on one thread.

spaCy's CPU ops multiply through BLIS. On the 2-core AMD EPYC VM this project is measured on,
OpenBLAS (numpy's, one thread) runs en_core_web_sm about a quarter faster for the same
annotations (bench_language: 13.3 -> 9.9 CPU s on 204 articles, no token's tag, head, dependency
or entity different; tests/test_attribute_rules.py compares every token with the pipeline as
spaCy ships it). One thread, because OpenBLAS's second thread spins on these small products:
it took 60-170% more CPU for at most 20% less wall-clock time, and process pools of workers
would oversubscribe the cores.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["one_blas_thread", "use_numpy_gemm"]


def use_numpy_gemm(nlp: Language) -> None:
    """Give every model node of the pipeline thinc's numpy ops without BLIS."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):  # rule-based components have none
            for node in model.walk():
                node.ops = ops


@lru_cache(maxsize=1)
def _controller() -> Any:
    # Built once: it finds the loaded BLAS libraries, which costs ~0.3 ms; limiting through
    # it then costs ~8 us, so it can wrap every article's parse.
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS on one thread inside the block (the caller's setting is restored after it)."""
    with _controller().limit(limits=1, user_api="blas"):
        yield
