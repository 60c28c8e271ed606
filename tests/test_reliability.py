"""Crashes mid-write and concurrent access (issue 10), plus ``parallax check``.

- The kill loop SIGKILLs a real ``parallax ingest`` subprocess at random moments (>= 20 times),
  re-running it each time; afterwards every article is stored exactly once and ``check`` finds
  nothing wrong.  Each run loads the language models (~5-10 s), so the loop is marked ``slow``.
- Two ``parallax ingest`` processes write one database (SQLite and PostgreSQL) while this process
  reads it: no errors, no lost or doubled articles.
- ``check`` finds each kind of damage planted in a database, and exits non-zero.
"""

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
from sqlalchemy import text as sql

from parallax.model import Article
from parallax.store import open_store
from parallax.store.check import check_store
from parallax.workflows.batch import SLOW_ENV
from tests.test_store import db_url, pg_server  # noqa: F401 - fixtures: both backends, temp PostgreSQL

ROOT = Path(__file__).resolve().parents[1]
KILLS = int(os.environ.get("PARALLAX_KILLS", "20"))
_WORDS = ("council mayor river bridge budget school hospital election court police harbour festival museum "
          "railway airport factory union strike protest minister senator storm flood drought harvest market "
          "bank tax reform housing rent park library stadium concert theatre bakery village county province "
          "coast island mountain forest valley lake highway tunnel ferry clinic vaccine teacher nurse farmer "
          "miner driver pilot judge lawyer engineer scientist").split()


def _corpus(path: Path, first: int, n: int, seed: int = 7) -> list[str]:
    """``n`` short articles (ids returned); every 7th is a light edit of the one before (a
    near-duplicate), some quote someone, dates spread over a month so stories form."""
    rng = random.Random(seed + first)
    lines, ids, prev = [], [], ""
    for i in range(first, first + n):
        if prev and i % 7 == 0:
            text = prev.replace("city desk", "news desk", 1) + " Agencies contributed."
        else:
            sents = [" ".join(rng.choice(_WORDS) for _ in range(9)).capitalize() + "." for _ in range(3)]
            text = f"Report number {i} from the city desk. " + " ".join(sents) + \
                f' "We will {rng.choice(_WORDS)} the {rng.choice(_WORDS)}," said Mayor Ann Lee.'
        prev = text
        lines.append(json.dumps({"text": text, "outlet": f"outlet{i % 4}", "date": f"2024-01-{i % 28 + 1:02d}"}))
        ids.append(Article.new(text).id)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


def _ingest_cmd(db: str, *paths: Path, batch: int = 2) -> list[str]:
    return [sys.executable, "-m", "parallax.cli", "ingest", db, *map(str, paths), "--batch-size", str(batch), "--json"]


def _assert_exactly_once(db: str, ids: list[str]) -> None:
    with open_store(db) as store:
        assert store.counts()["articles"] == len(set(ids))
        assert {a.id for a in store.iter_articles()} == set(ids)
        with store.engine.connect() as conn:
            assert conn.execute(sql("SELECT id FROM articles GROUP BY id HAVING COUNT(*) > 1")).all() == []
        problems = check_store(store)
        assert problems == [], "\n".join(map(str, problems))


# --- SIGKILL at random points, many times ----------------------------------------------------------
@pytest.mark.slow
def test_kill_and_resume_loop_loses_nothing(tmp_path):
    db = str(tmp_path / "news.db")
    src = tmp_path / "many.jsonl"
    ids = _corpus(src, 0, 160)
    open_store(db).close()
    rng = random.Random(int(os.environ.get("PARALLAX_KILL_SEED", "0")) or None)
    env = {**os.environ, SLOW_ENV: "0.15"}
    watcher = open_store(db)  # a reader polling while the writer is killed again and again
    kills, completed, log = 0, False, []
    try:
        while kills < KILLS:
            before = watcher.counts()["articles"]
            proc = subprocess.Popen(_ingest_cmd(db, src), env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            try:
                deadline = time.monotonic() + 180
                while watcher.counts()["articles"] == before and proc.poll() is None:
                    assert time.monotonic() < deadline, "no batch committed"
                    time.sleep(0.05)
                # a random moment after a commit: mid-analysis, mid-commit, or in the pause
                time.sleep(rng.uniform(0.0, 1.0))
                if proc.poll() is not None:
                    completed = True
                    break
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                kills += 1
                # consistent after every kill, not only at the end
                problems = check_store(watcher)
                assert problems == [], f"after kill {kills}: " + "\n".join(map(str, problems))
                log.append(watcher.counts()["articles"])
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    finally:
        watcher.close()
    assert completed or kills == KILLS
    if not completed:
        assert 0 < log[-1] < len(ids), log  # the kills really landed mid-ingest
    final = subprocess.run(_ingest_cmd(db, src), cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr[-3000:]
    summary = json.loads(final.stdout.strip().splitlines()[-1])
    assert summary["failed"] == 0
    _assert_exactly_once(db, ids)
    with open_store(db) as store:
        assert all(store.get_article(i).sentences for i in ids)  # every stored article is analysed
        assert store.counts()["near_duplicates"] > 0
    check = subprocess.run([sys.executable, "-m", "parallax.cli", "check", db], cwd=ROOT, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0 and "no problems" in check.stdout, check.stdout + check.stderr
    print(f"kills={kills} articles after each kill: {log}")


# --- two writers and a reader --------------------------------------------------------------------
def test_two_ingest_processes_and_a_reader(db_url, tmp_path):  # noqa: F811 - fixture from test_store
    a, b, shared = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "shared.jsonl"
    ids = _corpus(a, 0, 14) + _corpus(b, 100, 14) + _corpus(shared, 200, 8)
    open_store(db_url).close()
    env = {**os.environ, SLOW_ENV: "0.1"}
    procs = [subprocess.Popen(_ingest_cmd(db_url, a, shared, batch=3), env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE),
             subprocess.Popen(_ingest_cmd(db_url, shared, b, batch=3), env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)]
    reads = 0
    with open_store(db_url) as reader:
        deadline = time.monotonic() + 400
        while any(p.poll() is None for p in procs):
            assert time.monotonic() < deadline, "ingest processes did not finish"
            reader.counts()
            reader.stories()
            sum(1 for _ in reader.iter_articles(page=10))
            reads += 1
            time.sleep(0.1)
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, errs) in zip(procs, outs):
        assert p.returncode == 0, errs.decode()[-3000:]
        assert json.loads(out.decode().strip().splitlines()[-1])["failed"] == 0
    assert reads > 0
    # the counts are what each write transaction inserted: between them, every article once
    reported = [json.loads(out.decode().strip().splitlines()[-1]) for out, _ in outs]
    assert sum(r["ingested"] + r["near_duplicates"] for r in reported) == len(set(ids)), reported
    with open_store(db_url) as store:
        assert store.failures() == []
        assert store.counts()["articles"] == len(set(ids))
        assert {x.id for x in store.iter_articles()} == set(ids)
        with store.engine.connect() as conn:
            assert conn.execute(sql("SELECT id FROM articles GROUP BY id HAVING COUNT(*) > 1")).all() == []
        # every check holds, story states included: story ids come from the article that opens
        # the story, so two processes never mint the same id for different events
        problems = check_store(store)
        assert problems == [], "\n".join(map(str, problems))


# --- parallax check ---------------------------------------------------------------------------------
def test_check_reports_each_kind_of_damage(tmp_path):
    from parallax.store.migrations import HEAD

    db = str(tmp_path / "news.db")
    arts = [Article.new(f"Article number {i} about the harbour and the council budget.", outlet="o",
                        published=f"2024-01-0{i + 1}") for i in range(4)]
    with open_store(db) as store:
        store.add_articles(arts, story_ids={arts[0].id: "s1", arts[1].id: "s1", arts[2].id: "s2"},
                           near_dup_of={arts[3].id: arts[2].id})
        store.add_signatures([(a.id, [1, 2, 3]) for a in arts])
        store.save_story_states([{"id": "s1", "articles": [arts[0].id, arts[1].id], "size": 2},
                                 {"id": "s2", "articles": [arts[2].id], "size": 1}])
        assert check_store(store) == []
        ok = subprocess.run([sys.executable, "-m", "parallax.cli", "check", db], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        import sqlite3

        raw = sqlite3.connect(db)  # foreign keys off: plant damage the store itself would refuse
        raw.execute("UPDATE stories SET n_articles = 5 WHERE id = 's1'")
        raw.execute("UPDATE articles SET story_id = 's9' WHERE id = ?", (arts[2].id,))
        raw.execute("UPDATE articles SET near_dup_of = 'feedfacefeedface' WHERE id = ?", (arts[3].id,))
        raw.execute("DELETE FROM signatures WHERE article_id = ?", (arts[1].id,))
        raw.execute("UPDATE stories SET state = ? WHERE id = 's2'",
                    (json.dumps({"id": "s2", "articles": ["gone"], "size": 1}),))
        raw.execute("INSERT INTO schema_version VALUES (?, 'future', '2030-01-01')", (HEAD + 1,))
        raw.commit()
        raw.close()
        kinds = {p.kind for p in check_store(store)}
    assert {"story-count", "orphan-story", "near-dup", "signature", "story-state", "schema"} <= kinds
    bad = subprocess.run([sys.executable, "-m", "parallax.cli", "check", db, "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    # a newer schema is refused at open: one clear error, non-zero exit
    assert bad.returncode != 0 and "newer" in bad.stderr, bad.stdout + bad.stderr


def test_check_cli_exit_code_on_problems(tmp_path):
    db = str(tmp_path / "news.db")
    a = Article.new("An article about the bridge over the river and the new ferry line.", outlet="o")
    with open_store(db) as store:
        store.add_articles([a], story_ids={a.id: "s1"})
        store.add_signatures([(a.id, [1])])
        with store.engine.connect() as conn, conn.begin():
            conn.exec_driver_sql("UPDATE stories SET n_articles = 3")
    res = subprocess.run([sys.executable, "-m", "parallax.cli", "check", db, "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 1
    problems = json.loads(res.stdout)
    assert [p["kind"] for p in problems] == ["story-count"] and problems[0]["subject"] == "s1"
