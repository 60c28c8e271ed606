"""Across a story: each speaker's statements matched outlet against outlet, and who relays whom.

``match_quotes`` groups every quote of a story's articles by canonical speaker (the actor
mapping of :func:`parallax.analysis.actors.merge_actors`, then a surname or title-less name
met in another article's full name) and compares each pair of quotes from different outlets:

* ``verbatim`` - the quoted words are the same (one may quote a longer stretch: "They have a
  big strategy in Libya and Africa." vs '... that the Russians "have a big strategy in Libya and
  Africa,"');
* ``near-verbatim`` - the same statement edited: most words in the same order (token sequence
  ratio >= 0.7, or 80% of the shorter's words in the longer);
* ``paraphrase`` - the same point in other words: >= 40% of the shorter's content-word stems in
  the other (and at least 3 of them);
* a quote matched by nothing in another outlet is listed in ``QuoteGroup.single`` (one outlet
  only).

Each match records both cue verbs ("added" vs "claimed") and both renderings (direct, mixed,
indirect, block) so the report can show them side by side.  Unresolved speakers ("she", "the
committee") are never merged across articles: their group is per outlet and marked unresolved.

``relay`` reads the articles' cited sources (:mod:`parallax.analysis.provenance`) and reports,
per cited outlet or agency, the outlets that relay it, and which of those outlets have no
first-hand reporting of their own (they never name themselves as the recipient of a statement).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from typing import Any

from ..model import Article, Quote, QuoteGroup, QuoteMatch, Relay
from .names import clean_name

VERBATIM_MIN_WORDS = 3
NEAR_RATIO = 0.7
NEAR_BAG = 0.8
PARAPHRASE_SHARE = 0.4
PARAPHRASE_MIN = 3
STEM = 5  # crude stemming: the first letters of a word ("strategy"/"strategic" -> "strat")
_STOP = frozenset("""
a an the and or but if of to in on at for from by with as is are was were be been being it its
this that these those there here we our us you your he she him her his they them their i me my
not no so do does did have has had will would can could should may might must just also than
then into about over out up what which who whom whose when where why how all any some more most
""".split())
_FIRST_HAND = re.compile(r"\btold (?:reporters|journalists|this (?:newspaper|website|reporter|outlet))\b"
                         r"|\bin an interview with (?:us|this (?:newspaper|website))\b", re.IGNORECASE)


def _items(articles: Sequence[Any]) -> list[Article]:
    return [getattr(a, "article", a) for a in articles]  # Article or Parsed


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("’", "'"))


def _verbatim_text(q: Quote) -> str:
    return " ".join(p.text for p in q.parts) if q.parts else q.content.text


def _contains(short: list[str], long_: list[str]) -> bool:
    n = len(short)
    return any(long_[i:i + n] == short for i in range(len(long_) - n + 1))


def _stems(words: list[str]) -> set[str]:
    return {w[:STEM] for w in words if w not in _STOP and not w.isdigit()}


def match_kind(a: Quote, b: Quote) -> tuple[str, float]:
    """How two quotes of one speaker relate: (verbatim | near-verbatim | paraphrase | "", score)."""
    va, vb = _words(_verbatim_text(a)), _words(_verbatim_text(b))
    if a.parts and b.parts and va and vb:
        short, long_ = sorted((va, vb), key=len)
        if len(short) >= VERBATIM_MIN_WORDS and _contains(short, long_):
            return "verbatim", 1.0
        ratio = SequenceMatcher(None, va, vb, autojunk=False).ratio()
        pool = defaultdict(int)
        for w in long_:
            pool[w] += 1
        hit = 0
        for w in short:
            if pool[w] > 0:
                pool[w] -= 1
                hit += 1
        bag = hit / len(short)
        if len(short) >= VERBATIM_MIN_WORDS and (ratio >= NEAR_RATIO or bag >= NEAR_BAG):
            return "near-verbatim", round(max(ratio, bag), 3)
    sa, sb = _stems(_words(a.content.text)), _stems(_words(b.content.text))
    if sa and sb:
        shared = len(sa & sb)
        share = shared / min(len(sa), len(sb))
        if shared >= PARAPHRASE_MIN and share >= PARAPHRASE_SHARE:
            return "paraphrase", round(share, 3)
    return "", 0.0


def _canonical_speakers(items: list[tuple[str, Quote]], mapping: dict[str, str]) -> list[str]:
    """Canonical speaker per quote: the actor mapping, then a bare surname or a name with a title
    merged into the one full name of the story that ends with it."""
    names = [mapping.get(q.speaker, q.speaker) for _, q in items]
    full = {n for (_, q), n in zip(items, names) if q.resolved and len(n.split()) >= 2}
    out = []
    for (outlet, q), name in zip(items, names):
        if not q.resolved:
            # never merged with another article's "she"; one group per description, whatever its
            # case ("his family" / "His family"); no blank line for a quote whose speaker is unknown
            out.append(f"{q.speaker.lower() if q.speaker else 'unresolved speaker'} ({outlet})")
            continue
        bare = clean_name(name)
        cands = {f for f in full if f != name and (f.split()[-1] == bare.split()[-1] and len(bare.split()) == 1
                                                   or f.endswith(" " + bare) or f == bare)}
        out.append(cands.pop() if len(cands) == 1 else name)
    return out


def match_quotes(articles: Sequence[Any], mapping: dict[str, str] | None = None) -> list[QuoteGroup]:
    """Quotes of a story's articles grouped by canonical speaker, matched across outlets."""
    mapping = mapping or {}
    items = [(a.label, q) for a in _items(articles) for q in a.quotes]
    keys = _canonical_speakers(items, mapping)
    groups: dict[str, list[tuple[str, Quote]]] = defaultdict(list)
    for (outlet, q), key in zip(items, keys):
        name = key if q.resolved else (q.speaker or "unresolved speaker")
        groups[key].append((outlet, replace(q, speaker=name)))
    out = []
    for key, members in groups.items():
        matches: list[QuoteMatch] = []
        matched: set[int] = set()
        for i, (oa, qa) in enumerate(members):
            for j in range(i + 1, len(members)):
                ob, qb = members[j]
                if oa == ob:
                    continue
                kind, score = match_kind(qa, qb)
                if not kind:
                    continue
                matched |= {i, j}
                matches.append(QuoteMatch(i, j, oa, ob, kind, score,
                                          qa.cue.text if qa.cue else "", qb.cue.text if qb.cue else "",
                                          qa.kind, qb.kind))
        shared = [[members[m.a][1].content.text, members[m.b][1].content.text]
                  for m in matches if m.kind in ("verbatim", "near-verbatim")]
        single = [i for i in range(len(members)) if i not in matched] if len(items) and len(articles) > 1 else []
        resolved = all(q.resolved for _, q in members)
        out.append(QuoteGroup(speaker=members[0][1].speaker, quotes=members, shared=shared,
                              matches=matches, single=single, resolved=resolved))
    out.sort(key=lambda g: (not g.resolved, -len({o for o, _ in g.quotes}), -len(g.quotes), g.speaker))
    return out


def relay(articles: Sequence[Any], mapping: dict[str, str] | None = None) -> list[Relay]:
    """Per cited outlet or agency: the outlets relaying it, with evidence, and which of them are
    second-hand only (they cite others and never name themselves as receiving a statement)."""
    mapping = mapping or {}
    arts = _items(articles)
    cites: dict[str, dict[str, str]] = defaultdict(dict)  # source -> outlet -> evidence
    kinds: dict[str, str] = {}
    relaying: dict[str, set[str]] = defaultdict(set)
    for a in arts:
        for s in a.sources:
            if s.kind not in ("outlet", "agency"):
                continue
            name = mapping.get(s.name, s.name)
            if _same_outlet(name, a.label):
                continue  # an outlet naming itself is first-hand, not a relay
            cites[name].setdefault(a.label, s.evidence)
            kinds.setdefault(name, s.kind)
            relaying[a.label].add(name)
    first_hand = {a.label for a in arts
                  if _FIRST_HAND.search(a.text) or any(_same_outlet(s.name, a.label) for s in a.sources)}
    out = []
    for name, by_outlet in cites.items():
        outlets = sorted(by_outlet)
        out.append(Relay(source=name, kind=kinds[name], outlets=outlets, evidence=by_outlet,
                         second_hand_only=[o for o in outlets if o not in first_hand]))
    out.sort(key=lambda r: (-len(r.outlets), r.source))
    return out


def _same_outlet(name: str, label: str) -> bool:
    a, b = re.sub(r"\W", "", name.casefold()), re.sub(r"\W", "", label.casefold())
    return bool(a) and bool(b) and (a == b or a.startswith(b) or b.startswith(a))
