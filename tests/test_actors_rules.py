"""Actor rows (issue 18): spans cleaned, one row per real actor, the right type, no junk.

Every text and name here is written for the test; no rule in the code names any of them.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from parallax.analysis.actor_types import name_key, vote_type
from parallax.analysis.actors import merge_actors, resolve_actors, same_person
from parallax.analysis.mentions import clean_span
from parallax.model import Actor, Article, Mention, Source, Span

from .conftest import SHARED_DATA


def _m(text: str, label: str, actor: str | None = None, role: str = "") -> Mention:
    return Mention(start=0, end=len(text), text=text, label=label, sentence=0, actor=actor or text, role=role)


def _clean(text: str, sub: str, label: str, modifier: bool = True) -> str | None:
    a = text.index(sub)
    span = clean_span(text, a, a + len(sub), label, modifier)
    return text[span[0]:span[1]] if span else None


# --- mention spans -------------------------------------------------------------------------

def test_possessive_and_trailing_year_cut():
    assert _clean("Marlowe's 2014 campaign ended early.", "Marlowe's 2014", "PERSON") == "Marlowe"
    assert _clean("Ortega’s plan was dropped.", "Ortega’s", "PERSON") == "Ortega"


def test_truncated_organisation_repaired_from_the_noun_phrase():
    text = "Officials at the U.S. Fish and Wildlife Service said on Monday the count was wrong."
    assert _clean(text, "U.S. Fish and", "ORG") == "U.S. Fish and Wildlife Service"
    assert _clean(text, "U.S. Fish", "ORG") == "U.S. Fish and Wildlife Service"
    assert _clean("He praised the Bureau of Harbors and staff.", "Bureau of", "ORG") == "Bureau of Harbors"


def test_adjectives_and_demonyms_never_an_actor_alone():
    assert _clean("Black U.S. veterans marched.", "Black U.S", "NORP") == "U.S."
    assert _clean("The Secretary of State spoke.", "State", "ORG") is None
    assert _clean("Russian troops left.", "Russian", "NORP", modifier=True) is None
    assert _clean("The Russians left.", "Russians", "NORP", modifier=False) == "Russians"
    assert _clean("COVID-19 spread fast.", "COVID-19", "GPE") is None
    assert _clean("Basically what they say is wrong.", "Basically what", "ORG") is None


def test_abbreviation_keeps_its_dot_at_a_sentence_end():
    assert _clean("The deal was signed in the U.S. Then talks ended.", "U.S", "GPE") == "U.S."


# --- must merge ----------------------------------------------------------------------------

def test_one_person_across_outlets_whatever_the_ner_label():
    # the NER called the full name an organisation in one outlet and the surname a person in two
    actors, mapping = merge_actors([("hpo", [_m("Dara Quill", "ORG")] * 3),
                                    ("fox", [_m("Quill", "PERSON")] * 2),
                                    ("nyt", [_m("Quill", "PERSON"), _m("Dara Quill", "PERSON")])])
    rows = [a for a in actors if "Quill" in a.name]
    assert len(rows) == 1 and rows[0].type == "person" and rows[0].name == "Dara Quill"
    assert set(rows[0].by_outlet) == {"hpo", "fox", "nyt"}
    assert mapping["Quill"] == "Dara Quill"


def test_acronyms_and_expansions_merge():
    actors, mapping = merge_actors([
        ("a", [_m("F.B.I", "GPE"), _m("ICE", "ORG")]),
        ("b", [_m("FBI", "ORG"), _m("Federal Bureau of Investigation", "ORG"),
               _m("Immigration and Customs Enforcement", "ORG")]),
        ("c", [_m("Harbor Safety Board", "ORG"), _m("HSB", "ORG")])])
    by = {a.key: a for a in actors}
    fbi = by[name_key("Federal Bureau of Investigation")]
    assert fbi.mentions == 3 and fbi.type == "organisation"  # never a place
    assert by[name_key("Immigration and Customs Enforcement")].mentions == 2
    assert mapping["HSB"] == mapping["Harbor Safety Board"]


def test_partial_and_nickname_forms_join_the_one_person():
    actors, mapping = merge_actors([
        ("a", [_m("Ramon Vidal Soto", "PERSON"), _m("Vidal Soto", "PERSON"), _m("Ramon Vidal", "PERSON")]),
        ("b", [_m("Liz Harlan", "PERSON"), _m("Elizabeth Harlan", "PERSON"), _m("Elizabeth", "PERSON")])])
    assert mapping["Vidal Soto"] == mapping["Ramon Vidal"] == "Ramon Vidal Soto"
    assert mapping["Liz Harlan"] == mapping["Elizabeth"] == mapping["Elizabeth Harlan"]


def test_masthead_joins_its_outlet():
    actors, mapping = merge_actors([("a", [_m("The New York Times", "ORG"), _m("Times", "ORG")])])
    assert mapping["Times"] == mapping["The New York Times"]
    assert [a.type for a in actors] == ["media"]


# --- must not merge ------------------------------------------------------------------------

def test_middle_initials_must_agree():
    assert not same_person("George H. W. Bush", "George W. Bush")
    assert same_person("Donald J. Trump", "Donald Trump")
    assert same_person("Liz Harlan", "Elizabeth Harlan")
    actors, mapping = merge_actors([
        ("a", [_m("Amos H. W. Tarrant", "PERSON"), _m("Amos W. Tarrant", "PERSON"), _m("Amos Tarrant", "PERSON"),
               _m("Tarrant", "PERSON")])])
    names = {a.name for a in actors}
    assert {"Amos H. W. Tarrant", "Amos W. Tarrant"} <= names
    assert mapping["Amos H. W. Tarrant"] != mapping["Amos W. Tarrant"]
    # the name without middle initial and the bare surname fit both: pinned on neither
    assert mapping["Amos Tarrant"] not in ("Amos H. W. Tarrant", "Amos W. Tarrant")
    assert mapping["Tarrant"] == "Tarrant"


def test_family_members_stay_apart():
    actors, mapping = merge_actors([("a", [_m("Ruth Oyelaran", "PERSON"), _m("Tobi Oyelaran", "PERSON"),
                                           _m("Oyelaran", "PERSON")])])
    assert {"Ruth Oyelaran", "Tobi Oyelaran"} <= {a.name for a in actors}
    assert mapping["Oyelaran"] == "Oyelaran"


# --- type by evidence ----------------------------------------------------------------------

def test_type_by_title_and_given_name():
    # a senator the NER called an organisation; a director the provenance stage saw as "told X"
    assert vote_type(["ORG", "PERSON", "PERSON"], Counter(), ["Keld Marrow"]) == "person"
    assert vote_type(["ORG"], Counter(), ["Keld Marrow"]) == "person"  # a given name outweighs one label
    actors, _ = merge_actors([("a", [_m("Keld Marrow", "ORG"), _m("Marrow", "PERSON", "Keld Marrow")]),
                              ("b", [_m("Wendel Ashby", "PERSON")]), ("c", [_m("Bloomberg", "PERSON")])],
                             media={"Wendel Ashby", "Bloomberg"})
    by = {a.name: a for a in actors}
    assert by["Keld Marrow"].type == "person"
    assert by["Wendel Ashby"].type == "person"  # cited by "told", still a person, never media
    assert by["Bloomberg"].type == "media"  # an outlet of the shipped list


def test_country_and_state_lists():
    actors, _ = merge_actors([("a", [_m("the U.S.", "GPE", "U.S."), _m("Wyoming", "GPE"), _m("Iran", "ORG")]),
                              ("b", [_m("United States", "GPE")])])
    by = {a.name: a.type for a in actors}
    assert by["United States"] == "country" and by["Wyoming"] == "place" and by["Iran"] == "country"


def test_canonical_key_is_the_same_across_stories():
    one, _ = merge_actors([("a", [_m("U.S.", "GPE"), _m("Peña Vargas", "PERSON")])])
    two, _ = merge_actors([("b", [_m("US", "GPE"), _m("Pena Vargas", "PERSON")])])
    assert {a.key for a in one} == {a.key for a in two}


@pytest.mark.slow
def test_sentences_typed_and_cleaned(parse_text):
    from parallax.analysis.actors import extract_mentions

    p = parse_text("Sen. Keld Marrow met Homeland Security Secretary Wendel Ashby on Friday. "
                   "Marrow's 2019 bill was discussed. Ashby told reporters the U.S. Fish and Wildlife Service "
                   "would lead. Russian diplomats were not invited.")
    ms = extract_mentions(p)
    texts = {m.text for m in ms}
    assert "Marrow's 2019" not in texts and not any(t.endswith(" and") for t in texts)
    assert "Russian" not in texts
    actors, _ = merge_actors([("t", ms)])
    by = {a.name: a for a in actors}
    assert by["Keld Marrow"].type == "person" and by["Wendel Ashby"].type == "person"


@pytest.mark.slow
def test_told_a_person_is_not_a_media_source(parse_text):
    from parallax.analysis.provenance import extract_sources

    p = parse_text("The governor told Wendel Ashby that the plan was dead. She told Bloomberg the same.")
    kinds = {s.name: s.kind for s in extract_sources(p)}
    assert "Wendel Ashby" not in kinds and kinds.get("Bloomberg") == "outlet"


def test_resolve_types_cited_outlets_media_never_people():
    art = Article.new("x", outlet="o", mentions=[_m("Orla Fenwick", "PERSON"), _m("Harbor Ledger", "ORG")],
                      sources=[Source("Orla Fenwick", "outlet", "told", Span(0, 1, "x"), 0, "x"),
                               Source("Harbor Ledger", "outlet", "reports", Span(0, 1, "x"), 0, "x")])
    by = {a.name: a.type for a in resolve_actors([art])[0]}
    assert by == {"Orla Fenwick": "person", "Harbor Ledger": "media"}


# --- tone ----------------------------------------------------------------------------------

def test_words_of_a_title_are_never_tone():
    from parallax.analysis.tone import actor_tone
    from parallax.model import Sentence

    text = "Homeland Security Secretary Wendel Ashby visited the border."
    a = text.index("Wendel")
    art = Article.new(text, outlet="o", sentences=[Sentence(0, 0, len(text), text, "body")],
                      mentions=[Mention(a, a + 12, "Wendel Ashby", "PERSON", 0, "Wendel Ashby")])
    tones = actor_tone([art], [Actor("Wendel Ashby", "person", mentions=1)])
    assert all("Security" not in t.words for t in tones)
    assert all(t.score == 0 for t in tones)


# --- the bench -----------------------------------------------------------------------------

def test_bench_scores_splits_merges_and_junk():
    from parallax.bench.actors import score_event

    gold = {"actors": [{"name": "Dara Quill", "type": "person", "aliases": ["Quill"]},
                       {"name": "Amos W. Tarrant", "type": "person", "aliases": []},
                       {"name": "Amos H. W. Tarrant", "type": "person", "aliases": []},
                       {"name": "Harbor Ledger", "type": "media", "aliases": []}],
            "optional": ["Tarrant"], "must_not_merge": [["Amos W. Tarrant", "Amos H. W. Tarrant"]]}
    pred = [Actor("Dara Quill", "organisation", mentions=3), Actor("Quill", "person", mentions=2),
            Actor("Amos W. Tarrant", "person", ["Amos H. W. Tarrant"], 2), Actor("Tarrant", "person", mentions=1),
            Actor("State", "organisation", mentions=1)]
    s = score_event(gold, pred)
    assert s["found"] == 2 and s["missing"] == ["Amos H. W. Tarrant", "Harbor Ledger"]
    assert s["splits"] == [("Dara Quill", ["Dara Quill", "Quill"])]
    assert s["wrong_type"] == [("Dara Quill", "organisation")]
    assert len(s["merges"]) == 1 and s["violations"] == [("Amos W. Tarrant", "Amos H. W. Tarrant")]
    assert s["junk"] == ["State"]


def test_bench_bad_file_is_one_line_error(tmp_path):
    from parallax.bench.actors import run_actors
    from parallax.errors import BenchDataError

    bad = tmp_path / "gold.jsonl"
    bad.write_text(json.dumps({"event": "e", "articles": ["nope"], "actors": []}) + "\n")
    with pytest.raises(BenchDataError):
        run_actors(bad, articles=tmp_path / "missing.jsonl")


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED_DATA / "basil.jsonl").is_file(), reason="needs ../shared/data/basil.jsonl")
def test_bench_runs_on_one_gold_event():
    from pathlib import Path

    from parallax.bench.actors import run_actors

    gold = Path(__file__).resolve().parents[1] / "data" / "actors_gold.jsonl"
    m = run_actors(gold, articles=SHARED_DATA / "basil.jsonl", limit=1)
    assert m["events"] == 1 and 0 < m["recall"] <= 1 and 0 <= m["junk_rate"] <= 1


def test_possessor_cut_from_an_organisation_and_countries_never_media():
    text = "He worked with Haddad’s Unity Party for years."
    assert _clean(text, "Haddad’s Unity Party", "ORG") == "Unity Party"
    art = Article.new("x", outlet="o", mentions=[_m("Veloria", "GPE")],
                      sources=[Source("Veloria", "outlet", "told", Span(0, 1, "x"), 0, "x")])
    assert resolve_actors([art])[0][0].type == "place"  # "the world tells Veloria": not an outlet
