"""Propaganda techniques (the PTC / SemEval-2020 Task 11 set) on spans of an outlet's own words.

Two layers:

* ``rule_techniques`` - transparent rules used in every report: the framing cues of a flagged
  sentence and the phrase lists of ``lexicon.TECHNIQUE_PHRASES`` mapped to technique names
  (a name-calling noun -> ``Name_Calling,Labeling``, another loaded word -> ``Loaded_Language``,
  hyperbole or an intensifier -> ``Exaggeration,Minimisation``, a rhetorical question or scare
  quotes -> ``Doubt``, "what about" -> ``Whataboutism,Straw_Men,Red_Herring`` ...).  Words inside
  quotations are the speaker's, never the outlet's, and are skipped.
* ``SpanTagger`` and ``TechniqueClassifier`` - small trained models (logistic regressions over
  per-token features, and over span + context embeddings and span features) used by
  ``parallax bench propaganda`` with K-fold cross-validation on a PTC-format file, and by
  ``parallax train techniques --data FILE``.  Their contextual versions
  (``technique_model``) are shipped, trained on PTC (licence not stated, so in the separately
  licensed ``models/restricted``); ``learned_techniques`` adds what they find to the rules'.

``si_prf`` is the SemEval-2020 Task 11 span-identification score with partial-overlap credit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..model import Span, Technique
from . import lexicon

__all__ = ["PTC_TECHNIQUES", "SpanTagger", "TechniqueClassifier", "rule_techniques", "si_prf"]

PTC_TECHNIQUES = (
    "Loaded_Language", "Name_Calling,Labeling", "Repetition", "Doubt", "Exaggeration,Minimisation",
    "Appeal_to_fear-prejudice", "Flag-Waving", "Causal_Oversimplification", "Appeal_to_Authority",
    "Slogans", "Whataboutism,Straw_Men,Red_Herring", "Black-and-White_Fallacy",
    "Bandwagon,Reductio_ad_hitlerum", "Thought-terminating_Cliches",
)

_PLAIN = {
    "Loaded_Language": "loaded language",
    "Name_Calling,Labeling": "name-calling",
    "Exaggeration,Minimisation": "exaggeration",
    "Doubt": "casting doubt",
    "Appeal_to_fear-prejudice": "appeal to fear",
    "Flag-Waving": "flag-waving",
    "Whataboutism,Straw_Men,Red_Herring": "whataboutism",
    "Causal_Oversimplification": "causal oversimplification",
    "Black-and-White_Fallacy": "black-and-white fallacy",
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon",
    "Thought-terminating_Cliches": "thought-terminating cliché",
    "Slogans": "slogan",
    "Repetition": "repetition",
    "Appeal_to_Authority": "appeal to authority",
}


def _phrase_re(phrases: Sequence[str]) -> re.Pattern[str]:
    parts = [r"\s+".join(re.escape(w) for w in p.split()) for p in sorted(phrases, key=len, reverse=True)]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


_PHRASES = {t: _phrase_re(ps) for t, ps in lexicon.TECHNIQUE_PHRASES.items()}


def _base(word: str) -> str:
    w = word.lower()
    for suffix in ("es", "s"):
        if w.endswith(suffix) and w[: -len(suffix)] in lexicon.NAME_CALLING:
            return w[: -len(suffix)]
    return w


def rule_techniques(text: str, start: int, end: int, cues: Sequence[Any],
                    quoted: Sequence[tuple[int, int]] = ()) -> list[Technique]:
    """Techniques in the outlet's own words of ``text[start:end]``, from the sentence's framing
    ``cues`` (``framing.Cue``) and the technique phrase lists; sorted by position."""
    def outside(a: int, b: int) -> bool:
        return not any(x <= a and b <= y for x, y in quoted)

    found: dict[tuple[str, int, int], Technique] = {}

    def add(name: str, a: int, b: int, why: str) -> None:
        key = (name, a, b)
        if key not in found:
            found[key] = Technique(name, Span(a, b, text[a:b]), f"{_PLAIN[name]}: {why}")

    for cue in cues:
        cat, span = cue.category, cue.span
        if cat == "loaded" and span is not None:
            if _base(span.text) in lexicon.NAME_CALLING:
                add("Name_Calling,Labeling", span.start, span.end, f"'{span.text}' labels a person or group")
            else:
                add("Loaded_Language", span.start, span.end, f"'{span.text}' is charged wording")
        elif cat in ("hyperbole", "intensifier") and span is not None:
            add("Exaggeration,Minimisation", span.start, span.end, f"'{span.text}' inflates the fact")
        elif cat == "scare_quotes" and span is not None:
            add("Doubt", span.start, span.end, f"scare quotes around {span.text}")
        elif cat == "question":
            a = start + len(text[start:end]) - len(text[start:end].lstrip())
            add("Doubt", a, end, "a rhetorical question in the outlet's voice")
    sentence = text[start:end]
    for name, pattern in _PHRASES.items():
        for m in pattern.finditer(sentence):
            a, b = start + m.start(), start + m.end()
            if outside(a, b):
                add(name, a, b, f"'{text[a:b]}'")
    return sorted(found.values(), key=lambda t: (t.span.start, t.span.end, t.technique))


def learned_techniques(text: str, start: int, end: int, quoted: Sequence[tuple[int, int]] = (),
                       known: Sequence[Technique] = ()) -> list[Technique]:
    """Techniques the shipped trained models (``technique_model``) find in the outlet's own words
    of ``text[start:end]`` that ``known`` (the rules' findings) does not already cover; [] when
    the restricted models are absent or disabled."""
    from .technique_model import model_techniques

    out = []
    for name, a, b in model_techniques(text, start, end, quoted):
        if any(t.span.start < b and a < t.span.end for t in known) or name not in _PLAIN:
            continue
        out.append(Technique(name, Span(a, b, text[a:b]), f"{_PLAIN[name]} (trained tagger): '{text[a:b]}'"))
    return out


# --- scoring ---------------------------------------------------------------------------------------

def si_prf(pred: Sequence[Sequence[tuple[int, int]]],
           gold: Sequence[Sequence[tuple[int, int]]]) -> dict[str, float]:
    """SemEval-2020 Task 11 span identification: precision, recall, F1 with partial credit.

    ``pred`` and ``gold`` hold one list of (start, end) per article.  Each predicted span earns
    the share of its length that overlaps gold spans (precision); each gold span the share of
    its length covered (recall); sums are divided by the numbers of spans.
    """
    p_sum = r_sum = 0.0
    n_s = n_t = 0
    for spans, golds in zip(pred, gold):
        n_s += len(spans)
        n_t += len(golds)
        for s0, s1 in spans:
            for t0, t1 in golds:
                ov = min(s1, t1) - max(s0, t0)
                if ov > 0:
                    p_sum += ov / (s1 - s0)
                    r_sum += ov / (t1 - t0)
    p = p_sum / n_s if n_s else 0.0
    r = r_sum / n_t if n_t else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


# --- trained span tagger --------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
_STOP = frozenset("""a an the of to in on at for by with from and or but if as is are was were be
been it its this that these those he she they them his her their we our you your i me my not no
so than then there here what which who when where why how all any some has have had do does did
will would can could should may might must also just about into over after said says""".split())


@dataclass(frozen=True)
class PTCArticle:
    text: str
    spans: tuple[tuple[str, int, int], ...]  # (technique, start, end)


def _in_quotes(text: str, pos: int) -> bool:
    line0 = text.rfind("\n", 0, pos) + 1
    before = text[line0:pos]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


@dataclass
class SpanTagger:
    """Marks tokens that belong to spans of the given techniques (by default loaded language and
    name-calling); runs of marked tokens become spans.  Features per token: the learned share of
    the word's training occurrences inside such spans (and its neighbours'), the framing lexicon
    category, shape and whether it sits inside quotation marks."""

    techniques: tuple[str, ...] = ("Loaded_Language", "Name_Calling,Labeling")
    priors: dict[str, float] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    clf: Any = None
    threshold: float = 0.3

    def _labels(self, art: PTCArticle) -> tuple[list[tuple[int, int, str]], list[bool]]:
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(art.text)]
        gold = [(a, b) for t, a, b in art.spans if t in self.techniques]
        return toks, [any(a < e and b > s for s, e in gold) for a, b, _ in toks]

    @staticmethod
    def _priors(labelled: Sequence[tuple[list, list[bool]]]) -> tuple[dict[str, float], dict[str, int]]:
        seen: Counter[str] = Counter()
        hit: Counter[str] = Counter()
        for toks, labels in labelled:
            for (_, _, w), lab in zip(toks, labels):
                n = w.lower()
                seen[n] += 1
                hit[n] += lab
        return {w: (hit[w] + 0.1) / (seen[w] + 2) for w in hit if hit[w]}, dict(seen)

    @staticmethod
    def _features(text: str, toks: list[tuple[int, int, str]], priors: dict[str, float],
                  seen: dict[str, int]) -> np.ndarray:
        from .framing import _WORDS

        ps = [priors.get(w.lower(), 0.0) for _, _, w in toks]
        rows = []
        for k, (a, _, w) in enumerate(toks):
            n = w.lower()
            hit = _WORDS.lookup(w)
            cat = hit[0] if hit else ""
            p = ps[k]
            rows.append([p, math.sqrt(p), float(n in priors), ps[k - 1] if k else 0.0,
                         ps[k + 1] if k + 1 < len(ps) else 0.0, float(cat == "loaded"),
                         float(cat == "intensifier"), float(cat in ("hyperbole", "formula")),
                         float(_base(w) in lexicon.NAME_CALLING), float(n in _STOP),
                         float(w[0].isupper()), min(len(w), 15) / 15, float(n.endswith("ly")),
                         math.log1p(seen.get(n, 0)), float(_in_quotes(text, a))])
        return np.array(rows, dtype=np.float32).reshape(-1, 15)

    def fit(self, articles: Sequence[PTCArticle]) -> SpanTagger:
        from sklearn.linear_model import LogisticRegression

        labelled = [self._labels(a) for a in articles]
        # features of each third use priors from the other two thirds (no memorised priors)
        X, Y = [], []
        for j in range(3):
            others = [labelled[i] for i in range(len(labelled)) if i % 3 != j]
            pri, seen = self._priors(others)
            for i in range(j, len(labelled), 3):
                toks, labels = labelled[i]
                if toks:
                    X.append(self._features(articles[i].text, toks, pri, seen))
                    Y.extend(labels)
        self.priors, self.seen = self._priors(labelled)
        self.clf = LogisticRegression(C=1, max_iter=2000, class_weight={0: 1, 1: 2})
        self.clf.fit(np.vstack(X), np.array(Y, dtype=int))
        return self

    def predict(self, text: str) -> list[tuple[int, int]]:
        """Predicted spans of ``text`` (adjacent marked tokens merged)."""
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        if not toks:
            return []
        p = self.clf.predict_proba(self._features(text, toks, self.priors, self.seen))[:, 1]
        return merge_runs(toks, p, self.threshold)


def merge_runs(toks: Sequence[tuple[int, int, str]], p: Sequence[float], threshold: float) -> list[tuple[int, int]]:
    """Spans of the runs of tokens whose probability reaches ``threshold`` (adjacent ones merged)."""
    spans: list[tuple[int, int]] = []
    for (a, b, _), pi in zip(toks, p):
        if pi >= threshold:
            if spans and a - spans[-1][1] <= 1:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
    return spans


# --- trained technique classifier -------------------------------------------------------------

def _context(text: str, start: int, end: int) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return text[a: len(text) if b < 0 else b]


def _span_features(text: str, start: int, end: int) -> list[float]:
    span = text[start:end]
    low = span.lower().strip()
    words = _TOKEN.findall(span)
    reps = text.lower().count(low) if low else 0
    from .framing import _WORDS

    cats = [(_WORDS.lookup(w) or ("", 0))[0] for w in words]
    return [math.log1p(len(span)), math.log1p(len(words)), math.log1p(max(reps - 1, 0)),
            float("?" in span or "?" in text[end:end + 2]), float("!" in span),
            float(_in_quotes(text, start)), float(any(c == "loaded" for c in cats)),
            float(any(c in ("intensifier", "hyperbole") for c in cats)),
            float(any(_base(w) in lexicon.NAME_CALLING for w in words)),
            sum(w[0].isupper() for w in words) / max(len(words), 1),
            float(len(words) <= 2)]


@dataclass
class TechniqueClassifier:
    """Names the technique of a given span: logistic regression over the MiniLM embeddings of
    the span and of its line, word TF-IDF of the span and span features (length, how often the
    span repeats in the article, a question mark, quotation marks, lexicon hits)."""

    vectorizer: Any = None
    clf: Any = None
    scaler: Any = None

    def _matrix(self, items: Sequence[tuple[str, int, int]], embed_fn) -> Any:
        from scipy import sparse

        spans = [text[a:b] for text, a, b in items]
        ctx = [_context(text, a, b) for text, a, b in items]
        emb = np.hstack([embed_fn(spans), embed_fn(ctx)])
        feats = np.array([_span_features(t, a, b) for t, a, b in items], dtype=np.float32)
        dense = self.scaler.transform(np.hstack([emb, feats]))
        return sparse.hstack([self.vectorizer.transform(spans), sparse.csr_matrix(dense)]).tocsr()

    def fit(self, items: Sequence[tuple[str, int, int]], labels: Sequence[str],
            embed_fn=None) -> TechniqueClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        embed_fn = embed_fn or _default_embed
        spans = [text[a:b] for text, a, b in items]
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True).fit(spans)
        ctx = [_context(text, a, b) for text, a, b in items]
        feats = np.array([_span_features(t, a, b) for t, a, b in items], dtype=np.float32)
        self.scaler = StandardScaler().fit(np.hstack([embed_fn(spans), embed_fn(ctx), feats]))
        self.clf = LogisticRegression(C=0.1, max_iter=3000)
        self.clf.fit(self._matrix(items, embed_fn), list(labels))
        return self

    def predict(self, items: Sequence[tuple[str, int, int]], embed_fn=None) -> list[str]:
        if not items:
            return []
        return list(self.clf.predict(self._matrix(items, embed_fn or _default_embed)))


def _default_embed(texts: Sequence[str]) -> np.ndarray:
    from ..nlp.embed import embed

    return embed(list(texts))
