"""Language processing shared by every stage: one spaCy parse and one set of sentence
embeddings per article, computed once and reused.

The names below load lazily (PEP 562): ``import parallax.nlp.embed`` or ``parallax.nlp.sentences``
does not import spaCy; touching ``parallax.nlp.Parsed`` or ``parse_many`` does.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Parsed", "load_spacy", "parse", "parse_many"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
