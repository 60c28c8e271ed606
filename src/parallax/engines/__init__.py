"""Distributed engines for the per-article stages (see :mod:`parallax.workers`)."""
