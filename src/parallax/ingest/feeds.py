"""RSS and Atom files: one article per entry, from its full content or else its summary."""

from __future__ import annotations

from collections.abc import Iterator

import re

import feedparser
import lxml.etree
import lxml.html

from .. import errors
from ..model import Article
from ..options import DEFAULT, Options
from .text import parse_text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, block elements on their own lines, scripts dropped.
    Control characters (which lxml refuses in a tree) are removed first."""
    fragment = _CONTROL.sub("", fragment)
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        for bad in root.xpath("//script|//style|//noscript|//iframe"):
            bad.drop_tree()
        for block in root.xpath("//p|//br|//div|//li|//h1|//h2|//h3|//h4|//blockquote"):
            block.tail = "\n" + (block.tail or "")
        return root.text_content()
    except (ValueError, lxml.etree.LxmlError):
        return fragment


def parse_feed(data: bytes, path: str, options: Options = DEFAULT, outlet: str = "") -> Iterator[Article | errors.InputError]:
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = "not a valid RSS/Atom feed" if feed.get("bozo") else "feed has no entries"
        yield errors.InputError(path, reason)
        return
    feed_title = (feed.feed.get("title") or "").strip()
    for i, entry in enumerate(feed.entries, 1):
        contents = entry.get("content") or []
        body = contents[0].get("value", "") if contents else entry.get("summary", "")
        try:
            yield parse_text(
                html_to_text(body or ""), f"{path}#{i}", options,
                title=html_to_text(entry.get("title", "")).strip(),
                outlet=outlet or feed_title,
                url=entry.get("link", ""),
                published=entry.get("published") or entry.get("updated") or "",
            )
        except errors.InputError as exc:
            yield errors.InputError(path, f"entry {i}: {exc.reason}")
