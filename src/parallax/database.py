"""Former home of the database workflows, kept so existing imports keep working.

Everything moved to :mod:`parallax.workflows` (the one orchestration layer); import from there.
"""

from .workflows import (StoryEngine, export, ingest_into, list_stories, open_store, recluster,  # noqa: F401
                        story_articles, story_report, story_timeline)
from .workflows.stories import prime_embeddings  # noqa: F401
