"""Terminal rendering of per-outlet, per-actor tone (``Comparison.tone``, ``analysis.tone``).

Call ``print_tone(console, comparison)`` after the actors table.  Article text is passed as
``Text`` (never markup), like the rest of the terminal report.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..model import Comparison
from .fit import Col, fit_table, min_width, outlet_headers, rule

__all__ = ["print_tone"]


def _clean(s: str) -> str:
    return "".join(ch for ch in s if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))


def _short(s: str, n: int = 140) -> str:
    return s if len(s) <= n else s[: n - 1].rsplit(" ", 1)[0] + " …"


def _label(score: float) -> tuple[str, str]:
    if score <= -0.3:
        return "hostile", "red"
    if score >= 0.3:
        return "favourable", "green"
    return "neutral", "dim"


def _cell(t, compact: bool) -> Text:
    if t is None:
        return Text("—", style="dim")
    name, style = _label(t.score)
    return Text(f"{t.score:+.2f}" if compact else f"{name} {t.score:+.2f} ({t.sentences})", style=style)


def print_tone(console: Console, c: Comparison) -> None:
    """A table of tone per actor and outlet, then the sentences behind each non-neutral cell."""
    tones = getattr(c, "tone", None) or []
    rule(console, "Tone toward the main actors (outlet's own words)")
    if not tones:
        console.print(Text("No tone measured.", style="dim"))
        return
    outlets = list(dict.fromkeys(t.outlet for t in tones))
    actors = list(dict.fromkeys(t.actor for t in tones))
    cell = {(t.actor, t.outlet): t for t in tones}
    # Laid out to fit the width, in this documented order: full cells ("hostile -0.46 (2)") under
    # outlet names or numbers with a key line (see .fit); then the score alone, its colour for the
    # label; then, when even that is too wide, one wrapped line per actor.
    width = console.width or 100
    used = 3 + min(20, max((len(a) for a in actors), default=5))
    for compact in (False, True):
        heads, key = outlet_headers(width, used, outlets, 5 if compact else len("favourable"))
        rows = [[Text(_clean(a), style="bold")] + [_cell(cell.get((a, o)), compact) for o in outlets]
                for a in actors]
        cols = [Col("actor", wrap=True)] + [Col(h, wrap=True) for h in heads]
        if min_width(cols, rows) <= width:
            table, _ = fit_table(width, cols, rows)
            console.print(table)
            if compact:
                console.print(Text("  score -1 hostile … +1 favourable; ", style="dim")
                              + Text("red hostile ", style="red") + Text("green favourable", style="green"))
            if key is not None:
                console.print(key)
            break
    else:
        for a in actors:
            parts = [Text(f"{_clean(o)} ") + _cell(cell[(a, o)], False) for o in outlets if (a, o) in cell]
            console.print(Text(f"  {_clean(a)}: ", style="bold") + Text("; ").join(parts))
    for t in tones:
        if not (t.negative or t.positive):
            continue
        name, style = _label(t.score)
        head = Text(f"  {_clean(t.outlet)} on {_clean(t.actor)}: {name}", style=style)
        if t.words:
            head.append(Text(f"  (words: {_clean(', '.join(t.words[:6]))})", style="dim"))
        console.print(head)
        for ref in t.negative + t.positive:
            console.print(Text(f"    “{_clean(_short(ref.text))}”", style="dim"))
