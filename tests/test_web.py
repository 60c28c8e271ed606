"""The web app through its HTTP interface (no browser): every page and its JSON twin, the
security headers, pagination, read-only mode, ingest, size limits and path traversal.

The database is built once per session from a handful of hand-written articles through
``parallax.workflows.ingest_into`` (the real NLP pipeline, a few seconds); one article carries
HTML and JavaScript in its title, text, outlet and URL and must come out as text everywhere."""

from __future__ import annotations

import json
import re
import time
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

QUAKE_1 = ("A magnitude 6.8 earthquake struck the northern Chilean port of Arica on Saturday, "
           "injuring three people and damaging dozens of homes, officials said. The emergency office "
           "said there was no tsunami threat. Mayor Ana Torres told Reuters the harbour was closed. "
           "\"We are checking every building,\" Torres said.")
QUAKE_2 = ("Three people were hurt when a strong 6.8 magnitude quake hit Arica in northern Chile on "
           "Saturday, authorities said. Dozens of houses were damaged and the port was shut, Mayor Ana "
           "Torres said. Officials ruled out a tsunami. President Gabriel Boric praised the rescue teams.")
QUAKE_COPY = QUAKE_1.replace("on Saturday", "on Saturday morning")
ELECTION = ("Voters in Portugal went to the polls on Sunday in a snap parliamentary election called "
            "after the prime minister resigned over a corruption inquiry. Turnout was higher than in "
            "2022, the electoral commission said, and results are expected late on Sunday night.")
HOSTILE_TITLE = "Quake <script>window.__pwned=1;alert('title')</script><img src=x onerror=alert(2)>"
HOSTILE_OUTLET = "evil<img src=x onerror=alert(5)>"
HOSTILE = ("A disastrous magnitude 6.8 earthquake shook Arica in northern Chile on Saturday, injuring three "
           "people, officials said. <script>window.__pwned=1;alert('text')</script> The reckless port "
           "authority <img src=x onerror=\"window.__pwned=2\"> kept the harbour closed, Mayor Ana Torres said. "
           "Read more at <a href=\"javascript:window.__pwned=3\">this link</a> about the tsunami warning.")
ARTICLES = [
    {"text": QUAKE_1, "title": "Quake hits Arica", "outlet": "andes", "date": "2024-03-02T10:00:00Z",
     "url": "https://andes.example/quake"},
    {"text": QUAKE_2, "title": "Arica quake injures three", "outlet": "pacific", "date": "2024-03-02T14:00:00Z"},
    {"text": QUAKE_COPY, "title": "Quake hits Arica", "outlet": "copycat", "date": "2024-03-02T18:00:00Z"},
    {"text": ELECTION, "title": "Portugal votes", "outlet": "iberia", "date": "2024-03-10"},
    {"text": HOSTILE, "title": HOSTILE_TITLE, "outlet": HOSTILE_OUTLET, "date": "2024-03-02T08:00:00Z",
     "url": "javascript:window.__pwned=4"},
]

_BUILT: dict[str, str] = {}


def build_web_db(tmp_path_factory) -> str:
    """The session's test database (built once, shared by the HTTP and the browser tests)."""
    if "path" not in _BUILT:
        from parallax.workflows import ingest_into
        from parallax.store import open_store

        d = tmp_path_factory.mktemp("webdb")
        src = d / "news.jsonl"
        src.write_text("\n".join(json.dumps(r) for r in ARTICLES) + "\n", encoding="utf-8")
        path = str(d / "news.db")
        with open_store(path) as store:
            summary = ingest_into(store, [str(src)])
        assert summary.failed == 0 and summary.stored == len(ARTICLES), summary.to_dict()
        _BUILT["path"] = path
    return _BUILT["path"]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return build_web_db(tmp_path_factory)


@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from parallax.web import create_app

    return TestClient(create_app(db, report_wait=600))  # pages show the comparison, not "preparing"


def _story_ids(client) -> dict[str, str]:
    """{'quake': id, 'election': id}"""
    items = client.get("/stories.json").json()["items"]
    out = {}
    for s in items:
        out["election" if s["outlets"] == ["iberia"] else "quake"] = s["id"]
    assert set(out) == {"quake", "election"}, items
    return out


def _hostile_id(client) -> str:
    sid = _story_ids(client)["quake"]
    rows = client.get(f"/stories/{sid}.json").json()["articles"]["items"]
    return next(r["id"] for r in rows if r["outlet"] == HOSTILE_OUTLET)


def _pages(client) -> list[str]:
    ids = _story_ids(client)
    story = client.get(f"/stories/{ids['quake']}.json").json()
    urls = ["/stories", "/stories?sort=coverage", f"/stories?outlet={quote(HOSTILE_OUTLET)}", "/actors", "/ingest"]
    urls += [f"/stories/{sid}" for sid in ids.values()]
    urls += [f"/articles/{r['id']}" for r in story["articles"]["items"]]
    urls += [f"/actors/{quote(a['name'], safe='')}" for a in story["comparison"]["actors"][:5]]
    return urls


def test_every_page_renders_with_security_headers(client):
    for url in _pages(client):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html")
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        j = client.get(url.split("?")[0].rstrip("/") + ".json" + ("?" + url.split("?")[1] if "?" in url else ""))
        assert j.status_code == 200 and j.headers["content-type"].startswith("application/json"), url
        assert j.headers["x-content-type-options"] == "nosniff"


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element the browser would build from ``html``: (tag, attributes)."""
    from html.parser import HTMLParser

    found = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    P().feed(html)
    return found


def test_hostile_article_is_text_on_every_page(client):
    hostile = _hostile_id(client)
    for url in _pages(client) + [f"/articles/{hostile}"]:
        html = client.get(url).text
        tags = _tags(html)
        assert not {t for t, _ in tags} & {"script", "img", "iframe", "object", "embed"}, url
        for tag, attrs in tags:
            for name, value in attrs:
                assert not name.startswith("on"), (url, tag, name)
                assert not (value or "").strip().lower().startswith("javascript:"), (url, tag, name)
    html = client.get(f"/articles/{hostile}").text
    assert "Quake &lt;script&gt;window.__pwned=1;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert "javascript:window.__pwned=4" in html  # the URL shown as text, not a link


def test_story_list_json_twin_matches_html(client):
    j = client.get("/stories.json").json()
    html = client.get("/stories").text
    assert j["total"] == 2 and len(j["items"]) == 2
    rows = re.findall(r'<tr data-story="([^"]+)">', html)
    assert rows == [s["id"] for s in j["items"]]  # same stories, same order
    from markupsafe import escape

    for s in j["items"]:
        assert str(escape(s["title"])) in html
        for o in s["outlets"]:
            assert str(escape(o)) in html
    assert j["database"]["counts"]["articles"] == len(ARTICLES)


def test_story_list_filters_sort_and_pagination(client):
    ids = _story_ids(client)

    def got(q):
        return [s["id"] for s in client.get("/stories.json" + q).json()["items"]]

    assert got("?q=portugal") == [ids["election"]]
    assert got("?q=ARICA+quake") == [ids["quake"]]
    assert got("?outlet=iberia") == [ids["election"]]
    assert got("?since=2024-03-05") == [ids["election"]]
    assert got("?until=2024-03-05") == [ids["quake"]]
    assert got("?sort=recency") == [ids["election"], ids["quake"]]
    assert got("?sort=coverage") == [ids["quake"], ids["election"]]
    p1 = client.get("/stories.json?per_page=1").json()
    assert p1["pages"] == 2 and p1["next"] and p1["prev"] is None and len(p1["items"]) == 1
    p2 = client.get(p1["next"]).json()
    assert p2["page"] == 2 and p2["next"] is None and p2["items"][0]["id"] != p1["items"][0]["id"]
    assert 'rel="next"' in client.get("/stories?per_page=1").text
    assert client.get("/stories.json?per_page=1000").status_code == 422
    assert client.get("/stories.json?sort=bogus").status_code == 422


def test_story_json_twin_matches_html(client):
    from markupsafe import escape

    sid = _story_ids(client)["quake"]
    j = client.get(f"/stories/{sid}.json").json()
    html = client.get(f"/stories/{sid}").text
    assert j["story"]["id"] == sid and j["comparison"] is not None
    assert len(j["articles"]["items"]) == 4 and j["timeline"]["first_outlet"] == HOSTILE_OUTLET
    copies = [r for r in j["articles"]["items"] if r["near_dup_of"]]
    assert [r["outlet"] for r in copies] == ["copycat"]
    assert html.count('class="copy-tag">copy<') == 1
    for r in j["articles"]["items"]:
        assert f'href="/articles/{r["id"]}"' in html and str(escape(r["title"])) in html
    c = j["comparison"]
    assert {a["outlet"] for a in c["articles"]} == {"andes", "pacific", HOSTILE_OUTLET}  # the copy is left out
    for g in c["quotes"]:
        assert str(escape(g["speaker"])) in html
    for actor in c["actors"][:15]:
        assert str(escape(actor["name"])) in html
    # the pictures: timeline (a hollow dot for the copy), facts x outlets, actor graph
    assert html.count('class="copy"') == 1 and html.count('class="original"') == 3
    assert 'aria-label="Facts × outlets"' in html or "No fact is shared" in html
    assert 'aria-label="Actor graph"' in html or "No relation between the actors was found" in html
    for section in ("Side by side", "Quotes by speaker", "Sources cited", "Flagged sentences", "Main actors"):
        assert section in html
    assert client.get(f"/stories/{sid}.json?per_page=3").json()["articles"]["pages"] == 2


def test_article_json_twin_matches_html(client):
    from markupsafe import escape

    for r in client.get(f"/stories/{_story_ids(client)['quake']}.json").json()["articles"]["items"]:
        j = client.get(f"/articles/{r['id']}.json").json()
        html = client.get(f"/articles/{r['id']}").text
        a = j["article"]
        assert a["id"] == r["id"] and j["story"]["id"] == a["story_id"]
        assert str(escape(a["title"])) in html and str(escape(a["outlet"])) in html
        for m in a["mentions"]:
            if m["actor"]:
                assert f'href="/actors/{quote(m["actor"], safe="")}"' in html
        assert html.count('class="quote"') + html.count("quote ") >= len(a["quotes"]) > 0 or not a["quotes"]
        assert html.count('class="sent ') == len(a["sentences"])
        if a["near_duplicate_of"]:
            assert "Near-duplicate copy of" in html


def test_actor_json_twin_matches_html(client):
    from markupsafe import escape

    sid = _story_ids(client)["quake"]
    actors = client.get("/actors.json?per_page=200").json()
    names = [a["name"] for a in actors["items"]]
    assert names and actors["total"] == len(names)
    torres = next(n for n in names if "Torres" in n)
    j = client.get(f"/actors/{quote(torres, safe='')}.json").json()
    html = client.get(f"/actors/{quote(torres, safe='')}").text
    assert j["actor"]["name"] == torres and j["actor"]["mentions"] >= 3
    assert [s["id"] for s in j["stories"]["items"]] == [sid]
    assert f'href="/stories/{sid}"' in html and str(escape(j["stories"]["items"][0]["title"])) in html
    for o in j["actor"]["by_outlet"]:
        assert str(escape(o)) in html
    twin = re.search(r'class="json" href="([^"]+)"', html).group(1)  # the page's own JSON link
    assert " " not in twin and client.get(twin).json() == j
    assert client.get("/actors/Nobody%20At%20All").status_code == 404
    assert client.get("/actors/Nobody%20At%20All.json").json()["status"] == 404


def test_actor_pages_wait_for_a_slow_index(db, monkeypatch):
    """On a large database the first actor index takes a while: the page says so (503 with
    Retry-After and a self-refresh) instead of hanging, and shows the actor once it is built."""
    import threading

    from fastapi.testclient import TestClient

    from parallax.web import app as web_app
    from parallax.web import create_app

    release = threading.Event()
    real = web_app.ActorIndex

    class Slow(real):
        def __init__(self, store):
            release.wait(10)
            super().__init__(store)

    monkeypatch.setattr(web_app, "ACTOR_WAIT", 0.05)
    monkeypatch.setattr(web_app, "ActorIndex", Slow)
    c = TestClient(create_app(db))
    r = c.get("/actors")
    assert r.status_code == 503 and r.headers["retry-after"] == "10"
    assert '<meta http-equiv="refresh" content="10">' in r.text
    assert c.get("/actors.json").json()["status"] == 503
    release.set()
    for _ in range(100):
        if c.get("/actors.json").status_code == 200:
            break
        threading.Event().wait(0.1)
    assert c.get("/actors.json").json()["total"] > 0


def test_not_found_and_path_traversal(client):
    for url in ["/stories/nope", "/articles/nope", "/static/../app.py", "/static/%2e%2e/app.py",
                "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fstore%2fdb.py", "/articles/..%2f..%2fetc%2fpasswd"]:
        r = client.get(url)
        assert r.status_code == 404, url
        assert "import " not in r.text and "root:" not in r.text
    assert client.get("/stories/nope.json").json() == {"error": "No story 'nope'", "status": 404}
    assert client.get("/static/app.css").status_code == 200


def test_openapi_describes_the_json_twins(client):
    spec = client.get("/openapi.json").json()
    for path in ["/stories.json", "/stories/{story_id}.json", "/articles/{article_id}.json", "/actors.json",
                 "/actors/{name}.json", "/ingest.json"]:
        assert path in spec["paths"], path
    assert "/stories" not in spec["paths"]  # HTML pages are not API
    assert client.get("/docs").status_code == 404  # no CDN-backed docs page


def test_read_only_by_default(client):
    assert client.get("/ingest.json").json()["allowed"] is False
    assert "read-only" in client.get("/ingest").text
    r = client.post("/ingest.json", data={"jsonl": json.dumps({"text": "x"})})
    assert r.status_code == 403


def test_ingest_when_allowed(tmp_path):
    from fastapi.testclient import TestClient

    from parallax.web import create_app

    c = TestClient(create_app(str(tmp_path / "new.db"), allow_ingest=True, max_body=200_000))
    assert 'enctype="multipart/form-data"' in c.get("/ingest").text
    token = c.get("/ingest.json").json()["csrf_token"]  # see tests/test_web_security.py
    line = json.dumps({"text": ELECTION, "title": "Portugal votes", "outlet": "iberia", "date": "2024-03-10"})
    assert c.post("/ingest.json", data={"jsonl": line, "csrf_token": token},
                  headers={"origin": "http://evil.example"}).status_code == 403
    assert c.post("/ingest.json", data={"jsonl": line, "csrf_token": token},
                  headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert c.post("/ingest.json", data={"jsonl": "x" * 300_000}).status_code == 413
    r = c.post("/ingest.json", files=[("files", ("../../etc/evil.jsonl", line.encode(), "application/json"))],
               data={"jsonl": "not json", "csrf_token": token})
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["ingested"] == 1 and res["failed"] == 1
    assert res["failures"][0]["source"] == "pasted.jsonl"
    assert not (tmp_path.parent / "etc").exists()
    assert [s["title"] for s in c.get("/stories.json").json()["items"]] == ["Portugal votes"]
    html = c.post("/ingest", data={"jsonl": line, "csrf_token": token}).text
    assert 'id="ingest-result"' in html and "duplicates <" not in html


def test_host_header_checked_on_loopback(db):
    from fastapi.testclient import TestClient

    from parallax.web import create_app
    from parallax.web.app import is_loopback

    c = TestClient(create_app(db, allowed_hosts=["127.0.0.1", "localhost"]))
    assert c.get("/stories.json", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert c.get("/stories.json", headers={"host": "attacker.example"}).status_code == 400
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_svg_escapes_everything():
    from parallax.model import Actor, Relation
    from parallax.web import svg

    evil = "<script>alert(1)</script>\"'&"
    out = str(svg.bars([(evil, 3)], evil, href="/stories?outlet={q}")) + str(svg.columns([(evil, 1)], evil))
    out += str(svg.actor_graph([Actor(name=evil, type=evil, mentions=2)],
                               [Relation(subject=evil, predicate="x", object="Y", polarity=1, sentence=0,
                                         evidence=evil)]))
    assert "<script" not in out and "&lt;script&gt;" in out


def test_serve_command_warns_off_loopback(monkeypatch, db):
    import uvicorn
    from typer.testing import CliRunner

    from parallax.cli import app

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda web, host, port, **kw: calls.append((host, port)))
    res = CliRunner().invoke(app, ["serve", db, "--port", "8123"])
    assert res.exit_code == 0, res.output
    assert calls[-1] == ("127.0.0.1", 8123) and "warning" not in res.output
    res = CliRunner().invoke(app, ["serve", db, "--host", "0.0.0.0"])
    assert res.exit_code == 0 and calls[-1] == ("0.0.0.0", 8000)
    assert "warning" in res.output and "0.0.0.0" in res.output


def test_reference_story_page_with_relations_renders(tmp_path):
    """A story whose comparison has relation edges (the reference pair) renders in the web app,
    with the graph and the relation evidence shown as text."""
    from fastapi.testclient import TestClient

    from parallax.workflows import ingest_into
    from parallax.store import open_store
    from parallax.web import create_app

    from .conftest import EXAMPLES

    path = str(tmp_path / "ref.db")
    with open_store(path) as store:
        ingest_into(store, [str(EXAMPLES)])
    client = TestClient(create_app(path, report_wait=600))
    rows = client.get("/stories.json").json()
    ids = [r["id"] for r in rows["items"]]
    assert ids
    for sid in ids:
        page = client.get(f"/stories/{sid}")
        assert page.status_code == 200
    assert any("Khalifa Haftar" in client.get(f"/stories/{sid}").text for sid in ids)


def test_first_story_view_says_preparing_then_shows_the_comparison(db):
    """A story page does not wait for a slow first comparison: it answers at once with a notice
    that reloads itself, and shows the comparison once the background work is done."""
    from fastapi.testclient import TestClient

    from parallax.web import create_app

    c = TestClient(create_app(db, report_wait=0))
    sid = _story_ids(c)["quake"]
    first = c.get(f"/stories/{sid}")
    assert first.status_code == 200
    assert "Preparing the comparison" in first.text  # not computed yet: the notice, the refresh, the timeline
    assert '<meta http-equiv="refresh" content="3">' in first.text and "Coverage timeline" in first.text
    assert "Side by side" not in first.text
    deadline = time.time() + 300
    while time.time() < deadline:
        page = c.get(f"/stories/{sid}").text
        if "Preparing the comparison" not in page:
            break
        time.sleep(0.5)
    assert "Side by side" in page and 'http-equiv="refresh"' not in page
