"""This writer's local spool: every linked record is appended here before its answer is sent,
and the store is written from it (see spool_cursor.py).

One directory per writer under the spool root, holding `lock` (an flock the living writer
keeps: the kernel lets go of it when the process dies, however it dies), segment files named
after their first sequence number, and, after a clean stop of a writer whose id is configured,
`head` (the chain's last seq and hash, so the next start continues it without the store).
An append is one write() into the page cache; segments are fsynced only in sync durability.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from governance.evidence.spool_rows import decode_rows

__all__ = ["HEAD_FILE", "Spool", "SpoolBusy", "list_segments", "remove_directory", "try_lock"]

SEGMENT_SUFFIX = ".rows"
_SEGMENT_BYTES = 8 << 20
HEAD_FILE = "head"
_LOCK = "lock"


class SpoolBusy(Exception):
    """Another living process writes under this writer id."""


class Spool:
    def __init__(self, directory: Path, lock: int, *, durable: bool) -> None:
        self.directory = directory
        self.writer_id = directory.name
        # Shared with this spool's cursor, which drops the first ones once they are stored.
        self.segments = list_segments(directory)
        self._lock = lock
        self._durable = durable
        self._fd = -1
        self._size = 0

    @classmethod
    def open(cls, root: Path, writer_id: str, *, durable: bool) -> Spool:
        """Lock (creating it if need be) the spool directory of `writer_id`; SpoolBusy if a
        living process holds it."""
        root.mkdir(parents=True, exist_ok=True)
        directory = root / writer_id
        lock = try_lock(directory) if directory.exists() else _create_locked(root, writer_id)
        if lock is None:
            raise SpoolBusy(f"evidence writer {writer_id} is in use (its spool {directory})")
        return cls(directory, lock, durable=durable)

    def head(self) -> tuple[int, str] | None:
        """The chain's last (seq, hash) as this directory knows it: its last row, or the head
        a clean stop left; None when it knows nothing."""
        for path in reversed(self.segments):
            lines = path.read_bytes().split(b"\n")[:-1]  # a torn last line does not count
            if lines:
                last = decode_rows(self.writer_id, lines[-1:], f"{self.writer_id}/{path.name}")[0]
                return last.seq, last.hash
        with contextlib.suppress(FileNotFoundError):
            seq, digest = (self.directory / HEAD_FILE).read_text().split()
            return int(seq), digest
        return None

    def begin(self, next_seq: int) -> None:
        """Open the segment that the next record (`next_seq`) starts."""
        path = self.directory / f"{next_seq:016d}{SEGMENT_SUFFIX}"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        size = os.fstat(fd).st_size
        if size:  # left by an earlier life of this writer: drop a torn tail before appending
            with open(path, "rb") as existing:
                size = existing.read().rfind(b"\n") + 1
            os.ftruncate(fd, size)
        if self._durable:
            _fsync_directory(self.directory)
        if path not in self.segments:
            self.segments.append(path)
        self._fd, self._size = fd, size

    def append(self, line: bytes, seq: int) -> None:
        """One write() of one whole row; a short write is undone, so no torn row stays."""
        written = os.write(self._fd, line)
        if written != len(line):
            os.ftruncate(self._fd, self._size)
            raise OSError(errno.ENOSPC, "short write to the evidence spool", str(self.directory))
        self._size += written
        if self._size >= _SEGMENT_BYTES:
            self._close_segment()
            self.begin(seq + 1)

    def syncer(self) -> Callable[[], None]:
        """fsyncs what was appended so far; safe on another thread, even once this segment
        has been closed by a rotation (it holds its own descriptor)."""
        fd = os.dup(self._fd)

        def sync() -> None:
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

        return sync

    def retire(self, head: tuple[int, str] | None, keep_head: bool) -> None:
        """Everything here is in the store: remove the segments, and keep only the head (a
        configured writer id continues its chain at the next start) or nothing."""
        self._close_segment()
        for path in self.segments:
            path.unlink(missing_ok=True)
        self.segments.clear()
        if keep_head and head is not None:
            spare = self.directory / f".{HEAD_FILE}.new"
            spare.write_text(f"{head[0]} {head[1]}\n")
            spare.replace(self.directory / HEAD_FILE)
        elif not keep_head:
            remove_directory(self.directory)
        self.release()

    def release(self) -> None:
        """Stop appending and let go of the lock; what is on disk stays for the next start."""
        self._close_segment()
        if self._lock >= 0:
            os.close(self._lock)
            self._lock = -1

    def _close_segment(self) -> None:
        if self._fd >= 0:
            if self._durable:
                os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1


def list_segments(directory: Path) -> list[Path]:
    # Zero-padded names: sorted by name is sorted by first seq.
    return sorted(directory.glob(f"*{SEGMENT_SUFFIX}"))


def try_lock(directory: Path) -> int | None:
    """The directory's lock, taken; None if a living process holds it or it is gone."""
    try:
        fd = os.open(directory / _LOCK, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def remove_directory(directory: Path) -> None:
    for path in directory.iterdir():
        path.unlink(missing_ok=True)
    with contextlib.suppress(FileNotFoundError, OSError):
        directory.rmdir()


def _create_locked(root: Path, writer_id: str) -> int | None:
    """Made under a hidden name and renamed once locked, so no other process ever sees the
    directory unlocked and takes it for the spool of a dead writer."""
    making = root / f".{writer_id}.{secrets.token_hex(4)}.new"
    making.mkdir(mode=0o700)
    fd = os.open(making / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        making.rename(root / writer_id)
    except OSError:  # made meanwhile by another process starting under the same id
        os.close(fd)
        remove_directory(making)
        return try_lock(root / writer_id)
    return fd


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
