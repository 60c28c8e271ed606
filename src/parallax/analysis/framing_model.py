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

Licensing and where models come from: the shipped model (``models/restricted/framing.joblib``,
trained on BABE, AGPL-3.0, so kept in a separately licensed folder with its own LICENSE note) is
used unless the user trained their own (``parallax train framing --data FILE``, saved at
``save_path()`` with a ``.json`` card recording the data file, its sha256, record count and
the licence the user declares) or switched the restricted models off
(``$PARALLAX_RESTRICTED_MODELS=0``: lexicon only).  See ``parallax/models/README.md``.  The
shipped model is *contextual*: it also reads the MiniLM word-piece vectors of each sentence
(``token_states``), one forward pass per sentence.

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

VERSION = 2  # 2: optional contextual members (MiniLM word-piece vectors); version-1 files still load
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


def read_labelled(path: Path | str, split: str | None = None) -> list[LabelledSentence]:
    """Labelled sentences of a BABE-format JSONL file (rows without a usable label skipped;
    only the rows of ``split`` when given, see ``bench.bias.select_split``)."""
    from ..bench.bias import select_split
    from ..bench.metrics import read_jsonl

    out = []
    for rec in select_split(read_jsonl(path, required=("text",)), split, path):
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
    contextual: bool = False  # trained with MiniLM word-piece vectors (token_states); the shipped model is

    # -- sentence level --------------------------------------------------------------------
    @staticmethod
    def _embed(texts: Sequence[str], emb: np.ndarray | None) -> np.ndarray:
        if emb is not None:
            return np.asarray(emb, dtype=np.float32)
        from ..nlp.embed import embed

        return embed(list(texts))

    def _encoded(self, texts: Sequence[str], encoded: Sequence[Any] | None) -> Sequence[Any] | None:
        if not self.contextual:
            return None
        if encoded is None:
            from .token_states import encode

            encoded = encode(list(texts))
        return encoded

    @classmethod
    def train(cls, data: Sequence[LabelledSentence], emb: np.ndarray | None = None,
              encoded: Sequence[Any] | None = None) -> FramingModel:
        """Fit on labelled sentences (``emb``: their embeddings, if already computed).  With
        ``encoded`` (their ``token_states.Encoded``) the model is contextual: the sentence members
        read the encoder's sentence vectors and the word tagger sees each word's vector.  (A
        member over mean- and max-pooled word pieces was tried: 0.74 macro-F1 alone on BABE
        5-fold vs 0.755 for the sentence vector, so it is not used.)"""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC

        data = list(data)
        texts = [s.text for s in data]
        y = np.array([s.biased for s in data], dtype=int)
        if encoded is not None:
            emb = np.stack([e.sentence for e in encoded])
        emb = cls._embed(texts, emb)
        cue = np.stack([_cue_features(t)[0] for t in texts])
        pri = _oof_prior_features(data)
        model = cls(priors=_word_priors(data), contextual=encoded is not None)
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
            model._train_words(data, emb, encoded)
        return model

    def _train_words(self, data: list[LabelledSentence], emb: np.ndarray,
                     encoded: Sequence[Any] | None = None) -> None:
        """The word tagger, trained on priors from the other half so they are not memorised."""
        from sklearn.linear_model import LogisticRegression

        half = len(data) // 2
        pri_a, pri_b = _word_priors(data[:half]), _word_priors(data[half:])
        probs = self.predict_proba([s.text for s in data], emb, encoded)
        feats, gold = [], []
        for i, s in enumerate(data):
            pri = pri_b if i < half else pri_a
            golds = {_norm(w) for w in s.words}
            toks = tokens(s.text)
            rows = [_token_features(s.text, tok, pri, probs[i]) for tok in toks]
            feats.append(self._word_matrix(rows, toks, encoded[i] if encoded is not None else None))
            gold.extend(_norm(tok[2]) in golds for tok in toks)
        if any(gold):
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler

            C = 0.05 if self.contextual else 1.0
            self.word_clf = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=2000))
            self.word_clf.fit(np.vstack(feats), np.array(gold, dtype=int))

    def _word_matrix(self, rows: list[list[float]], toks: list[tuple[int, int, str]], enc: Any) -> np.ndarray:
        X = np.array(rows, dtype=np.float32).reshape(len(toks), -1)
        if not self.contextual:
            return X
        from .token_states import word_vectors

        return np.hstack([X, word_vectors(enc, [(a, b) for a, b, _ in toks])])

    def predict_proba(self, texts: Sequence[str], emb: np.ndarray | None = None,
                      encoded: Sequence[Any] | None = None) -> np.ndarray:
        """Probability that each sentence is biased / opinion."""
        if not len(texts):
            return np.zeros(0)
        texts = list(texts)
        encoded = self._encoded(texts, encoded)
        if encoded is not None:
            emb = np.stack([e.sentence for e in encoded])
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
    def biased_words(self, text: str, prob: float, encoded: Any = None) -> list[tuple[int, int, str, float]]:
        """Words of ``text`` the tagger marks as biased: (start, end, word, probability)."""
        toks = tokens(text)
        if not toks:
            return []
        if self.word_clf is None:  # no word annotations in training: use the lexicon hits
            return [(a, b, text[a:b], w) for a, b, cat, w in _cue_features(text)[1]
                    if cat in ("loaded", "intensifier", "hyperbole")]
        enc = self._encoded([text], [encoded] if encoded is not None else None)
        X = self._word_matrix([_token_features(text, t, self.priors, prob) for t in toks], toks,
                              enc[0] if enc is not None else None)
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
        if not isinstance(blob, dict) or blob.get("version") not in (1, VERSION):
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

RESTRICTED_ENV = "PARALLAX_RESTRICTED_MODELS"


def shipped_dir() -> Path:
    """The folder of the shipped weights trained on data under AGPL-3.0 or no stated licence
    (``parallax/models/restricted``, with its own LICENSE note)."""
    return Path(__file__).resolve().parent.parent / "models" / "restricted"


def restricted_enabled() -> bool:
    """False when ``$PARALLAX_RESTRICTED_MODELS`` is 0/off/no/false: run on the lexicon and
    rules alone, without the weights of ``shipped_dir()``."""
    return os.environ.get(RESTRICTED_ENV, "1").strip().lower() not in ("0", "off", "no", "false")


def user_path() -> Path:
    """Where ``parallax train framing`` saves a user's own model:
    ``$XDG_CACHE_HOME/parallax/framing.joblib`` (``~/.cache/parallax/framing.joblib``)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "parallax" / "framing.joblib"


def save_path() -> Path:
    """Where ``parallax train framing`` writes: ``$PARALLAX_FRAMING_MODEL`` or ``user_path()``."""
    env = os.environ.get("PARALLAX_FRAMING_MODEL")
    return Path(env) if env else user_path()


def default_path() -> Path | None:
    """The framing model the pipeline uses: ``$PARALLAX_FRAMING_MODEL`` when set (an absent
    file there means "none"), else a user-trained model at ``user_path()``, else the shipped
    ``restricted/framing.joblib`` unless ``$PARALLAX_RESTRICTED_MODELS=0``; None when none applies."""
    env = os.environ.get("PARALLAX_FRAMING_MODEL")
    if env:
        return Path(env)
    if user_path().is_file():
        return user_path()
    shipped = shipped_dir() / "framing.joblib"
    return shipped if restricted_enabled() and shipped.is_file() else None


_loaded: dict[str, FramingModel | None] = {}


def load_default() -> FramingModel | None:
    """The model at ``default_path()``, or None when there is none (then the framing stage uses
    the lexical detector alone)."""
    path = default_path()
    key = str(path)
    if key not in _loaded:
        model = None
        if path is not None and path.is_file():
            try:
                model = FramingModel.load(path)
            except Exception:  # a stale or foreign file: fall back to the lexicon, never crash
                model = None
        _loaded[key] = model
    return _loaded[key]
