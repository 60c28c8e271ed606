"""Ingest: files, folders, globs or stdin -> analysed articles in the store, batch by batch.

    read -> skip ids already stored -> analyse (parallax.pipeline.run) -> near-duplicates
         -> story assignment (injected) -> commit the batch in ONE transaction

Why this shape:

- **Idempotent.** An article's id is the hash of its text; ids already in the store (or seen
  earlier in this run) are counted as duplicates and skipped *before* the costly analysis.
- **Resumable.** Each batch (``options.batch_size`` new articles) commits its articles, story
  links, near-duplicate signatures, story states and failures together.  A process killed at any
  point loses at most the batch in flight, which nothing refers to; the re-run skips every
  committed article and redoes the rest.  Failures are keyed by (source, reason), so a re-run
  records none twice.
- **Near-duplicates** (wire copies, republications with small edits) are found with MinHash LSH
  (:mod:`parallax.stories.dedupe`), stored, linked to their original and given its story, but not
  passed to story assignment and not counted as independent coverage.
- **Stories** are assigned by a callable the caller injects (``StoryIndex`` in
  :mod:`parallax.stories.cluster`), so the store depends on no clustering code.

Test hook: ``PARALLAX_TEST_SLOW_BATCH=<seconds>`` sleeps after each committed batch, so a test
can kill the process between batches.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import errors
from ..ingest.paths import expand_glob, is_glob, walk
from ..model import Article
from ..options import DEFAULT, Options
from ..store.db import Store
from .version import analysis_version

if TYPE_CHECKING:  # the readers, the MinHash index and the workers load only when there is input
    from ..stories.dedupe import NearDuplicateIndex
    from ..workers import Processed

__all__ = ["ingest", "IngestSummary", "expand_paths", "Assign", "StoryStates"]

Assign = Callable[[list[Any]], Mapping[str, Any]]
"""``assign(parsed_list) -> {article_id: story_id}`` for the new, independent articles of a batch."""
StoryStates = Callable[[set[str]], Iterable[Any]]
"""``story_states(touched_story_ids) -> states`` to save with the batch (dicts or StoryState)."""

SLOW_ENV = "PARALLAX_TEST_SLOW_BATCH"


@dataclass
class IngestSummary:
    """What one ingest run did.  The four counts partition every article seen:
    ``ingested`` new independent articles, ``near_duplicates`` new copies (stored, linked to their
    original), ``duplicates`` already stored or repeated (skipped), ``failed`` inputs or articles
    that could not be read or analysed (one per failure, see ``failures``)."""

    ingested: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    failed: int = 0
    failures: list[errors.InputError] = field(default_factory=list)
    batches: int = 0
    seconds: float = 0.0
    # every article id read, first occurrence, in input order (stored now or before); lets a
    # caller rebuild the stories in input order (parallax.workflows.rebuild); not part of to_dict
    read_ids: list[str] = field(default_factory=list, repr=False)

    @property
    def stored(self) -> int:
        return self.ingested + self.near_duplicates

    def to_dict(self) -> dict[str, Any]:
        return {"ingested": self.ingested, "duplicates": self.duplicates,
                "near_duplicates": self.near_duplicates, "failed": self.failed,
                "failures": [{"source": f.path, "reason": f.reason} for f in self.failures],
                "batches": self.batches, "seconds": round(self.seconds, 3)}


def expand_paths(items: Iterable[str | os.PathLike | Article | errors.InputError],
                 max_depth: int = DEFAULT.max_folder_depth) -> Iterator[str | Article | errors.InputError]:
    """Files in order: folders recursively (sorted, hidden files skipped), glob patterns, ``-``
    (stdin); Articles and InputErrors pass through; a path that matches nothing yields an
    InputError.  Folders and globs share one walker (:mod:`parallax.ingest.paths`) that enters
    no directory twice, links included, and stops ``max_depth`` levels down."""
    for item in items:
        if isinstance(item, (Article, errors.InputError)):
            yield item
            continue
        s = os.fspath(item)
        if s == "-":
            yield s
            continue
        p = Path(s).expanduser()
        if p.is_dir():
            found = False
            for f in walk(p, max_depth):
                found = found or not isinstance(f, errors.InputError)
                yield f if isinstance(f, errors.InputError) else str(f[0])
            if not found:
                yield errors.InputError(s, "folder has no files")
        elif p.exists() or not is_glob(s):
            yield str(p)  # a missing plain path becomes "no such file" when read
        else:
            found = False
            for m in expand_glob(s, max_depth):
                found = found or not isinstance(m, errors.InputError)
                yield m if isinstance(m, errors.InputError) else str(m)
            if not found:
                yield errors.InputError(s, "no files match this pattern")


def _read(items: Iterable[str | os.PathLike | Article], options: Options,
          stdin: Any = None, skip: frozenset[str] = frozenset()) -> Iterator[Article | errors.InputError]:
    """Articles and failures, one input at a time (nothing is read ahead of the batch)."""
    from ..ingest import read_file
    from ..ingest.jsonl import parse_jsonl

    for item in expand_paths(items, options.max_folder_depth):
        if isinstance(item, (Article, errors.InputError)):
            yield item
        elif skip and item != "-" and os.path.abspath(item) in skip:
            continue  # the store's own SQLite files, when the database sits in an input folder
        elif item == "-":
            stream = stdin if stdin is not None else sys.stdin
            data = stream.read()
            if isinstance(data, bytes):
                data = data.decode("utf-8", errors="replace")
            yield from parse_jsonl(data, "<stdin>", options)
        else:
            try:
                arts, fails = read_file(item, options)
            except errors.InputError as exc:
                yield exc
                continue
            except (OSError, MemoryError, RecursionError, ValueError) as exc:
                yield errors.InputError(item, f"could not read ({type(exc).__name__}: {exc})")
                continue
            yield from fails
            yield from arts


def _own_files(store: Store) -> frozenset[str]:
    db = store.engine.url.database if store.backend == "sqlite" else None
    if not db or db == ":memory:":
        return frozenset()
    db = os.path.abspath(db)
    return frozenset(db + suffix for suffix in ("", "-wal", "-shm", "-journal"))


Analyse = Callable[[Iterable[list[Article]]], Iterator[tuple[list["Processed"], list[errors.InputError]]]]
"""``analyse(batches)`` -> ``(processed, failures)`` per batch, in input order; each item is a
:class:`parallax.workers.Processed` (the one record of an article in flight: the analysed article,
its story features, near-duplicate signature and sentence vectors; see :mod:`parallax.workers`,
which runs it locally, in worker processes or on Ray)."""


def _default_analyse(options: Options) -> Analyse:
    from ..workers import LocalExecutor  # loads spaCy / the sentence model only when there is work

    return LocalExecutor(options, 1).map


def ingest(store: Store, paths_or_articles: Iterable[str | os.PathLike | Article],
           options: Options = DEFAULT, progress: Callable[[int], None] | None = None,
           assign: Assign | None = None, story_states: StoryStates | None = None,
           stdin: Any = None, analyse: Analyse | None = None) -> IngestSummary:
    """Store analysed articles from files, folders, globs, ``-`` (JSONL on stdin) or Articles.

    ``progress(n)`` is called after each batch with the number of articles (and failures) it
    handled.  ``assign`` links new independent articles to stories; ``story_states`` returns the
    states of the touched stories to save in the same transaction (see the module docstring).
    ``analyse`` runs the per-article stages over the stream of batches (default: this process);
    batches are read ahead only as far as it asks, and committed strictly in input order.
    """
    t0 = time.perf_counter()
    summary = IngestSummary()
    from ..stories.dedupe import NearDuplicateIndex

    dedupe = NearDuplicateIndex(memory_days=options.neardup_memory_days)
    dedupe.load(store.iter_signatures(since=_neardup_since(store, options)))
    seen: set[str] = set()
    size = max(1, options.batch_size)
    slow = float(os.environ.get(SLOW_ENV) or 0)
    fails_of: deque[list[errors.InputError]] = deque()  # failures read with each batch, in order

    def batches() -> Iterator[list[Article]]:
        pending: list[Article] = []
        pending_fail: list[errors.InputError] = []

        def cut() -> list[Article]:
            # skip stored articles before analysing: a re-run only pays for what is missing
            stored = store.has(a.id for a in pending)
            summary.duplicates += len(stored)
            if progress and stored:  # skipped records count as handled (the total counts them)
                progress(len(stored))
            return [a for a in pending if a.id not in stored]

        for item in _read(paths_or_articles, options, stdin, _own_files(store)):
            if isinstance(item, errors.InputError):
                pending_fail.append(item)
                continue
            if item.id in seen:
                summary.duplicates += 1
                if progress:
                    progress(1)
                continue
            seen.add(item.id)
            summary.read_ids.append(item.id)
            pending.append(item)
            if len(pending) >= size:
                pending[:] = cut()
                if len(pending) >= size:
                    fails_of.append(list(pending_fail))
                    yield list(pending)
                    pending.clear()
                    pending_fail.clear()
        if pending:
            pending[:] = cut()
        if pending or pending_fail:
            fails_of.append(list(pending_fail))
            yield list(pending)

    run = analyse or _default_analyse(options)
    for processed, bad in run(batches()):
        fails = fails_of.popleft() + list(bad)
        _commit_batch(store, processed, fails, dedupe, summary, assign, story_states)
        dedupe.evict()  # after the commit: what it forgets is stored
        summary.batches += 1
        if progress:
            progress(len(processed) + len(fails))
        if slow:
            time.sleep(slow)
    summary.seconds = time.perf_counter() - t0
    return summary


def _neardup_since(store: Store, options: Options) -> str | None:
    """First publication date the near-duplicate index reads back on start (None: all)."""
    from datetime import date

    from ..stories.dedupe import publication_day

    newest = publication_day(store.newest_published()) if options.neardup_memory_days > 0 else None
    return None if newest is None else date.fromordinal(newest - options.neardup_memory_days).isoformat()


def _vector_rows(parsed: list[Any]) -> list[dict[str, Any]]:
    """What the workers computed that is worth keeping: sentence embeddings, story features."""
    rows = []
    for p in parsed:
        feats, sent = p.features, p.vectors
        if feats is None and sent is None:
            continue
        f = feats.to_dict() if feats is not None else {}
        rows.append({"article_id": p.article.id, "model": p.model or "",
                     "sentences": sent, "lead": f.get("vector"), "terms": f.get("terms"),
                     "published": f.get("published"), "title": f.get("title")})
    return rows


def _commit_batch(store: Store, parsed: list[Any], fails: list[errors.InputError],
                  dedupe: NearDuplicateIndex, summary: IngestSummary, assign: Assign | None,
                  story_states: StoryStates | None) -> None:
    """Commit one analysed batch, with its failures, in one transaction.

    Which articles are new is decided inside that write transaction (SQLite takes the write lock
    at its start), and the counts are what the insert reports, so two ingests sharing inputs
    count every article once between them."""
    from ..stories.dedupe import publication_day, signature

    stored: set[str] = set()
    with store.batch():
        if parsed:
            # another writer may have stored some of these while they were analysed (batches are
            # read ahead of the commit): they are duplicates now and must not join our stories
            stored = store.has(p.article.id for p in parsed)
            if stored:
                parsed = [p for p in parsed if p.article.id not in stored]
        links: dict[str, str] = {}
        sigs: list[tuple[str, list[int]]] = []
        independent = []
        for p in parsed:
            art = p.article
            sig = p.signature or signature(art.text)
            original = dedupe.find(art.id, sig)
            dedupe.add_signature(art.id, sig, original, check=False, day=publication_day(art.published))
            sigs.append((art.id, sig))
            if original is not None:
                links[art.id] = original
            else:
                independent.append(p)
        stories: dict[str, Any] = {}
        if assign is not None and independent:
            stories = {k: str(v) for k, v in dict(assign(independent)).items() if v is not None}
        if links:  # a copy belongs to its original's story
            known = store.story_of([o for o in links.values() if o not in stories])
            for aid, orig in links.items():
                sid = stories.get(orig) or known.get(orig)
                if sid is not None:
                    stories[aid] = sid
        states = list(story_states(set(stories.values()))) if story_states is not None and stories else []
        inserted = set(store.add_articles([p.article for p in parsed], near_dup_of=links, story_ids=stories))
        store.set_analysis_version(sorted(inserted), analysis_version())
        store.add_signatures([s for s in sigs if s[0] in inserted])
        store.add_vectors(_vector_rows([p for p in parsed if p.article.id in inserted]))
        if states:
            store.save_story_states(states)
        if fails:
            store.add_failures(fails)
    copies = sum(1 for aid in links if aid in inserted)
    summary.near_duplicates += copies
    summary.ingested += len(inserted) - copies
    summary.duplicates += len(stored) + len(parsed) - len(inserted)
    summary.failed += len(fails)
    summary.failures.extend(fails)
