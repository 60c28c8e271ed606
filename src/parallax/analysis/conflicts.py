"""Conflicts: aligned claims whose details disagree, named by the slot they disagree on.

What: ``find_conflicts(a, b)`` compares two claims already aligned as one fact and returns the
details that disagree, each as a :class:`Difference` naming the slot and both wordings:

* ``how many``: quantities of the same thing, i.e. with the same unit ("63 seats" vs "36
  seats").  Hedges are read as ranges ("about 1,200" = 1,020-1,380, "more than a thousand" =
  over 1,000, "nearly 50" = 42.5-50), so a rounded or hedged figure is not a contradiction; when
  the ranges overlap but the wordings differ in precision ("more than a thousand" vs "1,200")
  the difference is kept with severity ``precision`` rather than ``contradiction``.
* ``when``: different weekdays, months or years of the same thing (the same anchor word, or
  the one dated verb of each claim); "yesterday" and "last year" resolved by the article date.
* ``where``: different places in the same role (the object or the "in/at" place of the same
  verb); an abbreviation or a part of the other's name ("Tex." / "Texas") is the same place, and
  so is a place inside the other (:mod:`.place_containment`).
* ``who``: different named people or organisations as the subject of the same verb.
* ``whether``: one claim negates the predicate the other affirms ("did not approve" vs
  "approved"), or states as done what the other reports as only expected ("has been indicted"
  vs "is expected to be indicted").

Across languages (claims of articles in two languages, or in one language other than English)
the numbers, dates and names are first put in English notation (:mod:`.crossscript`: other
digits and decimal commas, month names, transliterated names), so "1.200 Menschen" and "1,200
people" or "Putin" and "Путин" are the same.  Units are words of each language and are not
compared there; instead the one figure each claim does not share with the other is
(:func:`cross_language_figures`).

Only what is reported is compared: the reporting frame ("X said", "according to X"), a
dateline ("WASHINGTON —") and typographic variants (curly and straight quotes, "U.S." / "the
United States") are set aside first, and two claims that say the same words never conflict.

Why rules and not a model: each flag must show the reader the two wordings and why they clash;
the rules see only what the texts say (no names are listed anywhere).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..nlp.language import is_english
from ..nlp.pipeline import load_multilingual, load_spacy
from .crossscript import same_word, to_english_notation

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
_NEG = {"not", "n't", "n’t", "never", "no", "neither", "nor", "none", "nobody", "nothing", "without"}
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

    kind: str  # the slot: how many | when | where | who | whether
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
                # "more than 10" and "10" overlap: a hedged figure is read inclusively, so a
                # bound next to the exact figure is a difference of precision, not a clash
                low, high, hedged = v * lo, (None if hi is None else v * hi), True
                break
        out.append(Quantity(low, high, v, _unit_lemma(unit) if unit else "", m.group(0).strip(), hedged))
    return out


def _overlap(a: Quantity, b: Quantity) -> bool:
    ah = float("inf") if a.high is None else a.high
    bh = float("inf") if b.high is None else b.high
    return a.low <= bh and b.low <= ah


_MONTH_WORD = (r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|January|February|March|April|May|June|July|"
               r"August|September|October|November|December")
# day numbers of dates ("Sept. 11 hijackers", "9/11", "11 September"), clock times and ordinals
# are not counts: "the 19 Sept. 11 hijackers" holds one count, 19
_DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])"
_NOT_COUNT = (re.compile(rf"\b(?:{_MONTH_WORD})\s+{_DAYNUM}\b"),  # month first: "19 Sept. 11" is 19 and a date
              re.compile(rf"\b{_DAYNUM}\s+(?:{_MONTH_WORD})|\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b|"
                         r"\b\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\b\d+(?:st|nd|rd|th)\b"))


def _counts_only(text: str) -> str:
    for pat in _NOT_COUNT:
        text = pat.sub(" ", text)
    return text


def _significant(q: Quantity) -> int:
    """Significant digits of a figure as written ("1.2 million": 2, "3,000": 1, "2,977": 4)."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", q.text)
    s = m.group(0).replace(",", "") if m else str(int(q.value))
    s = s.replace(".", "").lstrip("0") if "." in s else s.lstrip("0").rstrip("0")
    return max(1, len(s))


def _rounded_match(x: Quantity, y: Quantity) -> bool:
    """One figure is the other rounded ("1.2 million" / "1,184,000", "3,000" / "2,977"): the
    more precise value, rounded to the significant digits of the rounder one, equals it."""
    a, b = (x, y) if _significant(x) <= _significant(y) else (y, x)
    if a.value <= 0 or b.value <= 0 or _significant(a) == _significant(b):
        return False
    exp = math.floor(math.log10(a.value)) - _significant(a) + 1
    # a round hundred or more ("3,000", "1.2 million"); "10" vs "12" are both exact counts
    return exp >= 2 and abs(b.value - a.value) < 0.5 * 10 ** exp


def number_conflicts(a: str, b: str) -> list[Difference]:
    """Figures of the same unit that disagree (a bare figure has no unit and is not compared:
    "two" and "three" of different things are not a contradiction).  Not clashes: a day of a
    date or a clock time; a figure the other claim also states (for any noun: "15 of the 19
    hijackers" vs "19 hijackers" is a part and its whole); a rounded figure and a precise one it
    rounds; a bound and a figure within it (severity ``precision``)."""
    out = []
    qa, qb = quantities(_counts_only(a)), quantities(_counts_only(b))
    values_a, values_b = {q.value for q in qa}, {q.value for q in qb}
    for x in qa:
        same = [y for y in qb if y.unit == x.unit and x.unit]
        if not same:
            continue
        if any(y.value == x.value and not y.hedged and not x.hedged for y in same):
            continue
        if x.value in values_b or any(y.value in values_a for y in same):
            continue  # the other claim states this figure too: one is a part of the other
        if any(_rounded_match(x, y) for y in same):
            y = next(y for y in same if _rounded_match(x, y))
            out.append(Difference("how many", x.text, y.text, "precision"))
            continue
        if any(_overlap(x, y) for y in same):
            y = next(y for y in same if _overlap(x, y))
            if y.value != x.value or x.hedged != y.hedged:
                out.append(Difference("how many", x.text, y.text, "precision"))
            continue
        out.append(Difference("how many", x.text, same[0].text))
    return out


def _date_kind(tok) -> tuple[str, str] | None:
    """(kind, value) of a token naming a weekday, month or year; "May" only where a month is
    meant (capitalised, after "in"/"mid"/"early"/"late"/"since"/"until" or before a day)."""
    w = tok.text
    lw = w.lower().rstrip(".")
    if lw in WEEKDAYS:
        return "weekday", lw
    if w[:1].isupper() and lw == "may":
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        prev = tok.nbor(-1).lower_ if tok.i > 0 else ""
        if prev in ("in", "mid", "early", "late", "since", "until", "of", "by") or (nxt is not None and nxt.like_num):
            return "month", "may"
        return None
    if w[:1].isupper() and (lw in MONTHS or lw in _MONTH_ABBR and w.endswith(".")):
        return "month", _MONTH_ABBR.get(lw, lw)
    if w.isdigit() and len(w) == 4 and 1800 <= int(w) <= 2100:
        return "year", w
    return None


def _anchor(tok) -> tuple[str, str]:
    """(lemma, coarse POS) of what a date word dates: the first head up the tree that is not part
    of the date phrase ("a 1976 law": law; "served from 1967": serve; "an election in June":
    election)."""
    cur = tok
    for _ in range(6):
        head = cur.head
        if head.i == cur.i:
            break
        cur = head
        if cur.pos_ in ("ADP", "CCONJ", "PUNCT", "NUM") or cur.ent_type_ == "DATE" or _date_kind(cur):
            continue
        break
    return cur.lemma_.lower(), "VERB" if cur.pos_ in ("VERB", "AUX") else cur.pos_


def _relative(tok, published: str) -> tuple[str, str] | None:
    """A relative date resolved against the article's date (ISO ``published``): "yesterday" /
    "today" / "tonight" as the weekday they name, "last year" / "this year" / "next year" as the
    year."""
    import datetime as _dt

    try:
        day = _dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    lw = tok.lower_
    if lw in ("yesterday", "today", "tonight"):
        return "weekday", WEEKDAYS[(day - _dt.timedelta(days=1 if lw == "yesterday" else 0)).weekday()]
    if lw == "year" and tok.i > 0 and tok.nbor(-1).lower_ in ("last", "this", "next"):
        return "year", str(day.year + {"last": -1, "this": 0, "next": 1}[tok.nbor(-1).lower_])
    return None


def _dated(toks, published: str = "") -> dict[str, dict[tuple[str, str], set[str]]]:
    """Per kind (year, month, weekday): the anchors of the claim's date words and their values
    (relative ones resolved when the article's date is known)."""
    out: dict[str, dict[tuple[str, str], set[str]]] = {"year": {}, "month": {}, "weekday": {}}
    for t in toks:
        k = _date_kind(t) or (_relative(t, published) if published else None)
        if k:
            out[k[0]].setdefault(_anchor(t), set()).add(k[1])
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


def date_conflicts(a: str, b: str, ta=None, tb=None, published: tuple[str, str] = ("", "")) -> list[Difference]:
    """Different years, months or weekdays for the same thing.  With the claims' parsed tokens
    (``ta``, ``tb``) dates are compared only when they date the same thing: the same anchor
    lemma ("held on April 30" / "will hold primaries in mid May"), or one dated verb in each
    claim; "a 1976 law" and "the 2001 attacks" are two things; ``published`` (the two
    articles' ISO dates) resolves "yesterday" or "last year".  Text alone (another language's
    degraded parse): every date of one claim against every date of the other."""
    out = []
    if ta is None or tb is None:
        da, db = _dates(a), _dates(b)
        for k in ("year", "month", "weekday"):
            if da[k] and db[k] and not (da[k] & db[k]):
                out.append(Difference("when", ", ".join(sorted(da[k])).title(), ", ".join(sorted(db[k])).title()))
        return out
    xa, xb = _dated(ta, published[0]), _dated(tb, published[1])
    for k in ("year", "month", "weekday"):
        pairs = [(u, v) for u in xa[k] for v in xb[k] if u[0] == v[0]]
        verbs_a = [u for u in xa[k] if u[1] == "VERB"]
        verbs_b = [v for v in xb[k] if v[1] == "VERB"]
        if not pairs and len(verbs_a) == 1 and len(verbs_b) == 1:
            pairs = [(verbs_a[0], verbs_b[0])]
        for u, v in pairs:
            if not (xa[k][u] & xb[k][v]):
                out.append(Difference("when", ", ".join(sorted(xa[k][u])).title(), ", ".join(sorted(xb[k][v])).title()))
                break
    return out


def _same_name(x: str, y: str) -> bool:
    """Loose name identity: shared word, or one is an abbreviation / prefix of the other."""
    def words(s: str) -> list[str]:
        s = normalise_text(s).replace("'s", "").replace(".", "").lower()
        return [w.strip(",") for w in s.split() if w.strip(",") and w not in ("the", "of")]

    tx, ty = words(x), words(y)
    if set(tx) & set(ty):
        return True
    if any(same_word(u, v) for u in tx for v in ty if not (u.isascii() and v.isascii())):
        return True  # one name in two scripts ("Putin" / "Путин")
    for u in tx:
        for v in ty:
            if len(u) >= 2 and len(v) >= 2 and (u.startswith(v) or v.startswith(u)):
                return True
    return False


def normalise_text(text: str) -> str:
    """Typographic variants folded: curly quotes and apostrophes to straight ones, and "U.S.",
    "US", "U.S.A." and "the United States" to "the United States"."""
    t = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    t = re.sub(r"\bU\.\s?S\.(?:\s?A\.)?|\bUSA\b|\bUS\b", "the United States", t)
    return re.sub(r"\b(?:the\s+)+the United States", "the United States", t, flags=re.IGNORECASE)


_DATELINE = re.compile(r"^\s*[A-Z][A-Z.'\s,-]{2,}(?:\([^)]{1,40}\))?\s*(?:—|–|―|--|-)\s*")
_ATTRIB = {"according", "per"}


def _content(span) -> list:
    """Tokens of what the claim reports: without a dateline, a reporting frame ("X said that",
    "..., X told CNN") or an attribution ("according to X")."""
    from .claims import REPORT_VERBS

    toks = list(span)
    m = _DATELINE.match(span.text)
    if m:
        toks = [t for t in toks if t.idx - span.start_char >= m.end()]
    drop: set[int] = set()
    for t in toks:
        if t.lemma_.lower() in REPORT_VERBS and t.pos_ == "VERB":
            comp = [c for c in t.children if c.dep_ in ("ccomp", "parataxis")]
            if comp:
                keep = {x.i for c in comp for x in c.subtree}
                drop |= {x.i for x in t.subtree if x.i not in keep}
        if t.lower_ in _ATTRIB and t.dep_ == "prep":
            drop |= {x.i for x in t.subtree}
    return [t for t in toks if t.i not in drop]


def _ents(toks, labels: set[str]) -> list:
    ids = {t.i for t in toks}
    seen, out = set(), []
    for t in toks:
        if t.ent_type_ in labels and t.i in ids:
            e = next((e for e in t.doc.ents if e.start <= t.i < e.end), None)
            if e is not None and e.start not in seen:
                seen.add(e.start)
                out.append(e)
    return out


def _role(e) -> tuple[str, str] | None:
    """(verb lemma, role) of an entity: its head verb and how it attaches to it."""
    tok = e.root
    dep = tok.dep_
    head = tok.head
    if dep == "pobj" and head.dep_ == "prep":
        dep, head = "prep:" + head.lower_, head.head
    if dep == "compound":
        dep, head = tok.head.dep_, tok.head.head
    if head.pos_ not in ("VERB", "AUX"):
        return None
    return head.lemma_.lower(), dep


def _role_conflicts(ta, tb, labels: set[str], roles: set[str], slot: str, same=None) -> list[Difference]:
    """Named entities of ``labels`` in the same role of the same verb that name different things
    (``same``: a further test that two names are one thing, e.g. a place inside the other)."""
    from .claims import REPORT_VERBS

    def by_role(toks):
        out: dict[tuple[str, str], list[str]] = {}
        for e in _ents(toks, labels):
            r = _role(e)
            if r and r[0] not in REPORT_VERBS and (r[1] in roles or r[1].startswith("prep:") and "prep" in roles):
                out.setdefault(r, []).append(e.text)
        return out

    ra, rb = by_role(ta), by_role(tb)
    all_a = [e.text for e in _ents(ta, labels)]
    all_b = [e.text for e in _ents(tb, labels)]
    out = []
    for r in ra.keys() & rb.keys():
        xa, xb = ra[r], rb[r]
        # the other side names this one anywhere: the same actors, told differently
        if any(_same_name(x, y) for x in xa for y in all_b) or any(_same_name(x, y) for x in all_a for y in xb):
            continue
        if same is not None and any(same(x, y) for x in xa for y in all_b) or \
                same is not None and any(same(x, y) for x in all_a for y in xb):
            continue
        out.append(Difference(slot, ", ".join(xa), ", ".join(xb)))
    return out


def place_conflicts(ta, tb, gazetteer: dict | None = None) -> list[Difference]:
    """Different places in the same role; a place and one containing it ("Tripoli" / "Libya":
    pycountry's subdivisions, or "X, Y" in the story's texts, see ``story_gazetteer``) are one."""
    from .place_containment import related

    return _role_conflicts(ta, tb, {"GPE", "LOC", "FAC"}, {"dobj", "prep"}, "where",
                           lambda x, y: related(x, y, gazetteer))


def actor_conflicts(ta, tb) -> list[Difference]:
    return _role_conflicts(ta, tb, {"PERSON", "ORG"}, {"nsubj", "nsubjpass", "agent"}, "who")


_EXPECT = {"expect", "plan", "intend", "set", "likely", "poise", "prepare", "schedule", "due"}
_FUTURE_AUX = {"will", "would", "could", "may", "might", "shall", "'ll"}


def _status(t) -> str:
    """How a clause states its verb: negated, expected (not yet done), done, or plain."""
    kids = list(t.children)
    if any(c.lower_ in _NEG and c.dep_ in ("neg", "advmod") for c in kids) or \
            any(c.dep_ in ("dobj", "nsubjpass", "nsubj") and any(g.lower_ == "no" and g.dep_ == "det" for g in c.children)
                for c in kids):
        return "negated"
    up = t
    for _ in range(3):
        if up.dep_ in ("xcomp", "ccomp") and up.head.lemma_.lower() in _EXPECT:
            return "expected"
        if up.head.i == up.i:
            break
        up = up.head
    if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in kids):
        return "expected"
    if any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "have" for c in kids) or t.tag_ == "VBD":
        return "done"
    return "plain"


def negation_conflicts(ta, tb) -> list[Difference]:
    """The same verb negated in one claim and affirmed in the other, or done in one and only
    expected in the other."""
    from .claims import REPORT_VERBS

    def verbs(toks):
        # the main predicates of the reported content only: its root(s), their coordinated
        # verbs, and what an "expected to" / "plans to" governs; a verb inside a relative clause,
        # a question ("whether he will run") or a hypothetical is not the fact itself
        ids = {t.i for t in toks}
        main = [t for t in toks if t.head.i == t.i or t.head.i not in ids]
        main += [c for t in main for c in t.children if c.dep_ == "conj" and c.i in ids]
        main += [c for t in main if t.lemma_.lower() in _EXPECT for c in t.children if c.dep_ == "xcomp"]
        out: dict[str, tuple[object, str]] = {}
        for t in main:
            if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in t.children):
                continue
            if t.pos_ == "VERB" and t.lemma_.lower() not in REPORT_VERBS | _EXPECT | {"be", "have", "do"}:
                out.setdefault(t.lemma_.lower(), (t, _status(t)))
        for t in toks:  # "no charges have been filed": the charging is denied
            if t.pos_ == "NOUN" and any(c.lower_ == "no" and c.dep_ == "det" for c in t.children):
                out[t.lemma_.lower()] = (t, "negated")
        return out

    va, vb = verbs(ta), verbs(tb)
    for lemma in va.keys() & vb.keys():
        (ta_, sa), (tb_, sb) = va[lemma], vb[lemma]
        pair = {sa, sb}
        if pair in ({"negated", "plain"}, {"negated", "done"}, {"negated", "expected"}, {"expected", "done"}):
            def words(t, st):
                sub = sorted(t.subtree, key=lambda x: x.i)
                kids = [c for c in t.children if c.dep_ in ("neg", "aux", "auxpass") or c.lower_ in _NEG]
                head = sorted(kids + [t], key=lambda x: x.i)
                return " ".join(x.text for x in head) if st != "expected" or len(sub) < 2 else \
                    " ".join(x.text for x in sorted([t.head, *kids, t], key=lambda x: x.i))
            return [Difference("whether", words(ta_, sa), words(tb_, sb))]
    return []


# Across languages hedges ("etwa", "более") are not read: two figures this close are reported as
# differently precise rather than contradictory (the English hedge "about" spans +-15%, too).
CROSS_LANGUAGE_TOLERANCE = 0.15


def cross_language_figures(a: str, b: str) -> list[Difference]:
    """Figures of two claims in different languages (both in English notation) that disagree.

    Digit figures only (number words belong to one language).  A figure equal to one of the
    other claim is shared; when each claim is left with exactly one figure of the same kind
    (percent, an amount of one currency, or a count), the two are the one detail on which the
    aligned claims differ.  Anything less clear-cut is not reported."""
    qa, qb = _figures(a), _figures(b)
    va, vb = {v for v, _, _ in qa}, {v for v, _, _ in qb}
    left_a = [q for q in qa if q[0] not in vb]
    left_b = [q for q in qb if q[0] not in va]
    if len(left_a) != 1 or len(left_b) != 1 or left_a[0][1] != left_b[0][1]:
        return []
    (x, _, tx), (y, _, ty) = left_a[0], left_b[0]
    close = abs(x - y) <= CROSS_LANGUAGE_TOLERANCE * max(abs(x), abs(y))
    return [Difference("how many", tx, ty, "precision" if close else "contradiction")]


_MONTH_ALT = "|".join(m.title() for m in MONTHS)
# a day of the month next to a month name (English notation): a date, compared as one elsewhere
_DAY = re.compile(rf"\b\d{{1,2}}\.?\s*(?:{_MONTH_ALT})\b|\b(?:{_MONTH_ALT})\s+\d{{1,2}}\b")
_FIGURE = re.compile(r"(?P<cur>[$€£¥])?\s?(?<![\d.,:/])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                     r"(?![\d:/]|[.,]\d)(?:\s?(?P<pct>%))?")


def _figures(text: str) -> list[tuple[float, str, str]]:
    """(value, kind, wording) of each digit figure of a claim in English notation; kind is
    "%", a currency sign or "" (units are words of one language).  Years and days of a month
    are dates, not figures."""
    out = []
    for m in _FIGURE.finditer(_DAY.sub(" ", text)):
        value = float(m.group("num").replace(",", ""))
        kind = "%" if m.group("pct") else (m.group("cur") or "")
        if not kind and m.group("num").isdigit() and 1800 <= value <= 2100:
            continue
        out.append((value, kind, m.group(0).strip()))
    return out


def find_conflicts(a: str, b: str, doc_a=None, doc_b=None, lang_a: str = "en", lang_b: str = "en",
                   gazetteer: dict | None = None, published: tuple[str, str] = ("", "")) -> list[Difference]:
    """Details on which claim ``a`` and claim ``b`` (already aligned as one fact) disagree;
    ``lang_a``/``lang_b`` are the languages of their articles (ISO 639-1); ``gazetteer`` the
    story's "X, Y" place containments (``place_containment.story_gazetteer``); ``published``
    the two articles' dates (ISO), for relative dates."""
    na, nb = normalise_text(a), normalise_text(b)
    if re.sub(r"\W+", " ", na).strip().lower() == re.sub(r"\W+", " ", nb).strip().lower():
        return []  # the same words: typography is not a conflict
    lang_a, lang_b = ("en" if is_english(x) else x for x in (lang_a, lang_b))
    da = doc_a if doc_a is not None else (load_spacy() if lang_a == "en" else load_multilingual())(a)
    db = doc_b if doc_b is not None else (load_spacy() if lang_b == "en" else load_multilingual())(b)
    ta, tb = _content(da[:]), _content(db[:])
    ca = "".join(t.text_with_ws for t in ta)
    cb = "".join(t.text_with_ws for t in tb)
    if lang_a != lang_b or lang_a != "en":
        ca, cb = to_english_notation(ca, lang_a), to_english_notation(cb, lang_b)
        out = cross_language_figures(normalise_text(ca), normalise_text(cb)) + date_conflicts(ca, cb)
        return out + place_conflicts(ta, tb) + actor_conflicts(ta, tb) + negation_conflicts(ta, tb)
    out = number_conflicts(normalise_text(ca), normalise_text(cb)) + date_conflicts(ca, cb, ta, tb, published)
    out += place_conflicts(ta, tb, gazetteer) + actor_conflicts(ta, tb) + negation_conflicts(ta, tb)
    return out
