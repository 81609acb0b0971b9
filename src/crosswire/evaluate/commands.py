"""`crosswire eval NAME`: one command per registered evaluator (`evaluate.base`), each printed
as tables (systems as columns), with `--json` for the figures."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.markup import escape
from rich.table import Table

from crosswire.console import err, fail, out
from crosswire.errors import Msg
from crosswire.models import Report
from crosswire.options import Options

if TYPE_CHECKING:
    from crosswire.evaluate.base import Scores

__all__ = ["eval_app"]

eval_app = typer.Typer(help="Measure crosswire against gold data.", no_args_is_help=True)

SHARED = Path("../shared/data")


def _metrics_table(title: str, rows: Mapping[str, Mapping[str, float | int | str | None]]) -> None:
    """One row per metric, one column per system: fits a terminal however many metrics."""
    table = Table(title=title)
    table.add_column("metric")
    for system in rows:
        table.add_column(system, justify="right")
    for m in sorted({m for r in rows.values() for m in r}):
        cells = [r.get(m) for r in rows.values()]
        table.add_row(
            escape(m),
            *(
                ""
                if v is None
                else str(v)
                if isinstance(v, int | str) or (float(v).is_integer() and v > 1)
                else f"{v:.3f}"
                for v in cells
            ),
        )
    out.print(table)


def _require(path: Path) -> None:
    if not path.exists():
        fail(f"{path}: {Msg.NOT_FOUND}")


def _run_evaluator(
    name: str,
    gold: Path | None,
    report: Path | None,
    split: str | None,
    data: Path,
    json_out: Path | None,
) -> None:
    """`crosswire eval NAME [GOLD] [REPORT]`: score REPORT (report.json, or its folder) against
    GOLD; without REPORT, analyse the gold's articles first (into out/eval/NAME/)."""
    from crosswire.evaluate.base import SPLITS, Split, evaluators, load_report
    from crosswire.pipeline import analyze as run
    from crosswire.report import write_reports

    evaluator = evaluators()[name](data)
    if evaluator.needs_shared_data and not data.exists():
        fail(f"{data}: {Msg.NOT_FOUND}")
    if split is not None and split not in SPLITS:
        fail(f"--split {split!r}: expected one of {', '.join(SPLITS)}")
    splits: list[Split | None] = [cast(Split, split)] if split else list(SPLITS)
    for given in (gold, report):
        if given is not None:
            _require(given)
    try:
        own = evaluator.run(gold, report, splits)
    except (KeyError, TypeError, ValueError) as exc:
        what = gold or evaluator.default_gold
        fail(
            f"eval {name}: {what}: {exc}"
            if isinstance(exc, ValueError)
            else f"{what}: not a gold file that `eval {name}` reads ({type(exc).__name__}: {exc})"
        )
    if own is not None:
        _print_scores(own, json_out)
        return
    gold = gold or Path(evaluator.default_gold)
    _require(gold)
    if report is None and not evaluator.reads_report:
        # It reads the gold's own texts (per-article readings are not in a report): nothing to
        # analyse first, and an empty report stands in for the one it ignores.
        err.print(
            f"eval {name}: runs the language stage on the gold's texts",
            highlight=False,
            markup=False,
        )
        parsed = Report(generated_at=datetime.now(UTC), articles=[], stories=[])
    else:
        if report is None:
            out_dir = Path("out") / "eval" / name
            # one split asked for: only its documents where the halves are separate stories
            inputs = evaluator.split_inputs(gold, out_dir, splits[0] if len(splits) == 1 else None)
            err.print(
                f"analysing {', '.join(map(str, inputs))} into {out_dir}/",
                highlight=False,
                markup=False,
            )
            write_reports(run(inputs, Options()), out_dir)
            report = out_dir / "report.json"
        _require(report)
        parsed = load_report(report)
    try:
        results = [evaluator.evaluate(gold, parsed, s) for s in splits]
    except (KeyError, TypeError, ValueError) as exc:
        fail(f"{gold}: not a gold file that `eval {name}` reads ({type(exc).__name__}: {exc})")
    _print_scores(results, json_out)


def _print_scores(results: Sequence[Scores], json_out: Path | None) -> None:
    """Each evaluation's table, counts and notes; with `json_out`, the figures as JSON too."""
    for scores in results:
        _metrics_table(scores.title, scores.rows)
        for what, count in scores.counts.items():
            out.print(f"  {what}: {count}", highlight=False, markup=False)
        for note in scores.notes:
            out.print(f"  {note}", highlight=False, markup=False)
    if json_out is not None:
        json_out.write_text(json.dumps([r.to_json() for r in results], indent=2) + "\n")


def _evaluator_command(name: str, doc: str) -> None:
    def command(
        gold: Annotated[
            Path | None,
            typer.Argument(help="Gold file (default: the committed one; stories: every corpus)."),
        ] = None,
        report: Annotated[
            Path | None,
            typer.Argument(
                help="report.json to score (default: analyse the gold's articles; stories: "
                "also the articles of GOLD to analyse)."
            ),
        ] = None,
        split: Annotated[
            str | None, typer.Option(help="Score only this split: dev or heldout.")
        ] = None,
        data: Annotated[Path, typer.Option(help="The shared data folder.")] = SHARED,
        json_out: Annotated[
            Path | None, typer.Option("--json", help="Also write the figures as JSON here.")
        ] = None,
    ) -> None:
        _run_evaluator(name, gold, report, split, data, json_out)

    command.__doc__ = doc
    eval_app.command(name)(command)


def _register_evaluator_commands() -> None:
    from crosswire.evaluate.base import evaluators

    for name, cls in evaluators().items():
        summary = (sys.modules[cls.__module__].__doc__ or name).strip().split("\n\n")[0]
        _evaluator_command(name, " ".join(summary.split()))


_register_evaluator_commands()
