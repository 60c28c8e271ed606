"""Build a :class:`~parallax.model.Comparison` from a set of articles about one event.

Takes analysed articles (a story's stored articles: only re-parsed for alignment and conflict
spans) or raw ones (every stage runs, through :func:`parallax.pipeline.prepare`); an article a
stage fails on is left out and named in ``Comparison.failures``.  Then the cross-article steps:
sentence alignment into fact groups, the one-line event, quotes grouped by speaker, sources
by outlet, merged actors and relations.  Never touches a store or a report.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from . import errors
from .analysis.actors import resolve_actors
from .analysis.align import SameFact, StoryScores, align, features
from .analysis.claims import is_fragment
from .analysis.conflicts import find_conflicts
from .analysis.place_containment import story_gazetteer
from .analysis.graph import build_graph, graph_json, relations_of
from .analysis.quote_match import match_quotes, relay
from .analysis.similarity import pair_similarities
from .analysis.tone import actor_tone
from .ingest import read_many
from .model import Actor, Article, Claim, Comparison, Conflict, QuoteGroup, Relation, SentenceRef
from .nlp import Parsed
from .nlp.embed import embedding_space
from .nlp.multilingual import space_for
from .options import DEFAULT, Options
from .pipeline import Progress, prepare

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


def group_quotes(parsed: Sequence[Parsed], mapping: dict[str, str]) -> list[QuoteGroup]:
    """Quotes by canonical speaker, matched across outlets (verbatim, near-verbatim, paraphrase,
    one outlet only) with cue and rendering differences; see ``analysis.quote_match``."""
    return match_quotes(parsed, mapping)


def merge_relations(parsed: Sequence[Parsed], mapping: dict[str, str]) -> list[Relation]:
    """Relations in canonical actor names, each with the outlet and date of its article."""
    return relations_of([p.article for p in parsed], mapping)


def rank_actors(actors: list[Actor], groups: list[QuoteGroup], sources: dict[str, list[str]],
                top: int) -> list[Actor]:
    """Order actors by salience: mentions, plus weight for being quoted and for spanning outlets.
    Nationalities rank after named actors.  (Outlets cited as sources are typed ``media`` by
    ``analysis.actors.resolve_actors``, never a person.)"""
    quoted = Counter({g.speaker: len(g.quotes) for g in groups})
    def salience(a: Actor) -> float:
        return a.mentions + 2 * quoted.get(a.name, 0) + len(a.by_outlet)
    typed = list(actors)
    typed.sort(key=lambda a: (a.type == "group", -salience(a), a.name))
    return typed[:top] if top else typed


def event_line(parsed: Sequence[Parsed], feats, options: Options = DEFAULT) -> tuple[str, list[str]]:
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
        cands.extend((i, s.text, options.event_lead_decay ** k)
                     for k, s in enumerate(lead[:options.event_lead_sentences]))
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
            if s >= options.event_cover:
                cover.append(parsed[j].article.label)
        score = weight * (float(np.mean(sims)) if sims else 0.0)
        if score > best_score:
            best, best_score, best_cover = text, score, cover
    return best, best_cover


# the tuning values (event lead, cover, decay, partial match, summary length) are Options fields
_KIND_ORDER = {"core": 0, "shared": 1, "single": 2, "commentary": 3}


def _kind(claim: Claim, n: int, flagged: set[tuple[str, int]]) -> str:
    outlets = {m.article_id for m in claim.members}
    if all((m.article_id, m.sentence) in flagged for m in claim.members):
        return "commentary"
    if len(outlets) >= 2 and len(outlets) > n / 2:
        return "core"
    return "shared" if len(outlets) >= 2 else "single"


def _opens(by_id: dict[str, Parsed], m: SentenceRef) -> bool:
    """Does the claim start its sentence (rather than being a clause split off from it)?"""
    p = by_id.get(m.article_id)
    if p is None or m.start < 0 or not 0 <= m.sentence < len(p.sentences):
        return True
    return not p.article.text[p.sentences[m.sentence].start:m.start].strip(" \t\n\"'“‘(")


def _verb(by_id: dict[str, Parsed], m: SentenceRef) -> bool:
    """Does the claim have a verb (an auxiliary counts)?  True when it cannot be told, e.g. in an
    article of another language parsed without a tagger (issue 24's degraded parse)."""
    p = by_id.get(m.article_id)
    span = p.doc.char_span(m.start, m.end, alignment_mode="expand") if p is not None and m.start >= 0 else None
    return span is None or not span.doc.has_annotation("POS") or any(t.pos_ in ("VERB", "AUX") for t in span)


def claim_grid(parsed: Sequence[Parsed], claims: list[Claim], options: Options = DEFAULT,
               feats=None) -> tuple[list[Claim], list[Conflict], dict[str, list[int]]]:
    """Fact groups as grid rows: each with its kind (core facts first), every cell's status
    (reported, partial, differs) and the conflicts between its outlets' wordings; plus, per
    outlet, the core facts it omits (indices into the returned facts): a core fact none of the
    outlet's claims matches even at ``options.omission_threshold`` (with ``feats``; without,
    every core fact the outlet is not grouped into)."""
    n = len(parsed)
    by_id = {p.article.id: p for p in parsed}
    flagged = {(p.article.id, f.sentence) for p in parsed for f in p.article.flags}
    # conflicts are reported only between claims the pair model holds to be one fact (precision
    # first: an unresolved difference is better than a false "outlets disagree")
    same = SameFact(feats, options) if feats is not None else None
    gazetteer = story_gazetteer(p.doc for p in parsed)
    rows = []
    for c in claims:
        if all(is_fragment(m.text, options.fact_min_words, _opens(by_id, m), _verb(by_id, m)) for m in c.members):
            continue  # datelines and clause fragments are never grid facts
        members = [replace(m, status="partial" if len(c.members) > 1 and m.score < options.partial_match else "reported")
                   for m in c.members]
        found: list[Conflict] = []
        differs: set[int] = set()
        pairs = [(x, y) for x in range(len(members)) for y in range(x + 1, len(members))
                 if members[x].start >= 0 and members[y].start >= 0]
        probs = same.of([(members[x], members[y]) for x, y in pairs]) if same is not None else [None] * len(pairs)
        for (x, y), p in zip(pairs, probs):
            if p is not None and p < options.conflict_same_fact:
                continue  # not surely one fact: two true sentences would look contradictory
            a, b = members[x], members[y]
            sa = by_id[a.article_id].doc.char_span(a.start, a.end, alignment_mode="expand")
            sb = by_id[b.article_id].doc.char_span(b.start, b.end, alignment_mode="expand")
            for d in find_conflicts(a.text, b.text, sa, sb, by_id[a.article_id].article.language,
                                    by_id[b.article_id].article.language, gazetteer,
                                    (by_id[a.article_id].article.published, by_id[b.article_id].article.published)):
                found.append(Conflict(d.kind, a.outlet, b.outlet, d.a, d.b, a.text, b.text, d.severity))
                if d.severity == "contradiction":
                    differs |= {x, y}
        members = [replace(m, status="differs") if k in differs else m for k, m in enumerate(members)]
        rows.append(replace(c, members=members, conflicts=found, kind=_kind(c, n, flagged)))
    first = {}
    for k, c in enumerate(rows):
        first[k] = min(m.sentence for m in c.members)
    # single-outlet facts come grouped by outlet (article order), so each outlet's fold in the
    # grid is one run of numbers
    position = {p.article.label: i for i, p in enumerate(parsed)}

    def _key(k: int):
        c = rows[k]
        group = position.get(c.members[0].outlet, 0) if c.kind == "single" else 0
        return (_KIND_ORDER[c.kind], group, -c.support, first[k], -c.score)

    order = sorted(range(len(rows)), key=_key)
    facts = []
    conflicts = []
    for new, k in enumerate(order):
        c = rows[k]
        cs = [replace(x, fact=new) for x in c.conflicts]
        facts.append(replace(c, conflicts=cs, number=new + 1))
        conflicts.extend(cs)
    omissions: dict[str, list[int]] = {p.article.label: [] for p in parsed}
    near = StoryScores(feats, options) if feats is not None else None
    for k, c in enumerate(facts):
        if c.kind == "core":
            have = {m.outlet for m in c.members}
            for p in parsed:
                o = p.article.label
                if o in have or near is not None and near.best(c.members, p.article.id) >= options.omission_threshold:
                    continue
                omissions[o].append(k)
    return facts, conflicts, omissions


def core_summary(facts: list[Claim], options: Options = DEFAULT) -> tuple[str, list[str]]:
    """Extractive summary: the leading core facts in the wording of the outlet that puts them
    first, each followed by the outlets carrying it in brackets."""
    # news states the event first: the core facts that some outlet puts earliest lead, the more
    # outlets the better
    core = sorted((c for c in facts if c.kind == "core"),
                  key=lambda c: (min(m.sentence for m in c.members), -c.support))[:options.summary_facts]
    parts, cited = [], []
    for c in core:
        lead = min(c.members, key=lambda m: (m.sentence, m.outlet))
        parts.append(f"{lead.text.strip()} [{', '.join(c.outlets)}]")
        cited += [o for o in c.outlets if o not in cited]
    return " ".join(parts), cited


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
    """Compare articles about one event.  Raises :class:`ParallaxError` when given none, or when
    every article failed; articles that failed are left out and listed in ``failures``."""
    if not articles:
        raise errors.ParallaxError("nothing to compare: no readable articles")
    articles = unique_labels(articles)
    parsed, failed = prepare(articles, options, progress)
    if not parsed:
        raise errors.ParallaxError("nothing to compare: every article failed analysis ("
                                   + "; ".join(str(f) for f in failed) + ")")
    # articles in several languages are aligned in the multilingual vector space
    with embedding_space(space_for(p.article.language for p in parsed)):
        return _compare_parsed(parsed, failed, options)


def _compare_parsed(parsed: Sequence[Parsed], failed: Sequence[Any], options: Options) -> Comparison:
    feats = features(parsed)
    claims = align(parsed, options, feats)
    n = len(parsed)
    facts, conflicts, omissions = claim_grid(parsed, claims, options, feats)
    summary, summary_outlets = core_summary(facts, options)
    claims = sorted(facts, key=lambda c: (-c.support, -c.score, c.members[0].article_id, c.members[0].sentence))
    shared = [c for c in claims if len({m.article_id for m in c.members}) > 1]
    unique: dict[str, list[SentenceRef]] = {p.article.label: [] for p in parsed}
    for c in claims:
        if len({m.article_id for m in c.members}) == 1:
            for m in c.members:
                unique[m.outlet].append(m)
    for refs in unique.values():
        refs.sort(key=lambda r: r.sentence)

    actors, mapping = resolve_actors([p.article for p in parsed])
    quotes = group_quotes(parsed, mapping)
    sources: dict[str, list[str]] = defaultdict(list)
    for p in parsed:
        for s in p.article.sources:
            name = mapping.get(s.name, s.name)
            if p.article.label not in sources[name]:
                sources[name].append(p.article.label)
    actors = rank_actors(actors, quotes, sources, 0)
    event, cover = event_line(parsed, feats, options) if n > 1 else (parsed[0].article.title or (parsed[0].sentences[0].text if parsed[0].sentences else ""), [parsed[0].article.label])
    return Comparison(
        articles=[p.article for p in parsed],
        event=event,
        event_outlets=cover,
        shared=shared,
        unique=unique,
        quotes=quotes,
        sources=dict(sorted(sources.items(), key=lambda kv: (-len(kv[1]), kv[0]))),
        actors=actors,
        relations=(relations := merge_relations(parsed, mapping)),
        graph=graph_json(build_graph(relations, actors)),
        tone=actor_tone([p.article for p in parsed], actors),
        similarity=similarity_matrix([p.article for p in parsed]),
        options=options.to_dict(),
        relays=relay(parsed, mapping),
        facts=facts,
        conflicts=conflicts,
        omissions=omissions,
        summary=summary,
        summary_outlets=summary_outlets,
        failures=[{"source": f.path, "reason": f.reason} for f in failed],
    )
