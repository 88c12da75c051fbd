"""Tokens, secrets, ids and the app's User-Agent as the caller gives them: whitespace stripped, the unsendable refused.

A token read from a file ends with a newline; ``requests`` would fail quoting ``Bearer <token>``.
"""
from __future__ import unicode_literals

import six

from .exceptions import InvalidArgument, InvalidCredential
from ._patterns import LazyPattern

# RFC 6749, appendix A: client ids, secrets, codes and tokens are VSCHAR, printable ASCII (%x20-7E). Anything else
# cannot go in a header on every Python (2.7 sends headers as ASCII).
_NOT_VSCHAR = LazyPattern('[^\x20-\x7e]')
# C0, DEL and C1 controls: never part of an id; non-ASCII ids are percent-encoded into the path.
_CONTROL = LazyPattern('[\x00-\x1f\x7f-\x9f]')
# A surrogate that is not half of a pair (Python 2 narrow builds hold astral characters as pairs). Python 3 cannot
# encode it, and Python 2 encodes it to bytes that are not UTF-8: either way it cannot be sent.
LONE_SURROGATE = LazyPattern('[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]')


def clean_credential(value, name):
    """``value`` (text or ASCII bytes) stripped, as text; the message names ``name``, never the value.

    :raises patreon.exceptions.InvalidCredential: not a string, blank, or a character outside printable ASCII.
    """
    if isinstance(value, bytes):
        try:
            value = value.decode('ascii')
        except UnicodeDecodeError:
            raise InvalidCredential('{} contains a character outside printable ASCII, which a token, id or '
                                    'secret never does'.format(name))
    elif not isinstance(value, six.text_type):
        raise InvalidCredential('{} must be a string, not {}'.format(name, type(value).__name__))
    value = value.strip()
    if not value:
        raise InvalidCredential('{} is empty'.format(name))
    unsendable = _NOT_VSCHAR.search(value)
    if unsendable is not None:
        kind = 'a control character' if _CONTROL.match(unsendable.group()) else 'a character outside printable ASCII'
        raise InvalidCredential('{} contains {}, which a token, id or secret never does'.format(name, kind))
    return value


def clean_resource_id(value, where):
    """The id ``value`` (a string or a number) stripped, as text; ``where`` (``'members/{id}'``) goes in the message.

    :raises patreon.exceptions.InvalidArgument: ``None``, blank, ``.`` or ``..``, a control character or a lone
    surrogate.
    """
    if value is None:
        raise InvalidArgument('the id of {} is None'.format(where))
    if isinstance(value, bytes):
        try:
            value = value.decode('utf-8')
        except UnicodeDecodeError:
            raise InvalidArgument('the id of {} is not UTF-8'.format(where))
    text = six.text_type(value).strip()
    if not text:
        raise InvalidArgument('the id of {} is empty'.format(where))
    if _CONTROL.search(text):
        raise InvalidArgument('the id of {} contains a control character'.format(where))
    if text in ('.', '..'):  # a dot segment: a client or server resolves it, and the request goes to another route
        raise InvalidArgument("the id of {} is '{}', which names no resource but a step in the path".format(
            where, text))
    if LONE_SURROGATE.search(text):  # e.g. '\\udcff' from an argument that was not UTF-8: no URL holds it
        raise InvalidArgument('the id of {} holds a lone surrogate, which cannot be sent as UTF-8'.format(where))
    return text


def checked_tokens(tokens, where, error=InvalidArgument):
    """``tokens`` when it is a dict with an ``access_token`` string; ``error`` (never quoting it) when not."""
    if not isinstance(tokens, dict) or not isinstance(tokens.get('access_token'), six.string_types):
        raise error('{} needs a token dict with an access_token, not {}'.format(
            where, 'a dict without one' if isinstance(tokens, dict) else type(tokens).__name__))
    return tokens


def check_user_agent(value, param='user_agent'):
    """``value`` as text fit for a header, stripped; ``None`` stays ``None``.

    :raises patreon.exceptions.InvalidArgument: (a ``ValueError``) not text (or UTF-8 bytes), empty, or with a
        character outside printable ASCII: a line break would split the header, and HTTP gives no other
        character one meaning.
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            value = value.decode('utf-8')
        except UnicodeError:
            raise InvalidArgument('{} must be text; these bytes are not UTF-8'.format(param))
    if not isinstance(value, six.string_types):
        raise InvalidArgument('{} must be text naming the app, not {}'.format(param, type(value).__name__))
    text = value.strip()
    if not text:
        raise InvalidArgument('{} is empty: name the app, e.g. "MyCampaignName - Sync App"'.format(param))
    if not _PRINTABLE_ASCII.match(text):
        raise InvalidArgument('{} may hold printable ASCII characters only (no line break, no accent)'.format(param))
    return six.text_type(text)


_PRINTABLE_ASCII = LazyPattern('[ -~]+\\Z')
