"""Atomic claims: each body sentence split into the independent facts it states.

What: ``split_claims(parsed)`` returns one :class:`ClaimSpan` per claim, in text order.  A claim
is a sentence, or a clause of it when the sentence joins independent facts ("X picked up 63
seats, but pressure has been mounting for Y to step down"; "A happened; B happened").  The
reporting frame ("officials said", "X told Bloomberg that") is kept apart from the content
(``frame`` and ``content_start``/``content_end``), so alignment and conflict checks compare what
is reported rather than who reported it.

Why so conservative: a clause is split off only when it has its own subject and verb and both
sides keep at least ``MIN_WORDS`` words.  Splitting relative clauses or participles produces
fragments that no other outlet phrases alike, which costs more alignment recall than it gains.
Offsets are article offsets (``article.text[start:end] == text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..nlp import Parsed

# Fewer words than this on either side of a split and the sentence is kept whole.
MIN_WORDS = 6
# Verbs that frame reported content ("said", "told", "reports", "claimed", ...).
REPORT_VERBS = frozenset(
    "say tell report claim add warn announce state explain note write insist argue confirm deny "
    "reveal believe stress emphasize emphasise accuse allege suggest acknowledge admit predict "
    "declare assert contend maintain reply respond testify tweet post".split())
_SUBJ = {"nsubj", "nsubjpass", "expl"}


@dataclass(frozen=True)
class ClaimSpan:
    """One claim of an article: a sentence or an independent clause of it."""

    sentence: int
    start: int
    end: int
    text: str
    content_start: int  # the reported content without the frame ("X said that ...")
    content_end: int
    frame: str = ""  # the reporting frame's words, "" when the claim has none


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past surrounding spaces, commas, semicolons and dangling conjunctions."""
    while start < end and text[start] in " \t\n,;:–—-":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:–—-":
        end -= 1
    for cc in ("and ", "but ", "while ", "yet ", "so "):
        if text[start:end].lower().startswith(cc):
            start += len(cc)
            break
    for cc in (" and", " but", " while", " yet", " so"):
        if text[start:end].lower().endswith(cc):
            end -= len(cc)
            break
    while end > start and text[end - 1] in " \t\n,;:–—-":
        end -= 1
    return start, end


def _inside_quote(text: str, start: int, cut: int) -> bool:
    """True when ``cut`` falls inside quotation marks opened after ``start``."""
    seg = text[start:cut]
    straight = seg.count('"') % 2 == 1
    curly = seg.count("“") > seg.count("”")
    return straight or curly


def _frame(span, start: int, end: int) -> tuple[str, int, int]:
    """The reporting frame of the clause [start, end) and its content offsets."""
    heads = [t for t in span if start <= t.idx < end and (t.head == t or not (start <= t.head.idx < end))]
    if not heads:
        return "", start, end
    root = heads[0]
    if root.lemma_.lower() not in REPORT_VERBS:
        return "", start, end
    comp = [c for c in root.children if c.dep_ in ("ccomp", "parataxis") and start <= c.idx < end]
    if not comp:
        return "", start, end
    sub = sorted(comp[0].subtree, key=lambda t: t.i)
    cs, ce = sub[0].idx, sub[-1].idx + len(sub[-1])
    cs, ce = max(cs, start), min(ce, end)
    if span.doc.text[cs:ce].lower().startswith("that "):  # the complementiser belongs to the frame
        cs += 5
    if ce - cs < 0.4 * (end - start):
        return "", start, end
    text = span.doc.text
    frame = " … ".join(p for p in (text[start:cs].strip(" ,:;“”\"'"), text[ce:end].strip(" ,.:;“”\"'")) if p)
    if frame.lower().endswith(" that"):
        frame = frame[:-5]
    return frame, cs, ce


def _has_verb(span, start: int, end: int) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in span if start <= t.idx < end)


def split_sentence(parsed: Parsed, index: int) -> list[ClaimSpan]:
    """The claims of one sentence (the sentence itself when it states one fact)."""
    s = parsed.sentences[index]
    text = parsed.article.text
    span = parsed.doc.char_span(s.start, s.end, alignment_mode="expand")
    cuts: list[int] = []
    if span is not None:
        roots = [t for t in span if t.dep_ == "ROOT"]
        for root in roots[:1]:
            for t in root.children:
                # an independent clause: a coordinated verb with its own subject ("..., but X did Y")
                if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") and any(c.dep_ in _SUBJ for c in t.children):
                    left = min(x.i for x in t.subtree)
                    cc = [c for c in t.children if c.dep_ == "cc" and c.i <= left + 1] or []
                    first = min([left] + [c.i for c in cc])
                    prev = parsed.doc[first - 1] if first > span.start else None
                    if prev is not None and prev.text in (",", ";"):
                        first -= 1
                    cuts.append(parsed.doc[first].idx)
        for t in span:
            if t.text == ";" and t.i > span.start:
                cuts.append(t.idx)
    cuts = [c for c in cuts if s.start < c < s.end and not _inside_quote(text, s.start, c)]
    bounds = [s.start] + sorted(set(cuts)) + [s.end]
    pieces = []
    for a, b in zip(bounds, bounds[1:]):
        a, b = _trim(text, a, b)
        if b > a:
            pieces.append((a, b))
    if len(pieces) > 1 and (min(len(text[a:b].split()) for a, b in pieces) < MIN_WORDS
                            or not all(_has_verb(span, a, b) for a, b in pieces)):
        pieces = [(s.start, s.end)]
    if len(pieces) <= 1:
        pieces = [(s.start, s.end)]
    out = []
    for a, b in pieces:
        frame, cs, ce = _frame(span, a, b) if span is not None else ("", a, b)
        out.append(ClaimSpan(index, a, b, text[a:b], cs, ce, frame))
    return out


_DATELINE = re.compile(r"^[\W\d_]*[A-Z][A-Z.,'’ -]*(?:\([^)]*\))?\s*[—–-]+\s*$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def is_fragment(text: str, min_words: int = 4, opens_sentence: bool = True, has_verb: bool = True) -> bool:
    """True when a claim is not a fact a reader would count: a dateline alone ("WASHINGTON —"),
    fewer than ``min_words`` words, a clause without a verb ("And not on a trivial matter.";
    ``has_verb`` from the parse), or a "sentence" that opens with an all-lower-case word (a
    clause the sentence splitter cut off: "he is not the president's buddy." after a quotation
    ended the previous one).  ``opens_sentence=False`` for a clause this module split off on
    purpose ("..., but pressure has been mounting"), whose lower-case start is expected."""
    if not has_verb:
        return True
    t = text.strip().strip("“”\"'‘’()[]")
    if _DATELINE.match(t):
        return True
    words = _WORD.findall(t)
    if len(words) < min_words:
        return True
    return opens_sentence and words[0].islower() and t[:1].isalpha()


def split_claims(parsed: Parsed) -> list[ClaimSpan]:
    """Every claim of an article's body sentences, in text order (captions are not claims)."""
    out: list[ClaimSpan] = []
    for s in parsed.sentences:
        if s.kind == "body":
            out.extend(split_sentence(parsed, s.index))
    return out
