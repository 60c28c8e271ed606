"""The quotes benchmark on a tiny PolNeAR-style file (no real data needed)."""

from __future__ import annotations

import json
import sys

import pytest

from parallax.bench import TASKS
from parallax.bench.quotes import _match, run_quotes, system_attributions
from parallax.errors import BenchDataError


def _rec(text, atts, split="dev"):
    def span(s):
        if s is None:
            return None
        i = text.index(s)
        return {"start": i, "end": i + len(s), "text": s}
    return {"text": text, "split": split, "attributions": [
        {"source": span(s), "cue": span(c), "content": span(t)} for s, c, t in atts]}


TEXT1 = '"The port will reopen on Monday," Anna Berg said. The ships waited outside.'
TEXT2 = "Paul Kim told the Herald that the factory would close in May."


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "mini.jsonl"
    recs = [_rec(TEXT1, [("Anna Berg", "said", '"The port will reopen on Monday,"')]),
            _rec(TEXT2, [("Paul Kim", "told", "the factory would close in May")]),
            _rec("Nobody said anything here.", [], split="train")]
    path.write_text("\n".join(json.dumps(r) for r in recs))
    return path


def test_registered():
    assert TASKS["quotes"] is run_quotes


def test_overlap_and_exact_matching():
    text = "a b c d e f g h"
    assert _match(text, [(0, 7)], [(0, 7)], exact=True) == 1
    assert _match(text, [(0, 5)], [(0, 7)], exact=True) == 0
    assert _match(text, [(0, 5)], [(0, 7)], exact=False) == 1  # 3 of 4 tokens
    assert _match(text, [(0, 1)], [(0, 7)], exact=False) == 0  # 1 of 4 tokens


def test_run_on_mini_file(data):
    out = run_quotes(data)
    assert out["articles"] == 2 and out["split"] == "dev" and out["gold_attributions"] == 2
    for key in ("content_f1_overlap", "content_f1_exact", "source_f1_overlap", "source_f1_exact",
                "cue_f1", "content_f1_overlap_quoted", "source_f1_overlap_quoted"):
        assert out[key] == 1.0, key
    assert out["content_f1_exact_quoted"] == 1.0  # marks and comma included, as PolNeAR does
    assert "textacy" in out
    assert run_quotes(data, split="all")["articles"] == 3


def test_textacy_missing_is_reported(data, monkeypatch):
    monkeypatch.setitem(sys.modules, "textacy", None)
    monkeypatch.setitem(sys.modules, "textacy.extract", None)
    monkeypatch.setitem(sys.modules, "textacy.extract.triples", None)
    out = run_quotes(data)
    assert out["textacy"].startswith("not installed")
    assert out["textacy_content_f1_overlap"] is None and out["textacy_cue_f1_quoted"] is None


def test_bad_split(data):
    with pytest.raises(BenchDataError):
        run_quotes(data, split="test")


def test_split_quote_merged(parse_text):
    from parallax.analysis.quotes import extract_quotes
    text = '“Here comes the mayor,” Anna Berg said, clapping. “The mayor. At last.”'
    p = parse_text(text)
    atts = system_attributions(extract_quotes(p), text)
    assert len(atts) == 1
    s, e = atts[0]["content"]
    assert (s, e) == (0, len(text))  # one span over both parts, as PolNeAR annotates it


def test_speaker_accuracy_on_mini_file(data):
    out = run_quotes(data)
    assert out["speaker_found"] == 2 and out["speaker_accuracy"] == 1.0 and out["speaker_unresolved"] == 0.0
    assert out["speaker_found_quoted"] == 1 and out["speaker_accuracy_quoted"] == 1.0


def _speaker_gold(tmp_path, sha=None):
    import hashlib

    text = 'Police arrested Tom Vance on Friday. "These are not toy parts," said the police chief, Anna Ruiz.'
    basil = tmp_path / "basil.jsonl"
    basil.write_text(json.dumps({"id": "a1", "text": text}) + "\n")
    piece = "These are not toy parts"
    s = text.index(piece)
    digest = sha or hashlib.sha1(piece.encode()).hexdigest()[:10]
    gold = tmp_path / "speakers_gold.jsonl"
    gold.write_text(json.dumps({"id": "a1", "source": "basil", "part": "dev", "nonstatements": [], "quotes": [
        {"start": s, "end": s + len(piece), "sha1": digest, "speaker": ["Anna Ruiz"], "kind": "direct"}]}) + "\n")
    return gold, basil


def test_speaker_gold_is_scored_through_bench_quotes(tmp_path):
    gold, basil = _speaker_gold(tmp_path)
    out = run_quotes(gold, split="dev", articles=basil)
    assert out["gold_dev"] == 1 and out["found_dev"] == 1 and out["speaker_accuracy_dev"] == 1.0
    assert "speaker_accuracy_heldout" not in out


def test_speaker_gold_checks_sha1(tmp_path):
    gold, basil = _speaker_gold(tmp_path, sha="0000000000")
    with pytest.raises(BenchDataError, match="sha1"):
        run_quotes(gold, split="dev", articles=basil)
