"""Relations on the reference articles and on small texts written for these tests.

The rules name none of these actors: the reference expectations are what a careful reader finds."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _relations(parsed):
    from parallax.pipeline import analyze_parsed

    return analyze_parsed(parsed).article.relations


@pytest.fixture(scope="module")
def reference_relations(example_parsed):
    return {outlet: _relations(p) for outlet, p in example_parsed.items()}


def _has(rels, subj, pred, obj, **flags):
    for r in rels:
        if r.subject in subj and r.predicate == pred and r.object in obj:
            if all(getattr(r, k) == v for k, v in flags.items()):
                return True
    return False


def test_reference_relations(reference_relations):
    zh, rt = reference_relations["zerohedge"], reference_relations["rt"]
    allr = zh + rt
    haftar_side = {"Khalifa Haftar", "Libyan National Army", "LNA"}
    tripoli = {"Tripoli", "Government of National Accord", "GNA"}
    assert _has(allr, {"Russia", "Moscow"}, "supports", haftar_side, negated=False)
    assert _has(rt, {"Sergey Shoigu"}, "meets", {"Khalifa Haftar"})
    assert _has(zh, {"Fathi Bashagha"}, "calls_on", {"United States"})
    assert _has(zh, {"Turkey"}, "supports", tripoli)
    assert _has(allr, {"Khalifa Haftar"}, "commands", {"Libyan National Army"})
    # hedged: "is said to be close to the CIA"
    assert _has(zh, {"Khalifa Haftar"}, "cooperates", {"CIA"}, hedged=True)
    for r in allr:
        assert r.evidence and r.subject != r.object


def test_negation_hedging_passive_and_nouns(parse_text):
    p = parse_text("Egypt did not back the National Salvation Front on Monday. Senator Ana Ruiz is said to be "
                   "close to the National Salvation Front. The National Salvation Front is armed by Qatar. "
                   "Qatar's backing of the National Salvation Front angered Egypt. Prime Minister Ivo Lenz met "
                   "with Ana Ruiz in Cairo on Monday. Lenz accused Egypt of hiding the talks.")
    rels = _relations(p)
    front = {"National Salvation Front"}
    assert _has(rels, {"Egypt"}, "supports", front, negated=True)
    assert _has(rels, {"Ana Ruiz"}, "cooperates", front, hedged=True)
    assert _has(rels, {"Qatar"}, "supports", front, negated=False)
    assert _has(rels, {"Ivo Lenz"}, "meets", {"Ana Ruiz"})
    assert _has(rels, {"Ivo Lenz"}, "accuses", {"Egypt"})
    assert not _has(rels, front, "supports", {"Qatar"})  # direction of the passive


def test_quoted_words_are_not_the_outlet_s_relations(parse_text):
    p = parse_text('"Qatar backs the National Salvation Front," Ana Ruiz said on Monday.')
    assert not _has(_relations(p), {"Qatar"}, "supports", {"National Salvation Front"})


# --- verb classes, syntax, questions and meetings (shapes of unseen news; texts written for the tests)


def test_verb_classes_reach_rare_lemmas():
    from parallax.analysis.relation_lexicon import NOUNS, VERBS, base, phrasal_type, verb_type

    assert verb_type("lambast") == verb_type("lambaste") == "accuses"  # spaCy's lemma of "lambasted"
    assert verb_type("extoll") == "supports" and verb_type("pressure") == "calls_on"
    assert phrasal_type("rail", "against") == "accuses" and phrasal_type("call", "for") == "calls_on"
    assert base("lambast") == "lambaste"
    for pred in ("supports", "opposes", "calls_on", "accuses"):
        assert sum(v == pred for v in VERBS.values()) >= 30, pred
    assert NOUNS["criticism"] == "accuses" and NOUNS["summit"] == "meets"


def test_demands_control_and_groups(parse_text):
    p = parse_text("Senator Maria Lopez also lambasted Representative Tom Vale on Monday. "
                   "Top Democrats swiftly pressured President Ivo Lenz to consider cancelling his upcoming summit "
                   "with President Viktor Sokolov. All nine Republican members of the committee are calling on "
                   "Representative Tom Vale to resign. Senator Maria Lopez said President Ivo Lenz should "
                   "immediately cancel the trip. Senator Maria Lopez called for Mr. Lenz to cancel the meeting.")
    rels = _relations(p)
    assert _has(rels, {"Maria Lopez"}, "accuses", {"Tom Vale"})
    assert _has(rels, {"Democrats"}, "calls_on", {"Ivo Lenz"})
    assert _has(rels, {"Ivo Lenz"}, "meets", {"Viktor Sokolov"}, hedged=True)
    assert not _has(rels, {"Democrats"}, "meets", {"Viktor Sokolov"})
    assert _has(rels, {"Republican", "Republicans"}, "calls_on", {"Tom Vale"})
    lopez_asks = [r for r in rels if r.subject == "Maria Lopez" and r.predicate == "calls_on"]
    assert {r.sentence for r in lopez_asks} == {3, 4} and {r.object for r in lopez_asks} <= {"Ivo Lenz", "Lenz"}


def test_questions_refusals_and_being_asked(parse_text):
    p = parse_text("Representative Jon Hale, asked if Mr. Lenz should demand an apology, declined to answer. "
                   "Should President Ivo Lenz meet President Viktor Sokolov? "
                   "Senator Maria Lopez refused to endorse President Ivo Lenz.")
    rels = _relations(p)
    assert not [r for r in rels if r.sentence in (0, 1)]
    assert _has(rels, {"Maria Lopez"}, "supports", {"Ivo Lenz"}, negated=True)


def test_meetings_need_a_meeting_and_roles_resolve(parse_text):
    p = parse_text("President Ivo Lenz will visit Scotland, Ireland and Norway next month. "
                   "Viktor Sokolov, the Russian president, arrived on Sunday. "
                   "President Ivo Lenz said he plans to meet with the Russian leader alone.")
    rels = _relations(p)
    assert not [r for r in rels if r.predicate == "meets" and {r.subject, r.object} & {"Scotland", "Ireland", "Norway"}]
    assert _has(rels, {"Ivo Lenz"}, "meets", {"Viktor Sokolov"}, hedged=True)


def test_pejorative_naming_is_criticism(parse_text):
    p = parse_text("Senator Patrick Leahy called Benjamin Netanyahu's speech a tawdry and high-handed stunt. "
                   "Senator Patrick Leahy called Benjamin Netanyahu's speech a long one.")
    rels = _relations(p)
    assert _has(rels, {"Patrick Leahy"}, "accuses", {"Benjamin Netanyahu"})
    assert not [r for r in rels if r.sentence == 1]
