"""A streamed call's request is on the wire before the event loop runs anything queued ahead."""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
import sys
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import aiohttp
import pytest

from proxy.providers.eager_upload import eager_upload, install, start_eagerly

BODY = b'{"model":"m","stream":true,"messages":[{"role":"user","content":"end-of-body"}]}'
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


@contextlib.asynccontextmanager
async def _keep_alive_connection() -> AsyncIterator[tuple[aiohttp.ClientSession, socket.socket]]:
    """A session whose pool holds one open connection, and the server's end of it."""
    loop = asyncio.get_running_loop()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    async with aiohttp.ClientSession() as session:
        first = asyncio.create_task(session.post(url, data=BODY))
        conn, _ = await loop.sock_accept(listener)
        conn.setblocking(False)
        await _answer(conn)
        (await first).release()
        try:
            yield session, conn
        finally:
            conn.close()
            listener.close()


async def _answer(conn: socket.socket) -> None:
    loop = asyncio.get_running_loop()
    data = b""
    while not data.endswith(BODY):
        data += await loop.sock_recv(conn, 65536)
    await loop.sock_sendall(conn, ANSWER)


async def _on_wire_before_queued_callbacks(eager: bool) -> bool:
    """Whether the request's bytes reach the server before a callback queued just before the
    request was made gets to run."""
    loop = asyncio.get_running_loop()
    install(loop)
    seen: list[bool] = []
    try:
        async with _keep_alive_connection() as (session, conn):

            def arrived() -> None:
                # Blocks the loop: whatever the loop still has to send cannot arrive meanwhile.
                readable, _, _ = select.select([conn], [], [], 0.3)
                seen.append(bool(readable))

            async def post() -> None:
                with eager_upload() if eager else contextlib.nullcontext():
                    loop.call_soon(arrived)
                    (
                        await session.post(f"http://127.0.0.1:{conn.getsockname()[1]}/", data=BODY)
                    ).release()

            sending = asyncio.create_task(post())
            await _answer(conn)
            await sending
    finally:
        loop.set_task_factory(None)
    return seen == [True]


async def test_a_streamed_request_leaves_before_callbacks_queued_ahead_of_it() -> None:
    assert await _on_wire_before_queued_callbacks(eager=True)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="aiohttp starts its writer eagerly")
async def test_other_requests_keep_aiohttps_queued_writer() -> None:
    assert not await _on_wire_before_queued_callbacks(eager=False)


async def test_a_coroutine_that_finishes_at_once_gives_a_done_future() -> None:
    async def done() -> str:
        return "written"

    async def broken() -> None:
        raise OSError("reset")

    loop = asyncio.get_running_loop()
    finished = start_eagerly(loop, done())
    assert finished.done() and finished.result() == "written"
    failed = start_eagerly(loop, broken())
    assert failed.done() and isinstance(failed.exception(), OSError)


async def test_a_coroutine_that_waits_is_carried_on_by_a_task() -> None:
    loop = asyncio.get_running_loop()
    drained: asyncio.Future[None] = loop.create_future()
    steps: list[str] = []

    async def writer() -> str:
        steps.append("first write")
        await drained
        steps.append("after drain")
        await asyncio.sleep(0)
        return "all written"

    task = start_eagerly(loop, writer())
    assert steps == ["first write"] and not task.done()
    drained.set_result(None)
    assert await task == "all written"
    assert steps == ["first write", "after drain"]


async def test_cancelling_the_task_reaches_the_coroutine() -> None:
    loop = asyncio.get_running_loop()
    outcome: list[str] = []

    async def writer() -> None:
        try:
            await loop.create_future()
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise

    task = start_eagerly(loop, writer())
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert outcome == ["cancelled"]


async def test_other_tasks_go_through_the_factory_that_was_there() -> None:
    loop = asyncio.get_running_loop()
    made: list[Coroutine[Any, Any, Any]] = []

    def previous(
        loop: asyncio.AbstractEventLoop, coro: Any, /, **kwargs: Any
    ) -> asyncio.Future[Any]:
        made.append(coro)
        return asyncio.Task(coro, loop=loop, **kwargs)

    loop.set_task_factory(previous)
    try:
        install(loop)
        with eager_upload():
            assert await asyncio.create_task(asyncio.sleep(0, "slept")) == "slept"
    finally:
        loop.set_task_factory(None)
    assert len(made) == 1
