"""The web app: FastAPI, server-rendered Jinja2 pages, every HTML page with a ``.json`` twin.

    create_app("news.db")  ->  FastAPI app;   `parallax serve news.db` runs it with uvicorn

Layout (datasette's habit): one view module per page type — :mod:`.stories` (the story list),
:mod:`.story`, :mod:`.article`, :mod:`.actor`, :mod:`.ingest` — each an ``APIRouter`` whose HTML
route and JSON twin share one function building the page's data.  This module holds what they
share: the :class:`Site` (the open store and its caches), the template environment (the web
templates plus the HTML report's partials, so improvements to the report show up here), the
pagination helper, and the security layer (:class:`Guard`).

Security: Jinja autoescaping is on for every template; the only pre-built markup comes from
:mod:`.svg` and :func:`parallax.report.html.highlight`, both assembled from escaped pieces.  Every
response carries a CSP without inline scripts (scripts only from ``/static``), ``frame-ancestors
'none'``, ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin`` (nothing leaves for other sites; ``no-referrer`` would make
browsers send ``Origin: null`` on our own form posts, which the CSRF check refuses); request bodies are
capped; the Host header is checked when the server is bound to loopback (DNS rebinding).  The app
is read-only unless created with ``allow_ingest=True``.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import errors
from ..model import Comparison, StoryFlow
from ..store import Store, open_store
from . import svg
from .security import new_token

__all__ = ["create_app", "Site", "is_loopback", "paginate", "CSP"]

STATIC = Path(__file__).resolve().parent / "static"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer makes Chromium send Origin: null on our own form posts
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
MAX_PER_PAGE = 200
DEFAULT_MAX_BODY = 20 * 1024 * 1024  # bytes of one ingest request (files + pasted JSONL)
_VERSION_TTL = 2.0  # seconds a database version (its counts) is trusted before asking again
_REPORTS_KEPT = 16  # story comparisons cached (each re-parses the story's articles for alignment)
ACTOR_WAIT = 10.0  # seconds an actor page waits for the first actor index before saying "building"
# seconds a story page waits for its first comparison (a small story is ready by then) before it
# answers with a "preparing" notice that reloads itself (a 150-article story takes ~25 s)
REPORT_WAIT = 4.0


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# --- shared state ---------------------------------------------------------------------------------
class ActorIndex:
    """Who appears where: the database's actor network (:func:`parallax.workflows.actor_network`,
    the very merge ``parallax actors`` prints), keyed by canonical name for the actor pages
    (built lazily, on the first actor page, in one pass over the articles; rebuilt when the
    database changes)."""

    RELATIONS_KEPT = 500  # per actor

    def __init__(self, store: Store):
        from ..workflows import actor_network

        t = time.perf_counter()
        self.net = actor_network(store, stats=True)
        self.actors: dict[str, dict[str, Any]] = {}
        for a in self.net.actors:
            self.actors[a.name] = self._entry(a.name, a.type, a.mentions, a.by_outlet, listed=True)
        for r in self.net.relations:
            for name in (r.subject, r.object):
                e = self.actors.get(name) or self.actors.setdefault(name, self._entry(name, "", 0, {}, False))
                if len(e["relations"]) < self.RELATIONS_KEPT:
                    e["relations"].append((r.article_id, r.outlet, r))
        self.seconds = time.perf_counter() - t

    def _entry(self, name: str, type_: str, mentions: int, by_outlet: dict[str, int], listed: bool) -> dict[str, Any]:
        net = self.net
        return {"name": name, "type": type_, "mentions": mentions, "labels": net.labels.get(name, Counter()),
                "by_outlet": Counter(by_outlet), "stories": net.stories.get(name, Counter()),
                "articles": net.articles.get(name, set()), "relations": [], "listed": listed}

    def listed(self) -> list[dict[str, Any]]:
        """The actors ``parallax actors`` lists, in its order (most mentioned first)."""
        return [a for a in self.actors.values() if a["listed"]]

    def get(self, name: str) -> dict[str, Any] | None:
        return self.actors.get(name)


class Site:
    """The open database and what the pages cache about it.  Reads share one :class:`Store`
    (no batch is ever opened on it); an ingest opens its own.  Caches are keyed by the
    database's version (its counts), so an ingest by the CLI or the browser shows up."""

    def __init__(self, db: str, allow_ingest: bool = False, max_body: int = DEFAULT_MAX_BODY):
        self.db = db
        self.store = open_store(db)
        self.allow_ingest = allow_ingest
        self.max_body = max_body
        self.csrf_token = new_token()  # see .security: a write must send it back
        self.ingest_lock = threading.Lock()
        self._lock = threading.RLock()
        self._version: tuple[float, tuple] = (0.0, ())
        self._stories: tuple[tuple, list[dict[str, Any]], dict[str, dict[str, Any]]] = ((), [], {})
        self._reports: OrderedDict[tuple, Comparison] = OrderedDict()
        self._actors: tuple[tuple, ActorIndex | None] = ((), None)
        self._building: threading.Event | None = None
        self._overview: tuple[tuple, dict[str, Any]] = ((), {})
        self._preparing: dict[tuple, tuple[threading.Event, float]] = {}  # comparisons being computed
        self._failed: dict[tuple, str] = {}  # comparisons that could not be made, with the reason
        self.report_wait = REPORT_WAIT

    def version(self) -> tuple:
        now = time.monotonic()
        with self._lock:
            if now - self._version[0] > _VERSION_TTL or not self._version[1]:
                c = self.store.counts()
                self._version = (now, (c["articles"], c["near_duplicates"], c["stories"], c["failures"]))
            return self._version[1]

    def forget(self) -> None:
        """Drop the version so the next page re-reads the database (after an ingest)."""
        with self._lock:
            self._version = (0.0, ())

    def stories(self) -> list[dict[str, Any]]:
        """Every story row (see ``Store.stories``), newest first; cached per database version."""
        v = self.version()
        with self._lock:
            if self._stories[0] != v:
                rows = self.store.stories()
                self._stories = (v, rows, {r["id"]: r for r in rows})
            return self._stories[1]

    def story(self, story_id: str) -> dict[str, Any] | None:
        self.stories()
        return self._stories[2].get(story_id)

    def report(self, story_id: str) -> Comparison:
        """The story's comparison from the stored annotations (re-parses for alignment only), cached."""
        from ..workflows import story_report

        key = (story_id, self.version())
        with self._lock:
            if key in self._reports:
                self._reports.move_to_end(key)
                return self._reports[key]
        c = story_report(self.store, story_id)
        with self._lock:
            self._reports[key] = c
            while len(self._reports) > _REPORTS_KEPT:
                self._reports.popitem(last=False)
        return c

    def prepared(self, story_id: str, wait: float | None = None) -> tuple[Comparison | None, str, float]:
        """The story's comparison if ready within ``wait`` seconds (default ``report_wait``),
        else ``(None, "", seconds since it started)`` while a background thread computes it, so
        a first view returns at once with a notice instead of a blank wait; a comparison that
        cannot be made comes back as ``(None, reason, 0)``."""
        key = (story_id, self.version())
        with self._lock:
            if key in self._reports:
                self._reports.move_to_end(key)
                return self._reports[key], "", 0.0
            if key in self._failed:
                return None, self._failed[key], 0.0
            if key not in self._preparing:
                done = threading.Event()
                self._preparing[key] = (done, time.monotonic())
                threading.Thread(target=self._prepare, args=(story_id, key, done), daemon=True,
                                 name="parallax-report").start()
            done, started = self._preparing[key]
        done.wait(self.report_wait if wait is None else wait)
        with self._lock:
            if key in self._reports:
                return self._reports[key], "", 0.0
            if key in self._failed:
                return None, self._failed[key], 0.0
        return None, "", time.monotonic() - started

    def _prepare(self, story_id: str, key: tuple, done: threading.Event) -> None:
        try:
            self.report(story_id)
        except errors.ParallaxError as exc:  # e.g. every article is a copy
            with self._lock:
                self._failed[key] = str(exc)
        finally:
            with self._lock:
                self._preparing.pop(key, None)
            done.set()

    def timeline(self, story_id: str) -> StoryFlow:
        from ..workflows import story_timeline

        return story_timeline(self.store, story_id)

    def actor_index(self, wait: float | None = None) -> ActorIndex | None:
        """The actor index, or None while the first one is being built.

        Building reads every article (about 90 s at 100k articles), so it runs in a background
        thread started by the first actor page; that page waits up to ``wait`` seconds (enough
        for small databases) and otherwise says the index is being built.  When the database
        changes, the old index keeps serving until the new one is ready."""
        v = self.version()
        with self._lock:
            current_v, current = self._actors
            if current_v != v and self._building is None:
                done = threading.Event()
                self._building = done
                threading.Thread(target=self._build_actors, args=(v, done), daemon=True,
                                 name="parallax-actor-index").start()
            building = self._building
        if current is None and building is not None:
            building.wait(ACTOR_WAIT if wait is None else wait)
            with self._lock:
                current = self._actors[1]
        return current

    def _build_actors(self, v: tuple, done: threading.Event) -> None:
        try:
            index = ActorIndex(self.store)
            with self._lock:
                self._actors = (v, index)
        finally:
            with self._lock:
                self._building = None
            done.set()

    def actor_progress(self) -> bool:
        """True while an actor index is being built."""
        return self._building is not None

    def overview(self) -> dict[str, Any]:
        """Database-wide figures for the pictures: stories per period, stories per outlet."""
        rows = self.stories()
        v = self.version()
        with self._lock:
            if self._overview[0] == v:
                return self._overview[1]
        dates = sorted(r["first_published"][:10] for r in rows if r["first_published"])
        by_day = len({d for d in dates}) <= 45 and bool(dates) and dates[0][:7] == dates[-1][:7]
        cut = 10 if by_day else 7
        periods = Counter(d[:cut] for d in dates)
        per_outlet = Counter(o for r in rows for o in r["outlets"])
        out = {"counts": self.store.counts(), "periods": sorted(periods.items()),
               "period": "day" if by_day else "month",
               "outlets": per_outlet.most_common(), "n_outlets": len(per_outlet)}
        with self._lock:
            self._overview = (v, out)
        return out


# --- pagination -----------------------------------------------------------------------------------
def paginate(items: Sequence[Any], page: int, per_page: int) -> dict[str, Any]:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(page, pages))
    start = (page - 1) * per_page
    return {"items": list(items[start:start + per_page]), "total": total, "page": page, "pages": pages,
            "per_page": per_page}


def page_url(request: Request, page: int, json: bool = False) -> str:
    params = dict(request.query_params)
    params["page"] = str(page)
    path = quote(request.url.path, safe="/")
    if json and not path.endswith(".json"):
        path += ".json"
    return path + "?" + urlencode(params)


def page_links(request: Request, p: dict[str, Any]) -> dict[str, Any]:
    """``next``/``prev`` URLs of a page dict (for the JSON twins)."""
    return {"next": page_url(request, p["page"] + 1, True) if p["page"] < p["pages"] else None,
            "prev": page_url(request, p["page"] - 1, True) if p["page"] > 1 else None}


# --- templates ------------------------------------------------------------------------------------
env = Environment(loader=ChoiceLoader([PackageLoader("parallax", "web/templates"),
                                       PackageLoader("parallax", "report/templates")]),
                  autoescape=select_autoescape(default=True, default_for_string=True))
env.globals["actor_href"] = svg.actor_href


def _safe_url(url: str) -> str:
    """An article URL usable as a link, or '' (``javascript:`` and other schemes are shown as text)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


env.filters["safe_url"] = _safe_url


def render(request: Request, template: str, http_status: int = 200, **ctx: Any) -> HTMLResponse:
    site: Site = request.app.state.site
    html = env.get_template(template).render(request=request, site=site, page_url=lambda n: page_url(request, n),
                                             json_url=_json_url(request), **ctx)
    return HTMLResponse(html, status_code=http_status)


def _json_url(request: Request) -> str:
    q = request.url.query
    return quote(request.url.path.rstrip("/"), safe="/") + ".json" + (("?" + q) if q else "")


def site_of(request: Request) -> Site:
    return request.app.state.site


# --- security layer -------------------------------------------------------------------------------
class Guard:
    """ASGI middleware: security headers on every response, Host check, request size limit
    (declared or, for a chunked body, counted as it arrives: 413 with the limit either way), and
    ``HEAD`` answered on every ``GET`` route (the GET response without its body)."""

    def __init__(self, app, max_body: int, allowed_hosts: Sequence[str] | None = None):
        self.app = app
        self.max_body = max_body
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False
        refused = False  # a 413 has been sent: whatever the app says after it is dropped
        head = scope.get("method") == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_secure(message):
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {h for h, _ in SECURITY_HEADERS}]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if self.allowed_hosts is not None:
            host = headers.get("host", "").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.strip("[]") not in self.allowed_hosts and host not in self.allowed_hosts:
                return await _plain(send_secure, 400, "Invalid Host header")
        too_large = f"Request too large (limit {self.max_body} bytes)"
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _plain(send_secure, 413, too_large)
        seen = 0

        async def receive_capped():
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    # answer now, then tell the app the client is gone: the body parser gives
                    # up (FastAPI would otherwise turn any exception raised here into a 400)
                    if not started:
                        await _plain(send_secure, 413, too_large)
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, receive_capped, send_secure)
        except Exception:
            if not refused:  # after a 413 the app's complaints about the cut body are noise
                raise


async def _plain(send, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# --- the app --------------------------------------------------------------------------------------
def create_app(db: str, allow_ingest: bool = False, max_body: int = DEFAULT_MAX_BODY,
               allowed_hosts: Sequence[str] | None = None, report_wait: float = REPORT_WAIT) -> FastAPI:
    """The web app over the database at ``db`` (path or URL).  ``allowed_hosts``: accepted Host
    header names (``parallax serve`` passes the loopback names when bound to loopback);
    ``report_wait``: seconds a story page waits for a first comparison before it answers with a
    "preparing" notice that reloads itself."""
    from . import actor, article, ingest, stories, story

    site = Site(db, allow_ingest=allow_ingest, max_body=max_body)
    site.report_wait = report_wait

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # read the story rows while the browser is still on its way (about 2 s at 100k articles)
        threading.Thread(target=site.stories, daemon=True, name="parallax-warm").start()
        yield
        site.store.close()

    app = FastAPI(title="Parallax", version="1", docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  lifespan=lifespan,
                  description="Browse stories, compare outlets, follow actors. Every HTML page has a `.json` "
                              "twin; the JSON routes are listed here. Lists are paginated with `page` and "
                              f"`per_page` (at most {MAX_PER_PAGE}).")
    app.state.site = site
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/stories", status_code=307)

    for module in (stories, story, article, actor, ingest):
        app.include_router(module.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.endswith(".json") or request.url.path.startswith("/openapi"):
            return JSONResponse({"error": exc.detail, "status": exc.status_code}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        response = render(request, "error.html.j2", http_status=exc.status_code, status_code=exc.status_code,
                          message=exc.detail)
        response.headers.update(getattr(exc, "headers", None) or {})
        return response

    @app.exception_handler(errors.ParallaxError)
    async def parallax_error(request: Request, exc: errors.ParallaxError):
        if request.url.path.endswith(".json"):
            return JSONResponse({"error": str(exc), "status": 404}, status_code=404)
        return render(request, "error.html.j2", http_status=404, status_code=404, message=str(exc))

    app.add_middleware(Guard, max_body=max_body, allowed_hosts=allowed_hosts)
    return app
