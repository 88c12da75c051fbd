# -*- coding: utf-8 -*-
"""The packaging: what setup.py declares, the single version, and which copy of the package the tests import."""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import os
import re
import subprocess
import sys
import types

import pytest

from helpers import doc_text

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Set to 1 by .ci/matrix.sh, whose virtualenvs hold a regular (non-editable) install of the package.
EXPECT_INSTALLED_COPY = os.environ.get('PATREON_TEST_EXPECT_INSTALLED') == '1'


def declared_setup_arguments(monkeypatch):
    """Run setup.py against a stand-in ``setuptools`` and return the keywords it passes to ``setup()``.

    A stand-in, because a fresh virtualenv on 3.12+ has no setuptools, and the real one would build.
    """
    captured = {}
    stand_in = types.ModuleType(str('setuptools'))
    stand_in.setup = lambda **arguments: captured.update(arguments)
    stand_in.find_packages = lambda *args, **kwargs: []
    monkeypatch.setitem(sys.modules, str('setuptools'), stand_in)
    path = os.path.join(REPO_ROOT, 'setup.py')
    with io.open(path, encoding='utf-8') as source:
        code = compile(source.read(), path, 'exec')
    exec(code, {'__name__': '__main__', '__file__': path})
    return captured


def test_setup_declares_the_package_version(monkeypatch):
    import patreon
    from patreon import version

    declared = declared_setup_arguments(monkeypatch)

    assert declared['name'] == 'patreon'
    assert declared['version'] == version.__version__ == patreon.__version__


def test_setup_declares_only_requests_and_six_at_run_time(monkeypatch):
    declared = declared_setup_arguments(monkeypatch)

    names = set(re.match(r'[\w.-]+', requirement).group(0) for requirement in declared['install_requires'])
    assert names == {'requests', 'six'}
    assert declared['python_requires'].startswith('>=2.7')
    assert declared['entry_points'] == {'console_scripts': ['patreon=patreon.cli:main'],
                                        'pytest11': ['patreon.pytest_plugin = patreon.pytest_plugin']}


def test_redis_is_an_extra_never_a_runtime_dependency(monkeypatch):
    declared = declared_setup_arguments(monkeypatch)

    assert sorted(declared['extras_require']) == ['redis']
    assert set(re.match(r'[\w.-]+', requirement).group(0) for requirement in declared['extras_require']['redis']) \
        == {'redis'}


def _versions_in(text, pattern):
    return sorted(set(re.findall(pattern, text)), key=lambda version: tuple(map(int, version.split('.'))))


def test_every_list_of_supported_pythons_says_the_same(monkeypatch):
    declared = declared_setup_arguments(monkeypatch)
    classified = _versions_in('\n'.join(declared['classifiers']) + '\n', r':: Python :: (\d\.\d+)\n')
    with io.open(os.path.join(REPO_ROOT, '.ci', 'matrix.sh'), encoding='utf-8') as script:
        matrix = re.search(r'^SUPPORTED_VERSIONS=\(([^)]*)\)', script.read(), re.M).group(1).split()
    with io.open(os.path.join(REPO_ROOT, '.ci', 'dist-smoke.sh'), encoding='utf-8') as script:
        smoke = re.search(r'else VERSIONS=\(([^)]*)\)', script.read()).group(1).split()
    text = '\n'.join(doc_text(name) for name in ['README.md', 'docs/quickstart.md', 'docs/development.md'])
    newest = matrix[-1]

    assert classified == matrix
    assert smoke == [matrix[0], '3.13', newest]  # the oldest, the newest from pyenv, the newest of all
    assert 'Supported: CPython 2.7 and 3.6 – {} '.format(newest) in text
    assert 'from 2.7 to {},'.format(newest) in text
    assert 'Python 2.7 and 3.6 - {}, each'.format(newest) in text
    # python_requires admits each of them and refuses what the classifiers leave out.
    excluded = set(re.findall(r'!=(\d\.\d+)\.\*', declared['python_requires']))
    assert excluded == set('3.{}'.format(minor) for minor in range(6))
    assert not excluded & set(matrix)


def test_import_does_not_load_pkg_resources_or_setuptools(tmpdir):
    # Run from an empty directory so that only the package installed in this interpreter can be imported.
    script = 'import patreon, sys; print(sorted(set(["pkg_resources", "setuptools"]) & set(sys.modules)))'
    output = subprocess.check_output([sys.executable, '-c', script], cwd=str(tmpdir))

    assert output.decode('ascii').strip() == '[]'


def test_tests_import_the_copy_under_test():
    import patreon

    package_dir = os.path.realpath(os.path.dirname(patreon.__file__))
    source_dir = os.path.realpath(os.path.join(REPO_ROOT, 'patreon'))
    if EXPECT_INSTALLED_COPY:
        # `make matrix` must test what `pip install .` put into the virtualenv, not the source tree.
        assert package_dir != source_dir
        assert package_dir.startswith(os.path.realpath(sys.prefix) + os.sep)
    else:
        # `make test` installs the package in editable mode: the source tree is the copy under test.
        assert package_dir == source_dir


def test_nothing_in_the_repository_reads_a_path_beside_it():
    # A clone alone must run everything: no file may reach for a folder next to the repository.
    beside = re.compile(r"""\.\.[/\\]shared|['"]\.\.['"]\s*,\s*['"]shared['"]""")
    offenders = []
    for top in ('patreon', 'tests', 'benchmarks', 'examples', '.ci'):
        for directory, subdirectories, files in os.walk(os.path.join(REPO_ROOT, top)):
            subdirectories[:] = [name for name in subdirectories if name not in ('__pycache__', 'fixtures')]
            for name in files:
                if name.endswith(('.py', '.sh', '.pyi')) or name == 'run':
                    path = os.path.join(directory, name)
                    with io.open(path, encoding='utf-8') as handle:
                        if beside.search(handle.read()) and name != 'test_packaging.py':
                            offenders.append(os.path.relpath(path, REPO_ROOT))
    for name in ('Makefile', 'setup.py', 'setup.cfg', 'MANIFEST.in'):
        with io.open(os.path.join(REPO_ROOT, name), encoding='utf-8') as handle:
            if beside.search(handle.read()):
                offenders.append(name)
    assert offenders == []


def test_the_sample_documents_live_in_the_repository():
    fixtures = os.path.join(REPO_ROOT, 'tests', 'fixtures')
    assert 'identity_with_memberships.json' in os.listdir(fixtures)


def test_import_loads_no_costly_module_that_requests_does_not(tmpdir):
    # inspect (with ast and dis) costs about 3 ms, more than half the import budget of make bench figure 2;
    # fractions brings decimal, pure Python on 2.7 (4-6 ms there), where entitlements is imported with patreon.
    script = ('import sys, requests, six; before = set(sys.modules); import patreon; '
              'print(sorted(set(["inspect", "ast", "dis", "fractions", "decimal"]) & (set(sys.modules) - before)))')
    output = subprocess.check_output([sys.executable, '-c', script], cwd=str(tmpdir))

    assert output.decode('ascii').strip() == '[]'


def test_import_loads_the_package_and_its_version_alone_on_every_interpreter(tmpdir):
    # make bench figure 2: every name and submodule waits for its first use (a module subclass before 3.7).
    script = ('import sys, requests, six; before = set(sys.modules); import patreon; '
              'print(" ".join(sorted(set(sys.modules) - before)))')
    output = subprocess.check_output([sys.executable, '-c', script], cwd=str(tmpdir))

    serving = ['patreon._lazy_module'] if sys.version_info < (3, 7) else []  # no module __getattr__ there
    assert output.decode('ascii').split() == ['patreon'] + serving + ['patreon.version']


LAZY_NAMES_SCRIPT = """
import sys
import patreon
import patreon.api, patreon.oauth, patreon.pacing, patreon.policies, patreon.retry
definers = {"API": patreon.api, "OAuth": patreon.oauth, "Limits": patreon.pacing, "Timeout": patreon.policies,
            "RefreshPolicy": patreon.policies, "RetryPolicy": patreon.retry}
assert sorted(definers) == sorted(n for n in patreon.__all__ if n != "__version__")
for name, module in definers.items():
    assert getattr(patreon, name) is getattr(module, name), name
from patreon import API, webhooks
assert API is patreon.api.API and webhooks is sys.modules["patreon.webhooks"]
assert patreon.jsonapi.parser.JSONAPIParser.__name__ == "JSONAPIParser"  # 0.5.1's path, after import patreon alone
assert set(patreon.__all__) <= set(dir(patreon)) and "exceptions" in dir(patreon)
for probe in ("__wrapped__", "nope", "pytest_plugin"):
    before = set(sys.modules)
    try:
        getattr(patreon, probe)
    except AttributeError as error:
        assert repr(probe) in str(error), error
    else:
        raise AssertionError(probe)
    assert set(sys.modules) == before, probe  # a miss imports nothing
print("ok")
"""


def test_each_name_and_submodule_comes_on_first_use_from_the_module_that_defines_it(tmpdir):
    output = subprocess.check_output([sys.executable, '-c', LAZY_NAMES_SCRIPT], cwd=str(tmpdir))

    assert output.decode('ascii').split() == ['ok']


def test_a_mock_of_a_name_not_yet_loaded_is_undone_with_the_real_one(tmpdir):
    # Tests written for 0.5.1 patch patreon.API before anything else touched it.
    script = ('try:\n    from unittest import mock\nexcept ImportError:\n    import mock\n'
              'import patreon\n'
              'with mock.patch("patreon.API") as fake:\n'
              '    assert patreon.API is fake\n'
              'import patreon.api\n'
              'print(patreon.API is patreon.api.API)')
    output = subprocess.check_output([sys.executable, '-c', script], cwd=str(tmpdir))

    assert output.decode('ascii').split() == ['True']


FIRST_USE_SCRIPTS = {
    # A mock of the defining module active at the first use is not kept as the package's name.
    'mock': ('try:\n    from unittest import mock\nexcept ImportError:\n    import mock\n'
             'import patreon\n'
             'with mock.patch("patreon.api.API"), mock.patch("patreon.oauth.OAuth"):\n'
             '    patreon.API, patreon.OAuth\n'
             'import patreon.api, patreon.oauth\n'
             'print(patreon.API is patreon.api.API and patreon.OAuth is patreon.oauth.OAuth)\n'),
    # Reloading keeps the same module object (on 2.7 too, where the package is a module of a subclass).
    'reload': ('import sys\n'
               'try:\n    from importlib import reload\nexcept ImportError:\n    pass\n'
               'import patreon\n'
               'first = reload(patreon)\n'
               'second = reload(patreon)\n'
               'print(first is patreon and second is patreon and sys.modules["patreon"] is patreon\n'
               '      and patreon.Limits.__name__ == "Limits")\n'),
    # 0.5.1 reached the parser through the package; here it loads on first use.
    'jsonapi': ('import patreon.jsonapi, sys\n'
                'assert "patreon.jsonapi.parser" not in sys.modules\n'
                'print(patreon.jsonapi.parser.JSONAPIParser.__name__ == "JSONAPIParser"\n'
                '      and "url_util" in dir(patreon.jsonapi))\n'),
    # Twenty threads each using another name or submodule first, at once: none fails, none waits forever (an
    # __init__ importing its submodules deadlocked against a thread importing one of them).
    'threads': ('import sys, threading, patreon\n'
                'names = ["API", "OAuth", "Limits", "RefreshPolicy", "RetryPolicy", "Timeout", "api", "oauth",\n'
                '         "schemas", "webhooks", "jsonapi", "pagination", "entitlements", "stores", "exceptions",\n'
                '         "tokens", "scopes", "utils", "cli", "sandbox"]\n'
                'go, failures = threading.Event(), []\n'
                'def use(name):\n'
                '    go.wait()\n'
                '    try:\n'
                '        value = getattr(patreon, name)\n'
                '        if name == "jsonapi":\n'
                '            value.parser.JSONAPIParser\n'
                '    except Exception as error:\n'
                '        failures.append((name, repr(error)))\n'
                'threads = [threading.Thread(target=use, args=(name,)) for name in names]\n'
                'for thread in threads:\n'
                '    thread.daemon = True\n'
                '    thread.start()\n'
                'go.set()\n'
                'for thread in threads:\n'
                '    thread.join(60)\n'
                'print(not failures and not any(thread.is_alive() for thread in threads) or failures)\n'),
}


@pytest.mark.parametrize('case', sorted(FIRST_USE_SCRIPTS))
def test_first_use_holds_under_mocks_reloads_and_threads(case, tmpdir):
    output = subprocess.check_output([sys.executable, '-c', FIRST_USE_SCRIPTS[case]], cwd=str(tmpdir))

    assert output.decode('utf-8').strip() == 'True'


def test_before_3_7_a_module_of_a_subclass_serves_first_use(monkeypatch):
    # What 2.7 and 3.6 run, exercised here on any interpreter.
    from patreon._lazy_module import serve_attributes

    module = types.ModuleType(str('first_use_probe'))
    monkeypatch.setitem(sys.modules, 'first_use_probe', module)
    asked = []

    def first_use(name):
        asked.append(name)
        if name != 'made':
            raise AttributeError(name)
        return 42

    served = serve_attributes('first_use_probe', first_use, lambda: ['made'])

    assert served is sys.modules['first_use_probe'] and served.made == 42 and dir(served) == ['made']
    assert not hasattr(served, 'missing') and asked == ['made', 'missing']
    assert serve_attributes('first_use_probe', first_use, list) is served  # a reload keeps it


def test_import_leaves_what_only_some_clients_use_to_first_use(tmpdir):
    # Token stores (tempfile, file locks), the scope tables and the schemas behind field checks load when used.
    script = ('import sys, requests, six; before = set(sys.modules); import patreon; '
              'print(sorted(set(["tempfile", "patreon.tokens", "patreon.scopes", "patreon.jsonapi._known_names"]) '
              '& (set(sys.modules) - before)))')
    output = subprocess.check_output([sys.executable, '-c', script], cwd=str(tmpdir))

    assert output.decode('ascii').strip() == '[]'


def test_contributing_writes_down_the_release_procedure_and_ships_in_the_sdist():
    with io.open(os.path.join(REPO_ROOT, 'CONTRIBUTING.md'), encoding='utf-8') as handle:
        text = ' '.join(handle.read().split())
    release = text.split('## Making a release', 1)[1]
    steps = ["__version__ = 'X.Y.Z'", 'patreon/version.py', '## Unreleased', '## X.Y.Z - YYYY-MM-DD', 'make dist',
             'twine check --strict', 'git tag -a vX.Y.Z', 'twine upload']
    assert [step for step in steps if step not in release] == []
    positions = [release.index(step) for step in ('patreon/version.py', '## Unreleased', 'make dist', 'git tag',
                                                  'twine upload')]
    assert positions == sorted(positions)  # in the order they are done
    with io.open(os.path.join(REPO_ROOT, 'Makefile'), encoding='utf-8') as handle:
        dist_recipe = handle.read().split('\ndist:', 1)[1].split('\n\n', 1)[0]
    assert 'twine check --strict' in dist_recipe and 'check_dist.py' in dist_recipe  # what step 4 says it runs
    with io.open(os.path.join(REPO_ROOT, 'MANIFEST.in'), encoding='utf-8') as handle:
        assert 'CONTRIBUTING.md' in handle.read().split()
