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
from ..analysis.names import build_index
from ..analysis.speaker_coref import person_profiles
from ..analysis.speaker_model import MODEL_PATH, candidate_features, candidates, person_entity
from ..analysis.speaker_salience import Salience, antecedent_features
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


def _source_person(doc: Any, src: dict[str, Any]) -> str:
    """Text of the PERSON entity at the head of a gold source span, or ""."""
    span = doc.char_span(src["start"], src["end"], alignment_mode="expand")
    if span is None or not len(span):
        return ""
    return person_entity(span.root)


def examples(pairs: list[tuple[dict[str, Any], Any]], salience: bool = True) -> dict[str, Any]:
    """Per attribution: candidate features and the index of the gold candidate (-1: not among
    them); the number of attributions considered; and the pronoun antecedent groups - every gold
    source naming a person already named before it, the name hidden (its candidates' features,
    the index of the person it names)."""
    groups: list[list[dict]] = []
    gold: list[int] = []
    ante_groups: list[list[dict]] = []
    ante_gold: list[int] = []
    n = 0
    for rec, parsed in pairs:
        doc, text = parsed.doc, rec["text"]
        in_quote = _in_quote_fn(text)
        paragraph_of = _paragraph_fn(parsed)
        index = build_index(doc)
        sal = Salience(doc, index.resolve, in_quote, paragraph_of, index.surnames.keys() - index.ambiguous)
        profiles = person_profiles(doc, index.resolve)
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
                groups.append(candidate_features(cands, cue, content, prev, paragraph_of,
                                                 sal if salience else None))
                gold.append(label)
            person = _source_person(doc, src)
            if person:
                name = index.resolve(person)
                prof = profiles.get(name)
                q_start = min(s, content[0], cue.idx)
                sent_start = doc[doc.char_span(q_start, q_start + 1, alignment_mode="expand").start].sent.start_char
                names, feats = antecedent_features(sal, s, sent_start, index.resolve(prev) if prev else "",
                                                   prof.gender if prof else None, profiles)
                if name in names:
                    ante_groups.append(feats)
                    ante_gold.append(names.index(name))
            prev = src["text"]
    return {"groups": groups, "gold": gold, "n": n, "ante_groups": ante_groups, "ante_gold": ante_gold}


def _top1(ranker_scores: list[list[float]], gold: list[int]) -> float:
    ok = sum(1 for sc, g in zip(ranker_scores, gold) if g >= 0 and max(range(len(sc)), key=sc.__getitem__) == g)
    return ok / len(gold) if gold else 0.0


def _fit(groups: list[list[dict]], gold: list[int], c: float) -> tuple[Any, Any, int]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X_feats, y = [], []
    for g, lab in zip(groups, gold):
        if lab < 0:
            continue
        for k, f in enumerate(g):
            X_feats.append(f)
            y.append(int(k == lab))
    vec = DictVectorizer()
    X = vec.fit_transform(X_feats)
    clf = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
    clf.fit(X, y)
    return vec, clf, len(y)


def _scores(vec: Any, clf: Any, groups: list[list[dict]]) -> list[list[float]]:
    return [list(clf.predict_proba(vec.transform(g))[:, 1]) for g in groups]


WRONG_COST = 2.0  # a quote in the wrong mouth costs twice what a resolved one gains


def _threshold(scores: list[list[float]], gold: list[int]) -> tuple[float, float, float]:
    """The confidence threshold of the antecedent ranker chosen on dev: the one maximising
    right - WRONG_COST * wrong answers (below it the pronoun stays unresolved); with the share
    of answers it keeps and their precision."""
    best = None
    for t in [x / 20 for x in range(0, 20)]:
        kept = [(max(range(len(sc)), key=sc.__getitem__) == g) for sc, g in zip(scores, gold) if max(sc) >= t]
        right = sum(kept)
        gain = right - WRONG_COST * (len(kept) - right)
        if best is None or gain > best[0]:
            best = (gain, t, round(len(kept) / max(len(gold), 1), 4), round(right / max(len(kept), 1), 4))
    return best[1:] if best else (0.0, 0.0, 0.0)


def _nearest_top1(groups: list[list[dict]], gold: list[int]) -> float:
    """Top-1 of "the most recently named person" on the same groups (the rule it replaces)."""
    ok = sum(1 for g, lab in zip(groups, gold) if g[lab].get("recency=0"))
    return round(ok / len(gold), 4) if gold else 0.0


def train(data: Path, out: Path = MODEL_PATH, c: float = 1.0, max_records: int | None = None,
          salience: bool = True) -> dict[str, Any]:
    import joblib

    t0 = time.time()
    train_pairs = parsed_records(data, "train", max_records=max_records)
    tr = examples(train_pairs, salience)
    dv = examples(parsed_records(data, "dev"), salience)
    vec, clf, rows = _fit(tr["groups"], tr["gold"], c)
    ante = None  # too few named sources (a tiny file): the pronoun rule stays
    a_dev: list[list[float]] = []
    thr = kept = prec = arows = 0
    if any(len(g) > 1 for g in tr["ante_groups"]):
        avec, aclf, arows = _fit(tr["ante_groups"], tr["ante_gold"], c)
        a_dev = _scores(avec, aclf, dv["ante_groups"])
        thr, kept, prec = _threshold(a_dev, dv["ante_gold"])
        ante = {"vectorizer": avec, "classifier": aclf, "threshold": thr}
    tr_groups, tr_gold, dv_groups, dv_gold = tr["groups"], tr["gold"], dv["groups"], dv["gold"]
    meta = {"training_file": str(data.name), "training_sha256": file_sha256(data), "split": "train",
            "articles_train": len(train_pairs), "salience": salience,
            "attributions_train": tr["n"], "groups_train": len(tr_gold),
            "gold_among_candidates_train": round(sum(g >= 0 for g in tr_gold) / max(len(tr_gold), 1), 4),
            "candidate_rows": rows, "C": c, "seed": SEED,
            "top1_train": round(_top1(_scores(vec, clf, tr_groups), tr_gold), 4),
            "top1_dev": round(_top1(_scores(vec, clf, dv_groups), dv_gold), 4), "attributions_dev": dv["n"],
            "gold_among_candidates_dev": round(sum(g >= 0 for g in dv_gold) / max(len(dv_gold), 1), 4),
            "features": len(vec.vocabulary_),
            "antecedent_groups_train": len(tr["ante_gold"]), "antecedent_rows": arows,
            "antecedent_groups_dev": len(dv["ante_gold"]),
            "antecedent_top1_dev": round(_top1(a_dev, dv["ante_gold"]), 4),
            "antecedent_most_recent_top1_dev": _nearest_top1(dv["ante_groups"], dv["ante_gold"]),
            "antecedent_threshold": thr, "antecedent_kept_dev": kept, "antecedent_precision_kept_dev": prec,
            "seconds": round(time.time() - t0, 1)}
    out.parent.mkdir(parents=True, exist_ok=True)
    # the bundle's meta leaves out the wall-clock time, so a retrain gives the same bytes
    joblib.dump({"vectorizer": vec, "classifier": clf, "meta": {k: v for k, v in meta.items() if k != "seconds"},
                 "antecedent": ante}, out, compress=3)
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
    ap.add_argument("--no-salience", action="store_true", help="candidate ranker without salience features")
    args = ap.parse_args(argv)
    print(json.dumps(train(args.data, args.out, args.C, args.max_records, not args.no_salience), indent=1))


if __name__ == "__main__":
    main()
