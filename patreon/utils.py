"""Small helpers shared by the clients, and :func:`discord_user_id` for applications."""
import re

import six

from .exceptions import InvalidResponse
from .version import __version__

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


def discord_user_id(user):
    """The Discord id of a ``user`` resource, from its ``social_connections``; ``None`` when not linked or not fetched.

    Ask for the field: ``fields={'user': ['social_connections']}`` (on ``identity``, scope ``identity``; on a
    member's ``user``, include ``user`` with scope ``campaigns.members``). Patreon sends ``{"discord": null}`` when
    the person has not linked Discord.

    :param user: a :class:`~patreon.jsonapi.parser.JSONAPIResource` of type ``user``, or its resource dict.
    :returns: the id as text (Discord ids are numbers too large for some JSON readers, so keep them as text).
    :raises patreon.exceptions.InvalidResponse: (a ``ValueError``) when ``social_connections`` is there but not
        in Patreon's shape, or the Discord id is not a Discord id: such data cannot be vouched for.

    Usage::

        from patreon.utils import discord_user_id

        user = api.get_identity(fields={'user': ['social_connections']}).data()
        discord_id = discord_user_id(user)  # '123456789012345678', or None
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
