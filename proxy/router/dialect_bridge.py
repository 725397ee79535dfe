"""Calls in a dialect other than chat completions and embeddings, on one backend: natively where
the backend speaks the dialect (Messages to Anthropic, text completions to OpenAI-compatible
servers, Responses to a backend configured `responses: native`), through chat completions where
it does not (Messages to any other backend: the body translated there, the answer translated
back, its stop sequences enforced here; Responses calls are judged as chat calls, so those go
as they are)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import orjson

from proxy.call import Reply
from proxy.providers.base import (
    CompletesText,
    Provider,
    ProviderRequest,
    SpeaksMessages,
    SpeaksResponses,
    UpstreamError,
)
from proxy.providers.upstream_errors import unreadable_event
from proxy.router.usage_fallback import UsageFallback
from proxy.translate.messages_ingress import (
    MessagesStreamWriter,
    chat_body_from_messages,
    message_from_completion,
)
from proxy.translate.responses_native import (
    ChunksOfEvents,
    chat_usage,
    completion_of,
    failure_of,
    native_request,
)
from proxy.translate.responses_request import ResponseTurn
from proxy.wire.errors import GatewayError
from proxy.wire.sse import event_data

__all__ = ["count_tokens", "messages", "no_backend", "responses", "serves", "text_completion"]


def serves(provider: Provider, endpoint: str) -> bool:
    """Whether `provider` can answer a call of `endpoint` at all."""
    if endpoint == "completions":
        return isinstance(provider, CompletesText) and provider.serves_text_completions
    return True


async def text_completion(provider: Provider, request: ProviderRequest, stream: bool) -> Reply:
    assert isinstance(provider, CompletesText)  # the dispatcher keeps only those that serve it
    return await provider.text_completion(request, stream)


async def messages(
    provider: Provider, request: ProviderRequest, stream: bool, model: str, usage: UsageFallback
) -> Reply:
    """`model` is the name the client asked for, which a translated answer carries; `usage`
    counts an answer that came without its usage, before it is translated."""
    if isinstance(provider, SpeaksMessages):
        return usage.counted(await provider.messages(request, stream), "messages")
    body = request.body
    chat = chat_body_from_messages({**body, "model": request.model})
    stops = list(body.get("stop_sequences") or [])
    translated = ProviderRequest(request.request_id, request.model, chat, None)
    if not stream:
        reply = await provider.complete(translated)
        if reply.body is not None:
            completion = orjson.loads(reply.body)
            completion["usage"] = usage.whole(reply, completion, "chat")
            reply.body = orjson.dumps(message_from_completion(completion, model, stops))
        return reply
    reply = await provider.stream(translated)
    assert reply.events is not None
    events = usage.stream(reply, reply.events, "chat")
    reply.events = _translated(events, reply, MessagesStreamWriter(model, stops))
    return reply


async def responses(
    provider: Provider, request: ProviderRequest, stream: bool, turn: ResponseTurn
) -> Reply:
    """A Responses call in its governed chat form: to a native backend as a stateless
    Responses request, its answer back as chat (what the chain's later stages read)."""
    if not (isinstance(provider, SpeaksResponses) and provider.speaks_responses):
        return await provider.stream(request) if stream else await provider.complete(request)
    body = native_request(request.body, turn, stream)
    native = ProviderRequest(request.request_id, request.model, body, None, request.headers)
    reply = await provider.responses(native, stream)
    if reply.events is not None:
        reply.events = _chat_chunks(reply.events, provider.name)
        return reply
    assert reply.body is not None
    response: dict[str, Any] = orjson.loads(reply.body)
    failure = failure_of(response)
    if failure is not None:  # nothing has reached the client: another backend may answer
        raise _failed(provider.name, *failure, retryable=True)
    reply.body = orjson.dumps(completion_of(response))
    reply.usage = chat_usage(response.get("usage"))
    return reply


async def count_tokens(provider: Provider, request: ProviderRequest, estimate: int) -> Reply:
    """Anthropic counts its own tokens; for any other backend the gateway's estimate answers
    (the same one its token limits use). Counting uses no tokens: its usage is zero, so token
    limits and spend settle back to nothing."""
    if isinstance(provider, SpeaksMessages):
        reply = await provider.count_tokens(request)
    else:
        body = orjson.dumps({"input_tokens": estimate})
        reply = Reply(status=200, route=f"{provider.name}/{request.model}", body=body)
    reply.usage = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    return reply


def no_backend(model: str, endpoint: str) -> GatewayError:
    return GatewayError(
        400,
        f"No backend of '{model}' serves /v1/{endpoint} (Anthropic, in-process and mock "
        "backends answer chat completions only).",
        code="unsupported_endpoint",
        param="model",
    )


async def _translated(
    events: AsyncGenerator[bytes, None], reply: Reply, writer: MessagesStreamWriter
) -> AsyncGenerator[bytes, None]:
    try:
        async for event in events:
            data = event_data(event)
            if data is None or data.startswith(b"[DONE]"):
                continue
            chunk: dict[str, Any] = orjson.loads(data)
            for out in writer.feed(chunk):
                yield out
            if writer.usage is not None:
                reply.usage = writer.usage
            if writer.stopped:  # on a stop sequence: hanging up ends the backend's generation
                break
        await events.aclose()  # so a stream cut short has its usage counted before it is told
        writer.usage = reply.usage
        for out in writer.finish():
            yield out
    finally:
        await events.aclose()


async def _chat_chunks(
    events: AsyncGenerator[bytes, None], name: str
) -> AsyncGenerator[bytes, None]:
    """A native backend's Responses events as chat chunks, ending with `data: [DONE]`."""
    reader = ChunksOfEvents()
    try:
        async for event in events:
            data = event_data(event)
            if data is None or data == b"[DONE]":  # a comment; a chat-style end some servers add
                continue
            try:
                parsed = orjson.loads(data)
            except orjson.JSONDecodeError:
                raise unreadable_event(name, event) from None
            if not isinstance(parsed, dict):
                raise unreadable_event(name, event, "is not a JSON object")
            for chunk in reader.feed(parsed):
                yield b"data: " + orjson.dumps(chunk) + b"\n\n"
            if reader.failure is not None:
                raise _failed(name, *reader.failure, retryable=False)
            if reader.done:
                yield b"data: [DONE]\n\n"
                return
    finally:
        await events.aclose()
    raise UpstreamError(
        502, f"upstream '{name}' ended the stream before the response was done",
        kind="protocol", retryable=False, code="upstream_stream_incomplete",
    )  # fmt: skip


def _failed(name: str, code: str, message: str, *, retryable: bool) -> UpstreamError:
    return UpstreamError(
        429 if code == "rate_limit_exceeded" else 502,
        f"upstream '{name}' failed the response: {message}",
        kind="status", retryable=retryable, code=code,
    )  # fmt: skip
