"""The public API is what patreon/_public_api.py lists: the modules, their __all__ and their stubs agree with it,
and a public module defines (or its stub describes) no other name without a leading underscore."""
from __future__ import absolute_import, division, print_function, unicode_literals

import ast
import importlib
import inspect
import io
import os
import pkgutil
import re

import pytest

import patreon
from patreon._public_api import PUBLIC_API, public_modules

PACKAGE_DIR = os.path.dirname(os.path.abspath(patreon.__file__))
# Stub-only aliases shared by the stubs (like typeshed's _typeshed): a public stub may import them.
TYPING_HELPERS = ('patreon._typing',)
# Names a public module defines for a caller that finds them by name, not by import: pytest's hooks of the plugin.
FOUND_BY_NAME = {'patreon.pytest_plugin': ('pytest_addoption', 'pytest_configure', 'pytest_report_header')}


def source_path(module_name, extension):
    parts = module_name.split('.')[1:]
    base = os.path.join(PACKAGE_DIR, *parts)
    if os.path.isdir(base):
        return os.path.join(base, '__init__' + extension)
    return base + extension


def read(path):
    with io.open(path, encoding='utf-8') as f:
        return f.read()


def stub_text(module_name):
    return read(source_path(module_name, '.pyi'))


# Read line by line rather than with ast: stubs are Python 3 syntax, and this test also runs on 2.7.
_DEFINED = re.compile(r'^(?:class|def)\s+(\w+)|^(\w+)\s*(?::|=)', re.MULTILINE)
_REEXPORTED = re.compile(r'\b(\w+) as (\w+)\b')
_IMPORT_LINE = re.compile(r'^(?:from\s+(\S+)\s+import\b|import\s+(\S+))', re.MULTILINE)
_ALL = re.compile(r'^__all__\s*(?::[^=]*)?=\s*(\[[^\]]*\])', re.MULTILINE)


def stub_names(text):
    """The names a stub defines at its top level: classes, functions, variables, and `x as x` re-exports."""
    names = set(first or second for first, second in _DEFINED.findall(text))
    names.update(name for name, alias in _REEXPORTED.findall(text) if name == alias)
    return names


def source_names(text):
    """The names a module's source binds at its top level (also inside if, try, for and with): not what it imports."""
    names = set()
    _bound_names(ast.parse(text).body, names)
    return names


def _bound_names(statements, names):
    for node in statements:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.For)) or type(node).__name__ == 'AnnAssign':
            targets = [node.target]
        elif isinstance(node, ast.With):
            # Python 2's With has one context expression; Python 3's holds a list of items.
            targets = [item.optional_vars for item in getattr(node, 'items', [node]) if item.optional_vars is not None]
        for target in targets:
            names.update(_target_names(target))
        for field in ('body', 'orelse', 'finalbody', 'handlers'):  # if/try/for/with blocks bind at the top level too
            _bound_names(getattr(node, field, None) or [], names)


def _target_names(target):
    # `a, (b, *c) = ...` binds a, b and c; `table[key] = ...` and `obj.attr = ...` bind nothing here.
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for item in target.elts for name in _target_names(item)]
    if type(target).__name__ == 'Starred':
        return _target_names(target.value)
    return []


def stub_imports(module_name, text):
    """The absolute names of the modules a stub imports from."""
    package = module_name if source_path(module_name, '.pyi').endswith('__init__.pyi') else \
        module_name.rpartition('.')[0]
    found = set()
    for relative, plain in _IMPORT_LINE.findall(text):
        spec = relative or plain
        dots = len(spec) - len(spec.lstrip('.'))
        if dots:
            base = package.split('.')
            base = base[:len(base) - (dots - 1)]
            spec = '.'.join(base + ([spec[dots:]] if spec[dots:] else []))
        found.add(spec)
    return found


def stub_all(text):
    match = _ALL.search(text)
    return None if match is None else ast.literal_eval(match.group(1))


def all_modules():
    names = ['patreon']
    for info in pkgutil.walk_packages(patreon.__path__, 'patreon.', onerror=_raise):
        names.append(info[1])
    return names


def _raise(name):
    raise ImportError('cannot walk into ' + name)


def test_the_list_is_sorted_for_readers_and_its_modules_exist():
    assert public_modules() == sorted(PUBLIC_API)
    for name in public_modules():
        assert os.path.exists(source_path(name, '.py')), name


def test_the_package_reaches_every_public_submodule_but_the_plugin_and_the_entry_point():
    top_level = set(name.split('.')[1] for name in public_modules() if name.count('.') >= 1)
    # The plugin imports pytest; __main__ runs the command line.
    assert patreon._SUBMODULES == top_level - {'pytest_plugin', '__main__'}


@pytest.mark.parametrize('module_name', public_modules())
def test_every_listed_name_imports_and_is_the_modules_all(module_name):
    module = importlib.import_module(module_name)
    for name in PUBLIC_API[module_name]:
        if not hasattr(module, name):  # a package's submodule (patreon.schemas.member) loads when imported
            importlib.import_module(module_name + '.' + name)
        assert hasattr(module, name), '{}.{} is listed but missing'.format(module_name, name)
    assert tuple(module.__all__) == PUBLIC_API[module_name], (
        '{}.__all__ differs from patreon/_public_api.py: update both together'.format(module_name))
    namespace = {}
    exec('from {} import *'.format(module_name), namespace)
    assert set(namespace) - {'__builtins__'} == set(PUBLIC_API[module_name])


@pytest.mark.parametrize('module_name', public_modules())
def test_every_public_module_has_a_stub_that_defines_its_names(module_name):
    path = source_path(module_name, '.pyi')
    assert os.path.exists(path), '{} is public and has no stub'.format(module_name)
    text = stub_text(module_name)
    missing = set(PUBLIC_API[module_name]) - stub_names(text)
    assert not missing, '{} does not define {}'.format(path, sorted(missing))
    assert stub_all(text) == list(PUBLIC_API[module_name])


@pytest.mark.parametrize('module_name', public_modules())
def test_public_stubs_import_only_public_modules_and_typing_helpers(module_name):
    internal = set(name for name in stub_imports(module_name, stub_text(module_name))
                   if name.split('.')[0] == 'patreon' and name not in PUBLIC_API and name not in TYPING_HELPERS)
    assert not internal, '{} names internal modules in its public types: {}'.format(module_name, sorted(internal))


def unlisted(module_name, names):
    """Those of ``names`` that look public (no leading underscore) and are neither listed nor public submodules."""
    allowed = set(PUBLIC_API[module_name]) | set(FOUND_BY_NAME.get(module_name, ()))
    return sorted(name for name in names if not name.startswith('_') and name not in allowed
                  and '{}.{}'.format(module_name, name) not in PUBLIC_API)


@pytest.mark.parametrize('module_name', public_modules())
def test_a_public_module_defines_no_public_looking_name_outside_the_list(module_name):
    # What a module imports is the other module's name (and its own list's, when public); what it defines shows in
    # dir(), help() and completion as if it were API. An internal helper goes to a private module or gets an `_`.
    # Bytes: Python 2 refuses to parse text that declares its encoding (`# -*- coding: utf-8 -*-`).
    with open(source_path(module_name, '.py'), 'rb') as f:
        leaked = unlisted(module_name, source_names(f.read()))
    assert not leaked, ('{} defines {} without an underscore and patreon/_public_api.py does not list them: move them '
                        'to a private module, or add an underscore'.format(module_name, leaked))


@pytest.mark.parametrize('module_name', public_modules())
def test_a_public_stub_describes_no_name_outside_the_list(module_name):
    leaked = unlisted(module_name, stub_names(stub_text(module_name)))
    assert not leaked, '{} describes {}, which are not public'.format(source_path(module_name, '.pyi'), leaked)


@pytest.mark.parametrize('module_name', public_modules())
def test_a_public_module_made_no_unlisted_function_or_class_at_run_time(module_name):
    # The source reading above misses a name made at run time (setattr, globals()): the functions and classes whose
    # home is this module, as imported, are listed too.
    module = importlib.import_module(module_name)
    made_here = [name for name, value in vars(module).items()
                 if (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__ == module_name]
    leaked = unlisted(module_name, made_here)
    assert not leaked, '{} has {}, which are not in patreon/_public_api.py'.format(module_name, leaked)


def test_the_source_reading_finds_every_binding_and_no_import():
    text = ('from __future__ import unicode_literals\nimport json\nimport os.path as paths\nfrom .x import helper\n'
            'LIMIT = 3\nA, (B, _C) = 1, (2, 3)\nCOUNT += 1\ndef check(): pass\nclass Kind(object): pass\n'
            'try:\n    import fcntl\n    LOCKS = True\nexcept ImportError:\n    LOCKS = False\n'
            'if LIMIT:\n    def maybe(): pass\nelse:\n    OTHER = 1\nfor item in []:\n    pass\n'
            'with open(__file__) as handle:\n    pass\nTABLE[KEY] = 1\nlogging.root.level = 0\n')
    assert source_names(text) == {'LIMIT', 'A', 'B', '_C', 'COUNT', 'check', 'Kind', 'LOCKS', 'maybe', 'OTHER',
                                  'item', 'handle'}
    assert unlisted('patreon.api', ['API', 'helper', '_private', '__all__']) == ['helper']
    assert unlisted('patreon', ['api', 'stores', 'pacing', 'sys']) == ['sys']  # patreon.stores is public
    assert unlisted('patreon.pytest_plugin', ['pytest_configure', 'MARKER', 'pytest_other']) == ['pytest_other']


def test_a_module_outside_the_list_has_an_underscore_in_its_name():
    modules = all_modules()
    assert set(PUBLIC_API) <= set(modules)
    unlisted = [name for name in modules if name not in PUBLIC_API
                and not any(part.startswith('_') for part in name.split('.'))]
    assert unlisted == [], 'public-looking modules not in patreon/_public_api.py: {}'.format(unlisted)


def test_private_modules_have_no_stub_but_the_typing_helpers():
    stubs = []
    for directory, subdirectories, files in os.walk(PACKAGE_DIR):
        subdirectories[:] = [name for name in subdirectories if name != '__pycache__']
        package = 'patreon' if directory == PACKAGE_DIR else 'patreon.' + os.path.relpath(
            directory, PACKAGE_DIR).replace(os.sep, '.')
        for name in files:
            if name.endswith('.pyi'):
                stem = name[:-4]
                stubs.append(package if stem == '__init__' else package + '.' + stem)
    assert sorted(name for name in stubs if name not in PUBLIC_API) == sorted(TYPING_HELPERS)


def test_the_checks_above_read_stubs_as_they_are_written():
    text = ('from . import (\n    api as api,\n    jsonapi,\n)\nfrom ._typing import JSONObject\n'
            'import requests\n\n__all__ = [\n    \'API\', \'LIMIT\',\n]\n\nLIMIT: Final = 3\nclass API:\n'
            '    inner: int\n    def get(self) -> None: ...\ndef helper() -> None: ...\n_P = ParamSpec("_P")\n')
    assert stub_names(text) == {'api', '__all__', 'LIMIT', 'API', 'helper', '_P'}
    assert stub_imports('patreon.stores.sqlite', 'from ..pacing import Slots\nfrom ._common import X\n') == {
        'patreon.pacing', 'patreon.stores._common'}
    assert stub_imports('patreon', text) == {'patreon', 'patreon._typing', 'requests'}
    assert stub_all(text) == ['API', 'LIMIT']
    assert stub_all('x: int\n') is None
