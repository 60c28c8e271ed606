"""Scoring helpers shared by the benchmark tasks, and the JSONL reader they all use.

What: Pearson / Spearman correlation, precision-recall-F1 over binary labels, and
``read_jsonl`` which turns a missing or malformed data file into one clear ``BenchDataError``.
Why here: every task scores the same way and must fail the same way on bad data, and keeping the
gold-label arithmetic apart from the task code makes it obvious that the system never sees it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from ..errors import BenchDataError


def _finite(x: float) -> float:
    """A plain float, NaN (undefined) mapped to 0.0 so results stay JSON-serialisable."""
    x = float(x)
    return x if math.isfinite(x) else 0.0


def _check_pair(xs: Sequence[float], ys: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(xs, dtype=float)
    b = np.asarray(ys, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(f"need two equal-length 1-d sequences, got {a.shape} and {b.shape}")
    return a, b


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson correlation; 0.0 when undefined (fewer than 2 items or a constant sequence)."""
    a, b = _check_pair(xs, ys)
    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    return _finite(stats.pearsonr(a, b)[0])


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman rank correlation; 0.0 when undefined."""
    a, b = _check_pair(xs, ys)
    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    return _finite(stats.spearmanr(a, b)[0])


def prf1(predicted: Iterable[bool], gold: Iterable[bool]) -> dict[str, float]:
    """Precision, recall and F1 of the positive class (each 0.0 when its denominator is 0)."""
    p = [bool(x) for x in predicted]
    g = [bool(x) for x in gold]
    if len(p) != len(g):
        raise ValueError(f"predicted has {len(p)} items, gold {len(g)}")
    tp = sum(1 for a, b in zip(p, g) if a and b)
    fp = sum(1 for a, b in zip(p, g) if a and not b)
    fn = sum(1 for a, b in zip(p, g) if b and not a)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def f1(predicted: Iterable[bool], gold: Iterable[bool]) -> float:
    """F1 of the positive class."""
    return prf1(predicted, gold)["f1"]


def read_jsonl(path: Path | str, required: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Records of a JSONL file, each checked to have the ``required`` fields.

    Raises ``BenchDataError`` naming the file (and line) when the file is missing, unreadable,
    empty, not JSON, or a record lacks a field, so a benchmark never runs on half its data.
    """
    path = Path(path)
    if not path.is_file():
        raise BenchDataError(f"{path}: benchmark data file not found")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BenchDataError(f"{path}: cannot read benchmark data ({exc})") from None
    records: list[dict[str, Any]] = []
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BenchDataError(f"{path}: line {no}: invalid JSON ({exc.msg})") from None
        if not isinstance(rec, dict):
            raise BenchDataError(f"{path}: line {no}: expected a JSON object")
        missing = [k for k in required if k not in rec]
        if missing:
            raise BenchDataError(f"{path}: line {no}: missing field(s) {', '.join(missing)}")
        records.append(rec)
    if not records:
        raise BenchDataError(f"{path}: no records (empty benchmark file)")
    return records
