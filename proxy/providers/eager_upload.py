"""A streamed call's request leaves for its upstream at once, on Python 3.11 too.

aiohttp writes a request's body (and the headers it holds back to send with it) from a task of
its own. From Python 3.12 it starts that task eagerly, so the request is on the wire when
`session.post()` first waits; on 3.11 the task waits its turn on the event loop, behind every
callback already queued, which under load means other calls' whole governance. For a stream
that wait adds to the time to its first token, so while `eager_upload()` is active in the
calling task, a task factory runs aiohttp's body writer's first step in place, as 3.12 does.

Whole answers keep aiohttp's 3.11 behaviour: under load the waiting writes go out in batches,
and eager writes were measured to cost about 10 % more CPU a call at concurrency 64.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Coroutine, Generator, Iterator
from contextvars import Context, ContextVar
from typing import Any

from aiohttp.client_reqrep import ClientRequest

__all__ = ["eager_upload", "install", "start_eagerly"]

_ACTIVE: ContextVar[bool] = ContextVar("metaqore_eager_upload", default=False)
# None if an aiohttp release renames it: streams then wait as whole answers do (a unit test
# fails on such a release, so the loss is seen).
_BODY_WRITER = getattr(getattr(ClientRequest, "write_bytes", None), "__code__", None)


@contextlib.contextmanager
def eager_upload() -> Iterator[None]:
    """While active, aiohttp requests made by this task are written out at once."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def install(loop: asyncio.AbstractEventLoop) -> None:
    """Put the task factory on `loop` (a no-op from Python 3.12, where aiohttp is eager)."""
    if sys.version_info >= (3, 12) or _BODY_WRITER is None:
        return
    previous = loop.get_task_factory()

    def factory(
        loop: asyncio.AbstractEventLoop, coro: Any, /, **kwargs: Any
    ) -> asyncio.Future[Any]:
        if _ACTIVE.get() and getattr(coro, "cr_code", None) is _BODY_WRITER:
            return start_eagerly(loop, coro, kwargs.get("context"))
        if previous is None:
            return asyncio.Task(coro, loop=loop, **kwargs)
        return previous(loop, coro, **kwargs)

    loop.set_task_factory(factory)


def start_eagerly(
    loop: asyncio.AbstractEventLoop,
    coro: Coroutine[Any, Any, Any],
    context: Context | None = None,
) -> asyncio.Future[Any]:
    """Run `coro` up to its first real wait now; a task carries it on from there. A coroutine
    that finishes in that first step gets a done future, which aiohttp takes as it takes a
    finished eager task."""
    try:
        pending = coro.send(None)
    except StopIteration as done:
        future: asyncio.Future[Any] = loop.create_future()
        future.set_result(done.value)
        return future
    except (KeyboardInterrupt, SystemExit):
        raise  # as a task's step does
    except BaseException as exc:
        future = loop.create_future()
        future.set_exception(exc)
        return future
    return asyncio.Task(_Carried(coro, pending), loop=loop, context=context)


class _Carried(Coroutine[Any, Any, Any]):
    """`coro` after its eager first step, for a task to carry on: the task's first step waits
    on what that step yielded, and anything thrown in (a cancellation) reaches `coro`, even
    before that first step."""

    def __init__(self, coro: Coroutine[Any, Any, Any], pending: Any) -> None:
        self._coro = coro
        self._pending = pending
        self._handed = False

    def send(self, value: Any) -> Any:
        if not self._handed:
            self._handed = True
            return self._pending
        return self._coro.send(value)

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        self._handed = True
        if val is None and tb is None:
            return self._coro.throw(typ)
        return self._coro.throw(typ, val, tb)

    def close(self) -> None:
        self._coro.close()

    def __await__(self) -> Generator[Any, None, Any]:
        raise TypeError("a carried coroutine is run by its task, never awaited")
