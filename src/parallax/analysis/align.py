"""Sentence alignment across articles: which sentences of different outlets report the same fact.

Two sentences match when a blend of their embedding cosine (all-MiniLM-L6-v2) and their lexical
overlap (named entities, numbers and content lemmas, Jaccard) reaches ``options.align_threshold``
and one is the other's best counterpart in that article.  Matches are joined into fact groups
(across all articles, not only pairs), so a fact carried by five outlets is one group with five
members; a group never holds two sentences of the same article.  Caption sentences never align.
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


def align(parsed_list: Sequence[Parsed], options: Options = DEFAULT,
          feats: list[SentenceFeatures] | None = None) -> list[Claim]:
    """Fact groups over all articles, most widely reported first.

    Every body sentence appears in exactly one group, and a group holds at most one sentence
    per article; a group with one member is a fact that outlet alone reports.
    """
    feats = feats or features(parsed_list)
    n = len(parsed_list)
    edges: list[tuple[float, tuple[int, int], tuple[int, int]]] = []
    for i in range(n):
        for j in range(i + 1, n):
            m = match_matrix(feats[i], feats[j], options)
            if m.size == 0:
                continue
            best_j = m.argmax(axis=1)
            best_i = m.argmax(axis=0)
            for r, c in zip(*np.nonzero(m >= options.align_threshold)):
                if best_j[r] == c or best_i[c] == r:
                    edges.append((float(m[r, c]), (i, feats[i].indices[r]), (j, feats[j].indices[c])))
    # Greedy merging, strongest matches first; two groups merge only if no article would then
    # appear twice, so a row of the grid holds at most one sentence per outlet and loose chains
    # (A~B, B~C, C~D ...) cannot snowball into one catch-all group.
    group_of: dict[tuple[int, int], int] = {}
    members_of: dict[int, list[tuple[int, int]]] = {}
    scores_of: dict[int, list[float]] = {}
    for i in range(n):
        for k in feats[i].indices:
            gid = len(members_of)
            group_of[(i, k)] = gid
            members_of[gid] = [(i, k)]
            scores_of[gid] = []
    for score, a, b in sorted(edges, reverse=True):
        ga, gb = group_of[a], group_of[b]
        if ga == gb:
            scores_of[ga].append(score)
            continue
        if {x for x, _ in members_of[ga]} & {x for x, _ in members_of[gb]}:
            continue
        for m in members_of[gb]:
            group_of[m] = ga
        members_of[ga] += members_of.pop(gb)
        scores_of[ga] += scores_of.pop(gb) + [score]
    claims = []
    for gid, members in members_of.items():
        members.sort()
        arts = {i for i, _ in members}
        refs = [SentenceRef(parsed_list[i].article.id, parsed_list[i].article.label, k,
                            parsed_list[i].sentences[k].text) for i, k in members]
        claims.append(Claim(members=refs, support=len(arts) / n,
                            score=float(np.mean(scores_of[gid])) if scores_of[gid] else 0.0))
    claims.sort(key=lambda c: (-c.support, -c.score, c.members[0].article_id, c.members[0].sentence))
    return claims
