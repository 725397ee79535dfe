"""Scores `metaqore scan` on the realistic corpus (tests/data/realistic_eval.jsonl).

    python bench/score_realistic.py [--corpus PATH] [--scanner CMD] [--show-errors N] [--json]
                                    [--runs N]

Runs the scanner as a subprocess (JSON lines in and out, as scripts use it) and prints micro
and per-type precision/recall/F1 and per-kind precision/recall, first with exact matching (same
type, start and end) and then with lenient matching (same type, spans overlap, one to one).
`--show-errors N` prints N false positives and N false negatives per type, in context.
`--json` prints the scores as one JSON object instead of tables. The scan's speed, µs per KB
of text, is the fastest of `--runs` scans less the scanner's start-up (a scan of no text).
`--corpus bench/holdout/holdout_eval.jsonl` scores the held-out corpus that
bench/make_holdout_corpus.py writes.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "tests" / "data" / "realistic_eval.jsonl"
DEFAULT_SCANNER = f"{ROOT / '.venv' / 'bin' / 'metaqore'} scan"
TYPES = (
    "EMAIL", "PHONE", "US_SSN", "CREDIT_CARD", "IBAN", "IP_ADDRESS", "SECRET", "DATE_OF_BIRTH",
    "MEDICAL_RECORD_NUMBER",
)

Entity = tuple[str, int, int]  # type, start, end


@dataclass
class Tally:
    """Counts behind precision and recall: found/true found, labelled/labelled found."""

    predicted: int = 0
    predicted_right: int = 0
    gold: int = 0
    gold_found: int = 0

    def add(self, other: Tally) -> None:
        self.predicted += other.predicted
        self.predicted_right += other.predicted_right
        self.gold += other.gold
        self.gold_found += other.gold_found

    @property
    def precision(self) -> float:
        return self.predicted_right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def scores(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "predicted": self.predicted, "gold": self.gold}


@dataclass
class Scores:
    micro: Tally = field(default_factory=Tally)
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))


def exact_matches(gold: list[Entity], predicted: list[Entity]) -> tuple[set[int], set[int]]:
    """Indices of gold and predicted entities that match exactly (one to one)."""
    waiting: dict[Entity, list[int]] = defaultdict(list)
    for i, entity in enumerate(gold):
        waiting[entity].append(i)
    gold_hit, pred_hit = set(), set()
    for j, entity in enumerate(predicted):
        if waiting[entity]:
            gold_hit.add(waiting[entity].pop())
            pred_hit.add(j)
    return gold_hit, pred_hit


def overlap_matches(gold: list[Entity], predicted: list[Entity]) -> tuple[set[int], set[int]]:
    """Lenient: same type and overlapping spans, each entity matched at most once."""
    gold_hit, pred_hit = set(), set()
    for j, (ptype, pstart, pend) in enumerate(predicted):
        for i, (gtype, gstart, gend) in enumerate(gold):
            if i not in gold_hit and gtype == ptype and gstart < pend and pstart < gend:
                gold_hit.add(i)
                pred_hit.add(j)
                break
    return gold_hit, pred_hit


def tally(gold: list[Entity], predicted: list[Entity], hits: tuple[set[int], set[int]],
          type_: str) -> Tally:
    gold_hit, pred_hit = hits
    return Tally(
        predicted=sum(1 for p in predicted if p[0] == type_),
        predicted_right=sum(1 for j in pred_hit if predicted[j][0] == type_),
        gold=sum(1 for g in gold if g[0] == type_),
        gold_found=sum(1 for i in gold_hit if gold[i][0] == type_),
    )


def score(samples: list[dict[str, object]], predictions: list[list[Entity]],
          lenient: bool) -> Scores:
    result = Scores()
    for sample, predicted in zip(samples, predictions, strict=True):
        gold = gold_entities(sample)
        hits = (overlap_matches if lenient else exact_matches)(gold, predicted)
        for type_ in TYPES:
            part = tally(gold, predicted, hits, type_)
            result.micro.add(part)
            result.by_type[type_].add(part)
            result.by_kind[str(sample["kind"])].add(part)
    return result


def gold_entities(sample: dict[str, object]) -> list[Entity]:
    spans = sample["spans"]
    assert isinstance(spans, list)
    return [(s["type"], s["start"], s["end"]) for s in spans]


def load(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def run_scanner(command: str, texts: Iterable[str]) -> list[list[Entity]]:
    stdin = "".join(json.dumps({"text": text}, ensure_ascii=False) + "\n" for text in texts)
    done = subprocess.run(shlex.split(command), input=stdin.encode(), capture_output=True,
                          check=False)
    if done.returncode != 0:
        sys.exit(f"scanner failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    return [[(e["type"], e["start"], e["end"]) for e in o["entities"]] for o in out]


def timed_scan(command: str, texts: list[str], runs: int) -> tuple[list[list[Entity]], float]:
    """Predictions, and µs per KB of text: the fastest of `runs` scans less the fastest start-up
    (a scan of no text), so a busy machine's slow moments count least."""
    startups, scans = [], []
    predictions: list[list[Entity]] = []
    for _ in range(runs):
        began = time.perf_counter()
        run_scanner(command, [])
        startups.append(time.perf_counter() - began)
        began = time.perf_counter()
        predictions = run_scanner(command, texts)
        scans.append(time.perf_counter() - began)
    kilobytes = sum(len(t.encode()) for t in texts) / 1024
    return predictions, max(min(scans) - min(startups), 0.0) * 1e6 / kilobytes


def table(title: str, rows: dict[str, Tally], with_f1: bool) -> str:
    head = f"{title:<24} {'P':>6} {'R':>6}" + (f" {'F1':>6}" if with_f1 else "")
    lines = [head + f" {'pred':>6} {'gold':>6}", "-" * len(head + " pred   gold ")]
    for name, t in rows.items():
        f1 = f" {t.f1:6.3f}" if with_f1 else ""
        lines.append(f"{name:<24} {t.precision:6.3f} {t.recall:6.3f}{f1} {t.predicted:6d} "
                     f"{t.gold:6d}")
    return "\n".join(lines)


def report(scores: Scores, label: str) -> str:
    types = {"micro": scores.micro, **{t: scores.by_type[t] for t in TYPES}}
    kinds = dict(sorted(scores.by_kind.items()))
    return "\n\n".join((f"## {label}", table("type", types, True), table("kind", kinds, False)))


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    snippet = (text[max(0, start - width) : start] + "[[" + text[start:end] + "]]"
               + text[end : end + width])
    return snippet.replace("\n", "⏎").replace("\t", "⇥")


def errors(samples: list[dict[str, object]], predictions: list[list[Entity]], count: int) -> str:
    """False positives and negatives of exact matching, per type, with their surroundings."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sample, predicted in zip(samples, predictions, strict=True):
        gold = gold_entities(sample)
        gold_hit, pred_hit = exact_matches(gold, predicted)
        text, kind = str(sample["text"]), str(sample["kind"])
        for i, (type_, start, end) in enumerate(gold):
            if i not in gold_hit:
                found[(type_, "missed")].append(f"  [{kind}] {_context(text, start, end)}")
        for j, (type_, start, end) in enumerate(predicted):
            if j not in pred_hit:
                found[(type_, "false")].append(f"  [{kind}] {_context(text, start, end)}")
    lines: list[str] = []
    for type_ in TYPES:
        for what, title in (("false", "false positives"), ("missed", "false negatives")):
            shown = found[(type_, what)][:count]
            lines.append(f"### {type_} {title} ({len(found[(type_, what)])})")
            lines.extend(shown)
    return "\n".join(lines)


def as_json(exact: Scores, lenient: Scores, us_per_kb: float, samples: int) -> str:
    def part(s: Scores) -> dict[str, object]:
        return {"micro": s.micro.scores(),
                "types": {t: s.by_type[t].scores() for t in TYPES},
                "kinds": {k: v.scores() for k, v in sorted(s.by_kind.items())}}

    return json.dumps({"texts": samples, "exact": part(exact), "overlap": part(lenient),
                       "us_per_kb": round(us_per_kb, 1)}, indent=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--scanner", default=DEFAULT_SCANNER,
                        help="command that reads JSON lines on stdin (default: %(default)s)")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="scans timed (default: %(default)s)")
    args = parser.parse_args()
    samples = load(args.corpus)
    predictions, us_per_kb = timed_scan(args.scanner, [str(s["text"]) for s in samples],
                                        max(args.runs, 1))
    exact = score(samples, predictions, lenient=False)
    lenient = score(samples, predictions, lenient=True)
    if args.json:
        print(as_json(exact, lenient, us_per_kb, len(samples)))
        return
    spans = Counter(g[0] for s in samples for g in gold_entities(s))
    print(f"{len(samples)} texts, {sum(spans.values())} labelled spans ({args.corpus})\n")
    print(report(exact, "exact match (type, start, end)"))
    print()
    print(report(lenient, "lenient match (type, overlapping spans)"))
    print(f"\nscan: {us_per_kb:.1f} µs per KB (the scanner's start-up time taken out)")
    if args.show_errors:
        print("\n" + errors(samples, predictions, args.show_errors))


if __name__ == "__main__":
    main()
