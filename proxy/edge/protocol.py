"""uvicorn's httptools protocol with the limits a public edge needs.

A request's head must arrive within `header_timeout_s` of the connection opening (or of the
next request's first byte), its body without a silence longer than `body_idle_timeout_s`, and
all of it within `request_timeout_s`; a head over `max_header_bytes` or `max_headers` is
answered 431. Connections are counted on a ConnectionBoard, which sheds the oldest idle ones
before the process runs out of descriptors.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, cast

import httptools
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from proxy.edge.answers import (
    bad_http,
    connection_refused,
    head_too_large,
    raw_answer,
    request_timed_out,
    too_many_headers,
)
from proxy.wire.errors import GatewayError

if TYPE_CHECKING:
    from proxy.edge.uvicorn_config import EdgeConfig

__all__ = ["EdgeProtocol"]

# Bytes a header line adds beyond its name and value: ": " and CRLF.
_HEADER_LINE_OVERHEAD = 4
# After an error answer, how long the connection reads (and drops) what the client still sends,
# so the client reads the answer rather than a reset for bytes it had in flight.
_LINGER_S = 1.0


class _Refused(Exception):
    """Raised inside a parser callback to stop parsing a request already answered."""


class EdgeProtocol(HttpToolsProtocol):
    """Clocks run only while a request is coming in, and only one at a time; a head or body
    that arrives whole in one read arms none (the hot path pays no timer)."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        edge = cast("EdgeConfig", config)
        self.limits = edge.limits
        self.board = edge.board
        self._deadline: asyncio.TimerHandle | None = None
        self._started_at = 0.0  # when the current request began (or the connection opened)
        self._timed = False  # _started_at is the current request's
        self._last_read_at = 0.0  # the last body bytes
        self._awaiting_head = True  # no request, or one whose head is incomplete
        self._head_begun = False
        self._in_body = False
        # Bytes read since the current head began, when `_head_counted`: at least its size.
        self._head_raw = 0
        self._head_counted = False
        self._lingering = False

    # -- connection --------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if not self.board.admit(self):
            # Closed at once, not lingering: under this pressure every descriptor counts.
            transport.write(raw_answer(connection_refused()))
            transport.close()
            return
        self._started_at, self._timed = self.loop.time(), True
        self._arm(self._head_limit())  # a connection that never says a word is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_clock()
        self.board.gone(self)
        super().connection_lost(exc)

    def shed(self) -> None:
        self._stop_clock()
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return
        self._unset_keepalive_if_required()
        if self._awaiting_head:
            if not self._head_begun:  # this read starts at a request's first byte
                self._head_counted = True
            self._head_raw += len(data)
        elif self._in_body:
            self._last_read_at = self.loop.time()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            pass  # websockets are off: the request goes on as plain HTTP
        except httptools.HttpParserError as exc:
            if not isinstance(exc.__context__, _Refused):
                self._answer_and_close(bad_http(), for_current=False)
            return
        if self._in_body or self._head_begun:
            self._after_a_partial_read()

    def _after_a_partial_read(self) -> None:
        """The read left a request incomplete: it gets its clock if none runs, and a head
        already past the limit is refused before more of it is buffered."""
        if self.transport.is_closing():
            return
        if not self._in_body and self._head_raw > self.limits.max_header_bytes:
            self._answer_and_close(head_too_large(self.limits.max_header_bytes), False)
            return
        if self._deadline is not None:
            return
        now = self.loop.time()
        if not self._timed:  # the request began in this read
            self._started_at, self._timed = now, True
        if self._in_body:
            self._last_read_at = now
            self._arm(self._body_due() - now)
        else:
            self._arm(self._started_at + self._head_limit() - now)

    # -- parser callbacks --------------------------------------------------------------------

    # The base class's methods are called directly, not through super(): these run for every
    # request, and the super object costs as much as the rest of what they add.

    def on_message_begin(self) -> None:
        HttpToolsProtocol.on_message_begin(self)
        self._head_begun = True

    def on_headers_complete(self) -> None:
        limits = self.limits
        if len(self.headers) > limits.max_headers or not (
            self._head_counted and self._head_raw <= limits.max_header_bytes
        ):
            self._check_head()
        if self._deadline is not None:
            self._stop_clock()
        self._awaiting_head = self._head_begun = False
        self._in_body = True
        self._head_raw = 0
        self.board.busy(self)
        HttpToolsProtocol.on_headers_complete(self)

    def on_message_complete(self) -> None:
        HttpToolsProtocol.on_message_complete(self)
        self._in_body = self._timed = False
        self._awaiting_head = True
        self._head_counted = False  # a head that begins later in this read is not counted
        if self._deadline is not None:
            self._stop_clock()

    def on_response_complete(self) -> None:
        HttpToolsProtocol.on_response_complete(self)
        if self.timeout_keep_alive_task is not None:  # nothing pipelined: idle until the next
            self.board.idle(self)

    # -- limits ------------------------------------------------------------------------------

    def _check_head(self) -> None:
        """Called when the count is over, or when the reads that held the head do not prove it
        within the size limit (they were over it, or it began inside a read)."""
        limits = self.limits
        if len(self.headers) > limits.max_headers:
            self._answer_and_close(too_many_headers(limits.max_headers), for_current=False)
            raise _Refused
        size = len(self.url) + sum(
            len(name) + len(value) + _HEADER_LINE_OVERHEAD for name, value in self.headers
        )
        if size > limits.max_header_bytes:
            self._answer_and_close(head_too_large(limits.max_header_bytes), for_current=False)
            raise _Refused

    def _head_limit(self) -> float:
        return min(self.limits.header_timeout_s, self.limits.request_timeout_s)

    def _body_due(self) -> float:
        limits = self.limits
        return min(
            self._last_read_at + limits.body_idle_timeout_s,
            self._started_at + limits.request_timeout_s,
        )

    def _arm(self, delay: float) -> None:
        self._deadline = self.loop.call_later(max(delay, 0.0), self._on_deadline)

    def _stop_clock(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _on_deadline(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if not self._in_body:
            # Bytes of a head came and stopped: say so. A silent connection is just closed.
            if self._head_begun:
                self._answer_and_close(request_timed_out(self._head_limit(), "headers"), False)
            else:
                self.transport.close()
            return
        if self.flow.read_paused:  # the app has not read what came: not the client's delay
            self._arm(self.limits.body_idle_timeout_s)
            return
        now = self.loop.time()
        due = self._body_due()
        if now < due:
            self._arm(due - now)
            return
        limits = self.limits
        whole = now >= self._started_at + limits.request_timeout_s
        error = (
            request_timed_out(limits.request_timeout_s, "headers and body")
            if whole
            else request_timed_out(limits.body_idle_timeout_s, "body")
        )
        self._answer_and_close(error, for_current=True)

    def _answer_and_close(self, error: GatewayError, for_current: bool) -> None:
        """Answer `error` and close. `for_current`: the error is about the request whose cycle
        runs now, which the app must then see as gone; otherwise it is about a request that has
        no cycle yet, and is answered only when no other answer is on the wire."""
        cycle = self.cycle
        if for_current and cycle is not None and not cycle.response_started:
            cycle.disconnected = True
            cycle.message_event.set()
        elif for_current or not (cycle is None or cycle.response_complete):
            self.transport.close()
            return
        self.transport.write(raw_answer(error))
        self._linger()

    def _linger(self) -> None:
        self._stop_clock()
        self._lingering = True
        self.board.idle(self)  # the first to go if its place is needed
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.flow.resume_reading()
        self._deadline = self.loop.call_later(_LINGER_S, self.transport.close)
