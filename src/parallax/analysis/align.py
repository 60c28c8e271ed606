"""Claim alignment across articles: which claims of different outlets report the same fact.

Articles are first split into atomic claims (``analysis.claims``: a sentence, or an independent
clause of it, with its reporting frame set apart).  Two claims match when a blend of their
embedding cosine (all-MiniLM-L6-v2; the larger of the content's and the whole claim's, so a shared
frame such as "X told Bloomberg" counts) and their lexical overlap (named entities, numbers and
content lemmas, Jaccard weighted by the terms' rarity in the story) reaches the threshold and one
is the other's best counterpart in that article.  Matches are joined into fact groups across all
articles, not only pairs, so a fact carried by five outlets is one group with five members; a
group never holds two claims of the same article.  Caption sentences never align.

Measured (``parallax bench align --data data/align_gold.jsonl``, 45 hand-made gold groups):
pairwise F1 0.71 (P 0.81, R 0.63) against 0.55 for word overlap alone; thresholds 0.30-0.50 and
embedding weights 0.4-0.75 were swept, none passes F1 0.74 (recall is the limit: paraphrases
such as "the committee will elect a chairman in January" / "the competition will end next month
with the selection of a chairman" score like unrelated sentences of the same story).

Cost: one embedding batch for all claims, then one (claims x claims) matrix per article pair
(quadratic in articles); 50 distinct articles aligned as one story take ~30 s on one busy CPU
core, nearly all of it embedding (``bench align`` prints ``seconds_50_articles``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Claim, SentenceRef
from ..nlp import Parsed
from ..nlp.embed import embed
from ..options import DEFAULT, Options
from .claims import ClaimSpan, split_claims

_KEEP_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
_LIGHT_VERBS = {"say", "tell", "be", "have", "do", "make", "get", "report", "add"}


@dataclass
class SentenceFeatures:
    """What alignment needs of one article's claims (the name is kept for callers)."""

    parsed: Parsed
    indices: list[int]  # sentence index of each claim
    vectors: np.ndarray  # (n, dim) unit vectors of the claims' content
    terms: list[frozenset[str]]  # lemmas, entities, numbers of each claim's content
    claims: list[ClaimSpan] | None = None
    full: np.ndarray | None = None  # unit vectors of the claims with their frames
    weights: dict[str, float] | None = None  # story-level term weights (idf), shared by all


def span_terms(parsed: Parsed, start: int, end: int) -> frozenset[str]:
    """Content lemmas, entity strings and numbers of the text [start, end)."""
    span = parsed.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return frozenset()
    terms = {t.lemma_.lower() for t in span
             if (t.pos_ in _KEEP_POS and not t.is_stop and t.is_alpha and t.lemma_.lower() not in _LIGHT_VERBS)
             or t.like_num}
    terms |= {e.text.lower() for e in span.ents if e.label_ not in ("ORDINAL",)}
    return frozenset(terms)


def sentence_terms(parsed: Parsed, index: int) -> frozenset[str]:
    s = parsed.sentences[index]
    return span_terms(parsed, s.start, s.end)


def features(parsed_list: Sequence[Parsed], lexical: bool = False) -> list[SentenceFeatures]:
    """Claims of every article, embedded in one batch (``lexical``: no embeddings, a baseline)."""
    claims = [split_claims(p) for p in parsed_list]
    texts = [p.article.text[c.content_start:c.content_end] for p, cs in zip(parsed_list, claims) for c in cs]
    fulls = [c.text for cs in claims for c in cs]
    if lexical:
        vecs = fvecs = np.zeros((len(texts), 1), dtype=np.float32)
    else:
        allv = embed(texts + fulls)
        vecs, fvecs = allv[:len(texts)], allv[len(texts):]
    terms_all = [[span_terms(p, c.start, c.end) for c in cs] for p, cs in zip(parsed_list, claims)]
    # a term in every claim of the story ("Steele", "Libya") tells claims apart less than a rare
    # one ("Corpus Christi", "63 seats"): weight by inverse document frequency over the claims
    df: dict[str, int] = {}
    for ts in terms_all:
        for t in ts:
            for w in t:
                df[w] = df.get(w, 0) + 1
    total = max(1, sum(len(ts) for ts in terms_all))
    weights = {w: float(np.log((1 + total) / (1 + d))) + 1.0 for w, d in df.items()}
    out, k = [], 0
    for p, cs, terms in zip(parsed_list, claims, terms_all):
        out.append(SentenceFeatures(p, [c.sentence for c in cs], vecs[k:k + len(cs)], terms, cs,
                                    fvecs[k:k + len(cs)], weights))
        k += len(cs)
    return out


def jaccard(a: frozenset[str], b: frozenset[str], weights: dict[str, float] | None = None) -> float:
    if not a or not b:
        return 0.0
    if weights is None:
        return len(a & b) / len(a | b)
    inter = sum(weights.get(w, 1.0) for w in a & b)
    return inter / sum(weights.get(w, 1.0) for w in a | b) if inter else 0.0


def match_matrix(a: SentenceFeatures, b: SentenceFeatures, options: Options = DEFAULT,
                 lexical: bool = False) -> np.ndarray:
    """Blended claim match scores between two articles, shape (len(a), len(b))."""
    if not a.indices or not b.indices:
        return np.zeros((len(a.indices), len(b.indices)))
    lex = np.array([[jaccard(x, y, a.weights) for y in b.terms] for x in a.terms])
    if lexical:
        return lex
    cos = a.vectors @ b.vectors.T
    if a.full is not None and b.full is not None:
        # the content alone, or the claim with its frame: two outlets citing the same source
        # ("X told Bloomberg") share the report even when they quote different lines of it
        cos = np.maximum(cos, a.full @ b.full.T)
    w = _calibrated(options)[1]
    return w * cos + (1 - w) * lex


def _calibrated(options: Options) -> tuple[float, float]:
    """Threshold and embedding weight (calibrated on ``bench align``; see ``Options``)."""
    return options.align_threshold, options.align_embedding_weight


def _all_scores(feats: list[SentenceFeatures], options: Options, lexical: bool) -> np.ndarray:
    """Match scores of every claim with every other claim of the story, as ``match_matrix``
    computes them, in one pass: the weighted Jaccard as sparse products, the cosines as one
    matrix product (a story of 50 articles has ~1,500 claims)."""
    from scipy import sparse

    terms = [t for f in feats for t in f.terms]
    if not terms:
        return np.zeros((0, 0))
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, ts in enumerate(terms):
        for w in ts:
            rows.append(r)
            cols.append(vocab.setdefault(w, len(vocab)))
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(terms), max(1, len(vocab))))
    weights = feats[0].weights
    wvec = np.ones(x.shape[1])
    if weights is not None:
        for w, k in vocab.items():
            wvec[k] = weights.get(w, 1.0)
    xw = x.multiply(wvec).tocsr()
    inter = (xw @ x.T).toarray()
    mass = np.asarray(xw.sum(axis=1)).ravel()
    union = mass[:, None] + mass[None, :] - inter
    lex = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    if lexical:
        return lex
    vec = np.vstack([f.vectors for f in feats])
    cos = vec @ vec.T
    if all(f.full is not None for f in feats):
        full = np.vstack([f.full for f in feats])
        cos = np.maximum(cos, full @ full.T)
    w = _calibrated(options)[1]
    return w * cos + (1 - w) * lex


# Lexical baseline threshold (Jaccard of lemmas/entities/numbers), for ``bench align``.
LEXICAL_THRESHOLD = 0.15


def align(parsed_list: Sequence[Parsed], options: Options = DEFAULT,
          feats: list[SentenceFeatures] | None = None, lexical: bool = False) -> list[Claim]:
    """Fact groups over all articles, most widely reported first.

    Every body claim appears in exactly one group, and a group holds at most one claim per
    article; a group with one member is a fact that outlet alone reports.  ``lexical`` uses word
    overlap only (the benchmark's baseline).
    """
    feats = feats or features(parsed_list, lexical=lexical)
    threshold = LEXICAL_THRESHOLD if lexical else _calibrated(options)[0]
    n = len(parsed_list)
    scores = _all_scores(feats, options, lexical)
    offsets = np.cumsum([0] + [len(f.indices) for f in feats])
    edges: list[tuple[float, tuple[int, int], tuple[int, int]]] = []
    for i in range(n):
        for j in range(i + 1, n):
            m = scores[offsets[i]:offsets[i + 1], offsets[j]:offsets[j + 1]]
            if m.size == 0:
                continue
            best_j = m.argmax(axis=1)
            best_i = m.argmax(axis=0)
            for r, c in zip(*np.nonzero(m >= threshold)):
                if best_j[r] == c or best_i[c] == r:
                    edges.append((float(m[r, c]), (i, int(r)), (j, int(c))))
    # Greedy merging, strongest matches first; two groups merge only if no article would then
    # appear twice, so a row of the grid holds at most one claim per outlet and loose chains
    # (A~B, B~C, C~D ...) cannot snowball into one catch-all group.
    group_of: dict[tuple[int, int], int] = {}
    members_of: dict[int, list[tuple[int, int]]] = {}
    scores_of: dict[int, list[float]] = {}
    best_of: dict[tuple[int, int], float] = {}
    for i in range(n):
        for k in range(len(feats[i].indices)):
            gid = len(members_of)
            group_of[(i, k)] = gid
            members_of[gid] = [(i, k)]
            scores_of[gid] = []
    for score, a, b in sorted(edges, reverse=True):
        ga, gb = group_of[a], group_of[b]
        if ga == gb:
            scores_of[ga].append(score)
            best_of[a] = max(best_of.get(a, 0.0), score)
            best_of[b] = max(best_of.get(b, 0.0), score)
            continue
        if {x for x, _ in members_of[ga]} & {x for x, _ in members_of[gb]}:
            continue
        best_of[a] = max(best_of.get(a, 0.0), score)
        best_of[b] = max(best_of.get(b, 0.0), score)
        for m in members_of[gb]:
            group_of[m] = ga
        members_of[ga] += members_of.pop(gb)
        scores_of[ga] += scores_of.pop(gb) + [score]
    claims = []
    for gid, members in members_of.items():
        members.sort()
        arts = {i for i, _ in members}
        refs = []
        for i, k in members:
            c = feats[i].claims[k]
            art = parsed_list[i].article
            refs.append(SentenceRef(art.id, art.label, c.sentence, c.text, start=c.start, end=c.end,
                                    frame=c.frame, score=round(best_of.get((i, k), 0.0), 3)))
        claims.append(Claim(members=refs, support=len(arts) / n,
                            score=float(np.mean(scores_of[gid])) if scores_of[gid] else 0.0))
    claims.sort(key=lambda c: (-c.support, -c.score, c.members[0].article_id, c.members[0].sentence))
    return claims
