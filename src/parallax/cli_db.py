"""Command-line interface, part two: commands that work on a news database (ingest, stories,
story, failures, export, recluster, check, watch, sources, serve, actors, relations, graph).

Same thin-layer rule as :mod:`parallax.cli`: parse, call a plain function, print.  The commands
register on the one typer ``app`` defined there.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)

from . import errors
from .cli_base import _emit_comparison, _emit_rows, _fail, _open, _say, app, err
from .options import DEFAULT


@contextmanager
def _bar(label: str, total: int | None = None):
    """Progress on stderr: yields (advance(n), set_total(n)).  On a terminal a transient bar with
    count, rate and time left; otherwise a plain line every 10 s and at each 10 % (see
    :mod:`parallax.meter`), so logs show the work moving."""
    from .meter import Meter

    if not err.is_terminal:
        meter = Meter(label, total, stream=sys.stderr)
        yield meter.advance, meter.set_total
        meter.close()
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                  TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                  console=err, transient=True) as bar:
        meter = Meter(label, total)
        task = bar.add_task(label, total=total, rate="")

        def advance(n: int) -> None:
            meter.advance(n)
            bar.update(task, advance=n, rate=f"{meter.rate():.1f}/s")

        def set_total(n: int | None) -> None:
            meter.set_total(n)
            bar.update(task, total=n)
        yield advance, set_total


def _summary(summary, json_out: bool, line: str) -> None:
    """Name each failure on stderr, then print the summary as JSON or as one line."""
    for f in summary.failures:
        _say(f"parallax: skipped {f}")
    print(json.dumps(summary.to_dict()) if json_out else line)


@app.command()
def ingest(
    db: str = typer.Argument(..., help="Database: a file path (SQLite) or a postgresql:// URL."),
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive), globs, - for JSONL on stdin, or "
                                                "http(s) URLs of articles, RSS/Atom feeds or sitemaps."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    batch_size: int = typer.Option(DEFAULT.batch_size, "--batch-size", help="Articles per committed batch."),
    multilingual: bool = typer.Option(DEFAULT.story_space == "multilingual", "--multilingual",
                                      help="Story features in the multilingual space, so reports of one event in "
                                           "different languages share a story (slower; keep it for the database's life)."),
    workers: int = typer.Option(0, "--workers", "-w", help="Processes (local) or Ray actors for the per-article "
                                                           "stages; 0 = one per CPU core."),
    engine_name: str = typer.Option("local", "--engine", help="Where the per-article stages run: local or ray."),
    address: str = typer.Option(None, "--address", help="Ray cluster to join (auto, ray://host:10001); "
                                                        "default: a local Ray instance."),
    embed_sentences: bool = typer.Option(False, "--embed-sentences", help="Embed every body sentence now (else at a "
                                         "story's first comparison); worth it when most stories will be compared."),
) -> None:
    """Store articles in a news database, find near-duplicates and assign stories.

    Idempotent and resumable: articles already stored are skipped before any analysis.
    Example: parallax ingest news.db articles/ feeds/*.xml https://example.org/rss.xml
    """
    from dataclasses import replace

    from .engines import make_executor
    from .workflows import ingest_sources

    if engine_name not in ("local", "ray"):
        _fail(f"unknown engine {engine_name!r}; choose local or ray")
    if workers < 0:
        _fail(f"--workers must be 0 (one per core) or more, got {workers}")
    store = _open(db)
    options = replace(DEFAULT, batch_size=max(1, batch_size), workers=workers, embed_sentences=embed_sentences,
                      story_space="multilingual" if multilingual else "english")
    from .meter import count_inputs

    with _bar("ingesting", count_inputs(paths)) as (advance, _):
        try:
            with make_executor(engine_name, options, workers=workers or None, address=address) as executor:
                summary = ingest_sources(store, paths, options, progress=advance, stdin=sys.stdin, executor=executor)
        except errors.ParallaxError as exc:
            _fail(str(exc))
    counts = store.counts()
    _summary(summary, json_out, f"ingested {summary.ingested}, duplicates {summary.duplicates}, "
             f"near-duplicates {summary.near_duplicates}, failed {summary.failed} in {summary.seconds:.1f}s; "
             f"database now holds {counts['articles']} articles in {counts['stories']} stories")
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def watch(
    db: str = typer.Argument(..., help="Database path or URL."),
    sources_file: Path = typer.Argument(..., help="Sources: one feed/sitemap/page URL per line, optional outlet name after it."),
    every: str = typer.Option("15m", "--every", help="Poll interval: 30s, 15m, 2h."),
    once: bool = typer.Option(False, "--once", help="Poll once and exit."),
    max_polls: Optional[int] = typer.Option(None, "--max-polls", help="Stop after N polls."),
    json_out: bool = typer.Option(False, "--json", help="One JSON summary line per poll."),
    min_interval: float = typer.Option(1.0, "--host-interval", help="Seconds between requests to one host."),
) -> None:
    """Poll feeds and pages, ingest new articles as they appear and assign them to stories.

    Polite: robots.txt, per-host rate limit, conditional requests, back-off on 429/503.
    Example: parallax watch news.db sources.txt --every 15m
    """
    from .fetch import parse_interval, read_sources_file
    from .workflows import watch_sources

    store = _open(db)
    try:
        interval = parse_interval(every)
        items = read_sources_file(sources_file)
    except errors.ParallaxError as exc:
        _fail(str(exc), 2)

    def report(n: int, s) -> None:
        if json_out:
            print(json.dumps({"poll": n, **s.to_dict()}), flush=True)
        else:
            i = s.ingest
            print(f"poll {n}: {s.sources} sources ({s.not_modified} unchanged), {s.fetched} pages fetched, "
                  f"ingested {i.ingested}, near-duplicates {i.near_duplicates}, already known {s.known + i.duplicates}, "
                  f"errors {len(s.errors)} in {s.seconds:.1f}s", flush=True)
        for url, reason in s.errors:
            _say(f"parallax: {url}: {reason}")

    try:
        watch_sources(store, items, interval, DEFAULT, max_polls=1 if once else max_polls, on_poll=report,
                      min_interval=min_interval)
    except KeyboardInterrupt:
        _say("parallax: watch stopped")


@app.command()
def sources(
    db: str = typer.Argument(..., help="Database path or URL."),
    json_out: bool = typer.Option(False, "--json"),
    csv_out: bool = typer.Option(False, "--csv"),
) -> None:
    """List watched and fetched sources: last success, errors, articles added.

    Example: parallax sources news.db
    """
    from .store.sources import SourceStore

    rows = SourceStore(_open(db)).sources()
    for r in rows:
        for k in ("added_at", "last_poll_at", "last_success_at", "last_error_at"):
            r[k] = r[k].strftime("%Y-%m-%d %H:%M:%S") if r.get(k) else ""
        r["errors"], r["articles"], r["polls"] = r.pop("n_errors"), r.pop("n_articles"), r.pop("n_polls")
    _emit_rows(rows, json_out, csv_out, ["url", "name", "kind", "last_success_at", "polls", "errors", "articles",
                                         "last_error"], f"{len(rows)} sources")


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
    lang: Optional[str] = typer.Option(None, "--lang", help="Only stories with an article in this language (ISO 639-1, e.g. de)."),
    json_out: bool = typer.Option(False, "--json"),
    csv_out: bool = typer.Option(False, "--csv"),
) -> None:
    """List stories: title, date span, outlets, languages, article count (newest first).

    Example: parallax stories news.db --outlet nyt --since 2024-01-01 --lang en
    """
    from .workflows import list_stories

    rows = [s.to_dict() for s in list_stories(_open(db), outlet, since, lang)]
    _emit_rows(rows, json_out, csv_out, ["id", "title", "first_published", "last_published", "n_articles", "outlets",
                                         "languages"], f"{len(rows)} stories")


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
    from .workflows import story_report, story_timeline

    store = _open(db)
    try:
        if timeline:
            flow = story_timeline(store, story_id)
            if json_out:
                print(json.dumps(flow.to_dict(), ensure_ascii=False))
            else:
                from .stories.flow import first_sentence

                rows = [st.to_dict() for st in flow.steps]
                _emit_rows(rows, False, csv_out, ["published", "lag", "outlet", "title", "copy_of_outlet"],
                           f"story {story_id}: {first_sentence(flow)}")
            return
        comparison = story_report(store, story_id)
    except errors.ParallaxError as exc:
        _fail(str(exc))
    for f in comparison.failures:
        _say(f"parallax: left out {f['source']}: {f['reason']}")
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
    from .workflows import export as do_export

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
    from .workflows import recluster as do_recluster

    ops = do_recluster(_open(db))
    print(f"{len(ops)} changes")
    for op in ops:
        print(json.dumps(op, default=str))


@app.command()
def reanalyze(
    db: str = typer.Argument(..., help="Database path or URL."),
    force: bool = typer.Option(False, "--force", help="Re-analyse every article, not only the stale ones."),
    workers: int = typer.Option(1, "--workers", "-w", help="Worker processes (0 = one per CPU core)."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Bring stored annotations up to date after an analysis change (stories are kept).

    The database records which analysis version made each article's annotations; only the
    articles another version made are redone.  Example: parallax reanalyze news.db
    """
    from dataclasses import replace

    from .workflows import reanalyze as do_reanalyze

    if workers < 0:
        _fail(f"--workers must be 0 (one per core) or more, got {workers}", 2)
    store = _open(db)
    options = replace(DEFAULT, workers=workers)
    with _bar("re-analysing") as (advance, total):
        try:
            summary = do_reanalyze(store, options, progress=advance, start=total, force=force)
        except errors.ParallaxError as exc:
            _fail(str(exc))
    _summary(summary, json_out, f"re-analysed {summary.updated}, already current {summary.current}, "
             f"failed {summary.failed} in {summary.seconds:.1f}s (analysis version {summary.version})")
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def check(
    db: str = typer.Argument(..., help="Database path or URL."),
    json_out: bool = typer.Option(False, "--json", help="Print the problems as a JSON array."),
) -> None:
    """Verify a news database: schema version, stories vs their articles, near-duplicate links,
    signatures, story states.  Exit code 1 when any problem is found.

    Example: parallax check news.db
    """
    from .store.check import check_store

    store = _open(db)
    try:
        problems = check_store(store)
    finally:
        store.close()
    if json_out:
        print(json.dumps([p.to_dict() for p in problems], ensure_ascii=False))
    else:
        for p in problems:
            print(p)
        print(f"{len(problems)} problems" if problems else "ok: no problems found")
    raise typer.Exit(1 if problems else 0)


@app.command()
def serve(
    db: str = typer.Argument(..., help="Database path or URL."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback unless you say otherwise)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    allow_ingest: bool = typer.Option(False, "--allow-ingest", help="Let the browser add articles (read-only otherwise)."),
    max_upload_mb: float = typer.Option(20.0, "--max-upload-mb", help="Largest ingest request accepted, in MB."),
) -> None:
    """Browse stories, compare outlets and follow actors in a local web app.

    Every page has a JSON twin (/stories.json, /stories/ID.json, ...), described at /openapi.json.
    Example: parallax serve news.db --port 8000
    """
    try:
        import uvicorn

        from .web.app import create_app, is_loopback
    except ImportError as exc:
        _fail(f"the web app needs fastapi, uvicorn and python-multipart ({exc.name} is missing): "
              "pip install fastapi uvicorn python-multipart")
    loopback = is_loopback(host)
    if not loopback:
        _say(f"parallax: warning: serving on {host}, reachable from other machines; the app has no login "
             "(use --host 127.0.0.1 to keep it local)")
    hosts = ["127.0.0.1", "localhost", "::1", host] if loopback else None
    try:
        web = create_app(db, allow_ingest=allow_ingest, max_body=int(max_upload_mb * 1024 * 1024), allowed_hosts=hosts)
    except errors.ParallaxError as exc:
        _fail(str(exc))
    _say(f"parallax: serving {db} on http://{'[' + host + ']' if ':' in host else host}:{port}/"
         f"{' (ingest allowed)' if allow_ingest else ' (read-only)'}")
    uvicorn.run(web, host=host, port=port, log_level="warning")


def _network(db: str, story_id: Optional[str]):
    """The actor network of one story or of the whole database (or a one-line error)."""
    from .workflows import actor_network

    try:
        return actor_network(_open(db), story_id)
    except errors.ParallaxError as exc:
        _fail(str(exc))


@app.command()
def actors(
    db: str = typer.Argument(..., help="Database path or URL."),
    story_id: Optional[str] = typer.Option(None, "--story", help="Only this story (default: the whole database)."),
    top: int = typer.Option(50, "--top", help="Show at most N actors (0: all)."),
    json_out: bool = typer.Option(False, "--json"),
    csv_out: bool = typer.Option(False, "--csv"),
) -> None:
    """Canonical actors (mentions merged across articles): type, role, aliases, outlets, links.

    Example: parallax actors news.db --story s12 --json
    """
    from .workflows import actor_rows

    net = _network(db, story_id)
    _emit_rows(actor_rows(net, top), json_out, csv_out,
               ["name", "type", "role", "mentions", "outlets", "aliases", "links", "relations"],
               f"{len(net.actors)} actors")


@app.command()
def relations(
    db: str = typer.Argument(..., help="Database path or URL."),
    story_id: Optional[str] = typer.Option(None, "--story", help="Only this story."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Only edges touching this actor (name or alias)."),
    single: bool = typer.Option(False, "--single-outlet", help="Only edges a single outlet asserts."),
    json_out: bool = typer.Option(False, "--json"),
    csv_out: bool = typer.Option(False, "--csv"),
) -> None:
    """Who backs, fights, meets, calls on, accuses or commands whom, and which outlets say so.

    Example: parallax relations news.db --actor Haftar
    """
    from .workflows import relation_rows

    edges = relation_rows(_network(db, story_id), actor, single)
    if json_out:
        print(json.dumps(edges, ensure_ascii=False))
        return
    rows = [{"subject": e["source"], "relation": ("not " if e["negated"] else "") + e["predicate"]
             + (" (hedged)" if e["hedged"] else ""), "object": e["target"], "outlets": e["outlets"],
             "evidence": e["evidence"][0]["text"] if e["evidence"] else ""} for e in edges]
    _emit_rows(rows, False, csv_out, ["subject", "relation", "object", "outlets", "evidence"], f"{len(rows)} relations")


@app.command()
def graph(
    db: str = typer.Argument(..., help="Database path or URL."),
    story_id: Optional[str] = typer.Option(None, "--story", help="Only this story."),
    fmt: str = typer.Option("json", "--format", help="graphml or json."),
    out: Path = typer.Option(..., "--out", help="Output file."),
) -> None:
    """Export the actor network (nodes: actors; edges: typed relations with outlets and evidence).

    Example: parallax graph news.db --story s12 --format graphml --out story.graphml
    """
    from .analysis.graph import FORMATS, write_graph

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; choose {', '.join(FORMATS)}", 2)
    g = _network(db, story_id).graph
    write_graph(g, fmt, out)
    _say(f"graph with {g.number_of_nodes()} actors and {g.number_of_edges()} relations written to {out}")
