"""A polite HTTP client: robots.txt, per-host rate limit and concurrency, conditional requests,
retries with back-off, a total deadline per request, streamed size limits, bounded redirects.

What: :class:`Fetcher` turns a URL into a :class:`FetchResult` (never raises for network or HTTP
trouble: the result carries ``error``).  ``fetch_many`` runs several URLs on a thread pool; the
per-host semaphore and minimum interval keep any one host from seeing more than
``per_host_concurrency`` requests at once or requests closer together than ``min_interval``
(or its robots.txt ``Crawl-delay``, capped).

Why by hand rather than httpx's own redirect/timeout handling: every redirect hop must pass the
robots check and the loop bound, and httpx has no total deadline (a server trickling one byte
every few seconds never trips a read timeout), so the body is streamed and the deadline and the
size limit are checked between chunks.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from .robots import RobotsCache, host_of

__all__ = ["FetchConfig", "FetchResult", "Fetcher", "USER_AGENT", "host_of"]

# Identifies the tool and what it does; operators can override it with Options-level config later.
USER_AGENT = "Parallax/0.1 (open-source news coverage comparison; python-httpx)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchConfig:
    """Politeness and robustness limits (defaults suit real sites; tests shrink them)."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0          # longest silence between two chunks
    deadline: float = 60.0              # whole request, all redirect hops, excluding retry waits
    max_bytes: int = 5_000_000          # body limit; the stream stops there
    max_redirects: int = 5
    retries: int = 3                    # extra attempts on 429/5xx and connection errors
    backoff: float = 1.0                # first back-off (seconds), doubled per attempt, jittered
    max_retry_after: float = 120.0      # a longer Retry-After gives up (the next poll tries again)
    min_interval: float = 1.0           # seconds between request starts to one host
    max_crawl_delay: float = 30.0       # cap on a robots.txt Crawl-delay
    per_host_concurrency: int = 2
    workers: int = 8                    # threads in fetch_many
    respect_robots: bool = True


@dataclass
class FetchResult:
    """What one fetch produced.  ``ok`` means a 2xx body within the limits; ``not_modified`` a 304
    answer to a conditional request (nothing transferred)."""

    url: str
    final_url: str = ""
    status: int = 0
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""
    not_modified: bool = False
    attempts: int = 0
    seconds: float = 0.0
    redirects: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 300

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class _Host:
    """Per-host politeness: a semaphore for concurrency and the time of the next allowed start."""

    def __init__(self, concurrency: int):
        self.sem = threading.Semaphore(max(1, concurrency))
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.delay = 0.0  # robots Crawl-delay, when larger than the configured interval


class _Abort(Exception):
    """A request that must not be retried (limit exceeded, deadline passed)."""


class Fetcher:
    """A shared polite client; thread-safe.  Use as a context manager or call :meth:`close`."""

    def __init__(self, config: FetchConfig | None = None, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None):
        self.config = config or FetchConfig()
        self.sleep = sleep
        c = self.config
        self.client = httpx.Client(
            follow_redirects=False, transport=transport, trust_env=False,
            headers={"User-Agent": c.user_agent, "Accept-Encoding": "gzip, deflate",
                     "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                               "application/xml;q=0.9,*/*;q=0.8"},
            timeout=httpx.Timeout(c.read_timeout, connect=c.connect_timeout))
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.robots = RobotsCache(self)
        self.requests = 0  # HTTP requests sent (robots.txt included), for the benchmarks

    # --- plumbing -------------------------------------------------------------------------------
    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _host(self, url: str) -> _Host:
        key = host_of(url)
        with self._hosts_lock:
            h = self._hosts.get(key)
            if h is None:
                h = self._hosts[key] = _Host(self.config.per_host_concurrency)
            return h

    def set_crawl_delay(self, url: str, seconds: float) -> None:
        self._host(url).delay = min(max(0.0, seconds), self.config.max_crawl_delay)

    def _wait_turn(self, host: _Host) -> None:
        """Reserve the next start slot for this host and sleep until it comes."""
        interval = max(self.config.min_interval, host.delay)
        with host.lock:
            now = time.monotonic()
            start = max(now, host.next_start)
            host.next_start = start + interval
        if start > now:
            self.sleep(start - now)

    # --- one request ----------------------------------------------------------------------------
    def fetch(self, url: str, etag: str = "", last_modified: str = "", robots: bool = True) -> FetchResult:
        """GET ``url`` politely.  ``etag`` / ``last_modified`` make the request conditional."""
        t0 = time.monotonic()
        result = FetchResult(url=url, final_url=url)
        try:
            self._fetch(result, etag, last_modified, robots, t0)
        except _Abort as exc:
            result.error = str(exc)
        result.seconds = time.monotonic() - t0
        return result

    def _fetch(self, result: FetchResult, etag: str, last_modified: str, robots: bool, t0: float) -> None:
        c = self.config
        url = result.url
        seen = {url}
        for _hop in range(c.max_redirects + 1):
            scheme = urlsplit(url).scheme.lower()
            if scheme not in ("http", "https"):
                raise _Abort(f"unsupported URL scheme {scheme!r}")
            if robots and c.respect_robots and not self.robots.allowed(url):
                raise _Abort("disallowed by robots.txt")
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            status, hdrs, body = self._with_retries(url, headers, result, t0)
            result.status, result.headers, result.final_url = status, hdrs, url
            if status in REDIRECT_STATUSES and hdrs.get("location"):
                nxt = urljoin(url, hdrs["location"])
                if nxt in seen:
                    raise _Abort(f"redirect loop at {nxt}")
                seen.add(nxt)
                result.redirects.append(nxt)
                url = nxt
                continue
            if status == 304:
                result.not_modified = True
                return
            if not 200 <= status < 300:
                raise _Abort(f"HTTP {status}")
            result.body = body
            return
        raise _Abort(f"too many redirects (more than {c.max_redirects})")

    def _with_retries(self, url: str, headers: dict[str, str], result: FetchResult,
                      t0: float) -> tuple[int, dict[str, str], bytes]:
        """One hop with retries on 429/5xx (honouring Retry-After) and on connection errors."""
        c = self.config
        for attempt in range(c.retries + 1):
            result.attempts += 1
            wait: float | None = None
            try:
                status, hdrs, body = self._once(url, headers, t0)
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
                if attempt == c.retries:
                    raise _Abort(f"connection failed ({type(exc).__name__})") from None
            else:
                if status not in RETRY_STATUSES or attempt == c.retries:
                    return status, hdrs, body
                wait = retry_after_seconds(hdrs.get("retry-after"))
                if wait is not None and wait > c.max_retry_after:
                    raise _Abort(f"HTTP {status}; Retry-After {wait:.0f}s is beyond the limit, try later")
            if wait is None:
                wait = c.backoff * (2 ** attempt) * (0.5 + random.random())  # noqa: S311 - jitter only
            self._host(url).next_start = max(self._host(url).next_start, time.monotonic() + wait)
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, headers: dict[str, str], t0: float) -> tuple[int, dict[str, str], bytes]:
        """Send one request under the host's limits; stream the body within size and deadline."""
        c = self.config
        host = self._host(url)
        with host.sem:
            self._wait_turn(host)
            left = c.deadline - (time.monotonic() - t0)
            if left <= 0:
                raise _Abort(f"timed out (deadline {c.deadline:g}s)")
            timeout = httpx.Timeout(min(c.read_timeout, left), connect=min(c.connect_timeout, left))
            self.requests += 1
            try:
                with self.client.stream("GET", url, headers=headers, timeout=timeout) as resp:
                    hdrs = {k.lower(): v for k, v in resp.headers.items()}
                    if resp.status_code in REDIRECT_STATUSES or resp.status_code == 304 \
                            or resp.status_code in RETRY_STATUSES or not 200 <= resp.status_code < 300:
                        return resp.status_code, hdrs, b""
                    declared = hdrs.get("content-length", "")
                    if declared.isdigit() and int(declared) > c.max_bytes:
                        raise _Abort(f"too large ({declared} bytes; limit {c.max_bytes})")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > c.max_bytes:
                            raise _Abort(f"too large (over {c.max_bytes} bytes; stopped reading)")
                        chunks.append(chunk)
                        if time.monotonic() - t0 > c.deadline:
                            raise _Abort(f"timed out (deadline {c.deadline:g}s)")
                    return resp.status_code, hdrs, b"".join(chunks)
            except httpx.TimeoutException as exc:
                kind = "connect" if isinstance(exc, httpx.ConnectTimeout) else "read"
                raise _Abort(f"timed out ({kind})") from None
            except httpx.DecodingError:
                raise _Abort("could not decode the response body") from None

    # --- many -----------------------------------------------------------------------------------
    def fetch_many(self, requests: Iterable[str | tuple[str, str, str]]) -> list[FetchResult]:
        """Fetch URLs (or ``(url, etag, last_modified)``) concurrently; results in input order."""
        reqs = [(r, "", "") if isinstance(r, str) else r for r in requests]
        if not reqs:
            return []
        if len(reqs) == 1 or self.config.workers <= 1:
            return [self.fetch(*r) for r in reqs]
        with ThreadPoolExecutor(max_workers=min(self.config.workers, len(reqs))) as pool:
            return list(pool.map(lambda r: self.fetch(*r), reqs))

    def stats(self) -> dict[str, Any]:
        return {"requests": self.requests, "hosts": len(self._hosts)}
