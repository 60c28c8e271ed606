"""The relations benchmark: its gold file, its matching rules, and (slow, when the shared BASIL
file is present) the figures the issue asks for; and the polarity model's round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.analysis.relations import PREDICATES
from parallax.bench.relations import name_match, rel_match

from .conftest import ROOT, SHARED_DATA

GOLD = ROOT / "data" / "relations_gold.jsonl"


def test_gold_file_is_well_formed():
    recs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    rels = [r for rec in recs for r in rec["relations"]]
    assert len(rels) >= 60
    assert {r["predicate"] for r in rels} <= set(PREDICATES)
    assert any(rec["source"] == "basil" for rec in recs) and any(rec["source"] == "example" for rec in recs)
    for rec in recs:  # BASIL texts are referenced, never copied
        assert set(rec) <= {"source", "id", "sentence", "file", "anchor", "relations"}
        if rec["source"] == "example":
            assert rec["anchor"] in (ROOT / "examples" / rec["file"]).read_text(encoding="utf-8")


def test_matching_rules():
    assert name_match("Obama", ["Barack Obama"]) and name_match("the GNA", ["GNA"])
    assert not name_match("Bill Clinton", ["Hillary Clinton"])
    g = {"subject": "A Land", "predicate": "meets", "object": ["B Land"]}
    assert rel_match(("B Land", "meets", "A Land", False), g)  # meets is symmetric
    g = {"subject": "A Land", "predicate": "supports", "object": ["B Land"]}
    assert not rel_match(("B Land", "supports", "A Land", False), g)  # supports is directed
    assert not rel_match(("A Land", "supports", "B Land", True), g)  # negation must agree


def test_polarity_model_round_trip(tmp_path):
    from parallax.analysis.polarity import PolarityModel, mask, mask_bracketed

    texts = ["[Aland] praised [Bland] warmly", "[Aland] attacked [Bland] bitterly", "[Aland] met [Bland] today",
             "[Aland] was praised by [Bland]", "[Aland] was attacked by [Bland]"] * 6
    labels = [1, 3, 0, 2, 4] * 6
    m = PolarityModel.fit([mask_bracketed(t) for t in texts], labels, prune=0.0)
    m.save(tmp_path / "p.npz")
    m2 = PolarityModel.load(tmp_path / "p.npz")
    s = "Cland praised Dland warmly"
    assert m2.predict([mask(s, (0, 5), (14, 19))]) == m.predict([mask(s, (0, 5), (14, 19))]) == [1]
    assert m2.predict([mask_bracketed("[Cland] attacked [Dland] bitterly")]) == [3]


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_DATA / "basil.jsonl").is_file(), reason="shared BASIL file not present")
def test_relations_bench_reaches_the_bar():
    from parallax.bench import run

    m = run("relations", GOLD, articles=SHARED_DATA / "basil.jsonl")
    assert m["gold_relations"] >= 60
    assert m["f1"] >= 0.75 and m["f1"] > m["baseline_f1"]


def test_polarity_bench_cross_validates(tmp_path, monkeypatch):
    from parallax.bench.polarity import run_polarity
    from tests.test_shipped_models import fake_encode

    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("parallax.analysis.token_states.encode", fake_encode)

    rows = []
    for i in range(40):
        a, b = f"Aland{i}", f"Bland{i}"
        for sent, label in ((f"[{a}] praised [{b}] warmly", 1), (f"[{a}] attacked [{b}] bitterly", 3),
                            (f"[{a}] met [{b}] today", 0)):
            rows.append({"sentence": sent, "label": label, "split": "train" if i < 30 else "valid"})
    data = tmp_path / "ds.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    m = run_polarity(data, cv=3)
    assert m["folds"] == 3 and m["accuracy"] > 0.9 and "macro_f1" in m
    m = run_polarity(data, split="valid")  # the shipped model (fake vectors here), on the valid rows
    assert m["records"] == 30 and m["model"].endswith("polarity.npz") and 0.0 <= m["macro_f1"] <= 1.0


WHOLE = {"dev": ROOT / "data" / "relations_gold_dev.jsonl", "heldout": ROOT / "data" / "relations_gold_heldout.jsonl"}


def test_whole_article_gold_covers_every_sentence_and_ships_no_text():
    events = {}
    for part, path in WHOLE.items():
        recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        by_article: dict[str, list[int]] = {}
        for rec in recs:
            assert set(rec) == {"source", "id", "sentence", "start", "end", "sha1", "relations"}
            assert rec["source"] == "basil" and len(rec["sha1"]) == 10 and 0 <= rec["start"] < rec["end"]
            by_article.setdefault(rec["id"], []).append(rec["sentence"])
            for r in rec["relations"]:
                assert r["predicate"] in PREDICATES and set(r) <= {"subject", "predicate", "object", "negated", "hedged"}
        for sents in by_article.values():  # whole articles: sentences 0..n-1, none skipped
            assert sents == list(range(len(sents)))
        events[part] = {a.rsplit("_", 1)[0] for a in by_article}
        assert len(by_article) >= 8 and sum(len(rec["relations"]) for rec in recs) >= 35
        assert sum(not rec["relations"] for rec in recs) > len(recs) / 2  # sentences with nothing to find
    assert not events["dev"] & events["heldout"]  # split by event


def test_whole_article_gold_checks_the_text_it_points_at(tmp_path):
    from parallax.bench.relations import load_gold
    from parallax.errors import BenchDataError

    text = "Ana Ruiz met Ivo Lenz. They talked."
    basil = tmp_path / "basil.jsonl"
    basil.write_text(json.dumps({"id": "e_1", "outlet": "fox", "title": "", "text": text,
                                 "sentences": [[0, 22], [23, 35]]}) + "\n")
    import hashlib

    rel = {"subject": "Ana Ruiz", "predicate": "meets", "object": "Ivo Lenz"}
    good = {"source": "basil", "id": "e_1", "sentence": 0, "start": 0, "end": 22,
            "sha1": hashlib.sha1(text[:22].encode()).hexdigest()[:10], "relations": [rel]}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(good) + "\n")
    (article, spans), = load_gold(gold, basil)
    assert spans[0][:2] == (0, 22) and article.outlet == "fox"
    gold.write_text(json.dumps({**good, "sha1": "0000000000"}) + "\n")
    with pytest.raises(BenchDataError, match="sha1"):
        load_gold(gold, basil)


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_DATA / "basil.jsonl").is_file(), reason="shared BASIL file not present")
def test_whole_article_relations_beat_the_baseline_and_join_outlets():
    from parallax.bench import run

    dev = run("relations", WHOLE["dev"], articles=SHARED_DATA / "basil.jsonl")
    assert dev["precision"] >= 0.85 and dev["f1"] > dev["baseline_f1"]
    fox_visit = next(v for k, v in dev["cross_outlet"].items() if k.startswith("8abec8d9"))
    assert fox_visit["share"] >= 0.30  # edges several outlets assert are one edge with several outlets
    held = run("relations", WHOLE["heldout"], articles=SHARED_DATA / "basil.jsonl")
    assert held["precision"] >= 0.85 and held["f1"] > held["baseline_f1"]
