"""On-disk cache of encoder outputs (``token_states.encode``) for a training file's texts.

What: ``encoded(texts, tag)`` returns the ``Encoded`` of every text, computing only the ones not
cached; the cache is one pickle per ``tag`` under ``$PARALLAX_CACHE_DIR/train`` (default
``~/.cache/parallax/train``), keyed by the sha1 of each text, word-piece vectors stored as float16.
Why: encoding is the expensive step of training (about 10 sentences/s on a busy 2-core machine);
cross-validation and retraining reuse the vectors instead of recomputing them.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..analysis import token_states
from ..analysis.token_states import Encoded


def cache_dir() -> Path:
    env = os.environ.get("PARALLAX_CACHE_DIR")
    return (Path(env) if env else Path.home() / ".cache" / "parallax") / "train"


_stores: dict[str, dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}


def _store(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    key = str(path)
    if key not in _stores:
        store = {}
        if path.is_file():
            with open(path, "rb") as fh:
                store = pickle.load(fh)
        _stores[key] = store
    return _stores[key]


def encoded(texts: Sequence[str], tag: str, chunk: int = 512, log=None) -> list[Encoded]:
    """Encoded texts, reading and extending the ``tag`` cache (see the module docstring).  The
    cache file is read once per process and written after every ``chunk`` new texts."""
    path = cache_dir() / f"{tag}.pkl"
    store = _store(path)
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    todo = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in store))
    for n in range(0, len(todo), chunk):
        part = todo[n:n + chunk]
        for t, e in zip(part, token_states.encode(part)):
            store[hashlib.sha1(t.encode("utf-8")).hexdigest()] = (e.hidden.astype(np.float16), e.offsets, e.sentence)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(store, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        if log:
            log(f"{tag}: encoded {min(n + chunk, len(todo))}/{len(todo)}")
    return [Encoded(store[k][0].astype(np.float32), store[k][1], store[k][2]) for k in keys]
