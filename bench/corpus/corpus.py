"""The whole corpus: how many texts of each kind, each kind drawn from its own seeded source."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from random import Random

from .document import Sample
from .kinds import (
    chat,
    clinical,
    code,
    configs,
    hr_letters,
    invoices,
    languages,
    logs,
    records,
    support,
    tables,
)

KINDS: tuple[tuple[str, int, Callable[[Random], Sample]], ...] = (
    (chat.KIND, 380, chat.make),
    (support.KIND, 320, support.make),
    (logs.KIND, 420, logs.make),
    (tables.KIND, 260, tables.make),
    (records.KIND, 320, records.make),
    (code.KIND, 300, code.make),
    (configs.KIND, 340, configs.make),
    (clinical.KIND, 280, clinical.make),
    (invoices.KIND, 220, invoices.make),
    (hr_letters.KIND, 220, hr_letters.make),
    (languages.KIND, 360, languages.make),
)


def generate(seed: int) -> list[Sample]:
    """Deterministic for a seed: each kind has its own source, so adding one leaves the rest."""
    samples: list[Sample] = []
    for kind, count, make in KINDS:
        rng = Random(f"{seed}:{kind}")
        samples.extend(make(rng) for _ in range(count))
    return samples


def write_jsonl(samples: list[Sample], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for sample in samples:
            out.write(json.dumps(sample.to_json(), ensure_ascii=False) + "\n")
