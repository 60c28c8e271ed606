"""Shared fixtures.  The language model loads once per test session.

At the end of the session the run fails when a process started by the tests is still alive
(:func:`pytest_sessionfinish`)."""

from __future__ import annotations

import os
import signal
import sys
import time
import uuid
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


# --- no process outlives the test session ----------------------------------------------------------
# Every process the tests start inherits this variable (subprocess and multiprocessing pass the
# environment on), so a leaked child is found even after it was re-parented to pid 1.
SESSION_MARKER = "PARALLAX_TEST_SESSION"
_SESSION_ID = os.environ[SESSION_MARKER] = uuid.uuid4().hex  # fresh even in a nested session
LEAK_GRACE = 10.0  # seconds a child may take to exit after the last test


def processes_with_marker(name: str, value: str) -> list[dict]:
    """Live processes (zombies excluded) whose environment has ``name=value``, except this one."""
    want = f"{name}={value}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as fh:
                if want not in fh.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/stat", "rb") as fh:
                state, ppid = fh.read().rsplit(b")", 1)[1].split()[:2]
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if state != b"Z":
            found.append({"pid": int(entry), "ppid": int(ppid), "cmdline": cmdline[:200]})
    return found


def _leaked() -> list[dict]:
    """Processes started by this session that are still alive.  This process's own
    multiprocessing resource tracker is not a leak: it lives exactly as long as we do."""
    return [p for p in processes_with_marker(SESSION_MARKER, _SESSION_ID)
            if not (p["ppid"] == os.getpid() and "resource_tracker" in p["cmdline"])]


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a process started by the tests outlives them (after every fixture,
    session-scoped ones included, has been torn down); kill what is left."""
    if not os.path.isdir("/proc"):
        return
    deadline = time.monotonic() + LEAK_GRACE
    left = _leaked()
    while left and time.monotonic() < deadline:
        time.sleep(0.25)
        left = _leaked()
    if not left:
        return
    for p in left:
        try:
            os.kill(p["pid"], signal.SIGKILL)
        except OSError:
            pass
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"{len(left)} process(es) started by the tests outlived them (killed now):"]
    lines += [f"  pid {p['pid']} (parent {p['ppid']}): {p['cmdline']}" for p in left]
    if reporter is not None:
        reporter.write_line("\n".join(lines), red=True)
    else:
        print("\n".join(lines), file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
