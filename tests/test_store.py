"""The store (SQLite and PostgreSQL), near-duplicate detection and the resumable ingest.

Every store test runs on both backends.  The PostgreSQL one starts a throwaway server from the
Debian binaries (``apt-get install postgresql``) on 127.0.0.1 and a free port, and is skipped
cleanly when they are absent.
"""

from __future__ import annotations

import dataclasses
import glob
import io
import json
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from parallax.model import Article, Quote, Span
from parallax.options import DEFAULT
from parallax.stories.dedupe import NearDuplicateIndex, shingles, signature

ROOT = Path(__file__).resolve().parents[1]
SMALL = dataclasses.replace(DEFAULT, batch_size=4)

ORIGINAL = (
    "Rescue teams in southern Chile pulled twelve survivors from collapsed buildings on Tuesday, "
    "a day after a magnitude 7.1 earthquake struck near the coastal city of Valdivia. The "
    "national emergency office said at least 23 people had died and more than 300 were injured. "
    "\"We are still searching house by house,\" said Maria Gonzalez, the regional governor. "
    "Power was restored to most of the city by Tuesday evening, but the main bridge over the "
    "Calle-Calle river remained closed while engineers inspected cracks in its supports. The "
    "government has declared a state of catastrophe in the region and sent two thousand soldiers "
    "to help with the clearing of rubble and the distribution of water and food."
)
# A wire copy: new opening words, two words changed, a credit line added.
COPY = (
    "VALDIVIA, Chile (AP) - Rescue teams in southern Chile pulled twelve survivors from collapsed "
    "buildings on Tuesday, one day after a magnitude 7.1 earthquake struck near the coastal city "
    "of Valdivia. The national emergency office said at least 23 people had died and more than "
    "300 were injured. \"We are still searching house by house,\" said Maria Gonzalez, the "
    "regional governor. Power was restored to most of the city by Tuesday night, but the main "
    "bridge over the Calle-Calle river remained closed while engineers inspected cracks in its "
    "supports. The government has declared a state of catastrophe in the region and sent two "
    "thousand soldiers to help with the clearing of rubble and the distribution of water and "
    "food. Associated Press writers contributed to this report."
)
OTHER = (
    "The central bank held its main interest rate at 4.5 percent on Thursday, saying inflation "
    "had eased faster than expected over the summer. Governor Paul Hendricks told reporters the "
    "committee would watch wage growth closely before considering a cut early next year."
)
THIRD = (
    "Farmers in the northern valley began harvesting grapes two weeks earlier than usual after a "
    "hot and dry August, the regional wine association said. Growers expect a smaller crop but "
    "higher sugar levels, which could mean stronger wines from this vintage."
)


# --- a throwaway PostgreSQL server -----------------------------------------------------------------
def _pg_bindir() -> Path | None:
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not found:
        return None
    return Path(max(found, key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server():
    """``postgresql://parallax@127.0.0.1:PORT`` of a temporary server, stopped at the end."""
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed (apt-get install -y postgresql)")
    yield from serve_postgres(bindir)


def serve_postgres(bindir: Path):
    """Start a throwaway server from the binaries in ``bindir`` (as 'postgres' when root), yield
    its URL, stop and remove it.  Also used for pgserver's PostgreSQL (tests/test_pgvector.py)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg not installed")
    user = None
    base = Path(tempfile.mkdtemp(prefix="parallax-pg-"))
    if os.geteuid() == 0:  # initdb refuses to run as root: run the server as 'postgres'
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server")
        os.chown(base, pw.pw_uid, pw.pw_gid)
        user = "postgres"
    data, log = base / "data", base / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([str(a) for a in args], user=user, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)

    try:
        run(bindir / "initdb", "-D", data, "-U", "parallax", "--auth=trust", "-E", "UTF8", "--locale=C")
        run(bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
            f"-p {port} -c listen_addresses=127.0.0.1 -k {base} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off", "start")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc}\n{detail}")
    try:
        yield f"postgresql://parallax@127.0.0.1:{port}"
    finally:
        subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], user=user,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    import psycopg

    server = request.getfixturevalue("pg_server")
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture
def store(db_url):
    from parallax.store import open_store

    s = open_store(db_url)
    yield s
    s.close()


# --- near-duplicates (pure) -------------------------------------------------------------------------
def test_shingles_and_signature_are_stable():
    assert shingles("One two, THREE four five six!") == {"one two three four five", "two three four five six"}
    assert shingles("Quake hits Chile") == {"quake hits chile"}
    assert signature(ORIGINAL) == signature(ORIGINAL)
    assert len(signature(ORIGINAL)) == 128 and all(0 <= v < 2**32 for v in signature(ORIGINAL))


def test_near_duplicate_index_links_copies_to_the_root_original():
    idx = NearDuplicateIndex()
    assert idx.add("orig", ORIGINAL) is None
    assert idx.add("other", OTHER) is None
    assert idx.add("copy", COPY) == "orig"
    copy2 = COPY.replace("Associated Press writers", "Staff")
    assert idx.add("copy2", copy2) == "orig"  # never linked to another copy
    # rebuilt from signatures alone, the index finds the same original
    again = NearDuplicateIndex()
    again.load([("orig", signature(ORIGINAL)), ("other", signature(OTHER)), ("copy", signature(COPY), "orig")])
    assert again.original_of("copy") == "orig"
    assert again.find("x", signature(copy2)) == "orig"
    assert again.find("y", signature(THIRD)) is None


# --- the store API ----------------------------------------------------------------------------------
def test_migrations_applied_once_and_reopen(db_url):
    from sqlalchemy import inspect, text

    from parallax.store import SCHEMA_VERSION, open_store
    from parallax.store.db import metadata

    first = open_store(db_url)
    assert first.applied == list(range(1, SCHEMA_VERSION + 1))
    first.close()
    second = open_store(db_url)
    assert second.applied == []
    with second.engine.connect() as conn:
        assert conn.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars().all() \
            == list(range(1, SCHEMA_VERSION + 1))
        insp = inspect(conn)
        for table in metadata.sorted_tables:  # the live schema in db.py matches the migrations
            assert {c["name"] for c in insp.get_columns(table.name)} == set(table.c.keys()), table.name
    second.close()


def test_newer_schema_is_refused(db_url):
    from sqlalchemy import text

    from parallax.store import SchemaError, open_store

    s = open_store(db_url)
    with s.engine.begin() as conn:
        conn.execute(text("INSERT INTO schema_version (version, description, applied_at) "
                          "VALUES (99, 'future', CURRENT_TIMESTAMP)"))
    s.close()
    with pytest.raises(SchemaError, match="newer"):
        open_store(db_url)


def test_store_round_trip(store):
    quote = Quote(content=Span(5, 10, "still"), speaker="Maria Gonzalez", speaker_span=None, cue=None,
                  kind="direct", sentence=2, resolved=True)
    a = Article.new(ORIGINAL, outlet="ap", title="Quake", published="2024-03-05", quotes=[quote])
    b = Article.new(OTHER, outlet="bbc", title="Rates", published="2024-03-07")
    assert store.add_articles([a, b], story_ids={a.id: 7}) == [a.id, b.id]
    assert store.add_articles([a]) == []  # insert-or-ignore by content hash
    assert store.has([a.id, "nope"]) == {a.id}
    got = store.get_article(a.id)
    assert got.quotes == [quote] and got.text == ORIGINAL and got.outlet == "ap"
    assert getattr(got, "story_id", "7") == "7"
    assert store.get_article("nope") is None

    store.set_story(b.id, "s2")
    store.save_story_states([{"id": 7, "title": "Chile quake", "vector": [0.1, 0.2]}])
    assert store.load_story_states() == [{"id": 7, "title": "Chile quake", "vector": [0.1, 0.2]}]
    rows = store.stories()
    assert [r["id"] for r in rows] == ["s2", "7"]  # newest first
    assert rows[1] == {"id": "7", "title": "Chile quake", "first_published": "2024-03-05",
                       "last_published": "2024-03-05", "n_articles": 1, "outlets": ["ap"], "languages": []}
    assert [r["id"] for r in store.stories(outlet="ap")] == ["7"]
    store.save_story_states([{"id": "gone", "title": "merged away"}])
    store.delete_story_states({"gone", "7"})  # "7" still has an article: only its state goes
    assert store.load_story_states() == [] and [r["id"] for r in store.stories()] == ["s2", "7"]
    store.save_story_states([{"id": 7, "title": "Chile quake", "vector": [0.1, 0.2]}])
    assert [r["id"] for r in store.stories(since="2024-03-06")] == ["s2"]
    assert [r["id"] for r in store.articles_of_story(7)] == [a.id]
    assert {x.id for x in store.iter_articles()} == {a.id, b.id}
    assert [x.id for x in store.iter_articles(outlet="bbc")] == [b.id]
    assert [x.id for x in store.iter_articles(ids=[b.id, "nope"])] == [b.id]
    assert [x.id for x in store.iter_articles(since="2024-03-06", page=1)] == [b.id]
    assert store.counts() == {"articles": 2, "near_duplicates": 0, "stories": 2, "failures": 0}

    with pytest.raises(RuntimeError):  # a batch is all or nothing
        with store.batch():
            store.add_articles([Article.new(THIRD, outlet="x")])
            store.add_failures([("f.txt", "bad")])
            raise RuntimeError("boom")
    assert store.counts()["articles"] == 2 and store.failures() == []


# --- ingest -----------------------------------------------------------------------------------------
def _write_corpus(root: Path) -> list[Path]:
    (root / "sub").mkdir(parents=True)
    files = [root / "ap_quake.txt", root / "sub" / "bbc_rates.txt", root / "sub" / "farm_news.txt"]
    for f, text in zip(files, (ORIGINAL, OTHER, THIRD)):
        f.write_text(text, encoding="utf-8")
    (root / ".hidden.txt").write_text("not an article, ignored " * 5)
    return files


def test_ingest_is_idempotent(store, tmp_path):
    from parallax.workflows.batch import ingest

    files = _write_corpus(tmp_path / "in")
    first = ingest(store, [tmp_path / "in"], SMALL)
    assert (first.ingested, first.duplicates, first.near_duplicates, first.failed) == (3, 0, 0, 0)
    # the same articles again, through a glob and a file path: stored once, counted as duplicates
    again = ingest(store, [str(tmp_path / "in" / "**" / "*.txt"), files[0]], SMALL)
    assert (again.ingested, again.duplicates, again.failed) == (0, 4, 0)
    assert store.counts()["articles"] == 3
    stored = {a.outlet: a for a in store.iter_articles()}
    assert set(stored) == {"ap", "bbc", "farm"}
    assert stored["ap"].sentences and stored["ap"].quotes  # analysed before storing


def test_ingest_stdin_jsonl(store):
    from parallax.workflows.batch import ingest

    lines = [json.dumps({"text": OTHER, "outlet": "bbc", "date": "2024-03-07"}), "{broken", ""]
    summary = ingest(store, ["-"], SMALL, stdin=io.StringIO("\n".join(lines)))
    assert (summary.ingested, summary.failed) == (1, 1)
    assert "line 2" in summary.failures[0].reason
    assert [a.outlet for a in store.iter_articles()] == ["bbc"]


def test_failures_saved_and_listed(store, tmp_path):
    from parallax.workflows.batch import ingest

    # the SQLite database sits in the same folder: ingest must not read its own files
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "ok.txt").write_text(THIRD)
    inputs = [tmp_path, tmp_path / "missing.txt", str(tmp_path / "*.nothing")]
    summary = ingest(store, inputs, SMALL)
    assert (summary.ingested, summary.failed) == (1, 4)
    listed = {(Path(f["source"]).name, f["reason"]) for f in store.failures()}
    assert listed == {(Path(f.path).name, f.reason) for f in summary.failures}
    assert ("empty.txt", "empty file") in listed and ("missing.txt", "no such file") in listed
    assert any(name == "blob.txt" for name, _ in listed)
    ingest(store, inputs, SMALL)  # a re-run reports them again but stores no copies
    assert len(store.failures()) == 4


def test_near_duplicate_linked_to_original(db_url, tmp_path):
    from parallax.store import open_store
    from parallax.workflows.batch import ingest

    def assign(parsed):  # stand-in for StoryIndex: every independent article starts its own story
        return {p.article.id: "story-" + p.article.id[:6] for p in parsed}

    (tmp_path / "ap.txt").write_text(ORIGINAL)
    (tmp_path / "bbc.txt").write_text(OTHER)
    (tmp_path / "daily.txt").write_text(COPY)
    with open_store(db_url) as store:
        summary = ingest(store, [tmp_path / "ap.txt", tmp_path / "bbc.txt", tmp_path / "daily.txt"],
                         SMALL, assign=assign)
        assert (summary.ingested, summary.near_duplicates) == (2, 1)
        orig, copy = Article.new(ORIGINAL).id, Article.new(COPY).id
        info = store.article_info(copy)
        assert info["near_dup_of"] == orig
        assert info["story_id"] == store.article_info(orig)["story_id"]  # the copy joins its original's story
        story = [s for s in store.stories() if s["id"] == info["story_id"]][0]
        assert story["n_articles"] == 1  # a wire copy is not independent coverage
        assert store.counts()["near_duplicates"] == 1
    # after re-opening, the LSH index is rebuilt from stored signatures
    (tmp_path / "local.txt").write_text(COPY.replace("Associated Press writers", "Our staff"))
    with open_store(db_url) as store:
        summary = ingest(store, [tmp_path / "local.txt"], SMALL, assign=assign)
        assert summary.near_duplicates == 1
        assert store.article_info(Article.new(COPY.replace("Associated Press writers", "Our staff")).id)[
            "near_dup_of"] == Article.new(ORIGINAL).id


# --- a killed ingest resumes ------------------------------------------------------------------------
_WORDS = ("council mayor river bridge budget school hospital election court police harbour festival "
          "museum railway airport factory union strike protest minister senator storm flood drought "
          "harvest market bank tax reform housing rent park library stadium concert theatre bakery "
          "village county province coast island mountain forest valley lake highway tunnel ferry "
          "clinic vaccine teacher nurse farmer miner driver pilot judge lawyer engineer scientist").split()

_SCRIPT = """
import dataclasses, sys
from parallax.options import DEFAULT
from parallax.store import open_store
from parallax.workflows.batch import ingest
store = open_store(sys.argv[1])
summary = ingest(store, [sys.argv[2]], dataclasses.replace(DEFAULT, batch_size=5))
print("DONE", summary.ingested, summary.duplicates, flush=True)
"""


def _generated_jsonl(path: Path, n: int = 40) -> list[str]:
    """``n`` short, mutually dissimilar articles (random word order, so no near-duplicates)."""
    rng = random.Random(42)
    lines, ids = [], []
    for i in range(n):
        sents = [" ".join(rng.choice(_WORDS) for _ in range(9)).capitalize() + "." for _ in range(3)]
        text = f"Report number {i} from the city desk. " + " ".join(sents)
        lines.append(json.dumps({"text": text, "outlet": f"outlet{i % 4}", "date": f"2024-01-{i % 28 + 1:02d}"}))
        ids.append(Article.new(text).id)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids


def test_killed_ingest_resumes_without_loss_or_duplicates(db_url, tmp_path):
    from sqlalchemy import text

    from parallax.store import open_store
    from parallax.workflows.batch import SLOW_ENV

    src = tmp_path / "many.jsonl"
    ids = _generated_jsonl(src)
    assert len(set(ids)) == 40
    open_store(db_url).close()  # create the schema so the test can poll while the child writes
    env = {**os.environ, SLOW_ENV: "3"}
    proc = subprocess.Popen([sys.executable, "-c", _SCRIPT, db_url, str(src)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watcher = open_store(db_url)  # a concurrent reader while the child writes
    try:
        deadline = time.monotonic() + 300
        while watcher.counts()["articles"] == 0:
            assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the first batch never committed"
            time.sleep(0.2)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        killed_at = watcher.counts()["articles"]
        assert 0 < killed_at < 40 and killed_at % 5 == 0  # whole batches only
    finally:
        if proc.poll() is None:
            proc.kill()
        watcher.close()

    rerun = subprocess.run([sys.executable, "-c", _SCRIPT, db_url, str(src)], cwd=ROOT, capture_output=True,
                           text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert rerun.stdout.split() == ["DONE", str(40 - killed_at), str(killed_at)]
    with open_store(db_url) as store:
        assert store.counts()["articles"] == 40
        assert {a.id for a in store.iter_articles()} == set(ids)
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT id FROM articles GROUP BY id HAVING COUNT(*) > 1")).all() == []
            assert conn.execute(text("SELECT COUNT(*) FROM signatures")).scalar() == 40
        assert all(store.get_article(i).sentences for i in ids)  # every stored article is analysed


# --- the full BASIL dev file: both backends give the same stories ------------------------------------
@pytest.mark.slow
def test_basil_gives_the_same_stories_on_sqlite_and_postgresql(tmp_path, pg_server):
    """Ingest the 210 BASIL articles into SQLite and PostgreSQL with the real story index; the
    stories (as sets of article ids) must be identical.  The second ingest reuses the parse cache;
    the story features come with each processed article (parallax.workers)."""
    import psycopg

    stories_mod = pytest.importorskip("parallax.stories")
    from parallax.store import open_store
    from parallax.workflows.batch import ingest

    data = ROOT.parent / "shared" / "data" / "basil.jsonl"
    if not data.exists():
        pytest.skip(f"{data} not present")
    name = "basil_" + uuid.uuid4().hex[:8]
    with psycopg.connect(pg_server + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")

    def run(url: str) -> set[frozenset[str]]:
        with open_store(url) as store:
            index = stories_mod.StoryIndex.load(store.load_story_states(), DEFAULT)
            summary = ingest(
                store, [data], DEFAULT,
                assign=lambda done: {p.article.id: index.assign(p.features) for p in done},
                story_states=lambda ids: [index.story_of(i) for i in ids])
            assert (summary.ingested, summary.failed, summary.near_duplicates) == (210, 0, 0)
            assert store.counts()["articles"] == 210
            assert len(store.load_story_states()) == len(store.stories())
            return {frozenset(a["id"] for a in store.articles_of_story(s["id"])) for s in store.stories()}

    assert run(str(tmp_path / "basil.db")) == run(f"{pg_server}/{name}")
