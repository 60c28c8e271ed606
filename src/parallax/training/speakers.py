"""Train the speaker ranker (``analysis.speaker_model``) on PolNeAR's gold attributions.

What: for every gold attribution of the ``train`` split with a source, a cue and a content, the
candidates of :func:`parallax.analysis.speaker_model.candidates` around the gold cue are labelled
(1 = the head of the gold source span) and a logistic regression over
:func:`~parallax.analysis.speaker_model.features` is fitted; the ``dev`` split reports top-1
accuracy (settings are chosen on dev, never on the project's own BASIL speaker gold).  The
bundle (vectorizer, classifier, meta) is written with joblib beside a JSON card.

Run: ``python -m parallax.training.speakers --data ../shared/data/polnear.jsonl`` (``make models``).
Fixed seed; the result depends only on the data file and the spaCy model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path
from typing import Any

from ..analysis.quotemarks import find_quote_pairs
from ..analysis.speaker_model import MODEL_PATH, candidate_features, candidates
from .parsecache import file_sha256, parsed_records

SEED = 0


def _in_quote_fn(text: str):
    regions = [(p.start, p.end + 1) for p in find_quote_pairs(text) if p.depth == 0]

    def in_quote(i: int) -> bool:
        return any(s <= i < e for s, e in regions)
    return in_quote


def _paragraph_fn(parsed: Any):
    sents = parsed.sentences

    def paragraph_of(i: int) -> int:
        return sents[parsed.sentence_at(i)].paragraph if sents else 0
    return paragraph_of


def examples(pairs: list[tuple[dict[str, Any], Any]]) -> tuple[list[list[dict]], list[int], int]:
    """Per attribution: candidate features and the index of the gold candidate (-1: not among
    them); also the number of attributions considered."""
    groups: list[list[dict]] = []
    gold: list[int] = []
    n = 0
    for rec, parsed in pairs:
        doc, text = parsed.doc, rec["text"]
        in_quote = _in_quote_fn(text)
        paragraph_of = _paragraph_fn(parsed)
        atts = sorted((a for a in rec["attributions"] if a.get("content") and a.get("cue")),
                      key=lambda a: a["content"]["start"])
        prev = ""
        for a in atts:
            src = a.get("source")
            cue_span = doc.char_span(a["cue"]["start"], a["cue"]["end"], alignment_mode="expand")
            content = (a["content"]["start"], a["content"]["end"])
            if src is None or cue_span is None or not len(cue_span):
                prev = ""
                continue
            n += 1
            cue = cue_span.root
            cands = candidates(doc, cue, content, in_quote)
            s, e = src["start"], src["end"]
            label = -1
            for k, c in enumerate(cands):
                if s <= c.idx < e and not (s <= c.head.idx < e and c.head != c):
                    label = k
                    break
            if cands:
                groups.append(candidate_features(cands, cue, content, prev, paragraph_of))
                gold.append(label)
            prev = src["text"]
    return groups, gold, n


def _top1(ranker_scores: list[list[float]], gold: list[int]) -> float:
    ok = sum(1 for sc, g in zip(ranker_scores, gold) if g >= 0 and max(range(len(sc)), key=sc.__getitem__) == g)
    return ok / len(gold) if gold else 0.0


def train(data: Path, out: Path = MODEL_PATH, c: float = 1.0, max_records: int | None = None) -> dict[str, Any]:
    import joblib
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    train_pairs = parsed_records(data, "train", max_records=max_records)
    tr_groups, tr_gold, tr_n = examples(train_pairs)
    dv_groups, dv_gold, dv_n = examples(parsed_records(data, "dev"))
    X_feats, y = [], []
    for g, lab in zip(tr_groups, tr_gold):
        if lab < 0:
            continue
        for k, f in enumerate(g):
            X_feats.append(f)
            y.append(int(k == lab))
    vec = DictVectorizer()
    X = vec.fit_transform(X_feats)
    clf = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
    clf.fit(X, y)

    def scores(groups: list[list[dict]]) -> list[list[float]]:
        return [list(clf.predict_proba(vec.transform(g))[:, 1]) for g in groups]

    meta = {"training_file": str(data.name), "training_sha256": file_sha256(data), "split": "train",
            "articles_train": len(train_pairs),
            "attributions_train": tr_n, "groups_train": len(tr_gold),
            "gold_among_candidates_train": round(sum(g >= 0 for g in tr_gold) / max(len(tr_gold), 1), 4),
            "candidate_rows": len(y), "C": c, "seed": SEED,
            "top1_train": round(_top1(scores(tr_groups), tr_gold), 4),
            "top1_dev": round(_top1(scores(dv_groups), dv_gold), 4), "attributions_dev": dv_n,
            "gold_among_candidates_dev": round(sum(g >= 0 for g in dv_gold) / max(len(dv_gold), 1), 4),
            "features": len(vec.vocabulary_), "seconds": round(time.time() - t0, 1)}
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"vectorizer": vec, "classifier": clf, "meta": meta}, out, compress=3)
    meta["sha256"] = hashlib.sha256(out.read_bytes()).hexdigest()
    meta["bytes"] = out.stat().st_size
    out.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n")
    return meta


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/polnear.jsonl"))
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--max-records", type=int, default=None, help="train on the first N train articles")
    args = ap.parse_args(argv)
    print(json.dumps(train(args.data, args.out, args.C, args.max_records), indent=1))


if __name__ == "__main__":
    main()
