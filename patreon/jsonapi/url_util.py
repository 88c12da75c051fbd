"""Build the ``include`` and ``fields[...]`` part of an API v2 query string."""
from __future__ import unicode_literals

import six
from six.moves.urllib.parse import urlencode


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
    :param fields: a dict of JSON:API type to attribute names.
    """
    params = []
    if includes:
        params.append(('include', joined_or_null(includes)))
    for resource_type, names in (fields or {}).items():
        params.append(('fields[{}]'.format(resource_type), joined_or_null(names)))
    if not params:
        return path
    params.sort()
    separator = '&' if '?' in path else '?'
    return path + separator + encode_query(params)


def encode_query(pairs):
    """Percent-encode ``(name, value)`` pairs in order; brackets and commas included.

    Usage::

        encode_query([('page[count]', 10), ('include', 'user,campaign')])
        # 'page%5Bcount%5D=10&include=user%2Ccampaign'
    """
    return urlencode([(_utf8(name), _utf8(value)) for name, value in pairs])


def _utf8(value):
    # Python 2's urlencode cannot encode non-ASCII unicode; bytes work on both.
    if isinstance(value, six.text_type):
        return value.encode('utf-8')
    return value
