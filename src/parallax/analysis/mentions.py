"""Mention spans cleaned before they become actors.

What: ``clean_span(text, start, end, label)`` returns the corrected ``(start, end)`` of a named
entity span, or None when the span is no actor at all:

* a possessive or a trailing year is cut ("Zinke's 2014" -> "Zinke");
* an abbreviation whose last dot the tokenizer split off is given it back ("U.S" -> "U.S.");
* a name cut short at "and"/"of" is repaired from the full capitalised noun phrase in the text
  ("U.S. Fish and" -> "U.S. Fish and Wildlife Service"), and a trailing connector that leads
  nowhere is dropped;
* a leading adjective before a country name is dropped ("Black U.S." -> "U.S.");
* adjectives and demonyms are never an actor by themselves: a one-word nationality or group
  adjective ("Russian", "Republican", "Black"), a generic word ("State", "Department"), a lower-case
  word or a label with digits ("COVID-19" as a place) is refused.

Why: the statistical NER cuts and stretches spans; every junk span became an actor row.  The
rules are about English word shapes only, never about particular names.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from .actor_types import HONORIFICS, ORG_HEADS, country_names, name_key, region_names

# Capitalised common words that are never a name on their own.
GENERIC = frozenset("""state states department agency committee court government administration party ministry
office council bureau city county republic kingdom union federal national international
black white brown hispanic latino latina asian native indigenous western eastern northern southern
north south east west central new old first last early late former current today tonight yesterday
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december christmas easter""".split())
GENERIC_TIME = frozenset(w for w in GENERIC if w.endswith("day") or w in (
    "january february march april may june july august september october november december".split()))
_CONNECTOR = re.compile(r"\s+(and|of|for|&|the|de|del|du)$", re.I)
_CONNECTORS = frozenset({"and", "of", "for", "&", "the", "de", "del", "du"})
_PARTICLES = frozenset({"of", "and", "for", "the", "de", "da", "di", "van", "von", "der", "den", "bin", "ibn", "al",
                        "el", "la", "le", "du", "del", "on", "in", "at", "to", "y"})
_WORD = re.compile(r"[A-Za-z&][\w'’.&-]*")
_TRAIL = " \n\t,;:\"'“”‘’()[]-–—"
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_YEAR = re.compile(r"(?:\s+|-)(?:1[89]|20)\d\d$")
_ABBR_END = re.compile(r"(?:^|[\s(])(?:[A-Z]\.)+[A-Z]$")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRAIL:
        start += 1
    while end > start and text[end - 1] in _TRAIL + ".":
        if text[end - 1] == "." and _ABBR_END.search(text[start:end - 1]):
            break  # keep the dot of "U.S."
        end -= 1
    return start, end


def _extend(text: str, start: int, end: int) -> int:
    """End of the name when the span stops short of it: after a dangling connector ("U.S. Fish
    and" + "Wildlife Service"), or before "and/of ... <organisation word>" ("U.S. Fish" + " and
    Wildlife Service")."""
    dangling = bool(_CONNECTOR.search(text[start:end]))
    run: list[tuple[str, int]] = []
    pos = end
    for m in _WORD.finditer(text, end):
        if text[pos:m.start()].strip() or "\n" in text[pos:m.start()]:
            break
        w = m.group()
        low = w.rstrip(".").lower()
        if w[:1].isupper() and low not in HONORIFICS and low not in GENERIC_TIME:
            run.append((w, m.end()))
            if low in ORG_HEADS:
                break
        elif w.lower() in _CONNECTORS and (run or not dangling):
            run.append((w, m.end()))
        else:
            break
        pos = m.end()
    while run and run[-1][0].lower() in _CONNECTORS:
        run.pop()
    if not run:
        return end
    if dangling:
        return run[-1][1]
    if run[0][0].lower() in _CONNECTORS and run[-1][0].rstrip(".").lower() in ORG_HEADS:
        return run[-1][1]
    return end


def clean_span(text: str, start: int, end: int, label: str, modifier: bool = True) -> tuple[int, int] | None:
    """Corrected ``(start, end)`` of an entity span of ``text``, or None when it is no actor.
    ``modifier`` says the span's head word modifies a noun ("Russian troops"); a one-word
    nationality is kept only when it is not one ("the Russians", "a Republican")."""
    start, end = _trim(text, start, end)
    if label != "PERSON":
        m = re.match(r"(?:the|The)\s+(?=[A-Z])", text[start:end])
        if m:
            start += m.end()
        # "Haddad’s Unity Party": the possessor is another actor; the name follows it
        m = re.match(r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*(?:'s|’s)\s+(?=[A-Z])", text[start:end])
        if m:
            start += m.end()
    # "U.S" at a sentence end: the tokenizer took the abbreviation's dot as the full stop
    if end < len(text) and text[end] == "." and _ABBR_END.search(text[start:end]):
        end += 1
    # repeat: "Zinke's 2014" -> "Zinke's" -> "Zinke"
    for _ in range(3):
        before = (start, end)
        m = _YEAR.search(text, start, end)
        if m and m.start() > start:
            end = m.start()
        m = _POSSESSIVE.search(text[start:end])
        if m and end - start - len(m.group()) > 1:
            end -= len(m.group())
        start, end = _trim(text, start, end)
        if (start, end) == before:
            break
    if label != "PERSON":
        start, end = _trim(text, start, _extend(text, start, end))
        while True:  # a connector left dangling at the end
            m = _CONNECTOR.search(text[start:end])
            if not m:
                break
            end = start + m.start()
        # "Hoboken city": a trailing common lower-case word is no part of the name
        m = re.search(r"\s+[a-z]+$", text[start:end])
        if m and text[start:end].split()[-1] not in _PARTICLES | STOP_WORDS:
            end = start + m.start()
    if end <= start:
        return None
    span = text[start:end]
    words = span.split()
    # "Black U.S." -> "U.S.": an adjective in front of a country name
    if len(words) >= 2 and label in ("GPE", "NORP", "LOC") and name_key(span) not in country_names() \
            and name_key(span) not in region_names():
        rest = span[len(words[0]):].lstrip()
        if name_key(rest) in country_names():
            start = end - len(rest)
            span, words = rest, rest.split()
    if not span[:1].isupper() and not span[:1].isdigit():
        return None
    if any(w in STOP_WORDS and w not in _CONNECTORS and w not in _PARTICLES for w in words):
        return None  # "Basically what": a clause, not a name
    if len(words) == 1:
        w = span.rstrip(".")
        if w.lower() in GENERIC or len(w) < 2:
            return None
        if label == "NORP" and modifier and name_key(w) not in country_names():
            return None  # a nationality or group adjective: "Russian", "Republican"
    if label in ("GPE", "LOC", "NORP", "FAC") and re.search(r"\d", span):
        return None
    return start, end
