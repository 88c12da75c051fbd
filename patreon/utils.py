"""Small helpers shared by the clients."""
from .version import __version__

_user_agent = []


def user_agent_string():
    """Return the ``User-Agent`` every request sends, computed once per process.

    ``platform.platform()`` reads the interpreter binary to find the libc
    version, so it is worth doing once rather than on every request::

        >>> user_agent_string()  # doctest: +SKIP
        'Patreon-Python, version 0.6.0, platform Linux-6.1-x86_64-with-glibc2.36'
    """
    if not _user_agent:
        import platform  # here, not at module level: it costs a millisecond of `import patreon`
        _user_agent.append('Patreon-Python, version {}, platform {}'.format(
            __version__, platform.platform()))
    return _user_agent[0]
