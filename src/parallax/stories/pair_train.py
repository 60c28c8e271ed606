"""Train the story pair model (:mod:`parallax.stories.pair_model`) from labelled story files.

What: for each training file (JSONL with ``text``, optional ``title``/``date``/``outlet`` and a
gold ``story_id``) the articles are analysed as at ingest into ``StoryFeatures``, then streamed
in arrival order (several seeded orders) through a ``StoryIndex`` that files each article into
its GOLD story.  Before filing, every candidate the index would consider at run time (same
retrieval, same time window) becomes one training pair: features of (article, candidate story),
label = whether it is the article's gold story.  So the model sees exactly the decisions it will
make, with the hard negatives the retrieval brings up (in ECB+: the other event of the same
topic).  A standardised logistic regression is fitted on the pairs and written as JSON with a
card (data, licences, record and pair counts, sha256, command, cross-validated figures).

Held-out parts (``heldout``) are never trained on: ECB+ topics 26-30 and BASIL years 2015-2016,
fixed before any tuning; ``bench cluster`` reports them apart.

Run: ``python -m parallax.stories.pair_train --data ecbplus.jsonl --data basil.jsonl
--out src/parallax/models/restricted/story_pair.json`` (``make models``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..options import DEFAULT, Options
from .cluster import StoryIndex
from .features import StoryFeatures, day_number
from .pair_model import FEATURES, PairModel, pair_features

SEEDS = (13, 14, 15)
HELDOUT_TOPICS = range(26, 31)  # ECB+ topics kept aside
HELDOUT_YEARS = (2015, 2016)  # BASIL years kept aside


def heldout(record: dict[str, Any]) -> bool:
    """Whether a labelled record belongs to the held-out part (never trained or tuned on)."""
    topic = record.get("topic")
    if isinstance(topic, int):
        return topic in HELDOUT_TOPICS
    year = record.get("year")
    return isinstance(year, int) and year in HELDOUT_YEARS


def file_features(path: Path, options: Options = DEFAULT, cache: Path | None = None) -> list[StoryFeatures]:
    """Story features of every record of ``path`` (as ``bench cluster`` builds them), cached in
    ``cache``/<sha256 prefix>.jsonl when a cache folder is given."""
    from dataclasses import replace

    from ..analysis.actors import extract_mentions
    from ..analysis.names import build_index
    from ..bench.cluster import _articles
    from ..bench.metrics import read_jsonl
    from ..nlp import Parsed, parse_many
    from ..nlp.embed import use_backend
    from .features import story_features

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    hit = cache / f"{path.stem}-{digest}.jsonl" if cache else None
    if hit is not None and hit.is_file():
        return [StoryFeatures.from_dict(json.loads(line)) for line in hit.open(encoding="utf-8")]
    records = read_jsonl(path, required=("text", "story_id"))
    arts = _articles(path, records, options)
    use_backend(options.embed_backend)
    feats = []
    # story features read the parse and the actor mentions only: the other stages are skipped
    for i, p in enumerate(parse_many(arts, batch_size=options.batch_size)):
        p = Parsed(replace(p.article, mentions=extract_mentions(p, build_index(p.doc))), p.doc)
        f = story_features(p)
        f.article_id = f"{path.stem}:{i}"
        feats.append(f)
    if hit is not None:
        hit.parent.mkdir(parents=True, exist_ok=True)
        with hit.open("w", encoding="utf-8") as out:
            for f in feats:
                out.write(json.dumps(f.to_dict()) + "\n")
    return feats


def training_pairs(features: Sequence[StoryFeatures], gold: Sequence[str], seed: int,
                   options: Options = DEFAULT) -> tuple[list[np.ndarray], list[int]]:
    """(features, label) of every candidate decision in one arrival order, filing by gold."""
    from ..bench.cluster import arrival_order

    index = StoryIndex(options)
    story_of: dict[str, Any] = {}
    xs: list[np.ndarray] = []
    ys: list[int] = []
    for i in arrival_order(features, seed):
        f = features[i]
        index._observe(f.terms)
        day = day_number(f.published)
        side = index._article_side(f, day)
        target = story_of.get(gold[i])
        for story, x in index.scored(side, day):
            xs.append(x)
            ys.append(int(story is target))
        if target is None:
            target = story_of[gold[i]] = index._create(seed=f.article_id)
        index._add(target, f, day)
    return xs, ys


def article_pairs(features: Sequence[StoryFeatures], gold: Sequence[str],
                  options: Options = DEFAULT) -> tuple[list[np.ndarray], list[int]]:
    """(features, label) of every article pair inside one time window (what recluster compares),
    label = same gold story; IDF from the whole file, as recluster sees it after ingest."""
    index = StoryIndex(options)
    for f in features:
        index._observe(f.terms)
    days = [day_number(f.published) for f in features]
    sides = [index._article_side(f, d) for f, d in zip(features, days)]
    win = options.story_window_days
    xs, ys = [], []
    for i in range(len(features)):
        for j in range(i + 1, len(features)):
            if days[i] is not None and days[j] is not None and abs(days[i] - days[j]) > win:
                continue
            xs.append(pair_features(sides[i], sides[j]))
            ys.append(int(gold[i] == gold[j]))
    return xs, ys


def fit(x: np.ndarray, y: np.ndarray, c: float = 1.0) -> PairModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    floor = float(np.quantile(x[y == 1, FEATURES.index("emb_member")], 0.01)) if y.any() else -1.0
    return PairModel(mean, scale, lr.coef_[0].astype(float), float(lr.intercept_[0]), round(floor, 4))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", action="append", required=True, help="labelled JSONL (repeatable)")
    ap.add_argument("--licence", action="append", default=[], help="licence of each --data, in order")
    ap.add_argument("--out", required=True)
    ap.add_argument("--cache", default=None, help="folder caching the analysed features")
    ap.add_argument("--C", type=float, default=1.0)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = ap.parse_args(argv)
    from ..bench.metrics import read_jsonl

    shown = [a for i, a in enumerate(argv) if a != "--cache" and (i == 0 or argv[i - 1] != "--cache")]

    random.seed(0)
    np.random.seed(0)
    xs: list[np.ndarray] = []
    ys: list[int] = []
    groups: list[int] = []
    pxs: list[np.ndarray] = []
    pys: list[int] = []
    sources = []
    for k, name in enumerate(args.data):
        path = Path(name)
        records = read_jsonl(path, required=("text", "story_id"))
        feats = file_features(path, DEFAULT, Path(args.cache) if args.cache else None)
        keep = [i for i, r in enumerate(records) if not heldout(r)]
        gold = [str(records[i]["story_id"]) for i in keep]
        n0 = len(xs)
        for seed in SEEDS:
            x, y = training_pairs([feats[i] for i in keep], gold, seed)
            xs += x
            ys += y
        groups += [k] * (len(xs) - n0)
        px, py = article_pairs([feats[i] for i in keep], gold)
        pxs += px
        pys += py
        sources.append({"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                        "records_used": len(keep), "records_held_out": len(records) - len(keep),
                        "pairs": len(xs) - n0, "positives": int(sum(ys[n0:])),
                        "article_pairs": len(px), "article_pair_positives": int(sum(py)),
                        "licence": args.licence[k] if k < len(args.licence) else "see data/README.md"})
    x, y = np.array(xs), np.array(ys)
    # leave-one-file-out check of the decision: does a model from one corpus carry to the other?
    transfer = {}
    g = np.array(groups)
    for k, src in enumerate(sources):
        if len(sources) > 1 and (g != k).any() and (g == k).any():
            m = fit(x[g != k], y[g != k], args.C)
            pred = np.asarray(m.prob(x[g == k])) >= 0.5
            tp = int((pred & (y[g == k] == 1)).sum())
            transfer[src["file"]] = {"precision": round(tp / max(1, int(pred.sum())), 4),
                                     "recall": round(tp / max(1, int(y[g == k].sum())), 4)}
    model = fit(x, y, args.C)
    pair = fit(np.array(pxs), np.array(pys), args.C)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"join": model.to_dict(), "pair": pair.to_dict()}, indent=1) + "\n",
                   encoding="utf-8")
    card = {"model": out.name, "sha256": hashlib.sha256(out.read_bytes()).hexdigest(), "kind":
            "logistic regression over standardised pair features", "features": list(FEATURES),
            "training_data": sources, "seeds": list(SEEDS), "C": args.C,
            "held_out": "ECB+ topics 26-30, BASIL years 2015-2016 (never trained on)",
            "leave_one_file_out": transfer, "command": "python -m parallax.stories.pair_train " +
            " ".join(shown)}
    out.with_suffix(".card.json").write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: card[k] for k in ("training_data", "leave_one_file_out")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
