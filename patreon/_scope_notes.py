"""What a 401 or 403 owes to the scopes of the token: a note added to the error's message."""
from __future__ import unicode_literals

import six

from .exceptions import InvalidArgument
from .scopes import required_scopes


def lacking_note(method, path, granted):
    """What a 401 or 403 to the call owes to ``granted``: ``'; the call needs the scope ...'`` when the token
    lacks the route's scope, else a note that the cause is unknown; ``None`` when ``granted`` is ``None``.

    Only the route's scope is named: Patreon refuses the call without it, while a scope that only adds data
    (an email, an address, the identity's campaign) leaves that data out instead.
    """
    if granted is None:
        return None
    # Without its query string, a path asks for its route's scope alone (none for includes or fields).
    if isinstance(path, bytes):
        path = path.partition(b'?')[0]
    elif isinstance(path, six.text_type):
        path = path.partition('?')[0]
    try:
        scope, = required_scopes(method, path)
    except InvalidArgument:
        return '; patreon.scopes knows no scope for this route: the cause is unknown'
    if scope in granted:
        return '; the access token has {}, the scope this route needs: the cause is unknown'.format(scope)
    return '; the call needs the scope {}, and the access token lacks it'.format(scope)


def explain_lacking(error, method, path, granted):
    """Add :func:`lacking_note` to a 401 or 403 ``error``'s message; other errors are left alone. Returns ``error``."""
    if getattr(error, 'status_code', None) not in (401, 403):
        return error
    note = lacking_note(method, path, granted)
    if note is not None:
        message = error.args[0] if error.args else ''
        error.args = (six.text_type('{}{}').format(message, note),) + tuple(error.args[1:])
    return error
