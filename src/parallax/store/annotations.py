"""Stored per-article results beyond the text: vectors and the analysis version of annotations.

``AnnotationStore`` is mixed into :class:`parallax.store.db.Store` (kept apart so each module
stays small): the ``vectors`` table (sentence embeddings, story features) and the
``articles.analysis_version`` column, which says which analysis code produced an article's stored
annotations, so ``parallax reanalyze`` can bring the stale ones up to date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, func, or_, select, update

__all__ = ["AnnotationStore"]


_CHUNK = 500


def _chunks(seq: Sequence[Any], n: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for k in range(0, len(seq), n):
        yield seq[k:k + n]


class AnnotationStore:
    """Vectors and annotation versions (methods of :class:`Store`, which sets ``_articles`` and
    ``_vectors`` to its tables)."""

    _articles: Table
    _vectors: Table

    # --- vectors -------------------------------------------------------------------------------
    def add_vectors(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Store per-article vectors: ``article_id``, ``model``, ``sentences`` (n x dim array),
        ``lead`` (dim vector), ``terms`` (dict) and ``published``; ids already stored are kept."""
        import numpy as np


        out = []
        for r in rows:
            sent, lead = r.get("sentences"), r.get("lead")
            out.append({
                "article_id": r["article_id"], "model": r["model"],
                "sentences": None if sent is None else np.asarray(sent, dtype="<f4").tobytes(),
                "lead": None if lead is None else np.asarray(lead, dtype="<f4").tobytes(),
                "terms": r.get("terms"), "published": r.get("published"), "title": r.get("title"),
            })
        if not out:
            return
        with self._tx(write=True) as conn:
            for chunk in _chunks(out):
                conn.execute(self._insert(self._vectors).on_conflict_do_nothing(index_elements=["article_id"]),
                             list(chunk))

    def set_sentence_vectors(self, rows: Iterable[tuple[str, Any]], model: str) -> None:
        """Set the body-sentence embeddings of stored articles (computed at first comparison)."""
        import numpy as np


        rows = list(rows)
        if not rows:
            return
        have = set(self.get_vectors(aid for aid, _ in rows))
        with self._tx(write=True) as conn:
            for aid, vecs in rows:
                data = np.asarray(vecs, dtype="<f4").tobytes()
                if aid in have:
                    # lead/terms were made by this row's model: never relabel them
                    conn.execute(update(self._vectors).where(self._vectors.c.article_id == aid, self._vectors.c.model == model)
                                 .values(sentences=data))
                else:
                    conn.execute(self._insert(self._vectors).on_conflict_do_nothing(index_elements=["article_id"]),
                                 [{"article_id": aid, "model": model, "sentences": data}])

    def get_vectors(self, ids: Iterable[str], dim: int = 384) -> dict[str, dict[str, Any]]:
        """Stored vectors by article id (articles without any are absent)."""
        import numpy as np


        found: dict[str, dict[str, Any]] = {}
        ids = list(dict.fromkeys(ids))
        with self._tx(write=False) as conn:
            for chunk in _chunks(ids):
                for r in conn.execute(select(self._vectors).where(self._vectors.c.article_id.in_(list(chunk)))):
                    m = dict(r._mapping)
                    if m["sentences"] is not None:
                        m["sentences"] = np.frombuffer(m["sentences"], dtype="<f4").astype(np.float32).reshape(-1, dim)
                    if m["lead"] is not None:
                        m["lead"] = np.frombuffer(m["lead"], dtype="<f4").astype(np.float32)
                    found[m["article_id"]] = m
        return found

    # --- analysis version -----------------------------------------------------------------------
    def set_analysis_version(self, ids: Iterable[str], version: str) -> None:
        """Record that the annotations of ``ids`` were produced by analysis ``version``."""
        ids = list(ids)
        with self._tx(write=True) as conn:
            for chunk in _chunks(ids):
                conn.execute(update(self._articles).where(self._articles.c.id.in_(list(chunk))).values(analysis_version=version))

    def analysis_versions(self) -> dict[str, int]:
        """Number of articles per analysis version ("" for articles stored before it was recorded)."""
        with self._tx(write=False) as conn:
            rows = conn.execute(select(self._articles.c.analysis_version, func.count()).group_by(self._articles.c.analysis_version))
            return {(v or ""): n for v, n in rows}

    def stale_ids(self, version: str) -> list[str]:
        """Ids of the articles whose annotations were not made by analysis ``version``."""
        cond = or_(self._articles.c.analysis_version.is_(None), self._articles.c.analysis_version != version)
        with self._tx(write=False) as conn:
            return list(conn.execute(select(self._articles.c.id).where(cond).order_by(self._articles.c.id)).scalars())

    def replace_annotations(self, items: Iterable[Any], version: str) -> None:
        """Overwrite the stored annotations of already stored articles (text, story and
        near-duplicate links unchanged) and record ``version``; one transaction."""
        with self._tx(write=True) as conn:
            for a in items:
                ann = a.to_dict()
                for k in ("text", "near_duplicate_of", "story_id"):
                    ann.pop(k, None)
                conn.execute(update(self._articles).where(self._articles.c.id == a.id)
                             .values(annotations=ann, analysis_version=version))

    def replace_vectors(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Store vectors, replacing the rows of these articles (after a re-analysis)."""
        rows = list(rows)
        with self._tx(write=True) as conn:
            ids = [r["article_id"] for r in rows]
            if ids:
                conn.execute(self._vectors.delete().where(self._vectors.c.article_id.in_(ids)))
        self.add_vectors(rows)

