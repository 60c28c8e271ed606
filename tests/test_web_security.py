"""Web app hardening (issue 16, items 2 and 6): CSRF on ``--allow-ingest``, chunked over-cap
uploads, failures under the user's file name, ``HEAD`` on ``GET`` routes, UTF-16 without BOM."""

from __future__ import annotations

import json

import pytest

from parallax import errors
from parallax.ingest.normalise import decode
from parallax.store import open_store

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from parallax.web import create_app  # noqa: E402

LIMIT = 50_000
ARTICLE = ("The harbour council approved the winter ferry timetable on Monday after a long debate. "
           "The mayor said the new crossings would start in December and cost less than planned.")


@pytest.fixture()
def writable(tmp_path):
    return TestClient(create_app(str(tmp_path / "w.db"), allow_ingest=True, max_body=LIMIT))


def _token(c) -> str:
    return c.get("/ingest.json").json()["csrf_token"]


# --- CSRF -------------------------------------------------------------------------------------------
def test_form_carries_the_token_and_a_same_origin_post_with_it_passes(writable):
    token = _token(writable)
    assert f'name="csrf_token" value="{token}"' in writable.get("/ingest").text
    # passes every check and reaches the handler (nothing to ingest: 400, no model loaded)
    for headers in ({}, {"origin": "http://testserver"}, {"referer": "http://testserver/ingest"},
                    {"sec-fetch-site": "same-origin", "origin": "http://testserver"}):
        r = writable.post("/ingest.json", data={"csrf_token": token}, headers=headers)
        assert r.status_code == 400 and "Nothing to ingest" in r.text, (headers, r.text)
    r = writable.post("/ingest.json", data={}, headers={"x-csrf-token": token})
    assert r.status_code == 400  # the header works as well as the form field


@pytest.mark.parametrize("headers", [
    {"origin": "null"},                                   # sandboxed frame, no Sec-Fetch-Site
    {"referer": "http://evil.example/page"},              # cross-site Referer, no Origin
    {"origin": "http://evil.example"},
    {"origin": "https://testserver"},                     # other scheme: other origin
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},
    {"origin": "null", "referer": "http://testserver/ingest"},
])
def test_cross_site_posts_are_refused_even_with_the_token(writable, headers):
    r = writable.post("/ingest.json", data={"csrf_token": _token(writable), "jsonl": json.dumps({"text": ARTICLE})},
                      headers=headers)
    assert r.status_code == 403 and "Cross-site" in r.text, (headers, r.text)


@pytest.mark.parametrize("token", [None, "", "guess", "x" * 43])
def test_posts_without_the_right_token_are_refused(writable, token):
    data = {"jsonl": json.dumps({"text": ARTICLE})}
    if token is not None:
        data["csrf_token"] = token
    r = writable.post("/ingest", data=data)  # no Origin, Referer or Sec-Fetch-Site: an old browser
    assert r.status_code == 403 and "csrf_token" in r.text
    assert writable.get("/ingest.json").json()["counts"]["articles"] == 0


def test_read_only_server_hands_out_no_token(tmp_path):
    c = TestClient(create_app(str(tmp_path / "r.db")))
    assert "csrf_token" not in c.get("/ingest.json").json()


# --- size limit on chunked bodies, HEAD ---------------------------------------------------------------
def test_chunked_over_cap_upload_gets_413_with_the_limit(writable):
    boundary = "xyzzy"

    def body():  # no Content-Length: sent chunked
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
               "Content-Type: text/plain\r\n\r\n").encode()
        for _ in range(8):
            yield b"a" * 10_000
        yield f"\r\n--{boundary}--\r\n".encode()

    r = writable.post("/ingest.json", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413, r.text
    assert str(LIMIT) in r.text


def test_head_is_answered_on_get_routes(writable):
    for url in ("/stories", "/stories.json", "/ingest", "/ingest.json", "/static/app.css", "/openapi.json"):
        get, head = writable.get(url), writable.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b""
        assert head.headers.get("content-type") == get.headers.get("content-type")
    assert writable.head("/stories/nope").status_code == 404


# --- uploads under the user's names, UTF-16 without BOM ---------------------------------------------
def test_upload_failures_and_articles_carry_the_users_file_name(tmp_path):
    db = str(tmp_path / "u.db")
    c = TestClient(create_app(db, allow_ingest=True, max_body=LIMIT))
    files = [("files", ("nyt_2024-03-01.txt", ARTICLE.encode("utf-16-le"), "text/plain")),
             ("files", ("my notes.txt", bytes(range(256)) * 4, "text/plain")),
             ("files", ("..\\..\\secret.jsonl", b'{"text": 1}\n', "application/json"))]
    r = c.post("/ingest.json", files=files, data={"csrf_token": _token(c)})
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["ingested"] == 1, res
    assert sorted(f["source"] for f in res["failures"]) == ["my notes.txt", "secret.jsonl"]
    with open_store(db) as store:
        assert sorted(f["source"] for f in store.failures()) == ["my notes.txt", "secret.jsonl"]
        (art,) = list(store.iter_articles())
        assert art.path == "nyt_2024-03-01.txt" and art.outlet == "nyt"  # outlet from the user's name


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(enc):
    text = "Ünïcode news: the council met in Zürich on Monday. " * 5
    assert decode(text.encode(enc), "a.txt") == text


def test_utf16_pattern_that_does_not_decode_is_an_unknown_encoding():
    bad = "abc".encode("utf-16-le") + b"\x00\xdc" + "defghij".encode("utf-16-le")  # a lone low surrogate
    with pytest.raises(errors.InputError, match="unknown encoding"):
        decode(bad, "a.txt")
    with pytest.raises(errors.InputError, match="binary"):
        decode(bytes(range(256)) * 4, "b.bin")  # NULs without the 16-bit pattern: still binary
