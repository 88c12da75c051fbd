"""Check what `make dist` built: one sdist and one universal wheel that carry the whole package and its types.

Usage: python .ci/check_dist.py [DIST_DIR]    (default: dist)

twine checks the metadata; this checks the contents, which twine does not: a wheel built without `package_data`
installs fine and silently drops py.typed and the stubs, and a stale build/ can smuggle in deleted modules.
"""
import os
import re
import sys
import tarfile
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_version():
    with open(os.path.join(REPO, 'patreon', 'version.py')) as source:
        return re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", source.read(), re.MULTILINE).group(1)


def package_files():
    """Paths (relative to the repo, with /) of every file of the package that a distribution must carry."""
    found = set()
    for directory, subdirectories, files in os.walk(os.path.join(REPO, 'patreon')):
        subdirectories[:] = [name for name in subdirectories if name != '__pycache__']
        for name in files:
            if name.endswith(('.py', '.pyi')) or name == 'py.typed':
                found.add(os.path.relpath(os.path.join(directory, name), REPO).replace(os.sep, '/'))
    return found


def test_files():
    """Paths of every file the test suite needs (its modules and tests/fixtures): the sdist runs its own tests."""
    found = set()
    for directory, subdirectories, files in os.walk(os.path.join(REPO, 'tests')):
        subdirectories[:] = [name for name in subdirectories if name not in ('__pycache__', '.pytest_cache')]
        for name in files:
            if not name.endswith(('.pyc', '.pyo')):
                found.add(os.path.relpath(os.path.join(directory, name), REPO).replace(os.sep, '/'))
    return found


def check(dist_dir):
    """Return the list of problems found in ``dist_dir`` (empty when all is well)."""
    version = read_version()
    names = sorted(os.listdir(dist_dir))
    wheel_name = 'patreon-{}-py2.py3-none-any.whl'.format(version)
    sdist_name = 'patreon-{}.tar.gz'.format(version)
    if names != sorted([wheel_name, sdist_name]):
        return ['expected exactly {} and {} in {}, found {}'.format(wheel_name, sdist_name, dist_dir, names)]
    problems = []
    expected = package_files()
    if 'patreon/py.typed' not in expected or not any(name.endswith('.pyi') for name in expected):
        problems.append('the source tree has no patreon/py.typed or no .pyi stubs')

    with zipfile.ZipFile(os.path.join(dist_dir, wheel_name)) as wheel:
        in_wheel = set(wheel.namelist())
        wheel_metadata = wheel.read('patreon-{}.dist-info/WHEEL'.format(version)).decode('utf-8')
    for name in sorted(expected - in_wheel):
        problems.append('{} lacks {}'.format(wheel_name, name))
    for name in sorted(in_wheel):
        top = name.split('/', 1)[0]
        if top != 'patreon' and not top.endswith('.dist-info'):
            problems.append('{} carries {}, which is not part of the package'.format(wheel_name, name))
        elif top == 'patreon' and name not in expected:
            problems.append('{} carries {}, which the source tree does not have (a stale build/?)'.format(
                wheel_name, name))
    for line in ('Root-Is-Purelib: true', 'Tag: py2-none-any', 'Tag: py3-none-any'):
        if line not in wheel_metadata.splitlines():
            problems.append('{}: the WHEEL metadata lacks "{}"'.format(wheel_name, line))

    with tarfile.open(os.path.join(dist_dir, sdist_name)) as sdist:
        prefix = 'patreon-{}/'.format(version)
        in_sdist = set(member.name[len(prefix):] for member in sdist.getmembers() if member.name.startswith(prefix))
    for name in sorted((expected | test_files() | {'setup.py', 'setup.cfg', 'pyproject.toml', 'LICENSE'}) - in_sdist):
        problems.append('{} lacks {}'.format(sdist_name, name))
    return problems


def main(argv):
    dist_dir = argv[1] if len(argv) > 1 else os.path.join(REPO, 'dist')
    problems = check(dist_dir)
    for problem in problems:
        print('check_dist: ' + problem)
    if problems:
        return 1
    print('check_dist: {} and its sdist carry the package, py.typed and the stubs; the sdist its tests'.format(
        'patreon-{}-py2.py3-none-any.whl'.format(read_version())))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
