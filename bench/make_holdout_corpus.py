"""Writes the held-out sensitivity corpus from a fixed seed.

    python bench/make_holdout_corpus.py [--seed N] [--count N] [--out PATH]

One JSON line per text: {"kind", "text", "spans": [{"type", "start", "end"}]}, spans on Python
string offsets. The same seed and count always write the same bytes; the floor test checks that
the committed file is what this writes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from holdout import COUNT, SEED, corpus

OUT = Path(__file__).resolve().parent / "holdout" / "holdout_eval.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        for record in corpus(args.seed, args.count):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
