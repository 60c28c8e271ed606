"""Input paths to files: folder walking and glob expansion, one implementation for both.

    walk("archive/")            -> every file below, in sorted order, hidden names skipped
    expand_glob("g/**/*.jsonl") -> the files the pattern matches (a matched folder: its files)

Why one walker of our own instead of ``Path.rglob`` and ``glob.glob(recursive=True)``: both
follow links to directories without remembering where they have been, so a folder holding
``ln -s . dot`` and ``ln -s ../g up`` is walked again through every combination of links -
the same file read dozens of times, or memory growing until the machine gives up.  Here every
directory is entered at most once, identified by (device, inode), whichever path leads to it,
and the depth below the starting folder is capped (``Options.max_folder_depth``).  A folder
that is too deep or cannot be listed is reported as an :class:`~parallax.errors.InputError`
in the stream, never skipped silently and never fatal.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .. import errors
from ..options import DEFAULT

__all__ = ["walk", "expand_glob", "is_glob"]

_MAGIC = re.compile(r"[*?\[]")
TOO_DEEP = "folder nested too deeply (limit {limit} levels); not read"


def is_glob(s: str) -> bool:
    return bool(_MAGIC.search(s))


def _hidden(name: str) -> bool:
    return name.startswith(".")


def walk(root: str | os.PathLike, max_depth: int = DEFAULT.max_folder_depth,
         descend: Callable[[tuple[str, ...]], bool] | None = None,
         ) -> Iterator[tuple[Path, tuple[str, ...]] | errors.InputError]:
    """``(path, parts relative to root)`` of every non-hidden file below ``root``, depth first
    in name order (the order of sorting the paths), plus an InputError per folder skipped.

    Links are followed, but a directory already entered (same device and inode) is not entered
    again, and a file already yielded is not yielded again.  ``descend(parts)`` may refuse a
    sub-folder (glob patterns prune with it)."""
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()

    def visit(folder: str, rel: tuple[str, ...]) -> Iterator[tuple[Path, tuple[str, ...]] | errors.InputError]:
        try:
            st = os.stat(folder)
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                return
            seen_dirs.add(key)
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield errors.InputError(folder, f"could not list folder ({exc.strerror or type(exc).__name__})")
            return
        for e in entries:
            if _hidden(e.name):
                continue
            sub = rel + (e.name,)
            try:
                is_dir = e.is_dir()  # follows links
                is_file = not is_dir and e.is_file()
            except OSError:
                continue  # vanished, or a link loop the OS refuses to resolve
            if is_dir:
                if descend is not None and not descend(sub):
                    continue
                if len(sub) > max_depth:
                    yield errors.InputError(e.path, TOO_DEEP.format(limit=max_depth))
                    continue
                yield from visit(e.path, sub)
            elif is_file:
                try:
                    fst = e.stat()
                except OSError:
                    continue
                fkey = (fst.st_dev, fst.st_ino)
                if fkey not in seen_files:
                    seen_files.add(fkey)
                    yield Path(e.path), sub

    yield from visit(os.fspath(root), ())


def _segment(part: str) -> str:
    """Regex for one glob path segment: ``*`` and ``?`` never cross a ``/``."""
    out, i = [], 0
    while i < len(part):
        c = part[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = part.find("]", i + 2 if part[i + 1:i + 2] in ("!", "]") else i + 1)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = part[i + 1:j]
                neg = body.startswith("!")
                body = body[1:] if neg else body
                out.append("[" + ("^/" if neg else "") + body.replace("\\", "\\\\") + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _pattern(parts: Sequence[str]) -> re.Pattern[str]:
    rx = ""
    for k, part in enumerate(parts):
        last = k == len(parts) - 1
        if part == "**":
            rx += ".*" if last else "(?:[^/]+/)*"
        else:
            rx += _segment(part) + ("" if last else "/")
    return re.compile(rx, re.S)


def expand_glob(pattern: str, max_depth: int = DEFAULT.max_folder_depth) -> Iterator[Path | errors.InputError]:
    """Files matching ``pattern`` (``*``, ``?``, ``[...]``, ``**`` for any number of folders),
    in sorted order; a folder the pattern matches contributes its files.  Hidden names are not
    matched by wildcards (as in the shell).  Walks from the pattern's fixed leading part only."""
    p = Path(os.path.expanduser(pattern))
    parts = p.parts
    k = 0
    while k < len(parts) and not is_glob(parts[k]):
        k += 1
    base = Path(*parts[:k]) if k else Path(".")
    rest = [x for x in parts[k:] if x]
    if not rest or not base.is_dir():
        return
    full = _pattern(rest)
    prefixes = [_pattern(rest[:n]) for n in range(1, len(rest) + 1)]
    recursive = "**" in rest

    def matches(rel: tuple[str, ...]) -> bool:
        # the path itself or one of its folders matches the whole pattern
        return any(full.fullmatch("/".join(rel[:n])) for n in range(1, len(rel) + 1))

    def descend(rel: tuple[str, ...]) -> bool:
        if recursive:
            return True
        if len(rel) < len(rest):  # could still lead to a match
            return prefixes[len(rel) - 1].fullmatch("/".join(rel)) is not None
        return matches(rel)

    for item in walk(base, max_depth, descend):
        if isinstance(item, errors.InputError):
            yield item
        elif matches(item[1]):
            yield item[0]
