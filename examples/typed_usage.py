"""The client in type-checked code: `make lint` runs `mypy --strict` on this file, and the tests run it.

The package ships type stubs (PEP 561), so mypy, pyright and IDEs check calls into it. This example logs in through
OAuth, walks the identity, decides entitlement, pages through members, refreshes an expired token, verifies a webhook
and handles typed errors, against a sandbox it starts::

    python examples/typed_usage.py

``assert_type`` lines pin what the stubs promise; the ``# type: ignore[...]`` lines at the end are misuses the stubs
must reject (``--strict`` reports an ignore that is not needed, so a too-lenient stub fails the check).
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union
from urllib.parse import parse_qs, urlsplit

import requests

import patreon
import patreon.entitlements
import patreon.oauth
import patreon.scopes
import patreon.webhooks
from patreon.exceptions import APIError, RateLimited, Unauthorized
from patreon.jsonapi.parser import JSONAPIParser, JSONAPIResource
from patreon.api import ErrorDocument
from patreon.sandbox import Sandbox, sign
from patreon.schemas import member as member_schema
from patreon.schemas import user as user_schema

if TYPE_CHECKING:
    from typing_extensions import assert_type
else:
    def assert_type(value, expected_type):
        return value

MEMBER_FIELDS = [member_schema.Attributes.full_name, *patreon.entitlements.REQUIRED_FIELDS]


def log_in(oauth: patreon.OAuth, redirect_uri: str) -> Dict[str, Any]:
    """The OAuth dance, with the sandbox approving in place of the visitor's browser."""
    state = patreon.oauth.make_state()
    scopes = [patreon.scopes.IDENTITY, patreon.scopes.IDENTITY_MEMBERSHIPS]
    url = oauth.get_authorization_url(redirect_uri, scopes=scopes, state=state)
    location = requests.get(url, allow_redirects=False, timeout=10).headers['Location']
    query = parse_qs(urlsplit(location).query)
    if not patreon.oauth.check_state(state, query['state'][0]):
        raise RuntimeError('the state came back changed')
    tokens = oauth.get_tokens(query['code'][0], redirect_uri)
    assert_type(tokens, Dict[str, Any])
    return tokens


def patron_memberships(api: patreon.API) -> List[JSONAPIResource]:
    """The memberships of the token's user that is_active_patron accepts."""
    document = api.get_identity(includes=[user_schema.Relationships.memberships],
                                fields={'user': [user_schema.Attributes.full_name], 'member': MEMBER_FIELDS})
    assert_type(document, Union[JSONAPIParser, ErrorDocument])
    user = document.data()  # an ErrorDocument's data() raises; raise_errors=True raised already anyway
    memberships: List[JSONAPIResource] = user.relationship(user_schema.Relationships.memberships) or []
    return [member for member in memberships if patreon.entitlements.is_active_patron(member)]


def members_by_status(api: patreon.API, campaign_id: str) -> Counter[Optional[str]]:
    """Every member, page after page (the arguments after the method are checked against its signature)."""
    statuses: Counter[Optional[str]] = Counter()
    for member in api.paginate(api.get_campaigns_by_id_members, campaign_id, page_size=100,
                               fields={'member': [member_schema.Attributes.patron_status]}):
        assert_type(member, JSONAPIResource)
        statuses[member.attribute(member_schema.Attributes.patron_status)] += 1
    return statuses


def page_totals(api: patreon.API, campaign_id: str) -> List[int]:
    """The resources of each page, the next page fetched while this one is read (a keyword the method lacks)."""
    pages = api.paginate_pages(api.get_campaigns_by_id_members, campaign_id, page_size=20, prefetch=True)
    return [len(page.data()) for page in pages]


def verify_delivery(secret: str, body: bytes) -> str:
    """A signed delivery, as a receiver sees it: the trigger and the resource id."""
    event = patreon.webhooks.parse_webhook(body, sign(secret, body), patreon.webhooks.MEMBERS_PLEDGE_CREATE, secret)
    assert_type(event.trigger, str)
    assert_type(event.document, JSONAPIParser)
    member: JSONAPIResource = event.document.data()
    return '{} {}'.format(event.trigger, member.id())


def describe_error(error: APIError) -> str:
    if isinstance(error, RateLimited):
        assert_type(error.retry_after, Optional[float])
    assert_type(error.status_code, int)
    assert_type(error.request_id, Optional[str])
    return str(error)


def run(sandbox: Sandbox) -> Dict[str, Any]:
    """The whole tour against ``sandbox``; returns what it found."""
    oauth = patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url, raise_errors=True)
    tokens = log_in(oauth, sandbox.redirect_uri)
    refreshed: List[Dict[str, Any]] = []
    with patreon.API(tokens['access_token'], base_url=sandbox.url, raise_errors=True,
                     refresh=patreon.RefreshPolicy(oauth, on_token_refresh=refreshed.append),
                     refresh_token=tokens['refresh_token']) as api:
        paying = patron_memberships(api)
        sandbox.expire_access_token(api.access_token)
        paying_after_refresh = patron_memberships(api)  # a 401, a refresh, the same call again

    with patreon.API(sandbox.creator_token, base_url=sandbox.url, raise_errors=True) as creator_api:
        statuses = members_by_status(creator_api, sandbox.campaign_id)
        page_sizes = page_totals(creator_api, sandbox.campaign_id)

    body = json.dumps({'data': {'type': 'member', 'id': 'm-1', 'attributes': {}}}).encode('utf-8')
    delivery = verify_delivery('webhook-secret', body)

    try:
        patreon.API('not-a-token', base_url=sandbox.url, raise_errors=True).get_identity()
        error = ''
    except Unauthorized as exc:
        error = describe_error(exc)

    return {'paying': len(paying), 'paying_after_refresh': len(paying_after_refresh), 'refreshes': len(refreshed),
            'members': sum(statuses.values()), 'active_patrons': statuses['active_patron'], 'delivery': delivery,
            'error': error, 'pages': len(page_sizes)}


def main() -> int:
    with Sandbox(members=50, seed=3) as sandbox:
        for name, value in sorted(run(sandbox).items()):
            print('{}: {}'.format(name, value))
    return 0


if TYPE_CHECKING:
    # Misuses the stubs must reject; mypy --strict fails if one of these ignores turns out unneeded.
    def misuses(api: patreon.API, oauth: patreon.OAuth) -> None:
        api.get_identity(include=['memberships'])  # type: ignore[call-arg]
        api.get_campaigns()  # type: ignore[call-arg]
        api.paginate(api.get_campaigns_by_id_members, '1', page_count=10)  # type: ignore[call-arg]
        oauth.get_tokens(code=123, redirect_uri='https://example.org')  # type: ignore[arg-type]
        patreon.webhooks.verify_signature(b'{}', 'f' * 32, secret=42)  # type: ignore[arg-type]
        patreon.entitlements.is_active_patron({'patron_status': 'active_patron'})  # type: ignore[arg-type]
        retry_after: float = RateLimited(429).retry_after  # type: ignore[assignment]
        print(retry_after)


if __name__ == '__main__':
    sys.exit(main())
