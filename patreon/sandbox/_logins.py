"""Who can log in to the sandbox, where they are sent back, and the page that lets a person choose.

A manual test of an app's login needs people of every kind: the creator, an
active patron of each tier, a gift, an annual pledge, a free trial, a
declined patron still entitled while Patreon retries the charge and one whose
retries are over, a cancelled patron still in the period paid for and a former
patron, someone who never pledged. :func:`login_users`
finds one of each in the world (without changing it); :class:`Logins` keeps
who approves ``/oauth2/authorize`` by default and renders the chooser page.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import threading
from collections import OrderedDict

import six
from six.moves.urllib.parse import urlencode, urlsplit, urlunsplit

from ._messages import html_response

try:
    from html import escape as _escape
except ImportError:  # Python 2
    from cgi import escape as _escape  # type: ignore[attr-defined,no-redef]

#: The roles :func:`login_users` looks for besides the creator and one patron per tier, in listing order.
SPECIAL_ROLES = ('gifted patron', 'annual patron', 'free trial', 'declined patron', 'former patron',
                 'declined patron, retrying', 'cancelled patron, paid up')
#: Loopback host names an app's redirect URI may use for the same listener.
LOOPBACK_TWINS = {'localhost': '127.0.0.1', '127.0.0.1': 'localhost'}


def _entry(role, user, member=None, tier=None):
    return OrderedDict([
        ('role', role),
        ('user_id', user.id),
        ('full_name', user.full_name),
        ('member_id', member.id if member is not None else None),
        ('tier_id', tier.id if tier is not None else None),
        ('tier_title', tier.title if tier is not None else None),
    ])


def _special_role(member):
    if member.patron_status == 'active_patron':
        if member.is_gifted:
            return 'gifted patron'
        if member.is_free_trial:
            return 'free trial'
        if member.cadence == 12:
            return 'annual patron'
        return None
    if member.patron_status == 'declined_patron':
        return 'declined patron, retrying' if member.entitled else 'declined patron'
    if member.patron_status == 'former_patron':
        return 'cancelled patron, paid up' if member.entitled else 'former patron'
    return None


def login_users(world):
    """One user of each kind to log in as, as a list of dicts, creator first.

    Each dict: ``role`` (``'creator'``, ``'patron of <tier>'``, ``'free member'``,
    one of :data:`SPECIAL_ROLES`, ``'non-patron'``), ``user_id``,
    ``full_name``, ``member_id``, ``tier_id``, ``tier_title`` (None where they
    do not apply). The "patron of" users pay monthly (no gift, no trial). A
    kind the world has no member of (a sandbox of a few members) is left out;
    the creator and the non-patron are always there.
    """
    campaign = world.campaigns[world.main_campaign_id]
    tiers = [world.tiers[tier_id] for tier_id in campaign.tier_ids]
    by_tier = OrderedDict()  # type: OrderedDict
    special = OrderedDict()  # type: OrderedDict
    wanted = len(tiers) + len(SPECIAL_ROLES)
    for member_id in campaign.member_ids:
        member = world.members[member_id]
        tier = world.tiers.get(member.tier_id)
        role = _special_role(member)
        if role is not None:
            special.setdefault(role, (member, tier))
        elif tier is not None and member.entitled and tier.id not in by_tier:
            if member.patron_status == 'active_patron' or tier.amount_cents == 0:
                by_tier[tier.id] = member
        if len(by_tier) + len(special) == wanted:
            break
    users = [_entry('creator', world.users[world.creator_user_id])]
    for tier in tiers:
        member = by_tier.get(tier.id)
        if member is not None:
            role = 'free member' if tier.amount_cents == 0 else 'patron of %s' % tier.title
            users.append(_entry(role, world.users[member.user_id], member, tier))
    for role in SPECIAL_ROLES:
        if role in special:
            member, tier = special[role]
            users.append(_entry(role, world.users[member.user_id], member, tier))
    users.append(_entry('non-patron', world.users[world.visitor_user_id]))
    return users


def redirect_uri_forms(uri):
    """``[uri]``, plus the same URI with ``localhost`` and ``127.0.0.1`` swapped when it uses either."""
    parts = urlsplit(uri)
    twin = LOOPBACK_TWINS.get(parts.hostname or '')
    if twin is None:
        return [uri]
    netloc = twin if parts.port is None else '%s:%d' % (twin, parts.port)
    if '@' in parts.netloc:
        netloc = parts.netloc.rsplit('@', 1)[0] + '@' + netloc
    return [uri, urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))]


def check_redirect_uri(uri):
    """``uri`` if it is an absolute http(s) URL without a fragment, else ValueError (OAuth forbids fragments)."""
    parts = urlsplit(uri) if isinstance(uri, six.string_types) else None
    if parts is None or parts.scheme not in ('http', 'https') or not parts.hostname or parts.fragment:
        raise ValueError('a redirect URI must be an absolute http(s) URL without a #fragment, not %r' % (uri,))
    return uri


class Logins(object):
    """Who approves ``/oauth2/authorize`` when the request names nobody, and the optional chooser page.

    ``page``: answer an authorization request that names no ``sandbox_user``
    with a page listing :func:`login_users`, each a link that approves as that user.
    """

    def __init__(self, world, user_id, page=False):
        self.world = world
        self.page = page
        self._user_id = user_id
        self._lock = threading.Lock()

    @property
    def user_id(self):
        """The user who approves authorization requests that name nobody."""
        with self._lock:
            return self._user_id

    def log_in_as(self, user_id):
        """Make ``user_id`` the one who approves from now on; ValueError for an unknown user."""
        if not isinstance(user_id, six.string_types) or user_id not in self.world.users:
            raise ValueError('no user %r in the sandbox' % (user_id,))
        with self._lock:
            self._user_id = user_id

    def chooser(self, request, clients, list_users):
        """The chooser page for ``request``, or None when it is off, already chosen, or the client is unknown.

        An unknown client or redirect URI gets no page: the authorization
        endpoint refuses those itself, before any user is involved.
        """
        if not self.page or request.param('sandbox_user') is not None:
            return None
        client = clients.get(request.param('client_id'))
        if client is None or request.param('redirect_uri') not in client.redirect_uris:
            return None
        items = []
        for user in list_users():
            query = urlencode([(six.ensure_str(name), six.ensure_str(value)) for name, value in request.params]
                              + [(str('sandbox_user'), six.ensure_str(user['user_id']))])
            details = ' (%s)' % user['tier_title'] if user['tier_title'] and 'patron of' not in user['role'] else ''
            items.append('<li><a href="%s">%s</a>: %s%s</li>' % (
                _escape(request.path + '?' + query, True), _escape(user['full_name']), _escape(user['role']),
                _escape(details)))
        text = ('<h1>Log in to %s</h1><p>Patreon sandbox: choose who approves this app.</p><ul>%s</ul>'
                % (_escape(client.name), ''.join(items)))
        return html_response(200, 'Log in as', text)


def login_lines(users):
    """One aligned line per user to log in as (``role  user_id  full_name  tier``), for a terminal; the tier, where
    the user has one, is what a manual test of a tier gate picks by."""
    width = max([len(user['role']) for user in users] + [0])
    id_width = max([len(user['user_id']) for user in users] + [0])
    name_width = max([len(user['full_name']) for user in users] + [0])
    return [('  %s  %s  %s  %s' % (user['role'].ljust(width), user['user_id'].ljust(id_width),
                                   user['full_name'].ljust(name_width), _tier_text(user))).rstrip()
            for user in users]


def _tier_text(user):
    title = user.get('tier_title')
    return 'tier {} ({})'.format(user.get('tier_id'), title) if isinstance(title, six.string_types) and title else ''

