"""The database commands end to end on small fixture articles: ingest, stories, story,
timeline, failures, export, recluster."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from parallax.cli import app

runner = CliRunner()

QUAKE_1 = ("A magnitude 6.8 earthquake struck the northern Chilean port of Arica on Saturday, "
           "injuring three people and damaging dozens of homes, officials said. The emergency office "
           "said there was no tsunami threat. Mayor Ana Torres told Reuters the harbour was closed.")
QUAKE_2 = ("Three people were hurt when a strong 6.8 magnitude quake hit Arica in northern Chile on "
           "Saturday, authorities said. Dozens of houses were damaged and the port was shut, Mayor Ana "
           "Torres said. Officials ruled out a tsunami.")
QUAKE_COPY = QUAKE_1.replace("on Saturday", "on Saturday morning")
ELECTION = ("Voters in Portugal went to the polls on Sunday in a snap parliamentary election called "
            "after the prime minister resigned over a corruption inquiry. Turnout was higher than in "
            "2022, the electoral commission said, and results are expected late on Sunday night.")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = tmp_path_factory.mktemp("news")
    src = d / "in"
    src.mkdir()
    rows = [
        {"text": QUAKE_1, "title": "Quake hits Arica", "outlet": "andes", "date": "2024-03-02T10:00:00Z"},
        {"text": QUAKE_2, "title": "Arica quake injures three", "outlet": "pacific", "date": "2024-03-02T14:00:00Z"},
        {"text": QUAKE_COPY, "title": "Quake hits Arica", "outlet": "copycat", "date": "2024-03-02T18:00:00Z"},
        {"text": ELECTION, "title": "Portugal votes", "outlet": "iberia", "date": "2024-03-10"},
    ]
    (src / "news.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    (src / "empty.txt").write_bytes(b"")
    path = str(d / "news.db")
    res = runner.invoke(app, ["ingest", path, str(src), "--json"])
    assert res.exit_code == 1, res.output  # the empty file failed, the rest was stored
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert summary["ingested"] == 3 and summary["near_duplicates"] == 1 and summary["failed"] == 1
    return path, src


def test_ingest_again_is_idempotent(db):
    path, src = db
    res = runner.invoke(app, ["ingest", path, str(src / "news.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert summary["ingested"] == 0 and summary["duplicates"] == 4


def _stories(path):
    res = runner.invoke(app, ["stories", path, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_stories_separate_events_and_count_copies_once(db):
    path, _ = db
    stories = _stories(path)
    assert len(stories) == 2
    quake = next(s for s in stories if "andes" in s["outlets"])
    assert set(quake["outlets"]) == {"andes", "pacific", "copycat"}
    assert quake["n_articles"] == 2  # the copy is not independent coverage
    assert quake["first_published"].startswith("2024-03-02")


def test_stories_filters_and_csv(db):
    path, _ = db
    res = runner.invoke(app, ["stories", path, "--outlet", "iberia", "--json"])
    assert [s["outlets"] for s in json.loads(res.stdout)] == [["iberia"]]
    res = runner.invoke(app, ["stories", path, "--csv"])
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 2 and "title" in rows[0]


def test_story_report_and_timeline(db, tmp_path):
    path, _ = db
    quake = next(s for s in _stories(path) if "andes" in s["outlets"])
    html = tmp_path / "story.html"
    res = runner.invoke(app, ["story", path, quake["id"], "--json", "--html", str(html)])
    assert res.exit_code == 0, res.output
    comp = json.loads(res.stdout)
    assert {a["outlet"] for a in comp["articles"]} == {"andes", "pacific"}  # copy left out
    assert comp["shared"] and html.exists()
    res = runner.invoke(app, ["story", path, quake["id"], "--timeline", "--json"])
    flow = json.loads(res.stdout)
    assert flow["first_outlet"] == "andes"
    assert flow["copy_only_outlets"] == ["copycat"]
    assert [s["lag_hours"] for s in flow["steps"]] == [0.0, 4.0, 8.0]


def test_unknown_story_is_a_clean_error(db):
    path, _ = db
    res = runner.invoke(app, ["story", path, "no-such-story"])
    assert res.exit_code == 1 and "no story 'no-such-story'" in res.output


def test_failures_listed(db):
    path, _ = db
    res = runner.invoke(app, ["failures", path, "--json"])
    rows = json.loads(res.stdout)
    assert len(rows) == 1 and rows[0]["source"].endswith("empty.txt") and rows[0]["reason"] == "empty file"


def test_export_jsonl_and_csv(db, tmp_path):
    path, _ = db
    res = runner.invoke(app, ["export", path, "--format", "jsonl"])
    lines = [json.loads(x) for x in res.stdout.strip().splitlines() if x.startswith("{")]
    assert len(lines) == 4 and all(x["story_id"] for x in lines)
    assert sum(1 for x in lines if x["near_duplicate_of"]) == 1
    out = tmp_path / "a.csv"
    res = runner.invoke(app, ["export", path, "--format", "csv", "--out", str(out)])
    assert res.exit_code == 0 and len(list(csv.DictReader(out.open()))) == 4
    res = runner.invoke(app, ["export", path, "--format", "xml"])
    assert res.exit_code == 1 and "unknown export format" in res.output


def test_recluster_keeps_every_article(db):
    path, _ = db
    res = runner.invoke(app, ["recluster", path])
    assert res.exit_code == 0, res.output
    stories = _stories(path)
    assert sum(s["n_articles"] for s in stories) == 3


def test_reference_articles_form_one_story(tmp_path):
    from .conftest import EXAMPLES

    path = str(tmp_path / "ref.db")
    res = runner.invoke(app, ["ingest", path, str(EXAMPLES)])
    assert res.exit_code == 0, res.output
    stories = _stories(path)
    assert len(stories) == 1 and set(stories[0]["outlets"]) == {"zerohedge", "rt"}
