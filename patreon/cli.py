# -*- coding: utf-8 -*-
"""The ``patreon`` command line: read a campaign's data, manage its webhooks, try the sandbox.

Usage::

    $ export PATREON_ACCESS_TOKEN=...     # a creator access token (safer than --token: ps shows arguments)
    $ patreon identity
    $ patreon campaigns
    $ patreon members 1234567 --format csv --include currently_entitled_tiers > members.csv
    $ patreon webhooks create --campaign 1234567 --uri https://example.org/hooks/patreon \\
          --trigger members:pledge:create
    $ patreon sandbox --members 2500     # a local Patreon to point --base-url at
    $ patreon demo                       # the whole journey of an app, against an embedded sandbox

The commands that read accept ``--format table`` (aligned columns; the default when stdout is a
terminal), ``jsonl`` (one JSON object per line; the default otherwise) or ``csv`` (a header line,
then one line per resource); the output is always UTF-8.  ``--fields`` picks the attributes (the
column names are Patreon's), ``--include`` adds related resources as extra columns.

Exit status:

=====  ==========================================================================
0      success
1      another API error (e.g. 400), or pagination that cannot go on
2      usage error: bad arguments, no access token
3      401 Unauthorized: the token is invalid or expired, or lacks the command's scope
       (whatever the body: an HTML page too)
4      403 Forbidden: the token may not see that resource
5      404 Not Found
6      429 Too Many Requests, still after the retries
7      network error: cannot connect, timed out, connection cut
8      Patreon failed: a 5xx answer, or a successful answer that is not the document
       due (not JSON, no ``data``, no resource where one was asked for)
130    interrupted (Ctrl-C)
=====  ==========================================================================

An expected failure is one line on stderr (``patreon: error: 401 Unauthorized: ...``), never a
traceback, never the token.  ``patreon demo`` exits 1 when a step of the journey failed.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import codecs
import collections
import csv
import errno
import io
import json
import os
import re
import socket
import sys
import time
import unicodedata

import requests
import six

from . import exceptions, webhooks
from .api import API
from .credentials import LONE_SURROGATE as _LONE_SURROGATE, clean_credential
from .jsonapi.parser import JSONAPIResource
from .schemas import schema_for_type
from .transport import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, MAX_SECONDS
from .version import __version__

PROG = 'patreon'
TOKEN_ENVIRONMENT_VARIABLE = 'PATREON_ACCESS_TOKEN'
FORMATS = ('table', 'jsonl', 'csv')

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_UNAUTHORIZED = 3
EXIT_FORBIDDEN = 4
EXIT_NOT_FOUND = 5
EXIT_RATE_LIMITED = 6
EXIT_NETWORK = 7
EXIT_SERVER = 8
EXIT_INTERRUPTED = 130

#: Members pages: Patreon's maximum, and its lower maximum when the pledge history comes along.
MEMBERS_PAGE_SIZE = 1000
MEMBERS_PAGE_SIZE_WITH_HISTORY = 500
LIST_PAGE_SIZE = 100
#: Shorter tokens are not hidden from messages (see :func:`_without`).
MIN_SECRET_LENGTH = 8

_ADDRESS_FIELDS = ['addressee', 'line_1', 'line_2', 'postal_code', 'city', 'state', 'country']


class CommandFailed(Exception):
    """A command cannot do its job for a reason worth one line, not a traceback.

    :ivar exit_status: the status ``main`` returns.
    """

    exit_status = EXIT_FAILURE


class UsageError(CommandFailed):
    """The command line asks for something impossible."""

    exit_status = EXIT_USAGE


# --- Writing text ------------------------------------------------------------------------------------------------


class ConsoleWriter(object):
    """Writes text to a stream in one chosen encoding, whatever the stream's own.

    Python 2's ``sys.stdout`` takes bytes, Python 3's takes text in the
    locale's encoding (ASCII under ``LANG=C`` on 3.6): names like "Zoë 🎧"
    must survive both.  Streams that take text in the chosen encoding (or
    that have none, like :class:`io.StringIO`) get text, the others bytes.

    Usage::

        out = ConsoleWriter(sys.stdout)                     # UTF-8, as data exports should be
        out.write('Chlo\\xe9 M\\xfcller\\n')
        report = ConsoleWriter(sys.stdout, encoding=None, errors='replace')  # the terminal's own

    :param stream: a text stream (``sys.stdout``), a Python 2 file, or a buffer.
    :param encoding: the encoding to write; ``None`` for the stream's (UTF-8 when it declares none).
    :param errors: what to do with characters the encoding lacks (``'strict'``, ``'replace'``).
    """

    def __init__(self, stream, encoding='utf-8', errors='strict'):
        self.stream = stream
        declared = getattr(stream, 'encoding', None)
        self.encoding = codecs.lookup(encoding or declared or 'utf-8').name
        self.errors = errors
        self._binary = None
        # Bytes written under a line-buffered text layer (stderr) must not wait for the exit to show.
        self._flush_lines = bool(getattr(stream, 'line_buffering', False))
        if six.PY2 and isinstance(stream, file):  # noqa: F821 (Python 2 only)
            self._binary = stream
        elif declared and codecs.lookup(declared).name != self.encoding:
            self._binary = getattr(stream, 'buffer', None)

    def can_encode(self, text):
        """Whether ``text`` survives this writer's encoding unchanged."""
        try:
            text.encode(self.encoding)
        except UnicodeError:
            return False
        return True

    def write(self, text):
        # A lone surrogate (an answer's "\\ud800" escape) has no valid encoding: U+FFFD, not a traceback (3.x) or
        # bytes that are not UTF-8 (2.7).
        data = _LONE_SURROGATE.sub('\ufffd', text).encode(self.encoding, self.errors)
        if self._binary is None:
            self.stream.write(data.decode(self.encoding))
        else:
            if self._binary is not self.stream:
                self.stream.flush()  # what went through the text layer comes first
            self._binary.write(data)
            if self._flush_lines and b'\n' in data:
                self._binary.flush()

    def line(self, text=''):
        self.write(text + '\n')

    def flush(self):
        self.stream.flush()
        if self._binary is not None and self._binary is not self.stream:
            self._binary.flush()

    def isatty(self):
        return is_terminal(self.stream)


def is_terminal(stream):
    """Whether ``stream`` is an interactive terminal (``False`` for anything that cannot tell)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, IOError, OSError):
        return False


class Progress(object):
    """Reports "members: 1000 of 20000" as pages arrive.

    On a terminal the line rewrites itself; elsewhere each update is a line.

    Usage::

        progress = Progress('members', ConsoleWriter(sys.stderr), enabled=True)
        progress.update(1000, 20000)
        progress.finish()
    """

    def __init__(self, label, console, enabled=True, overwrite=None, prefix=''):
        self.label = label
        self.console = console
        self.enabled = enabled
        self.overwrite = console.isatty() if overwrite is None else overwrite
        self.prefix = prefix
        self._pending_newline = False

    def update(self, done, total):
        if not self.enabled:
            return
        text = '{}{}: {} of {}'.format(self.prefix, self.label, done, '?' if total is None else total)
        if self.overwrite:
            self.console.write('\r' + text)
            self._pending_newline = True
        else:
            self.console.line(text)
        self.console.flush()

    def finish(self):
        if self._pending_newline:
            self.console.line()
            self._pending_newline = False


# --- Records and formats -----------------------------------------------------------------------------------------


def cell_text(value):
    """One value as a CSV or table cell: lists joined with "; ", ``None`` empty, booleans lowercase."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, tuple)):
        return '; '.join(cell_text(item) for item in value)
    if isinstance(value, dict):
        return json_text(value)
    return six.text_type(value)


def json_text(value):
    """Compact JSON as text, non-ASCII kept as is."""
    text = json.dumps(value, ensure_ascii=False, separators=(',', ':'))
    return text.decode('utf-8') if isinstance(text, bytes) else text


def display_width(text):
    """Columns ``text`` takes on a terminal: wide (CJK, emoji) characters take two, combining marks none."""
    width = 0
    for character in text:
        if unicodedata.combining(character):
            continue
        width += 2 if unicodedata.east_asian_width(character) in ('W', 'F') else 1
    return width


class CsvLines(object):
    """Turns rows of text cells into CSV lines, as text, on Python 2 (whose csv takes bytes) and 3."""

    def __init__(self):
        self._buffer = io.BytesIO() if six.PY2 else io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator='\n')

    def line(self, cells):
        self._buffer.seek(0)
        self._buffer.truncate()
        if six.PY2:
            self._writer.writerow([cell.encode('utf-8') for cell in cells])
            return self._buffer.getvalue().decode('utf-8')
        self._writer.writerow(cells)
        return self._buffer.getvalue()


def write_records(records, columns, output_format, console):
    """Write ``records`` (ordered dicts with keys ``columns``) in ``output_format``; returns how many.

    ``jsonl`` and ``csv`` stream; ``table`` keeps every row, to size its columns.
    """
    count = 0
    if output_format == 'jsonl':
        for record in records:
            console.line(json_text(record))
            count += 1
    elif output_format == 'csv':
        lines = CsvLines()
        console.write(lines.line(list(columns)))
        for record in records:
            console.write(lines.line([cell_text(record[name]) for name in columns]))
            count += 1
    else:
        rows = [[_table_cell(record[name]) for name in columns] for record in records]
        count = len(rows)
        widths = [max([display_width(name)] + [display_width(row[index]) for row in rows])
                  for index, name in enumerate(columns)]
        console.line(_table_line(columns, widths))
        console.line(_table_line(['-' * width for width in widths], widths))
        for row in rows:
            console.line(_table_line(row, widths))
    return count


def write_record(record, output_format, console):
    """Write one record: like :func:`write_records`, except that ``table`` lists it as "name  value" lines."""
    if output_format != 'table':
        write_records([record], list(record), output_format, console)
        return
    width = max(display_width(name) for name in record)
    for name, value in record.items():
        console.line(_table_line([name, _table_cell(value)], [width, 0]))


def _table_cell(value):
    return ' '.join(cell_text(value).split('\n'))


def _table_line(cells, widths):
    padded = [cell + ' ' * (width - display_width(cell)) for cell, width in zip(cells, widths)]
    return '  '.join(padded).rstrip()


# --- What each resource type looks like on the command line ------------------------------------------------------

Column = collections.namedtuple('Column', ['name', 'read'])
#: What ``--include NAME`` adds: the ``fields`` of the related type to ask for, and the columns it fills.
Inclusion = collections.namedtuple('Inclusion', ['fields', 'columns'])


class Selection(object):
    """The query and the columns chosen by ``--fields`` and ``--include`` for one resource type."""

    def __init__(self, fields, includes, columns):
        self.fields = fields
        self.includes = includes
        self.columns = columns

    @property
    def column_names(self):
        return [column.name for column in self.columns]

    def record(self, resource):
        """The resource as an ordered dict of column name to value."""
        return collections.OrderedDict((column.name, column.read(resource)) for column in self.columns)


class ResourceView(object):
    """How the command line shows a resource type: its default fields and what each ``--include`` adds.

    Usage::

        selection = MEMBER_VIEW.select('full_name,email', 'user')
        api.get_campaigns_by_id_members(campaign_id, 1000, includes=selection.includes, fields=selection.fields)
    """

    def __init__(self, resource_type, default_fields, inclusions=None):
        self.resource_type = resource_type
        self.default_fields = default_fields
        self.inclusions = inclusions or {}
        attributes = schema_for_type(resource_type).Attributes
        self.known_fields = sorted(value for name, value in vars(attributes).items()
                                   if not name.startswith('_') and isinstance(value, six.string_types))

    def select(self, fields_option=None, include_option=None):
        """The :class:`Selection` for comma-separated ``--fields`` and ``--include`` values.

        :raises UsageError: a field or an include this type does not have.
        """
        names = self.default_fields if fields_option is None else _comma_list(fields_option)
        names = [name for name in names if name != 'id']  # the id is always the first column
        _check_known('{} field'.format(self.resource_type), names, self.known_fields)
        includes = _comma_list(include_option or '')
        _check_known('include for {}'.format(self.resource_type), includes, sorted(self.inclusions))
        fields = {self.resource_type: names}
        columns = [Column('id', _resource_id)] + [Column(name, _attribute_reader(name)) for name in names]
        for include in includes:
            inclusion = self.inclusions[include]
            fields.update(inclusion.fields)
            columns.extend(inclusion.columns)
        return Selection(fields, includes, columns)


def _comma_list(text):
    return [name.strip() for name in text.split(',') if name.strip()]


def _check_known(what, names, known):
    for name in names:
        if name not in known:
            raise UsageError("unknown {} '{}' (known: {})".format(what, name, ', '.join(known)))


def _resource_id(resource):
    return resource.id()


def _attribute_reader(name):
    def read(resource):
        return resource.attribute(name)
    return read


def _related_ids(relationship):
    """A reader of the related id (to-one) or ids (to-many)."""
    def read(resource):
        info = resource.relationship_info(relationship)
        reference = info.resource_reference() if info is not None else None
        if isinstance(reference, list):
            return [item.id() for item in reference]
        return None if reference is None else reference.id()
    return read


def _related_attribute(relationship, attribute):
    """A reader of an attribute of the related resources (to-many), as included in the document."""
    def read(resource):
        return [item.attribute(attribute) for item in resource.relationship(relationship) or [] if item is not None]
    return read


def _address_text(member):
    address = member.relationship('address')
    if address is None:
        return None
    parts = [address.attribute(name) for name in _ADDRESS_FIELDS]
    return ', '.join(six.text_type(part) for part in parts if part)


def _pledge_history_text(member):
    events = member.relationship('pledge_history') or []
    return ['{} {} {} {}'.format(*[cell_text(event.attribute(name)) for name in
                                   ('date', 'type', 'amount_cents', 'tier_title')]).strip()
            for event in events if event is not None]


def _ids_inclusion(relationship, column):
    return Inclusion({}, [Column(column, _related_ids(relationship))])


def _titles_inclusion(relationship, related_type, prefix):
    return Inclusion({related_type: ['title']}, [Column(prefix + '_ids', _related_ids(relationship)),
                                                 Column(prefix + '_titles', _related_attribute(relationship, 'title'))])


USER_VIEW = ResourceView('user', ['full_name', 'email', 'url', 'is_creator', 'created'], {
    'campaign': _ids_inclusion('campaign', 'campaign_id'),
    'memberships': _ids_inclusion('memberships', 'membership_ids'),
})
CAMPAIGN_VIEW = ResourceView('campaign', ['creation_name', 'vanity', 'patron_count', 'url', 'created_at'], {
    'tiers': _titles_inclusion('tiers', 'tier', 'tier'),
    'benefits': _titles_inclusion('benefits', 'benefit', 'benefit'),
    'creator': _ids_inclusion('creator', 'creator_id'),
    'goals': _ids_inclusion('goals', 'goal_ids'),
})
MEMBER_VIEW = ResourceView('member', ['full_name', 'email', 'patron_status', 'currently_entitled_amount_cents',
                                      'campaign_lifetime_support_cents'], {
    'user': _ids_inclusion('user', 'user_id'),
    'campaign': _ids_inclusion('campaign', 'campaign_id'),
    'currently_entitled_tiers': _titles_inclusion('currently_entitled_tiers', 'tier', 'tier'),
    'address': Inclusion({'address': _ADDRESS_FIELDS}, [Column('address', _address_text)]),
    'pledge_history': Inclusion({'pledge-event': ['date', 'type', 'amount_cents', 'tier_title']},
                                [Column('pledge_history', _pledge_history_text)]),
})
POST_VIEW = ResourceView('post', ['title', 'published_at', 'is_public', 'is_paid', 'url'], {
    'user': _ids_inclusion('user', 'user_id'),
    'campaign': _ids_inclusion('campaign', 'campaign_id'),
})
WEBHOOK_VIEW = ResourceView('webhook', ['uri', 'triggers', 'paused', 'last_attempted_at',
                                        'num_consecutive_times_failed'], {
    'campaign': _ids_inclusion('campaign', 'campaign_id'),
    'client': _ids_inclusion('client', 'client_id'),
})


# --- Commands ----------------------------------------------------------------------------------------------------


class Context(object):
    """What a command works with: the parsed options, the output streams, and the API client made on first use."""

    def __init__(self, options, stdout, stderr, environ):
        self.options = options
        self.stdout = stdout
        self.stderr = stderr
        self.environ = environ
        self.token = None
        self._api = None

    @property
    def api(self):
        if self._api is None:
            self.token = self._access_token()
            self._api = API(self.token, base_url=self.options.base_url, timeout=self.options.timeout,
                            raise_errors=True, max_retries=self.options.retries)
        return self._api

    def _access_token(self):
        # Stripped (a token pasted from a file ends with a newline) and checked: a usage error names where it came
        # from, never the value.
        if self.options.token:
            value, source = self.options.token, '--token'
        else:
            value, source = self.environ.get(TOKEN_ENVIRONMENT_VARIABLE), '$' + TOKEN_ENVIRONMENT_VARIABLE
        if not value:
            raise UsageError('no access token: pass --token or set {}'.format(TOKEN_ENVIRONMENT_VARIABLE))
        try:
            return clean_credential(value, 'the access token in ' + source)
        except exceptions.InvalidCredential as exc:
            raise UsageError(exception_text(exc))

    @property
    def output_format(self):
        chosen = getattr(self.options, 'format', None)
        return chosen or ('table' if self.stdout.isatty() else 'jsonl')

    def progress(self, label):
        enabled = getattr(self.options, 'progress', None)
        if enabled is None:
            enabled = self.stderr.isatty()
        return Progress(label, self.stderr, enabled)

    def close(self):
        if self._api is not None:
            self._api.close()


def command_identity(context):
    """``patreon identity``: the user the token belongs to."""
    selection = USER_VIEW.select(context.options.fields, context.options.include)
    user = _one_resource(context.api.get_identity(includes=selection.includes, fields=selection.fields), 'user')
    write_record(selection.record(user), context.output_format, context.stdout)


def command_campaigns(context):
    """``patreon campaigns``: the token's campaigns."""
    _list_every_page(context, 'campaigns', CAMPAIGN_VIEW, 'get_campaigns')


def command_members(context):
    """``patreon members CAMPAIGN_ID``: every member of the campaign."""
    _list_every_page(context, 'members', MEMBER_VIEW, 'get_campaigns_by_id_members', context.options.campaign_id)


def command_posts(context):
    """``patreon posts CAMPAIGN_ID``: every post of the campaign."""
    _list_every_page(context, 'posts', POST_VIEW, 'get_campaigns_by_id_posts', context.options.campaign_id)


def command_webhooks_list(context):
    """``patreon webhooks list``: the webhooks of the token's client."""
    _list_every_page(context, 'webhooks', WEBHOOK_VIEW, 'get_webhooks')


def command_webhooks_create(context):
    """``patreon webhooks create``: prints the new webhook, with the secret its deliveries are signed with."""
    options = context.options
    webhook = _one_resource(context.api.create_webhook(options.campaign, options.uri, options.triggers), 'webhook')
    _write_webhook(context, webhook, ['uri', 'triggers', 'paused', 'secret'])


def command_webhooks_update(context):
    """``patreon webhooks update ID``: changes only what is given; ``--unpaused`` replays missed events."""
    options = context.options
    if options.uri is None and options.triggers is None and options.paused is None:
        raise UsageError('nothing to update: give --uri, --trigger, --paused or --unpaused')
    webhook = _one_resource(context.api.update_webhook(options.webhook_id, uri=options.uri,
                                                       triggers=options.triggers, paused=options.paused), 'webhook')
    _write_webhook(context, webhook, ['uri', 'triggers', 'paused'])


def command_webhooks_delete(context):
    """``patreon webhooks delete ID``."""
    context.api.delete_webhook(context.options.webhook_id)
    context.stdout.line('deleted webhook {}'.format(context.options.webhook_id))


def command_sandbox(context):
    """``patreon sandbox``: serve a :class:`patreon.sandbox.Sandbox` in the foreground until Ctrl-C."""
    from .sandbox import Sandbox  # only this command needs the server code

    options = context.options
    sandbox = Sandbox(members=options.members, seed=options.seed, port=options.port)
    try:
        sandbox.start()
    except (socket.error, OSError) as exc:
        raise CommandFailed('cannot listen on 127.0.0.1:{}: {}'.format(
            options.port, exc.strerror or exception_text(exc)))
    try:
        for line in sandbox_banner(sandbox):
            context.stdout.line(line)
        context.stdout.flush()
        wait_for_interrupt()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    context.stderr.line('sandbox stopped')
    return EXIT_OK


def command_demo(context):
    """``patreon demo``: the journey of :mod:`patreon.demo`; exit status 1 when a step failed."""
    from .demo import run_demo  # imports the sandbox: only for this command

    passed = run_demo(members=context.options.members, seed=context.options.seed, out=context.stdout.stream)
    return EXIT_OK if passed else EXIT_FAILURE


def sandbox_banner(sandbox):
    """The lines ``patreon sandbox`` prints: where the sandbox is and the credentials to use it with.

    Usage::

        with Sandbox(members=100) as sb:
            print('\\n'.join(sandbox_banner(sb)))
    """
    return [
        'Patreon sandbox listening on {}'.format(sandbox.url),
        '  campaign id:         {}'.format(sandbox.campaign_id),
        '  creator user id:     {}'.format(sandbox.creator_user_id),
        '  creator token:       {}'.format(sandbox.creator_token),
        '  OAuth client id:     {}'.format(sandbox.client_id),
        '  OAuth client secret: {}'.format(sandbox.client_secret),
        '  OAuth redirect URI:  {}'.format(sandbox.redirect_uri),
        '',
        'Try:',
        '  export {}={}'.format(TOKEN_ENVIRONMENT_VARIABLE, sandbox.creator_token),
        '  {} --base-url {} members {}'.format(PROG, sandbox.url, sandbox.campaign_id),
        '',
        'Press Ctrl-C to stop.',
    ]


def wait_for_interrupt():
    """Block until Ctrl-C (``KeyboardInterrupt``); a sleep, unlike a lock, is interruptible on Python 2."""
    while True:
        time.sleep(3600)


def _one_resource(document, what):
    """The one resource of ``document``; :class:`~patreon.exceptions.InvalidResponse` (exit 8) when it has none.

    A document whose ``data`` is ``null`` or a list is no answer to a question about one resource.
    """
    resource = None if document is None else document.data()
    if not isinstance(resource, JSONAPIResource):
        raise exceptions.InvalidResponse('Patreon answered without the {} ({})'.format(
            what, 'no document' if document is None else 'its data is {}'.format(
                'a list' if isinstance(resource, list) else 'null')))
    return resource


def _list_every_page(context, label, view, method_name, *args):
    options = context.options
    selection = view.select(options.fields, options.include)  # before the token: usage errors come first
    page_size = options.page_size or _default_page_size(label, selection)
    api = context.api
    pages = api.paginate_pages(getattr(api, method_name), *args, page_size=page_size,
                               includes=selection.includes, fields=selection.fields)
    records = (selection.record(resource) for resource in _resources(pages, context.progress(label)))
    write_records(records, selection.column_names, context.output_format, context.stdout)


def _default_page_size(label, selection):
    if label != 'members':
        return LIST_PAGE_SIZE
    return MEMBERS_PAGE_SIZE_WITH_HISTORY if 'pledge_history' in selection.includes else MEMBERS_PAGE_SIZE


def _resources(pages, progress):
    """The resources of every page, reporting progress as each page arrives."""
    done = 0
    try:
        for page in pages:
            data = page.data()
            resources = data if isinstance(data, list) else [data] if data is not None else []
            done += len(resources)
            progress.update(done, _page_total(page))
            for resource in resources:
                yield resource
    finally:
        progress.finish()


def _page_total(page):
    meta = page.json_data.get('meta') if isinstance(page.json_data, dict) else None
    pagination = meta.get('pagination') if isinstance(meta, dict) else None
    return pagination.get('total') if isinstance(pagination, dict) else None


def _write_webhook(context, webhook, fields):
    selection = WEBHOOK_VIEW.select(','.join(fields))
    write_record(selection.record(webhook), context.output_format, context.stdout)


# --- The parser --------------------------------------------------------------------------------------------------


def build_parser():
    """The :class:`argparse.ArgumentParser` of the ``patreon`` command.

    The connection options (``--token``, ``--base-url``, ...) are accepted
    before the command and after it alike.
    """
    parser = argparse.ArgumentParser(
        prog=PROG, description="Patreon's API v2 from the command line, and a local Patreon sandbox.",
        epilog='Exit status: 0 success, 1 other API error, 2 usage, 3 unauthorized (401), 4 forbidden (403), '
               '5 not found (404), 6 rate limited (429), 7 network error, 8 Patreon failed (5xx, or not a document), '
               '130 interrupted.')
    parser.add_argument('--version', action=_PrintVersion)
    _add_connection_options(parser, top_level=True)
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')

    identity = _api_command(commands, 'identity', command_identity, 'the user the token belongs to', 'identity')
    _add_output_options(identity, USER_VIEW)
    for name, handler, summary, scope, view, has_campaign in (
            ('campaigns', command_campaigns, "the token user's campaigns", 'campaigns', CAMPAIGN_VIEW, False),
            ('members', command_members, 'every member of a campaign', 'campaigns.members', MEMBER_VIEW, True),
            ('posts', command_posts, 'every post of a campaign', 'campaigns.posts', POST_VIEW, True)):
        listing = _api_command(commands, name, handler, summary, scope)
        if has_campaign:
            listing.add_argument('campaign_id', metavar='CAMPAIGN_ID')
        _add_output_options(listing, view, paginated=True)

    hooks = commands.add_parser('webhooks', help="the webhooks of the token's OAuth client")
    actions = hooks.add_subparsers(dest='webhooks_command', metavar='ACTION')
    listing = _api_command(actions, 'list', command_webhooks_list, 'list the webhooks', 'w:campaigns.webhook')
    _add_output_options(listing, WEBHOOK_VIEW, paginated=True)
    create = _api_command(actions, 'create', command_webhooks_create, 'create a webhook; prints its secret',
                          'w:campaigns.webhook')
    create.add_argument('--campaign', required=True, metavar='CAMPAIGN_ID')
    create.add_argument('--uri', required=True, help='where Patreon will POST the events')
    _add_trigger_option(create, required=True)
    _add_format_option(create)
    update = _api_command(actions, 'update', command_webhooks_update, 'change a webhook', 'w:campaigns.webhook')
    update.add_argument('webhook_id', metavar='WEBHOOK_ID')
    update.add_argument('--uri')
    _add_trigger_option(update, required=False)
    paused = update.add_mutually_exclusive_group()
    paused.add_argument('--paused', dest='paused', action='store_const', const=True, default=None,
                        help='stop the deliveries (Patreon queues the events)')
    paused.add_argument('--unpaused', dest='paused', action='store_const', const=False,
                        help='resume the deliveries; the queued events are sent')
    _add_format_option(update)
    delete = _api_command(actions, 'delete', command_webhooks_delete, 'delete a webhook', 'w:campaigns.webhook')
    delete.add_argument('webhook_id', metavar='WEBHOOK_ID')

    sandbox = commands.add_parser('sandbox', help='run a local Patreon sandbox until Ctrl-C')
    sandbox.set_defaults(handler=command_sandbox)
    sandbox.add_argument('--members', type=_non_negative_int, default=1000, help='members of its campaign')
    sandbox.add_argument('--port', type=_non_negative_int, default=0, help='port on 127.0.0.1 (default: any free)')
    sandbox.add_argument('--seed', type=int, default=0, help='the same seed makes the same data')

    demo = commands.add_parser('demo', help="an app's whole journey, against an embedded sandbox")
    demo.set_defaults(handler=command_demo)
    demo.add_argument('--members', type=_non_negative_int, default=2500, help='members of the sandbox campaign')
    demo.add_argument('--seed', type=int, default=7, help='the sandbox seed')
    return parser


class _PrintVersion(argparse.Action):
    """``--version``: on stdout on every Python (2.7's own version action prints on stderr), no command needed."""

    def __init__(self, option_strings, dest, **kwargs):
        super(_PrintVersion, self).__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                                            help='print the version and exit')

    def __call__(self, parser, namespace, values, option_string=None):
        ConsoleWriter(sys.stdout).line('{} {}'.format(PROG, __version__))
        parser.exit()


def _api_command(subparsers, name, handler, summary, scope):
    command = subparsers.add_parser(name, help=summary, description='{} (scope: {})'.format(summary, scope))
    command.set_defaults(handler=handler, scope=scope)
    _add_connection_options(command, top_level=False)
    return command


def _add_connection_options(parser, top_level):
    # On the commands, an option not given must leave what was given before the command alone.
    default = (lambda value: value) if top_level else (lambda value: argparse.SUPPRESS)
    parser.add_argument('--token', default=default(None),
                        help='access token (default: ${}, better: ps shows arguments); '
                             'write --token=TOKEN if it starts with "-"'.format(TOKEN_ENVIRONMENT_VARIABLE))
    parser.add_argument('--base-url', type=_base_url, default=default(DEFAULT_BASE_URL), metavar='URL',
                        help='where Patreon is, e.g. a sandbox (default: {})'.format(DEFAULT_BASE_URL))
    parser.add_argument('--timeout', type=_positive_float, default=default(DEFAULT_TIMEOUT), metavar='SECONDS',
                        help='for each request (default: {:g})'.format(DEFAULT_TIMEOUT))
    parser.add_argument('--retries', type=_non_negative_int, default=default(3), metavar='N',
                        help='retries of a read on 429, 5xx and network errors (default: 3)')


def _add_format_option(parser):
    parser.add_argument('--format', choices=FORMATS,
                        help='table (default on a terminal), jsonl (default otherwise) or csv')


def _add_output_options(parser, view, paginated=False):
    _add_format_option(parser)
    parser.add_argument('--fields', metavar='NAME,...', help='{} attributes to show, by their Patreon names '
                        '(default: {})'.format(view.resource_type, ','.join(view.default_fields)))
    parser.add_argument('--include', metavar='NAME,...', help='related resources to add as columns: {}'.format(
        ', '.join(sorted(view.inclusions))))
    if paginated:
        parser.add_argument('--page-size', type=_positive_int, metavar='N', help=(
            'resources per request (default: {} for members, {} with pledge_history; {} otherwise)'.format(
                MEMBERS_PAGE_SIZE, MEMBERS_PAGE_SIZE_WITH_HISTORY, LIST_PAGE_SIZE)))
        progress = parser.add_mutually_exclusive_group()
        progress.add_argument('--progress', dest='progress', action='store_const', const=True, default=None,
                              help='report pages fetched on stderr (default: when stderr is a terminal)')
        progress.add_argument('--no-progress', dest='progress', action='store_const', const=False)


def _add_trigger_option(parser, required):
    parser.add_argument('--trigger', dest='triggers', action='append', required=required,
                        choices=webhooks.ALL_TRIGGERS, metavar='TRIGGER',
                        help='repeat for several: {}'.format(', '.join(webhooks.ALL_TRIGGERS)))


def _positive_int(text):
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError('must be at least 1')
    return value


def _non_negative_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a whole number: '{}'".format(text))
    if value < 0:
        raise argparse.ArgumentTypeError('must not be negative')
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("not a number: '{}'".format(text))
    if not 0 < value <= MAX_SECONDS:  # also refuses inf and nan, which float() takes
        raise argparse.ArgumentTypeError('must be more than 0 and at most {:g}'.format(MAX_SECONDS))
    return value


def _base_url(text):
    if not re.match(r'^https?://[^/?#]+', text):
        raise argparse.ArgumentTypeError("'{}' is not an http:// or https:// URL".format(text))
    return text.rstrip('/')


# --- Running a command, and what its failures become -------------------------------------------------------------


def main(argv=None, environ=None):
    """Run the ``patreon`` command line and return its exit status.

    Usage::

        sys.exit(main())                      # what the console script does
        main(['members', '1234', '--format', 'csv'])

    :param argv: the arguments, without the program name (default: ``sys.argv[1:]``).
    :param environ: where ``PATREON_ACCESS_TOKEN`` is read (default: ``os.environ``).
    """
    stdout = ConsoleWriter(sys.stdout)
    stderr = ConsoleWriter(sys.stderr)
    arguments = [_text(argument) for argument in (sys.argv[1:] if argv is None else argv)]
    for position, argument in enumerate(arguments, 1):
        if argument is None or _LONE_SURROGATE.search(argument):
            # Bytes the locale could not decode ('\\udcff' on Python 3): no id or name holds them.
            stderr.line('{}: error: argument {} is not text in the locale\'s encoding (or UTF-8)'.format(
                PROG, position))
            return EXIT_USAGE
    try:
        options = build_parser().parse_args(arguments)
    except SystemExit as exc:  # --help, or a usage error argparse reported
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if getattr(options, 'handler', None) is None:  # Python 3's argparse lets a missing command through
        command = ' '.join(name for name in (PROG, options.command) if name)
        stderr.line('{}: error: {} is required (see {} --help)'.format(
            command, 'an action' if options.command else 'a command', command))
        return EXIT_USAGE
    context = Context(options, stdout, stderr, os.environ if environ is None else environ)
    try:
        status = options.handler(context)
        stdout.flush()
    except KeyboardInterrupt:
        stderr.line('{}: interrupted'.format(PROG))
        return EXIT_INTERRUPTED
    except Exception as exc:
        failure = describe_failure(exc, options)
        if failure is None and _is_broken_pipe(exc):
            _silence_closed_stdout()  # the reader went away (`| head`): nothing left to say
            return EXIT_OK
        if failure is None:
            raise  # a bug: its traceback is worth seeing
        code, message = failure
        stderr.line('{}: error: {}'.format(PROG, _without(message, context.token)))
        return code
    finally:
        context.close()
    return EXIT_OK if status is None else status


def describe_failure(exc, options):
    """``(exit status, one-line message)`` for an expected failure, ``None`` for anything else."""
    if isinstance(exc, CommandFailed):
        return exc.exit_status, exception_text(exc)
    if isinstance(exc, exceptions.APIError):  # before InvalidResponse: a 401 HTML page is both, and a 401 first
        return _describe_api_error(exc, options)
    if isinstance(exc, exceptions.InvalidResponse):
        return EXIT_SERVER, exception_text(exc)
    if isinstance(exc, exceptions.PatreonError):
        return EXIT_FAILURE, exception_text(exc)
    if isinstance(exc, requests.RequestException):
        return EXIT_NETWORK, _describe_network_error(exc, options)
    return None


def _describe_api_error(exc, options):
    message = exception_text(exc)
    scope = getattr(options, 'scope', None)
    if isinstance(exc, exceptions.Unauthorized):
        return EXIT_UNAUTHORIZED, message + " (is the token valid, with the '{}' scope?)".format(scope)
    if isinstance(exc, exceptions.Forbidden):
        return EXIT_FORBIDDEN, message
    if isinstance(exc, exceptions.NotFound):
        return EXIT_NOT_FOUND, message
    if isinstance(exc, exceptions.RateLimited):
        return EXIT_RATE_LIMITED, message
    if isinstance(exc, exceptions.ServerError):
        return EXIT_SERVER, message
    return EXIT_FAILURE, message


def _describe_network_error(exc, options):
    where = options.base_url
    if isinstance(exc, exceptions.TotalTimeout):
        return 'no complete answer from {} within {:g} s'.format(where, exc.total_timeout)
    if isinstance(exc, requests.Timeout):
        return 'no answer from {} within {:g} s'.format(where, options.timeout)
    if isinstance(exc, requests.ConnectionError):
        return 'cannot connect to {} ({})'.format(where, _root_cause(exc))
    return 'the connection to {} failed: {}'.format(where, type(exc).__name__)


def _root_cause(exc):
    """The innermost reason of a ``requests`` connection error, e.g. "Connection refused"."""
    text = exception_text(exc)
    match = re.search(r'\[Errno -?\d+\] ([^\'")\]]+)', text)
    if match:
        return match.group(1).strip()
    return type(exc).__name__


def exception_text(exc):
    """``str(exc)`` as text, on Python 2 too (where it may be bytes, or fail on non-ASCII)."""
    try:
        return six.text_type(exc)
    except UnicodeError:
        return bytes(exc).decode('utf-8', 'replace') if six.PY2 else repr(exc)


def _without(message, secret):
    # Belt and braces: no message built here includes the token, but an answer's detail might echo it.
    # A few characters are no secret, and hiding them would garble the message.
    return message.replace(secret, '***') if secret and len(secret) >= MIN_SECRET_LENGTH else message


def _is_broken_pipe(exc):
    return isinstance(exc, (IOError, OSError)) and exc.errno == errno.EPIPE


def _text(value):
    """An argument as text; ``None`` for bytes (Python 2) that decode neither in the locale's encoding nor UTF-8."""
    if isinstance(value, bytes):
        for encoding in (sys.getfilesystemencoding() or 'utf-8', 'utf-8'):
            try:
                return value.decode(encoding)
            except UnicodeDecodeError:
                pass
        return None
    return value


def _silence_closed_stdout():
    try:
        stdout_fd = sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return  # not a real file: nothing will flush to a closed pipe at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stdout_fd)
    os.close(devnull)
