"""Versioned schema migrations, one schema for SQLite and PostgreSQL.

The database records every applied step in ``schema_version``; :func:`migrate` applies the
missing steps in order, each in the same transaction as its version row, so a crash mid-way
leaves the database at the previous version and the next open finishes the job.

Rules for adding a step:

- append a new :class:`Step` with the next version number; never edit a released step (a database
  somewhere was built by it), and never reorder them;
- build the DDL from SQLAlchemy Core objects declared *inside* the step (a frozen snapshot), not
  from the live tables in :mod:`parallax.store.db`, which describe the latest version;
- update the live tables in ``db.py`` to match; ``tests/test_store.py`` checks they agree.

Only this module and ``db.py`` speak SQL (see DESIGN.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import (JSON, Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData,
                        String, Table, Text, select, text)
from sqlalchemy.engine import Connection

from ..errors import ParallaxError

__all__ = ["Step", "MIGRATIONS", "migrate", "current_version", "SchemaError", "HEAD"]

# An arbitrary constant key for pg_advisory_xact_lock: two processes opening a fresh PostgreSQL
# database at once must not both run the same migration.
_PG_LOCK_KEY = 7_235_011_942


class SchemaError(ParallaxError):
    """The database was written by a newer Parallax, or is not a Parallax database."""


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _version_table(md: MetaData) -> Table:
    return Table(
        "schema_version", md,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("description", Text, nullable=False),
        Column("applied_at", DateTime(timezone=True), nullable=False),
    )


def _v1_tables(conn: Connection) -> None:
    """Articles, stories, failures and near-duplicate signatures."""
    md = MetaData()
    Table(
        "articles", md,
        Column("id", String(64), primary_key=True),  # content hash (model.content_id)
        Column("outlet", String(200), nullable=False, default=""),
        Column("title", Text, nullable=False, default=""),
        Column("url", Text, nullable=False, default=""),
        Column("published", String(40), nullable=False, default=""),  # as given, ISO when known
        Column("path", Text, nullable=False, default=""),
        Column("text", Text, nullable=False),
        Column("annotations", JSON, nullable=False),  # Article.to_dict() minus text
        Column("near_dup_of", String(64), ForeignKey("articles.id"), nullable=True),
        Column("story_id", String(64), nullable=True),
        Column("ingested_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "stories", md,
        Column("id", String(64), primary_key=True),
        Column("title", Text, nullable=False, default=""),
        Column("first_published", String(40), nullable=False, default=""),
        Column("last_published", String(40), nullable=False, default=""),
        Column("n_articles", Integer, nullable=False, default=0),
        Column("state", JSON, nullable=True),  # the story index's own state for this story
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "failures", md,
        Column("id", String(64), primary_key=True),  # hash of (source, reason): re-runs add no copies
        Column("source", Text, nullable=False),
        Column("reason", Text, nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "signatures", md,
        Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
        Column("signature", LargeBinary, nullable=False),  # MinHash values, uint32 little-endian
    )
    md.create_all(conn)


def _v2_indexes(conn: Connection) -> None:
    """Indexes for the read paths: stories by outlet and date, a story's articles, copies."""
    md = MetaData()
    articles = Table("articles", md, Column("outlet"), Column("published"), Column("story_id"),
                     Column("near_dup_of"), Column("ingested_at"))
    stories = Table("stories", md, Column("last_published"))
    for idx in (
        Index("ix_articles_outlet", articles.c.outlet),
        Index("ix_articles_published", articles.c.published),
        Index("ix_articles_story_id", articles.c.story_id),
        Index("ix_articles_near_dup_of", articles.c.near_dup_of),
        Index("ix_articles_ingested_at", articles.c.ingested_at),
        Index("ix_stories_last_published", stories.c.last_published),
    ):
        idx.create(conn)


def _v3_live_sources(conn: Connection) -> None:
    """Live sources (issue 11): watched feeds, every HTTP fetch, and which URL gave which article."""
    md = MetaData()
    Table(
        "sources", md,
        Column("url", Text, primary_key=True),
        Column("name", Text, nullable=False, default=""),
        Column("kind", String(20), nullable=False, default=""),  # feed | sitemap | page, once seen
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
    Table(
        "fetch_log", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("source", Text, nullable=False, default=""),
        Column("url", Text, nullable=False),
        Column("status", Integer, nullable=False, default=0),
        Column("outcome", String(20), nullable=False),  # ok | not_modified | error | skipped
        Column("error", Text, nullable=False, default=""),
        Column("bytes", Integer, nullable=False, default=0),
        Column("seconds", Float, nullable=False, default=0.0),
        Column("at", DateTime(timezone=True), nullable=False),
        Index("ix_fetch_log_source_at", "source", "at"),
    )
    Table(
        "url_map", md,
        Column("url", Text, primary_key=True),  # a fetched or canonical URL
        Column("article_id", String(64), nullable=False),
        Column("canonical", Text, nullable=False, default=""),
        Column("source", Text, nullable=False, default=""),
        Column("at", DateTime(timezone=True), nullable=False),
        Index("ix_url_map_article_id", "article_id"),
    )
    md.create_all(conn)


def _v4_vectors(conn: Connection) -> None:
    """Per-article vectors computed at ingest, so nothing re-embeds or re-parses them later:
    body-sentence embeddings (float32, one row of 384 per body sentence in order) for the
    comparison, and the story features (lead embedding as float32, weighted terms) for recluster."""
    md = MetaData()
    Table("articles", md, Column("id", String(64), primary_key=True))
    Table(
        "vectors", md,
        Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
        Column("model", String(80), nullable=False),  # embedding backend that made them
        Column("sentences", LargeBinary, nullable=True),
        Column("lead", LargeBinary, nullable=True),
        Column("terms", JSON, nullable=True),
        Column("published", String(40), nullable=True),  # the story engine's date for the article
        Column("title", Text, nullable=True),
    )
    md.create_all(conn, tables=[md.tables["vectors"]])


def _v5_analysis_version(conn: Connection) -> None:
    """Which analysis code produced each article's stored annotations (NULL: stored before this
    was recorded), so ``parallax reanalyze`` can find the stale ones."""
    conn.execute(text("ALTER TABLE articles ADD COLUMN analysis_version VARCHAR(40)"))


def _v6_language(conn: Connection) -> None:
    """The language of each article (ISO 639-1, "" unknown), for ``stories --lang`` and the web
    filter; rows stored before it keep "" until ``reanalyze`` or a re-ingest fills it."""
    conn.execute(text("ALTER TABLE articles ADD COLUMN language VARCHAR(8) NOT NULL DEFAULT ''"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_articles_language ON articles (language)"))


def _v7_story_updates(conn: Connection) -> None:
    """Stories by last update: an ingest driver sharing the database reads, per batch, the
    stories other drivers changed since it last looked (parallax.stories.window)."""
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_stories_updated_at ON stories (updated_at)"))


MIGRATIONS: list[Step] = [
    Step(1, "articles, stories, failures, near-duplicate signatures", _v1_tables),
    Step(2, "indexes for story, outlet and date queries", _v2_indexes),
    Step(3, "live sources: sources, fetch log, URL to article map", _v3_live_sources),
    Step(4, "per-article sentence embeddings and story features", _v4_vectors),
    Step(5, "analysis version of each article's stored annotations", _v5_analysis_version),
    Step(6, "article language", _v6_language),
    Step(7, "stories by last update (drivers sharing a database)", _v7_story_updates),
]
HEAD = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The highest applied version, 0 for an empty database."""
    table = _version_table(MetaData())
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    return conn.execute(select(table.c.version).order_by(table.c.version.desc()).limit(1)).scalar() or 0


def migrate(conn: Connection) -> list[int]:
    """Apply the missing steps inside the caller's (write) transaction; return their versions."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    table = _version_table(MetaData())
    if not conn.dialect.has_table(conn, "schema_version"):
        if conn.dialect.has_table(conn, "articles"):
            raise SchemaError("database has an 'articles' table but no schema_version: "
                              "not a Parallax database, or one too old to upgrade")
        table.create(conn)
    done = set(conn.execute(select(table.c.version)).scalars())
    newest = max(done, default=0)
    if newest > HEAD:
        raise SchemaError(f"database schema version {newest} is newer than this Parallax "
                          f"understands ({HEAD}); upgrade Parallax to open it")
    applied = []
    for step in MIGRATIONS:
        if step.version in done:
            continue
        step.apply(conn)
        conn.execute(table.insert().values(version=step.version, description=step.description,
                                           applied_at=datetime.now(timezone.utc)))
        applied.append(step.version)
    return applied
