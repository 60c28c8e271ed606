"""Stored near-duplicate signatures (MinHash values of each article's text).

``SignatureStore`` is mixed into :class:`parallax.store.db.Store` (kept apart so each module stays
small).  ``iter_signatures`` rebuilds the ingest driver's near-duplicate index on start; with
``since`` it reads only the articles published on or after that date (and the undated ones), so a
driver whose near-duplicate memory is bounded by time (``Options.neardup_memory_days``) starts in
time and memory that follow the news rate, not the size of the database.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import Table, func, or_, select

from .annotations import _chunks

__all__ = ["SignatureStore", "pack_signature", "unpack_signature"]


def pack_signature(sig: Sequence[int]) -> bytes:
    a = array("I", sig)  # 32-bit MinHash values
    if a.itemsize != 4:  # pragma: no cover - every mainstream platform has 4-byte unsigned int
        a = array("L", sig)
    return a.tobytes()


def unpack_signature(data: bytes) -> list[int]:
    a = array("I")
    a.frombytes(bytes(data))
    return a.tolist()


class SignatureStore:
    """Near-duplicate signatures (methods of :class:`Store`, which sets ``_articles`` and
    ``_signatures`` to its tables and provides ``_tx`` and ``_insert``)."""

    _articles: Table
    _signatures: Table

    def add_signatures(self, pairs: Iterable[tuple[str, Sequence[int]]]) -> None:
        rows = [{"article_id": aid, "signature": pack_signature(sig)} for aid, sig in pairs]
        with self._tx(write=True) as conn:  # type: ignore[attr-defined]
            for chunk in _chunks(rows):
                conn.execute(self._insert(self._signatures)  # type: ignore[attr-defined]
                             .on_conflict_do_nothing(index_elements=["article_id"]), list(chunk))

    def iter_signatures(self, since: str | None = None) -> Iterator[tuple[str, list[int], str | None, str | None]]:
        """``(article_id, signature, near_dup_of, published)`` in ingest order, to rebuild the LSH
        index; ``since`` (ISO date): only articles published on or after it, and undated ones."""
        a, s = self._articles, self._signatures
        q = (select(s.c.article_id, s.c.signature, a.c.near_dup_of, a.c.published)
             .join(a, a.c.id == s.c.article_id)
             .order_by(a.c.ingested_at, a.c.near_dup_of.is_not(None), a.c.id))
        if since:
            q = q.where(or_(a.c.published >= since, a.c.published.is_(None), a.c.published == ""))
        with self._tx(write=False) as conn:  # type: ignore[attr-defined]
            rows = conn.execute(q).all()
        for aid, sig, orig, published in rows:
            yield aid, unpack_signature(sig), orig, published

    def newest_published(self) -> str | None:
        """The latest publication date stored (ISO), or None."""
        with self._tx(write=False) as conn:  # type: ignore[attr-defined]
            return conn.execute(select(func.max(self._articles.c.published))
                                .where(self._articles.c.published != "")).scalar_one_or_none()
