"""Story candidates in PostgreSQL with pgvector (``Options.story_ann``): the same stories as the
local index, shared by drivers, and the local index wherever pgvector is missing.

The pgvector server is the PostgreSQL 16 + pgvector bundled in the ``pgserver`` wheel (the
``pgvector`` extra; Debian 12 has no pgvector package), started from its binaries like the Debian
server of tests/test_store.py.  Without pgserver those tests skip; the fallback tests run on
SQLite, and on the Debian server when it is installed.
"""

from __future__ import annotations

import importlib.util
import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from parallax.errors import ParallaxError
from parallax.options import DEFAULT, Options, OptionsError
from tests.test_store import db_url, pg_server, serve_postgres  # noqa: F401 - fixtures
from tests.test_story_window import (_analyser, _articles, _corpus, _ingest_parts, _split_corpus,  # noqa: F401
                                     _stored_partition,
                                     test_driver_sees_a_story_another_driver_opened_in_a_slice_it_holds)


def _pgserver_bindir() -> Path | None:
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    bindir = Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"
    return bindir if (bindir / "initdb").exists() else None


@pytest.fixture(scope="session")
def pgvector_server():
    """URL of a throwaway PostgreSQL server that has the pgvector extension."""
    bindir = _pgserver_bindir()
    if bindir is None:
        pytest.skip("pgserver not installed (pip install -e '.[pgvector]'): it bundles PostgreSQL with "
                    "pgvector, which Debian 12 does not package")
    yield from serve_postgres(bindir)


def _new_db(server: str) -> str:
    import psycopg

    name = "v_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def _ingest(url: str, arts, opts: Options, feats, bounded: bool = True):
    from parallax.store import open_store
    from parallax.workflows import StoryEngine
    from parallax.workflows.batch import ingest

    store = open_store(url)
    engine = StoryEngine(store, opts, bounded=bounded)
    ingest(store, arts, opts, assign=engine.assign, story_states=engine.states, analyse=_analyser(feats))
    store.close()
    return engine


def _centroid_ids(url: str) -> set[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {r[0] for r in conn.execute("SELECT story_id FROM story_centroids")}


def _story_ids(url: str) -> set[str]:
    from parallax.store import open_store

    store = open_store(url)
    try:
        return {s["id"] for s in store.load_story_states()}
    finally:
        store.close()


# --- the option ------------------------------------------------------------------------------------
def test_story_ann_is_validated():
    with pytest.raises(OptionsError, match="story_ann"):
        replace(DEFAULT, story_ann="faiss")
    assert DEFAULT.story_ann in ("auto", "local", "pgvector")


def test_sqlite_uses_the_local_index_and_refuses_pgvector(tmp_path):
    from parallax.store import open_store
    from parallax.stories.candidates import LocalCandidates
    from parallax.workflows import StoryEngine

    store = open_store(tmp_path / "news.db")
    assert isinstance(StoryEngine(store, replace(DEFAULT, story_ann="auto"), bounded=True).index.ann, LocalCandidates)
    with pytest.raises(ParallaxError, match="pgvector.*not PostgreSQL"):
        StoryEngine(store, replace(DEFAULT, story_ann="pgvector"), bounded=True)
    store.close()


def test_postgresql_without_pgvector_falls_back_to_the_local_index(db_url, caplog):
    """The Debian server has no pgvector: ``auto`` says so once and uses the local index."""
    if not db_url.startswith("postgresql"):
        pytest.skip("this case needs PostgreSQL without pgvector (the SQLite one is the test above)")
    import psycopg

    with psycopg.connect(db_url) as conn:
        if conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone():
            pytest.skip("the Debian PostgreSQL server has pgvector installed (Debian 13 packages it)")
    from parallax.store import open_store
    from parallax.stories.candidates import LocalCandidates
    from parallax.workflows import StoryEngine

    store = open_store(db_url)
    with caplog.at_level("WARNING"):
        engine = StoryEngine(store, replace(DEFAULT, story_ann="auto"), bounded=True)
    assert isinstance(engine.index.ann, LocalCandidates)
    with pytest.raises(ParallaxError, match="no pgvector extension"):
        StoryEngine(store, replace(DEFAULT, story_ann="pgvector"), bounded=True)
    store.close()


# --- pgvector ------------------------------------------------------------------------------------
@pytest.mark.parametrize("memory_days", [0, 7])
def test_pgvector_gives_the_stories_of_the_local_index(pgvector_server, memory_days):
    """One corpus (with late, out-of-order reports) ingested with each index into the same kind
    of database: the same partition of articles into stories, every story with its centroid row."""
    from parallax.stories.candidates import LocalCandidates, PgVectorCandidates

    corpus = _corpus(events=24)
    arts, feats = _articles(corpus), {f.article_id: f for f in corpus}
    parts = {}
    for ann in ("local", "pgvector"):
        url = _new_db(pgvector_server)
        opts = replace(DEFAULT, story_memory_days=memory_days, batch_size=8, story_ann=ann)
        engine = _ingest(url, arts, opts, feats)
        want = PgVectorCandidates if ann == "pgvector" else LocalCandidates
        assert isinstance(engine.index.ann, want)
        parts[ann] = _stored_partition(url)
        if ann == "pgvector":
            assert engine.index.ann.queries >= len(arts)  # every article searched the database
            assert _centroid_ids(url) == _story_ids(url)
            if memory_days:
                assert engine.index.evicted > 0 and engine.index.fetched > 0
    assert parts["local"] == parts["pgvector"]
    assert len(parts["pgvector"]) >= 20


def test_recluster_on_pgvector_keeps_the_table_in_step(pgvector_server):
    """Ingest through pgvector, then recluster (every story in memory, searched there): the
    result is the local index's, and the table follows (merged-away stories lose their row)."""
    from parallax.store import open_store
    from parallax.workflows.stories import recluster

    corpus = _corpus(events=12)
    arts, feats = _articles(corpus), {f.article_id: f for f in corpus}
    parts = {}
    for ann in ("local", "pgvector"):
        url = _new_db(pgvector_server)
        # a strict join: events split into fragments that the looser merge then folds together
        opts = replace(DEFAULT, batch_size=8, story_ann=ann, story_join_probability=0.999)
        _ingest(url, arts, opts, feats)
        store = open_store(url)
        before = len(store.load_story_states())
        ops = recluster(store, replace(opts, story_join_probability=0.5))
        store.close()
        parts[ann] = (_stored_partition(url), len(ops))
        if ann == "pgvector":
            assert _centroid_ids(url) == _story_ids(url)
            assert len(_story_ids(url)) < before  # something was merged, so rows were deleted
    assert parts["local"] == parts["pgvector"]


def test_a_database_filled_without_pgvector_is_synced_when_pgvector_starts(pgvector_server):
    """The first half ingested with the local index (no centroid rows written), the second with
    pgvector: opening the table fills it from the saved stories, and the stories are those of one
    local ingest of everything."""
    corpus, arts, cut = _split_corpus()
    feats = {f.article_id: f for f in corpus}
    local = replace(DEFAULT, story_memory_days=7, batch_size=4, story_ann="local")
    url = _new_db(pgvector_server)
    _ingest(url, arts[:cut], local, feats)
    _ingest(url, arts[cut:], replace(local, story_ann="pgvector"), feats)
    assert _centroid_ids(url) == _story_ids(url)
    ref = _new_db(pgvector_server)
    _ingest(ref, arts, local, feats)
    assert _stored_partition(url) == _stored_partition(ref)


def test_two_drivers_share_centroids_through_pgvector(pgvector_server, tmp_path, monkeypatch):
    """Two drivers at once on one pgvector database: the stories of one driver on SQLite."""
    monkeypatch.setenv("PARALLAX_TEST_SLOW_BATCH", "0.05")
    opts = replace(DEFAULT, story_memory_days=7, batch_size=4, story_ann="pgvector")
    corpus, arts, cut = _split_corpus()
    feats = {f.article_id: f for f in corpus}
    one = _ingest_parts(str(tmp_path / "one.db"), [arts], replace(opts, story_ann="local"), feats)
    url = _new_db(pgvector_server)
    two = _ingest_parts(url, [arts[:cut], arts[cut:]], opts, feats)
    assert one == two
    assert _centroid_ids(url) == _story_ids(url)


def test_driver_finds_a_story_another_driver_opened_through_pgvector(pgvector_server, tmp_path, monkeypatch):
    """The interleaving of tests/test_story_window.py, on a pgvector database (``auto`` picks it)."""
    url = _new_db(pgvector_server)
    test_driver_sees_a_story_another_driver_opened_in_a_slice_it_holds(url, tmp_path)
    assert _centroid_ids(url) == _story_ids(url)


@pytest.mark.slow
def test_growth_bench_runs_on_a_pgvector_server(pgvector_server, tmp_path):
    """``bench speed --scale N --store URL``: the same stories as on SQLite, searched through
    pgvector, in a database of its own that is dropped afterwards."""
    import psycopg

    from parallax.bench.speed import run_speed
    from tests.test_cluster import QUAKE_A, QUAKE_B

    path = tmp_path / "tiny.jsonl"
    rows = [{"title": t, "text": x, "date": "2023-03-07", "outlet": "o"} for t, x in QUAKE_A + QUAKE_B]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    lite = run_speed(path, None, scale=120)
    pg = run_speed(path, None, scale=120, store=pgvector_server)
    assert (lite["store"], lite["story_ann"]) == ("sqlite", "LocalCandidates")
    assert (pg["store"], pg["story_ann"]) == ("postgresql", "PgVectorCandidates")
    assert pg["stored"] == lite["stored"] == 120 and pg["stories"] == lite["stories"]
    assert pg["db_bytes_per_article"] > 0
    with psycopg.connect(pgvector_server + "/postgres") as conn:
        left = conn.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'parallax_growth_%'").fetchone()[0]
    assert left == 0
