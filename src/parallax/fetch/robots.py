"""robots.txt, fetched once per host (and again after ``ttl`` seconds) and cached.

Rules follow RFC 9309: a missing robots.txt (any 4xx) allows everything; a server error or an
unreachable host disallows everything for now (the site may be overloaded; the next poll asks
again).  ``Crawl-delay`` for our agent is passed to the fetcher's per-host rate limit.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

if TYPE_CHECKING:
    from .client import Fetcher

__all__ = ["RobotsCache", "agent_token", "host_of"]


def host_of(url: str) -> str:
    """``scheme://host:port`` — the unit of politeness (rate limit, robots.txt)."""
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}".lower()


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against: ``Parallax/0.1 (...)`` -> ``Parallax``."""
    return user_agent.split("/")[0].split()[0] or "*"


class RobotsCache:
    def __init__(self, fetcher: Fetcher, ttl: float = 3600.0):
        self.fetcher = fetcher
        self.ttl = ttl
        self._rules: dict[str, tuple[float, RobotFileParser | bool]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self.token = agent_token(fetcher.config.user_agent)

    def _host_lock(self, host: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(host, threading.Lock())

    def rules(self, url: str) -> RobotFileParser | bool:
        """The parsed rules for ``url``'s host, or True (allow all) / False (disallow all)."""
        host = host_of(url)
        with self._host_lock(host):  # one robots.txt request per host, even with many threads
            cached = self._rules.get(host)
            if cached and time.monotonic() - cached[0] < self.ttl:
                return cached[1]
            res = self.fetcher.fetch(host + "/robots.txt", robots=False)
            rules: RobotFileParser | bool
            if res.ok:
                parser = RobotFileParser()
                parser.parse(res.body.decode("utf-8", errors="replace").splitlines())
                rules = parser
                delay = parser.crawl_delay(self.token)
                if delay:
                    self.fetcher.set_crawl_delay(url, float(delay))
            elif 400 <= res.status < 500:
                rules = True
            else:
                rules = False
            self._rules[host] = (time.monotonic(), rules)
            return rules

    def allowed(self, url: str) -> bool:
        rules = self.rules(url)
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(self.token, url)
