"""Field names of the ``webhook`` resource (JSON:API type ``webhook``): where Patreon posts events.

Usage: ``api.get_webhooks(10, fields={'webhook': [webhook.Attributes.uri, webhook.Attributes.triggers]})``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``webhook`` resource."""

    triggers = 'triggers'
    uri = 'uri'
    paused = 'paused'
    last_attempted_at = 'last_attempted_at'
    num_consecutive_times_failed = 'num_consecutive_times_failed'
    secret = 'secret'


class Relationships(object):
    """Relationship names of a ``webhook`` resource."""

    client = 'client'
    campaign = 'campaign'
