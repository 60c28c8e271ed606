"""Benchmark ``relations``: typed, directed relations against a hand-made gold file.

What: ``data/relations_gold.jsonl`` lists sentences of the reference articles (``examples/*.txt``,
found by an ``anchor`` string the sentence contains) and of BASIL articles (``id`` + ``sentence``
index into the record's ``sentences``), each with every relation it asserts between actors:
``subject`` / ``object`` (a name or a list of accepted names), ``predicate`` (supports, opposes,
meets, calls_on, accuses, cooperates, commands) and ``negated``.  Parallax analyses the whole
article (text only); its relations whose evidence sentence overlaps an annotated sentence are
scored against that sentence's gold: a predicted relation is right when a gold relation of the
sentence has the same predicate and negation and the same subject and object (``meets`` and
``cooperates`` are symmetric).  Names match when equal after case folding or when the predicted
name is one of the accepted names or shares its last word with one.  Reports precision, recall,
F1 and the same for a baseline of plain subject-verb-object triples (textacy's
``subject_verb_object_triples`` when textacy is installed, else an equivalent over the spaCy
parse) typed with the same verb lexicon.

Texts: BASIL's licence is not stated, so its texts are not shipped: they are read from
``basil.jsonl`` (``articles=``, ``$PARALLAX_BASIL`` or ``../shared/data/basil.jsonl``).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from ..errors import BenchDataError
from ..model import Article, Relation
from ..options import DEFAULT, Options
from .metrics import read_jsonl

SYMMETRIC = {"meets", "cooperates"}


def _basil_path(data: Path, articles: str | Path | None) -> Path:
    from .align import _basil_path as find

    return find(data, articles)


def _norm(name: str) -> str:
    n = " ".join(name.replace("’", "'").split()).strip(" .")
    return n[4:] if n.casefold().startswith("the ") else n


def name_match(pred: str, gold: str | list[str]) -> bool:
    """A predicted actor name stands for a gold one: equal (case folded), the same person written
    differently ("Donald J. Trump"), or a bare surname of it ("Obama" for "Barack Obama")."""
    from ..analysis.actors import same_person

    golds = [gold] if isinstance(gold, str) else list(gold)
    p = _norm(pred)
    for g in map(_norm, golds):
        if p.casefold() == g.casefold() or same_person(p, g):
            return True
        pw, gw = p.split(), g.split()
        if len(pw) == 1 and len(gw) >= 2 and pw[0] == gw[-1]:
            return True
        if len(pw) >= 2 and gw[:len(pw)] == pw:  # a name cut short by the tagger ("Enrique Peña")
            return True
        if p.casefold().rstrip("s") == g.casefold().rstrip("s"):  # "Republican" for "Republicans"
            return True
    return False


def rel_match(r: tuple[str, str, str, bool], g: dict) -> bool:
    s, pred, o, neg = r
    if pred != g["predicate"] or neg != bool(g.get("negated", False)):
        return False
    if name_match(s, g["subject"]) and name_match(o, g["object"]):
        return True
    return pred in SYMMETRIC and name_match(o, g["subject"]) and name_match(s, g["object"])


def _checked_span(data: Path, line: int, rec: dict, text: str) -> tuple[int, int]:
    """``start``/``end`` of a record, checked against its ``sha1`` (first 10 hex digits of the
    SHA-1 of ``text[start:end]``), so a changed source text is caught before scoring."""
    import hashlib

    try:
        a, e = int(rec["start"]), int(rec["end"])
    except (KeyError, ValueError, TypeError):
        raise BenchDataError(f"{data}:{line}: bad start/end {rec.get('start')!r}/{rec.get('end')!r}") from None
    if not 0 <= a < e <= len(text):
        raise BenchDataError(f"{data}:{line}: span {a}-{e} outside the article")
    digest = hashlib.sha1(text[a:e].encode("utf-8")).hexdigest()[:10]
    if rec.get("sha1") and digest != rec["sha1"]:
        raise BenchDataError(f"{data}:{line}: text at {a}-{e} does not match sha1 {rec['sha1']} (source text changed?)")
    return a, e


def load_gold(data: Path, articles: str | Path | None = None, examples: Path | None = None):
    """(article, [(start, end, gold relations)]) per article of the gold file."""
    data = Path(data)
    records = read_jsonl(data, required=("source", "relations"))
    basil: dict[str, dict] = {}
    if any(r["source"] == "basil" for r in records):
        for r in read_jsonl(_basil_path(data, articles), required=("id", "text", "sentences")):
            basil[r["id"]] = r
    examples = examples or (Path(data).resolve().parent.parent / "examples")
    docs: dict[str, tuple[Article, list]] = {}
    for i, rec in enumerate(records, 1):
        if rec["source"] == "basil":
            b = basil.get(rec.get("id", ""))
            if b is None:
                raise BenchDataError(f"{data}:{i}: BASIL article {rec.get('id')!r} not found")
            key = "basil:" + b["id"]
            if key not in docs:
                docs[key] = (Article.new(b["text"], outlet=b["outlet"], title=b["title"]), [])
            if "start" in rec:  # whole-article gold: offsets + a short SHA-1 of the sentence text
                a, e = _checked_span(data, i, rec, b["text"])
            else:
                try:
                    a, e = b["sentences"][int(rec["sentence"])]
                except (KeyError, IndexError, ValueError, TypeError):
                    raise BenchDataError(f"{data}:{i}: bad sentence index {rec.get('sentence')!r}") from None
        else:
            path = examples / rec.get("file", "")
            if not path.is_file():
                raise BenchDataError(f"{data}:{i}: reference article {path} not found")
            key = "file:" + rec["file"]
            if key not in docs:
                from ..ingest import read_file

                arts, _ = read_file(path, DEFAULT, "")
                docs[key] = (arts[0], [])
            text = docs[key][0].text
            a = text.find(rec.get("anchor", "\0"))
            if a < 0:
                raise BenchDataError(f"{data}:{i}: anchor {rec.get('anchor')!r} not in {path}")
            e = a + len(rec["anchor"])
        docs[key][1].append((a, e, rec["relations"]))
    return list(docs.values())


def svo_relations(parsed) -> list[Relation]:
    """Baseline: plain subject-verb-object triples (textacy-style) whose verb is in the lexicon
    and whose subject and object heads are named actors."""
    from ..analysis.relations import POLARITY, VERBS

    art = parsed.article
    by_char: dict[int, str] = {}
    for m in art.mentions:
        for tok in parsed.doc.char_span(m.start, m.end, alignment_mode="expand") or []:
            by_char[tok.idx] = m.actor
    try:
        from textacy.extract import subject_verb_object_triples

        triples = [(t.subject, t.verb, t.object) for t in subject_verb_object_triples(parsed.doc)]
    except Exception:  # textacy missing or incompatible: the same idea over the parse
        triples = []
        for tok in parsed.doc:
            if tok.pos_ in ("VERB", "AUX"):
                subj = [c for c in tok.children if c.dep_ == "nsubj"]
                obj = [c for c in tok.children if c.dep_ == "dobj"]
                if subj and obj:
                    triples.append((subj, [tok], obj))
    out = []
    for subj, verb, obj in triples:
        v = verb[-1]
        pred = VERBS.get(v.lemma_)
        s = next((by_char[t.idx] for t in subj if t.idx in by_char), None)
        o = next((by_char[t.idx] for t in obj if t.idx in by_char), None)
        if pred and s and o and s != o:
            sent = parsed.sentence_at(v.idx)
            out.append(Relation(subject=s, predicate=pred, object=o, polarity=POLARITY[pred], sentence=sent,
                                evidence=art.sentences[sent].text, article_id=art.id,
                                negated=any(c.dep_ == "neg" for c in v.children)))
    return out


def _score(docs, predicted: list[list[Relation]], sentences) -> dict[str, float]:
    tp = fp = fn = 0
    for (article, golds), rels, sents in zip(docs, predicted, sentences):
        by_gold: dict[int, list] = defaultdict(list)
        for r in rels:
            s = sents[r.sentence]
            for k, (a, e, _) in enumerate(golds):
                if s.start < e and a < s.end:
                    by_gold[k].append((r.subject, r.predicate, r.object, r.negated))
                    break
        for k, (_, _, gold) in enumerate(golds):
            preds = list(dict.fromkeys(by_gold.get(k, [])))
            used: set[int] = set()
            for p in preds:
                hit = next((j for j, g in enumerate(gold) if j not in used and rel_match(p, g)), None)
                if hit is None:
                    fp += 1
                else:
                    used.add(hit)
                    tp += 1
            fn += len(gold) - len(used)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def run_relations(data: Path, options: Options | None = None, *, articles: str | Path | None = None,
                  limit: int | None = None, **_: Any) -> dict[str, Any]:
    """Score relation extraction (and the SVO baseline) on the gold file ``data``."""
    from ..nlp import parse_many
    from ..pipeline import analyze_parsed

    docs = load_gold(Path(data), articles)
    if limit:
        docs = docs[:limit]
    parsed = [analyze_parsed(p, options or DEFAULT) for p in parse_many([a for a, _ in docs])]
    ours = _score(docs, [p.article.relations for p in parsed], [p.article.sentences for p in parsed])
    base = _score(docs, [svo_relations(p) for p in parsed], [p.article.sentences for p in parsed])
    n_gold = sum(len(g) for _, golds in docs for _, _, g in golds)
    out: dict[str, Any] = {"articles": len(docs), "gold_relations": n_gold}
    out.update({k: v for k, v in ours.items()})
    out.update({f"baseline_{k}": v for k, v in base.items()})
    out["cross_outlet"] = cross_outlet_shares([p.article for p in parsed], [k for k, _ in docs_keys(data, articles, limit)])
    return out


def docs_keys(data: Path, articles: str | Path | None, limit: int | None) -> list[tuple[str, str]]:
    """(story key, article key) of each gold article in file order: a BASIL event id, or "examples"."""
    keys: list[tuple[str, str]] = []
    for rec in read_jsonl(Path(data), required=("source", "relations")):
        key = "basil:" + rec.get("id", "") if rec["source"] == "basil" else "file:" + rec.get("file", "")
        story = rec.get("id", "").rsplit("_", 1)[0] if rec["source"] == "basil" else "examples"
        if key not in [k for _, k in keys]:
            keys.append((story, key))
    return keys[:limit] if limit else keys


def cross_outlet_shares(articles: list[Article], stories: list[str]) -> dict[str, dict[str, Any]]:
    """Per story with two or more outlets: its relation edges (canonical actors, one edge per
    subject, predicate, object, negation) and the share of them asserted by two or more outlets."""
    from ..analysis.graph import graph_json, graph_of_articles

    by_story: dict[str, list[Article]] = defaultdict(list)
    for a, s in zip(articles, stories):
        by_story[s].append(a)
    out: dict[str, dict[str, Any]] = {}
    for story, arts in by_story.items():
        if len({a.label for a in arts}) < 2:
            continue
        edges = graph_json(graph_of_articles(arts)[0])["edges"]
        multi = sum(1 for e in edges if len(e["outlets"]) >= 2)
        out[story] = {"edges": len(edges), "multi_outlet": multi, "share": multi / len(edges) if edges else 0.0}
    return out
