"""Stories that do not depend on where an ingest was interrupted.

An uninterrupted first ingest assigns its articles to stories in input order, then reclusters
(``parallax ingest``).  A run SIGKILLed half-way used to end elsewhere: its re-run restored the
story index from the saved states (which forget pruned terms, so the IDF table differs), went
on from there, and skipped the final recluster because it had not assigned every article
itself - 100 articles gave 33 stories in one run, 34 with a kill and a re-run.

:func:`rebuild_if_covered` makes the outcome a function of the input alone: when the articles a
run read (``IngestSummary.read_ids``, in input order, whether stored by this run, an earlier
run, or an interrupted one) include every independent article of the database, the stories are
rebuilt from scratch - a fresh story index, the articles assigned in that order from their
*stored* story features, then the usual recluster.  Commits are in input order and near-
duplicates are found against the stored signatures in that order, so an interrupted-and-resumed
run and an uninterrupted one hand the rebuild the same ids in the same order with the same
features, and get the same stories.  A run whose input does not cover the database (an
incremental ingest of new files) keeps the incremental assignment.

The rebuild reads and writes in one transaction (under SQLite the write lock keeps other writers
out while it runs).  Its cost is the story assignment and recluster of the whole database - no
article is re-analysed - paid by every run whose input covers the database, re-runs included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from ..options import DEFAULT, Options
from ..store import Store

__all__ = ["rebuild_if_covered"]


def rebuild_if_covered(store: Store, read_ids: Sequence[str], options: Options = DEFAULT,
                       started: Any = None, stored_by_run: int | None = None) -> bool:
    """Rebuild every story from scratch in the order of ``read_ids`` when those include every
    independent article stored; returns True when the stories were rebuilt (even if unchanged).

    With ``started`` (the run's start time) and ``stored_by_run`` (the articles it inserted), a run
    during which another writer stored articles does not rebuild: that writer's story index is
    live, and states it commits after the rebuild would contradict the rebuilt ones."""
    from ..stories.cluster import StoryIndex
    from .stories import recluster, stored_features

    with store.batch():
        if started is not None and stored_by_run is not None and store.ingested_since(started) > stored_by_run:
            return False  # another ingest wrote while this one ran
        counts = store.counts()
        independent = counts["articles"] - counts["near_duplicates"]
        if not independent or len(read_ids) < independent:
            return False
        copies = store.near_duplicate_links()
        stored = store.has(read_ids)
        order = [aid for aid in dict.fromkeys(read_ids) if aid in stored and aid not in copies]
        if len(order) != independent:
            return False  # other articles are stored too: not this input's database alone
        feats = stored_features(store, order, options)
        index = StoryIndex(options)
        for aid in order:
            if aid in feats:
                index.assign(feats[aid])
        old_ids = {r["id"] for r in store.stories()}
        # recluster writes the new assignment (copies follow their originals) and states
        recluster(store, options, SimpleNamespace(index=index, features=feats))
        store.delete_story_states(old_ids - {s.id for s in index.states()})
    return True
