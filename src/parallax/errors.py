"""Typed exceptions with their user-facing messages, in one place.

Library code raises these; the CLI turns them into one clean line at the boundary
(``parallax: <file>: <reason>``) and a non-zero exit code.
"""

from __future__ import annotations


class ParallaxError(Exception):
    """Base class of every error Parallax reports to a user."""


class InputError(ParallaxError):
    """An input file could not be turned into articles.  ``str()`` names the file and reason."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):  # picklable across worker processes and Ray
        return (type(self), (self.path, self.reason))


class ModelMissingError(ParallaxError):
    """A language or embedding model package is not installed."""


class BenchDataError(ParallaxError):
    """Benchmark data is missing or not in the expected format."""


# Reasons, so tests and users see the same words.
EMPTY = "empty file"
BINARY = "looks like binary data, not text"
TOO_LARGE = "file too large ({size} bytes; limit {limit})"
NO_TEXT = "no article text found"
TOO_LONG = "article too long ({chars} characters; limit {limit})"
UNDECODABLE = "could not decode text (unknown encoding)"
UNSUPPORTED = "unsupported file type"
NOT_FOUND = "no such file"
BAD_JSON = "line {line}: invalid JSON ({detail})"
