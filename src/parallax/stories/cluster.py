"""Incremental story assignment: each arriving article joins the best open story or starts one.

What: ``StoryIndex.assign(features)`` scores the article against a handful of candidate stories
and returns the id of the story it joined (or of the new story it started).  A story keeps the
sum of its members' lead embeddings, a few member embeddings (exemplars: the first and the
latest members), the sum of their term frequencies (pruned to the heaviest terms) and its date
span.  Whether the article reports the story's event is decided by the learned pair model
(:mod:`parallax.stories.pair_model`: embedding cosines with the centroid and the best exemplar,
TF-IDF cosines over names, lemmas and numbers, missing main names and numbers, years, date
distance, missing dates), with document frequencies accumulated by the index as articles
arrive (never fitted ahead of time).  The article joins the most probable candidate when that
probability clears ``Options.story_join_probability`` AND its best exemplar cosine reaches the
model's member floor (exemplar matching: a broad centroid alone does not pull an article in);
the probability is kept with the assignment (``StoryState.confidence``: for an article that
started a story, the probability that it matches none of the candidates).

``recluster()`` merges stories that have come to describe one event (an early article may start
a story before the story's vocabulary is known) and, given member features, splits stories whose
members drifted apart, all with the same model over article pairs.

Cost: candidates come from an index of story centroids per ``BUCKET_DAYS`` slice of time
(stories filed under their latest date), plus one for undated stories
(:mod:`parallax.stories.candidates`: usearch HNSW in memory, or pgvector in the PostgreSQL
database).  A dated article searches only the slices inside its window; an undated one searches
all stories.  With
a constant number of candidates, exemplars and pruned term vectors, the work per article is
O(log n) in the HNSW search and otherwise independent of the number of stories.
"""

from __future__ import annotations

import base64
import math
import sys
import uuid
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..model import Record
from ..options import DEFAULT, Options
from .candidates import CandidateIndex, LocalCandidates
from .features import DIM, StoryFeatures, day_number
from .pair_model import PairModel, Side, load_pair_models, make_side, pair_features

# Thresholds live in ``Options`` (``story_*`` fields, each with the reason for its value).
# Width of one time slice of the candidate index.
BUCKET_DAYS = 7


@dataclass
class StoryState(Record):
    """One story as persisted: sums of member vectors/terms, not their means, so that adding an
    article is an addition.  ``df`` counts member articles per kept term (for the IDF table)."""

    id: str
    vector: list[float]
    terms: dict[str, float] = field(default_factory=dict)
    df: dict[str, int] = field(default_factory=dict)
    size: int = 0
    first: str | None = None
    last: str | None = None
    articles: list[str] = field(default_factory=list)
    title: str = ""
    exemplars: str = ""  # member embeddings, float16, base64 (see ``_pack``)
    confidence: dict[str, float] = field(default_factory=dict)  # article id -> p at assignment


def _pack(rows: list[np.ndarray]) -> str:
    return base64.b64encode(np.asarray(rows, dtype=np.float16).tobytes()).decode("ascii") if rows else ""


def _unpack(text: str) -> list[np.ndarray]:
    if not text:
        return []
    flat = np.frombuffer(base64.b64decode(text), dtype=np.float16).astype(np.float32)
    return list(flat.reshape(-1, DIM))


@dataclass
class _Member:
    f: StoryFeatures
    side: Side
    day: int | None


class _Story:
    __slots__ = ("id", "num", "vec", "terms", "df", "size", "first", "last", "articles", "title", "bucket",
                 "exemplars", "conf", "ver")

    def __init__(self, sid: str, num: int) -> None:
        self.id, self.num = sid, num
        self.vec = np.zeros(DIM, dtype=np.float32)
        self.terms: dict[str, float] = {}
        self.df: dict[str, int] = {}
        self.size = 0
        self.first: int | None = None
        self.last: int | None = None
        self.articles: list[str] = []
        self.title = ""
        self.bucket: Any = None
        self.exemplars: list[np.ndarray] = []
        self.conf: dict[str, float] = {}
        self.ver = 0  # bumped on every change: invalidates the cached TF-IDF view (``_side``)

    def unit(self) -> np.ndarray:
        n = float(np.linalg.norm(self.vec))
        return self.vec / n if n else self.vec


class _IdfTable(dict):
    """Smoothed IDF per term over ``n`` documents, computed at the term's first lookup and kept
    (a plain dict lookup after that); a term no article has had gets the maximum."""

    def __init__(self, df: Mapping[str, int], n: int) -> None:
        super().__init__()
        self.df, self.n = df, n

    def __missing__(self, term: str) -> float:
        v = self[term] = math.log((self.n + 1) / (self.df.get(term, 0) + 1)) + 1.0
        return v


def _days_iso(d: int | None) -> str | None:
    from datetime import date

    return date.fromordinal(d).isoformat() if d is not None else None


class StoryIndex:
    """The story database in memory: ``assign`` articles, ``states``/``load`` to persist."""

    def __init__(self, options: Options | None = None, ann: CandidateIndex | None = None) -> None:
        self.options = options or DEFAULT
        self._stories: dict[int, _Story] = {}
        self._by_id: dict[str, int] = {}
        self._next = 0
        # story centroids by time slice (stories.candidates): in memory, or pgvector in the database
        self.ann: CandidateIndex = ann if ann is not None else LocalCandidates(self._stories)
        self._df: Counter[str] = Counter()
        self._n_docs = 0
        # The IDF weights scoring reads are frozen between refreshes (when the corpus grew by
        # ``story_idf_refresh``): a term's weight is computed at its first use after a refresh
        # over ``_idf_n`` documents and kept in ``_idf_of``.  Between refreshes a story's view
        # then changes only with the story, so it is cached per story version (``_sides``, LRU).
        self._idf_n = 0
        self._idf_of = _IdfTable(self._df, 0)
        self._sides: OrderedDict[int, tuple[int, Side]] = OrderedDict()
        self._model: PairModel | None = None
        self._pair_model: PairModel | None = None

    @property
    def model(self) -> PairModel:
        """The article-vs-story decision (loaded on first use)."""
        if self._model is None:
            self._model = load_pair_models(self.options.story_pair_model or None)["join"]
        return self._model

    @property
    def pair_model(self) -> PairModel:
        """The article-vs-article decision recluster averages (loaded on first use)."""
        if self._pair_model is None:
            self._pair_model = load_pair_models(self.options.story_pair_model or None)["pair"]
        return self._pair_model

    # --- public API --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._stories)

    def assign(self, f: StoryFeatures) -> str:
        """Add one article; return the id of the story it joined or started."""
        self._observe(f.terms)
        day = day_number(f.published)
        side = self._article_side(f, day)
        best, best_p, top_p = None, self.options.story_join_probability, 0.0
        floor = self.model.member_floor
        for story, x in self.scored(side, day):
            p = float(self.model.prob(x))
            top_p = max(top_p, p)
            if p >= best_p and x[1] >= floor:
                best, best_p = story, p
        if best is None:
            best, conf = self._create(seed=f.article_id), 1.0 - top_p
        else:
            conf = best_p
        self._add(best, f, day)
        best.conf[f.article_id] = round(conf, 3)
        return best.id

    def scored(self, side: Side, day: int | None) -> list[tuple[_Story, np.ndarray]]:
        """Every candidate story inside the article's time window with its pair features."""
        return [(story, pair_features(side, self._side(story)))
                for story in self._candidates(side.vec, day) if self._in_window(story, day)]

    def __contains__(self, sid: object) -> bool:
        return sid in self._by_id

    def story_of(self, sid: str) -> StoryState:
        return self._state(self._stories[self._by_id[sid]])

    def states(self) -> list[StoryState]:
        return [self._state(s) for s in self._stories.values()]

    @classmethod
    def load(cls, states: Iterable[StoryState | Mapping[str, Any]], options: Options | None = None,
             ann: CandidateIndex | None = None) -> StoryIndex:
        """Rebuild an index from persisted states (the IDF table is rebuilt from their ``df``;
        terms pruned from a story's centroid are forgotten, which only raises their IDF)."""
        idx = cls(options, ann)
        for st in states:
            story = idx._restore(st)
            idx._df.update(story.df)
            idx._n_docs += story.size
        idx._refresh_idf()
        return idx

    def _restore(self, st: StoryState | Mapping[str, Any]) -> _Story:
        """Put a persisted story in memory and in the candidate index (not in the IDF table)."""
        if not isinstance(st, StoryState):
            st = StoryState.from_dict(dict(st))
        story = self._create(st.id)
        story.vec = np.asarray(st.vector, dtype=np.float32)
        story.terms = {sys.intern(k): v for k, v in st.terms.items()}
        story.df = {sys.intern(k): int(v) for k, v in st.df.items()}
        story.size, story.articles, story.title = st.size, list(st.articles), st.title
        story.first, story.last = day_number(st.first), day_number(st.last)
        story.exemplars, story.conf = _unpack(st.exemplars), dict(st.confidence)
        self._reindex(story, stored=True)
        return story

    def recluster(self, features: Mapping[str, StoryFeatures] | None = None) -> list[dict[str, Any]]:
        """Merge stories that describe one event; with ``features`` (article id -> features of
        the members) first eject members that split off by 2-means
        (``_bisect``) into stories of their own.  Returns the operations done, in order."""
        ops: list[dict[str, Any]] = []
        if features:
            ops += self._split(features)
            merged = self._merge_members(features)
            if merged is not None:
                return ops + merged
        ops += self._merge()
        return ops

    # --- scoring -----------------------------------------------------------------------------
    def _observe(self, terms: Mapping[str, float]) -> None:
        self._n_docs += 1
        self._df.update(terms.keys())
        if self._n_docs >= self._idf_n * (1.0 + self.options.story_idf_refresh) or self._n_docs < 50:
            self._refresh_idf()

    def _refresh_idf(self) -> None:
        self._idf_n = self._n_docs
        self._idf_of = _IdfTable(self._df, self._n_docs)
        self._sides.clear()

    def _article_side(self, f: StoryFeatures, day: int | None) -> Side:
        vec = f.array()
        return make_side(vec, vec[None, :], f.terms, self._idf_of, day, day, 1, f.title)

    def _side(self, story: _Story) -> Side:
        hit = self._sides.get(story.num)
        if hit is not None and hit[0] == story.ver:
            self._sides.move_to_end(story.num)
            return hit[1]
        ex = np.stack(story.exemplars) if story.exemplars else story.unit()[None, :]
        side = make_side(story.unit(), ex, story.terms, self._idf_of, story.first, story.last, story.size,
                         story.title)
        self._sides[story.num] = (story.ver, side)
        self._sides.move_to_end(story.num)
        while len(self._sides) > self.options.story_side_cache:
            self._sides.popitem(last=False)
        return side

    def _in_window(self, story: _Story, day: int | None) -> bool:
        if day is None or story.first is None or story.last is None:
            return True
        win = self.options.story_window_days
        return story.first - win <= day <= story.last + win

    # --- candidate retrieval ----------------------------------------------------------------------
    def _bucket_key(self, day: int | None) -> Any:
        return None if day is None else day // BUCKET_DAYS

    def _candidates(self, vec: np.ndarray, day: int | None) -> list[_Story]:
        buckets = None
        if day is not None:
            win = self.options.story_window_days
            buckets = range(self._bucket_key(day - win), self._bucket_key(day + win) + 1)
        return self._held(self.ann.search(vec, buckets, self.options.story_candidates))

    def _held(self, ids: Iterable[str]) -> list[_Story]:
        """The stories of ``ids`` this index holds (a database index also finds the ones left
        in the database, which a dated article's window has read back when it needs them)."""
        nums = (self._by_id.get(sid) for sid in ids)
        return [self._stories[n] for n in nums if n is not None]

    def _reindex(self, story: _Story, stored: bool = False) -> None:
        """File the story's current centroid under its current time slice."""
        old, story.bucket = story.bucket, self._bucket_key(story.last)
        self.ann.file(story, old, stored)

    def _unindex(self, story: _Story) -> None:
        self.ann.forget(story)

    # --- story bookkeeping ------------------------------------------------------------------------
    def _create(self, sid: str | None = None, seed: str | None = None) -> _Story:
        """A new story.  Its id comes from the article that opens it (``seed``), else at random,
        never from a counter: two ingest processes writing one database must not both mint
        the same id for different events."""
        num = self._next
        self._next += 1
        minted, sid = sid is None, sid or "s" + (seed[:12] if seed else uuid.uuid4().hex[:12])
        while sid in self._by_id or (minted and self._stored_id(sid)):  # after a split; not in memory
            sid = f"{sid}-{self._next}"
            self._next += 1
        story = _Story(sid, num)
        story.bucket = ...  # not filed yet
        self._stories[num] = story
        self._by_id[sid] = num
        return story

    def _stored_id(self, sid: str) -> bool:
        """Whether a story the index does not hold has this id (every story is held here)."""
        return False

    def _add(self, story: _Story, f: StoryFeatures, day: int | None) -> None:
        story.ver += 1
        story.vec = story.vec + f.array()
        for t, w in f.terms.items():
            # one shared string per term across all stories and the IDF table: articles read
            # from the database or from workers bring their own copies of every term string
            t = sys.intern(t)
            story.terms[t] = story.terms.get(t, 0.0) + w
            story.df[t] = story.df.get(t, 0) + 1
        self._prune(story)
        story.size += 1
        story.articles.append(f.article_id)
        story.title = story.title or f.title
        self._keep_exemplar(story, f.array())
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        self._reindex(story)

    def _keep_exemplar(self, story: _Story, vec: np.ndarray) -> None:
        """Keep the first half of the exemplar slots for the opening members, the rest for the
        latest ones: a story is matched by what started it and by where it has moved."""
        k = self.options.story_exemplars
        if len(story.exemplars) >= k:
            del story.exemplars[k // 2]
        story.exemplars.append(vec.astype(np.float32))

    def _prune(self, story: _Story) -> None:
        # prune only once well over the cap so that pruning cost is amortised
        cap = self.options.story_max_terms
        if len(story.terms) > 2 * cap:
            keep = sorted(story.terms, key=story.terms.__getitem__, reverse=True)[:cap]
            story.terms = {t: story.terms[t] for t in keep}
            story.df = {t: story.df[t] for t in keep if t in story.df}

    def _absorb(self, into: _Story, other: _Story) -> None:
        into.ver += 1
        self._sides.pop(other.num, None)
        into.vec = into.vec + other.vec
        for t, w in other.terms.items():
            into.terms[t] = into.terms.get(t, 0.0) + w
        for t, c in other.df.items():
            into.df[t] = into.df.get(t, 0) + c
        self._prune(into)
        into.size += other.size
        into.articles += other.articles
        into.title = into.title or other.title
        into.conf.update(other.conf)
        for vec in other.exemplars[: max(1, self.options.story_exemplars // 2)]:
            self._keep_exemplar(into, vec)
        days = [d for d in (into.first, into.last, other.first, other.last) if d is not None]
        into.first, into.last = (min(days), max(days)) if days else (None, None)
        self.ann.delete(other)
        del self._stories[other.num]
        del self._by_id[other.id]
        self._reindex(into)

    def _state(self, s: _Story) -> StoryState:
        return StoryState(id=s.id, vector=[float(x) for x in s.vec], terms=dict(s.terms), df=dict(s.df),
                          size=s.size, first=_days_iso(s.first), last=_days_iso(s.last),
                          articles=list(s.articles), title=s.title, exemplars=_pack(s.exemplars),
                          confidence=dict(s.conf))

    def _overlap(self, a: _Story, b: _Story) -> bool:
        if a.first is None or b.first is None:
            return True
        win = self.options.story_window_days
        return a.first - win <= b.last and b.first - win <= a.last  # type: ignore[operator]

    # --- recluster ----------------------------------------------------------------------------------
    def _merge(self) -> list[dict[str, Any]]:
        ops: list[dict[str, Any]] = []
        changed = True
        while changed:
            changed = False
            # biggest stories first so small fragments fold into the main body of a story
            for num in sorted(self._stories, key=lambda n: -self._stories[n].size):
                story = self._stories.get(num)
                if story is None:
                    continue
                hits = self._held(self.ann.search(story.unit().astype(np.float32), None,
                                                  self.options.story_candidates))
                absorbed = []
                for other in hits:
                    other = self._stories.get(other.num)
                    if other is None or other.num == num or not self._overlap(story, other):
                        continue
                    p = float(self.model.prob(pair_features(self._side(other), self._side(story))))
                    if p < self.options.story_merge_probability:
                        continue
                    absorbed.append(other.id)
                    self._absorb(story, other)
                if absorbed:
                    ops.append({"op": "merge", "into": story.id, "from": absorbed})
                    changed = True
        return ops

    # Member-level reclustering: with every member's features at hand, the similarity of two
    # groups of articles is the average over their article pairs (average linkage), which a sum of
    # unit vectors gives exactly: mean_ij <a_i, b_j> = <sum a_i, sum b_j> / (|A| |B|).  A centroid
    # cosine instead flatters loose groups and lets one broad story swallow its neighbour.
    def _members(self, story: _Story, features: Mapping[str, StoryFeatures]) -> list[_Member] | None:
        out = []
        for aid in story.articles:
            f = features.get(aid)
            if f is None:
                return None
            day = day_number(f.published)
            out.append(_Member(f, self._article_side(f, day), day))
        return out

    def _pairs(self, a: list[_Member], b: list[_Member]) -> np.ndarray:
        """Same-event probability of every article pair (rows ``a``, columns ``b``)."""
        x = np.array([[pair_features(m.side, n.side) for n in b] for m in a])
        return np.asarray(self.pair_model.prob(x.reshape(-1, x.shape[-1]))).reshape(len(a), len(b))

    def _bisect(self, members: list[_Member]) -> tuple[list[int], list[int]] | None:
        """Two-means on the pair probabilities of a story's members; the halves when their average
        cross-probability is under ``story_split_probability``, else None."""
        m = len(members)
        s = self._pairs(members, members)
        s = (s + s.T) / 2.0
        np.fill_diagonal(s, np.nan)
        a = int(np.nanargmin(np.nanmean(s, axis=1)))  # the member that fits worst
        b = int(np.nanargmax(np.where(np.arange(m) == a, np.nan, -s[a])))  # and its opposite
        side = np.where(s[:, a] > s[:, b], 0, 1)
        side[a], side[b] = 0, 1
        z = np.nan_to_num(s, nan=0.0)
        off = 1.0 - np.eye(m)
        for _ in range(10):
            means = []
            for half in (0, 1):
                inside = (side == half)[None, :] * off
                means.append((z * inside).sum(axis=1) / np.maximum(inside.sum(axis=1), 1))
            new = np.where(means[0] >= means[1], 0, 1)
            if new.min() == new.max() or (new == side).all():
                break
            side = new
        left = [i for i in range(m) if side[i] == 0]
        right = [i for i in range(m) if side[i] == 1]
        if not left or not right:
            return None
        if float(np.nanmean(s[np.ix_(left, right)])) >= self.options.story_split_probability:
            return None
        return left, right

    def _split(self, features: Mapping[str, StoryFeatures]) -> list[dict[str, Any]]:
        ops: list[dict[str, Any]] = []
        queue = [s for s in self._stories.values() if s.size >= 2]
        while queue:
            story = queue.pop()
            members = self._members(story, features)
            if members is None or len(members) < 2:
                continue
            halves = self._bisect(members)
            if halves is None:
                continue
            keep, out = halves if len(halves[0]) >= len(halves[1]) else halves[::-1]
            conf = story.conf
            self._rebuild(story, [members[i].f for i in keep])
            new = self._create()
            for i in out:
                self._add(new, members[i].f, members[i].day)
            for s in (story, new):
                s.conf = {a: conf[a] for a in s.articles if a in conf}
            ops.append({"op": "split", "story": story.id, "new": new.id,
                        "articles": [members[i].f.article_id for i in out]})
            queue += [story, new]
        return ops

    def _linkage(self, a: _Story, b: _Story, mem: dict[int, list[_Member]]) -> float:
        if not self._overlap(a, b):
            return -1.0
        return float((self._pairs(mem[a.num], mem[b.num]).mean() + self._pairs(mem[b.num], mem[a.num]).mean()) / 2)

    def _merge_members(self, features: Mapping[str, StoryFeatures]) -> list[dict[str, Any]] | None:
        """Average-linkage agglomeration of the stories: merge the most probable pair of nearby
        stories while its average pair probability clears ``story_merge_probability``.  None when a member's features are
        missing (then the centroid merge runs instead)."""
        mem: dict[int, list[_Member]] = {}
        for story in self._stories.values():
            ms = self._members(story, features)
            if ms is None:
                return None
            mem[story.num] = ms
        k = self.options.story_candidates
        score: dict[tuple[int, int], float] = {}

        def neighbours(story: _Story) -> None:
            for other in self._held(self.ann.search(story.unit().astype(np.float32), None, k)):
                if other.num != story.num:
                    pair = (min(story.num, other.num), max(story.num, other.num))
                    if pair not in score:
                        score[pair] = self._linkage(story, other, mem)

        for story in list(self._stories.values()):
            neighbours(story)
        ops: list[dict[str, Any]] = []
        while score:
            pair, best = max(score.items(), key=lambda kv: kv[1])
            if best < self.options.story_merge_probability:
                break
            a, b = self._stories[pair[0]], self._stories[pair[1]]
            into, other = (a, b) if a.size >= b.size else (b, a)
            ops.append({"op": "merge", "into": into.id, "from": [other.id]})
            mem[into.num] = mem[into.num] + mem.pop(other.num)
            self._absorb(into, other)
            score = {p: v for p, v in score.items() if into.num not in p and other.num not in p}
            neighbours(into)
        return ops

    def _rebuild(self, story: _Story, members: list[StoryFeatures]) -> None:
        story.ver += 1
        story.vec = np.zeros(DIM, dtype=np.float32)
        story.terms, story.df, story.size, story.articles = {}, {}, 0, []
        story.exemplars = []
        story.first = story.last = None
        for f in members:
            self._add(story, f, day_number(f.published))
