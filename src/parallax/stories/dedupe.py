"""Near-duplicate detection: wire copies and republished articles with small edits.

An agency story (AP, Reuters, AFP) is often printed by many outlets with a new headline, a byline,
a trimmed last paragraph or a sentence of local context.  Those copies are not independent
coverage, so they are linked to the first copy seen (their *original*) instead of being counted
as another outlet's reporting.

Method: each text becomes a set of word 5-shingles (runs of five consecutive words, case-folded,
punctuation dropped), summarised by a MinHash signature (Broder 1997, "On the resemblance and
containment of documents"); an LSH index over bands of the signature (25 bands of 5 values)
finds candidate originals in sub-linear time and the estimated Jaccard similarity of the
signatures confirms them.

This module is pure: it takes ids and texts and returns ids.  The signatures are plain integer
lists, so the store can save them and :meth:`NearDuplicateIndex.load` rebuilds the index on open
without re-reading any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from datasketch import MinHash

__all__ = ["NearDuplicateIndex", "publication_day", "signature", "shingles", "SHINGLE", "NUM_PERM", "THRESHOLD"]

# Five-word shingles: long enough that two reporters writing independently about the same event
# share almost none (a shared five-word run is a copied phrase or a quote), short enough that one
# edited word only disturbs five shingles.  Independent articles on one event measure Jaccard
# 0.00-0.10 on 5-shingles (BASIL's 70 same-event triplets from three outlets: median
# under 0.02, highest 0.20, a pair quoting the same long statement).
SHINGLE = 5
# 128 permutations give a standard error of about 0.035 on the Jaccard estimate near 0.5, which
# is small next to the gap between copies (>= 0.6) and independent reporting (<= 0.1).
NUM_PERM = 128
# Jaccard threshold 0.5 on 5-shingles.  Each edited word removes up to five shingles from the
# intersection, so a wire copy with a new lede sentence and a dropped final paragraph (about a
# quarter of the text changed) still measures 0.55-0.7, and a copy with a handful of word edits
# measures 0.8+; independent reporting stays under 0.1.  0.5 sits in the wide gap, nearer the
# copies, so a false link (which would hide an outlet's own coverage) needs half the text copied.
THRESHOLD = 0.5
# Fixed seed and permutation scheme: signatures stored in a database must stay comparable across
# processes and datasketch releases (the default scheme changed in datasketch 2.0).
SEED = 1
SCHEME = "affine32"

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """The set of ``k``-word shingles of ``text`` (words case-folded, punctuation ignored).

    A text shorter than ``k`` words is one shingle, so very short items still hash.
    """
    words = _WORD.findall(text.casefold())
    if len(words) <= k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def _minhash(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])
    return m


def signature(text: str) -> list[int]:
    """The MinHash signature of ``text`` as plain ints (32-bit, safe in JSON and any integer column)."""
    return [int(v) for v in _minhash(text).hashvalues]


def publication_day(published: str | None) -> int | None:
    """Day number (proleptic ordinal) of an ISO date or timestamp; None when absent or unreadable."""
    from datetime import date

    try:
        return date.fromisoformat(published[:10]).toordinal() if published else None
    except ValueError:
        return None


def _as_array(sig: Sequence[int]) -> np.ndarray:
    if len(sig) != NUM_PERM:
        raise ValueError(f"signature has {len(sig)} values, expected {NUM_PERM}; "
                         "it was made with other MinHash settings: re-ingest to rebuild it")
    return np.asarray(sig, dtype=np.uint32)


# LSH banding for threshold 0.5 over 128 permutations: 25 bands of 5 rows (what datasketch's
# MinHashLSH picks by minimising false positives + false negatives at this threshold).
BANDS, ROWS = 25, 5
# Band entries accumulate in a dict and are merged into sorted arrays (at least every
# MERGE_EVERY inserts): a lookup is one binary search per band plus a dict probe, and merged
# entries cost 12 bytes per band per article.
MERGE_EVERY = 20_000
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)[:ROWS]


def _band_keys(sig: np.ndarray) -> np.ndarray:
    """One 64-bit key per band (equal bands give equal keys; a rare collision between unequal
    bands only adds a candidate, which the Jaccard check then rejects)."""
    bands = sig[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        keys = (bands * _MIX).sum(axis=1, dtype=np.uint64)
    return keys ^ (np.arange(BANDS, dtype=np.uint64) << np.uint64(58))


class NearDuplicateIndex:
    """Incremental near-duplicate finder.

    ``add(id, text)`` returns the id of the original the text copies, or None when it is new
    coverage.  Every added text is indexed, so a copy of a copy is found too; its original is
    always resolved to the root (the first copy ever seen), never to another copy.

    Memory: signatures live in one uint32 matrix (512 bytes per article) and the LSH bands in
    sorted key arrays (300 bytes per article), plus the id and the pending entries: ~1.5 KB per
    article measured at 100k (docs/scaling.md), against ~10.5 KB with datasketch's MinHash
    objects and MinHashLSH tables.  With ``memory_days`` the index holds only the articles
    published within that many days of the newest one it has seen (and the undated ones):
    ``evict`` forgets the older ones, so memory follows the news rate, not the corpus.  A copy is
    then found only when its original lies within that span of the newest article.
    """

    def __init__(self, threshold: float = THRESHOLD, memory_days: int = 0):
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
        self.threshold = threshold
        self.memory_days = memory_days
        self._days = np.full(1024, -1, dtype=np.int32)  # row -> publication day number, -1 undated
        self._alive = np.ones(1024, dtype=bool)  # False once evicted (until the next compaction)
        self._dead = 0
        self._newest: int | None = None
        self.evicted = 0
        self._ids: list[str] = []  # row -> article id (row number = insertion rank)
        self._row: dict[str, int] = {}
        self._sigs = np.zeros((1024, NUM_PERM), dtype=np.uint32)
        self._original: dict[str, str] = {}  # copy id -> root original id
        self._keys = np.zeros(0, dtype=np.uint64)  # merged band keys, sorted
        self._rows = np.zeros(0, dtype=np.uint32)  # their rows
        self._recent: dict[int, list[int]] = {}  # band key -> rows, not merged yet
        self._n_recent = 0

    def __len__(self) -> int:
        return len(self._ids) - self._dead

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._row

    def original_of(self, article_id: str) -> str | None:
        return self._original.get(article_id)

    def _candidates(self, keys: np.ndarray) -> set[int]:
        found: set[int] = set()
        if len(self._keys):
            lo = np.searchsorted(self._keys, keys, side="left")
            hi = np.searchsorted(self._keys, keys, side="right")
            for a, b in zip(lo.tolist(), hi.tolist()):
                if b > a:
                    found.update(self._rows[a:b].tolist())
        for k in keys.tolist():
            found.update(self._recent.get(k, ()))
        return found

    def _merge(self) -> None:
        if not self._recent:
            return
        ks = np.fromiter((k for k, rows in self._recent.items() for _ in rows), dtype=np.uint64,
                         count=self._n_recent)
        rs = np.fromiter((r for rows in self._recent.values() for r in rows), dtype=np.uint32,
                         count=self._n_recent)
        order = np.argsort(ks, kind="stable")
        ks, rs = ks[order], rs[order]
        at = np.searchsorted(self._keys, ks, side="right")  # one O(N) pass, no re-sort of the old
        self._keys = np.insert(self._keys, at, ks)
        self._rows = np.insert(self._rows, at, rs)
        self._recent.clear()
        self._n_recent = 0

    def find(self, article_id: str, sig: Sequence[int]) -> str | None:
        """The root original a signature copies, without adding it to the index."""
        v = _as_array(sig)
        cands = [r for r in self._candidates(_band_keys(v)) if self._alive[r] and self._ids[r] != article_id]
        if not cands:
            return None
        rows = np.asarray(sorted(cands), dtype=np.int64)  # insertion order breaks ties
        scores = (self._sigs[rows] == v).mean(axis=1)
        ok = scores >= self.threshold  # LSH candidates include false positives
        if not ok.any():
            return None
        best = int(rows[ok][np.argmax(scores[ok])])
        cand = self._ids[best]
        return self._original.get(cand, cand)

    def add_signature(self, article_id: str, sig: Sequence[int], original: str | None = None,
                      check: bool = True, day: int | None = None) -> str | None:
        """Index a precomputed signature; returns its original (``original`` if given, else found
        when ``check``).  ``day``: the article's publication day number (for ``evict``)."""
        if article_id in self._row:
            return self._original.get(article_id)
        if original is None and check:
            original = self.find(article_id, sig)
        v = _as_array(sig)
        row = len(self._ids)
        if row >= len(self._sigs):
            grown = np.zeros((2 * len(self._sigs), NUM_PERM), dtype=np.uint32)
            grown[:row] = self._sigs[:row]
            self._sigs = grown
            self._days = np.concatenate([self._days, np.full(len(grown) - len(self._days), -1, np.int32)])
            self._alive = np.concatenate([self._alive, np.ones(len(grown) - len(self._alive), bool)])
        self._sigs[row] = v
        self._days[row] = -1 if day is None else day
        self._alive[row] = True
        if day is not None:
            self._newest = day if self._newest is None else max(self._newest, day)
        self._ids.append(article_id)
        self._row[article_id] = row
        for k in _band_keys(v).tolist():
            self._recent.setdefault(k, []).append(row)
            self._n_recent += 1
        # merge when the pending entries reach MERGE_EVERY articles' worth or 1/8 of the merged
        # ones, whichever is larger: geometric, so merging costs O(1) amortised per insert
        if self._n_recent >= max(MERGE_EVERY * BANDS, len(self._keys) // 8):
            self._merge()
        if original is not None and original != article_id:
            self._original[article_id] = self._original.get(original, original)
        return self._original.get(article_id)

    def evict(self) -> int:
        """Forget the articles published more than ``memory_days`` before the newest one seen
        (undated ones stay); returns how many.  Their rows are reclaimed once the forgotten ones
        outnumber the kept ones, so the cost is O(1) amortised per article."""
        if self.memory_days <= 0 or self._newest is None:
            return 0
        n = len(self._ids)
        old = self._alive[:n] & (self._days[:n] >= 0) & (self._days[:n] < self._newest - self.memory_days)
        gone = np.flatnonzero(old)
        if not len(gone):
            return 0
        self._alive[gone] = False
        for r in gone.tolist():
            aid = self._ids[r]
            del self._row[aid]
            self._original.pop(aid, None)
        self._dead += len(gone)
        self.evicted += len(gone)
        if self._dead >= max(1024, n - self._dead):
            self._compact()
        return len(gone)

    def _compact(self) -> None:
        """Drop the evicted rows: renumber the kept ones in order and filter the band arrays."""
        self._merge()
        n = len(self._ids)
        keep = np.flatnonzero(self._alive[:n])
        renum = np.full(n, -1, dtype=np.int64)
        renum[keep] = np.arange(len(keep))
        ok = renum[self._rows] >= 0
        self._keys = self._keys[ok]
        self._rows = renum[self._rows[ok]].astype(np.uint32)
        cap = max(1024, 2 * len(keep))
        sigs = np.zeros((cap, NUM_PERM), dtype=np.uint32)
        sigs[:len(keep)] = self._sigs[keep]
        days = np.full(cap, -1, dtype=np.int32)
        days[:len(keep)] = self._days[keep]
        self._sigs, self._days, self._alive = sigs, days, np.ones(cap, dtype=bool)
        self._ids = [self._ids[r] for r in keep.tolist()]
        self._row = {aid: i for i, aid in enumerate(self._ids)}
        self._dead = 0

    def add(self, article_id: str, text: str) -> str | None:
        """Index ``text``; return the id of the original it copies, or None if it is new."""
        return self.add_signature(article_id, signature(text))

    def load(self, items: Iterable[tuple[Any, ...]]) -> None:
        """Rebuild from stored ``(id, signature)``, ``(id, signature, original_id)`` or
        ``(id, signature, original_id, published)`` tuples, in ingest order.  Stored links are
        trusted, not recomputed."""
        for item in items:
            published = None
            if len(item) == 4:
                article_id, sig, original, published = item  # type: ignore[misc]
            elif len(item) == 3:
                article_id, sig, original = item  # type: ignore[misc]
            else:
                (article_id, sig), original = item, None  # type: ignore[misc]
            self.add_signature(article_id, sig, original, check=False, day=publication_day(published))
