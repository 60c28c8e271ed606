"""Benchmark ``cluster``: incremental story assignment against gold story labels.

What: reads a JSONL file of articles (``text``, optional ``title``, ``date``, ``outlet``; gold
``story_id``) and ingests them, the way a user would, into a fresh temporary database in arrival
order (a fixed-seed shuffle, then stably sorted by date when dates exist): analysis,
near-duplicates and incremental story assignment; then runs one ``recluster`` and scores the
stored stories against ``story_id``:
B-cubed precision / recall / F1, precision / recall / F1 of same-story pairs, the share of
predicted stories that mix two gold events, adjusted Rand index, the number of predicted and
gold stories and throughput.  The same scores are given for the file's development part
(``dev_``) and its held-out part (``heldout_``: ECB+ topics 26-30, BASIL years 2015-2016, fixed
before any tuning and never trained on; ``parallax.stories.pair_train.heldout``), each scored on
the clustering of the whole file.  In the same run it scores a plain baseline, TF-IDF cosine +
average-linkage agglomerative clustering at the single distance threshold that is best *for this
file* (so an optimistic upper bound for that method), under ``baseline_`` keys.

``run_cluster_scale(data, n)`` measures the assignment cost at size n: it builds n articles by
perturbing the dev articles' features (each copy of a gold story gets its own entity names,
shifted dates and noise on the embedding, so copies form distinct stories) and reports the
milliseconds per ``assign`` over the whole stream and over its last tenth.

Why: the system sees ``text``, ``title``, ``date`` and ``outlet`` only; ``story_id`` is read
after clustering, to score.  Ordering by date is how articles arrive in production; the shuffle
keeps the file's own order (often grouped by story) from helping.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BenchDataError, InputError
from ..ingest.text import parse_text
from ..model import Article
from ..nlp.embed import load_encoder
from ..nlp.pipeline import load_spacy
from ..options import DEFAULT, Options
from ..pipeline import run as run_pipeline
from ..workflows import StoryEngine, ingest_into, recluster
from ..store import open_store
from ..stories import StoryFeatures, StoryIndex, story_features
from ..stories.features import day_number
from ..stories.pair_train import heldout
from .metrics import adjusted_rand, bcubed, mixed_share, pairwise_prf, read_jsonl

INPUT_FIELDS = ("title", "date", "outlet")
SEED = 13


def _articles(data: Path, records: list[dict[str, Any]], options: Options) -> list[Article]:
    out = []
    for no, rec in enumerate(records, 1):
        text = rec.get("text")
        if not isinstance(text, str):
            raise BenchDataError(f"{data}: record {no}: text is not a string")
        meta = {k: rec[k] for k in INPUT_FIELDS if isinstance(rec.get(k), str) and rec[k]}
        if "date" in meta:
            meta["published"] = meta.pop("date")
        try:
            out.append(parse_text(text, f"{data}:{no}", options, **meta))
        except InputError as exc:
            raise BenchDataError(f"{data}: record {no}: unusable article text ({exc.reason})") from None
    return out


def arrival_order(features: Sequence[StoryFeatures], seed: int = SEED) -> list[int]:
    """Indices in arrival order: a seeded shuffle, then stably by date (undated first)."""
    order = list(range(len(features)))
    random.Random(seed).shuffle(order)
    order.sort(key=lambda i: features[i].published or "")
    return order


def cluster_features(features: Sequence[StoryFeatures], options: Options | None = None,
                     seed: int = SEED) -> tuple[list[str], float]:
    """Story id of every feature set (in input order) and the seconds spent assigning."""
    index = StoryIndex(options)
    start = time.perf_counter()
    for i in arrival_order(features, seed):
        index.assign(features[i])
    index.recluster({f.article_id: f for f in features})
    seconds = time.perf_counter() - start
    story = {a: s.id for s in index.states() for a in s.articles}
    return [story[f.article_id] for f in features], seconds


def scores(predicted: Sequence[Any], gold: Sequence[Any], prefix: str = "") -> dict[str, Any]:
    b = bcubed(predicted, gold)
    pw = pairwise_prf(predicted, gold)
    return {
        f"{prefix}bcubed_f1": round(b["f1"], 4),
        f"{prefix}bcubed_p": round(b["precision"], 4),
        f"{prefix}bcubed_r": round(b["recall"], 4),
        f"{prefix}pairwise_f1": round(pw["f1"], 4),
        f"{prefix}pairwise_p": round(pw["precision"], 4),
        f"{prefix}pairwise_r": round(pw["recall"], 4),
        f"{prefix}mixed_share": round(mixed_share(predicted, gold), 4),
        f"{prefix}ari": round(adjusted_rand(predicted, gold), 4),
        f"{prefix}n_pred": len(set(predicted)),
    }


def part_scores(predicted: Sequence[Any], gold: Sequence[Any], records: Sequence[dict[str, Any]],
                prefix: str = "") -> dict[str, Any]:
    """``scores`` on the development and the held-out part of the records (when both exist)."""
    out: dict[str, Any] = {}
    held = [heldout(r) for r in records]
    if not any(held) or all(held):
        return out
    for part, want in (("dev_", False), ("heldout_", True)):
        idx = [i for i, h in enumerate(held) if h == want]
        out.update(scores([predicted[i] for i in idx], [gold[i] for i in idx], prefix + part))
        out[f"{prefix}{part}n_gold"] = len({gold[i] for i in idx})
    return out


def tfidf_agglomerative(texts: Sequence[str], gold: Sequence[Any]) -> tuple[list[int], float]:
    """Baseline: TF-IDF cosine + average-linkage clustering, at the distance threshold (grid of
    0.02) with the best B-cubed F1 on ``gold`` -- an oracle threshold, so an upper bound."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < 2:
        return [0] * len(texts), 0.0
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    dist = np.clip(1.0 - (x @ x.T).toarray(), 0.0, 2.0)
    best: tuple[float, list[int], float] = (-1.0, [0] * len(texts), 0.0)
    for th in np.arange(0.30, 1.0, 0.02):
        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                         distance_threshold=float(th)).fit_predict(dist)
        f = bcubed(list(labels), gold)["f1"]
        if f > best[0]:
            best = (f, [int(v) for v in labels], float(th))
    return best[1], best[2]


def run_cluster(data: Path, options: Options | None = None, *, limit: int | None = None,
                baseline: bool = True, seed: int = SEED, **_: Any) -> dict[str, Any]:
    """Cluster the articles of ``data`` incrementally and score against ``story_id``."""
    options = options or DEFAULT
    data = Path(data)
    records = read_jsonl(data, required=("text", "story_id"))
    if limit is not None:
        records = records[: int(limit)]
    articles = _articles(data, records, options)

    load_spacy()
    load_encoder()
    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    order.sort(key=lambda i: articles[i].published or "")
    with tempfile.TemporaryDirectory() as tmp:
        # the way a user would: ingest into a fresh database, then one periodic recluster
        store = open_store(Path(tmp) / "bench.db")
        engine = StoryEngine(store, options)
        start = time.perf_counter()
        ingest_into(store, [articles[i] for i in order], options, engine=engine)
        recluster(store, options, engine)
        total_s = time.perf_counter() - start
        story_of = store.story_of(a.id for a in articles)  # identical texts are stored once
        store.close()
    predicted = [str(story_of.get(a.id)) for a in articles]
    assign_s = engine.assign_seconds

    # --- scoring: gold read only now --------------------------------------------------------
    gold = [str(r["story_id"]) for r in records]
    result: dict[str, Any] = scores(predicted, gold)
    result["n_gold"] = len(set(gold))
    result.update(part_scores(predicted, gold, records))
    result["n"] = len(records)
    result["articles_per_s"] = round(len(records) / total_s, 2) if total_s > 0 else 0.0
    result["assign_ms_per_article"] = round(1000 * assign_s / max(1, len(records)), 3)
    if baseline:
        texts = [f"{a.title}\n{a.text}" if a.title else a.text for a in articles]
        labels, threshold = tfidf_agglomerative(texts, gold)
        result.update(scores(labels, gold, "baseline_"))
        result.update(part_scores(labels, gold, records, "baseline_"))
        result["baseline_threshold"] = round(threshold, 2)
    return result


# --- scale ------------------------------------------------------------------------------------------


def _perturb(f: StoryFeatures, copy: int, rng: random.Random, nrng: np.random.Generator,
             shift_days: int = 30, shift: int | None = None) -> StoryFeatures:
    """A copy of ``f`` as if from another story of the same kind: entity and number terms get
    the copy's own names, 15% of the terms are dropped, the embedding is moved off its original
    (noise of norm ~0.35) and the date shifted by ``shift_days`` per copy (or by ``shift`` days)."""
    if copy == 0:
        return replace(f, article_id=f"{f.article_id}#0")
    terms = {}
    for t, w in f.terms.items():
        if rng.random() < 0.15:
            continue
        terms[f"{t}~{copy}" if t[:2] in ("e:", "n:") else t] = w
    noise = nrng.normal(0.0, 0.35 / np.sqrt(len(f.vector)), len(f.vector))
    seed_dir = np.random.default_rng(copy).normal(0.0, 0.5 / np.sqrt(len(f.vector)), len(f.vector))
    v = np.asarray(f.vector) + noise + seed_dir
    v = v / np.linalg.norm(v)
    published = f.published
    if published:
        from datetime import date, timedelta

        days = shift_days * copy if shift is None else shift
        published = (date.fromisoformat(published) + timedelta(days=days)).isoformat()
    return StoryFeatures(f"{f.article_id}#{copy}", published, v.astype(np.float32).tolist(), terms, f.title)


def run_cluster_scale(data: Path, n: int = 1000, options: Options | None = None, *,
                      base: int | None = 200, seed: int = SEED, **_: Any) -> dict[str, Any]:
    """Per-article assignment time when the index grows to ``n`` synthesised articles."""
    options = options or DEFAULT
    data = Path(data)
    records = read_jsonl(data, required=("text",))
    if base is not None:
        records = records[: int(base)]
    articles = _articles(data, records, options)
    articles = [replace(a, id=f"{a.id}-{i}") for i, a in enumerate(articles)]
    feats = [story_features(p) for p in run_pipeline(articles, options)]
    # each copy of the dev set gets its own stretch of time, so the number of stories per week
    # (what a real feed bounds) stays that of the dev set however large n grows
    days = [day_number(f.published) for f in feats if f.published]
    shift = (max(days) - min(days) + 30) if days else 30
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    stream: list[StoryFeatures] = []
    copy = 0
    while len(stream) < n:
        stream += [_perturb(f, copy, rng, nrng, shift) for f in feats]
        copy += 1
    stream = stream[:n]
    order = arrival_order(stream, seed)
    index = StoryIndex(options)
    times = []
    for i in order:
        t0 = time.perf_counter()
        index.assign(stream[i])
        times.append(time.perf_counter() - t0)
    tail = times[-max(1, n // 10):]
    return {
        "n": n,
        "stories": len(index),
        "ms_per_article": round(1000 * float(np.mean(times)), 3),
        "ms_per_article_last10pct": round(1000 * float(np.mean(tail)), 3),
    }
