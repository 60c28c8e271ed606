"""Story flow: who published a story first, who followed and when, and who copied whom.

Pure function over a story's articles (their ``published`` dates and ``near_duplicate_of``
links, set by ingest); the timeline Event Registry users ask for, computed locally.

Time is only as precise as the data: a stored date without a time part ("2018-10-26") is known
to the day, so any comparison involving it is made in calendar days ("same day", "+1 day"),
never in hours, and an outlet is called *first* only when it is strictly earliest at that
precision; otherwise every outlet tied for first is named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone

from ..model import Article, FlowStep, StoryFlow
from ..ingest.dates import parse_date

_TIME_PART = re.compile(r"\d{1,2}:\d{2}")


def precision(published: str) -> str:
    """"minute" when the stored date string has a time part, "day" when it is a bare date,
    "" when there is no parseable date."""
    if parse_date(published or "") is None:
        return ""
    return "minute" if _TIME_PART.search(published) else "day"


def _when(a: Article) -> datetime | None:
    d = parse_date(a.published)
    if d is None:
        return None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def _coarse(p: str, q: str) -> str:
    return "day" if "day" in (p, q) else "minute"


def _earlier(t: datetime, p: str, u: datetime, q: str) -> bool:
    """Is ``t`` (precision ``p``) strictly before ``u`` (precision ``q``) at the coarser precision?"""
    if _coarse(p, q) == "day":
        return t.date() < u.date()
    return t < u


def lag_text(days: int | None, hours: float | None, first: bool = False) -> str:
    """A lag as a reader sees it: "+3.5 h" when both dates carry a time, else in days."""
    if days is None:
        return "undated"
    if hours is not None:
        if hours == 0:
            return "first" if first else "same time"
        return f"+{hours:g} h"
    if days == 0:
        return "first day" if first else "same day"
    return f"+{days} day" + ("" if days == 1 else "s")


def story_flow(story_id: str, articles: Sequence[Article]) -> StoryFlow:
    """Order a story's articles in time (undated ones last) and mark copies."""
    dated = sorted(((_when(a), a) for a in articles),
                   key=lambda x: (x[0] is None, x[0] or datetime.min.replace(tzinfo=timezone.utc), x[1].outlet))
    first_time = next((t for t, _ in dated if t is not None), None)
    first_art = next((a for t, a in dated if t is not None), None)
    first_prec = precision(first_art.published) if first_art else ""
    outlet_of = {a.id: a.outlet for a in articles}
    steps = []
    for t, a in dated:
        prec = precision(a.published) if t is not None else ""
        hours = days = None
        if t is not None and first_time is not None:
            days = (t.date() - first_time.date()).days
            if _coarse(prec, first_prec) == "minute":
                hours = round((t - first_time).total_seconds() / 3600, 2)
        steps.append(FlowStep(article_id=a.id, outlet=a.outlet, title=a.title, published=a.published,
                              lag_hours=hours, copy_of=a.near_duplicate_of,
                              copy_of_outlet=outlet_of.get(a.near_duplicate_of, ""), precision=prec,
                              lag_days=days, lag=lag_text(days, hours, first=not steps)))
    # Tied for first: every dated article that is not strictly later than the earliest one at the
    # pair's coarser precision (a day-only date ties with any time on that day).
    firsts: list[str] = []
    tie_prec = first_prec
    for t, a in dated:
        if t is None or first_time is None:
            continue
        p = precision(a.published)
        if not _earlier(first_time, first_prec, t, p):
            if a.outlet not in firsts:
                firsts.append(a.outlet)
            if a is not first_art:
                tie_prec = _coarse(tie_prec, p)
    independent = sorted({s.outlet for s in steps if not s.copy_of})
    copy_only = sorted({s.outlet for s in steps} - set(independent))
    first_outlet = firsts[0] if len(firsts) == 1 else ""
    return StoryFlow(story_id=story_id, first_outlet=first_outlet, steps=steps,
                     independent_outlets=independent, copy_only_outlets=copy_only,
                     first_outlets=firsts, first_precision=tie_prec)


def first_sentence(flow: StoryFlow) -> str:
    """"first published by X" only when X is strictly earliest; otherwise the tie, at its precision."""
    if not flow.first_outlets:
        return "no publication dates"
    if len(flow.first_outlets) == 1:
        return f"first published by {flow.first_outlets[0]}"
    when = "the same day" if flow.first_precision == "day" else "at the same time"
    return f"first published {when} by {', '.join(flow.first_outlets)}"
