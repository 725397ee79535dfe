"""Fold a list of stages around the innermost handler, onion style."""

from __future__ import annotations

from collections.abc import Sequence

from proxy.call import Call, Next, Reply, Stage

__all__ = ["compose"]


def compose(stages: Sequence[Stage], innermost: Next) -> Next:
    handler = innermost
    for stage in reversed(stages):
        handler = _bind(stage, handler)
    return handler


def _bind(stage: Stage, next_: Next) -> Next:
    async def run(call: Call) -> Reply:
        return await stage(call, next_)

    return run
