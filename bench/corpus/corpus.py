"""The whole corpus: how many texts of each kind, each kind drawn from its own seeded source."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
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
from .slots import COMMON
from .template import from_templates

Make = Callable[[Random], Sample]


def _templated(kind: str, templates: tuple[str, ...]) -> Make:
    """A kind that is nothing but templates over the shared slots."""
    return partial(from_templates, kind, templates, COMMON)


KINDS: tuple[tuple[str, int, Make], ...] = (
    (chat.KIND, 380, _templated(chat.KIND, chat.TEMPLATES)),
    (support.KIND, 320, _templated(support.KIND, support.TEMPLATES)),
    (logs.KIND, 420, logs.make),
    (tables.KIND, 260, tables.make),
    (records.KIND, 320, records.make),
    (code.KIND, 300, _templated(code.KIND, code.TEMPLATES)),
    (configs.KIND, 340, _templated(configs.KIND, configs.TEMPLATES)),
    (clinical.KIND, 280, _templated(clinical.KIND, clinical.TEMPLATES)),
    (invoices.KIND, 220, _templated(invoices.KIND, invoices.TEMPLATES)),
    (hr_letters.KIND, 220, _templated(hr_letters.KIND, hr_letters.TEMPLATES)),
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
