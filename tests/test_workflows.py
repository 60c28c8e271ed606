"""The workflow layer: one error policy, Options checked when built, comparison from stored
annotations, reanalysis, and the same answers from the CLI and the web app.

Texts are hand-written for these tests.  The tests marked ``e2e`` build a small database through
the real pipeline (a few seconds); the rest need no database."""

from __future__ import annotations

import dataclasses
import json

import pytest

from parallax import errors
from parallax.model import Article
from parallax.options import DEFAULT, Options, OptionsError

QUAKE_1 = ("A magnitude 6.8 earthquake struck the northern Chilean port of Arica on Saturday, injuring three "
           "people and damaging dozens of homes, officials said. The emergency office said there was no tsunami "
           "threat. Mayor Ana Torres told Reuters the harbour was closed. \"We are checking every building,\" "
           "Torres said.")
QUAKE_2 = ("Three people were hurt when a strong 6.8 magnitude quake hit Arica in northern Chile on Saturday, "
           "authorities said. Dozens of houses were damaged and the port was shut, Mayor Ana Torres said. "
           "Officials ruled out a tsunami. President Gabriel Boric praised the rescue teams.")
QUAKE_3 = ("Chile's President Gabriel Boric visited Arica on Sunday, a day after a 6.8 magnitude earthquake "
           "injured three people there. Boric met Mayor Ana Torres and promised money to rebuild damaged homes. "
           "\"Nobody will be left alone,\" Boric said.")
ELECTION = ("Voters in Portugal went to the polls on Sunday in a snap parliamentary election called after the "
            "prime minister resigned over a corruption inquiry. Turnout was higher than in 2022, the electoral "
            "commission said, and results are expected late on Sunday night.")
RECORDS = [
    {"text": QUAKE_1, "title": "Quake hits Arica", "outlet": "andes", "date": "2024-03-02T10:00:00Z"},
    {"text": QUAKE_2, "title": "Arica quake injures three", "outlet": "pacific", "date": "2024-03-02T14:00:00Z"},
    {"text": QUAKE_3, "title": "Boric visits Arica", "outlet": "austral", "date": "2024-03-03T09:00:00Z"},
    {"text": ELECTION, "title": "Portugal votes", "outlet": "iberia", "date": "2024-03-10"},
]


# --- Options ------------------------------------------------------------------------------------
@pytest.mark.parametrize("field,value,words", [
    ("embed_backend", "gpu-magic", "embed_backend"),
    ("workers", -1, "workers"),
    ("align_threshold", 1.5, "align_threshold"),
    ("story_join_probability", -0.1, "story_join_probability"),
    ("batch_size", 0, "batch_size"),
    ("event_cover", "high", "event_cover"),
])
def test_options_refuse_bad_values_naming_the_field(field, value, words):
    with pytest.raises(OptionsError) as exc:
        dataclasses.replace(DEFAULT, **{field: value})
    assert words in str(exc.value) and "\n" not in str(exc.value)
    assert isinstance(exc.value, errors.ParallaxError)


def test_options_defaults_are_valid_and_edges_accepted():
    Options()
    dataclasses.replace(DEFAULT, align_threshold=0.0, story_merge_probability=1.0, workers=0, embed_backend="torch")


# --- one error policy -----------------------------------------------------------------------------
def test_skip_failures_isolates_the_bad_item():
    from parallax.pipeline import skip_failures

    def double(xs):
        if any(x == 3 for x in xs):
            raise ValueError("three is bad")
        return [2 * x for x in xs]

    done, failed = skip_failures(double, [1, 2, 3, 4])
    assert done == [2, 4, 8]
    assert len(failed) == 1 and "ValueError: three is bad" in failed[0].reason
    assert skip_failures(double, []) == ([], [])


def test_compare_reports_the_others_when_a_stage_raises(monkeypatch):
    """One article makes the quote stage raise: the comparison covers the other two and names it."""
    import parallax.pipeline as pipeline
    from parallax.compare import compare

    real = pipeline.extract_quotes

    def fragile(parsed, options):
        if "Boric visited" in parsed.article.text:
            raise RuntimeError("quote stage broke")
        return real(parsed, options)

    monkeypatch.setattr(pipeline, "extract_quotes", fragile)
    arts = [Article.new(r["text"], outlet=r["outlet"], title=r["title"], path=f"{r['outlet']}.txt")
            for r in RECORDS[:3]]
    c = compare(arts)
    assert sorted(a.outlet for a in c.articles) == ["andes", "pacific"]
    assert c.shared, "the two surviving outlets still share facts"
    assert [f["source"] for f in c.failures] == ["austral.txt"]
    assert "quote stage broke" in c.failures[0]["reason"]


def test_compare_of_nothing_that_survives_is_one_clear_error(monkeypatch):
    import parallax.pipeline as pipeline
    from parallax.compare import compare

    def broken(parsed, options):
        raise RuntimeError("always")

    monkeypatch.setattr(pipeline, "extract_quotes", broken)
    with pytest.raises(errors.ParallaxError, match="every article failed"):
        compare([Article.new(QUAKE_1, outlet="a"), Article.new(QUAKE_2, outlet="b")])


def test_analysis_version_is_a_stable_fingerprint():
    from parallax.workflows import analysis_version

    v = analysis_version()
    assert len(v) == 16 and int(v, 16) >= 0 and analysis_version() == v


def test_split_urls_keeps_order():
    from parallax.workflows.sources import split_urls

    paths, urls = split_urls(["a.txt", "https://x.example/feed", "-", "HTTP://y.example/", "dir/"])
    assert paths == ["a.txt", "-", "dir/"] and urls == ["https://x.example/feed", "HTTP://y.example/"]


# --- with a database (end to end) -----------------------------------------------------------------
@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from parallax.store import open_store
    from parallax.workflows import ingest_sources

    d = tmp_path_factory.mktemp("wfdb")
    src = d / "news.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n", encoding="utf-8")
    path = str(d / "news.db")
    with open_store(path) as store:
        summary = ingest_sources(store, [str(src)])
        assert summary.failed == 0 and summary.ingested == len(RECORDS)
    return path


def _quake_story(store) -> str:
    from parallax.workflows import list_stories

    return max(list_stories(store), key=lambda s: s.n_articles).id


@pytest.mark.e2e
def test_story_report_reads_stored_annotations(db, monkeypatch):
    """A story report never re-runs the annotation stages: with them broken it still works and
    carries the stored quotes."""
    import parallax.pipeline as pipeline
    from parallax.store import open_store
    from parallax.workflows import story_report

    def must_not_run(*a, **k):
        raise AssertionError("annotation stage re-run on a stored article")

    monkeypatch.setattr(pipeline, "analyze_parsed", must_not_run)
    with open_store(db) as store:
        sid = _quake_story(store)
        stored = {a.id: a for a in store.iter_articles(story_id=sid)}
        c = story_report(store, sid)
    assert not c.failures and len(c.articles) == len(stored) >= 2
    for a in c.articles:
        assert [q.content.text for q in a.quotes] == [q.content.text for q in stored[a.id].quotes]


@pytest.mark.e2e
def test_reanalyze_redoes_only_stale_articles(db):
    from parallax.store import open_store
    from parallax.workflows import analysis_version, reanalyze

    with open_store(db) as store:
        assert store.analysis_versions() == {analysis_version(): len(RECORDS)}
        one = next(iter(store.iter_articles())).id
        store.set_analysis_version([one], "old")
        before = store.get_article(one)
        s = reanalyze(store)
        assert (s.updated, s.current, s.failed) == (1, len(RECORDS) - 1, 0)
        assert store.analysis_versions() == {analysis_version(): len(RECORDS)}
        after = store.get_article(one)
        assert after.to_dict() == before.to_dict()  # same code: same annotations


@pytest.mark.e2e
def test_cli_and_web_give_the_same_stories_actors_and_relations(db):
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from parallax.cli import app
    from parallax.web import create_app

    runner = CliRunner()

    def cli(*args):
        res = runner.invoke(app, [*args, "--json"])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout)

    web = TestClient(create_app(db))
    cli_stories = cli("stories", db)
    web_stories = web.get("/stories.json", params={"per_page": 200}).json()["items"]
    assert [(s["id"], s["n_articles"], sorted(s["outlets"])) for s in cli_stories] == \
           [(s["id"], s["n_articles"], sorted(s["outlets"])) for s in web_stories]

    cli_actors = cli("actors", db, "--top", "0")
    web_actors = web.get("/actors.json", params={"per_page": 200}).json()["items"]
    assert cli_actors, "the fixture has actors"
    assert [(a["name"], a["mentions"], a["type"]) for a in cli_actors] == \
           [(a["name"], a["mentions"], a["type"]) for a in web_actors]

    assert cli("relations", db) == web.get("/relations.json").json()
