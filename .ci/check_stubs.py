"""Check that every module of the package has its stub (.pyi), so that a new module cannot ship untyped.

Usage: python .ci/check_stubs.py

mypy.stubtest compares the stubs with the runtime, but a module without a stub passes it unnoticed: stubtest then
reads the module's own untyped source as its stub. The sandbox's internal modules are the exception (see mypy.ini):
only patreon/sandbox/__init__.pyi, its public face, is required there.
"""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Packages whose submodules are internal: only the package's own __init__ needs a stub.
INTERNAL_SUBMODULES_OF = ('patreon/sandbox',)


def modules_without_stubs():
    missing = []
    for directory, subdirectories, files in os.walk(os.path.join(REPO, 'patreon')):
        subdirectories[:] = sorted(name for name in subdirectories if name != '__pycache__')
        package = os.path.relpath(directory, REPO).replace(os.sep, '/')
        for name in sorted(files):
            if not name.endswith('.py'):
                continue
            if package in INTERNAL_SUBMODULES_OF and name != '__init__.py':
                continue
            if not os.path.exists(os.path.join(directory, name + 'i')):
                missing.append('{}/{}'.format(package, name))
    return missing


def main():
    missing = modules_without_stubs()
    for path in missing:
        print('check_stubs: {} has no stub: add {}i (and run make lint)'.format(path, path))
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
