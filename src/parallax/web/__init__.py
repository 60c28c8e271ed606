"""The Parallax web app (``parallax serve news.db``): see :mod:`parallax.web.app`."""

from .app import create_app

__all__ = ["create_app"]
