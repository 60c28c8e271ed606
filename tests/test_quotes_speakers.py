"""Who said it: table-driven cases for each way a quote went into the wrong mouth (issue 17).

Every text is written for these tests (general English, made-up people).  Each row names the
quote by a piece of its content and the speaker expected: a name, a description left unresolved
(``resolved`` False), or ``None`` for "no quote at all".
"""

from __future__ import annotations

import pytest

from parallax.analysis.quotes import extract_quotes


def _find(quotes, piece):
    hits = [q for q in quotes if piece in q.content.text]
    return hits


# (text, piece of the quote's content, expected speaker, expected resolved)
WRONG_MOUTH = [
    # the person the story is about is not the speaker
    ('Police arrested Tom Vance on Friday. "These are not toy parts," said the police chief, Anna Ruiz.',
     "These are not toy parts", "Anna Ruiz", True),
    # an indefinite role introduces someone new: never the last name mentioned
    ('Ivan Petrov met the envoy on Monday. "It is a big blow from the inquiry," a government official '
     'told the Herald.', "big blow", "a government official", False),
    ('Tom Reed attended Valley College for three semesters, a college spokeswoman confirmed.',
     "attended Valley College", "a college spokeswoman", False),
    # a definite role goes to the person the article gives that role
    ('Senator Mary Lane spoke after the vote. Hillary Stone had warned of the risk for months. '
     '"I am afraid the mayor could be misled," the senator warned.', "afraid the mayor", "Mary Lane", True),
    # gender: "she" skips the nearer man
    ('Maria Lopez met Mr. John Brandt on Monday. "We will not sign it," she said.', "will not sign",
     "Maria Lopez", True),
    # "they" is never one person
    ('Maria Lopez and Paul Kim left the meeting early. "We have heard enough," they said.',
     "heard enough", "Maria Lopez and Paul Kim", True),
    ('Maria Lopez spoke first. "We have heard enough," they said.', "heard enough", "they", False),
    # a cue word inside the quote is not the cue
    ('“Paul says he wants to run the city like a shop,” Anna Berg said on Wednesday.',
     "run the city", "Anna Berg", True),
]


@pytest.mark.parametrize("text,piece,speaker,resolved", WRONG_MOUTH)
def test_speaker_goes_to_the_right_mouth(parse_text, text, piece, speaker, resolved):
    quotes = extract_quotes(parse_text(text))
    hits = _find(quotes, piece)
    assert len(hits) == 1, [(q.content.text, q.speaker) for q in quotes]
    assert (hits[0].speaker, hits[0].resolved) == (speaker, resolved)


NOT_A_STATEMENT = [
    "Authorities haven't said whether the devices were built to explode.",
    "Anna Berg declined to say whether the plant would close.",
    "Reporters asked if the plan was dead after the vote.",
    "A spokesman for the company did not respond to requests for comment on the report.",
    "Paul Kim has not said what he will do with the money.",
]


@pytest.mark.parametrize("text", NOT_A_STATEMENT)
def test_negated_refused_and_asked_frames_are_no_statement(parse_text, text):
    assert extract_quotes(parse_text(text)) == []


def test_a_statement_about_not_knowing_is_a_statement(parse_text):
    quotes = extract_quotes(parse_text("Paul Kim said he did not know whether the plant would close."))
    assert [q.speaker for q in quotes] == ["Paul Kim"]


NOT_SPEECH = [
    'Her favourite film is "The Third Man" and she watches it every year.',
    'He wrote a book called "Days of Rain in the Valley" in 2004.',
    'William "Bud" Carter runs the hardware store on Main Street.',
    'The council voted on the so-called "green deal" on Monday.',
]


@pytest.mark.parametrize("text", NOT_SPEECH)
def test_titles_nicknames_and_scare_quotes_are_not_quotes(parse_text, text):
    assert extract_quotes(parse_text(text)) == []


def test_title_in_a_sentence_with_a_real_statement(parse_text):
    text = 'Anna Berg said on “Morning Report” that the bridge would reopen in May.'
    quotes = extract_quotes(parse_text(text))
    assert [q.content.text for q in quotes if "Morning Report" == q.content.text] == []
    assert any("bridge would reopen" in q.content.text and q.speaker == "Anna Berg" for q in quotes)


SHORT_AND_INVERTED = [
    ('“Is it over?” the mayor said.', "Is it over?", "the mayor"),
    ('"Never!" shouted Tom Hill as the crowd left.', "Never!", "Tom Hill"),
    ('"We will fight on," echoed Maria Diaz.', "We will fight on", "Maria Diaz"),
    ('"Not today, and not tomorrow either," replied Paul Kim.', "Not today", "Paul Kim"),
]


@pytest.mark.parametrize("text,content,speaker", SHORT_AND_INVERTED)
def test_short_questions_and_inverted_cues(parse_text, text, content, speaker):
    quotes = extract_quotes(parse_text(text))
    hits = _find(quotes, content)
    assert len(hits) == 1, [(q.content.text, q.speaker) for q in quotes]
    assert hits[0].speaker == speaker


def test_mixed_quote_tail_is_not_repeated(parse_text):
    text = 'Anna Berg said the plan was "dead on arrival." The council met again on Friday.'
    quotes = extract_quotes(parse_text(text))
    assert len(quotes) == 1 and quotes[0].kind == "mixed", [(q.kind, q.content.text) for q in quotes]
