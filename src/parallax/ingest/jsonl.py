"""JSON Lines: one article per line with ``text`` and optional ``title``, ``outlet``, ``url``, ``date``.

A bad line is reported with its line number and skipped; the other lines still load.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from .. import errors
from ..model import Article
from ..options import DEFAULT, Options
from .text import parse_text

# Common alternative field names seen in news dumps (news-please, GDELT exports, HF datasets).
_ALIASES = {
    "text": ("text", "maintext", "content", "body"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "source_domain", "site", "publisher"),
    "url": ("url", "link"),
    "published": ("date", "published", "date_publish", "pubdate"),
}


def _field(obj: dict, name: str) -> str:
    for key in _ALIASES[name]:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def parse_jsonl(text: str, path: str, options: Options = DEFAULT, outlet: str = "") -> Iterator[Article | errors.InputError]:
    """Yield an Article per good line and an InputError per bad one."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield errors.InputError(path, errors.BAD_JSON.format(line=lineno, detail=exc.msg))
            continue
        except RecursionError:  # [[[[...]]]] nested past the interpreter's limit: one bad line
            yield errors.InputError(path, errors.BAD_JSON.format(line=lineno, detail="nested too deeply"))
            continue
        if not isinstance(obj, dict):
            yield errors.InputError(path, f"line {lineno}: expected a JSON object")
            continue
        body = _field(obj, "text")
        if not body:
            yield errors.InputError(path, f"line {lineno}: no 'text' field")
            continue
        try:
            yield parse_text(
                body, where, options,
                title=_field(obj, "title"),
                outlet=outlet or _field(obj, "outlet"),
                url=_field(obj, "url"),
                published=_field(obj, "published"),
            )
        except errors.InputError as exc:
            yield errors.InputError(path, f"line {lineno}: {exc.reason}")
