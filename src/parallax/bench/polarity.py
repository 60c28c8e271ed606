"""Benchmark ``polarity``: directed sentiment between two marked entities (5 classes).

What: reads a directed-sentiment file (``directed_sentiment.jsonl``, Park et al. 2021): each
record a sentence with two [bracketed] entities p and q and a label (0 neutral, 1 p->q positive,
2 q->p positive, 3 p->q negative, 4 q->p negative).  Without ``cv`` it scores what a user gets:
the shipped model (``parallax/models/restricted/polarity.npz``, trained on the ``train`` split),
or ``model=PATH``, on the whole file or on ``split=S``; on a split other than ``train`` it also
reports the rows whose sentence does not occur in the file's train rows (``macro_f1_unseen``:
392 of the 1,461 valid rows repeat a train row).  With ``cv=K`` the recipe of that model (the
n-gram SVM of the shipped file, ``StackedPolarity`` for a stacked ``model=PATH``) is retrained
K-fold, folds grouped by sentence (brackets removed, so every entity pair of a sentence is on one
side): the honest figure for unseen sentences.  Reports macro-F1, accuracy and per-class F1.  A file
with no rows for the requested split is one ``BenchDataError``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any


from ..analysis.polarity import LABELS, PolarityModel, StackedPolarity, load_model, mask_bracketed, model_path
from ..errors import BenchDataError
from ..options import Options
from .bias import select_split
from .metrics import read_jsonl


def _scores(gold: list[int], pred: list[int]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    out = {"macro_f1": float(f1_score(gold, pred, average="macro", labels=list(range(5)), zero_division=0)),
           "accuracy": float(accuracy_score(gold, pred))}
    per = f1_score(gold, pred, average=None, labels=list(range(5)), zero_division=0)
    out.update({f"f1_{name.replace('->', '_').replace(' ', '_')}": float(v) for name, v in zip(LABELS, per)})
    return out


def run_polarity(data: Path, options: Options | None = None, *, cv: int | None = None, limit: int | None = None,
                 split: str | None = None, model: str | Path | None = None, **_: Any) -> dict[str, Any]:
    recs = select_split(read_jsonl(data, required=("sentence", "label")), split, data)
    if limit:
        recs = recs[:limit]
    sents = [str(r["sentence"]) for r in recs]
    y = [int(r["label"]) for r in recs]
    if any(k not in range(len(LABELS)) for k in y):
        raise BenchDataError(f"{data}: labels must be 0-4 (the five directed-sentiment classes)")
    if cv:
        from sklearn.model_selection import StratifiedGroupKFold

        groups = [s.replace("[", "").replace("]", "") for s in sents]  # one sentence, any entity pair
        k = int(cv)
        if k < 2 or len(set(groups)) < k or min(Counter(y).values()) < 1:
            raise BenchDataError(f"{data}: {k}-fold cross-validation needs at least {k} distinct sentences, "
                                 f"got {len(set(groups))}")
        stacked = _scored_recipe(model) == "stacked"
        enc = _encoded(sents) if stacked else None
        masked = [mask_bracketed(s) for s in sents]
        pred = [0] * len(recs)
        for tr, te in StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=0).split(sents, y, groups):
            if stacked:
                m = StackedPolarity.fit([sents[i] for i in tr], [y[i] for i in tr], [enc[i] for i in tr])
                fold_pred = m.predict([sents[i] for i in te], [enc[i] for i in te])
            else:  # the shipped recipe (training.build.train_polarity, recipe "ngram")
                fold_pred = PolarityModel.fit([masked[i] for i in tr], [y[i] for i in tr]).predict(
                    [masked[i] for i in te])
            for i, p in zip(te, fold_pred):
                pred[i] = p
        recipe = "StackedPolarity (MiniLM vectors + n-gram SVM)" if stacked else "PolarityModel (n-gram SVM)"
        out: dict[str, Any] = {"records": len(recs), "folds": k,
                               "model": f"{recipe} retrained, {k}-fold CV grouped by sentence"}
        out.update(_scores(y, pred))
        return out
    m, name = (load_model(str(model)), str(model)) if model else (load_model(), str(model_path()))
    pred = m.predict(sents, _encoded(sents)) if isinstance(m, StackedPolarity) else m.predict(
        [mask_bracketed(s) for s in sents])
    out = {"records": len(recs), "model": name}
    out.update(_scores(y, pred))
    if split and split != "train":
        plain = {str(r["sentence"]).replace("[", "").replace("]", "")
                 for r in read_jsonl(data, required=("sentence", "label")) if r.get("split") == "train"}
        unseen = [i for i, s in enumerate(sents) if s.replace("[", "").replace("]", "") not in plain]
        if plain and unseen:
            out["records_unseen"] = len(unseen)
            out["macro_f1_unseen"] = _scores([y[i] for i in unseen], [pred[i] for i in unseen])["macro_f1"]
    return out


def _scored_recipe(model: str | Path | None) -> str:
    """The recipe ``--cv`` retrains: that of the model the bench scores without ``--cv``
    (``model=PATH`` or ``analysis.polarity.model_path()``): "stacked" for a ``StackedPolarity``
    file, else "ngram" (the shipped recipe, also when no model file is installed)."""
    from ..errors import ModelMissingError

    try:
        m = load_model(str(model)) if model else load_model()
    except ModelMissingError:
        return "ngram"
    return "stacked" if isinstance(m, StackedPolarity) else "ngram"


def _encoded(sents: list[str]) -> list:
    from ..training.cache import encoded

    return encoded(sents, "polarity")
