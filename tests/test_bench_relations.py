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


def test_polarity_bench_cross_validates(tmp_path):
    from parallax.bench.polarity import run_polarity

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
    m = run_polarity(data)
    assert m["records"] == 30 and m["accuracy"] > 0.9
