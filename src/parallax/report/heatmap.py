"""The facts × outlets heat-map as a static SVG, for the web story page and the HTML report.

Rows are the facts two or more outlets carry, each labelled with its claim-grid number (one
numbering everywhere, see :func:`parallax.report.html.numbered`); columns are outlets; a cell is
coloured by how the outlet carries the fact.  Labels wrap to two lines and the full wording is
the row's tooltip, so nothing is clipped.  Every string is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from ..model import Claim

_FONT = 'font-family="system-ui,sans-serif" font-size="11"'
_STATUS = {"reported": "#2e9d48", "partial": "#9ad0a8", "differs": "#f0a030"}


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n - 1] + "…"


def _text(x: float, y: float, s: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {_FONT} {extra}>{escape(s)}</text>'


def _svg(width: float, height: float, body: list[str], label: str) -> Markup:
    return Markup(f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
                  f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
                  f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(body)}</svg>')


def _wrap(s: str, width: int, lines: int) -> list[str]:
    """``s`` in at most ``lines`` lines of about ``width`` characters, broken at spaces; the last
    line ends with "…" when the text goes on (the full text is in the row's tooltip)."""
    words, out, cur = " ".join(s.split()).split(" "), [], ""
    for k, w in enumerate(words):
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
            if len(out) == lines:
                out[-1] = _cut(out[-1], width - 1) + "…"
                return out
        else:
            cur = f"{cur} {w}" if cur else w
    out.append(_cut(cur, width))
    return out


def fact_heatmap(facts: Sequence[tuple[int, Claim]], outlets: Sequence[str], limit: int = 40) -> Markup:
    """Facts (rows) × outlets (columns) for the facts two or more outlets carry, each row labelled
    with its claim-grid number (``[(number, fact), ...]`` from :func:`report.html.numbered`); a
    cell is coloured by how the outlet carries the fact (reported, partial, differs), grey when
    absent.  Labels wrap to two lines; the full wording is the row's tooltip."""
    rows = [(n, c) for n, c in facts if len({m.outlet for m in c.members}) >= 2][:limit]
    if not rows or not outlets:
        return Markup('<p class="dim">No fact is shared by two outlets.</p>')
    cell, left, top, chars = 26, 300, 96, 44
    width = left + cell * len(outlets) + 90  # room for the last rotated outlet name
    height = top + cell * len(rows) + 10
    body = []
    for j, o in enumerate(outlets):
        x = left + j * cell + cell / 2
        body.append(f'<text transform="translate({x:.1f},{top - 6}) rotate(-50)" {_FONT}>'
                    f'<title>{escape(o)}</title>{escape(_cut(o, 16))}</text>')
    for i, (number, c) in enumerate(rows):
        y = top + i * cell
        first = c.lead.text if c.members else ""
        lines = _wrap(f"{number}. {first}", chars, 2)
        spans = "".join(f'<tspan x="{left - 6}" dy="{0 if k == 0 else 11}">{escape(t)}</tspan>'
                        for k, t in enumerate(lines))
        y0 = y + (15 if len(lines) == 1 else 10)
        body.append(f'<text class="fact-label" data-fact="{number}" x="{left - 6}" y="{y0}" text-anchor="end" '
                    f'{_FONT}><title>{escape(f"fact {number}: {first}")}</title>{spans}</text>')
        by_outlet = {}
        for m in c.members:
            by_outlet.setdefault(m.outlet, m)
        for j, o in enumerate(outlets):
            m = by_outlet.get(o)
            status = getattr(m, "status", "reported") if m else "absent"
            color = _STATUS.get(status, "#2e9d48") if m else "#eeeeee"
            tip = f"fact {number} · {o}: {status}" + (f" — {m.text}" if m else "")
            body.append(f'<rect class="cell {escape(status)}" x="{left + j * cell}" y="{y}" width="{cell - 2}" '
                        f'height="{cell - 2}" fill="{color}"><title>{escape(tip)}</title></rect>')
    return _svg(width, height, body, "Facts × outlets")
