"""Salience of an article's named people, and a learned ranker for who "he" / "she" is.

What: :func:`person_mentions` lists the PERSON mentions of an article outside quote marks with
their resolved name, sentence, paragraph and whether each is a grammatical subject.
:func:`salience` describes one person at one point of the text: is it the most-mentioned person
so far, how often and how recently it was mentioned, the subject of the previous sentence, of the
current sentence, of the paragraph's first sentence, the last quoted speaker.  Those features
serve two models of ``speakers.joblib``:

- the candidate ranker (``speaker_model``) gets them for candidates that name a person;
- :class:`AntecedentRanker` picks, among the people named in the preceding text, the one a
  speaker pronoun ("he said", "she added") stands for, with gender agreement (``speaker_coref``
  profiles: titles, role nouns, ``gender-guesser`` on the first name) as one more feature.

Why: "he"/"she" went to the nearest name instead of the person the passage is about.  PolNeAR
annotates sources as written, not their antecedents, so the antecedent ranker is trained on the
named sources of PolNeAR train with the name hidden: the candidates are the people named before
it, the label the one it names (``parallax.training.speakers``).  No rule lists any name.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from .speaker_coref import Profile

SUBJECT_DEPS = ("nsubj", "nsubjpass")
LOOKBACK_CHARS = 1500  # how far back a pronoun looks for its person (~3 paragraphs)
# Speech verbs (general English): a person who is their subject has just spoken.
SPEECH_LEMMAS = frozenset("say tell add insist argue claim state explain write announce note warn "
                          "reply respond continue recall acknowledge confirm deny suggest".split())


@dataclass(frozen=True)
class Mention:
    char: int
    name: str
    subject: bool
    sent: int  # index of the spaCy sentence
    dep: str
    main: bool = False  # subject of its sentence's root verb
    speaks: bool = False  # subject of a speech verb


class Salience:
    """PERSON mentions of one article, in text order, with sentence starts for lookups."""

    def __init__(self, doc: Doc, resolve: Callable[[str], str], in_quote: Callable[[int], bool],
                 paragraph_of: Callable[[int], int], surnames: Collection[str] = ()) -> None:
        self.doc = doc
        self.resolve = resolve
        self.paragraph_of = paragraph_of
        self.sent_starts = [s.start_char for s in doc.sents]
        self.mentions = person_mentions(doc, resolve, in_quote, self.sent_starts, surnames)
        self.chars = [m.char for m in self.mentions]
        para_first: dict[int, int] = {}
        for k, start in enumerate(self.sent_starts):
            para_first.setdefault(paragraph_of(start), k)
        self.para_first = para_first

    def sent_at(self, char: int) -> int:
        return max(bisect.bisect_right(self.sent_starts, char) - 1, 0)

    def before(self, char: int, lookback: int | None = None) -> list[Mention]:
        hi = bisect.bisect_left(self.chars, char)
        lo = bisect.bisect_left(self.chars, char - lookback) if lookback else 0
        return self.mentions[lo:hi]

    def subjects_of(self, sent: int, main: bool = False) -> set[str]:
        if sent < 0:
            return set()
        lo = bisect.bisect_left(self.chars, self.sent_starts[sent])
        hi = bisect.bisect_left(self.chars, self.sent_starts[sent + 1]) if sent + 1 < len(self.sent_starts) \
            else len(self.chars)
        return {m.name for m in self.mentions[lo:hi] if m.subject and (m.main or not main)}


def person_mentions(doc: Doc, resolve: Callable[[str], str], in_quote: Callable[[int], bool],
                    sent_starts: list[int], surnames: Collection[str] = ()) -> list[Mention]:
    """PERSON entities outside quotes, and the surnames of the article's people where the tagger
    missed them (a name keeps its sense within one article), in text order."""
    spans = [(e.start_char, e.text, e.root) for e in doc.ents if e.label_ == "PERSON"]
    if surnames:
        covered = {t.i for e in doc.ents for t in e}
        spans += [(t.idx, t.text, t) for t in doc
                  if t.pos_ == "PROPN" and t.text in surnames and t.i not in covered
                  and t.dep_ not in ("compound", "flat")]
        spans.sort(key=lambda x: x[0])
    out = []
    for char, text, root in spans:
        if in_quote(char):
            continue
        name = resolve(text)
        if not name:
            continue
        sent = max(bisect.bisect_right(sent_starts, char) - 1, 0)
        subj = root.dep_ in SUBJECT_DEPS
        head = root.head
        out.append(Mention(char, name, subj, sent, root.dep_, subj and head.dep_ == "ROOT",
                           subj and head.lemma_.lower() in SPEECH_LEMMAS))
    return out


def _count_bucket(n: int) -> str:
    return str(n) if n < 4 else "4-7" if n < 8 else "8+"


def salience(sal: Salience, name: str, char: int, last_speaker: str, prefix: str = "sal_") -> dict[str, float]:
    """Features of person ``name`` at text position ``char`` (see the module docstring)."""
    before = sal.before(char)
    counts = Counter(m.name for m in before)
    f: dict[str, float] = {}
    n = counts.get(name, 0)
    f[prefix + "count=" + _count_bucket(n)] = 1.0
    if n and n == max(counts.values()):
        f[prefix + "most_mentioned"] = 1.0
    if before:
        f[prefix + "share"] = n / len(before)
    sent = sal.sent_at(char)
    if name in sal.subjects_of(sent - 1):
        f[prefix + "prev_sent_subject"] = 1.0
    if name in sal.subjects_of(sent - 1, main=True):
        f[prefix + "prev_sent_main_subject"] = 1.0
    if any(m.name == name and m.subject and m.sent == sent for m in before):
        f[prefix + "cur_sent_subject"] = 1.0
    first = sal.para_first.get(sal.paragraph_of(char))
    if first is not None and first < sent and name in sal.subjects_of(first):
        f[prefix + "para_first_subject"] = 1.0
    if last_speaker and name == last_speaker:
        f[prefix + "last_speaker"] = 1.0
    return f


def antecedent_features(sal: Salience, pos: int, quote_sent_start: int, last_speaker: str,
                        pronoun_gender: str | None, profiles: dict[str, Profile],
                        lookback: int = LOOKBACK_CHARS) -> tuple[list[str], list[dict[str, float]]]:
    """Candidate people for a speaker pronoun at char ``pos`` (named in the ``lookback``
    characters before it, outside quotes) and their features."""
    before = sal.before(pos, lookback)
    if not before:
        return [], []
    last_at: dict[str, Mention] = {}
    for m in before:
        last_at[m.name] = m
    order = sorted(last_at, key=lambda nm: -last_at[nm].char)  # most recent first
    names, feats = [], []
    sent = sal.sent_at(pos)
    for rank, nm in enumerate(order):
        m = last_at[nm]
        f = salience(sal, nm, pos, last_speaker)
        f["bias"] = 1.0
        f["recency=" + str(min(rank, 5))] = 1.0
        gap = sent - m.sent
        f["sent_gap=" + (str(gap) if gap < 4 else "4+")] = 1.0
        f["last_dep=" + m.dep] = 1.0
        if m.speaks:
            f["last_mention_speaks"] = 1.0
        local = sum(1 for x in before if x.name == nm)
        f["local_share"] = local / len(before)
        if m.char >= quote_sent_start:
            f["in_quote_sentence"] = 1.0  # the quote's own sentence names them: often its topic
        prof = profiles.get(nm)
        g = prof.gender if prof is not None else None
        f["gender=" + ("agree" if g and g == pronoun_gender else "clash" if g and pronoun_gender
                        else "unknown")] = 1.0
        names.append(nm)
        feats.append(f)
    return names, feats


class AntecedentRanker:
    """Logistic ranker over :func:`antecedent_features`; ``best`` gives (name, probability)."""

    def __init__(self, bundle: dict[str, Any]) -> None:
        self.vec = bundle["vectorizer"]
        self.clf = bundle["classifier"]
        self.threshold = float(bundle.get("threshold", 0.0))

    def best(self, names: list[str], feats: list[dict[str, float]]) -> tuple[str, float] | None:
        if not names:
            return None
        p = self.clf.predict_proba(self.vec.transform(feats))[:, 1]
        k = max(range(len(names)), key=lambda i: p[i])
        return names[k], float(p[k])
