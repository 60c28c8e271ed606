"""The shipped propaganda-technique models: span tagger and technique classifier over MiniLM
word-piece vectors.

What: ``ContextSpanTagger`` marks the words of loaded-language and name-calling spans; each word
is described by the features of ``techniques.SpanTagger`` (learned word prior, lexicon category,
shape, inside quotes) plus its contextual vector from the sentence it sits in
(``token_states``).  ``ContextTechniqueClassifier`` names the technique of a span (14 PTC
classes) from the span's contextual vector, its sentence's vector, word TF-IDF of the span and
``techniques._span_features``.  Both are linear (scikit-learn logistic regressions), trained by
``parallax.training`` on PTC (licence not stated, so the weights live in
``parallax/models/restricted``).  ``model_techniques`` applies them to one sentence of an
article, skipping the speakers' words, for the framing stage.

Why contextual vectors: the word prior alone only finds words seen in training (PTC span F1
0.31 under cross-validation); the vector of a word in its sentence carries whether it is used as
a charged qualifier.  The vectors come from the sentence model the pipeline already loads, so
the heads stay a few megabytes.

Sentences: PTC articles have one sentence per line, so a "line" is the unit encoded in
training; at run time the unit is the sentence the pipeline split.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .techniques import PTCArticle, SpanTagger, TechniqueClassifier, _span_features, _TOKEN, merge_runs, si_prf

__all__ = ["ContextSpanTagger", "ContextTechniqueClassifier", "load_shipped", "model_techniques"]

Encoder = Callable[[Sequence[str]], list]
# word thresholds ``ContextSpanTagger.fit`` chooses from (on held-out thirds of its training data)
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def _encoder(encode_fn: Encoder | None) -> Encoder:
    if encode_fn is not None:
        return encode_fn
    from .token_states import encode

    return encode


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of ``text``."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def token_vectors(text: str, toks: Sequence[tuple[int, int, str]], encode_fn: Encoder) -> np.ndarray:
    """The contextual vector of each word token of ``text``, encoded line by line."""
    from .token_states import DIM, word_vectors

    lines = line_spans(text)
    out = np.zeros((len(toks), DIM), dtype=np.float32)
    if not lines or not toks:
        return out
    encs = encode_fn([text[a:b] for a, b in lines])
    starts = [a for a, _ in lines]
    groups: dict[int, list[int]] = {}
    for k, (a, _, _) in enumerate(toks):
        groups.setdefault(max(bisect.bisect_right(starts, a) - 1, 0), []).append(k)
    for li, ks in groups.items():
        la = lines[li][0]
        out[ks] = word_vectors(encs[li], [(toks[k][0] - la, toks[k][1] - la) for k in ks])
    return out


@dataclass
class ContextSpanTagger(SpanTagger):
    """``SpanTagger`` whose per-word features also hold the word's contextual vector."""

    scaler: Any = None
    threshold: float = 0.4

    def _matrix(self, text: str, toks: list, priors: dict, seen: dict, encode_fn: Encoder) -> np.ndarray:
        return np.hstack([self._features(text, toks, priors, seen), token_vectors(text, toks, encode_fn)])

    def fit(self, articles: Sequence[PTCArticle], encode_fn: Encoder | None = None,  # type: ignore[override]
            C: float = 0.02, negatives: float = 0.35, seed: int = 0, tune: bool = True) -> ContextSpanTagger:
        """Fit on PTC articles.  Word priors of each third come from the other two thirds; a
        ``negatives`` share of the words outside spans is kept (re-weighted), which keeps the
        fit small without moving the decision boundary.  With ``tune`` the word threshold is
        the one of ``THRESHOLDS`` that maximises span F1 (``techniques.si_prf``) on each third
        as predicted by a model fitted on the other two: chosen on the training articles only,
        so a cross-validation over this fit stays honest."""
        enc = _encoder(encode_fn)
        rng = np.random.RandomState(seed)
        labelled = [self._labels(a) for a in articles]
        third, full, keeps = [], [], []
        for j in range(3):
            others = [labelled[i] for i in range(len(labelled)) if i % 3 != j]
            pri, seen = self._priors(others)
            for i in range(j, len(labelled), 3):
                toks, labels = labelled[i]
                if not toks:
                    continue
                lab = np.array(labels, dtype=bool)
                third.append(j)
                full.append((i, self._matrix(articles[i].text, toks, pri, seen, enc), lab))
                keeps.append(lab | (rng.rand(len(lab)) < negatives))
        self.priors, self.seen = self._priors(labelled)
        if tune and len({j for j in third}) == 3:
            probs: dict[int, np.ndarray] = {}
            for j in range(3):
                rows = [r for r, t in enumerate(third) if t != j]
                scaler, clf = self._fit_rows([full[r] for r in rows], [keeps[r] for r in rows], C, negatives)
                for r, t in enumerate(third):
                    if t == j:
                        probs[full[r][0]] = clf.predict_proba(scaler.transform(full[r][1]))[:, 1]
            idx = sorted(probs)
            gold = [[(a, b) for t, a, b in articles[i].spans if t in self.techniques] for i in idx]
            scores = [(si_prf([merge_runs(labelled[i][0], probs[i], th) for i in idx], gold)["f1"], -th)
                      for th in THRESHOLDS]
            self.threshold = -max(scores)[1]
        self.scaler, self.clf = self._fit_rows(full, keeps, C, negatives)
        return self

    @staticmethod
    def _fit_rows(full: list, keeps: list, C: float, negatives: float) -> tuple[Any, Any]:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        Xa = np.vstack([m[k] for (_, m, _), k in zip(full, keeps)])
        y = np.concatenate([lab[k] for (_, _, lab), k in zip(full, keeps)])
        scaler = StandardScaler().fit(Xa)
        clf = LogisticRegression(C=C, max_iter=3000)
        clf.fit(scaler.transform(Xa), y.astype(int), sample_weight=np.where(y, 1.0, 1.0 / negatives))
        return scaler, clf

    def token_proba(self, text: str, encode_fn: Encoder | None = None) -> tuple[list, np.ndarray]:
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        if not toks:
            return toks, np.zeros(0)
        X = self.scaler.transform(self._matrix(text, toks, self.priors, self.seen, _encoder(encode_fn)))
        return toks, self.clf.predict_proba(X)[:, 1]

    def predict(self, text: str, encode_fn: Encoder | None = None) -> list[tuple[int, int]]:  # type: ignore[override]
        """Predicted spans of ``text`` (adjacent marked words merged)."""
        toks, p = self.token_proba(text, encode_fn)
        return merge_runs(toks, p, self.threshold)


def _line_of(text: str, start: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    return a, len(text) if b < 0 else b


@dataclass
class ContextTechniqueClassifier(TechniqueClassifier):
    """``TechniqueClassifier`` over the span's contextual vector and its sentence vector (from
    one encoding of the sentence) instead of separate embeddings of span and context."""

    def _dense(self, items: Sequence[tuple[str, int, int]], encode_fn: Encoder) -> np.ndarray:
        from .token_states import span_vector

        lines = [_line_of(t, a) for t, a, _ in items]
        encs = encode_fn([t[la:lb] for (t, _, _), (la, lb) in zip(items, lines)])
        rows = []
        for (t, a, b), (la, lb), e in zip(items, lines, encs):
            rows.append(np.concatenate([span_vector(e, a - la, min(b, lb) - la), e.sentence,
                                        np.array(_span_features(t, a, b), dtype=np.float32)]))
        return np.vstack(rows)

    def _matrix(self, items: Sequence[tuple[str, int, int]], encode_fn) -> Any:  # type: ignore[override]
        from scipy import sparse

        spans = [text[a:b] for text, a, b in items]
        dense = self.scaler.transform(self._dense(items, _encoder(encode_fn)))
        return sparse.hstack([self.vectorizer.transform(spans), sparse.csr_matrix(dense)]).tocsr()

    def fit(self, items: Sequence[tuple[str, int, int]], labels: Sequence[str],  # type: ignore[override]
            encode_fn: Encoder | None = None, C: float = 0.1) -> ContextTechniqueClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        enc = _encoder(encode_fn)
        spans = [text[a:b] for text, a, b in items]
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True).fit(spans)
        self.scaler = StandardScaler().fit(self._dense(items, enc))
        self.clf = LogisticRegression(C=C, max_iter=3000)
        self.clf.fit(self._matrix(items, enc), list(labels))
        return self

    def predict(self, items: Sequence[tuple[str, int, int]], encode_fn: Encoder | None = None) -> list[str]:  # type: ignore[override]
        if not items:
            return []
        return list(self.clf.predict(self._matrix(items, encode_fn)))


# --- the shipped models --------------------------------------------------------------------------

_shipped: dict[str, Any] = {}


def load_shipped() -> dict[str, Any] | None:
    """``{"tagger", "classifier", "card"}`` from ``restricted/techniques.joblib``, or None when
    it is absent, disabled (``$PARALLAX_RESTRICTED_MODELS=0``) or unreadable."""
    from .framing_model import restricted_enabled, shipped_dir

    path: Path = shipped_dir() / "techniques.joblib"
    key = str(path) if restricted_enabled() else ""
    if key not in _shipped:
        bundle = None
        if key and path.is_file():
            try:
                import joblib

                bundle = joblib.load(path)
            except Exception:  # a stale or foreign file: the rules still work
                bundle = None
        _shipped[key] = bundle
    return _shipped[key]


def model_techniques(text: str, start: int, end: int, quoted: Sequence[tuple[int, int]] = (),
                     bundle: dict[str, Any] | None = None) -> list[tuple[str, int, int]]:
    """(technique, start, end) of the loaded-language / name-calling spans the shipped tagger
    finds in the sentence ``text[start:end]``, outside ``quoted`` ranges, named by the shipped
    classifier; [] without shipped models."""
    bundle = bundle or load_shipped()
    if not bundle:
        return []
    sentence = text[start:end].replace("\n", " ")
    spans = [(a, b) for a, b in bundle["tagger"].predict(sentence)
             if not any(x <= start + a and start + b <= y for x, y in quoted)]
    if not spans:
        return []
    names = bundle["classifier"].predict([(sentence, a, b) for a, b in spans])
    return [(n, start + a, start + b) for n, (a, b) in zip(names, spans)]
