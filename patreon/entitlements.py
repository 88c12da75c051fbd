"""Decide whether a member may see what a paying patron sees, as Patreon entitles it now.

The rules, case by case and option by option, and where each comes from, are in the guide "Gating by tier"
(docs/entitlements.md).

Usage::

    from patreon.entitlements import REQUIRED_FIELDS, TIER_FIELDS, is_active_patron

    member = api.get_members_by_id(member_id, includes=['currently_entitled_tiers'],
                                   fields={'member': REQUIRED_FIELDS, 'tier': TIER_FIELDS}).data()
    if is_active_patron(member, min_tier=gold_tier):  # Gold, or a dearer tier
        ...
"""
from __future__ import division, unicode_literals

import calendar
import math

import six

from .exceptions import InvalidArgument, PatreonError
from .jsonapi.parser import JSONAPIParser
from ._patterns import LazyPattern

__all__ = ['REQUIRED_FIELDS', 'TIER_FIELDS', 'PLEDGE_EVENT_FIELDS', 'ACTIVE_PATRON', 'DECLINED_PATRON', 'FORMER_PATRON',
           'MissingFieldError', 'is_active_patron', 'pledged_tier_id', 'entitled_tier_ids', 'monthly_amount_cents']

#: The member attributes the decision reads; ask for them with ``fields={'member': REQUIRED_FIELDS}``.
REQUIRED_FIELDS = ['patron_status', 'currently_entitled_amount_cents', 'pledge_cadence', 'is_free_trial',
                   'is_gifted']

#: The tier attributes ``min_tier=`` (and ``min_amount_cents=`` for a gift) read: ``fields={'tier': TIER_FIELDS}``.
TIER_FIELDS = ['amount_cents']

#: The pledge-event attributes that name the tier of a member whose tier was deleted, with
#: ``includes=['pledge_history']`` and ``fields={'pledge-event': PLEDGE_EVENT_FIELDS}``.
PLEDGE_EVENT_FIELDS = ['date', 'tier_id']

ACTIVE_PATRON = 'active_patron'
DECLINED_PATRON = 'declined_patron'
FORMER_PATRON = 'former_patron'
_TIER_TYPE = 'tier'

_TIER_LISTS = (list, tuple, set, frozenset)

# Patreon's event dates: ISO 8601 with seconds, optional fraction, and Z or an offset.
_EVENT_DATE = LazyPattern(r'([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})?'
                          r'(Z|[+-][0-9]{2}:?[0-9]{2})\Z')


class MissingFieldError(PatreonError, ValueError):
    """The member (or a tier) lacks what the decision needs: it was not asked for.

    The message says what to request, for the route the member came from
    (``get_identity``'s ``memberships``, or the members routes and webhooks).

    :ivar field: the attribute or relationship missing, e.g. ``'is_gifted'``, or ``None``.
    """

    field = None


def is_active_patron(member, tier=None, min_amount_cents=None, allow_free_trial=True, allow_gifted=True,
                     min_tier=None, allow_declined=True, allow_former=True):
    """Whether Patreon entitles ``member`` to a paying patron's benefits now (optionally of a tier, or an amount).

    The rules case by case (declined, cancelled, a deleted tier with ``pledge_history``) are in
    docs/entitlements.md.

    :param member: a ``member`` :class:`~patreon.jsonapi.parser.JSONAPIResource` fetched with
        :data:`REQUIRED_FIELDS` and the ``currently_entitled_tiers`` relationship (with the tiers'
        :data:`TIER_FIELDS` for ``min_tier``, and for ``min_amount_cents`` on a gift).
    :param tier: a tier id, a tier resource, or a list of them: the member must be entitled to one of
        these very tiers.
    :param min_amount_cents: cents per month (an int, or a finite float): the member's monthly equivalent
        (``currently_entitled_amount_cents / pledge_cadence``; a gift's: its tier's ``amount_cents``) must
        reach it.
    :param allow_free_trial: ``bool``: count members in a free trial as paying.
    :param allow_gifted: ``bool``: count members whose membership was gifted as paying.
    :param allow_declined: ``bool``: count a ``declined_patron`` whom Patreon still entitles (its charge is being
        retried); ``False`` refuses every declined patron.
    :param allow_former: ``bool``: count a ``former_patron`` whom Patreon still entitles (cancelled, paid through
        the period); ``False`` refuses every former patron.
    :param min_tier: a tier resource with ``amount_cents``, or the id of a tier in the member's document
        with it: the member must be entitled to this tier or a dearer one.
    :returns: ``bool``; ``False`` for any value not of the type Patreon documents for its field.
    :raises MissingFieldError: the decision needs an attribute, relationship or tier price not fetched.
    :raises InvalidArgument: an option of the wrong type (e.g. ``min_amount_cents='500'``).

    Usage::

        member = api.get_members_by_id(member_id, includes=['currently_entitled_tiers'],
                                       fields={'member': REQUIRED_FIELDS, 'tier': TIER_FIELDS}).data()
        can_read = is_active_patron(member, min_tier=gold_tier, allow_free_trial=False)
    """
    minimum = _amount_option(min_amount_cents)
    for name, value in (('allow_free_trial', allow_free_trial), ('allow_gifted', allow_gifted),
                        ('allow_declined', allow_declined), ('allow_former', allow_former)):
        _bool_option(name, value)
    if isinstance(min_tier, _TIER_LISTS):
        raise InvalidArgument('min_tier takes one tier (the cheapest that opens the gate), not a list')
    attributes = member.attributes()
    status = _required(member, attributes, 'patron_status')
    if not isinstance(status, six.string_types):
        return False
    if isinstance(status, bytes):  # Python 2's native str: compared as text, without a UnicodeWarning
        status = status.decode('utf-8', 'replace')
    # Only a status Patreon documents counts; the entitlement decides, unless the caller refuses the status.
    if status not in _STATUSES or not {DECLINED_PATRON: allow_declined, FORMER_PATRON: allow_former}.get(
            status, True):
        return False
    amount = _required(member, attributes, 'currently_entitled_amount_cents')
    if not _is_count(amount) or amount < 0:
        return False  # null (never pledged), or not the count of cents Patreon documents
    paying = amount > 0
    # A gift is entitled with 0 cents; only a JSON true says so (never a truthy string or number). Unfetched, the
    # flag raises: a gifted patron refused for want of it would be locked out in silence.
    gift = not paying and _required(member, attributes, 'is_gifted') is True
    if not paying and not gift:
        return False
    # A refusal asked for must be checkable: an absent flag raises, anything but a JSON false refuses.
    if not allow_free_trial and _required(member, attributes, 'is_free_trial') is not False:
        return False
    if not allow_gifted and _required(member, attributes, 'is_gifted') is not False:
        return False
    if gift and not _has_real_tier(member):
        return False
    if minimum is not None and not _reaches(member, attributes, amount, paying, minimum):
        return False
    if tier is not None:
        wanted = set(_tier_id(item, 'tier') for item in (tier if isinstance(tier, _TIER_LISTS) else [tier]))
        if wanted.isdisjoint(_gate_tier_ids(member, paying)):
            return False
    if min_tier is not None:
        floor = _gate_price(member, min_tier)
        if floor is None or not any(price >= floor for price in _gate_tier_prices(member, paying)):
            return False
    return True


_STATUSES = (ACTIVE_PATRON, DECLINED_PATRON, FORMER_PATRON)


def _gate_tier_ids(member, paying):
    """The tiers ``tier=`` compares: the entitled ones, or for a paying member listed with none, the deleted tier."""
    entitled = entitled_tier_ids(member)
    if entitled or not paying:
        return entitled
    pledged = pledged_tier_id(member)
    return set([pledged]) if pledged is not None else set()


def _gate_tier_prices(member, paying):
    """The prices ``min_tier=`` compares; a deleted tier counts only with its price in the document."""
    if entitled_tier_ids(member) or not paying:
        return _entitled_tier_prices(member)
    pledged = pledged_tier_id(member)
    resource = None
    if pledged is not None and isinstance(member.document, JSONAPIParser):
        resource = member.document.find_resource_by_type_and_id(_TIER_TYPE, pledged)
    price = resource.attributes().get('amount_cents') if resource is not None else None
    # A deleted tier's price is gone (and an event's amount may be in the patron's currency): no price, no grant.
    return [price] if _is_count(price) and price >= 0 else []


def pledged_tier_id(member):
    """The ``tier_id`` of the member's latest pledge event, or ``None``: the tier of a patron whose tier was deleted.

    Patreon drops a deleted tier from ``currently_entitled_tiers`` while its patrons keep paying; their
    ``pledge_history`` still names it. Returns ``None`` when ``pledge_history`` was not included, is empty, or
    its latest event (by ``date``) names no tier or is not alone at that date with a different tier.

    :raises MissingFieldError: an event lacks ``date`` or ``tier_id`` (request :data:`PLEDGE_EVENT_FIELDS`).
    """
    info = member.relationship_info('pledge_history')
    references = info.resource_reference() if info is not None else None
    if not isinstance(references, list):
        return None  # not included: nothing is known of a deleted tier
    latest, tiers = None, set()
    for reference in references:
        event = reference.resource()
        attributes = event.attributes() if event is not None else {}
        for name in PLEDGE_EVENT_FIELDS:
            if name not in attributes:
                raise _missing(member, name, "pledge event {} has no '{}' attribute: request it with "
                               "fields={{'pledge-event': PLEDGE_EVENT_FIELDS}}".format(reference.id(), name))
        when = _event_time(attributes['date'])
        if when is None:
            return None  # an event of unknown date: which one is the latest cannot be vouched for
        if latest is None or when > latest:
            latest, tiers = when, set()
        if when == latest:
            tier_id = attributes['tier_id']
            tiers.add(tier_id if isinstance(tier_id, six.string_types) and tier_id else None)
    return tiers.pop() if len(tiers) == 1 else None


def _event_time(text):
    """Seconds since the epoch of an ISO 8601 date-time with a zone, or ``None`` for anything else."""
    match = _EVENT_DATE.match(text) if isinstance(text, six.string_types) else None
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    zone = match.group(7)
    offset = 0 if zone == 'Z' else (1 if zone[0] == '+' else -1) * (int(zone[1:3]) * 3600 + int(zone[-2:]) * 60)
    try:
        return calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)) - offset
    except (ValueError, OverflowError):
        return None


def entitled_tier_ids(member):
    """The ids of the tiers ``member`` is currently entitled to (needs the relationship, not the tiers' data).

    Only text ids count: a reference with no usable id names no tier.

    :raises MissingFieldError: the ``currently_entitled_tiers`` relationship was not requested.
    """
    return set(reference.id() for reference in _entitled_references(member))


def _entitled_references(member):
    """The entitled tiers' references; one that is not a ``tier`` with a text id names no tier."""
    return [reference for reference in _listed_references(member)
            if isinstance(reference.id(), six.string_types) and reference.type() == _TIER_TYPE]


def _listed_references(member):
    info = member.relationship_info('currently_entitled_tiers')
    if info is None:
        raise _missing(member, 'currently_entitled_tiers', "member {} has no 'currently_entitled_tiers' "
                       "relationship: request it with {}".format(member.id(), _hint(member, 'relationship')))
    references = info.resource_reference()
    # A to-many relationship is a list; anything else ({"data": null}, a lone object) lists no tier.
    return references if isinstance(references, list) else []


def _entitled_tier_prices(member):
    """The ``amount_cents`` of each entitled tier that has a usable one (others grant nothing)."""
    prices = []
    for reference in _entitled_references(member):
        resource = reference.resource()
        if resource is None or 'amount_cents' not in resource.attributes():
            raise _missing(member, 'amount_cents', "the price ('amount_cents') of tier {} the member is "
                           "entitled to was not fetched: request it with {}".format(
                               reference.id(), _hint(member, 'tier_price')))
        price = resource.attributes()['amount_cents']
        if _is_count(price) and price >= 0:
            prices.append(price)
    return prices


def _has_real_tier(member):
    """A gift needs a tier entitled; a tier whose fetched price is not a positive count is no real tier."""
    for reference in _entitled_references(member):
        resource = reference.resource()
        if resource is None or 'amount_cents' not in resource.attributes():
            return True  # the price was not fetched: the reference is the tier Patreon entitles
        price = resource.attributes()['amount_cents']
        if _is_count(price) and price > 0:
            return True
    return False


def _reaches(member, attributes, amount, paying, minimum):
    """Whether the monthly equivalent of the member's pledge (a gift's tier price) reaches ``minimum``."""
    if not paying:
        return any(price >= minimum for price in _entitled_tier_prices(member))
    cadence = _cadence(member, attributes)
    if not _is_count(cadence) or cadence < 1:
        return False  # cannot tell how many months the amount covers
    # amount / cadence >= minimum, without a float division: an annual 12000 is 1000 a month. A float minimum
    # is made exact first, so that no count is turned into a float (one past 1e308 would overflow).
    return amount >= (_exact(minimum) if isinstance(minimum, float) else minimum) * cadence


def _exact(number):
    """A float as the exact fraction it holds."""
    from fractions import Fraction  # here: on Python 2 it imports the pure-Python decimal, ~5 ms of `import patreon`
    return Fraction(number)


def monthly_amount_cents(member):
    """What the member's pledge is worth per month, in cents: ``currently_entitled_amount_cents / pledge_cadence``.

    An annual patron (``pledge_cadence`` 12) shows a year's amount: 12000 is 1000 a month; a null cadence (a
    free trial has sent one) is monthly, as Patreon's plugin reads it. An int when the
    division is exact, else a float; 0 for a member who pays nothing (free tier, gift, former patron);
    ``None`` when the values are not the counts Patreon documents (a text amount, a cadence of 0, ...).

    :raises MissingFieldError: ``currently_entitled_amount_cents``, or ``pledge_cadence`` for an amount, was
        not fetched.
    """
    attributes = member.attributes()
    amount = _required(member, attributes, 'currently_entitled_amount_cents')
    if amount == 0 and _is_count(amount):
        return 0
    cadence = _cadence(member, attributes)
    if not _is_count(amount) or amount < 0 or not _is_count(cadence) or cadence < 1:
        return None
    if amount % cadence == 0:
        return amount // cadence
    try:
        return amount / cadence  # true division of ints: correctly rounded, even for a huge cadence
    except OverflowError:
        return None  # a monthly worth no float holds is no count of cents Patreon documents


def _cadence(member, attributes):
    """``pledge_cadence``, null read as 1: Patreon documents it as nullable (a free trial has sent null) and its
    own plugin reads null as monthly."""
    cadence = _required(member, attributes, 'pledge_cadence')
    return 1 if cadence is None else cadence


def _gate_price(member, gate):
    """The ``amount_cents`` of the ``min_tier`` gate, or ``None`` when it is not a usable price."""
    gate_id = _tier_id(gate, 'min_tier')
    resource = gate if callable(getattr(gate, 'attributes', None)) else None
    if resource is None and callable(getattr(gate, 'resource', None)):
        resource = gate.resource()
    if resource is None and isinstance(member.document, JSONAPIParser):
        resource = _gate_tier_of_campaign(member, gate_id)
    if resource is None or 'amount_cents' not in resource.attributes():
        raise _missing(member, 'amount_cents', "the price ('amount_cents') of the min_tier {} is unknown: {}".format(
            gate_id, _hint(member, 'gate_price')))
    price = resource.attributes()['amount_cents']
    return price if _is_count(price) and price >= 0 else None


def _gate_tier_of_campaign(member, gate_id):
    """The gate's tier resource, found where every member of a page finds it: among the member's own entitled tiers
    or its campaign's ``tiers``, never as a tier another member of the same page happens to hold (a gate that
    worked on one page and raised on the next).

    :raises InvalidArgument: the campaign's tiers were fetched and do not list ``gate_id``.
    """
    listed = _campaign_tier_ids(member)
    if gate_id not in entitled_tier_ids(member) and (listed is None or gate_id not in listed):
        if listed is not None:
            from .jsonapi._known_names import _quoted
            raise InvalidArgument("min_tier {} is not a tier of the member's campaign (its tiers: {})".format(
                _quoted(gate_id), ', '.join(_quoted(tier_id) for tier_id in sorted(listed)) or 'none'))
        return None
    return member.document.find_resource_by_type_and_id(_TIER_TYPE, gate_id)


def _campaign_tier_ids(member):
    """The ids of the member's campaign's ``tiers``; None when the campaign or its tiers were not included, or
    when any of them is not a tier with a text id (a list that cannot be read is no list of the tiers)."""
    info = member.relationship_info('campaign')
    reference = info.resource_reference() if info is not None else None
    campaign = reference.resource() if callable(getattr(reference, 'resource', None)) else None
    tiers = campaign.relationship_info('tiers') if campaign is not None else None
    references = tiers.resource_reference() if tiers is not None else None
    if not isinstance(references, list):
        return None
    ids = [item.id() for item in references if item.type() == _TIER_TYPE]
    if len(ids) != len(references) or not all(isinstance(tier_id, six.text_type) for tier_id in ids):
        return None
    return set(ids)


def _is_count(value):
    """An integer, as Patreon documents amounts and cadences; never a bool, float, text or None."""
    return isinstance(value, six.integer_types) and not isinstance(value, bool)


def _amount_option(value):
    if value is None or _is_count(value):
        return value
    if isinstance(value, float) and not math.isnan(value) and not math.isinf(value):
        return value
    raise InvalidArgument('min_amount_cents must be a number of cents (an int or a finite float), not {}'.format(
        type(value).__name__))


def _bool_option(name, value):
    if not isinstance(value, bool):
        raise InvalidArgument('{} must be True or False, not {}'.format(name, type(value).__name__))


def _required(member, attributes, name):
    if name not in attributes:
        raise _missing(member, name, "the member has no '{}' attribute: request it with {}".format(
            name, _hint(member, 'attribute')))
    return attributes[name]


def _missing(member, field, message):
    error = MissingFieldError(message)
    error.field = field
    return error


def _reached_through_identity(member):
    """Whether ``member`` is a ``memberships`` entry of a ``get_identity`` document (whose data is the user)."""
    document = member.document
    data = document.json_data.get('data') if isinstance(document, JSONAPIParser) and isinstance(
        document.json_data, dict) else None
    return isinstance(data, dict) and data.get('type') == 'user'


#: What to request, by what is missing and the route the member came from.
_HINTS = {
    ('attribute', False): "fields={'member': REQUIRED_FIELDS}",
    ('attribute', True): "includes=['memberships'] and fields={'member': REQUIRED_FIELDS}",
    ('relationship', False): "includes=['currently_entitled_tiers']",
    ('relationship', True): "includes=['memberships', 'memberships.currently_entitled_tiers']",
    ('tier_price', False): "includes=['currently_entitled_tiers'] and fields={'tier': ['amount_cents']}",
    ('tier_price', True): ("includes=['memberships', 'memberships.currently_entitled_tiers'] and "
                           "fields={'tier': ['amount_cents']}"),
    ('gate_price', False): ("pass the tier resource, e.g. from api.get_campaigns_by_id(campaign_id, "
                            "includes=['tiers'], fields={'tier': ['amount_cents']}), or request the member with "
                            "includes=['currently_entitled_tiers', 'campaign.tiers'] and "
                            "fields={'tier': ['amount_cents']}"),
    ('gate_price', True): ("pass the tier resource, or request the identity with "
                           "includes=['memberships', 'memberships.currently_entitled_tiers', "
                           "'memberships.campaign.tiers'] and fields={'tier': ['amount_cents']}"),
}


def _hint(member, what):
    return _HINTS[(what, _reached_through_identity(member))]


def _tier_id(tier, option):
    """The text id a ``tier=``/``min_tier=`` item names (a tier resource or reference, text, UTF-8 bytes or an int).

    :raises InvalidArgument: anything else (``None``, a bool, a float, another type's resource), never compared as
    text.
    """
    if callable(getattr(tier, 'id', None)) and callable(getattr(tier, 'type', None)):
        if tier.type() != _TIER_TYPE or not isinstance(tier.id(), six.string_types):
            raise InvalidArgument('{} takes a tier resource with a text id, not a resource of type {}'.format(
                option, tier.type() if isinstance(tier.type(), six.string_types) else 'unknown'))
        return tier.id()
    if isinstance(tier, bytes):
        try:
            return tier.decode('utf-8')
        except UnicodeError:
            raise InvalidArgument('{} takes tier ids as text; these bytes are not UTF-8'.format(option))
    if isinstance(tier, six.string_types):
        return tier
    if _is_count(tier):
        return six.text_type(tier)
    raise InvalidArgument('{} takes a tier id (text or int) or a tier resource, not {}'.format(
        option, type(tier).__name__))
