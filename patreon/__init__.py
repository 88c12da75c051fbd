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

# What every client pays for, loaded now as 0.5.1 did: a first use in a thread then loads none of their modules,
# whose imports (urllib3's six.moves finder) could hang beside another thread's on 3.6.
import requests as _requests  # noqa: F401
import six as _six  # noqa: F401

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
    # Names are read from their module at each use, never kept here: a mock of `patreon.api.API` active at the
    # first use would otherwise stay `patreon.API` for good.
    if name in _DEFINED_IN:
        return getattr(_submodule(_DEFINED_IN[name]), name)
    if name in _SUBMODULES:
        return _submodule(name)  # the import binds it here: later uses are plain attributes
    raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))


def __dir__():
    return sorted(set(vars(_sys.modules[__name__])) | set(__all__) | _SUBMODULES)


def _submodule(name):
    dotted = __name__ + '.' + name
    __import__(dotted)  # also when sys.modules has it: another thread may be making it, and this waits for it
    return _sys.modules[dotted]


if _sys.version_info < (3, 7):  # pragma: no cover - no module __getattr__ (PEP 562) before 3.7
    from ._lazy_module import serve_attributes

    serve_attributes(__name__, __getattr__, __dir__)

# A library never configures logging; the application decides where records go.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
