"""Where the per-article time goes: parse, analysis stages, and embedding every body sentence
with each sentence-model backend, on the first N articles of a JSONL file (docs/scaling.md §1).

Usage: python tools/profile_stages.py ../shared/data/basil.jsonl [--limit 100] [--threads 1]
Prints one JSON object: seconds per stage and each backend's mean/min cosine to PyTorch.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    os.environ["PARALLAX_THREADS"] = str(args.threads)
    import torch

    torch.set_num_threads(args.threads)
    from parallax.bench.speed import load_articles
    from parallax.nlp.embed import load_encoder
    from parallax.nlp.pipeline import load_spacy, parse_many
    from parallax.pipeline import analyze_parsed

    arts = load_articles(args.data, args.limit)
    nlp = load_spacy()
    list(nlp.pipe([a.text + " warm" for a in arts[:3]]))
    out: dict[str, float | int] = {"articles": len(arts), "threads": args.threads}
    t = time.perf_counter()
    parsed = parse_many(arts)
    out["parse_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    for p in parsed:
        analyze_parsed(p)
    out["analysis_s"] = round(time.perf_counter() - t, 2)
    sents = [s.text for p in parsed for s in p.sentences if s.kind == "body"]
    out["body_sentences"] = len(sents)
    vecs = {}
    for name in ("torch", "onnx", "onnx-int8"):
        enc = load_encoder(name)
        enc.encode(sents[:8])
        t = time.perf_counter()
        vecs[name] = enc.encode(sents)
        out[f"embed_{name}_s"] = round(time.perf_counter() - t, 2)
    for name in ("onnx", "onnx-int8"):
        cos = (vecs[name] * vecs["torch"]).sum(1)
        out[f"cos_{name}_mean"] = round(float(cos.mean()), 4)
        out[f"cos_{name}_min"] = round(float(cos.min()), 4)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
