"""Each route, each resource's fields and each sandbox control action are declared once (patreon._routes,
patreon.schemas, patreon._sandbox_actions): everything made from a declaration, or written next to it (a signature,
a stub, a guide's table), must agree with it."""
from __future__ import absolute_import, division, print_function, unicode_literals

import ast
import inspect
import io
import json
import os
import re
import warnings

import pytest
import six

import patreon
from helpers import closed_port
from patreon import _routes, _sandbox_actions, _scope_notes, scopes
from patreon.jsonapi import _known_names as known_names
from patreon.jsonapi._known_names import check_names
from patreon.api import ErrorDocument
from patreon.schemas import SCHEMA_MODULE_NAMES, schema_for_type

SANDBOX = dict(members=40, seed=11)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROUTES = list(_routes.ROUTES.values())
ROUTE_IDS = [route.name for route in ROUTES]
# An argument for each parameter a route method requires, by name.
EXAMPLES = {'resource_id': '4242', 'webhook_id': '4242', 'live_id': '4242', 'campaign_id': '4242', 'page_size': 5,
            'uri': 'http://127.0.0.1:9/hook', 'triggers': ['members:create'], 'state': 'live'}
NOT_ROUTES = ('close', 'paginate', 'paginate_pages', 'extract_cursor')


def parameters(function):
    """``[(name, may be left out)]`` of a function, ``self`` left out (``**options`` may be)."""
    if six.PY2:  # pragma: no cover - Python 2 has no inspect.signature
        spec = inspect.getargspec(function)
        defaults = len(spec.defaults or ())
        found = [(name, index >= len(spec.args) - defaults) for index, name in enumerate(spec.args)][1:]
        return found + [(name, True) for name in (spec.varargs, spec.keywords) if name]
    return [(name, parameter.default is not parameter.empty or parameter.kind in (parameter.VAR_POSITIONAL,
                                                                                 parameter.VAR_KEYWORD))
            for name, parameter in inspect.signature(function).parameters.items()][1:]


def read(*path):
    with io.open(os.path.join(ROOT, *path), encoding='utf-8') as stream:
        return stream.read()


def stub_signatures(text):
    """``{name: [(parameter, default as written or None, starred)]}`` of the ``def``s of a stub (self left out), read
    without a Python 3 parser."""
    methods = {}
    for match in re.finditer(r'def (\w+)\((.*?)\)\s*->', text, re.S):
        found, depth, current = [], 0, ''
        for char in match.group(2) + ',':
            depth += char in '[(' and 1 or char in '])' and -1 or 0
            if char == ',' and depth == 0:
                written, _, default = current.partition('=')
                name = written.split(':')[0].strip()
                if name and name != 'self':
                    found.append((name.lstrip('*'), default.strip() or None, name.startswith('*')))
                current = ''
            else:
                current += char
        methods[match.group(1)] = found
    return methods


def stub_methods(text):
    """``{name: [parameter names]}`` of the ``def``s of a stub (self left out)."""
    return dict((method, [name for name, _, _ in found]) for method, found in stub_signatures(text).items())


def stub_class(text, name):
    """:func:`stub_signatures` of one class of a stub."""
    return stub_signatures(re.search(r'^class {}\b.*?:\n((?:(?:    .*)?\n)*)'.format(name), text, re.M).group(1))


def filled(path):
    return path.replace('{id}', EXAMPLES['resource_id'])


# -- routes ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('route', ROUTES, ids=ROUTE_IDS)
def test_each_route_is_an_api_method_with_the_declared_parameters(route):
    found = parameters(getattr(patreon.API, route.name))

    assert [name for name, _ in found] == list(route.params)
    assert [name for name, optional in found if not optional][:len(route.path_params)] == list(route.path_params)
    if route.method == 'GET':  # every read takes includes and fields, a list route a page size and a cursor
        assert ('includes', True) in found and ('fields', True) in found
        assert (('page_size', False) in found and ('cursor', True) in found) == route.pages


@pytest.mark.parametrize('route', ROUTES, ids=ROUTE_IDS)
def test_each_route_method_says_its_route_first(route):
    assert getattr(patreon.API, route.name).__doc__.startswith('``{} {}``'.format(route.method, route.path))


def test_every_route_method_of_the_api_is_declared():
    public = [name for name in dir(patreon.API) if not name.startswith('_')
              and inspect.isroutine(getattr(patreon.API, name)) and name not in NOT_ROUTES]

    assert sorted(public) == sorted(_routes.ROUTES)


@pytest.mark.parametrize('route', ROUTES, ids=ROUTE_IDS)
def test_the_stub_lists_each_route_method_with_its_parameters(route):
    assert stub_methods(read('patreon', 'api.pyi')).get(route.name) == list(route.params)


@pytest.mark.parametrize('route', ROUTES, ids=ROUTE_IDS)
def test_scopes_come_from_the_declaration(route):
    path = filled(route.path)

    assert scopes.required_scopes(route.method, path) == set([route.scope])
    assert scopes.required_scopes(route.method, path, fields={'member': ['email']}) == \
        set([route.scope, route.email_scope])
    for step, scope in route.include_scopes.items():
        assert scopes.required_scopes(route.method, path, includes=['x.' + step]) == set([route.scope, scope])
    assert route.scope in scopes.ALL and route.email_scope in scopes.ALL
    assert set(route.include_scopes.values()) <= set(scopes.ALL)
    assert 'needs the scope {},'.format(route.scope) in _scope_notes.lacking_note(route.method, path, frozenset())


@pytest.mark.parametrize('route', [route for route in ROUTES if route.path_params],
                         ids=[route.name for route in ROUTES if route.path_params])
def test_no_id_route_lets_a_dot_segment_reach_another_route(route):
    api = patreon.API('a-token', base_url='http://127.0.0.1:{}'.format(closed_port()), retry=None)
    required = [name for name, optional in parameters(getattr(patreon.API, route.name)) if not optional]

    with pytest.raises(patreon.exceptions.InvalidArgument) as raised:  # before any request: nobody listens there
        getattr(api, route.name)(*['..' if name in route.path_params else EXAMPLES[name] for name in required])

    assert route.path in six.text_type(raised.value)


def test_a_method_or_path_no_declaration_has_is_no_route_of_scopes():
    with pytest.raises(patreon.exceptions.InvalidArgument):
        scopes.required_scopes('PATCH', 'campaigns/7')
    with pytest.raises(patreon.exceptions.InvalidArgument):
        scopes.required_scopes('GET', 'campaigns/7/tiers')


@pytest.mark.parametrize('route', ROUTES, ids=ROUTE_IDS)
def test_each_declared_include_is_a_relationship_of_the_type_returned(route):
    assert (route.returns is None) == (route.method == 'DELETE')
    if route.returns is not None:
        relationships = vars(schema_for_type(route.returns).Relationships)
        assert [name for name in route.includes if relationships.get(name) != name] == []


@pytest.mark.parametrize('route', ROUTES, ids=ROUTE_IDS)
def test_the_method_sends_the_declared_route_which_the_sandbox_serves_with_the_declared_scope(fresh, route):
    token = fresh.issue_tokens(scopes=[scope for scope in scopes.ALL if scope != route.scope])['access_token']
    api = patreon.API(token, base_url=fresh.url, scopes=[scope for scope in scopes.ALL if scope != route.scope])
    required = [name for name, optional in parameters(getattr(patreon.API, route.name)) if not optional]

    result = getattr(api, route.name)(*[EXAMPLES[name] for name in required])

    record = fresh.requests[-1]
    assert (record.method, record.path, record.status) == (route.method, '/api/oauth2/v2/' + filled(route.path), 401)
    assert isinstance(result, ErrorDocument)
    # The sandbox refused it for the declared scope, and the client's note names the same one.
    assert "needs the scope '{}'".format(route.scope) in six.text_type(result.error)
    assert 'the call needs the scope {},'.format(route.scope) in six.text_type(result.error)


@pytest.mark.parametrize('route', [route for route in ROUTES if route.max_page_size],
                         ids=[route.name for route in ROUTES if route.max_page_size])
def test_the_sandbox_serves_pages_up_to_the_declared_limits_and_no_larger(sb, route):
    api = patreon.API(sb.creator_token, base_url=sb.url)
    method = getattr(api, route.name)
    for includes in [[]] + [[name] for name in route.max_page_size_with]:
        limit = route.page_limit(includes)

        assert not isinstance(method(sb.campaign_id, limit, includes=includes), ErrorDocument)
        refused = method(sb.campaign_id, limit + 1, includes=includes)
        assert isinstance(refused, ErrorDocument) and refused.error.status_code == 400
        assert 'at most {} '.format(limit) in six.text_type(refused.error)


@pytest.mark.parametrize('route', [route for route in ROUTES if route.method == 'GET'],
                         ids=[route.name for route in ROUTES if route.method == 'GET'])
def test_paginate_walks_what_the_declaration_calls_a_list_and_refuses_the_rest(monkeypatch, route):
    class Subclass(patreon.API):  # an override that hides the signature: the route's declaration still decides
        def wrapped(self, *args, **kwargs):
            return getattr(patreon.API, route.name)(self, *args, **kwargs)

    setattr(Subclass, route.name, Subclass.wrapped)
    for api in (patreon.API('a-token', base_url='http://127.0.0.1:{}'.format(closed_port()), retry=None),
                Subclass('a-token', base_url='http://127.0.0.1:{}'.format(closed_port()), retry=None)):
        ids = ('1',) if '{id}' in route.path else ()
        for pages in (route.pages, not route.pages):  # as declared, then the other way round
            monkeypatch.setitem(_routes.ROUTES, route.name, route._replace(pages=pages))
            if pages:
                assert inspect.isgenerator(api.paginate_pages(getattr(api, route.name), *ids, page_size=1))
            else:
                with pytest.raises(patreon.exceptions.InvalidArgument) as raised:
                    api.paginate_pages(getattr(api, route.name), *ids, page_size=1)
                assert 'list route' in six.text_type(raised.value)


def test_the_sandbox_route_table_is_made_of_the_declarations():
    from patreon.sandbox._routes import API_PREFIX, ROUTES as SERVED, Application

    api_routes = [(route.pattern, method, route.handlers[method], route.scopes[method])
                  for route in SERVED if route.prefix == API_PREFIX for method in sorted(route.handlers)]

    assert sorted((pattern, method, scope) for pattern, method, _, scope in api_routes) == \
        sorted((route.path, route.method, route.scope) for route in ROUTES)
    assert [handler for _, _, handler, _ in api_routes if not callable(getattr(Application, handler, None))] == []


def test_the_sandbox_serves_the_oauth_paths_the_client_calls_and_no_other():
    from patreon import oauth
    from patreon.sandbox._routes import API_PREFIX, ROUTES as SERVED, Application, match_route

    paths = [getattr(oauth, name) for name in oauth.__all__ if name.endswith('_PATH')]

    assert sorted(route.path for route in SERVED if route.prefix != API_PREFIX) == sorted(paths)
    for path in paths:
        route, _ = match_route(path)
        assert route is not None and route.path == path
        assert [handler for handler in route.handlers.values() if not callable(getattr(Application, handler))] == []


def table_rows(page, header):
    """The cells of each row of the Markdown table of ``page`` whose header row is ``header``."""
    lines = read('docs', page).splitlines()
    start = lines.index(header) + 2  # after the header and its |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith('|'):
            break
        rows.append([cell.strip() for cell in line.strip('|').split(' | ')])
    return rows


def test_the_quickstart_lists_each_route_as_declared_and_no_other():
    rows = table_rows('quickstart.md', '| `patreon.API` method | request |')

    assert [tuple(row) for row in rows] == [
        ('`{}({})`'.format(route.name, ', '.join(route.params)), '`{} {}`'.format(route.method, route.path))
        for route in ROUTES]


def test_the_guides_name_each_route_method_under_its_scope():
    rows = re.findall(r'^\| `[A-Z_]+` \| `([^`]+)` \| (.*) \|$', read('docs/oauth.md'), re.M)

    for scope, uses in rows:
        for name in set(re.findall(r'`(\w+)`', uses)) & set(_routes.ROUTES):
            route = _routes.ROUTES[name]
            assert scope == route.scope or scope in route.include_scopes.values(), (name, scope)
    for route in ROUTES:
        uses = dict(rows)[route.scope]
        assert '`{}`'.format(route.name) in uses or 'every {} route'.format(route.path.split('/')[0][:-1]) in uses


# -- the sandbox's control actions -----------------------------------------------------------------------------------

ACTIONS = list(_sandbox_actions.ACTIONS.values())
ACTION_IDS = [action.name for action in ACTIONS]


BODY_NAMES = set(name.rstrip('?') for action in ACTIONS for name in action.body)
# A value for each name a body may hold, by name.
BODY_EXAMPLES = {'user_id': '41', 'tier_id': '42', 'member_id': '43', 'kind': 'gift', 'title': 'A post',
                 'is_public': False, 'content': '<p>x</p>', 'tier_ids': ['42'], 'route': 'identity', 'count': 2,
                 'options': {'status': 503}}


def defaults(function):
    """``{name: default}`` of a function's parameters that have one."""
    if six.PY2:  # pragma: no cover - Python 2 has no inspect.signature
        spec = inspect.getargspec(function)
        return dict(zip(spec.args[len(spec.args) - len(spec.defaults or ()):], spec.defaults or ()))
    return dict((name, parameter.default) for name, parameter in inspect.signature(function).parameters.items()
                if parameter.default is not parameter.empty)


@pytest.mark.parametrize('action', ACTIONS, ids=ACTION_IDS)
def test_the_client_and_the_sandbox_take_the_declared_body_with_the_same_defaults(action):
    from patreon.sandbox import Sandbox, SandboxControl
    from patreon.sandbox import _events

    body = [(name.rstrip('?'), name.endswith('?')) for name in action.body]
    client = getattr(SandboxControl, action.name)

    assert parameters(client) == body
    if action.name not in ('overview', 'users'):  # what only the endpoint answers: the sandbox's properties
        assert parameters(getattr(Sandbox, action.name)) == body
        assert defaults(getattr(Sandbox, action.name)) == defaults(client)
    event = getattr(_events, action.name, None)
    if event is not None:  # what happens in the world: its arguments are the body's (the campaign: the sandbox's)
        assert [name for name, _ in parameters(event) if name != 'campaign_id'] == [name for name, _ in body]
        assert defaults(event) == defaults(client)


@pytest.mark.parametrize('action', ACTIONS, ids=ACTION_IDS)
def test_the_stub_gives_each_action_method_the_declared_body_and_defaults(action):
    from patreon.sandbox import Sandbox, SandboxControl

    stub = read('patreon', 'sandbox', '__init__.pyi')
    for cls in (SandboxControl, Sandbox):
        if not hasattr(cls, action.name):
            continue
        written = stub_class(stub, cls.__name__)[action.name]

        assert [(name, default is not None or starred) for name, default, starred in written] == \
            [(name.rstrip('?'), name.endswith('?')) for name in action.body], cls
        assert dict((name, ast.literal_eval(default)) for name, default, _ in written if default is not None) == \
            defaults(getattr(cls, action.name)), cls


@pytest.mark.parametrize('action', ACTIONS, ids=ACTION_IDS)
def test_the_client_sends_the_declared_body_and_nothing_else(monkeypatch, action):
    from patreon.sandbox import SandboxControl

    sent = []
    control = SandboxControl('http://127.0.0.1:9', 'a-control-key')
    answer = {action.answer: 'x'}
    monkeypatch.setattr(control, 'request', lambda method, path, body=None: sent.append((method, path, body)) or answer)
    method = getattr(control, action.name)
    names = [name.rstrip('?') for name in action.body]
    required = [name for name in action.body if not name.endswith('?')]

    if names[-1:] == ['options']:  # inject_fault takes the fault's options as keywords
        method(*[BODY_EXAMPLES[name] for name in names[:-1]], **BODY_EXAMPLES['options'])
    else:
        method(*[BODY_EXAMPLES[name] for name in names])
    method(*[BODY_EXAMPLES[name] for name in required])

    everything, least = sent
    assert everything == (action.method, action.path, dict((name, BODY_EXAMPLES[name]) for name in names)
                          if action.method == 'POST' else None)
    assert least[:2] == (action.method, action.path)
    assert set(required) <= set(least[2] or ()) <= set(names)


@pytest.mark.parametrize('action', ACTIONS, ids=ACTION_IDS)
def test_the_endpoint_reads_the_declared_body_and_refuses_any_other_name(sb, action):
    from patreon.sandbox._control import ControlEndpoint
    from patreon.sandbox._messages import HeaderDict, Request

    endpoint = ControlEndpoint(sb, 'a-control-key')
    headers = HeaderDict([('X-Sandbox-Control-Key', 'a-control-key'), ('Content-Type', 'application/json')])

    def answer(body):
        request = Request(action.method, '/sandbox/' + action.path, '', headers, json.dumps(body).encode('utf-8'))
        request.client_address = '127.0.0.1'
        response = endpoint.handle(request)
        return response.status, json.loads(response.body.decode('utf-8'))

    assert sorted(endpoint.actions) == sorted((declared.method, declared.path) for declared in ACTIONS)
    if action.method != 'POST':
        return
    for name in [name for name in action.body if not name.endswith('?')]:  # nothing happens without each of them
        status, refusal = answer(dict((other.rstrip('?'), BODY_EXAMPLES[other.rstrip('?')]) for other in action.body
                                      if other != name))
        assert (status, name in refusal['error']) == (400, True)
    for name in sorted(BODY_NAMES - set(name.rstrip('?') for name in action.body)) + ['not_declared']:
        status, refusal = answer({name: BODY_EXAMPLES.get(name, 'x')})
        assert (status, name in refusal['error']) == (400, True)


@pytest.mark.parametrize('action', ACTIONS, ids=ACTION_IDS)
def test_the_command_line_takes_the_declared_body(action):
    from patreon.cli._arguments import build_parser
    from patreon.cli._exit_status import UsageError

    parser = build_parser()
    required = [name for name in action.body if not name.endswith('?')]
    command = ['sandbox-control', action.command] + [BODY_EXAMPLES[name] for name in required]

    options = vars(parser.parse_args(command))

    assert options['control_name'] == action.name
    assert dict((name.rstrip('?'), options[name.rstrip('?')]) for name in action.body) == dict(
        (name.rstrip('?'), BODY_EXAMPLES[name] if name in required else None) for name in action.body)
    for name in required:  # each one it needs is an argument
        with pytest.raises(UsageError):
            parser.parse_args([word for word in command if word != BODY_EXAMPLES[name]])


def test_the_command_line_guide_gives_each_action_its_declared_arguments_and_no_other():
    from patreon.cli._sandbox_control_command import _OPTIONS

    listed = re.search(r'`patreon sandbox-control ACTION` drives it: (.*?)`--sandbox-url` and `--key` override',
                       read('docs/cli.md'), re.S).group(1)
    documented = []
    for usage in re.findall(r'`([^`]+)`', listed):
        words = ' '.join(usage.split())
        documented.append((words.split()[0], re.findall(r'\b[A-Z][A-Z_]+\b', re.sub(r'\[[^\]]*\]', '', words)),
                           re.findall(r'--[\w-]+', words)))
        if words.startswith('pledge '):
            assert '--kind {}]'.format('|'.join(_sandbox_actions.PLEDGE_KINDS)) in words

    assert documented == [(action.command, [name.upper() for name in action.body if not name.endswith('?')],
                           [_OPTIONS[name[:-1]][0] for name in action.body if name.endswith('?')])
                          for action in ACTIONS]


def test_what_reads_a_body_name_knows_no_name_no_action_declares():
    from patreon.cli import _sandbox_control_command as cli
    from patreon.sandbox import _control

    assert set(_control._CHECKS) <= BODY_NAMES
    assert set(cli._ARGUMENTS) == set(name for action in ACTIONS for name in action.body if not name.endswith('?'))
    assert set(cli._OPTIONS) == set(name[:-1] for action in ACTIONS for name in action.body if name.endswith('?'))


def test_the_command_line_offers_each_declared_action_with_its_summary(capsys):
    from patreon.cli._arguments import build_parser

    parser = build_parser()
    for action in ACTIONS:
        with pytest.raises(SystemExit):
            parser.parse_args(['sandbox-control', action.command, '--help'])
        assert ' '.join(action.summary.split()) in ' '.join(capsys.readouterr().out.split())


def test_the_sandbox_guide_lists_each_control_request_as_declared_and_no_other():
    rows = table_rows('sandbox.md', '| request | body | `data` of the answer | what it does |')
    documented = [(request, tuple(name + mark for name, mark in re.findall(r'"(\w+)"(\??)', body)),
                   answer.strip('`') if answer != 'all of it' else None) for request, body, answer, _ in rows]

    assert documented == [('`{} {}{}`'.format(action.method, _sandbox_actions.CONTROL_PREFIX, action.path),
                           action.body, action.answer) for action in ACTIONS]
    assert [body for _, body, _, _ in rows if body != 'none' and not body.startswith('`{"')] == []


def test_the_guides_list_each_command_line_action_and_no_other():
    listed = re.search(r'`patreon sandbox-control --help` lists every action \((.*?)\)\.', read('docs/sandbox.md'),
                       re.S).group(1)

    assert re.findall(r'`([\w-]+)`', listed) == [action.command for action in ACTIONS]


# -- fields ---------------------------------------------------------------------------------------------------------

def declared(resource_type):
    """``(attributes, relationships)`` of a type, as patreon.schemas declares them."""
    schema = schema_for_type(resource_type)
    return tuple(set(value for name, value in vars(cls).items() if not name.startswith('_'))
                 for cls in (schema.Attributes, schema.Relationships))


def served_records(sb):
    """Records of every type the sandbox renders: what its relationships reach from a campaign, its posts and members,
    the OAuth client, a webhook and a live (at most 25 of each type)."""
    from patreon.sandbox._lives import lives_of
    from patreon.sandbox._resources import RESOURCE_TYPES, View

    world = sb.world
    campaign = world.campaigns[sb.campaign_id]
    with sb.lock:
        live = lives_of(world).create(campaign.id, 'pre_live', 'Q&A', None, None, [])
    hook = sb.hub.create(campaign.id, sb.client, 'http://127.0.0.1:9/hook', ['members:create'])
    view = View(world, sb.url, full=True)
    queue = [campaign, sb.client, hook, live] + [world.posts[post_id] for post_id in campaign.post_ids] + \
        [world.members[member_id] for member_id in campaign.member_ids]
    records, seen = {}, set()
    while queue:
        record = queue.pop()
        kept = records.setdefault(record.type, [])
        if (record.type, record.id) in seen or len(kept) >= 25:
            continue
        seen.add((record.type, record.id))
        kept.append(record)
        for relationship in RESOURCE_TYPES[record.type].relationships.values():
            value = relationship.resolve(record, view)
            queue.extend(value if relationship.many else [value] if value is not None else [])
    return records, view


def test_the_sandbox_serves_each_declared_field_but_those_it_says_it_does_not(sb):
    from patreon.sandbox._resources import (RESOURCE_TYPES, UNSERVED_ATTRIBUTES, UNSERVED_RELATIONSHIPS,
                                           UNSERVED_TYPES)

    records, view = served_records(sb)

    assert sorted(RESOURCE_TYPES) == sorted(set(SCHEMA_MODULE_NAMES) - set(UNSERVED_TYPES))
    for resource_type, definition in RESOURCE_TYPES.items():
        attributes, relationships = declared(resource_type)
        served = set()
        for record in records.get(resource_type, []):
            served.update(definition.attributes(record, view))
        unserved = UNSERVED_ATTRIBUTES.get(resource_type, ())
        assert served == (set() if unserved == '*' else attributes - set(unserved)), resource_type
        assert set(definition.relationships) == relationships - set(UNSERVED_RELATIONSHIPS.get(resource_type, ())), \
            resource_type
        assert set(target.target for target in definition.relationships.values()) <= set(RESOURCE_TYPES)
    # What the sandbox says it leaves out is declared at all: no stale name.
    for table in (UNSERVED_ATTRIBUTES, UNSERVED_RELATIONSHIPS):
        for resource_type, names in table.items():
            assert names == '*' or set(names) <= set().union(*declared(resource_type))


def test_the_sandbox_renders_attributes_sorted(sb):
    from patreon.sandbox._resources import RESOURCE_TYPES

    records, view = served_records(sb)

    for resource_type, kept in records.items():
        for record in kept[:3]:
            names = list(RESOURCE_TYPES[resource_type].attributes(record, view))
            assert names == sorted(names)


@pytest.mark.parametrize('resource_type', sorted(SCHEMA_MODULE_NAMES))
def test_known_names_knows_each_declared_field_and_nothing_else(resource_type):
    attributes, relationships = declared(resource_type)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        for name in attributes | relationships:
            check_names(None, [(resource_type, name)], strict=True)
        for name in relationships:
            check_names(name, [], strict=True)
    with pytest.raises(patreon.exceptions.UnknownFieldError):
        check_names(None, [(resource_type, 'full_nme')], strict=True)
    assert known_names._known_fields(resource_type) == attributes | relationships


@pytest.mark.parametrize('resource_type', sorted(SCHEMA_MODULE_NAMES))
def test_the_schema_stub_lists_each_declared_field(resource_type):
    stub = read('patreon', 'schemas', SCHEMA_MODULE_NAMES[resource_type] + '.pyi')
    attributes, relationships = declared(resource_type)

    for cls, names in (('Attributes', attributes), ('Relationships', relationships)):
        body = re.search(r'^class {}:\n((?:    .*\n?)*)'.format(cls), stub, re.M)
        listed = dict(re.findall(r"^    (\w+): Final = '([^']*)'", body.group(1), re.M)) if body else {}
        assert listed == dict((name, name) for name in names), (resource_type, cls)
