"""A story index whose memory follows the news rate, not the corpus.

What: ``WindowedStoryIndex`` is a :class:`~parallax.stories.cluster.StoryIndex` that holds only
the stories whose newest article lies within ``story_memory_days`` + ``story_window_days`` of
the newest date it has assigned.  At each batch boundary (``evict``) older time slices
(``BUCKET_DAYS`` wide, filed by a story's newest date) are dropped from memory -- their states
are already in the database, saved with the batch that last touched them.  When a dated article
needs a slice that is not in memory (an out-of-order article, or the first articles after a
restart), the slice is read back from the database through ``fetch``.  Undated stories are kept
in memory; an undated article searches only the stories in memory (the unbounded index searches
every story).

Why: one driver held ~32 KB per article in its story index and read every story at start, so it
filled 20 GB at ~600k articles (docs/scaling.md).  Which stories a dated article can join is
bounded by the assignment window, so the assignments are the ones of the unbounded index
(tests/test_story_window.py compares the partitions).  The IDF table (term -> document count)
stays whole: it is what makes the decisions identical.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..options import Options
from .candidates import CandidateIndex
from .cluster import BUCKET_DAYS, StoryIndex, StoryState
from .features import StoryFeatures, day_number

Fetch = Callable[[int, int], Iterable[Mapping[str, Any]]]
"""``fetch(first_day, last_day)`` -> states of the stories whose newest article's date (day
number) lies in ``[first_day, last_day]`` (the caller filters on the state's own ``last``)."""


def _get(st: StoryState | Mapping[str, Any], key: str) -> Any:
    """A field of a state, record or raw mapping alike."""
    return getattr(st, key) if isinstance(st, StoryState) else st.get(key)


class WindowedStoryIndex(StoryIndex):
    """Stories near the dates being ingested in memory; the rest read back by time slice."""

    def __init__(self, options: Options | None = None, fetch: Fetch | None = None,
                 ann: CandidateIndex | None = None) -> None:
        super().__init__(options, ann)
        self._fetch = fetch
        self._loaded: set[int] = set()  # slices whose stored stories are in memory
        self._newest: int | None = None  # newest article date assigned
        self._known: set[str] = set()  # story ids whose counts are in the IDF table
        self.fetched = 0  # stories read back from the database (for the scaling figures)
        self.evicted = 0
        self.refreshed = 0  # stories taken in from other drivers

    @classmethod
    def start(cls, all_states: Iterable[Mapping[str, Any]], fetch: Fetch,
              options: Options | None = None, ann: CandidateIndex | None = None) -> WindowedStoryIndex:
        """An index over a database: the IDF table from every state (streamed, not kept), the
        undated stories in memory, every dated slice left in the database until needed."""
        idx = cls(options, fetch, ann)
        for st in all_states:
            st = st if isinstance(st, StoryState) else StoryState.from_dict(dict(st))
            idx._df.update({sys.intern(k): int(v) for k, v in st.df.items()})
            idx._n_docs += st.size
            idx._known.add(st.id)
            if st.last is None and st.first is None:
                idx._restore(st)
        idx._refresh_idf()
        return idx

    # --- what a dated article needs ------------------------------------------------------------
    def assign(self, f: StoryFeatures) -> str:
        day = day_number(f.published)
        if day is not None:
            self._ensure(day)
            self._newest = day if self._newest is None else max(self._newest, day)
        return super().assign(f)

    def _ensure(self, day: int) -> None:
        """Read back the slices a dated article's window covers that are not in memory."""
        win = self.options.story_window_days
        lo, hi = self._bucket_key(day - win), self._bucket_key(day + win)
        missing = [k for k in range(lo, hi + 1) if k not in self._loaded]
        if not missing:
            return
        self._loaded.update(missing)
        if self._fetch is None:
            return
        want = set(missing)
        for st in self._fetch(min(missing) * BUCKET_DAYS, (max(missing) + 1) * BUCKET_DAYS - 1):
            # filter on the raw mapping: building the record is most of the cost of a state
            if _get(st, "id") in self._by_id or self._bucket_key(day_number(_get(st, "last"))) not in want:
                continue  # in memory already (and newer), or filed under another slice
            self._restore(st)
            self.fetched += 1

    # --- several drivers on one database ---------------------------------------------------------
    def _stored_id(self, sid: str) -> bool:
        # a new story must not take the id of one left in the database (two articles whose ids
        # share their first 12 characters open stories months apart)
        return sid in self._known

    def _create(self, sid: str | None = None, seed: str | None = None):
        story = super()._create(sid, seed)
        self._known.add(story.id)
        return story

    def refresh(self, states: Iterable[Mapping[str, Any]]) -> int:
        """Take in story states other drivers saved (read inside this driver's write transaction,
        so nothing changes them until it commits): a story in memory whose stored size differs
        is replaced by the stored one; a story never seen joins the IDF table and, when its
        time slice is in memory, the index.  Returns the number of stories taken in.  A story
        this driver evicted and another one grew comes back whole when its slice is next read;
        its growth is then missing from the IDF table (an approximation of the term counts only)."""
        n = 0
        for st in states:
            sid = _get(st, "id")
            num = self._by_id.get(sid)
            old = self._stories.get(num) if num is not None else None
            if old is not None and old.size == _get(st, "size"):
                continue  # what this driver saved, or unchanged
            if old is None and sid in self._known:
                continue  # evicted here: read back with its slice when needed
            st = st if isinstance(st, StoryState) else StoryState.from_dict(dict(st))
            self._df.update({sys.intern(k): int(v) for k, v in st.df.items()})
            self._n_docs += st.size
            if old is not None:
                self._df.subtract(old.df)
                self._n_docs -= old.size
                self._forget(old)
            self._known.add(st.id)
            key = self._bucket_key(day_number(st.last))
            if old is not None or key is None or key in self._loaded:
                self._restore(st)
            n += 1
        self.refreshed += n
        return n

    def _forget(self, story) -> None:
        """Drop a story from memory (not from the IDF table)."""
        self._unindex(story)
        del self._stories[story.num]
        del self._by_id[story.id]
        self._sides.pop(story.num, None)

    # --- forgetting ------------------------------------------------------------------------------
    def horizon(self) -> int | None:
        """Oldest slice kept in memory: one an article at most ``story_memory_days`` older than
        the newest date may still need."""
        if self._newest is None or self.options.story_memory_days <= 0:
            return None
        back = self.options.story_memory_days + self.options.story_window_days
        return self._bucket_key(self._newest - back)

    def evict(self) -> int:
        """Drop the slices older than ``horizon``; call only when every story in memory is saved
        (between batches).  Returns the number of stories dropped."""
        keep = self.horizon()
        if keep is None:
            return 0
        gone = [s for s in self._stories.values() if isinstance(s.bucket, int) and s.bucket < keep]
        for story in gone:
            self._forget(story)
        self.ann.evict_below(keep)
        n = len(gone)
        # the slices dropped, and any never filled in memory but marked loaded
        self._loaded = {k for k in self._loaded if k >= keep}
        self.evicted += n
        return n

