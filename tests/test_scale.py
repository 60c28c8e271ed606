"""Speed and scale: embedding backends, worker processes, the Ray engine, the growth bench.

The parity tests ingest one small corpus (the two reference articles, five quake reports and a
wire copy) with a batch size of 2, so the parallel paths really hand batches to other processes,
and assert the very stories and annotations of the single-process run.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from parallax.model import Article
from parallax.options import DEFAULT
from parallax.workers import windowed_map

from .test_cluster import QUAKE_A, QUAKE_B

ROOT = Path(__file__).resolve().parents[1]
HAS_RAY = importlib.util.find_spec("ray") is not None


def corpus() -> list[Article]:
    from parallax.ingest import read_file

    arts = [read_file(str(ROOT / "examples" / f))[0][0] for f in ("zerohedge.txt", "rt.txt")]
    dates = ["2023-03-07", "2023-03-07", "2023-03-08", "2023-03-11", "2023-03-11"]
    for (title, text), day, outlet in zip(QUAKE_A + QUAKE_B, dates, ["A", "B", "C", "A", "B"]):
        arts.append(Article.new(text, title=title, published=day, outlet=outlet))
    # a wire copy with a changed last line: a near-duplicate of the first quake report
    copy_text = QUAKE_A[0][1].replace("Rescuers in Bener Meriah", "Rescue teams in Bener Meriah")
    arts.append(Article.new(copy_text, title=QUAKE_A[0][0], published="2023-03-07", outlet="D"))
    return arts


def _ingest(tmp_path: Path, name: str, executor_kind: str, workers: int):
    from parallax.workflows import ingest_into
    from parallax.store import open_store
    from parallax.engines import make_executor

    options = replace(DEFAULT, batch_size=2, workers=workers)
    store = open_store(tmp_path / f"{name}.db")
    arts = corpus()
    with make_executor(executor_kind, options, workers=workers) as ex:
        summary = ingest_into(store, arts, options, executor=ex)
    stories = store.story_of(a.id for a in arts)
    stored = {a.id: store.get_article(a.id).to_dict() for a in arts}
    store.close()
    return summary, stories, stored


def _partition(stories: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for aid, sid in stories.items():
        groups.setdefault(sid, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


# --- pure ----------------------------------------------------------------------------------------


def test_windowed_map_keeps_input_order_and_bounds_the_window():
    in_flight = []
    peak = [0]

    def submit(chunk):
        in_flight.append(chunk)
        peak[0] = max(peak[0], len(in_flight))
        return chunk

    def collect(chunk):
        in_flight.remove(chunk)
        return ([f"done-{a}" for a in chunk], [])

    read = []

    def batches():
        for k in range(7):
            read.append(k)
            yield [k * 10 + i for i in range(5)] if k != 3 else []

    out = list(windowed_map(submit, collect, batches(), split=2, window=3))
    assert [r[0] for r in out] == [[f"done-{k * 10 + i}" for i in range(5)] if k != 3 else [] for k in range(7)]
    assert peak[0] <= 4  # the window (3) plus at most one batch's extra chunks
    assert read == list(range(7))


def test_input_error_survives_pickling():
    import pickle

    from parallax.errors import InputError

    err = pickle.loads(pickle.dumps(InputError("a.html", "binary file")))
    assert isinstance(err, InputError) and err.path == "a.html" and str(err) == "a.html: binary file"


def test_unknown_engine_is_a_clean_error():
    from parallax.errors import ParallaxError
    from parallax.engines import make_executor

    with pytest.raises(ParallaxError, match="unknown engine"):
        make_executor("spark")


# --- models ----------------------------------------------------------------------------------------

SENTENCES = [
    "Russia has sent fighter jets to Libya to support Khalifa Haftar's forces, the US military said.",
    "The Libyan interior minister asked Washington to set up a military base in the country.",
    "A magnitude 6.1 earthquake struck Aceh province on Tuesday.",
    "Shares rose.",
    "“We will not accept foreign mercenaries on our soil,” he told reporters in Tripoli on Friday, "
    "adding that talks in Moscow had failed and that the ceasefire was over.",
]


@pytest.mark.slow
def test_onnx_backends_match_pytorch():
    from parallax.nlp.embed import load_encoder

    ref = load_encoder("torch").encode(SENTENCES)
    fp32 = load_encoder("onnx").encode(SENTENCES)
    int8 = load_encoder("onnx-int8").encode(SENTENCES)
    assert fp32.shape == ref.shape == (len(SENTENCES), 384)
    assert np.allclose(np.linalg.norm(fp32, axis=1), 1.0, atol=1e-4)
    assert (fp32 * ref).sum(1).min() > 0.9999  # the same network: the same vectors
    assert (int8 * ref).sum(1).mean() > 0.97  # quantised: close, not equal
    # order inside a batch never changes a vector (batches are sorted by length internally)
    again = load_encoder("onnx").encode(list(reversed(SENTENCES)))[::-1]
    assert np.allclose(again, fp32, atol=1e-5)


# --- parity --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    return _ingest(tmp_path_factory.mktemp("single"), "single", "local", 1)


@pytest.mark.slow
def test_single_process_baseline_is_sane(single):
    summary, stories, stored = single
    assert summary.ingested == 7 and summary.near_duplicates == 1 and summary.failed == 0
    parts = _partition(stories)
    assert len(parts) >= 3  # Libya, and the two quakes at least
    ids = [a.id for a in corpus()]
    libya = {ids[0], ids[1]}
    assert all(not (p & libya) or p <= libya for p in parts)  # never mixed with a quake
    assert any({ids[2], ids[3], ids[4], ids[7]} <= p for p in parts)  # Aceh, its wire copy included


@pytest.mark.slow
def test_worker_processes_give_the_single_process_result(single, tmp_path):
    summary, stories, stored = _ingest(tmp_path, "workers", "local", 2)
    assert (summary.ingested, summary.near_duplicates, summary.failed) == (
        single[0].ingested, single[0].near_duplicates, single[0].failed)
    assert _partition(stories) == _partition(single[1])
    assert stored == single[2]  # every annotation, field by field


@pytest.mark.slow
@pytest.mark.skipif(not HAS_RAY, reason="ray not installed (pip install 'parallax-news[ray]')")
def test_ray_engine_gives_the_single_process_result(single, tmp_path):
    summary, stories, stored = _ingest(tmp_path, "ray", "ray", 2)
    assert (summary.ingested, summary.near_duplicates, summary.failed) == (
        single[0].ingested, single[0].near_duplicates, single[0].failed)
    assert _partition(stories) == _partition(single[1])
    assert stored == single[2]


@pytest.mark.slow
def test_cli_ingest_with_workers_and_bad_engine(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for k, (title, text) in enumerate(QUAKE_A + QUAKE_B):
        (folder / f"{k}.txt").write_text(f"{title}\n\n{text}", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01binary\x00")
    db = tmp_path / "n.db"
    cmd = [sys.executable, "-m", "parallax.cli", "ingest", str(db), str(folder), "--workers", "2",
           "--batch-size", "2", "--json"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert res.returncode == 1, res.stderr  # one bad file: reported, the rest stored
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert summary["ingested"] == 5 and summary["failed"] == 1
    assert "bad.txt" in res.stderr
    bad = subprocess.run([sys.executable, "-m", "parallax.cli", "ingest", str(db), str(folder),
                          "--engine", "spark"], capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and "unknown engine" in bad.stderr and "Traceback" not in bad.stderr


# --- benches ----------------------------------------------------------------------------------------------


@pytest.fixture()
def tiny_jsonl(tmp_path):
    path = tmp_path / "tiny.jsonl"
    rows = [{"title": t, "text": x, "date": "2023-03-07", "outlet": "o"} for t, x in QUAKE_A + QUAKE_B]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


@pytest.mark.slow
def test_bench_speed_reports_throughput_memory_and_size(tiny_jsonl):
    from parallax.bench.speed import run_speed

    res = run_speed(tiny_jsonl, None, workers=1)
    assert res["articles"] == 5 and res["workers"] == 1
    assert res["ratio"] > 0 and res["articles_per_s"] > 0
    assert res["peak_rss_mb"] > 100  # spaCy and the sentence model are resident
    assert res["db_bytes_per_article"] > 1000
    json.dumps(res)


@pytest.mark.slow
def test_bench_speed_scale_reports_growth(tiny_jsonl):
    from parallax.bench.speed import run_speed

    res = run_speed(tiny_jsonl, None, scale=200)
    assert res["n"] == 200 and res["stored"] == 200  # synthesised copies are not near-duplicates
    assert res["stories"] >= 2 * 200 // 5  # copies of the two events never merge across copies
    for key in ("assign_ms_first1k", "assign_ms_last10pct", "commit_articles_per_s", "peak_rss_mb",
                "db_bytes_per_article"):
        assert res[key] > 0


def test_near_duplicate_index_finds_copies_across_merges(monkeypatch):
    """The compact LSH gives the same answers before and after its pending entries are merged."""
    from parallax.stories import dedupe

    monkeypatch.setattr(dedupe, "MERGE_EVERY", 3)
    rng = np.random.default_rng(7)
    idx = dedupe.NearDuplicateIndex()
    originals = {}
    for k in range(40):
        sig = [int(x) for x in rng.integers(0, 2**32 - 1, dedupe.NUM_PERM)]
        assert idx.add_signature(f"a{k}", sig) is None  # random signatures copy nothing
        originals[f"a{k}"] = sig
    assert len(idx._keys) > 0 and len(idx) == 40  # merges happened
    for k in (0, 17, 39):
        copy = list(originals[f"a{k}"])
        for j in range(0, 40, 4):  # 10 of 128 values edited: Jaccard ~0.92
            copy[j] = (copy[j] + 1) % 2**32
        assert idx.find("new", copy) == f"a{k}"
        assert idx.add_signature(f"c{k}", copy) == f"a{k}"
    # a copy of a copy resolves to the root original
    assert idx.add_signature("cc0", [*originals["a0"][:120], *([0] * 8)]) == "a0"
    half = [*originals["a5"][:50], *[int(x) for x in rng.integers(0, 2**32 - 1, 78)]]
    assert idx.find("x", half) is None  # Jaccard ~0.39: below the 0.5 threshold


def test_near_duplicate_memory_follows_the_news_rate():
    """With ``memory_days`` the index forgets articles published long before the newest one,
    reclaims their rows, and still finds copies of the ones it holds."""
    from parallax.stories import dedupe

    rng = np.random.default_rng(11)
    idx = dedupe.NearDuplicateIndex(memory_days=30)
    sigs = {}
    for k in range(3000):  # one article a day for 3000 days
        sigs[k] = [int(x) for x in rng.integers(0, 2**32 - 1, dedupe.NUM_PERM)]
        idx.add_signature(f"a{k}", sigs[k], day=700_000 + k)
        idx.evict()
    assert len(idx) <= 32  # the last 30 days (and the newest), not 3000
    assert len(idx._ids) <= 2 * 1024 + 32 and len(idx._sigs) <= 4 * 1024  # rows reclaimed
    assert idx.evicted == 3000 - len(idx)
    copy = list(sigs[2990])
    copy[0] ^= 1
    assert idx.find("new", copy) == "a2990"  # held: found
    old = list(sigs[100])
    old[0] ^= 1
    assert idx.find("new", old) is None  # forgotten: new coverage now
    assert "a100" not in idx and "a2990" in idx
    undated = dedupe.NearDuplicateIndex(memory_days=30)
    undated.add_signature("u", sigs[0])
    undated.add_signature("d", sigs[1], day=800_000)
    undated.evict()
    assert "u" in undated  # undated articles are never forgotten


def test_ingest_reads_back_only_recent_signatures(tmp_path):
    """A restarted ingest rebuilds its near-duplicate index from the recent articles only, and a
    copy of a recent article is still linked across the restart."""
    import dataclasses
    import json as _json

    from parallax.model import Article
    from parallax.options import DEFAULT
    from parallax.store import open_store
    from parallax.workflows.batch import ingest

    def assign(parsed):
        return {p.article.id: "s-" + p.article.id[:6] for p in parsed}

    words = "harbour council budget ferry strike museum tunnel clinic vaccine drought".split()
    rng = np.random.default_rng(3)
    texts = [" ".join(rng.choice(words, 60)) + f" number {i}." for i in range(3)]
    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(_json.dumps({"text": t, "outlet": "o", "date": d})
                               for t, d in zip(texts, ["2020-01-01", "2024-03-01", "2024-03-20"])) + "\n")
    opts = dataclasses.replace(DEFAULT, neardup_memory_days=30)
    db = tmp_path / "n.db"
    with open_store(db) as store:
        ingest(store, [first], opts, assign=assign)
        assert store.newest_published().startswith("2024-03-20")
        held = [row[0] for row in store.iter_signatures(since="2024-02-19")]
        assert Article.new(texts[0]).id not in held and len(held) == 2
    later = tmp_path / "later.jsonl"
    later.write_text(_json.dumps({"text": texts[1] + " Updated.", "outlet": "p", "date": "2024-03-21"}) + "\n")
    with open_store(db) as store:
        summary = ingest(store, [later], opts, assign=assign)
        assert summary.near_duplicates == 1


def test_growth_dates_never_pass_the_calendar():
    """A million synthesised articles from a file spanning years stay inside the calendar (a
    250k run once died on 'year 10000 is out of range')."""
    from datetime import date

    from parallax.bench.growth import LAST_DAY, copy_shift

    span, newest = 3300, date(2019, 12, 31).toordinal()
    shifts = [copy_shift(k, span, newest) for k in range(0, 1_000_000 // 200)]
    assert max(shifts) + newest <= LAST_DAY
    assert shifts[:3] == [0, span, 2 * span]  # one span apart, as before, while there is room
    assert min(shifts[1:]) == 0 and len(set(shifts)) > 100  # then the dates start again
