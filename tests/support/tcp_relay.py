"""A TCP relay in front of the real PostgreSQL, for faults the shared server must not suffer.

`cut()` closes every connection and turns new ones away (to a client, the server has stopped);
`restore()` lets them through again. `drop_next_commit_ack()` forwards the next COMMIT to
PostgreSQL, waits for its answer (so the transaction is committed), swallows it and cuts that
connection: the client never learns that its commit went through (an ambiguous commit).

It reads the client's side as PostgreSQL messages (untyped start-up messages, then a type byte
and a length each), which is how it finds a COMMIT; the server's side is passed on as bytes
except while an acknowledgement is being swallowed.
"""

from __future__ import annotations

import asyncio
import struct
import threading
from collections.abc import Coroutine
from typing import Any
from urllib.parse import urlsplit

from tests.support.services import POSTGRES_DSN

__all__ = ["TcpRelay"]

_PROTOCOL_3 = 196608  # a start-up message; what follows it is typed
_READY_FOR_QUERY = b"Z"


class _Link:
    """One client connection and its connection to the server."""

    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client = client
        self.server = server
        self.swallowing = False
        self.ack_swallowed = asyncio.Event()

    def abort(self) -> None:
        for writer in (self.client, self.server):
            writer.transport.abort()


class TcpRelay:
    def __init__(self, target_host: str = "127.0.0.1", target_port: int = 5432) -> None:
        self._target = (target_host, target_port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._links: set[_Link] = set()
        self._down = False
        self._commit_armed = False
        self.commits_dropped = 0
        self.port = 0

    def __enter__(self) -> TcpRelay:
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._accept, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc: object) -> None:
        self.cut()
        assert self._server is not None
        self._server.close()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def dsn(self) -> str:
        """The tests' PostgreSQL DSN (its user and database), through this relay."""
        target = urlsplit(POSTGRES_DSN)
        return f"postgresql://{target.username}@127.0.0.1:{self.port}{target.path}?sslmode=disable"

    def cut(self) -> None:
        """Close every connection and turn new ones away."""
        self._call(self._set_down(True))

    def restore(self) -> None:
        self._call(self._set_down(False))

    def drop_next_commit_ack(self) -> None:
        self._call(self._arm())

    def _call(self, work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=10)

    async def _set_down(self, down: bool) -> None:
        self._down = down
        if down:
            for link in list(self._links):
                link.abort()
            self._links.clear()

    async def _arm(self) -> None:
        self._commit_armed = True

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._down:
            writer.transport.abort()
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            return
        if self._down:  # cut while this connection was being made
            writer.transport.abort()
            server_writer.transport.abort()
            return
        link = _Link(writer, server_writer)
        self._links.add(link)
        pumps = [
            asyncio.create_task(self._client_to_server(reader, link)),
            asyncio.create_task(self._server_to_client(server_reader, link)),
        ]
        # When either side ends, so does the other (PostgreSQL closes first on Terminate).
        await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        link.abort()
        self._links.discard(link)
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)

    async def _client_to_server(self, reader: asyncio.StreamReader, link: _Link) -> None:
        typed = False
        while True:
            kind = await reader.readexactly(1) if typed else b""
            length_bytes = await reader.readexactly(4)
            body = await reader.readexactly(struct.unpack("!i", length_bytes)[0] - 4)
            if not typed and body[:4] == struct.pack("!i", _PROTOCOL_3):
                typed = True
            if kind == b"Q" and body[:6].upper() == b"COMMIT" and self._commit_armed:
                self._commit_armed = False
                link.swallowing = True
            link.server.write(kind + length_bytes + body)
            await link.server.drain()
            if link.swallowing:
                await link.ack_swallowed.wait()
                self.commits_dropped += 1
                link.abort()
                return

    async def _server_to_client(self, reader: asyncio.StreamReader, link: _Link) -> None:
        # The client sends COMMIT only once it has every earlier answer, all passed on by
        # then: whatever arrives once the flag is up is the COMMIT's answer.
        swallowed = b""
        while True:
            data = await reader.read(65536)
            if not data:
                return
            if not link.swallowing:
                link.client.write(data)
                await link.client.drain()
                continue
            swallowed += data
            if _holds_ready_for_query(swallowed):
                link.ack_swallowed.set()
                return


def _holds_ready_for_query(data: bytes) -> bool:
    at = 0
    while at + 5 <= len(data):
        length = struct.unpack("!i", data[at + 1 : at + 5])[0]
        if data[at : at + 1] == _READY_FOR_QUERY and at + 1 + length <= len(data):
            return True
        at += 1 + length
    return False
