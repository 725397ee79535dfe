"""Checks both held-out corpora share: spans are well formed, and the scanner's scores on them,
run from outside through `metaqore scan` as `bench/score_realistic.py` does."""

from __future__ import annotations

import itertools
import shlex
import sys

from bench import score_realistic


def assert_spans_well_formed(samples: list[dict[str, object]]) -> None:
    for sample in samples:
        text = str(sample["text"])
        spans = sorted(score_realistic.gold_entities(sample), key=lambda g: g[1])
        for type_, start, end in spans:
            assert type_ in score_realistic.TYPES
            assert 0 <= start < end <= len(text)
            value = text[start:end]
            assert value == value.strip(), (value, text)
        for (_, _, end), (_, start, _) in itertools.pairwise(spans):
            assert end <= start, text


def scanner_scores(samples: list[dict[str, object]]) -> score_realistic.Scores:
    scanner = f"{shlex.quote(sys.executable)} -m proxy.cli scan"
    predictions = score_realistic.run_scanner(scanner, [str(s["text"]) for s in samples])
    return score_realistic.score(samples, predictions, lenient=False)
