"""Article-level similarity: how likely two articles report the same event or story.

What: ``article_similarity(a, b)`` returns a score in [0, 1]; ``pair_similarities(pairs)`` does
the same for many pairs with one spaCy pass and one embedding batch.

Why this recipe (measured on the SemEval-2022 Task 8 English sample, see ``parallax.bench``):

* all-MiniLM-L6-v2 reads at most 256 word pieces, so embedding a whole article embeds its first
  ~190 words anyway.  Averaging the cosine of the *body* (everything, truncated by the model) with
  the cosine of the *lead* (the first ``LEAD_SENTENCES`` sentences) is steadier than either one.
* The headline is the densest statement of the story.  When one outlet's page is mostly a paywall
  notice or a cookie banner, the headline still says what happened, so the score is the larger of
  the headline cosine and the body/lead cosine: two articles match when either agrees.
* Web boilerplate (log-in prompts, newsletter offers, cookie notices) is cut before embedding;
  otherwise two pages of the same site look alike because of their shared banners (and a
  Hindi page behind an English cookie notice reads as partly English).
* The English sentence model cannot read other languages: text in another script comes out as a
  handful of unknown word pieces, and any two such texts look alike.  A pair in which either
  article is not English (detected language, or more than ``MAX_FOREIGN_SHARE`` of its letters
  outside the Latin alphabet) is scored the same way in the multilingual space
  (:mod:`parallax.nlp.multilingual`), whose cosines are mapped onto the English scale; only
  the encoders trained on both languages read a pair (``readers``); when one cannot, the shared
  words, names and numbers (Jaccard, any script) take its vote.
* Named-entity, place, date and lemma overlap were tried as extra terms for English pairs and
  cost Pearson on this sample (entity-token Jaccard at weight 0.1: 0.8899, 0.2: 0.8824; sentence
  alignment coverage at 0.1: 0.8904): MiniLM's body/lead cosine already carries the shared names,
  and literal entity overlap punishes the same event told with different names ("Heechul" vs
  "Kim Heechul", "the Clippers" vs "Kawhi Leonard").  So entities only decide where the
  embedding cannot read the text; no tuned weights.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Article
from ..nlp.embed import embed
from ..nlp.language import is_english
from ..nlp.multilingual import embed_multilingual
from ..nlp.pipeline import parse_many

# Five sentences is about what a reader sees before deciding what a story is about (the classic
# inverted-pyramid lead); 3-8 all score within 0.01 of each other.
LEAD_SENTENCES = 5
# Above this share of non-Latin letters the English sentence model cannot read the article.
MAX_FOREIGN_SHARE = 0.3
# A "headline" shorter than this (a dateline such as "WASHINGTON —") says nothing about the story.
MIN_HEADLINE_WORDS = 3

# Sentences that are page furniture rather than reporting.  Deliberately narrow phrases: a sentence
# *about* subscriptions or e-mail in a real story rarely uses these exact formulas.
_BOILERPLATE = re.compile(
    r"\b(sign (up|in)( now| for free)?\b.{0,40}\b(newsletter|email|e-mail|alerts?|account|free)"
    r"|(newsletter|email alerts?|e-mail alerts?)\b.{0,40}\bsign up"
    r"|sign up (now|here)|log ?in\b|log ?out\b|subscribers?,? (click|log)|"
    r"subscribe to (our|the)? ?newsletters?|delivered (straight )?to your inbox|"
    r"(take a )?free (trial|access)|registered users|enable (javascript|cookies)|cookies? (must|settings)|"
    r"(we|our partners) use cookies|third party cookies|all rights reserved|"
    r"(turn|turning) off your ad ?blocker|click (here|below) to (register|login|subscribe|read)|"
    r"click here to register|reached the limit|password|e-?mail or username|"
    r"purchase a subscription|digital subscription)\b",
    re.IGNORECASE,
)


# A cookie notice: "cookies" with the website, browser, settings or advertising they serve.  The
# whole sentence is furniture ("If you continue without changing your settings, we'll assume that
# you are happy to receive all cookies on this website"), not just the words after a phrase.
_COOKIE_NOTICE = re.compile(
    r"\bcookies?\b.{0,100}\b(websites?|site|browsers?|settings|third[ -]party|advertising|experience|"
    r"consent|privacy)\b|\b(websites?|browsers?|settings|third[ -]party|advertising|consent|privacy)\b"
    r".{0,100}\bcookies?\b",
    re.IGNORECASE)


def is_boilerplate(sentence: str) -> bool:
    """True for log-in prompts, paywall notices, cookie banners and newsletter offers."""
    return bool(_BOILERPLATE.search(sentence) or _COOKIE_NOTICE.search(sentence))


def strip_boilerplate(sentence: str) -> str:
    """The sentence up to its first boilerplate phrase ("" when little is left).

    Scraped pages often run a headline or a paragraph straight into a banner ("Oil to outperform
    TAKE A FREE TRIAL Registered users can ..."); cutting keeps the reporting in front of it.
    """
    if _COOKIE_NOTICE.search(sentence):
        return ""
    m = _BOILERPLATE.search(sentence)
    if not m:
        return sentence
    head = sentence[: m.start()].strip(" -|:,;")
    return head if len(head.split()) >= MIN_HEADLINE_WORDS else ""


@dataclass(frozen=True)
class Views:
    """The three texts of an article that get embedded."""

    headline: str  # "" when the article has no usable headline
    lead: str
    body: str


def article_views(article: Article, sentences: Sequence[str]) -> Views:
    """Headline, lead and body of an article from its sentence texts, boilerplate removed.

    The headline is ``article.title`` when the reader found one, else the first sentence (news
    text fed without a title usually opens with it).  When every sentence looks like boilerplate
    the article is used as is rather than emptied.
    """
    sents = [s.strip() for s in sentences if s.strip()]
    kept = [c for c in (strip_boilerplate(s) for s in sents) if c] or sents or [article.text.strip()]
    title = article.title.strip()
    headline = title or kept[0]
    if len(headline.split()) < MIN_HEADLINE_WORDS:
        headline = ""
    prefix = [title] if title else []
    lead = " ".join(prefix + kept[:LEAD_SENTENCES])
    body = " ".join(prefix + kept)
    return Views(headline, lead, body)


def _views_for(articles: Sequence[Article]) -> tuple[dict[str, Views], dict[str, str]]:
    """Views and detected language of each article, by id."""
    parsed = parse_many(articles)
    out: dict[str, Views] = {}
    langs: dict[str, str] = {}
    for p in parsed:
        out[p.article.id] = article_views(p.article, [s.text for s in p.sentences])
        langs[p.article.id] = p.article.language
    return out, langs


def foreign_share(text: str) -> float:
    """Share of the letters of ``text`` outside the Latin alphabet (0 for English text)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    latin = sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f")
    return 1.0 - latin / len(letters)


def _score(va: Views, vb: Views, vec: dict[str, np.ndarray]) -> float:
    content = 0.5 * (float(vec[va.body] @ vec[vb.body]) + float(vec[va.lead] @ vec[vb.lead]))
    score = content
    if va.headline and vb.headline:
        score = max(score, float(vec[va.headline] @ vec[vb.headline]))
    return float(min(1.0, max(0.0, score)))


def pair_similarities(pairs: Sequence[tuple[Article, Article]]) -> list[float]:
    """Similarity in [0, 1] of each (a, b) pair; all articles parsed and embedded in one batch.

    Articles are keyed by ``Article.id`` (the hash of the text), so the same article appearing in
    many pairs is parsed and embedded once.
    """
    if not pairs:
        return []
    unique: dict[str, Article] = {}
    for a, b in pairs:
        unique.setdefault(a.id, a)
        unique.setdefault(b.id, b)
    views, langs = _views_for(list(unique.values()))
    english = {i: is_english(lang) and foreign_share(views[i].body) <= MAX_FOREIGN_SHARE for i, lang in langs.items()}
    # English pairs are read by the English model; a pair with any other language by the
    # multilingual one (vectors of the two models are never compared with each other)
    en_ids = {i for a, b in pairs if english[a.id] and english[b.id] for i in (a.id, b.id)}
    ml_ids = {i for a, b in pairs if not (english[a.id] and english[b.id]) for i in (a.id, b.id)}
    en_texts = list(dict.fromkeys(t for i in en_ids for t in _texts(views[i])))
    en_vec = dict(zip(en_texts, embed(en_texts))) if en_texts else {}
    ml_texts = list(dict.fromkeys(views[i].lead for i in ml_ids))
    ml_vec = {name: dict(zip(ml_texts, embed_multilingual(ml_texts, name, centred=False))) for name in ENSEMBLE} if ml_texts else {}
    out = []
    for a, b in pairs:
        if english[a.id] and english[b.id]:
            out.append(_score(views[a.id], views[b.id], en_vec))
        else:
            la, lb = views[a.id].lead, views[b.id].lead
            names = readers(langs[a.id], langs[b.id])
            votes = [_calibrate(name, float(ml_vec[name][la] @ ml_vec[name][lb])) for name in names]
            if len(names) < len(ENSEMBLE):
                # an encoder cannot read this language: its vote goes to the shared words,
                # names and numbers, which read any script (the method used before the encoders)
                votes.append(overlap_score(views[a.id].body, views[b.id].body))
            out.append(float(np.mean(votes)))
    return out


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w{2,}", text.lower()))


def overlap_score(a: str, b: str) -> float:
    """Script-independent similarity: Jaccard of the two texts' word sets (names, numbers, words)."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def readers(lang_a: str, lang_b: str) -> tuple[str, ...]:
    """The encoders of ``ENSEMBLE`` trained on both languages ("" = unknown: assumed read)."""
    ok = tuple(n for n in ENSEMBLE if all(not lang or ENCODER_LANGUAGES[n] is None or lang in ENCODER_LANGUAGES[n]
                                          for lang in (lang_a, lang_b)))
    return ok or ENSEMBLE[:1]


def _texts(v: Views) -> list[str]:
    return [t for t in (v.headline, v.lead, v.body) if t]


# A pair with a non-English article is scored on its leads (title + first sentences) by both
# multilingual encoders, averaged: on a 300-pair random sample (seed 0) of the multilingual
# SemEval file, e5 alone gave Pearson 0.657, USE alone 0.674, their average 0.706.
ENSEMBLE = ("e5", "use")
# The languages each encoder was trained on (None: every language the detector reports).  USE
# multilingual v3 knows 16 (its package's documentation); on any other language its vectors are
# noise, and a pair in such a language is read by e5 alone (~100 languages).  Found on the one
# Hindi pair of the English SemEval file (rated 4.0, unrelated; in its seeded dev sample): on the
# cleaned leads e5 gave 0.23, USE 0.68.
ENCODER_LANGUAGES: dict[str, frozenset[str] | None] = {
    "e5": None,
    "use": frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split()),
}
# multilingual-e5 cosines of news texts sit in a narrow high band (unrelated ~0.75, one story
# ~0.9+); this maps that band onto [0, 1] like USE's and the English model's cosines, so one set
# of thresholds reads all of them.  USE cosines are used as they are.
ML_COSINE_FLOOR = {"e5": 0.70, "use": 0.0}
ML_COSINE_SPAN = {"e5": 0.30, "use": 1.0}


def _calibrate(name: str, cos: float) -> float:
    return float(min(1.0, max(0.0, (cos - ML_COSINE_FLOOR[name]) / ML_COSINE_SPAN[name])))


def article_similarity(a: Article, b: Article) -> float:
    """How likely ``a`` and ``b`` report the same event or story: 0 unrelated, 1 the same text.

    As a rough guide (SemEval-2022 English sample): 90% of pairs rated similar (<= 2 of 4) score
    above 0.55, 90% of pairs rated dissimilar (>= 3.33) below 0.4; same-topic pairs lie between.
    """
    if a.id == b.id:
        return 1.0
    return pair_similarities([(a, b)])[0]


def plain_cosine(texts_a: Sequence[str], texts_b: Sequence[str]) -> list[float]:
    """Baseline: the MiniLM cosine of the raw texts, one batch (for benchmarks and comparisons)."""
    unique = list(dict.fromkeys([*texts_a, *texts_b]))
    vecs = embed(unique)
    index = {t: i for i, t in enumerate(unique)}
    return [float(vecs[index[x]] @ vecs[index[y]]) for x, y in zip(texts_a, texts_b)]
