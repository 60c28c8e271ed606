"""The terminal report (rich).  Article text is always passed as ``Text`` objects, never as
markup, so brackets or escape codes in an article cannot restyle or break the output."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from ..model import Comparison, Flag
from .tone import print_tone
from .grid import print_grid
from .fit import Col, clean, fit_table, min_width, outlet_headers, rule

MAX_UNIQUE = 8
MAX_ACTORS = 12


_clean = clean


def _short(s: str, n: int = 160) -> str:
    return s if len(s) <= n else s[: n - 1].rsplit(" ", 1)[0] + " …"


def _t(s: str, style: str = "") -> Text:
    return Text(_clean(s), style=style)


def _quote_side(g, i: int, outlet: str) -> Text:
    """One side of a quote pairing: the outlet and the (shortened) words it quotes."""
    if 0 <= i < len(g.quotes):
        return _t(outlet, "cyan") + _t(f" “{_short(g.quotes[i][1].content.text, 70)}”")
    return _t(outlet, "cyan")


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
    rule(console, "Parallax coverage report")
    head = Text()
    head.append("Event: ", style="bold")
    head.append(_clean(c.event) or "(no shared event found)")
    if c.event_outlets:
        head.append(f"  [{', '.join(_clean(o) for o in c.event_outlets)}]", style="dim")
    console.print(Panel(head, expand=True))

    shared_counts = defaultdict(int)
    for claim in c.shared:
        for m in claim.members:
            shared_counts[m.outlet] += 1
    cols = [Col("outlet", style="bold"), Col("title", wrap=True, min=24)] + [
        Col(h, justify="right") for h in ("words", "shared", "only here", "quotes", "sources", "flagged")]
    rows = [[_t(a.label), _t(a.title or "—"), str(a.words), str(shared_counts[a.label]),
             str(len(c.unique.get(a.label, []))), str(len(a.quotes)), str(len(a.sources)), str(len(a.flags))]
            for a in c.articles]
    # Too narrow for titles beside the counts: the titles follow the table, one per line.
    t, dropped = fit_table(console.width, cols, rows, title=f"{n} articles",
                           drop_order=["title", "sources", "flagged", "quotes", "only here"])
    console.print(t)
    if set(dropped) - {"title"}:
        console.print(_t(f"  too narrow for: {', '.join(d for d in dropped if d != 'title')} "
                         "(widen the terminal or use --width)", "dim"))
    if "title" in dropped:
        for a in c.articles:
            console.print(_t(f"{a.label}: ", "bold") + _t(a.title or "—"))
    for a in c.articles:
        if a.limits:  # say what was not analysed rather than pass silence off as a finding
            stages = ", ".join(lim.split(":", 1)[0] for lim in a.limits)
            console.print(_t(f"{a.label} ({a.language or '?'}): {stages} not analysed (English-only)", "yellow"))

    print_grid(c, console)

    rule(console, "What only one outlet reports", "bold magenta")
    for outlet, refs in c.unique.items():
        console.print(_t(f"{outlet} ({len(refs)})", "bold magenta"))
        for r in refs[:MAX_UNIQUE]:
            console.print(Text("  • ") + _t(r.text))
        if len(refs) > MAX_UNIQUE:
            console.print(_t(f"  … {len(refs) - MAX_UNIQUE} more (see --html or --json)", "dim"))

    rule(console, "Quotes by speaker", "bold blue")
    if not c.quotes:
        console.print(_t("No attributed quotes found.", "dim"))
    for g in c.quotes:
        if not clean(g.speaker).strip():
            head = _t("Speaker not identified", "yellow")
        else:
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
            console.print(_t(f"    ≈ {m.kind}: ", "green") + _quote_side(g, m.a, m.outlet_a) + _t(" ↔ ", "green")
                          + _quote_side(g, m.b, m.outlet_b)
                          + _t(("; " + "; ".join(diff)) if diff else "", "magenta"))

    rule(console, "Sources cited", "bold")
    if not c.sources:
        console.print(_t("No cited sources found.", "dim"))
    for name, outlets in c.sources.items():
        console.print(_t(f"  {name}", "bold") + _t(f" ← cited by {', '.join(outlets)}", "dim"))
    for r in getattr(c, "relays", []):
        line = _t(f"  {r.source} [{r.kind}]", "bold") + _t(f" relayed by {', '.join(r.outlets)}", "dim")
        if r.second_hand_only:
            line += _t(f"  — second-hand only: {', '.join(r.second_hand_only)}", "yellow")
        console.print(line)

    rule(console, "Editorialising sentences", "bold red")
    any_flag = False
    for a in c.articles:
        for f in a.flags:
            any_flag = True
            s = a.sentences[f.sentence]
            console.print(_t(f"{a.label}: ", "bold red") + flagged_text(s.text, s.start, f))
            console.print(_t("    why: " + "; ".join(f.reasons), "dim"))
    if not any_flag:
        console.print(_t("No editorialising sentences flagged.", "dim"))

    rule(console, "Main actors")
    actors = c.actors[:MAX_ACTORS]
    labels = [a.label for a in c.articles]
    # Outlet columns keep whole names while they fit beside the actor column, else numbers + key;
    # then "also written", then "type" are dropped, in that order, when still too wide.
    heads, key = outlet_headers(console.width, 3 + min(20, max((len(x.name) for x in actors), default=5)),
                                labels, 2)
    cols = [Col("actor", wrap=True, style="bold"), Col("type", wrap=True), Col("also written", wrap=True)] + [
        Col(h, justify="right") for h in heads]
    rows = [[_t(x.name), x.type, _t(", ".join(x.aliases[:4])), *[str(x.by_outlet.get(o, 0)) for o in labels]]
            for x in actors]
    if min_width([cols[0]] + cols[3:], [[r[0]] + r[3:] for r in rows]) > console.width:
        # Too many outlets for a column each: total mentions and the number of outlets instead.
        key = None
        cols = cols[:3] + [Col("mentions", justify="right"), Col("outlets", justify="right")]
        rows = [r[:3] + [str(sum(x.by_outlet.values())), str(sum(1 for v in x.by_outlet.values() if v))]
                for r, x in zip(rows, actors)]
    at, _ = fit_table(console.width, cols, rows, drop_order=["also written", "type"])
    console.print(at)
    if key is not None:
        console.print(key)
    print_tone(console, c)

    if c.relations:
        rule(console, "Relations", "bold")
        outlet_of = {a.id: a.label for a in c.articles}
        for r in c.relations:
            mark = " (negated)" if r.negated else (" (hedged)" if r.hedged else "")
            console.print(_t(f"  {r.subject} —{r.predicate}→ {r.object}{mark}", "bold")
                          + _t(f"  [{outlet_of.get(r.article_id, '')}] ", "cyan") + _t(_short(r.evidence), "dim"))
    console.print(Group())
