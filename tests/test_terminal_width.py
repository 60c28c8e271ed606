"""The terminal report fits 80 columns (issue 23): no column header cut, no word of the articles
split across lines, no fact text shrunk to "T…", quote pairings show both quotes, and
`--width` forces the layout width."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from parallax.model import Article
from parallax.report import print_report
from parallax.report.fit import Col, fit_table

BOX = re.compile(r"[│┃━─┏┓┗┛┡┩┣┫╇╋┳┻┠┨┯┷┿╂╭╮╯╰└┘┌┐├┤┬┴┼═║╔╗╚╝]")


@pytest.fixture(scope="module")
def reference(example_paths):
    from parallax.compare import compare, load
    from parallax.options import DEFAULT

    articles, _ = load(example_paths, DEFAULT, "")
    return compare(articles, DEFAULT), articles


def _render(comparison, width: int) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    print_report(comparison, console)
    return console.export_text()


def _tokens(text: str) -> list[str]:
    return BOX.sub(" ", text).split()


def _header_cells(text: str) -> set[str]:
    """The cells of every table header row (rows drawn with the heavy ┃ separator)."""
    out = set()
    for line in text.splitlines():
        if "┃" in line:
            out.update(cell.strip() for cell in line.split("┃") if cell.strip())
    return out


def test_reference_at_80_columns_cuts_no_header_and_splits_no_word(reference):
    comparison, articles = reference
    narrow, wide = _render(comparison, 80), _render(comparison, 1000)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    heads = _header_cells(narrow)
    outlets = [a.label for a in comparison.articles]
    for h in ["outlet", "words", "shared", "only here", "quotes", "sources", "flagged", "#", "kind", "fact",
              "actor", *outlets]:
        assert h in heads, (h, heads)
    assert not any(h.endswith("…") for h in heads)
    # Every token at 80 columns is a whole token of the same report laid out without width limits
    # (its fixed vocabulary and whole article words) or a word of the input texts.
    vocab = set(_tokens(wide)) | {w for a in articles for w in a.text.split()}
    fragments = [t for t in _tokens(narrow) if t not in vocab]
    assert not fragments, fragments[:20]
    # no cell ellipsised down to a few characters ("T…", "shar…")
    assert not [t for t in _tokens(narrow) if t.endswith("…") and len(t) > 1 and t not in vocab]


def test_quote_pairing_shows_both_quotes(reference):
    comparison, _ = reference
    text = " ".join(_render(comparison, 80).split())
    pairs = [(g, m) for g in comparison.quotes for m in getattr(g, "matches", [])]
    assert pairs, "the reference articles pair at least one quote"
    for g, m in pairs:
        for i in (m.a, m.b):
            first_words = " ".join(g.quotes[i][1].content.text.split()[:3])
            assert first_words in text


def test_width_option_forces_the_layout(reference, capsys):
    from parallax.cli_base import _emit_comparison

    comparison, _ = reference
    _emit_comparison(comparison, False, False, None, 60)
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 60


def test_unnamed_speaker_has_no_blank_line():
    from parallax.compare import compare

    a = Article.new('"We will rebuild the bridge by May," officials said on Monday after the flood.',
                    outlet="north")
    b = Article.new('"The bridge will be rebuilt by May," it was said on Monday after the flood.', outlet="south")
    text = _render(compare([a, b]), 80)
    for line in text.splitlines():
        assert not line.strip().startswith("(speaker unresolved)")


def test_fit_table_drops_columns_in_order_and_keeps_words_whole():
    cols = [Col("outlet"), Col("title", wrap=True, min=24), Col("words", justify="right"),
            Col("only here", justify="right")]
    rows = [["herald", "Shutdown-ending agreement reached after marathon talks", "812", "4"]]
    table, dropped = fit_table(40, cols, rows, drop_order=["title"])
    console = Console(width=40, record=True, file=io.StringIO(), color_system=None)
    console.print(table)
    out = console.export_text()
    assert dropped == ["title"] and "only here" in out and "Shutdown" not in out
    table, dropped = fit_table(60, cols, rows, drop_order=["title"])
    console = Console(width=60, record=True, file=io.StringIO(), color_system=None)
    console.print(table)
    toks = _tokens(console.export_text())
    assert dropped == [] and "Shutdown-ending" in toks and "marathon" in toks


NAMES = ["washingtonpost", "foxnews", "huffingtonpost", "reuters", "apnews", "guardian", "bbcnews", "aljazeera",
         "dw", "france24"]
BASE = ["Officials said the bridge over the Arno river in Florence closed on Monday after heavy flooding "
        "damaged its piers.", "Mayor Clara Rossi said repairs would take six weeks and cost 2 million euros.",
        "\"We will rebuild the bridge by May,\" Rossi told reporters.", "Residents complained about long detours."]


@pytest.mark.parametrize("n,width", [(3, 80), (10, 80), (10, 60)])
def test_many_outlets_fit_without_split_words(n, width):
    """Ten outlets with long names: headers become numbers with a key, symbols pack, tone falls
    back to one line per actor, and still no header is cut and no word split."""
    from parallax.compare import compare

    arts = [Article.new(" ".join(BASE[: 2 + (i % 3)]), outlet=NAMES[i],
                        title=f"Florence bridge closed after flooding, says {NAMES[i]}") for i in range(n)]
    comparison = compare(arts)
    narrow, wide = _render(comparison, width), _render(comparison, 1000)
    assert max(len(line) for line in narrow.splitlines()) <= width
    vocab = set(_tokens(wide)) | {w for a in arts for w in a.text.split()} | {w for a in arts for w in a.title.split()}
    vocab |= {f"{o}:" for o in NAMES} | {f"{i}={o}" for i, o in enumerate(NAMES, 1)}
    vocab |= {"columns:", "score", "-1", "+1", "…", "red", "green", "hostile", "favourable", "mentions", "outlets", "too", "narrow", "for:",
              "sources,", "flagged,", "quotes", "(widen", "the", "terminal", "or", "use", "--width)"}
    symbols_or_numbers = re.compile(r"^[■◧✕·]+$|^[\d.+\-()]+$")
    narrow_tokens = [t for t in _tokens(narrow) if not symbols_or_numbers.match(t)]
    fragments = [t for t in narrow_tokens if t not in vocab and t.rstrip(";:") not in vocab
                 and not symbols_or_numbers.match(t.rstrip(";:"))]
    assert not fragments, fragments[:20]
    heads = _header_cells(narrow)
    assert {"#", "kind", "actor"} <= heads and not any(h.endswith("…") for h in heads)
    if n == 10:
        assert "1=washingtonpost" in narrow  # the key names the numbered columns


@pytest.mark.parametrize("width", [80, 130])
def test_stories_table_keeps_dates_and_words_whole(capsys, monkeypatch, width):
    """The table helper behind `parallax stories`: no "2021-10-/18", no "shutdown-endin g"."""
    from parallax.cli_base import _emit_rows

    monkeypatch.setenv("COLUMNS", str(width))
    rows = [{"id": f"s00000{i}", "title": "Congress passes shutdown-ending spending bill after overnight "
                                          "negotiations between party leaders",
             "first_published": "2021-10-18", "last_published": "2021-10-19T22:15:00+00:00", "n_articles": 12,
             "outlets": ["washingtonpost", "foxnews", "huffingtonpost", "reuters"]} for i in range(3)]
    _emit_rows(rows, False, False, ["id", "title", "first_published", "last_published", "n_articles", "outlets"],
               "3 stories")
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= width
    words = {w for r in rows for v in r.values() for w in (v if isinstance(v, list) else str(v).split())}
    words |= {w.rstrip(",") + "," for w in words} | {"id:", "title:", "first:", "last:", "n:", "outlets:", "3", "stories"}
    words |= {"id", "title", "first", "last", "n", "outlets"}
    assert not [t for t in _tokens(out) if t not in words]
    assert "2021-10-19T22:15:00+00:00" in out and "shutdown-ending" in out
    assert ("┃" in out) == (width == 130)  # a table when it fits, else one block per story
