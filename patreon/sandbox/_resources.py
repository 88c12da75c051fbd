"""What each JSON:API resource type looks like: its attributes and relationships.

Every type of ``patreon-api-v2.md`` that the sandbox serves is described by a
:class:`ResourceType`: the attribute names in Patreon's order, a function that
computes them from a record, and the relationships that ``include`` may follow.
Who is asking (a :class:`View`) decides the privacy-sensitive parts: emails,
addresses and other people's memberships.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from collections import OrderedDict

from .._routes import ROUTES
from ..scopes import ALL
from ._lives import campaign_rules, live_access_rule_attributes, live_attributes, live_rules, rule_tier

#: Every scope of Patreon's API v2 (declared in patreon.scopes).
ALL_SCOPES = ALL

WEB_URL = 'https://www.patreon.com'
#: Images live on a host that can never resolve: nobody should fetch them.
IMAGE_URL = 'https://c10.patreonusercontent.invalid'

SOCIAL_PLATFORMS = ('deviantart', 'discord', 'facebook', 'google', 'instagram', 'reddit', 'spotify',
                    'twitch', 'twitter', 'vimeo', 'youtube')
#: ``(city, state, country, postal_code, street)`` for generated addresses.
PLACES = (
    ('Lyon', None, 'FR', '69002', 'rue de la R\xe9publique'),
    ('Portland', 'OR', 'US', '97205', 'SW Alder St'),
    ('Osaka', None, 'JP', '530-0001', 'Umeda'),
    ('Krak\xf3w', None, 'PL', '31-042', 'ul. Floria\u0144ska'),
    ('Toronto', 'ON', 'CA', 'M5V 2T6', 'King St W'),
    ('Bristol', None, 'GB', 'BS1 4DJ', 'Corn St'),
    ('S\xe3o Paulo', 'SP', 'BR', '01310-100', 'Avenida Paulista'),
)


class View(object):
    """Who is asking: the token's user, scopes and OAuth client (``full`` sees everything); ``identity``
    for the identity route, where campaigns need the campaigns scope.
    """

    def __init__(self, world, base_url, user_id=None, scopes=(), client_campaign_id=None, full=False,
                 identity=False):
        self.world = world
        self.base_url = base_url
        self.user_id = user_id
        self.scopes = frozenset(scopes)
        self.client_campaign_id = client_campaign_id
        self.full = full
        self.identity = identity

    def sees_campaigns(self):
        """Patreon's docs serve the campaigns ``identity`` includes (the user's own, its memberships') only to
        a token with the campaigns scope; elsewhere the route's own scope is enough."""
        return self.full or not self.identity or 'campaigns' in self.scopes

    def api_url(self, path):
        return '%s/api/oauth2/v2/%s' % (self.base_url, path)

    def sees_member_email(self):
        return self.full or 'campaigns.members[email]' in self.scopes

    def sees_user_email(self, user):
        if user.id == self.user_id:
            return self.full or 'identity[email]' in self.scopes
        return self.sees_member_email()

    def sees_addresses(self):
        return self.full or 'campaigns.members.address' in self.scopes

    def visible_memberships(self, user):
        """A user's own memberships need ``identity.memberships`` except the one to the client's
        campaign; other people's are visible only for the asker's own campaigns."""
        members = [self.world.members[member_id] for member_id in user.membership_ids]
        if self.full:
            return members
        if user.id == self.user_id:
            if 'identity.memberships' in self.scopes:
                return members
            return [m for m in members if m.campaign_id == self.client_campaign_id]
        campaigns = self.world.campaigns
        return [m for m in members if campaigns[m.campaign_id].creator_id == self.user_id]


class Relationship(object):
    """A relationship to ``target`` (a type name); ``resolve(record, view)`` gives the record(s)."""

    def __init__(self, target, many, resolve):
        self.target = target
        self.many = many
        self.resolve = resolve


class ResourceType(object):
    """A JSON:API type: ``attributes(record, view)`` returns every attribute, in order."""

    def __init__(self, name, attributes, relationships):
        self.name = name
        self.attributes = attributes
        self.relationships = relationships


def _one(target, resolve):
    return Relationship(target, False, resolve)


def _many(target, resolve):
    return Relationship(target, True, resolve)


def _campaign_of(record, view):
    return view.world.campaigns[record.campaign_id]


def _user_of(record, view):
    return view.world.users[record.user_id]


def _tiers_by_id(tier_ids, view):
    return [view.world.tiers[tier_id] for tier_id in tier_ids]


# -- attributes ----------------------------------------------------------------------------

def campaign_attributes(campaign, view):
    time = view.world.time
    return OrderedDict([
        ('created_at', time(campaign.created_at)),
        ('creation_name', campaign.creation_name),
        ('currency', 'USD'),
        ('discord_server_id', campaign.discord_server_id),
        ('google_analytics_id', None),
        ('has_rss', campaign.has_rss),
        ('has_sent_rss_notify', campaign.has_rss),
        ('image_small_url', '%s/campaign/%s/small.png' % (IMAGE_URL, campaign.id)),
        ('image_url', '%s/campaign/%s/banner.png' % (IMAGE_URL, campaign.id)),
        ('is_charged_immediately', False),
        ('is_monthly', True),
        ('is_nsfw', campaign.is_nsfw),
        ('main_video_embed', None),
        ('main_video_url', None),
        ('name', view.world.users[campaign.creator_id].full_name),
        ('one_liner', campaign.one_liner),
        ('patron_count', campaign.patron_count),
        ('pay_per_name', 'month'),
        ('pledge_url', '/checkout/%s' % campaign.id),
        ('published_at', time(campaign.created_at + 86400)),
        ('rss_artwork_url', '%s/campaign/%s/rss.png' % (IMAGE_URL, campaign.id) if campaign.has_rss else None),
        ('rss_feed_title', campaign.creation_name if campaign.has_rss else None),
        ('show_earnings', False),
        ('summary', campaign.summary),
        ('thanks_embed', None),
        ('thanks_msg', 'Thank you so much \u2764\ufe0f'),
        ('thanks_video_url', None),
        ('url', '%s/%s' % (WEB_URL, campaign.vanity)),
        ('vanity', campaign.vanity),
    ])


def tier_attributes(tier, view):
    time = view.world.time
    return OrderedDict([
        ('amount_cents', tier.amount_cents),
        ('created_at', time(tier.created_at)),
        ('description', tier.description),
        ('discord_role_ids', list(tier.discord_role_ids)),
        ('edited_at', time(tier.created_at + 7 * 86400)),
        ('image_url', None),
        ('patron_count', tier.patron_count),
        ('post_count', tier.post_count),
        ('published', True),
        ('published_at', time(tier.created_at)),
        ('remaining', None if tier.user_limit is None else max(0, tier.user_limit - tier.patron_count)),
        ('requires_shipping', tier.requires_shipping),
        ('title', tier.title),
        ('unpublished_at', None),
        ('url', '/checkout/%s?rid=%s' % (tier.campaign_id, tier.id)),
        ('user_limit', tier.user_limit),
    ])


def benefit_attributes(benefit, view):
    return OrderedDict([
        ('app_external_id', None),
        ('app_meta', None),
        ('benefit_type', benefit.benefit_type),
        ('created_at', view.world.time(benefit.created_at)),
        ('deliverables_due_today_count', 0),
        ('delivered_deliverables_count', 0),
        ('description', None),
        ('is_deleted', False),
        ('is_ended', False),
        ('is_published', True),
        ('next_deliverable_due_date', None),
        ('not_delivered_deliverables_count', 0),
        ('rule_type', 'benefit_tier'),
        ('tiers_count', len(benefit.tier_ids)),
        ('title', benefit.title),
    ])


def member_attributes(member, view):
    world = view.world
    user = world.users[member.user_id]
    tier = world.tiers.get(member.tier_id)
    attributes = OrderedDict([
        ('campaign_lifetime_support_cents', member.lifetime_cents),
        ('currently_entitled_amount_cents', member.entitled_amount_cents(tier)),
        ('email', _email(user)),
        ('full_name', user.full_name),
        ('is_follower', False),
        ('is_free_trial', member.is_free_trial),
        ('is_gifted', member.is_gifted),
        ('last_charge_date', world.time(member.last_charge_date)),
        ('last_charge_status', member.last_charge_status),
        ('lifetime_support_cents', 0),
        ('next_charge_date', world.time(member.next_charge_date)),
        ('note', member.note),
        ('patron_status', member.patron_status),
        ('pledge_cadence', member.cadence),
        ('pledge_relationship_start', world.time(member.start) if member.patron_status else None),
        ('will_pay_amount_cents', member.will_pay_amount_cents),
    ])
    if not view.sees_member_email():
        del attributes['email']
    return attributes


def _email(user):
    return 'patron.%s@example.org' % user.id if not user.is_creator else '%s@example.org' % user.vanity


def _social_connections(user):
    connections = OrderedDict((platform, None) for platform in SOCIAL_PLATFORMS)  # type: OrderedDict
    if user.bits % 3 == 0:
        connections['discord'] = OrderedDict([('user_id', '%d' % (10 ** 17 + user.bits % 10 ** 17)),
                                              ('url', None), ('scopes', ['identify', 'guilds.join'])])
    if user.bits % 7 == 0:
        connections['youtube'] = OrderedDict([('user_id', 'UC%d' % (user.bits % 10 ** 9)),
                                              ('url', 'https://youtube.invalid/channel/UC%d' % (user.bits % 10 ** 9)),
                                              ('scopes', [])])
    return connections


def user_attributes(user, view):
    time = view.world.time
    vanity = user.vanity
    attributes = OrderedDict([
        ('about', 'Making sounds since 2009.' if user.is_creator else None),
        ('can_see_nsfw', user.bits % 2 == 0),
        ('created', time(user.created)),
        ('email', _email(user)),
        ('first_name', user.first_name),
        ('full_name', user.full_name),
        ('hide_pledges', user.bits % 5 == 0),
        ('image_url', '%s/user/%s/avatar.png' % (IMAGE_URL, user.id)),
        ('is_creator', user.is_creator),
        ('is_email_verified', user.is_creator or user.bits % 11 != 0),
        ('last_name', user.last_name),
        ('like_count', user.bits % 97),
        ('social_connections', _social_connections(user)),
        ('thumb_url', '%s/user/%s/thumb.png' % (IMAGE_URL, user.id)),
        ('url', '%s/%s' % (WEB_URL, vanity) if vanity else '%s/user?u=%s' % (WEB_URL, user.id)),
        ('vanity', vanity),
    ])
    if not view.sees_user_email(user):
        del attributes['email']
    return attributes


def address_attributes(address, view):
    member = address.member
    bits = member.bits
    city, state, country, postal_code, street = PLACES[(bits >> 16) % len(PLACES)]
    return OrderedDict([
        ('addressee', view.world.users[member.user_id].full_name),
        ('city', city),
        ('country', country),
        ('created_at', view.world.time(member.start)),
        ('line_1', '%d %s' % (1 + bits % 180, street)),
        ('line_2', 'Apt %d' % (1 + (bits >> 8) % 40) if bits % 4 == 0 else None),
        ('phone_number', '+1 555 01%02d' % (bits % 100) if bits % 3 == 0 else None),
        ('postal_code', postal_code),
        ('state', state),
    ])


def pledge_event_attributes(event, view):
    return OrderedDict([
        ('amount_cents', event.amount_cents),
        ('currency_code', 'USD'),
        ('date', view.world.time(event.date)),
        ('payment_status', event.payment_status),
        ('pledge_payment_status', event.pledge_payment_status),
        ('tier_id', event.tier.id),
        ('tier_title', event.tier.title),
        ('type', event.kind),
    ])


def post_attributes(post, view):
    return OrderedDict([
        ('app_id', None),
        ('app_status', None),
        ('content', post.content),
        ('embed_data', None),
        ('embed_url', None),
        ('is_paid', post.is_paid),
        ('is_public', post.is_public),
        ('published_at', view.world.time(post.published_at)),
        ('tiers', list(post.tier_ids)),
        ('title', post.title),
        ('url', '/posts/%s-%s' % ('-'.join(post.title.lower().replace('#', '').split()), post.id)),
    ])


def webhook_attributes(webhook, view):
    return OrderedDict([
        ('last_attempted_at', view.world.time(webhook.last_attempted_at)),
        ('num_consecutive_times_failed', webhook.num_consecutive_times_failed),
        ('paused', webhook.paused),
        ('secret', webhook.secret),
        ('triggers', list(webhook.triggers)),
        ('uri', webhook.uri),
    ])


def client_attributes(client, view):
    return OrderedDict([
        ('author_name', view.world.users[client.user_id].full_name),
        ('category', 'Other'),
        ('client_secret', client.secret),
        ('default_scopes', 'identity identity[email]'),
        ('description', client.description),
        ('domain', None),
        ('icon_url', None),
        ('name', client.name),
        ('privacy_policy_url', None),
        ('redirect_uris', ' '.join(client.redirect_uris)),
        ('tos_url', None),
        ('version', 2),
    ])


# -- relationships -------------------------------------------------------------------------

def _member_address(member, view):
    return view.world.address(member) if view.sees_addresses() else None


def _entitled_tiers(member, view):
    return [view.world.tiers[member.tier_id]] if member.entitled else []


def _user_campaign(user, view):
    return view.world.campaigns.get(user.campaign_id)


def _event_campaign(event, view):
    return view.world.campaigns[event.member.campaign_id]


RESOURCE_TYPES = dict((resource.name, resource) for resource in (
    ResourceType('campaign', campaign_attributes, {
        'benefits': _many('benefit', lambda c, view: [view.world.benefits[i] for i in c.benefit_ids]),
        'creator': _one('user', lambda c, view: view.world.users[c.creator_id]),
        'goals': _many('goal', lambda c, view: []),
        'live_access_rules': _many('live-access-rule', campaign_rules),
        'tiers': _many('tier', lambda c, view: _tiers_by_id(c.tier_ids, view)),
    }),
    ResourceType('tier', tier_attributes, {
        'benefits': _many('benefit', lambda t, view: [view.world.benefits[i] for i in t.benefit_ids]),
        'campaign': _one('campaign', _campaign_of),
        'tier_image': _one('media', lambda t, view: None),
    }),
    ResourceType('benefit', benefit_attributes, {
        'campaign': _one('campaign', _campaign_of),
        'tiers': _many('tier', lambda b, view: _tiers_by_id(b.tier_ids, view)),
    }),
    # Campaigns have no goals and tiers no image, as on Patreon today: these never render.
    ResourceType('goal', lambda goal, view: OrderedDict(), {
        'campaign': _one('campaign', _campaign_of),
    }),
    ResourceType('member', member_attributes, {
        'address': _one('address', _member_address),
        'campaign': _one('campaign', _campaign_of),
        'currently_entitled_tiers': _many('tier', _entitled_tiers),
        'pledge_history': _many('pledge-event', lambda m, view: view.world.pledge_history(m)),
        'user': _one('user', _user_of),
    }),
    ResourceType('user', user_attributes, {
        'campaign': _one('campaign', _user_campaign),
        'memberships': _many('member', lambda u, view: view.visible_memberships(u)),
    }),
    ResourceType('address', address_attributes, {
        'campaigns': _many('campaign', lambda a, view: [_campaign_of(a.member, view)]),
        'user': _one('user', lambda a, view: _user_of(a.member, view)),
    }),
    ResourceType('pledge-event', pledge_event_attributes, {
        'campaign': _one('campaign', _event_campaign),
        'patron': _one('user', lambda e, view: _user_of(e.member, view)),
        'tier': _one('tier', lambda e, view: e.tier),
    }),
    ResourceType('post', post_attributes, {
        'campaign': _one('campaign', _campaign_of),
        'user': _one('user', _user_of),
    }),
    ResourceType('webhook', webhook_attributes, {
        'campaign': _one('campaign', _campaign_of),
        'client': _one('client', lambda w, view: w.client),
    }),
    ResourceType('client', client_attributes, {
        'campaign': _one('campaign', lambda c, view: view.world.campaigns.get(c.campaign_id)),
        'user': _one('user', _user_of),
    }),
    ResourceType('media', lambda media, view: OrderedDict(), {}),
    ResourceType('live', live_attributes, {
        'campaign': _one('campaign', _campaign_of),
        'live_access_rules': _many('live-access-rule', live_rules),
    }),
    ResourceType('live-access-rule', live_access_rule_attributes, {
        'tier': _one('tier', rule_tier),
    }),
))

#: The path of the route that serves one resource of a type (as patreon._routes declares it), for ``links.self``.
SELF_PATHS = dict((route.returns, route.path.replace('{id}', '%s')) for route in ROUTES.values()
                  if route.method == 'GET' and route.path_params and not route.pages)
#: Where ``links.related`` points for a relationship to a type; a user's is no route of API v2, as on Patreon.
RELATED_PATHS = {'campaign': SELF_PATHS['campaign'], 'user': 'user/%s'}

# What patreon.schemas (the one declaration of every type's fields) names and the sandbox never serves; it serves the
# rest whole, and tests/test_declarations.py fails when the two disagree. '*': every attribute of the type.
UNSERVED_TYPES = ('deliverable',)
UNSERVED_ATTRIBUTES = {
    'campaign': ('earnings_visibility',),  # gone from API v2 (patreon.schemas.all_fields leaves it out too)
    'goal': '*',  # campaigns have no goals on Patreon today
    'media': '*',  # nor tiers an image
}
UNSERVED_RELATIONSHIPS = {
    'benefit': ('campaign_installation', 'deliverables'),
    'campaign': ('campaign_installations', 'categories'),
    'client': ('apps', 'creator_token'),
}
