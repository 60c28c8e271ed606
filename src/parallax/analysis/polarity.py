"""Directed polarity between two entities of one sentence: who endorses or blames whom.

What: a linear model over the sentence with the two entities masked (``PENT`` for the first, the
would-be source, ``QENT`` for the second): word 1-3-grams of the whole sentence and word 1-2-grams
of the stretch between the two entities, tf-idf weighted, and a linear SVM over five classes:
0 neutral, 1 p->q positive, 2 q->p positive, 3 p->q negative, 4 q->p negative (the classes of
the directed-sentiment data of Park et al. 2021).  Training doubles the data by swapping the
two masks (a p->q label becomes q->p), which balances the rare q->p classes.
Why: transparent and fast on a CPU.  The one public training set (directed_sentiment, Park et al.
2021) states no licence, so, like the framing models (see ``parallax/models/README.md``), no
weights are shipped: ``train_polarity(file)`` trains at first use from a file the user supplies
(30 s on one core) and saves plain arrays (no pickle) at ``$PARALLAX_POLARITY_MODEL`` or
``~/.cache/parallax/polarity.npz`` with a JSON model card beside it (data file, sha256, records,
licence as the user states it).  ``parallax/models/POLARITY.md`` documents the decision.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ModelMissingError

LABELS = ["neutral", "p->q positive", "q->p positive", "p->q negative", "q->p negative"]
SWAP = {0: 0, 1: 2, 2: 1, 3: 4, 4: 3}
def model_path() -> Path:
    """Where the trained model lives: ``$PARALLAX_POLARITY_MODEL`` or ``~/.cache/parallax/polarity.npz``."""
    env = os.environ.get("PARALLAX_POLARITY_MODEL")
    return Path(env) if env else Path.home() / ".cache" / "parallax" / "polarity.npz"
_TOKEN = r"(?u)\b\w+\b"


def mask(sentence: str, p: tuple[int, int], q: tuple[int, int]) -> str:
    """The sentence with the span ``p`` replaced by PENT and ``q`` by QENT."""
    (a, b), (c, d) = p, q
    if a <= c:
        return f"{sentence[:a]} PENT {sentence[b:c]} QENT {sentence[d:]}"
    return f"{sentence[:c]} QENT {sentence[d:a]} PENT {sentence[b:]}"


def mask_bracketed(sentence: str, swap: bool = False) -> str:
    """Mask the two [bracketed] entities of a directed-sentiment record (first one = p)."""
    names = ["QENT", "PENT"] if swap else ["PENT", "QENT"]
    k = iter(names + ["", "", ""])
    return re.sub(r"\[[^\]]*\]", lambda _m: f" {next(k)} ", sentence, count=2)


def between(masked: str) -> str:
    i, j = masked.find("PENT"), masked.find("QENT")
    if i < 0 or j < 0:
        return masked
    lo, hi = sorted((i, j))
    return masked[lo:hi + 4]


def _tune_offsets(scores: np.ndarray, y: np.ndarray, classes: np.ndarray, rounds: int = 2) -> np.ndarray:
    """Coordinate ascent on per-class score offsets for macro-F1 (rare classes get a fairer share)."""
    from sklearn.metrics import f1_score

    off = np.zeros(scores.shape[1])
    best = f1_score(y, classes[(scores + off).argmax(1)], average="macro")
    for _ in range(rounds):
        for k in range(len(off)):
            for step in np.linspace(-0.6, 0.6, 13):
                trial = off.copy()
                trial[k] += step
                f = f1_score(y, classes[(scores + trial).argmax(1)], average="macro")
                if f > best + 1e-6:
                    best, off = f, trial
    return off


class PolarityModel:
    """tf-idf features + one-vs-rest linear SVM, stored as arrays."""

    def __init__(self, vocab_all, idf_all, vocab_between, idf_between, coef, intercept):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vecs = []
        for vocab, idf, ngrams in ((vocab_all, idf_all, (1, 3)), (vocab_between, idf_between, (1, 2))):
            v = TfidfVectorizer(ngram_range=ngrams, sublinear_tf=True, token_pattern=_TOKEN,
                                vocabulary={w: i for i, w in enumerate(vocab)})
            v.idf_ = np.asarray(idf, dtype=np.float64)
            self.vecs.append(v)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)

    @classmethod
    def fit(cls, masked: Sequence[str], labels: Sequence[int], C: float = 2.0, augment: bool = False,
            prune: float = 0.05, tune: bool = True) -> PolarityModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC
        from scipy.sparse import hstack

        texts, ys = list(masked), list(labels)
        if augment:
            swapped = [t.replace("PENT", "\0").replace("QENT", "PENT").replace("\0", "QENT") for t in texts]
            texts, ys = texts + swapped, ys + [SWAP[y] for y in ys]
        v1 = TfidfVectorizer(ngram_range=(1, 3), min_df=2, sublinear_tf=True, token_pattern=_TOKEN)
        v2 = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=_TOKEN)
        X = hstack([v1.fit_transform([t.lower() for t in texts]),
                    v2.fit_transform([between(t).lower() for t in texts])]).tocsr()
        y_arr = np.asarray(ys)
        clf = LinearSVC(C=C, class_weight="balanced").fit(X, y_arr)
        offsets = np.zeros(len(clf.classes_))
        if tune:  # per-class score offsets that maximise macro-F1 on held-out folds of the training data
            from sklearn.model_selection import cross_val_predict

            held = cross_val_predict(LinearSVC(C=C, class_weight="balanced"), X, y_arr, cv=3, method="decision_function")
            offsets = _tune_offsets(held, y_arr, clf.classes_)
        coef = np.zeros((len(LABELS), X.shape[1]), dtype=np.float32)
        inter = np.full(len(LABELS), -1e3, dtype=np.float32)
        for k, c in enumerate(clf.classes_):
            coef[int(c)], inter[int(c)] = clf.coef_[k], clf.intercept_[k] + offsets[k]

        # keep the features that matter to some class: a much smaller file, the same predictions
        # up to rounding
        keep = np.abs(coef).max(axis=0) >= prune
        n1 = len(v1.vocabulary_)

        def vocab(v, mask):
            words = sorted(v.vocabulary_, key=v.vocabulary_.get)
            return [w for w, k in zip(words, mask) if k]
        return cls(vocab(v1, keep[:n1]), v1.idf_[keep[:n1]], vocab(v2, keep[n1:]), v2.idf_[keep[n1:]],
                   coef[:, keep], inter)

    def scores(self, masked: Sequence[str]) -> np.ndarray:
        from scipy.sparse import hstack

        X = hstack([self.vecs[0].transform([t.lower() for t in masked]),
                    self.vecs[1].transform([between(t).lower() for t in masked])]).tocsr()
        return np.asarray(X @ self.coef.T) + self.intercept

    def predict(self, masked: Sequence[str]) -> list[int]:
        if not masked:
            return []
        return [int(k) for k in self.scores(masked).argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        v1, v2 = self.vecs
        np.savez_compressed(path, vocab_all=np.array(sorted(v1.vocabulary, key=v1.vocabulary.get)),
                            idf_all=v1.idf_.astype(np.float32),
                            vocab_between=np.array(sorted(v2.vocabulary, key=v2.vocabulary.get)),
                            idf_between=v2.idf_.astype(np.float32), coef=self.coef.astype(np.float16),
                            intercept=self.intercept)

    @classmethod
    def load(cls, path: str | Path) -> PolarityModel:
        with np.load(path, allow_pickle=False) as z:
            return cls(list(z["vocab_all"]), z["idf_all"], list(z["vocab_between"]), z["idf_between"],
                       z["coef"].astype(np.float32), z["intercept"])


@functools.lru_cache(maxsize=1)
def load_model(path: str | None = None) -> PolarityModel:
    p = Path(path) if path else model_path()
    if not p.is_file():
        raise ModelMissingError(f"polarity model missing: {p}; train it once with "
                                "parallax.analysis.polarity.train_polarity('directed_sentiment.jsonl')")
    return PolarityModel.load(p)


def read_records(data: str | Path) -> list[dict]:
    from ..bench.metrics import read_jsonl

    return read_jsonl(data, required=("sentence", "label"))


def train_polarity(data: str | Path, out: str | Path | None = None, split: str | None = "train",
                   licence: str = "not stated") -> Path:
    """Train on a directed-sentiment JSONL file (records with ``sentence`` marking two entities in
    [brackets] and ``label`` 0-4; only ``split`` records when the file has splits) and save the
    weights with a JSON model card beside them.  Returns the weights' path."""
    recs = [r for r in read_records(data) if split is None or r.get("split", split) == split]
    model = PolarityModel.fit([mask_bracketed(r["sentence"]) for r in recs], [int(r["label"]) for r in recs])
    out = Path(out) if out else model_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    digest = hashlib.sha256(Path(data).read_bytes()).hexdigest()
    card = {"model": "parallax directed polarity (tf-idf + linear SVM, 5 classes)", "labels": LABELS,
            "trained_on": str(Path(data).resolve()), "sha256": digest, "records": len(recs), "split": split,
            "data_licence": licence,
            "note": "trained at first use from a file the user supplied; the data's licence governs these weights"}
    out.with_suffix(".json").write_text(json.dumps(card, indent=1), encoding="utf-8")
    load_model.cache_clear()
    return out


def directed_polarity(sentence: str, p: tuple[int, int], q: tuple[int, int],
                      model: PolarityModel | None = None) -> tuple[int, str]:
    """(label, name) of the sentiment between the entities at character spans ``p`` and ``q``:
    positive/negative ``p->q`` or ``q->p``, or neutral."""
    k = (model or load_model()).predict([mask(sentence, p, q)])[0]
    return k, LABELS[k]
