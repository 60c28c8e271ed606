"""Benchmarks: each task runs Parallax on a public data file and returns a dict of metrics.

What: ``TASKS`` maps a task name to ``run_x(data: Path, options, **kw) -> dict`` whose values are
JSON-serialisable numbers.  ``pairs`` correlates article similarity with human ratings; ``speed``
measures pipeline throughput against bare spaCy.
Why: one registry so the CLI, CI and notebooks run the same measurements the same way.  Gold
labels are only ever used to score a task's output, never as the system's input; a missing or
malformed data file raises ``parallax.errors.BenchDataError`` with the file and the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ..errors import BenchDataError
from .cluster import run_cluster
from .pairs import run_pairs
from .quotes import run_quotes
from .speed import run_speed

TASKS: dict[str, Callable[..., dict[str, Any]]] = {"pairs": run_pairs, "speed": run_speed, "cluster": run_cluster,
                                                  "quotes": run_quotes}


def run(task: str, data: Path | str, options: Any = None, **kw: Any) -> dict[str, Any]:
    """Run one registered task by name."""
    try:
        fn = TASKS[task]
    except KeyError:
        raise BenchDataError(f"unknown benchmark task {task!r}; known: {', '.join(sorted(TASKS))}") from None
    return fn(Path(data), options, **kw)


__all__ = ["TASKS", "run", "run_pairs", "run_quotes", "run_speed"]
