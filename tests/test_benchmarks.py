# -*- coding: utf-8 -*-
"""Smoke tests of ``benchmarks/``: the benchmark code runs and measures the right thing, at tiny sizes.

Nothing here asserts a timing: ``make bench`` measures, these tests only check
that what it would measure is correct (same pages, same requests, every
member once, the report written).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import json
import os
import sys

import pytest

BENCH_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'benchmarks')

# The benchmarks are a Python 3 tool (`make bench` runs them on python3, and the HTTPS figures need trustme, which
# the development requirements install on Python 3 only); on Python 2 this module defines no test of them, rather
# than skipping tests.
if sys.version_info >= (3, 6):
    import requests
    import requests.adapters
    from six.moves.urllib.parse import urlencode

    from patreon import API
    from patreon.jsonapi.parser import JSONAPIParser, JSONAPIResource
    from patreon.jsonapi.url_util import build_url
    from patreon.sandbox import Sandbox

    sys.path.insert(0, BENCH_DIR)
    import benchlib  # noqa: E402
    import fig1_walk  # noqa: E402
    import fig3_http  # noqa: E402
    import member_pages  # noqa: E402
    import results  # noqa: E402
    import run  # noqa: E402

    class OldStyleAPI(object):
        """Stands in for 0.5.1 where it is not installed: it calls ``requests.get`` on Patreon's own host."""

        def __init__(self, access_token):
            self.access_token = access_token

        def get_campaigns_by_id_members(self, resource_id, page_size, cursor=None, includes=None, fields=None):
            params = [('page[count]', page_size)] + ([('page[cursor]', cursor)] if cursor else [])
            path = build_url('campaigns/{}/members?{}'.format(resource_id, urlencode(params)), includes, fields)
            response = requests.get('https://www.patreon.com/api/oauth2/v2/' + path,
                                    headers={'Authorization': 'Bearer ' + self.access_token})
            return JSONAPIParser(response.json())

        extract_cursor = staticmethod(API.extract_cursor)

    class RequestedURLs(list):
        """A ``requests`` response hook that keeps the URL of every request."""

        def __call__(self, response, *args, **kwargs):
            self.append(response.request.url)
            return response

    @pytest.fixture(name='loopback_only')
    def loopback_only_fixture(monkeypatch):
        """``benchlib.loopback_only()`` for one test: ``requests`` may reach 127.0.0.1 and nothing else."""
        monkeypatch.setattr(requests.adapters.HTTPAdapter, 'send', requests.adapters.HTTPAdapter.send)
        benchlib.loopback_only()

    @pytest.fixture(name='sandbox', scope='module')
    def sandbox_fixture():
        with Sandbox(members=25, seed=3) as sandbox:
            yield sandbox

    def test_member_pages_are_the_same_bytes_for_the_same_seed():
        assert member_pages.members_page_text(30, seed=1) == member_pages.members_page_text(30, seed=1)
        assert member_pages.members_page_text(30, seed=1) != member_pages.members_page_text(30, seed=2)

    def test_member_pages_have_null_or_absent_addresses_and_include_every_reference():
        with_nulls = member_pages.members_page(30, null_addresses=True)
        without = member_pages.members_page(30, null_addresses=False)

        assert len(with_nulls['data']) == 30
        addresses = [member['relationships'].get('address') for member in with_nulls['data']]
        assert {'data': None} in addresses and all(address is not None for address in addresses)
        assert [member['relationships'].get('address') for member in without['data']] == \
            [None if address == {'data': None} else address for address in addresses]
        included = set((resource['type'], resource['id']) for resource in with_nulls['included'])
        users, tiers, address_ids = member_pages.expected_walk(with_nulls)
        assert set(('user', user) for user in users) <= included
        assert set(('tier', tier) for ids in tiers for tier in ids) <= included
        assert set(('address', address) for address in address_ids if address) <= included
        assert any(tiers) and None in address_ids and any(address_ids)

    def test_lean_pages_hold_three_member_attributes_two_user_attributes_one_tier_and_null_addresses():
        page = member_pages.lean_members_page(30)

        assert member_pages.lean_members_page_text(30, seed=1) == member_pages.lean_members_page_text(30, seed=1)
        assert len(page['data']) == 30
        for member in page['data']:
            assert tuple(sorted(member['attributes'])) == tuple(sorted(member_pages.LEAN_MEMBER_ATTRIBUTES))
            assert member['relationships']['address'] == {'data': None}
            assert len(member['relationships']['currently_entitled_tiers']['data']) == 1
        included = dict(((resource['type'], resource['id']), resource) for resource in page['included'])
        assert sorted(resource_type for resource_type, _ in included) == ['tier'] * 5 + ['user'] * 30
        assert all(len(resource['attributes']) == 2 for resource in page['included'])
        users, tiers, addresses = member_pages.expected_walk(page)
        assert set(('user', user) for user in users) | set(('tier', t) for ids in tiers for t in ids) <= set(included)
        assert len(set(t for ids in tiers for t in ids)) > 1 and addresses == [None] * 30
        assert len(member_pages.lean_members_page_text(30)) < len(member_pages.members_page_text(30)) / 2

    @pytest.mark.parametrize('null_addresses', [True, False])
    def test_the_timed_walk_resolves_every_members_user_tiers_and_address(null_addresses):
        document = json.loads(member_pages.members_page_text(40, null_addresses=null_addresses))

        assert fig1_walk.resolved(JSONAPIParser, document) == member_pages.expected_walk(document)
        assert fig1_walk.check_walk(JSONAPIParser, 'full', document)
        fig1_walk.walk(JSONAPIParser, document)  # the timed version of the same calls

    def test_the_timed_lean_walk_also_reads_each_members_three_attributes():
        document = json.loads(member_pages.lean_members_page_text(40))
        expected = member_pages.expected_lean_walk(document)
        calls = []

        class Recording(JSONAPIResource):
            __slots__ = ()

            def attribute(self, name):
                calls.append(name)
                return JSONAPIResource.attribute(self, name)

        class RecordingParser(JSONAPIParser):
            def data(self):
                return [Recording(member.json_data, self) for member in JSONAPIParser.data(self)]

        class Forgetful(Recording):
            __slots__ = ()

            def attribute(self, name):
                return None if name == 'patron_status' else Recording.attribute(self, name)

        class ForgetfulParser(JSONAPIParser):
            def data(self):
                return [Forgetful(member.json_data, self) for member in JSONAPIParser.data(self)]

        assert fig1_walk.lean_resolved(JSONAPIParser, document) == expected
        assert expected[3][0] == tuple(document['data'][0]['attributes'][name]
                                       for name in member_pages.LEAN_MEMBER_ATTRIBUTES)
        assert fig1_walk.check_walk(JSONAPIParser, 'lean', document)
        assert not fig1_walk.check_walk(ForgetfulParser, 'lean', document)
        del calls[:]
        fig1_walk.lean_walk(RecordingParser, document)  # the timed version of the same calls
        assert calls == list(member_pages.LEAN_MEMBER_ATTRIBUTES) * 40

    def test_the_walk_figure_measures_three_pages_for_ours_and_one_for_the_baseline():
        ours = fig1_walk.child('ours', [15], quick=True)
        baseline = fig1_walk.child('baseline', [15], quick=True)

        assert sorted((row['page'], row['null_addresses']) for row in ours['rows']) == \
            [('full', False), ('full', True), ('lean', True)]
        assert [(row['page'], row['null_addresses']) for row in baseline['rows']] == [('full', False)]
        assert all(row['loads']['runs'] == row['walk']['runs'] == 3 for row in ours['rows'] + baseline['rows'])
        lean, = [row for row in ours['rows'] if row['page'] == 'lean']
        assert lean['bytes'] == len(member_pages.lean_members_page_text(15).encode('utf-8'))
        table = fig1_walk.tabulate({'ours': ours, 'baseline': baseline}, [15])
        assert [row[0] for row in table['rows']] == ['15', '15 (null addresses)', '15 (lean, null addresses)']

    def test_budget_warms_up_then_runs_between_the_minimum_and_the_maximum():
        assert list(benchlib.Budget(warmup=2, min_runs=3, max_runs=3, seconds=0).runs()) == \
            [False, False, True, True, True]
        assert list(benchlib.Budget(warmup=0, min_runs=1, max_runs=4, seconds=60).runs()) == [True] * 4
        calls = []
        assert len(benchlib.Budget(warmup=1, min_runs=2, max_runs=2, seconds=0).run(lambda: calls.append(1))) == 2
        assert len(calls) == 3

    def test_summarize_gives_the_median_min_and_max():
        assert benchlib.summarize([3.0, 1.0, 2.0]) == {'median': 2.0, 'min': 1.0, 'max': 3.0, 'runs': 3}
        assert benchlib.summarize([4.0, 1.0, 2.0, 3.0])['median'] == 2.5
        with pytest.raises(ValueError):
            benchlib.summarize([])

    def test_deep_size_counts_each_object_once():
        text = 'x' * 1000
        assert benchlib.deep_size([text, text]) == sys.getsizeof([text, text]) + sys.getsizeof(text)
        assert benchlib.deep_size({'a': [1]}) > sys.getsizeof({'a': [1]})

    def test_identity_check_refuses_the_wrong_package():
        installed = {'name': 'patreon', 'version': '0.6.0', 'path': '/venv/lib/site-packages/patreon'}
        benchlib.check_identity(installed, 'ours')
        benchlib.check_identity({'name': 'patreon-v2', 'version': '0.5.1', 'path': '/b/patreon'}, 'baseline')
        with pytest.raises(benchlib.ChildFailed):
            benchlib.check_identity(installed, 'baseline')
        with pytest.raises(benchlib.ChildFailed):
            benchlib.check_identity(dict(installed, path=os.path.join(benchlib.REPO_DIR, 'patreon')), 'ours')

    def test_clients_refuse_any_host_but_loopback(loopback_only):
        with pytest.raises(RuntimeError, match='refused a request to www.patreon.com'):
            requests.get('https://www.patreon.com/api/oauth2/v2/identity')

    def test_every_client_fetches_every_member_once_with_the_same_requests(sandbox, loopback_only):
        fetched, read = {}, {}
        for side, fetch in sorted(fig3_http.FETCHERS.items()):
            requested = RequestedURLs()
            kwargs = {'api_class': OldStyleAPI} if side == 'baseline' else {}
            rows = fetch(sandbox.url, sandbox.creator_token, sandbox.campaign_id, 10, requested, **kwargs)
            ids = [row[0] for row in rows]
            fetched[side], read[side] = [{'urls': requested[:2]}], rows
            assert len(ids) == len(set(ids)) == 25, side
            assert len(requested) == 3 and all(url.startswith(sandbox.url + '/') for url in requested), side
            first_page = fetch(sandbox.url, sandbox.creator_token, sandbox.campaign_id, 10, RequestedURLs(),
                               max_pages=1, **kwargs)
            assert first_page == rows[:10], side
        fig3_http.same_requests(fetched)
        # Each reads the member's user and tiers, as an export does, and all read the same.
        assert read['ours'] == read['floor'] == read['baseline']
        assert all(user_id for _, user_id, _ in read['ours']) and any(titles for _, _, titles in read['ours'])
        assert requests.get.__module__ == 'requests.api'  # the baseline's redirection is undone

    def test_a_profiled_pass_names_the_clients_functions(sandbox, loopback_only):
        outcome = fig3_http.child(['ours', 'floor'], sandbox.url, sandbox.creator_token, sandbox.campaign_id, 10,
                                  runs=3, warmup=1, profiled=True)

        for side in ('ours', 'floor'):
            measured = outcome['sides'][side]
            assert measured['members'] == measured['distinct'] == 25 and measured['pages'] == 3
            assert len(measured['wall']) == len(measured['cpu']) == 3
        assert outcome['profile'] and all(entry['calls'] >= 1 for entry in outcome['profile'])
        assert 'paginate' in benchlib.describe_profile(benchlib.profile(
            fig3_http.fetch_ours, (sandbox.url, sandbox.creator_token, sandbox.campaign_id, 10, lambda r, **k: r),
            limit=1000))

    def test_a_missed_http_goal_is_reported_with_its_profile():
        def outcome(wall, cpu):
            return {'wall': [wall], 'cpu': [cpu], 'pages': 2, 'bytes': 10, 'members': 20}
        profile = [{'function': 'api.py:1(paginate)', 'calls': 3, 'own': 0.5, 'cumulative': 1.0}]
        measured = {'members': 20, 'page_size': 10, 'runs_per_side': 1, 'warmup': 0, 'rounds': 1, 'profile': profile,
                    'outcomes': {'ours': [outcome(2.0, 1.5)], 'floor': [outcome(1.0, 0.5)]}}

        figure = fig3_http.tabulate([('HTTP', measured)])

        goal, = figure['goals']
        assert not goal['met'] and goal['value'].startswith('3.000×')  # judged on client CPU, not wall time
        assert 'client CPU' in goal['goal']
        assert 'ours 1500 ms, the floor 500 ms' in goal['why'] and '`api.py:1(paginate)` 500.0 ms own' in goal['why']

    def test_a_missed_walk_goal_is_reported_with_its_profile():
        def row(page, size, null_addresses, loads, walk, profile=None):
            stats = dict((name, {'median': value, 'min': value, 'max': value, 'runs': 3})
                         for name, value in (('loads', loads), ('walk', walk)))
            return dict(stats, page=page, size=size, null_addresses=null_addresses, bytes=1000, **(
                {'profile': profile} if profile else {}))
        profile = [{'function': 'parser.py:9(_lookup)', 'calls': 3000, 'own': 0.002, 'cumulative': 0.003}]
        lean_profile = [{'function': 'parser.py:7(attribute)', 'calls': 3000, 'own': 0.001, 'cumulative': 0.001}]
        ours = {'rows': [row('full', 1000, False, 0.010, 0.020, profile), row('full', 1000, True, 0.010, 0.020),
                         row('lean', 1000, True, 0.004, 0.006, lean_profile)]}

        figure = fig1_walk.tabulate({'ours': ours}, [1000])

        full, lean = figure['goals']
        assert not full['met'] and full['value'] == '2.00'
        assert '`parser.py:9(_lookup)` 2.0 ms own, 3.0 ms with callees, 3,000 calls' in full['why']
        assert not lean['met'] and lean['value'] == '1.50' and 'lean page of 1,000 members' in lean['goal']
        assert '`parser.py:7(attribute)` 1.0 ms own' in lean['why']
        assert figure['rows'][-1][0] == '1,000 (lean, null addresses)' and figure['rows'][-1][4] == '1.50'

    def test_a_met_lean_walk_goal_is_reported_met():
        def row(page, null_addresses, walk):
            stats = dict((name, {'median': value, 'min': value, 'max': value, 'runs': 3})
                         for name, value in (('loads', 0.004), ('walk', walk)))
            return dict(stats, page=page, size=1000, null_addresses=null_addresses, bytes=1000)
        ours = {'rows': [row('full', False, 0.001), row('full', True, 0.001), row('lean', True, 0.004)]}

        goals = fig1_walk.tabulate({'ours': ours}, [1000])['goals']

        assert [(goal['met'], goal['value'], goal['why']) for goal in goals] == [(True, '0.25', ''), (True, '1.00', '')]

    def test_different_requests_are_told_apart():
        with pytest.raises(AssertionError):
            fig3_http.same_requests({'ours': [{'urls': ['http://h/a?x=1']}], 'floor': [{'urls': ['http://h/a?x=2']}]})

    def test_the_report_says_which_goals_are_not_met_and_which_figures_failed():
        figure = {'number': 9, 'title': 'T', 'columns': ['a', 'b'], 'rows': [['1', '2']], 'notes': ['n'],
                  'goals': [{'goal': 'g', 'value': '2', 'met': False, 'why': 'because'}]}
        header = {'date': 'd', 'commit': 'c', 'python': '3', 'implementation': 'cpython', 'ours_version': '0.6.0',
                  'baseline_version': '0.5.1', 'cpu': 'cpu', 'cores': 2, 'elapsed': 1.0, 'load': 'l'}

        text = results.render_report(header, [figure], [('figure 3', 'Traceback\nboom')])

        assert '| 9 | g | 2 | **NOT MET** |' in text
        assert '| figure 3 | (figure failed to run) | Traceback | **NOT MEASURED** |' in text
        assert '- Goal: g — **NOT MET** (2). because' in text
        assert '| 1 | 2 |' in text

    def test_a_quick_run_measures_every_figure_and_writes_the_report(tmpdir):
        output = str(tmpdir.join('RESULTS.md'))
        config = run.Config({'ours': sys.executable}, quick=True, check_identity=False, workdir=str(tmpdir))

        report = run.run(config, set([1, 2, 3, 4, 5, 6, 7, 8]), output=output, echo=lambda *args: None)

        assert report['failures'] == []
        assert [figure['number'] for figure in report['figures']] == [1, 2, 3, 4, 5, 6, 7, 8]
        with io.open(output, encoding='utf-8') as written:
            text = written.read()
        assert text == report['text']
        for number in range(1, 9):
            assert '## Figure {}:'.format(number) in text
        assert [row[0] for row in report['figures'][5]['rows']] == [
            'fetching alone (paginate, no work)', 'working alone (no fetching)', 'paginate',
            'paginate(..., prefetch=True)']
        assert [goal['goal'].split('`')[1] for goal in report['figures'][6]['goals']] == [
            '--format csv', '--format jsonl', '--format table']
        http_rows = [row[:2] for row in report['figures'][2]['rows']]
        assert ('HTTPS', 'ours: paginate') in [tuple(row) for row in http_rows]
        assert '- Python: {}'.format(sys.version.split()[0]) in text
