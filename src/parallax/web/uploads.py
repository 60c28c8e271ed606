"""Uploaded files to articles, under the names the user gave them.

An upload is written to a fresh temporary folder of its own under a cleaned version of its
client-side name (the last path component, control characters and leading dots removed), so no
path from the request reaches the file system, the format is detected from the real extension
and the outlet from the real name.  Articles and failures then carry that name, not the
temporary path: ``parallax failures`` and the ingest page show ``nyt-2024.html``, not
``/tmp/parallax-upload-x/upload-0.txt``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .. import errors
from ..ingest import read_file
from ..model import Article
from ..options import DEFAULT, Options

__all__ = ["display_name", "save_upload", "read_uploads"]

_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def display_name(filename: str | None, k: int) -> str:
    """The client's file name, reduced to something safe to show and to use as a file name."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", name).strip().lstrip(".").strip()[:120]
    return name or f"upload-{k}.txt"


def save_upload(tmp: str | Path, k: int, filename: str | None, data: bytes) -> tuple[str, str]:
    """Write one upload; returns (temporary path, name to show)."""
    shown = display_name(filename, k)
    folder = Path(tmp) / str(k)
    folder.mkdir()
    target = folder / shown
    target.write_bytes(data)
    return str(target), shown


def read_uploads(saved: list[tuple[str, str]], options: Options = DEFAULT) -> list[Article | errors.InputError]:
    """Articles and failures of the saved uploads, named as the user named the files."""
    out: list[Article | errors.InputError] = []
    for path, shown in saved:
        try:
            arts, fails = read_file(path, options)
        except errors.InputError as exc:
            out.append(errors.InputError(shown, exc.reason))
            continue
        except (OSError, MemoryError, RecursionError, ValueError) as exc:
            out.append(errors.InputError(shown, f"could not read ({type(exc).__name__})"))
            continue
        out.extend(errors.InputError(shown, f.reason) for f in fails)
        out.extend(replace(a, path=shown) for a in arts)
    return out
