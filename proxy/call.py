"""The two values every stage sees: the parsed `Call` going in and the `Reply` coming out."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from proxy.wire.call_end import CallEnd

if TYPE_CHECKING:  # annotations only: importing a call (as every provider does) loads no governance
    from governance.policy.document import Action
    from governance.policy.verdict import CallFacts, Verdict
    from governance.sensitivity.findings import EntityType
    from proxy.translate.responses_request import ResponseTurn

__all__ = [
    "ANONYMOUS",
    "Call",
    "Endpoint",
    "Next",
    "Principal",
    "Reply",
    "Stage",
]

Endpoint = Literal["chat", "embeddings", "messages", "count_tokens", "completions", "responses"]


@dataclass(frozen=True, slots=True)
class Principal:
    org: str
    team: str
    key_id: str


# Who a call belongs to when the config has no `keys` section (auth off).
ANONYMOUS = Principal(org="default", team="default", key_id="anonymous")


@dataclass(slots=True)
class Call:
    """One client request, parsed once. Stages read and change it; `raw` is forwarded while
    `body_changed` is false, so an untouched request crosses the gateway byte for byte."""

    request_id: str
    endpoint: Endpoint
    body: dict[str, Any]
    raw: bytes
    model: str
    stream: bool
    credential: str | None = None
    # The client sent Cache-Control: no-cache (or no-store).
    no_cache: bool = False
    principal: Principal = ANONYMOUS
    body_changed: bool = False
    # Values for the x-metaqore-* response headers, filled by the stages that own them.
    sensitivity: str = "unscanned"
    decision: str = "allow"
    cache: str = "bypass"
    # How the router ordered the candidates (the alias's strategy), when there was a choice.
    route_reason: str | None = None
    # What governance found and decided; None until the sensitivity stage has run.
    facts: CallFacts | None = None
    verdict: Verdict | None = None
    findings: dict[str, int] = field(default_factory=dict)
    # What policy does with each finding type (block, redact …), GDPR's pseudonymizing included.
    actions: dict[EntityType, Action] = field(default_factory=dict)
    response_findings: dict[str, int] | None = None
    pseudonymized: frozenset[EntityType] = frozenset()
    # The keyed hash of `raw` when it was worked out ahead (a large body's, off the loop).
    raw_digest: str | None = None
    # Seconds spent on upstream attempts that failed (a fallback's earlier tries, a timeout):
    # upstream time, not the gateway's own, in the overhead header and histogram.
    failed_upstream_s: float = 0.0
    # Bookkeeping that need not hold up the answer (cache store, limit settling, evidence):
    # the endpoint runs these in order once the reply has been sent.
    after_reply: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Client headers to pass to a backend that speaks the client's dialect (see ProviderRequest).
    upstream_headers: dict[str, str] = field(default_factory=dict)
    # Set when the gateway ended the call early (client gone, deadline, shutdown), before the
    # call's task is cancelled, so the stages it unwinds through can tell why.
    ended: CallEnd | None = None
    # The Responses API request behind a chat call: what its answer repeats and its stored
    # state needs; None on every other endpoint.
    turn: ResponseTurn | None = None
    # The call's evidence record in its writer's chain, once recorded (for traces).
    evidence_seq: int | None = None
    # W3C trace context headers as the client sent them (read only when tracing is on).
    traceparent: bytes | None = None
    tracestate: bytes | None = None

    @property
    def allowed_providers(self) -> frozenset[str] | None:
        return self.verdict.allowed if self.verdict is not None else None

    @property
    def wants_usage(self) -> bool:
        options = self.body.get("stream_options")
        return isinstance(options, dict) and options.get("include_usage") is True


@dataclass(slots=True)
class Reply:
    """A complete body or a stream of SSE events (each ending with a blank line), never both.

    `headers` are upstream headers already filtered for the client.
    """

    status: int
    route: str
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes | None = None
    events: AsyncGenerator[bytes, None] | None = None
    usage: dict[str, Any] | None = None
    # The upstream gave no usage: `usage` is the gateway's estimate (router/usage_fallback.py).
    usage_estimated: bool = False
    # Seconds spent waiting on the upstream before this reply existed (for the overhead header).
    upstream_s: float = 0.0
    attempts: list[str] = field(default_factory=list)


Next = Callable[[Call], Awaitable[Reply]]


class Stage(Protocol):
    """One step of the chain (the seam every stage implements)."""

    def __call__(self, call: Call, next_: Next) -> Awaitable[Reply]: ...
