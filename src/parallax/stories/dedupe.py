"""Near-duplicate detection: wire copies and republished articles with small edits.

An agency story (AP, Reuters, AFP) is often printed by many outlets with a new headline, a byline,
a trimmed last paragraph or a sentence of local context.  Those copies are not independent
coverage, so they are linked to the first copy seen (their *original*) instead of being counted
as another outlet's reporting.

Method: each text becomes a set of word 5-shingles (runs of five consecutive words, case-folded,
punctuation dropped), summarised by a MinHash signature (Broder 1997, "On the resemblance and
containment of documents"); a MinHash LSH index finds candidate originals in sub-linear time and
the estimated Jaccard similarity of the signatures confirms them.

This module is pure: it takes ids and texts and returns ids.  The signatures are plain integer
lists, so the store can save them and :meth:`NearDuplicateIndex.load` rebuilds the index on open
without re-reading any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from datasketch import MinHash, MinHashLSH

__all__ = ["NearDuplicateIndex", "signature", "shingles", "SHINGLE", "NUM_PERM", "THRESHOLD"]

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


def _from_signature(sig: Sequence[int]) -> MinHash:
    if len(sig) != NUM_PERM:
        raise ValueError(f"signature has {len(sig)} values, expected {NUM_PERM}; "
                         "it was made with other MinHash settings: re-ingest to rebuild it")
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=list(sig))


class NearDuplicateIndex:
    """Incremental near-duplicate finder.

    ``add(id, text)`` returns the id of the original the text copies, or None when it is new
    coverage.  Every added text is indexed, so a copy of a copy is found too; its original is
    always resolved to the root (the first copy ever seen), never to another copy.
    """

    def __init__(self, threshold: float = THRESHOLD):
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, MinHash] = {}
        self._original: dict[str, str] = {}  # copy id -> root original id
        self._order: dict[str, int] = {}  # id -> insertion rank, for stable tie-breaking

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._sigs

    def original_of(self, article_id: str) -> str | None:
        return self._original.get(article_id)

    def find(self, article_id: str, sig: Sequence[int]) -> str | None:
        """The root original a signature copies, without adding it to the index."""
        m = _from_signature(sig)
        best: tuple[float, int, str] | None = None
        for cand in self._lsh.query(m):
            if cand == article_id:
                continue
            score = m.jaccard(self._sigs[cand])
            if score < self.threshold:  # LSH candidates include false positives
                continue
            key = (-score, self._order[cand], cand)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        cand = best[2]
        return self._original.get(cand, cand)

    def add_signature(self, article_id: str, sig: Sequence[int], original: str | None = None,
                      check: bool = True) -> str | None:
        """Index a precomputed signature; returns its original (``original`` if given, else found
        when ``check``)."""
        if article_id in self._sigs:
            return self._original.get(article_id)
        if original is None and check:
            original = self.find(article_id, sig)
        m = _from_signature(sig)
        self._lsh.insert(article_id, m, check_duplication=False)
        self._sigs[article_id] = m
        self._order[article_id] = len(self._order)
        if original is not None and original != article_id:
            self._original[article_id] = self._original.get(original, original)
        return self._original.get(article_id)

    def add(self, article_id: str, text: str) -> str | None:
        """Index ``text``; return the id of the original it copies, or None if it is new."""
        return self.add_signature(article_id, signature(text))

    def load(self, items: Iterable[tuple[str, Sequence[int]] | tuple[str, Sequence[int], str | None]]) -> None:
        """Rebuild from stored ``(id, signature)`` or ``(id, signature, original_id)`` tuples,
        in ingest order.  Stored links are trusted, not recomputed."""
        for item in items:
            if len(item) == 3:
                article_id, sig, original = item  # type: ignore[misc]
            else:
                (article_id, sig), original = item, None  # type: ignore[misc]
            self.add_signature(article_id, sig, original, check=False)
