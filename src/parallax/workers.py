"""The per-article work, batched and run where there are cores: this process, worker processes
or a Ray cluster.

What: ``process_articles(articles, options)`` runs every stage that needs no other article —
parse, annotations (:mod:`parallax.pipeline`), story features (title and lead embeddings), the
near-duplicate signature and, with ``options.embed_sentences``, every body sentence's embedding — and returns plain picklable :class:`Processed` records (no spaCy
``Doc`` crosses a process boundary).  An executor maps it over a stream of batches and yields
the results in input order:

* :class:`LocalExecutor` with ``workers=1`` runs it here;
* ``workers=N`` runs it in N spawned processes, each loading spaCy and the sentence model once
  and running them single-threaded (N processes on N cores beat N threads fighting over them);
* :class:`parallax.engines.ray.RayExecutor` runs it on Ray actors (local or a cluster).

Why this split: everything order-dependent (near-duplicate links, story assignment, database
writes) stays in the one process that commits, in input order, so a parallel or distributed run
gives the stories and annotations of the single-process run on the same input.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import errors
from .model import Article
from .options import DEFAULT, Options

if TYPE_CHECKING:
    from .stories.features import StoryFeatures

# Articles per task sent to a worker: large enough that pickling and scheduling are noise
# next to ~0.1 s of parsing per article, small enough to spread a 32-article batch over cores.
CHUNK = 8


@dataclass
class Processed:
    """One article in flight, after the per-article stages: what the committing process needs.

    The one record every ingest path hands on (local, worker processes, Ray): no spaCy ``Doc``
    (it does not cross a process boundary), everything else the commit and the story index read."""

    article: Article  # with its annotations (sentences, mentions, quotes, sources, flags, relations)
    features: StoryFeatures | None  # title/lead embedding and terms for story assignment
    signature: list[int]  # MinHash signature for near-duplicate detection
    vectors: np.ndarray | None = field(default=None, repr=False)  # body-sentence embeddings (float32)
    model: str = ""  # the embedding backend that made them


def _process(articles: Sequence[Article], options: Options) -> list[Processed]:
    from .nlp.embed import embed, embedding_space, load_encoder
    from .pipeline import run
    from .stories.dedupe import signature
    from .stories.features import story_features

    out = []
    parsed = run(articles, options)
    model = load_encoder().name
    for p in parsed:
        body = [s.text for s in p.sentences if s.kind == "body"] if options.embed_sentences else []
        vecs = embed(body) if body else None
        with embedding_space("multilingual-centred" if options.story_space == "multilingual" else "english"):
            feats = story_features(p)
        out.append(Processed(p.article, feats, signature(p.article.text), vecs, model))
    return out


def process_articles(articles: Sequence[Article], options: Options = DEFAULT
                     ) -> tuple[list[Processed], list[errors.InputError]]:
    """Per-article stages over a batch; if the batch fails, article by article, so one bad input
    becomes a recorded failure instead of sinking its neighbours (the pipeline's one error
    policy, :func:`parallax.pipeline.skip_failures`)."""
    from .pipeline import skip_failures

    return skip_failures(lambda batch: _process(batch, options), articles)


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | None) -> int:
    """``0``/``None`` -> one per core; otherwise at least 1."""
    return cpu_count() if not workers else max(1, int(workers))


Result = tuple[list[Processed], list[errors.InputError]]


def _chunks(batch: Sequence[Article], n: int) -> list[list[Article]]:
    size = max(1, min(CHUNK, -(-len(batch) // max(1, n))))
    return [list(batch[k:k + size]) for k in range(0, len(batch), size)]


def _merge(parts: Iterable[Result]) -> Result:
    done: list[Processed] = []
    failed: list[errors.InputError] = []
    for ok, bad in parts:
        done.extend(ok)
        failed.extend(bad)
    return done, failed


def windowed_map(submit, collect, batches: Iterable[Sequence[Article]], split: int,
                 window: int) -> Iterator[Result]:
    """Ordered map of batches over asynchronous workers with at most ``window`` chunks in flight.

    ``submit(chunk) -> handle`` starts a chunk; ``collect(handle) -> Result`` waits for it.
    Batches are read lazily, so a 10M-article input is never held in memory."""
    pending: deque[tuple[int, Any]] = deque()  # (batch number, handle)
    parts: dict[int, list[Result]] = {}
    sizes: dict[int, int] = {}
    it = iter(batches)
    no = 0
    exhausted = False
    next_out = 0
    while True:
        while not exhausted and len(pending) < window:
            try:
                batch = next(it)
            except StopIteration:
                exhausted = True
                break
            chunks = _chunks(batch, split) if batch else []
            sizes[no] = len(chunks)
            parts[no] = []
            for c in chunks:
                pending.append((no, submit(c)))
            no += 1
        while next_out < no and len(parts[next_out]) == sizes[next_out]:
            yield _merge(parts.pop(next_out))
            del sizes[next_out]
            next_out += 1
        if not pending:
            if exhausted and next_out >= no:
                return
            continue
        bno, handle = pending.popleft()
        parts[bno].append(collect(handle))


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive its parent (an ingest killed with SIGKILL would otherwise leave
    its workers, ~400 MB each, and the multiprocessing resource tracker behind, blocked on a pipe
    read for good).

    ``parent`` is the pid of the process that created the pool, passed in by that process, not
    read here: the parent can die between the worker's spawn and this call, and then
    ``getppid()`` already names the reaper.  Order matters: first ask Linux for SIGKILL on the
    parent's death (``PR_SET_PDEATHSIG``), *then* compare ``getppid()`` with ``parent``; a
    parent that died before the request is caught by the comparison, one that dies after it by
    the signal.  A thread watching ``getppid()`` covers systems without ``prctl`` (and the
    signal's per-thread semantics: Linux sends it when the creating *thread* exits)."""
    import threading

    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)  # the parent is gone already: nothing will ever read our results

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parallax-parent-watch").start()


def _init_worker(threads: int, parent: int) -> None:
    """Worker process start: die with ``parent`` (first, before anything slow), then one compute
    thread each, models loaded before the first task."""
    _die_with_parent(parent)
    os.environ["PARALLAX_THREADS"] = str(threads)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass
    from .nlp.pipeline import load_spacy

    load_spacy()


def _warm(options: Options) -> None:
    from .nlp.embed import load_encoder, use_backend

    use_backend(options.embed_backend)
    load_encoder()


class LocalExecutor:
    """Per-article stages in this process (``workers=1``) or in a pool of worker processes."""

    name = "local"

    def __init__(self, options: Options = DEFAULT, workers: int | None = None):
        self.options = options
        self.workers = resolve_workers(workers if workers is not None else options.workers)
        self._pool = None

    def _ensure_pool(self):
        if self._pool is None:
            import multiprocessing as mp
            from concurrent.futures import ProcessPoolExecutor

            # the ONNX file is exported here once, not raced for by N workers
            from .nlp.embed import load_encoder, use_backend

            use_backend(self.options.embed_backend)
            if self.options.embed_backend.startswith("onnx"):
                try:
                    from .nlp.onnx_model import onnx_file

                    onnx_file(self.options.embed_backend == "onnx-int8")
                except ImportError:
                    load_encoder()
            # spawn, not fork: a forked copy of a process holding PyTorch/ONNX thread pools can hang
            self._pool = ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"),
                                             initializer=_init_worker, initargs=(1, os.getpid()))
            list(self._pool.map(_warm, [self.options] * self.workers))
        return self._pool

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[Result]:
        it = iter(batches)
        if self.workers == 1 or self._pool is None:
            # the first batch runs here: an ingest of one batch never pays for starting workers
            for batch in it:
                yield process_articles(batch, self.options) if batch else ([], [])
                if self.workers > 1:
                    break
        if self.workers == 1:
            return
        try:
            first = next(it)
        except StopIteration:
            return  # nothing beyond the first batch: no pool started
        import itertools

        it = itertools.chain([first], it)
        pool = self._ensure_pool()
        yield from windowed_map(lambda c: pool.submit(process_articles, c, self.options),
                                lambda f: f.result(), it, self.workers, 3 * self.workers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
