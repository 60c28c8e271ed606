"""Coreference for speakers: a pronoun or role noun tied to the named actor the text supports.

What: :func:`person_profiles` reads, for every person named in an article, the gender the text
or the first name suggests ("Mr.", "Ms.", ``gender-guesser`` on the first name) and the roles it
attests ("Senator Jane Doe", "Jane Doe, the city's mayor", "the interior minister Jane Doe").
:func:`compatible` says whether a pronoun or role noun can refer to such a person, and
:func:`group_antecedent` finds the plural subject "they" stands for ("Jane Doe and John Roe", "the
officials").

Why: the nearest name before "she said" or "the senator said" is often the person the quote is
about, not the speaker.  Gender, number and attested role rule out most wrong antecedents; an
indefinite role ("a college spokeswoman", "an official") introduces someone new and is never
tied to an earlier name; "they" never becomes one person.  Lexicons here are general English.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

FEMALE_WORDS = frozenset("""
she her hers herself ms ms. mrs mrs. miss madam lady queen princess spokeswoman chairwoman
congresswoman businesswoman woman mother daughter wife sister grandmother aunt niece actress
""".split())
MALE_WORDS = frozenset("""
he him his himself mr mr. sir lord king prince spokesman chairman congressman businessman man
father son husband brother grandfather uncle nephew actor
""".split())
# Abbreviated titles written before a name and the role noun they stand for.
TITLE_ROLES = {"sen": "senator", "sen.": "senator", "rep": "representative", "rep.": "representative",
               "gov": "governor", "gov.": "governor", "gen": "general", "gen.": "general",
               "lt": "lieutenant", "col": "colonel", "col.": "colonel", "pres": "president",
               "congresswoman": "representative", "congressman": "representative"}
# Role nouns that name the same office ("the lawmaker" may be the senator).
ROLE_GROUPS = [
    {"senator", "lawmaker", "legislator", "representative", "congressman", "congresswoman", "member"},
    {"spokesman", "spokeswoman", "spokesperson", "spokesmen", "representative"},
    {"chairman", "chairwoman", "chair", "head", "leader", "chief"},
    {"minister", "secretary", "chief", "official"},
    {"lawyer", "attorney", "counsel"},
    {"adviser", "advisor", "aide", "strategist", "official"},
]
QUALIFIERS = frozenset({"vice", "deputy", "assistant", "lieutenant", "under", "associate"})
ROLE_TITLES = frozenset("president senator governor mayor minister secretary chancellor premier judge "
                        "general ambassador chairman chairwoman director".split())
INDEFINITE = frozenset({"a", "an", "another", "one", "some", "several", "two", "three", "many"})


@dataclass
class Profile:
    """What the article says about one named person."""

    name: str
    gender: str | None = None  # "f" | "m" | None (unknown)
    roles: set[str] = field(default_factory=set)


@functools.lru_cache(maxsize=1)
def _detector():
    try:
        import gender_guesser.detector as gd
    except ImportError:  # optional: without it only titles and role nouns give a gender
        return None
    return gd.Detector(case_sensitive=False)


@functools.lru_cache(maxsize=4096)
def first_name_gender(first: str) -> str | None:
    det = _detector()
    if det is None or not first[:1].isalpha():
        return None
    g = det.get_gender(first)
    return "f" if g == "female" else "m" if g == "male" else None


def word_gender(word: str) -> str | None:
    w = word.lower()
    return "f" if w in FEMALE_WORDS else "m" if w in MALE_WORDS else None


def _qualified(doc: Doc, k: int) -> str:
    """The role at token ``k``, with a qualifier that makes it another office ("vice president",
    "deputy minister" are not "the president", "the minister")."""
    role = _role_of(doc[k])
    if k > 0 and doc[k - 1].lower_.rstrip("-") in QUALIFIERS:
        return doc[k - 1].lower_.rstrip("-") + " " + role
    return role


def _role_of(tok: Token) -> str:
    low = tok.lower_
    return TITLE_ROLES.get(low, tok.lemma_.lower())


def person_profiles(doc: Doc, resolve) -> dict[str, Profile]:
    """Gender and attested roles of every PERSON entity, by resolved name."""
    out: dict[str, Profile] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = resolve(ent.text)
        if not name:
            continue
        prof = out.setdefault(name, Profile(name))
        _add_roles(ent, prof)
        if prof.gender is None:
            prof.gender = _ent_gender(ent)
    return out


def _ent_gender(ent: Span) -> str | None:
    doc = ent.doc
    for t in list(doc[max(ent.start - 2, 0):ent.start]) + list(ent[:1]):
        g = word_gender(t.text.rstrip("."))
        if g and t.pos_ != "PRON":
            return g
    words = [t.text for t in ent if t.text[:1].isupper() and "." not in t.text]
    return first_name_gender(words[0]) if len(words) >= 2 else None


def _add_roles(ent: Span, prof: Profile) -> None:
    doc = ent.doc
    root = ent.root
    # titles and role nouns written before the name ("Senator", "the interior minister")
    k = ent.start - 1
    while k >= 0 and k >= ent.start - 4 and doc[k].pos_ in ("PROPN", "NOUN", "ADJ") and doc[k].head.i in range(ent.start, ent.end):
        prof.roles.add(_qualified(doc, k))
        k -= 1
    for t in ent:
        if t.lower_.rstrip(".") in ("sen", "rep", "gov", "gen") or t.lower_ in TITLE_ROLES:
            prof.roles.add(TITLE_ROLES.get(t.lower_, TITLE_ROLES.get(t.lower_ + ".", t.lower_)))
        elif t.lower_ in ROLE_TITLES and t.i < ent.end - 1:
            prof.roles.add(_qualified(doc, t.i))  # "President Jane Doe" tagged as one entity
    # appositions: "Jane Doe, the city's mayor" / "the mayor, Jane Doe"
    for c in root.children:
        if c.dep_ == "appos":
            prof.roles.add(_role_of(c))
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        prof.roles.add(_role_of(root.head))
    if root.dep_ in ("compound",) and root.head.pos_ == "NOUN" and root.head.i > ent.end - 1:
        pass  # "the Doe campaign": not a role of the person


def role_matches(role: str, roles: set[str]) -> bool:
    if role in roles:
        return True
    return any(role in g and roles & g for g in ROLE_GROUPS)


def compatible(word: str, prof: Profile) -> bool:
    """Whether a pronoun or role noun ``word`` can refer to the person ``prof`` by gender."""
    g = word_gender(word)
    return g is None or prof.gender is None or g == prof.gender


def is_indefinite(head: Token) -> bool:
    """'a spokeswoman', 'an official', 'one aide': someone new, not an earlier name."""
    return any(c.dep_ in ("det", "nummod") and c.lower_ in INDEFINITE for c in head.children)


def group_antecedent(doc: Doc, before: int, sent_start: int, in_quote, resolve) -> tuple[str, Span] | None:
    """The plural subject nearest before char ``before`` (same or previous two sentences) that
    "they" can stand for: people joined by "and", a plural noun, or an organisation."""
    start_tok = doc.char_span(sent_start, sent_start + 1, alignment_mode="expand")
    if start_tok is None:
        return None
    first = start_tok.start
    sents = []
    s = doc[first].sent
    for _ in range(3):
        sents.append(s)
        if s.start == 0:
            break
        s = doc[s.start - 1].sent
    for s in sents:
        subj = [t for t in s if t.dep_ in ("nsubj", "nsubjpass") and t.idx < before and not in_quote(t.idx)]
        for t in reversed(subj):
            conj = [c for c in t.children if c.dep_ == "conj"]
            if conj and t.ent_type_ == "PERSON":
                names = [resolve(_ent_text(t))] + [resolve(_ent_text(c)) for c in conj]
                lo = min(t.left_edge.idx, *(c.left_edge.idx for c in conj))
                hi = max(c.right_edge.idx + len(c.right_edge) for c in conj)
                return " and ".join(names), doc.char_span(lo, hi, alignment_mode="expand")
            if t.tag_ in ("NNS", "NNPS") or (t.ent_type_ in ("ORG", "NORP") and t.pos_ == "PROPN"):
                lo, hi = t.left_edge.idx, t.idx + len(t)
                span = doc.char_span(lo, hi, alignment_mode="expand")
                name = resolve(span.text) if t.ent_type_ in ("ORG", "NORP") else span.text
                return name, span
            if t.lower_ not in ("they", "them") and t.pos_ != "PRON":
                return None  # a singular subject in between: "they" is not resolvable here
    return None


def _ent_text(t: Token) -> str:
    for e in t.doc.ents:
        if e.start <= t.i < e.end:
            return e.text
    return t.text
