"""Why the gateway ended a call before its answer was whole, and what that means for the client
and for the call's evidence record."""

from __future__ import annotations

from dataclasses import dataclass

from proxy.wire.errors import GatewayError

__all__ = ["CLIENT_GONE", "SERVER_SHUTDOWN", "CallEnd", "past_deadline"]


@dataclass(frozen=True, slots=True)
class CallEnd:
    """`error` is what the client is told (when it is still there) and the status and code the
    record carries; `outcome` is the record's outcome, None for the call's ordinary failure
    outcome (`failed`, or `stream_failed` once a stream's first byte is out)."""

    error: GatewayError
    outcome: str | None = None
    client_there: bool = True


# 499: nginx's status for a client that closed the connection before the answer.
CLIENT_GONE = CallEnd(
    GatewayError(499, "The client closed the connection before the answer was complete."),
    outcome="client_disconnected",
    client_there=False,
)

SERVER_SHUTDOWN = CallEnd(
    GatewayError(
        503,
        "The gateway is shutting down and ended this call before its answer was complete; "
        "retry it.",
        code="server_shutdown",
    ),
    outcome="server_shutdown",
)


def past_deadline(setting: str, seconds: float) -> CallEnd:
    return CallEnd(
        GatewayError(
            504,
            f"The call ran past the gateway's deadline ({setting}: {seconds:g} s).",
            code="deadline_exceeded",
        )
    )
