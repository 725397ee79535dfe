"""The held-out sensitivity corpus: reproducible, well-formed, and a floor under the scanner.

The corpus (`bench/holdout/holdout_eval.jsonl`) was written without reading the detectors; the
scanner is judged on it from outside, through `metaqore scan`, as `bench/score_realistic.py`
does. The floors sit a little below main's score; raise them as detector fixes land.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import score_realistic
from bench.holdout import KINDS, TYPES
from bench.holdout.values import iban_ok, luhn_ok
from tests.unit.bench.corpus_checks import assert_spans_well_formed, scanner_scores

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "bench" / "holdout" / "holdout_eval.jsonl"
GENERATOR = ROOT / "bench" / "make_holdout_corpus.py"

FLOOR_PRECISION = 0.995
FLOOR_RECALL = 0.995


@pytest.fixture(scope="module")
def samples() -> list[dict[str, object]]:
    return score_realistic.load(CORPUS)


def test_the_committed_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    written = tmp_path / "holdout.jsonl"
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(written)], check=True)
    assert written.read_bytes() == CORPUS.read_bytes()


def test_the_corpus_is_large_and_covers_every_kind_and_type(
        samples: list[dict[str, object]]) -> None:
    assert len(samples) >= 3000
    assert {s["kind"] for s in samples} == set(KINDS)
    types = {g[0] for s in samples for g in score_realistic.gold_entities(s)}
    assert types == set(TYPES) == set(score_realistic.TYPES)
    assert sum(1 for s in samples if not s["spans"]) >= 200  # texts with nothing to find


def test_spans_are_well_formed(samples: list[dict[str, object]]) -> None:
    assert_spans_well_formed(samples)
    for sample in samples:
        for _, start, end in score_realistic.gold_entities(sample):
            assert "\n" not in str(sample["text"])[start:end]


def test_labelled_values_are_valid_by_their_own_rules(samples: list[dict[str, object]]) -> None:
    for sample in samples:
        text = str(sample["text"])
        for type_, start, end in score_realistic.gold_entities(sample):
            value = text[start:end]
            digits = re.sub(r"\D", "", value)
            if type_ == "CREDIT_CARD":
                assert 14 <= len(digits) <= 16 and luhn_ok(digits), value
            elif type_ == "IBAN":
                assert iban_ok(value.upper()), value
            elif type_ == "US_SSN":
                area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
                assert len(digits) == 9 and 0 < area < 900 and area != 666, value
                assert group and serial, value
            elif type_ == "EMAIL":
                assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", value), value


def test_the_scanner_stays_above_its_floor(samples: list[dict[str, object]]) -> None:
    micro = scanner_scores(samples).micro
    assert micro.gold > 5000
    assert micro.precision >= FLOOR_PRECISION, micro.scores()
    assert micro.recall >= FLOOR_RECALL, micro.scores()
