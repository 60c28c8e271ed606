"""Actors: named-entity mentions resolved to canonical actors, per article and across a set.

Within an article, surnames resolve to the fullest name the article gives ("Haftar" -> "Khalifa
Haftar") and acronyms to the expansion it defines ("GNA" -> "Government of National Accord").
Across articles, a one-word name that is the surname of a person another article names in full
joins that person, and acronyms defined in any article apply to all.  Nationalities ("Russian")
stay separate actors of type ``group``: linking them to a country is not merging them.
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
        taken.append((start, start + len(surface)))
        sent = parsed.sentence_at(start)
        if kinds.get(sent) == "caption":
            continue
        out.append(Mention(start=start, end=start + len(surface), text=surface, label=ent.label_,
                           sentence=sent, actor=canonical(surface, index, ent.label_)))
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
    # one-word person names join the fullest person with that surname
    persons = [n for n in names if labels[n].most_common(1)[0][0] == "PERSON"]
    by_last: dict[str, str] = {}
    for n in sorted(persons, key=lambda n: (len(n.split()), names[n]), reverse=True):
        by_last.setdefault(n.split()[-1], n)
    mapping: dict[str, str] = {}
    for n in names:
        target = acronyms.get(n, n)
        if len(target.split()) == 1 and target in by_last and by_last[target] != target:
            target = by_last[target]
        mapping[n] = target
    counts: Counter[str] = Counter()
    by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    merged_labels: dict[str, Counter[str]] = defaultdict(Counter)
    aliases: dict[str, set[str]] = defaultdict(set)
    for outlet, mentions in groups:
        for m in mentions:
            c = mapping[m.actor]
            counts[c] += 1
            by_outlet[c][outlet] += 1
            merged_labels[c][m.label] += 1
            aliases[c].add(m.text)
    actors = []
    for name, n in counts.most_common():
        label = merged_labels[name].most_common(1)[0][0]
        actors.append(Actor(name=name, type=ACTOR_LABELS[label], mentions=n,
                            aliases=sorted(a for a in aliases[name] if a != name),
                            by_outlet=dict(by_outlet[name])))
    if top:
        actors = actors[:top]
    return actors, mapping
