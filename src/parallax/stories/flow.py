"""Story flow: who published a story first, who followed and when, and who copied whom.

Pure function over a story's articles (their ``published`` dates and ``near_duplicate_of``
links, set by ingest); the timeline Event Registry users ask for, computed locally.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from ..model import Article, FlowStep, StoryFlow
from ..ingest.dates import parse_date


def _when(a: Article) -> datetime | None:
    d = parse_date(a.published)
    if d is None:
        return None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def story_flow(story_id: str, articles: Sequence[Article]) -> StoryFlow:
    """Order a story's articles in time (undated ones last) and mark copies."""
    dated = sorted(((_when(a), a) for a in articles),
                   key=lambda x: (x[0] is None, x[0] or datetime.min.replace(tzinfo=timezone.utc), x[1].outlet))
    first_time = next((t for t, _ in dated if t is not None), None)
    outlet_of = {a.id: a.outlet for a in articles}
    steps = []
    for t, a in dated:
        lag = round((t - first_time).total_seconds() / 3600, 2) if t is not None and first_time else None
        steps.append(FlowStep(article_id=a.id, outlet=a.outlet, title=a.title, published=a.published,
                              lag_hours=lag, copy_of=a.near_duplicate_of,
                              copy_of_outlet=outlet_of.get(a.near_duplicate_of, "")))
    independent = sorted({s.outlet for s in steps if not s.copy_of})
    copy_only = sorted({s.outlet for s in steps} - set(independent))
    return StoryFlow(story_id=story_id, first_outlet=steps[0].outlet if steps else "", steps=steps,
                     independent_outlets=independent, copy_only_outlets=copy_only)
