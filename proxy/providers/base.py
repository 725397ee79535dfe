"""The one protocol every backend implements, and the one error type they raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

from proxy.call import Reply
from proxy.wire.errors import GatewayError

__all__ = [
    "CompletesText",
    "Health",
    "Provider",
    "ProviderRequest",
    "SpeaksMessages",
    "SpeaksResponses",
    "UpstreamError",
]


@dataclass(slots=True)
class ProviderRequest:
    """What a provider sends: the body for `model`, and the exact bytes when nothing changed."""

    request_id: str
    model: str
    body: dict[str, Any]
    raw: bytes | None
    # Client headers the backend's own API reads (Anthropic's `anthropic-beta`), for a call
    # sent in the client's dialect, and those the gateway adds (the W3C trace context of the
    # attempt).
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Health:
    ok: bool
    detail: str
    # The HTTP status the probe got, when it got one (401/403: credentials refused).
    status: int | None = None


class UpstreamError(GatewayError):
    """A failure of the backend, already mapped to the status the client should see.

    `retryable` says whether another candidate may be tried (nothing reached the client yet);
    `kind` names the failure for metrics and the router: connect, timeout, status, protocol,
    pool (every pooled connection to it stayed busy: load, not ill health).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        kind: Literal["connect", "timeout", "status", "protocol", "pool"],
        retryable: bool,
        code: str | None = None,
        retry_after: float | None = None,
        headers: dict[str, str] | None = None,
        type_: str | None = None,
    ) -> None:
        super().__init__(status, message, code=code, type=type_, headers=headers or {})
        self.kind = kind
        self.retryable = retryable
        self.retry_after = retry_after


class Provider(Protocol):
    name: str

    async def complete(self, request: ProviderRequest) -> Reply:
        """A non-streamed chat completion; the reply body is OpenAI's JSON."""

    async def stream(self, request: ProviderRequest) -> Reply:
        """A streamed chat completion. Returns once the upstream's status is known, so a failed
        upstream is still an error status; the events then follow as OpenAI SSE and end with
        `data: [DONE]`. Usage is always asked for; the gateway strips it if the client did not."""

    async def embed(self, request: ProviderRequest) -> Reply:
        """Embeddings; the reply body is OpenAI's JSON."""

    def models(self) -> list[str]:
        """The model ids this backend serves."""

    async def health(self) -> Health:
        """An active probe of the backend (off the request path)."""

    async def aclose(self) -> None:
        """Release connections."""


@runtime_checkable
class SpeaksMessages(Protocol):
    """A backend that speaks Anthropic's Messages API: a Messages call goes to it as it is."""

    async def messages(self, request: ProviderRequest, stream: bool) -> Reply:
        """A Messages call; the reply is Messages JSON or Messages SSE events, usage filled
        (in chat completions' names) by the time the stream ends."""

    async def count_tokens(self, request: ProviderRequest) -> Reply:
        """`/v1/messages/count_tokens` for a Messages body."""


@runtime_checkable
class CompletesText(Protocol):
    """A backend that may serve the legacy `/v1/completions` (when `serves_text_completions`)."""

    serves_text_completions: bool

    async def text_completion(self, request: ProviderRequest, stream: bool) -> Reply:
        """A text completion, passed through; a stream ends with `data: [DONE]`."""


@runtime_checkable
class SpeaksResponses(Protocol):
    """A backend that may serve the Responses API itself (when `speaks_responses`)."""

    speaks_responses: bool

    async def responses(self, request: ProviderRequest, stream: bool) -> Reply:
        """`POST /responses` with a Responses body; the reply is the Response JSON, or its
        typed SSE events as they arrive (the stream ends when the upstream closes it)."""
