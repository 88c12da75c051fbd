# -*- coding: utf-8 -*-
"""``patreon demo``: the journey passes against the sandbox, and says so when it does not."""
from __future__ import absolute_import, division, print_function, unicode_literals

import ast
import io
import os
import re
import socket
import subprocess
import sys

import pytest

import patreon
from patreon import exceptions
from patreon.cli import _demo
from patreon.cli._demo import Journey, Report, StepFailed, raised, run_demo
from patreon.jsonapi.parser import JSONAPIParser
from test_sandbox_support import trickle_until_hung_up

STEP_TITLES = [title for title, _ in Journey.steps]


# The module's sandbox (tests/conftest.py: fixtures `sb` and `sandbox`).
SANDBOX = dict(members=60, seed=4)


@pytest.fixture
def journey(sandbox):
    out = io.StringIO()
    journey = Journey(sandbox, Report(out))
    journey.out = out
    yield journey
    journey.close()


def listed_webhook_ids(sandbox):
    with patreon.API(sandbox.creator_token, base_url=sandbox.url, raise_errors=True) as api:
        return [hook.id() for hook in api.paginate(api.get_webhooks, page_size=100)]


def step_outcomes(report):
    """Step number -> (title, the mark of its outcome line), read from a report."""
    return dict((int(match.group(1)), (match.group(2), match.group(3))) for match in re.finditer(
        r'^ ?(\d+)\. (.+)\n(?:      .*\n)*    (\S+) ', report, re.MULTILINE))


def test_run_demo_passes_every_step():
    out = io.StringIO()
    assert run_demo(members=150, seed=2, out=out) is True
    report = out.getvalue()
    assert step_outcomes(report) == dict((number, (title, '\u2713')) for number, title in enumerate(STEP_TITLES, 1))
    assert report.count('\u2713') == len(STEP_TITLES) + 1
    assert '\u2717' not in report
    assert re.search(r'\u2713 11/11 steps passed in \d+\.\d s\n$', report)
    assert 'members: 150 of 150' in report
    assert 'every member read once: 150 = meta.pagination.total' in report
    assert 'received members:pledge:create' in report
    assert 'on_token_refresh got access token' in report
    # tokens and codes are masked: four characters, then an ellipsis
    assert re.search(r'access token \S{4}\u2026, refresh token \S{4}\u2026', report)
    assert re.search(r'code=\S{4}\u2026&state=\S{4}\u2026', report)


def test_run_demo_falls_back_to_ascii_marks(monkeypatch):
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding='ascii')
    assert run_demo(members=40, seed=1, out=out) is True
    out.flush()
    report = raw.getvalue().decode('ascii')
    assert report.count('[ok]') == len(STEP_TITLES) + 1
    assert '[ok] 11/11 steps passed' in report
    assert 'code=' in report and '...&state=' in report


def test_run_demo_reports_a_failed_step_and_skips_the_rest(monkeypatch):
    monkeypatch.setattr(_demo, 'check_state', lambda expected, received: False)
    out = io.StringIO()
    assert run_demo(members=30, out=out) is False
    report = out.getvalue()
    assert '    \u2717 the state that came back is not the one sent\n' in report
    outcomes = step_outcomes(report)
    assert [outcomes[number][1] for number in sorted(outcomes)] == ['\u2713', '\u2713', '\u2717'] + ['-'] * 8
    assert report.count('- not run: an earlier step failed') == len(STEP_TITLES) - 3
    assert re.search(r'\u2717 2/11 steps passed', report)


def test_an_exception_fails_the_step_and_the_webhook_is_cleaned_up(journey, sandbox, monkeypatch):
    def outage(self):
        raise exceptions.ServerError(503, [])
    monkeypatch.setattr(Journey, 'refresh_expired_token', outage)
    assert journey.run() == 9
    assert '    \u2717 ServerError: 503 Service Unavailable\n' in journey.out.getvalue()
    hook_id = journey.webhook_id
    assert hook_id in listed_webhook_ids(sandbox)
    journey.close()
    assert hook_id not in listed_webhook_ids(sandbox)
    journey.receiver = None  # stopped already


def test_a_delivery_that_does_not_verify_fails_the_step(journey, sandbox):
    journey.create_webhook()
    journey.receiver.secret = 'not the secret'
    with pytest.raises(StepFailed) as failure:
        journey.receive_pledge()
    assert 'did not verify' in str(failure.value)
    answered = [delivery.status for delivery in sandbox.deliveries if delivery.uri == journey.receiver.url]
    assert answered == [403]


def test_no_delivery_fails_the_step(journey, sandbox, monkeypatch):
    journey.create_webhook()
    journey.creator_api.update_webhook(journey.webhook_id, paused=True)  # the sandbox queues, delivers nothing
    monkeypatch.setattr(_demo, 'DELIVERY_TIMEOUT', 0.05)
    with pytest.raises(StepFailed) as failure:
        journey.receive_pledge()
    assert 'no delivery within' in str(failure.value)


def test_cleanup_survives_a_webhook_that_is_gone(journey, sandbox):
    journey.webhook_id = '987654321'
    journey.close()  # the 404 is not worth failing the report for


def test_raised():
    assert raised(ValueError, int, 'x').args
    assert raised(ValueError, int, '1') is None
    with pytest.raises(TypeError):
        raised(ValueError, int, None)


def test_python_m_patreon_demo(tmpdir):
    environ = dict(os.environ, PYTHONIOENCODING='ascii')
    process = subprocess.Popen([sys.executable, '-m', 'patreon', 'demo', '--members', '200'], cwd=str(tmpdir),
                               env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    assert (process.returncode, err) == (0, b'')
    report = out.decode('ascii')
    assert '[ok] 11/11 steps passed' in report
    assert 'members: 200 of 200' in report


def test_the_members_summary_counts_an_annual_pledge_by_the_month():
    summary = _demo.MembersSummary()
    for member_id, amount, cadence in [('annual', 12000, 12), ('monthly', 500, 1), ('free', 0, None)]:
        summary.add(JSONAPIParser({'data': {'type': 'member', 'id': member_id, 'attributes': {
            'patron_status': 'active_patron', 'currently_entitled_amount_cents': amount, 'pledge_cadence': cadence,
            'is_free_trial': False, 'is_gifted': False},
            'relationships': {'currently_entitled_tiers': {'data': []}}}}).data())
    assert summary.monthly_revenue_cents == 1000 + 500
    assert summary.paying == 2


def test_what_the_report_shows_cannot_drive_the_terminal(journey, monkeypatch):
    def forged(self):
        raise StepFailed('name \x1b]0;retitled\x07 and\nforged line')
    monkeypatch.setattr(Journey, 'build_authorization_url', forged)
    journey.run()
    report = journey.out.getvalue()
    assert '\x1b' not in report and '\x07' not in report
    assert 'name \\x1b]0;retitled\\x07 and\\nforged line' in report


def test_the_demo_uses_no_command_line_module_but_the_console():
    # Both live in patreon/cli/ now; the demo still runs without the parser and the commands, and the console
    # output it shares with them imports neither.
    def cli_imports(name):
        with open(os.path.join(os.path.dirname(patreon.__file__), 'cli', name + '.py'), 'rb') as f:
            tree = ast.parse(f.read())  # bytes: Python 2 refuses a coding line in a unicode source
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found.update([node.module] if node.module else [alias.name for alias in node.names])
            elif isinstance(node, ast.ImportFrom) and (node.module or '').startswith('patreon.cli'):
                found.add(node.module)
        return found

    assert cli_imports('_demo') == {'_console'}
    assert cli_imports('_console') == set()
    assert cli_imports('_demo_command') >= {'_option_types'}  # the check sees a command's own imports


@pytest.mark.parametrize('head, body', [
    (b'POST /hooks/patreon HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 160\r\n\r\n', b'{' * 160),
    (b'', b'POST /hooks/patreon HTTP/1.1\r\nHost: 127.0.0.1\r\n' + b'X-Padding: ' + b'x' * 100 + b'\r\n\r\n'),
])
def test_the_demo_receiver_drops_a_delivery_trickled_a_byte_at_a_time(head, body):
    receiver = _demo.WebhookReceiver(timeout=0.3).start()
    try:
        connection = socket.create_connection(('127.0.0.1', receiver_port(receiver)), timeout=30)
        try:
            connection.sendall(head)
            sent = trickle_until_hung_up(connection, body)
        finally:
            connection.close()
    finally:
        receiver.stop()
    assert sent < len(body) and receiver.deliveries.empty()


def test_the_demo_receiver_answers_a_content_length_that_is_no_number_with_400():
    receiver = _demo.WebhookReceiver(timeout=5).start()
    try:
        connection = socket.create_connection(('127.0.0.1', receiver_port(receiver)), timeout=30)
        try:
            connection.sendall(b'POST /hooks/patreon HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n{}')
            answer = connection.recv(65536)
        finally:
            connection.close()
    finally:
        receiver.stop()
    assert answer.startswith(b'HTTP/1.0 400 ') and receiver.deliveries.empty()


def receiver_port(receiver):
    return int(receiver.url.split(':')[2].split('/')[0])
