"""Writes the realistic evaluation corpus (tests/data/realistic_eval.jsonl) from a seed.

    python bench/make_realistic_corpus.py [--seed 18] [--out tests/data/realistic_eval.jsonl]

Each line is {"kind", "text", "spans": [{"type", "start", "end"}]}; spans are Python string
offsets of the value itself. The labels follow the finding definitions of issue 4; the texts
were written without reading the detectors. Score it with bench/score_realistic.py.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import TYPES, generate, write_jsonl

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "data" / "realistic_eval.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    samples = generate(args.seed)
    write_jsonl(samples, args.out)
    spans = Counter(span.type for sample in samples for span in sample.spans)
    quiet = sum(1 for sample in samples if not sample.spans)
    print(f"{len(samples)} texts, {sum(spans.values())} spans, {quiet} with none -> {args.out}",
          file=sys.stderr)
    for type_ in TYPES:
        print(f"  {type_:<22} {spans[type_]:>5}", file=sys.stderr)


if __name__ == "__main__":
    main()
