"""Things that happen in the world (pledges, cancellations, posts) and the webhook bodies about them.

Each event mutates the world and returns the triggers it fires; callers hold
the world lock, render :func:`webhook_body` for each trigger, and hand the
bodies to the :class:`~.webhooks.WebhookHub` after releasing the lock.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import collections
from collections import OrderedDict

import six

from .._sandbox_actions import PLEDGE_KINDS
from ..webhooks import (MEMBERS_CREATE, MEMBERS_PLEDGE_CREATE, MEMBERS_PLEDGE_DELETE, MEMBERS_PLEDGE_UPDATE,
                        MEMBERS_UPDATE, POSTS_DELETE, POSTS_PUBLISH, POSTS_UPDATE)
from ._data import FIRST_NAMES, LAST_NAMES
from ._documents import Renderer
from ._messages import dump_json
from ._records import DAY, Member, Post, User
from ._resources import SELF_PATHS, View

#: What a ``members:*`` body includes, as Patreon sends it.
MEMBER_BODY_INCLUDE = OrderedDict((name, OrderedDict()) for name in
                                  ('user', 'currently_entitled_tiers', 'address', 'campaign'))  # type: OrderedDict
POST_BODY_INCLUDE = OrderedDict((name, OrderedDict()) for name in ('user', 'campaign'))  # type: OrderedDict
MONTH = 30 * DAY


def _tier(world, tier_id):
    try:
        return world.tiers[tier_id]
    except KeyError:
        raise ValueError('no tier %r in the sandbox' % (tier_id,))


def _member(world, member_id):
    """The member, kept by the world so that what happens to it lasts."""
    try:
        return world.members.keep(member_id)
    except KeyError:
        raise ValueError('no member %r in the sandbox' % (member_id,))


def _post(world, post_id):
    try:
        return world.posts[post_id]
    except KeyError:
        raise ValueError('no post %r in the sandbox' % (post_id,))


def _new_user(world):
    bits = world.rng.getrandbits(64)
    user = User(world.new_id('user'), FIRST_NAMES[bits % len(FIRST_NAMES)],
                LAST_NAMES[(bits >> 8) % len(LAST_NAMES)], world.now(), bits)
    return world.users.add(user)


def _membership(world, user, campaign_id):
    for member_id in user.membership_ids:
        if world.members[member_id].campaign_id == campaign_id:
            return world.members.keep(member_id)
    return None


YEAR = 365 * DAY


def _start_paying(world, member, tier, kind='monthly'):
    now = world.now()
    member.patron_status = 'active_patron'
    member.tier_id = tier.id
    member.entitled = True
    member.cadence = 12 if kind == 'annual' else 1
    member.is_free_trial = kind == 'free_trial'
    member.is_gifted = kind == 'gift'
    member.start = now
    if kind == 'gift':
        # Someone else paid: a real tier, 0 cents entitled, nothing to pay, no charge of the member's.
        member.will_pay_amount_cents = 0
        member.last_charge_date = member.last_charge_status = member.next_charge_date = None
    elif kind == 'free_trial':
        member.will_pay_amount_cents = tier.amount_cents
        member.last_charge_date, member.last_charge_status = None, 'Free Trial'
        member.next_charge_date = now + 7 * DAY
    else:
        amount = tier.amount_cents * member.cadence
        member.will_pay_amount_cents = amount
        member.last_charge_date, member.last_charge_status = now, 'Paid'
        member.next_charge_date = now + (YEAR if kind == 'annual' else MONTH)
        member.lifetime_cents += amount
    if tier.requires_shipping and member.address_id is None:
        member.address_id = world.new_id('address')


def pledge(world, tier_id, user_id=None, kind='monthly'):
    """A user (a new one when ``user_id`` is None) pledges to ``tier_id``.

    ``kind`` is one of :data:`PLEDGE_KINDS`: ``'annual'`` pays a year's amount
    (``pledge_cadence`` 12), ``'gift'`` entitles to the tier with 0 cents,
    ``'free_trial'`` pays nothing yet.
    A new membership fires ``members:create``; a paid tier fires
    ``members:pledge:create`` (the free tier makes a free member instead, firing
    ``members:update`` when the membership already existed).
    Returns ``(member, triggers)``; ValueError for unknown ids or kinds, or an active patron.
    """
    if kind not in PLEDGE_KINDS:
        raise ValueError('kind must be one of %s, not %r' % (', '.join(PLEDGE_KINDS), kind))
    tier = _tier(world, tier_id)
    if user_id is None:
        user = _new_user(world)
    elif user_id in world.users:
        user = world.users[user_id]
    else:
        raise ValueError('no user %r in the sandbox' % (user_id,))
    member = _membership(world, user, tier.campaign_id)
    triggers = []
    if member is None:
        member = Member(world.new_member_id(), world.member_count, tier.campaign_id, user.id, user.bits)
        member.events = []
        member.start = world.now()
        world.add_member(member)
        triggers.append(MEMBERS_CREATE)
    elif member.patron_status == 'active_patron':
        raise ValueError('member %s is already an active patron: use update_pledge()' % member.id)
    world.materialize_history(member)
    if tier.amount_cents == 0:
        member.tier_id, member.entitled = tier.id, True
        return member, triggers or [MEMBERS_UPDATE]
    _start_paying(world, member, tier, kind)
    world.new_pledge_event(member, 'pledge_start', tier, 'Free Trial' if kind == 'free_trial' else 'Paid')
    world.count_patron(member, +1)
    return member, triggers + [MEMBERS_PLEDGE_CREATE]


def update_pledge(world, member_id, tier_id):
    """An active patron moves to another paid tier of the same campaign.

    Fires ``members:pledge:update`` and ``members:update``.
    """
    member, tier = _member(world, member_id), _tier(world, tier_id)
    if member.patron_status != 'active_patron':
        raise ValueError('member %s is not an active patron: use pledge()' % member.id)
    if tier.campaign_id != member.campaign_id or tier.amount_cents == 0 or tier.id == member.tier_id:
        raise ValueError('tier %s is not another paid tier of the member\'s campaign' % tier.id)
    old_amount = world.tiers[member.tier_id].amount_cents
    world.count_patron(member, -1)
    member.tier_id = tier.id
    member.entitled = True
    if not member.is_gifted:
        member.will_pay_amount_cents = tier.amount_cents * (member.cadence or 1)
    if tier.requires_shipping and member.address_id is None:
        member.address_id = world.new_id('address')
    world.count_patron(member, +1)
    kind = 'pledge_upgrade' if tier.amount_cents > old_amount else 'pledge_downgrade'
    world.new_pledge_event(member, kind, tier)
    return member, [MEMBERS_PLEDGE_UPDATE, MEMBERS_UPDATE]


def cancel_pledge(world, member_id):
    """An active or declined patron cancels: they become a former patron at once.

    As on Patreon, an active patron keeps the tier and amount entitled (gift and free trial included) to the
    end of the period paid for (:func:`end_period` ends it); a declined one, who never paid this period, loses
    them at once. Fires ``members:pledge:delete``.
    """
    member = _member(world, member_id)
    if member.patron_status not in ('active_patron', 'declined_patron'):
        raise ValueError('member %s has no pledge to cancel' % member.id)
    world.count_patron(member, -1)
    world.materialize_history(member)
    if member.patron_status == 'declined_patron':
        _stop_entitling(member)
    member.patron_status = 'former_patron'
    member.will_pay_amount_cents = 0
    member.next_charge_date = None
    world.new_pledge_event(member, 'pledge_delete', world.tiers[member.tier_id], None, None)
    return member, [MEMBERS_PLEDGE_DELETE]


def _stop_entitling(member):
    member.entitled = False
    member.is_free_trial = False


def end_period(world, member_id):
    """The time Patreon still entitles a patron who no longer pays runs out.

    For a cancelled patron the period paid for ends; for a declined one the payment retries are over.
    Either way the member keeps its status and is entitled to nothing (no tier, 0 cents).
    Fires ``members:update``; ValueError for an unknown member, or one with no such period
    (an active patron, whose pledge renews, or a member entitled to nothing already).
    """
    member = _member(world, member_id)
    if member.patron_status not in ('former_patron', 'declined_patron') or not member.entitled:
        raise ValueError('member %s has no period to end: only a cancelled or declined patron still entitled has'
                         % member.id)
    _stop_entitling(member)
    return member, [MEMBERS_UPDATE]


def _tier_id_list(tier_ids):
    """Tier ids as a list of text without repeats: one id given alone is that id, never its characters."""
    if isinstance(tier_ids, six.string_types):
        tier_ids = [tier_ids]
    if not isinstance(tier_ids, (list, tuple)) or \
            not all(isinstance(tier_id, six.string_types) for tier_id in tier_ids):
        raise ValueError('tier_ids must be a tier id or a list of them, as text (ids are strings)')
    return list(collections.OrderedDict.fromkeys(tier_ids))


def publish_post(world, campaign_id, title, is_public=True, content=None, tier_ids=None):
    """The creator publishes a post (non-public ones go to ``tier_ids``, all paid tiers by default).

    Fires ``posts:publish``.
    """
    campaign = world.campaigns[campaign_id]
    if tier_ids is not None:
        tier_ids = _tier_id_list(tier_ids)
        for tier_id in tier_ids:
            if tier_id not in campaign.tier_ids:  # a public post's too: an id that names nothing is a mistake
                raise ValueError("no tier '%s' in the campaign" % (tier_id,))
    content = content if content is not None else '<p>%s</p>' % title
    post = Post(world.new_id('post'), campaign.id, campaign.creator_id, title, content, world.now())
    if not is_public:
        post.is_public = False
        post.tier_ids = list(tier_ids) if tier_ids is not None else campaign.tier_ids[1:]
        for tier_id in post.tier_ids:
            _tier(world, tier_id).post_count += 1
    world.posts[post.id] = post
    campaign.post_ids.append(post.id)
    return post, [POSTS_PUBLISH]


def update_post(world, post_id, title=None, content=None):
    """The creator edits a post. Fires ``posts:update``."""
    post = _post(world, post_id)
    if title is not None:
        post.title = title
    if content is not None:
        post.content = content
    return post, [POSTS_UPDATE]


def delete_post(world, post_id):
    """The creator deletes a post. Fires ``posts:delete`` (the body is the post as it was)."""
    post = _post(world, post_id)
    del world.posts[post.id]
    world.campaigns[post.campaign_id].post_ids.remove(post.id)
    for tier_id in post.tier_ids:
        world.tiers[tier_id].post_count -= 1
    return post, [POSTS_DELETE]


def webhook_body(world, base_url, record):
    """The exact bytes Patreon would POST about ``record`` (a member or a post).

    A member document includes its user, entitled tiers, address and campaign;
    a post document its author and campaign; all with every attribute.
    """
    view = View(world, base_url, full=True)
    include = MEMBER_BODY_INCLUDE if record.type == 'member' else POST_BODY_INCLUDE
    renderer = Renderer(view, include=include, all_fields=True)
    links = OrderedDict([('self', view.api_url(SELF_PATHS[record.type] % record.id))])
    return dump_json(renderer.document(record, links=links))
