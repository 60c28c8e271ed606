"""HTML pages: main text and metadata through trafilatura (boilerplate, scripts and menus dropped)."""

from __future__ import annotations

import trafilatura

from .. import errors
from ..model import Article
from ..options import DEFAULT, Options
from .text import parse_text


def parse_html(html: str, path: str, options: Options = DEFAULT, **meta: str) -> Article:
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          url=meta.get("url") or None)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise errors.InputError(path, f"could not parse HTML ({type(exc).__name__})") from None
    if doc is None:
        raise errors.InputError(path, errors.NO_TEXT)
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = data.get("text") or ""
    title = (data.get("title") or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:
        text = rest
    return parse_text(
        text, path, options,
        title=meta.get("title") or title,
        outlet=meta.get("outlet") or data.get("sitename") or data.get("hostname") or "",
        url=meta.get("url") or data.get("url") or "",
        published=meta.get("published") or data.get("date") or "",
    )
