"""Where pgvector candidate search spends its time: the centroid writes (flush) and the searches
per article, with and without an HNSW index, over the synthetic corpus of the story tests.

    PYTHONPATH=src python tools/pgvector_costs.py postgresql://user@host:port

Creates (and drops) two databases on that server, which needs the pgvector extension."""
import sys, time, uuid
from dataclasses import replace
import psycopg
sys.path.insert(0, ".")
from parallax.options import DEFAULT
from tests.test_story_window import _corpus
from parallax.store import open_store
from parallax.stories.window import WindowedStoryIndex
from parallax.stories.candidates import PgVectorCandidates
from parallax.store.centroids import StoryCentroids
server = sys.argv[1].rstrip("/")
for hnsw in (True, False):
    name = "split_" + uuid.uuid4().hex[:8]
    with psycopg.connect(server + "/postgres", autocommit=True) as c:
        c.execute(f"CREATE DATABASE {name}")
    store = open_store(f"{server}/{name}")
    table, why = StoryCentroids.open(store, 384)
    if hnsw:  # the index the first version had (parallax creates none)
        with store._tx(write=True) as conn:
            from sqlalchemy import text
            conn.execute(text("CREATE INDEX ix_story_centroids_hnsw ON story_centroids "
                              "USING hnsw (centroid vector_cosine_ops)"))
    ann = PgVectorCandidates(table)
    t = {"flush": 0.0, "search": 0.0}
    fl, se = ann.flush, table.nearest_in
    def tf(): 
        a = time.perf_counter(); fl(); t["flush"] += time.perf_counter() - a
    def ts(*a, **k):
        b = time.perf_counter(); r = se(*a, **k); t["search"] += time.perf_counter() - b; return r
    ann.flush, table.nearest_in = tf, ts
    idx = WindowedStoryIndex(replace(DEFAULT, story_memory_days=7), lambda lo, hi: [], ann)
    corpus = _corpus(events=300)
    for k in range(0, len(corpus), 8):
        with store.batch():
            for f in corpus[k:k + 8]:
                idx.assign(f)
            ann.flush()
    n = len(corpus)
    print(f"hnsw={hnsw} articles={n} flush_ms={1000*t['flush']/n:.3f} search_ms={1000*t['search']/n:.3f}", flush=True)
    store.close()
    with psycopg.connect(server + "/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE {name} WITH (FORCE)")
