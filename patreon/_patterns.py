"""Regular expressions compiled on first use.

Most of the package's patterns serve error messages and rare headers; compiled at
import, they cost ``import patreon`` about a millisecond and a half, which every
process pays whether or not it ever masks a secret or reads a ``Retry-After`` date.
"""
import re

__all__ = ['LazyPattern']


class LazyPattern(object):
    """A ``re`` pattern compiled when one of its methods is first used; otherwise it is the compiled pattern.

    Two threads meeting an uncompiled pattern may both compile it: the results are equal, one is kept.
    """

    __slots__ = ('_source', '_compiled')

    def __init__(self, pattern, flags=0):
        self._source = (pattern, flags)
        self._compiled = None

    def __getattr__(self, name):
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._source)
        return getattr(compiled, name)
