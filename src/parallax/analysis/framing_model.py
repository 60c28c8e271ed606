"""A trained sentence-level bias / opinion classifier and biased-word tagger for framing.

What: ``FramingModel`` classifies a sentence as biased (opinion, editorialising) or not with a
probability, and tags the words in it that carry the bias.  The sentence classifier is one
logistic regression over three feature blocks:

* the sentence's all-MiniLM-L6-v2 embedding (``parallax.nlp.embed``, cached, so the pipeline
  pays nothing extra: it embeds every body sentence anyway);
* word and word-pair TF-IDF;
* transparent features: the lexical cue scores of ``parallax.analysis.framing`` per category,
  and "word priors" learned from the training file's biased-word annotations (how often each
  word, where it occurs, was marked as a biased word).

The word tagger is a second logistic regression over per-token features (the learned prior,
the lexicon category, the sentence probability, shape).

Why: the lexical detector alone is precise but misses most biased sentences (BABE macro-F1
0.58); the embedding catches opinion phrased in ordinary words, the priors and the lexicon keep
the highlighted words explainable.

Licensing: Parallax ships no weights trained on BABE (AGPL-3.0) or on data whose licence is not
stated.  A model is trained from a user's own file with ``parallax train framing --data FILE``
and saved outside the package (``default_path()``), with a ``.json`` card beside it that
records the data file, its sha256, record count and the licence the user declares.  See
``parallax/models/README.md``.

Training data format (BABE JSONL): one object per line with ``text``, ``label_bias``
("Biased" / "Non-biased"; other values are skipped) and optionally ``biased_words`` (a list of
words).  A ``label`` field of 1/0 or true/false is accepted instead of ``label_bias``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BenchDataError

__all__ = ["FramingModel", "LabelledSentence", "default_path", "load_default", "read_labelled", "tokens"]

VERSION = 1
_TOKEN = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
_STOP = frozenset("""a an the of to in on at for by with from and or but if as is are was were be
been being it its this that these those he she they them his her their we our you your i me my
not no so than then there here what which who whom whose when where why how all any some such
has have had do does did will would can could should may might must also just about into over
after before up down out more most very said says say""".split())

CATEGORY_KEYS = ("first_person", "formula", "hyperbole", "question", "exclamation",
                 "scare_quotes", "intensifier", "loaded")


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens of ``text`` as (start, end, word)."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


@dataclass(frozen=True)
class LabelledSentence:
    text: str
    biased: bool
    words: tuple[str, ...] = ()


def read_labelled(path: Path | str) -> list[LabelledSentence]:
    """Labelled sentences of a BABE-format JSONL file (rows without a usable label skipped)."""
    from ..bench.metrics import read_jsonl

    out = []
    for rec in read_jsonl(path, required=("text",)):
        label = rec.get("label_bias", rec.get("label"))
        if isinstance(label, str):
            low = label.strip().lower()
            if low in ("biased", "1", "true", "opinion"):
                biased = True
            elif low in ("non-biased", "0", "false", "reporting"):
                biased = False
            else:
                continue
        elif isinstance(label, (bool, int)):
            biased = bool(label)
        else:
            continue
        words = rec.get("biased_words") or []
        out.append(LabelledSentence(str(rec["text"]), biased,
                                    tuple(str(w) for w in words if isinstance(w, str))))
    if len(out) < 10 or len({s.biased for s in out}) < 2:
        raise BenchDataError(f"{path}: need at least 10 labelled sentences of both classes, got {len(out)}")
    return out


def file_sha256(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- features -----------------------------------------------------------------------------------

def _cue_features(text: str) -> tuple[np.ndarray, list[tuple[int, int, str, float]]]:
    """Per-category cue weight sums of ``sentence_cues`` and the cue word hits."""
    from .framing import sentence_cues

    vec = np.zeros(len(CATEGORY_KEYS) + 1, dtype=np.float32)
    hits = []
    for cue in sentence_cues(text, 0, len(text)):
        vec[CATEGORY_KEYS.index(cue.category)] += cue.weight
        if cue.span is not None:
            hits.append((cue.span.start, cue.span.end, cue.category, cue.weight))
    vec[-1] = vec[:-1].sum()
    return vec, hits


def _word_priors(data: Sequence[LabelledSentence], alpha: float = 1.0,
                 beta: float = 4.0) -> dict[str, float]:
    """Smoothed share of a word's occurrences that annotators marked as biased."""
    seen: Counter[str] = Counter()
    marked: Counter[str] = Counter()
    for s in data:
        gold = {_norm(w) for w in s.words}
        for _, _, w in tokens(s.text):
            n = _norm(w)
            seen[n] += 1
            if n in gold:
                marked[n] += 1
    return {w: (marked[w] + alpha * 0.02) / (seen[w] + beta) for w in marked}


def _prior_features(text: str, priors: dict[str, float]) -> np.ndarray:
    vals = sorted((priors.get(_norm(w), 0.0) for _, _, w in tokens(text)), reverse=True) or [0.0]
    top = vals + [0.0, 0.0]
    return np.array([top[0], top[0] + top[1] + top[2], sum(v > 0.2 for v in vals),
                     sum(v > 0.05 for v in vals)], dtype=np.float32)


def _oof_prior_features(data: Sequence[LabelledSentence], folds: int = 4) -> np.ndarray:
    """Prior features of each training sentence computed with priors from the other folds, so
    the classifier learns how much a prior learned elsewhere is worth (not a memorised one)."""
    out = np.zeros((len(data), 4), dtype=np.float32)
    idx = np.arange(len(data))
    for k in range(folds):
        held = idx[k::folds]
        rest = [data[i] for i in idx if i % folds != k]
        pri = _word_priors(rest)
        for i in held:
            out[i] = _prior_features(data[i].text, pri)
    return out


@dataclass
class FramingModel:
    """Sentence classifier (a small ensemble) + word tagger; see the module docstring.

    The sentence probability is the mean of five logistic models that see the sentence
    differently: (1) embedding + cue + prior features, (2) word 1-2-gram TF-IDF, (3) character
    2-5-gram TF-IDF, (4) an RBF support-vector machine on the embedding (its margin squashed to
    0..1), (5) cue + prior features alone.  Averaging them gains about three points of macro-F1
    on BABE over the best single one.
    """

    members: dict[str, Any] = field(default_factory=dict)
    word_clf: Any = None
    priors: dict[str, float] = field(default_factory=dict)
    threshold: float = 0.5
    word_threshold: float = 0.35  # biased words are rare: favour recall a little
    card: dict[str, Any] = field(default_factory=dict)

    # -- sentence level --------------------------------------------------------------------
    @staticmethod
    def _embed(texts: Sequence[str], emb: np.ndarray | None) -> np.ndarray:
        if emb is not None:
            return np.asarray(emb, dtype=np.float32)
        from ..nlp.embed import embed

        return embed(list(texts))

    @classmethod
    def train(cls, data: Sequence[LabelledSentence], emb: np.ndarray | None = None) -> FramingModel:
        """Fit on labelled sentences (``emb``: their embeddings, if already computed)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC

        data = list(data)
        texts = [s.text for s in data]
        y = np.array([s.biased for s in data], dtype=int)
        emb = cls._embed(texts, emb)
        cue = np.stack([_cue_features(t)[0] for t in texts])
        pri = _oof_prior_features(data)
        model = cls(priors=_word_priors(data))
        m = model.members
        m["dense"] = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=3000))
        m["dense"].fit(np.hstack([emb, cue, pri]), y)
        m["words"] = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                                   LogisticRegression(C=4, max_iter=3000))
        m["words"].fit(texts, y)
        m["chars"] = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2,
                                                   sublinear_tf=True),
                                   LogisticRegression(C=4, max_iter=3000))
        m["chars"].fit(texts, y)
        m["svm"] = SVC(C=2, kernel="rbf").fit(emb, y)
        m["cues"] = make_pipeline(StandardScaler(), LogisticRegression(C=1, max_iter=3000))
        m["cues"].fit(np.hstack([cue, pri]), y)
        if any(s.words for s in data):
            model._train_words(data, emb)
        return model

    def _train_words(self, data: list[LabelledSentence], emb: np.ndarray) -> None:
        """The word tagger, trained on priors from the other half so they are not memorised."""
        from sklearn.linear_model import LogisticRegression

        half = len(data) // 2
        pri_a, pri_b = _word_priors(data[:half]), _word_priors(data[half:])
        probs = self.predict_proba([s.text for s in data], emb)
        feats, gold = [], []
        for i, s in enumerate(data):
            pri = pri_b if i < half else pri_a
            golds = {_norm(w) for w in s.words}
            for tok in tokens(s.text):
                feats.append(_token_features(s.text, tok, pri, probs[i]))
                gold.append(_norm(tok[2]) in golds)
        if any(gold):
            self.word_clf = LogisticRegression(C=1.0, max_iter=2000)
            self.word_clf.fit(np.array(feats), np.array(gold, dtype=int))

    def predict_proba(self, texts: Sequence[str], emb: np.ndarray | None = None) -> np.ndarray:
        """Probability that each sentence is biased / opinion."""
        if not len(texts):
            return np.zeros(0)
        texts = list(texts)
        emb = self._embed(texts, emb)
        cue = np.stack([_cue_features(t)[0] for t in texts])
        pri = np.stack([_prior_features(t, self.priors) for t in texts])
        m = self.members
        ps = [m["dense"].predict_proba(np.hstack([emb, cue, pri]))[:, 1],
              m["words"].predict_proba(texts)[:, 1],
              m["chars"].predict_proba(texts)[:, 1],
              1.0 / (1.0 + np.exp(-2.0 * m["svm"].decision_function(emb))),
              m["cues"].predict_proba(np.hstack([cue, pri]))[:, 1]]
        return np.mean(ps, axis=0)

    # -- word level ------------------------------------------------------------------------
    def biased_words(self, text: str, prob: float) -> list[tuple[int, int, str, float]]:
        """Words of ``text`` the tagger marks as biased: (start, end, word, probability)."""
        toks = tokens(text)
        if not toks:
            return []
        if self.word_clf is None:  # no word annotations in training: use the lexicon hits
            return [(a, b, text[a:b], w) for a, b, cat, w in _cue_features(text)[1]
                    if cat in ("loaded", "intensifier", "hyperbole")]
        X = np.array([_token_features(text, t, self.priors, prob) for t in toks])
        p = self.word_clf.predict_proba(X)[:, 1]
        return [(a, b, w, float(pi)) for (a, b, w), pi in zip(toks, p) if pi >= self.word_threshold]

    # -- persistence -----------------------------------------------------------------------
    def save(self, path: Path | str) -> Path:
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"version": VERSION, "model": self}, path)
        path.with_suffix(".json").write_text(json.dumps(self.card, indent=2, sort_keys=True) + "\n")
        return path

    @classmethod
    def load(cls, path: Path | str) -> FramingModel:
        import joblib

        blob = joblib.load(path)
        if not isinstance(blob, dict) or blob.get("version") != VERSION:
            raise ValueError(f"{path}: not a Parallax framing model of version {VERSION}")
        return blob["model"]


def _token_features(text: str, tok: tuple[int, int, str], priors: dict[str, float],
                    prob: float) -> list[float]:
    from .framing import _WORDS  # the lexicon lookup with inflection

    a, _, word = tok
    n = _norm(word)
    pr = priors.get(n, 0.0)
    hit = _WORDS.lookup(word)
    cat = hit[0] if hit else ""
    return [pr, math.sqrt(pr), float(pr > 0), prob, prob * pr,
            float(cat == "loaded"), float(cat == "intensifier"), float(cat in ("hyperbole", "formula")),
            hit[1] if hit else 0.0, float(n in _STOP), float(word[0].isupper() and a > 0),
            min(len(word), 15) / 15.0, float(n.endswith("ly"))]


# --- the installed model -----------------------------------------------------------------------

def default_path() -> Path:
    """Where ``parallax train framing`` saves and the framing stage looks for a model:
    ``$PARALLAX_FRAMING_MODEL``, else ``$XDG_CACHE_HOME/parallax/framing.joblib``
    (``~/.cache/parallax/framing.joblib``)."""
    env = os.environ.get("PARALLAX_FRAMING_MODEL")
    if env:
        return Path(env)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "parallax" / "framing.joblib"


_loaded: dict[str, FramingModel | None] = {}


def load_default() -> FramingModel | None:
    """The user-trained model at ``default_path()``, or None when there is none (then the
    framing stage uses the lexical detector alone)."""
    path = default_path()
    key = str(path)
    if key not in _loaded:
        model = None
        if path.is_file():
            try:
                model = FramingModel.load(path)
            except Exception:  # a stale or foreign file: fall back to the lexicon, never crash
                model = None
        _loaded[key] = model
    return _loaded[key]
