"""Salience features and the pronoun antecedent ranker (``analysis.speaker_salience``)."""

from __future__ import annotations

import hashlib
import json

import pytest

from parallax.analysis.names import build_index
from parallax.analysis.speaker_coref import person_profiles
from parallax.analysis.speaker_salience import Salience, antecedent_features, salience
from parallax.bench.quotes import run_quotes
from parallax.errors import BenchDataError

TEXT = ("Mayor Anna Berg opened the new bridge on Monday. Berg thanked the workers. "
        "Mr. Tom Reed, a local builder, watched from the crowd. "
        "She said the bridge would cut travel times by half.")


def _sal(parse_text, text=TEXT):
    parsed = parse_text(text)
    doc = parsed.doc
    index = build_index(doc)
    sal = Salience(doc, index.resolve, lambda i: False, lambda i: 0)
    return parsed, doc, index, sal


def test_salience_marks_the_most_mentioned_and_previous_subject(parse_text):
    _, doc, index, sal = _sal(parse_text)
    names = {m.name for m in sal.mentions}
    berg = index.resolve("Berg")
    reed = index.resolve("Tom Reed")
    assert berg in names and reed in names and berg != reed
    at = TEXT.index("She said")
    f_berg = salience(sal, berg, at, last_speaker="")
    f_reed = salience(sal, reed, at, last_speaker=reed)
    assert f_berg.get("sal_most_mentioned") == 1.0 and "sal_most_mentioned" not in f_reed
    assert f_reed.get("sal_last_speaker") == 1.0 and "sal_last_speaker" not in f_berg
    # at "Mr. Tom Reed ..." the sentence before ("Berg thanked the workers") has Berg as subject
    second = TEXT.index("Mr. Tom Reed")
    assert salience(sal, berg, second, "").get("sal_prev_sent_subject") == 1.0


def test_antecedent_candidates_are_recent_first_with_gender_agreement(parse_text):
    _, doc, index, sal = _sal(parse_text)
    profiles = person_profiles(doc, index.resolve)
    at = TEXT.index("She said")
    names, feats = antecedent_features(sal, at, at, "", "f", profiles)
    reed = index.resolve("Tom Reed")
    assert names[0] == reed and feats[0].get("recency=0") == 1.0
    assert feats[0].get("gender=clash") == 1.0  # "Mr." Tom Reed cannot be "she"
    assert all(f.get("bias") == 1.0 for f in feats)
    assert antecedent_features(sal, 0, 0, "", "f", profiles) == ([], [])


def _rec(text, atts, split, n):
    def span(s, at=0):
        i = text.index(s, at)
        return {"start": i, "end": i + len(s), "text": s}

    def att(s, c, t):  # the source is the mention right before its cue
        at = text.index(f"{s} {c} {t}")
        return {"source": span(s, at), "cue": span(c, at), "content": span(t, at)}
    return {"id": f"{split}-{n}", "split": split, "text": text, "attributions": [att(*a) for a in atts]}


def test_training_fits_the_antecedent_ranker_from_hidden_names(tmp_path, monkeypatch):
    from parallax.analysis.speaker_model import load_ranker
    from parallax.training.speakers import train

    monkeypatch.setenv("PARALLAX_CACHE", str(tmp_path / "cache"))
    rows = []
    for k, (a, b) in enumerate([("Anna Berg", "Tom Reed"), ("Paul Kim", "Lena Ortiz"), ("Mark Dunn", "Sara Holt")]):
        text = (f"{a} met {b} on Monday. {a} said the talks went well. "
                f"{b} said the deal was close. {a} said it would be signed soon.")
        last = a.split()[-1]
        rows.append((text, [(a, "said", "the talks went well"), (b, "said", "the deal was close")]))
        rows.append((text.replace(f"{a} said it", f"{last} said it"), [(last, "said", "it would be signed soon")]))
    data = tmp_path / "mini.jsonl"
    recs = [_rec(t, a, "train", n) for n, (t, a) in enumerate(rows)] + [_rec(rows[0][0], rows[0][1], "dev", 99)]
    data.write_text("\n".join(json.dumps(r) for r in recs))
    out = tmp_path / "speakers.joblib"
    meta = train(data, out)
    assert meta["salience"] is True and meta["antecedent_groups_train"] > 0
    ranker = load_ranker(str(out))
    assert ranker is not None and ranker.salience and ranker.antecedent is not None
    assert 0.0 <= ranker.antecedent.threshold < 1.0


def _gold(tmp_path, part):
    text = 'Police arrested Tom Vance on Friday. "These are not toy parts," said the police chief, Anna Ruiz.'
    basil = tmp_path / "basil.jsonl"
    basil.write_text(json.dumps({"id": "a1", "text": text}) + "\n")
    piece = "These are not toy parts"
    s = text.index(piece)
    gold = tmp_path / "speakers_gold.jsonl"
    gold.write_text(json.dumps({"id": "a1", "source": "basil", "part": part, "nonstatements": [], "quotes": [
        {"start": s, "end": s + len(piece), "sha1": hashlib.sha1(piece.encode()).hexdigest()[:10],
         "speaker": ["Anna Ruiz"], "kind": "direct"}]}) + "\n")
    return gold, basil


def test_bench_scores_any_part_of_the_speaker_gold(tmp_path):
    gold, basil = _gold(tmp_path, "heldout2")
    out = run_quotes(gold, split="heldout2", articles=basil)
    assert out["gold_heldout2"] == 1 and out["found_heldout2"] == 1
    assert "gold_dev" not in out
    assert run_quotes(gold, split="all", articles=basil)["gold_heldout2"] == 1
    with pytest.raises(BenchDataError, match="unknown split"):
        run_quotes(gold, split="heldout3", articles=basil)


def test_pronoun_threshold_option_is_checked_and_used(parse_text):
    from parallax.analysis.quotes import extract_quotes
    from parallax.analysis.speaker_model import MODEL_PATH, load_ranker
    from parallax.options import Options, OptionsError

    with pytest.raises(OptionsError, match="speaker_pronoun_min_confidence"):
        Options(speaker_pronoun_min_confidence=1.5)
    ranker = load_ranker(str(MODEL_PATH)) if MODEL_PATH.is_file() else None
    if ranker is None or ranker.antecedent is None:
        pytest.skip("shipped speaker weights without the antecedent ranker (make models)")
    text = ("Mayor Anna Berg opened the new bridge on Monday. Berg thanked the workers who built it.\n\n"
            "She said the bridge would cut travel times by half.")
    parsed = parse_text(text)
    strict = [q for q in extract_quotes(parsed, Options(speaker_pronoun_min_confidence=1.0)) if "travel" in q.content.text]
    loose = [q for q in extract_quotes(parsed, Options(speaker_pronoun_min_confidence=0.0)) if "travel" in q.content.text]
    assert strict and loose
    assert not strict[0].resolved
    assert loose[0].resolved and "Berg" in loose[0].speaker
