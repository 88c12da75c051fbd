"""JSON:API helpers: the response parser and the query string builder."""

__all__ = []
