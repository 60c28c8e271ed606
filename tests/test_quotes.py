"""Quote extraction: table-driven cases on hand-written sentences plus the reference articles."""

from __future__ import annotations

import pytest

from parallax.analysis.quotes import extract_quotes, find_quote_pairs

# (text, [(speaker, cue, content, kind), ...])  - content is the exact quote text
CASES = [
    ('Maria Lopez, the city’s mayor, said: “We will rebuild every bridge.”',
     [("Maria Lopez", "said", "We will rebuild every bridge.", "direct")]),
    ('"The budget is balanced for the first time," said Finance Minister Tom Reyes.',
     [("Tom Reyes", "said", "The budget is balanced for the first time", "direct")]),
    ('"The vote was rigged from the start," the Daily Courier reports.',
     [("Daily Courier", "reports", "The vote was rigged from the start", "direct")]),
    ('Anna Berg told the Herald that the factory would close in May.',
     [("Anna Berg", "told", "the factory would close in May", "indirect")]),
    ('The union leader Paul Kim warned that strikes would spread to the ports.',
     [("Paul Kim", "warned", "strikes would spread to the ports", "indirect")]),
    ('According to Paul Kim, the strike will last a week.',
     [("Paul Kim", "According to", "the strike will last a week", "indirect")]),
    ('The plan, Anna Berg said, was never approved by the board.',
     [("Anna Berg", "said", None, "indirect")]),
    # mixed quote: one quote, kind mixed, content the reported clause with its quoted part
    ('Berg claimed that the rebels "have a long plan for the whole region," adding nothing more.',
     [("Berg", "claimed", 'the rebels "have a long plan for the whole region,"', "mixed")]),
    ('Paul Kim says he has “big plans” for the final month of the campaign.',
     [("Paul Kim", "says", "he has “big plans” for the final month of the campaign", "mixed")]),
    # a quote split by its cue: two quotes, one speaker, one cue
    ('“Here comes the mayor,” Anna Berg said, clapping. “The mayor. At last.”',
     [("Anna Berg", "said", "Here comes the mayor", "direct"),
      ("Anna Berg", "said", "The mayor. At last.", "direct")]),
    # a quote running over two paragraphs: no closing mark at the first paragraph's end
    ('The Daily Courier reports:\n\n“The harbour was closed for a week. Nobody knew why.\n\n'
     '“The ships waited outside the port until the storm was over.”',
     [("Daily Courier", "reports", "The harbour was closed for a week. Nobody knew why.", "direct"),
      ("Daily Courier", "reports", "The ships waited outside the port until the storm was over.", "direct")]),
    # --- nothing ---
    ('The so-called "peace plan" was rejected by the council.', []),
    ("The troops were sent to 'deter' the rebels.", []),
    ('The "reform" is a "historic step" for the country.', []),
    ('He walked along the river "toward the city and never came back.\nThe next day it rained.', []),
    ('The weather was "cold and wet all week long at the coast.', []),
    ('"The river is wide and the bridge is old and the town is quiet."', []),
    ("The ministers’ meeting ended without a deal and the workers' union left.", []),
    ("Rock 'n' roll isn't dead, and the '90s are back.", []),
    ('The council met on Monday. "The roads are closed," "the schools are shut.', []),
    ('He believes that the plan will fail.', []),
    ('The report, which runs to 90 pages, was published on Monday.', []),
]


def _check_offsets(parsed, quotes):
    text = parsed.article.text
    for q in quotes:
        for span in (q.content, q.speaker_span, q.cue, *q.parts):
            if span is not None:
                assert text[span.start:span.end] == span.text


@pytest.mark.parametrize("text,expected", CASES)
def test_quote_table(parse_text, text, expected):
    parsed = parse_text(text)
    quotes = extract_quotes(parsed)
    _check_offsets(parsed, quotes)
    got = [(q.speaker, q.cue.text if q.cue else None, q.content.text, q.kind) for q in quotes]
    assert len(got) == len(expected), got
    for (speaker, cue, content, kind), g in zip(expected, got):
        assert g[0] == speaker
        assert g[1] == cue
        if content is not None:
            assert g[2] == content
        assert g[3] == kind


def test_caption_is_skipped(parse_text):
    text = ('Paul Kim said "the harbour will reopen next week" at the meeting.\n'
            'Paul Kim says "no comment", file image via AFP/Getty\n'
            'The harbour has been closed since the storm.')
    parsed = parse_text(text)
    quotes = extract_quotes(parsed)
    assert [q.content.text for q in quotes] == ["the harbour will reopen next week"]
    assert all(parsed.sentences[q.sentence].kind == "body" for q in quotes)


@pytest.mark.parametrize("text,speaker,resolved,method", [
    ('Maria Lopez opened the session. "We will not wait any longer," she said.',
     "Maria Lopez", True, "pronoun"),
    ('Mayor Maria Lopez opened the session. The mayor added, "We will not wait any longer."',
     "Maria Lopez", True, "role-nearest"),
    # nothing in the text makes the person named before "the mayor": left as written (issue 17)
    ('Maria Lopez opened the session. The mayor added, "We will not wait any longer."',
     "The mayor", False, "role"),
    ('The session opened late. "We will not wait any longer," she said.', "she", False, "pronoun"),
    ('Maria Lopez opened the session. "We will not wait any longer," the committee said.',
     "the committee", False, "role"),
    ('Maria Lopez spoke first. Later, the mayor Maria Lopez said "we are broke and out of time".',
     "Maria Lopez", True, "name"),
    ('Maria Lopez spoke first. Lopez said "we are broke and out of time".', "Maria Lopez", True, "name"),
])
def test_speaker_resolution(parse_text, text, speaker, resolved, method):
    quotes = extract_quotes(parse_text(text))
    assert len(quotes) == 1
    q = quotes[0]
    assert (q.speaker, q.resolved, q.method) == (speaker, resolved, method)


def test_continuation_keeps_speaker(parse_text):
    text = '"We are ready," Maria Lopez said. "The whole city has worked for this moment."'
    quotes = extract_quotes(parse_text(text))
    assert [q.speaker for q in quotes] == ["Maria Lopez", "Maria Lopez"]
    assert quotes[1].method == "continuation"


@pytest.mark.parametrize("text", [
    '"', '“', '””““', "'''", '"a" "b" "c', '“Unclosed\n\nNext paragraph” said he.', "‘’", "",
    'He said "', '" he said', '”Backwards quote“ she said.',
])
def test_odd_marks_never_crash(parse_text, text):
    if not text.strip():
        pairs = find_quote_pairs(text)
        assert pairs == []
        return
    parsed = parse_text(text + " The end.")
    quotes = extract_quotes(parsed)
    _check_offsets(parsed, quotes)
    for q in quotes:
        assert "\n" not in q.content.text


def test_pairs_stay_in_paragraph():
    text = 'He said "this never closes.\nThen "a new one" started.'
    pairs = find_quote_pairs(text)
    assert [(text[p.start], text[p.end]) for p in pairs] == [('"', '"')]
    assert text[pairs[0].start + 1:pairs[0].end] == "a new one"


def test_reference_zerohedge(example_parsed):
    parsed = example_parsed["zerohedge"]
    quotes = extract_quotes(parsed)
    _check_offsets(parsed, quotes)
    by_text = {q.content.text: q for q in quotes}
    q1 = by_text["The Russians aren’t in Libya just for Haftar."]
    assert q1.speaker == "Fathi Bashagha" and q1.resolved and q1.kind == "direct"
    assert q1.cue is not None and q1.cue.text == "told"
    q2 = by_text["They have a big strategy in Libya and Africa."]
    assert q2.speaker == "Fathi Bashagha" and q2.resolved and q2.method == "role-nearest"
    assert q2.speaker_span is not None and q2.speaker_span.text == "The top Libyan security chief"
    assert not any(q.content.text == "Russian influence" for q in quotes)  # scare quotes
    assert all(parsed.sentences[q.sentence].kind == "body" for q in quotes)


def test_reference_rt(example_parsed):
    parsed = example_parsed["rt"]
    quotes = extract_quotes(parsed)
    _check_offsets(parsed, quotes)
    hits = [q for q in quotes if "have a big strategy in Libya and Africa" in q.content.text]
    assert len(hits) == 1
    assert hits[0].speaker == "Fathi Bashagha" and hits[0].kind == "mixed" and hits[0].resolved
    assert [p.text for p in hits[0].parts] == ["have a big strategy in Libya and Africa"]
    assert hits[0].cue is not None and hits[0].cue.text == "claimed"
    assert not any(q.content.text == "deter" for q in quotes)


def test_multi_paragraph_pairs():
    text = 'X reports:\n\n"First part. More.\n\n"Second part."\n\nEnd "open\nnext'
    pairs = find_quote_pairs(text)
    got = [(text[p.start:p.end + 1], p.open_end) for p in pairs]
    assert got == [('"First part. More.', True), ('"Second part."', False)]


def test_mixed_quote_parts_and_kinds(parse_text):
    parsed = parse_text('Anna Berg said the plan was "dead on arrival" and "a waste of money".')
    quotes = extract_quotes(parsed)
    _check_offsets(parsed, quotes)
    assert len(quotes) == 1 and quotes[0].kind == "mixed"
    assert [p.text for p in quotes[0].parts] == ["dead on arrival", "a waste of money"]
