"""Smoke test of an installed distribution: import it, start a Sandbox, call the API against it.

Run by .ci/dist-smoke.sh with the Python of a fresh virtualenv into which only the built wheel was installed,
from an empty directory, so that the source tree cannot stand in for what the wheel installed. Runs on 2.7 and 3.x.
"""
from __future__ import absolute_import, print_function, unicode_literals

import os
import sys

import patreon
from patreon.sandbox import Sandbox


def fail(message):
    print('smoke: FAILED: ' + message)
    sys.exit(1)


def main():
    package_dir = os.path.realpath(os.path.dirname(patreon.__file__))
    if not package_dir.startswith(os.path.realpath(sys.prefix) + os.sep):
        fail('imported patreon from {}, not from the virtualenv {}'.format(package_dir, sys.prefix))
    for name in ('py.typed', '__init__.pyi', 'api.pyi', os.path.join('sandbox', '__init__.pyi')):
        if not os.path.isfile(os.path.join(package_dir, name)):
            fail('the installed package lacks {}'.format(name))

    with Sandbox(members=3, seed=1) as sandbox:
        with patreon.API(sandbox.creator_token, base_url=sandbox.url, raise_errors=True) as api:
            user = api.get_identity(fields={'user': ['full_name']}).data()
    if user.id() != sandbox.creator_user_id or not user.attribute('full_name'):
        fail('get_identity answered {!r} with attributes {!r}'.format(user, user.attributes()))
    print('smoke: patreon {} on Python {}: get_identity against the sandbox answered {}'.format(
        patreon.__version__, '.'.join(str(part) for part in sys.version_info[:3]), user.id()))


if __name__ == '__main__':
    main()
