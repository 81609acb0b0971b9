"""Sentence similarity: tf-idf over lemmas for shared wording, static embeddings for paraphrase.

WordLlama ships its 256-d embeddings inside the PyPI wheel (no download, no torch; ~25k
sentences/s), which is what lets "I spoke briefly with him about a couple of matters" match
"I spoke to him briefly, just told him a couple of things". If it cannot load, tf-idf alone
is used and paraphrases match less often.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = ["embed", "similarity_matrix"]

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


def embed(texts: Sequence[str]) -> np.ndarray | None:
    """L2-normalised embeddings, one row per text, or None without the model."""
    model = _wordllama()
    if model is None or not texts:
        return None
    vectors = np.asarray(model.embed(list(texts), norm=True), dtype=np.float32)
    return vectors


def similarity_matrix(lemmas: Sequence[Sequence[str]], texts: Sequence[str]) -> np.ndarray:
    """Pairwise similarity in [0, 1]: the mean of lemma tf-idf cosine and embedding cosine.

    Lemma overlap alone misses paraphrase; embeddings alone over-match sentences about the
    same people doing different things. The mean needs both to agree somewhat.
    """
    n = len(texts)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    docs = [
        " ".join(words) if words else text.lower()
        for words, text in zip(lemmas, texts, strict=True)
    ]
    try:
        tfidf = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", sublinear_tf=True).fit_transform(docs)
        lexical = (tfidf @ tfidf.T).toarray().astype(np.float32)
    except ValueError:  # every document empty
        lexical = np.zeros((n, n), dtype=np.float32)
    vectors = embed(texts)
    if vectors is None:
        return lexical
    dense = np.clip(vectors @ vectors.T, 0.0, 1.0)
    return (0.5 * lexical + 0.5 * dense).astype(np.float32)
