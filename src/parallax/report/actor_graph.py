"""The actor graph as one static SVG for the web page and the HTML report (no script, no CDN).

What: :func:`layout` places the most-mentioned actors that take part in a relation with a
force-directed layout (Fruchterman-Reingold, computed here in Python from a fixed seed, so the
same comparison always draws the same picture), then places every label beside its node where it
overlaps no other label and no node (candidate positions around the node, then further out on a
spiral, with a leader line when a label had to move away).  :func:`render` draws it: one edge per
(subject, object) pair, coloured by polarity (green supportive, red hostile, grey neutral),
dashed when hedged or negated, thicker when more outlets assert it, with the relation types and
the outlets in the edge's ``<title>`` tooltip.  Actors with no drawn relation are not nodes; they
are returned in ``isolated`` for the page to list.

Why in Python: the label boxes are known here, so "no two labels overlap" is checked by a unit
test, and the page needs no script (the HTML report's CSP allows none).  Every string reaching
the markup is escaped.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from markupsafe import Markup, escape

from ..model import Actor, Relation

FONT_PX = 11
CHAR_PX = 6.6  # a generous average advance of an 11 px system-ui glyph (label boxes err large)
LABEL_H = 14
MAX_LABEL = 28  # characters; longer names are shortened, the full name is the node's tooltip
POLARITY = {1: ("#2e9d48", "supportive"), -1: ("#c0392b", "hostile"), 0: ("#8a8a8a", "neutral")}


@dataclass
class Node:
    name: str
    type: str
    mentions: int
    x: float = 0.0
    y: float = 0.0
    r: float = 6.0
    label: str = ""
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # label x, y, width, height


@dataclass
class Edge:
    source: str
    target: str
    predicates: list[str]
    polarity: int
    outlets: list[str]
    dashed: bool


@dataclass
class Layout:
    nodes: list[Node]
    edges: list[Edge]
    isolated: list[str] = field(default_factory=list)  # top actors with no drawn relation
    width: float = 0.0
    height: float = 0.0


def _edges(relations: Sequence[Relation]) -> list[Edge]:
    """One edge per ordered (subject, object) pair: its relation types, net polarity, outlets."""
    merged: dict[tuple[str, str], dict] = {}
    for r in relations:
        if not r.subject or not r.object or r.subject == r.object:
            continue
        e = merged.setdefault((r.subject, r.object), {"preds": [], "pol": 0, "outlets": set(), "dashed": True})
        pred = ("not " if r.negated else "") + r.predicate.replace("_", " ")
        if pred not in e["preds"]:
            e["preds"].append(pred)
        e["pol"] += 0 if r.negated else r.polarity
        e["outlets"].add(r.outlet or "?")
        e["dashed"] = e["dashed"] and (r.hedged or r.negated)
    return [Edge(s, o, e["preds"], (e["pol"] > 0) - (e["pol"] < 0), sorted(e["outlets"]), e["dashed"])
            for (s, o), e in merged.items()]


def _force(nodes: list[Node], edges: list[Edge], size: float, seed: int, rounds: int = 300) -> None:
    """Fruchterman-Reingold with a pull to the centre (keeps separate components in view)."""
    rnd = random.Random(seed)
    n = len(nodes)
    k = size / math.sqrt(max(n, 1)) * 0.9
    for i, v in enumerate(nodes):  # start on a circle, slightly jittered: deterministic
        a = 2 * math.pi * i / max(n, 1)
        v.x, v.y = size / 3 * math.cos(a) + rnd.uniform(-1, 1), size / 3 * math.sin(a) + rnd.uniform(-1, 1)
    index = {v.name: i for i, v in enumerate(nodes)}
    pairs = [(index[e.source], index[e.target]) for e in edges if e.source in index and e.target in index]
    temp = size / 8
    for _ in range(rounds):
        dx = [0.0] * n
        dy = [0.0] * n
        for i in range(n):
            for j in range(i + 1, n):
                ex, ey = nodes[i].x - nodes[j].x, nodes[i].y - nodes[j].y
                d = math.hypot(ex, ey) or 0.01
                f = k * k / d
                dx[i] += ex / d * f
                dy[i] += ey / d * f
                dx[j] -= ex / d * f
                dy[j] -= ey / d * f
        for i, j in pairs:
            ex, ey = nodes[i].x - nodes[j].x, nodes[i].y - nodes[j].y
            d = math.hypot(ex, ey) or 0.01
            f = d * d / k
            dx[i] -= ex / d * f
            dy[i] -= ey / d * f
            dx[j] += ex / d * f
            dy[j] += ey / d * f
        for i, v in enumerate(nodes):
            dx[i] -= v.x * 0.05 * k / 10
            dy[i] -= v.y * 0.05 * k / 10
            d = math.hypot(dx[i], dy[i]) or 0.01
            step = min(d, temp)
            v.x += dx[i] / d * step
            v.y += dy[i] / d * step
        temp = max(temp * 0.98, 0.5)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float], pad: float = 1.0) -> bool:
    return a[0] < b[0] + b[2] + pad and b[0] < a[0] + a[2] + pad and a[1] < b[1] + b[3] + pad and b[1] < a[1] + a[3] + pad


def boxes_overlap(boxes: Sequence[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    """Index pairs of overlapping boxes ``(x, y, w, h)`` (what the tests assert is empty)."""
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if _overlap(boxes[i], boxes[j], 0)]


def _place_labels(nodes: list[Node]) -> None:
    """Each label beside its node, most mentioned first, where it hits no placed label and no
    node; candidates right, left, above, below, then outwards on a spiral."""
    discs = [(v.x - v.r, v.y - v.r, 2 * v.r, 2 * v.r) for v in nodes]
    placed: list[tuple[float, float, float, float]] = []
    for v in sorted(nodes, key=lambda v: -v.mentions):
        w, h = len(v.label) * CHAR_PX + 4, LABEL_H
        cands = [(v.x + v.r + 3, v.y - h / 2), (v.x - v.r - 3 - w, v.y - h / 2),
                 (v.x - w / 2, v.y - v.r - 2 - h), (v.x - w / 2, v.y + v.r + 2)]
        for step in range(1, 400):
            ang = step * 0.7
            rad = v.r + 6 + 2.5 * step
            cands.append((v.x + rad * math.cos(ang) - (0 if math.cos(ang) >= 0 else w), v.y + rad * math.sin(ang) - h / 2))
        for x, y in cands:
            box = (x, y, w, h)
            if not any(_overlap(box, b) for b in placed) and not any(_overlap(box, d) for d in discs):
                break
        v.box = box
        placed.append(box)


def layout(actors: Sequence[Actor], relations: Sequence[Relation], limit: int = 16, seed: int = 7,
           size: float = 520) -> Layout:
    """Nodes for the ``limit`` most-mentioned actors that share a relation with another drawn
    actor (relation ends that are not resolved actors count with their relation count)."""
    edges = _edges(relations)
    info = {a.name: a for a in actors}
    degree: dict[str, int] = {}
    for e in edges:
        for n in (e.source, e.target):
            degree[n] = degree.get(n, 0) + 1
    rank = sorted(degree, key=lambda n: (-(info[n].mentions if n in info else 0), -degree[n], n))
    chosen = set(rank[:limit])
    # keep only the edges between chosen nodes, then drop chosen nodes left without an edge
    edges = [e for e in edges if e.source in chosen and e.target in chosen]
    linked = {n for e in edges for n in (e.source, e.target)}
    most = max([info[n].mentions for n in linked if n in info] + [1])
    nodes = []
    for n in [n for n in rank if n in linked]:
        a = info.get(n)
        m = a.mentions if a else 0
        label = n if len(n) <= MAX_LABEL else n[:MAX_LABEL - 1] + "…"
        nodes.append(Node(n, a.type if a else "other", m, r=5 + 8 * math.sqrt(max(m, 0) / most), label=label))
    isolated = [a.name for a in sorted(actors, key=lambda a: -a.mentions) if a.name not in linked][:12]
    if not nodes:
        return Layout([], [], isolated)
    _force(nodes, edges, size, seed)
    # fit the node centres into a size x 0.7 size box (labels keep their pixel size, so the
    # picture is not shrunk to an unreadable font), then spread to a minimum distance between
    # centres so labels have room
    if len(nodes) > 1:
        x0, y0 = min(v.x for v in nodes), min(v.y for v in nodes)
        span = max(max(v.x for v in nodes) - x0, 1e-6), max(max(v.y for v in nodes) - y0, 1e-6)
        fit = min(size / span[0], 0.7 * size / span[1])
        for v in nodes:
            v.x, v.y = (v.x - x0) * fit, (v.y - y0) * fit
        dmin = min(math.hypot(a.x - b.x, a.y - b.y) for i, a in enumerate(nodes) for b in nodes[i + 1:])
        scale = min(max(1.0, 34 / max(dmin, 1e-6)), 2.0)
        for v in nodes:
            v.x *= scale
            v.y *= scale
    _place_labels(nodes)
    xs = [v.x - v.r for v in nodes] + [v.box[0] for v in nodes]
    ys = [v.y - v.r for v in nodes] + [v.box[1] for v in nodes]
    x2 = [v.x + v.r for v in nodes] + [v.box[0] + v.box[2] for v in nodes]
    y2 = [v.y + v.r for v in nodes] + [v.box[1] + v.box[3] for v in nodes]
    pad = 10
    ox, oy = min(xs) - pad, min(ys) - pad
    for v in nodes:
        v.x, v.y = v.x - ox, v.y - oy
        v.box = (v.box[0] - ox, v.box[1] - oy, v.box[2], v.box[3])
    return Layout(nodes, edges, isolated, max(x2) - ox + pad, max(y2) - oy + pad)


def _href(name: str) -> str:
    return "/actors/" + quote(name, safe="")


def render(lay: Layout, links: bool = True) -> Markup:
    """The SVG of a :func:`layout`; ``links`` makes each actor link to its web page."""
    if not lay.nodes:
        return Markup('<p class="dim">No relation between the actors was found.</p>')
    pos = {v.name: v for v in lay.nodes}
    pairs = {(e.source, e.target) for e in lay.edges}
    body = []
    for e in lay.edges:
        a, b = pos[e.source], pos[e.target]
        color, tone = POLARITY.get(e.polarity, POLARITY[0])
        width = min(1 + len(e.outlets), 5)
        dash = ' stroke-dasharray="5 4"' if e.dashed else ""
        tip = (f"{e.source} → {', '.join(e.predicates)} → {e.target} ({tone}"
               f"{', hedged or negated' if e.dashed else ''}) · outlets: {', '.join(e.outlets)}")
        # a pair related both ways is drawn as two gentle arcs
        bend = 0.18 if (e.target, e.source) in pairs else 0.0
        mx, my = (a.x + b.x) / 2 - bend * (b.y - a.y), (a.y + b.y) / 2 + bend * (b.x - a.x)
        d = math.hypot(b.x - mx, b.y - my) or 1.0  # stop at the target's rim so the arrow shows
        ex, ey = b.x - (b.x - mx) / d * (b.r + 2), b.y - (b.y - my) / d * (b.r + 2)
        body.append(f'<path class="edge" d="M{a.x:.1f},{a.y:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}" '
                    f'fill="none" stroke="{color}" stroke-width="{width}" stroke-opacity="0.8"{dash} '
                    f'marker-end="url(#px-arrow-{tone})"><title>{escape(tip)}</title></path>'
                    f'<path d="M{a.x:.1f},{a.y:.1f} Q{mx:.1f},{my:.1f} {b.x:.1f},{b.y:.1f}" fill="none" '
                    f'stroke="transparent" stroke-width="10"><title>{escape(tip)}</title></path>')
    for v in lay.nodes:
        x, y, w, h = v.box
        cx, cy = x + w / 2, y + h / 2
        lead = ""
        if math.hypot(cx - v.x, cy - v.y) > v.r + w / 2 + 12:  # the label moved away: a leader line
            lead = (f'<line x1="{v.x:.1f}" y1="{v.y:.1f}" x2="{cx:.1f}" y2="{cy:.1f}" stroke="#bbb" '
                    f'stroke-width="0.8"/>')
        node = (f'<circle cx="{v.x:.1f}" cy="{v.y:.1f}" r="{v.r:.1f}" fill="#16213e"><title>{escape(v.name)} · '
                f'{escape(v.type)} · {v.mentions} mentions</title></circle>'
                f'<text class="node-label" fill="#1d1d1f" x="{x + 2:.1f}" y="{y + h - 3.5:.1f}" font-family="system-ui,sans-serif" '
                f'font-size="{FONT_PX}" stroke="#fff" stroke-width="3" paint-order="stroke" data-box="{x:.1f},{y:.1f},{w:.1f},{h:.1f}">'
                f'<title>{escape(v.name)}</title>{escape(v.label)}</text>')
        if links:
            node = f'<a class="actor" href="{escape(_href(v.name))}">{node}</a>'
        body.append(lead + node)
    defs = "".join(
        f'<marker id="px-arrow-{tone}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        for c, tone in POLARITY.values())
    label = f"Actor graph: {len(lay.nodes)} actors, {len(lay.edges)} relations"
    return Markup(f'<svg class="chart actor-graph" xmlns="http://www.w3.org/2000/svg" role="img" '
                  f'viewBox="0 0 {lay.width:.0f} {lay.height:.0f}" width="{lay.width:.0f}" height="{lay.height:.0f}" '
                  f'aria-label="Actor graph"><title>{escape(label)}</title><defs>{defs}</defs>{"".join(body)}</svg>')


def actor_graph(actors: Sequence[Actor], relations: Sequence[Relation], limit: int = 16,
                links: bool = True) -> tuple[Markup, list[str]]:
    """The picture and the top actors left out of it for lack of a relation (listed beside it)."""
    lay = layout(actors, relations, limit)
    return render(lay, links), lay.isolated
