"""Live-source bookkeeping in the news database: watched sources, the fetch log, URL -> article.

    from parallax.store.sources import SourceStore
    ss = SourceStore(store)              # same engine and transactions as ``store``
    ss.add_sources([("https://example.org/feed.xml", "example")])
    ss.known_urls(["https://example.org/a"])   # -> URLs already mapped to a stored article

The tables (schema step 3 in :mod:`.migrations`) are declared here on the shared ``metadata`` of
:mod:`.db`, so the schema check in ``tests/test_store.py`` covers them; calls made inside
``with store.batch():`` join its transaction.  Like the rest of :mod:`parallax.store`, this is
the only place live-source SQL is written; :mod:`parallax.fetch` calls these methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Column, DateTime, Float, Index, Integer, String, Table, Text, func, select, update

from .db import Store, _chunks, _clean, metadata

__all__ = ["SourceStore", "sources", "fetch_log", "url_map"]

sources = Table(
    "sources", metadata,
    Column("url", Text, primary_key=True),
    Column("name", Text, nullable=False, default=""),
    Column("kind", String(20), nullable=False, default=""),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Column("last_poll_at", DateTime(timezone=True), nullable=True),
    Column("last_success_at", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=False, default=""),
    Column("last_error_at", DateTime(timezone=True), nullable=True),
    Column("n_polls", Integer, nullable=False, default=0),
    Column("n_errors", Integer, nullable=False, default=0),
    Column("n_articles", Integer, nullable=False, default=0),
    Column("etag", Text, nullable=False, default=""),
    Column("last_modified", Text, nullable=False, default=""),
)
fetch_log = Table(
    "fetch_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False, default=""),
    Column("url", Text, nullable=False),
    Column("status", Integer, nullable=False, default=0),
    Column("outcome", String(20), nullable=False),
    Column("error", Text, nullable=False, default=""),
    Column("bytes", Integer, nullable=False, default=0),
    Column("seconds", Float, nullable=False, default=0.0),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_fetch_log_source_at", "source", "at"),
)
url_map = Table(
    "url_map", metadata,
    Column("url", Text, primary_key=True),
    Column("article_id", String(64), nullable=False),
    Column("canonical", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_url_map_article_id", "article_id"),
)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SourceStore:
    """Live-source methods over a :class:`~parallax.store.db.Store` (shares its engine)."""

    def __init__(self, store: Store):
        self.store = store

    # --- sources --------------------------------------------------------------------------------
    def add_sources(self, items: Iterable[str | tuple[str, str]]) -> int:
        """Register sources (``url`` or ``(url, name)``); known ones keep their state, a new
        name replaces an empty one.  Returns how many were new."""
        rows = {}
        for it in items:
            url, name = (it, "") if isinstance(it, str) else it
            rows[url] = {"url": _clean(url), "name": _clean(name or ""), "added_at": _now(), "kind": "",
                         "last_error": "", "n_polls": 0, "n_errors": 0, "n_articles": 0, "etag": "",
                         "last_modified": ""}
        if not rows:
            return 0
        with self.store._tx(write=True) as conn:
            present = set()
            for chunk in _chunks(list(rows)):
                present.update(conn.execute(select(sources.c.url).where(sources.c.url.in_(chunk))).scalars())
            new = [r for u, r in rows.items() if u not in present]
            for chunk in _chunks(new):
                conn.execute(sources.insert(), list(chunk))
            for u in present:
                if rows[u]["name"]:
                    conn.execute(update(sources).where(sources.c.url == u, sources.c.name == "")
                                 .values(name=rows[u]["name"]))
        return len(new)

    def source(self, url: str) -> dict[str, Any] | None:
        with self.store._tx(write=False) as conn:
            row = conn.execute(select(sources).where(sources.c.url == url)).first()
        return None if row is None else dict(row._mapping)

    def sources(self) -> list[dict[str, Any]]:
        """Every source with its state, in the order they were added."""
        with self.store._tx(write=False) as conn:
            return [dict(r._mapping) for r in conn.execute(select(sources).order_by(sources.c.added_at, sources.c.url))]

    def record_poll(self, url: str, *, error: str = "", kind: str = "", new_articles: int = 0,
                    page_errors: int = 0, page_error: str = "",
                    etag: str | None = None, last_modified: str | None = None) -> None:
        """Update a source after one poll: success (``error`` empty) or failure, articles added,
        pages of it that failed (``page_errors``, the first reason in ``page_error``; the poll
        still counts as a success), and the validators for the next conditional request (None
        keeps the stored ones)."""
        now = _now()
        values: dict[str, Any] = {"last_poll_at": now, "n_polls": sources.c.n_polls + 1,
                                  "n_articles": sources.c.n_articles + int(new_articles)}
        if kind:
            values["kind"] = kind
        if error:
            values.update(last_error=_clean(error), last_error_at=now, n_errors=sources.c.n_errors + 1)
        else:
            values["last_success_at"] = now
            if page_errors:
                values.update(last_error=_clean(page_error), last_error_at=now,
                              n_errors=sources.c.n_errors + int(page_errors))
        if etag is not None:
            values["etag"] = etag
        if last_modified is not None:
            values["last_modified"] = last_modified
        with self.store._tx(write=True) as conn:
            if conn.execute(select(sources.c.url).where(sources.c.url == url)).first() is None:
                conn.execute(sources.insert().values(url=url, name="", kind="", added_at=now, last_error="",
                                                     n_polls=0, n_errors=0, n_articles=0, etag="", last_modified=""))
            conn.execute(update(sources).where(sources.c.url == url).values(**values))

    # --- fetch log ------------------------------------------------------------------------------
    def log_fetches(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Append fetch records: ``url``, ``source``, ``status``, ``outcome``, ``error``, ``bytes``,
        ``seconds`` (missing keys default to empty/zero)."""
        now = _now()
        out = [{"source": _clean(r.get("source", "")), "url": _clean(r["url"]), "status": int(r.get("status", 0)),
                "outcome": r.get("outcome", "ok"), "error": _clean(r.get("error", "")),
                "bytes": int(r.get("bytes", 0)), "seconds": float(r.get("seconds", 0.0)), "at": now}
               for r in rows]
        if not out:
            return
        with self.store._tx(write=True) as conn:
            for chunk in _chunks(out):
                conn.execute(fetch_log.insert(), list(chunk))

    def fetches(self, source: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """The most recent fetch records, newest first."""
        q = select(fetch_log).order_by(fetch_log.c.id.desc()).limit(limit)
        if source is not None:
            q = q.where(fetch_log.c.source == source)
        with self.store._tx(write=False) as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def error_counts(self) -> dict[str, int]:
        """Failed fetches per source (pages of a feed count against the feed)."""
        q = (select(fetch_log.c.source, func.count()).where(fetch_log.c.outcome == "error")
             .group_by(fetch_log.c.source))
        with self.store._tx(write=False) as conn:
            return dict(conn.execute(q).all())

    # --- URL -> article -------------------------------------------------------------------------
    def known_urls(self, urls: Iterable[str]) -> dict[str, str]:
        """``{url: article_id}`` for the URLs among ``urls`` that already gave a stored article."""
        out: dict[str, str] = {}
        with self.store._tx(write=False) as conn:
            for chunk in _chunks(list(dict.fromkeys(urls))):
                out.update(conn.execute(select(url_map.c.url, url_map.c.article_id)
                                        .where(url_map.c.url.in_(chunk))).all())
        return out

    def map_urls(self, mapping: Mapping[str, tuple[str, str]], source: str = "") -> None:
        """Record ``{url: (article_id, canonical_url)}``; a URL already mapped keeps its article."""
        now = _now()
        rows = [{"url": _clean(u), "article_id": aid, "canonical": _clean(canon), "source": _clean(source), "at": now}
                for u, (aid, canon) in mapping.items()]
        if not rows:
            return
        with self.store._tx(write=True) as conn:
            for chunk in _chunks(rows):
                conn.execute(self.store._insert(url_map).on_conflict_do_nothing(index_elements=["url"]), list(chunk))

    def urls_of(self, article_id: str) -> list[str]:
        with self.store._tx(write=False) as conn:
            return list(conn.execute(select(url_map.c.url).where(url_map.c.article_id == article_id)
                                     .order_by(url_map.c.url)).scalars())
