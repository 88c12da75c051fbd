"""Pages of campaign members in Patreon's shape, generated deterministically for figure 1.

A page is what ``GET campaigns/{id}/members?include=user,currently_entitled_tiers,address``
answers with every field asked for: members with all their attributes, and in
``included`` their users, their entitled tiers and their addresses.  The same
``(count, seed, null_addresses)`` always gives the same bytes.

Two shapes of that page, because 0.5.1 cannot read what Patreon really sends:

- ``null_addresses=True`` (Patreon's shape): a member without an address has
  ``"address": {"data": null}``.  0.5.1 raises ``AttributeError`` on it.
- ``null_addresses=False``: the same page, except that the ``address``
  relationship is left out when there is no address; 0.5.1 then gives ``None``.

A third page, :func:`lean_members_page`, is what a client asks for when it
needs little: three attributes per member, two per user, one of five tiers,
and ``"address": {"data": null}`` for every member.  Its ``json.loads`` is
cheap, so the walk's own cost weighs most there.

Usage::

    text = members_page_text(1000, null_addresses=False)
    document = json.loads(text)
    lean = json.loads(lean_members_page_text(1000))
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import random
import uuid

CAMPAIGN_ID = '8804412'
BASE_URL = 'https://www.patreon.com'
#: ``(id, title, amount_cents)``; the first is free.
TIERS = (('9100001', 'Free', 0), ('9100002', 'Supporter', 300), ('9100003', 'Patron', 800),
         ('9100004', 'Producer', 2000), ('9100005', 'Executive Producer', 5000))
FIRST_NAMES = ('Ada', 'Bruno', 'Chlo\xe9', 'Dmitri', '\xc9mile', 'Fatima', 'Grace', 'Hiro', 'Jos\xe9',
               'S\xf8ren', '\u0141ucja', '\u7f8e\u54b2')
LAST_NAMES = ('Abara', 'Becker', 'D\u0105browski', 'Fern\xe1ndez', 'Haddad', 'J\xe4ger', 'Nakamura',
              'Okafor', '\u5c71\u7530 \U0001f3a7')
CITIES = (('Lyon', 'FR', '69003'), ('Osaka', 'JP', '530-0001'), ('Portland', 'US', '97205'),
          ('Krak\xf3w', 'PL', '31-042'))
#: ``(patron_status, last_charge_status, share in percent)``.
STATUSES = (('active_patron', 'Paid', 70), ('declined_patron', 'Declined', 10),
            ('former_patron', None, 15), (None, None, 5))
#: One member in this many has a shipping address.
ADDRESS_EVERY = 3


def members_page(count, seed=0, null_addresses=True, next_cursor='cursor-of-the-next-page'):
    """A page of ``count`` members as a dict (what ``json.loads`` of the page gives).

    :param null_addresses: ``True`` for Patreon's ``{"data": null}`` when a
        member has no address; ``False`` to leave the relationship out.
    :param next_cursor: the cursor in ``meta`` and ``links.next``; ``None`` for a last page.
    """
    rng = random.Random(seed)
    members, users, addresses = [], [], []
    for index in range(count):
        member, user, address = _member(rng, index, null_addresses)
        members.append(member)
        users.append(user)
        if address is not None:
            addresses.append(address)
    page = {
        'data': members,
        'included': users + addresses + [_tier(*plan) for plan in TIERS],
        'meta': {'pagination': {'total': count, 'cursors': {'next': next_cursor}}},
    }
    if next_cursor is not None:
        page['links'] = {'next': '{}/api/oauth2/v2/campaigns/{}/members?page%5Bcount%5D={}&page%5Bcursor%5D={}'
                         .format(BASE_URL, CAMPAIGN_ID, count, next_cursor)}
    return page


def members_page_text(count, seed=0, null_addresses=True):
    """The page of :func:`members_page` as the JSON text a server sends."""
    return json.dumps(members_page(count, seed, null_addresses), ensure_ascii=False, separators=(',', ':'))


#: The member attributes a lean page holds (and the lean walk reads), in this order.
LEAN_MEMBER_ATTRIBUTES = ('full_name', 'patron_status', 'currently_entitled_amount_cents')


def lean_members_page(count, seed=0, next_cursor='cursor-of-the-next-page'):
    """A lean page of ``count`` members as a dict: what ``fields[member]=full_name,patron_status,
    currently_entitled_amount_cents&fields[user]=full_name,email`` answers.

    Each member has the three :data:`LEAN_MEMBER_ATTRIBUTES`, a ``user`` (included, with two attributes),
    ``currently_entitled_tiers`` naming one of the five :data:`TIERS` (included, with two attributes) and
    ``"address": {"data": null}``.
    """
    rng = random.Random(seed)
    members, users = [], []
    for index in range(count):
        user_id = '{}'.format(20000000 + index)
        tier_id, _, amount = TIERS[rng.randint(0, len(TIERS) - 1)]
        full_name = '{} {}'.format(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        members.append({
            'type': 'member',
            'id': '{}'.format(uuid.UUID(int=rng.getrandbits(128), version=4)),
            'attributes': {'full_name': full_name, 'patron_status': 'active_patron',
                           'currently_entitled_amount_cents': amount},
            'relationships': {
                'user': {'data': {'type': 'user', 'id': user_id}},
                'currently_entitled_tiers': {'data': [{'type': 'tier', 'id': tier_id}]},
                'address': {'data': None},
            },
        })
        users.append({'type': 'user', 'id': user_id,
                      'attributes': {'full_name': full_name, 'email': 'patron{}@example.org'.format(index)}})
    tiers = [{'type': 'tier', 'id': tier_id, 'attributes': {'title': title, 'amount_cents': amount_cents}}
             for tier_id, title, amount_cents in TIERS]
    page = {'data': members, 'included': users + tiers,
            'meta': {'pagination': {'total': count, 'cursors': {'next': next_cursor}}}}
    if next_cursor is not None:
        page['links'] = {'next': '{}/api/oauth2/v2/campaigns/{}/members?page%5Bcount%5D={}&page%5Bcursor%5D={}'
                         .format(BASE_URL, CAMPAIGN_ID, count, next_cursor)}
    return page


def lean_members_page_text(count, seed=0):
    """The page of :func:`lean_members_page` as the JSON text a server sends."""
    return json.dumps(lean_members_page(count, seed), ensure_ascii=False, separators=(',', ':'))


def expected_walk(document):
    """What walking each member of ``document`` must resolve, as ``(user ids, tier id lists, address ids)``.

    Read straight from the relationship references, so that a parser's walk can
    be checked against it: a missing or ``null`` address gives ``None``.
    """
    users, tiers, addresses = [], [], []
    for member in document['data']:
        relationships = member['relationships']
        users.append(relationships['user']['data']['id'])
        tiers.append([tier['id'] for tier in relationships['currently_entitled_tiers']['data']])
        address = relationships.get('address', {}).get('data')
        addresses.append(address['id'] if address else None)
    return users, tiers, addresses


def expected_lean_walk(document):
    """What the lean walk of ``document`` must read: :func:`expected_walk`, and a tuple of each member's
    :data:`LEAN_MEMBER_ATTRIBUTES` (``None`` for one it lacks)."""
    attributes = [tuple(member['attributes'].get(name) for name in LEAN_MEMBER_ATTRIBUTES)
                  for member in document['data']]
    return expected_walk(document) + (attributes,)


def _member(rng, index, null_addresses):
    user_id = '{}'.format(20000000 + index)
    status, charge_status = _status(rng.randint(1, 100))
    tier_index = rng.randint(1, len(TIERS) - 1) if status == 'active_patron' else 0
    tier_id, _, amount = TIERS[tier_index]
    entitled = [{'type': 'tier', 'id': tier_id}] if status == 'active_patron' else []
    if entitled and rng.randint(0, 9) == 0:  # some patrons are entitled to the free tier too
        entitled.insert(0, {'type': 'tier', 'id': TIERS[0][0]})
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    full_name = '{} {}'.format(first, last)
    month = 1 + index % 12
    member_id = '{}'.format(uuid.UUID(int=rng.getrandbits(128), version=4))
    relationships = {
        'user': {'data': {'type': 'user', 'id': user_id},
                 'links': {'related': '{}/api/oauth2/v2/user/{}'.format(BASE_URL, user_id)}},
        'currently_entitled_tiers': {'data': entitled},
    }
    address = None
    if index % ADDRESS_EVERY == 0:
        address = _address(rng, '{}'.format(30000000 + index), full_name)
        relationships['address'] = {'data': {'type': 'address', 'id': address['id']}}
    elif null_addresses:
        relationships['address'] = {'data': None}
    member = {
        'type': 'member',
        'id': member_id,
        'attributes': {
            'full_name': full_name,
            'email': 'patron{}@example.org'.format(index),
            'is_follower': False,
            'patron_status': status,
            'pledge_relationship_start': '2025-{:02d}-14T09:30:00.000+00:00'.format(month),
            'lifetime_support_cents': amount * month,
            'campaign_lifetime_support_cents': amount * month,
            'currently_entitled_amount_cents': amount if status == 'active_patron' else 0,
            'will_pay_amount_cents': amount if status == 'active_patron' else 0,
            'last_charge_date': '2026-{:02d}-01T08:00:00.000+00:00'.format(month) if charge_status else None,
            'last_charge_status': charge_status,
            'next_charge_date': '2026-12-01T00:00:00.000+00:00' if status == 'active_patron' else None,
            'pledge_cadence': 1 if status else None,
            'is_free_trial': False,
            'is_gifted': index % 50 == 0,
            'note': '',
        },
        'relationships': relationships,
    }
    user = {
        'type': 'user',
        'id': user_id,
        'attributes': {
            'full_name': full_name,
            'first_name': first,
            'last_name': last,
            'vanity': None,
            'about': None,
            'created': '2024-{:02d}-03T12:00:00.000+00:00'.format(month),
            'image_url': 'https://c8.patreon.com/3/200/{}'.format(user_id),
            'thumb_url': 'https://c8.patreon.com/3/100/{}'.format(user_id),
            'url': 'https://www.patreon.com/user?u={}'.format(user_id),
            'is_email_verified': True,
            'can_see_nsfw': False,
            'hide_pledges': index % 4 == 0,
            'like_count': rng.randint(0, 300),
            'is_creator': False,
            'social_connections': {'discord': None, 'youtube': None, 'twitter': None},
        },
    }
    return member, user, address


def _status(draw):
    threshold = 0
    for status, charge_status, share in STATUSES:
        threshold += share
        if draw <= threshold:
            return status, charge_status
    return STATUSES[-1][:2]


def _address(rng, address_id, addressee):
    city, country, postal_code = rng.choice(CITIES)
    return {
        'type': 'address',
        'id': address_id,
        'attributes': {
            'addressee': addressee,
            'line_1': '{} Rue de la R\xe9publique'.format(rng.randint(1, 200)),
            'line_2': None,
            'postal_code': postal_code,
            'city': city,
            'state': None,
            'country': country,
            'phone_number': None,
            'created_at': '2025-06-01T10:00:00.000+00:00',
        },
    }


def _tier(tier_id, title, amount_cents):
    return {
        'type': 'tier',
        'id': tier_id,
        'attributes': {
            'title': title,
            'amount_cents': amount_cents,
            'description': '{}: thank you!'.format(title),
            'published': True,
            'published_at': '2024-01-01T00:00:00.000+00:00',
            'created_at': '2024-01-01T00:00:00.000+00:00',
            'edited_at': '2024-01-01T00:00:00.000+00:00',
            'unpublished_at': None,
            'patron_count': 0,
            'post_count': 3,
            'remaining': None,
            'user_limit': None,
            'requires_shipping': amount_cents >= 2000,
            'discord_role_ids': None,
            'image_url': None,
            'url': '/checkout/bench?rid={}'.format(tier_id),
        },
    }
