"""Python client for Patreon's API v2: OAuth, API routes and JSON:API parsing.

Usage::

    import patreon

    api = patreon.API(access_token)
    user = api.get_identity(fields={'user': ['full_name']}).data()
    print(user.attribute('full_name'))
"""
import logging

from .api import API
from .oauth import OAuth
from .version import __version__

__all__ = ['API', 'OAuth', '__version__']

# A library never configures logging; the application decides where records go.
logging.getLogger(__name__).addHandler(logging.NullHandler())
