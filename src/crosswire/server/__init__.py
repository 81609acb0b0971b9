"""The web app and REST API over a store (`crosswire serve`); FastAPI, imported only here."""

from crosswire.server.app import API_PREFIX, create_app, serve

__all__ = ["API_PREFIX", "create_app", "serve"]
