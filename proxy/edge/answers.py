"""Whole HTTP/1.1 answers written straight to a connection, before or instead of the app:
OpenAI's error JSON, the gateway's standard headers, and the connection closed after."""

from __future__ import annotations

import http

from proxy.http.asgi_io import request_id_from
from proxy.wire.errors import GatewayError

__all__ = [
    "bad_http",
    "connection_refused",
    "head_too_large",
    "raw_answer",
    "request_timed_out",
    "too_many_headers",
]

_STANDARD = (
    b"x-metaqore-route: none\r\n"
    b"x-metaqore-cache: bypass\r\n"
    b"x-metaqore-sensitivity: unscanned\r\n"
    b"x-metaqore-decision: none\r\n"
    b"content-type: application/json\r\n"
    b"connection: close\r\n"
)


def raw_answer(error: GatewayError) -> bytes:
    body = error.body()
    extra = b"".join(f"{k}: {v}\r\n".encode("latin-1") for k, v in error.headers.items())
    return b"".join(
        [
            f"HTTP/1.1 {error.status} {http.HTTPStatus(error.status).phrase}\r\n".encode(),
            f"x-request-id: {request_id_from({})}\r\n".encode(),
            _STANDARD,
            extra,
            f"content-length: {len(body)}\r\n\r\n".encode(),
            body,
        ]
    )


def head_too_large(limit: int) -> GatewayError:
    message = f"The request line and headers are larger than this gateway's limit of {limit} bytes."
    return _refusal(431, message, "request_headers_too_large")


def too_many_headers(limit: int) -> GatewayError:
    message = f"The request has more headers than this gateway's limit of {limit}."
    return _refusal(431, message, "too_many_headers")


def request_timed_out(seconds: float, part: str) -> GatewayError:
    message = f"The request's {part} did not arrive in time (limit {seconds:g} s)."
    return _refusal(408, message, "request_timeout")


def _refusal(status: int, message: str, code: str) -> GatewayError:
    return GatewayError(status, message, code=code, type="invalid_request_error")


def connection_refused() -> GatewayError:
    return GatewayError(
        503,
        "The gateway has no room for another connection now; retry shortly.",
        code="too_many_connections",
        headers={"retry-after": "1"},
    )


def bad_http() -> GatewayError:
    return GatewayError(400, "Invalid HTTP request.", code="invalid_http")
