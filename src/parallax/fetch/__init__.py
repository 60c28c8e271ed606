"""Live sources: polite HTTP fetching of article pages, RSS/Atom feeds and sitemaps.

    from parallax.fetch import Fetcher, FetchConfig, LiveIngest
    live = LiveIngest(store, ingest, Fetcher(FetchConfig(min_interval=1.0)))
    live.poll([("https://example.org/feed.xml", "example")])   # new articles -> ingest(articles)

Fetching hands the articles it finds to the ``ingest`` callable; the workflow layer
(:func:`parallax.workflows.poll_sources`, :func:`parallax.workflows.watch_sources`) passes one
that stores them with stories.

``client`` (the polite HTTP client), ``robots`` (robots.txt cache), ``discover`` (feeds,
sitemaps, canonical URLs, trafilatura extraction), ``live`` (polls into a store and the
``watch`` loop), ``loopback`` (a scriptable 127.0.0.1 server for tests and benchmarks).
Nothing in this package speaks SQL: bookkeeping goes through ``parallax.store.sources``.
"""

from .client import USER_AGENT, FetchConfig, Fetcher, FetchResult
from .live import LiveIngest, LiveSummary, is_url, parse_interval, read_sources_file, watch

__all__ = ["USER_AGENT", "FetchConfig", "Fetcher", "FetchResult", "LiveIngest", "LiveSummary", "is_url",
           "parse_interval", "read_sources_file", "watch"]
