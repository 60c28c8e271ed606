"""Bounded story memory: the windowed index assigns exactly as the unbounded one, holds only the
stories near the dates being ingested, and reads older ones back from the database."""

from __future__ import annotations

import random
import zlib
from dataclasses import replace
from datetime import date, timedelta

import numpy as np

from parallax.model import Article
from parallax.options import DEFAULT
from parallax.workflows.stories import _runtime_before_usearch

_runtime_before_usearch(DEFAULT)  # ONNX Runtime before usearch (they crash the other way round)

from parallax.stories import StoryFeatures, StoryIndex  # noqa: E402
from parallax.stories.features import DIM, day_number  # noqa: E402
from parallax.stories.window import WindowedStoryIndex  # noqa: E402

START = date(2023, 1, 2)


def _corpus(events: int = 40, seed: int = 3) -> list[StoryFeatures]:
    """Events a few days apart, 2-5 reports each within 3 days, then a few late (out-of-order)
    reports of early events; names and numbers of an event are its own."""
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    out, late = [], []
    for e in range(events):
        centre = nrng.normal(size=DIM)
        centre /= np.linalg.norm(centre)
        day0 = START + timedelta(days=3 * e)
        kind = ["quake", "vote", "strike", "flood"][e % 4]
        for k in range(rng.randint(2, 5)):
            v = centre + nrng.normal(scale=0.25 / np.sqrt(DIM), size=DIM)
            v /= np.linalg.norm(v)
            terms = {f"e:place{e}": 3.0, f"e:person{e}": 2.0, f"n:{100 + e}": 1.0, f"l:{kind}": 2.0,
                     "l:say": 1.0, f"l:word{rng.randint(0, 30)}": 1.0}
            day = (day0 + timedelta(days=rng.randint(0, 2))).isoformat()
            f = StoryFeatures(f"a{e:03d}-{k}", day, v.astype(np.float32).tolist(), terms, f"{kind} {e}")
            (late if e < 6 and k == 0 else out).append(f)
    # the first reports of six early events arrive after everything else (a back-fill)
    return out + late


def _partition(states) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in states}


def _articles(corpus: list[StoryFeatures]) -> list[Article]:
    return [replace(Article.new(f"text of {f.article_id} " * 20, title=f.title, published=f.published,
                                outlet="t"), id=f.article_id) for f in corpus]


def _analyser(feats: dict[str, StoryFeatures]):
    """The workers' part, replaced: each article comes back with its synthetic features and a
    signature of its own (no near-duplicates)."""
    from parallax.workers import Processed

    def analyse(batches):
        for batch in batches:
            yield [Processed(a, feats[a.id], [zlib.crc32(f"{a.id}/{i}".encode()) for i in range(128)])
                   for a in batch], []
    return analyse


def _stored_partition(url) -> set[frozenset[str]]:
    from parallax.store import open_store

    store = open_store(url)
    groups: dict[str, set[str]] = {}
    for a in store.iter_articles():
        groups.setdefault(a.story_id, set()).add(a.id)
    states = {s["id"]: set(s["articles"]) for s in store.load_story_states()}
    store.close()
    assert all(states[sid] == ids for sid, ids in groups.items())  # each state lists exactly its articles
    return {frozenset(g) for g in groups.values()}


def test_windowed_index_assigns_as_the_unbounded_one():
    opts = replace(DEFAULT, story_memory_days=7)
    corpus = _corpus()
    full = StoryIndex(opts)
    full_ids = {f.article_id: full.assign(f) for f in corpus}

    saved: dict[str, dict] = {}  # the database: states saved after each batch

    def fetch(lo: int, hi: int):
        return [s for s in saved.values() if s["last"] and lo <= day_number(s["last"]) <= hi]

    win = WindowedStoryIndex(opts, fetch)
    held = []
    win_ids = {}
    for k in range(0, len(corpus), 8):
        win.evict()
        batch = corpus[k:k + 8]
        touched = {f.article_id: win.assign(f) for f in batch}
        win_ids.update(touched)
        for sid in set(touched.values()):
            saved[sid] = win.story_of(sid).to_dict()
        held.append(len(win))
    # same stories (here even the same ids: a story's id comes from its opening article)
    everything = {frozenset(s["articles"]) for s in saved.values()}
    assert len(full) == 40  # one story per event: the late reports found their (evicted) stories
    assert everything == _partition(full.states())
    assert win_ids == full_ids
    assert win.evicted > 0 and win.fetched > 0  # old slices left memory and the back-fill read them back
    assert max(held[:-1]) < len(full) / 2  # memory follows the window, not the corpus


def test_restart_reads_only_undated_stories_and_the_idf_table():
    opts = replace(DEFAULT, story_memory_days=7)
    corpus = _corpus(events=12)
    full = StoryIndex(opts)
    for f in corpus[:30]:
        full.assign(f)
    v = np.random.default_rng(9).normal(size=DIM)
    undated = StoryFeatures("u1", None, (v / np.linalg.norm(v)).tolist(), {"e:elsewhere": 2.0}, "undated")
    full.assign(undated)
    states = [s.to_dict() for s in full.states()]
    win = WindowedStoryIndex.start(states, lambda lo, hi: [], opts)
    assert win._n_docs == 31 and win._df == full._df  # the IDF table of every story
    assert [s.articles for s in win.states()] == [["u1"]]  # only the undated story in memory


def test_ingest_bounded_engine_matches_unbounded(tmp_path):
    """Through the real ingest path and SQLite: story_memory_days=7 and 0 give one partition."""
    from parallax.store import open_store
    from parallax.workflows import StoryEngine
    from parallax.workflows.batch import ingest

    corpus = _corpus(events=24)
    arts, analyse = _articles(corpus), _analyser({f.article_id: f for f in corpus})

    parts = {}
    for days in (0, 7):
        opts = replace(DEFAULT, story_memory_days=days, batch_size=8)
        store = open_store(tmp_path / f"w{days}.db")
        engine = StoryEngine(store, opts, bounded=True)
        ingest(store, arts, opts, assign=engine.assign, story_states=engine.states, analyse=analyse)
        if days:
            assert engine.index.evicted > 0 and engine.index.fetched > 0
        store.close()
        parts[days] = _stored_partition(tmp_path / f"w{days}.db")
    assert parts[0] == parts[7]
    assert len(parts[7]) >= 20


# --- several drivers on one database ----------------------------------------------------------
from tests.test_store import db_url, pg_server  # noqa: E402,F401 - fixtures: both backends, temp PostgreSQL


def _split_corpus():
    """16 events in date order, and a cut inside one event past the middle (its first reports
    before the cut, the rest after)."""
    corpus = sorted(_corpus(events=16)[:-6], key=lambda f: (f.published, f.article_id))
    arts = _articles(corpus)
    event = lambda a: a.id.split("-")[0]  # noqa: E731
    cut = next(i for i in range(len(arts) // 2, len(arts)) if event(arts[i]) == event(arts[i - 1]))
    return corpus, arts, cut


def _ingest_parts(url, halves, opts, feats):
    """Ingest each list of articles with its own driver (own store, own story engine), all at
    once in threads; returns the article partition into stories."""
    import threading

    from parallax.store import open_store
    from parallax.workflows import StoryEngine
    from parallax.workflows.batch import ingest

    errors = []

    def drive(arts):
        try:
            store = open_store(url)
            engine = StoryEngine(store, opts, bounded=True)
            ingest(store, arts, opts, assign=engine.assign, story_states=engine.states, analyse=_analyser(feats))
            store.close()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=drive, args=(h,)) for h in halves]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return _stored_partition(url)


def test_two_drivers_at_once_give_the_stories_of_one(db_url, tmp_path, monkeypatch):
    """Two drivers ingest the two halves of a corpus (split by date, events crossing the split)
    into one database at the same time: the same partition of articles into stories as one
    driver ingesting everything.  Story ids may differ (an id comes from the article that
    opened the story, and which half opened it depends on commit order), so stories are
    compared as sets of article ids."""
    monkeypatch.setenv("PARALLAX_TEST_SLOW_BATCH", "0.05")  # let the two drivers' batches interleave
    opts = replace(DEFAULT, story_memory_days=7, batch_size=4)
    corpus, arts, cut = _split_corpus()
    feats = {f.article_id: f for f in corpus}
    crossing = arts[cut].id.split("-")[0]
    one = _ingest_parts(str(tmp_path / "one.db"), [arts], opts, feats)
    two = _ingest_parts(db_url, [arts[:cut], arts[cut:]], opts, feats)
    assert one == two
    assert any(len({a.split("-")[0] for a in g}) == 1 and next(iter(g)).startswith(crossing) and
               any(a.id in g for a in arts[:cut]) and any(a.id in g for a in arts[cut:]) for g in two)


def test_driver_sees_a_story_another_driver_opened_in_a_slice_it_holds(db_url, tmp_path):
    """The order that needs the refresh: driver A holds the time slice of the split already when
    driver B opens the crossing event's story there; A's next batch (the event's first reports)
    must join B's story, not open a second one."""
    from parallax.store import open_store
    from parallax.workflows import StoryEngine
    from parallax.workflows.batch import ingest

    opts = replace(DEFAULT, story_memory_days=7, batch_size=4)
    corpus, arts, cut = _split_corpus()
    analyse = _analyser({f.article_id: f for f in corpus})

    def partition(url, schedule):
        drivers = {}
        for name, part in schedule:
            if name not in drivers:
                store = open_store(url)
                drivers[name] = (store, StoryEngine(store, opts, bounded=True))
            store, engine = drivers[name]
            ingest(store, part, opts, assign=engine.assign, story_states=engine.states, analyse=analyse)
        for store, _ in drivers.values():
            store.close()
        return _stored_partition(url)

    a_head, a_tail = arts[:cut - 1], arts[cut - 1:cut]  # A's last batch: the event's first report
    one = partition(str(tmp_path / "one.db"), [("one", arts)])
    two = partition(db_url, [("A", a_head), ("B", arts[cut:cut + 4]), ("A", a_tail), ("B", arts[cut + 4:])])
    assert one == two
    crossing = next(g for g in two if arts[cut].id in g)
    assert arts[cut - 1].id in crossing  # one story across the split


def test_new_story_never_takes_the_id_of_an_evicted_one():
    """Story ids come from the opening article's id (12 characters): two openers sharing them,
    months apart, must not give the second story the id of the first, left in the database."""
    opts = replace(DEFAULT, story_memory_days=7)
    win = WindowedStoryIndex(opts, lambda lo, hi: [])
    rng = np.random.default_rng(5)
    ids = []
    for k, day in enumerate(("2023-01-02", "2023-04-03", "2023-07-03")):
        v = rng.normal(size=DIM)
        ids.append(win.assign(StoryFeatures(f"samefirst12c-{k}", day, (v / np.linalg.norm(v)).tolist(),
                                            {f"e:x{k}": 1.0}, f"t{k}")))
        win.evict()
    assert win.evicted == 2 and len(set(ids)) == 3
