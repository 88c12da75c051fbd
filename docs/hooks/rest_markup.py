"""A griffe extension for `make docs`: the reST markup of the package's docstrings, read as Markdown.

The docstrings are Sphinx style (``:param x:``, ``:raises E:``, which the handler parses itself); what is left is
inline markup that Markdown would print as is: cross-reference roles become code, and a paragraph ending in ``::``
(before a literal block, which is an indented block in Markdown too) ends in ``:``.
"""
import re

from griffe import Extension

ROLE = re.compile(r':(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):`~?([^`]+)`')
LITERAL_BLOCK = re.compile(r'(\S)::$', re.M)
LONE_MARKER = re.compile(r'^\s*::\s*$\n', re.M)


def to_markdown(text):
    text = ROLE.sub(lambda match: '`{}`'.format(match.group(1)), text)
    return LONE_MARKER.sub('', LITERAL_BLOCK.sub(r'\1:', text))


class RestMarkup(Extension):
    def on_instance(self, *, obj, **kwargs):
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)
