"""Contextual word vectors from the pipeline's sentence model, for the trained framing heads.

What: ``encode(texts)`` runs all-MiniLM-L6-v2 (the network ``parallax.nlp.embed`` already uses,
same backend, same truncation) once per text and returns, per text, the last-layer vector of
every word-piece with its character offsets, and the mean-pooled, L2-normalised sentence vector
that ``embed()`` returns for the same text (seeded into its cache when the process embeds with
the same backend, so a later ``embed()`` of the text costs nothing).  ``word_vectors`` averages the pieces of each word of a tokenisation the
caller chooses; ``span_vector`` averages the pieces inside a character span.

Why: the shipped framing, technique and polarity heads are small linear models over these
vectors.  A frozen encoder shared with the rest of the pipeline keeps the shipped weights tiny
(no fine-tuned copy of the network), trains in minutes on two CPU cores and costs one forward
pass per sentence at run time, the pass sentence embedding needs anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Encoded", "encode", "remember", "span_vector", "word_vectors"]

DIM = 384
# The int8 graph of the same network: ~1.75x the speed of fp32 ONNX on CPU, vectors at mean cosine
# 0.992 to fp32 (docs/scaling.md).  The heads are trained and run on the same graph, so they see
# the vectors they were fitted to; the sentence vectors are shared with ``embed()`` only when the
# process embeds with this backend too.
BACKEND = "onnx-int8"


@dataclass(frozen=True)
class Encoded:
    """One text's word-piece vectors (n, 384), their (start, end) offsets (n, 2) and the
    sentence vector (384,)."""

    hidden: np.ndarray
    offsets: np.ndarray
    sentence: np.ndarray


def _run(enc_model, texts: list[str]) -> list[Encoded]:
    from ..nlp.embed import MAX_TOKENS

    tok = enc_model.tokenizer
    enc = tok(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="np",
              return_offsets_mapping=True)
    if hasattr(enc_model, "session"):
        feed = {n: enc[n].astype(np.int64) for n in ("input_ids", "attention_mask", "token_type_ids")
                if n in enc_model.inputs}
        hidden = enc_model.session.run(None, feed)[0]
    else:  # the PyTorch backend
        import torch

        model = enc_model.model[0].auto_model
        with torch.no_grad():
            hidden = model(**{k: torch.tensor(enc[k]) for k in ("input_ids", "attention_mask")}).last_hidden_state.numpy()
    mask = enc["attention_mask"].astype(bool)
    out = []
    for i in range(len(texts)):
        m = mask[i]
        h = hidden[i][m].astype(np.float32)
        off = enc["offset_mapping"][i][m]
        vec = h.mean(0)
        vec = vec / max(float(np.linalg.norm(vec)), 1e-12)
        real = off[:, 1] > off[:, 0]  # drop [CLS]/[SEP] from the word-piece list
        out.append(Encoded(h[real], off[real].astype(np.int32), vec))
    return out


class _TorchTokens:
    """Tokenizer + transformer of the PyTorch backend with the ONNX encoder's interface."""

    def __init__(self, encoder) -> None:
        self.model = encoder.model
        self.tokenizer = encoder.model.tokenizer


_recent: dict[str, Encoded] = {}
_RECENT_MAX = 8192


def encode(texts: Sequence[str]) -> list[Encoded]:
    """Word-piece and sentence vectors of each text (see the module docstring).  The last few
    thousand results are kept, so scoring a sentence and then tagging its words is one pass."""
    texts = list(texts)
    todo = list(dict.fromkeys(t for t in texts if t not in _recent))
    if todo:
        if len(_recent) + len(todo) > _RECENT_MAX:
            _recent.clear()
        _recent.update(zip(todo, _encode(todo)))
    return [_recent[t] for t in texts]


def remember(texts: Sequence[str], encoded: Sequence[Encoded]) -> None:
    """Seed the recent-results cache with encodings computed elsewhere (a training cache)."""
    if len(_recent) + len(texts) > _RECENT_MAX:
        _recent.clear()
    _recent.update(zip(texts, encoded))


def _encode(texts: list[str]) -> list[Encoded]:
    """Each text in a pass of its own.  No padding: a batch is padded to its longest text, which
    on an article's sentences doubled the tokens the network ran over.  And the vectors depend on
    the text alone: the int8 graph quantises its activations per call, over the whole padded batch,
    so a sentence batched with others came out at a cosine down to 0.975 to itself alone."""
    from ..nlp import embed as embed_mod

    if not texts:
        return []
    enc_model = embed_mod.load_encoder(BACKEND)
    if not hasattr(enc_model, "session"):
        enc_model = _TorchTokens(enc_model)
    out = [_run(enc_model, [t])[0] for t in texts]
    if embed_mod.backend() == BACKEND:
        embed_mod.remember(texts, [e.sentence for e in out])
    return out


def span_vector(e: Encoded, start: int, end: int) -> np.ndarray:
    """Mean of the word-piece vectors overlapping ``[start, end)`` (zeros when none do)."""
    sel = (e.offsets[:, 0] < end) & (e.offsets[:, 1] > start)
    if not sel.any():
        return np.zeros(DIM, dtype=np.float32)
    return e.hidden[sel].mean(0)


def word_vectors(e: Encoded, words: Sequence[tuple[int, int]]) -> np.ndarray:
    """One vector per (start, end) word: the mean of its word pieces; (len(words), 384)."""
    out = np.zeros((len(words), DIM), dtype=np.float32)
    if not len(words) or not len(e.offsets):
        return out
    starts = e.offsets[:, 0]
    ends = e.offsets[:, 1]
    for k, (a, b) in enumerate(words):
        lo = int(np.searchsorted(ends, a, side="right"))
        hi = int(np.searchsorted(starts, b, side="left"))
        if hi > lo:
            out[k] = e.hidden[lo:hi].mean(0)
    return out
