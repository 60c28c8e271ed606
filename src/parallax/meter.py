"""Progress of long work as a person reads it: done / total, rate and time left.

What: :func:`count_inputs` counts what an ingest will read when that is cheap (lines of JSONL
files, files in folders; nothing is parsed), so a progress display has a total instead of "0/?".
:class:`Meter` counts work done and phrases it ("ingesting: 120/1,500 (8%) · 3.2/s · about
7 min left"); when the output is not a terminal (a log file, a pipe, CI) it writes that line to
its stream every ``every`` seconds and at each 10 % step, plus a last line with the total time,
so a log shows the work moving without a redrawn bar.

Why a count first: a total only costs a read of the JSONL bytes (a few ms per 10 MB); inputs
whose count would need fetching or parsing (URLs, feeds, stdin) leave the total unknown and the
meter says so instead of guessing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from .ingest.paths import expand_glob, is_glob, walk

# files whose record count is their number of non-empty lines
_LINE_FILES = (".jsonl", ".ndjson", ".jsonl.gz")
# files that may hold many articles whose count needs parsing (feeds, sitemaps, CSV, archives)
_MANY = (".xml", ".rss", ".atom", ".csv", ".tsv", ".json", ".zip", ".tar", ".gz", ".warc")


def _lines(path: Path) -> int:
    n = 0
    last = b"\n"
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


def _count_file(path: Path) -> int | None:
    name = path.name.lower()
    if name.endswith(_LINE_FILES[:2]):
        return _lines(path)
    if name.endswith(_MANY):
        return None
    return 1


def count_inputs(items: Iterable[str | os.PathLike]) -> int | None:
    """How many articles the inputs hold, when cheap to know; None when any input needs fetching
    or parsing to tell (URLs, ``-``, feeds, CSV, archives) or cannot be read."""
    total = 0
    for item in items:
        s = str(item)
        if s == "-" or "://" in s:
            return None
        paths: Iterable = expand_glob(s) if is_glob(s) else (
            (p for p, _ in (x for x in walk(s) if isinstance(x, tuple))) if os.path.isdir(s) else [Path(s)])
        for p in paths:
            if not isinstance(p, Path):
                continue
            try:
                n = _count_file(p)
            except OSError:
                return None
            if n is None:
                return None
            total += n
    return total


def _duration(seconds: float) -> str:
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s" if s < 600 else f"{round(s / 60)} min"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class Meter:
    """Work done against a total (when known), with rate and time left; thread-safe.

    ``stream``: where plain lines go (None = nowhere, e.g. when a terminal bar shows instead)."""

    def __init__(self, label: str, total: int | None = None, stream: IO[str] | None = None,
                 every: float = 10.0, clock: Callable[[], float] = time.monotonic):
        self.label, self.total, self.stream, self.every, self.clock = label, total, stream, every, clock
        self.done = 0
        self.start = clock()
        self._last_line = self.start
        self._last_step = 0
        self._lock = threading.Lock()

    def set_total(self, total: int | None) -> None:
        self.total = total

    def rate(self) -> float:
        elapsed = self.clock() - self.start
        return self.done / elapsed if elapsed > 0 else 0.0

    def left(self) -> float | None:
        """Seconds left at the rate so far (None when the total or the rate is unknown)."""
        r = self.rate()
        if not self.total or r <= 0:
            return None
        return max(self.total - self.done, 0) / r

    def line(self) -> str:
        if self.total:
            head = f"{self.label}: {self.done:,}/{self.total:,} ({min(100, 100 * self.done // self.total)}%)"
        else:
            head = f"{self.label}: {self.done:,} (total unknown)"
        r = self.rate()
        parts = [head, f"{r:.1f}/s" if r else "starting"]
        left = self.left()
        if left is not None and self.done:
            parts.append(f"about {_duration(left)} left")
        return " · ".join(parts)

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            if self.stream is None:
                return
            now = self.clock()
            step = 10 * self.done // self.total if self.total else 0
            if now - self._last_line >= self.every or step > self._last_step:
                self._last_line, self._last_step = now, step
                print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        """The last plain line: how much, how long, how fast."""
        if self.stream is not None:
            elapsed = self.clock() - self.start
            print(f"{self.label}: done, {self.done:,} in {_duration(elapsed)} ({self.rate():.1f}/s)",
                  file=self.stream, flush=True)
