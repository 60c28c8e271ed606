"""One self-contained HTML report (no CDN, no external files): outlets side by side.

The page runs no script (its Content-Security-Policy says ``script-src 'none'``): the actor graph
is a static SVG laid out in Python (:mod:`.actor_graph`), the same picture as the web page's.

Jinja2 autoescaping is on for the whole template; the only pre-built markup is the highlighted
sentence, assembled here from escaped pieces of article text (:func:`highlight`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..model import Claim, Comparison, SentenceRef
from .actor_graph import actor_graph
from .heatmap import fact_heatmap

_env = Environment(loader=PackageLoader("parallax", "report/templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))
# the actor graph: the same static SVG as the web page (no script; the report's CSP allows none)
_env.globals["actor_graph"] = lambda actors, relations: actor_graph(actors, relations, links=False)
# the facts x outlets heat-map, numbered as the claim grid
_env.globals["heatmap"] = lambda c: fact_heatmap(numbered(c), [a.label for a in c.articles])


def highlight(text: str, offset: int, spans) -> Markup:
    """Escape ``text`` and wrap the given article-offset spans in <mark>."""
    cuts = sorted((s.start - offset, s.end - offset) for s in spans
                  if 0 <= s.start - offset < s.end - offset <= len(text))
    out, pos = [], 0
    for a, b in cuts:
        if a < pos:
            continue
        out.append(escape(text[pos:a]))
        out.append(Markup("<mark>") + escape(text[a:b]) + Markup("</mark>"))
        pos = b
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def numbered(c: Comparison) -> list[tuple[int, Claim]]:
    """``(number, fact)`` for every grid fact: the one numbering the grid, the heat-map, the
    side-by-side view, the terminal and the JSON share (``Claim.number``, else its position)."""
    return [(f.number or k, f) for k, f in enumerate(c.facts, 1)]


def _differences(fact: Claim, outlet: str) -> list[dict]:
    """The slots on which ``outlet``'s wording of ``fact`` disagrees with another outlet's, each
    with both details and both full wordings (this outlet's first)."""
    out = []
    for x in fact.conflicts:
        if outlet not in (x.outlet_a, x.outlet_b):
            continue
        mine = x.outlet_a == outlet
        out.append({"slot": x.kind, "severity": x.severity,
                    "other": x.outlet_b if mine else x.outlet_a,
                    "mine": x.detail_a if mine else x.detail_b, "theirs": x.detail_b if mine else x.detail_a,
                    "text_mine": x.text_a if mine else x.text_b, "text_theirs": x.text_b if mine else x.text_a})
    return out


def grid_rows(c: Comparison) -> dict:
    """The claim grid as the pages show it: ``main`` rows (core and shared facts, in grid
    order), ``folds`` (per outlet, its single-outlet facts, folded) and ``commentary`` rows.
    A row is ``{"number", "fact", "cells"}``; a cell names its outlet, status, wording and, when
    reported differently, the slots that differ with both wordings."""
    outlets = [a.label for a in c.articles]
    main, commentary = [], []
    folds: dict[str, list] = {o: [] for o in outlets}
    for number, fact in numbered(c):
        by_outlet: dict[str, SentenceRef] = {}
        for m in sorted(fact.members, key=lambda m: m.sentence):
            by_outlet.setdefault(m.outlet, m)
        cells = [{"outlet": o, "ref": by_outlet.get(o),
                  "differs": _differences(fact, o) if o in by_outlet else []} for o in outlets]
        row = {"number": number, "fact": fact, "cells": cells}
        if fact.kind == "commentary":
            commentary.append(row)
        elif fact.kind == "single" or len(by_outlet) < 2:
            folds.setdefault(fact.members[0].outlet, []).append(row)
        else:
            main.append(row)
    return {"main": main, "folds": [(o, rows) for o, rows in folds.items() if rows], "commentary": commentary}


def _columns(c: Comparison) -> list[dict]:
    fact_of: dict[tuple[str, int], int] = {}
    for k, claim in numbered(c):
        if len({m.outlet for m in claim.members}) < 2:
            continue  # the side-by-side view links shared facts only
        for m in claim.members:
            fact_of.setdefault((m.article_id, m.sentence), k)
    cols = []
    for a in c.articles:
        flags = {f.sentence: f for f in a.flags}
        quoted = defaultdict(list)
        for q in a.quotes:  # a quote may span several sentences: tag each one it covers
            for s in a.sentences:
                if s.start < q.content.end and q.content.start < s.end:
                    quoted[s.index].append(q)
        sents = []
        for s in a.sentences:
            f = flags.get(s.index)
            status = "caption" if s.kind == "caption" else ("shared" if (a.id, s.index) in fact_of else "unique")
            sents.append({
                "html": highlight(s.text, s.start, f.words if f else []),
                "status": status, "fact": fact_of.get((a.id, s.index)),
                "flag": f, "paragraph": s.paragraph,
                "speakers": sorted({q.speaker for q in quoted.get(s.index, [])}),
            })
        cols.append({"article": a, "sentences": sents})
    return cols


def render_html(c: Comparison) -> str:
    template = _env.get_template("report.html.j2")
    outlet_of = {a.id: a.label for a in c.articles}
    return template.render(c=c, columns=_columns(c), outlet_of=outlet_of, grid=grid_rows(c),
                           everyone=[cl for cl in c.shared if cl.support >= 1.0],
                           some=[cl for cl in c.shared if cl.support < 1.0])


def write_html(c: Comparison, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_html(c), encoding="utf-8")
    return path
