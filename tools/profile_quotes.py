"""Share of the per-article time spent in quote extraction (issue 17: at most 10%).

Usage: python tools/profile_quotes.py ../shared/data/basil.jsonl [--limit 100]
Times, on the first N articles, spaCy parsing, every analysis stage (``analyze_parsed``, which
includes quotes) and ``extract_quotes`` alone, and prints one JSON object with
``quotes_share_of_parse_and_analysis`` - conservative: ``parallax ingest`` also embeds sentences
and writes the database, which only add to the denominator.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--limit", type=int, default=100)
    args = ap.parse_args()
    from parallax.analysis.quotes import extract_quotes
    from parallax.bench.speed import load_articles
    from parallax.nlp.pipeline import load_spacy, parse_many
    from parallax.pipeline import analyze_parsed

    arts = load_articles(args.data, args.limit)
    nlp = load_spacy()
    list(nlp.pipe([a.text + " warm" for a in arts[:3]]))
    out: dict[str, float | int] = {"articles": len(arts)}
    t = time.perf_counter()
    parsed = parse_many(arts)
    out["parse_s"] = round(time.perf_counter() - t, 2)
    extract_quotes(parsed[0])  # load the speaker ranker before the clock
    t = time.perf_counter()
    for p in parsed:
        analyze_parsed(p)
    out["analysis_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    n = sum(len(extract_quotes(p)) for p in parsed)
    out["quotes_s"] = round(time.perf_counter() - t, 2)
    out["quotes"] = n
    out["quotes_share_of_parse_and_analysis"] = round(out["quotes_s"] / (out["parse_s"] + out["analysis_s"]), 4)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
