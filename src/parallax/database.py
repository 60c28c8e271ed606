"""Workflows over a news database: ingest with story assignment, stories, one story's report.

The CLI and the web app call these; they join the store (:mod:`parallax.store`, the only SQL)
with the story engine (:mod:`parallax.stories`) and the comparison (:mod:`parallax.compare`),
none of which knows about the others.
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Callable, Iterable
from typing import IO, Any

from . import errors
from .compare import compare
from .model import Article, Comparison, Story, StoryFlow
from .options import DEFAULT, Options
from .stories.cluster import StoryIndex
from .stories.features import story_features
from .stories.flow import story_flow
from .store import Store, open_store
from .store.ingest import IngestSummary, ingest

__all__ = ["open_store", "ingest_into", "list_stories", "story_articles", "story_report",
           "story_timeline", "export", "recluster"]


class StoryEngine:
    """The story index of one database, with the story features of the articles it assigned in
    this process (a later ``recluster`` can then split stories without re-parsing)."""

    def __init__(self, store: Store, options: Options = DEFAULT):
        self.index = StoryIndex.load(store.load_story_states(), options)
        self.features: dict[str, Any] = {}
        self.assign_seconds = 0.0  # time spent in the index itself (for the scaling figures)

    def assign(self, parsed_list: list[Any]) -> dict[str, str]:
        out = {}
        for p in parsed_list:
            f = story_features(p)
            self.features[p.article.id] = f
            t = time.perf_counter()
            out[p.article.id] = self.index.assign(f)
            self.assign_seconds += time.perf_counter() - t
        return out

    def states(self, touched: set[str]) -> list[dict[str, Any]]:
        return [self.index.story_of(sid).to_dict() for sid in touched]


def ingest_into(store: Store, items: Iterable[str | os.PathLike | Article], options: Options = DEFAULT,
                progress: Callable[[int], None] | None = None, stdin: IO[str] | None = None,
                engine: StoryEngine | None = None) -> IngestSummary:
    """Ingest files/folders/globs/``-`` into ``store`` and assign every new article to a story.

    The story index is restored from the database, so assignment continues where the last
    ingest stopped; the touched stories' states are committed with each batch."""
    engine = engine or StoryEngine(store, options)
    return ingest(store, items, options, progress=progress, assign=engine.assign,
                  story_states=engine.states, stdin=stdin)


def list_stories(store: Store, outlet: str | None = None, since: str | None = None) -> list[Story]:
    return [Story(id=r["id"], title=r["title"] or "", first_published=r["first_published"] or "",
                  last_published=r["last_published"] or "", n_articles=r["n_articles"], outlets=r["outlets"])
            for r in store.stories(outlet=outlet, since=since)]


def story_articles(store: Store, story_id: str, copies: bool = True) -> list[Article]:
    """The stored articles of a story (with their annotations), oldest first."""
    rows = store.articles_of_story(story_id)
    if not rows:
        raise errors.ParallaxError(f"no story {story_id!r} in {store.url}")
    arts = [store.get_article(r["id"]) for r in rows]
    return [a for a in arts if a is not None and (copies or not a.near_duplicate_of)]


def story_report(store: Store, story_id: str, options: Options = DEFAULT) -> Comparison:
    """The foundation's comparison for one story (near-duplicate copies left out: they add no
    independent coverage and would only duplicate every fact)."""
    return compare(story_articles(store, story_id, copies=False), options)


def story_timeline(store: Store, story_id: str) -> StoryFlow:
    return story_flow(story_id, story_articles(store, story_id))


EXPORT_FIELDS = ("id", "outlet", "title", "url", "published", "story_id", "near_duplicate_of", "text")


def export(store: Store, fmt: str, out: IO[str] | str) -> int:
    """Write every stored article as ``jsonl`` (full records) or ``csv`` (metadata and text) or
    ``parquet`` (needs pyarrow).  Returns the number of articles written."""
    arts = store.iter_articles()
    n = 0
    if fmt == "jsonl":
        for a in arts:
            out.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")  # type: ignore[union-attr]
            n += 1
    elif fmt == "csv":
        w = csv.writer(out)  # type: ignore[arg-type]
        w.writerow(EXPORT_FIELDS)
        for a in arts:
            w.writerow([getattr(a, f) for f in EXPORT_FIELDS])
            n += 1
    elif fmt == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise errors.ParallaxError("parquet export needs pyarrow: pip install pyarrow") from None
        rows = [{f: getattr(a, f) for f in EXPORT_FIELDS} for a in arts]
        pq.write_table(pa.Table.from_pylist(rows), out)
        n = len(rows)
    else:
        raise errors.ParallaxError(f"unknown export format {fmt!r}; choose jsonl, csv or parquet")
    return n


def recluster(store: Store, options: Options = DEFAULT, engine: StoryEngine | None = None) -> list[dict[str, Any]]:
    """Merge stories that turned out to report one event and split off members that do not fit
    their story; returns the operations done.  Story features come from ``engine`` when it
    assigned the articles in this process, else from re-analysing the stored articles."""
    from .pipeline import run

    engine = engine or StoryEngine(store, options)
    index = engine.index
    before = {s.id: set(s.articles) for s in index.states()}
    members = [aid for ids in before.values() for aid in ids]
    missing = [aid for aid in members if aid not in engine.features]
    for k in range(0, len(missing), 256):
        arts = list(store.iter_articles(ids=missing[k:k + 256]))
        for p in run(arts, options):
            engine.features[p.article.id] = story_features(p)
    ops = index.recluster({aid: engine.features[aid] for aid in members if aid in engine.features})
    after = index.states()
    mapping = {aid: s.id for s in after for aid in s.articles}
    # near-duplicate copies follow their original into its new story
    for art in store.iter_articles():
        if art.near_duplicate_of in mapping:
            mapping[art.id] = mapping[art.near_duplicate_of]
    with store.batch():
        store.set_stories(mapping)
        store.save_story_states(after)
        store.delete_story_states(set(before) - {s.id for s in after})
    return ops
