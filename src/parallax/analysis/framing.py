"""Framing: find the sentences where an outlet editorialises instead of reporting.

``flag_sentences(parsed, quotes)`` scores every body sentence by the editorial cues it carries
and returns a ``Flag`` for each sentence whose score reaches ``Options.framing_threshold``.

The method is lexical and transparent on purpose: each flag lists its reasons in plain English
("sarcasm formula: 'so naturally'", "loaded word: 'regime'") and the exact words, with offsets,
that triggered them, so a reader can check every judgement.  Each flag also carries a
``label`` (``opinion``, or ``mixed`` when the sentence also reports attributed material), a
``probability`` and the propaganda ``techniques`` found in the outlet's own words
(``parallax.analysis.techniques``).

A trained classifier complements the lexicon when the user has trained one from their own
labelled data (``parallax train framing --data FILE``; see ``framing_model`` and
``parallax/models/README.md`` for why no weights trained on BABE ship with Parallax): it scores
the sentence with the quotations cut out, flags at probability 0.5 and adds "trained
classifier: N% likely the outlet's opinion" and "biased word (learned): 'x'" reasons.

Cue categories and their weights (an entry may override its category's weight, see
``parallax.analysis.lexicon``):

=====================  ======  ============================================================
category               weight  example
=====================  ======  ============================================================
first-person voice     1.0     "... yet another war **we** had a big hand in causing"
sarcasm formula        1.0     "**This is all we need**:", "**so naturally**", "**needless to say**"
hyperbole / idiom      1.0     "bombed **back to the Stone Age**", "**smack dab** in the middle"
rhetorical question    1.0     a body sentence, outside quotes, that ends with "?"
exclamation            1.0     a body sentence, outside quotes, that ends with "!"
scare quotes           0.75    'playing the **"Russian influence"** card' (1-4 words, unattributed)
intensifier            0.5     "**famously**", "**utterly**", "**blatant**"
loaded word            0.5     "**regime**", "**thugs**", "**slammed**", "**puppet**"
=====================  ======  ============================================================

With the default threshold of 1.0 one strong cue or two weak ones flag a sentence; one loaded
word alone never does.

Quotations are the sources' voice, not the outlet's: words inside the content span of any
``Quote`` passed in, and inside quotation marks, are ignored (except that a short unattributed
quoted phrase is itself the scare-quote cue).  Caption sentences are skipped.  No rule names a
person, place or event.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Flag, Quote, Span
from ..options import DEFAULT, Options
from . import lexicon

if TYPE_CHECKING:  # only the article and its sentences are read: no language model needed
    from ..nlp.pipeline import Parsed

__all__ = ["CATEGORIES", "Assessment", "Cue", "assess_sentences", "flag_sentences", "quoted_ranges",
           "sentence_cues"]

# category -> (reason label, default weight).  Lexicon entries carry their own weights.
CATEGORIES: dict[str, tuple[str, float]] = {
    "first_person": ("first-person editorial voice", 1.0),
    "formula": ("sarcasm formula", 1.0),
    "hyperbole": ("hyperbole", 1.0),
    "question": ("rhetorical question", 1.0),
    "exclamation": ("exclamation", 1.0),
    "scare_quotes": ("scare quotes", 0.75),
    "intensifier": ("intensifier", 0.5),
    "loaded": ("loaded word", 0.5),
}


@dataclass(frozen=True)
class Cue:
    """One editorial cue found in a sentence: its category, weight and the words (if any)."""

    category: str
    weight: float
    span: Span | None

    @property
    def reason(self) -> str:
        label = CATEGORIES[self.category][0]
        if self.category == "formula" and self.weight < 1.0:
            label = "editorial formula"  # hedges like "it appears": knowing, not sarcastic
        return f"{label}: '{self.span.text}'" if self.span is not None else label


# --- text helpers ------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
# Quotation marks.  Straight double quotes pair up in order; curly ones by direction.  Single
# quotes only count when they open after a non-letter and close before one, so apostrophes
# ("America's", "wouldn't") never start a quotation.
_QUOTED = re.compile(
    r"“[^”\n]*”|\"[^\"\n]*\"|(?<![\w])‘[^’\n]*’(?![\w])|(?<![\w'])'(?=\w)[^'\n]*(?<=[\w.,!?])'(?![\w])"
)
_FIRST_PERSON_I = re.compile(r"\bI(?=\s+[a-z]|['’](?:m|ve|d|ll)\b)")
# "World War I", "Elizabeth I": a capitalised word (not the sentence's first) right before "I"
_REGNAL_I = re.compile(r"(?<=\S)\s+[A-Z][\w.]*\s+$")


def _is_pronoun_i(sentence: str, pos: int) -> bool:
    """Whether the capital "I" at ``pos`` is the pronoun rather than a roman numeral."""
    return bool(_FIRST_PERSON_I.match(sentence, pos)) and not _REGNAL_I.search(sentence[:pos])


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One alternation matching any phrase as whole words, longest first, any spacing."""
    parts = []
    for p in sorted(phrases, key=len, reverse=True):
        words = [re.escape(w) for w in p.split()]
        parts.append(r"\s+".join(words))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def _is_phrase(entry: str) -> bool:
    return " " in entry or "," in entry


_FORMULA_RE = _phrase_pattern(p for p in lexicon.FORMULAS if _is_phrase(p))
_HYPERBOLE_RE = _phrase_pattern(p for p in lexicon.HYPERBOLE if _is_phrase(p))


class _WordLexicon:
    """Single-word entries of several categories, looked up with light inflection."""

    def __init__(self, tables: Sequence[tuple[str, dict[str, float]]]) -> None:
        self.exact: dict[str, tuple[str, float]] = {}
        self.prefixes: list[tuple[str, str, float]] = []
        for category, table in tables:
            for entry, weight in table.items():
                if _is_phrase(entry) or weight <= 0:
                    continue
                if entry.endswith("*"):
                    self.prefixes.append((entry[:-1], category, weight))
                else:
                    self.exact.setdefault(entry, (category, weight))
        self.prefixes.sort(key=lambda t: -len(t[0]))
        # the same, by prefix (the first entry of a prefix wins) and its lengths, longest first
        self._by_prefix: dict[str, tuple[str, float]] = {}
        for prefix, category, weight in self.prefixes:
            self._by_prefix.setdefault(prefix, (category, weight))
        self._prefix_lengths = sorted({len(p) for p in self._by_prefix}, reverse=True)
        # answers by word: the same few thousand words recur in every article, and a miss walks
        # every prefix entry (the framing stage's largest pure-Python cost before this cache)
        self._seen: dict[str, tuple[str, float] | None] = {}

    def lookup(self, word: str) -> tuple[str, float] | None:
        w = word.lower().replace("’", "'")
        try:
            return self._seen[w]
        except KeyError:
            pass
        if len(self._seen) >= _LOOKUP_CACHE_MAX:
            self._seen.clear()
        self._seen[w] = hit = self._lookup(w)
        return hit

    def _lookup(self, w: str) -> tuple[str, float] | None:
        for form in _variants(w):
            if form in self.exact:
                return self.exact[form]
        for n in self._prefix_lengths:  # the longest prefix entry ``w`` starts with
            hit = self._by_prefix.get(w[:n]) if len(w) >= n else None
            if hit is not None:
                return hit
        return None


_LOOKUP_CACHE_MAX = 100_000  # distinct words remembered by ``_WordLexicon.lookup`` (a few MB)


def _variants(w: str) -> list[str]:
    """The word and plausible base forms: plural, past and -ing stripped (doubling undone)."""
    out = [w]
    if w.endswith("'s"):
        out.append(w[:-2])
    for suffix in ("ies", "es", "s", "ed", "d", "ing"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)]
            out.append(stem)
            if suffix == "ies":
                out.append(stem + "y")
            if suffix in ("ed", "ing"):
                out.append(stem + "e")
                if len(stem) > 3 and stem[-1] == stem[-2]:
                    out.append(stem[:-1])
    return out


_WORDS = _WordLexicon([
    ("formula", lexicon.FORMULAS),
    ("hyperbole", lexicon.HYPERBOLE),
    ("intensifier", lexicon.INTENSIFIERS),
    ("loaded", lexicon.LOADED),
])


# --- quotations ----------------------------------------------------------------------------------

def quoted_ranges(text: str, quotes: Sequence[Quote] = ()) -> list[tuple[int, int]]:
    """Character ranges that are a source's words: every quote's content span and every run
    of text inside quotation marks (marks included), sorted."""
    ranges = [(q.content.start, q.content.end) for q in quotes]
    ranges += [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    return sorted(ranges)


def _inside(start: int, end: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in ranges)


def _scare_quotes(text: str, s0: int, s1: int) -> list[Span]:
    """Short (1-4 word) quoted phrases in ``text[s0:s1]`` that no speech verb attributes.

    A phrase whose words are all capitalised is a title or a name ("Orange Is the New Black"),
    not a scare quote.
    """
    sentence = text[s0:s1]
    found = []
    for m in _QUOTED.finditer(sentence):
        inner = m.group()[1:-1].strip(" ,.")
        words = _WORD.findall(inner)
        if not 1 <= len(words) <= 4 or len(inner) > 40:
            continue
        if all(w[0].isupper() for w in words) and len(words) > 1:
            continue
        before = {w.lower() for w in _WORD.findall(sentence[: m.start()])}
        after = {w.lower() for w in _WORD.findall(sentence[m.end(): m.end() + 30])}
        if (before | after) & lexicon.SPEECH_VERBS:
            continue
        found.append(Span(s0 + m.start(), s0 + m.end(), m.group()))
    return found


# --- cues ----------------------------------------------------------------------------------------

def sentence_cues(text: str, start: int, end: int,
                  quoted: Sequence[tuple[int, int]] = ()) -> list[Cue]:
    """Every editorial cue in ``text[start:end]``, ignoring words inside ``quoted`` ranges.

    Works on plain text (no parse needed) so it can be reused on any sentence.
    """
    sentence = text[start:end]
    cues: list[Cue] = []
    taken: list[tuple[int, int]] = []  # char ranges already used by a phrase cue
    # only the ranges that overlap the sentence can hold its words (an article's quotes are many)
    quoted = [(a, b) for a, b in quoted if a < end and b > start]

    def outside(a: int, b: int) -> bool:
        return not _inside(a, b, quoted)

    for category, pattern, table in (("formula", _FORMULA_RE, lexicon.FORMULAS),
                                     ("hyperbole", _HYPERBOLE_RE, lexicon.HYPERBOLE)):
        for m in pattern.finditer(sentence):
            a, b = start + m.start(), start + m.end()
            if not outside(a, b):
                continue
            key = " ".join(m.group().lower().split())
            weight = table.get(key, CATEGORIES[category][1])
            cues.append(Cue(category, weight, Span(a, b, text[a:b])))
            taken.append((a, b))

    for m in _WORD.finditer(sentence):
        a, b = start + m.start(), start + m.end()
        if not outside(a, b) or _inside(a, b, taken):
            continue
        word = m.group()
        low = word.lower()
        if low in lexicon.FIRST_PERSON and (word != "I" or _is_pronoun_i(sentence, m.start())):
            if word in ("US", "Us") and low == "us":
                continue  # the United States
            cues.append(Cue("first_person", CATEGORIES["first_person"][1], Span(a, b, word)))
            continue
        hit = _WORDS.lookup(word)
        if hit is None and "-" in word:
            # hyphenated compounds: judge the parts ("anti-regime", "ultra-radical")
            offset = 0
            for part in word.split("-"):
                part_hit = _WORDS.lookup(part)
                if part_hit is not None:
                    pa = a + offset
                    cues.append(Cue(part_hit[0], part_hit[1], Span(pa, pa + len(part), part)))
                    break
                offset += len(part) + 1
            continue
        if hit is not None:
            cues.append(Cue(hit[0], hit[1], Span(a, b, word)))

    for span in _scare_quotes(text, start, end):
        if not any(a <= span.start and span.end <= b for a, b in quoted
                   if (a, b) != (span.start, span.end) and b - a > span.end - span.start):
            cues.append(Cue("scare_quotes", CATEGORIES["scare_quotes"][1], span))

    tail = sentence.rstrip(" \"'”’)")
    last = start + len(tail) - 1
    if tail.endswith("?") and outside(last, last + 1):
        cues.append(Cue("question", CATEGORIES["question"][1], None))
    elif tail.endswith("!") and outside(last, last + 1):
        cues.append(Cue("exclamation", CATEGORIES["exclamation"][1], None))
    return cues


def _score(cues: Sequence[Cue]) -> float:
    """Sum of cue weights, each distinct word counted once."""
    seen: set[tuple[str, str]] = set()
    total = 0.0
    for cue in cues:
        key = (cue.category, cue.span.text.lower() if cue.span else "")
        if key in seen:
            continue
        seen.add(key)
        total += cue.weight
    return round(total, 2)


_ATTRIBUTION = re.compile(r"\b(?:according to|said|says|told|claimed|claims|argued|argues|insisted|"
                          r"warned|warns|stated|added|wrote|tweeted|alleged|asserted)\b", re.IGNORECASE)
# A reporting verb that introduces the speaker's words: "X warned that ...", "..., X said."
_REPORTING = re.compile(r"\b(?:according to|said|says|told|tells|claimed|claims|argued|argues|insisted|insists|"
                        r"warned|warns|stated|states|added|adds|wrote|writes|tweeted|alleged|alleges|asserted|"
                        r"asserts|declared|declares|noted|notes|stressed|stresses|explained|explains|believes|"
                        r"believed|accused|accuses|urged|urges|predicted|predicts|acknowledged|admitted|"
                        r"complained|suggested|suggests|vowed|vows|described|describes|characterized|characterised)\b", re.IGNORECASE)
_THIRD_PERSON_SUBJECT = re.compile(r"\b(?:I|we|We)\s*$")
# verbs that also have a non-reporting sense ("told lies", "added costs", "noted for"): they only
# introduce a statement when "that" or a colon follows within a few words
_NEEDS_THAT = frozenset("""told tells added adds noted notes explained explains stressed stresses
acknowledged admitted suggested suggests believes believed""".split())
_THAT_SOON = re.compile(r"^(?:\s+\S+){0,3}?\s*(?:\bthat\b|:)")


def attributed_ranges(text: str, start: int, end: int,
                      quoted: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Stretches of ``text[start:end]`` that report someone else's statement without quotation
    marks: what follows a reporting verb ("Bashagha warned that Russia's backing was part of a
    push") or what precedes a closing attribution ("The plan is a disaster, the minister said.").

    Those words are the speaker's, so framing neither scores them nor shows them as the outlet's
    opinion.  A first-person reporting clause ("We said ...", "I believe ...") is the author's
    own voice and is not cut.  Only reporting verbs outside quotation marks count.
    """
    out: list[tuple[int, int]] = []
    sentence = text[start:end]
    for m in _REPORTING.finditer(sentence):
        a, b = start + m.start(), start + m.end()
        if _inside(a, b, quoted) or _THIRD_PERSON_SUBJECT.search(sentence[:m.start()]):
            continue
        rest = sentence[m.end():]
        if m.group().lower() in _NEEDS_THAT and not _THAT_SOON.match(rest):
            continue
        before = sentence[:m.start()]
        comma = max(before.rfind(","), before.rfind("—"), before.rfind(" -"))
        if m.group().lower() == "according to" and len(_WORD.findall(before)) < 2:
            nxt = rest.find(",")  # "According to X, ...": what follows X's name
            if nxt >= 0:
                out.append((b + nxt, end))
            continue
        if len(_WORD.findall(rest)) >= 4 and m.group().lower() != "according to":
            out.append((b, end))  # "X warned that ...": the rest of the sentence is X's
        elif comma > 0 and len(_WORD.findall(before[comma:])) <= 6:
            out.append((start, start + comma))  # "..., X said." / "..., according to X."
    return out



@dataclass(frozen=True)
class Assessment:
    """The framing judgement of one sentence: ``label`` reporting / opinion / mixed, the
    probability that it is the outlet's opinion, the lexical cues and score, the words a trained
    tagger marks (absolute offsets, probability) and whether it is flagged."""

    start: int
    end: int
    label: str
    probability: float
    score: float
    cues: list[Cue]
    learned: list[tuple[int, int, str, float]]
    flagged: bool


_MODEL_UNSET = object()
STRONG = 0.7  # classifier probability that flags a sentence with no word to highlight


def _voice(text: str, start: int, end: int, quoted: Sequence[tuple[int, int]]) -> str:
    """The sentence with the sources' words (quoted ranges) cut out: the outlet's own voice."""
    pieces, pos = [], start
    for a, b in quoted:
        if b <= start or a >= end:
            continue
        pieces.append(text[pos:max(a, pos)])
        pos = max(pos, min(b, end))
    pieces.append(text[pos:end])
    return " ".join(p.strip() for p in pieces if p.strip())


def assess_sentences(text: str, spans: Sequence[tuple[int, int]],
                     quoted: Sequence[tuple[int, int]] = (), options: Options = DEFAULT,
                     model: object = _MODEL_UNSET) -> list[Assessment]:
    """Judge each sentence ``text[start:end]`` of ``spans``: reporting, opinion or mixed.

    The lexical cues always count (a sentence scoring ``options.framing_threshold`` is flagged).
    When a trained ``FramingModel`` is installed (``parallax train framing``; pass ``model=None``
    to force the lexicon alone) it also scores the sentence's own voice, quotes cut out, and
    flags it at its threshold.  ``label`` is ``mixed`` when a flagged sentence also reports
    attributed material (a quote or a speech verb), ``opinion`` otherwise.
    """
    from .framing_model import load_default

    if model is _MODEL_UNSET:
        model = load_default()
    # the speakers' words: quotations and statements reported without quotation marks
    own = [sorted([*quoted, *attributed_ranges(text, a, b, quoted)]) for a, b in spans]
    cues_all = [sentence_cues(text, a, b, q) for (a, b), q in zip(spans, own)]
    scores = [_score(c) for c in cues_all]
    probs = [1.0 - math.exp(-sc) for sc in scores]  # score 1.0 -> 0.63
    model_p: list[float | None] = [None] * len(spans)
    if model is not None and spans:
        voices = [_voice(text, a, b, q) for (a, b), q in zip(spans, own)]
        todo = [i for i, v in enumerate(voices) if len(v.split()) >= 4]
        if todo:
            pred = model.predict_proba([voices[i] for i in todo])  # type: ignore[attr-defined]
            for i, p in zip(todo, pred):
                model_p[i] = float(p)
    out = []
    for (a, b), q, cues, sc, lp, mp in zip(spans, own, cues_all, scores, probs, model_p):
        learned: list[tuple[int, int, str, float]] = []
        by_model = mp is not None and mp >= getattr(model, "threshold", 0.5)
        if by_model:
            for wa, wb, w, wp in model.biased_words(text[a:b], mp):  # type: ignore[attr-defined]
                if not _inside(a + wa, a + wb, q):
                    learned.append((a + wa, a + wb, w, wp))
            # a flag must be explainable: the classifier alone flags only when it is sure;
            # otherwise it needs a word to show (a cue or a learned biased word)
            by_model = bool(learned) or any(c.span is not None for c in cues) or mp >= STRONG
        flagged = bool(cues) and sc >= options.framing_threshold or by_model
        prob = max(lp, mp) if mp is not None and flagged else (mp if mp is not None else lp)
        if flagged:
            # a quotation (longer than a scare-quoted phrase) or a speech verb: it also reports
            attributed = (any(x < b and y > a and len(_WORD.findall(text, x, y)) > 4 for x, y in quoted)
                          or bool(_ATTRIBUTION.search(text, a, b)))
            label = "mixed" if attributed else "opinion"
        else:
            label = "reporting"
        out.append(Assessment(a, b, label, round(float(prob), 3), sc, cues, learned, flagged))
    return out


def flag_sentences(parsed: Parsed, quotes: Sequence[Quote] = (),
                   options: Options = DEFAULT, model: object = _MODEL_UNSET) -> list[Flag]:
    """Flag the body sentences of ``parsed`` that editorialise (see ``assess_sentences``).

    ``quotes`` are the article's quotations (any kind); their content is the sources' voice and
    is not scored.  Text inside quotation marks is skipped as well, so the function works
    without a quote stage.  Returns flags in sentence order; each carries its score, label,
    probability, the reasons (strongest first), the triggering words as spans into
    ``article.text`` and the propaganda techniques found in the outlet's own words.
    """
    from .techniques import learned_techniques, rule_techniques

    text = parsed.article.text
    quoted = quoted_ranges(text, quotes)
    body = [s for s in parsed.sentences if s.kind == "body"]
    judged = assess_sentences(text, [(s.start, s.end) for s in body], quoted, options, model)
    flags = []
    for sent, j in zip(body, judged):
        if not j.flagged:
            continue
        cues = j.cues
        ordered = sorted(cues, key=lambda c: -c.weight)
        reasons = list(dict.fromkeys(c.reason for c in ordered))
        words = {c.span for c in cues if c.span is not None}
        cue_words = {(w.start, w.end) for w in words}
        if j.learned:
            reasons.append(f"trained classifier: {round(100 * j.probability)}% likely the outlet's opinion")
            for a, b, w, _ in j.learned:
                if not any(x <= a and b <= y for x, y in cue_words):
                    reasons.append(f"biased word (learned): '{w}'")
                    words.add(Span(a, b, w))
        elif j.score < options.framing_threshold:
            reasons.append(f"trained classifier: {round(100 * j.probability)}% likely the outlet's opinion")
        own = sorted([*quoted, *attributed_ranges(text, sent.start, sent.end, quoted)])
        techniques = rule_techniques(text, sent.start, sent.end, cues, own)
        techniques += learned_techniques(text, sent.start, sent.end, own, techniques)
        flags.append(Flag(sentence=sent.index, text=sent.text, score=j.score, reasons=reasons,
                          words=sorted(words, key=lambda s: (s.start, s.end)), label=j.label,
                          probability=j.probability, techniques=techniques))
    return flags
