"""The claim grid: claims, alignment into fact groups across all articles, cell statuses,
omissions, the summary and the ``align`` benchmark's scoring.

Expectations come from reading the texts (the reference articles and small stories written for
these tests); no rule in the code names these people, places or outlets."""

from __future__ import annotations

import json

import pytest

from parallax.analysis.align import align
from parallax.analysis.claims import split_claims
from parallax.bench.align import load_stories, score_story
from parallax.compare import compare, load
from parallax.model import Article, Comparison
from parallax.nlp import parse_many

from .conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def reference() -> Comparison:
    articles, failures = load(sorted(EXAMPLES.glob("*.txt")))
    assert not failures
    return compare(articles)


def _facts_with(c: Comparison, words: str) -> list:
    return [f for f in c.facts if any(words in m.text for m in f.members)]


# --- claims ---------------------------------------------------------------------------------

def test_claims_split_independent_clauses_and_frames():
    text = ("Republicans picked up 63 seats in the House in the November election, but pressure has been "
            "mounting all year for the chairman to step down. The mayor told reporters that the bridge "
            "would reopen on Friday. The storm closed schools, roads and two airports across the region.")
    p = parse_many([Article.new(text)])[0]
    claims = split_claims(p)
    texts = [c.text for c in claims]
    assert any(t.startswith("Republicans picked up 63 seats") and "pressure" not in t for t in texts)
    assert any(t.startswith("pressure has been mounting") for t in texts)
    assert any("two airports" in t and t.startswith("The storm closed") for t in texts), "a list is one claim"
    for c in claims:
        assert text[c.start:c.end] == c.text
        assert c.start <= c.content_start < c.content_end <= c.end
    told = next(c for c in claims if "bridge" in c.text)
    assert "told reporters" in told.frame
    assert text[told.content_start:told.content_end].startswith("the bridge would reopen")


# --- the reference articles -------------------------------------------------------------------

def test_grid_core_event_and_bloomberg_report_are_shared(reference):
    c = reference
    core = [f for f in c.facts if f.kind == "core"]
    assert core and c.facts[: len(core)] == core, "core facts come first"
    both = {"rt", "zerohedge"}
    assert any(set(f.outlets) == both and any("base" in m.text for m in f.members) for f in core)
    assert any(set(f.outlets) == both and all("Bloomberg" in m.text for m in f.members) for f in core)
    assert c.summary and set(c.summary_outlets) == both


@pytest.mark.parametrize("words", ["switch his preference", "mercenaries", "redeployment", "Shoigu",
                                   "indirect talks in Moscow", "ceasefire"])
def test_facts_one_outlet_carries_sit_in_one_column(reference, words):
    facts = _facts_with(reference, words)
    assert facts, words
    for f in facts:
        assert len(f.outlets) == 1, (words, f.outlets)
        assert f.kind in ("single", "commentary")


def test_grid_cells_and_json(reference):
    c = reference
    labels = {a.label for a in c.articles}
    for f in c.facts:
        assert len({m.article_id for m in f.members}) == len(f.members), "one claim per outlet per row"
        for m in f.members:
            assert m.status in ("reported", "partial", "differs")
            art = next(a for a in c.articles if a.id == m.article_id)
            assert art.text[m.start:m.end] == m.text
    assert set(c.omissions) == labels
    again = Comparison.from_dict(json.loads(json.dumps(c.to_dict())))
    assert again.facts == c.facts and again.conflicts == c.conflicts


# --- a story written for these tests: three outlets ------------------------------------------

STORY = {
    "north": ("Bridge Collapse Kills Four In Riverton",
              "A highway bridge collapsed in Riverton on Tuesday, killing four people, the fire department said. "
              "Rescue crews pulled six survivors from the water. "
              "Governor Maria Lopez ordered an inspection of every bridge in the state. "
              "The bridge was built in 1962."),
    "south": ("Four Dead As Riverton Bridge Falls",
              "Four people died when a highway bridge fell into the river in Riverton on Tuesday, firefighters said. "
              "Governor Maria Lopez ordered inspections of all bridges in the state. "
              "Local shops stayed closed for the rest of the day."),
    "east": ("Riverton Bridge Disaster",
             "A highway bridge in Riverton collapsed on Tuesday and killed nine people, officials said. "
             "Rescue crews pulled six survivors out of the water. "
             "Critics have long warned that the state neglects its roads."),
}


@pytest.fixture(scope="module")
def story() -> Comparison:
    arts = [Article.new(body, outlet=o, title=t) for o, (t, body) in STORY.items()]
    return compare(arts)


def test_fact_groups_span_all_articles(story):
    lead = _facts_with(story, "bridge collapsed in Riverton")[0]
    assert set(lead.outlets) == {"north", "south", "east"}, "one row for the event, not pairs"
    assert lead.kind == "core" and story.facts[0].kind == "core"
    inspect = _facts_with(story, "ordered an inspection")[0]
    assert set(inspect.outlets) == {"north", "south"}
    assert inspect.kind == "core"  # two of three outlets: most
    assert _facts_with(story, "built in 1962")[0].outlets == ["north"]


def test_conflicting_numbers_flagged_in_the_grid(story):
    lead = _facts_with(story, "bridge collapsed in Riverton")[0]
    east = next(m for m in lead.members if m.outlet == "east")
    assert east.status == "differs"
    nums = [x for x in story.conflicts if x.kind == "number" and x.severity == "contradiction"]
    assert any({"nine people", "four people"} <= {x.detail_a, x.detail_b} or
               ("nine" in x.detail_a + x.detail_b and "four" in (x.detail_a + x.detail_b).lower()) for x in nums), nums


def test_omissions_name_the_core_facts_an_outlet_lacks(story):
    inspect = story.facts.index(_facts_with(story, "ordered an inspection")[0])
    assert inspect in story.omissions["east"]
    assert inspect not in story.omissions["north"]
    assert story.summary.count("[") >= 1 and "north" in story.summary


# --- the benchmark's scoring ----------------------------------------------------------------

def test_score_story_pairs_and_links():
    gold = [[("a", 0, 10), ("b", 0, 10), ("c", 0, 10)], [("a", 20, 30), ("b", 20, 30), ("b", 40, 50)]]
    perfect = [[("a", 0, 10), ("b", 0, 10), ("c", 0, 10)], [("a", 20, 30), ("b", 40, 50)]]
    assert score_story(perfect, gold) == (4, 4, 4, 4)
    wrong = [[("a", 0, 10), ("b", 20, 30)], [("c", 60, 70), ("a", 20, 30)]]
    assert score_story(wrong, gold) == (0, 2, 0, 4)


def test_gold_file_is_valid_and_large_enough():
    path = ROOT / "data" / "align_gold.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert sum(len(r["groups"]) for r in records) >= 40
    basil = ROOT.parent / "shared" / "data" / "basil.jsonl"
    if not basil.exists():
        pytest.skip("BASIL texts not available")
    stories = load_stories(path)  # checks every span against its text
    assert len(stories) == len(records)


def test_align_caps_one_claim_per_article(example_parsed):
    claims = align(list(example_parsed.values()))
    for c in claims:
        assert len({m.article_id for m in c.members}) == len(c.members)
