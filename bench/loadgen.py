"""A cheap, bounded HTTP/1.1 load generator: raw asyncio sockets, keep-alive, httptools parsing.

An httpx-based client saturates long before the gateway does; this one costs a few tens of
microseconds per request, so the numbers are the server's.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httptools


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    first_chunk: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


class _Response:
    def __init__(self) -> None:
        self.done = False
        self.first_body: float | None = None
        self.status = 0

    def on_body(self, body: bytes) -> None:
        if self.first_body is None and body:
            self.first_body = time.perf_counter()

    def on_message_complete(self) -> None:
        self.done = True


def build_request(port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    head = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
    ]
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


# Eight letters in a request body that the generator replaces on every request, so that no two
# prompts are the same (nothing downstream can answer from a memo of an earlier one).
UNIQUE_MARK = b"qqqqqqqq"


# One count for the whole process: a stamp is never used twice, whatever the workload, so a later
# workload cannot meet answers cached under an earlier one's prompts.
_STAMPS = itertools.count(1)


class _Stamper:
    """The request with a fresh eight-letter stamp in place of UNIQUE_MARK, when it has one."""

    def __init__(self, request: bytes) -> None:
        self._head, found, self._tail = request.partition(UNIQUE_MARK)
        self._constant = None if found else request

    def __call__(self) -> bytes:
        if self._constant is not None:
            return self._constant
        n, letters = next(_STAMPS), bytearray(b"a" * len(UNIQUE_MARK))
        for i in range(len(letters) - 1, -1, -1):
            n, letters[i] = n // 26, 97 + n % 26
        return self._head + bytes(letters) + self._tail


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> _Response:
    """One request on a kept-alive connection, read to the end of its answer."""
    response = _Response()
    parser = httptools.HttpResponseParser(response)
    writer.write(request)
    while not response.done:
        data = await reader.read(65536)
        if not data:
            raise ConnectionError("server closed the connection")
        parser.feed_data(data)
    response.status = parser.get_status_code()
    return response


async def _worker(
    port: int, request: _Stamper, stop_at: float, result: LoadResult, measure_from: float
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            response = await exchange(reader, writer, request())
            if started < measure_from:
                continue
            if response.status != 200:
                result.errors += 1
                continue
            result.latencies.append(time.perf_counter() - started)
            if response.first_body is not None:
                result.first_chunk.append(response.first_body - started)
    finally:
        writer.close()


async def run_load(
    port: int,
    request: bytes,
    concurrency: int,
    seconds: float,
    warmup: float = 0.5,
    on_measure: Callable[[], None] | None = None,
) -> LoadResult:
    """`on_measure` is called when the warm-up ends and measuring begins (to read a counter)."""
    result = LoadResult()
    begin = time.perf_counter()
    measure_from = begin + warmup
    stop_at = measure_from + seconds
    stamped = _Stamper(request)
    if on_measure is not None:
        asyncio.get_running_loop().call_later(warmup, on_measure)
    outcomes = await asyncio.gather(
        *(_worker(port, stamped, stop_at, result, measure_from) for _ in range(concurrency)),
        return_exceptions=True,
    )
    result.errors += sum(1 for o in outcomes if isinstance(o, BaseException))
    result.elapsed = time.perf_counter() - measure_from
    return result
