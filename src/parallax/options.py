"""One frozen options object with the defaults every stage reads.

Each threshold carries the reason for its value.  Pass a modified copy
(``dataclasses.replace(DEFAULT, ...)``) instead of keyword arguments through the stages.
Values are checked when the object is built (``replace`` builds a new one): a bad backend name,
negative workers or a threshold out of range raise :class:`OptionsError` naming the field.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import ParallaxError

EMBED_BACKENDS = ("onnx", "onnx-int8", "torch")


class OptionsError(ParallaxError, ValueError):
    """An Options field out of its range; the message names the field and what it accepts."""


def _env_backend() -> str:
    """``$PARALLAX_EMBED_BACKEND`` when it names a backend; otherwise a warning and "onnx" (a bad
    environment variable must not make ``import parallax`` fail)."""
    value = os.environ.get("PARALLAX_EMBED_BACKEND") or "onnx"
    if value not in EMBED_BACKENDS:
        import warnings

        warnings.warn(f"ignoring PARALLAX_EMBED_BACKEND={value!r}: choose one of {', '.join(EMBED_BACKENDS)}",
                      stacklevel=2)
        return "onnx"
    return value

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
    # Longest article text (characters, after cleaning) that is analysed; a longer one is refused
    # with one clear error.  This bounds the per-article analysis time and memory (spaCy's parser
    # needs roughly 1 GB of scratch memory per 100,000 characters and runs ~linearly in length):
    # 200,000 characters is ~35,000 words, several times the longest long-form news article,
    # and parses in well under a minute.  A 20 MB single-line file is refused by this even when
    # max_file_bytes is raised.
    max_article_chars: int = 200_000

    # --- alignment ----------------------------------------------------------------------------
    # Claim match score (embedding cosine blended with story-idf-weighted entity/lemma overlap)
    # above which two claims of different outlets count as the same fact.  0.35 and weight 0.5
    # were calibrated on the hand-written gold groups (`parallax bench align`, data/align_gold.jsonl):
    # thresholds 0.30-0.50 and weights 0.4-0.9 were swept; 0.35/0.5 gave the best pairwise F1.
    align_threshold: float = 0.35
    # Weight of embedding cosine vs lexical overlap in the match score (0.6 already costs ~0.1 F1).
    align_embedding_weight: float = 0.5

    # --- framing ------------------------------------------------------------------------------
    # A sentence is flagged as editorial when its cue score reaches this value; one strong cue
    # (first-person editorial voice, a sarcastic formula) or two weak ones (an intensifier and a
    # loaded word) are needed, so a single adjective never flags a sentence.
    framing_threshold: float = 1.0

    # --- stories ------------------------------------------------------------------------------
    # Same-event probability (learned pair model, parallax.stories.pair_model) an article needs
    # to join a story: the model is a calibrated logistic regression, so 0.5 means "more likely
    # the same event than not".
    story_join_probability: float = 0.5
    # Average article-pair probability (average linkage) above which recluster merges two
    # stories: "on average more likely one event than two".
    story_merge_probability: float = 0.5
    # Recluster splits a story in two when its 2-means halves' average cross-probability is under
    # this: equal to the merge level, so one rule ("more likely one event than two") decides both
    # and a split is never undone by the merge.  On the ECB+ dev part 0.35/0.35 gave +0.006
    # B-cubed F1 but mixed twice as many events (0.087 vs 0.051 of stories); 0.5 is kept.
    story_split_probability: float = 0.5
    # Member embeddings a story keeps for exemplar matching (half the opening members, half the
    # latest): an article must match one of them, not only the centroid, to join.
    story_exemplars: int = 4
    # Path of the story pair model JSON; "" = the shipped one (models/restricted/story_pair.json).
    story_pair_model: str = ""
    # Days before a story's first and after its last article within which a dated article may
    # join: news on one event clusters within days; a week tolerates late follow-ups.
    story_window_days: int = 7
    # Stories retrieved per searched ANN index: the right story is the embedding nearest
    # neighbour in >97% of cases on the dev sets; 10 leaves room for TF-IDF to reorder.
    story_candidates: int = 10
    # Terms kept per story centroid (heaviest first); bounds memory and per-candidate cost.
    story_max_terms: int = 400

    # --- nlp ----------------------------------------------------------------------------------
    batch_size: int = 32
    # Sentence-model backend (parallax.nlp.embed): "onnx" gives the very vectors of "torch" at
    # ~2x its speed; "onnx-int8" is ~3.5x but moves vectors (mean cosine 0.992) and claim
    # alignment F1 with them (0.71 -> 0.67; docs/scaling.md).  $PARALLAX_EMBED_BACKEND overrides the default.
    embed_backend: str = field(default_factory=lambda: _env_backend())
    # Embed every body sentence at ingest (True) or when a story is first compared (False; the
    # vectors are then stored, so it happens once either way).  Body sentences are ~75% of the
    # sentence-model work and only the comparison reads them; ingest itself needs the title and
    # lead only (story features).  On a 10^5+ corpus most stories are never compared.
    embed_sentences: bool = False
    # Worker processes for the per-article stages; 0 = one per CPU core.  One process is
    # fastest for a handful of articles (no model loading in workers).
    workers: int = 1
    # Folder levels below a given folder (or a glob's fixed part) that ingest descends: real
    # news archives are a few levels deep (outlet/year/month/day); the cap bounds the walk of a
    # hostile tree (every directory is entered once anyway, links included).
    max_folder_depth: int = 32

    # --- comparison (compare.py) --------------------------------------------------------------
    # How many leading body sentences per article may state the event (news leads come first).
    event_lead_sentences: int = 3
    # Cosine above which an article is taken to carry the event sentence (looser than a full
    # sentence match: the event is often spread over two sentences in another outlet).
    event_cover: float = 0.45
    # Discount per position in the lead: the first sentence usually states the event, later ones
    # add detail; 0.9 lets a clearly better second sentence still win.
    event_lead_decay: float = 0.9
    # A member matched to the rest of its fact group below this score reports the fact only in
    # part (a loose paraphrase, or only the frame shared: "X told Bloomberg"); members score 0.35-0.9.
    partial_match: float = 0.40
    # Core facts open the extractive summary; this many at most.
    summary_facts: int = 2

    # --- speakers (issue 17) --------------------------------------------------------------------
    # Below this probability of the learned speaker ranker (analysis.speaker_model) the speaker is
    # left unresolved rather than guessed: an unresolved quote costs a journalist a look, a quote
    # in the wrong mouth costs a correction.  Chosen on PolNeAR dev (docs/benchmarks.md).
    speaker_min_confidence: float = 0.2

    def __post_init__(self) -> None:
        _check(self)

    # Vector space of the story features (parallax.nlp.multilingual): "english" reads English
    # best (all-MiniLM-L6-v2); "multilingual" (multilingual-e5-small) puts an English and a
    # Russian report of one event near each other, so they can land in one story.  A database
    # keeps the space it was built with: the vectors of two spaces are never compared.
    story_space: str = field(default_factory=lambda: os.environ.get("PARALLAX_STORY_SPACE") or "english")
    # Claim-pair model probability (analysis.claim_pairs) at or above which two claims of
    # different outlets state the same fact (pairs whose blended score reaches align_threshold
    # count as reaching it, see align.edge_probability).  Leave-one-story-out on the dev part of
    # data/align_gold.jsonl (claim_pairs_train prints the sweep): 0.5-0.6 within 0.01 F1;
    # 0.6 keeps the reference grid (0.55 joins two different facts of the Libya articles).
    align_pair_threshold: float = 0.6
    # An outlet omits a core fact only when none of its claims reaches this blended match score
    # with the fact's members (lower than the old alignment threshold 0.35: a loose paraphrase
    # or a partial mention is not an omission).
    omission_threshold: float = 0.30
    # A grid row needs this many words: shorter claims are datelines ("WASHINGTON —"), bylines or
    # split-off clause fragments that no reader takes for a fact (see analysis.claims.is_fragment).
    fact_min_words: int = 4
    # Story assignment's IDF weights are frozen between refreshes, one when the corpus has grown
    # by this fraction (every article while it holds < 50), so a story's TF-IDF view is cached
    # until the story changes: 1.45x less CPU per article on a dense stream, no change on the
    # sparse growth stream (docs/scaling.md 3b); 2% growth moves an unchanged term's IDF by at
    # most log(1.02) = 0.02.  0 refreshes on every article (the weights of before, no caching).
    story_idf_refresh: float = 0.02
    # Stories whose TF-IDF view is cached (least recently used dropped): up to 10 candidates per
    # searched time slice, so a few thousand covers the open stories of a busy window.
    story_side_cache: int = 2048
    # Bounded memory (docs/scaling.md): the ingest driver keeps only stories whose newest
    # article is within this many days (plus the assignment window) of the newest date
    # ingested; older ones stay in the database and are read back by time slice when an
    # out-of-order article needs them.  0 keeps every story in memory.
    story_memory_days: int = 21
    # The ingest driver's near-duplicate index holds the articles published within this many days
    # of the newest one (and undated ones); older signatures stay in the database.  Wire copies run
    # within days of the original (BASIL's and our fixtures' copies: same day to a week), and a
    # republication a month later is rare enough to count as coverage; memory then follows the
    # news rate (~1.5 KB per held article) instead of the corpus.  0 keeps every signature.
    neardup_memory_days: int = 30
    # The grid reports two outlets' wordings as disagreeing only when the claim-pair model gives
    # the two claims at least this probability of stating one fact (analysis.align.SameFact):
    # a wrong grouping makes two true sentences look contradictory.  Chosen on the dev part of
    # data/align_gold.jsonl: of the 93 cross-outlet pairs the grid groups, 84% are one gold fact;
    # at >= 0.5 92%, at >= 0.8 96.5% (the first value past 95%: wrong groupings halved).  On the
    # conflict gold dev + dev2 it keeps 2 of the 3 real conflicts the rules find (0.5 keeps 3;
    # neither lets a false one through), the price of precision first.
    conflict_same_fact: float = 0.8

    # Below this probability of the pronoun antecedent ranker (analysis.speaker_salience) "he" /
    # "she" stays unresolved rather than put in a mouth.  None: the threshold stored with the model,
    # chosen on PolNeAR dev (right - 2 x wrong answers; models/restricted/SPEAKERS.md).
    speaker_pronoun_min_confidence: float | None = None
    # Where story candidates are searched (parallax.stories.candidates): "pgvector" keeps story
    # centroids in the PostgreSQL database (shared by every driver; needs the vector extension),
    # "local" in each driver's memory (usearch), "auto" pgvector when the store is PostgreSQL
    # with the extension, else local.  Both give the same stories (tests/test_pgvector.py).
    # PARALLAX_STORY_ANN sets it for a run (the growth bench measures both on one server).
    story_ann: str = field(default_factory=lambda: os.environ.get("PARALLAX_STORY_ANN") or "auto")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_UNIT = ("align_threshold", "align_embedding_weight", "max_binary_ratio", "story_join_probability",
         "story_merge_probability", "story_split_probability", "event_cover", "event_lead_decay",
         "speaker_min_confidence",
         "partial_match", "conflict_same_fact")
_POSITIVE = ("max_file_bytes", "max_article_chars", "batch_size", "story_candidates", "story_max_terms",
             "story_exemplars", "story_side_cache")
_NON_NEGATIVE = ("min_text_chars", "story_window_days", "workers", "event_lead_sentences", "summary_facts",
                 "framing_threshold", "fact_min_words", "story_idf_refresh", "story_memory_days",
                 "neardup_memory_days")


def _check(o: Options) -> None:
    """Raise OptionsError for the first field out of range (one clear line naming it)."""
    for name in _UNIT:
        v = getattr(o, name)
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0.0 <= v <= 1.0:
            raise OptionsError(f"Options.{name} must be a number between 0 and 1, got {v!r}")
    for name in _POSITIVE + _NON_NEGATIVE:
        v = getattr(o, name)
        low = 1 if name in _POSITIVE else 0
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v < low:
            what = "1 or more" if low else "0 or more"
            raise OptionsError(f"Options.{name} must be {what}, got {v!r}")
    v = o.speaker_pronoun_min_confidence
    if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool) or not 0.0 <= v <= 1.0):
        raise OptionsError(f"Options.speaker_pronoun_min_confidence must be None or between 0 and 1, got {v!r}")
    if o.story_ann not in ("auto", "local", "pgvector"):
        raise OptionsError(f"Options.story_ann must be auto, local or pgvector, got {o.story_ann!r}")
    if o.story_space not in ("english", "multilingual"):
        raise OptionsError(f"Options.story_space must be english or multilingual, got {o.story_space!r}")
    if o.embed_backend not in EMBED_BACKENDS:
        raise OptionsError(f"Options.embed_backend must be one of {', '.join(EMBED_BACKENDS)}, got "
                           f"{o.embed_backend!r}")
    if not isinstance(o.embed_sentences, bool):
        raise OptionsError(f"Options.embed_sentences must be True or False, got {o.embed_sentences!r}")


DEFAULT = Options()
