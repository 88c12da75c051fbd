"""Packaging for ``patreon``: one universal wheel for Python 2.7 and 3.6+.

Build and install with ``pip install .``; the build system itself is declared in
``pyproject.toml``.
"""
import io
import os
import re

from setuptools import find_packages, setup

HERE = os.path.abspath(os.path.dirname(__file__))

# The runtime dependencies, with markers so that each interpreter resolves a release that still supports it.
INSTALL_REQUIRES = [
    'requests>=2.20,<2.28; python_version < "3.7"',
    'requests>=2.20; python_version >= "3.7"',
    'six>=1.12',
]

DESCRIPTION = "Python client for Patreon's API v2: OAuth, every API route, JSON:API parsing and webhooks"

PYTHON_REQUIRES = '>=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*, !=3.5.*'

CLASSIFIERS = [
    'Development Status :: 5 - Production/Stable',
    'Intended Audience :: Developers',
    'Operating System :: OS Independent',
    'Programming Language :: Python',
    'Programming Language :: Python :: 2',
    'Programming Language :: Python :: 2.7',
    'Programming Language :: Python :: 3',
    'Programming Language :: Python :: 3.6',
    'Programming Language :: Python :: 3.7',
    'Programming Language :: Python :: 3.8',
    'Programming Language :: Python :: 3.9',
    'Programming Language :: Python :: 3.10',
    'Programming Language :: Python :: 3.11',
    'Programming Language :: Python :: 3.12',
    'Programming Language :: Python :: 3.13',
    'Programming Language :: Python :: 3.14',
    'Programming Language :: Python :: 3.15',
    'Programming Language :: Python :: Implementation :: CPython',
    'Topic :: Internet :: WWW/HTTP',
    'Topic :: Software Development :: Libraries :: Python Modules',
]

_VERSION_LINE = re.compile(r"""^__version__\s*=\s*(['"])([^'"]+)\1\s*$""", re.MULTILINE)


def read_text(*parts):
    """Return the text of a file of this source tree, decoded as UTF-8.

    Usage::

        read_text('patreon', 'version.py')
    """
    with io.open(os.path.join(HERE, *parts), encoding='utf-8') as source:
        return source.read()


def read_version():
    """Return ``__version__`` as written in ``patreon/version.py``, without importing the package.

    Importing would need ``requests`` and ``six`` before they are installed.

    Usage::

        read_version()  # '0.6.0'
    """
    match = _VERSION_LINE.search(read_text('patreon', 'version.py'))
    if match is None:
        raise RuntimeError('patreon/version.py has no __version__ = "..." line')
    return match.group(2)


def read_long_description():
    """Return README.md, or the one-line description while the README does not exist yet."""
    if not os.path.exists(os.path.join(HERE, 'README.md')):
        return DESCRIPTION
    return read_text('README.md')


setup(
    name='patreon',
    version=read_version(),
    description=DESCRIPTION,
    long_description=read_long_description(),
    long_description_content_type='text/markdown',
    author='The patreon-python authors',
    license='Apache-2.0',
    keywords='patreon api oauth jsonapi webhooks',
    classifiers=CLASSIFIERS,
    packages=find_packages(exclude=['tests', 'tests.*']),
    # Type information for users (PEP 561); the files are matched wherever they exist in the packages.
    package_data={'': ['py.typed', '*.pyi']},
    python_requires=PYTHON_REQUIRES,
    install_requires=INSTALL_REQUIRES,
    # patreon.stores.redis (tokens, lock, pace and budget shared by machines); the core never imports it.
    extras_require={'redis': [
        'redis>=3.5,<4; python_version < "3"',
        'redis>=3.5,<4.4; python_version >= "3" and python_version < "3.7"',
        'redis>=3.5; python_version >= "3.7"',
    ]},
    # pytest11: the pytest plugin (fixtures patreon_sandbox and patreon_api) loads wherever pytest runs;
    # `import patreon` never imports it.
    entry_points={'console_scripts': ['patreon=patreon.cli:main'],
                  'pytest11': ['patreon.pytest_plugin = patreon.pytest_plugin']},
    zip_safe=False,
)
