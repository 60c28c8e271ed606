"""Relations between actors: who backs, fights, meets, calls on, accuses or commands whom.

Transparent rules over the dependency parse, no story names:

* a relation verb from a small lexicon ("backed", "met with", "called on", "accused") links the
  actor heading its subject (or passive agent) to the actor heading its object (direct object,
  passive subject, or the object of "with"/"on"/"against"/"to"); a participle or infinitive with
  no subject of its own ("joined others in calling on X", "adopted a resolution condemning X")
  takes the subject of the clause it hangs on; a relative clause takes its antecedent ("Arpaio,
  who had been courted by Bachmann"; "the administration, which he criticised");
* relation nouns do the same with their possessor or "from" phrase and their "of"/"on"/"to"
  phrase ("Russia's backing of Haftar", "his support of Clinton", "an endorsement from Arpaio",
  "talks between A and B", "A and B entered into talks");
* adjectives and participles of alignment ("close to", "loyal to", "UN-recognised X");
* command: "the commander of the LNA, Haftar", "LNA commander Haftar", "X under Prime Minister Y",
  "his Libyan National Army" (a person's armed group).

Pronouns ("he", "him", "his") resolve to the nearest person named before them; a role
description with no name ("Libya's security chief") resolves to the article's most quoted
official who is not tied to another country.  Negation ("did not back") and hedges ("is said to",
"reportedly", "seemed to", "plans to") are recorded on the relation, never dropped.  Text inside
quote marks is skipped unless the quote is a media outlet's report the article relays
("... called on the U.S.," Bloomberg reports).  Actor names come from the article's mentions, so
relations use the same canonical names as the actor list.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Token

from ..model import Relation
from ..nlp import Parsed
from ..options import DEFAULT, Options

PREDICATES = ("supports", "opposes", "meets", "calls_on", "accuses", "cooperates", "commands")
POLARITY = {"supports": 1, "opposes": -1, "meets": 0, "calls_on": 0, "accuses": -1, "cooperates": 1, "commands": 0}
SYMMETRIC = {"meets", "cooperates"}

# lemma -> predicate
VERBS = {
    **{v: "supports" for v in ("back", "support", "endorse", "arm", "fund", "finance", "aid", "help",
                               "recognise", "recognize", "defend", "protect", "champion", "bankroll",
                               "assist", "praise", "congratulate", "hail", "applaud", "commend", "thank")},
    **{v: "opposes" for v in ("fight", "oppose", "bomb", "besiege", "counter", "combat", "sanction", "invade",
                              "strike", "target", "resist", "threaten", "battle", "shell", "deter", "assail",
                              "sue", "block", "defeat", "topple", "oust", "stop")},
    **{v: "meets" for v in ("meet", "host", "visit", "negotiate", "receive", "phone")},
    **{v: "calls_on" for v in ("ask", "urge", "invite", "press", "request", "appeal", "court", "lure", "implore",
                               "beg", "petition")},
    **{v: "accuses" for v in ("accuse", "blame", "criticise", "criticize", "condemn", "slam", "denounce",
                              "attack", "rebuke", "chastise", "castigate", "fault", "decry", "lambaste")},
    **{v: "cooperates" for v in ("cooperate", "partner", "ally", "collaborate")},
    **{v: "commands" for v in ("command", "lead", "head")},
}
# verbs that need a particle or preposition to mean a relation: (lemma, word) -> predicate
PHRASAL = {("call", "on"): "calls_on", ("call", "for"): "calls_on", ("stick", "by"): "supports",
           ("stand", "by"): "supports", ("side", "with"): "supports", ("talk", "with"): "meets",
           ("talk", "to"): "meets", ("speak", "to"): "meets", ("speak", "with"): "meets",
           ("work", "with"): "cooperates", ("team", "with"): "cooperates", ("stand", "with"): "supports",
           ("turn", "against"): "opposes", ("rally", "behind"): "supports", ("fire", "at"): "opposes"}
# verbs whose clause complement names whom they ask ("suggested that Sanders drop out")
ASKING = {"suggest", "urge", "ask", "demand", "insist", "press"}
NOUNS = {
    **{n: "supports" for n in ("support", "backing", "endorsement", "recognition", "praise", "aid", "patronage", "preference")},
    **{n: "opposes" for n in ("opposition", "offensive", "attack", "siege", "assault", "invasion", "war",
                              "campaign", "lawsuit", "sanctions")},
    **{n: "meets" for n in ("meeting", "talks", "negotiations", "summit", "visit", "call")},
    **{n: "accuses" for n in ("criticism", "condemnation", "accusation", "attack")},
    **{n: "cooperates" for n in ("cooperation", "alliance", "partnership")},
}
NOUNS["attack"] = "opposes"  # as a noun, "attack on X" is hostile action rather than criticism
ADJECTIVES = {("close", "to"): "cooperates", ("allied", "to"): "cooperates", ("allied", "with"): "cooperates",
              ("loyal", "to"): "supports", ("hostile", "to"): "opposes", ("opposed", "to"): "opposes",
              ("aligned", "with"): "cooperates", ("friendly", "to"): "supports"}
COMMANDERS = {"commander", "leader", "chief", "head", "commander-in-chief"}
ARMED = re.compile(r"\b(army|forces|militia|militias|brigade|brigades|guard|troops|fighters|battalion)\b", re.I)
ROLE_NOUNS = {"chief", "minister", "official", "leader", "commander", "president", "secretary", "spokesman",
              "spokeswoman", "governor", "senator", "envoy", "ambassador", "general", "premier", "head"}
# hedging cues: adverbs in the sentence, raising verbs above the predicate, modal auxiliaries
HEDGE_ADVERBS = {"reportedly", "allegedly", "apparently", "seemingly", "purportedly", "supposedly"}
HEDGE_VERBS = {"seem", "appear", "plan", "intend", "hope", "want", "vow", "pledge", "promise"}
HEDGE_MODALS = {"may", "might", "could", "would", "will"}
_OBJ_PREPS = {"with", "on", "against", "to"}
_NOUN_OBJ_PREPS = {"of", "on", "to", "against", "for", "with", "between"}
_REL_PRON = {"who", "whom", "which", "that"}
_PERSONAL = {"he": "s", "him": "o", "his": "p", "she": "s", "her": "o", "hers": "p"}
_MEDIA_KINDS = {"outlet", "agency"}


class _Ctx:
    """Per-article lookups: actor at a token, pronoun and role-description resolution."""

    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        art = parsed.article
        self.by_char: dict[int, str] = {}
        self.persons: list[tuple[int, str]] = []
        self.label: dict[str, str] = {}
        for m in art.mentions:
            self.label.setdefault(m.actor, m.label)
            for tok in parsed.doc.char_span(m.start, m.end, alignment_mode="expand") or []:
                self.by_char[tok.idx] = m.actor
            if m.label == "PERSON":
                self.persons.append((m.start, m.actor))
        self.persons.sort()
        self.subject_persons: list[tuple[int, str]] = []
        words: dict[str, set[str]] = {}
        for start, name in self.persons:
            tok = parsed.doc.char_span(start, start + 1, alignment_mode="expand")
            if tok is not None and any(t.dep_ in ("nsubj", "nsubjpass") or t.head.dep_ in ("nsubj", "nsubjpass")
                                       for t in parsed.doc[tok.start:tok.start + 4] if t.idx >= start):
                self.subject_persons.append((start, name))
            for w in name.split():
                if w[:1].isupper() and len(w) > 2:
                    words.setdefault(w, set()).add(name)
        # a bare first name or surname the tagger missed ("support of Hillary"), when unambiguous
        self.word_person = {w: next(iter(n)) for w, n in words.items() if len(n) == 1}
        self._official: str | None | bool = False

    def actor(self, token: Token, deep: bool = True, avoid: frozenset[str] = frozenset()) -> str | None:
        """The actor a noun phrase head refers to: itself, a compound/appositive/possessor, the
        object of "of" ("the capital of Tripoli"), a pronoun's antecedent, a role description."""
        name = self.by_char.get(token.idx)
        if name:
            return name
        if token.pos_ == "PROPN" and token.text in self.word_person:
            return self.word_person[token.text]
        low = token.lower_
        if low in _PERSONAL:
            return self.pronoun(token, avoid)
        if low in _REL_PRON and token.head.dep_ == "relcl":
            return self.actor(token.head.head) if deep else None
        plural = token.tag_ in ("NNS", "NNPS") and token.lemma_ not in ("force", "troop", "fighter", "militia", "leader", "official")
        for c in token.children:
            if c.dep_ == "appos" and self.by_char.get(c.idx):
                return self.by_char[c.idx]
            if c.dep_ == "compound" and not plural:
                n = self.by_char.get(c.idx) or (self.word_person.get(c.text) if c.pos_ == "PROPN" else None)
                if n:
                    return n
        for c in token.children:  # "Pro-Haftar forces"
            if c.dep_ in ("amod", "compound", "nmod") and c.lower_ == "pro":
                nxt = token.doc[c.i + 2] if c.i + 2 < len(token.doc) else None
                if nxt is not None and token.doc[c.i + 1].text == "-":
                    n = self.by_char.get(nxt.idx) or self.word_person.get(nxt.text)
                    if n:
                        return n
        if token.pos_ == "NOUN" and token.lemma_ in ("capital", "government", "city", "regime", "army", "forces"):
            for c in token.children:  # "the capital of Tripoli"
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj" and self.by_char.get(p.idx):
                            return self.by_char[p.idx]
        for c in token.children:
            if c.dep_ == "appos":
                n = self.actor(c, deep=False)
                if n:
                    return n
        if token.lemma_ in ROLE_NOUNS or (token.lemma_ in ("organizer", "member", "activist", "leader", "official",
                                                           "supporter", "founder")):
            for c in token.children:
                if c.dep_ in ("compound", "nmod", "amod") and self.by_char.get(c.idx) and self.label.get(self.by_char[c.idx]) in ("ORG",):
                    return self.by_char[c.idx]
        if token.lemma_ in ROLE_NOUNS and deep:
            return self.role_description(token)
        return None

    def pronoun(self, token: Token, avoid: frozenset[str] = frozenset()) -> str | None:
        """A personal pronoun's antecedent: the person heading the clause it sits in ("X said
        that he would ..."), else the nearest person before it who was a grammatical subject, else
        the nearest person; within the two previous sentences; never one of ``avoid`` (an object
        pronoun is not the clause's own subject)."""
        if _PERSONAL[token.lower_] != "o":
            for a in token.ancestors:
                for c in a.children:
                    if c.dep_ == "nsubj" and c.i < token.i and c is not token and c.lower_ not in _PERSONAL:
                        n = self.by_char.get(c.idx) or self.actor(c, deep=False)
                        if n and self.label.get(n) == "PERSON" and n not in avoid:
                            return n
        start = token.idx
        sent = self.parsed.sentence_at(start)
        for pool in (self.subject_persons, self.persons) if _PERSONAL[token.lower_] != "o" else (self.persons,):
            best = None
            for s, name in pool:
                if s >= start:
                    break
                if sent - self.parsed.sentence_at(s) <= 2 and name not in avoid:
                    best = name
            if best:
                return best
        return None

    def role_description(self, token: Token) -> str | None:
        """"Libya's security chief": a role noun with a place but no name, resolved to the
        article's most quoted named official with no other nationality; None when unsure."""
        places = [c for c in token.children if c.dep_ in ("poss", "amod", "compound", "nmod")
                  and (self.label.get(self.by_char.get(c.idx, ""), "") in ("GPE", "NORP", "ORG") or c.ent_type_ in ("GPE", "NORP"))]
        if not places or any(self.by_char.get(c.idx) and self.label.get(self.by_char[c.idx]) == "PERSON"
                             for c in token.children):
            return None
        if self._official is False:
            self._official = self._most_quoted_official()
        return self._official or None

    def _most_quoted_official(self) -> str | None:
        art = self.parsed.article
        quoted = Counter(q.speaker for q in art.quotes if q.resolved and self.label.get(q.speaker) == "PERSON")
        doc = self.parsed.doc
        foreign: set[str] = set()
        for m in art.mentions:
            if m.label != "PERSON":
                continue
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            left = doc[max(0, span.start - 4):span.start]
            if any(t.ent_type_ in ("NORP", "GPE") for t in left):  # "Russian Foreign Minister Sergey Lavrov"
                foreign.add(m.actor)
        for name, _ in quoted.most_common():
            if name not in foreign:
                return name
        return None


def _conj(token: Token) -> list[Token]:
    return [token, *token.conjuncts]


def _pobjs(prep: Token) -> list[Token]:
    return [p for pc in prep.children if pc.dep_ == "pobj" for p in _conj(pc)]


def _subjects(tok: Token, steps: int = 6) -> tuple[list[Token], bool]:
    """Subject tokens of a predicate, climbing through open clauses that have none; the flag says
    the subject is really the object (a passive relative clause: "who had been courted by")."""
    t = tok
    for _ in range(steps):
        subj = [c for c in t.children if c.dep_ in ("nsubj", "csubj")]
        if not subj and t is not tok:
            subj = [c for c in t.children if c.dep_ == "nsubjpass"]
        if not subj and t.dep_ in ("conj", "advcl", "ccomp", "ROOT"):
            subj = _left_subject(t)
        if subj:
            out = [s for x in subj for s in _conj(x)]
            return out, False
        if t.dep_ in ("xcomp", "advcl", "pcomp", "prep", "acl", "conj", "dobj", "pobj", "acomp", "ccomp") and t.head is not t:
            t = t.head
            continue
        if t.dep_ == "relcl" and t is not tok:
            return [t.head], False
        break
    passive_subj = [c for c in t.children if c.dep_ == "nsubjpass"]
    if passive_subj and t is not tok:  # "is said to be close to": the passive subject is the holder
        return [s for x in passive_subj for s in _conj(x)], False
    return [], False


def _left_subject(verb: Token) -> list[Token]:
    """Repair a subject the parser attached elsewhere: the noun phrase right before a finite verb
    with no subject of its own ("given the UAE, Egypt and Russia have taken ...")."""
    if not (verb.tag_ in ("VBD", "VBZ", "VBP") or any(c.dep_ == "aux" for c in verb.children)):
        return []
    i = min([verb.i] + [c.i for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < verb.i]) - 1
    doc = verb.doc
    while i >= 0 and (doc[i].ent_type_ in ("DATE", "TIME") or doc[i].dep_ in ("advmod", "npadvmod")) and doc[i].pos_ != "PROPN":
        i -= 1
    while i >= 0 and doc[i].ent_type_ in ("DATE", "TIME"):
        i -= 1
    if i < 0 or doc[i].pos_ not in ("PROPN", "NOUN") or doc[i].dep_ in ("nsubj", "compound"):
        return []
    head = doc[i]
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head
    return _conj(head)


def _hedged(tok: Token) -> bool:
    words = {t.lower_ for t in tok.sent}
    ancestors = {a.lemma_ for a in tok.ancestors} | {tok.lemma_}
    return bool(words & HEDGE_ADVERBS) \
        or "said to" in tok.sent.text or "believed to" in tok.sent.text \
        or bool(ancestors & HEDGE_VERBS) \
        or any(c.dep_ == "aux" and c.lower_ in HEDGE_MODALS for a in (tok, *tok.ancestors)
               for c in a.children if a.pos_ in ("VERB", "AUX"))


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    # "did not want to back", "refused to support"
    for a in tok.ancestors:
        if a.pos_ not in ("VERB", "AUX"):
            break
        if any(c.dep_ == "neg" for c in a.children) or a.lemma_ in ("refuse", "decline", "deny"):
            return True
        if tok.dep_ != "xcomp":
            break
    return False


def _verb_relation(tok: Token, ctx: _Ctx) -> list[tuple[str, list[Token], list[Token]]]:
    preps = [c for c in tok.children if c.dep_ in ("prep", "prt", "agent")]
    pred = None
    for p in preps:
        pred = PHRASAL.get((tok.lemma_, p.lower_)) or pred
    if tok.lemma_ == "take" and any(c.dep_ == "dobj" and c.lemma_ == "side" for c in tok.children):
        pred = "supports"
    pred = pred or VERBS.get(tok.lemma_)
    if not pred and tok.lemma_ in ASKING and any(c.dep_ == "ccomp" for c in tok.children):
        pred = "calls_on"
    if not pred:
        return []
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod", "relcl") and not any(c.dep_ == "aux" for c in tok.children))
    subjects: list[Token] = []
    objects: list[Token] = []
    for c in tok.children:
        if c.dep_ == "nsubj":
            subjects += _conj(c)
        elif c.dep_ == "nsubjpass":
            objects += _conj(c)
        elif c.dep_ == "dobj":
            for o in _conj(c):
                if o.lemma_ == "side":
                    objects += [s for s in o.children if s.dep_ == "poss"]
                else:
                    objects.append(o)
        elif c.dep_ == "agent":  # "supported by Moscow"
            (subjects if passive else objects).extend(_pobjs(c))
        elif c.dep_ == "prep" and (c.lower_ in _OBJ_PREPS or (tok.lemma_, c.lower_) in PHRASAL):
            if c.lower_ == "by" and passive:
                subjects += _pobjs(c)
            else:
                objects += _pobjs(c)
        elif c.dep_ in ("ccomp", "xcomp") and tok.lemma_ in ASKING and (
                c.tag_ in ("VB", "VBP") or any(a.lower_ == "should" for a in c.children)):
            objects += [s for s in c.children if s.dep_ == "nsubj"]
        elif c.dep_ in ("npadvmod", "compound", "nmod") and passive:  # "UN-recognised"
            subjects.append(c)
    # relative clauses and participles modifying the actor they relate to
    if tok.dep_ in ("relcl", "acl", "amod"):
        rel_subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lower_ in _REL_PRON]
        head = tok.head
        if passive or any(c.dep_ in ("dobj", "nsubjpass") for c in rel_subj):
            objects = [o for o in objects if o.lower_ not in _REL_PRON] + [head]
        elif rel_subj or tok.dep_ == "relcl":
            subjects = [s for s in subjects if s.lower_ not in _REL_PRON] + [head]
        if tok.dep_ == "acl" and tok.tag_ in ("VBD", "VBZ", "VBP") and not subjects:
            subjects = [head]  # a finite verb the parser hung on its own subject
        if tok.dep_ in ("acl", "amod") and not subjects and not passive:
            subjects, _ = _subjects(tok)
    if not subjects and not passive:
        subjects, _ = _subjects(tok)
    if pred in SYMMETRIC and not objects and len(subjects) > 1:  # "A and B met"
        return [(pred, [subjects[0]], subjects[1:])]
    return [(pred, subjects, objects)]


def _noun_relation(tok: Token, ctx: _Ctx) -> list[tuple[str, list[Token], list[Token]]]:
    pred = NOUNS.get(tok.lemma_) or NOUNS.get(tok.lower_)
    if not pred:
        return []
    subjects = [c for c in tok.children if c.dep_ == "poss"]
    objects: list[Token] = []
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "by"):
            subjects += _pobjs(c)
        elif c.dep_ == "prep" and c.lower_ in _NOUN_OBJ_PREPS:
            objects += _pobjs(c)
        elif c.dep_ == "compound" and ctx.by_char.get(c.idx) and not subjects:
            subjects.append(c)
    if tok.lower_ in ("talks", "negotiations", "meeting", "summit") and not subjects:
        verb = tok.head.head if tok.dep_ == "pobj" else tok.head
        if tok.dep_ in ("pobj", "dobj") and verb.pos_ in ("VERB", "AUX"):
            subs = [s for x in verb.children if x.dep_ == "nsubj" for s in _conj(x)]
            if len(subs) > 1 and not objects:
                return [(pred, [subs[0]], subs[1:])]
            subjects = subs
        between = [o for c in tok.children if c.dep_ == "prep" and c.lower_ == "between" for o in _pobjs(c)]
        if len(between) > 1:
            return [(pred, [between[0]], between[1:])]
    if tok.dep_ == "dobj" and (not subjects or all(x.lower_ in _PERSONAL for x in subjects)):
        verb = tok.head
        subs, _ = _subjects(verb)
        if subjects and subs:
            subjects = subs
        if not objects:
            objects = [o for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "for", "on", "of", "against")
                       for o in _pobjs(c)]
        if verb.lemma_ in ("voice", "express", "give", "offer", "pledge", "lend", "announce", "launch", "file", "step",
                           "lay", "mount", "wage", "begin", "switch", "shift", "throw", "hold", "have", "show"):
            subjects = subs
        elif verb.lemma_ in ("win", "receive", "get", "secure", "earn", "gain") and subjects:
            objects = subs or objects
    if not subjects or not objects:
        return []
    return [(pred, subjects, objects)]


def _adj_relation(tok: Token, ctx: _Ctx) -> list[tuple[str, list[Token], list[Token]]]:
    for c in tok.children:
        pred = ADJECTIVES.get((tok.lower_, c.lower_)) if c.dep_ == "prep" else None
        if pred:
            subjects, _ = _subjects(tok)
            if tok.dep_ == "amod":
                subjects = [tok.head]
            return [(pred, subjects, _pobjs(c))]
    return []


def _command_relations(tok: Token, ctx: _Ctx) -> list[tuple[str, str]]:
    """(person, organisation) pairs of command around a token."""
    out: list[tuple[str, str]] = []
    if tok.lemma_ in COMMANDERS and tok.pos_ == "NOUN":
        orgs = [ctx.actor(p, deep=False) for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
        orgs += [ctx.by_char.get(c.idx) for c in tok.children if c.dep_ in ("compound", "nmod", "poss")]
        people = [ctx.by_char.get(c.idx) for c in tok.children if c.dep_ == "appos"]
        if tok.dep_ in ("compound", "appos") or (tok.dep_ == "nmod"):
            people.append(ctx.by_char.get(tok.head.idx))
        if tok.dep_ == "attr":  # "X is the commander of Y"
            people += [ctx.by_char.get(c.idx) for c in tok.head.children if c.dep_ == "nsubj"]
        for p in people:
            for o in orgs:
                if p and o and ctx.label.get(p) == "PERSON" and ctx.label.get(o) in ("ORG", "NORP"):
                    out.append((p, o))
    if tok.dep_ == "prep" and tok.lower_ == "under":  # "Tripoli under Prime Minister al-Sarraj"
        org = ctx.by_char.get(tok.head.idx)
        if not org and tok.head.pos_ in ("VERB", "AUX"):  # "stuck by Tripoli under ..." (attached to the verb)
            before = [ctx.by_char.get(p.idx) for c in tok.head.children if c.i < tok.i and c.dep_ in ("agent", "prep", "dobj")
                      for p in ([c] if c.dep_ == "dobj" else _pobjs(c))]
            org = next((b for b in reversed(before) if b), None)
        for p in _pobjs(tok):
            person = ctx.by_char.get(p.idx)
            if org and person and ctx.label.get(person) == "PERSON" and ctx.label.get(org) in ("ORG", "GPE"):
                out.append((person, org))
    if tok.dep_ == "poss" and tok.lower_ in ("his", "her") or (tok.dep_ == "poss" and ctx.label.get(ctx.by_char.get(tok.idx, "")) == "PERSON"):
        head = tok.head
        span = " ".join(t.text for t in head.subtree)
        org = ctx.by_char.get(head.idx) or next((ctx.by_char.get(c.idx) for c in head.children if c.dep_ == "compound" and ctx.by_char.get(c.idx)), None)
        person = ctx.actor(tok)
        if org and person and ARMED.search(span) and ctx.label.get(org) == "ORG" and ctx.label.get(person) == "PERSON":
            out.append((person, org))
    return out


def extract_relations(parsed: Parsed, options: Options = DEFAULT) -> list[Relation]:
    """Relations asserted in the article's body sentences (not inside quotes, unless the quote
    is a media report the article relays)."""
    art = parsed.article
    ctx = _Ctx(parsed)
    media = {s.name for s in art.sources if s.kind in _MEDIA_KINDS}
    quoted = [(q.content.start, q.content.end) for q in art.quotes
              if q.kind in ("direct", "block") and q.speaker not in media]
    body = {s.index for s in art.sentences if s.kind == "body"}
    out: list[Relation] = []
    seen: set[tuple] = set()

    def add(s: str, pred: str, o: str, tok: Token, sent: int) -> None:
        key = (s, pred, o, sent)
        if s == o or key in seen:
            return
        if pred in SYMMETRIC and (o, pred, s, sent) in seen:
            return
        seen.add(key)
        out.append(Relation(subject=s, predicate=pred, object=o, polarity=POLARITY[pred], sentence=sent,
                            evidence=art.sentences[sent].text, article_id=art.id,
                            negated=_negated(tok), hedged=_hedged(tok)))

    for tok in parsed.doc:
        if any(a <= tok.idx < b for a, b in quoted):
            continue
        sent = parsed.sentence_at(tok.idx)
        if sent not in body:
            continue
        found: list[tuple[str, list[Token], list[Token]]] = []
        if tok.pos_ == "VERB" or (tok.pos_ == "ADJ" and tok.lemma_ in VERBS) or (tok.tag_ == "VBN"):
            found = _verb_relation(tok, ctx)
        elif tok.pos_ in ("NOUN", "PROPN"):
            found = _noun_relation(tok, ctx)
        if not found and tok.pos_ in ("ADJ", "VERB"):
            found = _adj_relation(tok, ctx)
        for pred, subjects, objects in found:
            subj_names = [n for n in dict.fromkeys(ctx.actor(s) for s in subjects) if n]
            obj_names = [n for n in dict.fromkeys(ctx.actor(o, avoid=frozenset(subj_names)) for o in objects) if n]
            for s in subj_names:
                for o in obj_names:
                    add(s, pred, o, tok, sent)
        for person, org in _command_relations(tok, ctx):
            add(person, "commands", org, tok, sent)
    return out
