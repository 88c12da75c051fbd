"""JSON:API helpers: the response parser and the query string builder."""
import sys as _sys

__all__ = []

# `patreon.jsonapi.parser.JSONAPIParser` works after `import patreon.jsonapi` alone, as with 0.5.1; the submodules
# load on first use, never from here: an __init__ importing them could deadlock against a thread importing one.
_SUBMODULES = ('parser', 'url_util')


def __getattr__(name):
    if name not in _SUBMODULES:
        raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))
    __import__(__name__ + '.' + name)
    return _sys.modules[__name__ + '.' + name]


def __dir__():
    return sorted(set(vars(_sys.modules[__name__])) | set(_SUBMODULES))


if _sys.version_info < (3, 7):  # pragma: no cover - no module __getattr__ (PEP 562) before 3.7
    from .._lazy_module import serve_attributes

    serve_attributes(__name__, __getattr__, __dir__)
