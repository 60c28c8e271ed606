"""The article store: one SQLAlchemy Core schema for SQLite (default) and PostgreSQL.

``open_store("news.db")`` opens (creating on first use) a SQLite file; a ``sqlite://`` or
``postgresql://`` URL is used as given (PostgreSQL through the psycopg 3 driver).  The schema is
brought up to date by :mod:`parallax.store.migrations` on every open.

The API is plain Python: articles go in as :class:`~parallax.model.Article` records, rows come
out as dicts.  Every write method runs in its own transaction unless called inside
``with store.batch():``, which makes everything in the block one transaction: the ingest commits
a batch's articles, story links, signatures and failures together, so a killed process leaves
either all of a batch or none of it.  A ``Store`` is for one thread at a time; open another
store (cheap) per thread or process.

SQLite runs in WAL mode with a busy timeout, so readers (the web app, ``parallax stories``) work
while an ingest writes, and a second writer waits instead of failing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (JSON, Column, DateTime, ForeignKey, Integer, LargeBinary, MetaData, String,
                        Table, Text, create_engine, event, func, null, select, update)
from sqlalchemy.engine import Connection, Engine, make_url

from ..errors import InputError, ParallaxError
from ..model import Article
from .annotations import _CHUNK, AnnotationStore, _chunks  # noqa: F401 - _chunks shared with sources.py
from .migrations import migrate
from .signatures import SignatureStore

__all__ = ["Store", "open_store", "StoreError", "to_url"]

# Rows per IN (...) list or INSERT executemany: well under SQLite's 32766 bound parameters.
# SQLite: how long a writer waits for another writer's transaction before giving up.  An ingest
# batch of 32 analysed articles commits in well under a second; 30 s absorbs a slow disk.
_BUSY_TIMEOUT_MS = 30_000
WRITE_LOCK_KEY = 0x50_4C_58_57  # pg_advisory_xact_lock key of write transactions ("PLXW")


class StoreError(ParallaxError):
    """The database cannot be opened or used."""


# --- the live schema (latest migration); migrations.py holds the frozen history -----------------
metadata = MetaData()
articles = Table(
    "articles", metadata,
    Column("id", String(64), primary_key=True),
    Column("outlet", String(200), nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("published", String(40), nullable=False, default=""),
    Column("path", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("annotations", JSON, nullable=False),
    Column("near_dup_of", String(64), ForeignKey("articles.id"), nullable=True),
    Column("story_id", String(64), nullable=True),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("analysis_version", String(40), nullable=True),  # which analysis made the annotations
    Column("language", String(8), nullable=False, default=""),
)
stories = Table(
    "stories", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("first_published", String(40), nullable=False, default=""),
    Column("last_published", String(40), nullable=False, default=""),
    Column("n_articles", Integer, nullable=False, default=0),
    Column("state", JSON, nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
failures = Table(
    "failures", metadata,
    Column("id", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
signatures = Table(
    "signatures", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)

vectors = Table(
    "vectors", metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("model", String(80), nullable=False),
    Column("sentences", LargeBinary, nullable=True),
    Column("lead", LargeBinary, nullable=True),
    Column("terms", JSON, nullable=True),
    Column("published", String(40), nullable=True),
    Column("title", Text, nullable=True),
)

_ARTICLE_COLS = (articles.c.id, articles.c.text, articles.c.annotations, articles.c.near_dup_of,
                 articles.c.story_id)
_ROW_COLUMNS = ("id", "outlet", "title", "url", "published", "path", "near_dup_of", "story_id", "language")


def to_url(url_or_path: str | os.PathLike) -> str:
    """A SQLAlchemy URL: bare paths become SQLite files; PostgreSQL uses the psycopg 3 driver."""
    s = os.fspath(url_or_path)
    if "://" not in s:
        return "sqlite:///" + str(Path(s).expanduser().resolve())
    scheme, rest = s.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + rest
    if scheme.startswith("postgresql+") or scheme.startswith("sqlite"):
        return s
    raise StoreError(f"{s}: unsupported database URL (use a file path, sqlite:// or postgresql://)")


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL + busy timeout, and explicit BEGIN so DDL and reads are transactional too.

    pysqlite starts transactions lazily and only before DML; with its own handling switched
    off, every SQLAlchemy transaction is a real one.  Write transactions begin IMMEDIATE (take
    the write lock up front and wait on ``busy_timeout``) instead of failing mid-way when a read
    snapshot cannot be upgraded; read transactions stay DEFERRED so readers never block.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):  # pragma: no cover - exercised by every SQLite test
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a committed transaction survives a killed process (the WAL is
        # written before commit returns); only an OS crash or power cut may lose the last one.
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # pragma: no cover
        write = conn.get_execution_options().get("parallax_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_store(url_or_path: str | os.PathLike) -> Store:
    """Open (and create or upgrade) the store at a file path or database URL.

    Example: ``open_store("news.db")`` or ``open_store("postgresql://user@host/news")``"""
    return Store(url_or_path)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _clean(s: str) -> str:
    # PostgreSQL text cannot hold NUL; readers already drop control characters, this is a guard.
    return s.replace("\x00", "") if s else ""


def _failure_id(source: str, reason: str) -> str:
    return hashlib.sha256(f"{source}\x1f{reason}".encode()).hexdigest()[:32]




def _article(text: str, annotations: dict[str, Any], near_dup_of: str | None, story_id: str | None) -> Article:
    data = {**annotations, "text": text, "near_duplicate_of": near_dup_of or "", "story_id": story_id or ""}
    return Article.from_dict(data)


class Store(AnnotationStore, SignatureStore):
    """A Parallax database.  See the module docstring; use :func:`open_store`.  The vectors and
    analysis-version methods live in :class:`parallax.store.annotations.AnnotationStore`."""

    _articles = articles
    _vectors = vectors
    _signatures = signatures

    def __init__(self, url_or_path: str | os.PathLike):
        self.url = to_url(url_or_path)
        url = make_url(self.url)
        self.backend = url.get_backend_name()
        if self.backend == "sqlite":
            db = url.database
            if db and db != ":memory:" and not Path(db).parent.is_dir():
                raise StoreError(f"{db}: folder does not exist")
            self.engine = create_engine(self.url)
            _sqlite_pragmas(self.engine)
        elif self.backend == "postgresql":
            self.engine = create_engine(self.url, pool_pre_ping=True)
        else:
            raise StoreError(f"{self.url}: unsupported database backend {self.backend!r}")
        self._conn: Connection | None = None
        try:
            with self._tx(write=True) as conn:
                self.applied = migrate(conn)
        except ParallaxError:
            self.engine.dispose()
            raise
        except Exception as exc:  # driver errors: bad URL, server down, not a database file
            self.engine.dispose()
            raise StoreError(f"{url.render_as_string(hide_password=True)}: cannot open database "
                             f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})") from exc

    # --- plumbing -------------------------------------------------------------------------------
    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    @contextmanager
    def _tx(self, write: bool) -> Iterator[Connection]:
        if self._conn is not None:
            yield self._conn
            return
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(parallax_write=True)
            with conn.begin():
                if write and self.backend == "postgresql":
                    # one writer at a time, as SQLite's BEGIN IMMEDIATE gives: a batch decides
                    # which articles are new (and which story states to save) inside its write
                    # transaction, and under READ COMMITTED another writer could insert one of
                    # them between that check and the insert (a story state would then list an
                    # article its links do not hold).  Released at commit or rollback.
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                yield conn

    @contextmanager
    def batch(self) -> Iterator[Store]:
        """Run every store call in the block as one transaction (all or nothing)."""
        if self._conn is not None:
            yield self
            return
        with self._tx(write=True) as conn:
            self._conn = conn
            try:
                yield self
            finally:
                self._conn = None

    def _insert(self, table: Table):
        if self.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    # --- articles -------------------------------------------------------------------------------
    def has(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        with self._tx(write=False) as conn:
            return self._has(conn, ids)

    @staticmethod
    def _has(conn: Connection, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(ids))):
            found.update(conn.execute(select(articles.c.id).where(articles.c.id.in_(chunk))).scalars())
        return found

    def add_articles(self, batch: Iterable[Article], near_dup_of: Mapping[str, str] | None = None,
                     story_ids: Mapping[str, Any] | None = None) -> list[str]:
        """Insert articles, ignoring ids already stored; return the ids actually inserted.

        ``near_dup_of`` maps a copy's id to its original's (which must be stored already or come
        earlier in ``batch``); ``story_ids`` maps ids to story ids.  Without a mapping entry the
        article's own ``near_duplicate_of`` / ``story_id`` fields are used.
        """
        near_dup_of = near_dup_of or {}
        story_ids = story_ids or {}
        batch = list({a.id: a for a in batch}.values())
        now = _now()
        with self._tx(write=True) as conn:
            present = self._has(conn, (a.id for a in batch))
            rows = []
            for a in batch:
                if a.id in present:
                    continue
                ann = a.to_dict()
                for k in ("text", "near_duplicate_of", "story_id"):  # kept in their own columns
                    ann.pop(k, None)
                sid = story_ids.get(a.id) or getattr(a, "story_id", "") or None
                rows.append({
                    "id": a.id, "outlet": _clean(a.outlet)[:200], "title": _clean(a.title), "url": _clean(a.url),
                    "published": _clean(a.published)[:40], "path": _clean(a.path), "text": _clean(a.text),
                    "annotations": ann,
                    "near_dup_of": near_dup_of.get(a.id) or getattr(a, "near_duplicate_of", "") or None,
                    "story_id": None if sid is None else str(sid), "ingested_at": now,
                    "language": (a.language or "")[:8],
                })
            inserted: set[str] = set()
            for chunk in _chunks(rows):
                # RETURNING names the rows this statement inserted: under PostgreSQL's read
                # committed another writer can store an id between the check above and here
                res = conn.execute(self._insert(articles).on_conflict_do_nothing(index_elements=["id"])
                                   .returning(articles.c.id), list(chunk))
                inserted.update(res.scalars())
            rows = [r for r in rows if r["id"] in inserted]
            self._refresh_stories(conn, {r["story_id"] for r in rows if r["story_id"] is not None})
        return [r["id"] for r in rows]

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with its annotations, or None."""
        with self._tx(write=False) as conn:
            row = conn.execute(select(*_ARTICLE_COLS).where(articles.c.id == article_id)).first()
        return None if row is None else _article(*row[1:])

    def article_info(self, article_id: str) -> dict[str, Any] | None:
        """The article's metadata row (no text): id, outlet, title, url, published, path,
        near_dup_of, story_id, ingested_at."""
        cols = [articles.c[c] for c in _ROW_COLUMNS] + [articles.c.ingested_at]
        with self._tx(write=False) as conn:
            row = conn.execute(select(*cols).where(articles.c.id == article_id)).first()
        return None if row is None else dict(row._mapping)

    def iter_articles(self, outlet: str | None = None, story_id: Any = None, since: str | None = None,
                      until: str | None = None, ids: Iterable[str] | None = None,
                      near_duplicates: bool = True, page: int = 200) -> Iterator[Article]:
        """Stored articles in id order, filtered; read page by page (bounded memory, short reads)."""
        cond = []
        if outlet is not None:
            cond.append(articles.c.outlet == outlet)
        if story_id is not None:
            cond.append(articles.c.story_id == str(story_id))
        if since:
            cond.append(articles.c.published >= since)
        if until:
            cond.append(articles.c.published <= until)
        if not near_duplicates:
            cond.append(articles.c.near_dup_of.is_(None))
        base = select(*_ARTICLE_COLS).where(*cond).order_by(articles.c.id)
        if ids is not None:  # the wanted ids, a page at a time
            for chunk in _chunks(sorted(set(ids)), page):
                with self._tx(write=False) as conn:
                    rows = conn.execute(base.where(articles.c.id.in_(chunk))).all()
                for row in rows:
                    yield _article(*row[1:])
            return
        last = ""  # keyset pagination: each page is a short read, never a long-held cursor
        while True:
            with self._tx(write=False) as conn:
                rows = conn.execute(base.where(articles.c.id > last).limit(page)).all()
            if not rows:
                return
            for row in rows:
                yield _article(*row[1:])
            last = rows[-1].id

    # --- stories --------------------------------------------------------------------------------
    def set_story(self, article_id: str, story_id: Any) -> None:
        self.set_stories({article_id: story_id})

    def set_stories(self, mapping: Mapping[str, Any]) -> None:
        """Assign articles to stories (``{article_id: story_id}``); story rows follow."""
        touched: set[str] = set()
        with self._tx(write=True) as conn:
            old = {}
            for chunk in _chunks(list(mapping)):
                old.update(conn.execute(select(articles.c.id, articles.c.story_id)
                                        .where(articles.c.id.in_(chunk))).all())
            for aid, sid in mapping.items():
                sid = None if sid is None else str(sid)
                conn.execute(update(articles).where(articles.c.id == aid).values(story_id=sid))
                touched.update(s for s in (sid, old.get(aid)) if s is not None)
            self._refresh_stories(conn, touched)

    def story_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        """``{article_id: story_id}`` for the stored ones among ``ids``."""
        out: dict[str, str | None] = {}
        with self._tx(write=False) as conn:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                out.update(conn.execute(select(articles.c.id, articles.c.story_id)
                                        .where(articles.c.id.in_(chunk))).all())
        return out

    def near_duplicate_links(self) -> dict[str, str]:
        """``{copy_id: original_id}`` for every stored near-duplicate (ids only, no texts)."""
        q = select(articles.c.id, articles.c.near_dup_of).where(articles.c.near_dup_of.is_not(None))
        with self._tx(write=False) as conn:
            return {a: o for a, o in conn.execute(q).all()}

    def save_story_states(self, states: Iterable[Mapping[str, Any] | Any]) -> None:
        """Upsert the story index's per-story states: dicts or records (``StoryState``) with an
        ``id`` (and maybe ``title``), kept whole as JSON.  Counts and dates in the stories table
        come from the articles, not from the states."""
        now = _now()
        rows = []
        for st in states:
            if hasattr(st, "to_dict"):
                st = st.to_dict()
            if "id" not in st:
                raise ValueError("a story state needs an 'id'")
            rows.append({"id": str(st["id"]), "title": _clean(str(st.get("title") or "")),
                         "state": dict(st), "updated_at": now})
        if not rows:
            return
        with self._tx(write=True) as conn:
            for chunk in _chunks(rows):
                ins = self._insert(stories)
                conn.execute(ins.on_conflict_do_update(
                    index_elements=["id"],
                    set_={"state": ins.excluded.state, "updated_at": ins.excluded.updated_at,
                          "title": func.coalesce(func.nullif(ins.excluded.title, ""), stories.c.title)}),
                    list(chunk))
            self._refresh_stories(conn, {r["id"] for r in rows})

    def load_story_states(self, after: str | None = None, limit: int | None = None,
                          last: tuple[str, str] | None = None, since: datetime | None = None) -> list[dict[str, Any]]:
        """Saved story states in story id order (all by default, for ``StoryIndex.load``): ``after``/``limit``
        page by id; ``last=(lo, hi)``: stories whose newest article was published in ``[lo, hi)`` (ISO
        strings; ``("", "")``: undated); ``since``: saved at or after that time (by other drivers), in
        save order."""
        q = select(stories.c.id, stories.c.state).where(stories.c.state.is_not(None))
        q = q if after is None else q.where(stories.c.id > after)
        # ordered by save time first: ordered by id, SQLite scans every story to skip the sort
        q = q.order_by(stories.c.id) if since is None else q.where(stories.c.updated_at >= since).order_by(
            stories.c.updated_at, stories.c.id)
        if last is not None:  # ("", "") is "undated": last_published >= "" and < "" picks nothing
            q = q.where(stories.c.last_published == "") if last == ("", "") else q.where(
                stories.c.last_published >= last[0], stories.c.last_published < last[1])
        with self._tx(write=False) as conn:
            return [dict(r[1]) for r in conn.execute(q.limit(limit)) if r[1]]

    def delete_story_states(self, story_ids: Iterable[Any]) -> None:
        """Forget stories the index no longer has (merged away): their rows are deleted, or,
        while articles still point at them, only their state is cleared."""
        ids = sorted({str(i) for i in story_ids})
        if not ids:
            return
        with self._tx(write=True) as conn:
            for chunk in _chunks(ids):
                used = set(conn.execute(select(articles.c.story_id).distinct()
                                        .where(articles.c.story_id.in_(chunk))).scalars())
                gone = [i for i in chunk if i not in used]
                if gone:
                    conn.execute(stories.delete().where(stories.c.id.in_(gone)))
                if used:
                    conn.execute(update(stories).where(stories.c.id.in_(sorted(used))).values(state=null()))

    def _refresh_stories(self, conn: Connection, story_ids: Iterable[str]) -> None:
        """Recompute count, dates and (if empty) title of stories from their articles.

        ``n_articles`` counts independent coverage only: near-duplicates are not counted.
        """
        ids = sorted(set(story_ids))
        if not ids:
            return
        now = _now()
        for chunk in _chunks(ids):
            indep = articles.c.near_dup_of.is_(None)
            agg = conn.execute(
                select(articles.c.story_id, func.count().filter(indep),
                       func.min(func.nullif(articles.c.published, "")),
                       func.max(func.nullif(articles.c.published, "")), func.min(articles.c.id))
                .where(articles.c.story_id.in_(chunk)).group_by(articles.c.story_id)).all()
            found = {r[0]: r for r in agg}
            firsts = {}
            for r in agg:  # title fallback: the title of the story's earliest article
                firsts[r[0]] = conn.execute(
                    select(articles.c.title).where(articles.c.story_id == r[0])
                    .order_by(func.coalesce(func.nullif(articles.c.published, ""), "9999"), articles.c.id)
                    .limit(1)).scalar() or ""
            rows = []
            for sid in chunk:
                r = found.get(sid)
                rows.append({"id": sid, "title": firsts.get(sid, ""), "n_articles": r[1] if r else 0,
                             "first_published": (r[2] or "") if r else "",
                             "last_published": (r[3] or "") if r else "", "updated_at": now})
            ins = self._insert(stories)
            conn.execute(ins.on_conflict_do_update(
                index_elements=["id"],
                set_={"n_articles": ins.excluded.n_articles, "first_published": ins.excluded.first_published,
                      "last_published": ins.excluded.last_published, "updated_at": ins.excluded.updated_at,
                      "title": func.coalesce(func.nullif(stories.c.title, ""), ins.excluded.title)}),
                rows)

    def stories(self, outlet: str | None = None, since: str | None = None,
                language: str | None = None) -> list[dict[str, Any]]:
        """Story rows (id, title, first_published, last_published, n_articles, outlets, languages),
        newest first; ``outlet`` keeps stories that outlet covered, ``since`` those still running
        then, ``language`` those with an article in that language (ISO 639-1)."""
        q = select(stories.c.id, stories.c.title, stories.c.first_published, stories.c.last_published,
                   stories.c.n_articles).where(stories.c.n_articles > 0)
        if outlet is not None:
            q = q.where(select(articles.c.id).where(articles.c.story_id == stories.c.id,
                                                    articles.c.outlet == outlet).exists())
        if language:
            q = q.where(select(articles.c.id).where(articles.c.story_id == stories.c.id,
                                                    articles.c.language == language).exists())
        if since:
            q = q.where(stories.c.last_published >= since)
        q = q.order_by(stories.c.last_published.desc(), stories.c.id)
        with self._tx(write=False) as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
            outlets: dict[str, set[str]] = {}
            langs: dict[str, set[str]] = {}
            for chunk in _chunks([r["id"] for r in rows]):
                for sid, out, lang in conn.execute(select(articles.c.story_id, articles.c.outlet,
                                                          articles.c.language).distinct()
                                                   .where(articles.c.story_id.in_(chunk))):
                    outlets.setdefault(sid, set()).add(out)
                    if lang:
                        langs.setdefault(sid, set()).add(lang)
        for r in rows:
            r["outlets"] = sorted(outlets.get(r["id"], ()))
            r["languages"] = sorted(langs.get(r["id"], ()))
        return rows

    def articles_of_story(self, story_id: Any) -> list[dict[str, Any]]:
        """Metadata rows of a story's articles (near-duplicates included, marked by
        ``near_dup_of``), by publication date."""
        cols = [articles.c[c] for c in _ROW_COLUMNS]
        q = (select(*cols).where(articles.c.story_id == str(story_id))
             .order_by(articles.c.published, articles.c.outlet, articles.c.id))
        with self._tx(write=False) as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    # --- failures -------------------------------------------------------------------------------
    def add_failures(self, items: Iterable[InputError | tuple[str, str]]) -> int:
        """Record failed inputs (``InputError`` or ``(source, reason)``); the same source and
        reason are kept once however often they recur.  Returns how many were new."""
        now = _now()
        rows = {}
        for it in items:
            source, reason = (it.path, it.reason) if isinstance(it, InputError) else it
            source, reason = _clean(str(source)), _clean(str(reason))
            rows[_failure_id(source, reason)] = {"id": _failure_id(source, reason), "source": source,
                                                 "reason": reason, "at": now}
        if not rows:
            return 0
        with self._tx(write=True) as conn:
            present = set()
            ids = list(rows)
            for chunk in _chunks(ids):
                present.update(conn.execute(select(failures.c.id).where(failures.c.id.in_(chunk))).scalars())
            new = [r for k, r in rows.items() if k not in present]
            for chunk in _chunks(new):
                conn.execute(self._insert(failures).on_conflict_do_nothing(index_elements=["id"]), list(chunk))
        return len(new)

    def failures(self) -> list[dict[str, Any]]:
        """Every recorded failure: ``{source, reason, at}``, oldest first."""
        q = select(failures.c.source, failures.c.reason, failures.c.at).order_by(failures.c.at, failures.c.source)
        with self._tx(write=False) as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    # --- summary --------------------------------------------------------------------------------
    def ingested_since(self, since: datetime) -> int:
        """How many articles were stored at or after ``since`` (by any writer)."""
        with self._tx(write=False) as conn:
            return conn.execute(select(func.count()).select_from(articles)
                                .where(articles.c.ingested_at >= since)).scalar_one()

    def counts(self) -> dict[str, int]:
        """``articles`` (all stored), ``near_duplicates``, ``stories`` (with articles), ``failures``."""
        with self._tx(write=False) as conn:
            n = conn.execute(select(func.count()).select_from(articles)).scalar_one()
            nd = conn.execute(select(func.count()).select_from(articles)
                              .where(articles.c.near_dup_of.is_not(None))).scalar_one()
            ns = conn.execute(select(func.count()).select_from(stories).where(stories.c.n_articles > 0)).scalar_one()
            nf = conn.execute(select(func.count()).select_from(failures)).scalar_one()
        return {"articles": n, "near_duplicates": nd, "stories": ns, "failures": nf}
