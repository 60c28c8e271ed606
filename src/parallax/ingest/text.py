"""Plain-text articles: the first line is the title when it looks like one."""

from __future__ import annotations

import re

from ..model import Article
from ..options import DEFAULT, Options
from .dates import normalise_date
from .normalise import clean_text, require_text

_END_PUNCT = re.compile(r"[.!?:;,\"”’)\]]$")


def looks_like_title(line: str, next_line: str | None) -> bool:
    """A title is a short line, starting with a capital, with no closing punctuation, and either
    set off by a blank line or written in headline case.  Image alt texts ("hillary clinton visit
    libya") and first sentences fail one of these."""
    words = line.split()
    if not (2 <= len(words) <= 25) or len(line) > 200:
        return False
    if not line[0].isupper() or _END_PUNCT.search(line):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper()) / len(words)
    return next_line == "" or capitalised >= 0.6


_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def _scrub(value: str) -> str:
    """Metadata as given, minus what no database or JSON encoder takes: control characters and
    lone surrogates (JSON allows ``"\\ud800"``; UTF-8 cannot encode it)."""
    return _UNSTORABLE.sub("", value) if value else ""


def parse_text(text: str, path: str, options: Options = DEFAULT, **meta: str) -> Article:
    meta = {k: _scrub(v) for k, v in meta.items()}
    title = meta.pop("title", "") or ""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").lstrip()
    first, _, rest = raw.partition("\n")
    if not title and rest.strip():
        first = clean_text(first)
        if looks_like_title(first, rest.split("\n", 1)[0].strip()):
            title, text = first, rest
    text = clean_text(text)
    require_text(text, path, options)
    if meta.get("published"):
        meta["published"] = normalise_date(meta["published"])
    return Article.new(text, title=title, path=path, **meta)
