"""Conflict detection on pairs written for these tests: changed numbers, dates, names, places and
negation must be flagged with both wordings; paraphrases and rounding must not be."""

from __future__ import annotations

import pytest

from parallax.analysis.conflicts import find_conflicts, quantities


def kinds(a, b, severity="contradiction"):
    return {d.kind for d in find_conflicts(a, b) if d.severity == severity}


@pytest.mark.parametrize("a,b,kind", [
    ("Republicans picked up 63 seats in the House.", "Republicans picked up 36 seats in the House.", "number"),
    ("The quake killed three people in Arica.", "The quake killed seven people in Arica.", "number"),
    ("More than a thousand mercenaries back the offensive.", "About 200 mercenaries back the offensive.", "number"),
    ("Perry bought $1 million in television time.", "Perry bought $3 million in television time.", "number"),
    ("Perry had six percent support in the poll.", "Perry had 16 percent support in the poll.", "number"),
    ("The committee will meet on Monday evening.", "The committee will meet on Thursday evening.", "date"),
    ("The chairman was elected in January 2009.", "The chairman was elected in January 2011.", "date"),
    ("The fundraiser took place in March.", "The fundraiser took place in October.", "date"),
    ("A magnitude 6.8 earthquake struck Chile on Saturday.", "A magnitude 6.8 earthquake struck Peru on Saturday.",
     "place"),
    ("Senator Grassley criticised the plan on Tuesday.", "Senator Harkin criticised the plan on Tuesday.", "actor"),
    ("The ministry approved the deployment of troops.", "The ministry did not approve the deployment of troops.",
     "negation"),
    ("Steele will seek a second term as chairman.", "Steele will never seek a second term as chairman.", "negation"),
])
def test_changed_details_conflict(a, b, kind):
    found = find_conflicts(a, b)
    assert kind in {d.kind for d in found if d.severity == "contradiction"}, found
    d = next(d for d in found if d.kind == kind)
    assert d.a and d.b and d.a != d.b  # both wordings shown


@pytest.mark.parametrize("a,b", [
    ("About 1,200 mercenaries back the offensive.", "1,200 mercenaries back the offensive."),
    ("Roughly 60 seats changed hands in the House.", "63 seats changed hands in the House."),
    ("Nearly 50 people were hurt.", "48 people were hurt."),
    ("Three people died when the quake hit Arica on Saturday.", "The quake killed three people in Arica on Saturday."),
    ("Braley spoke at a fundraiser in Texas.", "Braley spoke at a fund-raiser in Corpus Christi, Tex."),
    ("Mr. Steele will announce his decision on Monday.", "Michael Steele is expected to reveal his plans Monday."),
    ("Bashagha told Bloomberg that Libya would welcome a US base.",
     "Libya's interior minister Fathi Bashagha said a US base would be welcome."),
    ("The 168-member committee will elect a chairman in January.",
     "The committee elects its new chairman in January."),
])
def test_paraphrases_and_rounding_do_not_conflict(a, b):
    assert not kinds(a, b), find_conflicts(a, b)


def test_more_than_vs_exact_is_precision_not_contradiction():
    found = find_conflicts("More than a thousand mercenaries have backed Haftar.",
                           "Some 1,200 mercenaries have backed Haftar.")
    assert [d.kind for d in found if d.severity == "contradiction"] == []
    assert any(d.kind == "number" and d.severity == "precision" for d in found)


def test_quantities_read_hedges_and_scales():
    q = quantities("more than a thousand mercenaries and about $1.5 million, 63 seats")
    assert [(x.unit, x.value) for x in q] == [("mercenary", 1000), ("money:$", 1.5e6), ("seat", 63)]
    assert q[0].high is None and q[1].hedged and not q[2].hedged
    assert quantities("in 2011 the revolt began") == []
