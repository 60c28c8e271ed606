"""Benchmark ``quotes`` on the project's own speaker gold (``data/speakers_gold.jsonl``).

What: every statement of 10 whole BASIL articles was written down by hand with who made it
(``speaker``: the accepted names, e.g. "Susan E. Rice" / "Susan Rice", or an anonymous source as
written, "a senior administration official") and its kind; so were the spans that look like
quotes or statements and are not (``nonstatements``: titles of works, scare quotes, nicknames,
refusals, questions, negated frames).  The split into ``dev`` and ``heldout`` (5 articles each)
was fixed by the SHA-1 of the article id before any article was read; ``heldout2`` (9 more
articles, the next ones in that order) was written later, before the second pass changed any code.  BASIL's licence is not
stated, so the file holds article ids, offsets and a short SHA-1 of each span, never text; the
texts are read from ``basil.jsonl`` (``articles=``, ``$PARALLAX_BASIL`` or
``../shared/data/basil.jsonl``) and every span's SHA-1 is checked before scoring.

Scores per part: ``found`` (gold statements whose content a Parallax quote overlaps, matched
one-to-one), ``speaker_accuracy`` (found ones whose speaker names an accepted speaker),
``speaker_unresolved`` (found ones left unresolved), ``speaker_wrong`` (put in another mouth) and
``false_statements`` (Parallax quotes lying on a nonstatement span).  Gold is read only to score.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Any

from ..errors import BenchDataError
from ..model import Article
from .metrics import read_jsonl
from .quotes import greedy_pairs

HONORIFICS = frozenset("mr mrs ms dr sen rep gov gen the a an president senator representative "
                       "governor speaker secretary jr sr".split())


def _norm(name: str) -> list[str]:
    words = re.findall(r"[\w]+", name.lower().replace("’s", "").replace("'s", ""))
    return [w for w in words if w not in HONORIFICS and len(w) > 1]


def speaker_matches(pred: str, accepted: list[str]) -> bool:
    """Whether a predicted speaker names one of the accepted speakers: the same words once
    titles are dropped, or a part of them ("Rice" for "Susan E. Rice", "officials" for "senior
    administration officials")."""
    p = _norm(pred)
    if not p:
        return False
    for a in accepted:
        g = _norm(a)
        if g and (p == g or set(p) <= set(g) or set(g) <= set(p)):
            return True
    return False


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _match(quotes: list[Any], gold: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (quote index, gold index) pairs, largest character overlap first."""
    cands = []
    for i, q in enumerate(quotes):
        for j, g in enumerate(gold):
            inter = min(q.content.end, g["end"]) - max(q.content.start, g["start"])
            if inter > 0:
                cands.append((float(inter), i, j))
    return greedy_pairs(cands)


def run_speaker_gold(data: Path, options: Any = None, *, articles: str | Path | None = None,
                     split: str | None = None, **_: Any) -> dict[str, Any]:
    """Score speakers on the hand-written gold; ``split`` one part of the file ("dev", "heldout",
    "heldout2") or "all"/None (every part, each scored on its own)."""
    from ..analysis.quotes import extract_quotes
    from ..nlp.pipeline import load_spacy, parse_many
    from ..options import DEFAULT
    from .align import _basil_path

    options = options or DEFAULT
    records = read_jsonl(data, required=("id", "quotes"))
    basil = {r["id"]: r for r in read_jsonl(_basil_path(Path(data), articles), required=("id", "text"))}
    known = list(dict.fromkeys(r.get("part") for r in records if r.get("part")))
    if split not in (None, "all") and split not in known:
        raise BenchDataError(f"{data}: unknown split {split!r}; choose one of {', '.join(known)} or all")
    parts = [split] if split in known else known
    todo = [r for r in records if r.get("part") in parts]
    if not todo:
        raise BenchDataError(f"{data}: no record has part in {parts}")
    for r in todo:
        b = basil.get(r["id"])
        if b is None:
            raise BenchDataError(f"{data}: article {r['id']} is not in the BASIL file")
        for s in r["quotes"] + r.get("nonstatements", []):
            if _sha(b["text"][s["start"]:s["end"]]) != s["sha1"]:
                raise BenchDataError(f"{data}: article {r['id']}: span {s['start']}-{s['end']} does not match "
                                     "its sha1 (a different BASIL file?)")
    load_spacy()
    t0 = time.perf_counter()
    parsed = parse_many([Article.new(basil[r["id"]]["text"], outlet=basil[r["id"]].get("outlet", ""))
                         for r in todo], batch_size=options.batch_size)
    quotes = [extract_quotes(p, options) for p in parsed]
    seconds = time.perf_counter() - t0
    out: dict[str, Any] = {}
    for part in parts:
        n = {"articles": 0, "gold": 0, "found": 0, "correct": 0, "unresolved": 0, "wrong": 0,
             "predicted": 0, "false_statements": 0}
        for r, qs in zip(todo, quotes):
            if r["part"] != part:
                continue
            gold = r["quotes"]
            n["articles"] += 1
            n["gold"] += len(gold)
            n["predicted"] += len(qs)
            for i, j in _match(qs, gold):
                q = qs[i]
                n["found"] += 1
                if speaker_matches(q.speaker, gold[j]["speaker"]):
                    n["correct"] += 1
                elif not q.resolved:
                    n["unresolved"] += 1
                else:
                    n["wrong"] += 1
            for q in qs:
                lo = min(q.content.start, q.cue.start) if q.cue else q.content.start
                hi = max(q.content.end, q.cue.end) if q.cue else q.content.end
                if any(s["start"] < hi and lo < s["end"] for s in r.get("nonstatements", [])):
                    n["false_statements"] += 1
        found = n["found"] or 1
        out.update({f"{k}_{part}": v for k, v in n.items()})
        out[f"recall_{part}"] = round(n["found"] / (n["gold"] or 1), 4)
        out[f"speaker_accuracy_{part}"] = round(n["correct"] / found, 4)
        out[f"speaker_unresolved_{part}"] = round(n["unresolved"] / found, 4)
        out[f"speaker_wrong_{part}"] = round(n["wrong"] / found, 4)
    out["seconds"] = round(seconds, 2)
    return out
