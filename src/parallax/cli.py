"""Command-line interface: a thin typer layer.  Each command parses, calls a plain function of
the library and prints; library errors become one clean line and a non-zero exit code."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import errors
from .options import DEFAULT

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


def run_compare(paths: list[Path], json_out: bool, csv_out: bool, html: Optional[Path], outlet: str) -> int:
    from .compare import compare, load

    articles, failures = load(paths, DEFAULT, outlet)
    for f in failures:
        _say(f"parallax: skipped {f}")
    if not articles:
        _fail("no readable articles among the inputs")
    with _progress(len(articles)) as bar:
        task = bar.add_task("analyse", total=len(articles))
        try:
            comparison = compare(articles, DEFAULT, progress=lambda n: bar.advance(task, n))
        except errors.ParallaxError as exc:
            _fail(str(exc))
    _emit_comparison(comparison, json_out, csv_out, html)
    return 1 if failures else 0


def _emit_comparison(comparison, json_out: bool, csv_out: bool, html: Optional[Path]) -> None:
    """Print a comparison in the chosen form and write the HTML report when asked."""
    from .report import print_report, to_csv, to_json, write_html

    if json_out:
        print(to_json(comparison))
    elif csv_out:
        sys.stdout.write(to_csv(comparison))
    else:
        print_report(comparison, Console())
    if html:
        write_html(comparison, html)
        _say(f"HTML report written to {html}")


@app.command()
def compare(
    files: list[Path] = typer.Argument(..., help="Article files: .txt, .html, .jsonl, RSS/Atom .xml"),
    json_out: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
    csv_out: bool = typer.Option(False, "--csv", help="Print the fact grid as CSV."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write a self-contained HTML report."),
    outlet: str = typer.Option("", "--outlet", help="Outlet name for files that do not say."),
) -> None:
    """Compare articles about one event.

    Example: parallax compare examples/zerohedge.txt examples/rt.txt --html report.html
    """
    raise typer.Exit(run_compare(files, json_out, csv_out, html, outlet))


@app.command()
def demo(
    html: Path = typer.Option(Path("parallax-report.html"), "--html", help="Where to write the HTML report."),
    json_out: bool = typer.Option(False, "--json", help="Print JSON instead of the terminal report."),
) -> None:
    """Analyse the bundled example (two outlets' reports of one 2020 Libya story).

    Example: parallax demo --html parallax-report.html
    """
    paths = sorted(EXAMPLES.glob("*.txt"))
    if not paths:
        _fail(f"bundled examples not found in {EXAMPLES}")
    raise typer.Exit(run_compare(paths, json_out, False, html, ""))


@app.command()
def analyze(
    file: Path = typer.Argument(..., help="One article file."),
    outlet: str = typer.Option("", "--outlet"),
) -> None:
    """Analyse single articles and print their annotations as JSON (one object per article).

    Example: parallax analyze examples/rt.txt
    """
    from .ingest import read_file
    from .pipeline import analyze_many

    try:
        articles, failures = read_file(file, DEFAULT, outlet)
    except errors.InputError as exc:
        _fail(str(exc))
    for f in failures:
        _say(f"parallax: skipped {f}")
    for a in analyze_many(articles):
        print(json.dumps(a.to_dict(), ensure_ascii=False))


@app.command()
def bench(
    task: str = typer.Argument(..., help="Benchmark task: pairs, speed."),
    data: Path = typer.Option(..., "--data", help="Benchmark data file (JSONL)."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object of metrics on the last line."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use at most N records."),
    split: Optional[str] = typer.Option(None, "--split", help="Data split where the file has one (quotes: dev, train, all)."),
    scale: Optional[int] = typer.Option(None, "--scale", help="cluster: per-article assignment time at N synthesised articles."),
) -> None:
    """Measure one capability on labelled data and print its metrics.

    Example: parallax bench pairs --data ../shared/data/semeval22_pairs.jsonl --json
    """
    from .bench import TASKS

    if task not in TASKS:
        _fail(f"unknown bench task {task!r}; choose from {', '.join(sorted(TASKS))}", 2)
    kwargs: dict = {"limit": limit} if limit else {}
    if split:
        kwargs["split"] = split
    try:
        if scale:
            from .bench.cluster import run_cluster_scale

            if task != "cluster":
                _fail("--scale is available for the cluster task", 2)
            metrics = run_cluster_scale(data, scale, DEFAULT)
        else:
            metrics = TASKS[task](data, DEFAULT, **kwargs)
    except errors.ParallaxError as exc:
        _fail(str(exc))
    if json_out:
        print(json.dumps(metrics, sort_keys=True))
    else:
        for k, v in metrics.items():
            print(f"{k:>28}  {v:.4f}" if isinstance(v, float) else f"{k:>28}  {v}")


def _open(db: str):
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
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, expand=True)
    for c in columns:
        wide = c in ("title", "reason", "source", "outlets")
        t.add_column(_SHORT.get(c, c), ratio=3 if wide else None, no_wrap=not wide, overflow="fold")
    for r in rows:
        t.add_row(*[Text(_cell(r.get(c))) for c in columns])
    Console().print(t)


@app.command()
def ingest(
    db: str = typer.Argument(..., help="Database: a file path (SQLite) or a postgresql:// URL."),
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive), globs, or - for JSONL on stdin."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    batch_size: int = typer.Option(DEFAULT.batch_size, "--batch-size", help="Articles per committed batch."),
) -> None:
    """Store articles in a news database, find near-duplicates and assign stories.

    Idempotent and resumable: articles already stored are skipped before any analysis.
    Example: parallax ingest news.db articles/ feeds/*.xml
    """
    from dataclasses import replace

    from .database import ingest_into

    store = _open(db)
    options = replace(DEFAULT, batch_size=max(1, batch_size))
    with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("ingest", total=None)
        try:
            summary = ingest_into(store, paths, options, progress=lambda n: bar.advance(task, n), stdin=sys.stdin)
        except errors.ParallaxError as exc:
            _fail(str(exc))
    for f in summary.failures:
        _say(f"parallax: skipped {f}")
    if json_out:
        print(json.dumps(summary.to_dict()))
    else:
        counts = store.counts()
        print(f"ingested {summary.ingested}, duplicates {summary.duplicates}, "
              f"near-duplicates {summary.near_duplicates}, failed {summary.failed} "
              f"in {summary.seconds:.1f}s; database now holds {counts['articles']} articles "
              f"in {counts['stories']} stories")
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def failures(
    db: str = typer.Argument(..., help="Database path or URL."),
    json_out: bool = typer.Option(False, "--json"),
    csv_out: bool = typer.Option(False, "--csv"),
) -> None:
    """List inputs that could not be ingested, with the reason.

    Example: parallax failures news.db
    """
    rows = _open(db).failures()
    _emit_rows(rows, json_out, csv_out, ["source", "reason", "at"], f"{len(rows)} failures")


@app.command()
def stories(
    db: str = typer.Argument(..., help="Database path or URL."),
    outlet: Optional[str] = typer.Option(None, "--outlet", help="Only stories this outlet covered."),
    since: Optional[str] = typer.Option(None, "--since", help="Only stories still running on/after this date."),
    json_out: bool = typer.Option(False, "--json"),
    csv_out: bool = typer.Option(False, "--csv"),
) -> None:
    """List stories: title, date span, outlets, article count (newest first).

    Example: parallax stories news.db --outlet nyt --since 2024-01-01
    """
    from .database import list_stories

    rows = [s.to_dict() for s in list_stories(_open(db), outlet, since)]
    _emit_rows(rows, json_out, csv_out, ["id", "title", "first_published", "last_published", "n_articles", "outlets"],
               f"{len(rows)} stories")


@app.command()
def story(
    db: str = typer.Argument(..., help="Database path or URL."),
    story_id: str = typer.Argument(..., help="Story id (see `parallax stories`)."),
    json_out: bool = typer.Option(False, "--json"),
    csv_out: bool = typer.Option(False, "--csv"),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write the HTML report."),
    timeline: bool = typer.Option(False, "--timeline", help="Show who published first and who copied whom."),
) -> None:
    """The full comparison report for one story (or its timeline).

    Example: parallax story news.db s12 --html story.html
    """
    from .database import story_report, story_timeline

    store = _open(db)
    try:
        if timeline:
            flow = story_timeline(store, story_id)
            if json_out:
                print(json.dumps(flow.to_dict(), ensure_ascii=False))
            else:
                rows = [{**st.to_dict(), "lag_hours": "" if st.lag_hours is None else st.lag_hours} for st in flow.steps]
                _emit_rows(rows, False, csv_out, ["published", "lag_hours", "outlet", "title", "copy_of_outlet"],
                           f"story {story_id}: first published by {flow.first_outlet}")
            return
        comparison = story_report(store, story_id)
    except errors.ParallaxError as exc:
        _fail(str(exc))
    _emit_comparison(comparison, json_out, csv_out, html)


@app.command()
def export(
    db: str = typer.Argument(..., help="Database path or URL."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl, csv or parquet."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output file (default: stdout; required for parquet)."),
) -> None:
    """Export every stored article with its story and annotations.

    Example: parallax export news.db --format csv --out articles.csv
    """
    from .database import export as do_export

    store = _open(db)
    try:
        if fmt == "parquet":
            if out is None:
                _fail("parquet export needs --out FILE")
            n = do_export(store, fmt, str(out))
        elif out is not None:
            with open(out, "w", encoding="utf-8", newline="") as fh:
                n = do_export(store, fmt, fh)
        else:
            n = do_export(store, fmt, sys.stdout)
    except errors.ParallaxError as exc:
        _fail(str(exc))
    _say(f"exported {n} articles")


@app.command()
def recluster(db: str = typer.Argument(..., help="Database path or URL.")) -> None:
    """Merge stories that turned out to report the same event.

    Example: parallax recluster news.db
    """
    from .database import recluster as do_recluster

    ops = do_recluster(_open(db))
    print(f"{len(ops)} changes")
    for op in ops:
        print(json.dumps(op, default=str))


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="parallax: %(message)s")
    try:
        app()
    except errors.ParallaxError as exc:
        _say(f"parallax: {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
