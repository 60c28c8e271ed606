"""Sentence alignment across articles: which sentences of different outlets report the same fact.

Two sentences match when a blend of their embedding cosine (all-MiniLM-L6-v2) and their lexical
overlap (named entities, numbers and content lemmas, Jaccard) reaches ``options.align_threshold``
and one is the other's best counterpart in that article.  Matches are joined into fact groups
(connected components across all articles, not only pairs), so a fact carried by five outlets is
one group with five members.  Caption sentences never align.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Claim, SentenceRef
from ..nlp import Parsed
from ..nlp.embed import embed
from ..options import DEFAULT, Options

_KEEP_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}


@dataclass
class SentenceFeatures:
    """What alignment needs of one article's body sentences."""

    parsed: Parsed
    indices: list[int]  # sentence indices (body only)
    vectors: np.ndarray  # (n, dim) unit vectors
    terms: list[frozenset[str]]  # lemmas, entities, numbers


def sentence_terms(parsed: Parsed, index: int) -> frozenset[str]:
    s = parsed.sentences[index]
    span = parsed.doc.char_span(s.start, s.end, alignment_mode="expand")
    if span is None:
        return frozenset()
    terms = {t.lemma_.lower() for t in span if t.pos_ in _KEEP_POS and not t.is_stop and t.is_alpha or t.like_num}
    terms |= {e.text.lower() for e in span.ents}
    return frozenset(terms)


def features(parsed_list: Sequence[Parsed]) -> list[SentenceFeatures]:
    """Body sentences of every article, embedded in one batch."""
    idx = [[s.index for s in p.sentences if s.kind == "body"] for p in parsed_list]
    texts = [p.sentences[i].text for p, ids in zip(parsed_list, idx) for i in ids]
    vecs = embed(texts)
    out, k = [], 0
    for p, ids in zip(parsed_list, idx):
        out.append(SentenceFeatures(p, ids, vecs[k:k + len(ids)], [sentence_terms(p, i) for i in ids]))
        k += len(ids)
    return out


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def match_matrix(a: SentenceFeatures, b: SentenceFeatures, options: Options = DEFAULT) -> np.ndarray:
    """Blended sentence match scores between two articles, shape (len(a), len(b))."""
    if not a.indices or not b.indices:
        return np.zeros((len(a.indices), len(b.indices)))
    cos = a.vectors @ b.vectors.T
    lex = np.array([[jaccard(x, y) for y in b.terms] for x in a.terms])
    w = options.align_embedding_weight
    return w * cos + (1 - w) * lex


class _Union:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x, y) -> None:
        self.parent[self.find(x)] = self.find(y)


def align(parsed_list: Sequence[Parsed], options: Options = DEFAULT,
          feats: list[SentenceFeatures] | None = None) -> list[Claim]:
    """Fact groups over all articles, most widely reported first.

    Every body sentence appears in exactly one group; a group with members from one article
    only is a fact that outlet alone reports.
    """
    feats = feats or features(parsed_list)
    n = len(parsed_list)
    uf = _Union()
    pair_scores: dict[tuple, float] = {}
    for i in range(n):
        for k in feats[i].indices:
            uf.find((i, k))
    for i in range(n):
        for j in range(i + 1, n):
            m = match_matrix(feats[i], feats[j], options)
            if m.size == 0:
                continue
            best_j = m.argmax(axis=1)
            best_i = m.argmax(axis=0)
            for r in range(m.shape[0]):
                for c in range(m.shape[1]):
                    if m[r, c] >= options.align_threshold and (best_j[r] == c or best_i[c] == r):
                        a, b = (i, feats[i].indices[r]), (j, feats[j].indices[c])
                        uf.union(a, b)
                        pair_scores[(a, b)] = float(m[r, c])
    groups: dict = {}
    for i in range(n):
        for k in feats[i].indices:
            groups.setdefault(uf.find((i, k)), []).append((i, k))
    claims = []
    for members in groups.values():
        members.sort()
        arts = {i for i, _ in members}
        scores = [s for (a, b), s in pair_scores.items() if a in members and b in members]
        refs = [SentenceRef(parsed_list[i].article.id, parsed_list[i].article.label, k,
                            parsed_list[i].sentences[k].text) for i, k in members]
        claims.append(Claim(members=refs, support=len(arts) / n,
                            score=float(np.mean(scores)) if scores else 0.0))
    claims.sort(key=lambda c: (-c.support, -c.score, c.members[0].article_id, c.members[0].sentence))
    return claims
