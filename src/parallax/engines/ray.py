"""``--engine ray``: the per-article stages on Ray actors, the commit where it always is.

What: :class:`RayExecutor` starts ``workers`` Ray actors (default: one per CPU Ray reports), each
loading spaCy and the sentence model once, and maps :func:`parallax.workers.process_articles`
over chunks of each batch with a bounded window of tasks in flight.  Results come back in input
order to the calling process, which does near-duplicates, story assignment and the database
writes exactly as the single-machine path does — hence the same stories and annotations.

Where: ``address=None`` starts a private local Ray instance (no dashboard, a small object store);
``address="auto"`` joins the cluster this machine belongs to, ``"ray://head:10001"`` connects a
Ray Client.  Every node needs Parallax and its models installed (same virtualenv or a container
image); for a cluster, point the database at PostgreSQL so several ingest drivers can share it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .. import errors
from ..model import Article
from ..options import DEFAULT, Options
from ..workers import Result, process_articles, windowed_map

# The private local instance: Ray's default object store takes 30% of RAM; batches of articles
# need a few MB, so 256 MB keeps a laptop's memory for the models.
LOCAL_OBJECT_STORE = 256 * 1024 * 1024


def _ray():
    try:
        import ray
    except ImportError:
        raise errors.ParallaxError("the Ray engine needs Ray: pip install 'parallax-news[ray]'") from None
    return ray


class _Worker:
    """One Ray actor: models loaded at start, then chunk after chunk."""

    def __init__(self, options: Options):
        os.environ["PARALLAX_THREADS"] = "1"
        from ..nlp.embed import load_encoder, use_backend
        from ..nlp.pipeline import load_spacy

        self.options = options
        use_backend(options.embed_backend)
        load_spacy()
        load_encoder()

    def process(self, articles: Sequence[Article]) -> Result:
        return process_articles(articles, self.options)


class RayExecutor:
    name = "ray"

    def __init__(self, options: Options = DEFAULT, workers: int | None = None, address: str | None = None):
        self.options = options
        self.address = address
        self.requested = workers or None
        self.workers = 0
        self._actors: list[Any] = []
        self._started_ray = False

    def _start(self) -> list[Any]:
        if self._actors:
            return self._actors
        ray = _ray()
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                      "logging_level": "ERROR", "configure_logging": True}
            if self.address:
                kwargs["address"] = self.address
            else:
                kwargs["object_store_memory"] = LOCAL_OBJECT_STORE
                if self.requested:
                    kwargs["num_cpus"] = self.requested
            # workers import parallax from the driver's environment (same virtualenv)
            os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
            try:
                ray.init(**kwargs)
            except Exception as exc:  # noqa: BLE001 - connection refused, bad address, ...
                try:  # a start that timed out leaves the GCS, dashboard and monitors running
                    ray.shutdown()
                except Exception:  # noqa: BLE001 - nothing more to clean up
                    pass
                raise errors.ParallaxError(f"could not start or reach Ray ({self.address or 'local'}): {exc}") from None
            self._started_ray = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, self.requested or cpus)
        if self.options.embed_backend.startswith("onnx"):
            try:  # export the ONNX graph once here; actors on this machine then only read it
                from ..nlp.onnx_model import onnx_file

                onnx_file(self.options.embed_backend == "onnx-int8")
            except ImportError:
                pass
        actor = ray.remote(num_cpus=1)(_Worker)
        self._actors = [actor.remote(self.options) for _ in range(self.workers)]
        return self._actors

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[Result]:
        ray = _ray()
        actors = self._start()
        turn = iter(range(1 << 62))

        def submit(chunk):
            return actors[next(turn) % len(actors)].process.remote(chunk)

        yield from windowed_map(submit, ray.get, batches, len(actors), 2 * len(actors))

    def close(self) -> None:
        if not self._actors and not self._started_ray:
            return
        ray = _ray()
        for a in self._actors:
            try:
                ray.kill(a)
            except Exception:  # noqa: BLE001 - already gone
                pass
        self._actors = []
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
