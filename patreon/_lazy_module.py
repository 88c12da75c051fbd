"""First-use attributes of a package before Python 3.7, whose modules have no ``__getattr__`` (PEP 562)."""
from __future__ import absolute_import

import sys
import types


def serve_attributes(name, getattr_function, dir_function):
    """Have the module ``name`` call ``getattr_function(attribute)`` for what it lacks, and ``dir_function()``.

    On 3.6 the module's class becomes a subclass that does so; on 2.7, which cannot change a module's class, a
    module of that subclass with the same contents takes its place in ``sys.modules`` (the original is kept: 2.7
    empties a freed module's globals, which its functions still read).
    """
    module = sys.modules[name]
    if getattr(type(module), 'serves_first_use', False):  # reloaded: it is one already, and stays the same object
        return module
    subclass = type(str('FirstUseModule'), (types.ModuleType,), {
        'serves_first_use': True,
        '__getattr__': lambda self, attribute: getattr_function(attribute),
        '__dir__': lambda self: dir_function(),
    })
    if sys.version_info >= (3,):
        module.__class__ = subclass
        return module
    replacement = subclass(str(name))
    replacement.__dict__.update(vars(module))
    replacement._original = module
    sys.modules[name] = replacement
    return replacement
