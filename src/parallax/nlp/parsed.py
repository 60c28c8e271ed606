"""The record of an article being analysed: the article and the spaCy ``Doc`` every stage reads.

Kept apart from :mod:`parallax.nlp.pipeline` (which loads spaCy) so code that only names the
type — story features, type hints — imports no model library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Article, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Parsed", "doc_text"]

_last_text: list = [None, ""]  # (doc, its text): the doc being analysed now


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept for the doc asked about last: spaCy rebuilds the string from the tokens
    at every access (milliseconds for an article), and the stages of one article ask several times."""
    if _last_text[0] is not doc:
        _last_text[0], _last_text[1] = doc, doc.text
    return _last_text[1]


@dataclass
class Parsed:
    """An article with its sentences filled in, and the spaCy Doc every stage reads."""

    article: Article
    doc: Doc

    @property
    def sentences(self) -> list[Sentence]:
        return self.article.sentences

    def sentence_at(self, char: int) -> int:
        """Index of the sentence containing character ``char`` (nearest preceding one)."""
        best = 0
        for s in self.article.sentences:
            if s.start <= char:
                best = s.index
            else:
                break
        return best
