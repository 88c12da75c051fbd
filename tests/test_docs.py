"""The documentation site: its pages, its navigation, the public modules its reference renders, the README's links.

``make docs`` builds the site strictly (tests/ cannot: its tools need Python 3.11); these are the facts a build on
any interpreter can miss: a reference page whose module does not import, a page left out of the navigation, a link
of the README to a page that is gone. The code blocks of every page run in tests/test_readme.py.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import importlib
import io
import os
import re
import subprocess

import pytest

from helpers import REPO_ROOT, doc_pages, doc_text
from patreon._public_api import PUBLIC_API, public_modules

REFERENCE = 'docs/reference/'
# What mkdocstrings renders: ``::: dotted.name`` on a line of its own.
DIRECTIVE = re.compile(r'^::: ([\w.]+)$', re.M)


def navigation():
    """``[(title, page)]`` of mkdocs.yml's nav, pages relative to docs/, in order."""
    with io.open(os.path.join(REPO_ROOT, 'mkdocs.yml'), encoding='utf-8') as handle:
        nav = handle.read().split('\nnav:\n', 1)[1]
    return re.findall(r'^ +- ([^:\n]+): (\S+\.md)$', nav, re.M)


def reference_modules():
    """The public modules, one reference page each (``docs/reference/patreon.api.md`` is ``patreon.api``)."""
    return sorted(page[len(REFERENCE):-len('.md')] for page in doc_pages() if page.startswith(REFERENCE))


def test_the_reference_lists_the_public_modules():
    # Every public module with names of its own (patreon/_public_api.py), but the schema modules: the page of
    # patreon.schemas covers them, each being the same two classes of constants.
    assert reference_modules() == sorted(
        module for module in public_modules() if PUBLIC_API[module] and not module.startswith('patreon.schemas.'))


@pytest.mark.parametrize('module', reference_modules())
def test_every_module_of_the_reference_imports_and_its_page_renders_it(module):
    importlib.import_module(module)
    targets = DIRECTIVE.findall(doc_text(REFERENCE + module + '.md'))
    assert targets[0] == module  # the page opens with its module
    for target in targets[1:]:  # and names nothing that is gone
        owner, _, name = target.rpartition('.')
        assert getattr(importlib.import_module(owner), name) is not None, target


def test_every_page_is_in_the_navigation_once():
    pages = ['docs/' + page for _, page in navigation()]
    assert sorted(pages) == doc_pages()
    assert pages[0] == 'docs/index.md'


def test_the_readme_links_every_guide_and_each_link_leads_to_a_page():
    links = re.findall(r'\]\((docs/[^)#]*)', doc_text('README.md'))
    assert set(links) - {'docs/'} <= set(doc_pages())  # docs/: the folder, which GitHub lists
    guides = [page for page in doc_pages() if not page.startswith(REFERENCE) and page != 'docs/index.md']
    assert sorted(set(links) - {'docs/'}) == guides


def test_the_home_page_links_every_guide_and_the_reference():
    text = as_the_site_shows('docs/index.md')
    links = set(re.findall(r'\]\(([^)#]+\.md)', text))
    pages = set(page[len('docs/'):] for page in doc_pages()) - {'index.md'}
    assert links == pages


def site_hook():
    """The namespace of docs/hooks/readme.py, the hook of `make docs` that puts the README's parts in pages."""
    path = os.path.join(REPO_ROOT, 'docs', 'hooks', 'readme.py')
    namespace = {'__name__': 'readme_hook'}
    with io.open(path, encoding='utf-8') as handle:
        exec(compile(handle.read(), path, 'exec'), namespace)
    return namespace


def as_the_site_shows(page):
    """The Markdown of ``page`` (``'docs/index.md'``) once the hook has put in the parts of the README it names."""
    return site_hook()['expand'](doc_text(page), doc_text('README.md'), page.count('/') - 1)


def test_the_site_shows_each_part_the_readme_marks_for_it_once():
    readme = doc_text('README.md')
    marked = re.findall(r'^<!-- site: ([\w-]+) -->$', readme, re.M)
    assert len(marked) >= 2 and len(set(marked)) == len(marked)
    assert re.findall(r'^<!-- /site: ([\w-]+) -->$', readme, re.M) == marked
    named = [name for page in doc_pages() for name in site_hook()['parts_named'](doc_text(page))]
    assert sorted(named) == sorted(marked)
    home = as_the_site_shows('docs/index.md')
    assert home.startswith('# patreon') and 'def lets_in(code):' in home and '<!--' not in home
    for page in doc_pages():  # each part as the README says it, but for its links
        shown = as_the_site_shows(page)
        for name in site_hook()['parts_named'](doc_text(page)):
            part = site_hook()['readme_part'](readme, name).strip()
            assert re.sub(r'\]\(docs/', '](' + '../' * (page.count('/') - 1), part) in shown, (page, name)


def test_the_hook_makes_the_readmes_links_the_pages():
    hook = site_hook()
    readme = ('# Title\n<!-- site: a -->\nSee [Errors](docs/errors.md#typed), [B](https://b.example/docs/x.md) and '
              '[top](#title).\n\n[ref]: docs/limits.md\n<!-- /site: a -->\nNot on the site.\n')
    page = 'Before.\n\n<!-- README.md: a -->\n\nAfter: [install](../README.md#install), [x](../../README.md).\n'
    assert hook['expand'](page, readme, 0) == (
        'Before.\n\nSee [Errors](errors.md#typed), [B](https://b.example/docs/x.md) and [top](#title).\n\n'
        '[ref]: limits.md\n\nAfter: [install](index.md#install), [x](../../README.md).\n')
    assert hook['expand'](page, readme, 1).split('\n')[2] == (
        'See [Errors](../errors.md#typed), [B](https://b.example/docs/x.md) and [top](#title).')
    assert hook['expand']('[x](../../README.md)', readme, 1) == '[x](../index.md)'
    assert hook['expand']('No part.\n', readme, 0) == 'No part.\n'
    for missing in ['<!-- README.md: b -->', '<!-- README.md: a -->']:
        broken = readme.replace('<!-- /site: a -->', '') if missing.endswith('a -->') else readme
        with pytest.raises(ValueError, match='README.md marks no part'):
            hook['expand'](missing + '\n', broken, 0)


def sentences(text):
    """The units a reader would notice twice: each sentence or list item of the prose, each whole code block.

    Whitespace is normalised, and a link's target reads the same from README.md and from docs/ (``docs/x.md``,
    ``x.md``, ``../x.md``), so that the same sentence with its links rewritten is the same sentence.
    """
    text = re.sub(r'\]\((?:\.\./)*(?:docs/)?', '](', text)
    fenced = re.compile(r'^```.*?^```$', re.S | re.M)
    units = [match.group(0) for match in fenced.finditer(text)]
    for paragraph in re.split(r'\n\s*\n', fenced.sub('\n\n', text)):
        for item in re.split(r'\n(?=\s*(?:[-*] |\d+\. |\|))', paragraph):
            units.extend(re.split(r'(?<=[.:;!?])\s+(?=[A-Z`*\[(])', ' '.join(item.split())))
    return [' '.join(unit.split()) for unit in units if len(' '.join(unit.split())) > 60]


def test_the_readme_and_the_site_say_each_thing_once():
    # A part of the README the site shows is written in the README alone (the page names it), so it counts once.
    seen = {}
    for name in ['README.md'] + doc_pages():
        for unit in set(sentences(doc_text(name))):
            seen.setdefault(unit, []).append(name)
    assert [(names, unit) for unit, names in sorted(seen.items()) if len(names) > 1] == []


def test_a_sentence_said_twice_is_found():
    said = 'The client never retries a POST, since Patreon gives no idempotency key and a retry could act twice.'
    assert said in sentences('# Retries\n\nTimeouts first. ' + said + '\n')
    assert sentences('- [Limits](docs/limits.md): timeouts, retries, pacing and the budget of 4xx answers.') == \
        sentences('- [Limits](limits.md): timeouts, retries, pacing and the budget of 4xx answers.')
    assert sentences('Short one. Another short one.') == []


def test_the_command_line_page_lists_every_command_of_the_help(capsys, monkeypatch):
    from patreon import cli

    monkeypatch.setenv(str('COLUMNS'), str('100'))  # native strings, as os.environ wants on 2.7
    assert cli.main(['--help']) == 0
    commands = re.findall(r'^ {4}([\w-]+) {2,}', capsys.readouterr().out, re.M)
    documented = re.findall(r'^\| `([\w-]+)[^|]*` \|', doc_text('docs/cli.md'), re.M)
    assert len(commands) >= 8 and documented == commands


def test_make_docs_builds_strictly_offline_from_pinned_tools_and_ci_runs_it():
    env = dict(os.environ, MAKEFLAGS='')
    commands = subprocess.check_output(['make', '-n', '-B', '-C', REPO_ROOT, 'docs'], env=env).decode('utf-8')
    assert '.docs-venv/bin/python -m pip install -r docs-requirements.txt' in commands
    assert '.docs-venv/bin/mkdocs build --strict' in commands
    requirements = [line for line in doc_text('docs-requirements.txt').splitlines() if line and line[0] != '#']
    assert len(requirements) >= 4 and all(re.match(r'^[\w.-]+==[\w.]+$', line) for line in requirements)
    config = doc_text('mkdocs.yml')
    assert re.search(r'^  font: false$', config, re.M)  # the theme would fetch its web fonts
    assert re.search(r'^strict: true$', config, re.M) and 'extra_javascript' not in config and '//' not in config
    steps = [line for line in doc_text('.ci/run').splitlines() if line.startswith('make ')]
    assert steps.index('make docs') == steps.index('make lint') + 1


def package_modules():
    """``{dotted name: path}`` of every module of the package's sources (``patreon/cli/_views.py``)."""
    modules = {}
    for folder, _, names in os.walk(os.path.join(REPO_ROOT, 'patreon')):
        for name in names:
            if name.endswith('.py'):
                path = os.path.relpath(os.path.join(folder, name), REPO_ROOT)
                dotted = path[:-len('.py')].replace(os.sep, '.')
                modules[dotted[:-len('.__init__')] if dotted.endswith('.__init__') else dotted] = path
    return modules


def test_private_modules_carry_no_usage_examples():
    # Their docstrings say what a function returns and raises, and why; examples are for public entry points.
    modules = package_modules()
    private = sorted(set(modules) - set(public_modules()))
    assert 'patreon.cli._views' in private and 'patreon.api' not in private
    assert [module for module in private if 'Usage::' in doc_text(modules[module])] == []
