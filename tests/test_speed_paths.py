"""The speed-ups of the per-article stages give the answers of the plain code they replace.

Each fast path (one pass for relations' question test, merged quoted regions for the speaker
stage, the cached framing lexicon, the per-article name index, ONNX batches without padding,
one encoder pass per text) is checked against the straightforward version written out here,
on the bundled example articles and small hand-written inputs.
"""

from __future__ import annotations

import random

import numpy as np
import pytest


def _plain_in_question(tok) -> bool:
    """The relations stage's question test as it was: each token's sentence and ancestors."""
    from parallax.analysis.relation_lexicon import QUESTION_MARKERS

    if tok.sent.text.rstrip(" \"'”’").endswith("?"):
        return True
    return any(c.dep_ == "mark" and c.lower_ in QUESTION_MARKERS for a in (tok, *tok.ancestors) for c in a.children)


def test_questioned_matches_the_per_token_test(example_parsed, parse_text):
    from parallax.analysis.relations import _questioned

    extra = parse_text("Did Russia back Haftar? Officials asked whether Turkey would send troops. "
                       "If Egypt intervenes, the war widens. Rome supports the talks.")
    docs = [p.doc for p in example_parsed.values()] + [extra.doc]
    for doc in docs:
        assert _questioned(doc) == [_plain_in_question(t) for t in doc]
    assert any(_questioned(extra.doc)) and not all(_questioned(extra.doc))


def test_in_quote_matches_the_plain_overlap_test():
    from parallax.analysis.speakers import _Ctx

    rng = random.Random(7)
    for _ in range(200):
        regions = []
        for _ in range(rng.randint(0, 6)):
            a = rng.randint(0, 80)
            regions.append((a, a + rng.randint(1, 15)))
        ctx = _Ctx(None, "", None, None, [], regions, [])  # type: ignore[arg-type]
        for _ in range(40):
            start = rng.randint(0, 100)
            end = None if rng.random() < 0.4 else start + rng.randint(-2, 12)
            e = start + 1 if end is None else end
            assert ctx.in_quote(start, end) == any(s < e and start < b for s, b in regions), (regions, start, end)


def test_lexicon_lookup_matches_the_scan():
    from parallax.analysis import framing

    lex = framing._WORDS
    words = {w for w, _ in lex.exact.items()} | {p for p, _, _ in lex.prefixes}
    words |= {p + "ed" for p, _, _ in lex.prefixes} | {p[:-1] for p, _, _ in lex.prefixes}
    words |= {"Slammed", "regimes", "thug’s", "the", "Anti-regime", "utterly", "x", ""}
    for w in sorted(words):
        low = w.lower().replace("’", "'")
        plain = next((lex.exact[f] for f in framing._variants(low) if f in lex.exact), None)
        if plain is None:
            plain = next(((c, wt) for p, c, wt in lex.prefixes if low.startswith(p)), None)
        assert lex.lookup(w) == plain, w
        assert lex.lookup(w) == plain, w  # the cached answer too


def test_name_index_is_shared_per_doc_and_equal_to_a_fresh_one(example_parsed):
    from parallax.analysis import names

    for p in example_parsed.values():
        first = names.build_index(p.doc)
        assert names.build_index(p.doc) is first
        fresh = names._build_index(p.doc)
        assert (fresh.full, fresh.surnames, fresh.ambiguous, fresh.acronyms) == \
               (first.full, first.surnames, first.ambiguous, first.acronyms)
        assert first.full  # the examples name people


SENTENCES = [
    "Russia has sent fighter jets to Libya to support Khalifa Haftar's forces, the US military said.",
    "The minister asked Washington to set up a base.",
    "Shares rose.",
    "Shares fell.",
    "“We will not accept foreign mercenaries on our soil,” he told reporters in Tripoli on Friday, "
    "adding that talks in Moscow had failed and that the ceasefire was over.",
]


def _encoder(name: str):
    pytest.importorskip("onnxruntime")
    from parallax.nlp.embed import load_encoder

    try:
        enc = load_encoder(name)
    except Exception as exc:  # noqa: BLE001 - no exported graph on this machine
        pytest.skip(f"ONNX encoder unavailable: {exc}")
    if not hasattr(enc, "session"):
        pytest.skip("ONNX Runtime fell back to PyTorch")
    return enc


def test_fp32_batches_without_padding_equal_each_text_alone():
    enc = _encoder("onnx")
    together = enc.encode(SENTENCES)
    alone = np.vstack([enc.encode([s]) for s in SENTENCES])
    assert together.shape == (len(SENTENCES), 384)
    assert np.allclose(together, alone, atol=1e-6)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    # the padded, attention-masked batch of before gives the same vectors
    tok = enc.tokenizer(SENTENCES, padding=True, truncation=True, return_tensors="np")
    feed = {n: tok[n].astype(np.int64) for n in ("input_ids", "attention_mask", "token_type_ids") if n in enc.inputs}
    hidden = enc.session.run(None, feed)[0]
    mask = tok["attention_mask"][..., None].astype(np.float32)
    vec = (hidden * mask).sum(1) / mask.sum(1)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True)
    assert (vec * together).sum(1).min() > 0.99999


def test_token_states_of_a_text_do_not_depend_on_its_neighbours():
    _encoder("onnx-int8")
    from parallax.analysis import token_states

    token_states._recent.clear()
    together = token_states.encode(SENTENCES)
    token_states._recent.clear()
    alone = [token_states.encode([s])[0] for s in reversed(SENTENCES)][::-1]
    for a, b in zip(together, alone):
        assert np.array_equal(a.hidden, b.hidden) and np.array_equal(a.offsets, b.offsets)
        assert np.array_equal(a.sentence, b.sentence)
