"""At start-up: the spools that writers left when they died (kill -9, a crash, a power loss),
claimed so that this process replays them into the store, each under its own writer id.

A spool belongs to a dead writer when its lock can be taken: a living writer holds its own for
as long as it lives, and the kernel lets go of it when the process ends, however it ends.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from governance.evidence.spool import HEAD_FILE, list_segments, remove_directory, try_lock

__all__ = ["OrphanSpool", "claim_orphans"]

_STALE_MAKING_S = 60.0


@dataclass(slots=True)
class OrphanSpool:
    directory: Path
    lock: int
    segments: list[Path]

    @property
    def writer_id(self) -> str:
        return self.directory.name

    def rows(self) -> int:
        """How many rows it holds (what is still to be replayed), counted once at start-up."""
        total = 0
        for path in self.segments:
            with open(path, "rb") as segment:
                total += segment.read().count(b"\n")
        return total

    def remove(self) -> None:
        """Everything it held is in the store."""
        remove_directory(self.directory)
        self.release()

    def release(self) -> None:
        if self.lock >= 0:
            os.close(self.lock)
            self.lock = -1


def claim_orphans(root: Path, own: str) -> list[OrphanSpool]:
    claimed = []
    for directory in sorted(root.iterdir()) if root.is_dir() else []:
        if directory.name == own or not directory.is_dir():
            continue
        lock = try_lock(directory)
        if lock is None:  # a living writer's, or gone meanwhile
            continue
        segments = list_segments(directory)
        if directory.name.startswith("."):
            # Being made by a process starting now, or left by one that died doing so.
            if time.time() - directory.stat().st_mtime > _STALE_MAKING_S:
                remove_directory(directory)
            os.close(lock)
        elif segments:
            claimed.append(OrphanSpool(directory, lock, segments))
        elif (directory / HEAD_FILE).exists():  # a configured writer's, for its next start
            os.close(lock)
        else:
            remove_directory(directory)
            os.close(lock)
    return claimed
