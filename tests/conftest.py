"""Shared fixtures.  The language model loads once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"

# Modules that are end to end as a whole: subprocess ingests, HTTP servers, browsers, or a database
# built through the real pipeline.  Their tests carry the ``e2e`` marker; ``pytest -m "not e2e"``
# is the fast unit suite (README, "Running the tests").
E2E_MODULES = {"test_web", "test_web_browser", "test_watch", "test_reliability", "test_scale", "test_cli_db",
               "test_fetch", "test_store"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in E2E_MODULES:
            item.add_marker(pytest.mark.e2e)


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
