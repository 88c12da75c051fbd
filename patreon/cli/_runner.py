# -*- coding: utf-8 -*-
"""Running the ``patreon`` command: parse, run the command, and turn every expected failure into one line."""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import os
import sys

from ._console import ConsoleWriter, exception_text, is_broken_pipe, printable
from .._credentials import LONE_SURROGATE
from .._masking import MASK, Mask
from ._arguments import build_parser
from ._context import PROG, Context
from ._exit_status import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError, describe_failure
from ._output_file import OutputFile
from ._signals import Stopped, stop_on_signals

__all__ = ['main', 'SECRET_OPTIONS']

#: The options whose value is a secret, never shown in a message.
SECRET_OPTIONS = ('--token', '--key', '--control-key')


def main(argv=None, environ=None):
    """Run the ``patreon`` command line and return its exit status (see :mod:`patreon.cli`).

    :param argv: the arguments, without the program name (default: ``sys.argv[1:]``).
    :param environ: where ``PATREON_ACCESS_TOKEN`` is read (default: ``os.environ``).
    :returns: an exit status of :data:`patreon.cli._exit_status.EXIT_STATUSES`; a bug raises.
    """
    stdout = ConsoleWriter(sys.stdout)
    stderr = ConsoleWriter(sys.stderr, errors='backslashreplace')
    try:
        options = _parse(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # --help or --version, written
        return _flushed(stdout, exc.code if isinstance(exc.code, int) else EXIT_USAGE)
    except UsageError as exc:
        return _fail(stderr, exc.exit_status, exception_text(exc), _secret_arguments(argv))
    except KeyboardInterrupt:
        stderr.line('{}: interrupted'.format(PROG))
        return EXIT_INTERRUPTED
    except (IOError, OSError) as exc:
        if is_broken_pipe(exc):  # `patreon --help | head -1`
            _silence_closed_stdout()
            return EXIT_OK
        raise
    context = Context(options, stdout, stderr, os.environ if environ is None else environ)
    to_file = getattr(options, 'output', None) not in (None, '-')  # '-o -': standard output
    try:
        # SIGTERM and SIGHUP would end a command at once (an export's temporary file of patrons' names and e-mail
        # addresses left behind), and SIGINT inherited ignored would never stop the sandbox: raised as an
        # exception instead, they reach the clean-up below.
        with stop_on_signals():
            return _run(options, context, stderr, to_file)
    except KeyboardInterrupt:  # a signal after the clean-up, before the handlers were restored
        return _interrupted(stderr, None, None, sys.exc_info()[1])


def _run(options, context, stderr, to_file):
    """Run the command of ``options``; its exit status (a failure as one line on ``stderr``)."""
    output = None
    try:
        if to_file:
            output = OutputFile(options.output)
            context.stdout = ConsoleWriter(output.stream)
        status = options.handler(context)
        context.stdout.flush()
        if output is not None:
            output.commit()
    except KeyboardInterrupt as exc:
        return _interrupted(stderr, context, output, exc)
    except Exception as exc:
        failure = describe_failure(exc, options)
        if failure is None and is_broken_pipe(exc) and output is None:
            _silence_closed_stdout()  # the reader went away (`| head`): nothing left to say
            return EXIT_OK
        if failure is None:
            raise  # a bug: its traceback is worth seeing
        code, message = failure
        return _fail(stderr, code, message + _partial_note(context, output), context.secrets)
    finally:
        if output is not None:
            output.discard()
        context.close()
    return EXIT_OK if status is None else status


def _parse(argv):
    arguments = [_argument_text(argument) for argument in argv]
    for position, argument in enumerate(arguments, 1):
        if argument is None or LONE_SURROGATE.search(argument):
            # Bytes the locale could not decode ('\\udcff' on Python 3): no id or name holds them.
            raise UsageError("argument {} is not text in the locale's encoding (or UTF-8)".format(position))
    options = build_parser().parse_args(arguments)
    if getattr(options, 'handler', None) is None:  # Python 3's argparse lets a missing command through
        command = ' '.join(name for name in (PROG, options.command) if name)
        raise UsageError('{} is required (see {} --help)'.format(
            'an action' if options.command else 'a command', command))
    return options


def _secret_arguments(argv):
    """The values given to a secret option (``--token``, ``--key``, ``--control-key``, an abbreviation of one, or
    a mistyped option naming a token, key or secret), which argparse may quote in a usage error: "unrecognized
    arguments: --key K" under a command without it, "--keyy=K"."""
    arguments = [_argument_text(argument) or '' for argument in (sys.argv[1:] if argv is None else argv)]
    secrets = []
    for position, argument in enumerate(arguments):
        name, equals, value = argument.partition('=')
        if not name.startswith('--') or len(name) < 3:
            continue
        if not any(option.startswith(name) for option in SECRET_OPTIONS) and not any(
                word in name.lower() for word in ('token', 'key', 'secret')):
            continue
        if equals:
            secrets.append(value)
        elif position + 1 < len(arguments):
            secrets.append(arguments[position + 1])
    # A value with a lone surrogate was refused as not text, without being quoted (nor can it be masked).
    return [secret for secret in secrets if not LONE_SURROGATE.search(secret)]


def _interrupted(stderr, context, output, exc):
    by = ' by {}'.format(exc.signal_name) if isinstance(exc, Stopped) else ''
    stderr.line('{}: interrupted{}{}'.format(PROG, by, '' if context is None else _partial_note(context, output)))
    return EXIT_INTERRUPTED



def _fail(stderr, code, message, secrets):
    """Write the one line of a failure on stderr: no secret, no control character, no line break."""
    # Belt and braces: no message built here includes the token or the control key, but an answer's detail might
    # echo one. Only the secrets themselves (and their URL-encoded forms) are hidden: the messages' own words
    # ("token: pass --token") stay.
    for value in Mask(secrets).values:
        message = message.replace(value, MASK)
    text = printable(message)
    stderr.line('{}: error: {}'.format(PROG, text))
    return code


def _partial_note(context, output):
    # A listing that fails after writing some rows on stdout says how many of how many: it is not the whole list.
    # (-o FILE: the file is left as it was, nothing was written; unless FILE is a pipe or device, written to.)
    if context.partial is None or (output is not None and not output.direct):
        return ''
    written, total, label = context.partial
    return '; {} of {} {} were written'.format(written, '?' if total is None else total, label)


def _flushed(stdout, code):
    try:
        stdout.flush()
    except (IOError, OSError) as exc:
        if not is_broken_pipe(exc):
            raise
        _silence_closed_stdout()
    return code


def _argument_text(value):
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
