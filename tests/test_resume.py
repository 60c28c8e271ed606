"""A resumed ingest ends in the stories of an uninterrupted one (issue 16, item 4).

The same articles are ingested twice by the real CLI: once in one run, once SIGKILLed half-way
and re-run.  Both databases must hold the same stories: the same article-to-story mapping, the
same story ids, the same saved story states.  (Before: the re-run continued from the restored
index and skipped the first ingest's recluster; 100 articles gave 33 stories in one run and 34
after a kill.)  The mechanism is :mod:`parallax.rebuild`."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parallax.store import open_store
from parallax.store.check import check_store
from parallax.store.ingest import SLOW_ENV
from tests.test_reliability import _WORDS

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ["harbour ferry strike", "county hospital vaccine", "mountain tunnel flood", "stadium concert union",
          "island airport storm", "village bakery market", "province election senator", "forest drought farmer"]


def _events_corpus(path: Path, n: int = 60, seed: int = 16) -> None:
    """``n`` short articles on eight events: each article uses its event's words and a few
    random ones, dated within the event's week, so stories form and some are borderline."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        e = rng.randrange(len(EVENTS))
        words = EVENTS[e].split()
        sents = []
        for _ in range(3):
            ws = [rng.choice(words) for _ in range(4)] + [rng.choice(_WORDS) for _ in range(5)]
            rng.shuffle(ws)
            sents.append(" ".join(ws).capitalize() + ".")
        text = f"Dispatch {i}: news about the {EVENTS[e]}. " + " ".join(sents)
        lines.append(json.dumps({"text": text, "outlet": f"outlet{i % 5}",
                                 "date": f"2024-0{e % 4 + 1}-{(e * 3 + rng.randrange(4)) % 27 + 1:02d}"}))
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
def test_killed_and_resumed_ingest_gives_the_stories_of_one_run(tmp_path):
    src = tmp_path / "events.jsonl"
    _events_corpus(src)
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
            while store.counts()["articles"] < 30:
                assert proc.poll() is None and time.monotonic() < deadline, "ingest ended before the kill"
                time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with open_store(str(two)) as store:
        assert 30 <= store.counts()["articles"] < 60  # really killed half-way
    res = subprocess.run(_cmd(two, src), cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]

    (m1, s1), (m2, s2) = _stories(one), _stories(two)
    assert len(m1) == len(m2) == 60
    assert len(set(m1.values())) > 1
    assert m2 == m1, f"{len(set(m1.values()))} stories in one run, {len(set(m2.values()))} after a kill"
    assert s2 == s1
    # a re-run with nothing new changes nothing
    res = subprocess.run(_cmd(two, src), cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0 and _stories(two) == (m1, s1)
