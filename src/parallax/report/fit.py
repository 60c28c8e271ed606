"""Terminal tables and rules that fit the console width without cutting a header or splitting a
word.

rich shrinks columns on its own when a table is too wide, and does so by ellipsising headers
("shar…") or folding words mid-word ("shutdown-endin g").  :func:`fit_table` instead works out
every column's width itself: a column that must not wrap (numbers, dates, outlet names) gets its
widest cell; a text column gets at least its longest word (capped at ``MAX_WORD``, so only
URL-like tokens can ever be folded) and a share of the rest.  When even the minimums do not fit,
columns are dropped in the caller's documented order (least informative first) and the caller is
told which, so it can say so or print them another way.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

MAX_WORD = 24  # a text column is never made narrower than its longest word, up to this cap


def clean(s: str) -> str:
    """Drop control characters (ANSI escapes included) from untrusted text."""
    return "".join(ch for ch in s if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))


def _plain(cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


@dataclass
class Col:
    """One column: its header, whether its cells may wrap at spaces, and rich options."""

    header: str
    wrap: bool = False
    justify: str = "left"
    style: str = ""
    min: int = 0  # a wrapping column narrower than this is not worth showing (dropped instead)


def _need(col: Col, cells: list[str]) -> tuple[int, int]:
    """(minimum, desired) content width of a column: headers are never cut, words never split."""
    head = max((len(w) for w in col.header.split()), default=1) if col.wrap else len(col.header)
    if col.wrap:
        words = [len(w) for c in cells for w in c.split()]
        lo = max([head, min(max(words, default=1), MAX_WORD), min(col.min, max(len(c) for c in cells + [""]))])
        hi = max([len(col.header)] + [len(c) for c in cells])
        return lo, max(lo, hi)
    lines = [len(line) for c in cells for line in (c.splitlines() or [""])]
    w = max([head] + lines)
    return w, w


def min_width(cols: list[Col], rows: list[list]) -> int:
    """The narrowest the table can be drawn without cutting a header or splitting a word."""
    needs = [_need(c, [_plain(r[i]) for r in rows]) for i, c in enumerate(cols)]
    return sum(lo for lo, _ in needs) + 3 * len(cols) + 1


def fit_table(width: int, cols: list[Col], rows: list[list], title: str = "",
              drop_order: list[str] | tuple[str, ...] = ()) -> tuple[Table, list[str]]:
    """A rich Table whose columns fit ``width``; returns it with the headers that were dropped
    (taken from ``drop_order``, in that order, only while the minimum widths do not fit)."""
    keep = list(range(len(cols)))
    text = [[_plain(r[i]) for r in rows] for i in range(len(cols))]
    needs = [_need(c, t) for c, t in zip(cols, text)]
    dropped: list[str] = []

    def overhead(n: int) -> int:  # default box: one border per column plus one, padding 1 each side
        return 3 * n + 1

    for name in drop_order:
        if sum(needs[i][0] for i in keep) + overhead(len(keep)) <= width:
            break
        idx = next((i for i in keep if cols[i].header == name), None)
        if idx is not None:
            keep.remove(idx)
            dropped.append(name)
    room = width - overhead(len(keep))
    widths = {i: needs[i][0] for i in keep}
    spare = room - sum(widths.values())
    wants = {i: needs[i][1] - needs[i][0] for i in keep if cols[i].wrap}
    total_want = sum(wants.values())
    if spare > 0 and total_want:
        for i, want in wants.items():
            widths[i] += min(want, spare * want // total_want)
    table = Table(title=title or None, expand=False, box=box.HEAVY_HEAD)
    for i in keep:
        c = cols[i]
        table.add_column(c.header, width=widths[i], no_wrap=not c.wrap, overflow="fold", justify=c.justify,
                         style=c.style or None)
    for r in rows:
        table.add_row(*[r[i] if isinstance(r[i], Text) else Text(str(r[i])) for i in keep])
    return table, dropped


def rule(console: Console, title: str, style: str = "bold") -> None:
    """A section rule; a title too long for the width goes on its own wrapped line, never cut."""
    if len(title) + 6 <= (console.width or 80):
        console.print(Rule(Text(title, style=style)))
    else:
        console.print(Rule(style=style.replace("bold", "").strip() or "rule.line"))
        console.print(Text(title, style=style))


def outlet_headers(width: int, used: int, outlets: list[str], cell: int) -> tuple[list[str], Text | None]:
    """Column headers for one column per outlet: the names when they fit beside ``used``
    characters of other columns (cells need ``cell`` characters), else numbers 1..n with a key
    line naming each, so a header is never cut."""
    names = [clean(o) for o in outlets]
    if used + sum(max(len(o), cell) + 3 for o in names) <= width:
        return names, None
    key = Text("  columns: ", style="dim")
    for i, o in enumerate(names, 1):
        key += Text(f"{i}={o}  ", style="cyan")
    return [str(i) for i in range(1, len(names) + 1)], key


def print_rows(console: Console, cols: list[Col], rows: list[list], title: str = "") -> None:
    """A table fitted to the console; when even its narrowest layout is too wide (long dates,
    many text columns), one block per row instead ("header: value" lines), so nothing is cut."""
    width = console.width or 80
    if min_width(cols, rows) <= width:
        console.print(fit_table(width, cols, rows, title=title)[0])
        return
    if title:
        console.print(Text(title, style="bold"))
    for r in rows:
        console.print(Rule(style="dim"))
        for c, v in zip(cols, r):
            console.print(Text(f"{c.header}: ", style="bold") + (v if isinstance(v, Text) else Text(str(v))))
