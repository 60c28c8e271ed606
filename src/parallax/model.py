"""Every record type Parallax produces, as plain dataclasses.

This module is the project's contract: stages read these records and return new ones, the
reports render them and the JSON output is exactly their ``to_dict()``.  It imports nothing from
the package so that any stage, worker process or notebook can use it alone.

Offsets are Python string indices (code points) into ``Article.text``, end exclusive, so
``article.text[span.start:span.end] == span.text`` always holds.
"""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

T = TypeVar("T", bound="Record")


def content_id(text: str) -> str:
    """The stable id of an article: a short hash of its normalised text."""
    norm = " ".join(text.split()).casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


class Record:
    """Mixin giving dataclasses a lossless round trip through plain dicts (and so JSON)."""

    _hints: ClassVar[dict[type, dict[str, Any]]] = {}

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _dump(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        hints = Record._hints.get(cls)
        if hints is None:
            hints = typing.get_type_hints(cls)
            Record._hints[cls] = hints
        kwargs = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name in data:
                kwargs[f.name] = _load(hints[f.name], data[f.name])
        return cls(**kwargs)


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _load(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _load(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        return [_load(args[0], v) for v in value]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], v) for v in value)
        return tuple(_load(a, v) for a, v in zip(args, value))
    if origin is dict:
        return {k: _load(args[1], v) for k, v in value.items()}
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_dict(value)
    return value


@dataclass(frozen=True)
class Span(Record):
    """A piece of an article's text with its character offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence(Record):
    """One sentence. ``kind`` is ``body`` for running text, ``caption`` for picture captions,
    credits and headings that are not part of the reporting; ``paragraph`` counts from 0."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0
    kind: str = "body"


@dataclass(frozen=True)
class Mention(Record):
    """A named-entity mention. ``actor`` is the canonical actor name it was resolved to."""

    start: int
    end: int
    text: str
    label: str
    sentence: int
    actor: str = ""
    role: str = ""  # the role the text gives a person here ("interior minister"), if any


@dataclass(frozen=True)
class Quote(Record):
    """A statement attributed to a speaker.

    ``kind`` is ``direct`` (inside quote marks), ``mixed`` (a reported clause carrying quoted
    words; ``parts`` holds them), ``indirect`` ("X said that ...") or ``block``.
    ``speaker`` is the canonical name the speaker resolved to; when ``resolved`` is False the
    speaker could not be tied to a named person or organisation and ``speaker`` repeats the
    text as written.  ``method`` says how the speaker was found, for transparency.
    """

    content: Span
    speaker: str
    speaker_span: Span | None
    cue: Span | None
    kind: str
    sentence: int
    resolved: bool
    method: str = ""
    # the verbatim (quote-marked) pieces of the content: the whole content of a ``direct`` quote,
    # the quoted words inside a ``mixed`` one ("X said the plan was "dead on arrival""); empty
    # for ``indirect`` and ``block`` quotes
    parts: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Source(Record):
    """A source an article's reporting rests on ("told Bloomberg", "according to Reuters")."""

    name: str
    kind: str  # outlet | agency | document | official | other
    cue: str  # the pattern that revealed it: told, reports, according to, ...
    span: Span
    sentence: int
    evidence: str


@dataclass(frozen=True)
class Flag(Record):
    """A sentence that editorialises rather than reports, with the words and the reasons."""

    sentence: int
    text: str
    score: float
    reasons: list[str]
    words: list[Span] = field(default_factory=list)
    label: str = ""  # opinion | mixed (reporting sentences are not flagged)
    probability: float = 0.0  # how likely the sentence is the outlet's opinion, 0..1
    techniques: list[Technique] = field(default_factory=list)  # propaganda techniques, with spans


@dataclass(frozen=True)
class Technique(Record):
    """A propaganda technique (PTC / SemEval-2020 Task 11 name, e.g. ``Loaded_Language``) found
    on a span of the outlet's own words, with the reason in plain words."""

    technique: str
    span: Span
    reason: str = ""
    probability: float = 1.0


@dataclass(frozen=True)
class Tone(Record):
    """An outlet's tone toward one actor across a story: ``score`` from -1 (hostile) to +1
    (favourable), from the outlet's own sentences that mention the actor (quotes excluded)."""

    actor: str
    outlet: str
    score: float
    sentences: int  # sentences of the outlet's own voice that mention the actor
    negative: list[SentenceRef] = field(default_factory=list)
    positive: list[SentenceRef] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # the charged words behind the score


@dataclass(frozen=True)
class Relation(Record):
    """A directed, typed edge between two actors with the sentence that asserts it."""

    subject: str
    predicate: str
    object: str
    polarity: int  # +1 supportive, -1 hostile, 0 neutral
    sentence: int
    evidence: str
    article_id: str = ""
    negated: bool = False
    hedged: bool = False
    outlet: str = ""  # the outlet whose article asserts it (set when articles are compared)
    date: str = ""  # that article's publication date, when known


@dataclass(frozen=True)
class Actor(Record):
    """A canonical actor: all mentions of one person, organisation or place merged."""

    name: str
    type: str  # person | organisation | country | place | group | other
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    by_outlet: dict[str, int] = field(default_factory=dict)
    role: str = ""
    # related actors kept apart, not merged: a nationality and its country ("Russian" -> "Russia")
    links: list[str] = field(default_factory=list)
    # canonical key: the same actor has the same key in every outlet, story and database
    key: str = ""


@dataclass(frozen=True)
class Article(Record):
    """One news article and, once analysed, its annotations.

    Stages never mutate an article: ``parallax.pipeline.analyze`` returns a copy with the
    annotation lists filled in.
    """

    id: str
    text: str
    outlet: str = ""
    title: str = ""
    url: str = ""
    published: str = ""
    path: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    story_id: str = ""  # set by the story engine
    near_duplicate_of: str = ""  # id of the article this one copies (wire copy, republication)
    # ISO 639-1 code of the text's language ("" = not detected yet, or too short to tell)
    language: str = ""
    # what the analysis could not do for this article, in plain words ("quotes: English rules only,
    # not run on de text"), so a report never passes silence off as a finding
    limits: list[str] = field(default_factory=list)

    @classmethod
    def new(cls, text: str, **meta: Any) -> Article:
        """Build an article from raw text and metadata, its id the hash of its text."""
        return cls(id=content_id(text), text=text, **meta)

    @property
    def label(self) -> str:
        """Short human label: the outlet, else the title, else the id."""
        return self.outlet or self.title[:40] or self.id

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class SentenceRef(Record):
    """A pointer to one sentence of one article, with its text for display."""

    article_id: str
    outlet: str
    sentence: int
    text: str
    # the claim's offsets in the article (a sentence or an independent clause of it); -1 = unknown
    start: int = -1
    end: int = -1
    frame: str = ""  # the reporting frame set apart from the content ("officials said")
    # grid cell: reported | partial (reported in part) | differs (details disagree with others)
    status: str = "reported"
    score: float = 0.0  # best match score with another member of its fact group


@dataclass(frozen=True)
class Claim(Record):
    """A fact group: sentences from different articles that report the same thing.

    ``support`` is the share of articles that carry it; ``score`` the mean pairwise match score.
    A claim with one member is reported by one outlet only.
    """

    members: list[SentenceRef]
    support: float
    score: float = 0.0
    # core (carried by most outlets) | shared (by several) | single (one outlet) | commentary
    kind: str = ""
    conflicts: list[Conflict] = field(default_factory=list)
    # the fact's number in the claim grid (1-based, = its index in ``Comparison.facts`` + 1); the
    # heat-map, the HTML report, the terminal and the JSON all use this one numbering
    number: int = 0

    @property
    def outlets(self) -> list[str]:
        return sorted({m.outlet for m in self.members})

    @property
    def lead(self) -> SentenceRef:
        """The wording shown for the fact: the member placed earliest in its article."""
        return min(self.members, key=lambda m: (m.sentence, m.outlet))


@dataclass(frozen=True)
class Conflict(Record):
    """Two outlets' claims of one fact whose details disagree, with both wordings.

    ``kind`` is ``number``, ``date``, ``place``, ``actor`` or ``negation``; ``severity`` is
    ``contradiction`` or ``precision`` (compatible figures given with different precision,
    "more than a thousand" vs "1,200"); ``fact`` indexes ``Comparison.facts``."""

    kind: str
    outlet_a: str
    outlet_b: str
    detail_a: str
    detail_b: str
    text_a: str
    text_b: str
    severity: str = "contradiction"
    fact: int = -1


@dataclass(frozen=True)
class QuoteGroup(Record):
    """Everything one speaker is quoted saying across the compared articles."""

    speaker: str
    quotes: list[tuple[str, Quote]]  # (outlet, quote)
    shared: list[list[str]] = field(default_factory=list)  # quote texts said alike across outlets
    matches: list[QuoteMatch] = field(default_factory=list)  # pairs across outlets, with how alike
    single: list[int] = field(default_factory=list)  # indices of quotes found in one outlet only
    resolved: bool = True  # False: the speaker is a pronoun or role no article ties to a name


@dataclass(frozen=True)
class Comparison(Record):
    """The result of comparing a set of articles about one event."""

    articles: list[Article]
    event: str
    event_outlets: list[str]
    shared: list[Claim]
    unique: dict[str, list[SentenceRef]]
    quotes: list[QuoteGroup]
    sources: dict[str, list[str]]  # source name -> outlets citing it
    actors: list[Actor]
    relations: list[Relation]
    similarity: list[list[float]]
    options: dict[str, Any] = field(default_factory=dict)
    relays: list[Relay] = field(default_factory=list)  # cited outlets/agencies and who relays them
    # the actor network: {"nodes": [...], "edges": [...]} from ``analysis.graph.graph_json``
    graph: dict[str, Any] = field(default_factory=dict)
    # the claim grid: every fact group (rows) over the outlets (columns), core facts first
    facts: list[Claim] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    omissions: dict[str, list[int]] = field(default_factory=dict)  # outlet -> core facts it lacks
    summary: str = ""  # extractive summary of the core facts, outlets cited in brackets
    summary_outlets: list[str] = field(default_factory=list)
    tone: list[Tone] = field(default_factory=list)  # per outlet, per main actor (analysis.tone)
    # articles left out because a stage raised on them: {"source": ..., "reason": ...}
    failures: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Story(Record):
    """A real-world event and the articles that report it."""

    id: str
    title: str
    first_published: str = ""
    last_published: str = ""
    n_articles: int = 0
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # ISO 639-1 codes of its articles


@dataclass(frozen=True)
class FlowStep(Record):
    """One article in a story's timeline: who published when, and whether it copies another."""

    article_id: str
    outlet: str
    title: str
    published: str
    lag_hours: float | None  # hours after the story's first article; None when undated or either date is day-only
    copy_of: str = ""  # article id this one near-duplicates
    copy_of_outlet: str = ""
    precision: str = "minute"  # "day" when the stored date has no time part, "" when undated
    lag_days: int | None = None  # calendar days after the first article (set whenever dated)
    lag: str = ""  # the lag as a reader sees it: "first", "same day", "+1 day", "+3.5 h"


@dataclass(frozen=True)
class StoryFlow(Record):
    """How a story spread: the first publisher, the followers in order, and the copies."""

    story_id: str
    first_outlet: str
    steps: list[FlowStep]
    independent_outlets: list[str]  # outlets with at least one article that is not a copy
    copy_only_outlets: list[str]  # outlets that only republished others' articles
    first_outlets: list[str] = field(default_factory=list)  # all outlets tied for first at the data's precision
    first_precision: str = ""  # "day" when the first place is only known to the day


@dataclass(frozen=True)
class QuoteMatch(Record):
    """Two quotes of one speaker in two outlets and how they relate: ``kind`` is ``verbatim``,
    ``near-verbatim`` (edited) or ``paraphrase``; ``a``/``b`` index ``QuoteGroup.quotes``; the
    cue verbs and renderings (direct, mixed, indirect, block) of both sides are kept."""

    a: int
    b: int
    outlet_a: str
    outlet_b: str
    kind: str
    score: float
    cue_a: str = ""
    cue_b: str = ""
    rendering_a: str = ""
    rendering_b: str = ""


@dataclass(frozen=True)
class Relay(Record):
    """An outlet or agency cited across a story: the outlets relaying it, one evidence sentence
    per outlet, and those of them with no first-hand reporting of their own."""

    source: str
    kind: str  # outlet | agency
    outlets: list[str]
    evidence: dict[str, str] = field(default_factory=dict)
    second_hand_only: list[str] = field(default_factory=list)
