"""The actor network of a story or of a whole database, from the stored mentions and relations.

One function, :func:`actor_network`, for ``parallax actors`` / ``relations`` / ``graph`` and for
the web app's actor pages and ``/relations.json``: :func:`parallax.analysis.graph.graph_of_articles`
merges mentions across articles into canonical actors and re-keys the relations to them, so both
faces list the same actors for one database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..model import Actor, Article, Relation
from ..store import Store

__all__ = ["Network", "actor_network", "actor_rows", "relation_rows"]


@dataclass
class Network:
    """Canonical actors, their relations and graph, and where each actor appears."""

    actors: list[Actor]  # most mentioned first
    relations: list[Relation]  # canonical names, outlet, date and article filled in
    graph: Any  # networkx.MultiDiGraph (analysis.graph.build_graph)
    stories: dict[str, Counter] = field(default_factory=dict)  # actor -> story id -> mentions
    articles: dict[str, set[str]] = field(default_factory=dict)  # actor -> article ids
    labels: dict[str, Counter] = field(default_factory=dict)  # actor -> entity label -> mentions

    def actor(self, name: str) -> Actor | None:
        return next((a for a in self.actors if a.name == name), None)


def _articles(store: Store, story_id: str | None) -> list[Article]:
    if not story_id:
        return list(store.iter_articles())
    from .stories import story_articles

    return story_articles(store, story_id)


def actor_network(store: Store, story_id: str | None = None, articles: list[Article] | None = None,
                  stats: bool = False) -> Network:
    """The network of one story (``story_id``) or of every stored article; with ``stats``, also
    where each actor appears (entity labels, stories, articles: the web app's actor pages).

    Example: ``net = actor_network(open_store("news.db")); net.actors[0].name``"""
    from ..analysis.actors import merge_actors
    from ..analysis.graph import graph_of_articles
    from ..analysis.names import find_acronyms

    arts = articles if articles is not None else _articles(store, story_id)
    graph, actors, rels = graph_of_articles(arts)  # the analysis' own merge, so every face agrees
    net = Network(actors, rels, graph)
    if not stats:
        return net
    # where each canonical actor appears: the same merge gives the per-article names' mapping
    acronyms: dict[str, str] = {}
    for a in arts:
        for k, v in find_acronyms(a.text).items():
            acronyms.setdefault(k, v)
    _, mapping = merge_actors([(a.label, a.mentions) for a in arts], acronyms)
    for a in arts:
        for m in a.mentions:
            name = mapping.get(m.actor, m.actor)
            net.labels.setdefault(name, Counter())[m.label] += 1
            net.articles.setdefault(name, set()).add(a.id)
            if a.story_id:
                net.stories.setdefault(name, Counter())[a.story_id] += 1
    for r in rels:
        for name in (r.subject, r.object):
            net.articles.setdefault(name, set()).add(r.article_id)
    return net


def actor_rows(net: Network, top: int = 0) -> list[dict[str, Any]]:
    """``parallax actors --json`` rows: the actor, its outlets and its number of relations.

    Example: ``actor_rows(actor_network(store), top=10)[0]["name"]``"""
    g = net.graph
    acts = net.actors[:top] if top else net.actors
    return [{**a.to_dict(), "outlets": sorted(a.by_outlet), "relations": g.degree(a.name) if a.name in g else 0}
            for a in acts]


def relation_rows(net: Network, actor: str | None = None, single_outlet: bool = False) -> list[dict[str, Any]]:
    """``parallax relations --json`` edges, optionally only those touching ``actor`` (a name or
    alias; else any actor whose name contains it) or asserted by a single outlet.

    Example: ``relation_rows(actor_network(store, "s000012"), actor="Haftar", single_outlet=True)``"""
    from ..analysis.graph import graph_json

    edges = graph_json(net.graph)["edges"]
    if actor:
        key = actor.casefold()
        names = {a.name for a in net.actors if key in {a.name.casefold(), *(x.casefold() for x in a.aliases)}}
        names = names or {n for n in net.graph.nodes if key in n.casefold()}
        edges = [e for e in edges if e["source"] in names or e["target"] in names]
    if single_outlet:
        edges = [e for e in edges if e["single_outlet"]]
    return edges

