"""Benchmark ``polarity``: directed sentiment between two marked entities (5 classes).

What: reads ``directed_sentiment.jsonl`` (Park et al. 2021; licence not stated): each record a
sentence with two [bracketed] entities p and q and a label (neutral, p->q / q->p positive or
negative).  Without ``cv`` the shipped model (``parallax/models/polarity.npz``) is scored as is
on the ``valid`` split; with ``cv=K`` the model is retrained K-fold over all records, folds
grouped by sentence so the 2,018 repeated (sentence, p, q) rows never straddle train and test.
Reports macro-F1 (``macro_f1``), accuracy and per-class F1.
No weights are shipped (the data's licence is not stated): "the shipped model as is" is the model
``train_polarity`` makes at first use, i.e. trained on the ``train`` split; without ``cv`` that
model is trained (or, with ``model=PATH``, loaded) and scored on ``valid``, and apart on the
valid rows whose marked sentence does not occur in train (``macro_f1_unseen``): 392 of the 1,461
valid rows repeat a train row verbatim, which inflates the official-split figure; the grouped
cross-validation is the honest one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


from ..analysis.polarity import LABELS, PolarityModel, load_model, mask_bracketed
from ..options import Options
from .metrics import read_jsonl


def _scores(gold: list[int], pred: list[int]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    out = {"macro_f1": float(f1_score(gold, pred, average="macro", labels=list(range(5)), zero_division=0)),
           "accuracy": float(accuracy_score(gold, pred))}
    per = f1_score(gold, pred, average=None, labels=list(range(5)), zero_division=0)
    out.update({f"f1_{name.replace('->', '_').replace(' ', '_')}": float(v) for name, v in zip(LABELS, per)})
    return out


def run_polarity(data: Path, options: Options | None = None, *, cv: int | None = None, limit: int | None = None,
                 save: str | Path | None = None, model: str | Path | None = None, **_: Any) -> dict[str, Any]:
    recs = read_jsonl(data, required=("sentence", "label", "split"))
    if limit:
        recs = recs[:limit]
    texts = [mask_bracketed(r["sentence"]) for r in recs]
    y = [int(r["label"]) for r in recs]
    if cv:
        from sklearn.model_selection import StratifiedGroupKFold

        groups = [r["sentence"] for r in recs]
        pred = [0] * len(recs)
        for tr, te in StratifiedGroupKFold(n_splits=int(cv), shuffle=True, random_state=0).split(texts, y, groups):
            m = PolarityModel.fit([texts[i] for i in tr], [y[i] for i in tr])
            for i, p in zip(te, m.predict([texts[i] for i in te])):
                pred[i] = p
        out = {"records": len(recs), "folds": int(cv)}
        out.update(_scores(y, pred))
        return out
    te = [i for i, r in enumerate(recs) if r["split"] == "valid"]
    if model:
        m = load_model(str(model))
    else:
        tr = [i for i, r in enumerate(recs) if r["split"] == "train"]
        m = PolarityModel.fit([texts[i] for i in tr], [y[i] for i in tr])
        if save:
            m.save(save)
    pred = m.predict([texts[i] for i in te])
    out = {"records": len(te)}
    out.update(_scores([y[i] for i in te], pred))
    # the official split leaks: valid rows whose marked sentence also appears in train score apart
    seen = {r["sentence"] for r in recs if r["split"] == "train"}
    unseen = [k for k, i in enumerate(te) if recs[i]["sentence"] not in seen]
    out["records_unseen"] = len(unseen)
    if unseen:
        out["macro_f1_unseen"] = _scores([y[te[k]] for k in unseen], [pred[k] for k in unseen])["macro_f1"]
    return out
