"""Provenance: table-driven cases on hand-written sentences plus the reference articles."""

from __future__ import annotations

import pytest

from parallax.analysis.provenance import extract_sources
from parallax.analysis.quotes import extract_quotes

# (text, [(name, kind, cue), ...])
CASES = [
    ("Anna Berg told the Daily Courier that the factory would close.",
     [("Daily Courier", "outlet", "told")]),
    ("The Daily Courier reports that the factory will close.", [("Daily Courier", "outlet", "reports")]),
    ('"The factory will close in May," the Daily Courier reported.',
     [("Daily Courier", "outlet", "reported")]),
    ("According to Reuters, the talks in the capital failed.", [("Reuters", "agency", "according to")]),
    ("The talks failed, according to the Associated Press.",
     [("Associated Press", "agency", "according to")]),
    ("The talks failed, according to officials.", [("officials", "official", "according to")]),
    ("The talks failed, according to a report.", [("report", "document", "according to")]),
    ("The Harbour Authority said in a statement that the port would reopen.",
     [("Harbour Authority", "official", "in a statement")]),
    ("The ceasefire held overnight, as reported by Xinhua.", [("Xinhua", "agency", "reported by")]),
    ("In an interview with the Weekly Ledger, the senator denied the claim.",
     [("Weekly Ledger", "outlet", "interview with")]),
    ("Documents seen by the Weekly Ledger show the payments.",
     [("documents seen by Weekly Ledger", "document", "seen by")]),
    ("And the Weekly Ledger explains further:\nThe port has been closed since the storm.",
     [("Weekly Ledger", "outlet", "explains")]),
    # --- nothing ---
    ("Anna Berg told reporters that she was leaving.", []),
    ("The factory closed in May and the workers went home.", []),
    ("© Reuters / Jane Doe / File\nThe factory closed in May.", []),
    ("Workers leave the factory, via AFP/Getty.\nThe factory closed in May.", []),
    ("File image, Harbour Authority\nThe factory closed in May.", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_source_table(parse_text, text, expected):
    parsed = parse_text(text)
    sources = extract_sources(parsed, extract_quotes(parsed))
    for s in sources:
        assert parsed.article.text[s.span.start:s.span.end] == s.span.text
        assert parsed.sentences[s.sentence].kind == "body"
    assert [(s.name, s.kind, s.cue) for s in sources] == expected


def test_dedup_keeps_first_evidence(parse_text):
    text = ("According to Reuters, the port closed on Monday. "
            "The port stayed shut on Tuesday, Reuters reported.")
    sources = extract_sources(parse_text(text))
    assert [s.name for s in sources] == ["Reuters"]
    assert sources[0].sentence == 0 and sources[0].cue == "according to"


def test_works_without_quotes(parse_text):
    parsed = parse_text("The Daily Courier reports that the factory will close.")
    assert [s.name for s in extract_sources(parsed)] == ["Daily Courier"]


@pytest.mark.parametrize("outlet", ["zerohedge", "rt"])
def test_reference_articles_cite_bloomberg(example_parsed, outlet):
    parsed = example_parsed[outlet]
    sources = extract_sources(parsed, extract_quotes(parsed))
    for s in sources:
        assert parsed.article.text[s.span.start:s.span.end] == s.span.text
    names = {s.name for s in sources}
    assert "Bloomberg" in names
    assert next(s for s in sources if s.name == "Bloomberg").kind == "outlet"


def test_rt_photo_credit_is_not_a_source(example_parsed):
    parsed = example_parsed["rt"]
    names = {s.name for s in extract_sources(parsed, extract_quotes(parsed))}
    assert "Reuters" not in names
    assert not any("AFP" in n or "Getty" in n for n in names)
