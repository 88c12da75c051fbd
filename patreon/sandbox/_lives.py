"""Lives (Patreon's early-access live streams) in the sandbox: records, access rules and the state machine.

A world's lives live in a :class:`LiveStore` made on first use (:func:`lives_of`).
Each campaign has access rules from the start: one ``public``, one
``patron``, and one ``tier`` rule per paid tier. A live moves only
``pre_live`` -> ``live`` -> ``live_ended``; :meth:`LiveStore.transition`
refuses anything else.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import base64
import os
import re
import threading
from collections import OrderedDict

from .._routes import LIVE_STATES as STATES

#: What each state may become, and nothing else.
NEXT_STATE = {'pre_live': 'live', 'live': 'live_ended'}
#: States a live may be created in.
START_STATES = ('pre_live', 'live')
#: Where streams go; a host that can never resolve, as nothing should stream to the sandbox.
RTMP_BASE = 'rtmps://live.patreon.invalid:443/app/'
# ISO 8601 date-time with a zone, as Patreon writes and reads them.
_DATE_TIME = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$')

_attach_lock = threading.Lock()


class LiveError(ValueError):
    """A live that cannot be made or changed as asked (answered with a 400)."""


class Live(object):
    """A live stream of a campaign; ``stream_key`` is a credential, kept out of its repr."""

    type = 'live'

    def __init__(self, live_id, campaign_id, state, title, description, scheduled_for, rule_ids):
        self.id = live_id
        self.campaign_id = campaign_id
        self.state = state
        self.title = title
        self.description = description
        self.scheduled_for = scheduled_for
        self.rule_ids = list(rule_ids)
        self.stream_key = 'sk_' + base64.b32encode(os.urandom(20)).decode('ascii').rstrip('=').lower()

    def __repr__(self):
        return '<Live %s %s>' % (self.id, self.state)


class LiveAccessRule(object):
    """Who may watch a campaign's lives: ``tier`` (patrons of ``tier_id``), ``patron`` or ``public``."""

    type = 'live-access-rule'

    def __init__(self, rule_id, campaign_id, access_rule_type, tier_id=None):
        self.id = rule_id
        self.campaign_id = campaign_id
        self.access_rule_type = access_rule_type
        self.tier_id = tier_id


class LiveStore(object):
    """The lives and access rules of one world. Callers hold the sandbox's lock around changes."""

    def __init__(self, world):
        self.world = world
        self.lives = OrderedDict()
        self.rules = OrderedDict()
        self._next_live = 810001
        next_rule = 720001
        for campaign in world.campaigns.values():
            kinds = [('public', None), ('patron', None)] + [
                ('tier', tier_id) for tier_id in campaign.tier_ids if world.tiers[tier_id].amount_cents > 0]
            for kind, tier_id in kinds:
                rule = LiveAccessRule('%d' % next_rule, campaign.id, kind, tier_id)
                self.rules[rule.id] = rule
                next_rule += 1

    def rule_ids(self, campaign_id):
        """The ids of a campaign's access rules (``public``, ``patron``, then one per paid tier)."""
        return [rule.id for rule in self.rules.values() if rule.campaign_id == campaign_id]

    def create(self, campaign_id, state, title=None, description=None, scheduled_for=None, rule_ids=()):
        """A new live of ``campaign_id``; :class:`LiveError` for a value Patreon would refuse."""
        if state not in START_STATES:
            raise LiveError('state must be one of %s for a new live.' % ', '.join(START_STATES))
        for name, value in (('title', title), ('description', description)):
            if value is not None and not isinstance(value, type('')):
                raise LiveError('%s must be a string.' % name)
        if scheduled_for is not None and not (isinstance(scheduled_for, type(''))
                                              and _DATE_TIME.match(scheduled_for)):
            raise LiveError('scheduled_for must be an ISO 8601 date-time with a time zone.')
        if not isinstance(rule_ids, list):
            raise LiveError('live_access_rule_ids must be a list of ids.')
        for rule_id in rule_ids:
            rule = self.rules.get('%s' % rule_id)
            if rule is None or rule.campaign_id != campaign_id:
                raise LiveError('live_access_rule_ids: %s is no access rule of this campaign.' % rule_id)
        live = Live('%d' % self._next_live, campaign_id, state, title, description, scheduled_for,
                    ['%s' % rule_id for rule_id in rule_ids])
        self._next_live += 1
        self.lives[live.id] = live
        return live

    @staticmethod
    def transition(live, state):
        """Move ``live`` to ``state``: only to the state after its own, else :class:`LiveError`."""
        if state not in STATES:
            raise LiveError('state must be one of %s.' % ', '.join(STATES))
        if NEXT_STATE.get(live.state) != state:
            raise LiveError('A live in state %s cannot become %s: lives go %s.'
                            % (live.state, state, ' -> '.join(STATES)))
        live.state = state

    def delete(self, live):
        del self.lives[live.id]


def lives_of(world):
    """The world's :class:`LiveStore`, made on first use."""
    store = getattr(world, 'live_store', None)
    if store is None:
        with _attach_lock:
            store = getattr(world, 'live_store', None)
            if store is None:
                store = world.live_store = LiveStore(world)
    return store


# -- how they look on the wire (used by resources.RESOURCE_TYPES) -----------------------------

def live_attributes(live, view):
    return OrderedDict([
        ('description', live.description),
        ('rtmp_url', RTMP_BASE + live.stream_key),
        ('scheduled_for', live.scheduled_for),
        ('state', live.state),
        ('stream_key', live.stream_key),
        ('title', live.title),
    ])


def live_access_rule_attributes(rule, view):
    return OrderedDict([('access_rule_type', rule.access_rule_type)])


def live_rules(live, view):
    store = lives_of(view.world)
    return [store.rules[rule_id] for rule_id in live.rule_ids if rule_id in store.rules]


def campaign_rules(campaign, view):
    store = lives_of(view.world)
    return [rule for rule in store.rules.values() if rule.campaign_id == campaign.id]


def rule_tier(rule, view):
    return view.world.tiers.get(rule.tier_id) if rule.tier_id is not None else None
