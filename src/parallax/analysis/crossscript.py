"""Numbers, dates and names made comparable across languages and scripts.

What: before two aligned claims in different languages are compared for conflicts
(:mod:`parallax.analysis.conflicts`), each is rewritten into the notation the English rules read:

* :func:`fold_digits`: every Unicode decimal digit (Arabic-Indic ``١٢٠``, Devanagari, full-width
  ...) becomes its ASCII digit, and the Arabic decimal and thousands separators become ``.``/``,``.
* :func:`english_numbers`: numbers in the claim's language's notation ("1.200,5" in German,
  "3,5" in Russian, "1 200" in French) become English notation ("1,200.5", "3.5", "1,200").
* :func:`english_dates`: month and weekday names of the claim's language ("März", "марта",
  "三月", "3月") become the English names.
* :func:`transliterate` / :func:`same_word`: a name in any script as lower-case ASCII ("Путин" ->
  "putin"), and a tolerant comparison of such spellings ("Zelensky" / "Зеленский" -> "zelenskiy").

Why: the conflict rules compare figures, dates and names literally; across languages the same
fact is written with other digits, separators, month names and alphabets, and without this step
it either goes unseen or is reported as a contradiction.  The notations and names come from
CLDR through Babel and the transliteration from AnyAscii: packaged, exact data, no word lists of
ours.  Units ("firefighters" / "Feuerwehrleute") are not translated; see ``conflicts``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Languages written without spaces between words: month names are matched as substrings.
_NO_SPACES = {"zh", "ja"}
# Spaces used between groups of three digits ("1 200", "1\u202f200").
_SPACES = " \u00a0\u202f\u2009"
# The Arabic decimal and thousands separators and percent sign.
_ARABIC_MARKS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u066a": "%"})


def fold_digits(text: str) -> str:
    """``text`` with every decimal digit of any script as an ASCII digit."""
    if text.isascii():
        return text
    out = []
    for ch in text.translate(_ARABIC_MARKS):
        if ch.isdigit() and not ch.isascii():
            d = unicodedata.decimal(ch, None)
            out.append(str(d) if d is not None else ch)
        else:
            out.append(ch)
    return "".join(out)


@functools.lru_cache(maxsize=64)
def _symbols(lang: str) -> tuple[str, str]:
    """(decimal symbol, group symbol) of ``lang`` from CLDR; English ones when unknown."""
    try:
        from babel.numbers import get_decimal_symbol, get_group_symbol

        return get_decimal_symbol(lang), get_group_symbol(lang)
    except Exception:  # noqa: BLE001 - unknown locale or Babel missing: leave the text alone
        return ".", ","


@functools.lru_cache(maxsize=64)
def _number_pattern(lang: str) -> re.Pattern[str] | None:
    dec, group = _symbols(lang)
    if (dec, group) == (".", ","):
        return None
    groups = re.escape(group) if group not in _SPACES else f"[{_SPACES}]"
    return re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:{groups}\d{{3}})+|\d+)(?:{re.escape(dec)}(\d+))?(?![\d])")


def english_numbers(text: str, lang: str) -> str:
    """Numbers written in ``lang``'s notation rewritten in English notation (digits folded)."""
    text = fold_digits(text)
    pat = _number_pattern(lang) if lang else None
    if pat is None:
        return text

    def sub(m: re.Match[str]) -> str:
        whole = re.sub(rf"[^\d]", "", m.group(1))
        grouped = f"{int(whole):,}" if len(whole) > 4 or m.group(1) != whole else whole
        return grouped + (f".{m.group(2)}" if m.group(2) else "")

    return pat.sub(sub, text)


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@functools.lru_cache(maxsize=64)
def _date_names(lang: str) -> tuple[tuple[str, str], ...]:
    """(local name lower-cased, English name) for the months and weekdays of ``lang``, longest
    first: wide names in both CLDR contexts (German "März", Russian "марта" and "март")."""
    try:
        from babel.dates import get_day_names, get_month_names
    except ImportError:
        return ()
    pairs: dict[str, str] = {}
    try:
        for ctx in ("format", "stand-alone"):
            for k, name in get_month_names("wide", ctx, lang).items():
                pairs[name.lower()] = _EN_MONTHS[k - 1]
            for k, name in get_day_names("wide", ctx, lang).items():
                pairs[name.lower()] = _EN_DAYS[k]
    except Exception:  # noqa: BLE001 - a language CLDR does not know: leave the text alone
        return ()
    return tuple(sorted(pairs.items(), key=lambda p: -len(p[0])))


@functools.lru_cache(maxsize=64)
def _date_pattern(lang: str) -> re.Pattern[str] | None:
    names = _date_names(lang)
    if not names:
        return None
    alt = "|".join(re.escape(n) for n, _ in names)
    if lang in _NO_SPACES:
        return re.compile(rf"({alt})")
    return re.compile(rf"(?<!\w)({alt})(?!\w)", re.IGNORECASE)


def english_dates(text: str, lang: str) -> str:
    """Month and weekday names of ``lang`` replaced by the English ones; "3月" (Chinese and
    Japanese month numbers) as "March"."""
    if not lang or lang == "en":
        return text
    if lang in _NO_SPACES:
        text = re.sub(r"(?<!\d)(1[0-2]|0?[1-9])月", lambda m: f" {_EN_MONTHS[int(m.group(1)) - 1]} ", fold_digits(text))
    pat = _date_pattern(lang)
    if pat is None:
        return text
    table = dict(_date_names(lang))
    return pat.sub(lambda m: table.get(m.group(1).lower(), m.group(1)), text)


def to_english_notation(text: str, lang: str) -> str:
    """``text`` with numbers and date names in English notation (see the module docstring)."""
    return english_dates(english_numbers(text, lang), lang)


def transliterate(word: str) -> str:
    """A word in any script as lower-case ASCII letters and digits ("Путин" -> "putin")."""
    try:
        from anyascii import anyascii
    except ImportError:  # without the library only Latin-script spellings compare
        return word.lower()
    return re.sub(r"[^a-z0-9]", "", anyascii(word).lower())


# Two transliterated spellings of one name share at least this many leading letters and this
# share of the shorter one ("zelensky" / "zelenskiy": 7 of 8).  Transliteration schemes differ in
# endings (y/iy/ij) and case endings ("Putina", Russian genitive), rarely in the stem.
MIN_STEM = 4
MIN_STEM_SHARE = 0.75


def same_word(a: str, b: str) -> bool:
    """Whether two name words are one name written in different scripts or transliterations."""
    ta, tb = transliterate(a), transliterate(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    if a.isascii() and b.isascii():
        return False  # both already Latin: the caller's own rules decide
    n = 0
    for x, y in zip(ta, tb):
        if x != y:
            break
        n += 1
    return n >= MIN_STEM and n >= MIN_STEM_SHARE * min(len(ta), len(tb))
