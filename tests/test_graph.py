"""The actor network: edges with outlets, single-outlet edges, exports, the HTML asset, and the
actors / relations / graph commands on a small database of pre-annotated articles."""

from __future__ import annotations

import json
import re

import networkx as nx
from typer.testing import CliRunner

from parallax.analysis.graph import build_graph, graph_json, single_outlet_edges, write_graph
from parallax.cli import app
from parallax.model import Actor, Article, Mention, Relation


def _rel(s, p, o, outlet, pol=0, neg=False, hedged=False):
    return Relation(subject=s, predicate=p, object=o, polarity=pol, sentence=0, evidence=f"{s} {p} {o}.",
                    article_id=outlet + "1", negated=neg, hedged=hedged, outlet=outlet, date="2024-01-02")


RELS = [_rel("Calderra", "supports", "Delta Union", "a", 1), _rel("Calderra", "supports", "Delta Union", "b", 1),
        _rel("Ivo Lenz", "meets", "Ana Ruiz", "a"), _rel("Ana Ruiz", "meets", "Ivo Lenz", "b"),
        _rel("Marovia", "supports", "Delta Union", "b", 1, neg=True),
        _rel("Ana Ruiz", "cooperates", "Delta Union", "a", 1, hedged=True)]


def test_edges_merge_across_outlets():
    g = build_graph(RELS, [Actor(name="Calderra", type="country", mentions=3, by_outlet={"a": 2, "b": 1})])
    edges = {(e["source"], e["predicate"], e["target"], e["negated"]): e for e in graph_json(g)["edges"]}
    assert edges[("Calderra", "supports", "Delta Union", False)]["outlets"] == ["a", "b"]
    assert edges[("Ana Ruiz", "meets", "Ivo Lenz", False)]["outlets"] == ["a", "b"]  # symmetric: one edge
    assert edges[("Marovia", "supports", "Delta Union", True)]["single_outlet"]  # negation kept apart
    assert edges[("Ana Ruiz", "cooperates", "Delta Union", False)]["hedged"]
    single = {(e["source"], e["predicate"]) for e in single_outlet_edges(g)}
    assert single == {("Marovia", "supports"), ("Ana Ruiz", "cooperates")}
    assert g.nodes["Calderra"]["type"] == "country"


def test_exports(tmp_path):
    g = build_graph(RELS)
    write_graph(g, "graphml", tmp_path / "g.graphml")
    h = nx.read_graphml(tmp_path / "g.graphml")
    assert h.number_of_edges() == g.number_of_edges() == 4
    write_graph(g, "json", tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text())
    assert {"nodes", "edges"} <= set(data) and data["edges"][0]["evidence"]


def test_report_draws_the_graph_without_a_script():
    from parallax.model import Comparison
    from parallax.report import render_html

    art = Article.new("Calderra backs the Delta Union.", outlet="a")
    c = Comparison(articles=[art], event="e", event_outlets=["a"], shared=[], unique={"a": []}, quotes=[],
                   sources={}, actors=[], relations=RELS, similarity=[[1.0]],
                   graph=graph_json(build_graph(RELS)))
    html = render_html(c)
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "script-src 'none'" in csp and "<script" not in html
    assert 'class="chart actor-graph"' in html and html.count('class="edge"') == 5  # one per (subject, object)
    assert "http" not in html.replace("http://www.w3.org/2000/svg", "").replace("http-equiv", "")  # no CDN


def _article(text, outlet, rels, mentions, story="s1"):
    a = Article.new(text, outlet=outlet, published="2024-01-02")
    from dataclasses import replace

    return replace(a, story_id=story, mentions=mentions,
                   relations=[replace(r, article_id=a.id, outlet="") for r in rels])


def test_cli_actors_relations_graph(tmp_path):
    from parallax.store import open_store

    db = str(tmp_path / "n.db")
    store = open_store(db)
    ms_a = [Mention(0, 8, "Calderra", "GPE", 0, "Calderra"), Mention(14, 25, "Delta Union", "ORG", 0, "Delta Union")]
    ms_b = [Mention(0, 8, "Calderra", "GPE", 0, "Calderra"), Mention(15, 26, "Delta Union", "ORG", 0, "Delta Union"),
            Mention(30, 37, "Marovia", "GPE", 0, "Marovia")]
    a = _article("Calderra arms Delta Union.", "a", RELS[:1], ms_a)
    b = _article("Calderra funds Delta Union as Marovia watches.", "b", [RELS[1], RELS[4]], ms_b)
    store.add_articles([a, b], story_ids={a.id: "s1", b.id: "s1"})
    runner = CliRunner()
    r = runner.invoke(app, ["actors", db, "--json"])
    assert r.exit_code == 0, r.output
    names = {x["name"] for x in json.loads(r.stdout)}
    assert {"Calderra", "Delta Union", "Marovia"} <= names
    r = runner.invoke(app, ["relations", db, "--actor", "marovia", "--json"])
    assert r.exit_code == 0, r.output
    edges = json.loads(r.stdout)
    assert len(edges) == 1 and edges[0]["negated"] and edges[0]["outlets"] == ["b"]
    r = runner.invoke(app, ["relations", db, "--story", "s1", "--json"])
    sup = [e for e in json.loads(r.stdout) if not e["negated"]]
    assert sup[0]["outlets"] == ["a", "b"]
    out = tmp_path / "g.graphml"
    r = runner.invoke(app, ["graph", db, "--story", "s1", "--format", "graphml", "--out", str(out)])
    assert r.exit_code == 0 and nx.read_graphml(out).number_of_edges() == 2
    r = runner.invoke(app, ["graph", db, "--format", "dot", "--out", str(out)])
    assert r.exit_code == 2


def test_canonical_names_join_outlets_spellings():
    from parallax.analysis.graph import canonical_names

    same = canonical_names(["Enrique Peña Nieto", "Peña Nieto", "Enrique Pena", "Lenz", "Ivo Lenz", "Republicans",
                            "Republican Party", "Clinton", "Hillary Clinton", "Bill Clinton", "Ana Ruiz"])
    assert same["Peña Nieto"] == same["Enrique Pena"] == "Enrique Peña Nieto"
    assert same["Lenz"] == "Ivo Lenz" and same["Republicans"] == "Republican Party"
    assert "Clinton" not in same  # two Clintons: a bare surname stays as it is
    assert "Ana Ruiz" not in same and "Enrique Peña Nieto" not in same


def test_one_relation_from_three_outlets_is_one_edge_with_three_evidences():
    from dataclasses import replace

    from parallax.analysis.graph import graph_of_articles

    arts = []
    for outlet, text in (("a", "Vicente Marquez accused Ivo Lenz."), ("b", "Marquez accused Ivo Lenz."),
                         ("c", "Vicente Márquez accused Ivo Lenz.")):
        name = text.split(" accused")[0]
        arts.append(replace(
            Article.new(text, outlet=outlet),
            mentions=[Mention(start=0, end=len(name), text=name, label="PERSON", sentence=0, actor=name),
                      Mention(start=len(name) + 9, end=len(name) + 17, text="Ivo Lenz", label="PERSON", sentence=0,
                              actor="Ivo Lenz")],
            relations=[Relation(subject=name, predicate="accuses", object="Ivo Lenz", polarity=-1, sentence=0,
                                evidence=text, article_id=outlet)]))
    g, _, _ = graph_of_articles(arts)
    edges = graph_json(g)["edges"]
    assert len(edges) == 1 and edges[0]["outlets"] == ["a", "b", "c"] and not edges[0]["single_outlet"]
    assert sorted(e["outlet"] for e in edges[0]["evidence"]) == ["a", "b", "c"]
