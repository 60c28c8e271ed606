"""The only home of orchestration: what a command or a page does, step by step.

The CLI (:mod:`parallax.cli`, :mod:`parallax.cli_db`) and the web app (:mod:`parallax.web`) are
thin faces over these functions, so the same call gives the same answer from either face:

* :mod:`.batch` — the batch ingest engine: read -> skip stored -> analyse -> near-duplicates ->
  stories -> commit one batch per transaction (idempotent, resumable);
* :mod:`.stories` — story assignment (:class:`StoryEngine`), :func:`ingest_into`,
  :func:`recluster`, :func:`list_stories`, :func:`story_report` (from the stored annotations),
  :func:`story_timeline`, :func:`export`;
* :mod:`.sources` — :func:`ingest_sources` (files, folders, globs, stdin and URLs, with the
  recluster-after-first-ingest policy), :func:`poll_sources` and :func:`watch_sources` (live feeds);
* :mod:`.network` — :func:`actor_network`: canonical actors and relations of a story or database;
* :mod:`.reanalyze` — :func:`reanalyze`: bring stored annotations up to the current analysis.

Nothing here imports spaCy, torch or onnxruntime at import time; a function that needs a model
imports it when called, so listing, exporting and checking stay fast.
"""

from ..store import open_store
from .batch import IngestSummary
from .network import Network, actor_network, actor_rows, relation_rows
from .reanalyze import ReanalyzeSummary, reanalyze
from .version import analysis_version
from .sources import ingest_sources, live_ingest, maybe_recluster, poll_sources, watch_sources
from .stories import (StoryEngine, export, ingest_into, list_stories, recluster, story_articles, story_report,
                      story_timeline)

__all__ = ["open_store", "IngestSummary", "StoryEngine", "ingest_into", "ingest_sources", "maybe_recluster",
           "live_ingest", "poll_sources", "watch_sources", "recluster", "list_stories", "story_articles", "story_report",
           "story_timeline", "export", "Network", "actor_network", "actor_rows", "relation_rows",
           "ReanalyzeSummary", "analysis_version", "reanalyze"]
