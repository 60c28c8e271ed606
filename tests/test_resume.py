"""A resumed ingest ends in the stories of an uninterrupted one (issue 16, item 4).

100 ECB+ articles are ingested twice by the real CLI: once in one run, once SIGKILLed half-way
and re-run.  Both databases must hold the same stories: the same article-to-story mapping, the
same story ids, the same saved story states.  (Before: the re-run continued from the restored
index and skipped the first ingest's recluster; 100 articles gave 33 stories in one run and 34
after a kill.)  The mechanism is :mod:`parallax.workflows.rebuild`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parallax.store import open_store
from parallax.store.check import check_store
from parallax.workflows.batch import SLOW_ENV
from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[1]
ECB = SHARED_DATA / "ecbplus.jsonl"
N = 100


def _ecb_corpus(path: Path, n: int = N) -> None:
    """``n`` ECB+ documents (every 6th: many topics, two sub-events each), text only, as JSONL.
    Real news: borderline pairs are common, so the order of assignment and the final recluster
    matter (synthetic articles built from word lists form clean stories either way)."""
    rows = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [json.dumps({"text": r["text"], "outlet": f"outlet{i % 5}"}) for i, r in enumerate(rows[::6][:n])]
    assert len(lines) == n
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cmd(db: Path, src: Path) -> list[str]:
    return [sys.executable, "-m", "parallax.cli", "ingest", str(db), str(src), "--batch-size", "3", "--json"]


def _stories(db: Path) -> tuple[dict, list]:
    with open_store(str(db)) as store:
        assert check_store(store) == []
        mapping = {a.id: a.story_id for a in store.iter_articles()}
        states = sorted((json.dumps(s, sort_keys=True) for s in store.load_story_states()))
    return mapping, states


@pytest.mark.slow
@pytest.mark.skipif(not ECB.exists(), reason=f"needs {ECB} (the shared ECB+ data)")
def test_killed_and_resumed_ingest_gives_the_stories_of_one_run(tmp_path):
    src = tmp_path / "ecb.jsonl"
    _ecb_corpus(src)
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    one = tmp_path / "one.db"
    res = subprocess.run(_cmd(one, src), cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]

    two = tmp_path / "two.db"
    open_store(str(two)).close()
    proc = subprocess.Popen(_cmd(two, src), cwd=ROOT, env={**env, SLOW_ENV: "0.3"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 900
        with open_store(str(two)) as store:
            while store.counts()["articles"] < N // 2:
                assert proc.poll() is None and time.monotonic() < deadline, "ingest ended before the kill"
                time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with open_store(str(two)) as store:
        assert N // 2 <= store.counts()["articles"] < N  # really killed half-way
    res = subprocess.run(_cmd(two, src), cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]

    (m1, s1), (m2, s2) = _stories(one), _stories(two)
    assert len(m1) == len(m2) == N
    assert len(set(m1.values())) > 1
    assert m2 == m1, f"{len(set(m1.values()))} stories in one run, {len(set(m2.values()))} after a kill"
    assert s2 == s1
    # a re-run with nothing new changes nothing
    res = subprocess.run(_cmd(two, src), cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0 and _stories(two) == (m1, s1)
