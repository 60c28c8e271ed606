"""Benchmark ``propaganda``: propaganda-technique spans and labels on a PTC-format file.

What: on the Propaganda Techniques Corpus (SemEval-2020 Task 11; records with ``text`` and
``spans`` of ``technique``/``start``/``end``) reports

* ``span_f1_loaded`` (with ``span_precision_loaded``/``span_recall_loaded``): span
  identification of Loaded_Language and Name_Calling,Labeling with the task's partial-overlap
  credit (``techniques.si_prf``);
* ``technique_micro_f1``: micro-F1 (= accuracy, one label per span) of naming the technique of
  each gold span, over the 14 PTC classes.

Without ``cv`` it scores what a user gets: the shipped models
(``models/restricted/techniques.joblib``: ``technique_model.ContextSpanTagger`` and
``ContextTechniqueClassifier`` over MiniLM word-piece vectors), or, without them
(``$PARALLAX_RESTRICTED_MODELS=0``), the transparent rules (framing cues outside quotation
marks, mapped by ``techniques.rule_techniques``); on the whole file or the rows of ``split=S``.
With ``cv=K`` it retrains the shipped recipe K-fold over articles and scores the held-out folds.
Gold labels only score the output, except as training data inside a fold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..analysis.techniques import PTCArticle, rule_techniques, si_prf
from ..errors import BenchDataError
from .metrics import read_jsonl

LOADED = ("Loaded_Language", "Name_Calling,Labeling")


def load_ptc(data: Path, limit: int | None = None, split: str | None = None) -> list[PTCArticle]:
    from .bias import select_split

    records = select_split(read_jsonl(data, required=("text", "spans")), split, data)
    out = []
    for no, rec in enumerate(records, 1):
        text = rec["text"]
        if not isinstance(text, str) or not isinstance(rec["spans"], list):
            raise BenchDataError(f"{data}: record {no}: text must be a string and spans a list")
        spans = []
        for s in rec["spans"]:
            try:
                spans.append((str(s["technique"]), int(s["start"]), int(s["end"])))
            except (KeyError, TypeError, ValueError):
                raise BenchDataError(f"{data}: record {no}: a span lacks technique/start/end") from None
        out.append(PTCArticle(text, tuple(spans)))
        if limit and len(out) >= limit:
            break
    return out


def _rule_spans(text: str) -> list[tuple[str, int, int]]:
    """Technique spans the shipped rules find in a whole text, line by line, outside quotes."""
    from ..analysis.framing import quoted_ranges, sentence_cues

    quoted = quoted_ranges(text)
    out, pos = [], 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if not line.strip():
            continue
        for t in rule_techniques(text, a, b, sentence_cues(text, a, b, quoted), quoted):
            out.append((t.technique, t.span.start, t.span.end))
    return out


def _line_encoder(data: Path):
    """Encoder of article lines through the on-disk training cache (``training.cache``)."""
    from ..training.cache import encoded

    return lambda lines: encoded(list(lines), Path(data).stem)


def run_propaganda(data: Path, options: Any = None, *, cv: int | None = None,
                   limit: int | None = None, split: str | None = None, **_: Any) -> dict[str, Any]:
    from ..analysis.technique_model import ContextSpanTagger, ContextTechniqueClassifier, load_shipped, line_spans

    arts = load_ptc(Path(data), limit, split)
    gold_loaded = [[(a, b) for t, a, b in art.spans if t in LOADED] for art in arts]
    items = [(art.text, a, b) for art in arts for _, a, b in art.spans]
    labels = [t for art in arts for t, _, _ in art.spans]
    owner = [i for i, art in enumerate(arts) for _ in art.spans]
    if cv:
        k = int(cv)
        if k < 2 or k > len(arts):
            raise BenchDataError(f"cv must be between 2 and the number of articles ({len(arts)}), got {cv}")
        fold = np.arange(len(arts)) % k
        np.random.RandomState(0).shuffle(fold)
        enc = _line_encoder(data)
        enc([a.text[x:y] for a in arts for x, y in line_spans(a.text)])  # encode every line once
        pred_spans: list[list[tuple[int, int]]] = [[] for _ in arts]
        pred_labels: list[str] = [""] * len(items)
        for f in range(k):
            train = [arts[i] for i in range(len(arts)) if fold[i] != f]
            tagger = ContextSpanTagger().fit(train, enc)
            for i in range(len(arts)):
                if fold[i] == f:
                    pred_spans[i] = tagger.predict(arts[i].text, enc)
            tr = [j for j in range(len(items)) if fold[owner[j]] != f]
            te = [j for j in range(len(items)) if fold[owner[j]] == f]
            if tr and te:
                clf = ContextTechniqueClassifier().fit([items[j] for j in tr], [labels[j] for j in tr], enc)
                for j, p in zip(te, clf.predict([items[j] for j in te], enc)):
                    pred_labels[j] = p
        model = f"trained, {k}-fold cross-validation"
    elif load_shipped() is not None:
        bundle = load_shipped()
        enc = _line_encoder(data)
        pred_spans = [bundle["tagger"].predict(art.text, enc) for art in arts]
        pred_labels = bundle["classifier"].predict(items, enc) if items else []
        model = "shipped models (restricted/techniques.joblib)"
    else:
        found = [_rule_spans(art.text) for art in arts]
        pred_spans = [[(a, b) for t, a, b in f if t in LOADED] for f in found]
        pred_labels = []
        for (text, a, b), i in zip(items, owner):
            hits = [t for t, x, y in found[i] if x < b and y > a]
            pred_labels.append(hits[0] if hits else "Loaded_Language")
        model = "shipped rules (lexicon)"
    si = si_prf(pred_spans, gold_loaded)
    correct = sum(p == g for p, g in zip(pred_labels, labels))
    return {
        "span_f1_loaded": round(si["f1"], 4),
        "span_precision_loaded": round(si["precision"], 4),
        "span_recall_loaded": round(si["recall"], 4),
        "technique_micro_f1": round(correct / len(labels), 4) if labels else 0.0,
        "articles": len(arts),
        "gold_spans": len(labels),
        "model": model,
    }
