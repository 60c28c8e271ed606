"""Turn files into :class:`~parallax.model.Article` records.

One reader per format (``text``, ``html``, ``jsonl``, ``feeds``); :func:`read_file` picks one by
extension, else by sniffing the content.  :func:`read_many` is the batch entry point: a bad file
is logged and skipped, never fatal to the batch.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import errors
from ..model import Article
from ..options import DEFAULT, Options
from .feeds import parse_feed
from .html import parse_html
from .jsonl import parse_jsonl
from .normalise import check_size, decode
from .text import parse_text

__all__ = ["read_file", "read_many", "ReadResult", "outlet_from_path", "detect_format"]

_EXT = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}


def detect_format(path: str, head: bytes) -> str:
    fmt = _EXT.get(Path(path).suffix.lower())
    if fmt:
        return fmt
    sniff = head[:2048].lstrip().lower()
    if sniff.startswith(b"<?xml") and (b"<rss" in sniff or b"<feed" in sniff) or sniff.startswith((b"<rss", b"<feed")):
        return "feed"
    if sniff.startswith((b"<!doctype html", b"<html")) or b"<body" in sniff:
        return "html"
    if sniff.startswith(b"{"):
        return "jsonl"
    return "text"


def outlet_from_path(path: str) -> str:
    """The outlet a file name suggests: ``nyt_2020-01-02.txt`` -> ``nyt``; ``bbc.html`` -> ``bbc``."""
    stem = Path(path).stem
    stem = re.sub(r"^\d+[_\-. ]+", "", stem)
    name = re.split(r"[_ ]|-\d|\.\d", stem)[0]
    return name or stem


def read_file(path: str | os.PathLike, options: Options = DEFAULT, outlet: str = "") -> tuple[list[Article], list[errors.InputError]]:
    """Read one file into articles.

    Raises :class:`InputError` when the file as a whole is unusable; returns per-record errors
    (a bad JSONL line, an empty feed entry) alongside the good articles.
    """
    path = str(path)
    p = Path(path)
    if not p.is_file():
        raise errors.InputError(path, errors.NOT_FOUND if not p.exists() else "not a regular file")
    check_size(path, p.stat().st_size, options)
    data = p.read_bytes()
    fmt = detect_format(path, data)
    if fmt == "feed":
        results = list(parse_feed(data, path, options, outlet=outlet))
    else:
        text = decode(data, path, options)
        if fmt == "jsonl":
            results = list(parse_jsonl(text, path, options, outlet=outlet))
        elif fmt == "html":
            results = [parse_html(text, path, options, outlet=outlet)]
        else:
            results = [parse_text(text, path, options)]
    articles = [r for r in results if isinstance(r, Article)]
    failures = [r for r in results if isinstance(r, errors.InputError)]
    if not articles and failures and len(failures) == len(results) == 1:
        raise failures[0]
    fallback = outlet or outlet_from_path(path)
    articles = [a if a.outlet else replace(a, outlet=fallback) for a in articles]
    return articles, failures


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    failures: list[errors.InputError] = field(default_factory=list)


def read_many(paths: Iterable[str | os.PathLike], options: Options = DEFAULT, outlet: str = "") -> ReadResult:
    """Read every path; collect failures instead of raising.  Duplicate texts are kept once."""
    result = ReadResult()
    seen: set[str] = set()
    for path in paths:
        try:
            articles, failures = read_file(path, options, outlet)
        except errors.InputError as exc:
            result.failures.append(exc)
            continue
        except (OSError, MemoryError, RecursionError, ValueError) as exc:
            result.failures.append(errors.InputError(str(path), f"could not read ({type(exc).__name__}: {exc})"))
            continue
        result.failures.extend(failures)
        for art in articles:
            if art.id not in seen:
                seen.add(art.id)
                result.articles.append(art)
    return result
