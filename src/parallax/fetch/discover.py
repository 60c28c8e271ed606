"""What a fetched document is and what it points to: feeds, sitemaps, article pages.

- :func:`classify` — ``feed`` (RSS/Atom), ``sitemap`` (urlset or sitemap index) or ``html``;
- :func:`feed_entries` / :func:`sitemap_links` — the article links they list, with what the
  feed already says about each (title, date, text) for when the page itself cannot be read;
- :func:`feed_links_in_html` — ``<link rel="alternate" type="application/rss+xml">`` discovery;
- :func:`extract_page` — trafilatura on an article page: main text, title, date, author, site
  name, and the canonical URL (``link rel=canonical``, else ``og:url``, else the fetched URL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html

from ..ingest.html import extract

__all__ = ["Entry", "Page", "classify", "feed_entries", "sitemap_links", "feed_links_in_html",
           "extract_page", "canonical_url", "normalise_url"]

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")


@dataclass(frozen=True)
class Entry:
    """One article link found in a feed or sitemap."""

    url: str
    title: str = ""
    published: str = ""
    text: str = ""  # the feed's own content or summary (HTML stripped), fallback only


@dataclass(frozen=True)
class Page:
    """An extracted article page."""

    url: str            # canonical URL
    text: str
    title: str = ""
    published: str = ""
    author: str = ""
    sitename: str = ""


def normalise_url(url: str) -> str:
    """Drop the fragment and lower-case scheme and host (the rest of a URL is case-sensitive)."""
    url, _ = urldefrag(url.strip())
    p = urlsplit(url)
    if not p.scheme or not p.netloc:
        return url
    return p._replace(scheme=p.scheme.lower(), netloc=p.netloc.lower(), path=p.path or "/").geturl()


def classify(body: bytes, content_type: str = "") -> str:
    """``feed``, ``sitemap`` or ``html`` from the first bytes (the content type only breaks ties)."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if re.search(rb"<(urlset|sitemapindex)[\s>]", head):
        return "sitemap"
    if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head):
        return "feed"
    if head.startswith(b"<?xml") and "html" not in content_type:
        return "feed"
    return "html"


def _strip_html(fragment: str) -> str:
    from ..ingest.feeds import html_to_text

    return html_to_text(fragment or "").strip()


def feed_entries(body: bytes, base_url: str) -> list[Entry]:
    """The entries of an RSS/Atom feed that link to a page, in feed order."""
    feed = feedparser.parse(body)
    out = []
    for e in feed.entries:
        link = e.get("link") or ""
        if not link:
            continue
        contents = e.get("content") or []
        text = contents[0].get("value", "") if contents else e.get("summary", "")
        out.append(Entry(url=normalise_url(urljoin(base_url, link)), title=_strip_html(e.get("title", "")),
                         published=e.get("published") or e.get("updated") or "", text=_strip_html(text)))
    return out


def sitemap_links(body: bytes, base_url: str) -> tuple[list[Entry], list[str]]:
    """``(pages, child_sitemaps)`` of a sitemap (``urlset``) or sitemap index."""
    try:
        root = lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True,
                                                                       recover=True, huge_tree=False))
    except lxml.etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    pages, children = [], []
    for node in root.iter("{*}url", "{*}sitemap"):
        loc = node.findtext("{*}loc") or ""
        if not loc.strip():
            continue
        url = normalise_url(urljoin(base_url, loc.strip()))
        if lxml.etree.QName(node).localname == "sitemap":
            children.append(url)
        else:
            date = node.findtext("{*}lastmod") or node.findtext("{*}news/{*}publication_date") or ""
            title = node.findtext("{*}news/{*}title") or ""
            pages.append(Entry(url=url, title=title.strip(), published=date.strip()))
    return pages, children


def _tree(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def feed_links_in_html(html: str, base_url: str) -> list[str]:
    """Feed URLs a page advertises with ``<link rel="alternate" type="application/rss+xml">``."""
    root = _tree(html)
    if root is None:
        return []
    out = []
    for link in root.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower() in _FEED_TYPES:
            out.append(normalise_url(urljoin(base_url, link.get("href"))))
    return list(dict.fromkeys(out))


def canonical_url(html: str, fetched_url: str) -> str:
    """``link rel=canonical``, else ``og:url``, else the fetched URL (resolved, normalised).

    A canonical on another host is accepted only if it is http(s); a relative one is resolved
    against the fetched URL."""
    root = _tree(html)
    if root is not None:
        cands = [link.get("href") for link in root.xpath("//link[@href]")
                 if "canonical" in (link.get("rel") or "").lower().split()]
        cands += [m.get("content") for m in root.xpath("//meta[@content]")
                  if (m.get("property") or m.get("name") or "").lower() == "og:url"]
        for c in cands:
            c = urljoin(fetched_url, (c or "").strip())
            if urlsplit(c).scheme in ("http", "https") and urlsplit(c).netloc:
                return normalise_url(c)
    return normalise_url(fetched_url)


def extract_page(html: str, url: str) -> Page | None:
    """The article on a page (trafilatura), or None when it has no main text."""
    try:
        data = extract(html, url)
    except ValueError:
        return None
    if data is None:
        return None
    text, title = data["text"], data["title"]
    if not text.strip():
        return None
    return Page(url=canonical_url(html, url), text=text, title=title, published=data.get("date") or "",
                author=(data.get("author") or "").strip(), sitename=(data.get("sitename") or "").strip())
