"""Field names of the ``address`` resource (JSON:API type ``address``): a patron's shipping address.

Usage: ``fields = {'address': [address.Attributes.line_1, address.Attributes.city]}``
"""

__all__ = ['Attributes', 'Relationships']


class Attributes(object):
    """Attribute names of a ``address`` resource."""

    addressee = 'addressee'
    line_1 = 'line_1'
    line_2 = 'line_2'
    postal_code = 'postal_code'
    city = 'city'
    state = 'state'
    country = 'country'
    phone_number = 'phone_number'
    created_at = 'created_at'


class Relationships(object):
    """Relationship names of a ``address`` resource."""

    user = 'user'
    campaigns = 'campaigns'
