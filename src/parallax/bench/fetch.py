"""Benchmark ``fetch``: live-source throughput against a loopback server (no network, no data file).

What: starts :class:`parallax.fetch.loopback.LoopbackServer` on 127.0.0.1 serving ``limit``
synthetic article pages and an RSS feed listing them, then measures

- ``fetch_pages_per_s`` — the polite client alone (robots.txt, per-host concurrency 2, rate limit
  off, streaming with size and deadline checks) fetching every page;
- ``extract_pages_per_s`` — the same pages through trafilatura (text, metadata, canonical URL);
- ``watch_seconds_per_article`` — one ``watch`` poll of a feed of ``watch_articles`` new pages
  into a fresh temporary database: fetch, extract, analyse (the NLP pipeline), near-duplicates,
  story assignment, commit; ``watch_nlp_share`` is the part spent in ``ingest_into``;
- ``watch_unchanged_poll_seconds`` — the next poll of the same feed (a 304: nothing re-fetched).

Why: the pipeline, not the network, bounds how many sources one process can follow; these
figures say how far each part is from the other.  Loopback has no latency, so real sites are
slower to fetch (the rate limit of 1 request/s per host dominates there).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from ..options import DEFAULT, Options

DEFAULT_PAGES = 200
DEFAULT_WATCH_ARTICLES = 20


def run_fetch(data: Path | None = None, options: Options | None = None, *, limit: int = DEFAULT_PAGES,
              watch_articles: int = DEFAULT_WATCH_ARTICLES, **_: Any) -> dict[str, Any]:
    """See the module docstring.  ``data`` is ignored (the pages are synthesised)."""
    from ..fetch import FetchConfig, Fetcher
    from ..fetch.discover import extract_page
    from ..fetch.loopback import LoopbackServer, Route, article_html, rss
    from ..store import open_store
    from ..workflows import live_ingest

    options = options or DEFAULT
    n = max(1, int(limit))
    cfg = FetchConfig(min_interval=0.0, per_host_concurrency=2, workers=4)
    with LoopbackServer() as srv:
        for i in range(n):
            srv.routes[f"/a/{i}"] = Route(body=article_html(i, srv.url(""), f"/a/{i}"))
        urls = [srv.url(f"/a/{i}") for i in range(n)]
        with Fetcher(cfg) as f:
            f.fetch(urls[0])  # robots.txt and connection set-up outside the clock
            t = time.perf_counter()
            results = f.fetch_many(urls)
            fetch_s = time.perf_counter() - t
        ok = [r for r in results if r.ok]
        nbytes = sum(len(r.body) for r in ok)
        t = time.perf_counter()
        pages = [extract_page(r.body.decode("utf-8"), r.url) for r in ok]
        extract_s = time.perf_counter() - t

        m = max(1, min(int(watch_articles), n))
        srv.routes["/feed.xml"] = Route(body=rss([(f"item {i}", srv.url(f"/a/{i}")) for i in range(m)]),
                                        etag='"b1"', content_type="application/rss+xml")
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "bench.db")
            from ..pipeline import run as pipeline_run
            from ..model import Article

            # load the language models outside the clock (a running watch has them loaded)
            pipeline_run([Article.new("Warm-up text about a council meeting in Arica on Monday.")], options)
            with Fetcher(cfg) as f:
                live = live_ingest(store, f, options)
                t = time.perf_counter()
                first = live.poll([srv.url("/feed.xml")])
                watch_s = time.perf_counter() - t
                t = time.perf_counter()
                second = live.poll([srv.url("/feed.xml")])
                unchanged_s = time.perf_counter() - t
            store.close()
    stored = first.ingest.ingested + first.ingest.near_duplicates
    return {
        "pages": n,
        "pages_ok": len(ok),
        "fetch_seconds": round(fetch_s, 3),
        "fetch_pages_per_s": round(len(ok) / fetch_s, 1) if fetch_s else 0.0,
        "fetch_mb_per_s": round(nbytes / 1e6 / fetch_s, 2) if fetch_s else 0.0,
        "extract_pages_per_s": round(sum(p is not None for p in pages) / extract_s, 1) if extract_s else 0.0,
        "watch_articles": stored,
        "watch_seconds": round(watch_s, 3),
        "watch_seconds_per_article": round(watch_s / stored, 3) if stored else 0.0,
        "watch_nlp_share": round(first.ingest.seconds / watch_s, 3) if watch_s else 0.0,
        "watch_unchanged_poll_seconds": round(unchanged_s, 3),
        "watch_unchanged_not_modified": second.not_modified,
    }
