"""The learned speaker ranker: candidates, features, training on a tiny PolNeAR-style file."""

from __future__ import annotations

import json

import pytest

from parallax.analysis.speaker_model import MODEL_PATH, candidate_features, candidates, load_ranker
from parallax.bench.speakers import speaker_matches


def _never(_: int) -> bool:
    return False


def test_candidates_skip_the_content_and_quoted_words(parse_text):
    text = '"The port will reopen on Monday," said the harbour master, Anna Berg.'
    doc = parse_text(text).doc
    cue = next(t for t in doc if t.lower_ == "said")
    content = (1, text.index(',"'))
    in_quote = lambda i: 0 <= i < text.index(',"') + 2  # noqa: E731
    cands = candidates(doc, cue, content, in_quote)
    words = {t.text for t in cands}
    assert "port" not in words and "Monday" not in words
    assert "Berg" in words or "master" in words
    feats = candidate_features(cands, cue, content, "", lambda i: 0)
    assert len(feats) == len(cands) and all("bias" in f for f in feats)
    assert any(k.startswith("path=") for k in feats[0])


def test_speaker_name_matching():
    assert speaker_matches("Rice", ["Susan E. Rice"])
    assert speaker_matches("Mr. Obama", ["Barack Obama"])
    assert speaker_matches("a senior administration official", ["senior administration official"])
    assert not speaker_matches("Bill Clinton", ["Hillary Clinton"])
    assert not speaker_matches("", ["Hillary Clinton"])


def _rec(text, atts, split):
    def span(s):
        i = text.index(s)
        return {"start": i, "end": i + len(s), "text": s}
    return {"id": f"{split}-{len(text)}", "split": split, "text": text,
            "attributions": [{"source": span(s), "cue": span(c), "content": span(t)} for s, c, t in atts]}


def test_training_end_to_end(tmp_path, monkeypatch):
    from parallax.training.speakers import train

    monkeypatch.setenv("PARALLAX_CACHE", str(tmp_path / "cache"))
    rows = [
        ('"We will win," said Paul Kim, the union leader. The strike went on.',
         [("Paul Kim, the union leader", "said", '"We will win,"')]),
        ('The plan, Anna Berg told reporters, was never approved by the board.',
         [("Anna Berg", "told", "The plan")]),
        ('Tom Reed met the mayor on Monday. "It was a good talk," the mayor said.',
         [("the mayor", "said", '"It was a good talk,"')]),
    ]
    data = tmp_path / "mini.jsonl"
    recs = [_rec(t, a, "train") for t, a in rows] + [_rec(rows[0][0], rows[0][1], "dev")]
    data.write_text("\n".join(json.dumps(r) for r in recs))
    out = tmp_path / "speakers.joblib"
    meta = train(data, out)
    assert meta["articles_train"] == 3 and meta["attributions_train"] == 3
    assert out.is_file() and out.with_suffix(".json").is_file()
    ranker = load_ranker(str(out))
    assert ranker is not None and 0.0 <= meta["top1_dev"] <= 1.0


@pytest.mark.skipif(not MODEL_PATH.is_file(), reason="shipped speaker weights absent (make models)")
def test_shipped_ranker_picks_the_inverted_speaker(parse_text):
    text = 'Police arrested Tom Vance on Friday. "These are not toy parts," said the police chief, Anna Ruiz.'
    parsed = parse_text(text)
    doc = parsed.doc
    cue = next(t for t in doc if t.lower_ == "said")
    start = text.index('"') + 1
    content = (start, text.index(',"'))
    best = load_ranker().best(doc, cue, content, "", lambda i: start - 1 <= i <= content[1] + 1, lambda i: 0)
    assert best is not None and best[0].text in ("chief", "Ruiz") and best[1] > 0.5
