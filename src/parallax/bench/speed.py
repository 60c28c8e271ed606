"""Benchmark ``speed``: throughput of the full pipeline against bare spaCy on the same texts.

What: takes the first ``limit`` articles (``text`` field) of a JSONL file, times ``nlp.pipe``
over their texts with the very pipeline Parallax loads, then times the full Parallax pipeline on
the same articles in the same process, and reports words per second for both and their ratio.

Why: spaCy parsing is the floor every analysis pays; the ratio says how much Parallax adds on top
and is comparable across machines, where absolute words/s are not.  Both models are loaded and
warmed up before either clock starts, and the parse and embedding caches are cleared before the
pipeline run so that it really re-parses and re-embeds instead of reading the bare run's work.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..errors import BenchDataError
from ..model import Article
from ..nlp import embed as embed_mod
from ..nlp import pipeline as nlp_pipeline
from ..options import DEFAULT, Options
from ..pipeline import analyze_many
from .metrics import read_jsonl

DEFAULT_LIMIT = 200
WARMUP_TEXTS = 3


def _clear_caches() -> None:
    nlp_pipeline._cache.clear()
    embed_mod._cache.clear()


def load_articles(data: Path, limit: int) -> list[Article]:
    """The first ``limit`` records with a non-empty ``text``, as articles (duplicates dropped)."""
    records = read_jsonl(data, required=("text",))
    articles: list[Article] = []
    seen: set[str] = set()
    for no, rec in enumerate(records, 1):
        text = rec["text"]
        if not isinstance(text, str):
            raise BenchDataError(f"{data}: record {no}: text is not a string")
        if not text.strip():
            continue
        meta = {k: rec[k] for k in ("outlet", "title", "url") if isinstance(rec.get(k), str)}
        art = Article.new(text, path=f"{data}:{no}", **meta)
        if art.id in seen:
            continue
        seen.add(art.id)
        articles.append(art)
        if len(articles) >= limit:
            break
    if not articles:
        raise BenchDataError(f"{data}: no record has a non-empty text field")
    return articles


def run_speed(data: Path, options: Options | None = None, *, limit: int = DEFAULT_LIMIT,
              **_: Any) -> dict[str, Any]:
    """Time bare spaCy and the full pipeline on the first ``limit`` articles of ``data``.

    Returns ``pipeline_words_per_s``, ``spacy_words_per_s``, ``ratio`` (pipeline / spacy; below 1
    means the pipeline is slower), ``articles``, ``words`` and the two wall times.  The full pipeline is
    ``parallax.pipeline.analyze_many``: parse, every per-article stage and sentence embeddings.
    """
    options = options or DEFAULT
    if int(limit) < 1:
        raise BenchDataError(f"limit must be at least 1, got {limit}")
    articles = load_articles(Path(data), int(limit))
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)

    # Warm-up: load both models and run each path on a few texts so loading is never timed.
    nlp = nlp_pipeline.load_spacy()
    list(nlp.pipe(texts[:WARMUP_TEXTS]))
    analyze_many(articles[:WARMUP_TEXTS], options)

    _clear_caches()
    start = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=options.batch_size):
        pass
    spacy_s = time.perf_counter() - start

    _clear_caches()
    start = time.perf_counter()
    analyze_many(articles, options)
    pipeline_s = time.perf_counter() - start

    spacy_wps = words / spacy_s if spacy_s > 0 else 0.0
    pipeline_wps = words / pipeline_s if pipeline_s > 0 else 0.0
    return {
        "pipeline_words_per_s": round(pipeline_wps, 1),
        "spacy_words_per_s": round(spacy_wps, 1),
        "ratio": round(pipeline_wps / spacy_wps, 4) if spacy_wps else 0.0,
        "articles": len(articles),
        "words": words,
        "spacy_seconds": round(spacy_s, 3),
        "pipeline_seconds": round(pipeline_s, 3),
    }
