"""The claim grid in the terminal: facts (rows) by outlets (columns), compact enough for 30+
outlets.  Each cell is one symbol: reported, reported in part, reported differently (a detail
conflicts with another outlet) or not reported; conflicts and omissions follow the grid.
Article text is passed as ``Text`` objects, never as markup."""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from ..model import Comparison

MAX_ROWS = 40
CELL = {"reported": ("■", "green"), "partial": ("◧", "yellow"), "differs": ("✕", "bold red"),
        "": ("·", "dim")}
KIND = {"core": ("core", "bold green"), "shared": ("some", "yellow"), "single": ("one", "magenta"),
        "commentary": ("opin", "dim")}


def _clean(s: str) -> str:
    return "".join(ch for ch in s if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))


def _short(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rsplit(" ", 1)[0] + " …"


def cells(c: Comparison, k: int) -> list[str]:
    """The status of fact ``k`` in every outlet's column ("" = not reported)."""
    fact = c.facts[k]
    status = {m.outlet: m.status for m in fact.members}
    return [status.get(a.label, "") for a in c.articles]


def print_grid(c: Comparison, console: Console | None = None, max_rows: int = MAX_ROWS) -> None:
    """Summary, the facts x outlets grid, the conflicts and each outlet's omissions."""
    console = console or Console()
    outlets = [a.label for a in c.articles]
    facts = c.facts
    title = (f"What all {len(outlets)} report, what each adds, omits or contradicts: claim grid of "
             f"{len(facts)} facts x {len(outlets)} outlets")
    console.print(Rule(Text(title, style="bold green")))
    if c.summary:
        console.print(Text("Summary: ", style="bold") + Text(_clean(c.summary)))
    legend = Text("  ")
    for status, label in (("reported", "reported"), ("partial", "in part"), ("differs", "differently"),
                          ("", "not reported")):
        sym, style = CELL[status]
        legend += Text(sym, style=style) + Text(f" {label}  ", style="dim")
    console.print(legend)
    wide = len(outlets) <= 8
    width = max((len(o) for o in outlets), default=1) if wide else 1
    if wide:
        head = Text(" " * 9)
        for o in outlets:
            head += Text(_clean(o)[:width].ljust(width) + " ", style="cyan")
        console.print(head)
    else:
        key = Text("  columns: ", style="dim")
        for i, o in enumerate(outlets, 1):
            key += Text(f"{i}={_clean(o)} ", style="cyan")
        console.print(key)
    text_width = max(30, (console.width or 100) - 9 - (width + 1) * len(outlets))
    for k, fact in enumerate(facts[:max_rows]):
        label, style = KIND.get(fact.kind, ("", ""))
        line = Text(f"{k + 1:>3} ", style="bold") + Text(f"{label:<5}", style=style)
        for status in cells(c, k):
            sym, st = CELL.get(status, CELL[""])
            line += Text(sym.center(width) if wide else sym, style=st) + Text(" ")
        lead = min(fact.members, key=lambda m: (m.sentence, m.outlet))
        line += Text(_short(_clean(lead.text), text_width))
        console.print(line, no_wrap=True, overflow="ellipsis")
    if len(facts) > max_rows:
        console.print(Text(f"  … {len(facts) - max_rows} more facts (see --html or --json)", style="dim"))
    real = [x for x in c.conflicts if x.severity == "contradiction"]
    if real or c.conflicts:
        console.print(Text(f"Conflicts ({len(real)})", style="bold red")
                      + Text(f"  + {len(c.conflicts) - len(real)} differences in precision", style="dim"))
    for x in c.conflicts:
        style = "red" if x.severity == "contradiction" else "dim"
        console.print(Text(f"  fact {x.fact + 1} {x.kind}: ", style=style) + Text(_clean(x.outlet_a), style="cyan")
                      + Text(f" “{_clean(x.detail_a)}” vs ") + Text(_clean(x.outlet_b), style="cyan")
                      + Text(f" “{_clean(x.detail_b)}”"))
    missing = {o: ks for o, ks in c.omissions.items() if ks}
    if missing:
        console.print(Text("Omissions (core facts an outlet leaves out)", style="bold yellow"))
        for o, ks in missing.items():
            console.print(Text(f"  {_clean(o)}: ", style="cyan") + Text(", ".join(f"fact {k + 1}" for k in ks)))
