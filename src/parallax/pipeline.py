"""Runs the per-article stages over a batch; the only place that knows their order.

    ingest -> nlp (parse once) -> mentions -> quotes -> provenance -> framing -> relations
           -> sentence embeddings (only with ``options.embed_sentences``; cached for alignment)

Each stage is a pure function of the parsed article (and of earlier stages' records, read from
the article); this module wires them and returns annotated copies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from .analysis.actors import extract_mentions
from .analysis.framing import flag_sentences
from .analysis.names import build_index
from .analysis.provenance import extract_sources
from .analysis.quotes import extract_quotes
from .analysis.relations import extract_relations
from .model import Article
from .nlp import Parsed, parse_many
from .nlp.embed import embed, use_backend
from .nlp.language import is_english
from .options import DEFAULT, Options

Progress = Callable[[int], None]


# The stages whose rules and models read English only; on other languages they are not run and
# the article says so (``Article.limits``) instead of carrying English-rule output on German text.
ENGLISH_ONLY_STAGES = ("actors", "quotes", "sources", "framing", "relations")


def analyze_parsed(parsed: Parsed, options: Options = DEFAULT) -> Parsed:
    """All per-article annotations of one parsed article."""
    lang = parsed.article.language
    if not is_english(lang):
        limits = [f"{stage}: English-only, not run on {lang} text" for stage in ENGLISH_ONLY_STAGES]
        return Parsed(replace(parsed.article, limits=limits), parsed.doc)
    index = build_index(parsed.doc)
    mentions = extract_mentions(parsed, index)
    quotes = extract_quotes(parsed, options)
    sources = extract_sources(parsed, quotes, options)
    flags = flag_sentences(parsed, quotes, options)
    article = replace(parsed.article, mentions=mentions, quotes=quotes, sources=sources, flags=flags)
    relations = extract_relations(Parsed(article, parsed.doc), options)
    return Parsed(replace(article, relations=relations), parsed.doc)


def run(articles: Sequence[Article], options: Options = DEFAULT,
        progress: Progress | None = None) -> list[Parsed]:
    """Parse and analyse a batch; ``progress(n)`` is called after each chunk of n articles."""
    use_backend(options.embed_backend)
    out: list[Parsed] = []
    step = max(1, options.batch_size)
    for k in range(0, len(articles), step):
        chunk = parse_many(articles[k:k + step], batch_size=options.batch_size)
        out.extend(analyze_parsed(p, options) for p in chunk)
        if options.embed_sentences:
            # every body sentence embedded now, in batches, cached for the cross-article steps
            # (alignment, event line, similarity); else those steps embed what they read
            embed([s.text for p in chunk for s in p.sentences if s.kind == "body"])
        if progress:
            progress(len(chunk))
    return out


def analyze_many(articles: Sequence[Article], options: Options = DEFAULT,
                 progress: Progress | None = None) -> list[Article]:
    """Annotated copies of ``articles`` (sentences, mentions, quotes, sources, flags, relations)."""
    return [p.article for p in run(articles, options, progress)]


def analyze(article: Article, options: Options = DEFAULT) -> Article:
    return analyze_many([article], options)[0]
