"""crosswire: read many outlets' reports of one event and show where they agree and differ.

    >>> from crosswire import analyze
    >>> report = analyze([Path("examples/harbour-fire")])
    >>> report.stories[0].conflicts

The small public API is re-exported here; stage modules stay importable for finer use.
"""

import importlib
from typing import TYPE_CHECKING, Any

from crosswire.errors import CrosswireError, InputReadError
from crosswire.models import (
    Article,
    ArticleAnalysis,
    Claim,
    Conflict,
    Report,
    Story,
    TimelineEntry,
)
from crosswire.options import Options
from crosswire.version import __version__

if TYPE_CHECKING:
    from crosswire.pipeline import analyze
    from crosswire.report import report_schema, write_reports

_LAZY = {
    "analyze": "crosswire.pipeline",
    "report_schema": "crosswire.report",
    "write_reports": "crosswire.report",
}


def __getattr__(name: str) -> Any:
    # the pipeline pulls in scikit-learn and spaCy: import it when first used, so that
    # `crosswire --help` and `from crosswire import Report` stay fast
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'crosswire' has no attribute {name!r}")


__all__ = [
    "Article",
    "ArticleAnalysis",
    "Claim",
    "Conflict",
    "CrosswireError",
    "InputReadError",
    "Options",
    "Report",
    "Story",
    "TimelineEntry",
    "__version__",
    "analyze",
    "report_schema",
    "write_reports",
]
