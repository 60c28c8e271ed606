"""Trained framing: the model trains, predicts, saves with a card, and plugs into the framing
stage without ever scoring the sources' words.  A fake, deterministic embedding stands in for
MiniLM so these tests need no language model."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from parallax.analysis import framing_model as fm
from parallax.analysis.framing import assess_sentences, flag_sentences
from parallax.analysis.framing_model import FramingModel, LabelledSentence, read_labelled
from parallax.errors import BenchDataError
from tests.test_framing import make_parsed

OPINION = ["The disgraceful {} wasted everyone's time with its pathetic stunt.",
           "This absurd {} is a shameful betrayal of ordinary people.",
           "The reckless {} keeps lying to voters, as usual.",
           "Only a fool would trust the corrupt {} after this farce."]
REPORT = ["The {} met on Tuesday to discuss the budget.",
          "The {} published its annual report in March.",
          "A spokesman for the {} said the talks would resume next week.",
          "The {} has 40 members and meets twice a year."]
NOUNS = ["council", "committee", "ministry", "board", "agency", "cabinet", "panel", "senate"]


def fake_embed(texts):
    """Deterministic stand-in for MiniLM: a hashed bag of words, unit length."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in t.lower().split():
            out[i, int(hashlib.md5(w.strip(".,").encode()).hexdigest(), 16) % 384] += 1.0
        out[i] /= max(np.linalg.norm(out[i]), 1e-6)
    return out


def corpus() -> list[LabelledSentence]:
    data = []
    for n in NOUNS:
        for t in OPINION:
            words = tuple(w for w in ("disgraceful", "pathetic", "absurd", "shameful", "reckless",
                                      "lying", "fool", "corrupt", "farce") if w in t)
            data.append(LabelledSentence(t.format(n), True, words))
        for t in REPORT:
            data.append(LabelledSentence(t.format(n), False, ()))
    return data


@pytest.fixture(autouse=True)
def no_installed_model(monkeypatch, tmp_path):
    monkeypatch.setenv("PARALLAX_FRAMING_MODEL", str(tmp_path / "none.joblib"))
    monkeypatch.setattr("parallax.nlp.embed.embed", fake_embed)
    fm._loaded.clear()
    yield
    fm._loaded.clear()


@pytest.fixture(scope="module")
def model() -> FramingModel:
    data = corpus()
    return FramingModel.train(data, fake_embed([s.text for s in data]))


def test_model_separates_opinion_from_reporting(model):
    p = model.predict_proba(["The cowardly agency is a pathetic joke.", "The agency met on Monday."],
                            fake_embed(["The cowardly agency is a pathetic joke.", "The agency met on Monday."]))
    assert p[0] > 0.5 > p[1]


def test_biased_words_are_tagged_with_offsets(model):
    text = "The absurd panel keeps lying to voters."
    words = model.biased_words(text, 0.9)
    assert {w for _, _, w, _ in words} >= {"absurd"}
    for a, b, w, _ in words:
        assert text[a:b] == w


def test_save_and_load_keep_a_card(model, tmp_path):
    model.card = {"data_licence": "CC0", "trained_on": "x.jsonl"}
    path = model.save(tmp_path / "m.joblib")
    card = json.loads(path.with_suffix(".json").read_text())
    assert card["data_licence"] == "CC0"
    again = FramingModel.load(path)
    assert again.predict_proba(["The board met."], fake_embed(["The board met."])).shape == (1,)


def test_installed_model_is_found_and_used(model, tmp_path, monkeypatch):
    path = model.save(tmp_path / "installed.joblib")
    monkeypatch.setenv("PARALLAX_FRAMING_MODEL", str(path))
    fm._loaded.clear()
    assert fm.load_default() is not None
    parsed = make_parsed("The disgraceful cabinet wasted everyone's time with its pathetic stunt.",
                         "The cabinet met on Tuesday to discuss the budget.")
    flags = flag_sentences(parsed)
    assert [f.sentence for f in flags] == [0]
    f = flags[0]
    assert f.label == "opinion" and 0.5 <= f.probability <= 1.0
    assert any(r.startswith("loaded word") for r in f.reasons)
    assert any(t.technique == "Loaded_Language" for t in f.techniques)


def test_quoted_words_are_the_speakers_not_the_outlet(model):
    text = 'The minister said: "This disgraceful, pathetic, absurd council is a shameful farce."'
    j = assess_sentences(text, [(0, len(text))], [(text.index('"'), len(text))], model=model)[0]
    assert not j.flagged and j.label == "reporting"


def test_mixed_label_when_a_flagged_sentence_reports_a_quote(model):
    parsed = make_parsed('The pathetic, disgraceful ministry said "we will act" after its shameful farce.')
    flags = flag_sentences(parsed, model=model)
    assert flags and flags[0].label == "mixed"


def test_lexicon_only_when_no_model():
    parsed = make_parsed("So naturally the council blamed the weather.", "The council met.")
    flags = flag_sentences(parsed, model=None)
    assert [f.sentence for f in flags] == [0]
    assert flags[0].label == "opinion" and flags[0].probability == pytest.approx(0.632, abs=0.01)


def test_read_labelled_formats(tmp_path):
    rows = [{"text": f"s{i}", "label_bias": "Biased" if i % 2 else "Non-biased", "biased_words": ["s"]}
            for i in range(12)] + [{"text": "x", "label_bias": "No agreement"}, {"text": "y", "label": 1}]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    data = read_labelled(path)
    assert len(data) == 13 and data[-1].biased
    path.write_text(json.dumps({"text": "a", "label_bias": "Biased"}))
    with pytest.raises(BenchDataError):
        read_labelled(path)


class _Stub:
    """A model that returns a fixed probability and no learned words."""

    threshold = 0.5

    def __init__(self, p: float) -> None:
        self.p = p

    def predict_proba(self, texts):
        return np.full(len(texts), self.p)

    def biased_words(self, text, prob):
        return []


def test_classifier_alone_flags_only_when_sure():
    parsed = make_parsed("The committee will publish its findings on Monday afternoon.")
    assert flag_sentences(parsed, model=_Stub(0.6)) == []
    (flag,) = flag_sentences(parsed, model=_Stub(0.9))
    assert flag.reasons == ["trained classifier: 90% likely the outlet's opinion"]
    assert flag.probability == pytest.approx(0.9)


def test_short_or_all_quoted_sentences_skip_the_classifier():
    parsed = make_parsed('"We will win," he said.')
    assert flag_sentences(parsed, model=_Stub(0.99)) == []
