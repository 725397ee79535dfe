"""A held-out labelled corpus for the sensitivity scanner, written without reading the detectors.

`corpus(seed, count)` yields the records `bench/make_holdout_corpus.py` writes to
`bench/holdout/holdout_eval.jsonl`; `bench/score_realistic.py --corpus …` scores it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from random import Random

from .code import code, config
from .prose import prose
from .render import TYPES
from .structured import json_record, log, table

Maker = Callable[[Random], dict[str, object]]

# Kind of text, and how to make one; each kind gets an equal share of the corpus.
KINDS: dict[str, Maker] = {
    "chat": lambda r: prose(r, "chat"),
    "support": lambda r: prose(r, "support"),
    "log": log,
    "csv": lambda r: table(r, "csv"),
    "tsv": lambda r: table(r, "tsv"),
    "json": json_record,
    "code": code,
    "config": config,
    "clinical": lambda r: prose(r, "clinical"),
    "invoice": lambda r: prose(r, "invoice"),
    "hr": lambda r: prose(r, "hr"),
    "i18n": lambda r: prose(r, "i18n"),
}

SEED = 18
COUNT = 3120


def corpus(seed: int = SEED, count: int = COUNT) -> Iterator[dict[str, object]]:
    rng = Random(seed)
    kinds = list(KINDS)
    for i in range(count):
        yield KINDS[kinds[i % len(kinds)]](rng)


__all__ = ["COUNT", "KINDS", "SEED", "TYPES", "corpus"]
