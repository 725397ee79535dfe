"""A bounded wait for one of a provider's pooled upstream connections."""

from __future__ import annotations

import asyncio

import aiohttp

__all__ = ["ConnectionSlots"]


class ConnectionSlots:
    """aiohttp queues a request without limit while all its pooled connections are busy (1,000
    streams on a pool of 256 waited up to 15.7 s for their first byte). A call takes a slot
    before its request and the slot comes back when aiohttp lets the connection go; a call that
    gets none within `wait_s` is turned away (another backend may have room)."""

    def __init__(self, size: int, wait_s: float) -> None:
        self.size = size
        self.wait_s = wait_s
        self._free = asyncio.Semaphore(size)

    async def take(self) -> bool:
        """True once a slot is held; False if none came free in time."""
        if not self._free.locked():
            return await self._free.acquire()  # at once
        try:
            async with asyncio.timeout(self.wait_s):
                return await self._free.acquire()
        except TimeoutError:
            return False

    def hold(self, response: aiohttp.ClientResponse) -> None:
        """The slot goes back when aiohttp releases or closes the response's connection."""
        connection = response.connection
        if connection is None:  # already released: the whole answer was read
            self._free.release()
        else:
            connection.add_callback(self._free.release)

    def give_back(self) -> None:
        self._free.release()
