"""Benchmark ``speed``: throughput of the full ingest against bare spaCy on the same texts.

What: takes the first ``limit`` articles (``text`` field) of a JSONL file and, with ``workers``
processes on both sides, times

* bare spaCy: ``nlp.pipe(texts, n_process=workers)`` with the very pipeline Parallax loads;
* Parallax: ``ingest_into`` a fresh SQLite database — parse, every per-article stage, sentence
  embeddings, story features, near-duplicates, story assignment and the database writes, i.e.
  everything ``parallax ingest`` does — with the same number of worker processes.

It reports words/s for both, their ``ratio``, ``articles_per_s``, the peak resident memory of the
whole process tree (``peak_rss_mb``, sampled every 50 ms) and the database size per article.

Why: spaCy parsing is the floor every analysis pays; the ratio says how much Parallax adds on top
and is comparable across machines, where absolute words/s are not.  Models and worker processes
are loaded and warmed up before either clock starts, and the in-process parse and embedding caches
are cleared before the Parallax run so that it re-parses and re-embeds everything.

``run_speed_scale`` (``--scale N``) measures how the cost grows: see :mod:`parallax.bench.growth`.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import BenchDataError
from ..model import Article
from ..nlp import embed as embed_mod
from ..nlp import pipeline as nlp_pipeline
from ..options import DEFAULT, Options
from .metrics import read_jsonl

DEFAULT_LIMIT = 200
WARMUP_TEXTS = 3


def _clear_caches() -> None:
    from ..nlp import multilingual

    nlp_pipeline._cache.clear()
    embed_mod._cache.clear()
    multilingual._cache.clear()


def load_articles(data: Path, limit: int) -> list[Article]:
    """The first ``limit`` records with a non-empty ``text``, as articles (duplicates dropped).

    A file of article pairs (``text1``/``text2``, e.g. the multilingual SemEval sample) gives
    both texts of each record."""
    records = read_jsonl(data)
    articles: list[Article] = []
    seen: set[str] = set()
    for no, rec in enumerate(records, 1):
        fields = ("text",) if "text" in rec else ("text1", "text2")
        if not any(f in rec for f in fields):
            raise BenchDataError(f"{data}: record {no}: missing field 'text' (or text1/text2)")
        for f in fields:
            text = rec.get(f, "")
            if not isinstance(text, str):
                raise BenchDataError(f"{data}: record {no}: {f} is not a string")
            if not text.strip():
                continue
            meta = {k: rec[k] for k in ("outlet", "title", "url", "published") if isinstance(rec.get(k), str)}
            if isinstance(rec.get("date"), str) and rec["date"] and "published" not in meta:
                meta["published"] = rec["date"]
            art = Article.new(text, path=f"{data}:{no}", **meta)
            if art.id in seen:
                continue
            seen.add(art.id)
            articles.append(art)
        if len(articles) >= limit:
            articles = articles[:limit]
            break
    if not articles:
        raise BenchDataError(f"{data}: no record has a non-empty text field")
    return articles


class PeakRss:
    """Samples the resident memory of this process and all its children; ``peak_mb`` after."""

    def __init__(self, every: float = 0.05):
        import psutil

        self.proc = psutil.Process()
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        total = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        self.peak = max(self.peak, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    def __enter__(self):
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)


def db_bytes(path: Path) -> int:
    return sum(os.path.getsize(f"{path}{s}") for s in ("", "-wal") if os.path.exists(f"{path}{s}"))


def run_speed(data: Path, options: Options | None = None, *, limit: int = DEFAULT_LIMIT,
              workers: int | None = None, scale: int | None = None, store: str | None = None,
              **_: Any) -> dict[str, Any]:
    """Time bare spaCy and the full ingest on the first ``limit`` articles of ``data``.

    ``workers`` (default: one per core) is used on both sides.  Returns ``pipeline_words_per_s``,
    ``spacy_words_per_s``, ``ratio`` (pipeline / spacy; below 1 means the pipeline is slower),
    ``articles_per_s``, ``peak_rss_mb``, ``db_bytes_per_article``, ``articles``, ``words``, the
    two wall times, ``workers`` and the embedding backend; with one worker also the CPU seconds of
    both sides, their ``cpu_ratio`` and ``cpu_seconds_per_article`` (robust to other load).
    """
    if scale:
        from .growth import run_growth

        return run_growth(Path(data), int(scale), options, workers=workers, store_url=store)
    from ..workflows import StoryEngine, ingest_into
    from ..store import open_store
    from ..workers import LocalExecutor, resolve_workers

    options = options or DEFAULT
    if int(limit) < 1:
        raise BenchDataError(f"limit must be at least 1, got {limit}")
    n_workers = resolve_workers(workers)
    options = replace(options, workers=n_workers)
    articles = load_articles(Path(data), int(limit))
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    # Warm-up: load both models (and start the workers) so loading is never timed.
    nlp = nlp_pipeline.load_spacy()
    list(nlp.pipe(texts[:WARMUP_TEXTS]))
    executor = LocalExecutor(options, n_workers)
    # warm-up texts differ from the timed ones, so no worker's parse cache holds a timed text
    warm = [Article.new(a.text + "\nWarm-up.", outlet=a.outlet) for a in articles[:WARMUP_TEXTS]]
    list(executor.map([warm]))  # this process
    if n_workers > 1:
        list(executor.map([warm[:1], warm[1:]]))  # second batch starts the pool; each worker warms up

    _clear_caches()
    start, cpu0 = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe(texts, batch_size=options.batch_size, n_process=n_workers):
        pass
    spacy_s = time.perf_counter() - start
    spacy_cpu = time.process_time() - cpu0

    _clear_caches()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speed.db"
        store = open_store(path)
        engine = StoryEngine(store, options)
        with PeakRss() as rss:
            start, cpu0 = time.perf_counter(), time.process_time()
            summary = ingest_into(store, articles, options, engine=engine, executor=executor)
            pipeline_s = time.perf_counter() - start
            pipeline_cpu = time.process_time() - cpu0
        store.close()
        size = db_bytes(path)
    executor.close()
    if summary.failed:
        raise BenchDataError(f"{summary.failed} articles failed analysis: {summary.failures[:3]}")

    spacy_wps = words / spacy_s if spacy_s > 0 else 0.0
    pipeline_wps = words / pipeline_s if pipeline_s > 0 else 0.0
    # On a shared machine wall time depends on what else runs in each phase; with one worker
    # all work is in this process, and its CPU time compares the two sides under any load.
    cpu = {} if n_workers != 1 or pipeline_cpu <= 0 else {
        "spacy_cpu_seconds": round(spacy_cpu, 4),
        "pipeline_cpu_seconds": round(pipeline_cpu, 4),
        "cpu_ratio": round(spacy_cpu / pipeline_cpu, 4),
        "cpu_seconds_per_article": round(pipeline_cpu / len(articles), 3),
    }
    return cpu | {
        "pipeline_words_per_s": round(pipeline_wps, 1),
        "spacy_words_per_s": round(spacy_wps, 1),
        "ratio": round(pipeline_wps / spacy_wps, 4) if spacy_wps else 0.0,
        "articles_per_s": round(len(articles) / pipeline_s, 2) if pipeline_s > 0 else 0.0,
        "peak_rss_mb": rss.peak_mb,
        "db_bytes_per_article": round(size / len(articles)),
        "articles": len(articles),
        "words": words,
        "spacy_seconds": round(spacy_s, 3),
        "pipeline_seconds": round(pipeline_s, 3),
        "workers": n_workers,
        "embed_backend": options.embed_backend,
        "embed_sentences": options.embed_sentences,
        "cpu_count": os.cpu_count(),
    }
