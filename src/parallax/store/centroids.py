"""The ``story_centroids`` table: story centroids in PostgreSQL with pgvector, for candidate search.

What: one row per story (``story_id``, the time slice of its newest article ``bucket``, its
``centroid`` as ``vector(DIM)`` and its ``size``), read by
:class:`parallax.stories.candidates.PgVectorCandidates`.  Every driver writing the database
shares it, inside its batch transaction, so a story another driver changed is found as it was
committed.

Where it exists: only on PostgreSQL where ``CREATE EXTENSION vector`` succeeds (the extension
installed on the server; Debian 12 has no package for it, Debian 13 has postgresql-17-pgvector,
and the tests use the server bundled in the ``pgserver`` wheel).  The table is created on first
use, not by a schema migration: a database stays at one schema version whether or not its server
has the extension, and SQLite never sees it.  :meth:`StoryCentroids.open` also brings the table
up to date with the ``stories`` table (stories saved by a driver that used the local index, or
merged away), comparing each story's size and slice.

Search: per time slice, the ``k`` nearest by cosine distance (``<=>``; the centroid's length does
not matter), read through the btree on ``bucket`` and sorted exactly.  There is no HNSW index:
it cannot filter by slice (it returns its ``ef_search`` nearest overall and the filter then
drops most; even unfiltered, the default 40 lost stories on a table whose rows are rewritten
with every article), and keeping it up to date cost 6.9 ms per article of writes against 1.6
without it (docs/scaling.md §3b).  So the search over all stories (an undated article) is an
exact scan, and recluster, which reads every story anyway, searches in memory.  The sort key is
written ``(centroid <=> q) + 0`` so that an HNSW index someone adds is not used for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import text

# 0001-01-01 is day 1 in Python's date.toordinal(); a bucket is that day number // BUCKET_DAYS.
_BUCKET_DAYS = 7
_BUCKET_SQL = f"(CAST(s.state->>'last' AS date) - DATE '0001-01-01' + 1) / {_BUCKET_DAYS}"


def _vec(v: np.ndarray | Sequence[float]) -> str:
    return "[" + ",".join(f"{float(x):.7g}" for x in v) + "]"


class StoryCentroids:
    """The table on one store (use :meth:`open`)."""

    def __init__(self, store: Any, dim: int) -> None:
        self.store, self.dim = store, dim

    @classmethod
    def open(cls, store: Any, dim: int) -> tuple[StoryCentroids | None, str]:
        """``(table, "")`` when the store is PostgreSQL with the vector extension (created if
        missing, with the table and its indexes, then synced with ``stories``), else
        ``(None, reason)``."""
        if store.backend != "postgresql":
            return None, f"{store!r} is not PostgreSQL"
        try:
            with store._tx(write=True) as conn:  # the write lock: drivers starting at once
                have = conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first()
                if have is None:
                    return None, f"the PostgreSQL server of {store!r} has no pgvector extension installed"
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS vector"))
                conn.execute(text(f"""CREATE TABLE IF NOT EXISTS story_centroids (
                    story_id TEXT PRIMARY KEY, bucket INTEGER, size INTEGER NOT NULL DEFAULT 0,
                    centroid vector({int(dim)}) NOT NULL)"""))
                conn.execute(text("CREATE INDEX IF NOT EXISTS ix_story_centroids_bucket ON story_centroids (bucket)"))
                have_dim = conn.execute(text(
                    "SELECT atttypmod FROM pg_attribute WHERE attrelid = 'story_centroids'::regclass "
                    "AND attname = 'centroid'")).scalar()
                if have_dim != dim:
                    return None, f"story_centroids in {store!r} holds {have_dim}-dimensional centroids, not {dim}"
                table = cls(store, dim)
                table._sync(conn)
        except Exception as exc:  # noqa: BLE001 - no privilege to create the extension, old pgvector
            first = str(exc).splitlines()[0] if str(exc) else ""
            return None, f"pgvector is not usable on {store!r} ({type(exc).__name__}: {first})"
        return table, ""

    def _sync(self, conn: Any) -> None:
        """Rows for the stories saved without one (or with an older one), none for stories gone."""
        conn.execute(text(f"""
            INSERT INTO story_centroids (story_id, bucket, size, centroid)
            SELECT s.id, CASE WHEN coalesce(s.state->>'last', '') = '' THEN NULL ELSE {_BUCKET_SQL} END,
                   CAST(s.state->>'size' AS integer), CAST(s.state->>'vector' AS vector)
            FROM stories s LEFT JOIN story_centroids c ON c.story_id = s.id
            WHERE s.state IS NOT NULL AND (c.story_id IS NULL OR c.size <> CAST(s.state->>'size' AS integer))
            ON CONFLICT (story_id) DO UPDATE SET bucket = excluded.bucket, size = excluded.size,
                centroid = excluded.centroid"""))
        conn.execute(text("""DELETE FROM story_centroids c WHERE NOT EXISTS
            (SELECT 1 FROM stories s WHERE s.id = c.story_id AND s.state IS NOT NULL)"""))

    def upsert(self, rows: Iterable[tuple[str, int | None, int, np.ndarray]]) -> None:
        """``(story id, bucket, size, centroid)`` rows, written or replaced."""
        params = [{"id": sid, "b": b, "n": int(n), "v": _vec(v)} for sid, b, n, v in rows]
        if not params:
            return
        with self.store._tx(write=True) as conn:
            conn.execute(text("""INSERT INTO story_centroids (story_id, bucket, size, centroid)
                VALUES (:id, :b, :n, CAST(:v AS vector))
                ON CONFLICT (story_id) DO UPDATE SET bucket = excluded.bucket, size = excluded.size,
                    centroid = excluded.centroid"""), params)

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            with self.store._tx(write=True) as conn:
                conn.execute(text("DELETE FROM story_centroids WHERE story_id = ANY(:ids)"), {"ids": list(ids)})

    def nearest_in(self, vec: np.ndarray, lo: int, hi: int, k: int) -> list[str]:
        """The ``k`` nearest stories in each slice ``lo``..``hi`` and the ``k`` nearest undated."""
        q = text("""
            SELECT s.story_id FROM generate_series(CAST(:lo AS integer), CAST(:hi AS integer)) AS b(key)
            CROSS JOIN LATERAL (SELECT story_id, (centroid <=> CAST(:v AS vector)) + 0 AS d
                                FROM story_centroids WHERE bucket = b.key ORDER BY d LIMIT :k) s
            UNION ALL
            (SELECT story_id FROM story_centroids WHERE bucket IS NULL
             ORDER BY (centroid <=> CAST(:v AS vector)) + 0 LIMIT :k)""")
        with self.store._tx(write=False) as conn:
            return [r[0] for r in conn.execute(q, {"lo": lo, "hi": hi, "k": k, "v": _vec(vec)})]

    def nearest(self, vec: np.ndarray, k: int) -> list[str]:
        """The ``k`` nearest of all stories, exact (a scan: see the module docstring)."""
        q = text("SELECT story_id FROM story_centroids ORDER BY (centroid <=> CAST(:v AS vector)) + 0 LIMIT :k")
        with self.store._tx(write=False) as conn:
            return [r[0] for r in conn.execute(q, {"k": k, "v": _vec(vec)})]

    def count(self) -> int:
        with self.store._tx(write=False) as conn:
            return int(conn.execute(text("SELECT count(*) FROM story_centroids")).scalar() or 0)
