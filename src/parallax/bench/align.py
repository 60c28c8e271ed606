"""Benchmark ``align``: claim alignment against hand-made gold fact groups.

What: reads a JSONL file of stories (``data/align_gold.jsonl``): each has ``articles`` and
``groups``, a group being the spans (article id + character offsets) that report one fact.
Parallax aligns the story's articles (texts only) and the predicted fact groups are scored
pairwise: every two members of a group from different articles form a pair; a predicted pair is
correct when its two claims overlap two spans of one gold group (precision); a gold group and two
of its articles form a link, found when some predicted pair joins them (recall).  Reports precision, recall and
F1, the same for a lexical baseline (``baseline_*``: word overlap instead of embeddings), and the
alignment time of a 50-article story (``seconds_50_articles``).

Texts: gold spans of the reference articles point into ``examples/*.txt`` (read with the normal
reader); BASIL spans point into ``basil.jsonl`` (licence not stated, so not shipped), found with
``articles=`` or ``$PARALLAX_BASIL`` or at ``../shared/data/basil.jsonl`` beside the repository.
Each BASIL span carries the sha1 prefix of its text to check the copy is the annotated one.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from typing import Any

from ..analysis.align import align, features
from ..errors import BenchDataError
from ..model import Article
from ..nlp.embed import load_encoder
from ..nlp.pipeline import load_spacy, parse_many
from ..options import DEFAULT, Options
from .metrics import read_jsonl

# a predicted claim stands for a gold span when it covers at least this share of the span or
# the span covers this share of the claim
MIN_OVERLAP = 0.5


def _basil_path(data: Path, articles: str | Path | None) -> Path:
    cands = [Path(articles)] if articles else []
    if os.environ.get("PARALLAX_BASIL"):
        cands.append(Path(os.environ["PARALLAX_BASIL"]))
    root = data.resolve().parent.parent
    cands += [root.parent / "shared" / "data" / "basil.jsonl", Path.cwd().parent / "shared" / "data" / "basil.jsonl"]
    for c in cands:
        if c.is_file():
            return c
    raise BenchDataError(f"{data}: BASIL texts not found (pass articles= or set PARALLAX_BASIL); tried "
                         + ", ".join(map(str, cands)))


def _check_span(data: Path, n: int, arts: dict[str, Article], s: dict) -> tuple:
    art = arts.get(s.get("article"))
    if art is None:
        raise BenchDataError(f"{data}:{n}: span of unknown article {s.get('article')}")
    piece = art.text[s["start"]:s["end"]]
    ok = piece == s["text"] if "text" in s else hashlib.sha1(piece.encode()).hexdigest()[:10] == s.get("sha1")
    if not ok:
        raise BenchDataError(f"{data}:{n}: span {s['start']}-{s['end']} of {s['article']} does not match "
                             "its text (different copy of the article?)")
    return (s["article"], s["start"], s["end"])


def _articles(data: Path, n: int, rec: dict, basil: dict[str, dict]) -> dict[str, Article]:
    root = data.resolve().parent.parent
    arts: dict[str, Article] = {}
    for a in rec["articles"]:
        if rec.get("source") == "basil":
            b = basil.get(a["id"])
            if b is None:
                raise BenchDataError(f"{data}:{n}: BASIL article {a['id']} not in the texts file")
            arts[a["id"]] = Article(id=a["id"], text=b["text"], outlet=b["outlet"], title=b.get("title", ""),
                                    published=b.get("date", ""))
        else:
            from ..compare import load

            got, failed = load([root / a["id"]])
            if failed or not got:
                raise BenchDataError(f"{data}:{n}: cannot read {a['id']}")
            arts[a["id"]] = replace(got[0], id=a["id"])
    return arts


def load_gold(data: Path, articles: str | Path | None = None, key: str = "groups") -> list[dict[str, Any]]:
    """Stories of a gold file with their texts: ``story``, ``part`` (``dev`` / ``heldout``; ``dev``
    when unstated), ``articles`` and ``key``'s items with every span checked against its text.

    ``key="groups"``: lists of spans (article id, start, end); ``key="conflicts"``: dicts of
    ``slot`` and the two spans ``a`` and ``b``."""
    data = Path(data)
    records = read_jsonl(data, required=("articles", key))
    basil: dict[str, dict] = {}
    if any(r.get("source") == "basil" for r in records):
        for r in read_jsonl(_basil_path(data, articles), required=("id", "text")):
            basil[r["id"]] = r
    out = []
    for n, rec in enumerate(records, 1):
        arts = _articles(data, n, rec, basil)
        if key == "groups":
            items: list = [[_check_span(data, n, arts, s) for s in g["spans"]] for g in rec["groups"]]
        else:
            items = [{"slot": c["slot"], "also": list(c.get("also", ())), "a": _check_span(data, n, arts, c["a"]),
                      "b": _check_span(data, n, arts, c["b"])} for c in rec["conflicts"]]
        out.append({"story": rec.get("story", str(n)), "part": rec.get("part", "dev"),
                    "articles": list(arts.values()), key: items})
    return out


def load_stories(data: Path, articles: str | Path | None = None,
                 part: str | None = None) -> list[tuple[list[Article], list[list[tuple]]]]:
    """(articles, gold groups as lists of (article id, start, end)) per story, texts checked;
    ``part`` keeps the stories of one part (``dev`` or ``heldout``)."""
    return [(s["articles"], s["groups"]) for s in load_gold(data, articles) if part in (None, s["part"])]


def _covers(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and (inter >= MIN_OVERLAP * (b[1] - b[0]) or inter >= MIN_OVERLAP * (a[1] - a[0]))


def score_story(predicted: list[list[tuple]], gold: list[list[tuple]]) -> tuple[int, int, int, int]:
    """(correct predicted pairs, predicted pairs, found gold links, gold links).

    A predicted pair (two claims of different articles in one group) is correct when the two
    claims stand for two spans of one gold group.  A gold link is a gold group and two of its
    articles: when an outlet spreads a fact over two sentences, matching either one finds it.
    """
    links = {(k, a, b) for k, g in enumerate(gold) for a, b in combinations(sorted({s[0] for s in g}), 2)}

    def groups_of(m: tuple) -> set[int]:
        return {k for k, g in enumerate(gold) for u in g if u[0] == m[0] and _covers((m[1], m[2]), (u[1], u[2]))}

    correct = total = 0
    found: set = set()
    for group in predicted:
        for x, y in combinations(group, 2):
            if x[0] == y[0]:
                continue
            total += 1
            common = groups_of(x) & groups_of(y)
            if common:
                correct += 1
                a, b = sorted((x[0], y[0]))
                found |= {(k, a, b) for k in common}
    return correct, total, len(found & links), len(links)


def _prf(c: int, t: int, f: int, g: int) -> dict[str, float]:
    p = c / t if t else 0.0
    r = f / g if g else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def time_story(articles: list[Article], options: Options, n: int = 50) -> float:
    """Seconds to align one story of ``n`` distinct articles: claims, embeddings (from an empty
    cache) and grouping; parsing excluded (it is shared with every other stage)."""
    arts = articles[:n]
    parsed = parse_many(arts)
    from ..nlp import embed as _embed

    _embed._cache.clear()
    start = time.perf_counter()
    align(parsed, options)
    return time.perf_counter() - start


def _conflict_stories(data: Path, articles: str | Path | None) -> list[dict[str, Any]]:
    """Stories of ``conflict_gold.jsonl`` beside the align gold (none: []), texts checked."""
    path = Path(data).with_name("conflict_gold.jsonl")
    return load_gold(path, articles, key="conflicts") if path.is_file() else []


def score_conflicts(predicted: list[tuple], gold: list[dict]) -> tuple[int, int, int, int]:
    """(correct predicted, predicted, found gold, gold) for conflicts given as (slot, span a, span
    b): a predicted conflict is correct when a gold conflict of the same slot has its two spans
    covered by the predicted two claims (either order)."""
    def hits(p: tuple, g: dict) -> bool:
        slot, x, y = p
        if slot != g["slot"] and slot not in g.get("also", ()):
            return False
        def cov(m: tuple, u: tuple) -> bool:
            return m[0] == u[0] and _covers((m[1], m[2]), (u[1], u[2]))
        return (cov(x, g["a"]) and cov(y, g["b"])) or (cov(x, g["b"]) and cov(y, g["a"]))

    correct = sum(1 for p in predicted if any(hits(p, g) for g in gold))
    found = sum(1 for g in gold if any(hits(p, g) for p in predicted))
    return correct, len(predicted), found, len(gold)


def predicted_conflicts(parsed: list, claims: list, feats=None, options: Options = DEFAULT) -> list[tuple]:
    """Contradictions the claim grid reports, as (slot, span a, span b), each pair once; ``feats``
    (the story's claim features, as ``compare`` passes them) lets the grid ask the pair model."""
    from ..compare import claim_grid

    _, conflicts, _ = claim_grid(parsed, claims, options, feats)
    by_text = {}
    for c in claims:
        for m in c.members:
            by_text[(m.outlet, m.text)] = (m.article_id, m.start, m.end)
    out = []
    for x in conflicts:
        if x.severity != "contradiction":
            continue
        a, b = by_text.get((x.outlet_a, x.text_a)), by_text.get((x.outlet_b, x.text_b))
        if a and b and (x.kind, a, b) not in out:
            out.append((x.kind, a, b))
    return out


PARTS = ("dev", "heldout")
# parts of the conflict gold only (whole events read for conflicts, no fact groups): scored for
# conflicts alone
CONFLICT_PARTS = ("dev2", "heldout2")


def run_align(data: Path, options: Options | None = None, *, articles: str | Path | None = None,
              limit: int | None = None, baseline: bool = True, timing: bool = True, split: str | None = None,
              **_: Any) -> dict[str, Any]:
    """Pairwise precision/recall/F1 of ``align`` (and of the lexical baseline) on ``data``, per
    part (``dev``: stories the method was developed on; ``heldout``: scored only at the end), and
    the precision/recall of the grid's contradictions against ``conflict_gold.jsonl`` beside it.
    ``split`` (``dev``, ``heldout``, ``dev2``, ``heldout2``, ``all``) limits the run to one part;
    ``dev2`` / ``heldout2`` are stories of the conflict gold alone, aligned and scored for
    conflicts only."""
    options = options or DEFAULT
    if split not in (None, "all", *PARTS, *CONFLICT_PARTS):
        raise BenchDataError(f"{data}: unknown split {split!r} for align; choose dev, heldout, dev2, heldout2 or all")
    wanted = (*PARTS, *CONFLICT_PARTS) if split in (None, "all") else (split,)
    parts = tuple(p for p in PARTS if p in wanted)
    stories = [s for s in load_gold(Path(data), articles) if s["part"] in parts]
    if limit is not None:
        stories = stories[: int(limit)]
    conflict_stories = _conflict_stories(Path(data), articles)
    conflict_gold = {s["story"]: s["conflicts"] for s in conflict_stories}
    known = {s["story"] for s in stories}
    extra = [s for s in conflict_stories if s["part"] in CONFLICT_PARTS and s["part"] in wanted and s["story"] not in known]
    load_spacy()
    load_encoder()
    counts = {(p, k): [0, 0, 0, 0] for p in parts for k in ("sys", "base", "conf")}
    counts.update({(p, "conf"): [0, 0, 0, 0] for p in CONFLICT_PARTS if p in wanted})
    start = time.perf_counter()
    for story in extra:
        parsed = parse_many(story["articles"])
        feats = features(parsed)
        claims = align(parsed, options, feats)
        got = score_conflicts(predicted_conflicts(parsed, claims, feats, options), story["conflicts"])
        for k, v in enumerate(got):
            counts[(story["part"], "conf")][k] += v
    for story in stories:
        arts, gold, part = story["articles"], story["groups"], story["part"]
        parsed = parse_many(arts)
        for kind, lexical in (("sys", False), ("base", True)):
            if lexical and not baseline:
                continue
            feats = features(parsed, lexical=lexical)
            claims = align(parsed, options, feats, lexical=lexical)
            pred = [[(m.article_id, m.start, m.end) for m in c.members] for c in claims if len(c.members) > 1]
            for k, v in enumerate(score_story(pred, gold)):
                counts[(part, kind)][k] += v
            if not lexical and story["story"] in conflict_gold:
                got = score_conflicts(predicted_conflicts(parsed, claims, feats, options), conflict_gold[story["story"]])
                for k, v in enumerate(got):
                    counts[(part, "conf")][k] += v
    seconds = time.perf_counter() - start
    result: dict[str, Any] = {}
    for p in parts:
        mine = [s for s in stories if s["part"] == p]
        result.update({f"{p}_{k}": v for k, v in _prf(*counts[(p, "sys")]).items()})
        if baseline:
            result.update({f"{p}_baseline_{k}": v for k, v in _prf(*counts[(p, "base")]).items()})
        c = counts[(p, "conf")]
        result.update({f"{p}_stories": len(mine), f"{p}_gold_groups": sum(len(s["groups"]) for s in mine),
                       f"{p}_gold_links": counts[(p, "sys")][3], f"{p}_predicted_pairs": counts[(p, "sys")][1],
                       f"{p}_conflict_precision": round(c[0] / c[1], 4) if c[1] else 0.0,
                       f"{p}_conflict_recall": round(c[2] / c[3], 4) if c[3] else 0.0,
                       f"{p}_conflicts_predicted": c[1], f"{p}_conflicts_gold": c[3]})
    for p in CONFLICT_PARTS:
        if (p, "conf") in counts:
            c = counts[(p, "conf")]
            result.update({f"{p}_stories": sum(1 for s in extra if s["part"] == p),
                           f"{p}_conflict_precision": round(c[0] / c[1], 4) if c[1] else 0.0,
                           f"{p}_conflict_recall": round(c[2] / c[3], 4) if c[3] else 0.0,
                           f"{p}_conflicts_predicted": c[1], f"{p}_conflicts_gold": c[3]})
    result["seconds"] = round(seconds, 2)
    if timing and parts:
        # 50 distinct news articles (BASIL, 17 events) aligned as one story: the worst case, as
        # few claims match and every article pair is compared
        try:
            src = _basil_path(Path(data), articles)
            pool = [Article(id=r["id"], text=r["text"], outlet=f"{r['outlet']}-{k}", title=r.get("title", ""))
                    for k, r in enumerate(read_jsonl(src, required=("id", "text"))[:50])]
        except BenchDataError:
            pool = [a for s in stories for a in s["articles"]]
            pool = [Article(id=f"{a.id}#{k}", text=a.text + f" ({k})", outlet=f"{a.outlet}-{k}") for k, a in
                    enumerate(pool * (50 // max(1, len(pool)) + 1))]
        result["timing_articles"] = min(50, len(pool))
        result["seconds_50_articles"] = round(time_story(pool, options, 50), 2)
    return result
