"""Coverage-guided fuzz target (atheris) over every Parallax reader.

    .venv/bin/pip install atheris
    .venv/bin/python fuzz/fuzz_readers.py -max_total_time=300 -rss_limit_mb=2048 -timeout=20 fuzz/corpus

The first input byte picks the reader's file extension (text, HTML, JSONL, RSS/Atom, none =
sniffed); the rest is the file.  The contract is the one of tests/test_fuzz_readers.py: an
InputError naming the file is a fine outcome, any other exception is a crash, and every
article must be storable.  Figures of the runs are in docs/reliability.md.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
from dataclasses import replace

import atheris

# Only Parallax itself is instrumented: instrumenting lxml/trafilatura/feedparser too makes start-up
# take minutes on a shared machine, and the third-party parsers are exercised either way.
with atheris.instrument_imports(include=["parallax"]):
    from parallax import errors
    from parallax.ingest import read_file
    from parallax.options import DEFAULT

logging.disable(logging.CRITICAL)  # trafilatura logs every broken page
EXTS = ["txt", "html", "jsonl", "xml", "rss", "atom", "md", ""]
OPTS = replace(DEFAULT, max_file_bytes=1_000_000, max_article_chars=100_000)
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_DIR = tempfile.mkdtemp(prefix="parallax-atheris-")


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    ext = EXTS[data[0] % len(EXTS)]
    path = os.path.join(_DIR, "input." + ext if ext else "input")
    with open(path, "wb") as fh:
        fh.write(data[1:])
    try:
        arts, fails = read_file(path, OPTS)
    except errors.InputError as exc:
        assert path in str(exc) and exc.reason
        return
    for f in fails:
        assert isinstance(f, errors.InputError) and path in str(f)
    for a in arts:
        assert len(a.text) <= OPTS.max_article_chars and not _BAD.search(a.text)
        for v in (a.text, a.title, a.outlet, a.url, a.published):
            v.encode("utf-8")


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
