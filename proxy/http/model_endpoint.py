"""The hot endpoints (chat completions, embeddings) as raw ASGI apps over the stage chain."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson

from governance.failure_log import describe_failure
from proxy.call import Call, Endpoint, Next, Reply
from proxy.config.gateway_config import ServerConfig
from proxy.config.sections import RoutingConfig
from proxy.http.asgi_io import (
    ClientGone,
    Receive,
    Scope,
    Send,
    credential_from,
    read_body,
    request_headers,
    request_id_from,
    send_body,
)
from proxy.http.call_watch import CallWatch, LiveCalls
from proxy.http.dialect import Dialect
from proxy.http.stream_pump import StreamDialect, pump_stream
from proxy.http.strict_json import BodyLimits, load_object
from proxy.metrics import GatewayMetrics
from proxy.wire.call_end import past_deadline
from proxy.wire.errors import GatewayError

__all__ = ["DEPLOYMENT_KEY", "LARGE_BODY", "CallPath", "ModelEndpoint"]

# Where the Azure-style ingress leaves the deployment named in the path, in the ASGI scope.
DEPLOYMENT_KEY = "metaqore.deployment"

log = logging.getLogger("metaqore")

# The endpoints whose answers are never streamed.
_WHOLE = frozenset({"embeddings", "count_tokens"})

# A body this big is read in steps that each give the event loop back (LARGE_BODY bytes).
LARGE_BODY = 1024 * 1024


# Evidence for a request turned away before it became a call: (request id, endpoint,
# credential, status, error code, perf_counter at arrival).
RecordRejection = Callable[[str, Endpoint, str | None, int, str | None, float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class CallPath:
    """What a hot endpoint needs of the gateway, and nothing more."""

    handle: Next
    record_rejection: RecordRejection
    metrics: GatewayMetrics
    calls: LiveCalls
    server: ServerConfig
    routing: RoutingConfig


class ModelEndpoint:
    def __init__(
        self,
        path: CallPath,
        endpoint: Endpoint,
        dialect: Dialect,
        forward: frozenset[bytes] = frozenset(),
    ) -> None:
        """`forward` names client headers a backend speaking the client's dialect reads
        (Anthropic's `anthropic-beta`), passed on with the call."""
        self._path = path
        self._endpoint = endpoint
        self._dialect = dialect
        self._forward = forward
        server = path.server
        self._limits = BodyLimits(
            server.max_json_depth,
            server.max_array_items,
            server.max_json_values,
            server.max_string_chars,
        )
        routing = path.routing
        self._answer_s = routing.total_timeout_s
        self._stream_s = routing.stream_timeout_s
        self._past_answer = past_deadline("routing.total_timeout_s", routing.total_timeout_s)
        self._past_stream = past_deadline("routing.stream_timeout_s", routing.stream_timeout_s)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        metrics = self._path.metrics
        metrics.request_started()
        status, provider = 500, "none"
        watch = CallWatch(self._path.calls)
        try:
            status, provider = await self._serve(scope, receive, send, started, watch)
        finally:
            watch.close()
            metrics.request_done(self._endpoint, status, provider, time.perf_counter() - started)
            if watch.call is not None:
                metrics.decided(watch.call.decision)
                await _after_reply(watch.call)

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, started: float, watch: CallWatch
    ) -> tuple[int, str]:
        headers = request_headers(scope)
        request_id = request_id_from(headers)
        try:
            reply = await self._reply(scope, receive, headers, request_id, watch)
        except ClientGone:
            await self._path.record_rejection(
                request_id, self._endpoint, credential_from(headers), 499, None, started
            )
            return 499, "none"
        except asyncio.CancelledError:
            end = watch.absorb()
            if end is None:
                raise
            if end.client_there:
                await self._send_error(send, end.error, request_id, watch.call, started)
            return end.error.status, "none"
        except GatewayError as exc:
            if watch.call is None:  # turned away before the chain, so evidence is written here
                await self._path.record_rejection(
                    request_id, self._endpoint, credential_from(headers), exc.status, exc.code,
                    started,
                )  # fmt: skip
            await self._send_error(send, exc, request_id, watch.call, started)
            return exc.status, "none"
        except Exception as exc:
            log.error("request %s failed inside the gateway: %s", request_id, describe_failure(exc))
            error = GatewayError(500, "The gateway failed on this request.", code="internal_error")
            if watch.call is None:  # the chain's evidence stage records every call it saw
                await self._path.record_rejection(
                    request_id, self._endpoint, credential_from(headers), 500, error.code, started
                )
            await self._send_error(send, error, request_id, watch.call, started)
            return 500, "none"
        return await self._send_reply(send, reply, request_id, started, watch)

    async def _reply(
        self, scope: Scope, receive: Receive, headers: dict[bytes, bytes], request_id: str,
        watch: CallWatch,
    ) -> Reply:  # fmt: skip
        limit = self._path.server.max_body_bytes
        raw = await read_body(receive, headers, limit)
        large = len(raw) > LARGE_BODY
        if large:  # each step below holds the loop for milliseconds a megabyte: take turns
            await asyncio.sleep(0)
        body = load_object(raw, self._limits)
        if large:
            await asyncio.sleep(0)
        deployment = scope.get(DEPLOYMENT_KEY)
        if isinstance(deployment, str) and body.get("model") != deployment:
            # Azure-style paths name the deployment: it is the model, whatever the body says.
            body["model"] = deployment
            raw = orjson.dumps(body)
        call = self._open_call(body, raw, headers, request_id)
        if large:
            await asyncio.sleep(0)
        if self._forward:
            call.upstream_headers = _picked(headers, self._forward)
        watch.start(receive, call, self._answer_s, self._past_answer)
        return self._dialect.reply(await self._path.handle(call), call)

    def _open_call(
        self, body: dict[str, Any], raw: bytes, headers: dict[bytes, bytes], request_id: str
    ) -> Call:
        """The call a strictly parsed body makes, in this endpoint's dialect."""
        body, forward = self._dialect.parse(body, raw)
        return Call(
            request_id=request_id,
            endpoint=self._endpoint,
            body=body,
            raw=forward,
            model=body["model"],
            stream=self._endpoint not in _WHOLE and body.get("stream") is True,
            credential=credential_from(headers),
            no_cache=_asks_no_cache(headers.get(b"cache-control")),
            traceparent=headers.get(b"traceparent"),
            tracestate=headers.get(b"tracestate"),
        )

    def _stream_dialect(self, call: Call) -> StreamDialect:
        """Who ends this call's stream if it fails after its first byte."""
        del call
        return self._dialect

    async def _send_error(
        self, send: Send, error: GatewayError, request_id: str, call: Call | None, started: float
    ) -> None:
        error_headers = [(k.encode(), v.encode()) for k, v in error.headers.items()]
        out = _headers(request_id, call, None, self._overhead_s(started, call, None))
        out += error_headers
        await send_body(send, error.status, out, self._dialect.error_body(error))

    async def _send_reply(
        self, send: Send, reply: Reply, request_id: str, started: float, watch: CallWatch
    ) -> tuple[int, str]:
        call = watch.call
        assert call is not None
        provider = reply.route.partition("/")[0]
        out = _headers(request_id, call, reply, self._overhead_s(started, call, reply))
        status = reply.status
        if reply.events is None:
            watch.finished = True
            await send_body(send, status, out, reply.body or b"")
        else:

            def first_byte() -> None:
                self._path.metrics.first_byte(self._endpoint, time.perf_counter() - started)
                watch.deadline(self._stream_s, self._past_stream)

            status = await pump_stream(
                send, watch, reply, out, call.wants_usage, first_byte, self._stream_dialect(call)
            )
        usage = reply.usage
        if usage is not None:
            self._path.metrics.tokens(
                provider,
                int(usage.get("prompt_tokens") or 0),
                int(usage.get("completion_tokens") or 0),
            )
        return status, provider

    def _overhead_s(self, started: float, call: Call | None, reply: Reply | None) -> float:
        """The gateway's own time so far, measured as it answers: upstream waits (the answering
        attempt's and any failed one's) excluded."""
        upstream_s = reply.upstream_s if reply is not None else 0.0
        if call is not None:
            upstream_s += call.failed_upstream_s
        overhead_s = time.perf_counter() - started - upstream_s
        self._path.metrics.overhead(self._endpoint, overhead_s)
        return overhead_s


async def _after_reply(call: Call) -> None:
    """The call's deferred bookkeeping, now that the client has its answer; one failing does
    not stop the others."""
    # Taken off the call first: the steps refer to the call, and a call that referred back to
    # them would be a cycle that only the garbage collector's rare full passes free.
    steps, call.after_reply = call.after_reply, []
    for step in steps:
        try:
            await step()
        except Exception as exc:
            log.error(
                "request %s: bookkeeping after the reply failed: %s",
                call.request_id,
                describe_failure(exc),
            )


def _picked(headers: dict[bytes, bytes], names: frozenset[bytes]) -> dict[str, str]:
    return {n.decode(): v.decode("latin-1") for n in names if (v := headers.get(n)) is not None}


def _asks_no_cache(cache_control: bytes | None) -> bool:
    if cache_control is None:
        return False
    # find, not `in`: see sse.is_done
    return cache_control.find(b"no-cache") >= 0 or cache_control.find(b"no-store") >= 0


def _headers(
    request_id: str, call: Call | None, reply: Reply | None, overhead_s: float
) -> list[tuple[bytes, bytes]]:
    overhead_ms = overhead_s * 1000
    headers = [
        (b"x-request-id", request_id.encode()),
        (b"x-metaqore-route", reply.route.encode() if reply is not None else b"none"),
        (b"x-metaqore-cache", call.cache.encode() if call is not None else b"bypass"),
        (
            b"x-metaqore-sensitivity",
            call.sensitivity.encode() if call is not None else b"unscanned",
        ),
        (b"x-metaqore-decision", call.decision.encode() if call is not None else b"none"),
        (b"x-metaqore-overhead-ms", f"{overhead_ms:.2f}".encode()),
    ]
    if call is not None and call.route_reason is not None:
        headers.append((b"x-metaqore-route-reason", call.route_reason.encode()))
    if reply is not None:
        headers.extend(reply.headers)
    return headers
