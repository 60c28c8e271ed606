"""Ingest from every kind of input into a news database, with one policy for every face.

    ingest_sources(store, ["articles/", "-", "https://example.org/rss.xml"])
      files, folders, globs, ``-`` (JSONL on stdin) -> :func:`ingest_into` (batch engine)
      http(s) URLs (articles, feeds, sitemaps)      -> :func:`poll_sources` (polite fetch, URL
                                                       normalisation, URL map) -> :func:`ingest_into`
      then the recluster-after-first-ingest policy (:func:`maybe_recluster`)

``parallax ingest``, ``parallax watch`` and the web app's ingest page all call these, so a
database fed from the browser gets the same stories as one fed from the command line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from .. import errors
from ..model import Article
from ..options import DEFAULT, Options
from ..store import Store
from .batch import IngestSummary
from .stories import StoryEngine, ingest_into, recluster

__all__ = ["ingest_sources", "live_ingest", "poll_sources", "watch_sources", "maybe_recluster", "split_urls"]


def split_urls(items: Iterable[str | os.PathLike | Article]) -> tuple[list[Any], list[str]]:
    """(files, folders, globs, ``-`` and Articles), (http(s) URLs), each in input order."""
    paths: list[Any] = []
    urls: list[str] = []
    for it in items:
        if isinstance(it, str) and it.lower().startswith(("http://", "https://")):
            urls.append(it)
        else:
            paths.append(it)
    return paths, urls


def maybe_recluster(store: Store, engine: StoryEngine, options: Options = DEFAULT) -> list[dict[str, Any]]:
    """Recluster when this run assigned every independent article in the database (a first
    ingest): the story features are all in memory, so it is cheap, and a new database then does
    not depend on arrival order (its story index has almost no history).  Returns the operations
    done (none when the database had stories before this run).

    Example: ``maybe_recluster(store, engine)`` right after ``ingest_into(store, paths, engine=engine)``"""
    counts = store.counts()
    if engine.assigned and counts["articles"] - counts["near_duplicates"] <= engine.assigned:
        # an ingest engine holds only the recent stories (bounded memory): recluster reads all
        return recluster(store, options, None if getattr(engine, "shared", False) else engine)
    return []


def _merge(summary: IngestSummary, other: IngestSummary) -> IngestSummary:
    for k in ("ingested", "duplicates", "near_duplicates", "failed", "batches"):
        setattr(summary, k, getattr(summary, k) + getattr(other, k))
    summary.failures.extend(other.failures)
    summary.seconds += other.seconds
    return summary


def live_ingest(store: Store, fetcher: Any = None, options: Options = DEFAULT,
                engine: StoryEngine | None = None) -> Any:
    """A :class:`parallax.fetch.LiveIngest` whose fetched articles go through :func:`ingest_into`
    (near-duplicates, stories); keep one per process for repeated polls.

    Example: ``live_ingest(store, Fetcher()).poll([("https://example.org/rss.xml", "example")])``"""
    from ..fetch import LiveIngest

    engine = engine or StoryEngine(store, options, bounded=True)
    return LiveIngest(store, lambda arts: ingest_into(store, arts, options, engine=engine), fetcher, options)


def poll_sources(store: Store, sources: Sequence[str | tuple[str, str]], options: Options = DEFAULT,
                 engine: StoryEngine | None = None, fetcher: Any = None) -> Any:
    """Fetch URLs (articles, feeds, sitemaps; ``(url, outlet)`` pairs or bare URLs) politely and
    ingest the new articles with stories.  URLs are normalised first, so ``?utm_source=..`` and
    ``#top`` variants of one page are one source.  Returns the poll's
    :class:`parallax.fetch.LiveSummary`.

    Example: ``poll_sources(store, ["https://example.org/rss.xml"]).ingest.ingested``"""
    from ..fetch import Fetcher
    from ..fetch.discover import normalise_url

    items = [(normalise_url(s), "") if isinstance(s, str) else (normalise_url(s[0]), s[1]) for s in sources]
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        return live_ingest(store, fetcher, options, engine).poll(items)
    finally:
        if own:
            fetcher.close()


def ingest_sources(store: Store, items: Iterable[str | os.PathLike | Article], options: Options = DEFAULT,
                   progress: Callable[[int], None] | None = None, stdin: IO[str] | None = None,
                   executor: Any = None, engine: StoryEngine | None = None,
                   recluster_first: bool = True) -> IngestSummary:
    """Ingest files, folders, globs, ``-`` (JSONL on ``stdin``), Articles and http(s) URLs, then
    rebuild the stories in input order when the input covers the whole database (a first ingest or
    its re-run after a crash; :mod:`parallax.workflows.rebuild`).

    The one ingest of the CLI (``parallax ingest``) and the web app (``/ingest``).  URL fetch
    errors are counted as failures with the URL as their source.

    Example: ``ingest_sources(open_store("news.db"), ["articles/", "https://example.org/rss.xml"])``"""
    from datetime import datetime, timezone

    started = datetime.now(timezone.utc)
    engine = engine or StoryEngine(store, options, bounded=True)
    paths, urls = split_urls(items)
    summary = IngestSummary()
    if paths:
        summary = ingest_into(store, paths, options, progress=progress, stdin=stdin, engine=engine,
                              executor=executor)
    if urls:
        res = poll_sources(store, urls, options, engine=engine)
        url_summary = res.ingest
        for url, reason in res.errors:
            if not any(f.path == url for f in url_summary.failures):
                url_summary.failures.append(errors.InputError(url, reason))
                url_summary.failed += 1
        url_summary.duplicates += res.known
        url_summary.seconds = max(url_summary.seconds, res.seconds)
        _merge(summary, url_summary)
    if recluster_first:
        # when this run's input holds every independent article of the database (a first
        # ingest, or its re-run after a crash), rebuild the stories from scratch in input order
        # and recluster: the same input then gives the same stories, interrupted or not
        from .rebuild import rebuild_if_covered

        rebuild_if_covered(store, summary.read_ids, options, started=started,
                           stored_by_run=summary.ingested + summary.near_duplicates)
    return summary


def watch_sources(store: Store, sources: list[tuple[str, str]], every: float, options: Options = DEFAULT,
                  max_polls: int | None = None, on_poll: Callable[[int, Any], None] | None = None,
                  min_interval: float = 1.0, sleep: Callable[[float], None] | None = None) -> list[Any]:
    """Poll ``sources`` every ``every`` seconds (``parallax watch``); each poll ingests the new
    articles with stories.  Returns the polls' summaries.

    Example: ``watch_sources(store, [("https://example.org/rss.xml", "example")], 900, max_polls=1)``"""
    import time

    from ..fetch import FetchConfig, Fetcher
    from ..fetch import watch as do_watch
    from ..fetch.discover import normalise_url

    items = [(normalise_url(u), name) for u, name in sources]
    with Fetcher(FetchConfig(min_interval=max(0.0, min_interval))) as fetcher:
        return do_watch(live_ingest(store, fetcher, options), items, every, max_polls=max_polls, on_poll=on_poll, sleep=sleep or time.sleep)
