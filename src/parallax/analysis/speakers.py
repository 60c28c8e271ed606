"""Speakers of quotes: the cue's subject noun phrase, resolved to a named person or body.

The speaker is the cue's subject from the dependency parse (or the noun phrase next to it for
inverted and parenthetical cues), resolved to the fullest name the article uses (``method``
"name"); a pronoun or a bare role ("the interior minister") is tied to the most recent named
person of the preceding text ("pronoun" / "role-nearest"), and left unresolved, as written, when
there is none.  No rule names any story's people or places.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import Sentence, Span
from ..nlp.pipeline import Parsed
from .names import NameIndex
from .quotemarks import QuotePair

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "them"})
SUBJ_DEPS = ("nsubj",)
# Children left out when a subject is expanded to its noun phrase.
NP_EXCLUDE = frozenset({"relcl", "acl", "advcl", "parataxis", "punct", "cc", "prep"})
NP_KEEP_PREP = frozenset({"of", "for", "at", "from", "in"})  # "the head of X", "a spokesman for X"
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
# Head nouns that denote a person: a speaker described only by one of these is tied to the most
# recent named person.  Other common nouns ("the government", "the ministry") stay unresolved.
PERSON_ROLES = frozenset("""
minister chief spokesman spokeswoman spokesperson official president leader secretary director
commander general ambassador envoy adviser advisor aide chairman chairwoman chair head governor
mayor senator lawmaker legislator candidate nominee prosecutor lawyer attorney judge analyst
expert source officer diplomat representative premier king queen prince princess ceo founder
executive manager professor researcher scientist economist author journalist reporter
correspondent editor man woman resident witness activist organizer organiser member colonel
negotiator strategist pollster consultant campaigner insider confidant deputy counsel
coordinator commissioner administrator superintendent sheriff chancellor monarch emir sheikh
cleric priest bishop pope father mother son daughter wife husband owner boss coach player
""".split())
ROLE_SUFFIXES = ("ist", "man", "woman", "person", "ian")
LOOKBACK_CHARS = 1500  # how far back a pronoun or role looks for its person (~3 paragraphs)


@dataclass
class _Speaker:
    name: str
    span: Span | None
    resolved: bool
    method: str
    person: bool = False


@dataclass
class _Ctx:
    parsed: Parsed
    text: str
    doc: Doc
    index: NameIndex
    pairs: list[QuotePair]
    quoted: list[tuple[int, int]]  # outer quoted regions (mark to mark, end exclusive)
    body: list[Sentence]
    history: list[tuple[int, _Speaker]] = field(default_factory=list)  # (char, named person)
    emitted: list[tuple[int, int]] = field(default_factory=list)  # direct quote regions

    def sent_tokens(self, sent: Sentence) -> SpacySpan:
        return self.doc.char_span(sent.start, sent.end, alignment_mode="expand")

    def in_quote(self, start: int, end: int | None = None) -> bool:
        end = start + 1 if end is None else end
        return any(s < end and start < e for s, e in self.quoted)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])


# --- speakers ------------------------------------------------------------------------------------

def _subject(ctx: _Ctx, cue: Token, content: Span) -> Token | None:
    around = content.start <= cue.idx < content.end  # parenthetical: "The plan, he said, failed."

    def ok(t: Token) -> bool:
        return not ctx.in_quote(t.idx) and (around or not (content.start <= t.idx < content.end))

    if cue.lower_ == "according":
        to = cue.nbor(1)
        objs = [c for c in to.children if c.dep_ == "pobj"] + [c for c in cue.children if c.dep_ == "pobj"]
        return objs[0] if objs and ok(objs[0]) else None
    v = cue
    for _ in range(3):
        subj = [c for c in v.children if c.dep_ in SUBJ_DEPS and ok(c)]
        if subj:
            return subj[0]
        if (v.dep_ in ("conj", "xcomp") or (v.dep_ == "advcl" and v.tag_ == "VBG")) \
                and v.head.pos_ in ("VERB", "AUX"):
            v = v.head  # "He arrived and said ...", "he went on to say", "..., saying ..."
            continue
        break
    if cue.dep_ in ("acl", "relcl") and cue.head.pos_ in ("NOUN", "PROPN", "PRON") and ok(cue.head):
        return cue.head  # misparsed "The chief added ..." or "Smith, who said ..."
    if cue.dep_ == "advcl" and cue.tag_ == "VBG":
        return None  # a participle whose clause has no subject of its own
    sent = cue.sent
    # nearest noun phrase before the cue with no finite verb in between ("..., the chief, added"),
    # a named person first; else the noun phrase right after it ("..., said Smith")
    before = []
    for chunk in sent.noun_chunks:
        if chunk.end <= cue.i and ok(chunk.root):
            between = sent.doc[chunk.end:cue.i]
            if not any(t.tag_ in FINITE_TAGS for t in between) and not ctx.in_quote(
                    between.start_char, max(between.end_char, between.start_char + 1)):
                before.append(chunk)
    named = [c for c in before if c.root.ent_type_ == "PERSON"]
    if named or before:
        return (named or before)[-1].root
    for chunk in sent.noun_chunks:
        if chunk.start == cue.i + 1 and ok(chunk.root) and chunk.root.dep_ not in ("dobj", "dative"):
            return chunk.root
    return None


def _np_span(ctx: _Ctx, head: Token) -> tuple[int, int]:
    """Token range [lo, hi] of the noun phrase headed by ``head``: its subtree without clauses
    (relative clauses, participles) and without quoted text."""
    lo, hi = head.left_edge.i, head.right_edge.i
    for child in head.children:
        cut = child.dep_ in NP_EXCLUDE and child.dep_ not in ("punct", "cc")
        if child.dep_ == "prep" and child.lower_ in NP_KEEP_PREP:
            cut = False
        if cut:
            if child.i > head.i:
                hi = min(hi, child.left_edge.i - 1)
            else:
                lo = max(lo, child.right_edge.i + 1)
    doc = head.doc
    for i in range(head.i, hi + 1):
        if ctx.in_quote(doc[i].idx):
            hi = i - 1
            break
    for i in range(head.i, lo - 1, -1):
        if ctx.in_quote(doc[i].idx):
            lo = i + 1
            break
    while hi > head.i and (doc[hi].is_punct or doc[hi].dep_ in ("cc", "case")) and doc[hi].text not in ")]":
        hi -= 1
    while lo < head.i and doc[lo].is_punct:
        lo += 1
    text = doc[lo:hi + 1].text
    if text.count("(") > text.count(")") and hi + 1 < len(doc) and doc[hi + 1].text == ")":
        hi += 1
    return lo, hi


def _speaker_for(ctx: _Ctx, cue: Token, sent: Sentence, content: Span) -> _Speaker:
    head = _subject(ctx, cue, content)
    if head is None:
        return _Speaker("", None, False, "none")
    lo, hi = _np_span(ctx, head)
    doc = ctx.doc
    span = ctx.span(doc[lo].idx, doc[hi].idx + len(doc[hi]))
    speaker = _resolve(ctx, head, span, content)
    orgs = {e.text for e in doc.ents if e.label_ == "ORG"}
    if cue.lemma_ == "report" or speaker.name in orgs:
        speaker.person = False  # "Bloomberg reports": an outlet, whatever the tagger says
    if speaker.resolved and speaker.person and speaker.method == "name":
        ctx.history.append((span.start, speaker))
    return speaker


def _resolve(ctx: _Ctx, head: Token, span: Span, content: Span) -> _Speaker:
    doc = ctx.doc
    ents = [e for e in doc.ents if e.start_char >= span.start and e.end_char <= span.end]
    persons = [e for e in ents if e.label_ == "PERSON"]
    if persons:
        ent = next((e for e in persons if e.start <= head.i < e.end), persons[0])
        return _Speaker(ctx.index.resolve(ent.text), span, True, "name", True)
    lower = head.lower_
    if head.pos_ == "PRON":
        if lower in PERSON_PRONOUNS:
            return _nearest(ctx, span, content, "pronoun")
        if lower in GROUP_PRONOUNS:
            return _nearest(ctx, span, content, "pronoun", max_chars=400)
        return _Speaker(span.text, span, False, "pronoun")
    for e in ents:
        if e.start <= head.i < e.end and e.label_ in ("ORG", "NORP", "GPE", "LOC", "FAC"):
            return _Speaker(ctx.index.resolve(e.text), span, True, "name", False)
    if head.pos_ == "PROPN":
        names = [t for t in head.subtree if t.pos_ == "PROPN" and (t == head or t.dep_ in ("compound", "flat"))]
        name = " ".join(t.text for t in sorted(names))
        is_person = ctx.index.is_known_person(name)
        return _Speaker(ctx.index.resolve(name), span, True, "name", bool(is_person))
    if head.tag_ in ("NNS", "NNPS"):
        return _Speaker(span.text, span, False, "role")  # "officials", "analysts": a group
    if lower in PERSON_ROLES or lower.endswith(ROLE_SUFFIXES):
        return _nearest(ctx, span, content, "role-nearest")
    return _Speaker(span.text, span, False, "role")


def _nearest(ctx: _Ctx, span: Span, content: Span, method: str, max_chars: int = LOOKBACK_CHARS) -> _Speaker:
    """The most recent named person before ``span``: an earlier speaker, else a PERSON mention
    outside quotes and captions - never one the quote itself talks about."""
    doc = ctx.doc
    cur = ctx.parsed.sentences[ctx.parsed.sentence_at(span.start)]
    mentioned = {ctx.index.resolve(e.text) for e in doc.ents
                 if e.label_ == "PERSON" and cur.start <= e.start_char < cur.end}
    cands: list[tuple[int, int, str]] = []  # (char, priority, name)
    for pos, sp in ctx.history:
        if span.start - max_chars <= pos < span.start:
            cands.append((pos, 1, sp.name))
    kinds = {s.index: s.kind for s in ctx.parsed.sentences}
    for e in doc.ents:
        if e.label_ != "PERSON" or not (span.start - max_chars <= e.start_char < span.start):
            continue
        if ctx.in_quote(e.start_char) or kinds.get(ctx.parsed.sentence_at(e.start_char)) != "body":
            continue
        cands.append((e.start_char, 0, ctx.index.resolve(e.text)))
    orgs = {e.text for e in doc.ents if e.label_ == "ORG"}
    cands = [c for c in cands if c[2] not in mentioned and c[2] not in orgs and c[2] != ""]
    if not cands:
        return _Speaker(span.text, span, False, method)
    cands.sort()
    # a named speaker wins over a bare mention within the same sentence
    last_sent = ctx.parsed.sentence_at(cands[-1][0])
    same = [c for c in cands if ctx.parsed.sentence_at(c[0]) == last_sent]
    best = max(same, key=lambda c: (c[1], c[0]))
    return _Speaker(best[2], span, True, method, True)
