"""The actor network: who backs, fights, meets, calls on, accuses or commands whom, and who says so.

What: relations (already in canonical actor names) become a networkx ``MultiDiGraph`` with one edge
per (subject, predicate, object, negated) and, on it, every outlet asserting it, the evidence
sentences (outlet, date, article, sentence), whether it was hedged, and ``single_outlet`` when
only one outlet asserts it.  Nodes carry the actor's type, role, mention count and outlets.
``graph_json`` is a plain dict (nodes, edges) for JSON output, the HTML report and the web app;
``write_graph`` exports GraphML or JSON.
Why: one structure for a story and for the whole database, so "edges only one outlet asserts" and
"which outlets assert X backs Y" are the same query everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from ..model import Actor, Article, Relation
from .relations import SYMMETRIC

FORMATS = ("graphml", "json")


def relations_of(articles: Iterable[Article], mapping: dict[str, str] | None = None) -> list[Relation]:
    """The articles' relations with canonical names (``mapping``), outlet and date filled in."""
    from dataclasses import replace

    mapping = mapping or {}
    out = []
    for a in articles:
        for r in a.relations:
            out.append(replace(r, subject=mapping.get(r.subject, r.subject), object=mapping.get(r.object, r.object),
                               outlet=r.outlet or a.label, date=r.date or a.published,
                               article_id=r.article_id or a.id))
    return out


def _fold(name: str) -> tuple[str, ...]:
    """Words of a name without accents, case or a leading article ("Peña" = "Pena")."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = plain.replace("’", "'").casefold().split()
    return tuple(words[1:] if words[:1] == ["the"] else words)


def _contains(long_: tuple[str, ...], short: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long_[i:i + n] == short for i in range(len(long_) - n + 1))


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """One name per actor across outlets: spellings that differ only in accents or case, a name
    cut short ("Enrique Pena" / "Peña Nieto" for "Enrique Peña Nieto"), or a bare surname, map to
    the longest full name they belong to -- only when that name is the only one they fit."""
    from .actors import same_person

    names = sorted(set(names), key=lambda n: (-len(_fold(n)), n))
    folded = {n: _fold(n) for n in names}
    out: dict[str, str] = {}
    for n in names:
        f = folded[n]
        if not f:
            continue
        fits = [m for m in names if m != n and len(folded[m]) > len(f) and (
            _contains(folded[m], f) or (len(f) >= 2 and folded[m][:len(f) - 1] == f[:-1]
                                         and folded[m][len(f) - 1].startswith(f[-1]))
            or same_person(m, n))]
        fits = [m for m in fits if m not in out]  # the full names, not other short forms
        same = [m for m in names if m != n and m not in out and (
            folded[m] == f or (len(f) == 1 and folded[m] == (f[0].rstrip("s"), "party")))]  # "Republicans"
        if same:
            out[n] = same[0]
        elif len(fits) == 1 and (len(f) >= 2 or folded[fits[0]][-1] == f[0]):
            out[n] = fits[0]
    return out


def build_graph(relations: Sequence[Relation], actors: Sequence[Actor] = ()) -> nx.MultiDiGraph:
    """A multigraph of actors: one edge per (subject, predicate, object, negated) with its outlets."""
    g = nx.MultiDiGraph()
    for a in actors:
        g.add_node(a.name, type=a.type, role=a.role, mentions=a.mentions, outlets=sorted(a.by_outlet))
    edges: dict[tuple, dict[str, Any]] = {}
    for r in relations:
        s, o = r.subject, r.object
        if r.predicate in SYMMETRIC and o < s:  # "A meets B" and "B meets A" are one edge
            s, o = o, s
        key = (s, r.predicate, o, r.negated)
        e = edges.setdefault(key, {"predicate": r.predicate, "polarity": r.polarity, "negated": r.negated,
                                   "outlets": set(), "evidence": [], "hedged_in": set(), "dates": set()})
        e["outlets"].add(r.outlet)
        if r.hedged:
            e["hedged_in"].add(r.outlet)
        if r.date:
            e["dates"].add(r.date)
        e["evidence"].append({"outlet": r.outlet, "date": r.date, "article_id": r.article_id,
                              "sentence": r.sentence, "text": r.evidence, "hedged": r.hedged})
    for (s, pred, o, neg), e in edges.items():
        for n in (s, o):
            if n not in g:
                g.add_node(n, type="", role="", mentions=0, outlets=[])
        outlets = sorted(x for x in e["outlets"] if x)
        g.add_edge(s, o, key=f"{pred}{'-not' if neg else ''}", predicate=pred, polarity=e["polarity"], negated=neg,
                   symmetric=pred in SYMMETRIC, outlets=outlets, single_outlet=len(outlets) == 1,
                   hedged=bool(e["hedged_in"]) and e["hedged_in"] >= e["outlets"],
                   first_date=min(e["dates"]) if e["dates"] else "", evidence=e["evidence"])
    return g


def graph_json(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Plain nodes and edges (JSON-serialisable), nodes by degree, edges by number of outlets."""
    nodes = [{"id": n, **{k: v for k, v in d.items()}, "degree": g.degree(n)} for n, d in g.nodes(data=True)]
    nodes.sort(key=lambda d: (-d["degree"], d["id"]))
    edges = [{"source": s, "target": t, **d} for s, t, d in g.edges(data=True)]
    edges.sort(key=lambda e: (-len(e["outlets"]), e["source"], e["predicate"], e["target"]))
    return {"nodes": nodes, "edges": edges}


def single_outlet_edges(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Edges only one outlet asserts."""
    return [e for e in graph_json(g)["edges"] if e["single_outlet"]]


def _graphml_safe(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML takes scalars only: lists become "; "-joined strings, evidence its first sentence."""
    h = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        h.add_node(n, **{k: ("; ".join(v) if isinstance(v, list) else v) for k, v in d.items()})
    for s, t, k, d in g.edges(keys=True, data=True):
        flat = {}
        for key, v in d.items():
            if key == "evidence":
                flat["evidence"] = " | ".join(f"[{e['outlet']}] {e['text']}" for e in v)
            elif isinstance(v, list):
                flat[key] = "; ".join(map(str, v))
            else:
                flat[key] = v
        h.add_edge(s, t, key=k, **flat)
    return h


def write_graph(g: nx.MultiDiGraph, fmt: str, out: str | Path) -> Path:
    """Export as ``graphml`` or ``json`` (the ``graph_json`` dict)."""
    out = Path(out)
    if fmt == "graphml":
        nx.write_graphml(_graphml_safe(g), out)
    elif fmt == "json":
        out.write_text(json.dumps(graph_json(g), ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        raise ValueError(f"unknown graph format {fmt!r}; choose {', '.join(FORMATS)}")
    return out


def graph_of_articles(articles: Sequence[Article], top: int = 0) -> tuple[nx.MultiDiGraph, list[Actor], list[Relation]]:
    """Actors merged across ``articles`` (a story or a whole database) and their network."""
    from dataclasses import replace

    from .actors import merge_actors
    from .names import find_acronyms

    acronyms: dict[str, str] = {}
    for a in articles:
        for k, v in find_acronyms(a.text).items():
            acronyms.setdefault(k, v)
    actors, mapping = merge_actors([(a.label, a.mentions) for a in articles], acronyms, top or None)
    rels = relations_of(articles, mapping)
    # edges are keyed by canonical actor, so one relation told by three outlets is one edge with three
    same = canonical_names([r.subject for r in rels] + [r.object for r in rels])
    if same:
        rels = [replace(r, subject=same.get(r.subject, r.subject), object=same.get(r.object, r.object)) for r in rels]
    return build_graph(rels, actors), actors, rels
