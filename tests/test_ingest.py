"""Every reader, and every kind of bad input: one clear error naming the file, the batch goes on."""

from __future__ import annotations

import json

import pytest

from parallax import errors
from parallax.ingest import detect_format, outlet_from_path, read_file, read_many
from parallax.ingest.text import looks_like_title
from parallax.options import Options

from .conftest import EXAMPLES, FIXTURES


def test_plain_text_title_and_outlet():
    arts, fails = read_file(EXAMPLES / "zerohedge.txt")
    assert not fails and len(arts) == 1
    a = arts[0]
    assert a.title == "Libya Asks US To Establish Military Base To Combat Russian Presence"
    assert a.outlet == "zerohedge"
    assert a.text.startswith("This is all we need")
    assert "\n\n" not in a.text  # paragraphs separated by one newline


def test_plain_text_alt_text_first_line_is_not_a_title():
    a = read_file(EXAMPLES / "rt.txt")[0][0]
    assert a.title == ""
    assert a.text.startswith("hillary clinton visit libya")


@pytest.mark.parametrize("line,nxt,expected", [
    ("Quake Hits Northern Chile", "", True),
    ("Quake hits northern Chile", "", True),
    ("A strong quake hit Chile on Saturday.", "", False),
    ("hillary clinton visit libya", "© Reuters", False),
    ("Officials said the quake was strong and that many buildings were damaged across the region", "x", False),
])
def test_title_heuristic(line, nxt, expected):
    assert looks_like_title(line, nxt) is expected


def test_html_metadata_and_boilerplate():
    a = read_file(FIXTURES / "quake_daily.html")[0][0]
    assert a.title == "Strong quake shakes northern Chile"
    assert a.outlet == "Daily Example"
    assert a.published.startswith("2024-03-02")
    assert "magnitude 6.8" in a.text
    assert "Home" not in a.text and "tracker" not in a.text and "All rights reserved" not in a.text


def test_jsonl_fields_and_outlets():
    arts, fails = read_file(FIXTURES / "quake.jsonl")
    assert not fails
    assert [a.outlet for a in arts] == ["Andes Times", "Pacific Post"]
    assert arts[0].title == "Quake in Chile" and arts[0].url == "https://andes.example.com/q"
    assert arts[0].published == "2024-03-02"


def test_rss_and_atom():
    rss, fails = read_file(FIXTURES / "quake_feed.xml")
    assert not fails and len(rss) == 2
    assert rss[0].outlet == "Coastal Herald" and rss[0].title == "Earthquake hits Arica"
    assert "<p>" not in rss[0].text and "Mayor Ana Torres said" in rss[0].text
    atom = read_file(FIXTURES / "quake_atom.xml")[0]
    assert atom[0].outlet == "Andes Wire" and "dozens of homes" in atom[0].text


def test_outlet_option_and_file_name():
    assert outlet_from_path("data/nyt_2020-01-02.txt") == "nyt"
    assert outlet_from_path("003_bbc.html") == "bbc"
    a = read_file(EXAMPLES / "rt.txt", outlet="RT")[0][0]
    assert a.outlet == "RT"


def test_detect_format_by_content():
    assert detect_format("x", b"<?xml version='1.0'?><rss>") == "feed"
    assert detect_format("x", b"<!DOCTYPE html><html>") == "html"
    assert detect_format("x", b'{"text": "a"}') == "jsonl"
    assert detect_format("x", b"Plain words.") == "text"


def test_id_is_content_hash():
    a = read_file(EXAMPLES / "rt.txt")[0][0]
    b = read_file(EXAMPLES / "rt.txt")[0][0]
    assert a.id == b.id and len(a.id) == 16


def test_encodings_and_mojibake(tmp_path):
    text = "Le président a parlé à Genève. Les négociations reprennent lundi, selon des diplomates."
    latin1 = tmp_path / "latin.txt"
    latin1.write_bytes(text.encode("cp1252"))
    assert read_file(latin1)[0][0].text == text
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(text.encode("utf-16"))
    assert read_file(utf16)[0][0].text == text
    moji = tmp_path / "moji.txt"
    moji.write_text(text.encode("utf-8").decode("cp1252"), encoding="utf-8")  # double-encoded
    assert read_file(moji)[0][0].text == text


BAD = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"   \n\n  ", "no article text"),
    ("binary.txt", bytes(range(256)) * 20, "binary"),
    ("png.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200, "binary"),
    ("broken.html", b"<html><body><div><p></div></span></html>", "no article text"),
    ("scripts.html", b"<html><script>alert(1)</script><style>p{}</style></html>", "no article text"),
    ("junk.xml", b"<?xml version='1.0'?><rss><channel><title>x</title></channel>", "feed"),
    ("bad.jsonl", b"{not json}\n", "invalid JSON"),
]


@pytest.mark.parametrize("name,data,reason", BAD, ids=[b[0] for b in BAD])
def test_bad_input_one_clear_error(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(errors.InputError) as info:
        read_file(p)
    msg = str(info.value)
    assert str(p) in msg and reason in msg
    assert "\n" not in msg


def test_too_large(tmp_path):
    p = tmp_path / "huge.txt"
    p.write_text("word " * 5000)
    with pytest.raises(errors.InputError, match="too large"):
        read_file(p, Options(max_file_bytes=1000))


def test_missing_file(tmp_path):
    with pytest.raises(errors.InputError, match="no such file"):
        read_file(tmp_path / "nope.txt")


def test_unbalanced_quotes_still_read(tmp_path):
    p = tmp_path / "q.txt"
    p.write_text('The minister said "we will never agree to this plan.\nTalks resume on Monday, officials said.')
    assert read_file(p)[0][0].text.startswith("The minister said")


def test_batch_skips_bad_and_keeps_good(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A strong earthquake struck northern Chile on Saturday, officials said.")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    lines = tmp_path / "mixed.jsonl"
    lines.write_text("\n".join([
        json.dumps({"text": "Rescue teams searched damaged buildings in Arica on Sunday, the mayor said."}),
        "{broken",
        json.dumps({"title": "no text"}),
    ]))
    res = read_many([good, empty, lines, tmp_path / "missing.txt", good])
    assert len(res.articles) == 2  # the duplicate good file counted once
    reasons = [str(f) for f in res.failures]
    assert any("empty.txt: empty file" in r for r in reasons)
    assert any("mixed.jsonl: line 2: invalid JSON" in r for r in reasons)
    assert any("mixed.jsonl: line 3: no 'text' field" in r for r in reasons)
    assert any("missing.txt: no such file" in r for r in reasons)


def test_hostile_html_keeps_text_drops_active_content(tmp_path):
    p = tmp_path / "hostile.html"
    p.write_text(
        "<html><head><title>Council <script>alert(1)</script> vote</title></head><body>"
        "<article><p>The city council approved the budget on Tuesday after a long debate, the mayor said.</p>"
        "<img src=x onerror=\"alert('img')\"><iframe src=\"javascript:alert(2)\"></iframe>"
        "<p onclick=\"steal()\">Opposition members said they would challenge the vote in court next week.</p>"
        "<script>document.cookie</script></article></body></html>"
    )
    a = read_file(p)[0][0]
    assert "approved the budget" in a.text and "challenge the vote" in a.text
    for bad in ("alert", "onerror", "steal()", "document.cookie", "javascript:"):
        assert bad not in a.text


def test_unbalanced_quotes_are_analysed(parse_text):
    from parallax.analysis.framing import flag_sentences
    from parallax.analysis.quotes import extract_quotes

    p = parse_text('The minister said "we will never agree.\nTalks resume “on Monday, officials said.\n'
                   'A spokesman added: "nothing” was “decided".')
    quotes = extract_quotes(p)  # must not raise, and no quote may run across paragraphs
    for q in quotes:
        assert "\n" not in q.content.text
        assert p.article.text[q.content.start:q.content.end] == q.content.text
    flag_sentences(p, quotes)


@pytest.mark.parametrize("raw,expected", [
    ("2024-03-02", "2024-03-02"),
    ("Sat, 02 Mar 2024 12:00:00 GMT", "2024-03-02T12:00:00+00:00"),
    ("2024-03-02T10:00:00Z", "2024-03-02T10:00:00+00:00"),
    ("sometime last week", "sometime last week"),
    ("", ""),
])
def test_dates_normalised(raw, expected):
    from parallax.ingest.dates import normalise_date
    assert normalise_date(raw) == expected


def test_feed_dates_are_iso():
    rss = read_file(FIXTURES / "quake_feed.xml")[0]
    assert rss[0].published == "2024-03-02T12:00:00+00:00"
