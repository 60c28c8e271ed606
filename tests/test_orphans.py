"""No process of ours outlives its parent (issue 16, item 1).

``parallax ingest DB FILE --workers 2`` is SIGKILLed the moment its worker processes appear
(``ps --ppid``), several times, at slightly different moments; afterwards no process carrying
this test's marker may be alive: no worker (``spawn_main``), no multiprocessing resource tracker,
whatever its parent (the orphans used to sit under pid 1, blocked on a pipe read, ~1.2 GB each
time).  The marker is an environment variable every descendant inherits, so orphans re-parented
to pid 1 are found too (:func:`tests.conftest.processes_with_marker`).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import processes_with_marker
from tests.test_reliability import _corpus

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("PARALLAX_ORPHAN_ROUNDS", "4"))
MARKER = "PARALLAX_ORPHAN_TEST"


def _children(pid: int) -> list[str]:
    """Command lines of the live children of ``pid``, read from /proc (no dependence on the
    ``ps`` found on the machine: a minimal or busybox ``ps`` lacks ``--ppid``)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                state, ppid = fh.read().rsplit(b")", 1)[1].split()[:2]
            if int(ppid) != pid or state == b"Z":
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                found.append(fh.read().replace(b"\0", b" ").decode(errors="replace").strip())
        except (OSError, ValueError):  # gone meanwhile
            continue
    return [c for c in found if c]


def _wait_gone(marker: str, value: str, seconds: float) -> list[dict]:
    deadline = time.monotonic() + seconds
    left = processes_with_marker(marker, value)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = processes_with_marker(marker, value)
    return left


@pytest.mark.slow
def test_killing_ingest_as_its_pool_starts_leaves_no_process(tmp_path):
    src = tmp_path / "six.jsonl"
    _corpus(src, 0, 6)  # batch size 1: the first batch runs in the parent, the rest start the pool
    rng = random.Random(16)
    for n in range(ROUNDS):
        tag = uuid.uuid4().hex
        env = {**os.environ, MARKER: tag, "OMP_NUM_THREADS": "1"}
        cmd = [sys.executable, "-m", "parallax.cli", "ingest", str(tmp_path / f"r{n}.db"), str(src),
               "--workers", "2", "--batch-size", "1"]
        log = tmp_path / f"r{n}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 300
            while not any("spawn_main" in c for c in _children(proc.pid)):
                assert proc.poll() is None, (f"ingest exited ({proc.returncode}) before starting its pool: "
                                             + log.read_text(errors="replace")[-2000:])
                assert time.monotonic() < deadline, "the worker pool never started"
                time.sleep(0.02)
            # round 0 kills at once (before the workers' start-up code runs); later rounds a bit
            # later, while the workers import modules and load models
            if n:
                time.sleep(rng.uniform(0.0, 0.6 * n))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        left = _wait_gone(MARKER, tag, 30.0)
        for p in left:  # clean up before failing: a leak must not outlive this test either
            try:
                os.kill(p["pid"], signal.SIGKILL)
            except ProcessLookupError:
                pass
        assert not left, f"round {n}: processes outlived the killed ingest: {left}"
