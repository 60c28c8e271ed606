"""The learned same-event decision: how likely an article and a story report one event.

What: ``Side`` is what the decision reads of either party -- an article or a story: its unit
lead embedding, a few member embeddings (exemplars), TF-IDF vectors over all terms and per
kind of term (``e:`` names, ``l:`` lemmas, ``n:`` numbers), its heaviest names and numbers, its
date span, size and title words.  ``pair_features(a, b)`` turns two sides into the fixed vector
of ``FEATURES``; ``PairModel`` is a logistic regression over them whose probability is the
join decision (and the confidence stored with an assignment); a second one, fitted on article
pairs, is what recluster averages over two groups of articles.  The weights are trained by
``parallax.stories.pair_train`` on ECB+ and BASIL (same topic, other event = hard negatives)
and shipped as a small JSON file beside its card.

Why learned: two events of one kind (two quakes in one country, two votes on one bill) read
alike to a sentence model; what separates them is which evidence disagrees -- another main
actor, another number, another place, days apart.  Hand-set blend weights and thresholds
traded those off by eye; a model fitted on hard negatives weighs them from data, and its
probability has one meaning everywhere it is used (join, merge, split).  Title overlap is
not a feature: only BASIL has titles and it has almost no hard negatives, so a title feature
learned "titled pairs are one event" (it put two Indonesian quakes four days apart in one story).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "restricted" / "story_pair.json"

FEATURES = (
    "emb_centroid",  # cosine of the article's lead embedding with the story centroid
    "emb_member",  # best cosine with one of the story's exemplar members
    "lex_all",  # TF-IDF cosine over all terms
    "lex_names",  # ... over names (actors, places, organisations)
    "lex_lemmas",  # ... over content lemmas (the event's trigger words among them)
    "lex_numbers",  # ... over numbers and years
    "names_missing",  # share of the article's main names the story never mentions
    "story_names_missing",  # share of the story's main names the article never mentions
    "numbers_missing",  # share of the article's main numbers the story never mentions
    "date_gap",  # log(1 + days between the article and the story's span), both dated
    "one_undated",  # exactly one side has a date: no temporal evidence either way
    "both_undated",
    "log_size",  # log of the story's size (large stories have broad vocabularies)
    "year_conflict",  # both sides name or carry years, none in common (undated text placed by its own years)
)
TOP_NAMES = 5
TOP_NUMBERS = 5
_WORD = re.compile(r"[a-z0-9]{3,}")
_YEAR = re.compile(r"^(19|20)\d\d$")
_TITLE_STOP = frozenset("the and for with from that this after over into says said will has have "
                        "its their are was were not new".split())


@dataclass
class Side:
    """One party of a same-event decision (an article is a story of one)."""

    vec: np.ndarray  # unit
    exemplars: np.ndarray  # (k, dim) unit member embeddings
    tf: dict[str, float]  # unit TF-IDF over all terms
    kinds: dict[str, dict[str, float]]  # prefix ("e", "l", "n") -> unit TF-IDF over that kind
    names: list[str]  # heaviest name terms
    numbers: list[str]  # heaviest number terms
    first: int | None
    last: int | None
    size: int = 1
    title: frozenset[str] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)  # years written in it or of its dates


def title_words(title: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(title.lower()) if w not in _TITLE_STOP)


def _unit(v: dict[str, float]) -> dict[str, float]:
    n = math.hypot(*v.values())
    return {t: x / n for t, x in v.items()} if n else v


def make_side(vec: np.ndarray, exemplars: np.ndarray, terms: Mapping[str, float],
              idf: Callable[[str], float] | Mapping[str, float],
              first: int | None, last: int | None, size: int = 1, title: str = "") -> Side:
    """A ``Side`` from raw term weights, weighting them by ``idf`` (the index's own statistics;
    a mapping is read by lookup, which spares a Python call per term)."""
    get = idf.__getitem__ if isinstance(idf, Mapping) else idf
    weighted = {t: w * get(t) for t, w in terms.items()}
    kinds: dict[str, dict[str, float]] = {"e": {}, "l": {}, "n": {}}
    for t, w in weighted.items():
        kinds.setdefault(t[:1], {})[t] = w
    top = lambda d, k: sorted(d, key=d.__getitem__, reverse=True)[:k]  # noqa: E731
    years = {int(t[2:]) for t in kinds["n"] if _YEAR.match(t[2:])}
    years |= {date.fromordinal(d).year for d in (first, last) if d is not None}
    return Side(vec=vec, exemplars=exemplars, tf=_unit(weighted),
                kinds={k: _unit(v) for k, v in kinds.items()},
                names=top(kinds["e"], TOP_NAMES), numbers=top(kinds["n"], TOP_NUMBERS),
                first=first, last=last, size=size, title=title_words(title), years=frozenset(years))


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _missing(names: Sequence[str], other: Mapping[str, float]) -> float:
    return sum(1 for t in names if t not in other) / len(names) if names else 0.0


def pair_features(a: Side, b: Side) -> np.ndarray:
    """The ``FEATURES`` vector of article (or story) ``a`` against story ``b``."""
    emb_c = float(np.dot(a.vec, b.vec))
    emb_m = float((b.exemplars @ a.vec).max()) if len(b.exemplars) else emb_c
    dated_a, dated_b = a.first is not None, b.first is not None
    gap = 0.0
    if dated_a and dated_b:
        days = max(0, b.first - a.last, a.first - b.last)  # type: ignore[operator]
        gap = math.log1p(days)
    return np.array([
        emb_c, emb_m, _dot(a.tf, b.tf),
        _dot(a.kinds["e"], b.kinds["e"]), _dot(a.kinds["l"], b.kinds["l"]), _dot(a.kinds["n"], b.kinds["n"]),
        _missing(a.names, b.tf), _missing(b.names, a.tf), _missing(a.numbers, b.tf),
        gap,
        float(dated_a != dated_b), float(not dated_a and not dated_b), math.log(max(1, b.size)),
        float(bool(a.years) and bool(b.years) and not (a.years & b.years)),
    ], dtype=np.float64)


@dataclass(frozen=True)
class PairModel:
    """Standardise, then logistic regression; ``member_floor`` is the exemplar cosine that 99%
    of same-event training pairs reach (an article must match one member at least that well)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    member_floor: float
    features: tuple[str, ...] = FEATURES

    def prob(self, x: np.ndarray) -> np.ndarray | float:
        z = ((np.asarray(x, dtype=np.float64) - self.mean) / self.scale) @ self.coef + self.intercept
        p = 1.0 / (1.0 + np.exp(-z))
        return float(p) if np.ndim(p) == 0 else p

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept, "member_floor": self.member_floor}

    @classmethod
    def from_dict(cls, d: Mapping) -> PairModel:
        if tuple(d["features"]) != FEATURES:
            raise ValueError("story pair model was trained on other features; retrain it (make models)")
        return cls(np.asarray(d["mean"], float), np.asarray(d["scale"], float), np.asarray(d["coef"], float),
                   float(d["intercept"]), float(d["member_floor"]))


@lru_cache(maxsize=4)
def load_pair_models(path: str | None = None) -> dict[str, PairModel]:
    """The shipped models (read once, lazily; a plain JSON file, no network): ``join`` decides
    an article against a story, ``pair`` an article against an article (recluster's merges and
    splits average it over the article pairs of two groups)."""
    p = Path(path) if path else MODEL_PATH
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
        return {k: PairModel.from_dict(d[k]) for k in ("join", "pair")}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        from ..errors import ParallaxError

        raise ParallaxError(f"{p}: unusable story pair model ({exc})") from None
