"""Regular expressions compiled on first use: compiling them at import cost ``import patreon`` about 1.5 ms."""
import re

__all__ = ['LazyPattern']


class LazyPattern(object):
    """A ``re`` pattern compiled when first used (two threads may both compile it: the results are equal)."""

    __slots__ = ('_source', '_compiled')

    def __init__(self, pattern, flags=0):
        self._source = (pattern, flags)
        self._compiled = None

    def __getattr__(self, name):
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._source)
        return getattr(compiled, name)
