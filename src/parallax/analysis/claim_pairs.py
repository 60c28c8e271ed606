"""Claim equivalence: how likely two claims of different outlets state the same fact.

What: ``candidates(scores, owner)`` picks, for every claim of a story, its few best-scoring claims
in other articles under the fast blended score (MiniLM cosine + story-idf term overlap, see
``align``); ``pair_features`` describes each candidate pair with the numbers a reader would look
at (the two cosines, shared rare terms, shared verbatim wording, shared or clashing names and
figures, how the pair ranks among each claim's alternatives, where both sit in their articles);
``PairModel`` turns them into a probability with a logistic model trained by
``claim_pairs_train`` and shipped as a small JSON file (``models/restricted/claim_pairs.json``).

Why: MiniLM cosine alone scores a paraphrase ("It was not immediately clear why" / "It is
unclear why") like an unrelated sentence of the same story, and scores two senators' statements
alike because the frame is the same.  The pair model weighs the cosine against what the pair
shares (a quoted phrase, a rare name) and what it does not (a different person as subject), and
against the alternatives in the same article (the best counterpart is usually the right one).
Cost: ``CANDIDATES`` pairs per claim at most, so scoring stays linear in the story's claims.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

# Candidate counterparts per claim (best blended scores in other articles).  Gold same-fact pairs
# rank in a claim's top 6 in nearly all cases on the dev stories; 8 leaves room.
CANDIDATES = 8
# Pairs under this blended score are never candidates (unrelated sentences of one story score
# 0.05-0.2; gold same-fact pairs score above 0.2 on the dev stories).
CANDIDATE_FLOOR = 0.18

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "restricted" / "claim_pairs.json"

FEATURES = ("cos", "cos_full", "lex", "blend", "rank_a", "rank_b", "gap_a", "gap_b", "bigrams", "run",
            "ents", "person_clash", "numbers", "len_min", "len_ratio", "lead", "pos_diff")

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def normalise(text: str) -> str:
    """Lower case with typographic variants folded: curly quotes and apostrophes, dashes, and the
    common spellings of the United States ("U.S.", "US", "the United States" -> "united states")."""
    t = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    t = t.replace("—", " - ").replace("–", " - ")
    t = re.sub(r"\bU\.\s?S\.(?:\s?A\.)?|\bUSA\b|\bUS\b(?!\w)", "United States", t)
    t = re.sub(r"\b(?:the\s+)?United States\b", "United States", t, flags=re.IGNORECASE)
    return t.lower()


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


@dataclass
class ClaimInfo:
    """What pair features need of one claim, computed once per claim."""

    words: list[str]
    bigrams: frozenset[tuple[str, str]]
    ents: frozenset[str]
    persons: frozenset[str]  # surnames (last word) of the people named
    numbers: frozenset[str]
    relpos: float  # position of its sentence in the article, 0 = first
    sentence: int


def claim_info(parsed, claim, n_sentences: int) -> ClaimInfo:
    w = words(claim.text)
    span = parsed.doc.char_span(claim.content_start, claim.content_end, alignment_mode="expand")
    ents = list(span.ents) if span is not None else []
    names = frozenset(normalise(e.text).strip(" '\"") for e in ents if e.label_ not in ("ORDINAL", "CARDINAL"))
    persons = frozenset(words(e.text)[-1] for e in ents if e.label_ == "PERSON" and words(e.text))
    nums = frozenset(t for t in w if t[0].isdigit())
    return ClaimInfo(w, frozenset(zip(w, w[1:])), names, persons, nums,
                     claim.sentence / max(1, n_sentences - 1), claim.sentence)


def candidates(scores: np.ndarray, owner: np.ndarray, k: int = CANDIDATES,
               floor: float = CANDIDATE_FLOOR) -> list[tuple[int, int]]:
    """Candidate pairs (i < j, different articles): each claim's ``k`` best-scoring claims of
    other articles at or above ``floor``; ``owner`` gives each claim's article index."""
    s = scores.copy()
    s[owner[:, None] == owner[None, :]] = -1.0
    n = len(s)
    if n == 0:
        return []
    k = min(k, n)
    top = np.argpartition(-s, k - 1, axis=1)[:, :k] if n > k else np.tile(np.arange(n), (n, 1))
    pairs = set()
    for i in range(n):
        for j in top[i]:
            if s[i, j] >= floor:
                pairs.add((min(i, int(j)), max(i, int(j))))
    return sorted(pairs)


def _run(a: list[str], b: list[str]) -> float:
    """Longest run of words the two share, as a share of the shorter claim (capped at 12 words)."""
    if not a or not b:
        return 0.0
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return min(m.size, 12) / min(len(a), len(b), 12)


def _jac(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def pair_features(pairs: list[tuple[int, int]], infos: list[ClaimInfo], owner: np.ndarray, scores: np.ndarray,
                  cos: np.ndarray, cos_full: np.ndarray, lex: np.ndarray) -> np.ndarray:
    """Feature matrix (len(pairs), len(FEATURES)); matrices are over all claims of the story."""
    # best score of each claim in each article: rank and gap against the alternatives
    n_art = int(owner.max()) + 1 if len(owner) else 0
    best = np.full((len(owner), n_art), -1.0)
    for a in range(n_art):
        cols = owner == a
        if cols.any():
            best[:, a] = scores[:, cols].max(axis=1)
    out = np.zeros((len(pairs), len(FEATURES)), dtype=np.float32)
    for r, (i, j) in enumerate(pairs):
        x, y = infos[i], infos[j]
        s = scores[i, j]
        cols_j, cols_i = owner == owner[j], owner == owner[i]
        rank_a = int((scores[i, cols_j] > s).sum())
        rank_b = int((scores[j, cols_i] > s).sum())
        la, lb = len(x.words), len(y.words)
        out[r] = (cos[i, j], cos_full[i, j], lex[i, j], s, 1.0 / (1 + rank_a), 1.0 / (1 + rank_b),
                  s - best[i, owner[j]], s - best[j, owner[i]], _jac(x.bigrams, y.bigrams), _run(x.words, y.words),
                  _jac(x.ents, y.ents), float(bool(x.persons and y.persons and not (x.persons & y.persons))),
                  _jac(x.numbers, y.numbers), math.log1p(min(la, lb)), min(la, lb) / max(1, la, lb),
                  float(x.sentence <= 1 and y.sentence <= 1), abs(x.relpos - y.relpos))
    return out


@dataclass(frozen=True)
class PairModel:
    """Logistic model over standardised ``FEATURES`` (weights from ``claim_pairs_train``)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    card: dict

    def predict(self, x: np.ndarray) -> np.ndarray:
        if len(x) == 0:
            return np.zeros(0)
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept, "card": self.card}

    @classmethod
    def from_json(cls, d: dict) -> PairModel:
        if tuple(d.get("features", ())) != FEATURES:
            raise ValueError("claim pair model was trained on other features; retrain it (make models)")
        return cls(np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]), float(d["intercept"]),
                   d.get("card", {}))


@functools.lru_cache(maxsize=4)
def load_model(path: str | None = None) -> PairModel | None:
    """The shipped pair model, read once (None when absent or unreadable: ``align`` then falls
    back to the blended score alone)."""
    p = Path(path) if path else MODEL_PATH
    try:
        return PairModel.from_json(json.loads(p.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None
