"""Learned speaker attribution: rank the mentions that could be a quote's speaker.

What: for a quote (its content span, its cue token when there is one, the previous quote's
speaker) :func:`candidates` lists the noun-phrase heads around the cue - the cue's sentence and
its neighbours, outside the quoted words - and :func:`features` describes each one by the
dependency path to the cue, token and sentence distance, its position relative to the cue and
the content, paragraph structure, mention type (name, pronoun, role noun, group) and whether it
names the previous quote's speaker.  :class:`SpeakerRanker` scores them with a logistic
regression trained on PolNeAR's gold attributions (train split only;
``parallax.training.speakers``) and returns the best one with a probability; the caller leaves
the speaker unresolved below ``Options.speaker_min_confidence``.

Why: the dependency rule (the cue's own subject) is exact where it applies; everywhere else -
inverted and parenthetical cues, participles, relative clauses, cue-less continuations - a
hand-grown rule picks the nearest noun phrase and puts quotes in the wrong mouth.  A ranker
learned from 20,000 annotated attributions decides those cases and knows when it is unsure.

The weights (``models/restricted/speakers.joblib``) are trained on PolNeAR, whose licence is not
stated, so they sit in the separately licensed ``models/restricted`` folder with a card; they load
lazily and offline, and without them the rule alone decides.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from .speaker_salience import AntecedentRanker, Salience, salience

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "restricted" / "speakers.joblib"
HEAD_POS = frozenset({"PROPN", "NOUN", "PRON"})
SKIP_DEPS = frozenset({"compound", "poss", "amod", "nmod", "npadvmod", "nummod", "det", "expl"})
PERSON_PRON = frozenset({"he", "she", "him", "her", "i", "me", "we", "us", "you", "who", "they", "them"})
# Role and group nouns as a feature (general English, not names): a candidate "spokeswoman" or
# "officials" is likelier a source than "the plan".
ROLE_NOUNS = frozenset("""
spokesman spokeswoman spokesperson official officials president minister secretary senator
governor mayor lawmaker leader director chairman chairwoman aide adviser advisor analyst expert
source sources prosecutor lawyer attorney judge campaign statement report letter group
committee administration government agency police spokesmen people officer authorities
""".split())


def _bucket(n: int) -> str:
    s = "-" if n < 0 else "+"
    n = abs(n)
    return s + (str(n) if n < 4 else str(int(math.log2(n))) + "L")


def candidates(doc: Doc, cue: Token | None, content: tuple[int, int],
               in_quote: Callable[[int], bool]) -> list[Token]:
    """Noun-phrase heads in the cue's sentence and the sentences either side (or, with no cue,
    around the content), never inside the content or inside quote marks."""
    anchor = cue if cue is not None else doc.char_span(content[0], content[1], alignment_mode="expand")[0]
    sent = anchor.sent
    lo = sent.start
    hi = sent.end
    if lo > 0:
        lo = doc[lo - 1].sent.start
    if hi < len(doc):
        hi = doc[hi].sent.end
    around = cue is not None and content[0] <= cue.idx < content[1]
    out = []
    for t in doc[lo:hi]:
        if t.pos_ not in HEAD_POS or t.dep_ in SKIP_DEPS or (t.pos_ == "PRON" and t.lower_ not in PERSON_PRON
                                                              and t.lower_ not in ("it",)):
            continue
        if in_quote(t.idx) or (not around and content[0] <= t.idx < content[1]):
            continue
        if around and content[0] <= t.idx < content[1] and t.sent != anchor.sent:
            continue
        out.append(t)
    return out


def _path(a: Token, b: Token) -> tuple[list[str], list[str]]:
    """Dependency labels from ``a`` up to the lowest common ancestor, and down from it to ``b``."""
    up_a = [a] + list(a.ancestors)
    up_b = [b] + list(b.ancestors)
    ids_b = {t.i: k for k, t in enumerate(up_b)}
    for k, t in enumerate(up_a):
        if t.i in ids_b:
            return [x.dep_ for x in up_a[:k]], [x.dep_ for x in up_b[:ids_b[t.i]]]
    return [x.dep_ for x in up_a] + ["ROOT"], [x.dep_ for x in up_b] + ["ROOT"]


def features(cand: Token, cue: Token | None, content: tuple[int, int], prev_speaker: str,
             paragraph_of: Callable[[int], int], rank: int) -> dict[str, Any]:
    """Features of one candidate (see the module docstring); ``rank`` is its distance rank."""
    f: dict[str, Any] = {"bias": 1.0, "rank=" + str(min(rank, 6)): 1.0}
    low = cand.lower_
    f["pos=" + cand.pos_] = 1.0
    f["ent=" + (cand.ent_type_ or "-")] = 1.0
    f["tag=" + cand.tag_] = 1.0
    if cand.pos_ == "PRON":
        f["pron=" + low] = 1.0
    if low in ROLE_NOUNS or cand.lemma_.lower() in ROLE_NOUNS:
        f["role"] = 1.0
    if cand.pos_ == "PROPN" or cand.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        f["named"] = 1.0
    name = " ".join(t.text for t in cand.subtree if t.dep_ in ("compound", "flat") or t == cand)
    if prev_speaker and (cand.text in prev_speaker.split() or name == prev_speaker):
        f["prev_speaker"] = 1.0
    f["dep=" + cand.dep_] = 1.0
    f["dep_head=" + cand.dep_ + "|" + cand.head.pos_] = 1.0
    para_c = paragraph_of(cand.idx)
    para_q = paragraph_of(content[0])
    f["para_gap=" + _bucket(para_q - para_c)] = 1.0
    f["before_content"] = float(cand.idx < content[0])
    f["after_content"] = float(cand.idx >= content[1])
    if cue is None:
        f["no_cue"] = 1.0
        f["qdist=" + _bucket((cand.idx - content[0]) // 25)] = 1.0
        return f
    up, down = _path(cand, cue)
    f["path=" + "/".join(up[:3]) + "|" + "/".join(down[:3])] = 1.0
    f["plen=" + str(min(len(up) + len(down), 7))] = 1.0
    f["up=" + "/".join(up[:2])] = 1.0
    f["down=" + "/".join(down[:2])] = 1.0
    if cand.head == cue:
        f["child_of_cue=" + cand.dep_] = 1.0
    if cand.head.head == cue:
        f["grandchild=" + cand.head.dep_ + "/" + cand.dep_ + "|" + cand.head.lower_ if cand.head.pos_ == "ADP"
          else "grandchild=" + cand.head.dep_ + "/" + cand.dep_] = 1.0
    if cue.head == cand:
        f["cue_modifies=" + cue.dep_] = 1.0
    f["cue_dep=" + cue.dep_] = 1.0
    f["cue_tag=" + cue.tag_] = 1.0
    f["cue_according"] = float(cue.lower_ == "according")
    d = cand.i - cue.i
    f["tdist=" + _bucket(d)] = 1.0
    f["same_sent"] = float(cand.sent == cue.sent)
    if cand.sent != cue.sent:
        f["sent_side=" + ("before" if cand.i < cue.i else "after")] = 1.0
    f["cue_in_content"] = float(content[0] <= cue.idx < content[1])
    cue_before_content = cue.idx < content[0]
    f["cue_side=" + ("before" if cue_before_content else "after")] = 1.0
    between = (content[1] <= cand.idx < cue.idx) or (cue.idx < cand.idx < content[0])
    f["between"] = float(between)
    f["between|" + cand.pos_] = float(between)
    f["side|dep=" + ("L" if d < 0 else "R") + "|" + cand.dep_] = 1.0
    return f


class SpeakerRanker:
    """The trained ranker: ``best(...)`` returns ``(token, probability)`` or ``None``; the
    bundle may also hold the pronoun antecedent ranker (``antecedent``)."""

    def __init__(self, bundle: dict[str, Any]) -> None:
        self.vec = bundle["vectorizer"]
        self.clf = bundle["classifier"]
        self.meta = bundle.get("meta", {})
        self.salience = bool(self.meta.get("salience"))  # trained with salience features
        ante = bundle.get("antecedent")
        self.antecedent = AntecedentRanker(ante) if ante else None  # who "he"/"she" is

    def score(self, feats: list[dict[str, Any]]) -> list[float]:
        if not feats:
            return []
        return [float(p) for p in self.clf.predict_proba(self.vec.transform(feats))[:, 1]]

    def best(self, doc: Doc, cue: Token | None, content: tuple[int, int], prev_speaker: str,
             in_quote: Callable[[int], bool], paragraph_of: Callable[[int], int],
             sal: Salience | None = None) -> tuple[Token, float] | None:
        cands = candidates(doc, cue, content, in_quote)
        if not cands:
            return None
        feats = candidate_features(cands, cue, content, prev_speaker, paragraph_of,
                                   sal if self.salience else None)
        scores = self.score(feats)
        k = max(range(len(cands)), key=scores.__getitem__)
        return cands[k], scores[k]


def candidate_features(cands: list[Token], cue: Token | None, content: tuple[int, int], prev_speaker: str,
                       paragraph_of: Callable[[int], int], sal: Salience | None = None) -> list[dict[str, Any]]:
    """Features of every candidate, ranked by token distance to the cue (or the content); with
    ``sal`` a candidate naming a person also gets that person's salience at the cue."""
    pivot = cue.i if cue is not None else cands[0].doc.char_span(
        content[0], content[1], alignment_mode="expand").start
    order = sorted(range(len(cands)), key=lambda k: abs(cands[k].i - pivot))
    rank = {k: r for r, k in enumerate(order)}
    out = [features(c, cue, content, prev_speaker, paragraph_of, rank[k]) for k, c in enumerate(cands)]
    if sal is not None:
        at = cue.idx if cue is not None else content[0]
        last = sal.resolve(prev_speaker) if prev_speaker else ""
        for c, f in zip(cands, out):
            ent = person_entity(c)
            if ent:
                f.update(salience(sal, sal.resolve(ent), at, last))
    return out


def person_entity(tok: Token) -> str:
    """Text of the PERSON entity ``tok`` is part of, or ""."""
    if tok.ent_type_ != "PERSON":
        return ""
    doc = tok.doc
    lo = tok.i
    while lo > 0 and doc[lo].ent_iob_ == "I":
        lo -= 1
    hi = tok.i + 1
    while hi < len(doc) and doc[hi].ent_iob_ == "I":
        hi += 1
    return doc[lo:hi].text


@functools.lru_cache(maxsize=2)
def load_ranker(path: str | None = None) -> SpeakerRanker | None:
    """The shipped ranker (or ``$PARALLAX_SPEAKER_MODEL``), loaded once; ``None`` when the
    weights are absent (the rule decides)."""
    p = Path(path or os.environ.get("PARALLAX_SPEAKER_MODEL") or MODEL_PATH)
    if not p.is_file():
        return None
    import joblib

    return SpeakerRanker(joblib.load(p))
