"""Candidate retrieval for story assignment: which stories an article is scored against.

What: one small interface, :class:`CandidateIndex`, over the centroids of the stories the story
index holds, with two implementations:

* :class:`LocalCandidates` -- usearch HNSW indexes in the driver's memory, one per
  ``BUCKET_DAYS`` time slice (a story is filed under its newest date) plus one for undated
  stories, and one over every story for undated articles and reclustering;
* :class:`PgVectorCandidates` -- the ``story_centroids`` table of a PostgreSQL database with the
  pgvector extension (:mod:`parallax.store.centroids` holds its SQL), shared by every driver
  writing that database.

Both answer ``search(vec, buckets, k)`` with the ids of the ``k`` nearest stories (cosine) in each
time slice of ``buckets`` and among the undated stories, or, for ``buckets=None``, the ``k``
nearest of all.  Per slice, both are exact while a slice holds few stories (usearch's graph and
pgvector's per-slice scan); so the choice changes where centroids live, not the assignments
(``tests/test_pgvector.py`` ingests one corpus both ways).

Why the interface takes the story object (``num``, ``id``, ``bucket``, ``unit()``): the local
index is keyed by the process's story numbers, the database one by story id, which every driver
shares.  ``stored=True`` files a centroid read back from the database: the table has it already.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from .features import DIM


class CandidateIndex(Protocol):
    """Story centroids by time slice; see the module docstring."""

    def file(self, story: Any, old_bucket: Any, stored: bool = False) -> None:
        """(Re)file ``story``'s current centroid under ``story.bucket`` (it was under ``old_bucket``;
        ``...`` when not filed yet)."""

    def forget(self, story: Any) -> None:
        """Drop ``story`` from this process's memory (it stays in the database)."""

    def delete(self, story: Any) -> None:
        """``story`` is gone (merged into another)."""

    def evict_below(self, key: int) -> None:
        """Forget the (emptied) time slices older than ``key``."""

    def search(self, vec: np.ndarray, buckets: Sequence[int] | None, k: int) -> list[str]:
        """Ids of the ``k`` nearest stories per slice in ``buckets`` and among the undated ones
        (``None``: the ``k`` nearest of all)."""

    def flush(self) -> None:
        """Write what is pending (before the batch commits)."""


def _new_index():
    from usearch.index import Index

    return Index(ndim=DIM, metric="cos", dtype="f32")


class LocalCandidates:
    """usearch HNSW indexes in memory: one per time slice, one for undated stories (key ``None``)
    and ``_all`` over every story.  ``stories`` is the story index's own table (number -> story),
    read for ids and, when ``_all`` is rebuilt, centroids (nothing is copied)."""

    def __init__(self, stories: Mapping[int, Any]) -> None:
        self._stories = stories
        self._buckets: dict[Any, Any] = {}  # bucket key -> usearch Index of story centroids
        self._all = _new_index()  # every story, for undated articles and reclustering
        # stories whose centroid changed since ``_all`` was last brought up to date: ``_all`` is
        # only read for undated articles and by recluster, so it is refreshed then, not on every
        # article (re-filing each story in one ever-growing HNSW graph made assignment cost grow
        # ~4x from 1k to 100k articles; docs/scaling.md)
        self._dirty: set[int] = set()

    def file(self, story: Any, old_bucket: Any, stored: bool = False) -> None:
        if old_bucket is not ... and old_bucket in self._buckets:
            ix = self._buckets[old_bucket]
            if ix.contains(story.num):
                ix.remove(story.num)
        ix = self._buckets.get(story.bucket)
        if ix is None:
            ix = self._buckets[story.bucket] = _new_index()
        ix.add(story.num, story.unit().astype(np.float32))
        self._dirty.add(story.num)

    def forget(self, story: Any) -> None:
        ix = self._buckets.get(story.bucket)
        if ix is not None and ix.contains(story.num):
            ix.remove(story.num)
        if self._all.contains(story.num):
            self._all.remove(story.num)
        self._dirty.discard(story.num)

    delete = forget

    def evict_below(self, key: int) -> None:
        for k in [k for k in self._buckets if k is not None and k < key]:
            del self._buckets[k]

    def flush(self) -> None:
        pass

    def search(self, vec: np.ndarray, buckets: Sequence[int] | None, k: int) -> list[str]:
        if buckets is None:
            indexes = [self._all_index()]
        else:
            indexes = [self._buckets[b] for b in buckets if b in self._buckets]
            if None in self._buckets:
                indexes.append(self._buckets[None])
        found: dict[str, None] = {}
        for ix in indexes:
            if len(ix) == 0:
                continue
            hits = ix.search(vec, k)
            for key in np.atleast_1d(hits.keys):
                story = self._stories.get(int(key))
                if story is not None:
                    found[story.id] = None
        return list(found)

    def _all_index(self):
        """``_all`` with every changed story re-filed (rebuilt in one bulk add when many changed)."""
        if not self._dirty:
            return self._all
        if len(self._dirty) > len(self._all) // 4:
            nums = sorted(self._stories)
            ix = _new_index()
            if nums:
                vecs = np.stack([self._stories[n].unit() for n in nums]).astype(np.float32)
                ix.add(np.asarray(nums, dtype=np.uint64), vecs)
            self._all = ix
        else:
            for num in sorted(self._dirty):
                if self._all.contains(num):
                    self._all.remove(num)
                story = self._stories.get(num)
                if story is not None:
                    self._all.add(num, story.unit().astype(np.float32))
        self._dirty.clear()
        return self._all


class PgVectorCandidates:
    """Story centroids in the database's ``story_centroids`` table (pgvector), shared by all
    drivers.  Changes are kept until the next search or ``flush`` and written in one statement,
    inside the ingest batch's transaction when there is one (so they commit with the story states).
    ``table`` is a :class:`parallax.store.centroids.StoryCentroids`."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self._pending: dict[str, tuple[Any, int, np.ndarray]] = {}  # story id -> (bucket, size, centroid)
        self._gone: set[str] = set()
        self.queries = 0

    def file(self, story: Any, old_bucket: Any, stored: bool = False) -> None:
        if not stored:
            self._gone.discard(story.id)
            self._pending[story.id] = (story.bucket, story.size, story.unit())

    def forget(self, story: Any) -> None:
        pass  # the database keeps it: search results not in memory are skipped by the caller

    def delete(self, story: Any) -> None:
        self._pending.pop(story.id, None)
        self._gone.add(story.id)

    def evict_below(self, key: int) -> None:
        pass

    def flush(self) -> None:
        if self._gone:
            self.table.delete(sorted(self._gone))
            self._gone.clear()
        if self._pending:
            self.table.upsert([(sid, *row) for sid, row in self._pending.items()])
            self._pending.clear()

    def search(self, vec: np.ndarray, buckets: Sequence[int] | None, k: int) -> list[str]:
        self.flush()
        self.queries += 1
        if buckets is None:
            return self.table.nearest(vec, k)
        if not buckets:
            return self.table.nearest_in(vec, 0, -1, k)
        return self.table.nearest_in(vec, min(buckets), max(buckets), k)
