"""The open client connections of one server process, the idle ones oldest first, so the
process sheds idle connections before it runs out of file descriptors."""

from __future__ import annotations

from typing import Protocol

__all__ = ["ConnectionBoard", "Sheddable"]


class Sheddable(Protocol):
    def shed(self) -> None:
        """Close the connection now: it is idle and its place is needed."""


class ConnectionBoard:
    """Counts open connections against a cap. A connection is idle from when it opens until
    its first request's head is complete, and again between requests; a new connection past
    the cap closes the oldest idle one, and is refused when none is idle."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._open: set[Sheddable] = set()
        self._idle: dict[Sheddable, None] = {}  # insertion order: oldest idle first

    def admit(self, connection: Sheddable) -> bool:
        while len(self._open) >= self.cap and self._idle:
            oldest = next(iter(self._idle))
            self.gone(oldest)  # its descriptor is released once the loop closes it
            oldest.shed()
        if len(self._open) >= self.cap:
            return False
        self._open.add(connection)
        self._idle[connection] = None
        return True

    def busy(self, connection: Sheddable) -> None:
        self._idle.pop(connection, None)

    def idle(self, connection: Sheddable) -> None:
        if connection in self._open:
            self._idle[connection] = None

    def gone(self, connection: Sheddable) -> None:
        self._open.discard(connection)
        self._idle.pop(connection, None)
