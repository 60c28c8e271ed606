"""The web app in a real browser (headless Debian Chromium through Playwright): click from the
story list into a story and an actor, check what is shown, and check that an article carrying
``<script>``, ``onerror=`` and ``javascript:`` in its title, text, outlet and URL is shown as text
on every page (no dialog opens, no script runs, no CSP violation).  Screenshots go to a temporary
folder; the README's pictures are made by tools/screenshots.py (``make screenshots``), whose layout
checks run here too (into a temporary folder).

Skipped when playwright or /usr/bin/chromium is missing."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("uvicorn")

from tests.test_web import HOSTILE, HOSTILE_OUTLET, HOSTILE_TITLE, build_web_db  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from parallax.web import create_app

    db = build_web_db(tmp_path_factory)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(db, allowed_hosts=["127.0.0.1", "localhost"], report_wait=600)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "web server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        except Exception as exc:  # noqa: BLE001 - a broken browser install is a skip, not a failure
            pytest.skip(f"chromium does not start: {exc}")
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page that records dialogs, page errors and console errors (CSP violations among them)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.events = {"dialogs": [], "errors": [], "console": []}

    def on_dialog(d):
        pg.events["dialogs"].append(d.message)
        d.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda e: pg.events["errors"].append(str(e)))
    pg.on("console", lambda m: m.type == "error" and "favicon" not in (m.location or {}).get("url", "")
          and pg.events["console"].append(m.text))
    yield pg
    ctx.close()


def _clean(pg) -> None:
    assert pg.events["dialogs"] == [], pg.events["dialogs"]
    assert pg.events["errors"] == [], pg.events["errors"]
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    assert pg.events["console"] == [], pg.events["console"]


def test_click_from_story_list_into_story_and_actor(server, page, tmp_path):
    page.goto(server + "/stories")
    assert page.locator("h1").inner_text() == "Stories"
    rows = page.locator("table.stories tbody tr")
    assert rows.count() == 2
    assert page.locator("svg.chart").count() == 2  # stories over time, outlets by volume
    page.screenshot(path=str(tmp_path / "stories.png"), full_page=True)
    # the list matches its JSON twin
    api = page.request.get(server + "/stories.json").json()
    shown = [page.locator("a.story-link").nth(k).inner_text() for k in range(rows.count())]
    assert shown == [s["title"] for s in api["items"]]

    quake = next(s for s in api["items"] if "pacific" in s["outlets"])
    page.locator(f'tr[data-story="{quake["id"]}"] a.story-link').click()
    page.wait_for_url(f"**/stories/{quake['id']}")
    assert page.locator("#story-title").inner_text() == quake["title"]
    story = page.request.get(server + f"/stories/{quake['id']}.json").json()
    titles = page.locator("table.articles a.article-link").all_inner_texts()
    assert titles == [r["title"] for r in story["articles"]["items"]]
    assert page.locator("circle.copy").count() == 1  # the copy marked on the coverage timeline
    graph = page.locator('svg[aria-label="Actor graph"] a.actor').count()
    assert graph >= 2 or page.get_by_text("No relation between the actors was found").is_visible()
    assert page.get_by_role("heading", name="Side by side").is_visible()
    assert page.get_by_role("heading", name="Quotes by speaker").is_visible()
    for g in story["comparison"]["quotes"]:
        assert g["speaker"] in page.locator("body").inner_text()
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)

    link = page.locator("a.actor-link", has_text="Torres").first
    name = link.inner_text()
    link.click()
    page.wait_for_url("**/actors/**")
    assert page.locator("#actor-name").inner_text() == name
    actor = page.request.get(server + f"/actors/{quote(name, safe='')}.json").json()
    assert page.locator("a.story-link").all_inner_texts() == [s["title"] for s in actor["stories"]["items"]]
    assert quake["title"] in page.locator("a.story-link").all_inner_texts()
    page.screenshot(path=str(tmp_path / "actor.png"), full_page=True)
    page.locator("a.story-link").first.click()  # and back into the story
    page.wait_for_url(f"**/stories/{quake['id']}")
    _clean(page)
    assert len(list(tmp_path.glob("*.png"))) == 3


def test_hostile_article_is_text_in_the_browser(server, page, tmp_path):
    api = page.request.get(server + "/stories.json").json()
    quake = next(s for s in api["items"] if HOSTILE_OUTLET in s["outlets"])
    story = page.request.get(server + f"/stories/{quake['id']}.json").json()
    hostile = next(r for r in story["articles"]["items"] if r["outlet"] == HOSTILE_OUTLET)
    urls = ["/stories", f"/stories?outlet={quote(HOSTILE_OUTLET)}", f"/stories/{quake['id']}",
            f"/articles/{hostile['id']}", f"/articles/{hostile['id']}.json", "/actors", "/ingest"]
    urls += [f"/actors/{quote(a['name'], safe='')}" for a in story["comparison"]["actors"][:4]]
    for url in urls:
        page.goto(server + url)
        page.wait_for_load_state("load")
        assert page.locator("script, img, iframe").count() == 0, url
        assert page.locator('a[href^="javascript:"]').count() == 0, url
        _clean(page)
    page.goto(server + f"/articles/{hostile['id']}")
    assert page.locator("#article-title").inner_text() == HOSTILE_TITLE
    assert page.locator("#article-outlet").inner_text() == HOSTILE_OUTLET
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__pwned=1;alert('text')</script>" in text
    assert '<a href="javascript:window.__pwned=3">this link</a>' in text
    assert "javascript:window.__pwned=4" in page.locator("body").inner_text()  # the URL, as text
    assert " ".join(text.split()) == " ".join(HOSTILE.split())
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    # clicking every link on the story page runs nothing either
    page.goto(server + f"/stories/{quake['id']}")
    assert HOSTILE_TITLE in page.locator("table.articles").inner_text()
    page.locator("table.articles a.article-link", has_text="Quake <script>").click()
    page.wait_for_url(f"**/articles/{hostile['id']}")
    _clean(page)


def test_ingest_from_the_browser_when_allowed(browser, tmp_path):
    """Started with allow_ingest, the ingest page takes a file and pasted JSONL from a real
    browser (its Origin and Sec-Fetch-Site headers pass the cross-site check)."""
    import json

    import uvicorn

    from parallax.web import create_app
    from tests.test_web import ELECTION, QUAKE_2

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(str(tmp_path / "fresh.db"), allow_ingest=True, allowed_hosts=["127.0.0.1"])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(f"http://127.0.0.1:{port}/ingest")
        upload = tmp_path / "quake.jsonl"
        upload.write_text(json.dumps({"text": QUAKE_2, "title": "Arica <b>quake</b>", "outlet": "pacific"}) + "\n")
        pg.set_input_files('input[name="files"]', str(upload))
        pg.fill('textarea[name="jsonl"]', json.dumps({"text": ELECTION, "title": "Portugal votes", "outlet": "iberia"}))
        pg.click('button[type="submit"]')
        pg.wait_for_selector("#ingest-result", timeout=120_000)
        assert "Ingested 2" in pg.locator("#ingest-result").inner_text()
        pg.goto(f"http://127.0.0.1:{port}/stories")
        assert sorted(pg.locator("a.story-link").all_inner_texts()) == ["Arica <b>quake</b>", "Portugal votes"]
        pg.screenshot(path=str(tmp_path / "after-ingest.png"), full_page=True)
        ctx.close()
    finally:
        srv.should_exit = True
        thread.join(10)


def test_screenshots_hold_their_layout_facts(browser, tmp_path):
    """tools/screenshots.py as ``make screenshots`` runs it, into a temporary folder: the story
    list does not scroll sideways at 390 px and keeps its dates on one line, no two actor-graph
    labels overlap (getBBox), and every heat-map row names the grid fact of its number, on the
    web story page and in the HTML report, at 1400 and 390 px."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshots", Path(__file__).resolve().parents[1] / "tools"
                                                  / "screenshots.py")
    shots = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shots)
    checked = shots.shoot(tmp_path / "shots", browser, tmp_path)
    assert checked["lists"] == 2 and checked["graph_labels"] >= 8 and checked["heatmap_rows"] >= 4
    names = {p.name for p in (tmp_path / "shots").glob("*.png")}
    for page in ("stories", "story", "actor", "report"):
        assert {f"{page}-wide.png", f"{page}-phone.png"} <= names
