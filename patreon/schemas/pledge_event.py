"""Field names of the ``pledge-event`` resource (JSON:API type ``pledge-event``): one pledge history entry.

Usage: ``fields = {'pledge-event': [pledge_event.Attributes.type, pledge_event.Attributes.date]}``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``pledge-event`` resource."""

    amount_cents = 'amount_cents'
    currency_code = 'currency_code'
    date = 'date'
    payment_status = 'payment_status'
    pledge_payment_status = 'pledge_payment_status'
    tier_id = 'tier_id'
    tier_title = 'tier_title'
    type = 'type'


class Relationships(object):
    """Relationship names of a ``pledge-event`` resource."""

    campaign = 'campaign'
    patron = 'patron'
    tier = 'tier'
