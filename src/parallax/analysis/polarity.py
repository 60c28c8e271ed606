"""Directed polarity between two entities of one sentence: who endorses or blames whom.

What: a linear model over the sentence with the two entities masked (``PENT`` for the first, the
would-be source, ``QENT`` for the second): word 1-3-grams of the whole sentence and word 1-2-grams
of the stretch between the two entities, tf-idf weighted, and a linear SVM over five classes:
0 neutral, 1 p->q positive, 2 q->p positive, 3 p->q negative, 4 q->p negative (the classes of
the directed-sentiment data of Park et al. 2021).  Training doubles the data by swapping the
two masks (a p->q label becomes q->p), which balances the rare q->p classes.
Why: transparent and fast on a CPU; it is the shipped model.  ``StackedPolarity`` (not shipped:
it scored lower on the valid split, 0.510 vs 0.675 macro-F1) tries to add what the
n-grams miss on unseen wording: the MiniLM word-piece vectors of the sentence with both entities
in [brackets] (the data's own markers), averaged over each entity, over the words between them
and over the sentence, stacked with the SVM's scores in a multinomial logistic regression.
The training set (directed_sentiment, Park et al. 2021) states no licence, so the shipped
weights (``models/restricted/polarity.npz``, plain arrays, no pickle, card beside them) live in
the separately licensed folder; ``$PARALLAX_RESTRICTED_MODELS=0`` ignores them.
``train_polarity(file)`` trains a user's own n-gram model (30 s on one core) at
``$PARALLAX_POLARITY_MODEL`` or ``~/.cache/parallax/polarity.npz``, used before the shipped one.
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
def user_path() -> Path:
    """Where ``train_polarity`` saves a user's model: ``$PARALLAX_POLARITY_MODEL`` or
    ``~/.cache/parallax/polarity.npz``."""
    env = os.environ.get("PARALLAX_POLARITY_MODEL")
    return Path(env) if env else Path.home() / ".cache" / "parallax" / "polarity.npz"


def model_path() -> Path:
    """The model ``load_model`` reads: ``$PARALLAX_POLARITY_MODEL`` when set, else a user-trained
    ``~/.cache/parallax/polarity.npz``, else the shipped ``models/restricted/polarity.npz``
    (unless ``$PARALLAX_RESTRICTED_MODELS=0``)."""
    from .framing_model import restricted_enabled, shipped_dir

    user = user_path()
    if os.environ.get("PARALLAX_POLARITY_MODEL") or user.is_file() or not restricted_enabled():
        return user
    return shipped_dir() / "polarity.npz"
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
            prune: float = 0.05, tune: bool = True, fast: bool = False) -> PolarityModel:
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
        if fast:  # the same hinge loss by SGD: seconds instead of minutes on 13k sentences
            from sklearn.linear_model import SGDClassifier

            clf = SGDClassifier(loss="hinge", alpha=1e-4, max_iter=30, tol=None, class_weight="balanced",
                                random_state=0).fit(X, y_arr)
        else:
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


# --- the contextual head (shipped) ---------------------------------------------------------------

def bracket(sentence: str, p: tuple[int, int], q: tuple[int, int]) -> tuple[str, bool]:
    """The sentence with both entity spans wrapped in [brackets] (the markers of the training
    data), and whether ``q`` comes first (then the first bracket is q, the second p)."""
    (a, b), (c, d) = p, q
    swapped = c < a
    if swapped:
        (a, b), (c, d) = (c, d), (a, b)
    return f"{sentence[:a]}[{sentence[a:b]}]{sentence[b:c]}[{sentence[c:d]}]{sentence[d:]}", swapped


def _bracket_spans(sentence: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    found = [(m.start() + 1, m.end() - 1) for m in re.finditer(r"\[[^\]]*\]", sentence)][:2]
    return (found[0], found[1]) if len(found) == 2 else None


def dense_features(bracketed: Sequence[str], encoded: Sequence | None = None) -> np.ndarray:
    """Contextual features of sentences with two [bracketed] entities (first = p): the MiniLM
    word-piece vectors averaged over p, over q and over the words between them, and the
    sentence vector; (n, 4 * 384).  ``encoded``: the sentences' ``token_states.Encoded``."""
    from .token_states import DIM, encode, span_vector

    if encoded is None:
        encoded = encode(list(bracketed))
    out = np.zeros((len(bracketed), 4 * DIM), dtype=np.float32)
    for i, (s, e) in enumerate(zip(bracketed, encoded)):
        spans = _bracket_spans(s)
        if spans is None:
            out[i, 3 * DIM:] = e.sentence
            continue
        (a, b), (c, d) = spans
        out[i] = np.concatenate([span_vector(e, a, b), span_vector(e, c, d),
                                 span_vector(e, b + 1, c - 1), e.sentence])
    return out


class StackedPolarity:
    """The shipped model: a multinomial logistic regression over ``dense_features`` and the five
    scores of the n-gram SVM (``PolarityModel``), plus per-class offsets tuned for macro-F1.
    Stored as plain arrays (``.npz``, no pickle)."""

    def __init__(self, ngram: PolarityModel, mean, scale, coef, intercept) -> None:
        self.ngram = ngram
        self.mean = np.asarray(mean, dtype=np.float32)
        self.scale = np.asarray(scale, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)

    @staticmethod
    def _stack(dense: np.ndarray, ngram_scores: np.ndarray) -> np.ndarray:
        return np.hstack([dense, ngram_scores]).astype(np.float32)

    @classmethod
    def fit(cls, bracketed: Sequence[str], labels: Sequence[int], encoded: Sequence | None = None,
            C: float = 0.01, seed: int = 0) -> StackedPolarity:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold

        texts, y = list(bracketed), np.asarray(labels)
        masked = [mask_bracketed(t) for t in texts]
        # the SVM scores the stacker learns from are out-of-fold, as they will be on new text
        held = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        for tr, te in StratifiedKFold(3, shuffle=True, random_state=seed).split(texts, y):
            m = PolarityModel.fit([masked[i] for i in tr], y[tr], tune=False, fast=True)
            held[te] = m.scores([masked[i] for i in te])
        ngram = PolarityModel.fit(masked, y, tune=False, fast=True)
        X = cls._stack(dense_features(texts, encoded), held)
        mean, scale = X.mean(0), X.std(0) + 1e-6
        Z = (X - mean) / scale
        lr = LogisticRegression(C=C, max_iter=2000, class_weight="balanced")
        lr.fit(Z, y)
        coef = np.zeros((len(LABELS), X.shape[1]), dtype=np.float32)
        inter = np.full(len(LABELS), -1e3, dtype=np.float32)
        for k, c in enumerate(lr.classes_):
            coef[int(c)], inter[int(c)] = lr.coef_[k], lr.intercept_[k]
        return cls(ngram, mean, scale, coef, inter)

    def scores(self, bracketed: Sequence[str], encoded: Sequence | None = None) -> np.ndarray:
        texts = list(bracketed)
        X = self._stack(dense_features(texts, encoded), self.ngram.scores([mask_bracketed(t) for t in texts]))
        return ((X - self.mean) / self.scale) @ self.coef.T + self.intercept

    def predict(self, bracketed: Sequence[str], encoded: Sequence | None = None) -> list[int]:
        if not len(bracketed):
            return []
        return [int(k) for k in self.scores(bracketed, encoded).argmax(axis=1)]

    def save(self, path: str | Path) -> None:
        v1, v2 = self.ngram.vecs
        np.savez_compressed(path, vocab_all=np.array(sorted(v1.vocabulary, key=v1.vocabulary.get)),
                            idf_all=v1.idf_.astype(np.float32),
                            vocab_between=np.array(sorted(v2.vocabulary, key=v2.vocabulary.get)),
                            idf_between=v2.idf_.astype(np.float32), ngram_coef=self.ngram.coef.astype(np.float16),
                            ngram_intercept=self.ngram.intercept, mean=self.mean, scale=self.scale,
                            coef=self.coef, intercept=self.intercept)

    @classmethod
    def load(cls, path: str | Path) -> StackedPolarity:
        with np.load(path, allow_pickle=False) as z:
            ngram = PolarityModel(list(z["vocab_all"]), z["idf_all"], list(z["vocab_between"]), z["idf_between"],
                                  z["ngram_coef"].astype(np.float32), z["ngram_intercept"])
            return cls(ngram, z["mean"], z["scale"], z["coef"], z["intercept"])


@functools.lru_cache(maxsize=4)
def load_model(path: str | None = None) -> PolarityModel | StackedPolarity:
    p = Path(path) if path else model_path()
    if not p.is_file():
        raise ModelMissingError(f"polarity model missing: {p}; train it once with "
                                "parallax.analysis.polarity.train_polarity('directed_sentiment.jsonl')")
    try:
        with np.load(p, allow_pickle=False) as z:
            stacked = "ngram_coef" in z.files
        return StackedPolarity.load(p) if stacked else PolarityModel.load(p)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelMissingError(f"{p}: not a Parallax polarity model ({exc})") from None


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
    out = Path(out) if out else user_path()
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
                      model: PolarityModel | StackedPolarity | None = None) -> tuple[int, str]:
    """(label, name) of the sentiment between the entities at character spans ``p`` and ``q``:
    positive/negative ``p->q`` or ``q->p``, or neutral."""
    model = model or load_model()
    if isinstance(model, StackedPolarity):
        marked, swapped = bracket(sentence, p, q)
        k = model.predict([marked])[0]
        k = SWAP[k] if swapped else k  # the first bracket was q: read the label from p's side
    else:
        k = model.predict([mask(sentence, p, q)])[0]
    return k, LABELS[k]
