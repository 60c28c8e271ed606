"""Reports: HTML is self-contained and escapes article text; JSON and CSV carry the comparison."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rich.console import Console

from parallax.compare import compare
from parallax.model import Article, Comparison
from parallax.report import print_report, render_html, to_csv, to_json

HOSTILE_TITLE = 'Breaking <script>alert("title")</script>'
HOSTILE_TEXT = (
    'Officials said the vote was delayed <script>alert("xss")</script> until Monday.\n'
    'The minister said "the <img src=x onerror=alert(1)> plan is fine" to reporters on Sunday.\n'
    'Critics [bold red]ignored[/] the <a href="javascript:alert(2)">link</a> and \x1b[31mescape\x1b[0m codes.'
)


@pytest.fixture(scope="module")
def hostile() -> Comparison:
    a = Article.new(HOSTILE_TEXT, outlet='evil<b>outlet</b>', title=HOSTILE_TITLE, url="javascript:alert(3)")
    b = Article.new("Officials said the vote was delayed until Monday, the election board confirmed.",
                    outlet="calm", title="Vote delayed")
    return compare([a, b])


def test_html_escapes_everything(hostile):
    html = render_html(hostile)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img" in html
    assert 'href="javascript:' not in html
    assert "<b>outlet</b>" not in html and "evil&lt;b&gt;outlet&lt;/b&gt;" in html


def test_html_self_contained(hostile):
    html = render_html(hostile)
    lower = html.lower()
    assert "<link" not in lower and 'src="http' not in lower and "cdn" not in lower
    assert "<style>" in lower  # styles are inline, so the file works offline
    assert "Content-Security-Policy" in html


def test_terminal_report_is_plain_text(hostile):
    console = Console(record=True, width=120, color_system=None)
    print_report(hostile, console)
    out = console.export_text()
    assert "[bold red]ignored[/]" in out  # shown literally, not interpreted as markup
    assert "\x1b" not in out
    assert "Vote delayed" in out or "calm" in out


def test_json_round_trip(hostile):
    data = json.loads(to_json(hostile))
    assert Comparison.from_dict(data) == hostile
    assert {a["outlet"] for a in data["articles"]} == {"evil<b>outlet</b>", "calm"}


def test_csv_grid(hostile):
    rows = list(csv.DictReader(io.StringIO(to_csv(hostile))))
    assert rows and set(rows[0]) == {"fact", "support", "outlet", "status", "sentence", "text"}
    assert {r["outlet"] for r in rows} == {"evil<b>outlet</b>", "calm"}
    assert any(r["status"] == "not reported" for r in rows)
    assert any(r["status"] == "reported" and "delayed" in r["text"] for r in rows)
