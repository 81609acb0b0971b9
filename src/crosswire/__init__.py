"""crosswire: read many outlets' reports of one event and show where they agree and differ."""

__version__ = "0.1.0"
