"""Decide whether a member may see what a paying patron sees.

Usage::

    from patreon.entitlements import REQUIRED_FIELDS, is_active_patron

    member = api.get_members_by_id(member_id, includes=['currently_entitled_tiers'],
                                   fields={'member': REQUIRED_FIELDS}).data()
    if is_active_patron(member, tier=GOLD_TIER_ID):
        ...

The rules, by Patreon's fields:

========================================  ==========================================
member                                    ``is_active_patron``
========================================  ==========================================
``patron_status`` is not ``active_patron`` ``False`` (declined, former, never pledged)
active, entitled to 0 cents (free tier)   ``False``: a follower on a free tier does not pay
active, paying                            ``True``
active, in a free trial                   ``True``; ``False`` with ``allow_free_trial=False``
active, membership gifted                 ``True``; ``False`` with ``allow_gifted=False``
``tier=`` not among entitled tiers        ``False``
entitled amount below ``min_amount_cents`` ``False``
========================================  ==========================================

A free trial or a gift is entitled without having paid; ``is_free_trial`` and
``is_gifted`` tell them apart, and the options let a gate refuse them.
"""
from __future__ import unicode_literals

import six

from .exceptions import PatreonError

#: The member attributes the decision reads; ask for them with ``fields={'member': REQUIRED_FIELDS}``.
REQUIRED_FIELDS = ['patron_status', 'currently_entitled_amount_cents', 'is_free_trial', 'is_gifted']

ACTIVE_PATRON = 'active_patron'


class MissingFieldError(PatreonError, ValueError):
    """The member resource lacks an attribute the decision needs (it was not asked for).

    Usage::

        try:
            paying = is_active_patron(member)
        except MissingFieldError:  # fetch the member again with fields={'member': REQUIRED_FIELDS}
            paying = None
    """


def is_active_patron(member, tier=None, min_amount_cents=None, allow_free_trial=True, allow_gifted=True):
    """Whether ``member`` is an active, paying patron (optionally of ``tier`` or at least an amount).

    :param member: a ``member`` :class:`~patreon.jsonapi.parser.JSONAPIResource`
        fetched with :data:`REQUIRED_FIELDS` (and the ``currently_entitled_tiers``
        relationship when ``tier`` is given).
    :param tier: a tier id, a tier resource, or a list of them: the member must be
        entitled to at least one.
    :param min_amount_cents: the member must be entitled to at least this much.
    :param allow_free_trial: count members in a free trial as paying.
    :param allow_gifted: count members whose membership was gifted as paying.
    :raises MissingFieldError: ``member`` lacks a needed attribute or relationship.

    Usage::

        member = api.get_members_by_id(member_id, includes=['currently_entitled_tiers'],
                                       fields={'member': REQUIRED_FIELDS}).data()
        can_read = is_active_patron(member, tier=[GOLD_TIER_ID, PLATINUM_TIER_ID], allow_free_trial=False)
    """
    attributes = member.attributes()
    if _required(attributes, 'patron_status') != ACTIVE_PATRON:
        return False
    amount = _required(attributes, 'currently_entitled_amount_cents') or 0
    if amount <= 0:
        return False
    if min_amount_cents is not None and amount < min_amount_cents:
        return False
    if not allow_free_trial and attributes.get('is_free_trial'):
        return False
    if not allow_gifted and attributes.get('is_gifted'):
        return False
    if tier is not None:
        wanted = set(_tier_id(item) for item in (tier if isinstance(tier, (list, tuple, set)) else [tier]))
        return not wanted.isdisjoint(entitled_tier_ids(member))
    return True


def entitled_tier_ids(member):
    """The ids of the tiers ``member`` is currently entitled to (needs the relationship, not the tiers' data).

    Usage::

        member = api.get_members_by_id(member_id, includes=['currently_entitled_tiers']).data()
        entitled_tier_ids(member)  # e.g. {'3', '7'}
    """
    info = member.relationship_info('currently_entitled_tiers')
    if info is None:
        raise MissingFieldError(
            "member {} has no 'currently_entitled_tiers' relationship: request it with "
            "includes=['currently_entitled_tiers']".format(member.id()))
    references = info.resource_reference() or []
    return set(reference.id() for reference in references)


def _required(attributes, name):
    if name not in attributes:
        raise MissingFieldError(
            "the member has no '{}' attribute: request it with fields={{'member': [{!r}, ...]}}".format(
                name, str(name)))
    return attributes[name]


def _tier_id(tier):
    if hasattr(tier, 'id') and callable(tier.id):
        return tier.id()
    return six.text_type(tier)
