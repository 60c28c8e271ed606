"""Relations between actors: who backs, fights, meets, calls on, accuses or commands whom.

Transparent rules over the dependency parse, no story names; the cue words come from the verb
classes of :mod:`relation_lexicon`, the arguments from :mod:`relation_args`:

* a relation verb ("backed", "met with", "called on", "lambasted", "pressured X to") links the actor
  heading its subject (or passive agent) to the actor heading its object (direct object, passive
  subject, or the object of its preposition); an infinitive or gerund with no subject of its own
  takes the subject it shares (object control: "urged X to cancel his summit with Y" gives X calls
  on ... and X meets Y, hedged); a relative clause takes its antecedent;
* reported demands: "X said Y should ...", "X suggested that Y drop out", "X hoped Y would ...";
  a question or a report of being asked ("asked if Y should", "whether") asserts nothing;
* relation nouns take their possessor or "from" phrase and their "of"/"on"/"with" phrase
  ("Russia's backing of Haftar", "drew criticism from X", "critical comments about X"), person
  nouns of stance take their holder ("X, a critic of Y"; "his opponent, Y");
* adjectives of alignment ("close to", "critical of", "UN-recognised X");
* command: "the commander of the LNA, X", "RNC Chairman X", "X under Prime Minister Y", "his army";
* meetings need a meeting: a visited or hosting place is not a party.

Negation ("did not back", "refused to support") and hedges ("is said to", "reportedly", "plans to",
"urged X to meet") are recorded on the relation, never dropped.  Text inside quote marks is skipped
unless the quote is a media outlet's report the article relays.  Actor names come from the
article's mentions, so relations use the same canonical names as the actor list.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..model import Relation
from ..nlp import Parsed
from ..options import DEFAULT, Options
from .relation_args import PERSONAL, REL_PRON, ArgContext, conj, pobjs, subjects_of
from .relation_lexicon import (
    ADJECTIVES, AGENT_NOUNS, ASKING, CRITICAL_ADJECTIVES, DEMAND_MODALS, DUAL, HEDGE_ADVERBS, HEDGE_MODALS,
    HEDGE_VERBS, HOLDING, NAMING_VERBS, NOUNS, PEJORATIVES, OBJECT_CONTROL, PARTICLE_PREPS, POLARITY, PREDICATES, QUESTION_MARKERS,
    RECEIVING, REFUSAL, SPEECH_NOUNS, SYMMETRIC, VERBS, WISH_VERBS, _NEEDS_INFINITIVE, base, noun_type,
    phrasal_type, verb_type,
)

__all__ = ["PREDICATES", "POLARITY", "SYMMETRIC", "VERBS", "NOUNS", "extract_relations"]

COMMANDERS = {"commander", "leader", "chief", "head", "commander-in-chief", "chairman", "chairwoman", "chair",
              "president", "director", "ceo"}
ARMED = re.compile(r"\b(army|forces|militia|militias|brigade|brigades|guard|troops|fighters|battalion)\b", re.I)
# prepositions whose object is the other party, by relation type ("negotiate with X", "fire on X")
_OBJ_PREPS = {"meets": ("with", "to"), "cooperates": ("with",), "opposes": ("against", "on", "with"),
              "accuses": ("against", "on", "at"), "calls_on": ("on", "upon"), "supports": ("to",), "commands": ()}
_NOUN_OBJ_PREPS = {"supports": ("of", "for", "to"), "opposes": ("against", "on", "of", "with", "to"),
                   "meets": ("with", "between", "to"), "calls_on": ("to", "on", "for"), "cooperates": ("with", "between"),
                   "accuses": ("of", "on", "against", "about", "toward", "towards", "at", "to")}
_MEDIA_KINDS = {"outlet", "agency"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_PLACE_MEETING_CUES = {"visit", "host", "trip", "tour", "travel", "stop", "receive"}
# verbs of reply: with no object of their own, they answer the last one who attacked their subject
REPLY_VERBS = {"respond", "reply", "retort", "hit", "fire", "strike", "lash", "push", "answer", "counter"}
_STRICT_DEMAND = {"say", "tweet", "write", "add", "declare", "argue", "tell", "warn", "post"}
_SUBJUNCTIVE_OK = {"suggest", "urge", "demand", "insist", "press", "request", "recommend", "propose", "ask", "plead"}

Found = list[tuple[str, list[Token], list[Token]]]


def _hedged(tok: Token) -> bool:
    """Hedged: a hedging adverb in the sentence, "said/believed to", a raising, planning or
    requesting verb above the predicate, or a modal auxiliary on it or above it."""
    words = {t.lower_ for t in tok.sent}
    ancestors = {base(a.lemma_) for a in tok.ancestors if a.pos_ in ("VERB", "AUX")}
    return bool(words & HEDGE_ADVERBS) \
        or "said to" in tok.sent.text or "believed to" in tok.sent.text \
        or bool(ancestors & HEDGE_VERBS) \
        or any(c.dep_ == "aux" and c.lower_ in HEDGE_MODALS for a in (tok, *tok.ancestors)
               for c in a.children if a.pos_ in ("VERB", "AUX"))


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    for a in tok.ancestors:  # "did not want to back", "refused to support"
        if a.pos_ not in ("VERB", "AUX"):
            break
        if any(c.dep_ == "neg" for c in a.children) or base(a.lemma_) in REFUSAL:
            return True
        if tok.dep_ != "xcomp":
            break
    return False


def _questioned(doc) -> list[bool]:
    """Per token of ``doc``: inside a question or an "if"/"whether" clause (asked, not
    asserted), i.e. its sentence ends with "?" or the token or one of its ancestors has a
    "if"/"whether" marker among its children.  One pass over the tokens and their heads (each
    token's answer reuses its head's), instead of walking every token's ancestors."""
    out: list[bool | None] = [None] * len(doc)
    for sent in doc.sents:
        if sent.text.rstrip(" \"'”’").endswith("?"):
            out[sent.start:sent.end] = [True] * (sent.end - sent.start)
    heads = [t.head.i for t in doc]
    marked = [False] * len(doc)  # the token has an "if"/"whether" marker among its children
    for t in doc:
        if t.dep_ == "mark" and t.lower_ in QUESTION_MARKERS and heads[t.i] != t.i:
            marked[heads[t.i]] = True
    for tok in doc:
        chain = []
        i = tok.i
        while out[i] is None:
            if marked[i]:
                out[i] = True
                break
            chain.append(i)
            head = heads[i]
            if head == i:
                out[i] = False
                break
            i = head
        value = out[i]
        for j in chain:
            out[j] = value
    return [bool(v) for v in out]


def _demanded(clause: Token, verb: str) -> list[Token]:
    """The addressee of a reported demand: the subject of a clause complement with "should"/"must"
    ("said Y should cancel"), a subjunctive after verbs of suggesting ("suggested that Y drop out"),
    or "would" after verbs of wishing ("hoped Y would veto"); none for "if"/"whether" clauses."""
    if any(c.dep_ == "mark" and c.lower_ in QUESTION_MARKERS for c in clause.children):
        return []
    aux = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
    ok = bool(aux & DEMAND_MODALS)
    if verb in _SUBJUNCTIVE_OK and clause.tag_ in ("VB", "VBP") and not aux:
        ok = True
    if verb in WISH_VERBS and aux & {"would", "will"}:
        ok = True
    if not ok or (verb in _STRICT_DEMAND and not aux & DEMAND_MODALS):
        return []
    return [s for c in clause.children if c.dep_ == "nsubj" for s in conj(c)]


def _pejorative_name(verb: Token) -> bool:
    """A naming verb whose complement ("a stunt", "appalling", "a liar") is pejorative."""
    from .lexicon import LOADED, NAME_CALLING

    words = {t.lower_ for c in verb.children if c.dep_ in ("oprd", "xcomp", "ccomp", "attr", "acomp")
             or (c.dep_ == "prep" and c.lower_ == "as") for t in c.subtree}
    words |= {t.lemma_.lower() for c in verb.children if c.dep_ in ("oprd", "xcomp", "attr", "acomp") for t in c.subtree}
    words |= {t.lower_ for d in verb.children if d.dep_ == "dobj"  # parsed as an apposition of the object
              for c in d.children if c.dep_ == "appos" for t in c.subtree}
    return any(c.dep_ == "dobj" for c in verb.children) and bool(words & (set(LOADED) | NAME_CALLING | PEJORATIVES))


def _verb_relation(tok: Token, ctx: ArgContext) -> Found:
    preps = [c for c in tok.children if c.dep_ in ("prep", "prt", "agent")]
    lemma = base(tok.lemma_)
    pred = None
    particle_obj: list[Token] = []
    for p in preps:
        pred = phrasal_type(tok.lemma_, p.lower_) or pred
    if pred and any(p.dep_ == "prt" for p in preps):  # "lashed out at X", "fired back at X"
        particle_obj = [o for c in tok.children if c.dep_ == "prep" and c.lower_ in PARTICLE_PREPS for o in pobjs(c)]
    for c in tok.children:  # "called for X to cancel", "pushed for X to resign": X is asked
        if c.dep_ in ("advcl", "ccomp", "xcomp") and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children):
            p = phrasal_type(tok.lemma_, "for") or ("calls_on" if verb_type(tok.lemma_) == "calls_on" or lemma in
                                                     ("push", "press", "lobby", "clamor", "clamour", "campaign") else None)
            if p:
                pred = p
                particle_obj += [s for x in c.children if x.dep_ == "nsubj" for s in conj(x)]
    if lemma in ("tweet", "write", "post", "message", "text") and any(  # "tweeted at X to cancel"
            x.dep_ in ("xcomp", "advcl") and any(a.lower_ == "to" for a in x.children) for x in tok.children):
        targets = [o for c in tok.children if c.dep_ == "prep" and c.lower_ in ("at", "to") for o in pobjs(c)]
        if targets:
            pred = "calls_on"
            particle_obj += targets
    if not pred and lemma in NAMING_VERBS and _pejorative_name(tok):  # "called X's speech 'a stunt'"
        pred = "accuses"
    if lemma == "take" and any(c.dep_ == "dobj" and c.lemma_ == "side" for c in tok.children):
        pred = "supports"
    if lemma == "take" and any(c.dep_ == "dobj" and c.lemma_ == "aim" for c in tok.children):
        pred = "accuses"
    infinitive = [c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")
                  and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux")]
    pred = pred or verb_type(tok.lemma_)
    if lemma in DUAL and pred == VERBS.get(lemma):
        pred = DUAL[lemma][1] if infinitive else DUAL[lemma][0]
    if pred == "calls_on" and lemma in _NEEDS_INFINITIVE and not infinitive and not any(
            c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
        pred = None
    demanded: list[Token] = []
    if lemma in ASKING:
        for c in tok.children:
            if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX"):
                demanded += _demanded(c, lemma)
        if demanded:
            pred = "calls_on"
    if not pred:
        return []
    if pred == "calls_on" and lemma == "ask" and any(c.dep_ == "mark" and c.lower_ in QUESTION_MARKERS
                                                     for x in tok.children for c in x.children):
        return []
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod", "relcl") and not any(c.dep_ == "aux" for c in tok.children))
    subjects: list[Token] = []
    objects: list[Token] = list(demanded) + particle_obj
    for c in tok.children:
        if c.dep_ == "nsubj":
            subjects += conj(c)
        elif c.dep_ == "nsubjpass":
            objects += conj(c)
        elif c.dep_ == "dobj":
            for o in conj(c):
                if o.lemma_ == "side":
                    objects += [s for s in o.children if s.dep_ == "poss"]
                elif o.lemma_ != "aim":
                    objects.append(o)
        elif c.dep_ == "agent":  # "supported by Moscow"
            (subjects if passive else objects).extend(pobjs(c))
        elif c.dep_ == "prep" and (c.lower_ in _OBJ_PREPS.get(pred, ()) or phrasal_type(tok.lemma_, c.lower_)
                                   or (c.lower_ == "by" and passive)):
            if c.lower_ == "by" and passive:
                subjects += pobjs(c)
            elif pred != "commands":
                objects += pobjs(c)
        elif c.dep_ in ("npadvmod", "compound", "nmod") and passive:  # "UN-recognised"
            subjects.append(c)
    doc = tok.doc
    if passive and tok.dep_ == "amod" and tok.i >= 2 and doc[tok.i - 1].text == "-" and not subjects:
        subjects.append(doc[tok.i - 2])  # "UN-recognised X", "Saudi-backed X" (the parser split the compound)
    objects += [p for o in objects if o.tag_ == "NNS" and o.pos_ == "NOUN"  # "adversaries such as X and Y"
                for c in o.children if c.dep_ == "prep" and c.lower_ in ("as", "including") for p in pobjs(c)]
    if tok.dep_ in ("relcl", "acl", "amod"):  # relative clauses and participles on the actor they relate to
        rel_subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lower_ in REL_PRON]
        head = tok.head
        if passive or any(c.dep_ in ("dobj", "nsubjpass") for c in rel_subj):
            objects = [o for o in objects if o.lower_ not in REL_PRON] + [head]
        elif rel_subj or tok.dep_ == "relcl":
            subjects = [s for s in subjects if s.lower_ not in REL_PRON] + [head]
        if tok.dep_ == "acl" and tok.tag_ in ("VBD", "VBZ", "VBP") and not subjects:
            subjects = [head]  # a finite verb the parser hung on its own subject
        if tok.dep_ in ("acl", "amod") and not subjects and not passive:
            subjects = subjects_of(tok)
    if not subjects and not passive:
        subjects = subjects_of(tok)
    if pred == "commands":  # "heads the party", never "heading to Mexico"
        objects = [c for c in tok.children if c.dep_ == "dobj"]
    if pred == "meets" and lemma in _PLACE_MEETING_CUES:  # a visited or hosting place is not a party
        objects = [o for o in objects if ctx.label.get(ctx.by_char.get(o.idx, ""), "") not in _PLACE_LABELS]
    if pred in SYMMETRIC and not objects and len(subjects) > 1:  # "A and B met"
        return [(pred, [subjects[0]], subjects[1:])]
    return [(pred, subjects, objects)]


def _stance_noun(tok: Token, ctx: ArgContext) -> Found:
    """Person nouns of stance: "X, a critic of Y" / "X is a critic of Y" (X accuses Y), "his
    opponent, Y" (Y opposes him), "Y's backers" have no named holder."""
    pred, _ = AGENT_NOUNS[tok.lemma_.lower()]
    others = [o for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "to") for o in pobjs(c)]
    others += [c for c in tok.children if c.dep_ in ("poss", "compound") and (ctx.by_char.get(c.idx) or c.lower_ in PERSONAL)]
    holders = [c for c in tok.children if c.dep_ == "appos"]
    if tok.dep_ == "appos":
        holders.append(tok.head)
    elif tok.dep_ == "attr":
        holders += [c for c in tok.head.children if c.dep_ == "nsubj"]
    if tok.head.dep_ == "appos" and tok.dep_ in ("compound",):
        holders.append(tok.head.head)
    return [(pred, holders, others)] if holders and others else []


def _noun_relation(tok: Token, ctx: ArgContext) -> Found:
    if tok.lemma_.lower() in AGENT_NOUNS:
        return _stance_noun(tok, ctx)
    pred = noun_type(tok.lemma_, tok.lower_)
    critical = next((CRITICAL_ADJECTIVES[c.lower_] for c in tok.children
                     if c.dep_ == "amod" and c.lower_ in CRITICAL_ADJECTIVES), None)
    if not pred and critical and tok.lemma_.lower() in SPEECH_NOUNS:
        pred = critical
    if not pred:
        return []
    subjects = [c for c in tok.children if c.dep_ == "poss"]
    objects: list[Token] = []
    holders = [tok, *[c for c in tok.children if c.dep_ == "relcl"]]  # "comments he made about X"
    for h in holders:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("from", "by") and h is tok:
                subjects += pobjs(c)
            elif c.dep_ == "prep" and c.lower_ in _NOUN_OBJ_PREPS[pred]:
                objects += pobjs(c)
            elif c.dep_ == "prep" and c.lower_ == "for" and pred == "opposes":  # "a challenge for X's job"
                objects += [p for p in pobjs(c) if p.pos_ == "NOUN"]
            elif c.dep_ == "nsubj" and h is not tok:
                subjects += conj(c)
            elif c.dep_ == "compound" and ctx.by_char.get(c.idx) and not subjects and h is tok \
                    and ctx.by_char[c.idx] not in ctx.media:
                subjects.append(c)
    if tok.lower_ in ("talks", "negotiations", "meeting", "meetings", "summit") and not subjects:
        verb = tok.head.head if tok.dep_ == "pobj" else tok.head
        if tok.dep_ in ("pobj", "dobj") and verb.pos_ in ("VERB", "AUX"):
            subs = [s for x in verb.children if x.dep_ == "nsubj" for s in conj(x)]
            if len(subs) > 1 and not objects:
                return [(pred, [subs[0]], subs[1:])]
            subjects = subs
        between = [o for c in tok.children if c.dep_ == "prep" and c.lower_ == "between" for o in pobjs(c)]
        if len(between) > 1:
            return [(pred, [between[0]], between[1:])]
    if tok.dep_ == "pobj" and tok.head.lower_ == "to" and base(tok.head.head.lemma_) in REPLY_VERBS and subjects \
            and not objects:  # "responded to X's attacks": X attacked the one who responds
        objects = subjects_of(tok.head.head)
    if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "into") and tok.head.head.pos_ == "VERB" and not subjects:
        subjects = subjects_of(tok.head.head)  # "found himself in a war with X", "engaged in talks with X"
    if tok.dep_ == "pobj" and pred == "meets" and tok.head.lower_ in ("for", "to") \
            and verb_type(tok.head.head.lemma_) == "calls_on":  # "invited X for talks": X meets the host
        verb = tok.head.head
        return [(pred, subjects_of(verb), [c for c in verb.children if c.dep_ == "dobj"])]
    if tok.dep_ == "dobj" and base(tok.head.lemma_) in RECEIVING and not objects:
        subjects = subjects or [p for c in tok.head.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                                for p in pobjs(c)]
        objects = subjects_of(tok.head) if subjects else []  # "drew criticism from X": X criticises the subject
    elif tok.dep_ == "dobj" and (not subjects or all(x.lower_ in PERSONAL for x in subjects)):
        verb = tok.head
        vb = base(verb.lemma_)
        subs = subjects_of(verb)
        if subjects and subs:
            subjects = subs
        if not objects:
            objects = [o for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "for", "on", "of", "against")
                       for o in pobjs(c)]
        if vb in HOLDING:
            subjects = subs
        elif vb in RECEIVING and subjects:
            objects = subs or objects
    if pred == "opposes" and tok.lemma_.lower() in ("attack", "attacks"):  # an attack on a person is criticism
        if objects and all(ctx.label.get(ctx.actor(o) or "") == "PERSON" for o in objects):
            pred = "accuses"
    if not subjects or not objects:
        return []
    return [(pred, subjects, objects)]


def _adj_relation(tok: Token, ctx: ArgContext) -> Found:
    for c in tok.children:
        pred = ADJECTIVES.get((tok.lower_, c.lower_)) if c.dep_ == "prep" else None
        if pred:
            subjects = [tok.head] if tok.dep_ == "amod" else subjects_of(tok)
            return [(pred, subjects, pobjs(c))]
    return []


def _command_relations(tok: Token, ctx: ArgContext) -> list[tuple[str, str]]:
    """(person, organisation) pairs of command or leadership around a token; the organisation is
    an ORG (a country's president is not its commander here), a former holder commands nothing."""
    out: list[tuple[str, str]] = []
    if tok.lemma_.lower() in COMMANDERS and tok.pos_ in ("NOUN", "PROPN") and not any(
            c.lower_ in ("former", "ex", "late", "then", "majority", "minority") for c in tok.children):
        orgs = [ctx.actor(p, deep=False) for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in pobjs(c)]
        orgs += [ctx.by_char.get(c.idx) or ctx.group_of(c) for c in tok.children if c.dep_ in ("compound", "nmod", "poss")]
        people = [ctx.by_char.get(c.idx) for c in tok.children if c.dep_ == "appos"]
        if tok.dep_ in ("compound", "appos", "nmod"):
            people.append(ctx.by_char.get(tok.head.idx))
        if tok.dep_ == "attr" and base(tok.head.lemma_) == "be":  # "X is the commander of Y"
            people += [ctx.by_char.get(c.idx) for c in tok.head.children if c.dep_ == "nsubj"]
        for p in people:
            for o in orgs:
                if p and o and ctx.label.get(p) == "PERSON" and ctx.label.get(o) == "ORG":
                    out.append((p, o))
    if tok.dep_ == "prep" and tok.lower_ == "under":  # "Tripoli under Prime Minister al-Sarraj"
        org = ctx.by_char.get(tok.head.idx)
        if not org and tok.head.pos_ in ("VERB", "AUX"):  # "stuck by Tripoli under ..." (attached to the verb)
            before = [ctx.by_char.get(p.idx) for c in tok.head.children if c.i < tok.i and c.dep_ in ("agent", "prep", "dobj")
                      for p in ([c] if c.dep_ == "dobj" else pobjs(c))]
            org = next((b for b in reversed(before) if b), None)
        for p in pobjs(tok):
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


def _party(tok: Token, pred: str, ctx: ArgContext, avoid: frozenset[str]) -> str | None:
    """The actor an object stands for; for judgements of a thing, its owner ("criticised X's plan",
    "condemned his remarks", "disagreed with X's decision" are about X)."""
    name = ctx.actor(tok, avoid=avoid)
    if name or pred not in ("accuses", "opposes") or tok.pos_ != "NOUN":
        return name
    for c in tok.children:
        if c.dep_ == "poss" or (c.dep_ == "compound" and ctx.by_char.get(c.idx)):
            owner = ctx.actor(c, avoid=avoid)
            if owner and ctx.label.get(owner) in ("PERSON", "ORG", "NORP", "GPE"):
                return owner
    return None


def _attacker(found: list[Relation], targets: list[str], sent: int) -> list[str]:
    """Whom a reply with no object answers ("X fired back"): the last actor who, within the ten
    sentences before, accused or opposed X."""
    for r in reversed(found):
        if sent - 10 <= r.sentence <= sent and r.object in targets and r.predicate in ("accuses", "opposes") \
                and not r.negated:
            return [r.subject]
    return []


def extract_relations(parsed: Parsed, options: Options = DEFAULT) -> list[Relation]:
    """Relations asserted in the article's body sentences (not inside quotes, unless the quote
    is a media report the article relays; not in questions or "if"/"whether" clauses)."""
    art = parsed.article
    ctx = ArgContext(parsed)
    media = {s.name for s in art.sources if s.kind in _MEDIA_KINDS}
    quoted = [(q.content.start, q.content.end) for q in art.quotes
              if q.kind in ("direct", "block") and q.speaker not in media]
    body = {s.index for s in art.sentences if s.kind == "body"}
    out: list[Relation] = []
    seen: set[tuple] = set()

    def add(s: str, pred: str, o: str, tok: Token, sent: int) -> None:
        key = (s, pred, o, sent)
        if s == o or key in seen or s in ctx.media or o in ctx.media:
            return
        if pred in SYMMETRIC and (o, pred, s, sent) in seen:
            return
        seen.add(key)
        out.append(Relation(subject=s, predicate=pred, object=o, polarity=POLARITY[pred], sentence=sent,
                            evidence=art.sentences[sent].text, article_id=art.id,
                            negated=_negated(tok), hedged=_hedged(tok)))

    questioned = _questioned(parsed.doc)
    for tok in parsed.doc:
        if any(a <= tok.idx < b for a, b in quoted):
            continue
        sent = parsed.sentence_at(tok.idx)
        if sent not in body or questioned[tok.i]:
            continue
        found: Found = []
        if tok.pos_ == "VERB" or (tok.pos_ == "ADJ" and tok.lemma_ in VERBS) or (tok.tag_ == "VBN"):
            found = _verb_relation(tok, ctx)
        elif tok.pos_ in ("NOUN", "PROPN"):
            found = _noun_relation(tok, ctx)
        if not found and tok.pos_ in ("ADJ", "VERB"):
            found = _adj_relation(tok, ctx)
        for pred, subjects, objects in found:
            subj_names = [n for n in dict.fromkeys(ctx.actor(s) for s in subjects) if n]
            obj_names = [n for n in dict.fromkeys(_party(o, pred, ctx, frozenset(subj_names)) for o in objects) if n]
            if not obj_names and pred == "accuses" and base(tok.lemma_) in REPLY_VERBS:
                obj_names = _attacker(out, subj_names, sent)
            for s in subj_names:
                for o in obj_names:
                    add(s, pred, o, tok, sent)
        for person, org in _command_relations(tok, ctx):
            add(person, "commands", org, tok, sent)
    return out
