"""One story (``/stories/ID``, ``/stories/ID.json``): outlets side by side, the claim grid,
quotes by speaker, sources, flagged sentences and the actor graph (the HTML report's partials,
so the report's improvements show here too), with the coverage timeline, the facts × outlets
heat-map and the actor graph as pictures.  The comparison is computed once and cached."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from .. import errors
from ..report.html import _columns, grid_rows, numbered
from ..stories.flow import first_sentence
from . import svg
from .app import page_links, paginate, render, site_of

router = APIRouter()


def _story(request: Request, story_id: str) -> dict[str, Any]:
    row = site_of(request).story(story_id)
    if row is None:
        raise HTTPException(404, f"No story {story_id!r}")
    return row


def story_data(request: Request, story_id: str, page: int, per_page: int, wait: bool = True) -> dict[str, Any]:
    """The story's rows, timeline and comparison; ``wait=False`` (the HTML page) gives up after
    the site's ``report_wait`` and sets ``preparing`` (seconds since the comparison started)."""
    site = site_of(request)
    row = _story(request, story_id)
    rows = site.store.articles_of_story(story_id)
    p = paginate(rows, page, per_page)
    flow = site.timeline(story_id)
    preparing = None
    if wait:
        try:
            comparison = site.report(story_id)
            problem = ""
        except errors.ParallaxError as exc:  # e.g. every article is a copy
            comparison, problem = None, str(exc)
    else:
        comparison, problem, since = site.prepared(story_id)
        if comparison is None and not problem:
            preparing = round(since)
    return {"story": row, "articles": p, "links": page_links(request, p), "timeline": flow,
            "comparison": comparison, "problem": problem, "preparing": preparing}


@router.get("/stories/{story_id}.json", summary="One story: articles, timeline, comparison", tags=["stories"])
def story_json(request: Request, story_id: str, page: int = Query(1, ge=1),
               per_page: int = Query(50, ge=1, le=200)) -> dict[str, Any]:
    """The story row, its articles (paginated metadata rows; copies carry ``near_dup_of``), its
    timeline (who published first, who copied whom) and the full comparison of its independent
    articles (fact groups, quotes, sources, actors, relations) as in ``parallax story --json``."""
    d = story_data(request, story_id, page, per_page)
    c = d["comparison"]
    return {"story": d["story"], "articles": {**d["articles"], **d["links"]},
            "timeline": d["timeline"].to_dict(), "comparison": c.to_dict() if c is not None else None,
            "problem": d["problem"]}


@router.get("/stories/{story_id}", include_in_schema=False)
def story_html(request: Request, story_id: str, page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=200)):
    d = story_data(request, story_id, page, per_page, wait=False)
    c = d["comparison"]
    said = first_sentence(d["timeline"])  # the CLI's wording: a tie or a day-only date is said so
    ctx: dict[str, Any] = {"d": d, "story": d["story"], "first_published": said[:1].upper() + said[1:]}
    pictures = {"timeline": svg.coverage_timeline(d["timeline"])}
    if c is not None:
        outlets = [a.label for a in c.articles]
        pictures["heatmap"] = svg.fact_heatmap(numbered(c), outlets)
        pictures["graph"] = svg.actor_graph(c.actors, c.relations)
        ctx.update(c=c, columns=_columns(c), grid=grid_rows(c), outlet_of={a.id: a.label for a in c.articles},
                   everyone=[cl for cl in c.shared if cl.support >= 1.0],
                   some=[cl for cl in c.shared if cl.support < 1.0],
                   flagged=[(a, f) for a in c.articles for f in a.flags])
    return render(request, "story.html.j2", pictures=pictures, **ctx)
