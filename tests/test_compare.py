"""End to end on the bundled reference articles and on small texts written for these tests.

Every expectation here is something a careful reader finds in the texts; none of it is
hard-coded in the code (no rule names these people or places)."""

from __future__ import annotations

import pytest

from parallax.compare import compare, load, unique_labels
from parallax.model import Article

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def reference():
    articles, failures = load(sorted(EXAMPLES.glob("*.txt")))
    assert not failures
    return compare(articles)


def _actor_names(c, n=10):
    names = set()
    for a in c.actors[:n]:
        names.add(a.name)
        names.update(a.aliases)
    return names


def test_shared_core_event(reference):
    c = reference
    assert set(c.event_outlets) == {"zerohedge", "rt"}
    assert "base" in c.event.lower() and ("libya" in c.event.lower())
    assert c.shared, "the two outlets share facts"
    shared_text = " ".join(m.text for cl in c.shared for m in cl.members)
    assert "big strategy in Libya and Africa" in shared_text
    assert "told Bloomberg" in shared_text
    for claim in c.shared:
        assert {m.outlet for m in claim.members} == {"zerohedge", "rt"}


def test_facts_only_one_outlet_reports(reference):
    zh = " ".join(r.text for r in reference.unique["zerohedge"])
    rt = " ".join(r.text for r in reference.unique["rt"])
    assert "mercenaries" in zh and "switch his preference" in zh
    assert "Shoigu" in rt and "ceasefire" in rt and "Esper" not in zh


def test_both_cite_bloomberg(reference):
    assert set(reference.sources.get("Bloomberg", [])) == {"zerohedge", "rt"}
    rt = next(a for a in reference.articles if a.outlet == "rt")
    assert all(s.name != "Reuters" for s in rt.sources), "a photo credit is not a source"


def test_bashagha_quoted_in_both(reference):
    group = next(g for g in reference.quotes if g.speaker == "Fathi Bashagha")
    outlets = {o for o, _ in group.quotes}
    assert outlets == {"zerohedge", "rt"}
    texts = [q.content.text for _, q in group.quotes]
    assert any("The Russians aren’t in Libya just for Haftar" in t for t in texts)
    assert any("have a big strategy in Libya and Africa" in t for t in texts)
    assert group.shared, "the big-strategy quote appears in both outlets"


def test_editorial_openers_flagged(reference):
    flagged = {a.outlet: [a.sentences[f.sentence].text for f in a.flags] for a in reference.articles}
    assert any(t.startswith("This is all we need") for t in flagged["zerohedge"])
    assert any("back to the Stone Age" in t for t in flagged["rt"])
    zh = next(a for a in reference.articles if a.outlet == "zerohedge")
    for f in zh.flags:
        assert f.reasons and all(zh.text[w.start:w.end] == w.text for w in f.words)


def test_main_actors(reference):
    names = _actor_names(reference, 10)
    for expected in ("Russia", "Khalifa Haftar", "Fathi Bashagha", "GNA", "LNA"):
        assert expected in names, expected
    haftar = next(a for a in reference.actors if a.name == "Khalifa Haftar")
    assert set(haftar.by_outlet) == {"zerohedge", "rt"} and "Haftar" in haftar.aliases


def test_relations_have_evidence(reference):
    rels = {(r.subject, r.predicate, r.object) for r in reference.relations}
    assert ("Moscow", "supports", "Khalifa Haftar") in rels
    assert ("Sergey Shoigu", "meets", "Khalifa Haftar") in rels
    for r in reference.relations:
        art = next(a for a in reference.articles if a.id == r.article_id)
        assert art.sentences[r.sentence].text == r.evidence


def test_offsets_hold_everywhere(reference):
    for a in reference.articles:
        for s in a.sentences:
            assert a.text[s.start:s.end] == s.text
        for m in a.mentions:
            assert a.text[m.start:m.end] == m.text
        for q in a.quotes:
            assert a.text[q.content.start:q.content.end] == q.content.text


QUAKE_A = """Quake Kills Three In Northern Chile

A magnitude 6.8 earthquake struck northern Chile on Saturday, killing three people in the city of Arica, officials said.
"We felt the ground move for almost a minute," Mayor Ana Torres told Reuters.
The quake damaged the harbour, according to the national emergency office.
This is yet another disaster the government shamefully failed to prepare for."""

QUAKE_B = """Deadly Earthquake Hits Arica

Three people died when a 6.8 magnitude earthquake hit the Chilean city of Arica on Saturday, authorities said.
Torres said rescue teams were still searching damaged buildings.
Chile's copper exports were not affected, the mining ministry said in a statement."""


def test_small_texts_written_for_tests():
    a = Article.new(QUAKE_A.split("\n\n", 1)[1], outlet="andes", title=QUAKE_A.split("\n")[0])
    b = Article.new(QUAKE_B.split("\n\n", 1)[1], outlet="pacific", title=QUAKE_B.split("\n")[0])
    c = compare([a, b])
    assert set(c.event_outlets) == {"andes", "pacific"}
    shared = [{m.text for m in cl.members} for cl in c.shared]
    assert any(any("killing three people" in t for t in g) and any("Three people died" in t for t in g) for g in shared)
    assert any("copper" in r.text for r in c.unique["pacific"])
    assert "Reuters" in c.sources
    andes = next(x for x in c.articles if x.outlet == "andes")
    assert any("shamefully" in w.text for f in andes.flags for w in f.words)
    speakers = {g.speaker for g in c.quotes}
    assert "Ana Torres" in speakers


def test_unique_labels():
    a = Article.new("One two three four five six.", outlet="nyt")
    b = Article.new("Seven eight nine ten eleven.", outlet="nyt")
    assert [x.label for x in unique_labels([a, b])] == ["nyt", "nyt #2"]
