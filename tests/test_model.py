"""Records round-trip through plain dicts and JSON without loss."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from parallax.model import (Actor, Article, Claim, Comparison, Flag, Quote, QuoteGroup, Sentence,
                            SentenceRef, Source, Span, content_id)


def _article() -> Article:
    text = 'The mayor said "we are safe". Reuters reported it.'
    return Article.new(
        text, outlet="x", title="T",
        sentences=[Sentence(0, 0, 29, text[:29]), Sentence(1, 30, 50, text[30:50])],
        quotes=[Quote(content=Span(16, 27, "we are safe"), speaker="mayor", speaker_span=Span(4, 9, "mayor"),
                      cue=Span(10, 14, "said"), kind="direct", sentence=0, resolved=False)],
        sources=[Source("Reuters", "agency", "reported", Span(30, 37, "Reuters"), 1, text[30:50])],
        flags=[Flag(0, text[:29], 1.0, ["test"], [Span(4, 9, "mayor")])],
    )


def test_article_round_trip():
    a = _article()
    assert Article.from_dict(json.loads(json.dumps(a.to_dict()))) == a
    for s in a.sentences:
        assert a.text[s.start:s.end] == s.text


def test_comparison_round_trip():
    a = _article()
    q = a.quotes[0]
    c = Comparison(
        articles=[a], event="e", event_outlets=["x"],
        shared=[Claim(members=[SentenceRef(a.id, "x", 0, "t")], support=1.0, score=0.7)],
        unique={"x": [SentenceRef(a.id, "x", 1, "u")]},
        quotes=[QuoteGroup("mayor", [("x", q)], [])],
        sources={"Reuters": ["x"]},
        actors=[Actor("Reuters", "media", ["Reuters"], 1, {"x": 1})],
        relations=[], similarity=[[1.0]],
    )
    back = Comparison.from_dict(json.loads(json.dumps(c.to_dict())))
    assert back == c
    assert back.quotes[0].quotes[0][1].content.text == "we are safe"


@given(st.text(min_size=1, max_size=200))
def test_content_id_ignores_whitespace_layout(s):
    assert content_id(s) == content_id("\n " + s.replace(" ", "  \t") + " ")


def test_content_id_differs_for_different_text():
    assert content_id("Quake hits Chile.") != content_id("Quake hits Peru.")
