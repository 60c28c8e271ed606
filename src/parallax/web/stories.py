"""The story list (``/stories``, ``/stories.json``): search by words, filter by outlet and
date, sort by recency or coverage, paginated; with the database pictures (stories over time,
outlets by volume)."""

from __future__ import annotations

import re
from typing import Any, Literal

from fastapi import APIRouter, Query, Request

from . import svg
from .app import page_links, paginate, render, site_of

router = APIRouter()

_WORD = re.compile(r"\w+")


def story_list(request: Request, q: str, outlet: str, since: str, until: str, sort: str,
               page: int, per_page: int, lang: str = "") -> dict[str, Any]:
    site = site_of(request)
    rows = site.stories()
    words = [w.casefold() for w in _WORD.findall(q)]
    if words:
        rows = [r for r in rows if all(w in (r["title"] or "").casefold() for w in words)]
    if outlet:
        rows = [r for r in rows if outlet in r["outlets"]]
    if lang:
        rows = [r for r in rows if lang in r.get("languages", ())]
    if since:
        rows = [r for r in rows if (r["last_published"] or "") >= since]
    if until:
        rows = [r for r in rows if r["first_published"] and r["first_published"][:len(until)] <= until]
    if sort == "coverage":
        rows = sorted(rows, key=lambda r: (-r["n_articles"], -len(r["outlets"])))
    p = paginate(rows, page, per_page)
    return {**p, **page_links(request, p),
            "filters": {"q": q, "outlet": outlet, "since": since, "until": until, "sort": sort, "lang": lang}}


@router.get("/stories.json", summary="Stories (paginated, searchable)", tags=["stories"])
def stories_json(request: Request, q: str = "", outlet: str = "", since: str = "", until: str = "",
                 sort: Literal["recency", "coverage"] = "recency", page: int = Query(1, ge=1),
                 per_page: int = Query(50, ge=1, le=200), lang: str = "") -> dict[str, Any]:
    """Story rows (id, title, first/last published, n_articles, outlets, languages) with the
    filters applied (``lang``: an ISO 639-1 code); ``n_articles`` counts independent coverage
    (near-duplicate copies left out)."""
    data = story_list(request, q, outlet, since, until, sort, page, per_page, lang)
    data["database"] = site_of(request).overview()
    return data


@router.get("/stories", include_in_schema=False)
def stories_html(request: Request, q: str = "", outlet: str = "", since: str = "", until: str = "",
                 sort: Literal["recency", "coverage"] = "recency", page: int = Query(1, ge=1),
                 per_page: int = Query(50, ge=1, le=200), lang: str = ""):
    data = story_list(request, q, outlet, since, until, sort, page, per_page, lang)
    ov = site_of(request).overview()
    pictures = {
        "over_time": svg.columns(ov["periods"][-60:], f"Stories per {ov['period']}"),
        "outlets": svg.bars(ov["outlets"][:15], "Outlets by stories covered", href="/stories?outlet={q}"),
    }
    return render(request, "stories.html.j2", data=data, overview=ov, pictures=pictures,
                  outlets=sorted(o for o, _ in ov["outlets"]),
                  languages=sorted({lang for r in site_of(request).stories() for lang in r.get("languages", ())}))
