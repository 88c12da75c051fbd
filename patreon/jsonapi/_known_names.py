"""Catch misspelt ``fields`` and ``includes`` against :mod:`patreon.schemas`: Patreon ignores unknown names silently."""
from __future__ import unicode_literals

import importlib
import os
import sys
import threading
import warnings

import six

from .. import schemas
from ..exceptions import MissingAttributeWarning, UnknownFieldError, UnknownFieldWarning

# Known names per resource type, and every relationship name, computed once on first use.
_fields_of_type = {}  # type: dict
_attributes_of_type = {}  # type: dict
_relationships = []  # type: list
_relationships_of_type = {}  # type: dict
# (type, name) of the missing attributes already warned of in this process, and the lock of that set with the
# process it was made in: a child after fork() may inherit it held by a thread that does not exist there.
_warned_missing = set()  # type: set
_warned_lock = [os.getpid(), threading.Lock()]  # type: list


def check_names(include, field_lists, strict=False, returns=None):
    """Warn of (``strict``: refuse) each ``include`` path and ``field_lists`` name the schemas do not know.

    :param returns: the resource type the route returns: the first name of each include path is one of its
        relationships (a deeper name, one of any type's).

    :raises patreon.exceptions.UnknownFieldError: in strict mode, for the first unknown name.
    """
    for resource_type, names in field_lists:
        if resource_type not in schemas.SCHEMA_MODULE_NAMES:
            _report('fields names the resource type {}, which patreon.schemas does not know{}; known types: {}'.format(
                _shown(resource_type), _nearest(resource_type, schemas.SCHEMA_MODULE_NAMES),
                ', '.join(sorted(schemas.SCHEMA_MODULE_NAMES))), strict)
            continue
        try:
            known = _known_fields(resource_type)
        except ImportError:  # pragma: no cover - Python 2, package found through a relative path, cwd changed since
            if strict:
                raise UnknownFieldError('the names of {} cannot be checked: patreon.schemas cannot be imported '
                                        'from here'.format(resource_type))
            continue  # the warning is advice: a name that cannot be checked is sent as given
        for name in _split(names, ','):
            if name not in known:
                _report('fields[{}] names {}, which is not a field of {} known to patreon.schemas{}; known: {}'.format(
                    resource_type, _shown(name), resource_type, _nearest(name, known), ', '.join(sorted(known))),
                    strict)
    if include is not None:
        try:
            relationships = _known_relationships()
        except ImportError:  # pragma: no cover - as above
            if strict:
                raise UnknownFieldError('includes cannot be checked: patreon.schemas cannot be imported from here')
            return
        first = _type_relationships(returns)
        for path in _split(include, ','):
            for position, name in enumerate(path.split('.')):
                if position == 0 and first is not None:
                    if name not in first:
                        _report('includes names {}, which is not a relationship of {} known to patreon.schemas{}; '
                                'known: {}'.format(_shown(name), returns, _nearest(name, first),
                                                   ', '.join(sorted(first))), strict)
                elif name not in relationships:
                    _report('includes names {}, which is not a relationship known to patreon.schemas{}; '
                            'known: {}'.format(_shown(name), _nearest(name, relationships),
                                               ', '.join(sorted(relationships))), strict)


def described(unknown, known):
    """The ``unknown`` names (given by the caller) for a message: each quoted, cut, with the nearest ``known`` one."""
    return ', '.join(_shown(name) + _nearest(name, known) for name in unknown)


def _nearest(name, known):
    """`` (did you mean 'x'?)`` for the known name closest to a misspelt one, or nothing."""
    if len(name) > _LONGEST_SHOWN:
        return ''  # no name is that long: nothing is near it, and comparing would take time for nothing
    import difflib  # on the first unknown name only: no cost to a request that names known ones
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return " (did you mean '{}'?)".format(close[0]) if close else ''


def warn_missing_attribute(resource_type, name):
    """Warn once per type and name that attribute ``name`` was not in a response (a caller outside the package only)."""
    try:
        caller = sys._getframe(3)  # attribute()'s caller: this <- the parser's hook <- JSONAPIResource.attribute()
    except ValueError:  # attribute() is the bottom of its thread's stack (a thread's target): no package caller
        caller = None
    if caller is not None and (caller.f_globals.get('__name__') or '').split('.')[0] == 'patreon':
        return
    if resource_type not in schemas.SCHEMA_MODULE_NAMES:
        return  # an unknown type: nothing to advise (and no text the answer chose goes in a message)
    key = (resource_type, name)
    if key in _warned_missing:  # the common case, read without the lock
        return
    if _warned_lock[0] != os.getpid():
        _warned_lock[:] = [os.getpid(), threading.Lock()]
    with _warned_lock[1]:
        # Names come from the caller: a program reading made-up names gets its first warnings, not unbounded memory.
        if key in _warned_missing or len(_warned_missing) >= _MAX_WARNED:
            return
        _warned_missing.add(key)
    warnings.warn(MissingAttributeWarning(_missing_message(resource_type, name)), stacklevel=_caller_level())


#: How many (type, name) pairs are warned of, at most, in a process.
_MAX_WARNED = 1000


def _missing_message(resource_type, name):
    known = _known_attributes(resource_type)
    if name in known:
        return ("the {0} attribute '{1}' was not in the response, so attribute('{1}') is None: Patreon's API v2 "
                "returns only the attributes asked for; ask for it with fields={{'{0}': ['{1}', ...]}} (or "
                "patreon.schemas.all_fields('{0}'))".format(resource_type, name))
    if name in _known_fields(resource_type):
        return ("{1} is a relationship of {0}, not an attribute, so attribute({1}) is None: read it with "
                "relationship({1}) (and includes=[{1}])".format(resource_type, _quoted(name)))
    shown = _shown(name)
    nearest = _nearest(name, known) if isinstance(name, six.text_type) else ''
    return ("{1} is not an attribute of {0} known to patreon.schemas{3}, nor in the response, so "
            "attribute({1}) is None; the attributes of {0}: {2}".format(
                resource_type, shown, ', '.join(sorted(known)), nearest or ' (a typo?)'))


#: How much of an unknown name a warning shows.
_LONGEST_SHOWN = 80


def _known_attributes(resource_type):
    known = _attributes_of_type.get(resource_type)
    if known is None:
        try:
            known = frozenset(_names(_schema(resource_type).Attributes))
        except ImportError:  # pragma: no cover - Python 2, package found through a relative path, cwd changed since
            known = frozenset()  # advice that cannot be checked is not given
        _attributes_of_type[resource_type] = known
    return known


def _split(joined, separator):
    # 'null' is how an empty list is sent: no name to check.
    return [name for name in joined.split(separator) if name and joined != 'null']


def _known_fields(resource_type):
    known = _fields_of_type.get(resource_type)
    if known is None:
        module = _schema(resource_type)
        # A sparse fieldset may name relationships as well as attributes.
        known = frozenset(_names(module.Attributes) + _names(module.Relationships))
        _fields_of_type[resource_type] = known
    return known


def _type_relationships(resource_type):
    """The relationship names of ``resource_type``; ``None`` for a type the schemas do not know (or none given)."""
    if resource_type not in schemas.SCHEMA_MODULE_NAMES:
        return None
    known = _relationships_of_type.get(resource_type)
    if known is None:
        known = _relationships_of_type[resource_type] = frozenset(_names(_schema(resource_type).Relationships))
    return known


def _known_relationships():
    if not _relationships:
        names = set()
        for resource_type in schemas.SCHEMA_MODULE_NAMES:
            names.update(_names(_schema(resource_type).Relationships))
        _relationships.append(frozenset(names))
    return _relationships[0]


def _schema(resource_type):
    # Imported here rather than through schemas.schema_for_type, whose cache of modules is for its callers: only
    # the names are kept here.
    name = '{}.{}'.format(schemas.__name__, schemas.SCHEMA_MODULE_NAMES[resource_type])
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - Python 2, the package found through a relative path
        # Python 2 remembers a failed look-up in a relative directory (made from another working directory) and
        # fails every later one: forget it, and try once more from here.
        for entry in getattr(schemas, '__path__', []):
            sys.path_importer_cache.pop(entry, None)
        if sys.modules.get(name, False) is None:
            del sys.modules[name]
        return importlib.import_module(name)


def _names(cls):
    return [value for name, value in vars(cls).items()
            if not name.startswith('_') and isinstance(value, six.string_types)]


def _shown(name):
    """``name`` quoted (as :func:`_quoted`), cut to a length a message can carry: names come from the caller."""
    text = _quoted(name)
    return text if len(text) <= _LONGEST_SHOWN else text[:_LONGEST_SHOWN] + '...'


def _quoted(name):
    # repr() escapes what a terminal would act on; without the u prefix of Python 2.
    text = repr(name)
    return text[1:] if text.startswith('u') else text


def _report(message, strict):
    if strict:
        raise UnknownFieldError(message + ' (the client was made with strict_fields=True)')
    warnings.warn(UnknownFieldWarning(message), stacklevel=_caller_level())


def _caller_level():
    # The warning points at the first frame outside this package: the line of the caller that wrote the name.
    frame, level = sys._getframe(2), 2
    while frame is not None and (frame.f_globals.get('__name__') or '').split('.')[0] == 'patreon':
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    return level
