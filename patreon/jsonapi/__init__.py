"""JSON:API helpers: the response parser and the query string builder."""
# Both reachable as attributes once the package is imported, as with 0.5.1 (`patreon.jsonapi.parser.JSONAPIParser`).
from . import parser, url_util  # noqa: F401

__all__ = []
