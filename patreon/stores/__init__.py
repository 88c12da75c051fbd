"""Token stores, pacers and 4xx budgets shared by every process of an application, beyond the one process.

Patreon counts its limits per OAuth client and per token, not per process,
and a refresh token can be spent once.  Each store here is a
:class:`patreon.tokens.TokenStore` that also hands :class:`patreon.API` a
pacer and a 4xx log kept in the same place, so that passing it as
``token_store=`` is the one argument that shares tokens, pace and budget:

- :class:`patreon.stores.sqlite.SQLiteStore`: every process of one machine
  (one SQLite file, standard library only); the default for prefork servers.
- :class:`patreon.stores.redis.RedisStore`: every process of every machine
  (``pip install patreon[redis]``).

Nothing here is imported by ``import patreon``: neither ``sqlite3`` nor
``redis`` loads until the module of its store is imported.

Usage::

    from patreon.stores.sqlite import SQLiteStore
    store = SQLiteStore('/var/lib/myapp/patreon.sqlite')
    api = patreon.API(None, refresh=patreon.RefreshPolicy(oauth), token_store=store)
"""

__all__ = []
