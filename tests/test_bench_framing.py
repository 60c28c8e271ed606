"""Benchmarks ``bias`` (BABE / BASIL format) and ``propaganda`` (PTC format) on small written
files, with and without cross-validation, and the ``train`` command.  A fake embedding stands in
for MiniLM, so no language model loads."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from parallax.analysis import framing_model as fm
from parallax.bench import TASKS, run
from parallax.cli import app
from tests.test_framing_model import corpus, fake_embed
from tests.test_framing_techniques import _ptc
from tests.test_shipped_models import fake_encode


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("PARALLAX_FRAMING_MODEL", str(tmp_path / "none.joblib"))
    monkeypatch.setenv("PARALLAX_BENCH_EMBED_CACHE", str(tmp_path / "emb.pkl"))
    monkeypatch.setattr("parallax.nlp.embed.embed", fake_embed)
    monkeypatch.setattr("parallax.bench.bias._DISK", None)
    monkeypatch.setattr("parallax.nlp.embed._cache", {})
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path / "cache"))  # the training-vector cache
    monkeypatch.setattr("parallax.training.cache._stores", {})
    monkeypatch.setattr("parallax.analysis.token_states.encode", fake_encode)
    monkeypatch.setattr("parallax.analysis.technique_model._shipped", {"": None})
    monkeypatch.setenv("PARALLAX_RESTRICTED_MODELS", "0")  # these tests score the lexicon and user models
    fm._loaded.clear()
    yield
    fm._loaded.clear()


@pytest.fixture
def babe_file(tmp_path):
    path = tmp_path / "babe.jsonl"
    path.write_text("\n".join(json.dumps({"text": s.text, "label_bias": "Biased" if s.biased else "Non-biased",
                                          "biased_words": list(s.words)}) for s in corpus()) + "\n")
    return path


@pytest.fixture
def ptc_file(tmp_path):
    path = tmp_path / "ptc.jsonl"
    path.write_text("\n".join(json.dumps({"id": str(i), "text": a.text, "spans": [
        {"technique": t, "start": s, "end": e, "text": a.text[s:e]} for t, s, e in a.spans]})
        for i, a in enumerate(_ptc(10))) + "\n")
    return path


def test_tasks_registered():
    assert "bias" in TASKS and "propaganda" in TASKS


def test_bias_shipped_lexicon(babe_file):
    m = run("bias", babe_file)
    assert m["model"] == "shipped lexical detector"
    assert 0.5 < m["macro_f1"] <= 1.0 and 0.0 < m["word_f1"] <= 1.0
    assert m["sentences"] == len(corpus())


def test_bias_cross_validated(babe_file):
    m = run("bias", babe_file, cv=2)
    assert "2-fold" in m["model"]
    assert m["macro_f1"] > 0.8 and m["word_f1"] > 0.3


def test_bias_on_basil_format(tmp_path):
    text = "The mayor opened the bridge.\n\nThe disgraceful mayor told pathetic lies, needless to say."
    s2 = text.index("The disgraceful")
    rec = {"text": text, "sentences": [[0, 28], [s2, len(text)]],
           "spans": [{"bias": "lex", "start": s2 + 4, "end": s2 + 15, "quote": False}]}
    path = tmp_path / "basil.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    m = run("bias", path)
    assert m["basil_lex_recall"] == 1.0 and m["basil_lex_word_recall"] == 1.0
    assert m["basil_flag_outside_rate"] == 0.0


def test_propaganda_rules_and_cv(ptc_file):
    m = run("propaganda", ptc_file)
    assert m["model"].startswith("shipped rules")
    assert m["span_f1_loaded"] > 0.5  # "corrupt" and "thugs" are in the lexicon
    m = run("propaganda", ptc_file, cv=2)
    assert m["span_f1_loaded"] > 0.5 and m["technique_micro_f1"] > 0.5


def test_cli_train_then_bench_uses_it(babe_file, tmp_path, monkeypatch):
    out = tmp_path / "m" / "framing.joblib"
    r = CliRunner().invoke(app, ["train", "framing", "--data", str(babe_file), "--out", str(out),
                                 "--licence", "CC0-1.0"])
    assert r.exit_code == 0, r.output
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["data_licence"] == "CC0-1.0" and card["records"] == len(corpus())
    assert len(card["data_sha256"]) == 64
    monkeypatch.setenv("PARALLAX_FRAMING_MODEL", str(out))
    fm._loaded.clear()
    r = CliRunner().invoke(app, ["bench", "bias", "--data", str(babe_file), "--json"])
    assert r.exit_code == 0, r.output
    assert "installed model" in json.loads(r.output.strip().splitlines()[-1])["model"]


def test_cli_bench_cv_flag(babe_file):
    r = CliRunner().invoke(app, ["bench", "bias", "--data", str(babe_file), "--cv", "2", "--json"])
    assert r.exit_code == 0, r.output
    assert "2-fold" in json.loads(r.output.strip().splitlines()[-1])["model"]


def test_cli_train_rejects_unknown(babe_file):
    r = CliRunner().invoke(app, ["train", "nothing", "--data", str(babe_file)])
    assert r.exit_code == 2


def test_cli_train_techniques(ptc_file, tmp_path):
    out = tmp_path / "t.joblib"
    r = CliRunner().invoke(app, ["train", "techniques", "--data", str(ptc_file), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert json.loads(out.with_suffix(".json").read_text())["data_licence"] == "not stated"
