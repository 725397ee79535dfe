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
from proxy.errors import GatewayError

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
        self._started_at = 0.0  # when the current request's head began (or the connection)
        self._last_read_at = 0.0  # the last body bytes
        self._awaiting_head = True
        self._in_body = False
        self._head_raw = 0  # bytes received while the current head is incomplete
        self._lingering = False

    # -- connection --------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if not self.board.admit(self):
            # Closed at once, not lingering: under this pressure every descriptor counts.
            transport.write(raw_answer(connection_refused()))
            transport.close()
            return
        self._start_head_clock()

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
        if self._awaiting_head and self._head_raw > self.limits.max_header_bytes:
            # A head still incomplete past the limit: refuse before buffering more of it.
            self._answer_and_close(head_too_large(self.limits.max_header_bytes), False)
        elif self._in_body and self._deadline is None and not self.transport.is_closing():
            self._start_body_clock()

    # -- parser callbacks --------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # a later request on a kept-alive connection
            self._start_head_clock()

    def on_headers_complete(self) -> None:
        self._check_head()
        self._stop_clock()
        self._awaiting_head = False
        self._in_body = True
        self._head_raw = 0
        self.board.busy(self)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_body = False
        self._awaiting_head = True
        self._stop_clock()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.timeout_keep_alive_task is not None:  # nothing pipelined: idle until the next
            self.board.idle(self)

    # -- limits ------------------------------------------------------------------------------

    def _check_head(self) -> None:
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

    def _start_head_clock(self) -> None:
        self._started_at = self.loop.time()
        limits = self.limits
        self._arm(min(limits.header_timeout_s, limits.request_timeout_s))

    def _start_body_clock(self) -> None:
        self._last_read_at = self.loop.time()
        self._arm(self._body_due() - self._last_read_at)

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
            if self._head_raw:
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
        limit = min(self.limits.body_idle_timeout_s, self.limits.request_timeout_s)
        self._answer_and_close(request_timed_out(limit, "body"), for_current=True)

    def _head_limit(self) -> float:
        return min(self.limits.header_timeout_s, self.limits.request_timeout_s)

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
