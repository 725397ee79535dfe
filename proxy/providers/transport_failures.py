"""aiohttp's exceptions, mapped to the gateway's UpstreamError in this one place: providers catch
`TRANSPORT_FAILURES` and hand what they caught to `upstream_failure`."""

from __future__ import annotations

import aiohttp

from proxy.providers.base import UpstreamError

__all__ = ["TRANSPORT_FAILURES", "mid_stream_failure", "timed_out", "upstream_failure"]

# What a socket to an upstream can raise through aiohttp: its own errors and timeouts.
TRANSPORT_FAILURES: tuple[type[BaseException], ...] = (aiohttp.ClientError, TimeoutError)


def upstream_failure(
    name: str, exc: BaseException, during: str, *, sent: bool, retryable: bool = True
) -> UpstreamError:
    """What `exc`, caught `during` a phase of the exchange, means to the client. `sent`: the
    request had been sent and the answer was being read (a broken connection, not a refusal)."""
    if isinstance(exc, TimeoutError):
        # A socket-read timeout means the upstream took the request and went silent.
        connecting = isinstance(exc, aiohttp.ConnectionTimeoutError)
        return timed_out(name, "connecting" if connecting else during, retryable)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return UpstreamError(
            502,
            f"cannot connect to upstream '{name}': {exc.os_error}",
            kind="connect",
            retryable=True,
            code="upstream_unreachable",
        )
    what = "broke the connection" if sent else "dropped the request"
    return UpstreamError(
        502,
        f"upstream '{name}' {what}: {type(exc).__name__}",
        kind="protocol",
        retryable=retryable,
        code="upstream_error",
    )


def mid_stream_failure(name: str, exc: BaseException) -> UpstreamError:
    """A stream's connection failed after its first event: too late for another candidate."""
    return upstream_failure(name, exc, "mid-stream", sent=True, retryable=False)


def timed_out(name: str, during: str, retryable: bool = True) -> UpstreamError:
    return UpstreamError(
        504,
        f"upstream '{name}' timed out {during}",
        kind="timeout",
        retryable=retryable,
        code="upstream_timeout",
    )
