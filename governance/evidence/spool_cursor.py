"""Reading a writer's spool in order, for its drain into the store (and for `verify`).

Rows handed out stay held until the drain acknowledges them (they are in the store): a failed
write retries the same rows, and a segment is deleted only once every row in it is acknowledged.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from governance.evidence.record import StoredRecord
from governance.evidence.spool_rows import decode_rows

__all__ = ["SpoolCursor"]

log = logging.getLogger("metaqore.evidence")

_CHUNK = 256 * 1024


class SpoolCursor:
    def __init__(
        self, writer_id: str, segments: list[Path], *, live: bool, delete: bool = True
    ) -> None:
        self.writer_id = writer_id
        # A live spool appends to the last segment of this same list; only the cursor removes
        # (the first) ones, and only segments it has read to their end.
        self._segments = segments
        self._live = live
        self._delete = delete
        self._held: list[tuple[StoredRecord, int, int]] = []  # row, segment index, end offset
        self._at = (0, 0)  # where reading goes on: segment index, byte offset
        self._fds: dict[Path, int] = {}

    def read(self, limit: int) -> list[StoredRecord]:
        """The oldest rows not yet acknowledged, up to `limit` (fewer when the spool has no
        more whole rows)."""
        while len(self._held) < limit:
            index, offset = self._at
            if index >= len(self._segments):
                break
            lines, end, torn = self._lines(index, offset, limit - len(self._held))
            if lines:
                self._hold(lines, index, offset)
                continue
            last = index + 1 == len(self._segments)
            if torn and not (last and self._live):  # only a power loss tears a row
                log.warning("evidence spool %s: a torn row was dropped", self._segments[index])
                self._at = (index, end)
            if last:
                break
            self._at = (index + 1, 0)  # this segment is complete: on to the next
        return [row for row, _, _ in self._held[:limit]]

    def acknowledge(self, count: int) -> None:
        """The first `count` rows read are in the store."""
        _, index, _ = self._held[count - 1]
        del self._held[:count]
        if self._delete and index > 0:  # every row before segment `index` is stored
            for path in self._segments[:index]:
                self._close(path)
                path.unlink(missing_ok=True)
            del self._segments[:index]
            self._held = [(row, i - index, end) for row, i, end in self._held]
            self._at = (self._at[0] - index, self._at[1])

    def close(self) -> None:
        for path in list(self._fds):
            self._close(path)

    def _hold(self, lines: list[bytes], index: int, offset: int) -> None:
        rows = decode_rows(self.writer_id, lines, f"{self.writer_id}/{self._segments[index].name}")
        for line, row in zip(lines, rows, strict=True):
            offset += len(line) + 1
            self._held.append((row, index, offset))
        self._at = (index, offset)

    def _lines(self, index: int, offset: int, limit: int) -> tuple[list[bytes], int, bool]:
        """Up to `limit` whole lines from `offset`; the offset after them; whether bytes
        without a line end follow them at the end of the file."""
        fd = self._open(self._segments[index])
        size = _CHUNK
        while True:
            data = os.pread(fd, size, offset)
            end = data.rfind(b"\n")
            if end < 0 and len(data) == size:
                size *= 2  # one row longer than the chunk
                continue
            lines = data[:end].split(b"\n") if end >= 0 else []
            if len(lines) > limit:
                lines = lines[:limit]
            used = sum(len(line) + 1 for line in lines)
            if lines or len(data) < size:  # at the end of the file: the rest is a torn row
                return lines, offset + (used or len(data)), not lines and bool(data)

    def _open(self, path: Path) -> int:
        fd = self._fds.get(path)
        if fd is None:
            fd = self._fds[path] = os.open(path, os.O_RDONLY)
        return fd

    def _close(self, path: Path) -> None:
        fd = self._fds.pop(path, None)
        if fd is not None:
            os.close(fd)
