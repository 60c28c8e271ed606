"""Conflict detection on pairs written for these tests: changed numbers, dates, names, places and
negation must be flagged with both wordings; paraphrases and rounding must not be."""

from __future__ import annotations

import pytest

from parallax.analysis.conflicts import find_conflicts, quantities


def kinds(a, b, severity="contradiction"):
    return {d.kind for d in find_conflicts(a, b) if d.severity == severity}


@pytest.mark.parametrize("a,b,kind", [
    ("Republicans picked up 63 seats in the House.", "Republicans picked up 36 seats in the House.", "how many"),
    ("The quake killed three people in Arica.", "The quake killed seven people in Arica.", "how many"),
    ("More than a thousand mercenaries back the offensive.", "About 200 mercenaries back the offensive.", "how many"),
    ("Perry bought $1 million in television time.", "Perry bought $3 million in television time.", "how many"),
    ("Perry had six percent support in the poll.", "Perry had 16 percent support in the poll.", "how many"),
    ("The committee will meet on Monday evening.", "The committee will meet on Thursday evening.", "when"),
    ("The chairman was elected in January 2009.", "The chairman was elected in January 2011.", "when"),
    ("The fundraiser took place in March.", "The fundraiser took place in October.", "when"),
    ("A magnitude 6.8 earthquake struck Chile on Saturday.", "A magnitude 6.8 earthquake struck Peru on Saturday.",
     "where"),
    ("Senator Grassley criticised the plan on Tuesday.", "Senator Harkin criticised the plan on Tuesday.", "who"),
    ("The ministry approved the deployment of troops.", "The ministry did not approve the deployment of troops.",
     "whether"),
    ("Steele will seek a second term as chairman.", "Steele will never seek a second term as chairman.", "whether"),
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
    assert any(d.kind == "how many" and d.severity == "precision" for d in found)


def test_quantities_read_hedges_and_scales():
    q = quantities("more than a thousand mercenaries and about $1.5 million, 63 seats")
    assert [(x.unit, x.value) for x in q] == [("mercenary", 1000), ("money:$", 1.5e6), ("seat", 63)]
    assert q[0].high is None and q[1].hedged and not q[2].hedged
    assert quantities("in 2011 the revolt began") == []


@pytest.mark.parametrize("a,b,kind", [
    ("Prosecutors charged Grimm with five federal crimes on Monday.",
     "No formal charges have been filed against Grimm yet.", "whether"),
    ("Grimm has been indicted by a federal grand jury in Brooklyn.",
     "Grimm is expected to be indicted by a federal grand jury in Brooklyn.", "whether"),
])
def test_whether_the_thing_happened(a, b, kind):
    assert kind in kinds(a, b), find_conflicts(a, b)


@pytest.mark.parametrize("a,b", [
    # spelling variants of one name
    ("Libya asked the U.S. to set up a base.", "Libya asked the United States to set up a base."),
    # identical quotes but for a curly apostrophe
    ("\u201cThe Russians aren\u2019t in Libya just for Haftar,\u201d he said.",
     '"The Russians aren\'t in Libya just for Haftar," he said.'),
    # a dateline is not a place of the fact
    ("WASHINGTON \u2014 Russia is expanding its influence in Africa.", "Russia is expanding its influence in Africa."),
    ("WASHINGTON \u2014 The senator criticised the plan.", "The senator criticised the plan in Africa."),
    # who reported it is not who did it
    ("The senator voted against the bill, Reuters reported.", "The senator voted against the bill, CNN reported."),
    ("According to Fox News, the senator voted against the bill.", "The senator voted against the bill, the Times said."),
    # a date of the report is not a date of the fact
    ("The senator voted against the bill, officials said Monday.", "The senator voted against the bill, aides said Tuesday."),
])
def test_typography_datelines_and_attributions_do_not_conflict(a, b):
    assert not kinds(a, b), find_conflicts(a, b)
