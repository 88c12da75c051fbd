# What importers of the command line use: main() and its exit statuses. The private submodules are the command's
# own machinery (argument parsing, output formats, the commands), checked by mypy from their sources.
from collections.abc import Mapping, Sequence
from typing import Final

__all__ = ['main', 'EXIT_OK', 'EXIT_FAILURE', 'EXIT_USAGE', 'EXIT_UNAUTHORIZED', 'EXIT_FORBIDDEN', 'EXIT_NOT_FOUND',
           'EXIT_RATE_LIMITED', 'EXIT_NETWORK', 'EXIT_SERVER', 'EXIT_OUTPUT', 'EXIT_INTERRUPTED']

EXIT_OK: Final = 0
EXIT_FAILURE: Final = 1
EXIT_USAGE: Final = 2
EXIT_UNAUTHORIZED: Final = 3
EXIT_FORBIDDEN: Final = 4
EXIT_NOT_FOUND: Final = 5
EXIT_RATE_LIMITED: Final = 6
EXIT_NETWORK: Final = 7
EXIT_SERVER: Final = 8
EXIT_OUTPUT: Final = 9
EXIT_INTERRUPTED: Final = 130

def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int: ...
