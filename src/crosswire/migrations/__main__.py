"""`python -m crosswire.migrations <alembic command>`: Alembic's own CLI on the shipped scripts.

With no CROSSWIRE_DB set, it works on a scratch SQLite database upgraded to head first, which
is what `revision --autogenerate` needs to diff the models against.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from alembic.config import CommandLine

from crosswire.migrations import alembic_config


def main(argv: list[str] | None = None) -> None:
    cli = CommandLine(prog="python -m crosswire.migrations")
    options = cli.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        cli.parser.error("too few arguments")
    url = os.environ.get("CROSSWIRE_DB")
    with tempfile.TemporaryDirectory() as tmp:
        if url is None:
            from crosswire.store import Store

            path = Path(tmp) / "scratch.db"
            Store(str(path)).close()  # upgraded to the current head on open
            url = f"sqlite:///{path}"
        cli.run_cmd(alembic_config(url), options)


if __name__ == "__main__":
    main(sys.argv[1:])
