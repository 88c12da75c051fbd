# -*- coding: utf-8 -*-
"""``patreon demo``: an app's whole journey against an embedded sandbox (:mod:`patreon.demo`), narrated.

Usage::

    add_demo_command(subparsers)        # what build_parser does
    $ patreon demo --members 500
"""
from __future__ import absolute_import, division, print_function, unicode_literals


from . import option_types
from .exit_status import EXIT_FAILURE, EXIT_OK

__all__ = ['add_demo_command', 'command_demo']


def add_demo_command(subparsers):
    """Add ``demo`` and its options to the ``subparsers`` of the ``patreon`` parser; returns its parser."""
    demo = subparsers.add_parser(
        'demo', help="an app's whole journey, against an embedded sandbox",
        description="Run an app's whole journey against a sandbox started for it on 127.0.0.1: log in with "
                    'Patreon, read the identity and every member, receive a webhook, refresh an expired token. '
                    'Exit status 1 when a step failed.',
        formatter_class=option_types.DefaultsHelpFormatter)
    demo.set_defaults(handler=command_demo)
    demo.add_argument('--members', type=option_types.bounded_int(0, option_types.MAX_SANDBOX_MEMBERS),
                      default=2500, metavar='N',
                      help='members of the sandbox campaign (at most {})'.format(option_types.MAX_SANDBOX_MEMBERS))
    demo.add_argument('--seed', type=option_types.seed, default=7,
                      help='the sandbox seed: the same seed, the same data')
    return demo


def command_demo(context):
    """``patreon demo``: the journey of :mod:`patreon.demo`; exit status 1 when a step failed."""
    from .. import demo  # imports the sandbox: only for this command

    passed = demo.run_demo(members=context.options.members, seed=context.options.seed, out=context.stdout.stream)
    return EXIT_OK if passed else EXIT_FAILURE
