"""Python client for Patreon's API v2: OAuth, API routes and JSON:API parsing.

Usage::

    import patreon

    api = patreon.API(access_token)
    user = api.get_identity(fields={'user': ['full_name']}).data()
    print(user.attribute('full_name'))

Every name here and every public submodule (``patreon.exceptions``, ``patreon.webhooks``, ...) is reachable after
``import patreon`` alone; each is loaded when first used, so that importing the package costs next to nothing.
"""
from __future__ import absolute_import

# Private names: `dir(patreon)` shows the package's own API, not the modules it happens to use.
import logging as _logging
import sys as _sys

from .version import __version__

__all__ = ['API', 'Limits', 'OAuth', 'RefreshPolicy', 'RetryPolicy', 'Timeout', '__version__']

# Each name of __all__ -> the submodule that defines it.
_DEFINED_IN = {'API': 'api', 'Limits': 'pacing', 'OAuth': 'oauth', 'RefreshPolicy': 'policies',
               'RetryPolicy': 'retry', 'Timeout': 'policies'}
# The public submodules, reached as attributes of the package (`patreon.exceptions.Unauthorized`), as with 0.5.1,
# which imported them all with the package. The pytest plugin is left out: it imports pytest.
_SUBMODULES = frozenset(['api', 'cli', 'endpoint', 'entitlements', 'exceptions', 'jsonapi', 'oauth', 'pacing',
                         'pagination', 'policies', 'retry', 'sandbox', 'schemas', 'scopes', 'stores', 'tokens',
                         'utils', 'version', 'version_compatibility', 'webhooks'])


def __getattr__(name):
    if name in _DEFINED_IN:
        value = getattr(_submodule(_DEFINED_IN[name]), name)
    elif name in _SUBMODULES:
        value = _submodule(name)
    else:
        raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))
    setattr(_sys.modules[__name__], name, value)  # looked up once: a plain attribute from then on
    return value


def __dir__():
    return sorted(set(vars(_sys.modules[__name__])) | set(__all__) | _SUBMODULES)


def _submodule(name):
    dotted = __name__ + '.' + name
    __import__(dotted)
    return _sys.modules[dotted]


if _sys.version_info < (3, 7):  # pragma: no cover - no module __getattr__ (PEP 562) before 3.7
    import types as _types

    class _Package(_types.ModuleType):
        """The package, with the module-level __getattr__ and __dir__ that 3.7 and later call by themselves."""

        def __getattr__(self, name):
            return __getattr__(name)

        def __dir__(self):
            return __dir__()

    if _sys.version_info >= (3,):
        _sys.modules[__name__].__class__ = _Package
    else:  # 2.7 cannot change a module's class: a module of the subclass, with the same contents, takes its place
        _package = _Package(__name__)
        _package.__dict__.update(globals())
        # 2.7 empties a freed module's globals, which the functions above still read: the original is kept alive.
        _package._original = _sys.modules[__name__]
        _sys.modules[__name__] = _package

# A library never configures logging; the application decides where records go.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
