"""Speakers of quotes: the cue's subject noun phrase, resolved to a named person or body.

The speaker is the cue's subject from the dependency parse (or the noun phrase next to it for
inverted and parenthetical cues), resolved to the fullest name the article uses (``method``
"name"); a pronoun is tied to a person named before it by the learned antecedent ranker
(``speaker_salience``: salience, recency, gender; "pronoun"), a bare role ("the interior minister")
to the nearest person the article gives that role ("role-nearest"), and either is left
unresolved, as written, when the text does not support one.  No rule names any story's people
or places.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..model import Sentence, Span
from ..nlp.pipeline import Parsed
from ..options import DEFAULT, Options
from .names import NameIndex
from .quotemarks import QuotePair
from .speaker_model import load_ranker
from .speaker_salience import AntecedentRanker, Salience, antecedent_features
from .speaker_coref import (Profile, compatible, group_antecedent, is_indefinite, person_profiles,
                            role_matches, word_gender)

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
REPORT_LEMMAS = frozenset("say tell add insist argue claim state explain write announce note warn".split())
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
    _profiles: dict[str, Profile] | None = None
    options: Options = DEFAULT
    last_source: str = ""  # the previous quote's speaker as written (a ranker feature)
    last_person: str = ""  # the previous quote's speaker when resolved (a salience feature)
    _salience: Salience | None = None
    _ents: tuple[SpacySpan, ...] | None = None
    _orgs: frozenset[str] | None = None
    _regions: tuple[list[int], list[int]] | None = None  # ``quoted`` merged: starts, ends

    @property
    def ents(self) -> tuple[SpacySpan, ...]:
        """``doc.ents``, built once (spaCy builds the tuple anew at every access)."""
        if self._ents is None:
            self._ents = tuple(self.doc.ents)
        return self._ents

    @property
    def orgs(self) -> frozenset[str]:
        """The texts of the article's ORG entities."""
        if self._orgs is None:
            self._orgs = frozenset(e.text for e in self.ents if e.label_ == "ORG")
        return self._orgs

    @property
    def profiles(self) -> dict[str, Profile]:
        """Gender and attested roles of the article's named people (computed once)."""
        if self._profiles is None:
            self._profiles = person_profiles(self.doc, self.index.resolve)
        return self._profiles

    @property
    def salience(self) -> Salience:
        """The article's person mentions for the salience features (computed once)."""
        if self._salience is None:
            self._salience = Salience(self.doc, self.index.resolve, lambda i: self.in_quote(i), self.paragraph_of,
                                      self.index.surnames.keys() - self.index.ambiguous)
        return self._salience

    def paragraph_of(self, char: int) -> int:
        return self.parsed.sentences[self.parsed.sentence_at(char)].paragraph if self.parsed.sentences else 0

    def sent_tokens(self, sent: Sentence) -> SpacySpan:
        return self.doc.char_span(sent.start, sent.end, alignment_mode="expand")

    def in_quote(self, start: int, end: int | None = None) -> bool:
        """``[start, end)`` (default: the one character at ``start``) overlaps a quoted region;
        a binary search over the regions merged, as it is asked for nearly every token."""
        end = start + 1 if end is None else end
        if end <= start:  # an empty span: the plain test (merging regions would change it)
            return any(s < end and start < e for s, e in self.quoted)
        if self._regions is None:
            starts: list[int] = []
            ends: list[int] = []
            for a, b in sorted(self.quoted):
                if starts and a < ends[-1]:  # overlapping regions merge; touching ones stay apart
                    ends[-1] = max(ends[-1], b)
                else:
                    starts.append(a)
                    ends.append(b)
            self._regions = (starts, ends)
        starts, ends = self._regions
        k = bisect_right(ends, start)  # the first region ending after ``start``
        return k < len(starts) and starts[k] < end

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])


# --- speakers ------------------------------------------------------------------------------------

def _subject(ctx: _Ctx, cue: Token, content: Span) -> tuple[Token | None, bool]:
    """The cue's subject, and whether the rule is exact (the cue's own subject or the object of
    "according to") rather than a fallback guess the learned ranker should decide."""
    around = content.start <= cue.idx < content.end  # parenthetical: "The plan, he said, failed."

    def ok(t: Token) -> bool:
        return not ctx.in_quote(t.idx) and (around or not (content.start <= t.idx < content.end))

    if cue.lower_ == "according":
        to = cue.nbor(1)
        objs = [c for c in to.children if c.dep_ == "pobj"] + [c for c in cue.children if c.dep_ == "pobj"]
        return (objs[0], True) if objs and ok(objs[0]) else (None, False)
    v = cue
    for _ in range(3):
        subj = [c for c in v.children if c.dep_ in SUBJ_DEPS and ok(c)]
        if subj:
            if subj[0].lower_ in ("who", "that", "which") and v.dep_ == "relcl" and ok(v.head):
                return v.head, v == cue  # "a group of lawmakers who say ..."
            return subj[0], v == cue and not around
        if (v.dep_ in ("conj", "xcomp") or (v.dep_ == "advcl" and v.tag_ == "VBG")) \
                and v.head.pos_ in ("VERB", "AUX"):
            v = v.head  # "He arrived and said ...", "he went on to say", "..., saying ..."
            continue
        break
    if cue.dep_ in ("acl", "relcl") and cue.head.pos_ in ("NOUN", "PROPN", "PRON") and ok(cue.head):
        return cue.head, False  # misparsed "The chief added ..." or "Smith, who said ..."
    if cue.dep_ == "advcl" and cue.tag_ == "VBG":
        return None, False  # a participle whose clause has no subject of its own
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
        return (named or before)[-1].root, False
    for chunk in sent.noun_chunks:
        if chunk.start == cue.i + 1 and ok(chunk.root) and chunk.root.dep_ not in ("dobj", "dative"):
            return chunk.root, False
    return None, False


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
    head, exact = _subject(ctx, cue, content)
    if not exact:
        ranker = load_ranker()
        if ranker is not None:
            best = ranker.best(ctx.doc, cue, (content.start, content.end), ctx.last_source,
                               ctx.in_quote, ctx.paragraph_of, ctx.salience)
            if best is None or best[1] < ctx.options.speaker_min_confidence:
                if head is None:
                    return _Speaker("", None, False, "none")
                return _Speaker("", None, False, "unresolved")
            head = best[0]
    if head is None:
        return _Speaker("", None, False, "none")
    lo, hi = _np_span(ctx, head)
    doc = ctx.doc
    span = ctx.span(doc[lo].idx, doc[hi].idx + len(doc[hi]))
    speaker = _resolve(ctx, head, span, content)
    if cue.lemma_ == "report" or speaker.name in ctx.orgs:
        speaker.person = False  # "Bloomberg reports": an outlet, whatever the tagger says
    if speaker.resolved and speaker.person and speaker.method == "name":
        ctx.history.append((span.start, speaker))
    ctx.last_source = span.text
    ctx.last_person = speaker.name if speaker.resolved else ""
    return speaker


def _resolve(ctx: _Ctx, head: Token, span: Span, content: Span) -> _Speaker:
    doc = ctx.doc
    ents = [e for e in ctx.ents if e.start_char >= span.start and e.end_char <= span.end]
    persons = [e for e in ents if e.label_ == "PERSON"]
    if persons:
        ent = next((e for e in persons if e.start <= head.i < e.end), persons[0])
        return _Speaker(ctx.index.resolve(ent.text), span, True, "name", True)
    lower = head.lower_
    if head.pos_ == "PRON":
        if lower in PERSON_PRONOUNS:
            return _nearest(ctx, span, content, "pronoun", word=lower)
        if lower in GROUP_PRONOUNS:
            return _group(ctx, span, content)
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
    if (lower in PERSON_ROLES or lower.endswith(ROLE_SUFFIXES)) and not is_indefinite(head):
        return _role_antecedent(ctx, head, span, content)
    return _Speaker(span.text, span, False, "role")


def _group(ctx: _Ctx, span: Span, content: Span) -> _Speaker:
    """"they": the plural subject it stands for ("Jane Doe and John Roe", "the officials", an
    organisation), never one person; unresolved when there is none."""
    cur = ctx.parsed.sentences[ctx.parsed.sentence_at(span.start)]
    found = group_antecedent(ctx.doc, span.start, cur.start, ctx.in_quote, ctx.index.resolve)
    if found is None:
        return _Speaker(span.text, span, False, "pronoun")
    name, _ = found
    return _Speaker(name, span, True, "pronoun", False)


def _role_antecedent(ctx: _Ctx, head: Token, span: Span, content: Span) -> _Speaker:
    """A definite role noun ("the senator", "the spokeswoman"): the nearest earlier person the
    article gives that role, else the previous speaker (within two paragraphs) if the role's
    gender allows it; else unresolved, as written."""
    role = head.lemma_.lower()
    doc = ctx.doc
    mentioned = _mentioned(ctx, span)
    best = None
    for e in ctx.ents:
        if e.label_ != "PERSON" or e.start_char >= span.start or ctx.in_quote(e.start_char):
            continue
        name = ctx.index.resolve(e.text)
        prof = ctx.profiles.get(name)
        if prof is not None and name not in mentioned and role_matches(role, prof.roles) and compatible(head.lower_, prof):
            best = name
    if best:
        return _Speaker(best, span, True, "role-nearest", True)
    unnamed = _unnamed_antecedent(ctx, head, span)
    if unnamed is not None:
        return _Speaker(unnamed, span, False, "role")
    para = ctx.paragraph_of(span.start)
    for pos, sp in reversed(ctx.history):
        if pos >= span.start:
            continue
        prof = ctx.profiles.get(sp.name)
        if para - ctx.paragraph_of(pos) <= 2 and sp.name not in mentioned \
                and (prof is None or compatible(head.lower_, prof)):
            return _Speaker(sp.name, span, True, "role-nearest", True)
        break
    return _Speaker(span.text, span, False, "role")


def _unnamed_antecedent(ctx: _Ctx, head: Token, span: Span) -> str | None:
    """"A senior official said ... the official added": the same noun introduced without a name
    in the last three sentences - the speaker stays that unnamed person, as first written."""
    doc = ctx.doc
    sent = head.sent
    lo = sent.start
    for _ in range(3):
        if lo == 0:
            break
        lo = doc[lo - 1].sent.start
    for t in reversed(doc[lo:head.i]):
        if t.lemma_.lower() == head.lemma_.lower() and t.pos_ == "NOUN" and not ctx.in_quote(t.idx) \
                and not any(c.ent_type_ == "PERSON" for c in t.children) and t.dep_ != "compound":
            a, b = _np_span(ctx, t)
            return doc[a:b + 1].text
    return None


def _mentioned(ctx: _Ctx, span: Span) -> set[str]:
    """People named in the sentence of ``span``: the quote talks about them, they do not speak it."""
    cur = ctx.parsed.sentences[ctx.parsed.sentence_at(span.start)]
    return {ctx.index.resolve(e.text) for e in ctx.ents
            if e.label_ == "PERSON" and cur.start <= e.start_char < cur.end}


def _nearest(ctx: _Ctx, span: Span, content: Span, method: str, max_chars: int = LOOKBACK_CHARS,
             word: str = "") -> _Speaker:
    """The person a speaker pronoun ``word`` stands for: the subject of the reporting verb whose
    clause holds it, else the learned antecedent ranker's pick (when the shipped model has one),
    else (no weights) the most recent named person before ``span`` whose gender ``word`` allows -
    an earlier speaker, else a PERSON mention outside quotes and captions - never one the quote
    itself talks about."""
    doc = ctx.doc
    reporter = _reporting_subject(ctx, span, word)
    if reporter is not None:
        return _Speaker(reporter, span, True, method, True)
    ranker = load_ranker()
    if ranker is not None and ranker.antecedent is not None:
        return _learned_antecedent(ctx, ranker.antecedent, span, method, word)
    mentioned = _mentioned(ctx, span)
    cands: list[tuple[int, int, int, str]] = []  # (char, priority, salience, name)
    for pos, sp in ctx.history:
        if span.start - max_chars <= pos < span.start:
            cands.append((pos, 1, 1, sp.name))
    kinds = {s.index: s.kind for s in ctx.parsed.sentences}
    for e in ctx.ents:
        if e.label_ != "PERSON" or not (span.start - max_chars <= e.start_char < span.start):
            continue
        if ctx.in_quote(e.start_char) or kinds.get(ctx.parsed.sentence_at(e.start_char)) != "body":
            continue
        subject = int(e.root.dep_ in ("nsubj", "nsubjpass"))
        cands.append((e.start_char, 0, subject, ctx.index.resolve(e.text)))
    cands = [c for c in cands if c[3] not in mentioned and c[3] not in ctx.orgs and c[3] != ""
             and (not word_gender(word) or c[3] not in ctx.profiles or compatible(word, ctx.profiles[c[3]]))]
    if not cands:
        return _Speaker(span.text, span, False, method)
    cands.sort()
    # within the sentence of the latest candidate: a named speaker, then a subject, then the latest
    last_sent = ctx.parsed.sentence_at(cands[-1][0])
    same = [c for c in cands if ctx.parsed.sentence_at(c[0]) == last_sent]
    best = max(same, key=lambda c: (c[1], c[2], c[0]))
    return _Speaker(best[3], span, True, method, True)


def _learned_antecedent(ctx: _Ctx, model: AntecedentRanker, span: Span, method: str, word: str) -> _Speaker:
    """The person the trained antecedent ranker picks among those named before ``span``
    (salience, recency, gender agreement); unresolved below its dev-chosen threshold."""
    cur = ctx.parsed.sentences[ctx.parsed.sentence_at(span.start)]
    names, feats = antecedent_features(ctx.salience, span.start, cur.start, ctx.last_person,
                                       word_gender(word), ctx.profiles)
    keep = [k for k, n in enumerate(names) if n not in ctx.orgs]
    best = model.best([names[k] for k in keep], [feats[k] for k in keep])
    threshold = ctx.options.speaker_pronoun_min_confidence
    if best is None or best[1] < (model.threshold if threshold is None else threshold):
        return _Speaker(span.text, span, False, method)
    return _Speaker(best[0], span, True, method, True)


def _reporting_subject(ctx: _Ctx, span: Span, word: str) -> str | None:
    """"Jane Doe said she ...": a pronoun inside the clause of a speech verb whose subject is a
    named person refers to that person (when gender allows)."""
    tok = ctx.doc.char_span(span.start, span.end, alignment_mode="expand")
    if tok is None or not len(tok):
        return None
    for anc in tok.root.ancestors:
        if anc.dep_ not in ("ccomp", "conj") and anc != tok.root.head:
            continue
        head = anc.head if anc.dep_ == "ccomp" else None
        if head is None or head.lemma_.lower() not in REPORT_LEMMAS:
            continue
        for c in head.children:
            if c.dep_ == "nsubj" and c.ent_type_ == "PERSON" and not ctx.in_quote(c.idx):
                ent = next((e for e in ctx.ents if e.start <= c.i < e.end), None)
                if ent is None:
                    return None
                name = ctx.index.resolve(ent.text)
                prof = ctx.profiles.get(name)
                return name if prof is None or compatible(word, prof) else None
        return None
    return None
