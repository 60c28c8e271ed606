"""One frozen options object with the defaults every stage reads.

Each threshold carries the reason for its value.  Pass a modified copy
(``dataclasses.replace(DEFAULT, ...)``) instead of keyword arguments through the stages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Options:
    # --- ingest -------------------------------------------------------------------------------
    # 20 MB is ~40x the longest news article seen in any benchmark set; larger inputs are feeds
    # dumps or mistakes and are refused before they are read into memory whole.
    max_file_bytes: int = 20_000_000
    # An article must have some running text to be analysed at all; 20 characters rejects empty
    # pages and stray captions while keeping short wire items ("Quake hits Chile, 3 dead.").
    min_text_chars: int = 20
    # Share of control / replacement characters above which bytes are treated as binary.
    max_binary_ratio: float = 0.05

    # --- alignment ----------------------------------------------------------------------------
    # Combined match score (embedding cosine blended with entity/lemma overlap) above which two
    # sentences of different outlets count as reporting the same fact.  0.50 was picked on the
    # reference articles: paraphrases of one fact score 0.5-0.8, sentences on the same topic
    # but about different facts 0.3-0.49.
    align_threshold: float = 0.50
    # Weight of embedding cosine vs lexical (entity + content-lemma) overlap in the match score.
    align_embedding_weight: float = 0.75

    # --- framing ------------------------------------------------------------------------------
    # A sentence is flagged as editorial when its cue score reaches this value; one strong cue
    # (first-person editorial voice, a sarcastic formula) or two weak ones (an intensifier and a
    # loaded word) are needed, so a single adjective never flags a sentence.
    framing_threshold: float = 1.0

    # --- actors -------------------------------------------------------------------------------
    # How many actors the report lists as "main".
    main_actors: int = 10

    # --- nlp ----------------------------------------------------------------------------------
    batch_size: int = 32

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT = Options()
