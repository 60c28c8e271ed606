"""Live sources: fetch feeds, sitemaps and pages, and ingest the new articles with stories.

One poll, for a list of source URLs:

    fetch every source (conditional: ETag / Last-Modified from the last good poll)
      -> 304: nothing to do;  feed / sitemap: its article links;  HTML: the page is the article,
         or, with no article text, the feed it advertises
    -> drop links already mapped to a stored article (``url_map``): nothing is fetched twice
    -> fetch the new pages (politely, concurrently) -> trafilatura -> canonical URL
    -> canonical URL already stored, or met twice in this poll: the same article, stored once
    -> the ``ingest`` callable the workflow hands in (:func:`parallax.workflows.ingest_into`:
       content-hash dedupe, near-duplicates, stories assigned)
    -> map fetched and canonical URLs to the stored article ids; record the poll per source

Nothing is lost when a host fails: a page that could not be fetched is not mapped, and a source
with failed pages keeps its old validators, so the next poll sees the same links and retries.
No SQL here: the bookkeeping goes through :class:`parallax.store.sources.SourceStore`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import errors
from ..model import Article
from ..options import DEFAULT, Options
from ..store import Store
from ..store.sources import SourceStore
from .client import Fetcher, FetchResult
from .discover import Entry, classify, extract_page, feed_entries, feed_links_in_html, normalise_url, sitemap_links

__all__ = ["LiveSummary", "LiveIngest", "read_sources_file", "parse_interval", "is_url", "watch"]

IngestArticles = Callable[[list[Article]], Any]
"""``ingest(articles) -> IngestSummary``: stores fetched articles (dedupe, near-duplicates, stories)."""

ARTICLE_MIN_WORDS = 80  # an HTML source with less main text than this is a front page, not an article


def is_url(s: str) -> bool:
    return s.lower().startswith(("http://", "https://"))


def parse_interval(value: str | float) -> float:
    """``90``, ``30s``, ``15m``, ``2h`` -> seconds."""
    s = str(value).strip().lower()
    mult = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(s[-1:], None)
    try:
        return float(s[:-1]) * mult if mult else float(s)
    except ValueError:
        raise errors.ParallaxError(f"bad interval {value!r}; use e.g. 30s, 15m, 2h") from None


def read_sources_file(path: str | Path) -> list[tuple[str, str]]:
    """``(url, outlet name)`` per line of a sources file: ``URL [name]``; ``#`` starts a comment."""
    p = Path(path)
    if not p.is_file():
        raise errors.InputError(str(path), errors.NOT_FOUND)
    out = []
    for no, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        url, _, name = line.partition(" ")
        if not is_url(url):
            raise errors.InputError(str(path), f"line {no}: not an http(s) URL: {url!r}")
        out.append((normalise_url(url), name.strip()))
    if not out:
        raise errors.InputError(str(path), "no sources listed")
    return out


@dataclass
class LiveSummary:
    """What one poll did.  ``ingest`` is the summary of the articles handed to the store."""

    sources: int = 0
    not_modified: int = 0
    links: int = 0          # article links the sources listed
    known: int = 0          # of which already stored (not fetched again)
    fetched: int = 0        # pages fetched with a body
    errors: list[tuple[str, str]] = field(default_factory=list)
    ingest: Any = field(default_factory=lambda: _empty_summary())  # parallax.workflows.batch.IngestSummary
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"sources": self.sources, "not_modified": self.not_modified, "links": self.links,
                "known": self.known, "fetched": self.fetched,
                "errors": [{"url": u, "reason": r} for u, r in self.errors],
                "ingest": self.ingest.to_dict(), "seconds": round(self.seconds, 3)}


@dataclass
class _Source:
    url: str
    name: str
    kind: str = ""
    error: str = ""
    entries: list[Entry] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    validators: tuple[str, str] | None = None
    articles: set[str] = field(default_factory=set)


def _empty_summary() -> Any:
    from ..workflows.batch import IngestSummary  # the workflow layer owns the summary record

    return IngestSummary()


class LiveIngest:
    """Polls sources into a store.  Keep one per process: it holds the fetcher and the ``ingest``
    callable the workflow layer hands in (with its story engine), so fetching knows nothing of
    analysis or stories (see :func:`parallax.workflows.poll_sources`)."""

    def __init__(self, store: Store, ingest: IngestArticles, fetcher: Fetcher | None = None,
                 options: Options = DEFAULT, max_new_per_source: int = 200, max_sitemap_depth: int = 2):
        self.store = store
        self.ingest = ingest
        self.log = SourceStore(store)
        self.fetcher = fetcher or Fetcher()
        self.options = options
        self.max_new = max_new_per_source
        self.max_depth = max_sitemap_depth

    # --- public ---------------------------------------------------------------------------------
    def poll(self, items: Iterable[str | tuple[str, str]]) -> LiveSummary:
        t0 = time.perf_counter()
        summary = LiveSummary()
        srcs = [_Source(*((it, "") if isinstance(it, str) else it)) for it in items]
        srcs = list({s.url: s for s in srcs}.values())
        summary.sources = len(srcs)
        self.log.add_sources([(s.url, s.name) for s in srcs])
        known_sources = self.log.known_urls(s.url for s in srcs)  # article URLs ingested before
        todo = [s for s in srcs if s.url not in known_sources]
        for s in srcs:
            if s.url in known_sources:
                s.kind = "page"
                summary.known += 1
        states = {s.url: self.log.source(s.url) or {} for s in todo}
        results = self.fetcher.fetch_many([(s.url, states[s.url].get("etag", ""), states[s.url].get("last_modified", ""))
                                           for s in todo])
        self._log(results, {s.url: s.url for s in todo})
        direct: dict[str, tuple[FetchResult, Entry]] = {}  # sources that are themselves pages
        for s, res in zip(todo, results):
            if res.not_modified:
                summary.not_modified += 1
                s.kind = states[s.url].get("kind", "")
            elif not res.ok:
                s.error = res.error
            else:
                s.validators = (res.etag, res.last_modified)
                self._expand(s, res, direct)
        self._pages(srcs, direct, summary)
        for s in srcs:
            if s.error:
                summary.errors.append((s.url, s.error))
            self.log.record_poll(s.url, error=s.error, kind=s.kind, new_articles=len(s.articles),
                                 page_errors=len(s.page_errors), page_error=(s.page_errors or [""])[0],
                                 **({} if s.page_errors or s.validators is None else
                                    {"etag": s.validators[0], "last_modified": s.validators[1]}))
        summary.seconds = time.perf_counter() - t0
        return summary

    # --- steps ----------------------------------------------------------------------------------
    def _log(self, results: list[FetchResult], source_of: dict[str, str]) -> None:
        self.log.log_fetches({"url": r.url, "source": source_of.get(r.url, ""), "status": r.status,
                              "outcome": "not_modified" if r.not_modified else ("ok" if r.ok else "error"),
                              "error": r.error, "bytes": len(r.body), "seconds": r.seconds} for r in results)

    def _expand(self, s: _Source, res: FetchResult, direct: dict[str, tuple[FetchResult, Entry]]) -> None:
        """Turn a fetched source document into article links (or a page to extract directly)."""
        kind = classify(res.body, res.content_type)
        if kind == "feed":
            s.kind = "feed"
            s.entries = feed_entries(res.body, res.final_url)
            if not s.entries:
                s.error = "feed has no entries (or is not a valid RSS/Atom feed)"
        elif kind == "sitemap":
            s.kind = "sitemap"
            s.entries = self._sitemap(res, s, 0)
        else:
            html = _decode(res.body)
            page = extract_page(html, res.final_url)
            feeds = feed_links_in_html(html, res.final_url)
            if page is not None and (len(page.text.split()) >= ARTICLE_MIN_WORDS or not feeds):
                s.kind = "page"
                direct[s.url] = (res, Entry(url=s.url))
            elif feeds:  # a front page: follow the feed it advertises
                s.kind = "feed"
                sub = self.fetcher.fetch(feeds[0])
                self._log([sub], {sub.url: s.url})
                if sub.ok and classify(sub.body) == "feed":
                    s.entries = feed_entries(sub.body, sub.final_url)
                else:
                    s.error = f"advertised feed {feeds[0]}: {sub.error or 'not a feed'}"
            else:
                s.error = errors.NO_TEXT

    def _sitemap(self, res: FetchResult, s: _Source, depth: int) -> list[Entry]:
        pages, children = sitemap_links(res.body, res.final_url)
        if depth < self.max_depth:
            subs = self.fetcher.fetch_many(children[:50])
            self._log(subs, {c: s.url for c in children})
            for sub in subs:
                if sub.ok:
                    pages.extend(self._sitemap(sub, s, depth + 1))
                else:
                    s.page_errors.append(f"{sub.url}: {sub.error}")
        return pages

    def _pages(self, srcs: list[_Source], direct: dict[str, tuple[FetchResult, Entry]], summary: LiveSummary) -> None:
        """Fetch the new links of every source, extract, ingest, map URLs."""
        owner: dict[str, _Source] = {}
        entries: dict[str, Entry] = {}
        for s in srcs:
            for e in s.entries[: self.max_new]:
                if e.url not in owner:
                    owner[e.url], entries[e.url] = s, e
        summary.links = len(entries) + len(direct)
        known = self.log.known_urls(entries)
        summary.known += len(known)
        todo = [u for u in entries if u not in known]
        results = self.fetcher.fetch_many(todo)
        self._log(results, {u: owner[u].url for u in todo})
        pairs = [(res, entries[res.url], owner[res.url]) for res in results]
        pairs += [(res, e, next(s for s in srcs if s.url == u)) for u, (res, e) in direct.items()]
        articles: list[Article] = []
        urls_of: dict[str, set[str]] = {}  # canonical URL -> every URL that reached it
        by_canon: dict[str, Article] = {}
        src_of: dict[str, _Source] = {}
        for res, entry, s in pairs:
            if not res.ok:
                s.page_errors.append(f"{res.url}: {res.error}")
                summary.errors.append((res.url, res.error))
                continue
            summary.fetched += 1
            art = self._article(res, entry, s)
            if isinstance(art, errors.InputError):
                s.page_errors.append(str(art))
                summary.errors.append((res.url, art.reason))
                continue
            canon = art.url
            urls_of.setdefault(canon, set()).update({res.url, res.final_url, canon})
            if canon in by_canon:
                continue  # the same article through another URL in this poll
            by_canon[canon] = art
            src_of[canon] = s
        already = self.log.known_urls(by_canon)  # canonical URLs stored by an earlier poll
        mapping: dict[str, tuple[str, str]] = {}
        for canon, aid in already.items():
            summary.known += 1
            mapping.update({u: (aid, canon) for u in urls_of[canon]})
            del by_canon[canon]
        articles = list(by_canon.values())
        if articles:
            ids = [a.id for a in articles]
            before = self.store.has(ids)
            summary.ingest = self.ingest(articles)
            after = self.store.has(ids)
            for canon, art in by_canon.items():
                if art.id in after:
                    mapping.update({u: (art.id, canon) for u in urls_of[canon]})
                    if art.id not in before:
                        src_of[canon].articles.add(art.id)
            for f in summary.ingest.failures:
                summary.errors.append((f.path, f.reason))
        self.log.map_urls(mapping)

    def _article(self, res: FetchResult, entry: Entry, s: _Source) -> Article | errors.InputError:
        """The article on a fetched page; the feed's own text when the page has none."""
        from ..ingest.text import parse_text

        html = _decode(res.body)
        page = extract_page(html, res.final_url) if html else None
        host = (urlsplit(res.final_url).hostname or "").removeprefix("www.")
        try:
            if page is not None:
                return parse_text(page.text, res.url, self.options, title=entry.title or page.title,
                                  outlet=s.name or page.sitename or host, url=page.url,
                                  published=page.published or entry.published)
            if entry.text:
                return parse_text(entry.text, res.url, self.options, title=entry.title, outlet=s.name or host,
                                  url=normalise_url(res.final_url), published=entry.published)
            return errors.InputError(res.url, errors.NO_TEXT)
        except errors.InputError as exc:
            return exc


def _decode(body: bytes) -> str:
    """Page bytes to text: UTF-8, else the detected encoding (trafilatura copes with the rest)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        from ..ingest.normalise import guess_encoding

        return body.decode(guess_encoding(body[:200_000]) or "cp1252", errors="replace")


def watch(live: LiveIngest, sources: list[tuple[str, str]], every: float, max_polls: int | None = None,
          on_poll: Callable[[int, LiveSummary], None] | None = None,
          sleep: Callable[[float], None] = time.sleep) -> list[LiveSummary]:
    """Poll ``sources`` every ``every`` seconds (start to start) until ``max_polls`` polls
    (forever when None; Ctrl-C stops between polls).  Returns the summaries."""
    out = []
    n = 0
    while max_polls is None or n < max_polls:
        start = time.monotonic()
        summary = live.poll(sources)
        n += 1
        out.append(summary)
        if on_poll:
            on_poll(n, summary)
        if max_polls is not None and n >= max_polls:
            break
        sleep(max(0.0, every - (time.monotonic() - start)))
    return out
