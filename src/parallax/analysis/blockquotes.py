"""Block quotes that lost their markup: first-person paragraphs that are someone else's words.

Scraped web articles often drop the ``<blockquote>`` around a long statement, leaving a
paragraph in the first person ("If the US asks for a base, ... we wouldn't mind") between the
outlet's own sentences.  Read as the outlet's voice it looks like editorialising; it is a quote.
A paragraph is taken as a block quote when it has no quote marks, speaks in the first person,
has no reporting verb of its own, and is attributed by its context:

* the caption or heading just above it names one person (a portrait caption, "Interior
  Minister Jane Doe") -- method ``block-caption``; or
* the paragraph just above quotes a named person -- method ``block-adjacent`` (the statement
  goes on).

The speaker is always a named person found this way; without one nothing is emitted, so an
author writing "we" in the outlet's own voice is never silenced.
"""

from __future__ import annotations

import re

from ..model import Quote, Sentence, Span
from ..nlp import Parsed
from .names import build_index

FIRST_PERSON = re.compile(r"\b(I|we|We|us|our|Our|my|My|me)\b")
QUOTE_MARKS = re.compile("[\"“”«»]")
# A block quote is a statement, not a feature: beyond this many words it is more likely the
# outlet's own first-person reporting.
MAX_WORDS = 120


def _paragraphs(sentences: list[Sentence]) -> list[list[Sentence]]:
    paras: dict[int, list[Sentence]] = {}
    for s in sentences:
        paras.setdefault(s.paragraph, []).append(s)
    return [paras[k] for k in sorted(paras)]


def _caption_person(parsed: Parsed, para: list[Sentence], index) -> tuple[str, Span] | None:
    persons = []
    for s in para:
        span = parsed.doc.char_span(s.start, s.end, alignment_mode="expand")
        for ent in span.ents if span is not None else []:
            if ent.label_ == "PERSON" and ent.text.strip()[:1].isupper():
                persons.append(ent)
    names = {index.resolve(e.text.strip()) for e in persons}
    if len(names) != 1:
        return None
    ent = persons[-1]
    text = ent.text.strip()
    return names.pop(), Span(ent.start_char, ent.start_char + len(text), text)


def unmarked_block_quotes(parsed: Parsed, quotes: list[Quote]) -> list[Quote]:
    """Block quotes without quote marks, attributed from the caption or quote just above."""
    text = parsed.article.text
    index = build_index(parsed.doc)
    quoted_sents = {q.sentence for q in quotes}
    person_quotes = {}
    for q in quotes:
        if q.resolved and q.method not in ("role",) and q.speaker in index.full | set(index.surnames.values()):
            person_quotes.setdefault(parsed.sentences[q.sentence].paragraph, q)
    out: list[Quote] = []
    paras = _paragraphs(parsed.sentences)
    for k, para in enumerate(paras):
        if k == 0 or para[0].kind != "body" or any(s.index in quoted_sents for s in para):
            continue
        start, end = para[0].start, para[-1].end
        body = text[start:end]
        if QUOTE_MARKS.search(body) or not FIRST_PERSON.search(body) or len(body.split()) > MAX_WORDS:
            continue
        span = parsed.doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(t.lemma_ in ("say", "tell", "add") and t.pos_ == "VERB" for t in span):
            continue
        prev = paras[k - 1]
        speaker = None
        if prev[0].kind == "caption":
            found = _caption_person(parsed, prev, index)
            if found:
                speaker = (found[0], found[1], "block-caption")
        elif prev[0].paragraph in person_quotes:
            q = person_quotes[prev[0].paragraph]
            speaker = (q.speaker, q.speaker_span, "block-adjacent")
        if speaker is None:
            continue
        out.append(Quote(content=Span(start, end, body), speaker=speaker[0], speaker_span=speaker[1],
                         cue=None, kind="block", sentence=para[0].index, resolved=True, method=speaker[2]))
        person_quotes[para[0].paragraph] = out[-1]
    return out
