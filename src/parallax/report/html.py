"""One self-contained HTML report (no CDN, no external files): outlets side by side.

The only script is the actor-graph layout (``report/static/graph.js``), inlined and allowed by
its sha256 hash in the page's Content-Security-Policy; article data reaches it as JSON.

Jinja2 autoescaping is on for the whole template; the only pre-built markup is the highlighted
sentence, assembled here from escaped pieces of article text (:func:`highlight`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from ..model import Comparison

ASSET = Path(__file__).resolve().parent / "static" / "graph.js"


def graph_script() -> dict[str, str]:
    """The packaged graph.js and its CSP hash (the report allows exactly this script)."""
    import base64
    import hashlib

    js = ASSET.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode()
    return {"js": js, "csp": f"'sha256-{digest}'"}


_env = Environment(loader=PackageLoader("parallax", "report/templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True))
# the actor-network script, inlined from the packaged static/graph.js and allowed by its CSP hash
_env.globals["graph_script"] = graph_script


def highlight(text: str, offset: int, spans) -> Markup:
    """Escape ``text`` and wrap the given article-offset spans in <mark>."""
    cuts = sorted((s.start - offset, s.end - offset) for s in spans
                  if 0 <= s.start - offset < s.end - offset <= len(text))
    out, pos = [], 0
    for a, b in cuts:
        if a < pos:
            continue
        out.append(escape(text[pos:a]))
        out.append(Markup("<mark>") + escape(text[a:b]) + Markup("</mark>"))
        pos = b
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _columns(c: Comparison) -> list[dict]:
    fact_of: dict[tuple[str, int], int] = {}
    for k, claim in enumerate(c.shared, 1):
        for m in claim.members:
            fact_of[(m.article_id, m.sentence)] = k
    cols = []
    for a in c.articles:
        flags = {f.sentence: f for f in a.flags}
        quoted = defaultdict(list)
        for q in a.quotes:  # a quote may span several sentences: tag each one it covers
            for s in a.sentences:
                if s.start < q.content.end and q.content.start < s.end:
                    quoted[s.index].append(q)
        sents = []
        for s in a.sentences:
            f = flags.get(s.index)
            status = "caption" if s.kind == "caption" else ("shared" if (a.id, s.index) in fact_of else "unique")
            sents.append({
                "html": highlight(s.text, s.start, f.words if f else []),
                "status": status, "fact": fact_of.get((a.id, s.index)),
                "flag": f, "paragraph": s.paragraph,
                "speakers": sorted({q.speaker for q in quoted.get(s.index, [])}),
            })
        cols.append({"article": a, "sentences": sents})
    return cols


def render_html(c: Comparison) -> str:
    template = _env.get_template("report.html.j2")
    outlet_of = {a.id: a.label for a in c.articles}
    return template.render(c=c, columns=_columns(c), outlet_of=outlet_of,
                           everyone=[cl for cl in c.shared if cl.support >= 1.0],
                           some=[cl for cl in c.shared if cl.support < 1.0])


def write_html(c: Comparison, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_html(c), encoding="utf-8")
    return path
