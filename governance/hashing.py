"""Hashing on the request's thread without letting go of the GIL.

hashlib lets go of the GIL for every piece of 2 KiB or more, and OpenSSL's one-shot HMAC
always does: another thread (the evidence writer) then takes the core in the middle of a
request, and a 4 µs hash of a 2 KB body was measured at 20 µs on average, some over 1 ms. Fed in
smaller pieces, a hash stays on the thread that asked for it.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["feed"]

# hashlib keeps the GIL for pieces shorter than this (HASHLIB_GIL_MINSIZE is 2048).
_PIECE = 2047


class Hasher(Protocol):
    def update(self, data: bytes | memoryview, /) -> None: ...


def feed(hasher: Hasher, data: bytes) -> None:
    if len(data) <= _PIECE:
        hasher.update(data)
        return
    view = memoryview(data)
    for start in range(0, len(view), _PIECE):
        hasher.update(view[start : start + _PIECE])
