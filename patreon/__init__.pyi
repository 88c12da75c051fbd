from . import (
    api as api,
    entitlements as entitlements,
    exceptions as exceptions,
    jsonapi as jsonapi,
    oauth as oauth,
    pagination as pagination,
    responses as responses,
    schemas as schemas,
    transport as transport,
    utils as utils,
    version as version,
    version_compatibility as version_compatibility,
    webhooks as webhooks,
)
from .api import API as API
from .oauth import OAuth as OAuth
from .pacing import Limits as Limits
from .refresh import RefreshPolicy as RefreshPolicy
from .retry import RetryPolicy as RetryPolicy
from .transport import Timeout as Timeout
from .version import __version__ as __version__

__all__ = ['API', 'Limits', 'OAuth', 'RefreshPolicy', 'RetryPolicy', 'Timeout', '__version__']
