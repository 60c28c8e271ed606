"""Build a multilingual story-clustering file for ``parallax bench cluster`` from SemEval-2022 pairs.

    python tools/semeval_story_file.py ../shared/data/semeval22_pairs_multi.jsonl /tmp/semeval_stories.jsonl [--stories 60]

What: every pair rated ``overall`` <= 1.5 (1 = very similar ... 4 = very dissimilar) is a
same-story link; the connected components of these links are the gold stories.  A seeded sample
(``random.Random(0)``) of ``--stories`` components is written, one record per article:
``text``, ``story_id`` (the component), ``lang`` (from the pair file, for reading the result;
the bench does not read it) and ``pair_ids``.  Articles only ever seen in pairs rated above 1.5
are left out: their story is not known.

Why: the SemEval sample has article pairs, not stories; this turns its clearest same-story
ratings into story labels across languages (de-en, zh-en, es-it ... and monolingual pairs), so
``bench cluster`` measures whether reports of one event in different languages end up in one
story.  The output is derived from shared data and is written outside the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

LINK_MAX = 1.5  # overall rating at or below which a pair counts as one story (issue 24)


def components(records: list[dict]) -> list[list[tuple[str, str, str]]]:
    """Connected components of the same-story links, each a list of (text, lang, pair id)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    info: dict[str, tuple[str, set[str]]] = {}
    for r in records:
        if float(r["overall"]) > LINK_MAX:
            continue
        a, b = r["text1"], r["text2"]
        for text, lang in ((a, r.get("lang1", "")), (b, r.get("lang2", ""))):
            info.setdefault(text, (lang, set()))[1].add(r["pair_id"])
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for text in info:
        groups.setdefault(find(text), []).append(text)
    return [[(t, info[t][0], ",".join(sorted(info[t][1]))) for t in g] for g in groups.values()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pairs", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--stories", type=int, default=60, help="components to sample (seed 0)")
    args = ap.parse_args(argv)
    try:
        records = [json.loads(line) for line in args.pairs.open(encoding="utf-8") if line.strip()]
    except (OSError, ValueError) as exc:
        print(f"{args.pairs}: cannot read pairs ({exc})", file=sys.stderr)
        return 1
    if args.out.resolve().is_relative_to(Path(__file__).resolve().parents[1]):
        print(f"{args.out}: write it outside the repository (derived from shared data)", file=sys.stderr)
        return 1
    comps = sorted(components(records), key=lambda c: sorted(t for t, _, _ in c))
    rng = random.Random(0)
    chosen = rng.sample(comps, min(args.stories, len(comps)))
    n = 0
    with args.out.open("w", encoding="utf-8") as fh:
        for k, comp in enumerate(chosen):
            for text, lang, pair_ids in comp:
                fh.write(json.dumps({"text": text, "story_id": f"s{k}", "lang": lang, "pair_ids": pair_ids},
                                    ensure_ascii=False) + "\n")
                n += 1
    print(f"{args.out}: {n} articles in {len(chosen)} stories (of {len(comps)} components)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
