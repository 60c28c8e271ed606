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


# --- clustering ---------------------------------------------------------------------------------


def _check_labels(predicted: Sequence[Any], gold: Sequence[Any]) -> None:
    if len(predicted) != len(gold):
        raise ValueError(f"predicted has {len(predicted)} items, gold {len(gold)}")


def bcubed(predicted: Sequence[Any], gold: Sequence[Any]) -> dict[str, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998) of a flat clustering.

    Per item: precision = share of its predicted cluster that shares its gold label, recall =
    share of its gold cluster that shares its predicted label; both averaged over items.
    """
    _check_labels(predicted, gold)
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    both, pred_size, gold_size = _contingency(predicted, gold)
    n = len(gold)
    precision = sum(c * c / pred_size[p] for (p, _), c in both.items()) / n
    recall = sum(c * c / gold_size[g] for (_, g), c in both.items()) / n
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f}


def _contingency(predicted: Sequence[Any], gold: Sequence[Any]):
    """Counts of (predicted, gold) label pairs and of each predicted and gold label."""
    both: dict[tuple[Any, Any], int] = {}
    pred_size: dict[Any, int] = {}
    gold_size: dict[Any, int] = {}
    for p, g in zip(predicted, gold):
        both[(p, g)] = both.get((p, g), 0) + 1
        pred_size[p] = pred_size.get(p, 0) + 1
        gold_size[g] = gold_size.get(g, 0) + 1
    return both, pred_size, gold_size


def pairwise_prf(predicted: Sequence[Any], gold: Sequence[Any]) -> dict[str, float]:
    """Precision, recall and F1 over item pairs: a pair is positive when put in one cluster."""
    _check_labels(predicted, gold)

    def pairs(counts: Iterable[int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    both, pred_size, gold_size = _contingency(predicted, gold)
    tp = pairs(both.values())
    pp = pairs(pred_size.values())
    gp = pairs(gold_size.values())
    precision = tp / pp if pp else 0.0
    recall = tp / gp if gp else 0.0
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f}


def mixed_share(predicted: Sequence[Any], gold: Sequence[Any]) -> float:
    """Share of predicted clusters whose members carry more than one gold label (stories that
    mix two events); 0.0 for no clusters."""
    _check_labels(predicted, gold)
    labels: dict[Any, set[Any]] = {}
    for p, g in zip(predicted, gold):
        labels.setdefault(p, set()).add(g)
    return sum(1 for gs in labels.values() if len(gs) > 1) / len(labels) if labels else 0.0


def adjusted_rand(predicted: Sequence[Any], gold: Sequence[Any]) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985); 1.0 for identical partitions."""
    _check_labels(predicted, gold)
    from sklearn.metrics import adjusted_rand_score

    if not gold:
        return 0.0
    ids: dict[Any, int] = {}
    p = [ids.setdefault(("p", x), len(ids)) for x in predicted]
    g = [ids.setdefault(("g", x), len(ids)) for x in gold]
    return _finite(adjusted_rand_score(g, p))
