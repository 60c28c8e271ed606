"""Relations between actors: who backs, fights, meets, calls on or accuses whom.

A first, transparent version over the dependency parse: a verb from a small lexicon of relation
verbs links the actor heading its subject (or its passive agent) to the actor heading its object
(direct object, passive subject, or the object of "with"/"on"/"by"/"against").  Negation ("did not
back") and hedges ("is said to", "reportedly") are recorded, never dropped.  Actor names come
from the article's mentions, so relations use the same canonical names as the actor list.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..model import Relation
from ..nlp import Parsed
from ..options import DEFAULT, Options

# lemma -> (predicate, polarity)
VERBS = {
    **{v: ("supports", 1) for v in ("back", "support", "endorse", "arm", "fund", "finance", "aid",
                                     "help", "recognise", "recognize", "defend", "protect", "side",
                                     "champion", "bankroll", "assist")},
    **{v: ("opposes", -1) for v in ("fight", "attack", "oppose", "bomb", "besiege", "counter",
                                     "combat", "sanction", "invade", "strike", "target", "resist",
                                     "reject", "threaten", "battle", "shell", "deter")},
    **{v: ("meets", 0) for v in ("meet", "host", "visit", "negotiate", "receive")},
    **{v: ("calls_on", 0) for v in ("ask", "urge", "invite", "press", "request", "appeal", "court", "lure")},
    **{v: ("accuses", -1) for v in ("accuse", "blame", "criticise", "criticize", "condemn", "slam",
                                     "denounce", "attack", "warn")},
    **{v: ("cooperates", 1) for v in ("cooperate", "partner", "ally", "work", "collaborate")},
    **{v: ("commands", 0) for v in ("command", "lead", "head", "control")},
}
# verbs that need a particle/preposition to mean a relation: (lemma, prep) -> predicate
PHRASAL = {("call", "on"): ("calls_on", 0), ("stick", "by"): ("supports", 1),
           ("stand", "by"): ("supports", 1), ("side", "with"): ("supports", 1),
           ("talk", "with"): ("meets", 0), ("talk", "to"): ("meets", 0)}
HEDGES = {"reportedly", "allegedly", "apparently", "seemingly", "possibly", "may", "might", "could"}
_OBJ_PREPS = {"with", "on", "against", "by", "to"}


def _actor_of(token: Token, by_char: dict[int, str]) -> str | None:
    """The actor a noun phrase head refers to: itself, its appositive, or its possessor."""
    for cand in (token, *[c for c in token.children if c.dep_ in ("appos", "compound", "poss")]):
        name = by_char.get(cand.idx)
        if name:
            return name
    for c in token.children:  # "the commander of the LNA"
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj" and by_char.get(p.idx):
                    return by_char[p.idx]
    return None


def _with_conj(token: Token) -> list[Token]:
    return [token, *[t for t in token.conjuncts]]


def extract_relations(parsed: Parsed, options: Options = DEFAULT) -> list[Relation]:
    """Relations asserted in the article's body sentences (not inside quotes)."""
    art = parsed.article
    by_char: dict[int, str] = {}
    for m in art.mentions:
        for tok in parsed.doc.char_span(m.start, m.end, alignment_mode="expand") or []:
            by_char[tok.idx] = m.actor
    quoted = [(q.content.start, q.content.end) for q in art.quotes if q.kind == "direct"]
    body = {s.index for s in art.sentences if s.kind == "body"}
    out: list[Relation] = []
    seen = set()
    for tok in parsed.doc:
        if tok.pos_ != "VERB" or any(a <= tok.idx < b for a, b in quoted):
            continue
        preps = {c.lower_: c for c in tok.children if c.dep_ in ("prep", "prt", "agent")}
        pred = None
        for p in preps:
            if (tok.lemma_, p) in PHRASAL:
                pred = PHRASAL[(tok.lemma_, p)]
        if tok.lemma_ == "take" and any(c.dep_ == "dobj" and c.lemma_ == "side" for c in tok.children):
            pred = ("supports", 1)
        pred = pred or VERBS.get(tok.lemma_)
        if not pred:
            continue
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        subjects, objects = [], []
        for c in tok.children:
            if c.dep_ == "nsubj":
                subjects += _with_conj(c)
            elif c.dep_ == "nsubjpass":
                objects += _with_conj(c)
            elif c.dep_ == "dobj":
                objects += [s for o in _with_conj(c) for s in ([*o.children] if o.lemma_ == "side" else [o])
                            if o.lemma_ != "side" or s.dep_ == "poss"]
            elif c.dep_ == "agent":  # "supported by Moscow"; but "stuck by Tripoli" is an object
                agents = [p for pc in c.children if pc.dep_ == "pobj" for p in _with_conj(pc)]
                if passive:
                    subjects += agents
                else:
                    objects += agents
            elif c.dep_ == "prep" and c.lower_ in _OBJ_PREPS:
                objects += [p for pc in c.children if pc.dep_ == "pobj" for p in _with_conj(pc)]
        if not passive and not subjects and tok.dep_ in ("xcomp", "conj", "advcl") and tok.head.pos_ in ("VERB", "AUX"):
            subjects = [c for c in tok.head.children if c.dep_ == "nsubj"]
        subj_names = [n for n in (_actor_of(s, by_char) for s in subjects) if n]
        obj_names = [n for n in (_actor_of(o, by_char) for o in objects) if n]
        sent = parsed.sentence_at(tok.idx)
        if sent not in body:
            continue
        negated = any(c.dep_ == "neg" for c in tok.children)
        window = {t.lower_ for t in tok.sent}
        hedged = bool(window & HEDGES) or "said to" in tok.sent.text or "appears" in window
        for s in subj_names:
            for o in obj_names:
                key = (s, pred[0], o, sent)
                if s == o or key in seen:
                    continue
                seen.add(key)
                out.append(Relation(subject=s, predicate=pred[0], object=o, polarity=pred[1],
                                    sentence=sent, evidence=art.sentences[sent].text,
                                    article_id=art.id, negated=negated, hedged=hedged))
    return out
