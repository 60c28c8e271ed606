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
from .align import run_align
from .bias import run_bias
from .cluster import run_cluster
from .pairs import run_pairs
from .propaganda import run_propaganda
from .quotes import run_quotes
from .speed import run_speed

TASKS: dict[str, Callable[..., dict[str, Any]]] = {"pairs": run_pairs, "speed": run_speed, "cluster": run_cluster,
                                                  "quotes": run_quotes}
TASKS["bias"] = run_bias
TASKS["propaganda"] = run_propaganda
TASKS["align"] = run_align
TASKS["relations"] = __import__("parallax.bench.relations", fromlist=["run_relations"]).run_relations
TASKS["polarity"] = __import__("parallax.bench.polarity", fromlist=["run_polarity"]).run_polarity
TASKS["fetch"] = __import__("parallax.bench.fetch", fromlist=["run_fetch"]).run_fetch
TASKS["web"] = __import__("parallax.bench.web", fromlist=["run_web"]).run_web
TASKS["actors"] = __import__("parallax.bench.actors", fromlist=["run_actors"]).run_actors


def run(task: str, data: Path | str, options: Any = None, **kw: Any) -> dict[str, Any]:
    """Run one registered task by name."""
    try:
        fn = TASKS[task]
    except KeyError:
        raise BenchDataError(f"unknown benchmark task {task!r}; known: {', '.join(sorted(TASKS))}") from None
    return fn(Path(data), options, **kw)


__all__ = ["TASKS", "run", "run_pairs", "run_quotes", "run_speed"]
