"""Articles in other languages: detected, never fed to English rules, compared across languages.

The fixtures in tests/fixtures/multilingual/ were written for these tests: one invented harbour
fire told in English and in German (the German adds the mayor's visit), and an unrelated Russian
council story.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "fixtures" / "multilingual"
EN, DE, RU = HERE / "harbour_en.txt", HERE / "harbour_de.txt", HERE / "council_ru.txt"


@pytest.mark.parametrize("text,code", [
    ("The city council approved the budget for next year on Tuesday, a spokeswoman said.", "en"),
    ("Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen, sagte eine Sprecherin.", "de"),
    ("Городской совет во вторник одобрил бюджет на следующий год, сообщила пресс-служба.", "ru"),
    ("El consejo municipal aprobó el martes el presupuesto del año próximo, dijo una portavoz.", "es"),
    ("Reuters", ""),  # too short to tell
])
def test_language_detected(text, code):
    from parallax.nlp.language import detect_language

    assert detect_language(text) == code


def test_other_language_parsed_without_english_rules():
    from parallax.ingest import read_many
    from parallax.pipeline import analyze_many

    (art,) = analyze_many(read_many([DE]).articles)
    assert art.language == "de"
    assert len(art.sentences) >= 6  # sentences still split (multi-language tokenizer + sentencizer)
    assert not art.quotes and not art.mentions and not art.flags and not art.relations
    assert any(lim.startswith("quotes:") and "de" in lim for lim in art.limits)


def test_english_article_keeps_english_analysis():
    from parallax.ingest import read_many
    from parallax.pipeline import analyze_many

    (art,) = analyze_many(read_many([EN]).articles)
    assert art.language == "en"
    assert art.limits == []
    assert art.sources or art.mentions  # the English stages ran


@pytest.mark.slow
def test_english_and_german_report_facts_aligned():
    from parallax.compare import compare
    from parallax.ingest import read_many

    comp = compare(read_many([EN, DE]).articles)
    by_outlet = {a.outlet: a.language for a in comp.articles}
    assert by_outlet == {"harbour": "en"} or set(by_outlet.values()) == {"en", "de"}
    shared = [c for c in comp.facts if len({m.article_id for m in c.members}) == 2]
    texts = [" || ".join(m.text for m in c.members) for c in shared]
    # the firefighters, the injuries and the cause are told in both languages
    assert any("120 firefighters" in t and "120 Feuerwehrleute" in t for t in texts), texts
    assert any("cause" in t and "Brandursache" in t for t in texts), texts
    assert len(shared) >= 3, texts
    # the mayor's visit is only in the German article
    mayor = [c for c in comp.facts if any("Bürgermeister" in m.text for m in c.members)]
    assert mayor and all(len(c.members) == 1 for c in mayor)


@pytest.mark.slow
def test_stories_filter_by_language(tmp_path):
    from typer.testing import CliRunner

    from parallax.cli import app

    db = tmp_path / "news.db"
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(db), str(EN), str(RU)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["stories", str(db), "--lang", "ru", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert len(rows) == 1 and rows[0]["languages"] == ["ru"]
    res = runner.invoke(app, ["stories", str(db), "--json"])
    langs = sorted(lang for r in json.loads(res.output) for lang in r["languages"])
    assert langs == ["en", "ru"]


@pytest.mark.slow
def test_one_event_in_two_languages_is_one_story(tmp_path):
    from typer.testing import CliRunner

    from parallax.cli import app

    db = tmp_path / "news.db"
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(db), str(EN), str(DE), str(RU), "--multilingual"])
    assert res.exit_code == 0, res.output
    rows = json.loads(runner.invoke(app, ["stories", str(db), "--json"]).output)
    by_langs = sorted(tuple(r["languages"]) for r in rows)
    assert by_langs == [("de", "en"), ("ru",)], rows


def test_pair_read_only_by_encoders_trained_on_both_languages():
    from parallax.analysis.similarity import readers

    assert readers("de", "en") == ("e5", "use")
    assert readers("", "ru") == ("e5", "use")  # unknown language: assumed read
    assert readers("hi", "en") == ("e5",)  # USE multilingual was not trained on Hindi
    assert readers("hi", "hi") == ("e5",)


def test_word_overlap_reads_any_script():
    from parallax.analysis.similarity import overlap_score

    assert overlap_score("Путин встретился с Си Цзиньпином", "Путин и Си Цзиньпин") > 0.2
    assert overlap_score("Путин встретился", "Совет одобрил бюджет") == 0.0
