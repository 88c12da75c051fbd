"""The sandbox's ``/oauth2/become-patron``: a pledge of at least ``min_cents``, then the redirect with a code.

Patreon takes the person through pledging to the client's campaign and back
like ``/oauth2/authorize``. The sandbox does it at once: the user (the
default patron, or ``sandbox_user``) pledges to the cheapest paid tier worth
``min_cents`` or more (moving up to it when their pledge is smaller; an
active pledge already worth it stays), with the webhooks a pledge delivers,
and is then redirected with a code as ``authorize`` does. Anything wrong is
found before the pledge: nothing changes on a refused request.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import re

from ._messages import html_response
from ._oauth import _redirect
from ._resources import ALL_SCOPES


def become_patron(sandbox, request):
    """Answer ``GET /oauth2/become-patron`` (see the module's docstring)."""
    oauth, world = sandbox.oauth, sandbox.world
    client = oauth.clients.get(request.param('client_id'))
    if client is None:
        return html_response(400, 'Invalid client', 'Unknown client_id.')
    redirect_uri = request.param('redirect_uri')
    if redirect_uri not in client.redirect_uris:
        return html_response(400, 'Invalid redirect_uri', 'The redirect_uri is not registered for this client.')
    state = request.param('state')
    if request.param('response_type') != 'code':
        return _redirect(redirect_uri, [('error', 'unsupported_response_type')], state)
    if [scope for scope in (request.param('scope') or '').split() if scope not in ALL_SCOPES]:
        return _redirect(redirect_uri, [('error', 'invalid_scope')], state)
    min_cents = request.param('min_cents') or ''
    if not re.match(r'^[0-9]{1,9}$', min_cents):
        return _redirect(redirect_uri, [('error', 'invalid_request'),
                                        ('error_description', 'min_cents must be a whole number of cents')], state)
    user_id = request.param('sandbox_user') or world.patron_user_id
    with sandbox.lock:
        user = world.users.get(user_id)
        if user is None:
            return html_response(400, 'Unknown user', 'sandbox_user is not a user of this sandbox.')
        tier = _cheapest_tier(world, client.campaign_id, int(min_cents))
        if tier is None:
            return _redirect(redirect_uri, [('error', 'invalid_request'), (
                'error_description', 'no tier of this campaign costs min_cents or more')], state)
        member = _membership(world, user, client.campaign_id)
        pledged = member is not None and member.patron_status == 'active_patron'
        enough = pledged and world.tiers[member.tier_id].amount_cents >= int(min_cents)
    # Outside the lock: a pledge delivers its webhooks, whose receivers may call the sandbox.
    if pledged and not enough:
        sandbox.update_pledge(member.id, tier.id)
    elif not pledged:
        sandbox.pledge(tier.id, user_id)
    return oauth.authorize(request, world.users, user_id)


def _cheapest_tier(world, campaign_id, min_cents):
    tiers = [world.tiers[tier_id] for tier_id in world.campaigns[campaign_id].tier_ids]
    worth = [tier for tier in tiers if tier.amount_cents > 0 and tier.amount_cents >= min_cents]
    return min(worth, key=lambda tier: tier.amount_cents) if worth else None


def _membership(world, user, campaign_id):
    for member_id in user.membership_ids:
        member = world.members[member_id]
        if member.campaign_id == campaign_id:
            return member
    return None
