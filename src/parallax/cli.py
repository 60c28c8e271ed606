"""Command-line interface: a thin typer layer.  Each command parses, calls a plain function of
the library and prints; library errors become one clean line and a non-zero exit code."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Optional

import typer

from . import errors
from .cli_base import EXAMPLES, _emit_comparison, _fail, _progress, _say, app, err  # noqa: F401
from .options import DEFAULT


def run_compare(paths: list[Path], json_out: bool, csv_out: bool, html: Optional[Path], outlet: str,
                width: Optional[int] = None) -> int:
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
    for f in comparison.failures:
        _say(f"parallax: skipped {f['source']}: {f['reason']}")
    _emit_comparison(comparison, json_out, csv_out, html, width)
    return 1 if failures or comparison.failures else 0


@app.command()
def compare(
    files: list[Path] = typer.Argument(..., help="Article files: .txt, .html, .jsonl, RSS/Atom .xml"),
    json_out: bool = typer.Option(False, "--json", help="Print the comparison as JSON."),
    csv_out: bool = typer.Option(False, "--csv", help="Print the fact grid as CSV."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write a self-contained HTML report."),
    outlet: str = typer.Option("", "--outlet", help="Outlet name for files that do not say."),
    width: Optional[int] = typer.Option(None, "--width", min=40, help="Terminal width to lay the report out for "
                                        "(default: the terminal's, or $COLUMNS)."),
) -> None:
    """Compare articles about one event.

    Example: parallax compare examples/zerohedge.txt examples/rt.txt --html report.html
    """
    raise typer.Exit(run_compare(files, json_out, csv_out, html, outlet, width))


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
    data: Optional[Path] = typer.Option(None, "--data", help="Benchmark data file (JSONL; fetch needs none)."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object of metrics on the last line."),
    limit: Optional[int] = typer.Option(None, "--limit", help="Use at most N records."),
    split: Optional[str] = typer.Option(None, "--split", help="Data split where the file has one (quotes: dev, train, all; actors: dev, heldout, all; align: dev, heldout, dev2, heldout2, all; speaker gold: dev, heldout, heldout2, all)."),
    scale: Optional[int] = typer.Option(None, "--scale", help="cluster, speed: per-article assignment (and commit) time at N synthesised articles."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="speed: worker processes on both sides (default: one per core)."),
    embed_sentences: bool = typer.Option(False, "--embed-sentences", help="speed: embed every body sentence at ingest."),
    cv: Optional[int] = typer.Option(None, "--cv", help="bias, propaganda: retrain K-fold on the file and score held-out folds."),
    store: Optional[str] = typer.Option(None, "--store", help="speed --scale: run on a fresh database on this PostgreSQL server (postgresql://user@host:port) instead of SQLite."),
) -> None:
    """Measure one capability on labelled data and print its metrics.

    Example: parallax bench pairs --data ../shared/data/semeval22_pairs.jsonl --json
    """
    from .bench import TASKS

    if task not in TASKS:
        _fail(f"unknown bench task {task!r}; choose from {', '.join(sorted(TASKS))}", 2)
    if data is None and task != "fetch":
        _fail("--data is required for this task", 2)
    kwargs: dict = {"limit": limit} if limit else {}
    if split:
        kwargs["split"] = split
    if cv:
        kwargs["cv"] = cv
    if store:
        if task != "speed" or not scale:
            _fail("--store is available for the speed task with --scale", 2)
        kwargs["store"] = store
    if workers is not None:
        if task != "speed":
            _fail("--workers is available for the speed task", 2)
        if workers < 0:
            _fail(f"--workers must be 0 (one per core) or more, got {workers}", 2)
        kwargs["workers"] = workers or None
    options = DEFAULT
    if embed_sentences:
        from dataclasses import replace

        if task != "speed":
            _fail("--embed-sentences is available for the speed task", 2)
        options = replace(DEFAULT, embed_sentences=True)
    try:
        if scale and task == "speed":
            metrics = TASKS[task](data, options, scale=scale, **kwargs)
        elif scale:
            from .bench.cluster import run_cluster_scale

            if task != "cluster":
                _fail("--scale is available for the cluster and speed tasks", 2)
            metrics = run_cluster_scale(data, scale, DEFAULT)
        else:
            metrics = TASKS[task](data, options, **kwargs)
    except errors.ParallaxError as exc:
        _fail(str(exc))
    if json_out:
        print(json.dumps(metrics, sort_keys=True))
    else:
        for k, v in metrics.items():
            print(f"{k:>28}  {v:.4f}" if isinstance(v, float) else f"{k:>28}  {v}")


@app.command()
def train(
    what: str = typer.Argument(..., help="What to train: framing (sentence bias + biased words) or techniques."),
    data: Path = typer.Option(..., "--data", help="Labelled JSONL: BABE format for framing, PTC format for techniques."),
    out: Optional[Path] = typer.Option(None, "--out", help="Where to save the model (default: the path the framing stage reads)."),
    licence: str = typer.Option("not stated", "--licence", help="Licence of the training data, recorded in the model card."),
) -> None:
    """Train a model from your own labelled data and save it with a card naming the data and its licence.

    Example: parallax train framing --data my_sentences.jsonl --licence CC-BY-4.0
    """
    from .analysis import framing_model as fm

    if what not in ("framing", "techniques"):
        _fail(f"unknown model {what!r}; choose framing or techniques", 2)
    try:
        card = {"trained_on": str(data.resolve()), "data_sha256": fm.file_sha256(data) if data.is_file() else "",
                "data_licence": licence, "parallax_model": what,
                "note": "Weights derived from this data; the data's licence may bind their use and redistribution."}
        if what == "framing":
            sents = fm.read_labelled(data)
            model = fm.FramingModel.train(sents)
            model.card = {**card, "records": len(sents)}
            path = model.save(out or fm.save_path())
        else:
            import joblib

            from .analysis.techniques import SpanTagger, TechniqueClassifier
            from .bench.propaganda import load_ptc

            arts = load_ptc(data)
            items = [(a.text, s, e) for a in arts for _, s, e in a.spans]
            labels = [t for a in arts for t, _, _ in a.spans]
            bundle = {"tagger": SpanTagger().fit(arts), "classifier": TechniqueClassifier().fit(items, labels),
                      "card": {**card, "records": len(arts)}}
            path = Path(out or fm.save_path().with_name("techniques.joblib"))
            path.parent.mkdir(parents=True, exist_ok=True)
            joblib.dump(bundle, path)
            path.with_suffix(".json").write_text(json.dumps(bundle["card"], indent=2) + "\n")
    except (errors.ParallaxError, ValueError) as exc:
        _fail(str(exc))
    _say(f"parallax: saved {what} model to {path} (card: {path.with_suffix('.json')})")


# the database, live-source, web and network commands live in cli_db.py (same app)
from . import cli_db  # noqa: E402,F401  (registers its commands on ``app`` of cli_base)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="parallax: %(message)s")
    try:
        app()
    except errors.ParallaxError as exc:
        _say(f"parallax: {exc}")
        sys.exit(1)


if __name__ == "__main__":
    # run the importable module's app: cli_db registered its commands there, not on __main__'s
    from parallax import cli as _cli

    _cli.main()
