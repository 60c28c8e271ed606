"""Benchmark ``pairs``: article-pair similarity against human ratings.

What: reads a JSONL file of article pairs (``text1``, ``text2`` and a gold rating, by default
SemEval-2022 Task 8's ``overall``: 1 = very similar ... 4 = very dissimilar), scores every pair
with ``parallax.analysis.similarity.pair_similarities`` and reports the correlation with the gold
similarity (the rating negated when lower means more similar).  For comparison it also reports the
plain all-MiniLM-L6-v2 cosine of the two raw texts.

Why: article similarity decides which articles Parallax treats as covering one story; this keeps
the recipe honest against a public human-rated set.  The system only ever sees the two texts, read
through the normal plain-text reader; gold ratings are read after scoring, to score.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from ..analysis.similarity import pair_similarities, plain_cosine
from ..errors import BenchDataError, InputError
from ..ingest.text import parse_text
from ..model import Article
from ..nlp.embed import load_encoder
from ..nlp.pipeline import load_spacy
from ..options import DEFAULT, Options
from .metrics import pearson, read_jsonl, spearman


def _article(text: Any, where: str, options: Options) -> Article:
    if not isinstance(text, str):
        raise BenchDataError(f"{where}: text is not a string")
    try:
        return parse_text(text, where, options)
    except InputError as exc:
        raise BenchDataError(f"{where}: unusable article text ({exc.reason})") from None


def run_pairs(
    data: Path,
    options: Options | None = None,
    *,
    gold: str = "overall",
    lower_is_similar: bool = True,
    limit: int | None = None,
    baseline: bool = True,
    **_: Any,
) -> dict[str, Any]:
    """Score the pairs of ``data`` and correlate with the gold field.

    Returns ``pearson``, ``spearman`` (of the system with gold similarity), ``n`` (pairs),
    ``baseline_minilm_pearson`` (plain text cosine; omitted when ``baseline`` is False),
    ``dev_pearson`` / ``heldout_pearson`` (the seeded development sample and the rest) and
    ``seconds`` (wall time of the system on all pairs, model loading excluded).
    """
    options = options or DEFAULT
    data = Path(data)
    records = read_jsonl(data, required=("text1", "text2", gold))
    if limit is not None:
        records = records[: int(limit)]
    if len(records) < 2:
        raise BenchDataError(f"{data}: need at least 2 pairs to compute a correlation")

    # --- system: texts only ------------------------------------------------------------------
    pairs = [
        (_article(r["text1"], f"{data}:{i}:text1", options), _article(r["text2"], f"{data}:{i}:text2", options))
        for i, r in enumerate(records, 1)
    ]
    load_spacy()
    load_encoder()
    start = time.perf_counter()
    predicted = pair_similarities(pairs)
    seconds = time.perf_counter() - start
    base = plain_cosine([r["text1"] for r in records], [r["text2"] for r in records]) if baseline else None

    # --- scoring: gold read only now --------------------------------------------------------
    try:
        ratings = [float(r[gold]) for r in records]
    except (TypeError, ValueError):
        raise BenchDataError(f"{data}: gold field {gold!r} must be numeric in every record") from None
    target = [-g for g in ratings] if lower_is_similar else ratings

    result: dict[str, Any] = {
        "pearson": round(pearson(predicted, target), 4),
        "spearman": round(spearman(predicted, target), 4),
        "n": len(records),
    }
    if base is not None:
        result["baseline_minilm_pearson"] = round(pearson(base, target), 4)
        result["baseline_minilm_spearman"] = round(spearman(base, target), 4)
    dev = dev_part(len(records))
    for part, ix in (("dev", sorted(dev)), ("heldout", [i for i in range(len(records)) if i not in dev])):
        if len(ix) >= MIN_PAIRS_PER_LANGUAGE:
            result[f"{part}_pearson"] = round(pearson([predicted[i] for i in ix], [target[i] for i in ix]), 4)
            result[f"{part}_n"] = len(ix)
    by_pair = _per_language_pair(records, predicted, base, target)
    if by_pair:
        result["by_language_pair"] = by_pair
    result["seconds"] = round(seconds, 2)
    return result


# The development part of a pairs file: a seeded random sample of this many pairs (at most a
# third of the file), the sample the multilingual recipe was chosen on (issue 24); the rest is
# the held-out part, reported separately.
DEV_PAIRS = 300


def dev_part(n: int) -> set[int]:
    """Indices of the development pairs of a file of ``n`` pairs (``random.Random(0)``)."""
    return set(random.Random(0).sample(range(n), min(DEV_PAIRS, n // 3)))


# Fewer pairs than this give a correlation too noisy to report for a language pair.
MIN_PAIRS_PER_LANGUAGE = 5


def _per_language_pair(records: list[dict[str, Any]], predicted: list[float], base: list[float] | None,
                       target: list[float]) -> dict[str, dict[str, Any]]:
    """Pearson per language pair (``lang1``-``lang2`` fields, when the file has them)."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        if r.get("lang1") and r.get("lang2"):
            groups.setdefault(f"{r['lang1']}-{r['lang2']}", []).append(i)
    out: dict[str, dict[str, Any]] = {}
    for key in sorted(groups):
        ix = groups[key]
        if len(ix) < MIN_PAIRS_PER_LANGUAGE:
            continue
        row: dict[str, Any] = {"n": len(ix), "pearson": round(pearson([predicted[i] for i in ix], [target[i] for i in ix]), 4)}
        if base is not None:
            row["baseline_minilm_pearson"] = round(pearson([base[i] for i in ix], [target[i] for i in ix]), 4)
        out[key] = row
    return out
