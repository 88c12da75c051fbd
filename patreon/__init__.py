"""Python client for Patreon's API v2: OAuth, API routes and JSON:API parsing.

Usage::

    import patreon

    api = patreon.API(access_token)
    user = api.get_identity(fields={'user': ['full_name']}).data()
    print(user.attribute('full_name'))

``patreon.exceptions``, ``patreon.schemas``, ``patreon.webhooks`` and ``patreon.entitlements`` are reachable after
``import patreon`` alone (``patreon.webhooks.parse_webhook(...)``).
"""
# Private names: `dir(patreon)` shows the package's own API, not the modules it happens to use.
import importlib as _importlib
import logging as _logging
import sys as _sys

from . import exceptions  # noqa: F401 (patreon.exceptions.X after import patreon alone)
from .api import API
from .pacing import Limits
from .policies import RefreshPolicy, Timeout
from .retry import RetryPolicy
from .version import __version__

__all__ = ['API', 'Limits', 'OAuth', 'RefreshPolicy', 'RetryPolicy', 'Timeout', '__version__']

# Submodules a reader reaches as attributes of the package. Loaded on first use where the interpreter allows it
# (PEP 562, Python 3.7+), so that `import patreon` stays fast; at once on older ones, which cannot defer them.
_ON_FIRST_USE = ('entitlements', 'pagination', 'schemas', 'webhooks')


def __getattr__(name):
    if name in _ON_FIRST_USE:
        return _importlib.import_module('.' + name, __name__)
    if name == 'OAuth':  # a module of its own, loaded when first asked for: most processes only call the API
        from .oauth import OAuth
        globals()['OAuth'] = OAuth  # asked for once: a plain attribute from then on
        return OAuth
    raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))


if _sys.version_info < (3, 7):  # pragma: no cover - no module __getattr__ before 3.7
    from . import entitlements, pagination, schemas, webhooks  # noqa: F401
    from .oauth import OAuth

# A library never configures logging; the application decides where records go.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
