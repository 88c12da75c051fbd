"""Checking what a caller gives before it goes into a URL or a form, and encoding it there.

What cannot be sent (a name that is not a string, text holding a lone surrogate, bytes that are not UTF-8, ``fields``
that is not a dict) raises :class:`~patreon.exceptions.InvalidArgument` (a ``ValueError``) naming the parameter,
never quoting the value.
"""
from __future__ import unicode_literals

import re

import six

# The standard library's URL functions, for the modules `import patreon` loads: six.moves would load three modules
# more.
try:
    from urllib.parse import parse_qs, quote, quote_plus, unquote, urlencode, urlsplit  # noqa: F401
except ImportError:  # Python 2
    from urllib import quote, quote_plus, unquote, urlencode  # type: ignore[attr-defined,no-redef] # noqa: F401
    from urlparse import parse_qs, urlsplit  # type: ignore[import-not-found,no-redef] # noqa: F401

from ._credentials import LONE_SURROGATE
from .exceptions import InvalidArgument

_DIGITS = re.compile(r'[0-9]+\Z')  # ASCII digits: int() also takes those of other scripts




def checked_bool(value, param):
    """``value`` when it is ``True`` or ``False``; :class:`~patreon.exceptions.InvalidArgument` for anything else.

    ``bool('false')`` is ``True``: an option that took any value would do the opposite of what a string from a
    form or an environment variable says.

    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) naming ``param`` and the type received.
    """
    if not isinstance(value, bool):
        raise InvalidArgument('{} must be True or False, not {}'.format(param, type(value).__name__))
    return value


def checked_count(value, param, what='a whole number', max_digits=18):
    """``value`` as an int above 0; a string of at most ``max_digits`` digits is taken too (as 0.5.1 sent them).

    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) "``param`` must be ``what`` above 0".
    """
    if isinstance(value, six.string_types) and _DIGITS.match(value.strip()) and len(value.strip()) <= max_digits:
        value = int(value)  # a bounded number of digits: int() of thousands raises on Python 3.11+
    if isinstance(value, bool) or not isinstance(value, six.integer_types) or value < 1:
        raise InvalidArgument('{} must be {} above 0, not {}'.format(
            param, what, value if isinstance(value, six.integer_types) and not isinstance(value, bool)
            else type(value).__name__))
    return value


def checked_list(values, param, expected, alone=()):
    """``values`` as a list (one value of an ``alone`` type as a list of one); its items are the caller's to check.

    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) "``param`` must be ``expected``" for ``None``,
        a dict (its keys are no list) and anything that cannot be iterated.
    """
    if alone and isinstance(values, alone) and not isinstance(values, bool):
        return [values]
    items = None
    if values is not None and not isinstance(values, dict):
        try:
            items = list(values)
        except TypeError:
            pass
    if items is None:
        raise InvalidArgument('{} must be {}, not {}'.format(param, expected, type(values).__name__))
    return items


def checked_text(value, param):
    """``value`` as text that can be sent as UTF-8.

    :param value: text, or UTF-8 bytes.
    :param param: the parameter's name, for the message (the value is never quoted).
    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) for anything else: another type, bytes that
        are not UTF-8, text holding a lone surrogate (``'\\ud800'``, or ``'\\udcff'`` from undecodable input).
    """
    if isinstance(value, bytes):
        try:
            return value.decode('utf-8')
        except UnicodeDecodeError:
            raise InvalidArgument('{} holds bytes that are not UTF-8 text'.format(param))
    if not isinstance(value, six.text_type):
        raise InvalidArgument('{} must be a string, not {}'.format(param, type(value).__name__))
    if LONE_SURROGATE.search(value):
        raise InvalidArgument('{} holds a lone surrogate, which cannot be sent as UTF-8'.format(param))
    return value


def names_text(names, param, separator=',', empty='null'):
    """Names given as a list (or any iterable) of strings, or one already-joined string, as one checked text.

    :param separator: what joins the names (``' '`` for OAuth scopes).
    :param empty: the value when no name is given (``'null'``: the API's "no attributes").
    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) when ``names`` is neither, or a name cannot
        be sent (see :func:`checked_text`).
    """
    if isinstance(names, (six.text_type, bytes)):
        return _trimmed(checked_text(names, param), separator) or empty
    items = checked_list(names, param, 'a list of names or one {}-separated string'.format(
        'comma' if separator == ',' else 'space'))
    texts = []
    for item in items:
        if not isinstance(item, (six.text_type, bytes)):
            raise InvalidArgument('{} must hold strings, not {}'.format(param, type(item).__name__))
        text = _trimmed(checked_text(item, param), separator)
        if text:
            texts.append(text)
    return separator.join(texts) or empty


def _trimmed(text, separator):
    """``text`` without blanks around its names, nor empty names: Patreon splits on the separator alone, so the
    ``' email'`` of ``'full_name, email'`` would name no field, and be dropped in silence."""
    parts = text.split() if separator == ' ' else text.split(separator)
    return separator.join(name for name in (part.strip() for part in parts) if name)


def query_names(includes=None, fields=None):
    """``includes`` and ``fields`` checked and joined: ``(include text or None, [(resource type, names text)])``.

    What :func:`build_url` sends, before it is encoded; :func:`url_with` puts it into a URL.

    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) as :func:`build_url` does.
    """
    include = names_text(includes, 'includes', empty=None) if includes else None  # blank: no include at all
    field_lists = []
    if fields:
        if not isinstance(fields, dict):
            raise InvalidArgument('fields must be a dict of resource type to attribute names, not {}'.format(
                type(fields).__name__))
        for resource_type, names in fields.items():
            if not isinstance(resource_type, (six.text_type, bytes)):
                raise InvalidArgument('fields must have resource types (strings) as keys, not {}'.format(
                    type(resource_type).__name__))
            resource_type = checked_text(resource_type, 'a resource type of fields')
            field_lists.append((resource_type, names_text(names, 'fields[{}]'.format(resource_type))))
    return include, field_lists


def url_with(path, include, field_lists):
    """``path`` with the ``include`` and ``fields[type]`` parameters of :func:`query_names`, sorted and encoded."""
    params = [('fields[{}]'.format(resource_type), names) for resource_type, names in field_lists]
    if include is not None:
        params.append(('include', include))
    if not params:
        return path
    params.sort()
    separator = '&' if '?' in path else '?'
    return path + separator + encode_query(params)


def encode_query(pairs):
    """Percent-encode ``(name, value)`` pairs in order; brackets and commas included.

    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) when a name or value is text holding a lone
        surrogate, which has no UTF-8 form; the message names the parameter and never quotes the value.
    """
    return urlencode([(_utf8(name, name), _utf8(value, name)) for name, value in pairs])


def _utf8(value, name):
    # Python 2's urlencode cannot encode non-ASCII unicode; bytes work on both.
    if isinstance(value, six.text_type):
        if LONE_SURROGATE.search(value):
            raise InvalidArgument('{} holds a lone surrogate, which cannot be sent as UTF-8'.format(
                LONE_SURROGATE.sub('?', name) if isinstance(name, six.text_type) else name.decode('utf-8', 'replace')))
        return value.encode('utf-8')
    return value
