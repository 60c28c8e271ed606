"""Unmarked block quotes: attributed from a portrait caption or the quote just above, never guessed."""

from __future__ import annotations

import pytest

from parallax.analysis.blockquotes import unmarked_block_quotes
from parallax.analysis.quotes import extract_quotes

CAPTION = """The port reopened on Monday after a week of strikes, officials said.
Harbour Master Jane Okafor
We will not let the ships wait any longer. Our crews are ready to work day and night.
Traders welcomed the decision."""

ADJACENT = """Mayor Tom Reyes said the city "will rebuild every house" before winter.
We have the money and we have the people. Nobody will be left behind.
The council meets again on Friday."""

AUTHOR_VOICE = """We have seen this before: another promise nobody will keep.
The council meets again on Friday, officials said."""

NO_SPEAKER = """The port reopened on Monday after a week of strikes, officials said.
Harbour photo
We will not let the ships wait any longer.
Traders welcomed the decision."""


def test_caption_names_the_speaker(parse_text):
    p = parse_text(CAPTION)
    blocks = [q for q in extract_quotes(p) if q.kind == "block"]
    assert len(blocks) == 1
    q = blocks[0]
    assert q.speaker == "Jane Okafor" and q.method == "block-caption" and q.resolved
    assert q.content.text.startswith("We will not let the ships wait")
    assert p.article.text[q.content.start:q.content.end] == q.content.text


def test_statement_continues_after_a_quote(parse_text):
    p = parse_text(ADJACENT)
    blocks = [q for q in extract_quotes(p) if q.kind == "block"]
    assert [(q.speaker, q.method) for q in blocks] == [("Tom Reyes", "block-adjacent")]


@pytest.mark.parametrize("text", [AUTHOR_VOICE, NO_SPEAKER])
def test_no_named_speaker_no_block_quote(parse_text, text):
    p = parse_text(text)
    quotes = extract_quotes(p)
    assert all(q.kind != "block" for q in quotes)
    assert unmarked_block_quotes(p, [q for q in quotes if q.kind != "block"]) == []


def test_reference_rt_block_quotes_are_bashaghas(example_parsed):
    rt = example_parsed["rt"]
    blocks = [q for q in extract_quotes(rt) if q.kind == "block"]
    assert len(blocks) == 2
    assert all(q.speaker == "Fathi Bashagha" for q in blocks)
    assert blocks[0].content.text.startswith("If the US asks for a base")
    assert "we hope that the redeployment includes Libya" in blocks[1].content.text
