"""Arguments of relations: which actor a noun phrase, pronoun or role description stands for, and
the subjects of a predicate found through the dependency parse.

What: :class:`ArgContext` maps tokens to the article's canonical actors (from its mentions): names,
compounds and appositions ("RNC Chairman X"), group nouns ("members of the committee" -> the
committee, "Republican members" -> Republicans, "a spokesperson for X" -> X), pronouns (the person
heading the clause, else the nearest person who was a grammatical subject), and role descriptions
("the Mexican leader", "the president": the nearest person before it whose recorded role shares the
description's words).  :func:`subjects_of` climbs open clauses to the subject a predicate shares,
reading object control ("urged X to cancel": X cancels), gerunds of judgement ("criticised X for
inviting": X invites) and nouns' clauses ("X's decision to invite": X invites).
Why: relations are only as good as their arguments; these rules are general English syntax.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Token

from ..nlp import Parsed
from .relation_lexicon import OBJECT_CONTROL, VERBS, base

ROLE_NOUNS = {"chief", "minister", "official", "leader", "commander", "president", "secretary", "spokesman",
              "spokeswoman", "spokesperson", "governor", "senator", "envoy", "ambassador", "general", "premier",
              "head", "chairman", "chairwoman", "mayor", "congressman", "congresswoman", "representative",
              "nominee", "candidate", "speaker", "lawmaker", "chancellor", "king", "queen", "prince"}
# generic role nouns that stand for any office holder ("the Russian leader" = its president)
GENERIC_ROLES = {"leader", "official", "chief", "head", "nominee", "candidate", "lawmaker", "politician",
                 "billionaire", "mogul", "businessman", "executive"}
# nouns for part of a group: "members of the committee", "Republican members", "leaders of X"
GROUP_PARTS = {"member", "leader", "official", "lawmaker", "senator", "representative", "delegate", "staff",
               "staffer", "activist", "supporter", "organizer", "founder", "insider", "figure", "voice",
               "politician", "candidate", "governor", "legislator", "elder", "chorus", "wing", "faction", "caucus",
               "establishment", "leadership", "base", "lawmakers", "side", "bloc", "ranks", "majority", "minority",
               "executive", "employee", "officer", "director", "worker"}
# nouns for a principal's agents: "a spokesperson for X", "X's campaign" act for X
AGENTS = {"spokesman", "spokeswoman", "spokesperson", "aide", "campaign", "administration", "office", "team",
          "adviser", "advisor", "lawyer", "attorney", "staff", "camp", "representative", "government", "regime"}
# nouns that refer back to the nearest organisation ("the group's director")
ORG_ANAPHORS = {"group", "organization", "organisation", "committee", "company", "firm", "party", "center",
                "centre", "council", "agency", "association", "union", "coalition", "network", "movement"}
REL_PRON = {"who", "whom", "which", "that"}
PERSONAL = {"he": "s", "him": "o", "his": "p", "she": "s", "her": "o", "hers": "p"}
PLURAL_PRON = {"they": "s", "them": "o", "their": "p"}
_PARTY = re.compile(r"\b(Republican|Democrat|Democratic|GOP|Labour|Conservative|Tory|Liberal)s?\b")


def conj(token: Token) -> list[Token]:
    """A token and its conjuncts; a noun whose apposition is a list ("two senators, A and B,")
    stands for every name of the list."""
    out = [token, *token.conjuncts]
    for t in list(out):
        for c in t.children:
            if c.dep_ == "appos" and c.pos_ == "PROPN" and c.conjuncts:
                out += [c, *c.conjuncts]
    return out


def pobjs(prep: Token) -> list[Token]:
    return [p for pc in prep.children if pc.dep_ == "pobj" for p in conj(pc)]


class ArgContext:
    """Per-article lookups: actor at a token, pronoun and role-description resolution."""

    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        art = parsed.article
        doc = parsed.doc
        self.by_char: dict[int, str] = {}
        labels: dict[str, Counter] = {}
        self.roles: dict[str, set[str]] = {}
        for m in art.mentions:
            labels.setdefault(m.actor, Counter())[m.label] += 1
            if m.role:
                self.roles.setdefault(m.actor, set()).update(w.lower() for w in re.findall(r"[A-Za-z]+", m.role))
            for tok in doc.char_span(m.start, m.end, alignment_mode="expand") or []:
                self.by_char[tok.idx] = m.actor
        for m in art.mentions:  # roles in apposition: "X, the Russian president,"
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for c in span.root.children:
                if c.dep_ == "appos" and c.pos_ == "NOUN":
                    self.roles.setdefault(m.actor, set()).update(
                        t.lower_ for t in c.subtree if t.pos_ in ("NOUN", "ADJ", "PROPN") and t.i <= c.i)
        # an actor is a person when any mention is tagged PERSON and it has a multi-word name or a role
        self.label: dict[str, str] = {}
        for actor, c in labels.items():
            if c["PERSON"] and (len(actor.split()) > 1 or actor in self.roles or c["PERSON"] >= c.total() / 2):
                self.label[actor] = "PERSON"
            else:
                self.label[actor] = c.most_common(1)[0][0]
        self.persons: list[tuple[int, str]] = sorted(
            (m.start, m.actor) for m in art.mentions if self.label.get(m.actor) == "PERSON")
        self.orgs: list[tuple[int, str]] = sorted(
            (m.start, m.actor) for m in art.mentions if self.label.get(m.actor) == "ORG")
        self.groups: list[tuple[int, str]] = sorted(
            (m.start, m.actor) for m in art.mentions if self.label.get(m.actor) in ("NORP", "ORG"))
        self.modifier_starts = set()
        for m in art.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and span.root.dep_ == "compound" and span.root.head.pos_ == "NOUN":
                self.modifier_starts.add(m.start)
        self.media = self._media(art.mentions)
        for name in self.media:
            self.label[name] = "MEDIUM"
        self.persons = [(s, n) for s, n in self.persons if n not in self.media]
        self.main_subject_persons: list[tuple[int, str]] = []
        self.subject_persons: list[tuple[int, str]] = []
        words: dict[str, set[str]] = {}
        for start, name in self.persons:
            tok = doc.char_span(start, start + 1, alignment_mode="expand")
            if tok is not None and any(t.dep_ in ("nsubj", "nsubjpass") or t.head.dep_ in ("nsubj", "nsubjpass")
                                       for t in doc[tok.start:tok.start + 4] if t.idx >= start):
                self.subject_persons.append((start, name))
                head = next((t for t in doc[tok.start:tok.start + 4] if t.dep_ == "nsubj"), None)
                if head is not None and head.head.dep_ == "ROOT":
                    self.main_subject_persons.append((start, name))
            for w in name.split():
                if w[:1].isupper() and len(w) > 2:
                    words.setdefault(w, set()).add(name)
        # a bare first name or surname the tagger missed ("support of Hillary"), when unambiguous
        self.word_person = {w: next(iter(n)) for w, n in words.items() if len(n) == 1}
        self._official: str | None | bool = False

    def _media(self, mentions) -> set[str]:
        """One-word names used only as a medium: "on Twitter", "a Twitter post", "via Facebook" --
        never an agent however the tagger labels them."""
        doc = self.parsed.doc
        uses: dict[str, list[bool]] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or len(m.actor.split()) > 1:
                uses.setdefault(m.actor, []).append(False)
                continue
            t = span.root
            medium = (t.dep_ == "pobj" and t.head.lower_ in ("on", "via", "over") and t.head.head.pos_ in ("VERB", "NOUN")) \
                or (t.dep_ == "compound" and t.head.lemma_ in ("war", "feud", "post", "message", "account", "video",
                                                               "page", "feed", "user", "follower", "spat", "fight"))
            uses.setdefault(m.actor, []).append(medium)
        return {a for a, u in uses.items() if u and all(u)}

    # --- noun phrases ------------------------------------------------------------------------

    def actor(self, token: Token, deep: bool = True, avoid: frozenset[str] = frozenset()) -> str | None:
        """The actor a noun phrase head refers to: itself, a compound/appositive/possessor, the
        object of "of" ("the capital of Tripoli"), a group noun's group, a pronoun's antecedent,
        a role description."""
        name = self.by_char.get(token.idx)
        if name:
            return name
        if token.pos_ == "PROPN" and token.text in self.word_person:
            return self.word_person[token.text]
        low = token.lower_
        if low in PERSONAL:
            return self.pronoun(token, avoid)
        if low in REL_PRON and token.head.dep_ == "relcl":
            return self.actor(token.head.head) if deep else None
        plural = token.tag_ in ("NNS", "NNPS") and token.lemma_ not in ("force", "troop", "fighter", "militia",
                                                                         "leader", "official")
        for c in token.children:
            if c.dep_ == "appos" and self.by_char.get(c.idx):
                return self.by_char[c.idx]
            if c.dep_ == "compound" and not plural:
                n = self.by_char.get(c.idx) or (self.word_person.get(c.text) if c.pos_ == "PROPN" else None)
                if n and self.label.get(n) in ("PERSON", None) or (n and token.pos_ == "PROPN"):
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
        if token.lemma_ in ROLE_NOUNS and token.tag_ == "NN" and deep and not any(
                c.dep_ == "prep" and c.lower_ in ("of", "for") for c in token.children):
            role = self.role_description(token)  # "the Russian leader" is a person, not the Russians
            if role:
                return role
        group = self.group_of(token)
        if group:
            return group
        if token.lemma_ in ROLE_NOUNS and deep:
            return self.role_description(token)
        return None

    def group_of(self, token: Token) -> str | None:
        """A group noun's group: "members of the committee", "Republican members", "state party
        leaders", "a spokesperson for X", "X's campaign", "the group" (nearest organisation)."""
        lemma = token.lemma_.lower()
        if lemma in GROUP_PARTS or lemma in AGENTS:
            for c in token.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "for", "from") and (lemma in AGENTS or c.lower_ != "for"):
                    for p in pobjs(c):
                        n = self.by_char.get(p.idx) or self.group_of(p) if p.lower_ not in PERSONAL else self.actor(p)
                        if n and (lemma in AGENTS or self.label.get(n) in ("ORG", "NORP", "GPE")):
                            return n
            for c in token.children:
                if c.dep_ in ("compound", "amod", "nmod", "poss"):
                    n = self.by_char.get(c.idx) or (self.group_of(c) if c.dep_ == "poss" else None)
                    if c.dep_ == "poss" and c.lower_ in PERSONAL and lemma in AGENTS:
                        n = self.actor(c)
                    if n and (self.label.get(n) in ("ORG", "NORP") or (lemma in AGENTS and c.dep_ == "poss")):
                        return n
                    # "state Republican Party leaders": the compound chain's organisation
                    for cc in c.children:
                        n = self.by_char.get(cc.idx)
                        if n and self.label.get(n) in ("ORG", "NORP"):
                            return n
        if lemma in ORG_ANAPHORS and any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its")
                                         for c in token.children):
            before = [(s, n) for s, n in self.orgs if s < token.idx
                      and self.parsed.sentence_at(token.idx) - self.parsed.sentence_at(s) <= 3]
            if before:
                return before[-1][1]
        return None

    # --- pronouns and role descriptions -----------------------------------------------------

    def pronoun(self, token: Token, avoid: frozenset[str] = frozenset()) -> str | None:
        """A personal pronoun's antecedent.  An object pronoun inside the infinitive of an object
        control verb is that verb's subject ("X invited Y to meet with him": him = X); a subject or
        possessive pronoun is the person heading the clause it sits in ("X said that he ..."), else
        the nearest person before it who was a grammatical subject, else the nearest person; within
        the two previous sentences; never one of ``avoid``."""
        kind = PERSONAL[token.lower_]
        if kind != "s":
            for a in token.ancestors:
                if a.dep_ == "xcomp" and base(a.head.lemma_) in OBJECT_CONTROL and VERBS.get(base(a.lemma_)) == "meets":
                    subs = subjects_of(a.head)
                    names = [n for n in (self.actor(s, deep=False) for s in subs) if n and self.label.get(n) == "PERSON"]
                    if names and names[0] not in avoid:
                        return names[0]
                    break
        if kind != "o":
            for a in token.ancestors:
                for c in a.children:
                    if c.dep_ == "nsubj" and c.i < token.i and c is not token:
                        if c.lower_ in PERSONAL:  # "He suggested ... and he urged": the same person
                            n = self.pronoun(c, avoid) if PERSONAL[c.lower_] == "s" and c.lower_ == token.lower_ else None
                        else:
                            n = self.by_char.get(c.idx) or self.actor(c, deep=False)
                        if n and self.label.get(n) == "PERSON" and n not in avoid:
                            return n
        start = token.idx
        sent = self.parsed.sentence_at(start)
        here = [(s, n) for s, n in self.subject_persons if self.parsed.sentence_at(s) == sent]
        here_any = [(s, n) for s, n in self.persons if self.parsed.sentence_at(s) == sent
                    and s not in self.modifier_starts]  # "the Obama administration" is no antecedent
        pools = (here, here_any, self.main_subject_persons, self.subject_persons, self.persons) if kind != "o" \
            else (self.persons,)
        for pool in pools:
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
        """"The Mexican leader", "the president": the nearest person named before whose recorded
        role shares the description's words (a generic noun such as "leader" matches any role);
        else, for a role noun with a place and no name ("Libya's security chief"), the article's
        most quoted named official with no other nationality; None when unsure."""
        if any(c.dep_ == "det" and c.lower_ in ("a", "an", "another", "every", "each", "any") for c in token.children):
            return None
        mods = {c.lower_ for c in token.children if c.dep_ in ("amod", "compound", "nmod")
                and c.pos_ in ("ADJ", "PROPN", "NOUN")}
        mods = {m.rstrip("'s") for m in mods}
        noun = token.lemma_.lower()
        match = consistent = None
        stems = lambda ws: {w[:5] for w in ws}  # "Mexican" and "Mexico", "Russian" and "Russia"
        for s, name in self.persons:
            if s >= token.idx:
                break
            role = self.roles.get(name, set())
            if not role or name in (self.actor(c, deep=False) for c in token.children if c.dep_ == "appos"):
                continue
            if (noun in role or (noun in GENERIC_ROLES)) and stems(mods - {"former", "top", "current", "new"}) <= stems(role):
                match = name
                if ("former" in mods) == ("former" in role):  # a former office holder is not the current one
                    consistent = name
        if consistent or match:
            return consistent or match
        places = [c for c in token.children if c.dep_ in ("poss", "compound", "nmod")
                  and (self.label.get(self.by_char.get(c.idx, ""), "") in ("GPE", "NORP", "ORG")
                       or c.ent_type_ in ("GPE", "NORP"))]
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


# --- subjects --------------------------------------------------------------------------------------


def subjects_of(tok: Token, steps: int = 6) -> list[Token]:
    """Subject tokens of a predicate, climbing through open clauses that have none: an infinitive of
    an object control verb takes that verb's object ("urged X to cancel"), a gerund after "for" on a
    verb of judgement takes its object ("criticised X for inviting"), a noun's infinitive takes the
    noun's possessor ("X's decision to invite"), other open clauses the subject above."""
    t = tok
    for _ in range(steps):
        subj = [c for c in t.children if c.dep_ in ("nsubj", "csubj")]
        if not subj and t is not tok:
            subj = [c for c in t.children if c.dep_ == "nsubjpass"]
        if not subj and t.dep_ in ("conj", "advcl", "ccomp", "ROOT"):
            subj = left_subject(t)
        if subj:
            return [s for x in subj for s in conj(x)]
        head = t.head
        if t.dep_ == "xcomp" and base(head.lemma_) in OBJECT_CONTROL:
            # "called X to ..." is a phone call; "called on X to ..." is control
            objs = [c for c in head.children if c.dep_ == "dobj"] if base(head.lemma_) != "call" else []
            objs += [p for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon", "for", "with")
                     for p in pobjs(c)]
            if objs:
                return [s for x in objs for s in conj(x)]
        if t.dep_ == "pcomp" and head.lower_ == "for" and VERBS.get(base(head.head.lemma_)) in ("accuses", "supports"):
            objs = [c for c in head.head.children if c.dep_ in ("dobj", "nsubjpass")]
            if objs:
                return objs
        if t.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
            poss = [c for c in head.children if c.dep_ == "poss"]
            if poss:
                return poss
            frm = [p for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "by") for p in pobjs(c)]
            if frm:
                return frm
        if t.dep_ in ("xcomp", "advcl", "pcomp", "prep", "acl", "conj", "dobj", "pobj", "acomp", "ccomp", "attr") \
                and head is not t:
            t = head
            continue
        if t.dep_ == "relcl" and t is not tok:
            ante = t.head  # "X was the latest voice to weigh in and urge Y": the voice is X
            if ante.dep_ == "attr":
                return [c for c in ante.head.children if c.dep_ == "nsubj"] or [ante]
            return [ante]
        break
    passive_subj = [c for c in t.children if c.dep_ == "nsubjpass"]
    if passive_subj and t is not tok:  # "is said to be close to": the passive subject is the holder
        return [s for x in passive_subj for s in conj(x)]
    return []


def left_subject(verb: Token) -> list[Token]:
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
    return conj(head)
