"""The polite HTTP client against a loopback server: robots.txt, redirects, size limits,
deadlines, retries with back-off, conditional requests, rate limit and concurrency, discovery.
No test touches any address but 127.0.0.1."""

from __future__ import annotations

import time

import pytest

from parallax.fetch.client import FetchConfig, Fetcher, retry_after_seconds
from parallax.fetch.discover import (canonical_url, classify, extract_page, feed_entries, feed_links_in_html,
                                     normalise_url, sitemap_links)
from parallax.fetch.loopback import LoopbackServer, Route

FAST = FetchConfig(min_interval=0.0, backoff=0.05, deadline=2.0, read_timeout=1.0, connect_timeout=1.0,
                   retries=2, max_bytes=200_000, workers=4)


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def fetcher():
    with Fetcher(FAST) as f:
        yield f


def test_plain_fetch_sends_user_agent(server, fetcher):
    server.routes["/a"] = Route(body=b"<html>hello</html>")
    r = fetcher.fetch(server.url("/a"))
    assert r.ok and r.body == b"<html>hello</html>" and r.status == 200
    ua = server.headers_of("/a")[0]["User-Agent"]
    assert ua.startswith("Parallax/0.1 (")


def test_robots_disallow_is_honoured(server, fetcher):
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.routes["/private/x"] = Route(body=b"secret")
    server.routes["/public"] = Route(body=b"ok")
    r = fetcher.fetch(server.url("/private/x"))
    assert not r.ok and "robots.txt" in r.error
    assert server.hits("/private/x") == 0
    assert fetcher.fetch(server.url("/public")).ok
    assert server.hits("/robots.txt") == 1  # cached per host


def test_robots_group_for_our_agent_and_crawl_delay(server):
    server.routes["/robots.txt"] = Route(body=b"User-agent: Parallax\nDisallow: /\nCrawl-delay: 7\n\n"
                                              b"User-agent: *\nAllow: /\n", content_type="text/plain")
    server.routes["/a"] = Route(body=b"x")
    with Fetcher(FAST) as f:
        assert "robots" in f.fetch(server.url("/a")).error
        assert f._host(server.url("/a")).delay == 7


def test_robots_server_error_disallows_for_now(server, fetcher):
    server.routes["/robots.txt"] = Route(status=500)
    server.routes["/a"] = Route(body=b"x")
    assert "robots" in fetcher.fetch(server.url("/a")).error


def test_redirects_followed_and_bounded(server, fetcher):
    server.routes["/r1"] = Route(status=301, headers={"Location": "/r2"})
    server.routes["/r2"] = Route(status=302, headers={"Location": server.url("/final")})
    server.routes["/final"] = Route(body=b"done")
    r = fetcher.fetch(server.url("/r1"))
    assert r.ok and r.body == b"done" and r.final_url == server.url("/final") and len(r.redirects) == 2

    server.routes["/loop1"] = Route(status=302, headers={"Location": "/loop2"})
    server.routes["/loop2"] = Route(status=302, headers={"Location": "/loop1"})
    r = fetcher.fetch(server.url("/loop1"))
    assert not r.ok and "redirect loop" in r.error
    assert server.hits("/loop1") == 1 and server.hits("/loop2") == 1

    for i in range(10):  # a chain longer than the bound, no loop
        server.routes[f"/c{i}"] = Route(status=307, headers={"Location": f"/c{i + 1}"})
    r = fetcher.fetch(server.url("/c0"))
    assert "too many redirects" in r.error
    assert server.hits(f"/c{FAST.max_redirects + 1}") == 0


def test_redirect_to_disallowed_path_is_refused(server, fetcher):
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /no\n", content_type="text/plain")
    server.routes["/go"] = Route(status=302, headers={"Location": "/no/way"})
    assert "robots" in fetcher.fetch(server.url("/go")).error
    assert server.hits("/no/way") == 0


def test_huge_bodies_are_cut(server, fetcher):
    server.routes["/declared"] = Route(body=b"x" * 300_000)  # Content-Length over the limit
    server.routes["/streamed"] = Route(stream_bytes=50_000_000)  # no Content-Length, 50 MB
    r = fetcher.fetch(server.url("/declared"))
    assert not r.ok and "too large" in r.error
    t = time.monotonic()
    r = fetcher.fetch(server.url("/streamed"))
    assert not r.ok and "too large" in r.error and r.body == b""
    assert time.monotonic() - t < 2


def test_page_that_never_finishes_hits_the_deadline(server):
    server.routes["/slow"] = Route(trickle=0.1)  # one byte per 0.1 s, forever: no read timeout fires
    server.routes["/stall"] = Route(delay=5)      # says nothing at all
    cfg = FetchConfig(min_interval=0, deadline=1.0, read_timeout=0.5, retries=2, backoff=0.01)
    with Fetcher(cfg) as f:
        t = time.monotonic()
        r = f.fetch(server.url("/slow"))
        assert not r.ok and "timed out" in r.error
        assert time.monotonic() - t < 2.5
        assert r.attempts == 1  # a timeout is not retried (the next poll tries again)
        r = f.fetch(server.url("/stall"))
        assert not r.ok and "timed out" in r.error


def test_429_and_503_back_off_honouring_retry_after(server, fetcher):
    server.routes["/busy"] = [Route(status=429, headers={"Retry-After": "1"}), Route(status=503),
                              Route(body=b"finally")]
    t = time.monotonic()
    r = fetcher.fetch(server.url("/busy"))
    assert r.ok and r.body == b"finally" and r.attempts == 3
    assert time.monotonic() - t >= 1.0  # Retry-After honoured
    server.routes["/down"] = Route(status=503)
    r = fetcher.fetch(server.url("/down"))
    assert not r.ok and r.error == "HTTP 503" and r.attempts == FAST.retries + 1
    server.routes["/later"] = Route(status=429, headers={"Retry-After": "3600"})
    r = fetcher.fetch(server.url("/later"))
    assert "beyond the limit" in r.error and server.hits("/later") == 1


def test_retry_after_parsing():
    assert retry_after_seconds("5") == 5
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 60) == 60
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_conditional_requests(server, fetcher):
    server.routes["/feed"] = Route(body=b"<rss/>", etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    first = fetcher.fetch(server.url("/feed"))
    assert first.ok and first.etag == '"v1"'
    again = fetcher.fetch(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.status == 304 and again.body == b"" and not again.error
    h = server.headers_of("/feed")[-1]
    assert h["If-None-Match"] == '"v1"' and h["If-Modified-Since"] == first.last_modified


def test_rate_limit_and_per_host_concurrency(server):
    server.routes["/p"] = Route(body=b"x", delay=0.2)
    with Fetcher(FetchConfig(min_interval=0.0, per_host_concurrency=2, workers=8)) as f:
        results = f.fetch_many([server.url(f"/p?{i}") for i in range(6)])
    assert all(r.ok for r in results) and server.max_active == 2
    server.routes["/q"] = Route(body=b"x")
    with Fetcher(FetchConfig(min_interval=0.15, workers=4)) as f:
        f.fetch(server.url("/robots.txt"), robots=False)
        t = time.monotonic()
        f.fetch_many([server.url(f"/q?{i}") for i in range(5)])
        assert time.monotonic() - t >= 0.5  # 5 starts, at least 0.15 s apart (robots.txt took the first slot)


def test_unreachable_host_and_bad_scheme(fetcher):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    r = fetcher.fetch(f"http://127.0.0.1:{port}/x")
    assert not r.ok and r.error
    assert "scheme" in fetcher.fetch("ftp://127.0.0.1/x").error


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>One</title><link>/one#top</link><pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Summary one.&lt;/p&gt;</description></item>
<item><title>Two</title><link>http://127.0.0.1:1/two</link></item></channel></rss>"""

SITEMAP = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://h/a</loc><lastmod>2024-01-02</lastmod></url><url><loc>http://h/b</loc></url></urlset>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://h/s1.xml</loc></sitemap></sitemapindex>"""


def test_discovery_of_feeds_sitemaps_and_canonical_urls():
    assert classify(RSS) == "feed" and classify(SITEMAP) == "sitemap" and classify(INDEX) == "sitemap"
    assert classify(b"<!doctype html><html></html>") == "html"
    entries = feed_entries(RSS, "http://h/feed.xml")
    assert [e.url for e in entries] == ["http://h/one", "http://127.0.0.1:1/two"]
    assert entries[0].title == "One" and entries[0].text == "Summary one." and entries[0].published
    pages, children = sitemap_links(SITEMAP, "http://h/")
    assert [p.url for p in pages] == ["http://h/a", "http://h/b"] and pages[0].published == "2024-01-02"
    assert sitemap_links(INDEX, "http://h/") == ([], ["http://h/s1.xml"])
    html = ('<html><head><link rel="alternate" type="application/rss+xml" href="/rss">'
            '<link rel="canonical" href="/story?id=1"><meta property="og:url" content="http://x/og"></head></html>')
    assert feed_links_in_html(html, "http://H/page") == ["http://h/rss"]
    assert canonical_url(html, "http://h/page?utm=1") == "http://h/story?id=1"
    assert canonical_url('<html><head><meta property="og:url" content="http://h/og"></head></html>', "http://h/p") \
        == "http://h/og"
    assert canonical_url("<html></html>", "HTTP://H/p#x") == "http://h/p"
    assert normalise_url("http://Example.ORG") == "http://example.org/"


def test_extract_page_metadata():
    body = " ".join(["The council voted on Tuesday to close the old bridge to traffic after engineers "
                     "found cracks in two of its supports, officials said."] * 6)
    html = (f'<html><head><title>Bridge closed</title><meta name="author" content="Jane Roe">'
            f'<meta property="og:site_name" content="Daily Example">'
            f'<meta property="article:published_time" content="2024-05-06T08:00:00Z">'
            f'<link rel="canonical" href="http://h/bridge"></head><body><nav>Home | World</nav>'
            f'<article><h1>Bridge closed</h1><p>{body}</p><p>{body}</p></article></body></html>')
    page = extract_page(html, "http://h/bridge?ref=rss")
    assert page is not None
    assert page.url == "http://h/bridge" and page.title == "Bridge closed" and page.author == "Jane Roe"
    assert page.sitename == "Daily Example" and page.published.startswith("2024-05-06")
    assert "engineers found cracks" in page.text and "Home | World" not in page.text
    assert extract_page("<html><body></body></html>", "http://h/x") is None
