"""Map what an OpenAI-compatible upstream answered to the error the client sees (one seam)."""

from __future__ import annotations

from typing import Any

import orjson

from proxy.providers.base import UpstreamError

__all__ = [
    "error_from_status",
    "error_in_stream",
    "forwarded_headers",
    "parse_retry_after",
    "unreadable_event",
]

# Upstream headers a client may see; everything else (hop-by-hop, set-cookie, framing, the
# upstream account's organisation and project ids) stays behind.
_FORWARDED_PREFIXES = (b"x-ratelimit-",)
_FORWARDED = frozenset({b"retry-after", b"retry-after-ms", b"openai-processing-ms"})


def forwarded_headers(raw_headers: tuple[tuple[bytes, bytes], ...]) -> list[tuple[bytes, bytes]]:
    out = []
    for name, value in raw_headers:
        lower = name.lower()
        if lower in _FORWARDED or lower.startswith(_FORWARDED_PREFIXES):
            out.append((lower, value))
        elif lower == b"x-request-id":
            out.append((b"x-upstream-request-id", value))
    return out


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # an HTTP-date; rare from LLM APIs, and not worth a date parser here
    return max(seconds, 0.0)


def error_from_status(
    provider: str, status: int, body: bytes, retry_after: str | None
) -> UpstreamError:
    """The upstream said no. Its message is kept (it is about the request the client sent);
    statuses are mapped so the client's SDK raises what it should."""
    message, type_, code = _upstream_error_fields(body)
    where = f"upstream '{provider}' answered {status}"
    text = f"{where}: {message}" if message else where
    if status == 429:
        delay = parse_retry_after(retry_after)
        headers = {"retry-after": retry_after} if retry_after else {}
        return UpstreamError(
            429,
            text,
            kind="status",
            retryable=True,
            code=code or "rate_limit_exceeded",
            retry_after=delay,
            headers=headers,
            type_=type_,
        )
    if status in (401, 403):
        # The gateway's credential failed, not the client's: a 401 would blame the wrong key.
        return UpstreamError(
            502,
            f"{where}: the gateway's credentials for it were rejected",
            kind="status",
            retryable=True,
            code="upstream_auth_failed",
        )
    if status in (408, 504):
        return UpstreamError(504, text, kind="timeout", retryable=True, code="upstream_timeout")
    if status >= 500:
        return UpstreamError(502, text, kind="status", retryable=True, code="upstream_error")
    mapped = 400 if status == 422 else status
    return UpstreamError(
        mapped, message or where, kind="status", retryable=False, code=code, type_=type_
    )


def error_in_stream(provider: str, chunk: dict[str, Any]) -> UpstreamError:
    """The upstream sent an error event mid-stream (`data: {"error": …}`): the stream failed,
    whatever came after it."""
    message, type_, code = _error_fields(chunk) or ("", None, None)
    return UpstreamError(
        502,
        f"upstream '{provider}' failed mid-stream: {message or 'an error event'}",
        kind="protocol",
        retryable=False,
        code=code or "upstream_error",
        type_=type_,
    )


def unreadable_event(provider: str, event: bytes, what: str | None = None) -> UpstreamError:
    """An event no client could read (not UTF-8, not JSON, not an object): it is not passed on;
    the stream ends with an error instead."""
    if what is None:
        try:
            event.decode()
        except UnicodeDecodeError:
            what = "is not UTF-8"
        else:
            what = "is not JSON"
    return UpstreamError(
        502,
        f"upstream '{provider}' sent a stream event that {what}",
        kind="protocol",
        retryable=False,
        code="bad_upstream_response",
    )


def _upstream_error_fields(body: bytes) -> tuple[str, str | None, str | None]:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        parsed = None
    return _error_fields(parsed) or (body[:200].decode("utf-8", "replace").strip(), None, None)


def _error_fields(parsed: Any) -> tuple[str, str | None, str | None] | None:
    """(message, type, code) of OpenAI's error shape, or of `{"error": "text"}`."""
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, dict):
        code = error.get("code")
        type_ = error.get("type")
        return (
            str(error.get("message") or ""),
            type_ if isinstance(type_, str) else None,
            str(code) if code is not None else None,
        )
    if isinstance(error, str):  # some OpenAI-compatible servers send {"error": "..."}
        return error, None, None
    return None
