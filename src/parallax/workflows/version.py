"""Which analysis code produced stored annotations: a fingerprint of its source.

Ingest records it per article (``articles.analysis_version``); :mod:`.reanalyze` redoes the
articles another version made.  Imports nothing heavy: it only reads source files.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

__all__ = ["analysis_version"]

_PKG = Path(__file__).resolve().parents[1]
_SOURCES = ("analysis", "nlp", "pipeline.py")  # the per-article stages and their parse


@functools.lru_cache(maxsize=1)
def analysis_version() -> str:
    """A 16-hex fingerprint of the per-article analysis code (changes with any edit to it).

    Example: ``analysis_version()`` -> ``"3f9c0a1b2c3d4e5f"``"""
    h = hashlib.sha256()
    for name in _SOURCES:
        p = _PKG / name
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        for f in files:
            h.update(str(f.relative_to(_PKG)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]
