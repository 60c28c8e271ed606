"""Per-article story features: a unit embedding of the lead and a bag of weighted terms.

What: ``story_features(parsed)`` turns one analysed article into a ``StoryFeatures``: the
article's id and date, the normalised mean embedding of its title and first body sentences, and
term frequencies over three kinds of evidence, each with its own prefix so they never collide:

* ``e:`` named things: the canonical actor names of ``article.mentions`` (falling back to spaCy
  entities) and places, events, works, laws, products the NER found;
* ``l:`` content lemmas (nouns, verbs, adjectives, proper nouns; stop words dropped);
* ``n:`` numbers and years (a magnitude, a death toll, "2013"), which tell apart two events of
  one kind better than any word does.

Why: two earthquakes in one country in one month share almost every content word and read
alike to a sentence model; they differ in the place names, the numbers and the dates.  Term
weights here are raw (log-scaled) frequencies: inverse document frequencies are applied by
``StoryIndex`` from the statistics it accumulates as articles arrive, never fitted ahead.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..analysis.crossscript import fold_digits
from ..model import Record
from ..nlp.embed import DIM
from ..nlp.parsed import Parsed

# The lead carries the event (who, what, where, when); later sentences drift to background and
# reactions that neighbouring stories share.  Title + first 5 body sentences was best on the
# dev sets; the whole article blurs same-topic events together.
LEAD_SENTENCES = 5
# Entity evidence counts twice a lemma: a shared place or person is stronger evidence of one
# event than a shared common word, and a differing one the strongest sign of another event.
ENTITY_WEIGHT = 2.0
NUMBER_WEIGHT = 1.0
# Labels of spaCy entities kept as ``e:`` terms besides the actors of ``article.mentions``.
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}
_NUM = re.compile(r"^\d+(?:[.,]\d+)?$")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


@dataclass
class StoryFeatures(Record):
    """What story assignment reads of one article."""

    article_id: str
    published: str | None  # ISO date (YYYY-MM-DD) or None when unknown
    vector: list[float]  # unit embedding of title + lead
    terms: dict[str, float] = field(default_factory=dict)  # raw weighted term frequencies
    title: str = ""

    def array(self) -> np.ndarray:
        return np.asarray(self.vector, dtype=np.float32)


def parse_date(value: str | None) -> str | None:
    """The ``YYYY-MM-DD`` prefix of an ISO date or datetime, None if absent or unparsable."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"\b(?:" + _MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)"  # May 2, 2013
    r"|(\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+((?:19|20)\d\d)"  # 22 July 2013
    r"|(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d\d)"  # 05/02/2013 (US order unless impossible)
    r"|((?:19|20)\d\d)\s?-\s?(\d\d)\s?-\s?(\d\d))\b",  # 2013-05-02
    re.IGNORECASE)
# A dateline sits in the first lines of a story (under the headline, by the byline); dates
# further down are usually about something else (an earlier event, a court date).
DATELINE_CHARS = 400


def dateline(text: str) -> str | None:
    """The ISO date written at the head of an article ("May 2, 2013", "22 Jul 2013",
    "05 / 02 / 2013"), used when no publication date came with it; None when there is none."""
    for m in _DATELINE.finditer(text[:DATELINE_CHARS]):
        g = m.groups()
        try:
            if g[0]:
                y, mo, d = int(g[2]), _MONTHS[g[0][:3].lower()], int(g[1])
            elif g[3]:
                y, mo, d = int(g[5]), _MONTHS[g[4][:3].lower()], int(g[3])
            elif g[6]:
                a, b, y = int(g[6]), int(g[7]), int(g[8])
                mo, d = (a, b) if a <= 12 else (b, a)
            else:
                y, mo, d = int(g[9]), int(g[10]), int(g[11])
            return date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None


def day_number(iso: str | None) -> int | None:
    return date.fromisoformat(iso).toordinal() if iso else None


def term_counts(tokens: Iterable[tuple[str, str, bool, bool, str]],
                entities: Iterable[str]) -> dict[str, float]:
    """Weighted, log-scaled term frequencies.

    ``tokens``: (text, lemma, pos, is_stop, is_alpha) of the lead and body; ``entities``: the
    names (canonical actor names first) of the named things in the article.
    """
    raw: Counter[str] = Counter()
    for text, lemma, pos, is_stop, is_alpha in tokens:
        if not text.isascii() and _NUM.match(text):
            text = fold_digits(text)  # "٢٠٢٤" (Arabic-Indic digits) is the year 2024 too
        if _YEAR.match(text):
            raw["n:" + text] += NUMBER_WEIGHT
        elif _NUM.match(text) and text not in {"0", "1"}:
            raw["n:" + text.replace(",", "")] += NUMBER_WEIGHT
        elif is_alpha and not is_stop and pos in CONTENT_POS and len(lemma) > 2:
            raw["l:" + lemma.lower()] += 1.0
    for name in entities:
        key = " ".join(name.lower().split())
        if len(key) > 1:
            raw["e:" + key] += ENTITY_WEIGHT
    # sublinear tf: the tenth "quake" adds little to the first
    return {t: (1.0 + math.log(c)) if c >= 1 else c for t, c in raw.items()}


def lead_vector(title_vec: np.ndarray | None, body_vecs: np.ndarray | None) -> np.ndarray:
    """Unit mean of the title vector (counted twice: it names the event) and the lead sentences."""
    parts = []
    if title_vec is not None:
        parts += [title_vec, title_vec]
    if body_vecs is not None and len(body_vecs):
        parts += list(body_vecs[:LEAD_SENTENCES])
    if not parts:
        return np.zeros(DIM, dtype=np.float32)
    v = np.mean(np.stack(parts), axis=0)
    n = float(np.linalg.norm(v))
    return (v / n if n else v).astype(np.float32)


def _capitalised(doc) -> list[str]:
    """Capitalised alphabetic words that do not open a sentence (a crude, language-blind name
    finder for text no NER model reads).  German capitalises every noun, so these are names
    *and* nouns there: both are fine as story terms, which are matched within a database."""
    out = []
    for tok in doc:
        if tok.is_alpha and tok.text[:1].isupper() and not tok.is_sent_start and len(tok.text) > 2:
            out.append(tok.text)
    return out


def story_features(parsed: Parsed, *, vectors: Sequence[np.ndarray] | None = None) -> StoryFeatures:
    """Story features of one analysed article (``pipeline.run`` output; a bare parse also works,
    then spaCy entities stand in for the canonical actor names).  ``vectors`` may pass the
    title-then-lead embeddings when the caller already has them."""
    from ..nlp.embed import embed

    art = parsed.article
    body = [s for s in art.sentences if s.kind == "body"] or list(art.sentences)
    tokens = [(t.text, t.lemma_, t.pos_, t.is_stop, t.is_alpha) for t in parsed.doc]
    names = [m.actor or m.text for m in art.mentions]
    covered = {(m.start, m.end) for m in art.mentions}
    for ent in parsed.doc.ents:
        if ent.label_ in ENTITY_LABELS and (ent.start_char, ent.end_char) not in covered:
            if not art.mentions or ent.label_ not in {"PERSON", "ORG", "GPE", "NORP"}:
                names.append(ent.text)
    if not parsed.doc.has_annotation("ENT_IOB"):
        # another language, parsed without entities: capitalised words inside a sentence stand in
        # for names (place and person names are written alike in most Latin-script languages)
        names += _capitalised(parsed.doc)
    if vectors is None:
        texts = ([art.title] if art.title else []) + [s.text for s in body[:LEAD_SENTENCES]]
        vecs = embed(texts) if texts else None
    else:
        vecs = np.asarray(vectors, dtype=np.float32)
    title_vec = vecs[0] if art.title and vecs is not None else None
    lead = vecs[1:] if art.title and vecs is not None else vecs
    return StoryFeatures(
        article_id=art.id,
        published=parse_date(art.published) or dateline(f"{art.title}\n{art.text}"),
        vector=lead_vector(title_vec, lead).tolist(),
        terms=term_counts(tokens, names),
        title=art.title,
    )
