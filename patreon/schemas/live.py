"""Field names of the ``live`` resource (JSON:API type ``live``): a live stream, in early access at Patreon.

``stream_key`` and ``rtmp_url`` (which may embed the key) are credentials: whoever has them streams as the
creator. Ask for them only where they are needed, and never log them.

Usage: ``api.get_lives_by_id(live_id, fields={'live': [live.Attributes.title, live.Attributes.state]})``
"""

__all__ = ['Attributes', 'Relationships', 'STATES']

from .._routes import LIVE_STATES as STATES  # ``pre_live`` -> ``live`` -> ``live_ended``, here too


class Attributes(object):
    """Attribute names of a ``live`` resource."""

    title = 'title'
    description = 'description'
    state = 'state'
    scheduled_for = 'scheduled_for'  # ISO 8601 date-time
    stream_key = 'stream_key'  # a credential
    rtmp_url = 'rtmp_url'  # a credential: it may embed the stream key


class Relationships(object):
    """Relationship names of a ``live`` resource."""

    campaign = 'campaign'
    live_access_rules = 'live_access_rules'
