"""Deterministic world generation: the same seed always builds the same world.

One ``random.Random(seed)`` drives everything, in a fixed order, so that two
sandboxes with the same seed answer byte for byte the same. Generation is
O(members) with three random draws per member; the rest of a member's details
(its user's name, address, pledge history) is derived from those draws only
when it is shown.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import datetime
import random

from ._records import (DAY, Address, Benefit, Campaign, Member, PledgeEvent, Post, Tier, User,
                      format_time, utc_now)

#: ``(title, amount_cents, requires_shipping, description)``, cheapest first; the first is free.
TIER_PLANS = (
    ('Free', 0, False, 'Public posts and the community tab, for free.'),
    ('Supporter', 300, False, 'Early access to every recording and my eternal thanks.'),
    ('Patron', 800, False, 'Everything above, plus the Discord and monthly behind-the-scenes posts.'),
    ('Producer', 2000, True, 'Everything above, plus a sample pack on USB every quarter.'),
    ('Executive Producer', 5000, True, 'Everything above, plus a vinyl pressing each year.'),
)
#: Cumulative percentages used to pick a paid tier (index 1..4) for a paying member.
PAID_TIER_ODDS = ((45, 1), (80, 2), (95, 3), (100, 4))

#: ``(title, benefit_type, index of the cheapest tier that has it)``.
BENEFIT_PLANS = (
    ('Early access to recordings', 'custom', 1),
    ('Discord role', 'discord_role', 2),
    ('Quarterly sample pack', 'custom', 3),
    ('Yearly vinyl', 'custom', 4),
)

FIRST_NAMES = (
    'Ada', 'Bruno', 'Chlo\xe9', 'Dmitri', '\xc9mile', 'Fatima', 'Grace', 'Hiro', 'In\xe8s', 'Jos\xe9',
    'Kai', 'L\xe9a', 'Mateo', 'Nadia', 'Olu', 'Priya', 'Quinn', 'Ren\xe9e', 'S\xf8ren', 'Tom\xe1s',
    'Uma', 'Vera', 'Wei', 'X\xf3chitl', 'Yusuf', 'Zo\xeb', '\u0141ucja', 'Ay\u015fe', 'Bj\xf6rn',
    'Ngozi', '\u7f8e\u54b2', '\u0410\u043b\u0435\u043a\u0441\u0435\u0439',
)
LAST_NAMES = (
    'Abara', 'Becker', 'Castillo', 'D\u0105browski', 'Eriksen', 'Fern\xe1ndez', 'G\xf3mez', 'Haddad',
    'Ivanova', 'J\xe4ger', 'Kowalski', 'Lindqvist', 'M\xfcller', 'Nakamura', 'Okafor', 'Petrov',
    'Quintero', 'Rossi', 'Sato', 'Tanaka', 'Ueda', 'Varga', 'W\xf3jcik', 'Xu', 'Y\u0131lmaz', 'Zhang',
    '\u5c71\u7530', '\xd8vergaard',
)
#: Some people put an emoji in their name; clients must survive it.
NAME_SUFFIXES = (' \U0001f3a7', ' \U0001f331', ' \u2728', ' \U0001f98a')
NOTES = ('Met at the spring meetup \u2615', 'Asked for a shout-out in the next video.',
         'Pays by PayPal; prefers email.')

#: The random bits of the user who never joined any campaign (the "non-patron" to log in as).
VISITOR_BITS = 0x5eed5eed5eed5eed

#: The other creators, whose campaigns the default patron also supports.
OTHER_CREATORS = (
    ('Nour', 'Haddad', 'ceramics videos', 'nourmakes'),
    ('Kenji', 'Watanabe', 'an indie game devlog', 'kenjidev'),
)


def _below(rng, n):
    """An int in [0, n) from ``rng.random()``, whose stream Python 2 and 3 share (``randint``'s differs)."""
    return int(rng.random() * n)


def _between(rng, low, high):
    """An int in [low, high], the same on Python 2 and 3 for the same seed."""
    return low + _below(rng, high - low + 1)


def month_start(now=None):
    """The first instant of the current UTC month: the default world epoch.

    Monthly charges happen on the 1st, so this keeps every generated
    ``last_charge_date`` in the past and every ``next_charge_date`` in the future.
    """
    now = now or utc_now()
    return datetime.datetime(now.year, now.month, 1)


def _next_month_offset(epoch):
    """Seconds from ``epoch`` to the first day of the following month."""
    year, month = (epoch.year + 1, 1) if epoch.month == 12 else (epoch.year, epoch.month + 1)
    return int((datetime.datetime(year, month, 1) - epoch).total_seconds())


def _plain_monthly(bits):
    """Adjust a member's draw so that it makes a plain monthly paying patron (no trial, no gift)."""
    return (bits & ~0xfff) | 0x1ff


def _uuid4_from_bits(n):
    """Format 128 random bits as a version-4 UUID string (cheaper than uuid.UUID)."""
    n = (n & ~(0xf000 << 64)) | (0x4000 << 64)
    n = (n & ~(0xc000 << 48)) | (0x8000 << 48)
    h = '%032x' % n
    return '%s-%s-%s-%s-%s' % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


class RecordTable(object):
    """Records by id: the ones stored, plus those that ``derive(id)`` rebuilds on demand.

    Generated members and their users are rebuilt from their random draws at
    each access rather than kept: a hundred thousand long-lived objects would
    slow down every full garbage collection, and with it every request. A
    record that changes is kept (:meth:`keep`) from then on.
    """

    def __init__(self, derive=None):
        self._stored = {}
        self.derive = derive or (lambda record_id: None)

    def add(self, record):
        self._stored[record.id] = record
        return record

    def get(self, record_id, default=None):
        record = self._stored.get(record_id)
        if record is None:
            record = self.derive(record_id)
        return default if record is None else record

    def __getitem__(self, record_id):
        record = self.get(record_id)
        if record is None:
            raise KeyError(record_id)
        return record

    def __contains__(self, record_id):
        return self.get(record_id) is not None

    def keep(self, record_id):
        """The record, stored so that changes to it last."""
        return self.add(self[record_id])


class World(object):
    """Everything the sandbox knows, indexed by id.

    ``epoch`` is the world's "start of this month" (naive UTC); every record
    time is an offset in seconds from it (see :meth:`now`).
    """

    def __init__(self, rng, epoch):
        self.rng = rng
        self.epoch = epoch
        self.clock_origin = month_start()
        self.users = RecordTable()
        self.members = RecordTable()
        self.campaigns = {}
        self.tiers = {}
        self.benefits = {}
        self.posts = {}
        self.main_campaign_id = None
        self.creator_user_id = None
        self.patron_user_id = None
        self.visitor_user_id = None
        self.member_count = 0
        self.history_base = 0
        self._next_ids = {}

    # -- ids and time ----------------------------------------------------------------------

    def start_ids(self, kind, first):
        """Numeric ids of ``kind`` continue from ``first``."""
        self._next_ids[kind] = first

    def new_id(self, kind):
        """Allocate the next numeric id (a string) of ``kind``."""
        return '%d' % self.reserve_ids(kind, 1)

    def reserve_ids(self, kind, count):
        """Allocate ``count`` consecutive ids of ``kind``; returns the first as an int."""
        first = self._next_ids[kind]
        self._next_ids[kind] = first + count
        return first

    def new_member_id(self):
        return _uuid4_from_bits(self.rng.getrandbits(128))

    def now(self):
        """The current world time, as an offset from the epoch.

        The world is as far into its epoch's month as the real clock was into
        its own month when the world was made (plus the time since), so data
        generated for any epoch stays consistent: last charges past, next
        charges ahead. With the default epoch, world time is real time.
        """
        return int((utc_now() - self.clock_origin).total_seconds())

    def time(self, offset):
        """ISO 8601 text for a world-time offset (None stays None)."""
        return format_time(self.epoch, offset)

    # -- derived records -------------------------------------------------------------------

    def address(self, member):
        """The member's address record, or None when it has none."""
        return Address(member) if member.address_id is not None else None

    def pledge_history(self, member):
        """The member's pledge events, oldest first."""
        if member.events is None:
            return self._derived_history(member)
        return member.events

    def materialize_history(self, member):
        """Freeze the derived history into ``member.events`` so events can append to it."""
        if member.events is None:
            member.events = self._derived_history(member)
        return member.events

    def _derived_history(self, member):
        tier = self.tiers.get(member.tier_id)
        if tier is None or tier.amount_cents == 0:
            return []  # never pledged: followers and free members have no pledge history
        campaign_tiers = self.campaigns[member.campaign_id].tier_ids
        position = campaign_tiers.index(tier.id)
        variant = (member.bits >> 24) % 4
        first_tier = tier
        if variant == 0 and position > 1:
            first_tier = self.tiers[campaign_tiers[position - 1]]
        elif variant == 1 and position + 1 < len(campaign_tiers):
            first_tier = self.tiers[campaign_tiers[position + 1]]
        if member.patron_status == 'former_patron' and member.entitled:
            end = member.last_charge_date + DAY // 2  # cancelled half a day after the period's charge
        elif member.patron_status == 'former_patron':
            end = member.start + _former_months(member) * 30 * DAY
        else:
            end = member.last_charge_date if member.last_charge_date is not None else 0
        ids = iter(range(self.history_base + member.index * 4, self.history_base + member.index * 4 + 4))
        start_status = 'Free Trial' if member.is_free_trial else 'Paid'
        cadence = member.cadence or 1  # an annual patron's events are for a year's amount
        events = [PledgeEvent('%d' % next(ids), member, 'pledge_start', member.start, first_tier,
                              first_tier.amount_cents * cadence, start_status, 'valid')]
        if first_tier is not tier:
            kind = 'pledge_upgrade' if tier.amount_cents > first_tier.amount_cents else 'pledge_downgrade'
            events.append(PledgeEvent('%d' % next(ids), member, kind, (member.start + end) // 2, tier,
                                      tier.amount_cents * cadence, 'Paid', 'valid'))
        if member.patron_status == 'declined_patron':
            events.append(PledgeEvent('%d' % next(ids), member, 'subscription', member.last_charge_date,
                                      tier, tier.amount_cents, 'Declined', 'declined'))
        elif member.patron_status == 'former_patron':
            events.append(PledgeEvent('%d' % next(ids), member, 'pledge_delete', end, tier,
                                      tier.amount_cents, None, None))
        return events

    def new_pledge_event(self, member, kind, tier, payment_status='Paid', pledge_payment_status='valid'):
        """Append an event happening now to the member's pledge history."""
        event = PledgeEvent(self.new_id('pledge-event'), member, kind, self.now(), tier,
                            tier.amount_cents * (member.cadence or 1), payment_status, pledge_payment_status)
        self.materialize_history(member).append(event)
        return event

    # -- bookkeeping -----------------------------------------------------------------------

    def add_member(self, member):
        self.members.add(member)
        self.campaigns[member.campaign_id].member_ids.append(member.id)
        self.users.keep(member.user_id).membership_ids.append(member.id)
        self.member_count += 1

    def count_patron(self, member, delta):
        """Add ``delta`` (+1/-1) to the patron counts that ``member`` contributes to."""
        if member.patron_status == 'active_patron':  # active patrons are always entitled to their tier
            self.campaigns[member.campaign_id].patron_count += delta
            self.tiers[member.tier_id].patron_count += delta


def _fill_active(member, tier, days, epoch_month, bits):
    member.patron_status = 'active_patron'
    member.tier_id = tier.id
    member.entitled = True
    member.cadence = 12 if (bits >> 8) & 0xf == 0 else 1
    kind = bits & 0xff
    # An annual pledge pays (and is entitled to) a year's amount at once, as Patreon reports it.
    yearly_or_monthly = tier.amount_cents * member.cadence
    if kind < 13:
        # A free trial started just before the month: the first charge comes with the next month.
        member.is_free_trial = True
        member.start = -(1 + (bits >> 19) % 6) * DAY
        member.last_charge_status = 'Free Trial'
        member.next_charge_date = epoch_month
        member.will_pay_amount_cents = yearly_or_monthly
    elif kind < 23:
        # Someone else paid for this membership: a real tier, 0 cents entitled, nothing to pay.
        member.is_gifted = True
        member.cadence = 1
        member.start = -days * DAY
    else:
        member.start = -days * DAY
        member.last_charge_status = 'Paid'
        member.will_pay_amount_cents = yearly_or_monthly
        if member.cadence == 12:
            member.last_charge_date = -((days // 30) % 12) * 30 * DAY  # next one: at least 35 days ahead
            member.next_charge_date = member.last_charge_date + 365 * DAY
            member.lifetime_cents = tier.amount_cents * 12 * (1 + days // 365)
        else:
            member.last_charge_date = 0
            member.next_charge_date = epoch_month
            member.lifetime_cents = tier.amount_cents * (1 + days // 30)


def _fill_declined(member, tier, days, bits):
    member.patron_status = 'declined_patron'
    member.tier_id = tier.id
    member.cadence = 1
    member.start = -days * DAY
    member.last_charge_status = 'Declined'
    member.will_pay_amount_cents = tier.amount_cents
    member.lifetime_cents = tier.amount_cents * (days // 30)
    if (bits >> 60) % 3 == 0:
        # This period's charge failed and Patreon is still retrying it: the tier stays entitled, as on patreon.com.
        member.last_charge_date = 0
        member.entitled = True
    else:
        # An earlier period's charge failed and the retries are over: Patreon entitles nothing.
        member.last_charge_date = max(member.start, -30 * DAY * (1 + (bits >> 61) % 3))


def _former_months(member):
    """How many months a (generated) former patron paid before leaving."""
    return 1 + (member.bits >> 40) % max(1, -member.start // (30 * DAY))


def _fill_former(member, tier, days, bits):
    member.patron_status = 'former_patron'
    member.tier_id = tier.id
    member.start = -days * DAY
    if (bits >> 62) % 3 == 0:
        # Cancelled just after this period's charge: former at once, entitled to the end of the period paid for.
        member.cadence = 1
        member.entitled = True
        member.last_charge_date = -(1 + (bits >> 56) % 5) * DAY
        member.last_charge_status = 'Paid'
        member.lifetime_cents = tier.amount_cents * (1 + days // 30)
        return
    months = _former_months(member)
    member.lifetime_cents = tier.amount_cents * months
    if (bits >> 46) % 2:
        member.last_charge_date = member.start + (months - 1) * 30 * DAY
        member.last_charge_status = 'Paid'


def _fill_never(member, free_tier, days, bits):
    member.start = -days * DAY
    if free_tier is not None and (bits >> 8) % 5 < 3:
        member.tier_id = free_tier.id
        member.entitled = True


def _new_user(world, first, last, created, bits):
    return world.users.add(User(world.new_id('user'), first, last, created, bits))


def _new_campaign(world, creator, creation_name, vanity, created_at, tier_plans):
    campaign = Campaign(world.new_id('campaign'), creator.id, creation_name, vanity, created_at)
    creator.is_creator = True
    creator.campaign_id = campaign.id
    creator.vanity = vanity
    world.campaigns[campaign.id] = campaign
    for title, amount, shipping, description in tier_plans:
        tier = Tier(world.new_id('tier'), campaign.id, title, amount, description, created_at + DAY)
        tier.requires_shipping = shipping
        world.tiers[tier.id] = tier
        campaign.tier_ids.append(tier.id)
    return campaign


def _new_post(world, campaign, title, content, published_at, rng):
    post = Post(world.new_id('post'), campaign.id, campaign.creator_id, title, content, published_at)
    paid_tiers = campaign.tier_ids[1:]
    if rng.random() >= 0.4 and paid_tiers:
        post.is_public = False
        post.tier_ids = paid_tiers[_below(rng, len(paid_tiers)):]
        post.is_paid = rng.random() < 0.2
        for tier_id in post.tier_ids:
            world.tiers[tier_id].post_count += 1
    world.posts[post.id] = post
    campaign.post_ids.append(post.id)
    return post


def _build_main_campaign(world, rng):
    creator = _new_user(world, 'Mira', 'Okonkwo', -2000 * DAY, rng.getrandbits(64))
    campaign = _new_campaign(world, creator, 'field recordings & modular synth jams', 'miraokonkwo',
                             -1900 * DAY, TIER_PLANS)
    campaign.summary = ('<p>Every month: a field recording from somewhere odd, a modular patch, '
                        'and the story behind both.</p>')
    campaign.one_liner = 'Sounds from odd places, every month.'
    campaign.has_rss = True
    campaign.discord_server_id = '%d' % _between(rng, 10 ** 17, 10 ** 18 - 1)
    tiers = [world.tiers[tier_id] for tier_id in campaign.tier_ids]
    for tier in tiers[1:]:
        tier.discord_role_ids = ['%d' % _between(rng, 10 ** 17, 10 ** 18 - 1)]
    for title, benefit_type, cheapest in BENEFIT_PLANS:
        benefit = Benefit(world.new_id('benefit'), campaign.id, title, benefit_type, -1800 * DAY)
        world.benefits[benefit.id] = benefit
        campaign.benefit_ids.append(benefit.id)
        for tier in tiers[cheapest:]:
            benefit.tier_ids.append(tier.id)
            tier.benefit_ids.append(benefit.id)
    world.main_campaign_id = campaign.id
    world.creator_user_id = creator.id
    return campaign


class GeneratedMembers(object):
    """The main campaign's generated members and their users, rebuilt from three random draws each.

    Only the draws are kept (a float, 64 bits, the member id); :meth:`member`
    and :meth:`user` rebuild the records, identical every time.
    """

    def __init__(self, world, campaign):
        self.world = world
        self.campaign_id = campaign.id
        self.tiers = [world.tiers[tier_id] for tier_id in campaign.tier_ids]
        # The paid tier of each percentile of (bits >> 12) % 100.
        self.tier_by_percentile = [self.tiers[next(index for limit, index in PAID_TIER_ODDS if pick < limit)]
                                   for pick in range(100)]
        self.next_month = _next_month_offset(world.epoch)
        self.user_base = self.address_base = 0
        self.ids = []
        self.positions = {}
        self.rolls = []
        self.bits = []

    def generate(self, rng, count):
        """The hot loop: three draws per member, and its contribution to the patron counts."""
        self.user_base = self.world.reserve_ids('user', count)
        self.address_base = self.world.reserve_ids('address', count)
        random_, getrandbits = rng.random, rng.getrandbits
        for index in range(count):
            roll, bits = random_(), getrandbits(64)
            member_id = _uuid4_from_bits(getrandbits(128))
            if index == 0:
                roll, bits = 0.0, _plain_monthly(bits)  # the default patron: a plain paying patron
            self.positions[member_id] = index
            self.ids.append(member_id)
            self.rolls.append(roll)
            self.bits.append(bits)
            self.world.count_patron(self.build(index), +1)
        self.world.member_count += count
        return self.ids

    def build(self, index):
        """Member ``index`` as generated."""
        roll, bits = self.rolls[index], self.bits[index]
        # The default patron (who approves OAuth requests) pays for the "Patron" tier.
        tier = self.tiers[2] if index == 0 else self.tier_by_percentile[(bits >> 12) % 100]
        days = 30 + (bits >> 19) % 1400
        member = Member(self.ids[index], index, self.campaign_id, '%d' % (self.user_base + index), bits)
        if roll < 0.62:
            _fill_active(member, tier, days, self.next_month, bits)
        elif roll < 0.74:
            _fill_declined(member, tier, days, bits)
        elif roll < 0.90:
            _fill_former(member, tier, days, bits)
        else:
            _fill_never(member, self.tiers[0], days, bits)
        if member.patron_status is not None and (tier.requires_shipping or (bits >> 48) % 3 == 0 or index == 0):
            member.address_id = '%d' % (self.address_base + index)
        if (bits >> 50) % 64 == 0:
            member.note = NOTES[(bits >> 58) % len(NOTES)]
        return member

    def member(self, member_id):
        index = self.positions.get(member_id)
        return None if index is None else self.build(index)

    def user(self, user_id):
        text = '%s' % (user_id,)
        index = int(text) - self.user_base if text.isdigit() else -1
        if not 0 <= index < len(self.ids):
            return None
        bits = self.bits[index]
        days = 30 + (bits >> 19) % 1400
        user = User(text, FIRST_NAMES[(bits >> 32) % len(FIRST_NAMES)], LAST_NAMES[(bits >> 40) % len(LAST_NAMES)],
                    -(days + 20) * DAY, bits)
        if (bits >> 52) % 16 == 0:
            user.suffix = NAME_SUFFIXES[(bits >> 56) % len(NAME_SUFFIXES)]
        user.membership_ids.append(self.ids[index])
        return user


def _build_members(world, campaign, count, rng):
    generated = GeneratedMembers(world, campaign)
    campaign.member_ids.extend(generated.generate(rng, count))
    world.members.derive = generated.member
    world.users.derive = generated.user


def _build_posts(world, campaign, count, rng):
    titles = ('Field notes', 'Patch of the month', 'Studio diary', 'Q&A', 'Sample pack')
    for j in range(count):
        title = '%s #%d' % (titles[j % len(titles)], j + 1)
        content = '<p>%s: what I recorded, how, and why.</p>' % title
        _new_post(world, campaign, title, content, -(count - j) * 3 * DAY - 18 * 3600, rng)


def _build_other_campaigns(world, patron, rng):
    """Two more campaigns that the default patron (and a couple of others) support."""
    neighbours = [world.users[world.members[member_id].user_id]
                  for member_id in world.campaigns[world.main_campaign_id].member_ids[1:3]]
    plans = (TIER_PLANS[0], ('Supporter', 500, False, 'Thank you!'))
    for first, last, creation_name, vanity in OTHER_CREATORS:
        creator = _new_user(world, first, last, -1500 * DAY, rng.getrandbits(64))
        campaign = _new_campaign(world, creator, creation_name, vanity, -1400 * DAY, plans)
        tier = world.tiers[campaign.tier_ids[1]]
        for user in [patron] + neighbours:
            bits = _plain_monthly(rng.getrandbits(64))
            member = Member(world.new_member_id(), world.member_count, campaign.id, user.id, bits)
            _fill_active(member, tier, 30 + bits % 400, _next_month_offset(world.epoch), bits)
            world.add_member(member)
            world.count_patron(member, +1)
        _new_post(world, campaign, 'Hello from %s' % first, '<p>Welcome!</p>', -10 * DAY, rng)


def generate_world(seed=0, members=100, posts=25, epoch=None):
    """Build a world from ``seed``: a creator's campaign with ``members`` members and ``posts`` posts."""
    rng = random.Random(seed)
    world = World(rng, epoch or month_start())
    world.start_ids('campaign', _between(rng, 100000, 899999))
    world.start_ids('user', _between(rng, 10 ** 7, 8 * 10 ** 7))
    world.start_ids('tier', _between(rng, 10 ** 6, 8 * 10 ** 6))
    world.start_ids('benefit', _between(rng, 10 ** 6, 8 * 10 ** 6))
    world.start_ids('post', _between(rng, 10 ** 7, 8 * 10 ** 7))
    world.start_ids('address', _between(rng, 10 ** 6, 8 * 10 ** 6))
    world.start_ids('webhook', _between(rng, 1000, 9000))
    history_base = _between(rng, 10 ** 8, 8 * 10 ** 8)
    world.history_base = history_base
    campaign = _build_main_campaign(world, rng)
    _build_members(world, campaign, members, rng)
    if members:
        patron = world.users[world.members[campaign.member_ids[0]].user_id]
    else:
        patron = _new_user(world, 'Ada', 'Reader', -900 * DAY, rng.getrandbits(64))
    world.patron_user_id = patron.id
    _build_posts(world, campaign, posts, rng)
    _build_other_campaigns(world, patron, rng)
    # Someone who never joined the campaign, to log in as; fixed details, so no draw changes the rest.
    world.visitor_user_id = _new_user(world, 'Noa', 'Visitor', -400 * DAY, VISITOR_BITS).id
    # Events number their pledge events after every derived one.
    world.start_ids('pledge-event', history_base + 4 * (world.member_count + 1))
    return world
