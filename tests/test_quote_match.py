"""Cross-outlet quote matching and relay of original sources."""

from __future__ import annotations

from dataclasses import replace

import pytest

from parallax.analysis.provenance import extract_sources
from parallax.analysis.quote_match import match_kind, match_quotes, relay
from parallax.analysis.quotes import extract_quotes
from parallax.model import Article, Quote, Source, Span


def _q(text, speaker="Anna Berg", kind="direct", cue="said", resolved=True):
    content = Span(0, len(text), text)
    return Quote(content, speaker, Span(0, 1, "x"), Span(0, len(cue), cue), kind, 0, resolved,
                 "name", [content] if kind == "direct" else [])


@pytest.mark.parametrize("a,b,kind", [
    (_q("The port will reopen on Monday."), _q("The port will reopen on Monday."), "verbatim"),
    (_q("They have a big strategy in Libya and Africa."),
     _q("have a big strategy in Libya and Africa", cue="claimed"), "verbatim"),
    (_q("The port will certainly reopen on Monday morning."), _q("The port will reopen on Monday."),
     "near-verbatim"),
    (_q("The harbour authority expects the port to reopen on Monday after repairs."),
     _q("the port could reopen Monday once repairs are finished at the harbour", kind="indirect"),
     "paraphrase"),
    (_q("The port will reopen on Monday."), _q("We have no money left for the schools."), ""),
])
def test_match_kind_table(a, b, kind):
    assert match_kind(a, b)[0] == kind


def _article(label, quotes, sources=()):
    return replace(Article.new(f"text of {label}", outlet=label), quotes=list(quotes), sources=list(sources))


def test_groups_by_canonical_speaker_and_marks_single():
    a = _article("one", [_q("The port will reopen on Monday.", speaker="Anna Berg"),
                         _q("We will hire two hundred workers next year.", speaker="Anna Berg")])
    b = _article("two", [_q("The port will reopen on Monday.", speaker="Berg", cue="claimed")])
    groups = match_quotes([a, b], {})
    assert len(groups) == 1
    g = groups[0]
    assert g.speaker == "Anna Berg" and len(g.quotes) == 3
    assert [(m.outlet_a, m.outlet_b, m.kind, m.cue_a, m.cue_b) for m in g.matches] == [
        ("one", "two", "verbatim", "said", "claimed")]
    assert g.single == [1]


def test_unresolved_speakers_never_merged_across_outlets():
    a = _article("one", [_q("The port will reopen on Monday.", speaker="she", resolved=False)])
    b = _article("two", [_q("The port will reopen on Monday.", speaker="she", resolved=False)])
    groups = match_quotes([a, b], {})
    assert len(groups) == 2 and not any(g.resolved for g in groups)
    assert all(g.matches == [] for g in groups)


def test_relay_second_hand_only():
    ev = Span(0, 4, "text")
    src = Source("Daily Courier", "outlet", "told", ev, 0, "X told the Daily Courier ...")
    a = _article("one", [], [src])
    b = replace(_article("two", [], [src]), text="Anna Berg told reporters that the port will reopen.")
    c = _article("daily courier", [], [src])  # the original itself: not a relay
    relays = relay([a, b, c])
    assert [(r.source, r.outlets, r.second_hand_only) for r in relays] == [
        ("Daily Courier", ["one", "two"], ["one"])]


def test_reference_articles(example_parsed):
    arts = []
    for p in example_parsed.values():
        quotes = extract_quotes(p)
        arts.append(replace(p.article, quotes=quotes, sources=extract_sources(p, quotes)))
    groups = match_quotes(arts, {})
    g = next(g for g in groups if g.speaker == "Fathi Bashagha")
    assert {o for o, _ in g.quotes} == {"rt", "zerohedge"}
    verb = [m for m in g.matches if m.kind == "verbatim"]
    assert len(verb) == 1
    m = verb[0]
    assert {m.cue_a, m.cue_b} == {"claimed", "added"}
    assert {m.rendering_a, m.rendering_b} == {"mixed", "direct"}
    relays = relay(arts)
    bloomberg = next(r for r in relays if r.source == "Bloomberg")
    assert bloomberg.outlets == ["rt", "zerohedge"]
    assert bloomberg.second_hand_only == ["rt", "zerohedge"]
    assert not any(r.source in ("Reuters", "AFP") for r in relays)  # photo credits


def test_blockquotes_of_reference(example_parsed):
    p = example_parsed["rt"]
    blocks = [q for q in extract_quotes(p) if q.kind == "block"]
    assert len(blocks) == 2
    assert all(q.speaker == "Fathi Bashagha" and q.resolved for q in blocks)
    assert blocks[0].content.text.startswith("If the US asks for a base")
    assert blocks[1].content.text.startswith("The redeployment is not clear to us")
    for q in blocks:
        assert p.article.text[q.content.start:q.content.end] == q.content.text
