"""The second held-out corpus: reproducible, well-formed, and a floor under the scanner.

`bench/holdout2/holdout2_eval.jsonl` was written without reading the detectors or the other
corpora (bench/holdout2/README.md). Detector work reads only its aggregate scores, never its
texts or errors; the floors sit a little below the scores reached, to absorb noise.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import score_realistic
from tests.unit.bench.corpus_checks import assert_spans_well_formed, scanner_scores

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "bench" / "holdout2" / "holdout2_eval.jsonl"
GENERATOR = ROOT / "bench" / "make_holdout2_corpus.py"

FLOOR_PRECISION = 0.99
FLOOR_RECALL = 0.98
FLOOR_TYPE_F1 = 0.96


@pytest.fixture(scope="module")
def samples() -> list[dict[str, object]]:
    return score_realistic.load(CORPUS)


def test_the_committed_corpus_is_what_its_seed_writes() -> None:
    subprocess.run([sys.executable, str(GENERATOR), "--check"], check=True)


def test_the_corpus_is_large_and_covers_fourteen_kinds_and_every_type(
    samples: list[dict[str, object]],
) -> None:
    assert len(samples) >= 3000
    assert len({s["kind"] for s in samples}) == 14
    types = {g[0] for s in samples for g in score_realistic.gold_entities(s)}
    assert types == set(score_realistic.TYPES)


def test_spans_are_well_formed(samples: list[dict[str, object]]) -> None:
    assert_spans_well_formed(samples)


def test_the_scanner_stays_above_its_floor(samples: list[dict[str, object]]) -> None:
    scores = scanner_scores(samples)
    micro = scores.micro
    assert micro.gold > 15000
    assert micro.precision >= FLOOR_PRECISION, micro.scores()
    assert micro.recall >= FLOOR_RECALL, micro.scores()
    for type_, tally in scores.by_type.items():
        assert tally.f1 >= FLOOR_TYPE_F1, (type_, tally.scores())
