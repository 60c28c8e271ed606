"""Sentence records from a spaCy Doc: offsets, paragraph numbers and the sentence kind.

Web articles carry picture captions, photo credits and stray headings between paragraphs
("© Reuters / File", "File image, US Army"); they are kept in the text (offsets stay true) but
marked ``caption`` so that alignment, framing and provenance do not treat them as reporting.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..model import Sentence
from .parsed import doc_text

_WORDY = re.compile(r"\w")
_TERMINAL = re.compile(r"[.!?:;\"”’')\]…]$")
_CREDIT = re.compile(
    r"©|\b(file (image|photo|picture|pic)|photo(graph)?:|image:|picture:|credit:|"
    r"via (AFP|Getty|Reuters|AP|EPA)\b|(AFP|AP|EPA|Reuters) ?/ ?|Getty Images|Shutterstock)",
    re.IGNORECASE,
)
# Captions are short; a long paragraph without final punctuation is more likely cut-off text.
CAPTION_MAX_WORDS = 40


def paragraph_kind(paragraph: str) -> str:
    words = len(paragraph.split())
    if words <= CAPTION_MAX_WORDS and (_CREDIT.search(paragraph) or not _TERMINAL.search(paragraph)):
        return "caption"
    return "body"


def build_sentences(doc: Doc) -> list[Sentence]:
    """Split ``doc`` into sentences that never cross a paragraph break, stripped of whitespace."""
    text = doc_text(doc)
    # paragraph spans and kinds
    paragraphs: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append((pos, pos + len(line), paragraph_kind(line.strip())))
        pos += len(line) + 1
    if paragraphs and all(k == "caption" for _, _, k in paragraphs):
        paragraphs = [(s, e, "body") for s, e, _ in paragraphs]

    out: list[Sentence] = []
    p = 0
    for sent in doc.sents:
        # a spaCy sentence may still include newline tokens: cut at every newline
        s0 = sent.start_char
        for piece in re.split(r"(\n)", sent.text):
            if piece != "\n" and piece.strip():
                lead = len(piece) - len(piece.lstrip())
                start = s0 + lead
                end = start + len(piece.strip())
                while p < len(paragraphs) - 1 and start >= paragraphs[p][1]:
                    p += 1
                if out and out[-1].paragraph == p and not _WORDY.search(piece):
                    # a stray closing quote or bracket: it belongs to the sentence before
                    prev = out[-1]
                    out[-1] = Sentence(prev.index, prev.start, end, text[prev.start:end], prev.paragraph, prev.kind)
                    s0 += len(piece)
                    continue
                out.append(Sentence(index=len(out), start=start, end=end, text=text[start:end],
                                    paragraph=p, kind=paragraphs[p][2] if paragraphs else "body"))
            s0 += len(piece)
    return out
