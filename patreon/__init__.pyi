from . import (
    api as api,
    entitlements as entitlements,
    exceptions as exceptions,
    jsonapi as jsonapi,
    oauth as oauth,
    pagination as pagination,
    schemas as schemas,
    utils as utils,
    version as version,
    version_compatibility as version_compatibility,
    webhooks as webhooks,
)
from .api import API as API
from .oauth import OAuth as OAuth
from .pacing import Limits as Limits
from .policies import RefreshPolicy as RefreshPolicy, Timeout as Timeout
from .retry import RetryPolicy as RetryPolicy
from .version import __version__ as __version__

__all__ = ['API', 'Limits', 'OAuth', 'RefreshPolicy', 'RetryPolicy', 'Timeout', '__version__']
