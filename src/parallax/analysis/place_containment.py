"""Place containment: is one named place inside the other ("Tripoli" / "Libya", "Texas" / "the
United States", "Bellingham" / "Washington State")?

Why: two outlets that place one fact in a city and in its country (or state) do not disagree, so
the grid's ``where`` conflicts must set such pairs aside.  Two sources, no list of names of our
own: pycountry's subdivisions (a state or province is inside its country, and inside its parent
subdivision) and the story's own texts, where a place written "X, Y" with Y a place ("Bellingham,
Wash.", "Tripoli, Libya") says X is inside Y.  Names are compared by key (folded, no "the", no
dots), and a short form is the same place as the name it begins ("Wash." / "Washington").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .actor_types import country_names, name_key

_PLACE = {"GPE", "LOC"}


def _key(name: str) -> str:
    k = name_key(name.replace("’", "'"))
    return {"us": "united states", "usa": "united states", "america": "united states",
            "washington state": "washington"}.get(k, k)


@lru_cache(maxsize=1)
def _world() -> dict[str, frozenset[str]]:
    """Key of a subdivision -> keys of the places that contain it (parent subdivision, country)."""
    import pycountry

    countries = country_names()
    out: dict[str, set[str]] = {}
    for s in pycountry.subdivisions:
        c = pycountry.countries.get(alpha_2=s.country_code)
        holders = {_key(c.name)} if c is not None else set()
        if c is not None:
            holders.add(_key(countries.get(name_key(c.name), c.name)))
        if s.parent_code:
            p = pycountry.subdivisions.get(code=s.parent_code)
            if p is not None:
                holders.add(_key(p.name))
        out.setdefault(_key(s.name), set()).update(holders)
    return {k: frozenset(v) for k, v in out.items()}


def story_gazetteer(docs: Iterable) -> dict[str, frozenset[str]]:
    """Key -> keys of its containers, from "X, Y" in the story's parsed texts (X and Y places,
    Y right after the comma)."""
    out: dict[str, set[str]] = {}
    for doc in docs:
        ents = [e for e in doc.ents if e.label_ in _PLACE]
        for x, y in zip(ents, ents[1:]):
            between = doc.text[x.end_char:y.start_char]
            if re.fullmatch(r"\s*,\s*", between):
                out.setdefault(_key(x.text), set()).add(_key(y.text))
    return {k: frozenset(v) for k, v in out.items()}


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    # a short form: "wash" / "washington", "calif" / "california"
    return len(wa) == len(wb) == 1 and min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a))


def _inside(inner: str, outer: str, gaz: dict[str, frozenset[str]], depth: int = 3) -> bool:
    if depth == 0:
        return False
    holders = gaz.get(inner, frozenset()) | _world().get(inner, frozenset())
    if not holders and inner not in gaz:
        holders = next((_world()[k] for k in _world() if _same(k, inner)), frozenset())
    return any(_same(h, outer) or _inside(h, outer, gaz, depth - 1) for h in holders)


def related(a: str, b: str, gaz: dict[str, frozenset[str]] | None = None) -> bool:
    """Are ``a`` and ``b`` the same place or is one inside the other?"""
    ka, kb = _key(a), _key(b)
    gaz = gaz or {}
    return _same(ka, kb) or _inside(ka, kb, gaz) or _inside(kb, ka, gaz)
