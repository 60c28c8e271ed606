"""JSON and CSV forms of a Comparison.  JSON is exactly ``Comparison.to_dict()``."""

from __future__ import annotations

import csv
import io
import json

from ..model import Claim, Comparison


def to_json(comparison: Comparison, indent: int | None = 2) -> str:
    return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=indent)


def to_csv(comparison: Comparison) -> str:
    """The fact grid as rows: one row per (fact group, outlet) with that outlet's wording.

    ``status`` is ``reported`` when the outlet carries the fact and ``not reported`` otherwise;
    groups carried by one outlet only are listed too, so the CSV covers every body sentence."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["fact", "support", "outlet", "status", "sentence", "text"])
    outlets = [a.label for a in comparison.articles]
    singles = [Claim(members=[r], support=1 / len(outlets))
               for refs in comparison.unique.values() for r in refs]
    groups = list(comparison.shared) + singles
    for k, claim in enumerate(groups, 1):
        for outlet in outlets:
            refs = [m for m in claim.members if m.outlet == outlet]
            if refs:
                for r in refs:
                    w.writerow([k, round(claim.support, 3), outlet, "reported", r.sentence, r.text])
            else:
                w.writerow([k, round(claim.support, 3), outlet, "not reported", "", ""])
    return buf.getvalue()
