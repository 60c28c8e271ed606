"""Growth: how the cost of keeping a news database grows with its size (``bench speed --scale N``).

What: the dev articles of a file go once through the real per-article stages; N articles are then
synthesised from them — copy k of an article gets its own id, its own near-duplicate signature,
its dates shifted past the previous copy's span and its story features moved to "another story
of the same kind" (:func:`parallax.bench.cluster._perturb`: own entity and number terms, 15% of
terms dropped, embedding moved off the original).  They are committed through the real ingest
path (``parallax.workflows.batch.ingest``: duplicate check, near-duplicate index, story assignment,
database writes) into a fresh SQLite database (or, with ``--store URL``, a fresh database on that
PostgreSQL server, with pgvector for the story candidates when the server has it), and the bench reports

* ``commit_articles_per_s``: the commit side's throughput over all N (the part that can grow;
  the per-article stages cost the same per word at any size, see ``bench speed``);
* ``assign_ms_first1k`` / ``assign_ms_last10pct``: story-assignment time per article while the
  index held <=1k articles and over the last 10% of the N (``assign_growth`` = their ratio);
* ``commit_ms_first1k`` / ``commit_ms_last10pct``: the same for the whole commit per article;
* ``*_cpu_ms_*`` and ``*_cpu_growth``: the same in CPU time of the process (on a shared machine
  the wall time of a late checkpoint also measures the load of the moment);
* ``peak_rss_mb`` of the process and ``db_bytes_per_article`` (the annotated article, its
  signature and story state; SQLite after the run, WAL included);
* ``curve``: the same figures at 1k, 10k, 100k, 1M articles on the way to N (per-article times
  over the last 10% before each), each also printed to stderr when reached, so a run cut short
  still shows how far it got; ``stories_in_memory`` is what the driver's story index holds
  (``Options.story_memory_days``: older stories are left in the database).

Why synthesise: a 100k-article run of the full NLP takes hours on 2 cores, while what grows with
N is only the commit side; the per-article stages are measured on real text by ``bench speed``.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ..options import DEFAULT, Options
from .cluster import SEED, _perturb
from .speed import PeakRss, db_bytes, load_articles

BASE = 200  # dev articles processed for real and copied


def _shift(published: str | None, days: int) -> str | None:
    if not published:
        return published
    try:
        return (date.fromisoformat(published[:10]) + timedelta(days=days)).isoformat()
    except ValueError:
        return published


# The synthesised dates stay below this day: copies are shifted one date span apart, and a file
# whose articles span years reaches the calendar's end (year 9999) after ~150k articles.
LAST_DAY = date(9000, 1, 1).toordinal()


def copy_shift(copy: int, span: int, newest: int) -> int:
    """Days copy ``copy`` is shifted by: one ``span`` per copy, starting again from the first
    copy's dates when the next copy would pass ``LAST_DAY`` (the copies' names differ, so the
    later ones are new stories in old time slices: out-of-order articles for the driver)."""
    cycle = max(1, (LAST_DAY - newest) // max(1, span))
    return span * (copy % cycle)


def run_growth(data: Path, n: int, options: Options | None = None, *, workers: int | None = None,
               base: int = BASE, seed: int = SEED, store_url: str | None = None) -> dict[str, Any]:
    from ..workflows import StoryEngine
    from ..store import open_store
    from ..workflows.batch import ingest
    from ..stories.features import day_number
    from ..workers import Processed, process_articles

    options = options or DEFAULT
    articles = load_articles(Path(data), base)
    done, _ = process_articles(articles, options)
    days = [day_number(p.features.published) for p in done if p.features.published]
    span = (max(days) - min(days) + 30) if days else 30
    newest = max(days) if days else date.today().toordinal()
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    sig_rng = np.random.default_rng(seed + 1)
    by_id: dict[str, tuple[Processed, int]] = {}

    def stream():
        k = 0
        while True:
            for p in done:
                if k >= n:
                    return
                copy = k // len(done)
                aid = f"{p.article.id[:20]}-{copy}"
                art = replace(p.article, id=aid, published=_shift(p.article.published, copy_shift(copy, span, newest)))
                by_id[aid] = (p, copy)
                yield art
                k += 1

    def analyse(batches):
        for batch in batches:
            out = []
            for art in batch:
                p, copy = by_id.pop(art.id)
                feats = replace(_perturb(p.features, copy, rng, nrng, span, shift=copy_shift(copy, span, newest)),
                                article_id=art.id)
                sig = p.signature if copy == 0 else [int(x) for x in sig_rng.integers(0, 2**32 - 1, len(p.signature))]
                out.append(Processed(art, feats, sig))
            yield out, []

    with _fresh_database(store_url) as (url, size_of):
        store = open_store(url)
        engine = StoryEngine(store, options, bounded=True)
        ann_s = _time_candidates(engine.index.ann)
        assign_ms: list[float] = []
        commit_ms: list[tuple[int, float]] = []
        # CPU time of this process beside the wall time: on a shared machine the wall time of a
        # late checkpoint also measures whatever else ran then; the CPU time does not
        assign_cpu: list[float] = []
        commit_cpu: list[float] = []
        inner = engine.assign

        def timed_assign(items):
            t, c = time.perf_counter(), time.process_time()
            out = inner(items)
            assign_ms.append(1000 * (time.perf_counter() - t) / max(1, len(items)))
            assign_cpu.append(1000 * (time.process_time() - c) / max(1, len(items)))
            return out

        last = [time.perf_counter(), time.process_time()]
        done_n = [0]
        curve: list[dict[str, Any]] = []
        marks = [c for c in CHECKPOINTS if c < n] + [n]

        def progress(k: int) -> None:
            now, cpu = time.perf_counter(), time.process_time()
            commit_ms.append((k, 1000 * (now - last[0]) / max(1, k)))
            commit_cpu.append(1000 * (cpu - last[1]) / max(1, k))
            done_n[0] += k
            if marks and done_n[0] >= marks[0]:
                curve.append(_checkpoint(marks.pop(0), assign_ms, commit_ms, rss, engine, size_of,
                                         assign_cpu, commit_cpu))
                print(json.dumps(curve[-1]), file=sys.stderr, flush=True)  # a cut-short run still shows its curve
                while marks and done_n[0] >= marks[0]:
                    marks.pop(0)
            last[:] = [time.perf_counter(), time.process_time()]  # the checkpoint's own cost is not the next batch's

        with PeakRss() as rss:
            start = time.perf_counter()
            summary = ingest(store, stream(), options, progress=progress, assign=timed_assign,
                             story_states=engine.states, analyse=analyse)
            total = time.perf_counter() - start
        stories = store.counts()["stories"]
        size = size_of()
        store.close()
    per_batch = max(1, options.batch_size)
    first = max(1, min(len(assign_ms), 1000 // per_batch))
    tail = max(1, len(assign_ms) // 10)
    commit_wall = [m for _, m in commit_ms]
    return {
        "n": n,
        "stored": summary.stored,
        "stories": stories,
        "commit_articles_per_s": round(summary.stored / total, 1) if total > 0 else 0.0,
        **_growth("assign_ms", "assign_growth", assign_ms, first, tail),
        **_growth("commit_ms", "commit_growth", commit_wall, first, tail),
        **_growth("assign_cpu_ms", "assign_cpu_growth", assign_cpu, first, tail),
        **_growth("commit_cpu_ms", "commit_cpu_growth", commit_cpu, first, tail),
        "peak_rss_mb": rss.peak_mb,
        "db_bytes_per_article": round(size / max(1, summary.stored)),
        "seconds": round(total, 1),
        "stories_in_memory": len(engine.index),
        "store": "postgresql" if store_url else "sqlite",
        "story_ann": type(engine.index.ann).__name__,
        "candidates_ms_per_article": round(1000 * ann_s[0] / max(1, summary.stored), 3),
        "curve": curve,
    }


def _growth(name: str, growth: str, per_batch: list[float], first: int, tail: int) -> dict[str, float]:
    """``{name}_first1k``, ``{name}_last10pct`` and their ratio ``growth`` from per-batch figures."""
    a0, a1 = float(np.mean(per_batch[:first])), float(np.mean(per_batch[-tail:]))
    return {f"{name}_first1k": round(a0, 3), f"{name}_last10pct": round(a1, 3),
            growth: round(a1 / a0, 3) if a0 else 0.0}


def _time_candidates(ann: Any) -> list[float]:
    """Wrap the candidate index's search and flush (writes) with a clock: ``[seconds]`` so far,
    the part of assignment that the local and the pgvector index do differently."""
    spent, depth = [0.0], [0]

    def timed(fn):
        def call(*args, **kw):  # a search flushes first: that time is counted once
            depth[0] += 1
            t = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    spent[0] += time.perf_counter() - t
        return call

    ann.search, ann.flush = timed(ann.search), timed(ann.flush)
    return spent


# Sizes at which the growth bench reports the curve (and at N itself).
CHECKPOINTS = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)


def _checkpoint(at: int, assign_ms: list[float], commit_ms: list[tuple[int, float]], rss: Any, engine: Any,
                size_of: Callable[[], int], assign_cpu: list[float], commit_cpu: list[float]) -> dict[str, Any]:
    """Figures over the last 10% of the first ``at`` articles: per-article assignment and whole
    commit time, the driver's peak memory so far, the stories it holds, the database size."""
    n_b = len(commit_ms)
    counts = np.cumsum([k for k, _ in commit_ms])
    lo = int(np.searchsorted(counts, 0.9 * counts[-1])) if n_b else 0
    rss._sample()
    return {"articles": int(counts[-1]) if n_b else 0,
            "assign_ms": round(float(np.mean(assign_ms[lo:n_b])), 3) if n_b else 0.0,
            "commit_ms": round(float(np.mean([m for _, m in commit_ms[lo:]])), 3) if n_b else 0.0,
            "assign_cpu_ms": round(float(np.mean(assign_cpu[lo:n_b])), 3) if n_b else 0.0,
            "commit_cpu_ms": round(float(np.mean(commit_cpu[lo:])), 3) if n_b else 0.0,
            "peak_rss_mb": rss.peak_mb, "stories_in_memory": len(engine.index),
            "db_bytes_per_article": round(size_of() / max(1, int(counts[-1]) if n_b else 1))}


@contextmanager
def _fresh_database(server: str | None) -> Iterator[tuple[str, Callable[[], int]]]:
    """``(url, size_of)`` of an empty database, removed afterwards: a SQLite file in a temporary
    folder, or, given a PostgreSQL server URL (``postgresql://user@host:port``, a database name
    in it is ignored), a database created there for the run."""
    if not server:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "growth.db"
            yield str(path), lambda: db_bytes(path)
        return
    import psycopg
    from sqlalchemy.engine import make_url

    from ..errors import ParallaxError

    url = make_url(server)
    if url.get_backend_name() != "postgresql":
        raise ParallaxError(f"--store {server}: the growth bench takes a postgresql:// server URL")
    name = f"parallax_growth_{uuid.uuid4().hex[:10]}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.Error as exc:
        raise ParallaxError(f"--store {server}: cannot create a database there ({str(exc).strip().splitlines()[0]})") from None
    target = url.set(drivername="postgresql", database=name).render_as_string(hide_password=False)

    def size_of() -> int:
        with psycopg.connect(target) as conn:
            return int(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])
    try:
        yield target, size_of
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
