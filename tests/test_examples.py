"""The examples work, against a real sandbox.

examples/export_members.py runs on every supported Python. The Flask and Django apps and examples/typed_usage.py are
Python 3.8+ (their frameworks, and annotations): their tests are defined only there, at the end of this module.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import csv
import io
import os
import re
import subprocess
import sys

import pytest
import requests
import six
from six.moves.urllib.parse import parse_qs, urlsplit

import patreon
import patreon.webhooks
from patreon.sandbox import Sandbox

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(REPO_ROOT, 'examples')
# The examples import each other as scripts do (patron_portal from the apps): from their own directory.
if EXAMPLES not in sys.path:
    sys.path.insert(0, EXAMPLES)

import export_members  # noqa: E402  (needs the path above)


def creator_api(sandbox):
    return patreon.API(sandbox.creator_token, base_url=sandbox.url, raise_errors=True)


def members_by_id(sandbox):
    """What the API says about every member: ``{id: (full_name, email, lifetime cents, tier titles)}``."""
    with creator_api(sandbox) as api:
        return dict(
            (member.id(), (member.attribute('full_name'), member.attribute('email'),
                           member.attribute('campaign_lifetime_support_cents'),
                           sorted(tier.attribute('title') for tier in member.relationship('currently_entitled_tiers'))))
            for member in api.paginate(api.get_campaigns_by_id_members, sandbox.campaign_id, page_size=500,
                                       includes=['currently_entitled_tiers'],
                                       fields={'member': ['full_name', 'email', 'campaign_lifetime_support_cents'],
                                               'tier': ['title']}))


def campaign_total(sandbox):
    with creator_api(sandbox) as api:
        return api.get_campaigns_by_id_members(sandbox.campaign_id, 1).json_data['meta']['pagination']['total']


def read_csv(path):
    if six.PY2:  # the csv module of Python 2 reads bytes
        with io.open(path, 'rb') as source:
            return [dict((name.decode('utf-8'), value.decode('utf-8')) for name, value in row.items())
                    for row in csv.DictReader(source)]
    with io.open(path, encoding='utf-8', newline='') as source:
        return list(csv.DictReader(source))


# examples/export_members.py, on every Python

@pytest.fixture
def big_sandbox():
    # More members than one page of the export (1000), so that it must follow a cursor.
    with Sandbox(members=1234, seed=5) as sandbox:
        yield sandbox


def test_export_members_writes_every_member_as_the_api_gives_it(big_sandbox, tmpdir):
    output = str(tmpdir.join('members.csv'))
    env = dict(os.environ, PATREON_ACCESS_TOKEN=big_sandbox.creator_token)

    process = subprocess.Popen([sys.executable, os.path.join(EXAMPLES, 'export_members.py'),
                                '--base-url', big_sandbox.url, output],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = process.communicate()

    assert process.returncode == 0, err
    rows = read_csv(output)
    expected = members_by_id(big_sandbox)
    assert len(rows) == campaign_total(big_sandbox) == len(expected) == 1234
    assert sorted(row['member_id'] for row in rows) == sorted(expected)
    for row in rows:
        name, email, lifetime, tiers = expected[row['member_id']]
        assert row['full_name'] == (name or '')
        assert row['email'] == (email or '')
        assert row['lifetime_support_cents'] == ('' if lifetime is None else str(lifetime))
        assert sorted(title for title in row['tiers'].split('; ') if title) == tiers
    assert any(ord(character) > 127 for row in rows for character in row['full_name'])  # non-ASCII round-trips
    assert any(row['tiers'] for row in rows)
    assert '1234 members' in err.decode('utf-8')
    assert big_sandbox.creator_token not in (out + err).decode('utf-8')


@pytest.fixture
def sandbox():
    with Sandbox(members=30, seed=9) as sandbox:
        yield sandbox


def test_export_members_to_stdout_of_a_given_campaign(sandbox, capsys):
    status = export_members.main(['--base-url', sandbox.url, '--campaign-id', sandbox.campaign_id, '-'],
                                 environ={'PATREON_ACCESS_TOKEN': sandbox.creator_token})

    out, err = capsys.readouterr()
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == ','.join(export_members.COLUMNS)
    assert len(lines) - 1 == campaign_total(sandbox) == 30
    assert '30 members of campaign {}'.format(sandbox.campaign_id) in err


def test_export_members_needs_a_token(sandbox, tmpdir, capsys):
    with pytest.raises(SystemExit) as exited:
        export_members.main(['--base-url', sandbox.url, str(tmpdir.join('out.csv'))], environ={})

    assert exited.value.code == 2
    assert 'PATREON_ACCESS_TOKEN' in capsys.readouterr()[1]
    assert not tmpdir.join('out.csv').check()


def test_export_members_fails_in_one_line_and_leaves_no_partial_file(sandbox, tmpdir, capsys):
    output = tmpdir.join('out.csv')
    # Longer than the client will wait: the 429 is raised at once, after the output file was opened.
    sandbox.inject_fault('campaigns/{id}/members', 'rate_limit', retry_after=3600)

    status = export_members.main(['--base-url', sandbox.url, '--campaign-id', sandbox.campaign_id, str(output)],
                                 environ={'PATREON_ACCESS_TOKEN': sandbox.creator_token})

    err = capsys.readouterr()[1]
    assert status == 1
    assert err.startswith('export_members: 429')
    assert len(err.splitlines()) == 1
    assert not output.check()


def test_export_members_reports_a_refused_token(sandbox, tmpdir, capsys):
    status = export_members.main(['--base-url', sandbox.url, str(tmpdir.join('out.csv'))],
                                 environ={'PATREON_ACCESS_TOKEN': 'not-a-token'})

    assert status == 1
    assert capsys.readouterr()[1].startswith('export_members: 401 ')


def test_export_members_stops_quietly_when_the_reader_goes_away(big_sandbox):
    # `python examples/export_members.py - | head -1`: the reader closes the pipe after one line; the export
    # stops with the status of a process stopped by SIGPIPE, and no traceback.
    env = dict(os.environ, PATREON_ACCESS_TOKEN=big_sandbox.creator_token,
               PYTHONPATH=os.pathsep.join([REPO_ROOT, os.environ.get('PYTHONPATH', '')]))
    process = subprocess.Popen([sys.executable, os.path.join(EXAMPLES, 'export_members.py'), '--base-url',
                                big_sandbox.url, '-'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout.readline().startswith(b'member_id,full_name')
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()

    assert process.wait() == export_members.EXIT_BROKEN_PIPE == 141
    assert err == b''


# The web apps and the typed example: Python 3.8+ only. Flask 3 and Django 4.2 (the oldest series the development
# requirements install) need 3.8, and the examples are Python 3 code; on older interpreters this module defines no
# test of them, rather than skipping tests.
if sys.version_info >= (3, 8):
    import http.server
    import threading

    import django
    from django.test import Client as DjangoClient
    from django.test.utils import override_settings

    import flask_app
    import typed_usage

    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'django_settings')
    django.setup()
    import django_views

    class Answer(object):
        def __init__(self, status, location, text):
            self.status = status
            self.location = location
            self.text = text

    class FlaskSite(object):
        """The Flask example app, driven by Flask's test client."""

        redirect_uri = 'http://localhost/oauth/redirect'

        def __init__(self, settings):
            app = flask_app.create_app(dict(settings, TESTING=True, SECRET_KEY='test-secret-key'))
            self.portal = app.extensions['patron_portal']
            self.client = app.test_client()

        def get(self, path):
            response = self.client.get(path)
            return Answer(response.status_code, response.headers.get('Location'), response.get_data(as_text=True))

        def post(self, path, body, headers):
            response = self.client.post(path, data=body, headers=headers, content_type='application/json')
            return Answer(response.status_code, response.headers.get('Location'), response.get_data(as_text=True))

        def post_form(self, path, fields):
            response = self.client.post(path, data=fields)
            return Answer(response.status_code, response.headers.get('Location'), response.get_data(as_text=True))

        def close(self):
            pass

    class DjangoSite(object):
        """The Django example views, driven by Django's test client."""

        redirect_uri = 'http://testserver/oauth/redirect'

        def __init__(self, settings):
            self.overrides = override_settings(ALLOWED_HOSTS=['testserver'], **settings)
            self.overrides.enable()
            self.portal = django_views.get_portal()
            self.client = DjangoClient(enforce_csrf_checks=True)  # as a browser meets the site

        def get(self, path):
            response = self.client.get(path)
            return Answer(response.status_code, response.get('Location'), response.content.decode('utf-8'))

        def post(self, path, body, headers):
            response = self.client.post(path, data=body, content_type='application/json', headers=headers)
            return Answer(response.status_code, response.get('Location'), response.content.decode('utf-8'))

        def post_form(self, path, fields):
            response = self.client.post(path, data=fields)
            return Answer(response.status_code, response.get('Location'), response.content.decode('utf-8'))

        def close(self):
            self.overrides.disable()

    class AcceptingHandler(http.server.BaseHTTPRequestHandler):
        """Answers every POST with 204, so that the sandbox records each delivery and goes on to the next."""

        def do_POST(self):
            self.rfile.read(int(self.headers.get('Content-Length') or 0))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    @pytest.fixture
    def webhook_secret(sandbox):
        """A webhook for every trigger, to a loopback receiver that accepts all; its secret.

        The deliveries (``sandbox.deliveries``) are then posted to the app under test through its test client.
        """
        receiver = http.server.ThreadingHTTPServer(('127.0.0.1', 0), AcceptingHandler)
        thread = threading.Thread(target=receiver.serve_forever, kwargs={'poll_interval': 0.05})
        thread.daemon = True
        thread.start()
        try:
            with creator_api(sandbox) as api:
                hook = api.create_webhook(sandbox.campaign_id,
                                          'http://127.0.0.1:{}/webhooks/patreon'.format(receiver.server_address[1]),
                                          patreon.webhooks.ALL_TRIGGERS).data()
            yield hook.attribute('secret')
        finally:
            receiver.shutdown()
            receiver.server_close()
            thread.join()

    @pytest.fixture(params=[FlaskSite, DjangoSite], ids=['flask', 'django'])
    def site(request, sandbox, webhook_secret):
        site_class = request.param
        sandbox.register_redirect_uri(site_class.redirect_uri)
        site = site_class({
            'PATREON_CLIENT_ID': sandbox.client_id, 'PATREON_CLIENT_SECRET': sandbox.client_secret,
            'PATREON_REDIRECT_URI': site_class.redirect_uri, 'PATREON_CAMPAIGN_ID': sandbox.campaign_id,
            'PATREON_WEBHOOK_SECRET': 'an-old-secret,' + webhook_secret, 'PATREON_BASE_URL': sandbox.url,
        })
        yield site
        site.close()

    def path_of(url):
        parts = urlsplit(url)
        return parts.path + ('?' + parts.query if parts.query else '')

    def approve_on_patreon(site, sandbox, user_id=None):
        """Start the login on the site and approve it on the sandbox; returns the callback path with its query."""
        started = site.get('/login')
        assert started.status == 302
        authorize_url = started.location
        assert authorize_url.startswith(sandbox.url + '/oauth2/authorize?')
        query = parse_qs(urlsplit(authorize_url).query)
        assert query['redirect_uri'] == [site.redirect_uri]
        assert query['state'][0]
        if user_id is not None:
            authorize_url += '&sandbox_user=' + user_id  # the sandbox approves as this user
        approved = requests.get(authorize_url, allow_redirects=False, timeout=10)
        assert approved.status_code == 302
        assert approved.headers['Location'].startswith(site.redirect_uri + '?')
        return path_of(approved.headers['Location'])

    def log_in(site, sandbox, user_id=None):
        answer = site.get(approve_on_patreon(site, sandbox, user_id))
        assert answer.status == 302
        assert path_of(answer.location) == '/patrons'
        return answer

    def full_name(sandbox, user_id):
        with patreon.API(sandbox.issue_tokens(user_id=user_id)['access_token'], base_url=sandbox.url,
                         raise_errors=True) as api:
            return api.get_identity(fields={'user': ['full_name']}).data().attribute('full_name')

    def token_requests(sandbox):
        return [record for record in sandbox.requests if record.path == '/api/oauth2/token']

    def test_an_active_patron_logs_in_and_sees_the_patrons_page(site, sandbox):
        assert site.get('/patrons').status == 302  # not logged in yet: sent to log in

        log_in(site, sandbox)
        page = site.get('/patrons')

        assert page.status == 200
        assert 'Thank you for your support' in page.text
        assert full_name(sandbox, sandbox.patron_user_id) in page.text
        assert site.portal.tokens.get(sandbox.patron_user_id)['refresh_token']

    def test_a_cancelled_patron_keeps_the_patrons_page_until_the_period_paid_for_ends(site, sandbox):
        member_id = sandbox.pledge(sandbox.tier_ids[1])
        sandbox.cancel_pledge(member_id)
        with creator_api(sandbox) as api:
            user_id = api.get_members_by_id(member_id, includes=['user']).data().relationship('user').id()

        log_in(site, sandbox, user_id=user_id)
        paid_up = site.get('/patrons')
        sandbox.end_period(member_id)
        ended = site.get('/patrons')

        # A former patron at once, yet Patreon still entitles the tier: let in until the period is over.
        assert paid_up.status == 200 and 'Thank you for your support' in paid_up.text
        assert ended.status == 403
        assert 'Become a patron' in ended.text

    @pytest.mark.parametrize('site_class', [FlaskSite, DjangoSite], ids=['flask', 'django'])
    def test_a_campaign_id_set_as_a_number_is_the_same_campaign(site_class, sandbox):
        # PATREON_CAMPAIGN_ID = 12345 in Django's settings.py: the API's ids are strings, and still compare equal.
        sandbox.register_redirect_uri(site_class.redirect_uri)
        site = site_class({
            'PATREON_CLIENT_ID': sandbox.client_id, 'PATREON_CLIENT_SECRET': sandbox.client_secret,
            'PATREON_REDIRECT_URI': site_class.redirect_uri, 'PATREON_CAMPAIGN_ID': int(sandbox.campaign_id),
            'PATREON_BASE_URL': sandbox.url,
        })
        try:
            log_in(site, sandbox)
            assert site.get('/patrons').status == 200
            log_in(site, sandbox, user_id=sandbox.creator_user_id)
            assert 'your own campaign' in site.get('/patrons').text
        finally:
            site.close()

    def test_the_creator_is_welcomed_not_asked_to_become_a_patron(site, sandbox):
        log_in(site, sandbox, user_id=sandbox.creator_user_id)
        page = site.get('/patrons')

        assert page.status == 200
        assert 'your own campaign' in page.text and 'Become a patron' not in page.text
        assert full_name(sandbox, sandbox.creator_user_id) in page.text

    def logout_form(text):
        """The logout form of a page: its action and its fields, as a browser would post them."""
        form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', text, re.S)
        assert form is not None, text
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', form.group(2)))
        assert fields  # a CSRF token: another site cannot make the browser post it
        return form.group(1), fields

    def test_a_logged_in_visitor_logs_out_from_the_page(site, sandbox):
        assert '<form' not in site.get('/').text  # nobody to log out
        log_in(site, sandbox)
        action, fields = logout_form(site.get('/').text)
        assert logout_form(site.get('/patrons').text)[0] == action

        assert site.post_form(action, {}).status == 403  # a form from elsewhere, without the token
        assert site.get('/patrons').status == 200  # still logged in
        assert site.post_form(action, dict(fields, **{name: 'x' + value for name, value in fields.items()})
                              ).status == 403

        answer = site.post_form(action, fields)

        assert answer.status == 302 and path_of(answer.location) == '/'
        assert site.get('/patrons').status == 302  # sent to log in again
        assert site.portal.tokens.get(sandbox.patron_user_id) is None  # the tokens are forgotten too

    def tier_priced(sandbox, cents):
        """The id of the campaign's tier of ``cents`` a month."""
        with creator_api(sandbox) as api:
            campaign = api.get_campaigns_by_id(sandbox.campaign_id, includes=['tiers'],
                                               fields={'tier': ['amount_cents']}).data()
        return [tier.id() for tier in campaign.relationship('tiers') if tier.attribute('amount_cents') == cents][0]

    @pytest.fixture(params=[FlaskSite, DjangoSite], ids=['flask', 'django'])
    def gated_site(request, sandbox):
        """The app, its patrons-only page gated on the $20 tier (PATREON_TIER_ID)."""
        site_class = request.param
        sandbox.register_redirect_uri(site_class.redirect_uri)
        site = site_class({
            'PATREON_CLIENT_ID': sandbox.client_id, 'PATREON_CLIENT_SECRET': sandbox.client_secret,
            'PATREON_REDIRECT_URI': site_class.redirect_uri, 'PATREON_CAMPAIGN_ID': sandbox.campaign_id,
            'PATREON_BASE_URL': sandbox.url, 'PATREON_TIER_ID': tier_priced(sandbox, 2000),
        })
        yield site
        site.close()

    @pytest.mark.parametrize('cents,status', [(5000, 200), (2000, 200), (800, 403)])
    def test_a_tier_page_opens_to_its_tier_and_dearer_ones(gated_site, sandbox, cents, status):
        # Patreon lists only the tier pledged to: the $50 patron is not "entitled" to the $20 tier, yet pays more.
        member_id = sandbox.pledge(tier_priced(sandbox, cents))
        with creator_api(sandbox) as api:
            user_id = api.get_members_by_id(member_id, includes=['user']).data().relationship('user').id()

        log_in(gated_site, sandbox, user_id=user_id)
        page = gated_site.get('/patrons')

        assert page.status == status
        assert ('Thank you for your support' if status == 200 else 'Become a patron') in page.text

    def test_a_callback_with_another_state_is_refused_before_the_code_is_used(site, sandbox):
        callback = approve_on_patreon(site, sandbox)
        forged = callback.replace('state=', 'state=x')

        answer = site.get(forged)

        assert answer.status == 403
        assert 'state does not match' in answer.text
        assert token_requests(sandbox) == []
        assert site.get('/patrons').status == 302

    def test_a_callback_is_good_for_one_login_only(site, sandbox):
        callback = approve_on_patreon(site, sandbox)
        assert site.get(callback).status == 302

        replayed = site.get(callback)

        assert replayed.status == 403  # the state left the session with the first callback
        assert len(token_requests(sandbox)) == 1

    def test_a_refusal_on_patreon_is_shown_as_such(site, sandbox):
        callback = approve_on_patreon(site, sandbox)
        state = parse_qs(urlsplit(callback).query)['state'][0]

        answer = site.get('/oauth/redirect?error=access_denied&state=' + state)

        assert answer.status == 403
        assert 'access_denied' in answer.text

    def test_expired_tokens_are_refreshed_and_the_new_ones_stored(site, sandbox):
        log_in(site, sandbox)
        before = site.portal.tokens.get(sandbox.patron_user_id)
        sandbox.expire_access_token(before['access_token'])

        assert site.get('/patrons').status == 200

        after = site.portal.tokens.get(sandbox.patron_user_id)
        assert after['access_token'] != before['access_token']
        assert after['refresh_token'] != before['refresh_token']
        assert len(token_requests(sandbox)) == 2  # the code exchange, one refresh
        assert site.get('/patrons').status == 200  # with the stored new tokens
        assert len(token_requests(sandbox)) == 2

    def test_a_revoked_login_is_sent_to_log_in_again(site, sandbox):
        log_in(site, sandbox)
        stored = site.portal.tokens.get(sandbox.patron_user_id)
        # Someone else used the refresh token (it rotates), and the access token expired.
        patreon.OAuth(sandbox.client_id, sandbox.client_secret, base_url=sandbox.url,
                      raise_errors=True).refresh_token(stored['refresh_token'])
        sandbox.expire_access_token(stored['access_token'])

        answer = site.get('/patrons')

        assert answer.status == 302
        assert path_of(answer.location) == '/login'
        assert site.portal.tokens.get(sandbox.patron_user_id) is None

    def deliver(site, delivery, body=None, signature=None):
        headers = {'X-Patreon-Event': delivery.headers['X-Patreon-Event'],
                   'X-Patreon-Signature': signature or delivery.headers['X-Patreon-Signature']}
        return site.post('/webhooks/patreon', delivery.body if body is None else body, headers)

    def test_every_trigger_is_handled_once_however_often_it_is_delivered(site, sandbox):
        member_id = sandbox.pledge(sandbox.tier_ids[2])
        sandbox.update_pledge(member_id, sandbox.tier_ids[1])
        sandbox.cancel_pledge(member_id)
        sandbox.end_period(member_id)
        post_id = sandbox.publish_post('Hello, patrons')
        kept_post_id = sandbox.publish_post('Still here')
        sandbox.update_post(kept_post_id, title='Still here, edited')
        sandbox.delete_post(post_id)
        deliveries = list(sandbox.deliveries)
        triggers = [delivery.trigger for delivery in deliveries]
        assert set(triggers) >= {'members:create', 'members:pledge:create', 'members:pledge:update',
                                 'members:pledge:delete', 'posts:publish', 'posts:update', 'posts:delete'}

        first = [deliver(site, delivery).status for delivery in deliveries]
        again = [deliver(site, delivery).status for delivery in deliveries]

        assert first == [204] * len(deliveries)
        assert again == [200] * len(deliveries)
        assert [trigger for trigger, _ in site.portal.handled] == triggers
        assert site.portal.members[member_id]['patron_status'] == 'former_patron'
        assert site.portal.members[member_id]['is_active_patron'] is False
        assert site.portal.posts == {kept_post_id: 'Still here, edited'}

    def test_a_pledge_delivery_records_the_new_patron(site, sandbox):
        member_id = sandbox.pledge(sandbox.tier_ids[1])
        pledge = [delivery for delivery in sandbox.deliveries if delivery.trigger == 'members:pledge:create'][0]

        assert deliver(site, pledge).status == 204

        member = site.portal.members[member_id]
        assert member['patron_status'] == 'active_patron'
        assert member['is_active_patron'] is True
        assert member['tier_ids'] == [sandbox.tier_ids[1]]

    def test_a_delivery_whose_signature_does_not_match_is_refused(site, sandbox):
        sandbox.pledge(sandbox.tier_ids[1])
        delivery = sandbox.deliveries[-1]
        signature = delivery.headers['X-Patreon-Signature']
        wrong = ('0' if signature[0] != '0' else '1') + signature[1:]

        assert deliver(site, delivery, signature=wrong).status == 403
        assert deliver(site, delivery, body=delivery.body.replace(b'"', b' "', 1)).status == 403
        assert site.portal.handled == []
        assert deliver(site, delivery).status == 204  # refused deliveries were not taken as handled

    def test_typed_usage_runs(sandbox):
        summary = typed_usage.run(sandbox)

        assert summary['refreshes'] == 1
        assert summary['paying'] == summary['paying_after_refresh'] >= 1
        assert summary['members'] == campaign_total(sandbox)
        assert summary['delivery'] == 'members:pledge:create m-1'
        assert summary['error'].startswith('401 Unauthorized')
