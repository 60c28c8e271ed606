"""Shared fixtures.  The language model loads once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.txt"))


@pytest.fixture(scope="session")
def example_parsed(example_paths):
    """The two bundled reference articles, parsed: {outlet: Parsed}."""
    from parallax.ingest import read_many
    from parallax.nlp import parse_many

    result = read_many(example_paths)
    return {p.article.outlet: p for p in parse_many(result.articles)}


@pytest.fixture(scope="session")
def parse_text():
    """Parse a small hand-written text: parse_text("...") -> Parsed."""
    from parallax.model import Article
    from parallax.nlp import parse

    def _parse(text: str, outlet: str = "test"):
        return parse(Article.new(text, outlet=outlet))

    return _parse
