"""A scriptable HTTP server on 127.0.0.1 for tests and ``parallax bench fetch``.

    with LoopbackServer({"/feed.xml": Route(body=rss, etag='"v1"')}) as srv:
        srv.url("/feed.xml")                 # http://127.0.0.1:<port>/feed.xml
        srv.routes["/a"] = [Route(status=503, headers={"Retry-After": "1"}), Route(body=page)]
        srv.hits("/a")                       # requests seen for that path

A path maps to one :class:`Route` or a list of them (served in turn, the last one repeating).
Routes can answer conditionally (``etag`` / ``last_modified``), trickle a body that never ends,
stream a large body with no Content-Length, or sleep before answering.  Unknown paths are 404.
It binds only to the loopback interface and never makes a request itself.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Route", "LoopbackServer", "synthetic_article", "article_html", "rss"]


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    etag: str = ""              # answer 304 when If-None-Match carries it
    last_modified: str = ""     # answer 304 when If-Modified-Since equals it
    delay: float = 0.0          # sleep before answering
    trickle: float = 0.0        # >0: send one byte every `trickle` seconds, forever
    stream_bytes: int = 0       # >0: send this many bytes, no Content-Length


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # close-delimited bodies: simple and enough for tests
    server: _Server

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        srv = self.server.owner
        route = srv._take(self.path, self.path.split("?")[0], dict(self.headers.items()))
        with srv._lock:
            srv.active += 1
            srv.max_active = max(srv.max_active, srv.active)
        self._counted = True
        try:
            self._answer(route)
        finally:
            self._leave()

    def _leave(self) -> None:
        """End this request's count just before its response goes out: once the client has the
        bytes it may start the next request before this thread gets to run again, which would
        otherwise be counted as one too many in flight."""
        if getattr(self, "_counted", False):
            self._counted = False
            srv = self.server.owner
            with srv._lock:
                srv.active -= 1

    def _answer(self, route: Route | None) -> None:
        if route is None:
            self._send(404, {"Content-Type": "text/plain"}, b"not found")
            return
        if route.delay:
            time.sleep(route.delay)
        inm, ims = self.headers.get("If-None-Match", ""), self.headers.get("If-Modified-Since", "")
        if (route.etag and inm == route.etag) or (route.last_modified and ims == route.last_modified and not inm):
            self._send(304, self._validators(route), b"")
            return
        headers = {"Content-Type": route.content_type, **self._validators(route), **route.headers}
        if route.trickle:
            self._stream(route.status, headers, lambda i: b" ", None, route.trickle)
        elif route.stream_bytes:
            self._stream(route.status, headers, lambda i: b"x" * 65536, route.stream_bytes, 0.0)
        else:
            self._send(route.status, headers, route.body)

    @staticmethod
    def _validators(route: Route) -> dict[str, str]:
        out = {}
        if route.etag:
            out["ETag"] = route.etag
        if route.last_modified:
            out["Last-Modified"] = route.last_modified
        return out

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self._leave()
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _stream(self, status: int, headers: dict[str, str], chunk, total: int | None, pause: float) -> None:
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.flush()
            sent, i = 0, 0
            while not self.server.owner.stopping.is_set() and (total is None or sent < total):
                data = chunk(i)
                self.wfile.write(data)
                self.wfile.flush()
                sent += len(data)
                i += 1
                if pause:
                    time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LoopbackServer


class LoopbackServer:
    """See the module docstring.  Use as a context manager (starts and stops the thread)."""

    def __init__(self, routes: dict[str, Route | list[Route]] | None = None):
        self.routes: dict[str, Route | list[Route]] = dict(routes or {})
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.active = 0
        self.max_active = 0  # most requests in flight at once (concurrency checks)
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _take(self, full: str, path: str, headers: dict[str, str]) -> Route | None:
        with self._lock:
            self.requests.append((full, headers))
            route = self.routes.get(full) or self.routes.get(path)
            if isinstance(route, list):
                route = route.pop(0) if len(route) > 1 else (route[0] if route else None)
            return route

    def hits(self, path: str) -> int:
        """How many requests asked for ``path`` (query string included when given)."""
        with self._lock:
            return sum(1 for p, _ in self.requests if p == path or p.split("?")[0] == path)

    def headers_of(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return [h for p, h in self.requests if p == path or p.split("?")[0] == path]

    def start(self) -> LoopbackServer:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name=f"loopback-{self.port}")
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- a synthetic news site (tests and ``parallax bench fetch``) -------------------------------------
_TOPICS = [
    ("Flooding closes {n} roads in {place}", "Heavy rain flooded {n} roads in {place} on {day}, the regional "
     "transport office said. Emergency crews rescued {k} drivers from stranded cars. \"The water rose faster "
     "than anyone expected,\" said fire chief {person}. Schools in the district will stay closed on {day2}."),
    ("{place} council approves {n} million budget for trams", "The city council of {place} approved a budget of "
     "{n} million euros on {day} to extend the tram network by {k} kilometres. Mayor {person} said the first "
     "line would open in 2027. Opposition councillors said the plan ignored the suburbs."),
    ("Strike halts {n} flights at {place} airport", "Air traffic controllers walked out at {place} airport on "
     "{day}, grounding {n} flights and stranding {k} passengers, the airport operator said. Union leader "
     "{person} said the strike would last until {day2} unless the government reopened pay talks."),
    ("Researchers in {place} report {n} new bird species", "Biologists from the university of {place} described "
     "{n} previously unknown bird species in a study published on {day}. The team of {k} researchers spent "
     "three years in the cloud forest, lead author {person} said. Two of the species are already endangered."),
]
_PLACES = ["Arica", "Bergen", "Cork", "Dakar", "Eindhoven", "Fes", "Graz", "Hue", "Iquitos", "Jena"]
_PEOPLE = ["Ana Torres", "Bruno Keller", "Chiara Rossi", "Daniel Okafor", "Eva Lindqvist", "Farid Haddad"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def synthetic_article(i: int, paragraphs: int = 4) -> tuple[str, str]:
    """``(title, text)`` of the ``i``-th synthetic article: four topics, varied names and numbers,
    so that articles differ in content hash and fall into several stories."""
    title_t, body_t = _TOPICS[i % len(_TOPICS)]
    rnd = {"n": 3 + i % 17, "k": 11 + (i * 7) % 90, "place": _PLACES[(i // len(_TOPICS)) % len(_PLACES)],
           "person": _PEOPLE[i % len(_PEOPLE)], "day": _DAYS[i % 7], "day2": _DAYS[(i + 2) % 7]}
    lead = body_t.format(**rnd)
    extra = [f"Update {j + 1} (item {i}): officials in {rnd['place']} said on {rnd['day']} that they would "
             f"publish a full report within {j + 2} weeks, and residents were asked to follow local advice."
             for j in range(paragraphs - 1)]
    return title_t.format(**rnd), "\n\n".join([lead, *extra])


def article_html(i: int, base: str, path: str, canonical: str | None = None, paragraphs: int = 4) -> bytes:
    """A full article page (navigation, footer, metadata) for :func:`synthetic_article` ``i``."""
    title, text = synthetic_article(i, paragraphs)
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    canon = canonical or base + path
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{canon}"><meta property="og:site_name" content="Loopback News">'
            f'<meta name="author" content="{_PEOPLE[i % len(_PEOPLE)]}">'
            f'<meta property="article:published_time" content="2024-03-{1 + i % 28:02d}T10:00:00Z"></head>'
            f'<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav><article><h1>{title}</h1>'
            f'{paras}</article><footer>Copyright Loopback News</footer></body></html>').encode()


def rss(items: list[tuple[str, str]], title: str = "Loopback News") -> bytes:
    """An RSS 2.0 document listing ``(title, link)`` items."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link></item>" for t, link in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://127.0.0.1/</link><description>test</description>{body}</channel></rss>").encode()
