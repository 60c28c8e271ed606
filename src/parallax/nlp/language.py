"""Which language an article is written in (ISO 639-1 code), detected from its own text.

What: :func:`detect_language` returns a two-letter code such as ``"en"``, ``"de"`` or ``"ru"``, or
``""`` when the text is too short or too mixed to tell.  :func:`is_english` says whether the
English-only stages (spaCy's English parser, the English rules for quotes, framing and relations)
may read an article.

Why lingua: it ships its n-gram models inside the wheel (nothing is downloaded at run time), is
accurate on short news texts, and reports a confidence we can threshold.  Only the languages news
outlets publish in most often are loaded (``LANGUAGES``): every extra language costs memory and
start-up time, and a closed set avoids exotic guesses on short or noisy text.  The low-accuracy
mode (trigrams only) is used because articles are long; it loads ~10x faster and on whole
paragraphs it agrees with the full mode.

When lingua is not installed, a script-based fallback still tells Latin-script text (assumed
English, as before) from Cyrillic, Arabic, CJK, Greek and Hebrew text, so non-Latin articles are
never fed to English rules.
"""

from __future__ import annotations

import functools
import logging
import re

log = logging.getLogger(__name__)

# ISO 639-1 codes of the languages loaded: the SemEval-2022 Task 8 set (ar de en es fr it pl ru
# tr zh) plus the other languages most international outlets publish in.
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "zh", "ja",
             "ko", "fa", "he", "hi", "sv", "el", "cs", "ro", "hu", "id")
# Below this many letters a guess is a coin toss ("Reuters", "AP", a dateline): say nothing.
MIN_LETTERS = 20
# lingua's confidence in the best language; under it the text is mixed or too short to call.
MIN_CONFIDENCE = 0.5
# Enough text to decide; reading whole long articles only costs time.
MAX_CHARS = 2000


@functools.lru_cache(maxsize=1)
def _detector():
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:
        log.warning("lingua-language-detector not installed; language told by script only")
        return None
    codes = [getattr(IsoCode639_1, c.upper()) for c in LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


_SCRIPTS = (
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
)


def _by_script(text: str) -> str:
    letters = sum(ch.isalpha() for ch in text)
    if not letters:
        return ""
    best, share = "", 0.0
    for code, rx in _SCRIPTS:
        s = len(rx.findall(text)) / letters
        if s > share:
            best, share = code, s
    if share > 0.3:
        return best
    return "en"  # Latin script without a detector: the old English-only behaviour


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language of ``text``; ``""`` when it cannot be told."""
    sample = (text or "")[:MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return ""
    det = _detector()
    if det is None:
        return _by_script(sample)
    values = det.compute_language_confidence_values(sample)
    if not values or values[0].value < MIN_CONFIDENCE:
        return ""
    return values[0].language.iso_code_639_1.name.lower()


def is_english(code: str) -> bool:
    """True when English-only stages may read a text of language ``code`` ("" = unknown: yes,
    the behaviour before languages were detected, so short English snippets still get analysed)."""
    return code in ("", "en")
