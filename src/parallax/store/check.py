"""Integrity check of a news database: ``parallax check news.db``.

Reads the store (one read transaction, so a concurrent ingest does not produce false alarms)
and reports every inconsistency it finds as a :class:`Problem`:

- ``schema``: the recorded schema version is not the one this Parallax writes;
- ``sqlite``: SQLite's own ``PRAGMA integrity_check`` / ``foreign_key_check`` complaints;
- ``orphan-story``: an article points at a story that has no row;
- ``story-count``: a story's ``n_articles`` (or first/last date) differs from its articles;
- ``near-dup``: an article is a near-duplicate of an article that is not stored;
- ``signature``: a signature without its article, or a stored article without a signature;
- ``story-state``: a story's saved index state lists other articles than the store links to it.

Only reads; never repairs.  Uses the live tables of :mod:`parallax.store.db` (no extra SQL module).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text

from .db import Store, articles, signatures, stories
from .migrations import HEAD, current_version

__all__ = ["Problem", "check_store"]

# At most this many problems of one kind are listed one by one; the rest are summarised, so a
# badly broken database gives a readable report instead of a million lines.
_MAX_PER_KIND = 50


@dataclass(frozen=True)
class Problem:
    kind: str
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}: {self.detail}"

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "subject": self.subject, "detail": self.detail}


def check_store(store: Store) -> list[Problem]:
    """Every integrity problem of ``store`` (empty list: the database is consistent)."""
    out: list[Problem] = []
    with store.engine.connect() as conn, conn.begin():
        version = current_version(conn)
        if version != HEAD:
            out.append(Problem("schema", "schema_version", f"database is at version {version}, expected {HEAD}"))
        if store.backend == "sqlite":
            for (msg,) in conn.execute(text("PRAGMA integrity_check")).all():
                if msg != "ok":
                    out.append(Problem("sqlite", "integrity_check", str(msg)))
            for row in conn.execute(text("PRAGMA foreign_key_check")).all():
                out.append(Problem("sqlite", "foreign_key_check", " ".join(map(str, row))))

        # one pass over the article metadata (no text), bounded by the number of articles
        story_members: dict[str, list[tuple[str, str | None, str]]] = defaultdict(list)
        ids: set[str] = set()
        near: list[tuple[str, str]] = []
        for aid, sid, dup, pub in conn.execute(select(articles.c.id, articles.c.story_id,
                                                      articles.c.near_dup_of, articles.c.published)):
            ids.add(aid)
            if sid is not None:
                story_members[sid].append((aid, dup, pub or ""))
            if dup is not None:
                near.append((aid, dup))
        for aid, dup in near:
            if dup not in ids:
                out.append(Problem("near-dup", aid, f"near-duplicate of missing article {dup}"))

        story_rows = {r.id: r for r in conn.execute(select(stories.c.id, stories.c.n_articles,
                                                           stories.c.first_published,
                                                           stories.c.last_published, stories.c.state))}
        for sid, members in sorted(story_members.items()):
            if sid not in story_rows:
                for aid, _, _ in members:
                    out.append(Problem("orphan-story", aid, f"article's story {sid} does not exist"))
        for sid, row in sorted(story_rows.items()):
            members = story_members.get(sid, [])
            indep = [m for m in members if m[1] is None]
            if row.n_articles != len(indep):
                out.append(Problem("story-count", sid, f"n_articles is {row.n_articles} but "
                                                       f"{len(indep)} independent articles link to it"))
            dates = sorted(p for _, _, p in members if p)
            first, last = (dates[0], dates[-1]) if dates else ("", "")
            if members and (row.first_published or "", row.last_published or "") != (first, last):
                out.append(Problem("story-count", sid, f"dates {row.first_published!r}..{row.last_published!r} "
                                                       f"but its articles span {first!r}..{last!r}"))
            state: Any = row.state
            if state:
                listed = set(state.get("articles") or [])
                actual = {aid for aid, dup, _ in indep}
                if listed != actual:
                    missing, extra = sorted(listed - actual), sorted(actual - listed)
                    out.append(Problem("story-state", sid,
                                       f"state lists {len(listed)} articles, store links {len(actual)} "
                                       f"(not linked: {missing[:5]}, not in state: {extra[:5]})"))
                size = state.get("size")
                if size is not None and size != len(listed):
                    out.append(Problem("story-state", sid, f"state size {size} != {len(listed)} listed articles"))

        sig_ids = set(conn.execute(select(signatures.c.article_id)).scalars())
        for aid in sorted(sig_ids - ids):
            out.append(Problem("signature", aid, "signature of a missing article"))
        for aid in sorted(ids - sig_ids):
            out.append(Problem("signature", aid, "stored article has no near-duplicate signature"))
        n_dups = conn.execute(select(articles.c.id).group_by(articles.c.id)
                              .having(func.count() > 1)).all()
        for (aid,) in n_dups:  # impossible with the primary key; checked for damaged files
            out.append(Problem("duplicate", aid, "article stored more than once"))
    return _summarise(out)


def _summarise(problems: list[Problem]) -> list[Problem]:
    by_kind: dict[str, int] = defaultdict(int)
    kept = []
    for p in problems:
        by_kind[p.kind] += 1
        if by_kind[p.kind] <= _MAX_PER_KIND:
            kept.append(p)
    for kind, n in by_kind.items():
        if n > _MAX_PER_KIND:
            kept.append(Problem(kind, "...", f"{n - _MAX_PER_KIND} more problems of this kind"))
    return kept
