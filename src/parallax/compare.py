"""Build a :class:`~parallax.model.Comparison` from a set of articles about one event.

Calls the analysis stages (through :mod:`parallax.pipeline`) and the cross-article steps:
sentence alignment into fact groups, the one-line event, quotes grouped by speaker, sources
by outlet, merged actors and relations.  Never touches a store or a report.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from . import errors
from .analysis.actors import merge_actors
from .analysis.align import align, features
from .analysis.names import find_acronyms
from .analysis.quote_match import match_quotes, relay
from .analysis.similarity import pair_similarities
from .ingest import read_many
from .model import Actor, Article, Comparison, QuoteGroup, Relation, SentenceRef
from .nlp import Parsed
from .options import DEFAULT, Options
from .pipeline import Progress, run

# How many leading body sentences per article may state the event (news leads come first).
LEAD_SENTENCES = 3
# Cosine above which an article is taken to carry the event sentence (looser than a full
# sentence match: the event is often spread over two sentences in another outlet).
EVENT_COVER = 0.45
# Discount per position in the lead: the first sentence usually states the event, later ones
# add detail; 0.9 lets a clearly better second sentence still win.
LEAD_DECAY = 0.9


def unique_labels(articles: Sequence[Article]) -> list[Article]:
    """Give articles from the same outlet distinct labels ("nyt", "nyt #2")."""
    seen: Counter[str] = Counter()
    out = []
    for a in articles:
        label = a.label
        seen[label] += 1
        out.append(a if seen[label] == 1 else replace(a, outlet=f"{label} #{seen[label]}"))
    return out


def load(paths: Sequence[str | os.PathLike], options: Options = DEFAULT, outlet: str = ""):
    """Read files for a comparison; returns (articles, failures)."""
    result = read_many(paths, options, outlet)
    return result.articles, result.failures


def _norm_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def quote_overlap(a: str, b: str) -> float:
    """Share of the shorter quote's words found, in order-insensitive bag terms, in the longer."""
    wa, wb = _norm_words(a), _norm_words(b)
    if not wa or not wb:
        return 0.0
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    pool = Counter(long_)
    hit = 0
    for w in short:
        if pool[w] > 0:
            pool[w] -= 1
            hit += 1
    return hit / len(short)


def group_quotes(parsed: Sequence[Parsed], mapping: dict[str, str]) -> list[QuoteGroup]:
    """Quotes by canonical speaker, matched across outlets (verbatim, near-verbatim, paraphrase,
    one outlet only) with cue and rendering differences; see ``analysis.quote_match``."""
    return match_quotes(parsed, mapping)


def merge_relations(parsed: Sequence[Parsed], mapping: dict[str, str]) -> list[Relation]:
    out = []
    for p in parsed:
        for r in p.article.relations:
            out.append(replace(r, subject=mapping.get(r.subject, r.subject),
                               object=mapping.get(r.object, r.object)))
    return out


def rank_actors(actors: list[Actor], groups: list[QuoteGroup], sources: dict[str, list[str]],
                top: int) -> list[Actor]:
    """Order actors by salience: mentions, plus weight for being quoted and for spanning outlets.
    Outlets cited as sources are typed ``media``; nationalities rank after named actors."""
    quoted = Counter({g.speaker: len(g.quotes) for g in groups})
    def salience(a: Actor) -> float:
        return a.mentions + 2 * quoted.get(a.name, 0) + len(a.by_outlet)
    typed = [replace(a, type="media") if a.name in sources else a for a in actors]
    typed.sort(key=lambda a: (a.type == "group", -salience(a), a.name))
    return typed[:top] if top else typed


def event_line(parsed: Sequence[Parsed], feats) -> tuple[str, list[str]]:
    """The sentence that best states the shared event, and the outlets that carry it.

    Candidates are titles and the leading body sentences that are neither editorial (flagged)
    nor block quotes (news puts the event first); each scores its mean best-match cosine with
    the other articles, discounted by its position in the lead.  Extractive, so the user sees
    real wording."""
    from .nlp.embed import embed

    cands: list[tuple[int, str, float]] = []
    for i, p in enumerate(parsed):
        skip = {f.sentence for f in p.article.flags}
        skip |= {q.sentence for q in p.article.quotes if q.kind == "block"}
        if p.article.title:
            cands.append((i, p.article.title, 1.0))
        lead = [s for s in p.sentences if s.kind == "body" and s.index not in skip and len(s.text.split()) >= 6]
        cands.extend((i, s.text, LEAD_DECAY ** k) for k, s in enumerate(lead[:LEAD_SENTENCES]))
    if not cands:
        return "", []
    vecs = embed([t for _, t, _ in cands])
    best, best_score, best_cover = "", -1.0, []
    for (i, text, weight), v in zip(cands, vecs):
        sims = []
        cover = [parsed[i].article.label]
        for j, f in enumerate(feats):
            if j == i or not len(f.indices):
                continue
            s = float((f.vectors @ v).max())
            sims.append(s)
            if s >= EVENT_COVER:
                cover.append(parsed[j].article.label)
        score = weight * (float(np.mean(sims)) if sims else 0.0)
        if score > best_score:
            best, best_score, best_cover = text, score, cover
    return best, best_cover


def similarity_matrix(articles: Sequence[Article]) -> list[list[float]]:
    """Article-by-article similarity (same-story likelihood, see ``analysis.similarity``)."""
    n = len(articles)
    pairs = [(articles[i], articles[j]) for i in range(n) for j in range(i + 1, n)]
    scores = iter(pair_similarities(pairs))
    m = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            m[i][j] = m[j][i] = round(float(next(scores)), 3)
    return m


def compare(articles: Sequence[Article], options: Options = DEFAULT,
            progress: Progress | None = None) -> Comparison:
    """Compare articles about one event.  Raises :class:`ParallaxError` when given none."""
    if not articles:
        raise errors.ParallaxError("nothing to compare: no readable articles")
    articles = unique_labels(articles)
    parsed = run(articles, options, progress)
    feats = features(parsed)
    claims = align(parsed, options, feats)
    n = len(parsed)
    shared = [c for c in claims if len({m.article_id for m in c.members}) > 1]
    unique: dict[str, list[SentenceRef]] = {p.article.label: [] for p in parsed}
    for c in claims:
        if len({m.article_id for m in c.members}) == 1:
            for m in c.members:
                unique[m.outlet].append(m)
    for refs in unique.values():
        refs.sort(key=lambda r: r.sentence)

    acronyms: dict[str, str] = {}
    for p in parsed:
        for k, v in find_acronyms(p.article.text).items():
            acronyms.setdefault(k, v)
    actors, mapping = merge_actors([(p.article.label, p.article.mentions) for p in parsed], acronyms)
    quotes = group_quotes(parsed, mapping)
    sources: dict[str, list[str]] = defaultdict(list)
    for p in parsed:
        for s in p.article.sources:
            name = mapping.get(s.name, s.name)
            if p.article.label not in sources[name]:
                sources[name].append(p.article.label)
    actors = rank_actors(actors, quotes, sources, 0)
    event, cover = event_line(parsed, feats) if n > 1 else (parsed[0].article.title or (parsed[0].sentences[0].text if parsed[0].sentences else ""), [parsed[0].article.label])
    return Comparison(
        articles=[p.article for p in parsed],
        event=event,
        event_outlets=cover,
        shared=shared,
        unique=unique,
        quotes=quotes,
        sources=dict(sorted(sources.items(), key=lambda kv: (-len(kv[1]), kv[0]))),
        actors=actors,
        relations=merge_relations(parsed, mapping),
        similarity=similarity_matrix([p.article for p in parsed]),
        options=options.to_dict(),
        relays=relay(parsed, mapping),
    )
