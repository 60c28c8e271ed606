"""Benchmark ``bias``: sentence-level bias / opinion and biased words (BABE), or lexical-bias
spans in news articles (BASIL).

What, on a BABE-format file (``text``, ``label_bias``, ``biased_words``):

* ``macro_f1``: macro-F1 of Biased vs Non-biased sentences;
* ``word_f1`` (with precision/recall): micro-F1 of the biased words predicted per sentence
  against the annotators' ``biased_words`` (case-insensitive word match).

Without ``cv`` it scores what a user gets: the framing stage with the model at
``framing_model.default_path()`` (a user-trained model, else the shipped
``models/restricted/framing.joblib``, else the lexical detector alone when
``$PARALLAX_RESTRICTED_MODELS=0``), on the whole file or on the rows of ``split=S``; with
``cv=K`` it retrains the shipped recipe (``FramingModel`` with MiniLM word-piece vectors) K-fold
on the file and scores the held-out folds.

On a BASIL-format file (records with ``sentences`` and ``spans`` of ``bias`` lex/inf) it runs the
installed framing on every article, quotes excluded, and reports ``basil_lex_recall`` (share of
lexical-bias spans outside quotes whose sentence is flagged), ``basil_lex_word_recall`` (share
overlapped by a highlighted word) and ``basil_flag_outside_rate`` (share of flagged sentences
holding no lexical-bias span: the "false alarm" rate against BASIL's sparse annotation).

Sentence embeddings are cached on disk (``$TMPDIR/parallax-bench-embed.pkl``) so repeated runs
do not re-encode.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BenchDataError
from .metrics import prf1, read_jsonl

_DISK: dict[str, np.ndarray] | None = None


def select_split(records: list[dict[str, Any]], split: str | None, data: Path | str) -> list[dict[str, Any]]:
    """The records of ``split`` (all of them for None or "all"); a ``BenchDataError`` naming the
    file and the splits it has when none match."""
    if not split or split == "all":
        return records
    rows = [r for r in records if r.get("split") == split]
    if not rows:
        have = sorted({str(r["split"]) for r in records if r.get("split") is not None})
        raise BenchDataError(f"{data}: no rows for split {split!r} "
                             f"({'splits in the file: ' + ', '.join(have) if have else 'the file has no split field'})")
    return rows


def _cache_path() -> Path:
    from ..nlp.embed import backend  # vectors of one backend never answer for another

    return Path(os.environ.get("PARALLAX_BENCH_EMBED_CACHE")
                or Path(tempfile.gettempdir()) / f"parallax-bench-embed-{backend()}.pkl")


def cached_embed(texts: Sequence[str]) -> np.ndarray:
    """``nlp.embed.embed`` with a disk cache keyed by the text's sha1."""
    global _DISK
    from ..nlp.embed import DIM, embed

    if _DISK is None:
        try:
            with open(_cache_path(), "rb") as fh:
                _DISK = pickle.load(fh)
        except Exception:
            _DISK = {}
    texts = list(texts)
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    todo = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in _DISK))
    if todo:
        for t, v in zip(todo, embed(todo)):
            _DISK[hashlib.sha1(t.encode("utf-8")).hexdigest()] = v
        try:
            tmp = _cache_path().with_suffix(".tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(_DISK, fh)
            os.replace(tmp, _cache_path())
        except OSError:
            pass
    from ..nlp import embed as embed_mod

    for t, k in zip(texts, keys):  # share with the in-process cache the models read through embed()
        embed_mod._cache.setdefault(t, _DISK[k])
    return np.stack([_DISK[k] for k in keys])


def _word_counts(pred: Sequence[set[str]], gold: Sequence[set[str]]) -> dict[str, float]:
    tp = sum(len(p & g) for p, g in zip(pred, gold))
    fp = sum(len(p - g) for p, g in zip(pred, gold))
    fn = sum(len(g - p) for p, g in zip(pred, gold))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}


def _macro_f1(pred: Sequence[bool], gold: Sequence[bool]) -> float:
    pos = prf1(pred, gold)["f1"]
    neg = prf1([not p for p in pred], [not g for g in gold])["f1"]
    return (pos + neg) / 2


def _words_of(spans) -> set[str]:
    return {w.lower() for s in spans for w in s.split()}


def run_bias(data: Path, options: Any = None, *, cv: int | None = None, limit: int | None = None,
             split: str | None = None, **_: Any) -> dict[str, Any]:
    from ..options import DEFAULT

    options = options or DEFAULT
    records = read_jsonl(data, required=("text",))
    if "sentences" in records[0] and "spans" in records[0]:
        return run_basil(records[:limit] if limit else records, options)
    from ..analysis.framing import assess_sentences
    from ..analysis.framing_model import FramingModel, default_path, load_default, read_labelled

    sents = read_labelled(data, split)
    if limit:
        sents = sents[:limit]
    gold = [s.biased for s in sents]
    gold_words = [{w.lower() for w in s.words} for s in sents]
    texts = [s.text for s in sents]
    if cv:
        k = int(cv)
        if k < 2 or k > len(sents):
            raise BenchDataError(f"cv must be between 2 and the number of sentences ({len(sents)}), got {cv}")
        from sklearn.model_selection import StratifiedKFold

        from ..training.cache import encoded

        enc = encoded(texts, Path(data).stem)
        prob = np.zeros(len(sents))
        words: list[set[str]] = [set() for _ in sents]
        for tr, te in StratifiedKFold(k, shuffle=True, random_state=0).split(texts, gold):
            model = FramingModel.train([sents[i] for i in tr], encoded=[enc[i] for i in tr])
            p = model.predict_proba([texts[i] for i in te], encoded=[enc[i] for i in te])
            for i, pi in zip(te, p):
                prob[i] = pi
                if pi >= model.threshold:
                    words[i] = _words_of(w for _, _, w, _ in model.biased_words(texts[i], pi, enc[i]))
        pred = [bool(p >= 0.5) for p in prob]
        name = f"trained FramingModel, {k}-fold cross-validation"
    else:
        model = load_default()
        if model is not None and not getattr(model, "contextual", False):
            cached_embed(texts)  # warm the in-memory cache the model reads
        elif model is not None:  # the word-piece vectors, from the on-disk cache when present
            from ..analysis import token_states
            from ..training.cache import encoded

            token_states.remember(texts, encoded(texts, Path(data).stem))
        pred, words = [], []
        for t in texts:
            j = assess_sentences(t, [(0, len(t))], (), options, model)[0]
            pred.append(j.flagged)
            ws = [c.span.text for c in j.cues if c.span is not None and c.category != "scare_quotes"]
            ws += [w for _, _, w, _ in j.learned]
            words.append(_words_of(ws) if j.flagged else set())
        name = f"installed model {default_path()}" if model is not None else "shipped lexical detector"
    wc = _word_counts(words, gold_words)
    s = prf1(pred, gold)
    return {
        "macro_f1": round(_macro_f1(pred, gold), 4),
        "biased_precision": round(s["precision"], 4),
        "biased_recall": round(s["recall"], 4),
        "word_f1": round(wc["f1"], 4),
        "word_precision": round(wc["precision"], 4),
        "word_recall": round(wc["recall"], 4),
        "sentences": len(sents),
        "model": name,
    }


def run_basil(records: list[dict[str, Any]], options: Any) -> dict[str, Any]:
    """Installed framing on BASIL articles against their lexical-bias spans (see module doc)."""
    from ..analysis.framing import assess_sentences, quoted_ranges
    from ..analysis.framing_model import load_default

    model = load_default()
    lex_total = lex_sent_hit = lex_word_hit = 0
    flagged = flagged_outside = 0
    for rec in records:
        text = rec["text"]
        spans = [(int(a), int(b)) for a, b in rec["sentences"]]
        quoted = quoted_ranges(text)
        if model is not None:
            cached_embed([text[a:b] for a, b in spans])
        judged = assess_sentences(text, spans, quoted, options, model)
        lex = [s for s in rec["spans"] if s.get("bias") == "lex" and not s.get("quote")]
        for j in judged:
            if not j.flagged:
                continue
            flagged += 1
            if not any(j.start <= s["start"] < j.end for s in lex):
                flagged_outside += 1
        for s in lex:
            lex_total += 1
            j = next((j for j in judged if j.start <= s["start"] < j.end), None)
            if j is None or not j.flagged:
                continue
            lex_sent_hit += 1
            hl = [(c.span.start, c.span.end) for c in j.cues if c.span is not None]
            hl += [(a, b) for a, b, _, _ in j.learned]
            if any(a < s["end"] and b > s["start"] for a, b in hl):
                lex_word_hit += 1
    return {
        "basil_lex_recall": round(lex_sent_hit / lex_total, 4) if lex_total else 0.0,
        "basil_lex_word_recall": round(lex_word_hit / lex_total, 4) if lex_total else 0.0,
        "basil_flag_outside_rate": round(flagged_outside / flagged, 4) if flagged else 0.0,
        "basil_flagged_sentences": flagged,
        "basil_lex_spans": lex_total,
        "articles": len(records),
        "model": "installed trained model" if model is not None else "shipped lexical detector",
    }
