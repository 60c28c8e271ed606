"""Fuzzing the analysis stages (issue 10): quote-mark pairing (pure, many examples) and every
per-article stage after spaCy (fewer examples: each one is parsed)."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.analysis.quotemarks import find_quote_pairs

from .test_fuzz_readers import ODD, QUOTES, WORDS

N_PAIRS = int(os.environ.get("PARALLAX_FUZZ_PAIRS", "2000"))
N_ANALYSIS = int(os.environ.get("PARALLAX_FUZZ_ANALYSIS", "120"))
# Per-article bound for the analysis stages on a generated text of a few hundred characters.
PER_ARTICLE_SECONDS = 15.0
MARKS = set("\"“”„‘’'`")

quote_text = st.lists(st.one_of(st.sampled_from(QUOTES), st.sampled_from(WORDS), st.sampled_from(ODD),
                                st.text(alphabet="\"“”„‘’'` \nab.", max_size=6)), max_size=300).map("".join)


@settings(max_examples=N_PAIRS, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(text=quote_text)
def test_fuzz_quote_pairs(text):
    pairs = find_quote_pairs(text)
    for p in pairs:
        assert 0 <= p.start < p.end < len(text)
        assert text[p.start] in MARKS
        if not p.open_end:
            assert text[p.end] in MARKS
            # a closed pair never spans paragraphs
            assert "\n" not in text[p.start:p.end + 1]
    starts = [p.start for p in pairs]
    assert starts == sorted(starts)


def test_quote_pairs_linear_on_many_marks():
    text = ('"' * 20000 + " word " + "“" * 20000 + "’" * 20000 + "\n") * 5
    t0 = time.perf_counter()
    find_quote_pairs(text)
    assert time.perf_counter() - t0 < 10


prose = st.lists(st.one_of(st.sampled_from(QUOTES), st.sampled_from(WORDS * 3), st.sampled_from(ODD),
                           st.sampled_from(["Ann Lee", "he", "she", "said", "told", "according to", "explains:"])),
                 min_size=5, max_size=120).map(" ".join)


@pytest.fixture(scope="module")
def analyse():
    from parallax.ingest.text import parse_text
    from parallax.nlp import parse_many
    from parallax.pipeline import analyze_parsed

    pytest.importorskip("spacy")

    def _run(raw: str):
        try:
            art = parse_text(raw, "fuzz.txt")
        except Exception as exc:  # the reader's own errors are fine (too short etc.)
            from parallax.errors import InputError

            assert isinstance(exc, InputError), exc
            return None
        t0 = time.perf_counter()
        out = analyze_parsed(parse_many([art])[0]).article
        assert time.perf_counter() - t0 < PER_ARTICLE_SECONDS
        return out

    return _run


@settings(max_examples=N_ANALYSIS, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(raw=prose)
def test_fuzz_analysis_stages(analyse, raw):
    art = analyse(raw)
    if art is None:
        return
    n = len(art.text)
    for q in art.quotes:
        for span in [getattr(q, "span", None)] + list(getattr(q, "parts", []) or []):
            if span is not None and hasattr(span, "start"):
                assert 0 <= span.start <= span.end <= n
    assert art.to_dict()  # serialisable: what the store keeps
