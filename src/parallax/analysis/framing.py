"""Framing: find the sentences where an outlet editorialises instead of reporting.

``flag_sentences(parsed, quotes)`` scores every body sentence by the editorial cues it carries
and returns a ``Flag`` for each sentence whose score reaches ``Options.framing_threshold``.

The method is lexical and transparent on purpose: each flag lists its reasons in plain English
("sarcasm formula: 'so naturally'", "loaded word: 'regime'") and the exact words, with offsets,
that triggered them, so a reader can check every judgement.  (A trained classifier can replace
or complement the scores later; the reasons stay useful as explanations.)

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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Flag, Quote, Span
from ..options import DEFAULT, Options
from . import lexicon

if TYPE_CHECKING:  # only the article and its sentences are read: no language model needed
    from ..nlp.pipeline import Parsed

__all__ = ["CATEGORIES", "Cue", "flag_sentences", "sentence_cues"]

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

    def lookup(self, word: str) -> tuple[str, float] | None:
        w = word.lower().replace("’", "'")
        for form in _variants(w):
            if form in self.exact:
                return self.exact[form]
        for prefix, category, weight in self.prefixes:
            if w.startswith(prefix):
                return category, weight
        return None


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


def flag_sentences(parsed: Parsed, quotes: Sequence[Quote] = (),
                   options: Options = DEFAULT) -> list[Flag]:
    """Flag the body sentences of ``parsed`` whose editorial cues score at least
    ``options.framing_threshold``.

    ``quotes`` are the article's quotations (any kind); their content is the sources' voice and
    is not scored.  Text inside quotation marks is skipped as well, so the function works
    without a quote stage.  Returns flags in sentence order; each carries its score, the
    reasons (strongest first) and the triggering words as spans into ``article.text``.
    """
    text = parsed.article.text
    quoted = quoted_ranges(text, quotes)
    flags = []
    for sent in parsed.sentences:
        if sent.kind != "body":
            continue
        cues = sentence_cues(text, sent.start, sent.end, quoted)
        score = _score(cues)
        if not cues or score < options.framing_threshold:
            continue
        ordered = sorted(cues, key=lambda c: -c.weight)
        reasons = list(dict.fromkeys(c.reason for c in ordered))
        words = sorted({c.span for c in cues if c.span is not None}, key=lambda s: (s.start, s.end))
        flags.append(Flag(sentence=sent.index, text=sent.text, score=score,
                          reasons=reasons, words=words))
    return flags
