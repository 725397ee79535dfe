"""Raw ASGI reading and writing for the hot endpoints: no framework objects per request."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from governance.sensitivity import scan_text
from proxy.wire.errors import GatewayError

__all__ = [
    "ClientGone",
    "Receive",
    "Scope",
    "Send",
    "credential_from",
    "read_body",
    "request_headers",
    "request_id_from",
    "send_body",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_WANTED = frozenset(
    {
        b"authorization",
        b"api-key",
        b"x-api-key",
        b"x-request-id",
        b"traceparent",  # W3C trace context, read when tracing is on
        b"tracestate",
        b"content-length",
        b"cache-control",
        b"anthropic-beta",  # passed to an Anthropic backend serving /v1/messages natively
    }
)
_ID_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")


class ClientGone(Exception):
    """The client hung up before its request body was complete."""


def request_headers(scope: Scope) -> dict[bytes, bytes]:
    """Only the request headers the gateway acts on, lower-cased names."""
    return {name: value for name, value in scope["headers"] if name in _WANTED}


def request_id_from(headers: dict[bytes, bytes]) -> str:
    """Honour a sane incoming x-request-id (tracing across services), else make one. The id
    goes into evidence, events and logs, so one that holds a finding (digits shaped like an
    SSN, a card or a phone number) is replaced, not kept."""
    incoming = headers.get(b"x-request-id")
    if incoming and len(incoming) <= 128 and set(incoming) <= _ID_CHARS:
        chosen = incoming.decode()
        if not scan_text(chosen).findings:
            return chosen
    # Unique, not secret: the Mersenne Twister costs a tenth of a trip to os.urandom.
    return f"req_{random.getrandbits(96):024x}"


def credential_from(headers: dict[bytes, bytes]) -> str | None:
    auth = headers.get(b"authorization")
    if auth is not None:
        scheme, _, token = auth.decode("latin-1").partition(" ")
        return token.strip() if scheme.lower() == "bearer" else None
    key = headers.get(b"api-key") or headers.get(b"x-api-key")
    return key.decode("latin-1").strip() if key is not None else None


async def read_body(receive: Receive, headers: dict[bytes, bytes], limit: int) -> bytes:
    declared = headers.get(b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def send_body(
    send: Send,
    status: int,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    content_type: bytes = b"application/json",
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> GatewayError:
    return GatewayError(
        413,
        f"Request body is larger than this gateway's limit of {limit} bytes.",
        code="request_too_large",
    )
