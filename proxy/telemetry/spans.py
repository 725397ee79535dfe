"""A call's spans: the server span `{operation} {model}` (from the client's W3C trace context
when it sent one), a child per stage of the chain (its own work, up to handing the call on),
and a client span per upstream attempt whose context goes upstream as `traceparent`.

Only built when telemetry is on; off, the chain has no wrapper and the dispatcher no hook.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from proxy.call import Call, Next, Reply, Stage
from proxy.providers.base import Provider, ProviderRequest, UpstreamError
from proxy.telemetry.genai import (
    governance_attributes,
    model_label,
    operation_name,
    provider_name,
    request_attributes,
    usage_attributes,
)
from proxy.telemetry.reply_summary import ReplySummary, summarize_body, watch_events
from proxy.wire.errors import GatewayError

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

    from proxy.router.targets import Target

__all__ = ["Tracing"]

Forward = Callable[[Call, Provider, ProviderRequest], Awaitable[Reply]]


class Tracing:
    def __init__(
        self,
        provider: TracerProvider,
        kinds: Mapping[str, str],
        configured: Callable[[str], bool],
        evidence_writer: Callable[[], str | None],
    ) -> None:
        self.provider = provider
        self._tracer = provider.get_tracer("metaqore.gateway")
        self._propagator = TraceContextTextMapPropagator()
        self._kinds = kinds
        self._configured = configured
        self._evidence_writer = evidence_writer

    def wrap(self, stages: list[Stage]) -> list[Stage]:
        """The server span outermost, then each stage with a span of its own."""
        spans: list[Stage] = [_StageSpan(self._tracer, _stage_name(s), s) for s in stages]
        return [self._call_span, *spans]

    async def _call_span(self, call: Call, next_: Next) -> Reply:
        carrier = {}
        if call.traceparent is not None:
            carrier["traceparent"] = call.traceparent.decode("latin-1")
            if call.tracestate is not None:
                carrier["tracestate"] = call.tracestate.decode("latin-1")
        parent = self._propagator.extract(carrier)
        model = model_label(call.model, self._configured)
        span = self._tracer.start_span(f"{operation_name(call)} {model}", parent, SpanKind.SERVER)
        # Current for the rest of the call's task (each request has a task of its own, whose
        # context goes with it): stage and attempt spans are its children, log lines name it.
        otel_context.attach(trace.set_span_in_context(span, parent))
        if not span.is_recording():  # not sampled: its context still goes upstream, no more
            return await next_(call)
        span.set_attributes(request_attributes(call, model))
        try:
            reply = await next_(call)
        except GatewayError as exc:
            self._finish(span, call, None, exc.status, exc.code or exc.type or str(exc.status))
            raise
        except BaseException as exc:  # cancelled (client gone, deadline, shutdown) or a bug
            status = call.ended.error.status if call.ended is not None else 500
            self._finish(span, call, None, status, type(exc).__name__)
            raise
        summary = ReplySummary()
        if reply.events is None:
            summarize_body(reply.body, summary)
            self._finish(span, call, reply, reply.status, None, summary)
        else:
            watched = watch_events(reply.events, summary)
            reply.events = self._stream_span(span, call, reply, watched, summary)
        return reply

    async def _stream_span(
        self, span: trace.Span, call: Call, reply: Reply,
        events: AsyncGenerator[bytes, None], summary: ReplySummary,
    ) -> AsyncGenerator[bytes, None]:  # fmt: skip
        """The stream's events; the span ends with the stream."""
        error: str | None = "incomplete"
        status = reply.status
        try:
            async for event in events:
                yield event
            error = None
        except GatewayError as exc:
            status, error = exc.status, exc.code or exc.type
            raise
        finally:
            if error == "incomplete" and call.ended is not None:
                status = call.ended.error.status
            await events.aclose()
            self._finish(span, call, reply, status, error, summary)

    def _finish(
        self, span: trace.Span, call: Call, reply: Reply | None, status: int, error: str | None,
        summary: ReplySummary | None = None,
    ) -> None:  # fmt: skip
        span.set_attributes(governance_attributes(call, self._evidence_writer()))
        span.set_attribute("http.response.status_code", status)
        if reply is not None:
            span.set_attributes(usage_attributes(reply))
            span.set_attribute("metaqore.route", reply.route)
            name = provider_name(reply.route, self._kinds)
            if name is not None:
                span.set_attribute("gen_ai.provider.name", name)
        if summary is not None and summary.model is not None:
            span.set_attribute("gen_ai.response.model", summary.model)
        if summary is not None and summary.finish_reasons:
            span.set_attribute("gen_ai.response.finish_reasons", summary.finish_reasons)
        if error is not None:
            span.set_attribute("error.type", error)
            span.set_status(Status(StatusCode.ERROR))
        span.end()

    async def attempt(
        self, call: Call, target: Target, request: ProviderRequest, forward: Forward
    ) -> Reply:
        """One upstream attempt as a client span; its context goes upstream."""
        name = provider_name(target.route, self._kinds) or target.provider.name
        span = self._tracer.start_span(
            f"{operation_name(call)} {target.model}",
            kind=SpanKind.CLIENT,
            attributes={
                "gen_ai.operation.name": operation_name(call),
                "gen_ai.provider.name": name,
                "gen_ai.request.model": target.model,
                "metaqore.route": target.route,
            },
        )
        headers: dict[str, str] = {}
        self._propagator.inject(headers, context=trace.set_span_in_context(span))
        request.headers = {**request.headers, **headers}  # the attempt's context wins
        try:
            reply = await forward(call, target.provider, request)
            span.set_attribute("http.response.status_code", reply.status)
        except UpstreamError as exc:
            span.set_attribute("http.response.status_code", exc.status)
            span.set_attribute("error.type", exc.code or exc.kind)
            span.set_status(Status(StatusCode.ERROR))
            raise
        except BaseException as exc:
            span.set_attribute("error.type", type(exc).__name__)
            span.set_status(Status(StatusCode.ERROR))
            raise
        finally:
            span.end()
        return reply

    def close(self) -> None:
        """Export what is still batched."""
        self.provider.shutdown()


class _StageSpan:
    """A stage's own work: from its start until it hands the call on (or answers itself)."""

    def __init__(self, tracer: trace.Tracer, name: str, stage: Stage) -> None:
        self._tracer = tracer
        self._name = name
        self._stage = stage

    async def __call__(self, call: Call, next_: Next) -> Reply:
        span = self._tracer.start_span(f"metaqore.stage {self._name}")
        ended = False

        def handed_on(passed: Call) -> Awaitable[Reply]:
            nonlocal ended
            ended = True
            span.end()
            return next_(passed)

        try:
            return await self._stage(call, handed_on)
        except GatewayError as exc:
            if not ended:
                span.set_attribute("error.type", exc.code or exc.type or str(exc.status))
                span.set_status(Status(StatusCode.ERROR))
            raise
        finally:
            if not ended:
                span.end()


def _stage_name(stage: Stage) -> str:
    name = getattr(stage, "name", None)
    return name if isinstance(name, str) else type(stage).__name__.removesuffix("Stage").lower()
