"""Actors: named-entity mentions resolved to canonical actors, per article and across a set.

Within an article, surnames resolve to the fullest name the article gives ("Haftar" -> "Khalifa
Haftar") and acronyms to the expansion it defines ("GNA" -> "Government of National Accord").
Across articles, a one-word name that is the surname of a person another article names in full
joins that person, and acronyms defined in any article apply to all.  Nationalities ("Russian")
stay separate actors of type ``group``: they are linked to their country (``Actor.links``), never
merged with it.  Two people who share a surname ("Bill Clinton", "Hillary Clinton") stay apart, and
a bare surname joins a full name only when one person in the set carries it; full names that
differ only by a middle initial or a clipped first name ("Donald J. Trump", "Khalif Haftar")
merge.  Types: ``person``, ``organisation``, ``armed group`` (an organisation named as an army,
forces, militia or brigade), ``country`` (a place a nationality points to, or a well-known
country alias), ``place``, ``group`` (nationalities); ``compare.rank_actors`` types cited outlets
``media``.  Roles come from the words the text puts before or beside a person's name
("Russian Defense Minister Sergey Shoigu", "Fathi Bashagha, the interior minister for the GNA").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from ..model import Actor, Mention
from ..nlp import Parsed
from .names import NameIndex, build_index, clean_name

ACTOR_LABELS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
                "FAC": "place", "NORP": "group"}
# Short forms of a few very common international actors, written many ways in English news.
# General knowledge, not tied to any story.
COMMON_ALIASES = {
    "US": "United States", "U.S.": "United States", "U.S": "United States", "USA": "United States",
    "U.S.A.": "United States", "America": "United States", "United States of America": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom", "UN": "United Nations", "U.N.": "United Nations",
    "EU": "European Union", "E.U.": "European Union", "UAE": "United Arab Emirates",
    "U.A.E.": "United Arab Emirates", "USSR": "Soviet Union",
}
_SKIP = re.compile(r"^(pro|anti|non|ex)-", re.IGNORECASE)
ARMED = re.compile(r"\b(army|armed forces|forces|militia|militias|brigade|brigades|guard|battalion|mercenaries|rebels)\b", re.I)
# nationality endings, longest first: "Russian" -> "Russia", "Libyan" -> "Libya", "Turkish" -> "Turk"
_DEMONYM_ENDINGS = ("ians", "ans", "ese", "ish", "ian", "an", "i", "n", "s")
_ROLE_WORDS = {"minister", "president", "secretary", "commander", "chief", "spokesman", "spokeswoman", "leader",
               "governor", "senator", "ambassador", "envoy", "general", "director", "chairman", "head", "premier",
               "mayor", "official", "adviser", "advisor", "founder", "nominee", "candidate", "sheriff", "prosecutor"}


def person_role(parsed: Parsed, start: int, end: int) -> str:
    """The role the text gives the person named at ``start:end``: title words just before the
    name ("Russian Defense Minister") or an appositive ("..., the interior minister for the GNA,")."""
    span = parsed.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return ""
    doc = parsed.doc
    words: list[str] = []
    i = span.start - 1
    while i >= 0 and doc[i].pos_ in ("PROPN", "NOUN", "ADJ") and doc[i].ent_type_ not in ("PERSON",) and i >= span.start - 5:
        words.insert(0, doc[i].text)
        i -= 1
    if any(w.lower().rstrip(".") in _ROLE_WORDS for w in words):
        while words and words[0].lower().rstrip(".") not in _ROLE_WORDS and not words[0][:1].isupper():
            words.pop(0)
        return " ".join(words).strip()
    head = span.root
    # "Fathi Bashagha, the interior minister for ..." / "the commander of the LNA, Khalifa Haftar"
    cands = [c for c in head.children if c.dep_ == "appos"]
    if head.dep_ == "appos":
        cands.append(head.head)
    for c in cands:
        if c.lemma_.lower() in _ROLE_WORDS:
            toks = [t for t in c.lefts if t.dep_ in ("amod", "compound", "nmod") and t.i >= c.i - 3]
            start = toks[0].i if toks else c.i
            return doc[start:c.i + 1].text
    return ""


def demonym_country(norp: str, places: set[str]) -> str | None:
    """The place a nationality names ("Russian"/"Russians" -> "Russia"), among ``places``."""
    if norp in ("American", "Americans"):
        return "United States" if "United States" in places else None
    for end in _DEMONYM_ENDINGS:
        if norp.endswith(end) and len(norp) - len(end) >= 3:
            stem = norp[: -len(end)]
            for p in places:
                if p.startswith(stem) and len(p) - len(stem) <= 2 and " " not in p:
                    return p
    return None


def same_person(a: str, b: str) -> bool:
    """Two full names of one person: same surname, first names equal, one clipped from the other
    ("Khalif"/"Khalifa") or an initial, middle initials ignored ("Donald J. Trump")."""
    def words(name: str) -> list[str]:
        ws = name.split()
        return ws[:1] + [w for w in ws[1:-1] if not re.fullmatch(r"[A-Z]\.?", w)] + ws[-1:]
    wa, wb = words(a), words(b)
    if len(wa) < 2 or len(wb) < 2 or wa[-1] != wb[-1]:
        return False
    fa, fb = wa[0].rstrip("."), wb[0].rstrip(".")
    if fa == fb:
        return True
    short, long_ = sorted((fa, fb), key=len)
    return long_.startswith(short) and (len(short) >= 4 or len(short) == 1)


def canonical(text: str, index: NameIndex, label: str) -> str:
    name = clean_name(text) if label == "PERSON" else text.strip(" \n,.;:\"'“”‘’")
    if label != "PERSON":
        name = re.sub(r"^(the|The)\s+", "", name)
        name = re.sub(r"(’s|'s)$", "", name)
    name = COMMON_ALIASES.get(name, name)
    name = index.resolve(name) if label in ("PERSON", "ORG") else name
    return COMMON_ALIASES.get(name, name)


def extract_mentions(parsed: Parsed, index: NameIndex | None = None) -> list[Mention]:
    """Named mentions in body sentences with their in-article canonical actor name.

    The statistical NER misses names it has found elsewhere in the same article (an acronym
    after "or", a surname in a long list), so every surface form it did find, and every acronym
    the article defines, is also matched as a whole word across the article's body."""
    index = index or build_index(parsed.doc)
    kinds = {s.index: s.kind for s in parsed.sentences}
    text = parsed.doc.text
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    forms: dict[str, str] = {}
    for ent in parsed.doc.ents:
        if ent.label_ not in ACTOR_LABELS:
            continue
        surface = ent.text.strip()
        if not surface or not surface[0].isupper() or _SKIP.match(surface):
            continue
        start = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
        forms.setdefault(surface, ent.label_)
        if ent.label_ != "PERSON" and re.match(r"(the|The)\s+[A-Z]", surface):
            forms.setdefault(re.sub(r"^(the|The)\s+", "", surface), ent.label_)  # "the Front" after "The Front"
        taken.append((start, start + len(surface)))
        sent = parsed.sentence_at(start)
        if kinds.get(sent) == "caption":
            continue
        role = person_role(parsed, start, start + len(surface)) if ent.label_ == "PERSON" else ""
        out.append(Mention(start=start, end=start + len(surface), text=surface, label=ent.label_,
                           sentence=sent, actor=canonical(surface, index, ent.label_), role=role))
    for acro in index.acronyms:
        forms.setdefault(acro, "ORG")
    for surface, label in forms.items():
        for m in re.finditer(r"(?<![\w-])" + re.escape(surface) + r"(?![\w-])", text):
            a, b = m.span()
            if any(a < e and s < b for s, e in taken):
                continue
            sent = parsed.sentence_at(a)
            taken.append((a, b))
            if kinds.get(sent) == "caption":
                continue
            out.append(Mention(start=a, end=b, text=surface, label=label, sentence=sent,
                               actor=canonical(surface, index, label)))
    out.sort(key=lambda m: m.start)
    return out


def merge_actors(groups: Sequence[tuple[str, list[Mention]]], acronyms: dict[str, str] | None = None,
                 top: int | None = None) -> tuple[list[Actor], dict[str, str]]:
    """Merge per-article mentions (``(outlet, mentions)`` pairs) into canonical actors.

    Returns the actors, most mentioned first, and the map from every per-article actor name to
    its canonical name (so other stages can re-key their records).
    """
    acronyms = acronyms or {}
    names: Counter[str] = Counter()
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    surface: dict[str, set[str]] = defaultdict(set)
    for _, mentions in groups:
        for m in mentions:
            names[m.actor] += 1
            labels[m.actor][m.label] += 1
            surface[m.actor].add(m.text)
    # full names of one person written differently merge into the most mentioned form
    persons = [n for n in names if labels[n].most_common(1)[0][0] == "PERSON"]
    full_map: dict[str, str] = {}
    multi = sorted((n for n in persons if len(n.split()) > 1), key=lambda n: (-names[n], -len(n), n))
    for n in multi:
        if n in full_map:
            continue
        full_map[n] = n
        for m in multi:
            if m not in full_map and same_person(n, m):
                full_map[m] = n
    # one-word person names join the one person with that surname; when two people in the set
    # share it ("Bill Clinton", "Hillary Clinton") the bare surname stays apart
    by_last: dict[str, set[str]] = defaultdict(set)
    for n in multi:
        by_last[n.split()[-1]].add(full_map[n])
    mapping: dict[str, str] = {}
    for n in names:
        target = acronyms.get(n, n)
        target = full_map.get(target, target)
        if len(target.split()) == 1 and len(by_last.get(target, ())) == 1:
            target = next(iter(by_last[target]))
        mapping[n] = target
    counts: Counter[str] = Counter()
    by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    merged_labels: dict[str, Counter[str]] = defaultdict(Counter)
    aliases: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    for outlet, mentions in groups:
        for m in mentions:
            c = mapping[m.actor]
            counts[c] += 1
            by_outlet[c][outlet] += 1
            merged_labels[c][m.label] += 1
            aliases[c].add(m.text)
            if getattr(m, "role", ""):
                roles[c][m.role] += 1
            if m.actor != c:
                aliases[c].add(m.actor)
    places = {n for n in counts if merged_labels[n].most_common(1)[0][0] in ("GPE", "LOC")}
    links: dict[str, set[str]] = defaultdict(set)
    for n in counts:
        if merged_labels[n].most_common(1)[0][0] == "NORP":
            country = demonym_country(n, places)
            if country:
                links[n].add(country)
                links[country].add(n)
    known_countries = set(COMMON_ALIASES.values()) - {"United Nations", "European Union"}
    actors = []
    for name, n in counts.most_common():
        label = merged_labels[name].most_common(1)[0][0]
        kind = ACTOR_LABELS[label]
        if kind == "organisation" and ARMED.search(name):
            kind = "armed group"
        elif kind == "place" and label == "GPE" and (links.get(name) or name in known_countries):
            kind = "country"
        actors.append(Actor(name=name, type=kind, mentions=n,
                            aliases=sorted(a for a in aliases[name] if a != name),
                            by_outlet=dict(by_outlet[name]),
                            role=roles[name].most_common(1)[0][0] if roles.get(name) else "",
                            links=sorted(links.get(name, ()))))
    if top:
        actors = actors[:top]
    return actors, mapping
