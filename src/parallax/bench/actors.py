"""Benchmark ``actors``: canonical actors of a story against a hand-made gold file.

What: each line of the gold file (``data/actors_gold.jsonl``) is one BASIL event: its article ids,
``split`` (``dev`` or ``heldout``), every actor the articles name (``name``, ``type`` (a type or a
list of accepted types), ``aliases``), ``optional`` names that are neither required nor junk (works,
shows, nationality groups, ambiguous bare surnames) and ``must_not_merge`` pairs.  Parallax
analyses the articles from their text alone and resolves actors as the comparison does
(:func:`parallax.analysis.actors.resolve_actors`); the gold is read only to score.

Scoring: names are compared after folding (case, accents, dots, a leading "the").  A predicted
actor stands for the gold actor its name matches, else the one its aliases match; it is a **false
merge** when its name and aliases match two or more gold actors (or a must-not-merge pair), and
**junk** when it matches no gold actor and no optional name.  **Recall**: gold actors some
predicted actor stands for; **type accuracy**: of those, the share whose most mentioned predicted
actor has an accepted type; **split rate**: extra predicted actors per found gold actor.

Texts: BASIL's licence is not stated, so its texts are not shipped: they are read from
``basil.jsonl`` (``articles=``, ``$PARALLAX_BASIL`` or ``../shared/data/basil.jsonl``).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from ..errors import BenchDataError
from ..model import Actor, Article
from ..options import DEFAULT, Options
from .metrics import read_jsonl


def norm(name: str) -> str:
    """Folded form used to compare names."""
    n = unicodedata.normalize("NFKD", name.replace("’", "'"))
    n = "".join(ch for ch in n if not unicodedata.combining(ch)).casefold().replace(".", "")
    n = " ".join(n.split())
    return n[4:] if n.startswith("the ") else n


def load_events(data: Path, articles: str | Path | None = None, split: str = "dev") -> list[tuple[dict, list[Article]]]:
    """(gold record, articles) per event of the gold file in ``split`` (dev, heldout or all)."""
    from .align import _basil_path

    data = Path(data)
    records = read_jsonl(data, required=("event", "articles", "actors"))
    if split not in ("dev", "heldout", "all"):
        raise BenchDataError(f"{data}: unknown split {split!r}; choose dev, heldout or all")
    records = [r for r in records if split == "all" or r.get("split", "dev") == split]
    basil = {r["id"]: r for r in read_jsonl(_basil_path(data, articles), required=("id", "text"))}
    out = []
    for n, rec in enumerate(records, 1):
        arts = []
        for aid in rec["articles"]:
            if aid not in basil:
                raise BenchDataError(f"{data}: line {n}: article {aid!r} not in the BASIL file")
            b = basil[aid]
            arts.append(Article(id=aid, text=b["text"], outlet=b["outlet"], title=b.get("title", "")))
        for a in rec["actors"]:
            if not isinstance(a, dict) or "name" not in a or "type" not in a:
                raise BenchDataError(f"{data}: line {n}: every actor needs a name and a type")
        out.append((rec, arts))
    return out


def score_event(gold: dict, predicted: list[Actor]) -> dict[str, Any]:
    """Counts and the failures behind them for one event (see the module doc)."""
    forms: dict[str, set[int]] = {}
    for i, g in enumerate(gold["actors"]):
        for f in [g["name"], *g.get("aliases", [])]:
            forms.setdefault(norm(f), set()).add(i)
    forms = {f: ids for f, ids in forms.items() if len(ids) == 1}  # a form two actors share decides nothing
    optional = {norm(o) for o in gold.get("optional", [])}
    index = {g["name"]: i for i, g in enumerate(gold["actors"])}
    owners: dict[int, list[Actor]] = {}
    junk, merges = [], []
    for p in predicted:
        own = forms.get(norm(p.name), set())
        matched = set(own)
        for a in p.aliases:
            matched |= forms.get(norm(a), set())
        if len(matched) > 1:
            merges.append((p.name, sorted(gold["actors"][i]["name"] for i in matched)))
        if not own and matched:
            own = {max(matched, key=lambda i: sum(norm(a) in forms and i in forms[norm(a)] for a in p.aliases))}
        if own:
            owners.setdefault(next(iter(own)), []).append(p)
        elif norm(p.name) not in optional:
            junk.append(p.name)
    violations = []
    for a, b in gold.get("must_not_merge", []):
        ia, ib = index.get(a), index.get(b)
        for p in predicted:
            got = {i for f in [p.name, *p.aliases] for i in forms.get(norm(f), set())}
            if ia in got and ib in got:
                violations.append((a, b))
    found = len(owners)
    wrong_type, splits, missing = [], [], []
    for i, g in enumerate(gold["actors"]):
        ps = owners.get(i)
        if not ps:
            missing.append(g["name"])
            continue
        ok = g["type"] if isinstance(g["type"], list) else [g["type"]]
        best = max(ps, key=lambda p: p.mentions)
        if best.type not in ok:
            wrong_type.append((g["name"], best.type))
        if len(ps) > 1:
            splits.append((g["name"], [p.name for p in ps]))
    return {"gold": len(gold["actors"]), "found": found, "predicted": len(predicted),
            "extra": sum(len(v) - 1 for v in owners.values()), "missing": missing, "wrong_type": wrong_type,
            "splits": splits, "merges": merges, "violations": violations, "junk": junk}


def predict(articles: list[Article], options: Options = DEFAULT) -> list[Actor]:
    """The actors Parallax lists for a story, as ``compare`` resolves them."""
    from ..analysis.actors import resolve_actors
    from ..pipeline import run

    parsed = run(articles, options)
    return resolve_actors([p.article for p in parsed])[0]


def run_actors(data: Path, options: Options | None = None, *, articles: str | Path | None = None,
               split: str = "dev", limit: int | None = None, details: list | None = None) -> dict[str, Any]:
    """Score actor resolution on the gold events of ``split``; ``details`` collects per-event
    failures when a list is passed (for inspection; the CLI prints only the figures)."""
    options = options or DEFAULT
    events = load_events(Path(data), articles, split)[: limit or None]
    if not events:
        raise BenchDataError(f"{data}: no events in split {split!r}")
    tot = {"gold": 0, "found": 0, "predicted": 0, "extra": 0, "typed": 0, "merges": 0, "junk": 0, "violations": 0}
    for rec, arts in events:
        s = score_event(rec, predict(arts, options))
        if details is not None:
            details.append({"event": rec["event"], **s})
        tot["gold"] += s["gold"]
        tot["found"] += s["found"]
        tot["predicted"] += s["predicted"]
        tot["extra"] += s["extra"]
        tot["typed"] += s["found"] - len(s["wrong_type"])
        tot["merges"] += len(s["merges"])
        tot["violations"] += len(s["violations"])
        tot["junk"] += len(s["junk"])
    return {
        "events": len(events),
        "gold_actors": tot["gold"],
        "predicted_actors": tot["predicted"],
        "recall": round(tot["found"] / tot["gold"], 4) if tot["gold"] else 0.0,
        "type_accuracy": round(tot["typed"] / tot["found"], 4) if tot["found"] else 0.0,
        "split_rate": round(tot["extra"] / tot["found"], 4) if tot["found"] else 0.0,
        "false_merges": tot["merges"],
        "must_not_merge_violations": tot["violations"],
        "junk_rate": round(tot["junk"] / tot["predicted"], 4) if tot["predicted"] else 0.0,
    }


__all__ = ["load_events", "norm", "predict", "run_actors", "score_event"]
