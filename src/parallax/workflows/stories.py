"""Workflows over a news database: ingest with story assignment, recluster, the story list, one
story's report and timeline, export.

The CLI and the web app call these (through :mod:`parallax.workflows`); they join the store
(:mod:`parallax.store`, the only SQL) with the story engine (:mod:`parallax.stories`) and the
comparison (:mod:`parallax.compare`), none of which knows about the others.  Heavy modules
(spaCy, the sentence model, the story index) are imported inside the functions that need them,
so listing and exporting never load a model.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from typing import IO, Any

from .. import errors
from ..model import Article, Comparison, Story, StoryFlow
from ..options import DEFAULT, Options
from ..store import Store, open_store
from .batch import IngestSummary, ingest

__all__ = ["open_store", "ingest_into", "list_stories", "story_articles", "story_report",
           "story_timeline", "export", "recluster"]


def _runtime_before_usearch(options: Options) -> None:
    """Import ONNX Runtime before the story index loads usearch: in this environment importing
    ``onnxruntime`` after ``usearch`` crashes the process (their bundled native libraries clash;
    reproduced with ``python -c "import usearch.index, onnxruntime"``), and an ingest loads the
    sentence model after the index.  Torch first is safe too, so only the ONNX backends need it."""
    if options.embed_backend.startswith("onnx"):
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            pass


class StoryEngine:
    """The story index of one database, with the story features of the articles it assigned in
    this process (a later ``recluster`` can then split stories without re-parsing)."""

    def __init__(self, store: Store, options: Options = DEFAULT, keep_features: bool = False,
                 bounded: bool = False):
        from ..stories.cluster import StoryIndex
        from ..stories.window import WindowedStoryIndex

        _runtime_before_usearch(options)
        # ``bounded`` (ingest): only the stories near the dates being ingested stay in memory
        # (``Options.story_memory_days``); recluster and the rebuilds read every story.
        self.store, self.shared = store, bounded and options.story_memory_days > 0
        self._looked = _utcnow()
        # pgvector for ingest (shared by drivers); recluster reads every story: in memory, exact
        ann = candidate_index(store, options.story_ann) if bounded else None
        if self.shared:
            self.index = WindowedStoryIndex.start(_all_states(store), lambda lo, hi: _states_by_last(store, lo, hi),
                                                  options, ann)
        else:
            self.index = StoryIndex.load(store.load_story_states(), options, ann)
        # Features are stored with each article (``vectors`` table), so recluster reads them
        # from there; keeping them here too costs ~20 KB per article (2 GB at 100k).
        self.keep_features = keep_features
        self.features: dict[str, Any] = {}
        self.assigned = 0
        self.assign_seconds = 0.0  # time spent in the index itself (for the scaling figures)

    def assign(self, parsed_list: list[Any]) -> dict[str, str]:
        from ..stories.features import story_features

        out = {}
        evict = getattr(self.index, "evict", None)
        if evict is not None:  # between batches: every story in memory has been saved
            evict()
        if self.shared:
            # inside this batch's write transaction (one writer at a time): take in what other
            # drivers sharing the database saved since the last look, then decide against it
            now = _utcnow()
            self.index.refresh(self.store.load_story_states(since=self._looked))
            self._looked = now
        for p in parsed_list:
            f = p.features if p.features is not None else story_features(p)  # computed by the workers
            self.assigned += 1
            if self.keep_features:
                self.features[p.article.id] = f
            t = time.perf_counter()
            out[p.article.id] = self.index.assign(f)
            self.assign_seconds += time.perf_counter() - t
        self.index.ann.flush()  # the centroids commit with this batch's story states
        return out

    def states(self, touched: set[str]) -> list[dict[str, Any]]:
        # a near-duplicate copy joins its original's story, which a bounded index may not hold
        # (left in the database): a copy does not change a story's state, so none is saved
        return [self.index.story_of(sid).to_dict() for sid in touched if sid in self.index]


def candidate_index(store: Store, choice: str = "auto") -> Any:
    """The story index's candidate search for ``store`` (``Options.story_ann``): pgvector
    (:class:`~parallax.stories.candidates.PgVectorCandidates`) when ``choice`` is ``pgvector``, or
    ``auto`` and the store is PostgreSQL with the ``vector`` extension; else None, the local index
    (``auto`` on PostgreSQL says once why).  ``pgvector`` where it cannot be used is an error."""
    if choice == "local" or (choice == "auto" and store.backend != "postgresql"):
        return None
    from ..stories.candidates import PgVectorCandidates
    from ..stories.features import DIM
    from ..store.centroids import StoryCentroids

    table, why = StoryCentroids.open(store, DIM)
    if table is not None:
        return PgVectorCandidates(table)
    if choice == "pgvector":
        raise errors.ParallaxError(f"Options.story_ann is 'pgvector' but {why}")
    if why not in _SAID:
        _SAID.add(why)
        logging.getLogger(__name__).warning("story candidates: local index (%s)", why)
    return None


_SAID: set[str] = set()


# A near-duplicate copy may be published after its story's last independent article and the
# stories table dates a story by every article: a slice is read back with this much slack.
COPY_SLACK_DAYS = 31


def _utcnow() -> Any:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def _all_states(store: Store, page: int = 2000) -> Iterable[dict[str, Any]]:
    """Every story state, a page at a time (never all in memory at once)."""
    after = None
    while True:
        rows = store.load_story_states(after=after, limit=page)
        yield from rows
        if len(rows) < page:
            return
        after = str(rows[-1]["id"])


def _states_by_last(store: Store, lo: int, hi: int) -> list[dict[str, Any]]:
    """States of the stories whose newest article falls on day numbers ``lo``..``hi``."""
    from datetime import date

    iso = lambda d: date.fromordinal(d).isoformat()  # noqa: E731
    return store.load_story_states(last=(iso(lo), iso(hi + 1 + COPY_SLACK_DAYS)))


def ingest_into(store: Store, items: Iterable[str | os.PathLike | Article], options: Options = DEFAULT,
                progress: Callable[[int], None] | None = None, stdin: IO[str] | None = None,
                engine: StoryEngine | None = None, executor: Any = None) -> IngestSummary:
    """Ingest files/folders/globs/``-`` into ``store`` and assign every new article to a story.

    The story index is restored from the database, so assignment continues where the last
    ingest stopped; the touched stories' states are committed with each batch.  ``executor``
    (:mod:`parallax.workers`: local processes or Ray) runs the per-article stages; by default
    ``options.workers`` local processes.

    Example: ``ingest_into(open_store("news.db"), ["articles/", "dump.jsonl"]).ingested``"""
    from ..workers import LocalExecutor

    engine = engine or StoryEngine(store, options, bounded=True)
    own = executor is None
    executor = executor or LocalExecutor(options)
    try:
        return ingest(store, items, options, progress=progress, assign=engine.assign,
                      story_states=engine.states, stdin=stdin, analyse=executor.map)
    finally:
        if own:
            executor.close()


def list_stories(store: Store, outlet: str | None = None, since: str | None = None,
                 language: str | None = None) -> list[Story]:
    """Stories newest first (``parallax stories``): title, date span, outlets, languages, article
    count; ``language`` (ISO 639-1) keeps stories with an article in that language.

    Example: ``[s.title for s in list_stories(store, outlet="nyt", since="2024-01-01", language="en")]``"""
    return [Story(id=r["id"], title=r["title"] or "", first_published=r["first_published"] or "",
                  last_published=r["last_published"] or "", n_articles=r["n_articles"], outlets=r["outlets"],
                  languages=r.get("languages", []))
            for r in store.stories(outlet=outlet, since=since, language=language)]


def story_articles(store: Store, story_id: str, copies: bool = True) -> list[Article]:
    """The stored articles of a story (with their annotations), oldest first; ``copies=False``
    leaves near-duplicate copies out.

    Example: ``[a.outlet for a in story_articles(store, "s000012")]``"""
    rows = store.articles_of_story(story_id)
    if not rows:
        raise errors.ParallaxError(f"no story {story_id!r} in {store.url}")
    arts = [store.get_article(r["id"]) for r in rows]
    return [a for a in arts if a is not None and (copies or not a.near_duplicate_of)]


def story_report(store: Store, story_id: str, options: Options = DEFAULT) -> Comparison:
    """The foundation's comparison for one story (near-duplicate copies left out: they add no
    independent coverage and would only duplicate every fact).  Built from the stored
    annotations: the articles are only re-parsed (cached by text hash) for alignment and conflict
    spans, and their stored sentence vectors seed the embedding cache.

    Example: ``story_report(store, "s000012").to_dict()``"""
    from ..compare import compare

    arts = story_articles(store, story_id, copies=False)
    have = _prime(store, arts, options)
    comparison = compare(arts, options)
    # a first comparison of these articles: keep their sentence vectors for the next one (after
    # the comparison, so the sentences it embedded as claims come from the cache, not the model)
    _store_sentence_vectors(store, arts, have, options)
    return comparison


def _store_sentence_vectors(store: Store, arts: list[Article], have: set[str], options: Options) -> None:
    """Embed the body sentences of ``arts`` not in ``have`` (one batch) and keep them."""
    from ..nlp.embed import embed, load_encoder

    todo = [a for a in arts if a.id not in have]
    body = {a.id: [s.text for s in a.sentences if s.kind == "body"] for a in todo}
    texts = [t for ts in body.values() for t in ts]
    if not texts:
        return
    vecs = embed(texts)
    rows, k = [], 0
    for a in todo:
        n = len(body[a.id])
        rows.append((a.id, vecs[k:k + n]))
        k += n
    try:
        store.set_sentence_vectors(rows, load_encoder().name)
    except Exception:  # noqa: BLE001 - a read-only database: compare anyway, store nothing
        pass


def _prime(store: Store, arts: list[Article], options: Options) -> set[str]:
    """Seed the embedding cache with the stored sentence vectors of ``arts`` (same backend only);
    returns the ids of the articles whose vectors were stored."""
    from ..nlp.embed import remember, use_backend

    use_backend(options.embed_backend)
    have: set[str] = set()
    by_id = {a.id: a for a in arts}
    for aid, row in store.get_vectors(by_id).items():
        body = [s.text for s in by_id[aid].sentences if s.kind == "body"]
        vecs = row.get("sentences")
        if row.get("model") == options.embed_backend and vecs is not None and len(vecs) == len(body):
            remember(body, vecs)
            have.add(aid)
    return have


def prime_embeddings(store: Store, arts: list[Article], options: Options = DEFAULT) -> int:
    """Seed the embedding cache with the sentence vectors stored at ingest (same backend only),
    so a story's comparison embeds only what ingest did not: claims and titles; articles without
    stored vectors get theirs embedded and stored now.  Returns the number of sentences primed."""
    have = _prime(store, arts, options)
    _store_sentence_vectors(store, arts, have, options)
    return sum(1 for a in arts if a.id in have for s in a.sentences if s.kind == "body")


def story_timeline(store: Store, story_id: str) -> StoryFlow:
    """Who published the story first and who copied whom (stored metadata and links only).

    Example: ``story_timeline(store, "s12").first_outlet``"""
    from ..stories.flow import story_flow

    return story_flow(story_id, story_articles(store, story_id))


EXPORT_FIELDS = ("id", "outlet", "title", "url", "published", "story_id", "near_duplicate_of", "text")


def export(store: Store, fmt: str, out: IO[str] | str) -> int:
    """Write every stored article as ``jsonl`` (full records) or ``csv`` (metadata and text) or
    ``parquet`` (needs pyarrow).  Returns the number of articles written.

    Example: ``export(store, "csv", open("articles.csv", "w", newline=""))``"""
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


def stored_features(store: Store, ids: Iterable[str], options: Options = DEFAULT) -> dict[str, Any]:
    """Story features of stored articles: from the ``vectors`` table (same embedding backend),
    else by re-analysing the articles."""
    from ..stories.features import StoryFeatures
    from ..workers import process_articles

    ids = list(dict.fromkeys(ids))
    feats: dict[str, Any] = {}
    for k in range(0, len(ids), 1000):
        for aid, row in store.get_vectors(ids[k:k + 1000]).items():
            if row.get("model") == options.embed_backend and row.get("lead") is not None:
                feats[aid] = StoryFeatures(aid, row.get("published"), row["lead"].tolist(),
                                           dict(row.get("terms") or {}), row.get("title") or "")
    missing = [aid for aid in ids if aid not in feats]
    for k in range(0, len(missing), 256):
        arts = list(store.iter_articles(ids=missing[k:k + 256]))
        for p in process_articles(arts, options)[0]:
            feats[p.article.id] = p.features
    return feats


def recluster(store: Store, options: Options = DEFAULT, engine: StoryEngine | None = None) -> list[dict[str, Any]]:
    """Merge stories that turned out to report one event and split off members that do not fit
    their story; returns the operations done.  Story features come from the ``vectors`` table
    (stored at ingest), else from re-analysing the stored articles.

    Example: ``for op in recluster(open_store("news.db")): print(op)``"""
    engine = engine or StoryEngine(store, options)
    index = engine.index
    before = {s.id: set(s.articles) for s in index.states()}
    members = [aid for ids in before.values() for aid in ids]
    feats: dict[str, Any] = dict(engine.features)  # local: freed when the recluster is done
    # story features stored at ingest (same embedding backend) spare a re-parse
    feats.update(stored_features(store, [aid for aid in members if aid not in feats], options))
    ops = index.recluster({aid: feats[aid] for aid in members if aid in feats})
    after = index.states()
    mapping = {aid: s.id for s in after for aid in s.articles}
    # near-duplicate copies follow their original into its new story
    for copy, original in store.near_duplicate_links().items():  # ids only: no article is read
        if original in mapping:
            mapping[copy] = mapping[original]
    with store.batch():
        index.ann.flush()
        store.set_stories(mapping)
        store.save_story_states(after)
        store.delete_story_states(set(before) - {s.id for s in after})
    if ops and store.backend == "postgresql" and options.story_ann != "local":
        candidate_index(store, options.story_ann)  # brings story_centroids up to date
    return ops
