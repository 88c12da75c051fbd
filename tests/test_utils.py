"""patreon.utils.user_agent_string: 0.5.1's format, computed once per process."""
from __future__ import absolute_import, division, print_function, unicode_literals

import platform

import patreon
import patreon.utils
from patreon.utils import user_agent_string


def test_user_agent_string_format():
    assert user_agent_string() == 'Patreon-Python, version {}, platform {}'.format(
        patreon.__version__, platform.platform())
    assert user_agent_string().startswith('Patreon-Python, version 0.6.0, platform ')


def test_user_agent_string_is_computed_once(monkeypatch):
    calls = []

    def counting_platform(*args, **kwargs):
        calls.append(1)
        return 'Plan9-4th-edition'

    monkeypatch.setattr(patreon.utils, '_user_agent', [])  # forget what an earlier test computed
    monkeypatch.setattr(platform, 'platform', counting_platform)

    for _ in range(5):
        assert user_agent_string() == 'Patreon-Python, version 0.6.0, platform Plan9-4th-edition'

    assert len(calls) == 1
