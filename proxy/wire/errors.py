"""One error family for the whole gateway, rendered in one place as OpenAI's error JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

__all__ = [
    "GatewayError",
    "bad_request",
    "not_found_model",
]

_TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    502: "upstream_error",
    503: "service_unavailable",
    504: "timeout_error",
}


@dataclass(eq=False)
class GatewayError(Exception):
    """An answer the gateway gives instead of a model reply.

    `headers` carries what the client needs to act on it (Retry-After on a 429).
    """

    status: int
    message: str
    code: str | None = None
    param: str | None = None
    type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Structured detail a dialect may carry (Anthropic's `error.details`).
    details: dict[str, str] | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)
        if self.type is None:
            self.type = _TYPE_BY_STATUS.get(self.status, "server_error")

    def body(self) -> bytes:
        """OpenAI's error JSON of a whole answer (`stream_body`: of a stream's error event)."""
        return self._json(self.type or "server_error")

    def stream_body(self) -> bytes:
        """The JSON of this error as a stream's error event. The 200 has gone out, so clients
        tell what failed by the `type` (pydantic-ai retries and falls back from a 5xx), and
        OpenAI's word for any failure on its side is `server_error`: the gateway's own 5xx
        types (`upstream_error`, `timeout_error`, ...) would read as an unknown error. The code
        stays the gateway's."""
        return self._json("server_error" if self.status >= 500 else self.type or "server_error")

    def _json(self, type_: str) -> bytes:
        error = {"message": self.message, "type": type_, "param": self.param, "code": self.code}
        return orjson.dumps({"error": error})


def bad_request(message: str, param: str | None = None, code: str | None = None) -> GatewayError:
    return GatewayError(400, message, code=code, param=param)


def not_found_model(model: str) -> GatewayError:
    return GatewayError(
        404,
        f"The model '{model}' does not exist or you do not have access to it.",
        code="model_not_found",
        param="model",
    )
