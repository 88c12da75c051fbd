# -*- coding: utf-8 -*-
"""``patreon demo``: an app's whole journey against an embedded sandbox (:mod:`patreon.cli._demo`), narrated."""
from __future__ import absolute_import, division, print_function, unicode_literals


from . import _option_types
from ._exit_status import EXIT_FAILURE, EXIT_OK

__all__ = ['add_demo_command', 'command_demo']


def add_demo_command(subparsers):
    """Add ``demo`` and its options to the ``subparsers`` of the ``patreon`` parser; returns its parser."""
    demo = subparsers.add_parser(
        'demo', help="an app's whole journey, against an embedded sandbox",
        description="Run an app's whole journey against a sandbox started for it on 127.0.0.1: log in with "
                    'Patreon, read the identity and every member, receive a webhook, refresh an expired token. '
                    'Exit status 1 when a step failed.',
        formatter_class=_option_types.DefaultsHelpFormatter)
    demo.set_defaults(handler=command_demo)
    demo.add_argument('--members', type=_option_types.bounded_int(0, _option_types.MAX_SANDBOX_MEMBERS),
                      default=2500, metavar='N',
                      help='members of the sandbox campaign (at most {})'.format(_option_types.MAX_SANDBOX_MEMBERS))
    demo.add_argument('--seed', type=_option_types.seed, default=7,
                      help='the sandbox seed: the same seed, the same data')
    return demo


def command_demo(context):
    """``patreon demo``: the journey of :mod:`patreon.cli._demo`; exit status 1 when a step failed."""
    from . import _demo  # imports the sandbox: only for this command

    passed = _demo.run_demo(members=context.options.members, seed=context.options.seed, out=context.stdout.stream)
    return EXIT_OK if passed else EXIT_FAILURE
