"""Ingest progress as a person reads it (issue 23): a total counted first when cheap, rate and
time left, and plain periodic lines on stderr when the output is not a terminal."""

from __future__ import annotations

import io
import json

from typer.testing import CliRunner

from parallax.cli import app
from parallax.meter import Meter, count_inputs

from .test_cli_db import QUAKE_1, QUAKE_2


def test_count_inputs_counts_lines_and_files(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n\n{"text": "z"}')  # no final newline
    sub = tmp_path / "folder"
    sub.mkdir()
    (sub / "one.txt").write_text("An article.")
    (sub / "two.html").write_text("<p>Another.</p>")
    assert count_inputs([str(tmp_path / "a.jsonl")]) == 4  # lines, counted without parsing
    assert count_inputs([str(sub)]) == 2
    assert count_inputs([str(tmp_path / "a.jsonl"), str(sub)]) == 6
    assert count_inputs([str(sub / "*.txt")]) == 1
    # unknown without fetching or parsing: no guess
    assert count_inputs(["https://example.org/feed.xml"]) is None
    assert count_inputs(["-"]) is None
    (sub / "feed.xml").write_text("<rss/>")
    assert count_inputs([str(sub)]) is None


def test_meter_says_rate_and_time_left_and_prints_periodically():
    now = [0.0]
    out = io.StringIO()
    m = Meter("ingesting", 100, stream=out, every=10, clock=lambda: now[0])
    now[0] = 2.0
    m.advance(4)  # 4 %: no step crossed, 2 s < 10 s: nothing printed
    assert out.getvalue() == ""
    now[0] = 5.0
    m.advance(6)  # 10 %: a line
    assert out.getvalue().splitlines() == ["ingesting: 10/100 (10%) · 2.0/s · about 45 s left"]
    now[0] = 16.0
    m.advance(1)  # 11 s since the last line: a line
    assert len(out.getvalue().splitlines()) == 2
    now[0] = 50.0
    m.close()
    assert out.getvalue().splitlines()[-1] == "ingesting: done, 11 in 50 s (0.2/s)"
    unknown = Meter("ingesting", None, stream=None, clock=lambda: 10.0)
    unknown.start = 0.0
    unknown.advance(20)
    assert unknown.line() == "ingesting: 20 (total unknown) · 2.0/s"


def test_ingest_not_on_a_terminal_prints_plain_progress_lines(tmp_path):
    rows = [{"text": QUAKE_1, "outlet": "andes", "date": "2024-03-02"},
            {"text": QUAKE_2, "outlet": "pacific", "date": "2024-03-02"}]
    (tmp_path / "n.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "n.db"), str(tmp_path / "n.jsonl")])
    assert res.exit_code == 0, res.output
    lines = [x for x in res.stderr.splitlines() if x.startswith("ingesting:")]
    assert any("/2 (" in x for x in lines), res.stderr  # the total was counted first
    assert lines[-1].startswith("ingesting: done, 2 in ")
