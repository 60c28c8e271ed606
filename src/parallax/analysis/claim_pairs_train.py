"""Training of the claim-pair model (``analysis.claim_pairs``): data, cross-validation, weights.

What: builds labelled candidate pairs from two sources and fits a logistic model on them:

* the **dev part** of ``data/align_gold.jsonl`` (hand-made fact groups; the held-out part is
  never read here): every candidate pair of a story is positive when both claims cover spans
  of one gold group, negative otherwise;
* **BASIL events outside the gold** (no hand labels): the opening sentences of two outlets'
  articles on one event state the event, so lede-lede pairs are positives; the same pairs with
  the person named in one lede swapped for a person of another event (re-parsed and
  re-embedded in the story) are hard negatives, so a shared frame with a different actor is
  not read as the same fact.  Off by default (``--events 0``): on the dev stories they lowered
  leave-one-story-out F1 (0.703 vs 0.726 at the shipped threshold, 40 events), and the case
  they target is handled by ``align.edge_probability`` (pairs naming different people).

It prints leave-one-story-out pairwise F1 on the dev stories for a sweep of probability
thresholds (the grouping is the one ``align`` runs), with and without the BASIL pairs, and saves
the model trained on everything with a card (data, licences, record counts, sha256, command,
figures).  BASIL's licence is not stated, so the weights go under ``models/restricted/``.

Run (what ``make models`` does; fixed seed, one thread)::

    python -m parallax.analysis.claim_pairs_train --gold data/align_gold.jsonl \
        --basil ../shared/data/basil.jsonl --out src/parallax/models/restricted/claim_pairs.json --events 0
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..model import Article
from ..nlp.pipeline import parse_many
from ..options import DEFAULT
from .align import edge_probability, features, merge, select_edges, story_pairs
from .claim_pairs import FEATURES, PairModel

SEED = 13
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
# BASIL events (outside the gold) whose ledes give pseudo-labelled pairs.  0 by default: with 40
# events (125 pairs: 99 lede positives, 26 person-swapped negatives) leave-one-story-out F1 fell
# from 0.726 to 0.703 at the shipped threshold, so the shipped model uses the dev gold only;
# ``--events 40`` reruns the comparison (and keeps the BASIL pairs only if they win).
PSEUDO_EVENTS = 0


@dataclass
class StoryPairs:
    """Candidate pairs of one story with their features and (for gold stories) labels."""

    pairs: list[tuple[int, int]]
    x: np.ndarray
    owner: np.ndarray
    sizes: list[int]
    spans: list[tuple[str, int, int]]  # each claim as (article id, start, end)
    y: np.ndarray
    gold: list[list[tuple]]


def _story(articles: list[Article], gold: list[list[tuple]]) -> StoryPairs:
    from ..bench.align import _covers

    parsed = parse_many(articles)
    feats = features(parsed)
    pairs, x, owner = story_pairs(feats, DEFAULT)
    spans = [(f.parsed.article.id, c.start, c.end) for f in feats for c in (f.claims or [])]

    def groups_of(m: tuple) -> set[int]:
        return {k for k, g in enumerate(gold) for u in g if u[0] == m[0] and _covers((m[1], m[2]), (u[1], u[2]))}

    member = [groups_of(s) for s in spans]
    y = np.array([bool(member[i] & member[j]) for i, j in pairs], dtype=int)
    return StoryPairs(pairs, x, owner, [len(f.indices) for f in feats], spans, y, gold)


def predict_groups(sp: StoryPairs, prob: np.ndarray, threshold: float) -> list[list[tuple]]:
    """The fact groups ``align`` would form from these pair probabilities (2+ members)."""
    offsets = np.cumsum([0] + sp.sizes)
    where = [(i, k) for i, n in enumerate(sp.sizes) for k in range(n)]
    prob = edge_probability(sp.x, prob, replace(DEFAULT, align_pair_threshold=threshold))
    edges = [(p, where[i], where[j]) for p, i, j in select_edges(sp.pairs, prob, sp.owner, threshold)]
    members_of, _, _ = merge(edges, sp.sizes)
    return [[sp.spans[offsets[i] + k] for i, k in m] for m in members_of.values() if len(m) > 1]


_PERSON_SWAP = re.compile(r"\S+")


def pseudo_pairs(basil: list[dict], exclude: set[str], n_events: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Lede-lede positives and person-swapped negatives from BASIL events outside ``exclude``."""
    from ..nlp.pipeline import load_spacy

    events: dict[str, list[dict]] = {}
    for r in basil:
        if r["event_id"] not in exclude:
            events.setdefault(r["event_id"], []).append(r)
    rng = random.Random(seed)
    chosen = sorted(e for e, rs in events.items() if len(rs) >= 2)
    rng.shuffle(chosen)
    chosen = chosen[:n_events]
    nlp = load_spacy()
    persons = sorted({e.text for ev in chosen for r in events[ev][:1]
                      for e in nlp(r["text"][:600]).ents if e.label_ == "PERSON" and " " in e.text})
    xs, ys = [], []
    for ev in chosen:
        rs = sorted(events[ev], key=lambda r: r["outlet"])
        arts = [Article(id=r["id"], text=r["text"], outlet=r["outlet"], title=r.get("title", "")) for r in rs]
        ledes = [(r["id"], *r["sentences"][0]) for r in rs]
        sp = _story(arts, [ledes])
        for k, (i, j) in enumerate(sp.pairs):
            if sp.y[k]:
                xs.append(sp.x[k])
                ys.append(1)
        # swap the first person named in the second article's lede for one of another event
        a, b = rs[0], rs[1]
        lede = b["text"][b["sentences"][0][0]:b["sentences"][0][1]]
        names = [e.text for e in nlp(lede).ents if e.label_ == "PERSON" and " " in e.text]
        others = [p for p in persons if not names or p.split()[-1] not in lede]
        if not names or not others:
            continue
        new = rng.choice(others)
        s0, e0 = b["sentences"][0]
        text = b["text"][:s0] + lede.replace(names[0], new) + b["text"][e0:]
        shift = len(new) - len(names[0])
        swapped = Article(id=b["id"] + "#swap", text=text, outlet=b["outlet"], title="")
        first = Article(id=a["id"], text=a["text"], outlet=a["outlet"], title=a.get("title", ""))
        sp = _story([first, swapped], [[(a["id"], *a["sentences"][0]), (swapped.id, s0, e0 + shift * lede.count(names[0]))]])
        for k in range(len(sp.pairs)):
            if sp.y[k]:
                xs.append(sp.x[k])
                ys.append(0)
    return np.array(xs).reshape(-1, len(FEATURES)), np.array(ys, dtype=int)


def fit(x: np.ndarray, y: np.ndarray, card: dict | None = None) -> PairModel:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED).fit((x - mean) / scale, y)
    return PairModel(mean, scale, lr.coef_[0], float(lr.intercept_[0]), card or {})


def cross_validate(stories: list[StoryPairs], extra: tuple[np.ndarray, np.ndarray] | None) -> dict[float, dict]:
    """Leave-one-story-out pairwise P/R/F1 of the grouping, per threshold."""
    from ..bench.align import _prf, score_story

    counts = {t: [0, 0, 0, 0] for t in THRESHOLDS}
    for k, sp in enumerate(stories):
        train = [s for m, s in enumerate(stories) if m != k]
        x = np.vstack([s.x for s in train] + ([extra[0]] if extra is not None and len(extra[0]) else []))
        y = np.concatenate([s.y for s in train] + ([extra[1]] if extra is not None and len(extra[1]) else []))
        model = fit(x, y)
        prob = model.predict(sp.x)
        for t in THRESHOLDS:
            for n, v in enumerate(score_story(predict_groups(sp, prob, t), sp.gold)):
                counts[t][n] += v
    return {t: _prf(*c) for t, c in counts.items()}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=Path("data/align_gold.jsonl"))
    ap.add_argument("--basil", type=Path, default=Path("../shared/data/basil.jsonl"))
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--events", type=int, default=PSEUDO_EVENTS)
    args = ap.parse_args(argv)
    from ..bench.align import load_gold
    from ..bench.metrics import read_jsonl

    np.random.seed(SEED)
    gold = load_gold(args.gold, args.basil)
    dev = [s for s in gold if s["part"] == "dev"]
    stories = [_story(s["articles"], s["groups"]) for s in dev]
    basil = read_jsonl(args.basil, required=("id", "text", "event_id", "sentences"))
    in_gold = {a.id.rsplit("_", 1)[0] for s in gold for a in s["articles"]}
    extra = None
    if args.events:
        extra = pseudo_pairs(basil, in_gold, args.events, SEED)
    report = {"gold_only": cross_validate(stories, None)}
    if extra is not None and len(extra[1]):
        report["gold_and_basil"] = cross_validate(stories, extra)
    for name, res in report.items():
        for t, r in res.items():
            print(f"{name:>15} threshold {t:.2f}  P {r['precision']:.4f}  R {r['recall']:.4f}  F1 {r['f1']:.4f}")
    use = "gold_and_basil" if "gold_and_basil" in report and max(r["f1"] for r in report["gold_and_basil"].values()) > \
        max(r["f1"] for r in report["gold_only"].values()) else "gold_only"
    best_t = max(report[use], key=lambda t: report[use][t]["f1"])
    x = np.vstack([s.x for s in stories] + ([extra[0]] if use == "gold_and_basil" else []))
    y = np.concatenate([s.y for s in stories] + ([extra[1]] if use == "gold_and_basil" else []))
    card = {
        "model": "logistic regression over claim-pair features (parallax.analysis.claim_pairs.FEATURES)",
        "training_data": [
            {"file": str(args.gold), "sha256": _sha256(args.gold), "part": "dev", "stories": len(dev),
             "pairs": int(sum(len(s.y) for s in stories)), "positives": int(sum(s.y.sum() for s in stories)),
             "licence": "Apache-2.0 (hand-made gold of this project; spans point into BASIL and examples/)"},
            {"file": str(args.basil), "sha256": _sha256(args.basil), "events": args.events,
             "pairs": int(len(extra[1])) if use == "gold_and_basil" else 0,
             "positives": int(extra[1].sum()) if use == "gold_and_basil" else 0,
             "licence": "not stated (BASIL, Fan et al. 2019)"},
        ],
        "used": use, "seed": SEED, "cv_best_threshold": best_t, "threshold_used": DEFAULT.align_pair_threshold,
        "cv_leave_one_story_out": {k: {str(t): r for t, r in v.items()} for k, v in report.items()},
        "command": "python -m parallax.analysis.claim_pairs_train --gold data/align_gold.jsonl "
                   "--basil ../shared/data/basil.jsonl --out src/parallax/models/restricted/claim_pairs.json --events 0",
    }
    model = fit(x, y, card)
    print(f"chosen: {use}, threshold {best_t}; coefficients:",
          ", ".join(f"{f} {c:+.2f}" for f, c in zip(FEATURES, model.coef)))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"saved {args.out}")


if __name__ == "__main__":
    main()
