"""Actors (``/actors``, ``/actors/NAME``, and their ``.json`` twins) and ``/relations.json``: an
actor's relations and the stories it appears in, from the stored mentions and relations merged by
:func:`parallax.workflows.actor_network` (see ``ActorIndex``), the same as ``parallax actors`` and
``parallax relations`` print."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from .app import page_links, paginate, render, site_of

router = APIRouter()


class Indexing(HTTPException):
    """The first actor index is still being built (large databases): 503, retry shortly."""

    def __init__(self) -> None:
        super().__init__(503, "The actor index is being built (one pass over every article; about 90 s per "
                              "100,000 articles). This page reloads by itself.", headers={"Retry-After": "10"})


def _index(request: Request):
    index = site_of(request).actor_index()
    if index is None:
        raise Indexing()
    return index


def actor_list(request: Request, q: str, page: int, per_page: int) -> dict[str, Any]:
    index = _index(request)
    words = [w.casefold() for w in re.findall(r"\w+", q)]
    rows = [{"name": a["name"], "mentions": a["mentions"], "stories": len(a["stories"]), "type": a["type"]}
            for a in index.listed() if all(w in a["name"].casefold() for w in words)]
    p = paginate(rows, page, per_page)
    return {**p, **page_links(request, p), "q": q}


def actor_data(request: Request, name: str, page: int, per_page: int) -> dict[str, Any]:
    site = site_of(request)
    a = _index(request).get(name)
    if a is None:
        raise HTTPException(404, f"No actor {name!r}")
    stories = []
    for sid, n in a["stories"].most_common():
        row = site.story(sid)
        if row is not None:
            stories.append({**row, "mentions": n})
    p = paginate(stories, page, per_page)
    relations = [{"article_id": aid, "outlet": outlet, **r.to_dict()} for aid, outlet, r in a["relations"]]
    return {"actor": {"name": a["name"], "type": a["type"], "mentions": a["mentions"], "labels": dict(a["labels"]),
                      "by_outlet": dict(a["by_outlet"].most_common()), "articles": len(a["articles"])},
            "relations": relations, "stories": {**p, **page_links(request, p)}}


@router.get("/actors.json", summary="Actors by mentions (paginated, searchable)", tags=["actors"])
def actors_json(request: Request, q: str = "", page: int = Query(1, ge=1),
                per_page: int = Query(50, ge=1, le=200)) -> dict[str, Any]:
    return actor_list(request, q, page, per_page)


@router.get("/actors", include_in_schema=False)
def actors_html(request: Request, q: str = "", page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=200)):
    return render(request, "actors.html.j2", data=actor_list(request, q, page, per_page))


@router.get("/actors/{name:path}.json", summary="One actor: relations and stories", tags=["actors"])
def actor_json(request: Request, name: str, page: int = Query(1, ge=1),
               per_page: int = Query(50, ge=1, le=200)) -> dict[str, Any]:
    """The actor (canonical name, mentions, entity labels, mentions per outlet), its relations
    (first 500, each with the article and evidence sentence) and the stories it appears in."""
    return actor_data(request, name, page, per_page)


@router.get("/actors/{name:path}", include_in_schema=False)
def actor_html(request: Request, name: str, page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=200)):
    return render(request, "actor.html.j2", d=actor_data(request, name, page, per_page))


@router.get("/relations.json", summary="Relations between actors (as `parallax relations --json`)", tags=["actors"])
def relations_json(request: Request, actor: str = "", single_outlet: bool = False) -> list[dict[str, Any]]:
    """Every relation edge of the database (subject, predicate, object, outlets asserting it,
    evidence), optionally only those touching ``actor`` or asserted by a single outlet."""
    from ..workflows import relation_rows

    return relation_rows(_index(request).net, actor or None, single_outlet)
