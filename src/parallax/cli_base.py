"""What every command of the CLI shares: the one typer ``app``, the stderr console, one-line
errors, the progress bar and the printers of comparisons and row lists.

:mod:`parallax.cli` (single files) and :mod:`parallax.cli_db` (news databases) both register
their commands on ``app`` here, so neither imports the other.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import errors

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Parallax: compare how news outlets cover the same event.")
err = Console(stderr=True)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _say(message: str) -> None:
    """One unwrapped line on stderr (file names can be long; a wrapped error is hard to grep)."""
    print(message.replace("\n", " "), file=sys.stderr, flush=True)


def _fail(message: str, code: int = 1) -> None:
    _say(f"parallax: {message}")
    raise typer.Exit(code)


def _progress(total: int):
    return Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=total < 4 or not err.is_terminal)


def _emit_comparison(comparison, json_out: bool, csv_out: bool, html: Optional[Path],
                     width: Optional[int] = None) -> None:
    """Print a comparison in the chosen form and write the HTML report when asked."""
    from .report import print_report, to_csv, to_json, write_html

    if json_out:
        print(to_json(comparison))
    elif csv_out:
        sys.stdout.write(to_csv(comparison))
    else:
        print_report(comparison, Console(width=width))
    if html:
        write_html(comparison, html)
        _say(f"HTML report written to {html}")


def _open(db: str):
    """The store at ``db``, or a one-line error."""
    from .store import open_store

    try:
        return open_store(db)
    except errors.ParallaxError as exc:
        _fail(str(exc))


def _cell(v) -> str:
    if v is None:
        return ""
    return ", ".join(map(str, v)) if isinstance(v, list) else str(v)


_SHORT = {"first_published": "first", "last_published": "last", "n_articles": "n", "lag_hours": "+hours",
          "copy_of_outlet": "copy of"}


def _emit_rows(rows: list[dict], json_out: bool, csv_out: bool, columns: list[str], title: str) -> None:
    """Print rows as JSON (one array), CSV, or a rich table."""
    if json_out:
        print(json.dumps(rows, ensure_ascii=False, default=str))
        return
    if csv_out:
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: (", ".join(v) if isinstance(v, list) else v) for k, v in r.items()})
        return
    from .report.fit import Col, print_rows

    # Text columns wrap at spaces, never mid-word; dates, counts and names stay on one line; a
    # terminal too narrow for that gets one block per row instead.
    cols = [Col(_SHORT.get(c, c), wrap=c in ("title", "reason", "source", "outlets", "url", "last_error"))
            for c in columns]
    print_rows(Console(), cols, [[_cell(r.get(c)) for c in columns] for r in rows], title=title)
