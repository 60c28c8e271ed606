"""Name resolution inside one article: surnames to full names, acronyms to their expansions.

"Bashagha" resolves to "Fathi Bashagha" when the article names him in full somewhere; "GNA"
resolves to "Government of National Accord" when the article spells it out ("... Accord (GNA)"
or "..., or GNA").  Everything works from the article's own text: no gazetteer, no story names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ..nlp.parsed import doc_text
from .actor_types import fold, given

TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "general", "col", "colonel", "lt", "maj", "major",
    "capt", "captain", "sgt", "adm", "admiral", "marshal", "field", "president", "vice",
    "prime", "minister", "secretary", "sen", "senator", "rep", "representative", "gov",
    "governor", "mayor", "king", "queen", "prince", "princess", "sheikh", "pope", "rev",
    "judge", "justice", "chancellor", "premier", "ambassador", "commander", "chief", "foreign",
    "interior", "defense", "defence", "deputy", "acting", "former", "mp", "sir", "lord", "lady",
    "the", "leader", "spokesman", "spokeswoman", "spokesperson", "director", "chairman", "ceo",
}
PERSON_LABELS = {"PERSON"}
ORG_LABELS = {"ORG", "NORP", "GPE", "LOC", "FAC"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_ACRONYM_PAREN = re.compile(r"\b((?:[A-Z][\w\-]*\s+)(?:(?:of|for|and|the|de|du|al)\s+|[A-Z][\w\-]*\s+){0,8}[A-Z][\w\-]*)\s*\(\s*([A-Z][A-Z0-9&]{1,9})\s*\)")
_ACRONYM_OR = re.compile(r"\b((?:[A-Z][\w\-]*\s+)(?:(?:of|for|and|the)\s+|[A-Z][\w\-]*\s+){0,8}[A-Z][\w\-]*),?\s+or\s+(?:the\s+)?([A-Z][A-Z0-9&]{1,9})\b")


def clean_name(text: str) -> str:
    """Strip a leading article/title words and a trailing possessive: "Gen. Khalifa Haftar's" ->
    "Khalifa Haftar"."""
    text = _POSSESSIVE.sub("", text.strip()).strip(" ,.;:\"'“”‘’")
    words = text.split()
    while len(words) > 1 and (words[0].rstrip(".").lower() in TITLES or words[0][:1].islower()):
        words.pop(0)
    return " ".join(words)


def _initials(expansion: str) -> str:
    return "".join(w[0] for w in expansion.split() if w[:1].isupper())


def find_acronyms(text: str) -> dict[str, str]:
    """Acronyms defined in the text, mapped to their expansion when the initials agree."""
    found: dict[str, str] = {}
    for pattern in (_ACRONYM_PAREN, _ACRONYM_OR):
        for m in pattern.finditer(text):
            expansion, acro = m.group(1).strip(), m.group(2)
            words = expansion.split()
            # trim leading words until the initials match the acronym (drops "Tripoli-based the")
            for i in range(len(words)):
                cand = " ".join(words[i:])
                if _initials(cand).upper() == acro.replace("&", "").upper():
                    found.setdefault(acro, cand)
                    break
    return found


def _parts(name: str) -> tuple[str, list[str], str]:
    """(first name, middle names or initials, surname) of a full name; suffixes dropped."""
    ws = [w for w in name.replace(",", " ").split() if fold(w).strip(".") not in _SUFFIXES]
    if len(ws) < 2:
        return "", [], ws[0] if ws else ""
    return ws[0], ws[1:-1], ws[-1]


def _middle_initials(words: list[str]) -> tuple[str, ...]:
    return tuple(fold(w)[0] for w in words if w.strip("."))


def _first_agrees(fa: str, fb: str) -> bool:
    fa, fb = fold(fa).rstrip("."), fold(fb).rstrip(".")
    if fa == fb or given(fa) == given(fb):
        return True
    short, long_ = sorted((fa, fb), key=len)
    return long_.startswith(short) and (len(short) >= 4 or len(short) == 1)


def same_person(a: str, b: str) -> bool:
    """Two full names of one person: same surname, first names equal, one clipped from the other
    ("Khalif"/"Khalifa") or an initial, and middle names that agree when both give them ("Donald
    J. Trump" = "Donald Trump", "George H. W. Bush" != "George W. Bush")."""
    fa, ma, la = _parts(a)
    fb, mb, lb = _parts(b)
    if not fa or not fb or fold(la) != fold(lb) or not _first_agrees(fa, fb):
        return False
    return not ma or not mb or _middle_initials(ma) == _middle_initials(mb)


@dataclass
class NameIndex:
    """Full names of people and defined acronyms of one article."""

    surnames: dict[str, str] = field(default_factory=dict)  # last word -> fullest name
    ambiguous: set[str] = field(default_factory=set)  # last words two different people share
    full: set[str] = field(default_factory=set)
    acronyms: dict[str, str] = field(default_factory=dict)

    def resolve(self, text: str) -> str:
        """Canonical form of a name as written in this article."""
        name = clean_name(text)
        if not name:
            return text.strip()
        if name in self.acronyms:
            return self.acronyms[name]
        if name in self.full:
            return self.surnames.get(name.split()[-1], name) if len(name.split()) < 2 else name
        last = name.split()[-1]
        full = self.surnames.get(last)
        if last in self.ambiguous:
            return name
        if full and (len(name.split()) == 1 or full.endswith(name)):
            return full
        return name

    def is_known_person(self, text: str) -> bool:
        return clean_name(text).split()[-1:] and clean_name(text).split()[-1] in self.surnames  # type: ignore[return-value]


def person_spans(doc: Doc) -> list[Span]:
    return [e for e in doc.ents if e.label_ in PERSON_LABELS]


_last_index: list = [None, None]  # (doc, its index): the stages of one article share it


def build_index(doc: Doc) -> NameIndex:
    """Collect person names and acronyms of a parsed article.  The index of the doc asked about
    last is kept (every per-article stage asks for it; callers only read it)."""
    if _last_index[0] is not doc:
        _last_index[0], _last_index[1] = doc, _build_index(doc)
    return _last_index[1]


def _build_index(doc: Doc) -> NameIndex:
    index = NameIndex(acronyms=find_acronyms(doc_text(doc)))
    counts: Counter[str] = Counter()
    for ent in person_spans(doc):
        name = clean_name(ent.text)
        if not name or not name[0].isupper():
            continue
        counts[name] += 1
    by_last: dict[str, list[str]] = {}
    for name in counts:
        if len(name.split()) > 1:
            by_last.setdefault(name.split()[-1], []).append(name)
    for last, full in by_last.items():
        if any(not same_person(a, b) for a in full for b in full):
            index.ambiguous.add(last)  # "Mary Cheney" and "Liz Cheney": "Cheney" stays bare
    for name, n in counts.items():
        index.full.add(name)
        last = name.split()[-1]
        best = index.surnames.get(last)
        # fullest: more words wins, then more mentions
        if best is None or (len(name.split()), counts[name]) > (len(best.split()), counts[best]):
            index.surnames[last] = name
    return index
