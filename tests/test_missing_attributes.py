# -*- coding: utf-8 -*-
"""Reading an attribute the answer does not carry: ``None`` as in 0.5.1, and a MissingAttributeWarning once."""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import signal
import sys
import threading
import warnings

import pytest

from patreon.exceptions import MissingAttributeWarning
from patreon.jsonapi import _known_names
from patreon.jsonapi.parser import JSONAPIParser

SECRET_NAME = 'Ada S3cr3t-Value'


@pytest.fixture(autouse=True)
def nothing_warned_yet(monkeypatch):
    # "once per process": each test starts as a fresh process would
    monkeypatch.setattr(_known_names, '_warned_missing', set())


def user(attributes=None, with_attributes=True):
    data = {'type': 'user', 'id': '1'}
    if with_attributes:
        data['attributes'] = {'full_name': SECRET_NAME, 'vanity': None} if attributes is None else attributes
    return JSONAPIParser({'data': data}).data()


def recorded(read):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        value = read()
    return value, [warning for warning in caught if issubclass(warning.category, MissingAttributeWarning)]


def test_a_known_attribute_not_asked_for_is_none_and_warns_once_per_type_and_name():
    value, caught = recorded(lambda: [user().attribute('email'), user().attribute('email'),
                                      user().attribute('is_creator')])
    assert value == [None, None, None]
    assert [str(warning.message).split("'")[1] for warning in caught] == ['email', 'is_creator']
    message = str(caught[0].message)
    assert "the user attribute 'email' was not in the response" in message
    assert "fields={'user': ['email', ...]}" in message
    assert SECRET_NAME not in message and 'S3cr3t' not in message  # type and name only, never a value
    assert caught[0].filename == __file__  # it points at the line that read it
    assert issubclass(MissingAttributeWarning, UserWarning)
    _, caught = recorded(lambda: JSONAPIParser({'data': {'type': 'member', 'id': '2', 'attributes': {}}})
                         .data().attribute('email'))
    assert len(caught) == 1 and "the member attribute 'email'" in str(caught[0].message)  # another type


@pytest.mark.parametrize('read', [
    lambda: user().attribute('full_name'),                                 # returned
    lambda: user().attribute('vanity'),                                    # returned, null
    lambda: user(with_attributes=False).attribute('email'),                # a reference: no attributes at all
    lambda: user(attributes=['email']).attribute('email'),                 # attributes that are not an object
    lambda: JSONAPIParser({'data': {'type': 'unknown-type', 'id': '1', 'attributes': {}}}).data().attribute('email'),
    lambda: JSONAPIParser({'data': {'type': ['user'], 'id': '1', 'attributes': {}}}).data().attribute('email'),
])
def test_no_warning_unless_the_attributes_lack_a_known_attribute_of_the_type(read):
    value, caught = recorded(read)
    assert caught == []
    assert value in (None, SECRET_NAME)


def test_a_name_that_is_no_attribute_of_the_type_warns_once_naming_the_attributes_or_the_relationship():
    value, caught = recorded(lambda: [user().attribute('full_nme'), user().attribute('full_nme'),
                                      user().attribute('memberships')])
    assert value == [None, None, None] and len(caught) == 2
    assert str(caught[0].message).startswith("'full_nme' is not an attribute of user known to patreon.schemas "
                                             "(did you mean 'full_name'?)")
    assert 'full_name' in str(caught[0].message) and SECRET_NAME not in str(caught[0].message)
    assert "read it with relationship('memberships')" in str(caught[1].message)
    assert caught[0].filename == __file__


def test_made_up_names_warn_of_the_first_thousand_pairs_only(monkeypatch):
    monkeypatch.setattr(_known_names, '_MAX_WARNED', 3)
    _, caught = recorded(lambda: [user().attribute('name{}'.format(index)) for index in range(10)])
    assert len(caught) == 3 and len(_known_names._warned_missing) == 3


def test_the_package_reading_for_itself_does_not_warn():
    # the command line and the demo read what they asked for, and say so themselves when it is missing
    resource = user()
    code = compile('value = resource.attribute("email")', 'patreon_internal.py', 'exec')
    scope = {'__name__': 'patreon.cli._views', 'resource': resource}
    _, caught = recorded(lambda: exec_in(code, scope))
    assert caught == [] and scope['value'] is None
    _, caught = recorded(lambda: resource.attribute('email'))
    assert len(caught) == 1  # not marked as warned by the package's own read


def exec_in(code, scope):
    exec(code, scope)


def test_threads_reading_the_same_missing_attribute_warn_once():
    resource, start = user(), threading.Event()

    def read():
        start.wait()
        for _ in range(50):
            resource.attribute('email')

    def race():
        threads = [threading.Thread(target=read) for _ in range(8)]
        for thread in threads:
            thread.start()
        start.set()
        for thread in threads:
            thread.join()

    _, caught = recorded(race)
    assert len(caught) == 1


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='fork() is POSIX only')
def test_a_child_forked_while_another_thread_holds_the_lock_still_warns():
    lock = _known_names._warned_lock[1]
    lock.acquire()  # as a thread in the middle of warning would, at the moment of fork()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)  # 3.12+: fork() of a process with threads
            pid = os.fork()
        if pid == 0:  # the child: a deadlock here would end with SIGALRM, not a hung test
            status = 1
            try:
                signal.alarm(20)
                _, caught = recorded(lambda: user().attribute('email'))
                status = 0 if len(caught) == 1 else 3
            finally:
                sys.stdout.flush()
                os._exit(status)
    finally:
        lock.release()
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status


def test_a_read_at_the_bottom_of_a_threads_stack_warns_and_a_long_name_is_cut(monkeypatch):
    class ShallowStack(object):
        # As for attribute() given as a thread's target: no frame above it.
        @staticmethod
        def _getframe(depth=0):
            if depth >= 3:
                raise ValueError('call stack is not deep enough')
            return sys._getframe(depth + 1)

    monkeypatch.setattr(_known_names, 'sys', ShallowStack)
    value, caught = recorded(lambda: user().attribute('ful_name'))
    assert value is None and len(caught) == 1
    monkeypatch.setattr(_known_names, 'sys', sys)
    value, caught = recorded(lambda: user().attribute('n' * 100000))
    assert value is None and len(caught) == 1 and len(str(caught[0].message)) < 500
    assert "'" + 'n' * 79 + '...' in str(caught[0].message)
