"""Persistence of articles, analyses and stories with SQLAlchemy 2 (SQLite by default, or
PostgreSQL with `crosswire[postgres]`: any SQLAlchemy URL, `postgresql://...` included).

The parts: `tables` (the schema, `metadata`, that the Alembic migrations in
`crosswire/migrations` build), `engine` (opening a database, the writers' lock, upgrades on
open), `store` (`Store`: articles, analyses, stories, meta values), `feeds` (`FeedStore`,
`FeedState`: what `crosswire watch` keeps per feed) and `server` (`ServerStore`,
`StorySummary`: the reads `crosswire serve` needs).
"""

from crosswire.store.feeds import FeedState, FeedStore
from crosswire.store.server import ServerStore, StorySummary
from crosswire.store.store import Store
from crosswire.store.tables import metadata

__all__ = ["FeedState", "FeedStore", "ServerStore", "Store", "StorySummary", "metadata"]
