"""Fold a list of stages around the innermost handler, onion style."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from proxy.call import Next, Stage

__all__ = ["compose"]


def compose(stages: Sequence[Stage], innermost: Next) -> Next:
    handler = innermost
    for stage in reversed(stages):
        # A partial, not a wrapping coroutine: each stage costs one coroutine frame per call.
        handler = functools.partial(stage, next_=handler)
    return handler
