"""aiohttp's exceptions mapped to what the client sees, in the one place that maps them."""

from __future__ import annotations

import aiohttp
from aiohttp.client_reqrep import ConnectionKey

from proxy.providers.transport_failures import (
    TRANSPORT_FAILURES,
    mid_stream_failure,
    upstream_failure,
)

KEY = ConnectionKey("127.0.0.1", 9, False, True, None, None, None)


def test_a_refused_connection_is_unreachable_and_worth_another_candidate() -> None:
    exc = aiohttp.ClientConnectorError(KEY, ConnectionRefusedError(111, "refused"))
    error = upstream_failure("up", exc, "waiting for the answer", sent=False)
    assert (error.status, error.code, error.kind, error.retryable) == (
        502,
        "upstream_unreachable",
        "connect",
        True,
    )
    assert "cannot connect to upstream 'up'" in error.message


def test_timeouts_say_which_phase_timed_out() -> None:
    connecting = upstream_failure("up", aiohttp.ConnectionTimeoutError(), "x", sent=False)
    silent = aiohttp.SocketTimeoutError()
    reading = upstream_failure("up", silent, "waiting for the answer", sent=True)
    assert (connecting.status, connecting.code) == (504, "upstream_timeout")
    assert connecting.message == "upstream 'up' timed out connecting"
    assert reading.message == "upstream 'up' timed out waiting for the answer"


def test_a_broken_connection_names_the_error_and_mid_stream_is_final() -> None:
    sent = upstream_failure("up", aiohttp.ServerDisconnectedError(), "reading", sent=True)
    unsent = upstream_failure("up", aiohttp.ClientOSError(), "sending", sent=False)
    late = mid_stream_failure("up", aiohttp.ClientPayloadError("cut"))
    assert sent.message == "upstream 'up' broke the connection: ServerDisconnectedError"
    assert unsent.message == "upstream 'up' dropped the request: ClientOSError"
    assert (late.status, late.code, late.retryable) == (502, "upstream_error", False)
    assert all(
        isinstance(exc, TRANSPORT_FAILURES)
        for exc in (aiohttp.ServerDisconnectedError(), TimeoutError())
    )
