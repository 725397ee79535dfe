"""What a log may say about an exception: its type and where it was raised, never its message
or arguments, which may hold request values (an exception about a key names the key, one
about a value quotes it)."""

from __future__ import annotations

import traceback

__all__ = ["describe_failure"]


def describe_failure(exc: BaseException) -> str:
    """`ValueError at governance/x.py:12 in f <- proxy/y.py:40 in g`, causes included."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        where = " <- ".join(
            f"{_short(f.filename)}:{f.lineno} in {f.name}" for f in reversed(frames)
        )
        parts.append(f"{type(current).__name__} at {where or 'an unknown place'}")
        current = current.__cause__ or current.__context__
    return "; caused by ".join(parts)


def _short(path: str) -> str:
    for root in ("/proxy/", "/governance/", "/site-packages/"):
        at = path.rfind(root)
        if at != -1:
            return path[at + 1 :]
    return path
