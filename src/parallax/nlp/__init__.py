"""Language processing shared by every stage: one spaCy parse and one set of sentence
embeddings per article, computed once and reused."""

from .pipeline import Parsed, load_spacy, parse, parse_many

__all__ = ["Parsed", "load_spacy", "parse", "parse_many"]
