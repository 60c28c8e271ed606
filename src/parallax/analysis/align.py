"""Claim alignment across articles: which claims of different outlets report the same fact.

Articles are first split into atomic claims (``analysis.claims``: a sentence, or an independent
clause of it, with its reporting frame set apart).  Every claim is embedded once
(all-MiniLM-L6-v2, the content and the whole claim) and described by its terms (named entities,
numbers, content lemmas).  A fast blended score (the larger cosine blended with the terms'
Jaccard weighted by their rarity in the story) picks each claim's few best candidates in other
articles (``claim_pairs.candidates``: at most ``CANDIDATES`` per claim, so the costly part stays
linear in the story's claims); the claim-pair model (``claim_pairs.PairModel``, a logistic model
over the cosines, shared rare terms and verbatim wording, clashing names, ranks among the
alternatives and positions, trained by ``claim_pairs_train``) gives each candidate pair a
probability.  A pair is an edge when it reaches ``Options.align_pair_threshold`` (or its blended
score reaches ``align_threshold``) and one claim is the other's most likely counterpart in its
article.  Edges are merged greedily into fact groups across all articles, strongest first; a
group never holds two claims of the same article.  Without the model file the blended score
alone decides, as before.

Measured: ``parallax bench align --data data/align_gold.jsonl`` (dev and held-out parts, see
docs/benchmarks.md).  Cost: one embedding batch for all claims (nearly all the time), one
claims x claims matrix product, and the pair features of at most ``CANDIDATES`` pairs per claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Claim, SentenceRef
from ..nlp import Parsed
from ..nlp.embed import embed
from ..nlp.embed import space as embed_space
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
    terms |= {_canonical(e.text) for e in span.ents if e.label_ not in ("ORDINAL",)}
    return frozenset(terms)


_US = {"us", "u.s.", "u.s", "usa", "u.s.a.", "united states", "united states of america"}


def _canonical(name: str) -> str:
    """An entity as a term: lower case, curly apostrophes straightened, no leading "the" or
    trailing possessive, and the spellings of the United States ("U.S.", "US") made one."""
    t = name.lower().replace("’", "'").strip()
    if t.startswith("the "):
        t = t[4:]
    if t.endswith("'s"):
        t = t[:-2]
    return "united states" if t in _US else t


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


def _all_scores(feats: list[SentenceFeatures], options: Options, lexical: bool,
                parts: bool = False):
    """Match scores of every claim with every other claim of the story, as ``match_matrix``
    computes them, in one pass: the weighted Jaccard as sparse products, the cosines as one
    matrix product (a story of 50 articles has ~1,500 claims).  ``parts``: also return the
    content cosine, the larger of it and the full-claim cosine, and the Jaccard."""
    from scipy import sparse

    terms = [t for f in feats for t in f.terms]
    if not terms:
        z = np.zeros((0, 0))
        return (z, z, z, z) if parts else z
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
        return (lex, lex, lex, lex) if parts else lex
    vec = np.vstack([f.vectors for f in feats])
    content = cos = vec @ vec.T
    if all(f.full is not None for f in feats):
        full = np.vstack([f.full for f in feats])
        cos = np.maximum(cos, full @ full.T)
    w = _calibrated(options)[1]
    blend = w * cos + (1 - w) * lex
    return (blend, content, cos, lex) if parts else blend


def story_pairs(feats: list[SentenceFeatures], options: Options = DEFAULT):
    """Candidate pairs of a story and their features: (pairs over all claims, feature matrix,
    owner article of each claim).  Shared by ``align`` and the pair model's training."""
    from .claim_pairs import candidates, claim_info, pair_features

    blend, content, cos, lex = _all_scores(feats, options, False, parts=True)
    owner = np.concatenate([np.full(len(f.indices), k) for k, f in enumerate(feats)] or [np.zeros(0)]).astype(int)
    pairs = candidates(blend, owner)
    infos = [claim_info(f.parsed, c, len(f.parsed.sentences)) for f in feats for c in (f.claims or [])]
    return pairs, pair_features(pairs, infos, owner, blend, content, cos, lex), owner


def edge_probability(x: np.ndarray, prob: np.ndarray, options: Options = DEFAULT) -> np.ndarray:
    """The model's probability, raised to the acceptance threshold for pairs whose blended score
    alone reaches ``align_threshold``: the pairs the blended score accepted stay accepted (its
    precision was 0.86 on the dev stories) and the model adds the ones it is confident about.
    Measured leave-one-story-out on the dev stories: pairwise F1 0.726 with, 0.728 without at
    this threshold, and it keeps the reference grid (the model alone scores the base request
    0.44 and joins two different Libya facts at 0.55)."""
    from .claim_pairs import FEATURES

    if not len(x):
        return prob
    blend = x[:, FEATURES.index("blend")]
    # two claims naming different people (no surname in common) are two facts for the model:
    # "Senator A praised the move" / "Senator B criticized the move" share a frame, not a fact
    # (leave-one-story-out F1 on the dev stories is unchanged by this rule)
    prob = np.where(x[:, FEATURES.index("person_clash")] > 0, 0.0, prob)
    return np.where(blend >= options.align_threshold, np.maximum(prob, options.align_pair_threshold), prob)


def select_edges(pairs: list[tuple[int, int]], prob: np.ndarray, owner: np.ndarray,
                 threshold: float) -> list[tuple[float, int, int]]:
    """(probability, claim, claim) of the pairs the model accepts: at or above ``threshold`` and
    one claim the other's most likely counterpart in its article (an outlet states a fact once;
    the best match is the one)."""
    best: dict[tuple[int, int], float] = {}
    for (i, j), p in zip(pairs, prob):
        best[(i, owner[j])] = max(best.get((i, owner[j]), 0.0), p)
        best[(j, owner[i])] = max(best.get((j, owner[i]), 0.0), p)
    return [(float(p), i, j) for (i, j), p in zip(pairs, prob)
            if p >= threshold and (p >= best[(i, owner[j])] or p >= best[(j, owner[i])])]


def merge(edges: list[tuple[float, tuple[int, int], tuple[int, int]]], sizes: Sequence[int]):
    """Greedy merging, strongest matches first; two groups merge only if no article would then
    appear twice, so a row of the grid holds at most one claim per outlet and loose chains
    (A~B, B~C, C~D ...) cannot snowball into one catch-all group.  Claims are (article, index);
    returns (members of each group, edge scores of each group, best edge score of each claim)."""
    group_of: dict[tuple[int, int], int] = {}
    members_of: dict[int, list[tuple[int, int]]] = {}
    scores_of: dict[int, list[float]] = {}
    best_of: dict[tuple[int, int], float] = {}
    for i, size in enumerate(sizes):
        for k in range(size):
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
    return members_of, scores_of, best_of


# Lexical baseline threshold (Jaccard of lemmas/entities/numbers), for ``bench align``.
LEXICAL_THRESHOLD = 0.15


def align(parsed_list: Sequence[Parsed], options: Options = DEFAULT,
          feats: list[SentenceFeatures] | None = None, lexical: bool = False,
          pair_model=None) -> list[Claim]:
    """Fact groups over all articles, most widely reported first.

    Every body claim appears in exactly one group, and a group holds at most one claim per
    article; a group with one member is a fact that outlet alone reports.  ``lexical`` uses word
    overlap only (the benchmark's baseline).
    """
    feats = feats or features(parsed_list, lexical=lexical)
    n = len(parsed_list)
    offsets = np.cumsum([0] + [len(f.indices) for f in feats])
    where = [(i, k) for i, f in enumerate(feats) for k in range(len(f.indices))]
    edges: list[tuple[float, tuple[int, int], tuple[int, int]]] = []
    model = None
    # the claim-pair model reads English-model features; a comparison across languages (the
    # multilingual vector space) keeps to the embedding/term score
    if not lexical and embed_space() == "english" and all(f.claims is not None for f in feats):
        from .claim_pairs import load_model

        model = pair_model or load_model()
    if model is not None:
        pairs, x, owner = story_pairs(feats, options)
        found = select_edges(pairs, edge_probability(x, model.predict(x), options), owner,
                             options.align_pair_threshold)
        edges = [(p, where[i], where[j]) for p, i, j in found]
    else:
        threshold = LEXICAL_THRESHOLD if lexical else _calibrated(options)[0]
        scores = _all_scores(feats, options, lexical)
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
    members_of, scores_of, best_of = merge(edges, [len(f.indices) for f in feats])
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


class StoryScores:
    """Blended match scores of every two claims of a story, looked up by claim offsets: lets the
    grid ask whether an outlet says something close to a fact it was not grouped into."""

    def __init__(self, feats: list[SentenceFeatures], options: Options = DEFAULT):
        self.scores = _all_scores(feats, options, False)
        self.row: dict[tuple[str, int], int] = {}
        self.rows_of: dict[str, list[int]] = {}
        k = 0
        for f in feats:
            aid = f.parsed.article.id
            for c in f.claims or []:
                self.row[(aid, c.start)] = k
                self.rows_of.setdefault(aid, []).append(k)
                k += 1

    def best(self, members: Sequence[SentenceRef], article_id: str) -> float:
        """Best score between any member of a fact group and any claim of ``article_id``."""
        rows = [self.row[(m.article_id, m.start)] for m in members if (m.article_id, m.start) in self.row]
        cols = self.rows_of.get(article_id, [])
        if not rows or not cols or not self.scores.size:
            return 0.0
        return float(self.scores[np.ix_(rows, cols)].max())


class SameFact:
    """The claim-pair model's probability that two claims of a story state the same fact.

    Why: a conflict is only worth showing when the two wordings are surely one fact (a wrong
    group makes two true sentences look contradictory), and the grid's groups are built greedily
    from edges, so two members of a group need not have been compared directly.  ``of`` scores
    any member pairs in one batch with the same features as alignment (ranks and gaps against the
    story's other claims).  ``None`` for a pair when the model does not apply (no model file, or
    the multilingual vector space): callers then keep their rule-only behaviour."""

    def __init__(self, feats: list[SentenceFeatures], options: Options = DEFAULT):
        from .claim_pairs import claim_info, load_model

        self.model = None
        if embed_space() == "english" and feats and all(f.claims is not None for f in feats):
            self.model = load_model()
        self.index: dict[tuple[str, int, int], int] = {}
        if self.model is None:
            return
        self.parts = _all_scores(feats, options, False, parts=True)
        self.owner = np.concatenate([np.full(len(f.indices), k) for k, f in enumerate(feats)]).astype(int)
        self.infos = [claim_info(f.parsed, c, len(f.parsed.sentences)) for f in feats for c in f.claims]
        k = 0
        for f in feats:
            for c in f.claims:
                self.index[(f.parsed.article.id, c.start, c.end)] = k
                k += 1

    def of(self, pairs: Sequence[tuple[SentenceRef, SentenceRef]]) -> list[float | None]:
        from .claim_pairs import FEATURES, pair_features

        keys = [(self.index.get((a.article_id, a.start, a.end)), self.index.get((b.article_id, b.start, b.end)))
                for a, b in pairs]
        known = [(min(i, j), max(i, j)) for i, j in keys if i is not None and j is not None and i != j]
        if self.model is None or not known:
            return [None] * len(pairs)
        blend, content, cos, lex = self.parts
        x = pair_features(known, self.infos, self.owner, blend, content, cos, lex)
        # two claims naming different people are two facts (as in ``edge_probability``)
        prob = np.where(x[:, FEATURES.index("person_clash")] > 0, 0.0, self.model.predict(x))
        got = dict(zip(known, prob.tolist()))
        return [got.get((min(i, j), max(i, j))) if i is not None and j is not None else None for i, j in keys]
