"""Benchmark ``quotes``: attribution extraction (source, cue, content) against PolNeAR.

What: reads PolNeAR-style JSONL (``text``, ``split`` and gold ``attributions`` with ``source``,
``cue`` and ``content`` spans), runs :func:`parallax.analysis.quotes.extract_quotes` on each
article of the chosen split (default ``dev``) and scores predicted spans against gold ones:

* ``exact``: offsets equal once surrounding whitespace is trimmed;
* ``overlap``: the two spans share at least 50% of the gold span's tokens *and* at least 50% of
  the predicted span's tokens (tokens: words and punctuation marks).

Each field (content, source, cue) is matched one-to-one per article, greedily by overlap, and
reported as ``{field}_{precision|recall|f1}_{overlap|exact}``; ``cue_*`` is overlap only.  The
same metrics are reported for the attributions whose content holds a quotation mark (suffix
``_quoted``), and for textacy's ``direct_quotations`` on the very same parsed documents (prefix
``textacy_``; null with a ``textacy`` note when textacy is not installed).

Conventions: PolNeAR content spans of direct quotes include the quote marks, and a quote split by
its cue ('"A," he said. "B."') is one attribution; so predicted direct quotes are widened to
their marks and quotes sharing one cue are merged before scoring.  Gold labels are read only to
score; the system sees only the text.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from ..errors import BenchDataError
from ..model import Article
from ..options import DEFAULT, Options
from .metrics import read_jsonl

QUOTE_CHARS = "\"“”„«»"
_TOKEN = re.compile(r"\w+|[^\w\s]")
FIELDS = ("content", "source", "cue")
# ``Quote.method`` values saying the speaker was not decided (no confident candidate)
UNRESOLVED_METHODS = frozenset({"unresolved", "none"})

Spans = list[tuple[int, int]]


# --- scoring -------------------------------------------------------------------------------------

def _tokens(text: str, start: int, end: int) -> set[int]:
    return {m.start() + start for m in _TOKEN.finditer(text[start:end])}


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _match(text: str, pred: Spans, gold: Spans, exact: bool) -> int:
    """Number of one-to-one matches between predicted and gold spans."""
    if exact:
        p = {_strip(text, *s) for s in pred}
        g = {_strip(text, *s) for s in gold}
        return len(p & g)
    return len(_pairs(text, pred, gold))


def _pairs(text: str, pred: Spans, gold: Spans) -> list[tuple[int, int]]:
    """One-to-one overlap matches (predicted index, gold index), best overlap first."""
    ptoks = [_tokens(text, *s) for s in pred]
    gtoks = [_tokens(text, *s) for s in gold]
    cands = []
    for i, pt in enumerate(ptoks):
        for j, gt in enumerate(gtoks):
            inter = len(pt & gt)
            if pt and gt and inter >= 0.5 * len(gt) and inter >= 0.5 * len(pt):
                cands.append((inter / max(len(pt), len(gt)), i, j))
    return greedy_pairs(cands)


def greedy_pairs(cands: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """One-to-one (i, j) pairs from scored candidates ``(score, i, j)``, best score first."""
    cands = sorted(cands, reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


class _Tally:
    def __init__(self) -> None:
        self.tp: dict[str, int] = {}
        self.npred: dict[str, int] = {}
        self.ngold: dict[str, int] = {}

    def add(self, text: str, pred: list[dict[str, tuple[int, int] | None]],
            gold: list[dict[str, tuple[int, int] | None]]) -> None:
        for field in FIELDS:
            ps = sorted({a[field] for a in pred if a.get(field)})  # type: ignore[type-var]
            gs = sorted({a[field] for a in gold if a.get(field)})  # type: ignore[type-var]
            modes = ("overlap",) if field == "cue" else ("overlap", "exact")
            for mode in modes:
                key = f"{field}_{mode}"
                self.tp[key] = self.tp.get(key, 0) + _match(text, ps, gs, mode == "exact")
                self.npred[key] = self.npred.get(key, 0) + len(ps)
                self.ngold[key] = self.ngold.get(key, 0) + len(gs)

    def metrics(self, prefix: str = "", suffix: str = "") -> dict[str, float]:
        out: dict[str, float] = {}
        for key in self.tp:
            field, mode = key.split("_")
            p, r, f = _prf(self.tp[key], self.npred[key], self.ngold[key])
            tail = "" if field == "cue" else f"_{mode}"
            out[f"{prefix}{field}_precision{tail}{suffix}"] = p
            out[f"{prefix}{field}_recall{tail}{suffix}"] = r
            out[f"{prefix}{field}_f1{tail}{suffix}"] = f
        return out


class _SpeakerTally:
    """Speaker accuracy: among gold attributions with a source whose content was found (overlap
    match), the share whose predicted source matches the gold source (overlap), the share left
    unresolved (no source, or one the system marked as unresolved) and the share put in another
    mouth."""

    def __init__(self) -> None:
        self.n = {"found": 0, "correct": 0, "unresolved": 0}

    def add(self, text: str, pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> None:
        gold = [g for g in gold if g.get("source") and g.get("content")]
        pred = [p for p in pred if p.get("content")]
        for i, j in _pairs(text, [p["content"] for p in pred], [g["content"] for g in gold]):
            p, g = pred[i], gold[j]
            self.n["found"] += 1
            if p.get("source") and _pairs(text, [p["source"]], [g["source"]]):
                self.n["correct"] += 1
            elif not p.get("source") or p.get("unresolved"):
                self.n["unresolved"] += 1

    def metrics(self, suffix: str = "") -> dict[str, float | int]:
        found = self.n["found"]
        return {f"speaker_found{suffix}": found,
                f"speaker_accuracy{suffix}": round(self.n["correct"] / found, 4) if found else 0.0,
                f"speaker_unresolved{suffix}": round(self.n["unresolved"] / found, 4) if found else 0.0}


def _quoted(text: str, att: dict[str, Any]) -> bool:
    c = att.get("content")
    return bool(c) and any(ch in QUOTE_CHARS for ch in text[c[0]:c[1]])


# --- gold ----------------------------------------------------------------------------------------

def _gold(rec: dict[str, Any]) -> list[dict[str, tuple[int, int] | None]]:
    out = []
    for a in rec.get("attributions") or []:
        item: dict[str, tuple[int, int] | None] = {}
        for field in FIELDS:
            s = a.get(field)
            item[field] = (int(s["start"]), int(s["end"])) if s else None
        out.append(item)
    return out


# --- system --------------------------------------------------------------------------------------

def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a direct quote's content to its quote marks (and the comma or stop inside them)."""
    s, e = start, end
    while s > 0 and text[s - 1] in " \t":
        s -= 1
    if s > 0 and text[s - 1] in QUOTE_CHARS + "'‘":
        s -= 1
    else:
        s = start
    k = e
    while k < len(text) and text[k] in ",.;!?… \t":
        k += 1
    if k < len(text) and text[k] in QUOTE_CHARS + "'’":
        e = k + 1
    return s, e


def system_attributions(quotes: list[Any], text: str, *, meta: bool = False) -> list[dict[str, Any]]:
    """Our quotes in PolNeAR's conventions: marks included, quotes sharing a cue merged; with
    ``meta`` each item also says whether its speaker was left ``unresolved``."""
    out: list[dict[str, Any]] = []
    by_cue: dict[tuple[int, int], dict[str, Any]] = {}
    for q in sorted(quotes, key=lambda q: q.content.start):
        content = (q.content.start, q.content.end)
        if q.kind == "direct":
            content = _widen(text, *content)
        cue = (q.cue.start, q.cue.end) if q.cue else None
        src = (q.speaker_span.start, q.speaker_span.end) if q.speaker_span else None
        prev = by_cue.get(cue) if cue else None
        gap = text[prev["content"][1]:content[0]] if prev is not None else ""
        if prev is not None and q.kind == "direct" and prev["kind"] == "direct" \
                and ("\n" not in gap or not gap.strip(QUOTE_CHARS + " \t\n")):
            prev["content"] = (prev["content"][0], max(prev["content"][1], content[1]))
            continue
        item = {"content": content, "source": src, "cue": cue, "kind": q.kind,
                "unresolved": q.method in UNRESOLVED_METHODS}
        out.append(item)
        if cue:
            by_cue[cue] = item
    return [{k: v for k, v in a.items() if meta or k in FIELDS} for a in out]


def _textacy_attributions(doc: Any, fn: Any) -> list[dict[str, tuple[int, int] | None]] | None:
    try:
        triples = list(fn(doc))
    except ValueError:
        return None  # "unclosed quotation": textacy refuses the article

    def rng(toks: Any) -> tuple[int, int] | None:
        toks = list(toks)
        if not toks:
            return None
        a, b = min(toks, key=lambda t: t.i), max(toks, key=lambda t: t.i)
        return a.idx, b.idx + len(b)

    return [{"content": (t.content.start_char, t.content.end_char), "source": rng(t.speaker),
             "cue": rng(t.cue)} for t in triples]


def _load_textacy() -> tuple[Any, str]:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None, "not installed: pip install textacy"
    import textacy

    return direct_quotations, f"textacy {textacy.__version__} extract.triples.direct_quotations"


def _is_speaker_gold(data: Path) -> bool:
    """Whether ``data`` is the project's speaker gold (ids and offsets into BASIL, no text)."""
    try:
        with open(data, encoding="utf-8") as f:
            first = f.readline()
    except OSError:
        return False
    return '"quotes"' in first and '"attributions"' not in first


def run_quotes(data: Path, options: Options | None = None, *, split: str | None = "dev",
               limit: int | None = None, baseline: bool = True, **_: Any) -> dict[str, Any]:
    """Score quote extraction on ``data`` (PolNeAR JSONL), ``split`` ("dev" by default; None or
    "all" for every record), optionally the first ``limit`` articles; see the module docstring."""
    from ..analysis.quotes import extract_quotes
    from ..nlp.pipeline import load_spacy, parse_many

    options = options or DEFAULT
    data = Path(data)
    if _is_speaker_gold(data):
        from .speakers import run_speaker_gold

        return run_speaker_gold(data, options, split=split, **_)  # dev, heldout, heldout2 or all
    records = read_jsonl(data, required=("text", "attributions"))
    if split and split != "all":
        records = [r for r in records if r.get("split") == split]
        if not records:
            raise BenchDataError(f"{data}: no record has split == {split!r}")
    if limit:
        records = records[: int(limit)]
    for no, r in enumerate(records, 1):
        if not isinstance(r["text"], str) or not isinstance(r["attributions"], list):
            raise BenchDataError(f"{data}: record {no}: text must be a string, attributions a list")

    articles = [Article.new(r["text"], outlet=str(r.get("outlet", ""))) for r in records]
    load_spacy()
    start = time.perf_counter()
    parsed = parse_many(articles, batch_size=options.batch_size)
    predicted = [system_attributions(extract_quotes(p, options), p.article.text, meta=True) for p in parsed]
    seconds = time.perf_counter() - start

    fn, note = _load_textacy() if baseline else (None, "not run")
    ours, ours_q, tx, tx_q = _Tally(), _Tally(), _Tally(), _Tally()
    spk, spk_q = _SpeakerTally(), _SpeakerTally()
    refused = 0
    n_gold = n_gold_q = 0
    for rec, p, pred in zip(records, parsed, predicted):
        text = rec["text"]
        gold = _gold(rec)
        gold_q = [a for a in gold if _quoted(text, a)]
        n_gold += len(gold)
        n_gold_q += len(gold_q)
        ours.add(text, pred, gold)
        ours_q.add(text, [a for a in pred if _quoted(text, a)], gold_q)
        spk.add(text, pred, gold)
        spk_q.add(text, [a for a in pred if _quoted(text, a)], gold_q)
        if fn is not None:
            got = _textacy_attributions(p.doc, fn)
            if got is None:
                refused += 1
                got = []
            tx.add(text, got, gold)
            tx_q.add(text, [a for a in got if _quoted(text, a)], gold_q)

    out: dict[str, Any] = {"articles": len(records), "split": split or "all",
                           "gold_attributions": n_gold, "gold_attributions_quoted": n_gold_q,
                           "predicted_attributions": sum(len(p) for p in predicted)}
    out.update(ours.metrics())
    out.update(ours_q.metrics(suffix="_quoted"))
    out.update(spk.metrics())
    out.update(spk_q.metrics(suffix="_quoted"))
    if fn is not None:
        out.update(tx.metrics(prefix="textacy_"))
        out.update(tx_q.metrics(prefix="textacy_", suffix="_quoted"))
        out["textacy_refused_articles"] = refused
    else:
        for k in list(ours.metrics()) + list(ours_q.metrics(suffix="_quoted")):
            out[f"textacy_{k}"] = None
        out["textacy_refused_articles"] = None
    out["textacy"] = note
    out["seconds"] = round(seconds, 2)
    return out
