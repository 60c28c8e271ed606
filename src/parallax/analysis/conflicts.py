"""Conflicts: aligned claims whose details disagree.

What: ``find_conflicts(a, b)`` compares two claims already aligned as one fact and returns the
details that disagree, each as a :class:`Difference` with both wordings:

* ``number``: quantities of the same thing ("63 seats" vs "36 seats").  Hedges are read as ranges
  ("about 1,200" = 1,020-1,380, "more than a thousand" = over 1,000, "nearly 50" = 42.5-50), so a
  rounded or hedged figure is not a contradiction; when the ranges overlap but the wordings differ
  in precision ("more than a thousand" vs "1,200") the difference is kept with severity
  ``precision`` rather than ``contradiction``.
* ``date``: different weekdays, months or years.
* ``place``: different places (GPE/LOC entities; an abbreviation or a part of the other's name,
  "Tex." / "Texas", counts as the same place).
* ``actor``: different named subjects doing the reported thing (people or organisations).
* ``negation``: one claim negates what the other asserts ("did not approve" vs "approved").

Why rules and not a model: each flag must show the reader the two wordings and why they clash;
the rules see only what the texts say (no names are listed anywhere).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..nlp.pipeline import load_spacy

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH_ABBR = {m[:3]: m for m in MONTHS if m != "may"} | {"sept": "september"}
_WORDNUM = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORDNUM.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                 "ninety": 90, "dozen": 12, "a dozen": 12, "hundred": 100, "a hundred": 100,
                 "thousand": 1000, "a thousand": 1000, "million": 1e6, "a million": 1e6,
                 "billion": 1e9, "a billion": 1e9})
_SCALE = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# hedge -> (low factor, high factor); None = unbounded
_HEDGES = [
    (r"more than|over|upwards of|in excess of|above", (1.0, None), "open"),
    (r"at least|no fewer than|no less than", (1.0, None), "open"),
    (r"less than|fewer than|under|below|up to|at most|no more than", (0.0, 1.0), "open"),
    (r"nearly|almost|close to|just under", (0.85, 1.0), "round"),
    (r"about|around|roughly|approximately|some|an estimated|estimated|circa|nearly about|just over|"
     r"more or less", (0.85, 1.15), "round"),
]
_NUM = (r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|a dozen|a hundred|a thousand|a million|a billion|"
        + "|".join(sorted((w for w in _WORDNUM if " " not in w), key=len, reverse=True)) + ")")
_QTY = re.compile(
    r"(?P<hedge>\b(?:" + "|".join(h for h, _, _ in _HEDGES) + r")\s+)?"
    r"(?P<cur>[$€£])?\b" + _NUM +
    r"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion)\b)?"
    r"(?:\s*(?P<pct>%|percent\b|per cent\b))?"
    r"(?:[\s-]+(?P<unit>[a-z][a-z-]+))?",
    re.IGNORECASE)
_UNIT_SKIP = {"of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "for", "by", "more", "new",
              "other", "people's", "percent", "per", "cent", "than", "times"}
_NEG = {"not", "n't", "never", "no", "neither", "nor", "none", "nobody", "nothing", "without"}
_NEG_VERBS = {"deny", "reject", "refuse", "fail", "decline"}


@dataclass(frozen=True)
class Quantity:
    low: float
    high: float | None  # None: unbounded
    value: float
    unit: str
    text: str
    hedged: bool


@dataclass(frozen=True)
class Difference:
    """One detail on which two aligned claims disagree, with both wordings."""

    kind: str  # number | date | place | actor | negation
    a: str
    b: str
    severity: str = "contradiction"  # contradiction | precision (compatible, differently precise)


def _unit_lemma(word: str) -> str:
    w = word.lower().strip("-")
    for suf, rep in (("ies", "y"), ("ses", "s"), ("s", "")):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            return w[: -len(suf)] + rep
    return w


def quantities(text: str) -> list[Quantity]:
    """Numbers with their hedges, scales and units ("more than a thousand mercenaries")."""
    out = []
    for m in _QTY.finditer(text):
        raw = m.group("num").lower()
        if raw in _WORDNUM:
            v = float(_WORDNUM[raw])
        else:
            try:
                v = float(raw.replace(",", ""))
            except ValueError:
                continue
        scale = (m.group("scale") or "").lower()
        if scale:
            v *= _SCALE[scale]
        unit = (m.group("unit") or "").lower()
        if m.group("pct"):
            unit = "percent"
        elif unit in _UNIT_SKIP:
            unit = ""
        if m.group("cur"):
            unit = "money:" + m.group("cur")
        # a bare year or a clock time is a date, not a quantity
        if not scale and not unit and raw.isdigit() and 1800 <= v <= 2100:
            continue
        if not m.group("num")[0].isdigit() and not unit and not scale:
            continue  # "one of the ..." is not a count
        hedge = (m.group("hedge") or "").strip().lower()
        low, high, hedged = v, v, False
        for pat, (lo, hi), _kind in _HEDGES:
            if hedge and re.fullmatch(pat, hedge):
                low, high, hedged = v * lo, (None if hi is None else v * hi), True
                if pat.startswith("more than") and hi is None:
                    low = v * 1.0000001
                break
        out.append(Quantity(low, high, v, _unit_lemma(unit) if unit else "", m.group(0).strip(), hedged))
    return out


def _overlap(a: Quantity, b: Quantity) -> bool:
    ah = float("inf") if a.high is None else a.high
    bh = float("inf") if b.high is None else b.high
    return a.low <= bh and b.low <= ah


def number_conflicts(a: str, b: str) -> list[Difference]:
    out = []
    qa, qb = quantities(a), quantities(b)
    for x in qa:
        same = [y for y in qb if y.unit == x.unit and x.unit]
        if not same and not x.unit and len(qa) == 1 and len(qb) == 1 and not qb[0].unit:
            same = qb  # one bare figure each: compare them
        if not same:
            continue
        if any(y.value == x.value and not y.hedged and not x.hedged for y in same):
            continue
        if any(_overlap(x, y) for y in same):
            y = next(y for y in same if _overlap(x, y))
            if y.value != x.value or x.hedged != y.hedged:
                out.append(Difference("number", x.text, y.text, "precision"))
            continue
        out.append(Difference("number", x.text, same[0].text))
    return out


def _dates(text: str) -> dict[str, set[str]]:
    words = re.findall(r"[A-Za-z]+\.?|\d{4}", text)
    d: dict[str, set[str]] = {"weekday": set(), "month": set(), "year": set()}
    for w in words:
        lw = w.lower().rstrip(".")
        if lw in WEEKDAYS:
            d["weekday"].add(lw)
        elif w[0].isupper() and (lw in MONTHS and lw != "may" or lw in _MONTH_ABBR and w.endswith(".")):
            d["month"].add(_MONTH_ABBR.get(lw, lw))
        elif w.isdigit() and 1800 <= int(w) <= 2100:
            d["year"].add(w)
    return d


def date_conflicts(a: str, b: str) -> list[Difference]:
    da, db = _dates(a), _dates(b)
    out = []
    for k in ("year", "month", "weekday"):
        if da[k] and db[k] and not (da[k] & db[k]):
            out.append(Difference("date", ", ".join(sorted(da[k])).title(), ", ".join(sorted(db[k])).title()))
    return out


def _same_name(x: str, y: str) -> bool:
    """Loose name identity: shared word, or one is an abbreviation / prefix of the other."""
    def words(s: str) -> list[str]:
        s = s.replace("’s", "").replace("'s", "").replace(".", "").lower()
        return [w.strip(",") for w in s.split() if w.strip(",") and w not in ("the", "of")]

    tx, ty = words(x), words(y)
    if set(tx) & set(ty):
        return True
    for u in tx:
        for v in ty:
            if len(u) >= 2 and len(v) >= 2 and (u.startswith(v) or v.startswith(u)):
                return True
    return False


def _ents(doc, labels: set[str]) -> list[str]:
    return [e.text for e in doc.ents if e.label_ in labels]


def place_conflicts(da, db) -> list[Difference]:
    pa, pb = _ents(da, {"GPE", "LOC", "FAC"}), _ents(db, {"GPE", "LOC", "FAC"})
    if not pa or not pb:
        return []
    if any(_same_name(x, y) for x in pa for y in pb):
        return []
    return [Difference("place", ", ".join(dict.fromkeys(pa)), ", ".join(dict.fromkeys(pb)))]


def _subjects(doc) -> list[str]:
    out = []
    for e in doc.ents:
        if e.label_ in ("PERSON", "ORG") and (e.root.dep_ in ("nsubj", "nsubjpass")
                                             or e.root.head.dep_ in ("nsubj", "nsubjpass") and e.root.dep_ == "compound"):
            out.append(e.text)
    return out


def actor_conflicts(da, db) -> list[Difference]:
    sa, sb = _subjects(da), _subjects(db)
    if not sa or not sb:
        return []
    all_a, all_b = _ents(da, {"PERSON", "ORG"}), _ents(db, {"PERSON", "ORG"})
    # the other side's subject named anywhere in this claim: same actors, told differently
    if any(_same_name(x, y) for x in sa for y in all_b) or any(_same_name(x, y) for x in all_a for y in sb):
        return []
    return [Difference("actor", ", ".join(sa), ", ".join(sb))]


def _negated(doc) -> tuple[bool, str]:
    for t in doc:
        if t.lower_ in _NEG and (t.dep_ in ("neg", "det", "advmod", "preconj", "cc") or t.lower_ == "never"):
            if t.lower_ == "no" and t.dep_ != "det":
                continue
            head = t.head
            return True, f"{t.text} {head.text}" if head is not t else t.text
        if t.lemma_.lower() in _NEG_VERBS and t.pos_ == "VERB":
            return True, t.text
    return False, ""


def _content(doc) -> set[str]:
    return {t.lemma_.lower() for t in doc if t.is_alpha and not t.is_stop and t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ")}


def negation_conflicts(da, db) -> list[Difference]:
    na, wa = _negated(da)
    nb, wb = _negated(db)
    if na == nb:
        return []
    ca, cb = _content(da), _content(db)
    if not ca or not cb or len(ca & cb) / min(len(ca), len(cb)) < 0.5:
        return []  # the two claims do not say the same thing enough for a negation to clash
    return [Difference("negation", wa or "(affirms)", wb or "(affirms)")]


def find_conflicts(a: str, b: str, doc_a=None, doc_b=None) -> list[Difference]:
    """Details on which claim ``a`` and claim ``b`` (already aligned as one fact) disagree."""
    nlp = None
    if doc_a is None or doc_b is None:
        nlp = load_spacy()
    da = doc_a if doc_a is not None else nlp(a)
    db = doc_b if doc_b is not None else nlp(b)
    out = number_conflicts(a, b) + date_conflicts(a, b) + place_conflicts(da, db) + actor_conflicts(da, db)
    out += negation_conflicts(da, db)
    return out
