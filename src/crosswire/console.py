"""The terminal: standard output and standard error as Rich consoles, and the one way a
command fails (a one-line error, then its exit code). Shared by `cli` and the eval commands."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

__all__ = ["err", "fail", "out"]

out = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line, however long


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `error: message` on standard error and exit with `code`."""
    # escaped: messages name extras ('crosswire[server]') that Rich would read as markup
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)
