"""Tone toward each main actor, per outlet, with the sentences behind it.

What: ``actor_tone(articles, actors)`` looks, in each outlet's article, at the sentences of the
outlet's own voice (quotations cut out) that mention an actor, and scores the charged words
around the mention: hostile words (the framing lexicon's loaded words, ``NEGATIVE`` below) count
-1, favourable ones (``POSITIVE``) +1, a negation just before a word flips it.  An outlet's tone
toward an actor is the mean over those sentences, squashed to -1..+1; the most hostile and most
favourable sentences are kept as evidence, with the words.

Why: who an outlet calls a "strongman" and whom it calls "the UN-recognised government" is
framing even when every fact matches.  The score is transparent (counted words, shown) rather
than a black box; quotes are excluded because a speaker's words are not the outlet's tone, and
so are the words of any name and of the title before it ("Security" in "Homeland Security
Secretary" is part of a job title, not praise).  Actors are the canonical ones of the story: a
mention counts for an actor when its in-article name is the actor's name or one of its aliases.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..model import Actor, Article, SentenceRef, Tone
from .framing import _WORDS, quoted_ranges

__all__ = ["NEGATIVE", "POSITIVE", "actor_tone", "name_ranges", "sentence_tone"]

NEGATIVE = frozenset("""
accuse accused attack attacked blame blamed chaos condemn condemned crisis defeat defeated
disaster fail failed failure violate violated violation crime crimes threat threaten threatened
aggression aggressive illegal illegitimate kill killed massacre weak worst bad harmful damage
damaged scandal controversial controversy reckless rogue hostile invade invaded invasion
""".split())
POSITIVE = frozenset("""
praise praised support supported welcome welcomed success successful help helped helping
legitimate recognized recognised stable stability peace peaceful progress respected popular
strong wise effective achieve achieved achievement hero heroic brave courageous honest
generous reform reformer commitment committed unity prosperous prosperity secure security
""".split())
_NEGATORS = frozenset("not no never without nor hardly barely".split())
_WORD = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")


def _polarity(word: str) -> int:
    w = word.lower()
    stem = w[:-1] if w.endswith("s") and len(w) > 4 else w
    if w in NEGATIVE or stem in NEGATIVE:
        return -1
    if w in POSITIVE or stem in POSITIVE:
        return 1
    hit = _WORDS.lookup(word)
    if hit and hit[0] == "loaded":
        return -1
    return 0


def sentence_tone(text: str, start: int, end: int,
                  quoted: Sequence[tuple[int, int]] = ()) -> tuple[int, list[str]]:
    """Signed count of charged words in ``text[start:end]`` outside ``quoted``, and the words."""
    total, words = 0, []
    prev: list[str] = []
    for m in _WORD.finditer(text, start, end):
        a, b = m.start(), m.end()
        if any(x <= a and b <= y for x, y in quoted):
            prev = []
            continue
        pol = _polarity(m.group())
        if pol:
            if any(p in _NEGATORS for p in prev[-2:]):
                pol = -pol
            total += pol
            words.append(m.group())
        prev.append(m.group().lower())
    return total, words


_TITLE_RUN = re.compile(r"(?:[A-Z][\w.'’-]*\s+)*$")


def name_ranges(art: Article) -> list[tuple[int, int]]:
    """Character ranges of every named mention of ``art`` together with the capitalised title
    words just before it ("Homeland Security Secretary Alejandro Mayorkas")."""
    out = []
    for m in art.mentions:
        run = _TITLE_RUN.search(art.text, max(0, m.start - 80), m.start)
        out.append((run.start() if run else m.start, m.end))
    return out


def actor_tone(articles: Sequence[Article], actors: Sequence[Actor], top: int = 8,
               evidence: int = 2) -> list[Tone]:
    """Tone of each outlet toward each of the first ``top`` actors (see the module doc).

    Articles must be analysed (sentences, mentions with ``actor`` set, quotes).  An actor is
    matched in a sentence by a resolved mention or by its name or an alias as a word.
    """
    out: list[Tone] = []
    for actor in list(actors)[:top]:
        names = sorted({actor.name, *actor.aliases}, key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names if n) + r")\b") if names else None
        for art in articles:
            # words of a name or of the title before it ("Homeland Security Secretary X") are
            # never tone: they are skipped like quotations
            quoted = list(quoted_ranges(art.text, art.quotes)) + name_ranges(art)
            known = {actor.name, *actor.aliases}
            by_mention = {m.sentence for m in art.mentions if m.actor in known}
            scored: list[tuple[int, SentenceRef, list[str]]] = []
            n = 0
            for s in art.sentences:
                if s.kind != "body":
                    continue
                if s.index not in by_mention and not (pattern and pattern.search(art.text, s.start, s.end)):
                    continue
                # the mention must be in the outlet's voice, not inside a quotation
                n += 1
                value, words = sentence_tone(art.text, s.start, s.end, quoted)
                if value:
                    scored.append((value, SentenceRef(art.id, art.label, s.index, s.text), words))
            if not n:
                continue
            mean = sum(v for v, _, _ in scored) / n
            neg = [r for v, r, _ in sorted(scored, key=lambda t: t[0]) if v < 0][:evidence]
            pos = [r for v, r, _ in sorted(scored, key=lambda t: -t[0]) if v > 0][:evidence]
            words = list(dict.fromkeys(w for _, _, ws in scored for w in ws))[:12]
            out.append(Tone(actor=actor.name, outlet=art.label, score=round(math.tanh(mean), 3),
                            sentences=n, negative=neg, positive=pos, words=words))
    return out
