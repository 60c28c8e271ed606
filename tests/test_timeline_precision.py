"""`parallax story ID --timeline` on date-only inputs speaks in days and names the tie for first
(issue 23: time as precise as the data)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from parallax.cli import app

from .test_cli_db import QUAKE_1, QUAKE_2

runner = CliRunner()


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    d = tmp_path_factory.mktemp("days")
    rows = [
        {"text": QUAKE_1, "title": "Quake hits Arica", "outlet": "andes", "date": "2024-03-02"},
        {"text": QUAKE_2, "title": "Arica quake injures three", "outlet": "pacific", "date": "2024-03-02"},
    ]
    (d / "news.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    path = str(d / "news.db")
    res = runner.invoke(app, ["ingest", path, str(d / "news.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    stories = json.loads(runner.invoke(app, ["stories", path, "--json"]).stdout)
    assert len(stories) == 1
    return path, stories[0]["id"]


def test_timeline_json_has_day_lags_and_no_first_outlet(story):
    path, sid = story
    flow = json.loads(runner.invoke(app, ["story", path, sid, "--timeline", "--json"]).stdout)
    assert flow["first_outlet"] == "" and flow["first_outlets"] == ["andes", "pacific"]
    assert [s["lag_hours"] for s in flow["steps"]] == [None, None]
    assert [s["lag_days"] for s in flow["steps"]] == [0, 0]
    assert {s["precision"] for s in flow["steps"]} == {"day"}


def test_timeline_table_says_same_day(story):
    path, sid = story
    res = runner.invoke(app, ["story", path, sid, "--timeline"], env={"COLUMNS": "120"})
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "first published the same day by andes, pacific" in out
    assert "same day" in out and "hours" not in out and "first published by" not in out


def test_web_story_page_speaks_in_days(story):
    """The web page says what the CLI says, and its timeline axis has no invented time."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from parallax.web import create_app

    path, sid = story
    html = TestClient(create_app(path, report_wait=600)).get(f"/stories/{sid}").text
    said = " ".join(html.split("<p id=\"first-published\">")[1].split("</p>")[0].split())
    assert said == "First published the same day by andes, pacific."
    timeline = html.split('aria-label="Coverage timeline')[1].split("</svg>")[0]
    assert "00:00" not in timeline and "2024-03-02 · all same day" in timeline
