"""The shipped (restricted) framing, technique and polarity models: contextual heads train,
predict, save and load; benches score the shipped model and fail clearly on a missing split;
the restricted folder carries cards and can be switched off; attributed statements are never
flagged as the outlet's opinion.  A fake, deterministic encoder stands in for MiniLM."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from parallax.analysis import framing_model as fm
from parallax.analysis import technique_model as tm
from parallax.analysis import token_states
from parallax.analysis.framing import assess_sentences, attributed_ranges, flag_sentences
from parallax.analysis.token_states import Encoded
from parallax.errors import BenchDataError
from tests.test_framing import make_parsed
from tests.test_framing_model import corpus, fake_embed
from tests.test_framing_techniques import _ptc

RESTRICTED = Path(fm.__file__).resolve().parent.parent / "models" / "restricted"


def _vec(word: str) -> np.ndarray:
    rng = np.random.RandomState(int(hashlib.md5(word.lower().encode()).hexdigest()[:8], 16))
    return rng.randn(384).astype(np.float32)


def fake_encode(texts):
    """Deterministic stand-in for ``token_states.encode``: one random vector per word."""
    out = []
    for t in texts:
        words = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", t)]
        hidden = np.stack([_vec(t[a:b]) for a, b in words]) if words else np.zeros((0, 384), np.float32)
        sent = hidden.mean(0) if words else np.zeros(384, np.float32)
        out.append(Encoded(hidden, np.array(words, dtype=np.int32).reshape(-1, 2),
                           sent / max(float(np.linalg.norm(sent)), 1e-6)))
    return out


@pytest.fixture(autouse=True)
def fake_models(monkeypatch, tmp_path):
    monkeypatch.setattr(token_states, "encode", fake_encode)
    monkeypatch.setattr("parallax.nlp.embed.embed", fake_embed)
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("parallax.training.cache._stores", {})
    fm._loaded.clear()
    tm._shipped.clear()
    yield
    fm._loaded.clear()
    tm._shipped.clear()


# --- contextual heads -----------------------------------------------------------------------------

def test_contextual_framing_model_round_trip(tmp_path):
    data = corpus()
    model = fm.FramingModel.train(data, encoded=fake_encode([s.text for s in data]))
    assert model.contextual and model.word_clf is not None
    texts = ["The cowardly agency is a pathetic joke.", "The agency met on Monday."]
    p = model.predict_proba(texts)
    assert p[0] > 0.5 > p[1]
    text = "The absurd panel keeps lying to voters."
    words = model.biased_words(text, 0.9)
    assert {w for _, _, w, _ in words} & {"absurd", "lying"}
    assert all(text[a:b] == w for a, b, w, _ in words)
    again = fm.FramingModel.load(model.save(tmp_path / "m.joblib"))
    assert np.allclose(again.predict_proba(texts), p)


def test_context_span_tagger_and_classifier():
    arts = _ptc()
    tagger = tm.ContextSpanTagger().fit(arts[:9], fake_encode)
    pred = [tagger.predict(a.text, fake_encode) for a in arts[9:]]
    gold = [[(a, b) for t, a, b in art.spans if t in tagger.techniques] for art in arts[9:]]
    from parallax.analysis.techniques import si_prf

    assert si_prf(pred, gold)["f1"] > 0.5
    items = [(a.text, s, e) for a in arts for _, s, e in a.spans]
    labels = [t for a in arts for t, _, _ in a.spans]
    clf = tm.ContextTechniqueClassifier().fit(items[:27], labels[:27], fake_encode)
    assert clf.predict(items[27:], fake_encode) == labels[27:]


def test_span_tagger_threshold_is_chosen_on_its_training_thirds(monkeypatch):
    arts = _ptc()
    fixed = tm.ContextSpanTagger().fit(arts[:9], fake_encode, tune=False)
    assert fixed.threshold == 0.4  # the class default, untouched without tuning
    seen = []
    real = tm.si_prf
    monkeypatch.setattr(tm, "si_prf", lambda pred, gold: seen.append(len(gold)) or real(pred, gold))
    tuned = tm.ContextSpanTagger().fit(arts[:9], fake_encode)
    assert tuned.threshold in tm.THRESHOLDS
    # one span-F1 per candidate threshold, each over the nine training articles, none held out
    assert seen == [9] * len(tm.THRESHOLDS)
    # the final model is the same fit either way: only the threshold differs
    text = arts[9].text
    assert np.allclose(tuned.token_proba(text, fake_encode)[1], fixed.token_proba(text, fake_encode)[1])


def test_model_techniques_skip_quoted_words():
    arts = _ptc()
    bundle = {"tagger": tm.ContextSpanTagger().fit(arts, fake_encode),
              "classifier": tm.ContextTechniqueClassifier().fit(
                  [(a.text, s, e) for a in arts for _, s, e in a.spans], [t for a in arts for t, _, _ in a.spans],
                  fake_encode)}
    text = "The corrupt thugs ruined the town again."
    found = tm.model_techniques(text, 0, len(text), bundle=bundle)
    assert {text[a:b] for _, a, b in found} & {"corrupt", "thugs", "corrupt thugs"}
    assert all(t in ("Loaded_Language", "Name_Calling,Labeling") for t, _, _ in found)
    assert tm.model_techniques(text, 0, len(text), [(0, len(text))], bundle=bundle) == []


def test_stacked_polarity_round_trip_and_direction(tmp_path):
    from parallax.analysis.polarity import StackedPolarity, directed_polarity, load_model

    rows = []
    for i in range(12):
        a, b = f"Aland{i}", f"Bland{i}"
        rows += [(f"[{a}] praised [{b}] warmly", 1), (f"[{a}] attacked [{b}] bitterly", 3),
                 (f"[{a}] met [{b}] today", 0), (f"[{a}] was praised by [{b}]", 2),
                 (f"[{a}] was attacked by [{b}]", 4)]
    m = StackedPolarity.fit([s for s, _ in rows], [y for _, y in rows], C=1.0)
    m.save(tmp_path / "p.npz")
    load_model.cache_clear()
    m2 = load_model(str(tmp_path / "p.npz"))
    assert isinstance(m2, StackedPolarity)
    s = "Cland attacked Dland bitterly"
    assert directed_polarity(s, (0, 5), (15, 20), m2) == (3, "p->q negative")
    # asking about the pair the other way round flips the direction, not the sentiment
    assert directed_polarity(s, (15, 20), (0, 5), m2) == (4, "q->p negative")


# --- benches --------------------------------------------------------------------------------------

def test_missing_split_is_one_clear_error(tmp_path):
    from parallax.bench import run

    data = tmp_path / "ds.jsonl"
    rows = [{"sentence": f"[A{i}] met [B{i}]", "label": 0, "text": f"A{i} met B{i}.", "spans": [],
             "label_bias": "Biased" if i % 2 else "Non-biased", "split": "valid"} for i in range(12)]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    for task in ("polarity", "bias", "propaganda"):
        with pytest.raises(BenchDataError, match=r"ds\.jsonl: no rows for split 'train' \(splits in the file: valid\)"):
            run(task, data, split="train")


def test_polarity_bench_scores_a_given_model(tmp_path):
    from parallax.analysis.polarity import StackedPolarity
    from parallax.bench.polarity import run_polarity

    rows = []
    for i in range(20):
        a, b = f"Aland{i}", f"Bland{i}"
        for sent, label in ((f"[{a}] praised [{b}] warmly", 1), (f"[{a}] attacked [{b}] bitterly", 3),
                            (f"[{a}] met [{b}] today", 0)):
            rows.append({"sentence": sent, "label": label, "split": "train" if i < 15 else "valid"})
    data = tmp_path / "ds.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    train = [r for r in rows if r["split"] == "train"]
    StackedPolarity.fit([r["sentence"] for r in train], [r["label"] for r in train], C=1.0).save(tmp_path / "m.npz")
    m = run_polarity(data, model=tmp_path / "m.npz", split="valid")
    assert m["records"] == 15 and m["accuracy"] > 0.9 and m["model"].endswith("m.npz")
    m = run_polarity(data, cv=3)  # retrains the shipped recipe (the n-gram SVM)
    assert m["folds"] == 3 and m["accuracy"] > 0.9 and m["model"].startswith("PolarityModel")
    m = run_polarity(data, model=tmp_path / "m.npz", cv=3)  # retrains the recipe of the given model
    assert m["folds"] == 3 and m["accuracy"] > 0.9 and m["model"].startswith("StackedPolarity")


# --- the restricted folder ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["framing.joblib", "techniques.joblib", "polarity.npz"])
def test_shipped_weights_have_cards(name):
    path = RESTRICTED / name
    if name != "framing.joblib" and not path.is_file():
        pytest.skip(f"{name} is not shipped in this build (make models)")
    assert path.is_file(), f"{name} is not shipped"
    card = json.loads(path.with_suffix(".json").read_text())
    assert card["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert path.stat().st_size < 50_000_000
    for key in ("training_data", "training_data_sha256", "records", "data_licence", "command", "figures"):
        assert card.get(key), key
    assert (RESTRICTED / "LICENSE").is_file()


def test_restricted_models_can_be_switched_off(monkeypatch):
    monkeypatch.delenv("PARALLAX_FRAMING_MODEL", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/nonexistent-parallax-test")
    monkeypatch.setenv("PARALLAX_RESTRICTED_MODELS", "0")
    assert fm.default_path() is None and fm.load_default() is None
    assert tm.load_shipped() is None
    monkeypatch.setenv("PARALLAX_RESTRICTED_MODELS", "1")
    fm._loaded.clear()
    assert fm.default_path() == RESTRICTED / "framing.joblib"


# --- the speakers' words --------------------------------------------------------------------------

ATTRIBUTED = [
    "The general warned that the disgraceful regime's thugs were a pathetic, shameful farce.",
    "The plan is an absurd, disgraceful farce run by corrupt thugs, the senator said on Monday.",
    "According to the minister, the reckless opposition keeps lying to voters.",
]


@pytest.mark.parametrize("sentence", ATTRIBUTED)
def test_attributed_statements_are_the_speakers(sentence):
    assert attributed_ranges(sentence, 0, len(sentence))
    assert flag_sentences(make_parsed(sentence), model=None) == []


class _Always:
    threshold = 0.5

    def predict_proba(self, texts):
        return np.full(len(texts), 0.99)

    def biased_words(self, text, prob):
        return [(m.start(), m.end(), m.group(), 0.9) for m in re.finditer(r"disgraceful|corrupt", text)]


def test_classifier_never_scores_the_reported_clause():
    text = "The general warned that the disgraceful regime was corrupt."
    (j,) = assess_sentences(text, [(0, len(text))], (), model=_Always())
    assert not j.flagged  # only "The general warned" is the outlet's voice: too short to score
    own = "The disgraceful regime was corrupt, and nobody should pretend otherwise."
    (j,) = assess_sentences(own, [(0, len(own))], (), model=_Always())
    assert j.flagged and {w for _, _, w, _ in j.learned} == {"disgraceful", "corrupt"}


def test_first_person_reporting_stays_the_authors_voice():
    s = "We said it before: this disgraceful regime is a farce."
    assert attributed_ranges(s, 0, len(s)) == []
