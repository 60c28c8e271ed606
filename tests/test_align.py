"""The claim grid: claims, alignment into fact groups across all articles, cell statuses,
omissions, the summary and the ``align`` benchmark's scoring.

Expectations come from reading the texts (the reference articles and small stories written for
these tests); no rule in the code names these people, places or outlets."""

from __future__ import annotations

import json

import numpy as np
import pytest

from parallax.analysis.align import align
from parallax.analysis.claims import split_claims
from parallax.analysis.claim_pairs import CANDIDATES, candidates, load_model
from parallax.bench.align import load_gold, load_stories, score_conflicts, score_story
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
    nums = [x for x in story.conflicts if x.kind == "how many" and x.severity == "contradiction"]
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
    assert sum(len(r["groups"]) for r in records) >= 150
    assert len(records) >= 8
    assert {r["part"] for r in records} == {"dev", "heldout"}
    conflicts = [json.loads(line) for line in (ROOT / "data" / "conflict_gold.jsonl").read_text().splitlines()]
    # every align story has its conflicts; the conflict gold adds whole events of its own parts
    assert [c["story"] for c in conflicts][:len(records)] == [r["story"] for r in records]
    assert {c["part"] for c in conflicts[len(records):]} <= {"dev2", "heldout2"}
    slots = ("who", "how many", "when", "where", "whether")
    assert all(x["slot"] in slots and set(x.get("also", ())) <= set(slots) for c in conflicts for x in c["conflicts"])
    basil = ROOT.parent / "shared" / "data" / "basil.jsonl"
    if not basil.exists():
        pytest.skip("BASIL texts not available")
    stories = load_stories(path)  # checks every span against its text
    assert len(stories) == len(records)
    assert len(load_stories(path, part="heldout")) == sum(r["part"] == "heldout" for r in records)
    assert load_gold(ROOT / "data" / "conflict_gold.jsonl", key="conflicts")  # spans checked too


def test_align_caps_one_claim_per_article(example_parsed):
    claims = align(list(example_parsed.values()))
    for c in claims:
        assert len({m.article_id for m in c.members}) == len(c.members)


# --- the claim-pair model ---------------------------------------------------------------------

def test_candidates_are_linear_in_claims():
    rng = np.random.default_rng(0)
    n = 300
    owner = np.repeat(np.arange(30), 10)
    scores = rng.random((n, n))
    scores = (scores + scores.T) / 2
    pairs = candidates(scores, owner)
    assert len(pairs) <= CANDIDATES * n
    assert all(owner[i] != owner[j] for i, j in pairs), "never two claims of one article"
    # each claim keeps its best counterpart
    s = scores.copy()
    s[owner[:, None] == owner[None, :]] = -1
    assert all((min(i, int(s[i].argmax())), max(i, int(s[i].argmax()))) in set(pairs) for i in range(n))


PARAPHRASE = {
    "fox": ("Trump Reverses Course On Troop Pullout",
            "President Trump on Monday reversed his decision to withdraw troops from the region. "
            "It was not immediately clear why Trump made the announcement. "
            "Top Republicans were mostly mute on the change. "
            "Senator Mark Hollis praised the move in a statement."),
    "nyt": ("Trump Keeps Troops In Place",
            "President Trump reversed his decision on Monday to pull troops out of the region. "
            "It is unclear why Mr. Trump reversed the decision. "
            "Most Republicans were keeping mum about the reversal. "
            "Senator Dana Whitfield criticized the move in a statement."),
}


@pytest.fixture(scope="module")
def paraphrase() -> Comparison:
    return compare([Article.new(body, outlet=o, title=t) for o, (t, body) in PARAPHRASE.items()])


def test_pair_model_is_shipped_with_a_card():
    model = load_model()
    assert model is not None, "models/restricted/claim_pairs.json missing (make models)"
    card = model.card
    assert card["training_data"] and all("licence" in d and "sha256" in d for d in card["training_data"])
    assert "command" in card and card["threshold_used"] > 0


@pytest.mark.xfail(strict=True, reason="known gap (issue 20): the pair model scores this paraphrase 0.43, "
                   "under the 0.6 threshold, because the NYT sentence matches the other outlet's lede better")
def test_unclear_why_paraphrase_joins(paraphrase):
    unclear = _facts_with(paraphrase, "not immediately clear")[0]
    assert set(unclear.outlets) == {"fox", "nyt"}, [m.text for m in unclear.members]


def test_two_senators_statements_stay_apart(paraphrase):
    c = paraphrase
    assert set(_facts_with(c, "reversed his decision")[0].outlets) == {"fox", "nyt"}
    for words in ("Hollis", "Whitfield"):
        assert _facts_with(c, words)[0].outlets == ["fox" if words == "Hollis" else "nyt"]


def test_summary_cites_only_outlets_in_its_groups(story, paraphrase):
    for c in (story, paraphrase):
        core = [f for f in c.facts if f.kind == "core"]
        carried = {o for f in core for o in f.outlets}
        assert set(c.summary_outlets) <= carried


def test_loose_paraphrase_is_not_an_omission():
    arts = [Article.new("The city council approved a new budget of $2 million for road repairs on Tuesday. "
                        "The mayor said the work would begin in spring.", outlet="a"),
            Article.new("On Tuesday the city council approved a $2 million road repair budget. "
                        "Residents have complained about potholes for years.", outlet="b"),
            Article.new("Road repairs will get more money after a council vote this week. "
                        "The mayor said the work would begin in spring.", outlet="c")]
    c = compare(arts)
    budget = c.facts.index(_facts_with(c, "approved")[0])
    assert c.facts[budget].kind == "core"
    assert budget not in c.omissions["c"], "c mentions the vote loosely: not an omission"


def test_score_conflicts_needs_slot_and_both_spans():
    gold = [{"slot": "whether", "a": ("x", 0, 20), "b": ("y", 0, 20)}]
    assert score_conflicts([("whether", ("y", 0, 19), ("x", 2, 20))], gold) == (1, 1, 1, 1)
    assert score_conflicts([("who", ("x", 0, 20), ("y", 0, 20))], gold) == (0, 1, 0, 1)
    assert score_conflicts([("whether", ("x", 0, 20), ("z", 0, 20))], gold) == (0, 1, 0, 1)
