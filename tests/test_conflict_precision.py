"""Conflicts, second pass (precision first): pairs written for these tests that are NOT
contradictions (dates of two different things, a part and its whole, a rounded figure, a place
inside the other, relative dates), the ones that are, the pair-model gate of the grid, and the
bench's conflict-only parts.  No shared data needed except the last test."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from parallax.analysis.conflicts import find_conflicts
from parallax.analysis.place_containment import related, story_gazetteer
from parallax.bench.align import score_conflicts


def contradictions(a, b, **kw):
    return [d for d in find_conflicts(a, b, **kw) if d.severity == "contradiction"]


@pytest.mark.parametrize("a,b", [
    # two dates of two things, not one date told twice
    ("The bill amends a 1976 law on immunity.", "The bill lets families sue over the 2001 attacks."),
    ("He will hold the seat until an election in June.", "The primary would be held on April 30."),
    # a day of a date is not a count
    ("Fifteen of the 19 hijackers on 9/11 were Saudi citizens.",
     "Fifteen of the 19 Sept. 11 hijackers were Saudi nationals."),
    # a part and its whole, a bound and the figure, rounding
    ("Ten of the 12 senators voted against it.", "12 senators voted against it."),
    ("More than 10 people were hurt in the crash.", "10 people were hurt in the crash."),
    ("At least 10 people were hurt in the crash.", "12 people were hurt in the crash."),
    ("The attacks killed 3,000 people.", "The attacks killed 2,977 people."),
    ("The city has 1.2 million residents.", "The city has 1,184,000 residents."),
    # a place and the region or country containing it
    ("The governor signed the bill in Texas.", "The governor signed the bill in the United States."),
    # relative dates resolved against the article date (2013-01-30 is a Wednesday)
    ("The company announced the deal yesterday.", "The company announced the deal on Tuesday."),
    ("He left the administration last year.", "He left the administration in 2012."),
    # a dateline in a horizontal bar is not the place of the fact
    ("WASHINGTON ― The Senate voted to override the veto.", "The Senate voted to override the veto."),
])
def test_not_contradictions(a, b):
    assert not contradictions(a, b, published=("2013-01-30", "2013-01-30")), find_conflicts(a, b)


@pytest.mark.parametrize("a,b,kind", [
    ("Both parties will hold their primaries in mid May.", "The primary would be held on April 30.", "when"),
    ("Brooke, who served from 1967 to 1979, was the first.", "Brooke held the seat from 1966 to 1978.", "when"),
    ("The company announced the deal yesterday.", "The company announced the deal on Monday.", "when"),
    ("He left the administration last year.", "He left the administration in 2013.", "when"),
    ("Congress is set to vote to override the veto.", "WASHINGTON ― The Senate voted Wednesday to override the veto.",
     "whether"),
    ("Ten people were hurt in the crash.", "40 people were hurt in the crash.", "how many"),
])
def test_contradictions(a, b, kind):
    found = contradictions(a, b, published=("2013-01-30", "2013-01-30"))
    assert kind in {d.kind for d in found}, found


def test_place_containment_from_pycountry_and_the_story(parse_text):
    gaz = story_gazetteer([parse_text("She studies at a college in Bellingham, Wash., not in Tripoli, Libya.").doc])
    assert related("Bellingham", "Washington State", gaz)
    assert related("Tripoli", "Libya", gaz)
    assert related("Texas", "the United States")
    assert related("Tex.", "Texas")
    assert not related("Seattle", "Bellingham", gaz)
    assert not related("Moscow", "Libya", gaz)


def test_a_city_the_story_places_in_a_country_is_not_a_conflict(parse_text):
    a, b = "The rebels attacked Tripoli on Sunday.", "The rebels attacked Libya on Sunday."
    assert [d.kind for d in contradictions(a, b)] == ["where"]  # nothing says Tripoli is in Libya
    gaz = story_gazetteer([parse_text("Fighting went on near Tripoli, Libya, all week.").doc])
    assert not contradictions(a, b, gazetteer=gaz)


def test_score_conflicts_accepts_the_also_slot():
    gold = [{"slot": "when", "also": ["whether"], "a": ("x", 0, 10), "b": ("y", 0, 10)}]
    assert score_conflicts([("whether", ("y", 0, 10), ("x", 0, 10))], gold) == (1, 1, 1, 1)
    assert score_conflicts([("who", ("x", 0, 10), ("y", 0, 10))], gold) == (0, 1, 0, 1)


def test_grid_reports_a_conflict_only_above_the_same_fact_probability(parse_text):
    """The gate: the same two claims are a conflict at threshold 0 and none at 1 (the
    model's probability of a pair is below 1)."""
    from parallax.analysis.align import SameFact, align, features
    from parallax.analysis.claim_pairs import load_model
    from parallax.compare import claim_grid
    from parallax.options import DEFAULT

    if load_model() is None:
        pytest.skip("claim-pair model file absent")
    a = parse_text("The committee will meet on Monday to elect a new chairman for the party.", "a")
    b = parse_text("The committee will meet on Thursday to elect a new chairman for the party.", "b")
    parsed = [a, b]
    feats = features(parsed)
    claims = align(parsed, DEFAULT, feats)
    assert any(len(c.members) == 2 for c in claims)
    refs = [m for c in claims if len(c.members) == 2 for m in c.members]
    p = SameFact(feats).of([(refs[0], refs[1])])[0]
    assert p is not None and 0.0 < p < 1.0
    _, low, _ = claim_grid(parsed, claims, replace(DEFAULT, conflict_same_fact=0.0), feats)
    _, high, _ = claim_grid(parsed, claims, replace(DEFAULT, conflict_same_fact=1.0), feats)
    assert [c.kind for c in low if c.severity == "contradiction"] == ["when"]
    assert high == []


def test_bench_scores_the_conflict_only_parts(tmp_path):
    from .conftest import SHARED_DATA

    basil = SHARED_DATA / "basil.jsonl"
    if not basil.is_file():
        pytest.skip(f"{basil} absent (BASIL texts are not shipped)")
    from parallax.bench.align import _conflict_stories

    repo = Path(__file__).resolve().parent.parent / "data"
    stories = _conflict_stories(repo / "align_gold.jsonl", basil)
    parts = {s["part"] for s in stories}
    assert {"dev", "heldout", "dev2", "heldout2"} <= parts
    assert sum(len(s["conflicts"]) for s in stories if s["part"] == "dev2") >= 1
    assert all(json.dumps(c["slot"]) for s in stories for c in s["conflicts"])
