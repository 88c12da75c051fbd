"""Build the ``include`` and ``fields[...]`` part of an API v2 query string.

Every name and value is checked on its way into the URL: what cannot be sent (a name that is not a string, text
holding a lone surrogate, bytes that are not UTF-8, ``fields`` that is not a dict) raises
:class:`~patreon.exceptions.InvalidArgument` (a ``ValueError``) naming the parameter, never quoting the value.
"""
from __future__ import unicode_literals

import six

from .._query import query_names, url_with

__all__ = ['build_url', 'joined_or_null']


def joined_or_null(arr):
    """Join names with commas; an empty sequence becomes ``'null'``.

    A plain string is taken as one already-joined value, not as a sequence of
    characters::

        >>> joined_or_null(['user', 'campaign'])
        'user,campaign'
        >>> joined_or_null('full_name,email')
        'full_name,email'
    """
    if isinstance(arr, six.string_types):
        return arr or 'null'
    if not arr:
        return 'null'
    return ','.join(arr)


def build_url(path, includes=None, fields=None):
    """Append ``include`` and ``fields[type]`` parameters to ``path``.

    Parameters are sorted by name and percent-encoded (Patreon refuses raw
    brackets)::

        >>> build_url('campaigns', includes=['tiers'], fields={'tier': ['title']})
        'campaigns?fields%5Btier%5D=title&include=tiers'

    :param path: a path or URL, which may already carry a query string.
    :param includes: relationship names (a list, or one comma-separated string).
    :param fields: a dict of JSON:API type to attribute names (a list, or one comma-separated string).
    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) when ``includes`` or ``fields`` has another
        shape, or holds a name that cannot be sent (not a string, a lone surrogate, bytes not UTF-8).
    """
    include, field_lists = query_names(includes, fields)
    return url_with(path, include, field_lists)


