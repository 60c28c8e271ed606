"""HTML pages: main text and metadata through trafilatura (boilerplate, scripts and menus dropped)."""

from __future__ import annotations

import trafilatura

from .. import errors
from ..model import Article
from ..options import DEFAULT, Options
from .text import parse_text


def extract(html: str, url: str | None = None) -> dict | None:
    """Main text and metadata of a page (trafilatura), the title line removed from the text;
    None when the page has no main text.  Raises ValueError on markup trafilatura cannot parse."""
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, url=url or None)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise ValueError(type(exc).__name__) from None
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    title = (data.get("title") or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:
        text = rest
    return {**data, "text": text, "title": title}


def parse_html(html: str, path: str, options: Options = DEFAULT, **meta: str) -> Article:
    try:
        data = extract(html, meta.get("url"))
    except ValueError as exc:
        raise errors.InputError(path, f"could not parse HTML ({exc})") from None
    if data is None:
        raise errors.InputError(path, errors.NO_TEXT)
    return parse_text(
        data["text"], path, options,
        title=meta.get("title") or data["title"],
        outlet=meta.get("outlet") or data.get("sitename") or data.get("hostname") or "",
        url=meta.get("url") or data.get("url") or "",
        published=meta.get("published") or data.get("date") or "",
    )
