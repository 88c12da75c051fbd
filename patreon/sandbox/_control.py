"""Drive a running sandbox from another process: the HTTP control endpoint and :class:`SandboxControl`.

The endpoint lives under ``/sandbox/`` on the sandbox's own port. It answers
only requests that come from a loopback address, carry the sandbox's control
key in the ``X-Sandbox-Control-Key`` header, and no ``Origin`` (a web page's
script): an app under test, which knows the API's tokens but not this key,
cannot make a pledge by accident, nor can a page it opens in a browser.
Injected faults, rate limits and the request log (``sb.requests``) leave it alone.

Every request and answer body is JSON; answers are ``{"data": ...}`` or
``{"error": "..."}`` with 400 (bad arguments), 403 (not allowed), 404 (no
such action), 405 or 415. The actions (request, body, the key of the answer's ``data``) are declared in
:data:`patreon._sandbox_actions.ACTIONS`; docs/sandbox.md lists them (a test keeps the two in step).

Its Python client is :class:`~patreon.sandbox._control_client.SandboxControl`.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import functools
import hmac
import json
import logging
from collections import OrderedDict

import six

from .._sandbox_actions import ACTIONS, CONTROL_PREFIX, KEY_VARIABLE, URL_VARIABLE  # noqa: F401 (found here too)
from ._logins import login_lines
from ._messages import JSON_TYPE, json_response
from ._webhooks import is_loopback

logger = logging.getLogger(__name__)

#: The request header that carries the control key.
KEY_HEADER = 'X-Sandbox-Control-Key'


class ControlRefused(Exception):
    """A control request refused: ``status`` and why."""

    def __init__(self, status, message):
        Exception.__init__(self, message)
        self.status = status
        self.message = message


def _error(status, message):
    return json_response(status, OrderedDict([('error', message)]), content_type=JSON_TYPE)


def _string(value, name):
    if not isinstance(value, six.string_types) or not value:
        raise ControlRefused(400, '%s must be a non-empty string' % name)
    return value


def _flag(value, name):
    if not isinstance(value, bool):
        raise ControlRefused(400, '%s must be true or false' % name)
    return value


def _tier_ids(value, name):
    if not (isinstance(value, list) and all(isinstance(item, six.string_types) for item in value)):
        raise ControlRefused(400, '%s must be a list of tier ids' % name)
    return value


def _count(value, name):
    if isinstance(value, bool) or not isinstance(value, six.integer_types):
        raise ControlRefused(400, '%s must be a whole number' % name)
    return value


def _options(value, name):
    if not isinstance(value, dict):
        raise ControlRefused(400, '%s must be an object' % name)
    return dict((str(key), item) for key, item in value.items())


# The check of each name a declared body may hold (patreon._sandbox_actions): a name without one is a string.
_CHECKS = {'is_public': _flag, 'tier_ids': _tier_ids, 'count': _count, 'options': _options}


def _arguments(action, body):
    """The declared body's values, checked, by name: those left out (or null) that the action may leave out are
    missing, so the sandbox's defaults apply. 400 for a name the action does not take: a misspelt one left alone
    would do something else than asked (``user`` for ``user_id``: a pledge of a new user)."""
    names = [name.rstrip('?') for name in action.body]
    unknown = sorted(name for name in body if name not in names)
    if unknown:
        raise ControlRefused(400, '%s %s%s takes %s; not %s' % (action.method, CONTROL_PREFIX, action.path,
                                                                ', '.join(names), ', '.join(unknown)))
    arguments = OrderedDict()
    for declared, name in zip(action.body, names):
        if body.get(name) is not None or not declared.endswith('?'):
            arguments[name] = _CHECKS.get(name, _string)(body.get(name), name)
    return arguments


class ControlEndpoint(object):
    """Serves ``/sandbox/...`` for one :class:`~patreon.sandbox.Sandbox`."""

    def __init__(self, sandbox, key):
        self.sandbox = sandbox
        self.key = key
        # (method, path) -> what answers the action: the endpoint's method of its name, else :meth:`_run`.
        self.actions = dict(((action.method, action.path), getattr(self, action.name, None) or
                             functools.partial(self._run, action)) for action in ACTIONS.values())

    def handle(self, request):
        """The answer to a request whose path starts with :data:`CONTROL_PREFIX` (or is ``/sandbox``)."""
        try:
            self._allowed(request)
            name = request.path[len(CONTROL_PREFIX):].strip('/') if request.path != '/sandbox' else ''
            methods = [method for method, known in self.actions if known == name]
            if not methods:
                # The module is private: the message names what a user can read, the command's own help.
                raise ControlRefused(404, 'no control action %r; `patreon sandbox-control --help` lists them' % name)
            action = self.actions.get((request.method, name))
            if action is None:
                raise ControlRefused(405, 'use %s for %s' % (', '.join(sorted(methods)), request.path))
            data = action(self._body(request))
        except ControlRefused as refusal:
            return _error(refusal.status, refusal.message)
        except ValueError as error:  # the sandbox's own refusal: an unknown id, an active patron...
            return _error(400, '%s' % error)
        except Exception:  # a sandbox bug: say so rather than hang up
            logger.exception('sandbox: control request %s %s failed', request.method, request.path)
            return _error(500, 'the sandbox failed to carry this out (a bug: see its log)')
        return json_response(200, OrderedDict([('data', data)]), content_type=JSON_TYPE)

    def _allowed(self, request):
        if not is_loopback(getattr(request, 'client_address', None)):
            raise ControlRefused(403, 'the control endpoint answers loopback addresses only')
        if 'Origin' in request.headers:
            raise ControlRefused(403, 'the control endpoint does not answer web pages (the request has an Origin)')
        given = request.headers.get(KEY_HEADER)
        if not given or not hmac.compare_digest(six.ensure_binary(given), six.ensure_binary(self.key)):
            raise ControlRefused(403, 'the %s header is missing or wrong' % KEY_HEADER)

    @staticmethod
    def _body(request):
        if request.method != 'POST':
            return {}
        content_type = request.headers.get('Content-Type', '').split(';')[0].strip().lower()
        if content_type != JSON_TYPE:
            raise ControlRefused(415, 'send a JSON object as application/json')
        try:
            body = json.loads(request.body.decode('utf-8')) if request.body else {}
        except (ValueError, UnicodeError, RuntimeError):  # RuntimeError: nested too deep to decode
            raise ControlRefused(400, 'the body is not JSON')
        if not isinstance(body, dict):
            raise ControlRefused(400, 'the body must be a JSON object')
        return body

    # -- actions -----------------------------------------------------------------------------------

    def overview(self, body):
        sandbox = self.sandbox
        world = sandbox.world
        tiers = [OrderedDict([('id', tier.id), ('title', tier.title), ('amount_cents', tier.amount_cents)])
                 for tier in (world.tiers[tier_id] for tier_id in sandbox.tier_ids)]
        return OrderedDict([
            ('url', sandbox.url),
            ('campaign_id', sandbox.campaign_id),
            ('creator_user_id', sandbox.creator_user_id),
            ('tiers', tiers),
            ('client_id', sandbox.client_id),
            ('redirect_uris', list(sandbox.client.redirect_uris)),
            ('login_user_id', sandbox.logins.user_id),
        ])

    def users(self, body):
        return self.sandbox.login_users()

    def _run(self, action, body):
        """The :class:`~patreon.sandbox.Sandbox` method of the action's name, called with the checked body; the
        answer's declared item is what it returns, else the body's value of that name (the id acted on), else
        ``True`` (done)."""
        arguments = _arguments(action, body)
        result = getattr(self.sandbox, action.name)(**arguments)
        if result is None:
            result = arguments.get(action.answer, True)
        return OrderedDict([(action.answer, result)])

    def inject_fault(self, body):
        arguments = _arguments(ACTIONS['inject_fault'], body)
        count = arguments.get('count', 1)
        fault = self.sandbox.faults.arm(arguments['route'], arguments['kind'], count, arguments.get('options', {}))
        return OrderedDict([('route', fault.route), ('kind', fault.kind), ('count', count),
                            ('options', fault.options)])


def control_lines(sandbox):
    """What ``patreon sandbox`` prints about driving it: the endpoint, the variables to export, who can log in."""
    lines = [
        '  control endpoint:    %s (header %s)' % (sandbox.control_url, KEY_HEADER),
        'Drive it from another shell (patreon sandbox-control ...) after:',
        '  export %s=%s' % (URL_VARIABLE, sandbox.url),
        '  export %s=%s' % (KEY_VARIABLE, sandbox.control_key),
        'Users to log in as (sandbox-control log-in-as USER_ID, or sandbox_user=USER_ID on /oauth2/authorize):',
    ]
    return lines + login_lines(sandbox.login_users())
