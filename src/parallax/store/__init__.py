"""Persistent storage of analysed articles, stories and failures (SQLite or PostgreSQL).

    from parallax.store import open_store
    from parallax.store.ingest import ingest

    store = open_store("news.db")              # or "postgresql://user@host/db"
    summary = ingest(store, ["articles/"])     # idempotent and resumable
    store.stories(outlet="nyt")

``db.py`` holds the schema and the :class:`Store` API, ``migrations.py`` the versioned schema
steps, ``ingest.py`` the batch orchestration (read -> skip stored -> analyse -> near-duplicates
-> stories -> commit).  This package is the only one in Parallax that speaks SQL.
"""

from .db import Store, StoreError, open_store, to_url
from .migrations import HEAD as SCHEMA_VERSION
from .migrations import SchemaError
from . import sources as _sources  # noqa: E402,F401 - registers the live-source tables (schema step 3)

__all__ = ["Store", "StoreError", "SchemaError", "open_store", "to_url", "SCHEMA_VERSION"]
