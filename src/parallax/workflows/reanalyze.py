"""Bring stored annotations up to date after a code change that alters them.

A story report reads the annotations stored at ingest (mentions, quotes, sources, flags,
relations); when the analysis code changes they go stale.  :func:`analysis_version` fingerprints
the code that produces them (a hash of the source of the per-article stages: ``analysis/``,
``nlp/``, ``pipeline.py``), ingest records it per article (``articles.analysis_version``, schema
step 5), and :func:`reanalyze` re-runs the per-article stages on every article whose version
differs, batch by batch, replacing its annotations and vectors.  Stories are kept (run
``parallax recluster`` to revisit them).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from .. import errors
from ..options import DEFAULT, Options
from ..store import Store
from .version import analysis_version

__all__ = ["analysis_version", "reanalyze", "ReanalyzeSummary"]



@dataclass
class ReanalyzeSummary:
    """What one reanalysis did: ``updated`` articles re-annotated, ``current`` already up to date,
    ``failed`` ones left as they were (see ``failures``)."""

    version: str
    updated: int = 0
    current: int = 0
    failed: int = 0
    failures: list[errors.InputError] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "updated": self.updated, "current": self.current, "failed": self.failed,
                "failures": [{"source": f.path, "reason": f.reason} for f in self.failures],
                "seconds": round(self.seconds, 3)}


def _blank(article: Any) -> Any:
    """The article without annotations (so every stage runs again, sentences included)."""
    return replace(article, sentences=[], mentions=[], quotes=[], sources=[], flags=[], relations=[])


def reanalyze(store: Store, options: Options = DEFAULT, progress: Callable[[int], None] | None = None,
              start: Callable[[int], None] | None = None, force: bool = False,
              executor: Any = None) -> ReanalyzeSummary:
    """Re-run the per-article stages on stored articles whose annotations another analysis
    version made (all of them with ``force``).  ``start(n)`` is told how many will be redone,
    ``progress(k)`` after each batch.

    Example: ``reanalyze(open_store("news.db")).updated``"""
    from ..workers import LocalExecutor
    from .batch import _vector_rows

    t0 = time.perf_counter()
    version = analysis_version()
    summary = ReanalyzeSummary(version)
    total = sum(store.analysis_versions().values())
    todo = store.stale_ids("\x00" if force else version)  # no article carries "\x00": every id
    summary.current = total - len(todo)
    if start:
        start(len(todo))
    size = max(1, options.batch_size)
    own = executor is None
    executor = executor or LocalExecutor(options)
    try:
        batches = ([_blank(a) for a in store.iter_articles(ids=todo[k:k + size])] for k in range(0, len(todo), size))
        for done, bad in executor.map(batches):
            with store.batch():
                store.replace_annotations([p.article for p in done], version)
                store.replace_vectors(_vector_rows(done))
            summary.updated += len(done)
            summary.failed += len(bad)
            summary.failures.extend(bad)
            if progress:
                progress(len(done) + len(bad))
    finally:
        if own:
            executor.close()
    summary.seconds = time.perf_counter() - t0
    return summary

