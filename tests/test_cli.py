"""The command line: thin commands, clean one-line errors, non-zero exit when an input failed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from parallax.cli import app

from .conftest import EXAMPLES

runner = CliRunner()


def test_compare_json(tmp_path):
    res = runner.invoke(app, ["compare", str(EXAMPLES / "zerohedge.txt"), str(EXAMPLES / "rt.txt"), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert {a["outlet"] for a in data["articles"]} == {"zerohedge", "rt"}
    assert data["event"]


def test_compare_html_and_bad_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["compare", str(EXAMPLES / "zerohedge.txt"), str(bad), str(EXAMPLES / "rt.txt"),
                              "--html", str(out)])
    assert res.exit_code == 1  # something failed, the rest was still analysed
    assert f"parallax: skipped {bad}: looks like binary data" in res.output
    assert out.exists() and "zerohedge" in out.read_text()
    assert "What all 2 report" in res.output


def test_compare_nothing_readable(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = runner.invoke(app, ["compare", str(empty)])
    assert res.exit_code == 1
    assert "empty.txt: empty file" in res.output and "no readable articles" in res.output
    assert "Traceback" not in res.output


def test_bench_unknown_task(tmp_path):
    res = runner.invoke(app, ["bench", "nope", "--data", str(tmp_path / "x.jsonl")])
    assert res.exit_code == 2 and "unknown bench task" in res.output


def test_every_command_has_help_with_example():
    for cmd in ("compare", "demo", "analyze", "bench"):
        res = runner.invoke(app, [cmd, "--help"])
        assert res.exit_code == 0 and "Example:" in res.output, cmd
