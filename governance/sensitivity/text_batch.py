"""The scans of many texts at once. A scan has a fixed cost of a few microseconds whatever the
text's length, and a request with tools carries dozens of short strings (names, descriptions,
schema titles), so short texts are scanned together as one text and their findings handed back
to each; long ones are scanned one by one, so a memo of earlier scans can answer them."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from governance.sensitivity.findings import Finding
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.scanner import TextScan

__all__ = ["SHORT_TEXT", "scan_batch"]

# Below this many characters a text joins the batch (the scan memo's own threshold).
SHORT_TEXT = 256
# Between two texts of a batch: no detector reads a value across an empty line.
_GAP = "\n\n"


def scan_batch(texts: Sequence[str], scan: Callable[[str], TextScan]) -> list[TextScan]:
    """`scan(text)` of each text, in order."""
    scans: list[TextScan | None] = [None] * len(texts)
    short = [i for i, text in enumerate(texts) if len(text) < SHORT_TEXT]
    for i, text in enumerate(texts):
        if len(text) >= SHORT_TEXT:
            check_budget()
            scans[i] = scan(text)
    if len(short) == 1:
        scans[short[0]] = scan(texts[short[0]])
    elif short:
        for i, result in zip(short, _scan_together([texts[i] for i in short], scan), strict=True):
            scans[i] = result
    return [s for s in scans if s is not None]


def _scan_together(texts: list[str], scan: Callable[[str], TextScan]) -> list[TextScan]:
    starts: list[int] = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + len(_GAP)
    joined = scan(_GAP.join(texts))
    found: list[list[Finding]] = [[] for _ in texts]
    straddled: set[int] = set()
    for finding in joined.findings:
        i = bisect.bisect_right(starts, finding.start) - 1
        end = starts[i] + len(texts[i])
        if finding.end > end:
            # Read across a gap: scan each text it touches alone.
            last = bisect.bisect_right(starts, finding.end - 1) - 1
            straddled.update(range(i, last + 1))
            continue
        found[i].append(
            finding._replace(start=finding.start - starts[i], end=finding.end - starts[i])
        )
    out = [TextScan(tuple(f), joined.health_context) for f in found]
    for i in straddled:
        alone = scan(texts[i])
        out[i] = TextScan(alone.findings, joined.health_context or alone.health_context)
    return out
