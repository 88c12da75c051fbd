"""JSON:API helpers: the response parser and the query string builder."""
