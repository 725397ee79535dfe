"""What a hot endpoint speaks on the wire: how a body becomes a chat call, how errors and
answers are written. OpenAI's dialect is the identity; `/v1/messages` speaks Anthropic's
(proxy/translate/messages_dialect.py). The stage chain in between only ever sees OpenAI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from proxy.call import Call, Reply
from proxy.wire.errors import GatewayError
from proxy.wire.sse import error_tail

__all__ = ["Dialect", "OpenAIDialect"]


class Dialect(Protocol):
    # Whether the stream pump should pick usage out of passing events (OpenAI chunks).
    watch_usage: bool

    def parse(self, body: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], bytes]:
        """The chat-completions body of a request (`body`, parsed strictly from `raw`), and the
        bytes to forward for it."""

    def error_body(self, error: GatewayError) -> bytes: ...

    def stream_error(self, error: GatewayError) -> bytes:
        """What ends a stream that failed after its first byte."""

    def reply(self, reply: Reply, call: Call) -> Reply:
        """The answer in this dialect (the chain's answer is OpenAI's)."""


class OpenAIDialect:
    watch_usage = True

    def __init__(self, validate: Callable[[dict[str, Any]], None]) -> None:
        self._validate = validate

    def parse(self, body: dict[str, Any], raw: bytes) -> tuple[dict[str, Any], bytes]:
        self._validate(body)
        return body, raw

    def error_body(self, error: GatewayError) -> bytes:
        return error.body()

    def stream_error(self, error: GatewayError) -> bytes:
        return error_tail(error)

    def reply(self, reply: Reply, call: Call) -> Reply:
        return reply
