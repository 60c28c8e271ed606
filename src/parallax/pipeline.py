"""Runs the per-article stages over a batch; the only place that knows their order.

    ingest -> nlp (parse once) -> mentions -> quotes -> provenance -> framing -> relations
           -> sentence embeddings (only with ``options.embed_sentences``; cached for alignment)

Each stage is a pure function of the parsed article (and of earlier stages' records, read from
the article); this module wires them and returns annotated copies.

One error policy for every caller (ingest, worker processes, Ray, ``compare``, story pages):
:func:`skip_failures` runs a batch, and when it raises, runs it article by article so one bad
article is skipped and recorded (``InputError`` naming it and the exception) instead of sinking
its neighbours.  :func:`prepare` is the stage runner ``compare`` uses: articles already analysed
(stored ones: their sentences are filled in) are only re-parsed, for what alignment and the
conflict spans read from the spaCy ``Doc``; the rest run every stage.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from . import errors

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
T = TypeVar("T")
R = TypeVar("R")


def _label(item: object) -> str:
    art = getattr(item, "article", item)
    return getattr(art, "path", "") or getattr(art, "url", "") or getattr(art, "id", "") or repr(item)[:60]


def skip_failures(fn: Callable[[Sequence[T]], list[R]], items: Sequence[T]
                  ) -> tuple[list[R], list[errors.InputError]]:
    """``fn(items)``; if it raises, ``fn`` article by article: the failing ones are skipped and
    returned as ``InputError(source, "analysis failed (Type: message)")``, in input order."""
    try:
        return fn(items), []
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception:  # noqa: BLE001 - any stage's bug must not sink the batch
        if len(items) <= 1:
            exc = sys.exc_info()[1]
            return [], [errors.InputError(_label(it), f"analysis failed ({type(exc).__name__}: {exc})")
                        for it in items]
    done: list[R] = []
    failed: list[errors.InputError] = []
    for it in items:
        ok, bad = skip_failures(fn, [it])
        done.extend(ok)
        failed.extend(bad)
    return done, failed


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


def prepare(articles: Sequence[Article], options: Options = DEFAULT, progress: Progress | None = None
            ) -> tuple[list[Parsed], list[errors.InputError]]:
    """Parsed, annotated articles for a comparison, and the articles that failed (skipped).

    An article that carries sentences was analysed before (read from a store, or an exported
    record): its annotations are kept and it is only parsed (cached by text hash).  Others run
    every stage (:func:`run`)."""
    use_backend(options.embed_backend)
    stored = [a for a in articles if a.sentences]
    fresh = [a for a in articles if not a.sentences]
    done: dict[int, Parsed] = {}
    failed: list[errors.InputError] = []
    step = max(1, options.batch_size)
    for k in range(0, len(stored), step):
        chunk = stored[k:k + step]
        ok, bad = skip_failures(lambda b: parse_many(b, batch_size=options.batch_size), chunk)
        done.update((id(a), p) for a, p in _matched(chunk, ok))
        failed.extend(bad)
        if progress:
            progress(len(chunk))
    for k in range(0, len(fresh), step):
        chunk = fresh[k:k + step]
        ok, bad = skip_failures(lambda b: run(b, options), chunk)
        done.update((id(a), p) for a, p in _matched(chunk, ok))
        failed.extend(bad)
        if progress:
            progress(len(chunk))
    return [done[id(a)] for a in articles if id(a) in done], failed


def _matched(chunk: Sequence[Article], parsed: list[Parsed]) -> list[tuple[Article, Parsed]]:
    """Pair each surviving parsed article with its input (failures leave gaps; order is kept)."""
    out, k = [], 0
    for a in chunk:
        if k < len(parsed) and parsed[k].article.id == a.id and parsed[k].article.text == a.text:
            out.append((a, parsed[k]))
            k += 1
    return out


def analyze_many(articles: Sequence[Article], options: Options = DEFAULT,
                 progress: Progress | None = None) -> list[Article]:
    """Annotated copies of ``articles`` (sentences, mentions, quotes, sources, flags, relations)."""
    return [p.article for p in run(articles, options, progress)]


def analyze(article: Article, options: Options = DEFAULT) -> Article:
    return analyze_many([article], options)[0]
