"""Web app render times on a large synthetic database (default 100,000 articles).

What: ``run_web(db_path, options, limit=N)`` fills the database at ``db_path`` (when it holds
fewer than N articles) with synthetic articles written straight through the Store API — fake
sentences, mentions, quotes, flags and relations, 8 articles per story, one in ten a
near-duplicate copy, 40 outlets over a year — then times pages through the ASGI app in process
(``httpx``/``TestClient``, no network): the story list (first request, then warm, then searched,
filtered and sorted ones), a deep page of it, article pages, the actor index build and actor
pages.  On a database of real ingested articles (fewer than ``limit`` synthetic ones are added
only when it holds fewer), the story report is timed against ``compare``: the full pipeline
on the story's articles (``compare_seconds``), the report from the stored annotations with
cold parse/embedding caches (``story_report_first_seconds``) and warm (``..._second_seconds``),
and the web story page's first view in a fresh app (``story_page_first_seconds``).
Why: the web app must stay responsive on large databases, and a story's first view must not
re-run the annotation stages the database already holds.

    parallax bench web --data /tmp/web100k.db --limit 100000 --json
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..model import Article, Flag, Mention, Quote, Relation, Sentence, Span

_WORDS = ("government minister said report officials city police market river election court talks "
          "agreement protest company energy prices health school storm border army water budget vote "
          "council bank trade union strike farmers weather flood fire rescue hospital").split()
_OUTLETS = [f"outlet-{k:02d}" for k in range(40)]
_ACTORS = [f"Actor {k}" for k in range(500)]


def _article(rng: random.Random, k: int, story: int, day: int) -> Article:
    sents, mentions, parts = [], [], []
    pos = 0
    for i in range(6):
        actor = _ACTORS[(story * 7 + i * 13) % len(_ACTORS)]
        words = " ".join(rng.choice(_WORDS) for _ in range(18))
        s = f"{actor} {words} in story {story} item {k}."
        if pos:
            parts.append(" ")
            pos += 1
        sents.append(Sentence(index=i, start=pos, end=pos + len(s), text=s, paragraph=i // 3))
        mentions.append(Mention(start=pos, end=pos + len(actor), text=actor, label="PERSON", sentence=i, actor=actor))
        parts.append(s)
        pos += len(s)
    text = "".join(parts)
    s1 = sents[1]
    q0 = s1.start + len(mentions[1].text) + 1
    content = Span(q0, s1.end - 1, text[q0:s1.end - 1])
    quote = Quote(content=content, speaker=mentions[1].actor, speaker_span=Span(mentions[1].start, mentions[1].end,
                  mentions[1].text), cue=None, kind="indirect", sentence=1, resolved=True)
    s3 = sents[3]
    flag = Flag(sentence=3, text=s3.text, score=0.8, reasons=["loaded word"],
                words=[Span(s3.start + len(mentions[3].text) + 1, s3.start + len(mentions[3].text) + 6,
                            text[s3.start + len(mentions[3].text) + 1:s3.start + len(mentions[3].text) + 6])])
    rel = Relation(subject=mentions[0].actor, predicate="criticised", object=mentions[2].actor, polarity=-1,
                   sentence=0, evidence=sents[0].text)
    hour = rng.randrange(24)
    published = time.strftime("%Y-%m-%dT%H:00:00Z", time.gmtime(1_704_067_200 + day * 86400 + hour * 3600))
    title = f"Story {story}: " + " ".join(rng.choice(_WORDS) for _ in range(6))
    return Article.new(text, outlet=_OUTLETS[(story + k) % len(_OUTLETS)], title=title,
                       url=f"https://example.org/{story}/{k}", published=published,
                       sentences=sents, mentions=mentions, quotes=[quote], flags=[flag], relations=[rel])


def synthesise(db: str | Path, n: int, per_story: int = 8, seed: int = 7) -> float:
    """Add ``n`` synthetic articles to the database (skipped when it holds that many already);
    returns the seconds taken."""
    from ..store import open_store

    t0 = time.perf_counter()
    with open_store(db) as store:
        have = store.counts()["articles"]
        if have >= n:
            return 0.0
        rng = random.Random(seed)
        batch: list[Article] = []
        stories: dict[str, str] = {}
        copies: dict[str, str] = {}
        firsts: dict[int, str] = {}
        for k in range(have, n):
            story = k // per_story
            day = (story * 37) % 365
            a = _article(rng, k, story, day)
            stories[a.id] = f"syn{story}"
            if k % 10 == 9 and story in firsts:
                copies[a.id] = firsts[story]
            firsts.setdefault(story, a.id)
            batch.append(a)
            if len(batch) >= 2000:
                store.add_articles(batch, near_dup_of=copies, story_ids=stories)
                batch, stories, copies = [], {}, {}
        if batch:
            store.add_articles(batch, near_dup_of=copies, story_ids=stories)
    return time.perf_counter() - t0


def _time(client: Any, url: str, repeat: int = 5) -> tuple[float, float]:
    """(first, median of the following) request times in ms."""
    times = []
    for _ in range(repeat + 1):
        t = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return times[0], statistics.median(times[1:])


def run_web(data: Path, options: Any = None, limit: int | None = None, **_: Any) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from ..web import create_app

    n = limit or 100_000
    build = synthesise(data, n)
    app = create_app(str(data))
    client = TestClient(app)
    out: dict[str, Any] = {"articles": app.state.site.store.counts()["articles"],
                           "stories": app.state.site.store.counts()["stories"], "synthesise_seconds": round(build, 1)}
    first, warm = _time(client, "/stories")
    out["story_list_first_ms"], out["story_list_ms"] = round(first, 1), round(warm, 1)
    for name, url in [("story_list_search_ms", "/stories?q=story+12"),
                      ("story_list_outlet_ms", "/stories?outlet=outlet-03"),
                      ("story_list_coverage_ms", "/stories?sort=coverage"),
                      ("story_list_page_100_ms", "/stories?page=100"), ("stories_json_ms", "/stories.json")]:
        out[name] = round(_time(client, url)[1], 1)
    ids = _some_ids(app.state.site.store)
    art = [_time(client, f"/articles/{i}", repeat=3) for i in ids]
    out["article_first_ms"] = round(statistics.median(a[0] for a in art), 1)
    out["article_ms"] = round(statistics.median(a[1] for a in art), 1)
    out["article_json_ms"] = round(_time(client, f"/articles/{ids[0]}.json")[1], 1)
    # actor pages: the first one starts building the actor index (one pass over every article,
    # in a background thread); timed here until it is ready, then the pages themselves
    t = time.perf_counter()
    index = app.state.site.actor_index(wait=3600)
    out["actor_index_seconds"] = round(time.perf_counter() - t, 1)
    name = "Actor 42" if index.get("Actor 42") else index.listed()[0]["name"]  # synthetic, else a real one
    out["actor_ms"] = round(_time(client, "/actors/" + quote(name, safe=""), repeat=3)[1], 1)
    out["actor_list_ms"] = round(_time(client, "/actors", repeat=3)[1], 1)
    out.update(_story_costs(app.state.site.store, str(data), options))
    return out


def _cold() -> None:
    """Forget parsed docs and sentence vectors (what a fresh process would not have)."""
    from ..nlp import embed as embed_mod
    from ..nlp import pipeline as nlp_pipeline

    nlp_pipeline._cache.clear()
    embed_mod._cache.clear()


def _story_costs(store: Any, db: str, options: Any) -> dict[str, Any]:
    """compare vs story report vs the story page, on the first story of exactly three
    independent articles (another story warms the models up first, outside the clock)."""
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from ..compare import compare
    from ..options import DEFAULT
    from ..web import create_app
    from ..workflows import story_articles, story_report

    options = options or DEFAULT
    sids = [r["id"] for r in store.stories() if r["n_articles"] == 3]
    sids = [sid for sid in sids if len(story_articles(store, sid, copies=False)) == 3]
    if len(sids) < 2 or sids[0].startswith("syn"):
        return {}
    sid, warm = sids[0], sids[1]

    def blank(a: Article) -> Article:
        return replace(a, sentences=[], mentions=[], quotes=[], sources=[], flags=[], relations=[], story_id="")

    compare([blank(a) for a in story_articles(store, warm, copies=False)], options)  # models loaded
    story_report(store, warm, options)
    arts = story_articles(store, sid, copies=False)
    _cold()
    t = time.perf_counter()
    compare([blank(a) for a in arts], options)
    out: dict[str, Any] = {"story_id": sid, "compare_seconds": round(time.perf_counter() - t, 3)}
    _cold()
    t = time.perf_counter()
    story_report(store, sid, options)
    out["story_report_first_seconds"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    story_report(store, sid, options)
    out["story_report_second_seconds"] = round(time.perf_counter() - t, 3)
    # a fresh process reporting a story whose sentence vectors are stored (as after
    # `ingest --embed-sentences`, or any earlier report of it): parse and claims only
    _cold()
    t = time.perf_counter()
    story_report(store, sid, options)
    out["story_report_cold_stored_vectors_seconds"] = round(time.perf_counter() - t, 3)
    out["story_report_cold_stored_vectors_share"] = round(out["story_report_cold_stored_vectors_seconds"]
                                                          / out["compare_seconds"], 3)
    out["story_report_first_share"] = round(out["story_report_first_seconds"] / out["compare_seconds"], 3)
    out["story_report_second_share"] = round(out["story_report_second_seconds"] / out["compare_seconds"], 3)
    # the page of a story nobody has reported yet (no stored sentence vectors), in a fresh app
    page = sids[2] if len(sids) > 2 else sid
    _cold()
    client = TestClient(create_app(db))  # no cached comparison
    t = time.perf_counter()
    r = client.get(f"/stories/{page}")
    assert r.status_code == 200, r.status_code
    out["story_page_first_seconds"] = round(time.perf_counter() - t, 3)
    out["story_page_story_id"] = page
    return out


def _some_ids(store: Any, k: int = 5) -> list[str]:
    rows = store.articles_of_story("syn5") + store.articles_of_story("syn5000")
    return [r["id"] for r in rows[:k]] or [next(iter(store.iter_articles())).id]
