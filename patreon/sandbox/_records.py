"""The sandbox's in-memory records: the world's users, campaigns, tiers, members...

Records hold data only; how they look on the wire is :mod:`.resources`' job.
Times are stored as integer seconds relative to the world's epoch (cheap to
create by the hundred thousand) and turned into ISO 8601 strings on output.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import datetime
import time

#: Patreon's timestamp shape: ``2026-10-01T08:00:00.000+00:00``.
TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.000+00:00'

DAY = 86400


def utc_now():
    """The current UTC time as a naive datetime (``utcnow()`` without its deprecation on 3.12+)."""
    return datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=time.time())


def format_time(epoch, offset):
    """Render ``offset`` seconds after ``epoch`` (a naive UTC datetime), or None."""
    if offset is None:
        return None
    return (epoch + datetime.timedelta(seconds=offset)).strftime(TIME_FORMAT)


class User(object):
    """A Patreon user: a creator or a patron (``bits`` seeds the derived details)."""

    __slots__ = ('id', 'first_name', 'last_name', 'suffix', 'created', 'bits', 'is_creator',
                 'campaign_id', 'membership_ids', 'vanity')
    type = 'user'

    def __init__(self, user_id, first_name, last_name, created, bits, suffix=''):
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.suffix = suffix
        self.created = created
        self.bits = bits
        self.is_creator = False
        self.campaign_id = None
        self.membership_ids = []
        self.vanity = None

    @property
    def full_name(self):
        return '%s %s%s' % (self.first_name, self.last_name, self.suffix)


class Member(object):
    """A user's membership of a campaign.

    ``tier_id`` is the tier of the current (or, for former patrons, last)
    pledge; ``entitled`` says whether that tier's benefits apply right now.
    ``events`` stays None until something happens to the member: until then
    its pledge history is derived from its fields.
    """

    __slots__ = ('id', 'index', 'campaign_id', 'user_id', 'patron_status', 'tier_id', 'entitled',
                 'will_pay_amount_cents', 'lifetime_cents', 'start', 'last_charge_date',
                 'last_charge_status', 'next_charge_date', 'cadence', 'is_free_trial', 'is_gifted',
                 'address_id', 'note', 'bits', 'events')
    type = 'member'

    def __init__(self, member_id, index, campaign_id, user_id, bits):
        self.id = member_id
        self.index = index
        self.campaign_id = campaign_id
        self.user_id = user_id
        self.bits = bits
        self.patron_status = None
        self.tier_id = None
        self.entitled = False
        self.will_pay_amount_cents = 0
        self.lifetime_cents = 0
        self.start = None
        self.last_charge_date = None
        self.last_charge_status = None
        self.next_charge_date = None
        self.cadence = None
        self.is_free_trial = False
        self.is_gifted = False
        self.address_id = None
        self.note = ''
        self.events = None

    def entitled_amount_cents(self, tier):
        """``currently_entitled_amount_cents`` as Patreon reports it for this member of ``tier``.

        0 when not entitled and for a gift (whose tier still applies); a year's amount for an annual
        pledge (``cadence`` 12), the month's otherwise: ``member.entitled_amount_cents(tier)  # 12000``.
        """
        if not self.entitled or self.is_gifted or tier is None:
            return 0
        return tier.amount_cents * (self.cadence or 1)


class Campaign(object):
    """A creator's campaign; ``member_ids`` and ``post_ids`` are the paging indexes."""

    type = 'campaign'

    def __init__(self, campaign_id, creator_id, creation_name, vanity, created_at):
        self.id = campaign_id
        self.creator_id = creator_id
        self.creation_name = creation_name
        self.vanity = vanity
        self.created_at = created_at
        self.summary = ''
        self.one_liner = ''
        self.is_nsfw = False
        self.has_rss = False
        self.discord_server_id = None
        self.tier_ids = []
        self.benefit_ids = []
        self.goal_ids = []
        self.member_ids = []
        self.post_ids = []
        self.patron_count = 0


class Tier(object):
    """A reward tier; ``patron_count`` is kept in step with the members."""

    type = 'tier'

    def __init__(self, tier_id, campaign_id, title, amount_cents, description, created_at):
        self.id = tier_id
        self.campaign_id = campaign_id
        self.title = title
        self.amount_cents = amount_cents
        self.description = description
        self.created_at = created_at
        self.requires_shipping = False
        self.user_limit = None
        self.discord_role_ids = []
        self.benefit_ids = []
        self.patron_count = 0
        self.post_count = 0


class Benefit(object):
    """A benefit promised by some tiers."""

    type = 'benefit'

    def __init__(self, benefit_id, campaign_id, title, benefit_type, created_at):
        self.id = benefit_id
        self.campaign_id = campaign_id
        self.title = title
        self.benefit_type = benefit_type
        self.created_at = created_at
        self.tier_ids = []


class Goal(object):
    """A (deprecated) campaign goal; campaigns have none, as on Patreon today."""

    type = 'goal'


class Post(object):
    """A post; ``tier_ids`` lists the tiers that may read a non-public post."""

    type = 'post'

    def __init__(self, post_id, campaign_id, user_id, title, content, published_at):
        self.id = post_id
        self.campaign_id = campaign_id
        self.user_id = user_id
        self.title = title
        self.content = content
        self.published_at = published_at
        self.is_public = True
        self.is_paid = False
        self.tier_ids = []


class Address(object):
    """A member's shipping address, derived from the member on demand."""

    type = 'address'

    def __init__(self, member):
        self.id = member.address_id
        self.member = member


class PledgeEvent(object):
    """One entry of a member's pledge history."""

    type = 'pledge-event'

    def __init__(self, event_id, member, kind, date, tier, amount_cents, payment_status,
                 pledge_payment_status):
        self.id = event_id
        self.member = member
        self.kind = kind
        self.date = date
        self.tier = tier
        self.amount_cents = amount_cents
        self.payment_status = payment_status
        self.pledge_payment_status = pledge_payment_status
