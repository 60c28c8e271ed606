"""Server-side SVG pictures for the web app: no scripts, no CDN, every text escaped.

Each function takes records (or plain rows) and returns a :class:`markupsafe.Markup` ``<svg>``
ready to drop into a template.  Every piece of data that reaches the markup goes through
:func:`markupsafe.escape` (text) or ``float``/``int`` formatting (coordinates), so an outlet or
actor named ``<script>`` draws as those characters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timezone
from urllib.parse import quote

from markupsafe import Markup, escape

from ..ingest.dates import parse_date
from ..model import Actor, Relation, StoryFlow
from ..report.actor_graph import actor_graph as report_actor_graph
from ..report.heatmap import _cut, _svg, _text, fact_heatmap

__all__ = ["bars", "columns", "coverage_timeline", "fact_heatmap", "actor_graph", "actor_href"]

def actor_href(name: str) -> str:
    return "/actors/" + quote(name, safe="")


def bars(items: Sequence[tuple[str, float]], label: str, href: str | None = None, width: int = 520) -> Markup:
    """Horizontal bars, largest first as given: ``[(name, value), ...]``; ``href`` is a format
    string with ``{q}`` for the URL-quoted name (each bar links to a filtered list)."""
    if not items:
        return Markup('<p class="dim">Nothing to draw yet.</p>')
    row, left = 20, 150
    top = max(v for _, v in items) or 1
    body = []
    for k, (name, v) in enumerate(items):
        y = k * row + 4
        w = (width - left - 50) * v / top
        bar = (f'<rect x="{left}" y="{y}" width="{max(w, 1):.1f}" height="{row - 6}" fill="#3d6ab3">'
               f'<title>{escape(name)}: {escape(v)}</title></rect>')
        txt = _text(left - 6, y + 11, _cut(name, 24), "end")
        if href:
            txt = f'<a href="{escape(href.format(q=quote(name, safe="")))}">{txt}</a>'
        body.append(bar + txt + _text(left + w + 4, y + 11, f"{v:g}"))
    return _svg(width, len(items) * row + 8, body, label)


def columns(items: Sequence[tuple[str, float]], label: str, width: int = 520, height: int = 150) -> Markup:
    """Vertical columns in the given order (a time series): ``[(period, value), ...]``."""
    if not items:
        return Markup('<p class="dim">Nothing to draw yet.</p>')
    bottom, top_pad = 22, 14
    top = max(v for _, v in items) or 1
    step = (width - 20) / len(items)
    every = max(1, math.ceil(len(items) / 8))
    body = [f'<line x1="10" x2="{width - 10}" y1="{height - bottom}" y2="{height - bottom}" stroke="#bbb"/>']
    for k, (period, v) in enumerate(items):
        h = (height - bottom - top_pad) * v / top
        x = 10 + k * step
        body.append(f'<rect x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{max(step - 2, 1):.1f}" '
                    f'height="{h:.1f}" fill="#3d6ab3"><title>{escape(period)}: {escape(v)}</title></rect>')
        if k % every == 0:
            body.append(_text(x, height - 6, period))
    body.append(_text(width - 10, 10, f"max {top:g}", "end"))
    return _svg(width, height, body, label)


def _when(s: str) -> datetime | None:
    d = parse_date(s) if s else None
    if d is None:
        return None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def coverage_timeline(flow: StoryFlow, width: int = 760) -> Markup:
    """Articles per outlet over time: one row per outlet, a dot per article (hollow = a copy of
    another outlet's article, with a dashed line back to the original).

    Time is as precise as the data: when any dated article carries only a day, the axis is in
    calendar days (no "00:00", dots of one day share one x), and a story whose articles all fall
    on one day says "same day" instead of inventing an order."""
    steps = flow.steps
    if not steps:
        return Markup('<p class="dim">No articles.</p>')
    outlets = list(dict.fromkeys(s.outlet for s in steps))
    times = {s.article_id: _when(s.published) for s in steps}
    by_day = any(s.precision == "day" for s in steps if times[s.article_id] is not None)
    if by_day:  # compare calendar days only: the time part of a minute-precise date is dropped
        times = {k: (t.replace(hour=0, minute=0, second=0, microsecond=0) if t else None)
                 for k, t in times.items()}
    dated = [t for t in times.values() if t is not None]
    left, right, row, top_pad = 140, 20, 24, 22
    height = top_pad + row * len(outlets) + 26
    t0, t1 = (min(dated), max(dated)) if dated else (None, None)
    span = (t1 - t0).total_seconds() if dated else 0.0

    def x_of(t: datetime | None) -> float:
        if t is None:
            return width - right  # undated: drawn at the right edge
        return left + (width - left - right - 10) * ((t - t0).total_seconds() / span if span else 0.5)

    y_of = {o: top_pad + k * row + row / 2 for k, o in enumerate(outlets)}
    pos = {s.article_id: (x_of(times[s.article_id]), y_of[s.outlet]) for s in steps}
    body = []
    for o in outlets:
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y_of[o]:.1f}" y2="{y_of[o]:.1f}" stroke="#eee"/>')
        body.append(_text(left - 8, y_of[o] + 4, _cut(o or "—", 22), "end"))
    for s in steps:
        if s.copy_of and s.copy_of in pos:
            (x1, y1), (x2, y2) = pos[s.copy_of], pos[s.article_id]
            body.append(f'<line class="copy-link" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                        f'stroke="#b07a00" stroke-dasharray="3 3"/>')
    for s in steps:
        x, y = pos[s.article_id]
        copy = bool(s.copy_of)
        tip = f"{s.outlet} · {s.published or 'undated'} ({s.lag or 'undated'}) · {s.title}" + (
            f" · copy of {s.copy_of_outlet or s.copy_of}" if copy else "")
        fill = 'fill="#fff" stroke="#b07a00" stroke-width="2"' if copy else 'fill="#3d6ab3"'
        body.append(f'<a href="/articles/{escape(quote(s.article_id, safe=""))}">'
                    f'<circle class="{"copy" if copy else "original"}" cx="{x:.1f}" cy="{y:.1f}" r="6" {fill}>'
                    f'<title>{escape(tip)}</title></circle></a>')
    fmt = "%Y-%m-%d" if by_day else "%Y-%m-%d %H:%M"
    if dated and t0 == t1:
        note = "same day" if by_day else "same time"
        body.append(_text((left + width - right) / 2, height - 8, f"{t0.strftime(fmt)} · all {note}", "middle",
                          extra='class="axis"'))
    elif dated:
        body.append(_text(left, height - 8, t0.strftime(fmt), extra='class="axis"'))
        body.append(_text(width - right, height - 8, t1.strftime(fmt), "end", extra='class="axis"'))
    key = "● original   ○ copy (dashed line to the original)"
    if by_day:
        key += "   · dates known to the day"
    body.append(_text(left, 12, key, extra='fill="#555"'))
    return _svg(width, height, body, f"Coverage timeline of story {flow.story_id}")


def actor_graph(actors: Sequence[Actor], relations: Sequence[Relation], limit: int = 16) -> Markup:
    """The actor graph of :mod:`parallax.report.actor_graph` (the HTML report draws the same one),
    with the top actors that have no drawn relation listed under it."""
    picture, isolated = report_actor_graph(actors, relations, limit)
    if isolated and "<svg" in picture:
        names = ", ".join(f'<a href="{escape(actor_href(n))}">{escape(n)}</a>' for n in isolated)
        picture += Markup(f'<p class="isolated dim">No relation drawn: {names}</p>')
    return picture
