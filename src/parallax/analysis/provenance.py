"""Provenance: the sources an article says its reporting rests on.

Outlets often rewrite each other's stories; "told Bloomberg", "Bloomberg reports", "according to
Reuters" or "documents seen by the Guardian" show where a claim comes from, and comparing those
sources across outlets shows who relies on whom.  Each cited source becomes a
:class:`~parallax.model.Source` with its kind:

* ``agency`` - a well-known news agency (Reuters, AP, AFP, Xinhua, TASS ...);
* ``outlet`` - any other organisation or person that reports, writes, publishes, or is told
  something ("told Bloomberg", "in an interview with CNN", "as reported by X");
* ``official`` - people and bodies speaking in a statement, or cited with "according to";
* ``document`` - reports, documents, filings ("according to a report", "documents seen by X");
* ``other`` - anything else cited with "according to".

Photo credits and captions ("© Reuters / File", "via AFP/Getty", "file image") are not sources:
caption sentences are skipped and credit patterns are refused.  One source per name per article,
keeping its first evidence.  Patterns read the dependency parse; no rule names any story.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..model import Quote, Sentence, Source, Span
from ..nlp.pipeline import Parsed
from ..options import DEFAULT, Options
from .names import build_index, clean_name

AGENCIES = {
    "reuters": "Reuters", "ap": "Associated Press", "associated press": "Associated Press",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "xinhua": "Xinhua", "tass": "TASS", "interfax": "Interfax", "ansa": "ANSA", "efe": "EFE",
    "dpa": "DPA", "upi": "UPI", "united press international": "UPI", "pa": "PA",
    "press association": "PA", "kyodo": "Kyodo", "yonhap": "Yonhap", "anadolu": "Anadolu",
    "anadolu agency": "Anadolu", "ria novosti": "RIA Novosti", "bernama": "Bernama",
    "anp": "ANP", "apa": "APA", "pti": "PTI", "press trust of india": "PTI", "wafa": "WAFA",
}
# verbs by which a publisher makes its reporting known: their subject is an outlet
REPORT_VERBS = frozenset({"report", "write", "publish", "reveal", "explain", "detail", "note",
                          "break", "disclose", "learn", "cite", "quote"})
# verbs of saying: with "in a statement" their subject is an official source
SAY_VERBS = frozenset({"say", "announce", "state", "declare", "add", "confirm", "deny", "claim"})
DOCUMENT_NOUNS = frozenset({"report", "reports", "document", "documents", "filing", "filings",
                            "memo", "memos", "letter", "records", "record", "study", "survey",
                            "poll", "data", "analysis", "statement", "cable", "cables", "email",
                            "emails", "transcript", "leak", "leaks", "papers", "assessment",
                            "court", "indictment", "lawsuit", "complaint", "budget", "figures"})
OFFICIAL_NOUNS = frozenset({"official", "officials", "source", "sources", "spokesman",
                            "spokeswoman", "spokesperson", "minister", "ministry", "police",
                            "authorities", "government", "military", "army", "prosecutors",
                            "aide", "aides", "diplomat", "diplomats", "officer", "officers"})
_CREDIT = re.compile(r"©|\(c\)|\bvia\s+\w+\s*/|\bfile\s+(image|photo|picture)|\bphoto(graph)?\s*:"
                     r"|\b(Getty|Shutterstock|EPA)\b|\s/\s", re.IGNORECASE)
_NAMEABLE = ("PROPN",)


def extract_sources(parsed: Parsed, quotes: list[Quote] | None = None,
                    options: Options = DEFAULT) -> list[Source]:
    """The sources ``parsed`` cites, first evidence per name, in text order.

    ``quotes`` (from :func:`parallax.analysis.quotes.extract_quotes`) add outlets that were only
    found as quote speakers with a reporting cue ("'...', Bloomberg reports.").
    """
    text = parsed.article.text
    index = build_index(parsed.doc)
    found: list[Source] = []
    for sent in parsed.sentences:
        if sent.kind != "body" or _CREDIT.search(sent.text):
            continue
        span = parsed.doc.char_span(sent.start, sent.end, alignment_mode="expand")
        if span is None:
            continue
        for tok in span:
            found.extend(_from_token(tok, sent, text, index))
    for q in quotes or []:
        if q.cue is None or q.speaker_span is None or not q.resolved:
            continue
        cue_tok = parsed.doc.char_span(q.cue.start, q.cue.end, alignment_mode="expand")
        sent = parsed.sentences[q.sentence]
        if cue_tok is None or sent.kind != "body" or _CREDIT.search(sent.text):
            continue
        if cue_tok[0].lemma_ in REPORT_VERBS and _is_named(q.speaker_span.text):
            found.append(_make(q.speaker, "outlet", q.cue.text.lower(), q.speaker_span, sent))
    # dedupe by name, keeping the first evidence
    found.sort(key=lambda s: s.span.start)
    out: dict[str, Source] = {}
    for s in found:
        key = s.name.casefold()
        if s.name and key not in out:
            out[key] = s
    return list(out.values())


def _is_named(text: str) -> bool:
    return any(w[:1].isupper() for w in clean_name(text).split())


def _make(name: str, kind: str, cue: str, span: Span, sent: Sentence) -> Source:
    return Source(name=name, kind=kind, cue=cue, span=span, sentence=sent.index, evidence=sent.text)


def _phrase(tok: Token) -> tuple[int, int]:
    """Char range of the noun phrase headed by ``tok`` (compounds, determiners, possessives,
    adjectives; no clauses or prepositional tails)."""
    left = [c for c in tok.lefts if c.dep_ in ("compound", "det", "poss", "amod", "nmod", "case", "nummod", "punct")]
    lo = min([tok] + [t for c in left for t in c.subtree], key=lambda t: t.i)
    hi = tok
    for c in tok.rights:
        if c.dep_ in ("compound", "flat", "case") or (c.dep_ == "punct" and c.text == "-"):
            hi = max(hi, c.right_edge, key=lambda t: t.i)
    while lo.i < tok.i and lo.is_punct:
        lo = lo.nbor(1)
    return lo.idx, hi.idx + len(hi)


def _name_of(tok: Token, text: str, index) -> tuple[str, Span]:
    a, b = _phrase(tok)
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is not None and ent.label_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL"):
        a, b = min(a, ent.start_char), max(b, ent.end_char)
    raw = text[a:b]
    name = clean_name(raw)
    if ent is not None and ent.label_ == "PERSON":
        name = index.resolve(ent.text)
    elif name in index.acronyms:
        name = index.acronyms[name]
    return name, Span(a, b, raw)


def _kind_for(tok: Token, name: str, default: str) -> str:
    low = name.casefold()
    if low in AGENCIES or low.removeprefix("the ") in AGENCIES:
        return "agency"
    head = tok.lower_
    if head in DOCUMENT_NOUNS:
        return "document"
    if head in OFFICIAL_NOUNS:
        return "official"
    return default


def _canon(name: str) -> str:
    return AGENCIES.get(name.casefold(), name)


def _from_token(tok: Token, sent: Sentence, text: str, index) -> list[Source]:
    out: list[Source] = []

    def add(head: Token, kind: str, cue: str) -> None:
        if head.pos_ == "PRON":
            return
        name, span = _name_of(head, text, index)
        if not name or not re.search(r"\w", name):
            return
        k = _kind_for(head, name, kind)
        if k in ("outlet", "agency") and head.pos_ not in _NAMEABLE and not _is_named(name):
            return  # "told reporters", "a newspaper reported": not a citable name
        out.append(_make(_canon(name), k, cue, span, sent))

    lemma = tok.lemma_.lower()
    # "told Bloomberg", "told the BBC that ..." (X is an outlet only when it is not a person)
    if lemma == "tell" and tok.pos_ == "VERB":
        for c in tok.children:
            if c.dep_ in ("dobj", "dative") and c.pos_ == "PROPN" and not _is_person(c, index):
                add(c, "outlet", "told")
    # "Bloomberg reports", "the newspaper wrote", "Bloomberg explains further"
    if lemma in REPORT_VERBS and tok.pos_ == "VERB":
        for c in tok.children:
            if c.dep_ == "nsubj" and c.pos_ == "PROPN" and c.ent_type_ not in ("GPE", "NORP", "LOC"):
                add(c, "outlet", tok.lower_)
            if c.dep_ == "agent":  # "(as) reported by X"
                for o in c.children:
                    if o.dep_ == "pobj":
                        add(o, "outlet", f"{tok.lower_} by")
    # "X said in a statement"
    if lemma in SAY_VERBS and tok.pos_ == "VERB":
        stmt = any(p.lower_ == "in" and any(o.lower_ in ("statement", "communique", "communiqué", "release")
                                            for o in p.children if o.dep_ == "pobj")
                   for p in tok.children if p.dep_ == "prep")
        if stmt:
            for c in tok.children:
                if c.dep_ == "nsubj":
                    add(c, "official", "in a statement")
    # "according to Reuters / officials / a report (by X)"
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to":
        to = tok.nbor(1)
        for o in [c for c in to.children if c.dep_ == "pobj"] + [c for c in tok.children if c.dep_ == "pobj"]:
            by = _by_agent(o)
            if by is not None:
                add(by, "outlet", "according to")
            elif o.lower_ in DOCUMENT_NOUNS:
                add(o, "document", "according to")
            elif o.ent_type_ == "PERSON" or o.lower_ in OFFICIAL_NOUNS:
                add(o, "official", "according to")
            elif o.ent_type_ in ("ORG",) or o.pos_ == "PROPN":
                add(o, "outlet" if _looks_like_outlet(o) else "official", "according to")
            else:
                add(o, "other", "according to")
    # "in an interview with X"
    if tok.lower_ in ("interview", "interviews") and tok.pos_ == "NOUN":
        for p in tok.children:
            if p.dep_ == "prep" and p.lower_ == "with":
                for o in p.children:
                    if o.dep_ == "pobj" and o.pos_ == "PROPN" and o.ent_type_ != "PERSON":
                        add(o, "outlet", "interview with")
    # "a report by X", "documents seen / obtained by X"
    if tok.lower_ in DOCUMENT_NOUNS and tok.pos_ == "NOUN":
        by = _by_agent(tok)
        if by is not None:
            if tok.lower_.startswith("document") or tok.lower_ in ("memo", "memos", "cable", "cables", "emails", "papers"):
                name, span = _name_of(tok, text, index)
                by_name, _ = _name_of(by, text, index)
                a, b = span.start, by.idx + len(by)
                out.append(_make(f"{name[:1].lower() + name[1:]} seen by {_canon(by_name)}", "document", "seen by",
                                 Span(a, b, text[a:b]), sent))
            elif tok.lower_ in ("report", "reports", "study", "analysis", "survey", "poll"):
                add(by, "outlet", f"{tok.lower_} by")
    return out


def _is_person(tok: Token, index) -> bool:
    """The name at ``tok`` is a person's: a news organisation of the shipped list never is; else
    the NER says person, the article names a person with that surname, or it opens with a given
    name ("told Chris Wray")."""
    from .actor_types import has_given_name, known

    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    text = ent.text if ent is not None else tok.text
    if (known(text) or ("",))[0] == "media":
        return False
    return (ent is not None and ent.label_ == "PERSON") or index.is_known_person(text) or has_given_name(text)


def _by_agent(noun: Token) -> Token | None:
    """X in "a report by X", "a report from X", "documents seen by X", "documents obtained by X"."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            for o in c.children:
                if o.dep_ == "pobj" and o.pos_ == "PROPN":
                    return o
        if c.dep_ == "acl" and c.lemma_ in ("see", "obtain", "review", "receive", "publish", "release"):
            for a in c.children:
                if a.dep_ == "agent":
                    for o in a.children:
                        if o.dep_ == "pobj" and o.pos_ == "PROPN":
                            return o
    return None


_OUTLET_WORDS = re.compile(r"\b(Times|Post|News|Journal|Herald|Tribune|Gazette|Daily|Magazine|"
                           r"Telegraph|Guardian|Press|Radio|TV|Television|Broadcasting|Wire|"
                           r"Agency|Network|Channel|Media|Bloomberg|BBC|CNN|Politico|Axios)\b")


def _looks_like_outlet(tok: Token) -> bool:
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    text = ent.text if ent is not None else tok.text
    return bool(_OUTLET_WORDS.search(text)) or text.casefold() in AGENCIES
