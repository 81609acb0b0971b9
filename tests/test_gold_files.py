"""The hand-made gold in gold/ points into ../shared/data by loci (gold/README.md): each locus
is re-read here and must lie inside its document, on the split the project's table gives it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from crosswire.evaluate.base import DEV_TOPICS
from crosswire.evaluate.loci import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "gold"
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="module")
def documents() -> dict[str, Mapping[str, Any]]:
    ecb = SHARED / "ecbplus-dev" / "dev_documents.jsonl"
    gvc = SHARED / "gvc" / "documents.jsonl"
    bench = SHARED / "article-extraction-benchmark" / "ground-truth.json"
    if not (ecb.exists() and gvc.exists() and bench.exists()):
        pytest.skip(f"the shared data is not under {SHARED}")
    docs: dict[str, Mapping[str, Any]] = {d["doc_id"]: d for d in read_jsonl(ecb)}
    docs.update({d["id"]: d for d in read_jsonl(gvc)})
    for item, row in json.loads(bench.read_text(encoding="utf-8")).items():
        docs[item] = {"id": item, "text": row["articleBody"]}
    return docs


def _expected_split(doc: Mapping[str, Any]) -> str:
    if "topic" in doc and "sentences" in doc:
        return "dev" if str(doc["topic"]) in DEV_TOPICS else "heldout"
    if "split" in doc:
        return str(doc["split"])
    return "dev" if doc["id"][0] in "01234567" else "heldout"


def _text(doc: Mapping[str, Any], locus: Mapping[str, Any]) -> str:
    if "sentences" in doc:
        assert 0 <= locus["sentence"] < len(doc["sentences"]), locus
        return str(doc["sentences"][locus["sentence"]])
    return str(doc["text"])


def _loci() -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """(file, locus, split) of every locus in every gold file."""
    for name in ("ecbplus", "gvc"):
        agreement = json.loads((GOLD / "agreement" / f"{name}.json").read_text())
        for fact in agreement["facts"]:
            for locus in fact["loci"]:
                yield f"agreement/{name}", locus, fact["split"]
    conflicts = json.loads((GOLD / "conflicts" / "conflicts.json").read_text())
    for pair in conflicts["pairs"]:
        yield "conflicts", pair["a"], pair["split"]
        yield "conflicts", pair["b"], pair["split"]
    framing = json.loads((GOLD / "framing" / "framing.json").read_text())
    for term in framing["terms"]:
        yield "framing", term, term["split"]
    for name in ("quotes", "times"):
        data = json.loads((GOLD / name / f"{name}.json").read_text())
        for item in data[name]:
            yield name, item, item["split"]


@pytest.mark.shared
def test_every_gold_locus_lies_in_its_document_on_its_split(
    documents: dict[str, Mapping[str, Any]],
) -> None:
    problems = []
    for file, locus, split in _loci():
        doc = documents.get(locus["doc_id"])
        if doc is None:
            problems.append(f"{file}: unknown document {locus['doc_id']}")
            continue
        text = _text(doc, locus)
        if "start" in locus and not 0 <= locus["start"] < locus["end"] <= len(text):
            problems.append(f"{file}: {locus} outside its text ({len(text)} characters)")
        if "term" in locus and text[locus["start"] : locus["end"]] != locus["term"]:
            problems.append(f"{file}: {locus['id']} is not its term")
        if "text" in locus and text[locus["start"] : locus["end"]] != locus["text"]:
            problems.append(f"{file}: {locus} is not its text")
        if split != _expected_split(doc):
            problems.append(f"{file}: {locus['doc_id']} on {split}")
    assert problems == []


def test_every_alias_pair_is_on_a_split_and_says_whether_it_is_one_referent() -> None:
    pairs = json.loads((GOLD / "aliases" / "aliases.json").read_text())["pairs"]
    for split in ("dev", "heldout"):
        half = [p for p in pairs if p["split"] == split]
        assert sum(p["same"] for p in half) >= 30
        assert sum(not p["same"] for p in half) >= 15


@pytest.mark.shared
def test_every_gvc_agreement_fact_is_stated_by_two_articles_of_its_incident(
    documents: dict[str, Mapping[str, Any]],
) -> None:
    facts = json.loads((GOLD / "agreement" / "gvc.json").read_text())["facts"]
    for fact in facts:
        docs = {locus["doc_id"] for locus in fact["loci"]}
        assert len(docs) >= 2, fact["id"]
        assert {documents[d]["incident"] for d in docs} == {fact["incident"]}, fact["id"]
        assert fact["id"].startswith(f"gvc-{fact['incident']}-f"), fact["id"]
