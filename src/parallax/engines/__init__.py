"""Where the per-article stages run: :class:`parallax.workers.LocalExecutor` (this process or
local worker processes) or :class:`parallax.engines.ray.RayExecutor` (Ray actors), chosen by
:func:`make_executor` (``--engine local|ray``).  Both map :func:`parallax.workers.process_articles`
over batches; this package picks one, so ``workers`` never imports an engine."""

from __future__ import annotations

from .. import errors
from ..options import DEFAULT, Options

__all__ = ["make_executor"]


def make_executor(engine: str = "local", options: Options = DEFAULT, workers: int | None = None,
                  address: str | None = None):
    """The executor for ``--engine local|ray``."""
    if engine == "local":
        from ..workers import LocalExecutor

        return LocalExecutor(options, workers)
    if engine == "ray":
        from .ray import RayExecutor

        return RayExecutor(options, workers=workers, address=address)
    raise errors.ParallaxError(f"unknown engine {engine!r}; choose local or ray")
