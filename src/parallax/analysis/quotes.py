"""Quote extraction: who said what, in which words, with which speech verb.

Comparing outlets means comparing whom they let speak and how they render it, so every
statement attributed to someone becomes a :class:`~parallax.model.Quote`:

* ``direct`` quotes are the text inside quote marks (straight, curly double, and single quotes
  when they pair up like quotes rather than apostrophes).  Marks are paired per paragraph, so an
  unclosed or mismatched mark is dropped instead of producing a span that runs across paragraphs.
  Short quoted phrases (1-4 words) that no speech verb governs are scare quotes - framing, not
  quotation - and are not emitted.
* ``indirect`` quotes are the clause complement of a speech verb ("X said (that) ...",
  "X told Bloomberg that ...") or the clause an "according to X" phrase qualifies.  A clause that
  carries a quoted part is reported once, as the ``direct`` quote of that part.
* ``block`` quotes are a paragraph introduced by "X explains:" and carrying no quote marks.

The speech verb (the cue) is looked for in the quote's own sentence(s), then in an introducing
sentence ending with ":" or a short "X said." right after.  The speaker is the cue's subject noun
phrase from the dependency parse, resolved to the fullest name the article uses (``method``
"name"); a pronoun or a bare role ("the interior minister") is tied to the most recent named
person of the preceding text ("pronoun" / "role-nearest"), and left unresolved, as written,
when there is none.  No rule names any story's people or places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import Quote, Sentence, Span
from ..nlp.pipeline import Parsed
from ..options import DEFAULT, Options
from .blockquotes import unmarked_block_quotes
from .names import NameIndex, build_index

# Lemmas of verbs that introduce speech or writing.  Opinion verbs (think, believe, hope) are
# left out on purpose: "X believes that ..." reports a stance, not a statement.
CUE_LEMMAS = frozenset("""
say tell add warn claim state explain insist argue note stress mock report write tweet post
announce declare assert allege acknowledge admit confirm deny reply respond answer ask suggest
predict promise reveal recall observe comment remark emphasize emphasise contend maintain
conclude indicate caution urge vow pledge boast complain concede testify quip joke scoff lament
charge counter retort protest proclaim exclaim shout yell whisper mutter demand agree disclose
inform assure reiterate repeat affirm mention describe blast slam
accuse criticize criticise praise brag grumble object propose recommend threaten thank explain
continue
""".split())
# Cues that only count with a clause or quote attached ("he continued: ..."), never alone.
WEAK_CUES = frozenset({"continue", "describe", "accuse", "criticize", "criticise", "praise",
                       "thank", "blast", "slam", "ask", "demand", "urge", "agree", "charge"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "them"})
SUBJ_DEPS = ("nsubj",)
# Children left out when a subject is expanded to its noun phrase.
NP_EXCLUDE = frozenset({"relcl", "acl", "advcl", "parataxis", "punct", "cc", "prep"})
NP_KEEP_PREP = frozenset({"of", "for", "at", "from", "in"})  # "the head of X", "a spokesman for X"
SCARE_MAX_WORDS = 4
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

_OPENERS_CTX = set(" \t([{—–-/\u00a0") | {""}


@dataclass(frozen=True)
class QuotePair:
    """A matched pair of quote marks: ``start`` is the first character of the opening mark,
    ``end`` the last character of the closing mark (inclusive); marks are 1 or 2 ('') wide."""

    start: int
    end: int
    depth: int
    single: bool
    open_width: int = 1
    close_width: int = 1


def find_quote_pairs(text: str) -> list[QuotePair]:
    """All matched quote-mark pairs of ``text``, paired paragraph by paragraph.

    Unclosed openers are dropped at the end of their paragraph; a closer with no opener is
    ignored; apostrophes (letter on both sides, or a trailing ’ with no single quote open) are
    not quote marks.  ``depth`` 0 marks the outermost pairs.
    """
    pairs: list[QuotePair] = []
    pos = 0
    for line in text.split("\n"):
        pairs.extend(_pairs_in_line(text, pos, pos + len(line)))
        pos += len(line) + 1
    return sorted(pairs, key=lambda p: p.start)


def _pairs_in_line(text: str, start: int, end: int) -> list[QuotePair]:
    out: list[QuotePair] = []
    stack: list[tuple[str, int, int]] = []  # ("d" | "s", position, width)
    skip_next = False
    for i in range(start, end):
        c = text[i]
        if skip_next:
            skip_next = False
            continue
        if c not in "\"“”„‘’'`":
            continue
        w = 1
        if c in "'`" and i + 1 < end and text[i + 1] == c:
            c, w, skip_next = ('"', 2, True)  # '' and `` used as double quotes
        elif c == "`":
            continue
        prev = text[i - 1] if i > start else ""
        nxt = text[i + w] if i + w < end else ""
        open_ctx = prev in _OPENERS_CTX or prev in "\"“‘'"
        close_ctx = nxt == "" or not nxt.isalnum()
        kind = "s" if c in "‘’'" else "d"
        if c in "“„":
            action = "open"
        elif c == "”":
            action = "close"
        elif c == '"':
            if open_ctx and nxt and not nxt.isspace():
                action = "open"
            elif _has(stack, "d"):
                action = "close"
            else:
                action = "open" if nxt and not nxt.isspace() else "skip"
        else:  # single marks: only when they pair up like quotes
            if prev.isalnum() and nxt.isalnum():
                action = "skip"  # apostrophe: aren’t, O'Neil
            elif c != "’" and open_ctx and nxt.isalnum():
                action = "open"
            elif c != "‘" and prev and not prev.isspace() and close_ctx and stack and stack[-1][0] == "s":
                action = "close"
            else:
                action = "skip"
        if action == "open":
            stack.append((kind, i, w))
        elif action == "close" and _has(stack, kind):
            while stack:
                k, p, pw = stack.pop()
                if k == kind:
                    out.append(QuotePair(p, i + w - 1, len(stack), kind == "s", pw, w))
                    break
    return out


def _has(stack: list[tuple[str, int, int]], kind: str) -> bool:
    return any(k == kind for k, _, _ in stack)


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


def extract_quotes(parsed: Parsed, options: Options = DEFAULT) -> list[Quote]:
    """Direct, indirect and block quotes of ``parsed``, in text order, captions skipped."""
    text = parsed.article.text
    doc = parsed.doc
    pairs = find_quote_pairs(text)
    outer = [p for p in pairs if p.depth == 0]
    ctx = _Ctx(parsed, text, doc, build_index(doc), pairs, [(p.start, p.end + 1) for p in outer],
               [s for s in parsed.sentences if s.kind == "body"])
    found: list[tuple[Quote, int | None]] = []  # (quote, cue token index)

    # speakers must be resolved in reading order, so direct and indirect candidates are
    # collected per sentence and resolved in sequence
    by_sentence: dict[int, list[QuotePair]] = {}
    for p in outer:
        s = parsed.sentence_at(p.start)
        by_sentence.setdefault(s, []).append(p)
    prev_direct: tuple[Quote, Token | None, int] | None = None  # continuation of a speaker
    for sent in ctx.body:
        used_cues: set[int] = set()
        for pair in by_sentence.get(sent.index, []):
            q, cue_tok = _direct(ctx, sent, pair, prev_direct)
            if q is None:
                continue
            found.append((q, cue_tok.i if cue_tok is not None else None))
            ctx.emitted.append((pair.start, pair.end + 1))
            if cue_tok is not None:
                used_cues.add(cue_tok.i)
            prev_direct = (q, cue_tok, sent.paragraph)
        for q, cue_i in _indirect(ctx, sent, used_cues):
            found.append((q, cue_i))
        block = _block(ctx, sent)
        if block is not None:
            found.append((block, None))
    quotes = [q for q, _ in found]
    quotes += unmarked_block_quotes(parsed, quotes)
    quotes.sort(key=lambda q: q.content.start)
    return quotes


# --- direct quotes -------------------------------------------------------------------------------

def _content_span(ctx: _Ctx, pair: QuotePair) -> Span | None:
    start, end = pair.start + pair.open_width, pair.end + 1 - pair.close_width
    while start < end and ctx.text[start].isspace():
        start += 1
    while end > start and (ctx.text[end - 1].isspace() or ctx.text[end - 1] in ",;"):
        end -= 1
    if not re.search(r"\w", ctx.text[start:end]):
        return None
    return ctx.span(start, end)


def _direct(ctx: _Ctx, sent: Sentence, pair: QuotePair, prev) -> tuple[Quote | None, Token | None]:
    content = _content_span(ctx, pair)
    if content is None:
        return None, None
    words = len(content.text.split())
    quote_toks = ctx.doc.char_span(content.start, content.end, alignment_mode="expand")
    # sentences the quote touches (within its paragraph)
    sents = [s for s in ctx.body if s.paragraph == sent.paragraph and s.end > pair.start and s.start <= pair.end]
    cue = _best_cue(ctx, sents, quote_toks, pair)
    if cue is None and words > SCARE_MAX_WORDS:
        cue = _cue_nearby(ctx, sent, sents[-1] if sents else sent)
    if words <= SCARE_MAX_WORDS:
        # a short phrase is a quote only when a speech verb of its own sentence governs it
        if words == 1 or cue is None or not _governs(cue, quote_toks):
            return None, None
    if cue is None:
        if prev is not None and words > SCARE_MAX_WORDS and prev[2] in (sent.paragraph, sent.paragraph - 1) \
                and prev[0].content.end < pair.start:
            pq = prev[0]
            return Quote(content, pq.speaker, pq.speaker_span, pq.cue, "direct", sent.index,
                         pq.resolved, "continuation"), None
        return None, None
    speaker = _speaker_for(ctx, cue, sent, content)
    return Quote(content, speaker.name, speaker.span, _cue_span(ctx, cue), "direct", sent.index,
                 speaker.resolved, speaker.method), cue


def _is_cue(tok: Token) -> bool:
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
        return True
    return tok.lemma_.lower() in CUE_LEMMAS and tok.pos_ in ("VERB", "AUX")


def _best_cue(ctx: _Ctx, sents: list[Sentence], quote_toks: SpacySpan, pair: QuotePair) -> Token | None:
    best, best_key = None, None
    root = quote_toks.root
    for s in sents:
        for tok in ctx.sent_tokens(s):
            if ctx.in_quote(tok.idx) or not _is_cue(tok):
                continue
            governs = tok in root.ancestors or tok.head == root or tok == root
            if tok.lemma_.lower() in WEAK_CUES and not governs:
                continue
            dist = pair.start - (tok.idx + len(tok)) if tok.idx < pair.start else tok.idx - pair.end
            key = (0 if governs else 1, 0 if _animate_subject(tok) else 1, dist)
            if best_key is None or key < best_key:
                best, best_key = tok, key
    return best


def _animate_subject(cue: Token) -> bool:
    """Whether the cue's subject looks like someone who can speak (a name, a person pronoun,
    a role) rather than a thing ("the museum would tell of ...", "it underscores")."""
    if cue.lower_ == "according":
        return True
    for c in cue.children:
        if c.dep_ in SUBJ_DEPS:
            low = c.lower_
            return (c.pos_ == "PROPN" or c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                    or low in PERSON_PRONOUNS or low in GROUP_PRONOUNS or low in ("i", "we", "you")
                    or low in PERSON_ROLES or low.endswith(ROLE_SUFFIXES) or c.tag_ == "NNS")
    return True


def _governs(cue: Token, quote_toks: SpacySpan) -> bool:
    root = quote_toks.root
    return cue in root.ancestors or (cue.head == root and cue.dep_ != "conj")


def _cue_nearby(ctx: _Ctx, first: Sentence, last: Sentence) -> Token | None:
    """A cue in an introducing sentence ending with ':' or a short 'X said.' right after."""
    i = ctx.body.index(first)
    if i > 0:
        prev = ctx.body[i - 1]
        if prev.text.rstrip().endswith(":") and first.paragraph - prev.paragraph <= 1:
            cues = [t for t in ctx.sent_tokens(prev) if _is_cue(t) and not ctx.in_quote(t.idx)]
            if cues:
                return cues[-1]
    j = ctx.body.index(last)
    if j + 1 < len(ctx.body):
        nxt = ctx.body[j + 1]
        toks = ctx.sent_tokens(nxt)
        if nxt.paragraph == last.paragraph and len(toks) <= 8 and not ctx.in_quote(nxt.start, nxt.end):
            cues = [t for t in toks if _is_cue(t)]
            if cues and any(c.dep_ in SUBJ_DEPS for c in cues[0].children):
                return cues[0]
    return None


def _cue_span(ctx: _Ctx, cue: Token) -> Span:
    end = cue.idx + len(cue)
    if cue.lower_ == "according":
        end = cue.nbor(1).idx + len(cue.nbor(1))
    else:
        for child in cue.children:
            if child.dep_ == "prt" and child.i == cue.i + 1:
                end = child.idx + len(child)
    return ctx.span(cue.idx, end)


# --- indirect quotes -----------------------------------------------------------------------------

def _indirect(ctx: _Ctx, sent: Sentence, used: set[int]) -> list[tuple[Quote, int]]:
    out = []
    toks = ctx.sent_tokens(sent)
    for tok in toks:
        if tok.i in used or ctx.in_quote(tok.idx) or not _is_cue(tok):
            continue
        if tok.lower_ == "according":
            content = _according_content(ctx, tok, toks)
        else:
            comps = [c for c in tok.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
            if comps:
                content = _clause_span(ctx, comps[0])
            elif tok.dep_ == "parataxis" and any(c.dep_ in SUBJ_DEPS for c in tok.children):
                content = _parenthetical_content(ctx, tok, toks)  # "The plan, he said, failed."
            else:
                continue
        if content is None or len(content.text.split()) < 3:
            continue
        if any(s < content.end and content.start < e for s, e in ctx.emitted):
            continue  # mixed quote: already reported as the direct quote of its quoted part
        speaker = _speaker_for(ctx, tok, sent, content)
        if speaker.span is None:
            continue
        out.append((Quote(content, speaker.name, speaker.span, _cue_span(ctx, tok), "indirect",
                          sent.index, speaker.resolved, speaker.method), tok.i))
    return out


def _trim(ctx: _Ctx, start: int, end: int) -> Span | None:
    text = ctx.text
    while start < end and (text[start].isspace() or text[start] in ",;:-–—"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:-–—"):
        end -= 1
    if end - start > 1 and text[end - 1] == "." and text[end - 2] != ".":
        end -= 1  # the sentence's full stop is not part of a reported clause
    if end <= start:
        return None
    return ctx.span(start, end)


def _clause_span(ctx: _Ctx, head: Token) -> Span | None:
    toks = [t for t in head.subtree if not (t.dep_ == "mark" and t.head == head and t.i == head.left_edge.i)]
    if not toks:
        return None
    first, last = min(toks, key=lambda t: t.i), max(toks, key=lambda t: t.i)
    return _trim(ctx, first.idx, last.idx + len(last))


def _parenthetical_content(ctx: _Ctx, tok: Token, toks: SpacySpan) -> Span | None:
    sub = list(tok.subtree)
    a, b = sub[0].idx, sub[-1].idx + len(sub[-1])
    left = _trim(ctx, toks.start_char, a)
    right = _trim(ctx, b, toks.end_char)
    if left is None or right is None or (right.text.strip(".!?") == ""):
        return left or right
    if left.text.split()[0].lower() in ("but", "and", "so", "yet", "still") and len(left.text.split()) <= 2:
        return right
    return _trim(ctx, left.start, right.end)


def _according_content(ctx: _Ctx, tok: Token, toks: SpacySpan) -> Span | None:
    sub = list(tok.subtree)
    a, b = sub[0].idx, sub[-1].idx + len(sub[-1])
    left = _trim(ctx, toks.start_char, a)
    right = _trim(ctx, b, toks.end_char)
    cands = [s for s in (left, right) if s is not None]
    return max(cands, key=lambda s: len(s.text)) if cands else None


# --- block quotes --------------------------------------------------------------------------------

def _block(ctx: _Ctx, sent: Sentence) -> Quote | None:
    if not sent.text.rstrip().endswith(":"):
        return None
    i = ctx.body.index(sent)
    if i + 1 >= len(ctx.body) or sent != [s for s in ctx.body if s.paragraph == sent.paragraph][-1]:
        return None
    nxt = ctx.body[i + 1]
    if nxt.paragraph != sent.paragraph + 1:
        return None
    para = [s for s in ctx.body if s.paragraph == nxt.paragraph]
    start, end = para[0].start, para[-1].end
    if re.search("[\"“”]", ctx.text[start:end]):
        return None  # quoted: handled as direct quotes
    cues = [t for t in ctx.sent_tokens(sent) if _is_cue(t) and not ctx.in_quote(t.idx)]
    cues = [c for c in cues if not any(ch.dep_ in ("ccomp", "dobj") for ch in c.children)]
    if not cues:
        return None
    cue = cues[-1]
    speaker = _speaker_for(ctx, cue, sent, ctx.span(start, end))
    if speaker.span is None:
        return None
    return Quote(ctx.span(start, end), speaker.name, speaker.span, _cue_span(ctx, cue), "block",
                 nxt.index, speaker.resolved, speaker.method)


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
