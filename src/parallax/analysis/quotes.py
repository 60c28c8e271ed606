"""Quote extraction: who said what, in which words, with which speech verb.

Comparing outlets means comparing whom they let speak and how they render it, so every
statement attributed to someone becomes a :class:`~parallax.model.Quote`:

* ``direct`` quotes are the text inside quote marks (straight, curly double, and single quotes
  when they pair up like quotes rather than apostrophes).  Marks are paired per paragraph, so an
  unclosed or mismatched mark is dropped instead of producing a span that runs across paragraphs.
  Short quoted phrases (1-4 words) that no speech verb governs are scare quotes - framing, not
  quotation - and are not emitted.
* ``indirect`` quotes are the clause complement of a speech verb ("X said (that) ...",
  "X told Bloomberg that ...") or the clause an "according to X" phrase qualifies.
* ``mixed`` quotes are a reported clause carrying quoted words ('X said the plan was "dead on
  arrival"'): content is the clause, ``parts`` the quoted words; reported once, not also as
  indirect.  A quote running over paragraphs (no closing mark until its last paragraph) gives
  one quote per paragraph, the later ones "continuation"s of the first; so does a short quoted
  sentence right after a quote ('"Here he is," she said. "At last."').
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
from dataclasses import replace

from spacy.tokens import Token
from spacy.tokens import Span as SpacySpan

from ..model import Quote, Sentence, Span
from ..nlp.pipeline import Parsed
from ..options import DEFAULT, Options
from .blockquotes import unmarked_block_quotes
from .names import build_index
from .quotemarks import QuotePair, find_quote_pairs
from .speakers import (GROUP_PRONOUNS, PERSON_PRONOUNS, PERSON_ROLES, ROLE_SUFFIXES,
                       SUBJ_DEPS, _Ctx, _speaker_for)

# Lemmas of verbs that introduce speech or writing.  Opinion verbs (think, believe, hope) are
# left out on purpose: "X believes that ..." reports a stance, not a statement.
CUE_LEMMAS = frozenset("""
say tell add warn claim state explain insist argue note stress mock report write tweet post
announce declare assert allege acknowledge admit confirm deny reply respond answer ask suggest
predict promise reveal recall observe comment remark emphasize emphasise contend maintain
conclude indicate caution urge vow pledge boast complain concede testify quip joke scoff lament
charge counter retort protest proclaim exclaim shout yell whisper mutter demand agree disclose
inform assure reiterate repeat affirm mention describe blast slam echo call brand label dub
show find point imply
accuse criticize criticise praise brag grumble object propose recommend threaten thank explain
continue
""".split())
# Cues that only count with a clause or quote attached ("he continued: ..."), never alone.
WEAK_CUES = frozenset({"continue", "describe", "accuse", "criticize", "criticise", "praise",
                       "thank", "blast", "slam", "ask", "demand", "urge", "agree", "charge",
                       "call", "brand", "label", "dub", "show", "find", "point", "imply"})
# Cues that name rather than state ("called the plan a disaster"): content is object + name.
NAMING_LEMMAS = frozenset({"call", "brand", "label", "dub"})
SCARE_MAX_WORDS = 4
# Words after which title-case words in quote marks name a work, not speech.
WORK_WORDS = frozenset("""
film movie book novel memoir show program programme series song album play poem article column
essay documentary headline slogan titled entitled called dubbed named nicknamed magazine newspaper
""".split())
# Verbs whose "to say" complement is a refusal, and cue verbs that ask rather than state.
REFUSAL_LEMMAS = frozenset({"decline", "refuse", "fail"})
QUESTION_LEMMAS = frozenset({"ask", "wonder", "question", "inquire", "enquire"})

__all__ = ["extract_quotes", "find_quote_pairs", "QuotePair"]


def extract_quotes(parsed: Parsed, options: Options = DEFAULT) -> list[Quote]:
    """Direct, indirect and block quotes of ``parsed``, in text order, captions skipped."""
    text = parsed.article.text
    doc = parsed.doc
    pairs = find_quote_pairs(text)
    outer = [p for p in pairs if p.depth == 0]
    ctx = _Ctx(parsed, text, doc, build_index(doc), pairs, [(p.start, p.end + 1) for p in outer],
               [s for s in parsed.sentences if s.kind == "body"], options=options)
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
            last = found[-1][0] if found else None
            if q.kind == "mixed" and last is not None and last.kind == "mixed" and last.content == q.content:
                found[-1] = (replace(last, parts=last.parts + q.parts), found[-1][1])  # "a" and "b"
            else:
                found.append((q, cue_tok.i if cue_tok is not None else None))
            ctx.emitted.append((min(pair.start, q.content.start), max(pair.end + 1, q.content.end)))
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
    if _not_speech(ctx, pair, content, quote_toks):
        return None, None
    cue = _best_cue(ctx, sents, quote_toks, pair)
    # a short question or exclamation with its speaker after it ("“Is it over?” the mayor said.")
    exclaim = content.text.rstrip("’'\"”")[-1:] in "?!" and content.text[:1].isupper()
    if cue is None and (words > SCARE_MAX_WORDS or exclaim):
        cue = _cue_nearby(ctx, sent, sents[-1] if sents else sent)
    # a short quoted sentence ("The Donald. Big Daddy.") right after a quote goes on with it
    whole = content.text[:1].isupper() and content.text.rstrip("’'\"”")[-1:] in ".!?…"
    if cue is None:
        dashed = _dash_speaker(ctx, pair, content, sent)
        if dashed is not None:
            return dashed, None
        if prev is not None and (words > SCARE_MAX_WORDS or (whole and words > 1)) \
                and prev[2] in (sent.paragraph, sent.paragraph - 1) and prev[0].content.end <= pair.start:
            pq = prev[0]
            return Quote(content, pq.speaker, pq.speaker_span, pq.cue, "direct", sent.index,
                         pq.resolved, "continuation", [content]), None
        return None, None
    if words <= SCARE_MAX_WORDS and not (exclaim and _cue_follows(ctx, pair, cue)):
        # a short phrase is a quote only when a speech verb of its own sentence governs it
        if words == 1 and not whole or not _governs(cue, quote_toks):
            return None, None
    clause = _mixed_clause(ctx, cue, quote_toks, pair)
    speaker = _speaker_for(ctx, cue, sent, clause or content)
    return Quote(clause or content, speaker.name, speaker.span, _cue_span(ctx, cue),
                 "mixed" if clause else "direct", sent.index, speaker.resolved, speaker.method,
                 [content]), cue


def _cue_follows(ctx: _Ctx, pair: QuotePair, cue: Token) -> bool:
    """Whether the cue comes right after the closing mark ('” the mayor said', '” said Jane Doe')."""
    gap = ctx.text[pair.end + 1:cue.idx]
    return cue.idx > pair.end and len(gap.split()) <= 5 and not re.search(r"[.;:!?]", gap)


_SMALL_WORDS = frozenset("a an the of and in on for to with at by from or nor but as vs".split())


def _not_speech(ctx: _Ctx, pair: QuotePair, content: Span, quote_toks: SpacySpan) -> bool:
    """Quote marks around a name rather than words spoken: a nickname between a first and a last
    name ('William "Bud" Carter'), or a title of a work - words in title case standing where a
    noun phrase stands ("on “Face the Nation”", 'the film "The Third Man"')."""
    text = ctx.text
    before = text[max(0, pair.start - 40):pair.start].rstrip()
    after = text[pair.end + 1:pair.end + 40].lstrip()
    words = re.findall(r"[\w'’-]+", content.text)
    if not words:
        return False
    title_case = all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _SMALL_WORDS for w in words) \
        and words[0][:1].isupper() and content.text.rstrip("’'\"”")[-1:] not in "?!"
    if not title_case or len(words) > 12:
        return False
    prev_word = before.split()[-1] if before.split() else ""
    if len(words) <= 2 and prev_word[:1].isupper() and after[:1].isupper() and not re.search(r"[.,;:!?]$", prev_word):
        return True  # nickname
    root = quote_toks.root
    if prev_word.lower().strip(",") in WORK_WORDS or prev_word.endswith(("’s", "'s")):
        return True
    return root.dep_ in ("pobj", "appos", "attr", "dobj", "compound", "npadvmod", "nsubj", "conj")


def _mixed_clause(ctx: _Ctx, cue: Token, quote_toks: SpacySpan, pair: QuotePair) -> Span | None:
    """The reported clause around a quote when it carries words of the reporter's own
    ("X said the plan was "dead on arrival""): the cue's clausal complement holding the quote."""
    root = quote_toks.root
    if cue.lemma_.lower() in NAMING_LEMMAS:
        named = _naming_content(ctx, cue)
        if named is not None and named.start <= pair.start and pair.end < named.end + 2:
            return named if named.start < pair.start else None
        return None
    for c in cue.children:
        if c.dep_ != "ccomp" or not (c == root or c in root.ancestors):
            continue
        clause = _clause_span(ctx, c)
        if clause is None:
            return None
        start, end = min(clause.start, pair.start), max(clause.end, pair.end + 1)
        before = [w for w in ctx.text[start:pair.start].split() if re.search(r"\w", w)]
        after = [w for w in ctx.text[pair.end + 1:end].split() if re.search(r"\w", w)]
        # words of the reporter's own before the quote ("he has "big plans""), or a long tail
        # (a short one, "... at the meeting", is more often a misattached adverbial)
        if not (before and len(before) + len(after) >= 2 or len(after) >= 4):
            return None
        if ctx.in_quote(start) and start < pair.start:
            return None
        for s_, e_ in ctx.quoted:  # a later quoted part the clause cuts short ('"more learning."')
            if start <= s_ < end < e_ and "\n" not in ctx.text[end:e_]:
                end = e_
        return ctx.span(start, end)
    return None


_DASH = re.compile(r"[ \t]*[―—–][ \t]*([A-Z][\w.'’-]*(?:[ \t]+[\w.'’-]+){0,4})[ \t]*$")


def _dash_speaker(ctx: _Ctx, pair: QuotePair, content: Span, sent: Sentence) -> Quote | None:
    """'"..." ― Jane Doe' at the end of a paragraph: a pull quote or a reader's answer signed
    with a dash and a name."""
    end = ctx.text.find("\n", pair.end + 1)
    m = _DASH.match(ctx.text, pair.end + 1, len(ctx.text) if end < 0 else end)
    if m is None or not all(w[:1].isupper() or w in ("de", "del", "van", "von", "al", "bin", "da")
                            for w in m.group(1).split()):
        return None
    name = ctx.span(m.start(1), m.end(1))
    dash = ctx.text.index(m.group(0).strip()[0], pair.end + 1)
    return Quote(content, ctx.index.resolve(name.text), name, ctx.span(dash, dash + 1), "direct",
                 sent.index, True, "name", [content])


def _is_cue(tok: Token) -> bool:
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
        return True
    lemma = tok.lemma_.lower()
    if lemma in NAMING_LEMMAS and not any(c.dep_ in ("dobj", "nsubj") for c in tok.children):
        return False  # "the so-called plan": no one names it here
    return lemma in CUE_LEMMAS and tok.pos_ in ("VERB", "AUX") and not non_statement(tok)


def non_statement(cue: Token) -> str:
    """Why a speech verb reports no statement, or "": negated ("haven't said whether", "did not
    respond"), refused ("declined to say"), a question ("asked if"), hypothetical ("if she says")."""
    kids = list(cue.children)
    if any(c.dep_ == "neg" for c in kids):
        return "negated"
    if cue.dep_ == "xcomp" and cue.head.lemma_.lower() in REFUSAL_LEMMAS:
        return "refusal"
    if any(c.dep_ == "neg" for c in cue.head.children) and cue.dep_ == "xcomp":
        return "negated"  # "would not want to say"
    if cue.lemma_.lower() in QUESTION_LEMMAS:
        comps = [c for c in kids if c.dep_ in ("ccomp", "advcl", "xcomp")]
        if any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for c in comps for m in c.children) \
                or any(c.tag_ in ("WDT", "WP", "WRB") for comp in comps for c in comp.children):
            return "question"
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in kids):
        return "hypothetical"
    return ""


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
        elif tok.lemma_.lower() in NAMING_LEMMAS:
            content = _naming_content(ctx, tok)  # "X called the plan a disaster"
            if content is None:
                continue
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


def _naming_content(ctx: _Ctx, cue: Token) -> Span | None:
    """"X called Y Z" / "X branded Y a Z": the object and what it is called, as PolNeAR marks it."""
    obj = [c for c in cue.children if c.dep_ == "dobj"]
    pred = [c for c in cue.children if c.dep_ in ("oprd", "xcomp") and c.i > cue.i]
    if not obj or not pred or pred[0].i < obj[0].i:
        return None
    first, last = obj[0].left_edge, pred[0].right_edge
    return _trim(ctx, first.idx, last.idx + len(last))


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

