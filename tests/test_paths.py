"""Folder walking and glob expansion (issue 16, item 3): links to directories are followed, but no
directory is entered twice, depth is capped, and globs match what ``glob.glob`` matches on an
ordinary tree."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parallax import errors
from parallax.ingest.paths import expand_glob, walk
from parallax.options import Options
from parallax.workflows.batch import _read, expand_paths

ROOT = Path(__file__).resolve().parents[1]
GOOD = json.dumps({"text": "The harbour council met on Monday to approve the new ferry timetable for the winter.",
                   "outlet": "x"}) + "\n"


def _loop_folder(tmp_path: Path, links: int = 2) -> Path:
    g = tmp_path / "g"
    g.mkdir()
    (g / "a.jsonl").write_text(GOOD, encoding="utf-8")
    os.symlink(".", g / "dot")
    if links > 1:
        os.symlink("../g", g / "up")
    return g


def test_symlink_loops_do_not_hang_and_each_file_comes_once(tmp_path):
    """The reproduction of the issue, in a child process with a time limit (the old recursive
    glob never returned, its memory growing)."""
    g = _loop_folder(tmp_path)
    code = ("import json, sys; from parallax.workflows.batch import expand_paths; "
            "print(json.dumps([str(x) for x in expand_paths(sys.argv[1:])]))")
    res = subprocess.run([sys.executable, "-c", code, f"{g}/**/*.jsonl", str(g), f"{g}/*"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)  # generous: imports alone take
    # a minute on an overloaded machine; the old walk never returned
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == [str(g / "a.jsonl")] * 3


def test_one_loop_link_reads_the_file_once(tmp_path):
    g = _loop_folder(tmp_path, links=1)
    arts = [a for a in _read([f"{g}/**/*.jsonl"], Options()) if not isinstance(a, errors.InputError)]
    assert len(arts) == 1  # was 41 with glob.glob(recursive=True)
    assert [str(p) for p, _ in walk(g)] == [str(g / "a.jsonl")]


def test_links_to_other_folders_are_followed_once(tmp_path):
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "sub" / "b.txt").write_text("x", encoding="utf-8")
    top = tmp_path / "top"
    top.mkdir()
    os.symlink(real, top / "l1")
    os.symlink(real, top / "l2")  # the same folder twice: entered once
    assert [str(p) for p, _ in walk(top)] == [str(top / "l1" / "sub" / "b.txt")]


def test_depth_is_capped_and_reported(tmp_path):
    deep = tmp_path / "d"
    cur = deep
    for k in range(12):
        cur = cur / f"l{k}"
    cur.mkdir(parents=True)
    (cur / "x.txt").write_text("x", encoding="utf-8")
    (deep / "top.txt").write_text("y", encoding="utf-8")
    out = list(expand_paths([deep], max_depth=5))
    assert str(deep / "top.txt") in out
    errs = [o for o in out if isinstance(o, errors.InputError)]
    assert len(errs) == 1 and "too deeply" in errs[0].reason
    assert str(cur / "x.txt") in list(expand_paths([deep], max_depth=12))
    assert any(isinstance(o, errors.InputError) for o in expand_glob(f"{deep}/**/*.txt", max_depth=5))


def _tree(tmp_path: Path) -> Path:
    t = tmp_path / "t"
    for rel in ("a.txt", "b.jsonl", "ab/c.txt", "ab/deep/d.txt", "x/y/z/e.txt", "x/f.html", "[k]/g.txt",
                ".hidden/h.txt", ".i.txt", "x/.j.txt"):
        (t / rel).parent.mkdir(parents=True, exist_ok=True)
        (t / rel).write_text("z", encoding="utf-8")
    return t


def _glob_files(pattern: str) -> list[str]:
    """What the old expansion gave: glob.glob, folders replaced by their (non-hidden) files."""
    out = []
    for m in sorted(glob.glob(pattern, recursive=True)):
        if os.path.isdir(m):
            out += sorted(str(f) for f in Path(m).rglob("*") if f.is_file()
                          and not any(x.startswith(".") for x in f.relative_to(m).parts))
        else:
            out.append(m)
    return list(dict.fromkeys(out))


@pytest.mark.parametrize("pattern", ["*.txt", "*", "*/*.txt", "**/*.txt", "**", "a?", "[ab]*", "x/**/*.txt",
                                     "x/*", "[!a]*", "*/deep/*", "ab/**", "nothing*", "**/e.txt"])
def test_glob_matches_like_glob_glob_on_an_ordinary_tree(tmp_path, pattern):
    t = _tree(tmp_path)
    ours = [str(p) for p in expand_glob(f"{t}/{pattern}")]
    assert sorted(ours) == sorted(_glob_files(f"{t}/{pattern}"))
    assert len(ours) == len(set(ours))
