"""JSON and CSV forms of a Comparison.  JSON is exactly ``Comparison.to_dict()``."""

from __future__ import annotations

import csv
import io
import json

from ..model import Claim, Comparison


def to_json(comparison: Comparison, indent: int | None = 2) -> str:
    return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=indent)


def to_csv(comparison: Comparison) -> str:
    """The claim grid as rows: one row per (fact, outlet) with that outlet's wording.

    ``fact`` is the grid's number (the same as in the terminal, the HTML report and the JSON);
    ``status`` is the cell's status (``reported``, ``partial``, ``differs``) or ``not reported``.
    Every grid fact is listed, those one outlet carries included.  A comparison without grid facts
    (made before the grid existed) lists its shared groups, then each outlet's own sentences."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["fact", "support", "outlet", "status", "sentence", "text"])
    outlets = [a.label for a in comparison.articles]
    if comparison.facts:
        groups = [(f.number or k, f) for k, f in enumerate(comparison.facts, 1)]
    else:
        singles = [Claim(members=[r], support=1 / len(outlets))
                   for refs in comparison.unique.values() for r in refs]
        groups = list(enumerate(list(comparison.shared) + singles, 1))
    for k, claim in groups:
        for outlet in outlets:
            refs = [m for m in claim.members if m.outlet == outlet]
            if refs:
                for r in refs:
                    w.writerow([k, round(claim.support, 3), outlet, r.status or "reported", r.sentence, r.text])
            else:
                w.writerow([k, round(claim.support, 3), outlet, "not reported", "", ""])
    return buf.getvalue()
