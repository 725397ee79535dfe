"""Every row in the spools under a root, as `verify` reads them while writers may be running.

Read before the store: a segment that disappears meanwhile was deleted by its writer only once
every row in it was committed, so the store read after this holds those rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from governance.evidence.record import StoredRecord
from governance.evidence.spool import list_segments
from governance.evidence.spool_rows import decode_rows

__all__ = ["spooled_rows"]


def spooled_rows(root: Path) -> Iterator[StoredRecord]:
    """Each writer's rows in sequence order (a torn last row, from a power loss, left out)."""
    writers = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for directory in writers:
        if directory.name.startswith("."):
            continue
        for path in list_segments(directory):
            try:
                data = path.read_bytes()
            except FileNotFoundError:  # stored and deleted since it was listed
                continue
            where = f"{directory.name}/{path.name}"
            yield from decode_rows(directory.name, data.split(b"\n")[:-1], where)
