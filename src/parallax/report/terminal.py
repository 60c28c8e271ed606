"""The terminal report (rich).  Article text is always passed as ``Text`` objects, never as
markup, so brackets or escape codes in an article cannot restyle or break the output."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..model import Comparison, Flag
from .tone import print_tone
from .grid import print_grid

MAX_UNIQUE = 8
MAX_ACTORS = 12


def _clean(s: str) -> str:
    """Drop control characters (ANSI escapes included) from untrusted text."""
    return "".join(ch for ch in s if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))


def _short(s: str, n: int = 160) -> str:
    return s if len(s) <= n else s[: n - 1].rsplit(" ", 1)[0] + " …"


def _t(s: str, style: str = "") -> Text:
    return Text(_clean(s), style=style)


def flagged_text(text: str, start: int, flag: Flag) -> Text:
    """A sentence with its flagged words highlighted (offsets are article offsets)."""
    out = _t(text)
    for w in flag.words:
        a, b = w.start - start, w.end - start
        if 0 <= a < b <= len(text):
            out.stylize("bold red", a, b)
    return out


def print_report(c: Comparison, console: Console | None = None) -> None:
    console = console or Console()
    n = len(c.articles)
    console.print(Rule(Text("Parallax coverage report", style="bold")))
    head = Text()
    head.append("Event: ", style="bold")
    head.append(_clean(c.event) or "(no shared event found)")
    if c.event_outlets:
        head.append(f"  [{', '.join(_clean(o) for o in c.event_outlets)}]", style="dim")
    console.print(Panel(head, expand=True))

    t = Table(title=f"{n} articles", show_lines=False, expand=True)
    t.add_column("outlet", no_wrap=True)
    t.add_column("title", ratio=3, min_width=20, no_wrap=True, overflow="ellipsis")
    for col in ("words", "shared", "only here", "quotes", "sources", "flagged"):
        t.add_column(col, justify="right")
    shared_counts = defaultdict(int)
    for claim in c.shared:
        for m in claim.members:
            shared_counts[m.outlet] += 1
    for a in c.articles:
        t.add_row(_t(a.label, "bold"), _t(a.title or "—"), str(a.words), str(shared_counts[a.label]),
                  str(len(c.unique.get(a.label, []))), str(len(a.quotes)), str(len(a.sources)), str(len(a.flags)))
    console.print(t)
    for a in c.articles:
        if a.limits:  # say what was not analysed rather than pass silence off as a finding
            stages = ", ".join(lim.split(":", 1)[0] for lim in a.limits)
            console.print(_t(f"{a.label} ({a.language or '?'}): {stages} not analysed (English-only)", "yellow"))

    print_grid(c, console)

    console.print(Rule(Text("What only one outlet reports", style="bold magenta")))
    for outlet, refs in c.unique.items():
        console.print(_t(f"{outlet} ({len(refs)})", "bold magenta"))
        for r in refs[:MAX_UNIQUE]:
            console.print(Text("  • ") + _t(r.text))
        if len(refs) > MAX_UNIQUE:
            console.print(_t(f"  … {len(refs) - MAX_UNIQUE} more (see --html or --json)", "dim"))

    console.print(Rule(Text("Quotes by speaker", style="bold blue")))
    if not c.quotes:
        console.print(_t("No attributed quotes found.", "dim"))
    for g in c.quotes:
        head = _t(g.speaker, "bold blue" if g.resolved else "yellow")
        if not g.resolved:
            head += _t("  (speaker unresolved)", "yellow")
        if g.shared:
            head += _t(f"  — quoted alike in several outlets ({len(g.shared)})", "green")
        console.print(head)
        single = set(getattr(g, "single", []))
        for i, (outlet, q) in enumerate(g.quotes):
            line = Text("  ") + _t(f"{outlet}", "cyan")
            cue = f" ({q.cue.text})" if q.cue else ""
            line += _t(f"{cue} [{q.kind}]", "dim") + Text(" ") + _t(f"“{q.content.text}”")
            if i in single:
                line += _t("  (this outlet only)", "dim")
            console.print(line)
        for m in getattr(g, "matches", []):
            diff = []
            if m.cue_a.lower() != m.cue_b.lower():
                diff.append(f"cue “{m.cue_a or '—'}” vs “{m.cue_b or '—'}”")
            if m.rendering_a != m.rendering_b:
                diff.append(f"{m.rendering_a} vs {m.rendering_b}")
            console.print(_t(f"    ≈ {m.outlet_a} ↔ {m.outlet_b}: {m.kind}", "green")
                          + _t(("; " + "; ".join(diff)) if diff else "", "magenta"))

    console.print(Rule(Text("Sources cited", style="bold")))
    if not c.sources:
        console.print(_t("No cited sources found.", "dim"))
    for name, outlets in c.sources.items():
        console.print(_t(f"  {name}", "bold") + _t(f" ← cited by {', '.join(outlets)}", "dim"))
    for r in getattr(c, "relays", []):
        line = _t(f"  {r.source} [{r.kind}]", "bold") + _t(f" relayed by {', '.join(r.outlets)}", "dim")
        if r.second_hand_only:
            line += _t(f"  — second-hand only: {', '.join(r.second_hand_only)}", "yellow")
        console.print(line)

    console.print(Rule(Text("Editorialising sentences", style="bold red")))
    any_flag = False
    for a in c.articles:
        for f in a.flags:
            any_flag = True
            s = a.sentences[f.sentence]
            console.print(_t(f"{a.label}: ", "bold red") + flagged_text(s.text, s.start, f))
            console.print(_t("    why: " + "; ".join(f.reasons), "dim"))
    if not any_flag:
        console.print(_t("No editorialising sentences flagged.", "dim"))

    console.print(Rule(Text("Main actors", style="bold")))
    at = Table(expand=True)
    at.add_column("actor")
    at.add_column("type")
    at.add_column("also written")
    for a in c.articles:
        at.add_column(a.label, justify="right")
    for actor in c.actors[:MAX_ACTORS]:
        at.add_row(_t(actor.name, "bold"), actor.type, _t(", ".join(actor.aliases[:4])),
                   *[str(actor.by_outlet.get(a.label, 0)) for a in c.articles])
    console.print(at)
    print_tone(console, c)

    if c.relations:
        console.print(Rule(Text("Relations", style="bold")))
        outlet_of = {a.id: a.label for a in c.articles}
        for r in c.relations:
            mark = " (negated)" if r.negated else (" (hedged)" if r.hedged else "")
            console.print(_t(f"  {r.subject} —{r.predicate}→ {r.object}{mark}", "bold")
                          + _t(f"  [{outlet_of.get(r.article_id, '')}] ", "cyan") + _t(_short(r.evidence), "dim"))
    console.print(Group())
