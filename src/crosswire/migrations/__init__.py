"""Alembic schema migrations for the store, shipped inside the package.

`Store(...)` upgrades every database it opens to the newest revision (`upgrade_to_head`), so
users never run Alembic themselves. A database made by crosswire before migrations existed
(tables from `metadata.create_all`, no `alembic_version`) is stamped as the baseline revision
first, which is exactly the schema that code created.

Adding a table or column (a developer's job, from a source checkout):

1. change the models in `crosswire/store/tables.py`;
2. run ``python -m crosswire.migrations revision --autogenerate --rev-id 0002 -m "add story_reports"``
   (it diffs the models against a scratch SQLite database at the current head and writes
   `versions/0002_add_story_reports.py`); read the file, fix what autogenerate cannot know
   (renames, data moves, server defaults), keep it portable (SQLite and PostgreSQL);
3. `make test`: tests/test_migrations.py fails while the migrations at head and the models
   differ, on both backends.

Two branches that each add a revision on top of the same head give Alembic two heads; the
merge makes one chain of them by pointing the later file's `down_revision` at the other's
revision (or ``python -m crosswire.migrations merge heads -m merge``).
"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

BASELINE = "0001"
"""The revision that matches the schema `metadata.create_all` made before migrations."""

HERE = Path(__file__).resolve().parent


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for the shipped scripts, with no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("path_separator", "os")
    # Short names; `revision --rev-id 0002` keeps the numbering readable.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url is not None:
        # ConfigParser interpolation: a literal % (as in an escaped password) must be doubled.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
