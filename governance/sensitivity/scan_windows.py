"""A long text is scanned a window at a time: each window's cost is bounded whatever the text
holds, so a scan can stop between windows, and no single step of native code or of a regular
expression holds the interpreter for long.

Windows of `WINDOW` characters read `CONTEXT` more on each side, so a value's context words and
a value that crosses into the next window (a PEM block, at most about 3.3 KB for a 4096-bit
key) are seen whole; a finding belongs to the window where it starts. A finding longer than
`CONTEXT` that starts near a window's end is out of reach.
"""

from __future__ import annotations

from collections.abc import Callable

from governance.sensitivity.findings import Finding
from governance.sensitivity.scan_budget import check_budget
from governance.sensitivity.scanner import TextScan, scan_text

__all__ = ["CONTEXT", "WINDOW", "scan_long"]

WINDOW = 16_384
CONTEXT = 4_096


def scan_long(text: str, scan: Callable[[str], TextScan] = scan_text) -> TextScan:
    if len(text) <= WINDOW + 2 * CONTEXT:
        return scan(text)
    findings: list[Finding] = []
    health = False
    for home in range(0, len(text), WINDOW):
        check_budget()
        low = max(0, home - CONTEXT)
        part = scan(text[low : home + WINDOW + CONTEXT])
        health = health or part.health_context
        for finding in part.findings:
            start = finding.start + low
            if home <= start < home + WINDOW:
                findings.append(finding._replace(start=start, end=finding.end + low))
    return TextScan(tuple(findings), health)
