"""Check that every public module of the package has its stub (.pyi), and that private modules have none.

Usage: python .ci/check_stubs.py

mypy.stubtest compares the stubs with the runtime, but a module without a stub passes it unnoticed: stubtest then
reads the module's own untyped source as its stub. Public modules are those without a `_` in their dotted path
(patreon/_public_api.py lists them; tests/test_public_api.py checks the list); private ones are checked by mypy
from their sources, so a stub there would hide that source from it. _typing.pyi is the stub-only typing helper.
"""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STUB_ONLY = ('patreon/_typing.pyi',)


def is_private(package, name):
    parts = package.split('/')[1:] + [name[:-3]]
    return any(part.startswith('_') and part not in ('__init__', '__main__') for part in parts)


def stub_problems():
    problems = []
    for directory, subdirectories, files in os.walk(os.path.join(REPO, 'patreon')):
        subdirectories[:] = sorted(name for name in subdirectories if name != '__pycache__')
        package = os.path.relpath(directory, REPO).replace(os.sep, '/')
        for name in sorted(files):
            path = '{}/{}'.format(package, name)
            if name.endswith('.py'):
                has_stub = os.path.exists(os.path.join(directory, name + 'i'))
                if is_private(package, name) and has_stub:
                    problems.append('{}i is the stub of a private module: remove it (mypy reads the source)'.format(
                        path))
                elif not is_private(package, name) and not has_stub:
                    problems.append('{} has no stub: add {}i (and run make lint)'.format(path, path))
            elif name.endswith('.pyi') and path not in STUB_ONLY and not os.path.exists(
                    os.path.join(directory, name[:-1])):
                problems.append('{} describes no module'.format(path))
    return problems


def main():
    problems = stub_problems()
    for problem in problems:
        print('check_stubs: ' + problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
