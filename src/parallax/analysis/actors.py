"""Actors: named-entity mentions resolved to canonical actors, per article and across a set.

Within an article, mention spans are cleaned first (:mod:`.mentions`: possessives, trailing years,
truncated names, lone adjectives), surnames resolve to the fullest name the article gives
("Haftar" -> "Khalifa Haftar") and acronyms to the expansion it defines.  Across articles
(:func:`merge_actors`) names with the same canonical key (:func:`.actor_types.name_key`) or the same
entry of a general list (countries, agencies, news organisations) merge; full names of one person
merge when first names agree and middle names or initials do not contradict each other ("Donald J.
Trump" = "Donald Trump", "George H. W. Bush" != "George W. Bush"); a bare surname, a partial name
("Peña Nieto") or a name without middle initial joins a full name only when exactly one person in
the set fits; a one-word masthead ("Times") joins the one news organisation ending in it.
Nationalities in the plural ("Russians") stay separate actors of type ``group``, linked to their
country (``Actor.links``).  The type is decided per actor by votes over all its mentions
(:func:`.actor_types.vote_type`); an actor cited as a news source ("told X", "X reported") is
typed ``media`` only when it is not a person.  Every actor carries ``key``, the deterministic
canonical key that names it in every outlet and story.  Roles come from the words the text puts
before or beside a person's name ("Russian Defense Minister Sergey Shoigu").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace

from ..model import Actor, Article, Mention
from ..nlp import Parsed
from ..nlp.parsed import doc_text
from .actor_types import (ARMED, LABEL_TYPE, context_votes, country_names, fold, gazetteer, given, is_acronym, known,
                          name_key, vote_type)

__all__ = ["extract_mentions", "merge_actors", "resolve_actors", "same_person", "demonym_country", "person_role"]
from .mentions import clean_span
from .names import NameIndex, _parts, build_index, clean_name, find_acronyms, same_person
from .relation_args import GROUP_PARTS

ACTOR_LABELS = LABEL_TYPE
# Short forms of a few very common international actors (kept for callers; the full lists are
# in ``parallax/data`` and pycountry).
COMMON_ALIASES = {
    "US": "United States", "U.S.": "United States", "U.S": "United States", "USA": "United States",
    "U.S.A.": "United States", "America": "United States", "United States of America": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom", "UN": "United Nations", "U.N.": "United Nations",
    "EU": "European Union", "E.U.": "European Union", "UAE": "United Arab Emirates",
    "U.A.E.": "United Arab Emirates", "USSR": "Soviet Union",
}
_SKIP = re.compile(r"^(pro|anti|non|ex)-", re.IGNORECASE)
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


def canonical(text: str, index: NameIndex, label: str) -> str:
    """The in-article name of a mention: titles and possessives cut, surnames and acronyms
    resolved through the article's index, country short forms spelled out."""
    name = clean_name(text) if label == "PERSON" else text.strip(" \n,;:\"'“”‘’")
    if label != "PERSON":
        name = re.sub(r"^(the|The)\s+", "", name)
        name = re.sub(r"(’s|'s)$", "", name)
    name = COMMON_ALIASES.get(name, name)
    name = index.resolve(name) if label in ("PERSON", "ORG") else name
    return COMMON_ALIASES.get(name, name)


def _label(text: str, start: int, surface: str, label: str) -> str:
    """The entity label corrected by the words before the mention: a title or role before a
    name ("Sen. X", "Homeland Security Secretary X") makes it a person's."""
    if label != "PERSON" and context_votes(text[max(0, start - 40):start]).get("person") \
            and len(surface.split()) <= 3 and (known(surface) or ("place",))[0] == "place" and not ARMED.search(surface):
        return "PERSON"
    return label


def extract_mentions(parsed: Parsed, index: NameIndex | None = None) -> list[Mention]:
    """Named mentions in body sentences with their in-article canonical actor name.

    Entity spans are cleaned (:func:`.mentions.clean_span`) and refused when they are no actor.
    The statistical NER misses names it has found elsewhere in the same article (an acronym
    after "or", a surname in a long list), so every surface form it did find, and every acronym
    the article defines, is also matched as a whole word across the article's body."""
    index = index or build_index(parsed.doc)
    kinds = {s.index: s.kind for s in parsed.sentences}
    text = doc_text(parsed.doc)
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    forms: dict[str, str] = {}
    for start, end, ent_label in _entity_spans(parsed):
        surface = text[start:end]
        label = _label(text, start, surface, ent_label)
        forms.setdefault(surface, label)
        if label != "PERSON" and re.match(r"(the|The)\s+[A-Z]", surface):
            forms.setdefault(re.sub(r"^(the|The)\s+", "", surface), label)  # "the Front" after "The Front"
        taken.append((start, end))
        sent = parsed.sentence_at(start)
        if kinds.get(sent) == "caption":
            continue
        role = person_role(parsed, start, end) if label == "PERSON" else ""
        out.append(Mention(start=start, end=end, text=surface, label=label, sentence=sent,
                           actor=canonical(surface, index, label), role=role))
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
            out.append(Mention(start=a, end=b, text=surface, label=_label(text, a, surface, label), sentence=sent,
                               actor=canonical(surface, index, label)))
    out.sort(key=lambda m: m.start)
    return out


def _entity_spans(parsed: Parsed) -> list[tuple[int, int, str]]:
    """Cleaned actor spans of the NER, split at a slash ("NBC News/Wall Street Journal"), plus
    names of the general lists the NER missed (a proper noun not opening a sentence)."""
    doc, text = parsed.doc, doc_text(parsed.doc)
    raw: list[tuple[int, int, str, bool]] = []
    for ent in doc.ents:
        if ent.label_ in ACTOR_LABELS and not _SKIP.match(ent.text.strip()):
            modifier = ent.root.dep_ in ("amod", "compound", "nmod", "poss") or ent.root.pos_ == "ADJ"
            if modifier and ent.label_ == "NORP" and ent.root.head.lemma_.lower() in GROUP_PARTS:
                modifier = False  # "Republican members", "Russian officials": the group acts
            a = ent.start_char
            for sep in re.finditer(r"(?<=[a-z.])/(?=[A-Z])|(?<=[\w.]) and the (?=[A-Z])", ent.text):
                raw.append((a, ent.start_char + sep.start(), ent.label_, modifier))
                a = ent.start_char + sep.end()
            raw.append((a, ent.end_char, ent.label_, modifier))
        elif ent.label_ in ("WORK_OF_ART", "PRODUCT") and known(ent.text) and known(ent.text)[0] == "media":
            raw.append((ent.start_char, ent.end_char, "ORG", False))
    # "Washington, DC", "Portland, ME": a place and its two-letter state code are one place
    for i in range(len(raw) - 1):
        (a, b, la, ma), (c, d, lc, _) = raw[i], raw[i + 1]
        if la == lc == "GPE" and re.fullmatch(r",\s*", text[b:c]) and re.fullmatch(r"[A-Z]\.?[A-Z]\.?", text[c:d]):
            raw[i], raw[i + 1] = (a, d, la, ma), (d, d, lc, True)
    out: list[tuple[int, int, str]] = []
    for a, b, label, modifier in raw:
        span = clean_span(text, a, b, label, modifier)
        if span and not any(x < span[1] and span[0] < y for x, y, _ in out):
            out.append((span[0], span[1], label))
    starts = {s.start for s in parsed.sentences}
    for m in gazetteer().finditer(text):
        a, b = m.span()
        if any(x < b and a < y for x, y, _ in out):
            continue
        tok = doc.char_span(a, b, alignment_mode="expand")
        if tok is None or (a in starts and len(m.group().split()) == 1) or tok[0].pos_ != "PROPN":
            continue
        out.append((a, b, "ORG"))
    return sorted(out)


class _Sets:
    """Union-find over names."""

    def __init__(self) -> None:
        self.up: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.up.setdefault(x, x)
        while self.up[x] != x:
            self.up[x] = self.up[self.up[x]]
            x = self.up[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.up[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for x in list(self.up):
            out[self.find(x)].append(x)
        return out


def _is_multi(name: str) -> bool:
    return len(_parts(name)[0]) > 0


def merge_actors(groups: Sequence[tuple[str, list[Mention]]], acronyms: dict[str, str] | None = None,
                 top: int | None = None, media: set[str] | None = None) -> tuple[list[Actor], dict[str, str]]:
    """Merge per-article mentions (``(outlet, mentions)`` pairs) into canonical actors.

    ``media`` names actors the articles cite as news sources ("told X"); they are typed media
    unless they are people, countries or places ("the world tells Israel").  Returns the actors, most mentioned first, and the map from every
    per-article actor name to its canonical name (so other stages can re-key their records).
    """
    acronyms = acronyms or {}
    names: Counter[str] = Counter()
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for _, mentions in groups:
        for m in mentions:
            names[m.actor] += 1
            labels[m.actor][m.label] += 1
    sets = _Sets()
    by_key: dict[str, str] = {}
    for n in sorted(names):
        sets.find(n)
        hit = known(n)
        for k in {name_key(n), "list:" + name_key(hit[1]) if hit else "", re.sub(r"[\s-]", "", name_key(n)) + "#"} - {""}:
            if k in by_key:
                sets.union(by_key[k], n)
            else:
                by_key[k] = n
    for n in sorted(names):
        exp = acronyms.get(n)
        if exp and (exp in names or name_key(exp) in by_key):
            sets.union(n, by_key.get(name_key(exp), exp))

    def type_of(ms: list[str]) -> str:
        lab: Counter[str] = Counter()
        for x in ms:
            lab.update(labels[x])
        return vote_type(lab.elements(), Counter(), sorted(ms, key=lambda x: (-names[x], x)))

    snapshot = {x: kind for ms in sets.groups().values() for kind in [type_of(ms)] for x in ms}

    def typed(n: str) -> str:
        return snapshot[n] if n in snapshot else type_of([n])

    # full names of one person: those with middle names or initials first, then names without,
    # which join only when one person fits
    persons = [n for n in names if _is_multi(n) and typed(n) == "person"]
    persons.sort(key=lambda n: (-len(_parts(n)[1]), -names[n], -len(n), n))
    clusters: list[list[str]] = []
    by_last: dict[str, list[int]] = defaultdict(list)  # folded surname -> clusters (indexed: a
    for n in persons:                                   # database holds many thousand names)
        cand = by_last[fold(_parts(n)[2])]
        fits = [i for i in cand if all(same_person(n, x) for x in clusters[i])]
        if len(fits) == 1:
            clusters[fits[0]].append(n)
            sets.union(clusters[fits[0]][0], n)
        elif not fits and not any(same_person(n, x) for i in cand for x in clusters[i]):
            cand.append(len(clusters))
            clusters.append([n])
    # a bare surname or a partial name ("Peña Nieto", "Enrique Peña") joins the one person whose
    # name ends (or, for two words or more, starts) with it; a lone given name ("Elizabeth") the
    # one person with that given name, when no one has it as a surname
    suffix: dict[tuple[str, ...], set[int]] = defaultdict(set)
    prefix: dict[tuple[str, ...], set[int]] = defaultdict(set)
    by_given: dict[str, set[int]] = defaultdict(set)
    for i, c in enumerate(clusters):
        for x in c:
            ws = tuple(fold(w) for w in x.split())
            for k in range(1, len(ws)):
                suffix[ws[-k:]].add(i)
                if k >= 2:
                    prefix[ws[:k]].add(i)
            by_given[given(ws[0])].add(i)
    longest = {sets.find(c[0]): max(len(x.split()) for x in c) for c in clusters}
    lasts = Counter(fold(x.split()[-1]) for x in names if x.split())
    for n in sorted(names):
        if longest.get(sets.find(n), 0) > len(n.split()) or (known(n) and typed(n) != "person"):
            continue
        words = tuple(fold(w) for w in n.split())
        if not words:
            continue
        own = sets.find(n)
        fits = {sets.find(clusters[i][0]) for i in suffix.get(words, set()) | prefix.get(words, set())} - {own}
        if not fits and len(words) == 1 and typed(n) == "person" and lasts[words[0]] == 1:
            fits = {sets.find(clusters[i][0]) for i in by_given.get(given(words[0]), ())} - {own}
        if len(fits) == 1 and labels[n].get("NORP", 0) < sum(labels[n].values()):
            sets.union(next(iter(fits)), n)
    # an acronym joins the one organisation named in full whose initials it spells ("NOW")
    spelled: dict[str, list[str]] = defaultdict(list)
    for x in names:
        if len(x.split()) > 1 and typed(x) != "person":
            spelled["".join(w[0] for w in x.split() if w[:1].isupper())].append(x)
    for n in sorted(names):
        if is_acronym(n) and not known(n):
            fits = {sets.find(x) for x in spelled.get(n.replace(".", "").replace("&", ""), ())}
            if len(fits) == 1:
                sets.union(next(iter(fits)), n)
    # a one-word masthead ("Times") joins the one news organisation named in full that ends in it
    mastheads = [n for n in names if len(name_key(n).split()) > 1 and typed(n) == "media"]
    for n in names:
        k = name_key(n)
        if len(k.split()) == 1 and typed(n) in ("media", "organisation"):
            fits = {sets.find(m) for m in mastheads if name_key(m).split()[-1] == k}
            if len(fits) == 1:
                sets.union(next(iter(fits)), n)

    mapping: dict[str, str] = {}
    actors_raw = []
    for root, ms in sets.groups().items():
        kind = type_of(ms)
        ms.sort(key=lambda x: (-names[x], -len(x), x))
        hit = next((known(x) for x in ms if known(x)), None)
        if kind == "person":
            full = [x for x in ms if _is_multi(x)]
            name = max(full, key=lambda x: (len(x.split()), names[x], x)) if full else ms[0]
        elif hit and hit[0] in ("country", "organisation", "place"):
            name = hit[1]
        else:
            exp = [acronyms[x] for x in ms if x in acronyms]
            name = exp[0] if exp else ms[0]
        if media and kind not in ("person", "country", "place", "group") and any(x in media for x in ms):
            kind = "media"
        key = name_key(hit[1]) if hit and kind != "person" else name_key(name)
        for x in ms:
            mapping[x] = name
        actors_raw.append((name, kind, key))
    return _build(groups, mapping, actors_raw, top)


def _build(groups, mapping, actors_raw, top) -> tuple[list[Actor], dict[str, str]]:
    counts: Counter[str] = Counter()
    by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    aliases: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    for outlet, mentions in groups:
        for m in mentions:
            c = mapping[m.actor]
            counts[c] += 1
            by_outlet[c][outlet] += 1
            aliases[c].add(m.text)
            if getattr(m, "role", ""):
                roles[c][m.role] += 1
            if m.actor != c:
                aliases[c].add(m.actor)
    kinds = {name: (kind, key) for name, kind, key in actors_raw}
    places = {n for n in counts if kinds[n][0] in ("country", "place")}
    links: dict[str, set[str]] = defaultdict(set)
    for n in counts:
        if kinds[n][0] == "group":
            country = demonym_country(n, places)
            if country:
                links[n].add(country)
                links[country].add(n)
    actors = []
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        kind, key = kinds[name]
        if kind == "place" and (links.get(name) or name_key(name) in country_names()):
            kind = "country"
        actors.append(Actor(name=name, type=kind, mentions=n,
                            aliases=sorted(a for a in aliases[name] if a != name),
                            by_outlet=dict(by_outlet[name]),
                            role=roles[name].most_common(1)[0][0] if roles.get(name) else "",
                            links=sorted(links.get(name, ())), key=key))
    if top:
        actors = actors[:top]
    return actors, mapping


def resolve_actors(articles: Sequence[Article], top: int | None = None) -> tuple[list[Actor], dict[str, str]]:
    """Canonical actors of analysed articles about one story (mentions and sources read from the
    records): acronyms any article defines apply to all; names cited as news outlets or agencies
    are typed media unless they are people."""
    acronyms: dict[str, str] = {}
    for a in articles:
        for k, v in find_acronyms(a.text).items():
            acronyms.setdefault(k, v)
    media = {s.name for a in articles for s in a.sources if s.kind in ("outlet", "agency")}
    return merge_actors([(a.label, a.mentions) for a in articles], acronyms, top, media)


def retype_media(actors: Sequence[Actor], sources: dict[str, list[str]]) -> list[Actor]:
    """Actors cited as sources typed media, never a person (kept for callers of the old API)."""
    return [replace(a, type="media") if a.name in sources and a.type not in ("person",) else a for a in actors]
