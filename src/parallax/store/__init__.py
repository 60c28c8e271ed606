"""Persistent storage of analysed articles, stories and failures (SQLite or PostgreSQL).

    from parallax.store import open_store

    store = open_store("news.db")              # or "postgresql://user@host/db"
    store.stories(outlet="nyt")

``db.py`` holds the schema and the :class:`Store` API, ``migrations.py`` the versioned schema
steps, ``sources.py`` the live-source tables, ``check.py`` the consistency checks.  This package
is the only one in Parallax that speaks SQL, and it imports nothing above ``model``/``options``/
``errors``: the batch orchestration that fills it (read -> skip stored -> analyse ->
near-duplicates -> stories -> commit) is :mod:`parallax.workflows.batch`.
"""

from .db import Store, StoreError, open_store, to_url
from .migrations import HEAD as SCHEMA_VERSION
from .migrations import SchemaError
from . import sources as _sources  # noqa: E402,F401 - registers the live-source tables (schema step 3)

__all__ = ["Store", "StoreError", "SchemaError", "open_store", "to_url", "SCHEMA_VERSION"]
