"""Parallax: read news coverage the way a careful analyst does.

    import parallax
    comparison = parallax.compare(["a.txt", "b.html"])
    comparison.to_dict()

The record types live in :mod:`parallax.model`; every result converts to plain dicts.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from .model import (Actor, Article, Claim, Comparison, Flag, Mention, Quote, QuoteGroup, Relation,
                    Sentence, SentenceRef, Source, Span)
from .options import DEFAULT, Options

__version__ = "0.1.0"

__all__ = ["compare", "analyze", "read", "Options", "DEFAULT", "Article", "Sentence", "Mention",
           "Quote", "Source", "Flag", "Relation", "Actor", "Claim", "SentenceRef", "QuoteGroup",
           "Comparison", "Span"]


def read(paths: Sequence[str | os.PathLike], options: Options = DEFAULT) -> list[Article]:
    """Read article files; bad files are skipped (see ``parallax.ingest.read_many`` for the errors)."""
    from .ingest import read_many
    return read_many(paths, options).articles


def compare(items: Sequence[Article | str | os.PathLike], options: Options = DEFAULT) -> Comparison:
    """Compare articles (or files) about one event."""
    from .compare import compare as _compare
    paths = [i for i in items if not isinstance(i, Article)]
    articles = [i for i in items if isinstance(i, Article)] + (read(paths, options) if paths else [])
    return _compare(articles, options)


def analyze(article: Article | str | os.PathLike, options: Options = DEFAULT) -> Article:
    """Annotate one article (sentences, mentions, quotes, sources, flags, relations)."""
    from .pipeline import analyze as _analyze
    if not isinstance(article, Article):
        article = read([article], options)[0]
    return _analyze(article, options)
