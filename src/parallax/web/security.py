"""Cross-site request forgery defence for the routes that write (``POST /ingest``, ``/ingest.json``).

A page on another site can make the browser POST a form to ``http://127.0.0.1:8000/ingest``; the
browser attaches no secret of ours, but it does not have to: the app has no login.  So a write
must pass two independent checks:

1. **A token.**  Random per server start, put in the ingest form as a hidden field and returned
   by ``GET /ingest.json``; a POST carries it as the ``csrf_token`` form field or the
   ``X-CSRF-Token`` header.  Another site cannot read either (no CORS headers; DNS rebinding is
   stopped by the Host check), so it cannot forge a request that carries it.
2. **Strict same origin** on what the browser says: ``Origin``, when sent, must be this server's
   origin - ``Origin: null`` (sandboxed frames, ``file:`` pages, some redirects) is refused -
   and so must the origin of ``Referer`` when sent; ``Sec-Fetch-Site``, when sent, must be
   ``same-origin`` or ``none``.  Old browsers send none of these three; the token covers them.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from urllib.parse import urlsplit

__all__ = ["new_token", "token_matches", "cross_site_reason", "TOKEN_FIELD", "TOKEN_HEADER"]

TOKEN_FIELD = "csrf_token"
TOKEN_HEADER = "x-csrf-token"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def _origin(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, lower-cased, or None when it has none."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def cross_site_reason(headers: Mapping[str, str], scheme: str) -> str | None:
    """Why a write with these request headers is not same-origin, or None when it is.
    ``headers`` is case-insensitive (Starlette's ``request.headers``)."""
    own = f"{scheme.lower()}://{headers.get('host', '').lower()}"
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return f"Sec-Fetch-Site: {site}"
    origin = headers.get("origin")
    if origin is not None and _origin(origin) != own:
        return f"Origin: {origin[:100]}"
    referer = headers.get("referer")
    if referer is not None and _origin(referer) != own:
        return "Referer from another origin"
    return None
