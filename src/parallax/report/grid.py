"""The claim grid in the terminal: facts (rows) by outlets (columns), compact enough for 30+
outlets.  Each cell is one symbol: reported, reported in part, reported differently (a detail
conflicts with another outlet) or not reported; conflicts and omissions follow the grid.
Article text is passed as ``Text`` objects, never as markup."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..model import Comparison
from .fit import Col, fit_table, outlet_headers, rule

MAX_ROWS = 40
MIN_TEXT = 30  # narrowest fact-text column worth showing beside the symbols
MAX_TEXT = 120  # longer fact sentences are shortened at a word boundary (full text in --html/--json)
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


def _symbols(c: Comparison, k: int) -> list[Text]:
    out = []
    for status in cells(c, k):
        sym, st = CELL.get(status, CELL[""])
        out.append(Text(sym, style=st))
    return out


def _rows(c: Comparison, console: Console, facts) -> None:
    """The grid rows, fitted to the console width (see :mod:`.fit`).  Fact text wraps at spaces,
    never shrinks to a few characters.  When the width runs short the layout degrades in this
    documented order: 1. outlet names as column headers -> numbers 1..n with a key line;
    2. one "outlets" column of packed symbols (one character per outlet, key order);
    3. the fact text on its own line under its row."""
    width = console.width or 100
    outlets = [a.label for a in c.articles]
    fixed = 3 + 4 + 3 + 4 + 1  # "#" and "kind" columns with their borders
    heads, key = outlet_headers(width, fixed + MIN_TEXT + 3, outlets, 1)
    packed = key is not None and fixed + sum(len(h) + 3 for h in heads) + MIN_TEXT + 4 > width
    below = packed and fixed + len(outlets) + 3 + MIN_TEXT + 4 > width
    if key is not None:
        console.print(key)
    cols = [Col("#", justify="right", style="bold"), Col("kind")]
    cols += [Col("outlets")] if packed else [Col(h, justify="center") for h in heads]
    if not below:
        cols.append(Col("fact", wrap=True))
    rows = []
    for k, fact in facts:
        label, style = KIND.get(fact.kind, ("", ""))
        syms = _symbols(c, k)
        row = [str(fact.number or k + 1), Text(label, style=style)]
        row += [Text("").join(syms)] if packed else syms
        lead = min(fact.members, key=lambda m: (m.sentence, m.outlet))
        if not below:
            row.append(Text(_short(_clean(lead.text), MAX_TEXT)))
        rows.append(row)
    table, _ = fit_table(width, cols, rows)
    console.print(table)
    if below:
        for (_, fact), row in zip(facts, rows):
            lead = min(fact.members, key=lambda m: (m.sentence, m.outlet))
            console.print(Text(f"  {row[0]}: ", style="bold") + Text(_short(_clean(lead.text), MAX_TEXT)))


def print_grid(c: Comparison, console: Console | None = None, max_rows: int = MAX_ROWS) -> None:
    """Summary, the facts x outlets grid, the conflicts and each outlet's omissions."""
    console = console or Console()
    outlets = [a.label for a in c.articles]
    facts = c.facts
    rule(console, f"Claim grid: {len(facts)} facts × {len(outlets)} outlets", "bold green")
    console.print(Text(f"What all {len(outlets)} report, what each adds, omits or contradicts", style="dim"))
    if c.summary:
        console.print(Text("Summary: ", style="bold") + Text(_clean(c.summary)))
    legend = Text("  ")
    for status, label in (("reported", "reported"), ("partial", "in part"), ("differs", "differently"),
                          ("", "not reported")):
        sym, style = CELL[status]
        legend += Text(sym, style=style) + Text(f" {label}  ", style="dim")
    console.print(legend)
    # shared facts as rows; single-outlet facts and comment sentences as one count line each
    # (numbers as in the HTML report and the JSON; their text is there)
    lead = [(k, f) for k, f in enumerate(facts) if f.kind in ("core", "shared") or len(outlets) == 1]
    _rows(c, console, lead[:max_rows])
    if len(lead) > max_rows:
        console.print(Text(f"  … {len(lead) - max_rows} more shared facts (see --html or --json)", style="dim"))
    folded: dict[str, list[int]] = {}
    for k, f in enumerate(facts):
        if f.kind == "single" and len(outlets) > 1:
            folded.setdefault(f.members[0].outlet, []).append(f.number or k + 1)
    for outlet, numbers in folded.items():
        span = f"fact {numbers[0]}" if len(numbers) == 1 else f"facts {numbers[0]}–{numbers[-1]}"
        console.print(Text(f"  + {len(numbers)} only in ", style="dim") + Text(_clean(outlet), style="cyan")
                      + Text(f" ({span})", style="dim"))
    comments = sum(1 for f in facts if f.kind == "commentary")
    if comments:
        console.print(Text(f"  + {comments} comment sentence{'s' if comments > 1 else ''} "
                           "(editorialising, not counted as facts)", style="dim"))
    real = [x for x in c.conflicts if x.severity == "contradiction"]
    if real or c.conflicts:
        console.print(Text(f"Conflicts ({len(real)})", style="bold red")
                      + Text(f"  + {len(c.conflicts) - len(real)} differences in precision", style="dim"))
    for x in c.conflicts:
        style = "red" if x.severity == "contradiction" else "dim"
        console.print(Text(f"  fact {x.fact + 1}, {x.kind} differs: ", style=style) + Text(_clean(x.outlet_a), style="cyan")
                      + Text(f" “{_clean(x.detail_a)}” vs ") + Text(_clean(x.outlet_b), style="cyan")
                      + Text(f" “{_clean(x.detail_b)}”"))
        console.print(Text(f"    {_clean(x.outlet_a)}: {_clean(x.text_a)}", style="dim"))
        console.print(Text(f"    {_clean(x.outlet_b)}: {_clean(x.text_b)}", style="dim"))
    missing = {o: ks for o, ks in c.omissions.items() if ks}
    if missing:
        console.print(Text("Omissions (core facts an outlet leaves out)", style="bold yellow"))
        for o, ks in missing.items():
            console.print(Text(f"  {_clean(o)}: ", style="cyan") + Text(", ".join(f"fact {k + 1}" for k in ks)))
