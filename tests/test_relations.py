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
