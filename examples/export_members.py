"""Export every member of a campaign to CSV: name, email, status, tiers and lifetime support.

The creator's access token comes from the environment (never from the command line, where `ps` shows it)::

    export PATREON_ACCESS_TOKEN=...          # the creator's token, with the campaigns.members[email] scope
    python examples/export_members.py members.csv
    python examples/export_members.py --base-url http://127.0.0.1:5001 -   # a sandbox, to stdout

Without ``--campaign-id``, the token's first campaign. Runs on Python 2.7 and 3.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import csv
import errno
import io
import os
import sys

import requests
import six

import patreon
from patreon.exceptions import PatreonError
from patreon.endpoint import DEFAULT_BASE_URL

COLUMNS = ('member_id', 'full_name', 'email', 'patron_status', 'tiers', 'currently_entitled_amount_cents',
           'lifetime_support_cents')
MEMBER_FIELDS = ['full_name', 'email', 'patron_status', 'currently_entitled_amount_cents',
                 'campaign_lifetime_support_cents']
# The largest page Patreon serves: fewer requests, and still one page in memory at a time.
PAGE_SIZE = 1000


def member_rows(api, campaign_id):
    """Yield one row (a tuple in the order of :data:`COLUMNS`) per member of the campaign, page after page."""
    members = api.paginate(api.get_campaigns_by_id_members, campaign_id, page_size=PAGE_SIZE,
                           includes=['currently_entitled_tiers'],
                           fields={'member': MEMBER_FIELDS, 'tier': ['title']})
    for member in members:
        tiers = [tier.attribute('title') for tier in member.relationship('currently_entitled_tiers') or [] if tier]
        yield (member.id(), member.attribute('full_name'), member.attribute('email'),
               member.attribute('patron_status'), '; '.join(tiers),
               member.attribute('currently_entitled_amount_cents'),
               member.attribute('campaign_lifetime_support_cents'))


def first_campaign_id(api):
    campaigns = api.get_campaigns(1).data()
    if not campaigns:
        raise SystemExit('export_members: the token has no campaign')
    return campaigns[0].id()


def write_csv(rows, output):
    """Write the header and ``rows`` to the text (Python 3) or byte (Python 2) stream ``output``; return the count."""
    writer = csv.writer(output)
    writer.writerow([_csv_value(name) for name in COLUMNS])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
        count += 1
    return count


def _csv_value(value):
    if value is None:
        return ''
    if six.PY2 and isinstance(value, six.text_type):
        return value.encode('utf-8')  # Python 2's csv module writes bytes only
    return value


def open_output(path):
    """A new stream on the file at ``path`` for :func:`write_csv` (UTF-8 text on Python 3, bytes on 2)."""
    if six.PY2:
        return io.open(path, 'wb')
    return io.open(path, 'w', encoding='utf-8', newline='')


def write_file(rows, path):
    """Write the CSV to ``path``; a failed export leaves no file behind, rather than a short one that looks whole."""
    output = open_output(path)
    try:
        with output:
            return write_csv(rows, output)
    except BaseException:
        os.remove(path)
        raise


#: The status of a process stopped by SIGPIPE (128 + 13), what `cat` or `grep` end with in the same place.
EXIT_BROKEN_PIPE = 141


def _silence_stdout():
    # What is left in the buffer cannot be written either: the interpreter's flush at exit would print an error.
    # Standard output now goes nowhere, so that flush succeeds.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing will be flushed to a closed pipe


def main(argv=None, environ=None):
    """Run the export; returns the exit status."""
    parser = argparse.ArgumentParser(description='Export the members of a Patreon campaign to CSV.')
    parser.add_argument('output', help='the CSV file to write, or - for standard output')
    parser.add_argument('--campaign-id', help="the campaign (default: the token's first campaign)")
    parser.add_argument('--base-url', default=DEFAULT_BASE_URL, help='where Patreon is (e.g. a sandbox)')
    args = parser.parse_args(argv)
    token = (os.environ if environ is None else environ).get('PATREON_ACCESS_TOKEN')
    if not token:
        parser.error('set PATREON_ACCESS_TOKEN to the creator access token')
    try:
        with patreon.API(token, base_url=args.base_url, raise_errors=True) as api:
            campaign_id = args.campaign_id or first_campaign_id(api)
            rows = member_rows(api, campaign_id)
            if args.output == '-':
                count = write_csv(rows, sys.stdout)
                sys.stdout.flush()  # a reader that went away shows here, not in the interpreter's flush at exit
            else:
                count = write_file(rows, args.output)
    except (PatreonError, requests.RequestException) as exc:
        print('export_members: {}'.format(exc), file=sys.stderr)
        return 1
    except (IOError, OSError) as exc:  # BrokenPipeError on Python 3
        if exc.errno != errno.EPIPE or args.output != '-':
            raise
        # The reader stopped reading (`... - | head`): stop quietly, as a pipeline expects, without a traceback.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    print('export_members: {} members of campaign {} written to {}'.format(count, campaign_id, args.output),
          file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
