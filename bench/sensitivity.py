"""Precision, recall and speed of the sensitivity scanner on the labelled evaluation set.

    python bench/sensitivity.py [--set tests/data/sensitivity_eval.jsonl]

A finding counts as correct only with the right type and the exact span.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from governance.sensitivity import ENTITY_TYPES, scan_text

DEFAULT_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "sensitivity_eval.jsonl"


# The prompt of bench/full-chain.yaml's workload: about 2 KB with an email, a card and a phone.
PROMPT_2KB = (
    "Customer escalation summary for the support lead. " * 12
    + "Contact: jane.roe@example.com, card 4111 1111 1111 1111, phone (415) 555-2671. "
    + "Please draft a reply that apologises for the delay and explains the refund timeline. " * 12
)


def evaluate(rows: list[dict[str, object]]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for row in rows:
        text = str(row["text"])
        expected = {(e["type"], e["start"], e["end"]) for e in row["entities"]}  # type: ignore[attr-defined]
        got = {(f.type, f.start, f.end) for f in scan_text(text).findings}
        for item in got & expected:
            tp[item[0]] += 1
        for item in got - expected:
            fp[item[0]] += 1
        for item in expected - got:
            fn[item[0]] += 1
    return tp, fp, fn


def speed(texts: list[str], rounds: int) -> float:
    """Microseconds per KB of text, best of `rounds` passes over the set."""
    size_kb = sum(len(t.encode()) for t in texts) / 1024
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            scan_text(text)
        best = min(best, time.perf_counter() - started)
    return best * 1e6 / size_kb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines()]
    tp, fp, fn = evaluate(rows)
    print("| type | precision | recall | tp | fp | fn |")
    print("| --- | --- | --- | --- | --- | --- |")
    for entity in ENTITY_TYPES:
        print(_row(entity, tp[entity], fp[entity], fn[entity]))
    print(_row("**micro**", sum(tp.values()), sum(fp.values()), sum(fn.values())))
    texts = [str(r["text"]) for r in rows]
    prose = (
        "The platform team reviewed the rollout plan, the cost report and the open incidents "
        "from last week, and agreed on the next steps for the migration. "
    ) * 14
    print()
    print("| corpus | µs per KB |")
    print("| --- | --- |")
    print(f"| evaluation set ({len(texts)} texts) | {speed(texts, args.rounds):.1f} |")
    print(f"| 2 KB prompt, no findings | {speed([prose] * 200, args.rounds):.1f} |")
    print(f"| 2 KB prompt, three findings | {speed([PROMPT_2KB] * 200, args.rounds):.1f} |")
    return 0


def _row(name: str, tp: int, fp: int, fn: int) -> str:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"| {name} | {precision:.3f} | {recall:.3f} | {tp} | {fp} | {fn} |"


if __name__ == "__main__":
    raise SystemExit(main())
