"""Actor merging: mentions that must merge, and names that must stay apart (issue 7).

Every name here is written for the test; no rule in the code names any of these people."""

from __future__ import annotations

import pytest

from parallax.analysis.actors import demonym_country, merge_actors, same_person
from parallax.model import Mention


def _m(text: str, label: str, actor: str | None = None, role: str = "") -> Mention:
    return Mention(start=0, end=len(text), text=text, label=label, sentence=0, actor=actor or text, role=role)


def test_same_person_variants():
    assert same_person("Khalifa Haftar", "Khalif Haftar")  # clipped first name (a typo in a caption)
    assert same_person("Donald J. Trump", "Donald Trump")  # middle initial
    assert same_person("J. Smith", "John Smith")  # an initial
    assert not same_person("Bill Clinton", "Hillary Clinton")
    assert not same_person("Haftar", "Khalifa Haftar")  # a bare surname is not a full name


def test_demonyms_link_to_their_country():
    places = {"Russia", "Libya", "Turkey", "Tripoli", "United States"}
    assert demonym_country("Russian", places) == "Russia"
    assert demonym_country("Russians", places) == "Russia"
    assert demonym_country("Libyan", places) == "Libya"
    assert demonym_country("Turkish", places) == "Turkey"
    assert demonym_country("Americans", places) == "United States"
    assert demonym_country("Chinese", places) is None


def test_merge_across_articles():
    a = [_m("Gen. Khalifa Haftar", "PERSON", "Khalifa Haftar", role="commander"),
         _m("Haftar", "PERSON", "Khalifa Haftar"), _m("GNA", "ORG", "Government of National Accord")]
    b = [_m("Haftar", "PERSON"), _m("Khalif Haftar", "PERSON"), _m("GNA", "ORG"),
         _m("Russian", "NORP"), _m("Russia", "GPE"), _m("Libyan National Army", "ORG")]
    actors, mapping = merge_actors([("one", a), ("two", b)], {"GNA": "Government of National Accord"})
    by = {x.name: x for x in actors}
    haftar = by["Khalifa Haftar"]
    assert haftar.mentions == 4 and set(haftar.by_outlet) == {"one", "two"}
    assert {"Haftar", "Khalif Haftar"} <= set(haftar.aliases) and haftar.role == "commander"
    assert mapping["GNA"] == "Government of National Accord"
    assert by["Government of National Accord"].by_outlet == {"one": 1, "two": 1}
    # the nationality is linked to the country, never merged into it
    assert "Russian" in by and "Russia" in by
    assert by["Russian"].links == ["Russia"] and by["Russia"].links == ["Russian"]
    assert by["Russia"].type == "country" and by["Russian"].type == "group"
    assert by["Libyan National Army"].type == "armed group"


def test_two_people_sharing_a_surname_stay_apart():
    a = [_m("Bill Clinton", "PERSON"), _m("Hillary Clinton", "PERSON"), _m("Hillary Clinton", "PERSON")]
    b = [_m("Clinton", "PERSON"), _m("Obama", "PERSON"), _m("Barack Obama", "PERSON")]
    actors, mapping = merge_actors([("x", a), ("y", b)])
    names = {x.name for x in actors}
    assert {"Bill Clinton", "Hillary Clinton"} <= names
    assert mapping["Clinton"] == "Clinton"  # ambiguous: not pinned on either
    assert mapping["Obama"] == "Barack Obama"  # unambiguous: joins the full name


@pytest.mark.slow
def test_mentions_roles_and_aliases_in_one_article(parse_text):
    from parallax.analysis.actors import extract_mentions

    p = parse_text("Interior Minister Omar Vale met the envoy on Monday. Vale said the Northern Freedom "
                   "Front (NFF) had agreed. The NFF denied it. Later, Vale flew home.")
    ms = extract_mentions(p)
    vale = [m for m in ms if m.actor == "Omar Vale"]
    assert len(vale) >= 3
    assert any("Minister" in m.role for m in vale)
    assert any(m.text == "NFF" and m.actor == "Northern Freedom Front" for m in ms)
