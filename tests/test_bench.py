"""Benchmark tasks on tiny hand-written JSONL files, plus the real data sets when present."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from parallax.bench import TASKS, run, run_pairs, run_speed
from parallax.bench import pairs as pairs_mod
from parallax.bench.metrics import f1, pearson, prf1, read_jsonl, spearman
from parallax.errors import BenchDataError

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

FLOOD_A = ("Heavy rain flooded the centre of Valencia on Tuesday, killing four people and forcing "
           "hundreds to leave their homes, the regional government said.")
FLOOD_B = ("Four people died and hundreds were evacuated after torrential rain caused flooding in "
           "central Valencia on Tuesday, regional officials said.")
TRAIN_A = ("A high-speed train derailed near Milan early on Thursday, injuring twelve passengers, "
           "Italian railway operator Trenitalia said.")
TRAIN_B = ("Twelve passengers were hurt when a high-speed train came off the rails outside Milan on "
           "Thursday morning, according to Trenitalia.")
CHESS = ("The world chess championship resumed in Singapore with a quiet draw in game seven after "
         "both players avoided risks in the opening.")
BUDGET = ("Parliament approved next year's budget on Friday after a marathon session, with the "
          "opposition voting against the spending plan.")


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def pairs_file(tmp_path) -> Path:
    return write_jsonl(tmp_path / "pairs.jsonl", [
        {"text1": FLOOD_A, "text2": FLOOD_B, "overall": 1.0},
        {"text1": TRAIN_A, "text2": TRAIN_B, "overall": 1.25},
        {"text1": FLOOD_A, "text2": TRAIN_B, "overall": 3.5},
        {"text1": CHESS, "text2": BUDGET, "overall": 4.0},
        {"text1": TRAIN_A, "text2": CHESS, "overall": 4.0},
    ])


@pytest.fixture
def articles_file(tmp_path) -> Path:
    texts = [FLOOD_A, FLOOD_B, TRAIN_A, TRAIN_B, CHESS, BUDGET]
    return write_jsonl(tmp_path / "articles.jsonl", [{"text": t, "outlet": f"o{i}"} for i, t in enumerate(texts)])


# --- metrics ---------------------------------------------------------------------------------


def test_metrics():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0  # undefined -> 0, never NaN
    assert spearman([1, 2, 3, 4], [1, 4, 9, 16]) == pytest.approx(1.0)
    assert f1([True, True, False, False], [True, False, True, False]) == pytest.approx(0.5)
    scores = prf1([True, True, True], [True, True, False])
    assert scores["precision"] == pytest.approx(2 / 3) and scores["recall"] == 1.0
    assert f1([False], [False]) == 0.0
    with pytest.raises(ValueError):
        pearson([1, 2], [1, 2, 3])


def test_read_jsonl_errors(tmp_path):
    with pytest.raises(BenchDataError, match="not found"):
        read_jsonl(tmp_path / "missing.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(BenchDataError, match="no records"):
        read_jsonl(empty)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{not json\n')
    with pytest.raises(BenchDataError, match="line 2"):
        read_jsonl(bad)
    with pytest.raises(BenchDataError, match="missing field"):
        read_jsonl(write_jsonl(tmp_path / "f.jsonl", [{"text1": "a"}]), required=("text1", "text2"))


# --- registry and tasks ----------------------------------------------------------------------


def test_registry():
    assert {"pairs", "speed", "quotes", "cluster"} <= set(TASKS)
    assert TASKS["pairs"] is run_pairs and TASKS["speed"] is run_speed
    with pytest.raises(BenchDataError, match="unknown benchmark task"):
        run("nope", "x.jsonl")


@pytest.mark.slow
def test_pairs_task(pairs_file):
    result = run("pairs", pairs_file)
    assert {"pearson", "spearman", "n", "baseline_minilm_pearson", "seconds"} <= set(result)
    assert result["n"] == 5
    assert 0.7 < result["pearson"] <= 1.0
    assert 0.5 < result["spearman"] <= 1.0
    assert -1.0 <= result["baseline_minilm_pearson"] <= 1.0
    assert result["seconds"] >= 0
    json.dumps(result)  # JSON-serialisable
    assert all(isinstance(v, (int, float)) and math.isfinite(v) for v in result.values())


@pytest.mark.slow
def test_pairs_system_never_sees_gold(tmp_path, pairs_file, monkeypatch):
    seen = []
    real = pairs_mod.pair_similarities

    def spy(pairs):
        seen.append([(a.text, a.title, b.text, b.title) for a, b in pairs])
        return real(pairs)

    monkeypatch.setattr(pairs_mod, "pair_similarities", spy)
    records = [json.loads(line) for line in pairs_file.read_text().splitlines()]
    flipped = write_jsonl(tmp_path / "flipped.jsonl", [{**r, "overall": 5 - r["overall"]} for r in records])
    a = run_pairs(pairs_file, baseline=False)
    b = run_pairs(flipped, baseline=False)
    assert seen[0] == seen[1]
    assert a["pearson"] == pytest.approx(-b["pearson"], abs=1e-3)


def test_pairs_bad_data(tmp_path):
    with pytest.raises(BenchDataError, match="not found"):
        run_pairs(tmp_path / "none.jsonl")
    with pytest.raises(BenchDataError, match="missing field"):
        run_pairs(write_jsonl(tmp_path / "p.jsonl", [{"text1": FLOOD_A, "text2": FLOOD_B}]))
    with pytest.raises(BenchDataError, match="at least 2"):
        run_pairs(write_jsonl(tmp_path / "one.jsonl", [{"text1": FLOOD_A, "text2": FLOOD_B, "overall": 1}]))
    with pytest.raises(BenchDataError, match="numeric"):
        run_pairs(write_jsonl(tmp_path / "g.jsonl", [
            {"text1": FLOOD_A, "text2": FLOOD_B, "overall": "high"},
            {"text1": CHESS, "text2": BUDGET, "overall": 4},
        ]), baseline=False)


@pytest.mark.slow
def test_speed_task(articles_file):
    result = run("speed", articles_file, limit=4)
    assert {"pipeline_words_per_s", "spacy_words_per_s", "ratio", "articles", "words"} <= set(result)
    assert result["articles"] == 4
    assert result["words"] == sum(len(t.split()) for t in (FLOOD_A, FLOOD_B, TRAIN_A, TRAIN_B))
    assert result["spacy_words_per_s"] > 0 and result["pipeline_words_per_s"] > 0
    assert result["ratio"] == pytest.approx(result["pipeline_words_per_s"] / result["spacy_words_per_s"], rel=0.01)
    json.dumps(result)


def test_speed_cpu_seconds_with_one_worker(articles_file):
    result = run("speed", articles_file, limit=2, workers=1)
    assert result["spacy_cpu_seconds"] > 0 and result["pipeline_cpu_seconds"] > 0
    assert result["cpu_ratio"] == pytest.approx(result["spacy_cpu_seconds"] / result["pipeline_cpu_seconds"], rel=0.05)
    assert result["cpu_seconds_per_article"] == pytest.approx(result["pipeline_cpu_seconds"] / 2, rel=0.05, abs=0.001)


def test_speed_bad_data(tmp_path):
    with pytest.raises(BenchDataError, match="not found"):
        run_speed(tmp_path / "none.jsonl")
    with pytest.raises(BenchDataError, match="missing field"):
        run_speed(write_jsonl(tmp_path / "a.jsonl", [{"body": "no text field"}]))
    with pytest.raises(BenchDataError, match="non-empty text"):
        run_speed(write_jsonl(tmp_path / "b.jsonl", [{"text": "   "}]))
    with pytest.raises(BenchDataError, match="limit"):
        run_speed(write_jsonl(tmp_path / "c.jsonl", [{"text": FLOOD_A}]), limit=0)


# --- the real data sets, when this checkout has them -----------------------------------------


def _shared(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path


@pytest.mark.slow
def test_pairs_on_semeval_sample():
    result = run_pairs(_shared("semeval22_pairs.jsonl"))
    assert result["n"] == 161
    assert result["pearson"] >= 0.85
    assert result["pearson"] > result["baseline_minilm_pearson"] - 0.01


@pytest.mark.slow
def test_speed_on_basil():
    result = run_speed(_shared("basil.jsonl"), limit=10, workers=1)
    assert result["articles"] == 10
    assert result["words"] > 1000
    assert 0.0 < result["ratio"] <= 1.5
