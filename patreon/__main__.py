"""``python -m patreon``: the ``patreon`` command line (see :mod:`patreon.cli`)."""
import sys

from patreon.cli import main

__all__ = []

if __name__ == '__main__':
    sys.exit(main())
