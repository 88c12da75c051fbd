"""Small helpers shared by the clients, and :func:`discord_user_id` for applications."""
import re

import requests
import six

from ._credentials import check_user_agent
from .exceptions import InvalidResponse
from .version import __version__

__all__ = ['user_agent_string', 'app_user_agent', 'discord_user_id']

_user_agent = []


def user_agent_string():
    """Return the ``User-Agent`` every request sends, computed once per process.

    ``platform.platform()`` reads the interpreter binary to find the libc
    version, so it is worth doing once rather than on every request::

        >>> user_agent_string()  # doctest: +SKIP
        'Patreon-Python, version 0.6.0, platform Linux-6.1-x86_64-with-glibc2.36'
    """
    if not _user_agent:
        import platform  # here, not at module level: it costs a millisecond of `import patreon`
        _user_agent.append('Patreon-Python, version {}, platform {}'.format(
            __version__, platform.platform()))
    return _user_agent[0]


def app_user_agent(app_name, session=None):
    """The ``User-Agent`` to send: the app's name first, then :func:`user_agent_string` (the package's).

    Patreon asks every app to name itself in its ``User-Agent`` (its example: ``"MyCampaignName - Sync
    App"``), and may drop calls without one with a 403. ``app_name`` (as :func:`check_user_agent` returns
    it) wins; else a ``User-Agent`` the app set on its ``session`` is kept (not ``requests``' default);
    else the package's alone, as 0.5.1 sent it.

    Usage::

        app_user_agent('Lunar Sync')  # 'Lunar Sync (Patreon-Python, version 0.6.0, platform Linux-...)'
    """
    if app_name is None:
        app_name = _session_user_agent(session)
    if app_name is None:
        return user_agent_string()
    if user_agent_string() in app_name:
        return app_name  # already names the package: the app composed it, or passed ours back
    return '{} ({})'.format(app_name, user_agent_string())


def _session_user_agent(session):
    """The app's ``User-Agent`` on ``session``, or ``None`` (none, or ``requests``' own default)."""
    headers = getattr(session, 'headers', None)
    value = headers.get('User-Agent') if hasattr(headers, 'get') else None
    if value is None:
        return None
    text = check_user_agent(value, "the session's User-Agent")
    return None if text == requests.utils.default_user_agent() else text


def discord_user_id(user):
    """The Discord id of a ``user`` resource, from its ``social_connections``; ``None`` when not linked or not fetched.

    Ask for the field: ``fields={'user': ['social_connections']}`` (on ``identity``, scope ``identity``; on a
    member's ``user``, include ``user`` with scope ``campaigns.members``). Patreon sends ``{"discord": null}`` when
    the person has not linked Discord.

    :param user: a :class:`~patreon.jsonapi.parser.JSONAPIResource` of type ``user``, or its resource dict.
    :returns: the id as text (Discord ids are numbers too large for some JSON readers, so keep them as text).
    :raises patreon.exceptions.InvalidResponse: (a ``ValueError``) when ``social_connections`` is there but not
        in Patreon's shape, or the Discord id is not a Discord id: such data cannot be vouched for.
    """
    resource = getattr(user, 'json_data', user)
    attributes = resource.get('attributes') if isinstance(resource, dict) else None
    if not isinstance(attributes, dict):
        return None
    connections = attributes.get('social_connections')
    if connections is None:
        return None
    if not isinstance(connections, dict):
        raise InvalidResponse('social_connections is {}, not an object of platforms'.format(
            type(connections).__name__))
    discord = connections.get('discord')
    if discord is None:
        return None
    user_id = discord.get('user_id') if isinstance(discord, dict) else None
    if isinstance(user_id, bool) or not isinstance(user_id, six.integer_types + six.string_types) or not re.match(
            r'^[0-9]{1,20}\Z', six.text_type(user_id)):
        raise InvalidResponse('social_connections.discord holds no Discord id (a number of up to 20 digits)')
    return six.text_type(user_id)
