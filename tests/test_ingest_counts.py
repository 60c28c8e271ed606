"""``ingested N`` counts what the write transaction inserted (issue 16, item 5).

Another writer can store an article between the moment this ingest last looked and the moment
its batch commits.  The test plays that writer deterministically: it stores part of the batch
just before the batch's transaction opens.  (The two-process version, on SQLite and PostgreSQL,
is ``tests/test_reliability.py::test_two_ingest_processes_and_a_reader``.)"""

from __future__ import annotations

from types import SimpleNamespace

from parallax.model import Article
from parallax.store import open_store
from parallax.workflows.batch import ingest
from parallax.stories.dedupe import signature


def _articles(n: int) -> list[Article]:
    return [Article.new(f"Report {i}: the {w} council voted on the harbour budget after a long debate on ferries.",
                        outlet="o", published="2024-01-02")
            for i, w in zip(range(n), ["north", "south", "east", "west", "river", "hill", "lake", "coast"])]


def _no_models(batches):
    """The per-article stages without the models: what the commit needs (article, signature)."""
    for batch in batches:
        yield [SimpleNamespace(article=a, signature=signature(a.text), features=None, vectors=None, model="") for a in batch], []


def test_counts_are_what_the_commit_inserted(tmp_path):
    db = str(tmp_path / "news.db")
    arts = _articles(8)
    with open_store(db) as store, open_store(db) as other:
        real_batch = store.batch
        raced = arts[2:5]

        def batch():  # the other writer commits part of our batch just before our commit
            if not other.has(a.id for a in raced):
                other.add_articles(raced)
            return real_batch()

        store.batch = batch
        summary = ingest(store, arts, analyse=_no_models)
        assert store.counts()["articles"] == 8
    assert summary.ingested + summary.near_duplicates == 8 - len(raced), summary
    assert summary.duplicates == len(raced)
    assert summary.ingested + summary.near_duplicates + summary.duplicates + summary.failed == len(arts)


def test_rerun_counts_nothing_new(tmp_path):
    db = str(tmp_path / "news.db")
    arts = _articles(5)
    with open_store(db) as store:
        first = ingest(store, arts, analyse=_no_models)
        second = ingest(store, arts, analyse=_no_models)
    assert first.ingested + first.near_duplicates == 5 and first.duplicates == 0
    assert second.ingested == second.near_duplicates == 0 and second.duplicates == 5
