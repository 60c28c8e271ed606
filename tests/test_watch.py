"""Live sources end to end against a loopback server: feeds that change between polls,
conditional requests, busy hosts, pages that never finish, robots.txt, canonical-URL dedupe,
sitemaps, and the ``ingest URL`` / ``watch`` / ``sources`` commands.  Only 127.0.0.1 is used."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.fetch import FetchConfig, Fetcher
from parallax.workflows import live_ingest
from parallax.fetch.loopback import LoopbackServer, Route, article_html, rss, synthetic_article
from parallax.store import open_store
from parallax.store.sources import SourceStore

CFG = FetchConfig(min_interval=0.0, backoff=0.05, retries=1, deadline=1.5, read_timeout=1.0, connect_timeout=1.0)


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "news.db")
    yield s
    s.close()


def _page(srv: LoopbackServer, i: int, path: str | None = None, canonical: str | None = None, **kw) -> str:
    path = path or f"/a/{i}"
    srv.routes[path] = Route(body=article_html(i, srv.url(""), path, canonical), **kw)
    return path


def _feed(srv: LoopbackServer, paths: list[str], etag: str, name: str = "/feed.xml") -> str:
    srv.routes[name] = Route(body=rss([(f"item {p}", srv.url(p)) for p in paths]), etag=etag,
                             content_type="application/rss+xml")
    return srv.url(name)


@pytest.fixture
def live(store):
    with Fetcher(CFG) as f:
        yield live_ingest(store, f)


def test_feed_changing_between_polls_ingests_only_new_articles(server, store, live):
    p0, p1, p2 = _page(server, 0), _page(server, 1), _page(server, 2)
    feed = _feed(server, [p0, p1], etag='"v1"')
    first = live.poll([(feed, "loopnews")])
    assert first.ingest.ingested == 2 and not first.errors
    assert {a.outlet for a in store.iter_articles()} == {"loopnews"}
    assert all(a.story_id for a in store.iter_articles())  # assigned to stories as they arrive
    assert {a.url for a in store.iter_articles()} == {server.url(p0), server.url(p1)}

    second = live.poll([(feed, "loopnews")])  # unchanged: 304, nothing re-fetched
    assert second.not_modified == 1 and second.fetched == 0 and second.ingest.ingested == 0
    assert server.headers_of("/feed.xml")[-1]["If-None-Match"] == '"v1"'
    assert server.hits(p0) == server.hits(p1) == 1

    feed = _feed(server, [p2, p0, p1], etag='"v2"')  # one new item
    third = live.poll([(feed, "loopnews")])
    assert third.fetched == 1 and third.ingest.ingested == 1 and third.known == 2
    assert server.hits(p0) == server.hits(p1) == server.hits(p2) == 1
    assert store.counts()["articles"] == 3

    [src] = SourceStore(store).sources()
    assert src["kind"] == "feed" and src["n_polls"] == 3 and src["n_articles"] == 3 and src["n_errors"] == 0
    assert src["last_success_at"] is not None and src["etag"] == '"v2"'


def test_busy_host_backs_off_and_loses_nothing(server, store, live):
    # /a/3 is busy once (429, Retry-After: 1) then fine; /a/4 answers 503 for the whole first poll
    server.routes["/a/3"] = [Route(status=429, headers={"Retry-After": "1"}),
                             Route(body=article_html(3, server.url(""), "/a/3"))]
    server.routes["/a/4"] = Route(status=503)
    feed = _feed(server, ["/a/3", "/a/4"], etag='"v1"')
    first = live.poll([feed])
    assert first.ingest.ingested == 1
    assert [u for u, _ in first.errors] == [server.url("/a/4")]
    assert server.hits("/a/3") == 2 and server.hits("/a/4") == CFG.retries + 1
    src = SourceStore(store).source(feed)
    assert src["n_errors"] == 1 and "503" in src["last_error"] and src["etag"] == ""  # validators withheld

    _page(server, 4)  # the host recovers: the next poll retries the missed article
    second = live.poll([feed])
    assert second.not_modified == 0 and second.ingest.ingested == 1 and not second.errors
    assert server.hits("/a/3") == 2  # the stored one is not fetched again
    assert store.counts()["articles"] == 2
    assert SourceStore(store).source(feed)["etag"] == '"v1"'


def test_never_finishing_page_and_robots_disallow_are_recorded(server, store, live):
    server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.routes["/slow"] = Route(trickle=0.1)
    _page(server, 5)
    _page(server, 6, path="/private/6")
    feed = _feed(server, ["/slow", "/a/5", "/private/6"], etag='"v1"')
    res = live.poll([feed])
    assert res.ingest.ingested == 1
    reasons = dict(res.errors)
    assert "timed out" in reasons[server.url("/slow")]
    assert "robots.txt" in reasons[server.url("/private/6")]
    assert server.hits("/private/6") == 0
    src = SourceStore(store).source(feed)
    assert src["n_errors"] == 2 and src["last_success_at"] is not None and src["n_articles"] == 1
    log = SourceStore(store).fetches(source=feed)
    assert {r["url"] for r in log if r["outcome"] == "error"} == {server.url("/slow"), server.url("/private/6")}
    assert SourceStore(store).error_counts()[feed] == 2


def test_unreachable_feed_is_a_source_failure(server, store, live):
    res = live.poll([server.url("/missing.xml")])
    assert res.errors == [(server.url("/missing.xml"), "HTTP 404")]
    src = SourceStore(store).source(server.url("/missing.xml"))
    assert src["n_errors"] == 1 and src["last_success_at"] is None and src["last_error"] == "HTTP 404"


def test_same_article_through_two_urls_is_stored_once(server, store, live):
    canon = server.url("/a/7")
    _page(server, 7)
    server.routes["/a/7?utm_source=rss"] = server.routes["/a/7"]
    feed = _feed(server, ["/a/7", "/a/7?utm_source=rss"], etag='"v1"')
    first = live.poll([feed])
    assert first.fetched == 2 and first.ingest.ingested == 1 and store.counts()["articles"] == 1
    # later a mobile URL with slightly different text but the same canonical URL
    server.routes["/m/7"] = Route(body=article_html(7, server.url(""), "/m/7", canonical=canon, paragraphs=3))
    feed = _feed(server, ["/m/7", "/a/7"], etag='"v2"')
    second = live.poll([feed])
    assert second.fetched == 1 and second.ingest.ingested == 0 and second.known == 2
    assert store.counts()["articles"] == 1
    [art] = store.iter_articles()
    assert art.url == canon and art.title == "item /a/7"
    assert set(SourceStore(store).urls_of(art.id)) == {canon, server.url("/a/7?utm_source=rss"), server.url("/m/7")}


runner = CliRunner()


def test_cli_ingest_urls_watch_and_sources(server, tmp_path):
    db = str(tmp_path / "cli.db")
    # a sitemap index -> sitemap -> two pages, plus a direct article URL
    _page(server, 8), _page(server, 9), _page(server, 10)
    server.routes["/sitemap.xml"] = Route(content_type="application/xml", body=(
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<sitemap><loc>{server.url("/s1.xml")}</loc></sitemap></sitemapindex>').encode())
    server.routes["/s1.xml"] = Route(content_type="application/xml", body=(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<url><loc>{server.url("/a/8")}</loc></url><url><loc>{server.url("/a/9")}</loc></url></urlset>').encode())
    r = runner.invoke(app, ["ingest", db, server.url("/sitemap.xml"), server.url("/a/10"), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["ingested"] == 3 and out["failed"] == 0

    r = runner.invoke(app, ["ingest", db, server.url("/a/10"), "--json"])  # known URL: not fetched again
    assert r.exit_code == 0 and json.loads(r.stdout.strip().splitlines()[-1])["duplicates"] == 1
    assert server.hits("/a/10") == 1

    # watch: a front page advertising its feed, polled twice
    server.routes["/"] = Route(body=(f'<html><head><link rel="alternate" type="application/rss+xml" '
                                     f'href="/feed.xml"></head><body><a href="/a/8">x</a></body></html>').encode())
    _feed(server, ["/a/8", "/a/11"], etag='"f1"')
    _page(server, 11)
    sources = tmp_path / "sources.txt"
    sources.write_text(f"# test sources\n{server.url('/')} frontpage\n{server.url('/missing.xml')}\n")
    r = runner.invoke(app, ["watch", db, str(sources), "--max-polls", "2", "--every", "0s", "--json",
                            "--host-interval", "0"])
    assert r.exit_code == 0, r.output
    polls = [json.loads(line) for line in r.stdout.strip().splitlines()]
    assert [p["poll"] for p in polls] == [1, 2]
    assert polls[0]["ingest"]["ingested"] == 1 and polls[1]["ingest"]["ingested"] == 0
    assert server.hits("/a/11") == 1

    r = runner.invoke(app, ["sources", db, "--json"])
    rows = {row["url"]: row for row in json.loads(r.stdout)}
    front, missing = rows[server.url("/")], rows[server.url("/missing.xml")]
    assert front["name"] == "frontpage" and front["kind"] == "feed" and front["articles"] == 1
    assert front["polls"] == 2 and front["errors"] == 0 and front["last_success_at"]
    assert missing["errors"] == 2 and missing["last_error"] == "HTTP 404" and missing["last_success_at"] == ""
    assert rows[server.url("/sitemap.xml")]["kind"] == "sitemap" and rows[server.url("/sitemap.xml")]["articles"] == 2
    r = runner.invoke(app, ["sources", db])
    assert r.exit_code == 0 and "4 sources" in r.stdout

    r = runner.invoke(app, ["watch", db, str(tmp_path / "nope.txt"), "--once"])
    assert r.exit_code == 2


def test_synthetic_articles_differ():
    assert len({synthetic_article(i)[1] for i in range(40)}) == 40
