"""One article (``/articles/ID``, ``/articles/ID.json``): its text with entities, quotes and
editorialising words highlighted, and lists of its quotes, sources, flags and relations.

The highlighted text is assembled here from escaped slices of the article (:func:`annotate`);
nothing of the article reaches the page unescaped."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from markupsafe import Markup, escape

from ..model import Article
from .app import render, site_of
from .svg import actor_href

router = APIRouter()


def _segment(text: str, start: int, end: int, spans: list[tuple[int, int, str, str]]) -> Markup:
    """Escape ``text[start:end]`` wrapping the pieces covered by ``spans`` (article offsets,
    kind, payload) in elements: entities link to their actor page, quotes and flagged words get
    a class (overlaps nest by splitting at every boundary)."""
    inside = [s for s in spans if s[0] < end and start < s[1]]
    cuts = sorted({start, end, *(max(start, s[0]) for s in inside), *(min(end, s[1]) for s in inside)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        cover = [s for s in inside if s[0] <= a and b <= s[1]]
        classes = sorted({s[2] for s in cover})
        ent = next((s for s in cover if s[2] == "ent"), None)
        speaker = next((s[3] for s in cover if s[2] == "quote"), None)
        if not classes:
            out.append(piece)
            continue
        title = f' title="quote: {escape(speaker)}"' if speaker is not None else ""
        if ent is not None and ent[3]:
            out.append(Markup('<a class="{}" href="{}"{}>{}</a>').format(" ".join(classes), actor_href(ent[3]),
                                                                          Markup(title), piece))
        else:
            out.append(Markup('<span class="{}"{}>{}</span>').format(" ".join(classes), Markup(title), piece))
    return Markup("").join(out)


def annotate(a: Article) -> list[list[dict[str, Any]]]:
    """The article as paragraphs of sentences, each ``{index, html, flag}``."""
    spans = [(m.start, m.end, "ent", m.actor or m.text) for m in a.mentions]
    spans += [(q.content.start, q.content.end, "quote", q.speaker) for q in a.quotes]
    spans += [(w.start, w.end, "flagword", "") for f in a.flags for w in f.words]
    flags = {f.sentence: f for f in a.flags}
    units = [(s.index, s.start, s.end, s.paragraph, s.kind) for s in a.sentences] or [(0, 0, len(a.text), 0, "body")]
    paragraphs: list[list[dict[str, Any]]] = []
    last = None
    for index, start, end, para, kind in units:
        if para != last:
            paragraphs.append([])
            last = para
        paragraphs[-1].append({"index": index, "html": _segment(a.text, start, end, spans),
                               "flag": flags.get(index), "kind": kind})
    return paragraphs


def article_data(request: Request, article_id: str) -> tuple[Article, dict[str, Any], dict[str, Any] | None]:
    site = site_of(request)
    art = site.store.get_article(article_id)
    info = site.store.article_info(article_id)
    if art is None or info is None:
        raise HTTPException(404, f"No article {article_id!r}")
    story = site.story(art.story_id) if art.story_id else None
    return art, info, story


@router.get("/articles/{article_id}.json", summary="One article with its annotations", tags=["articles"])
def article_json(request: Request, article_id: str) -> dict[str, Any]:
    """The stored article (text, metadata, sentences, mentions, quotes, sources, flags,
    relations, story and near-duplicate links) and its story row."""
    art, info, story = article_data(request, article_id)
    return {"article": art.to_dict(), "ingested_at": str(info.get("ingested_at") or ""), "story": story}


@router.get("/articles/{article_id}", include_in_schema=False)
def article_html(request: Request, article_id: str):
    art, info, story = article_data(request, article_id)
    original = site_of(request).store.article_info(art.near_duplicate_of) if art.near_duplicate_of else None
    return render(request, "article.html.j2", a=art, info=info, story=story, original=original,
                  paragraphs=annotate(art))
