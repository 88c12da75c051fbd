"""A MkDocs hook for `make docs`: the site's pages show the parts of README.md they name, written once, in the README.

README.md marks a part out with two HTML comments, ``<!-- site: NAME -->`` and ``<!-- /site: NAME -->`` (GitHub and
PyPI show neither); a page of docs/ names it on a line of its own, ``<!-- README.md: NAME -->``. A part's links are
the README's, from the repository's root (``docs/oauth.md``): they become the page's (``oauth.md``). A page's links
to the README (``../README.md#install``, which GitHub follows) go to the home page, which shows its parts. MkDocs
then checks every link as any other, strictly.

Plain Python that runs on 2.7 too: tests/test_docs.py reads pages through :func:`expand` as the site shows them.
"""
import io
import os
import re

INCLUDE = re.compile(r'^<!-- README\.md: ([\w-]+) -->$', re.M)
START, END = '<!-- site: {} -->\n', '<!-- /site: {} -->\n'
# A link's target: inline, ](target), or a reference's definition, [label]: target.
DOCS_LINK = re.compile(r'(\]\(|^\[[^\]\n]+\]: )docs/', re.M)
README_LINK = re.compile(r'(\]\(|^\[[^\]\n]+\]: )((?:\.\./)*)README\.md(?=[)#\s])', re.M)


def readme_part(readme, name):
    """The text between ``<!-- site: NAME -->`` and ``<!-- /site: NAME -->`` of README.md.

    :raises ValueError: the README marks no such part, or marks it more than once.
    """
    start, end = START.format(name), END.format(name)
    if readme.count(start) != 1 or readme.count(end) != 1 or readme.index(start) > readme.index(end):
        raise ValueError('README.md marks no part "{}" once: {}... {}'.format(name, start.strip(), end.strip()))
    return readme.split(start, 1)[1].split(end, 1)[0]


def expand(page_text, readme, depth):
    """``page_text`` as the site shows it: each README part it names put in, every link made the page's.

    :param depth: how many folders below docs/ the page is (``index.md``: 0, ``reference/patreon.md``: 1).
    :raises ValueError: a part the README does not mark.
    """
    up = '../' * depth

    def part(match):
        return DOCS_LINK.sub(lambda link: link.group(1) + up, readme_part(readme, match.group(1)).strip('\n'))

    def to_home(match):
        if len(match.group(2)) != 3 * (depth + 1):
            return match.group(0)  # not the repository's README.md
        return match.group(1) + up + 'index.md'

    return README_LINK.sub(to_home, INCLUDE.sub(part, page_text))


def parts_named(page_text):
    """The names of the README parts a page puts in, in order."""
    return INCLUDE.findall(page_text)


def on_page_markdown(markdown, page, config, **kwargs):
    from mkdocs.exceptions import PluginError

    with io.open(os.path.join(os.path.dirname(config.config_file_path), 'README.md'), encoding='utf-8') as handle:
        readme = handle.read()
    try:
        return expand(markdown, readme, page.file.src_uri.count('/'))
    except ValueError as exc:
        raise PluginError('{}: {}'.format(page.file.src_uri, exc))
