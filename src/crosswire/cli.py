"""The `crosswire` command: analyze, watch, extract, export, schema, eval, serve."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from crosswire.console import err, fail, out
from crosswire.errors import CrosswireError, Msg
from crosswire.evaluate.commands import eval_app
from crosswire.models import Article, InputError, Report
from crosswire.options import Options

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help="Read many outlets' reports of one event: what they agree on, contradict, and frame differently.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(eval_app, name="eval")

Inputs = Annotated[
    list[Path], typer.Argument(help="Files or folders of .txt, .html, .jsonl, .pdf, RSS/Atom.")
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("crosswire")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "unknown"
        out.print(f"crosswire {number}", highlight=False, markup=False)
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    del show_version  # handled by its callback


def _summary_table(report: Report, paths: dict[str, Path] | None) -> None:
    table = Table(title="crosswire", show_lines=False, expand=False)
    # the numbers need ~62 columns; the title gets what is left
    table.add_column("story", max_width=max(16, out.width - 62), overflow="ellipsis", no_wrap=True)
    for col in ("arts", "outl.", "agree", "corr.", "disp.", "single", "confl."):
        table.add_column(col, justify="right", no_wrap=True, min_width=len(col))
    for story in report.stories:
        counts = Counter(c.status for c in story.claims)
        table.add_row(
            escape(story.title or story.id),  # a title's "[Update]" is text, not markup
            str(len(story.article_ids)),
            str(story.outlets),
            str(counts["consensus"]),
            str(counts["corroborated"]),
            str(counts["disputed"]),
            str(counts["single_source"]),
            str(len(story.conflicts)),
        )
    out.print(table)
    out.print(
        "claims: agree = consensus, corr. = corroborated, disp. = disputed, single = one outlet",
        style="dim",
    )
    _print_failures(report.errors, len(report.articles), label="[yellow]skipped[/] ")
    if paths:
        out.print(
            f"Report: {paths['html']}  (also {paths['json'].name}, {paths['md'].name})",
            highlight=False,
            markup=False,
        )


InputsOrUrls = Annotated[
    list[str],
    typer.Argument(
        help="Files or folders of .txt, .html, .jsonl, .pdf, RSS/Atom, or http(s) URLs of pages "
        "and feeds."
    ),
]


StoryWindowDays = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Retire articles published this many days before the newest from the story index "
        "(memory stays flat; more than the 14 days a story may span). Default: keep all.",
    ),
]


def _options(**given: object) -> Options:
    """Options from the command line; a combination Options refuses is a usage error."""
    try:
        return Options(**given)  # type: ignore[arg-type]
    except ValueError as exc:
        fail(str(exc))
        raise  # not reached: fail exits


def _print_failures(errors: Sequence[InputError], read: int, label: str = "") -> None:
    """A count of the inputs that failed, then one line each (origin names file and line)."""
    if not errors:
        return
    total = read + len(errors)
    err.print(Msg.INPUTS_FAILED.format(failed=len(errors), total=total), highlight=False)
    for e in errors:
        err.print(f"{label}{escape(f'{e.origin}: {e.message}')}", highlight=False)


_OUTLET_HINT = (
    "To set outlets: a manifest.jsonl beside the files, one line each like "
    '{"file": "a.html", "source": "The Outlet"}, or --source NAME for all of them.'
)


def _say_outlets(articles: Sequence[Article]) -> None:
    """How this run decided each article's outlet, and how to set them."""
    ways = Counter(a.source_from or "input" for a in articles)
    outlets = len({a.source.strip().casefold() for a in articles})
    how = ", ".join(f"from {way} {n}" for way, n in ways.most_common())
    noun = "article" if len(articles) == 1 else "articles"
    err.print(
        f"{len(articles)} {noun}, {outlets} outlet{'s' * (outlets != 1)}: {how}",
        highlight=False,
        markup=False,
    )
    if set(ways) - {"manifest", "--source"}:
        err.print(_OUTLET_HINT, style="dim", highlight=False, markup=False)


def _say_languages(report: Report, read: set[str]) -> None:
    """A warning naming this run's articles not in English: the English-only steps skipped
    them (they still join stories by matching)."""
    other = [a for a in report.articles if a.id in read and a.language not in (None, "en")]
    if not other:
        return
    named = ", ".join(f"{a.id} ({a.language})" for a in other)
    err.print(
        f"warning: {len(other)} article(s) not in English: {named}. Quotes, dates and framing "
        "are read only in English, so those steps skipped them; they are still matched into "
        "stories, and the report marks their language.",
        style="yellow",
        highlight=False,
        markup=False,
    )


def _shown_db(database: str) -> str:
    """The store's path or URL as printed: a URL's password hidden."""
    if "://" not in database:
        return database
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(database).render_as_string(hide_password=True)
    except ArgumentError:
        return database


def _fresh_store(out_dir: Path) -> str:
    """`analyze` without --db: a new SQLite store in the output folder (an earlier run's one
    there is replaced), so a run reports only what it was given."""
    path = out_dir / "crosswire.db"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    except OSError as exc:
        fail(Msg.OUT_DIR.format(path=out_dir, error=exc))
    return str(path)


@app.command()
def analyze(
    inputs: InputsOrUrls,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for report.json/.md/.html.")
    ] = Path("out"),
    db: Annotated[
        str | None,
        typer.Option(
            help="SQLite path or SQLAlchemy URL of a store to add to (stories grow across "
            "runs). Default: a fresh store, OUT/crosswire.db, for this run only."
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Outlet of every article read (a manifest.jsonl's 'source' still wins). "
            "Default: from each page's metadata, URL, byline, else its file name.",
        ),
    ] = None,
    no_db: Annotated[bool, typer.Option("--no-db", help="Do not store anything.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print report.json to stdout.")] = False,
    summary_sentences: Annotated[
        int, typer.Option(help="Length of the brief.")
    ] = Options.summary_sentences,
    llm: Annotated[
        str | None,
        typer.Option(help="OpenAI-compatible URL to rewrite the brief (checked against sources)."),
    ] = None,
    llm_model: Annotated[str, typer.Option(help="Model name sent to --llm.")] = "default",
    allow_private_addresses: Annotated[
        bool,
        typer.Option(help="Let URLs reach private, loopback and link-local addresses."),
    ] = False,
    executor_kind: Annotated[
        str,
        typer.Option("--executor", help="Where the per-article stages run: local or ray."),
    ] = "local",
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (local) or Ray actors; 1 = in process.")
    ] = 1,
    ray_address: Annotated[
        str | None,
        typer.Option(help="Ray cluster to join (e.g. ray://head:10001); none starts a local Ray."),
    ] = None,
    parquet: Annotated[
        Path | None,
        typer.Option(help="Also write claims.parquet, conflicts.parquet, stories/*.json here."),
    ] = None,
    story_window_days: StoryWindowDays = None,
) -> None:
    """Analyze articles into a cited cross-source report."""
    from crosswire.inputs import is_url
    from crosswire.pipeline import analyze as run
    from crosswire.report import write_reports

    missing = [p for p in inputs if not is_url(p) and not Path(p).exists()]
    if missing and len(missing) == len(inputs):
        fail(f"{missing[0]}: {Msg.NOT_FOUND}")
    options = _options(
        summary_sentences=summary_sentences,
        llm_url=llm,
        llm_model=llm_model,
        allow_private_addresses=allow_private_addresses,
        story_window_days=story_window_days,
    )
    database = None if no_db else (db or _fresh_store(out_dir))
    read: list[Article] = []

    def on_read(articles: list[Article], errors: list[InputError]) -> None:
        # before anything is stored or analysed: a run that read nothing stops here, so no
        # earlier report is shown as if it were new
        if not articles:
            if errors:
                _print_failures(errors, 0)
                fail(Msg.NONE_READ, code=1)
            fail(Msg.NO_ARTICLES.format(inputs=", ".join(map(str, inputs))))
        read.extend(articles)
        if not quiet:
            _say_outlets(articles)

    from crosswire.executors import ExecutorKind, make_executor

    try:  # an unknown kind is refused there, with the message naming the choices
        executor = make_executor(cast(ExecutorKind, executor_kind), workers, address=ray_address)
    except CrosswireError as exc:
        fail(str(exc))
        return
    try:
        if quiet or as_json or not sys.stderr.isatty():
            report = run(
                inputs, options, db=database, executor=executor, source=source, on_read=on_read
            )
        else:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=err,
                transient=True,
            ) as bar:
                tasks: dict[str, TaskID] = {}

                def progress(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(stage, total=total)
                    bar.update(tasks[stage], completed=done, total=total)

                report = run(
                    inputs,
                    options,
                    db=database,
                    progress=progress,
                    executor=executor,
                    source=source,
                    on_read=on_read,
                )
        paths = write_reports(report, out_dir)
        if parquet is not None:
            from crosswire.tables import write_tables

            write_tables(report, parquet)
    except CrosswireError as exc:
        fail(str(exc))
        return
    finally:
        executor.close()
    if as_json:
        sys.stdout.write(paths["json"].read_text(encoding="utf-8"))
    elif not quiet:
        _summary_table(report, paths)
    else:  # --quiet or --json: stdout stays clean, the failures go to stderr
        _print_failures(report.errors, len(report.articles))
    if not quiet:
        _say_languages(report, {a.id for a in read})
        if database is not None:
            shown = _shown_db(database)
            where = f"Data: {shown}" + ("" if db else " (a fresh store for this run)")
            err.print(
                f"{where}; browse it: crosswire serve --db {shown}",
                highlight=False,
                markup=False,
            )
    if report.errors:
        raise typer.Exit(1)


@app.command()
def extract(
    inputs: Inputs,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON array on stdout (the default).")
    ] = True,
) -> None:
    """Print each article's cleaned text and what was read out of it (entities, quotes, numbers,
    times), no clustering."""
    from crosswire.language import analyze_article
    from crosswire.pipeline import read_and_clean

    del as_json  # JSON is the only output form for now
    options = Options()
    articles, errors = read_and_clean(inputs, options)
    result = []
    for article in articles:
        a = analyze_article(article, options)
        published = article.published or a.published_inferred
        result.append(
            {
                "id": article.id,
                "published": published.isoformat() if published else None,
                "published_inferred": article.published is None
                and a.published_inferred is not None,
                "language": a.language,
                # The text after ingest and clean: what every later stage reads.
                "source": article.source,
                "title": article.title,
                "text": article.text,
                "entities": [
                    {"name": e.name, "type": e.type, "aliases": e.aliases, "titles": e.titles}
                    for e in a.entities
                ],
                "quotes": [
                    {"text": q.text, "speaker": q.speaker, "kind": q.kind} for q in a.quotes
                ],
                "numbers": [
                    {
                        "text": n.text,
                        "value": n.value,
                        "value_max": n.value_max,
                        "unit": n.unit,
                        "bound": n.bound,
                    }
                    for n in a.numbers
                ],
                "times": [
                    {
                        "text": t.text,
                        "value": t.value,
                        "earliest": t.earliest.isoformat(),
                        "latest": t.latest.isoformat(),
                        "precision": t.precision,
                    }
                    for t in a.times
                ],
            }
        )
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    _print_failures(errors, len(articles))
    if errors:
        raise typer.Exit(1)


@app.command()
def export(
    report_path: Annotated[
        Path, typer.Argument(metavar="REPORT", help="report.json, or the folder holding it.")
    ],
    csv_out: Annotated[
        Path,
        typer.Option(
            "--csv",
            help="CSV file to write: one row per claim, conflict and framing entry (column "
            "'kind'), with its outlets and citations.",
        ),
    ],
) -> None:
    """Export a report's claims, conflicts and framing as one CSV table."""
    from pydantic import ValidationError

    from crosswire.evaluate.base import load_report

    file = report_path / "report.json" if report_path.is_dir() else report_path
    if not file.is_file():
        fail(Msg.REPORT_NOT_FOUND.format(path=report_path))
    try:
        report = load_report(file)
    except (ValueError, ValidationError, OSError) as exc:
        fail(f"{file}: {Msg.REPORT_INVALID.format(error=str(exc).splitlines()[0])}")
        return
    from crosswire.tables import write_csv

    try:
        kinds = write_csv(report, csv_out)
    except OSError as exc:
        fail(f"{csv_out}: {exc.strerror or exc}")
        return
    err.print(
        f"{csv_out}: {kinds['claim']} claims, {kinds['conflict']} conflicts, "
        f"{kinds['framing']} framing entries",
        highlight=False,
        markup=False,
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of report.json."""
    from crosswire.report import report_schema

    sys.stdout.write(json.dumps(report_schema(), indent=2) + "\n")


@app.command()
def watch(
    feeds: Annotated[
        Path, typer.Argument(help="Text file of feed URLs (one a line, # comments) or OPML.")
    ],
    db: Annotated[str, typer.Option(help="SQLite path or SQLAlchemy URL (required).")],
    interval: Annotated[
        float, typer.Option(help="Seconds between polls of each feed.", min=1)
    ] = Options.watch_interval,
    once: Annotated[bool, typer.Option(help="Poll each due feed once, then exit.")] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Rewrite report.json/.md/.html here after new articles."),
    ] = None,
    allow_private_addresses: Annotated[
        bool,
        typer.Option(help="Let feeds reach private, loopback and link-local addresses."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    story_window_days: StoryWindowDays = None,
) -> None:
    """Poll feeds; new articles join the stored stories as with `analyze --db`. Ctrl-C stops
    between feeds. With --once, exits 1 when a feed could not be read."""
    import signal
    import threading

    from crosswire.pipeline import analyze_into_store
    from crosswire.report import write_reports
    from crosswire.store import Store
    from crosswire.watch import Watcher, read_feed_list

    options = _options(
        watch_interval=interval,
        allow_private_addresses=allow_private_addresses,
        story_window_days=story_window_days,
    )
    stop = threading.Event()

    def log(line: str) -> None:
        if not quiet:
            err.print(line, highlight=False, markup=False)

    def on_interrupt(signum: int, frame: object) -> None:
        del signum, frame
        if stop.is_set():  # a second Ctrl-C stops at once
            raise KeyboardInterrupt
        stop.set()
        err.print("stopping after this feed (Ctrl-C again to stop now)", highlight=False)

    failed = False
    try:
        urls = read_feed_list(feeds)
        previous = signal.signal(signal.SIGINT, on_interrupt)
        try:
            with Store(db) as store:
                watcher = Watcher(store, options, log=log)
                try:
                    while not stop.is_set():
                        results = watcher.poll_due(urls, stop)
                        new = sum(len(r.articles) for r in results)
                        counts = store.counts()
                        # also catches up articles a stopped run stored but did not analyse
                        if new or counts["articles"] > counts["analyses"]:
                            log(f"analysing {new} new article(s)")
                            report = analyze_into_store([], options, store)
                            if out_dir is not None:
                                write_reports(report, out_dir)
                        if once:
                            failed = any(r.outcome == "failed" for r in results)
                            break
                        wait = (watcher.next_due(urls) - watcher.clock()).total_seconds()
                        stop.wait(max(1.0, wait))
                finally:
                    watcher.close()
        finally:
            signal.signal(signal.SIGINT, previous)
    except CrosswireError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    if failed:  # --once only: a feed that could not be read, for cron and scripts
        raise typer.Exit(1)


@app.command()
def serve(
    db: Annotated[
        str,
        typer.Option(help="SQLite path or SQLAlchemy URL of the store (`analyze` prints its own)."),
    ] = "out/crosswire.db",
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the stored stories as a web app and REST API (/api/v1). Writes need the token in
    $CROSSWIRE_TOKEN; with none set, only this machine may add articles."""
    try:
        from crosswire.server.app import serve as run
    except ImportError as exc:
        fail(Msg.SERVER_NOT_INSTALLED.format(error=exc))
    try:
        run(db, host=host, port=port)
    except CrosswireError as exc:
        fail(str(exc))


def main() -> None:  # pragma: no cover - entry point
    app()
