"""Screenshots of the web app and the HTML report, checked as a person would look at them.

    python tools/screenshots.py            # (or: make screenshots) -> docs/screenshots/*.png

What: builds a small database from the reference articles (examples/) and the quake fixture,
serves it on 127.0.0.1, and with headless Debian Chromium (Playwright) takes the story list, a
story page, an actor page and the HTML report at 1400 px and 390 px wide.  Before each picture it
asserts layout facts: the story list never scrolls sideways and its dates stay on one line; no
two actor-graph labels overlap (their getBBox boxes); every heat-map row label names the grid
fact of the same number.  A failed fact stops the run with the page and the fact named.

The same :func:`shoot` runs in tests/test_web_browser.py (into a temporary folder), so CI checks
the layout facts without rewriting the committed pictures.  PNGs are the first screen of each
page (plus the story's pictures), reduced to 128 colours when ImageMagick's ``convert`` is
installed, to keep the repository small.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
WIDTHS = {"wide": (1400, 1000), "phone": (390, 844)}
OUT = ROOT / "docs" / "screenshots"

# --- layout facts, measured in the page ------------------------------------------------------------
_NO_SIDE_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
_DATE_LINES = """() => [...document.querySelectorAll('table.stories td.date')].filter(td => td.offsetParent)
  .map(td => { const r = document.createRange(); r.selectNodeContents(td);
               const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top))); return tops.size; })"""
_LABEL_BOXES = """() => [...document.querySelectorAll('svg.actor-graph text.node-label')].map(t => {
  const b = t.getBBox(); return [b.x, b.y, b.width, b.height, t.textContent]; })"""
_HEAT_VS_GRID = """() => [...document.querySelectorAll('svg text.fact-label')].map(t => {
  const n = t.dataset.fact; const tip = t.querySelector('title').textContent.replace(/^fact \\d+: /, '');
  const row = document.querySelector('#grid-' + n + ' td.txt');
  return [n, tip, row ? row.textContent.trim() : null]; })"""


def _overlaps(boxes: list) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]:
                out.append((a[4], b[4]))
    return out


def check_list(page, where: str) -> None:
    assert page.evaluate(_NO_SIDE_SCROLL), f"{where}: the story list scrolls sideways"
    lines = page.evaluate(_DATE_LINES)
    assert 1 in lines and all(n <= 1 for n in lines), f"{where}: a date wraps ({lines})"


def check_graph(page, where: str) -> int:
    boxes = page.evaluate(_LABEL_BOXES)
    bad = _overlaps(boxes)
    assert not bad, f"{where}: graph labels overlap: {bad[:3]}"
    return len(boxes)


def check_heatmap(page, where: str) -> int:
    rows = page.evaluate(_HEAT_VS_GRID)
    for n, tip, grid in rows:
        assert grid is not None, f"{where}: heat-map fact {n} has no grid row {n}"
        assert grid.startswith(tip[:40]), f"{where}: heat-map fact {n} is {tip[:40]!r}, grid fact {n} is {grid[:40]!r}"
    return len(rows)


# --- the data and the server -------------------------------------------------------------------------
def build_db(folder: Path) -> tuple[str, Path]:
    """A database of the reference articles and the quake fixture, and the reference HTML report."""
    from parallax.compare import compare, load
    from parallax.report import write_html
    from parallax.store import open_store
    from parallax.workflows import ingest_into

    db = str(folder / "shots.db")
    with open_store(db) as store:
        ingest_into(store, [str(ROOT / "examples"), str(ROOT / "tests" / "fixtures" / "quake.jsonl")])
    articles, _ = load(sorted(str(p) for p in (ROOT / "examples").glob("*.txt")))
    report = write_html(compare(articles), folder / "report.html")
    return db, report


class Server:
    """The web app on 127.0.0.1 (a free port) in a thread, stopped on exit."""

    def __init__(self, db: str):
        import uvicorn

        from parallax.web import create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        app = create_app(db, allowed_hosts=["127.0.0.1", "localhost"], report_wait=600)
        self.srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.srv.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.time() + 30
        while not self.srv.started and time.time() < deadline:
            time.sleep(0.05)
        assert self.srv.started, "web server did not start"
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.srv.should_exit = True
        self.thread.join(10)


def _small(path: Path) -> None:
    convert = shutil.which("convert")
    if convert:
        subprocess.run([convert, str(path), "-colors", "128", f"PNG8:{path}"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def shoot(out: Path, browser, work: Path) -> dict[str, int]:
    """Every picture into ``out``, each after its layout facts hold; returns what was checked."""
    out.mkdir(parents=True, exist_ok=True)
    db, report = build_db(work)
    checked = {"lists": 0, "graph_labels": 0, "heatmap_rows": 0, "pictures": 0}
    with Server(db) as base:
        for name, (w, h) in WIDTHS.items():
            ctx = browser.new_context(viewport={"width": w, "height": h})
            page = ctx.new_page()
            page.goto(base + "/stories")
            check_list(page, f"story list at {w} px")
            checked["lists"] += 1
            page.screenshot(path=str(out / f"stories-{name}.png"))
            api = page.request.get(base + "/stories.json").json()
            libya = max(api["items"], key=lambda s: ("zerohedge" in s["outlets"], len(s["outlets"]), s["id"]))
            page.goto(base + f"/stories/{libya['id']}")
            page.wait_for_selector("h2:has-text('Claim grid')", timeout=300_000)
            checked["graph_labels"] += check_graph(page, f"story page at {w} px")
            checked["heatmap_rows"] += check_heatmap(page, f"story page at {w} px")
            page.screenshot(path=str(out / f"story-{name}.png"))
            if name == "wide":
                page.locator(".pictures").screenshot(path=str(out / "story-pictures.png"))
            top = page.locator("a.actor").first
            actor = top.get_attribute("href") if top.count() else "/actors"
            page.goto(base + actor)
            page.screenshot(path=str(out / f"actor-{name}.png"))
            page.goto(report.as_uri())
            checked["graph_labels"] += check_graph(page, f"HTML report at {w} px")
            checked["heatmap_rows"] += check_heatmap(page, f"HTML report at {w} px")
            page.screenshot(path=str(out / f"report-{name}.png"))
            if name == "wide":
                page.locator("svg.actor-graph").screenshot(path=str(out / "report-graph.png"))
            ctx.close()
    for p in out.glob("*.png"):
        _small(p)
        checked["pictures"] += 1
    return checked


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            checked = shoot(OUT, browser, Path(tmp))
        finally:
            browser.close()
    print(f"screenshots in {OUT.relative_to(ROOT)}: {checked}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
