"""Parse a JSONL corpus once and keep the spaCy docs on disk, so training runs re-read them.

What: ``parsed_records(path, split, cache)`` returns ``(record, Parsed)`` pairs for the records of
``split``, parsing with Parallax's own pipeline (:func:`parallax.nlp.pipeline.parse_many`) and
storing the docs in a ``DocBin`` keyed by the file's sha256 and the split.
Why: parsing PolNeAR's train split takes minutes on a shared CPU; feature and model changes
should not pay that again.  The cache holds derived data of the corpus and stays outside the
repository (``$PARALLAX_CACHE`` or ``~/.cache/parallax``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from ..bench.metrics import read_jsonl
from ..model import Article


CHUNK = 84  # records per cache file: a partial run keeps what it parsed


def cache_dir() -> Path:
    return Path(os.environ.get("PARALLAX_CACHE", Path.home() / ".cache" / "parallax"))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def parsed_records(path: Path, split: str, cache: Path | None = None,
                   max_records: int | None = None) -> list[tuple[dict[str, Any], Any]]:
    """Records of ``split`` (the first ``max_records``) with their parse, from the on-disk cache
    (chunks of ``CHUNK`` records) when it matches."""
    from spacy.tokens import DocBin

    from ..nlp.pipeline import load_spacy, parse_many
    from ..nlp.sentences import build_sentences

    path = Path(path)
    records = [r for r in read_jsonl(path, required=("text",)) if split in ("all", r.get("split"))]
    records = records[:max_records] if max_records else records
    cache = cache or cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    digest = file_sha256(path)[:12]
    nlp = load_spacy()
    out: list[tuple[dict[str, Any], Any]] = []
    for k in range(0, len(records), CHUNK):
        chunk = records[k:k + CHUNK]
        binfile = cache / f"{path.stem}-{split}-{digest}-{k // CHUNK}.spacy"
        if binfile.is_file():
            docs = list(DocBin().from_disk(binfile).get_docs(nlp.vocab))
            if len(docs) == len(chunk) and all(d.text == r["text"] for d, r in zip(docs, chunk)):
                out += [(r, _parsed(r, d, build_sentences)) for r, d in zip(chunk, docs)]
                continue
        parsed = parse_many([Article.new(r["text"]) for r in chunk], batch_size=16)
        DocBin(store_user_data=False, docs=[p.doc for p in parsed]).to_disk(binfile)
        out += list(zip(chunk, parsed))
    return out


def _parsed(rec: dict[str, Any], doc: Any, build_sentences: Any) -> Any:
    from dataclasses import replace

    from ..nlp.pipeline import Parsed

    art = Article.new(rec["text"])
    return Parsed(replace(art, sentences=build_sentences(doc)), doc)
