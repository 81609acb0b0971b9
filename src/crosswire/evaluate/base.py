"""The one evaluator base every `crosswire eval NAME` metric builds on.

An `Evaluator` scores one report (report.json, made by `crosswire analyze`) against one gold
file, for one split of the project's dev / held-out split, and returns `Scores`: a row per
system (crosswire, and the baselines computed in the same run) of named figures. The CLI
prints every evaluator the same way and can write the figures as JSON; tests pin floors on
the held-out rows. Evaluators register themselves by name (`@register`), as spaCy builds
pipelines from registered components, so the CLI needs no list of them.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from crosswire.evaluate.loci import ecbplus_input, gvc_input, keep_rows, read_jsonl
from crosswire.models import Report

__all__ = [
    "DEV_TOPICS",
    "EVALUATORS",
    "HELDOUT_TOPICS",
    "METRIC_MODULES",
    "SPLITS",
    "Evaluator",
    "FolderEvaluator",
    "Scores",
    "Split",
    "evaluators",
    "load_report",
    "register",
    "split_filter",
]

Split = Literal["dev", "heldout"]
SPLITS: tuple[Split, ...] = ("dev", "heldout")
DEV_TOPICS = frozenset({"2", "12", "21", "34"})
HELDOUT_TOPICS = frozenset({"5", "18", "23", "35"})
"""The ECB+ topics of each half of the project's split (../shared/data/README.md); GVC
documents carry their half in their `split` field."""

Figure = float | int | str | None


@dataclass
class Scores:
    """What one evaluation measured: system -> figure name -> value, plus counts and notes."""

    title: str
    rows: dict[str, dict[str, Figure]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def figure(self, system: str, name: str) -> float:
        value = self.rows[system][name]
        if not isinstance(value, int | float):
            raise TypeError(f"{system}/{name} is not a number: {value!r}")
        return float(value)

    def to_json(self) -> dict[str, object]:
        return {"title": self.title, "rows": self.rows, "counts": self.counts, "notes": self.notes}


class Evaluator(ABC):
    """One metric: `evaluate(gold, report, split)`; `default_gold` is the committed gold file
    (relative to the project root) and `data` the shared data it points into."""

    name: ClassVar[str]
    default_gold: ClassVar[str]
    shared_corpora: ClassVar[tuple[str, ...]] = ("ecbplus",)
    """The shared corpora the gold points into: "ecbplus" (ECB+ dev), "gvc"."""
    needs_shared_data: ClassVar[bool] = True
    """False for evaluators that can run without `../shared/data` (the demo corpus's metrics;
    those that need it for some inputs say so themselves)."""
    halves_are_stories: ClassVar[bool] = False
    """True where no story crosses the dev / held-out halves of the corpora analysed (ECB+
    topics, GVC incidents): scoring one half then analyses only its documents."""
    reads_report: ClassVar[bool] = True
    """False for evaluators that run the language stage on the gold's own texts and ignore
    REPORT (per-article readings are not in a report): the CLI then analyses nothing first."""

    def __init__(self, data: Path = Path("../shared/data")) -> None:
        self.data = data
        self.cache: dict[Any, Any] = {}
        """What an evaluator computes once per run (the language stage on a document...)."""

    @abstractmethod
    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        """Score `report` against `gold`, on one split (None: both)."""

    def inputs(self, gold: Path, out_dir: Path) -> list[Path]:
        """The input files `crosswire analyze` reads to make the report this gold scores, the
        shared corpora of `shared_corpora` written as crosswire JSONL under `out_dir` (one run, two
        files: no story mixes them); nothing for an evaluator that reads the gold's own
        texts."""
        if not self.reads_report:
            return [gold]
        written = []
        for corpus in self.shared_corpora:
            target = out_dir / f"{corpus}.jsonl"
            if corpus == "gvc":
                gvc_input(self.gvc_documents(), target)
            else:
                ecbplus_input(self.ecbplus_documents(), target)
            written.append(target)
        return written

    def split_inputs(self, gold: Path, out_dir: Path, split: Split | None) -> list[Path]:
        """The inputs to analyse for one split's figures (`inputs`); where the halves are
        separate stories (`halves_are_stories`), only that half's documents, so that scoring
        one half never analyses, nor writes into its report, the other."""
        inputs = self.inputs(gold, out_dir)
        if split is not None and self.halves_are_stories:
            keep = self.documents_on(split)
            for path in inputs:
                keep_rows(path, keep)
        return inputs

    def documents_on(self, split: Split) -> set[str]:
        """Ids of the ECB+ and GVC documents on one half of the project's split (a corpus
        that is not there has none)."""
        topics = DEV_TOPICS if split == "dev" else HELDOUT_TOPICS
        ids: set[str] = set()
        if self.ecbplus_documents().exists():
            docs = read_jsonl(self.ecbplus_documents())
            ids |= {d["doc_id"] for d in docs if str(d["topic"]) in topics}
        if self.gvc_documents().exists():
            ids |= {d["id"] for d in read_jsonl(self.gvc_documents()) if d["split"] == split}
        return ids

    def ecbplus_documents(self) -> Path:
        return self.data / "ecbplus-dev" / "dev_documents.jsonl"

    def gvc_documents(self) -> Path:
        return self.data / "gvc" / "documents.jsonl"

    def run(
        self, gold: Path | None, docs: Path | None, splits: Sequence[Split | None]
    ) -> list[Scores] | None:
        """Scores an evaluator computes its own way (stories: each corpus analysed and grouped
        on its own, no report needed), one or more per split; None (the default): the CLI
        scores one report of `crosswire analyze` (REPORT, or made from `inputs`)."""
        del gold, docs, splits
        return None


class FolderEvaluator(Evaluator):
    """A metric on one corpus folder and its gold file (the demo corpus: `eval compare`,
    `eval language`). GOLD is the gold file or its folder; REPORT is ignored, the folder's
    articles are read here. Such a corpus has no dev / held-out split: one table, whose
    rows are the families `score_folder` returns, flattened as "family<separator>metric"."""

    gold_name: ClassVar[str]
    separator: ClassVar[str] = " "
    reads_report = False
    needs_shared_data = False

    @abstractmethod
    def score_folder(self, folder: Path, gold: Path) -> dict[str, dict[str, float]]:
        """Figures per family for the articles of `folder` against `gold`."""

    def run(
        self, gold: Path | None, docs: Path | None, splits: Sequence[Split | None]
    ) -> list[Scores] | None:
        del docs, splits
        path = gold or Path(self.default_gold)
        folder, gold_file = (path, path / self.gold_name) if path.is_dir() else (path.parent, path)
        if not gold_file.is_file():
            raise ValueError(f"no {self.gold_name} in {folder}")
        scores = Scores(title=f"{self.name} ({folder.name})")
        scores.rows["crosswire"] = {
            f"{family}{self.separator}{metric}": value
            for family, row in self.score_folder(folder, gold_file).items()
            for metric, value in row.items()
        }
        return [scores]

    def evaluate(self, gold: Path, report: Report, split: Split | None) -> Scores:
        del report
        return (self.run(gold, None, [split]) or [])[0]


EVALUATORS: dict[str, type[Evaluator]] = {}

METRIC_MODULES = (
    "agreement",
    "links",
    "conflicts",
    "quotes",
    "times",
    "entities",
    "framing",
    "stories",
    "extraction",
    "timeline",
    "summary",
    "compare",
    "language",
)
"""The modules under crosswire.evaluate whose evaluators `crosswire eval` offers; each
registers its evaluator when imported."""


def evaluators() -> dict[str, type[Evaluator]]:
    """Every registered evaluator by name (importing the metric modules registers them)."""
    import importlib

    for module in METRIC_MODULES:
        importlib.import_module(f"crosswire.evaluate.{module}")
    return EVALUATORS


def register(cls: type[Evaluator]) -> type[Evaluator]:
    """Class decorator: make the evaluator available as `crosswire eval NAME`."""
    EVALUATORS[cls.name] = cls
    return cls


def load_report(path: Path) -> Report:
    """A report.json (or the folder holding it) as the typed model."""
    if path.is_dir():
        path = path / "report.json"
    return Report.model_validate(json.loads(path.read_text(encoding="utf-8")))


def split_filter(split: Split | None) -> Callable[[str], bool]:
    """A test on an item's `split` field for the split asked for (None: both)."""
    return lambda value: split is None or value == split
