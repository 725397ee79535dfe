"""Anthropic's Messages API behind the provider protocol. The translation is pure functions in
proxy/translate/; this class only moves bytes (over the same aiohttp transport, timeouts and
error mapping as every OpenAI-compatible upstream)."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Callable
from typing import Any

import aiohttp
import orjson

from proxy.call import Reply
from proxy.config.providers import AnthropicProviderConfig
from proxy.providers.base import ProviderRequest, UpstreamError
from proxy.providers.eager_upload import eager_upload
from proxy.providers.openai_compatible import OpenAICompatibleProvider, json_object
from proxy.providers.transport_failures import TRANSPORT_FAILURES, mid_stream_failure
from proxy.providers.upstream_errors import forwarded_headers, unreadable_event
from proxy.translate.anthropic_request import to_messages_request
from proxy.translate.anthropic_response import (
    NativeWatch,
    StreamError,
    StreamTranslator,
    to_completion,
    usage_of,
)
from proxy.wire.sse import DONE, SSEFramer, event_data, json_event

__all__ = ["AnthropicProvider"]


class AnthropicProvider(OpenAICompatibleProvider):
    serves_text_completions = False

    def __init__(self, config: AnthropicProviderConfig) -> None:
        super().__init__(config)
        self._anthropic = config
        self._headers = {
            "content-type": "application/json",
            "anthropic-version": config.anthropic_version,
        }
        if config.api_key is not None:
            self._headers["x-api-key"] = config.api_key.get_secret_value()

    def url(self, path: str, model: str) -> str:
        if path in ("/models", "/messages/count_tokens"):
            return f"{self._base}/v1{path}"
        return f"{self._base}/v1/messages"

    async def messages(self, request: ProviderRequest, stream: bool) -> Reply:
        """A Messages call as the client sent it (its bytes, when governance changed
        nothing); the answer comes back as it is, only usage read from it."""
        body = request.raw if request.raw is not None else orjson.dumps(request.body)
        started = time.perf_counter()
        if not stream:
            response = await self._post("/messages", request, body)
            data = await self._read(response)
            message = _message(data)
            if message is None:
                raise self._not_messages("answered 200 with a body that is not a Messages reply")
            return Reply(
                status=200,
                route=f"{self.name}/{request.model}",
                headers=forwarded_headers(response.raw_headers),
                body=data,
                usage=usage_of(message.get("usage") or {}),
                upstream_s=time.perf_counter() - started,
            )
        with eager_upload():
            response = await self._post("/messages", request, body)
        await self._check_stream(response)
        reply = Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            headers=forwarded_headers(response.raw_headers),
            upstream_s=time.perf_counter() - started,
        )
        reply.events = self._native(response, reply)
        return reply

    async def count_tokens(self, request: ProviderRequest) -> Reply:
        body = request.raw if request.raw is not None else orjson.dumps(request.body)
        started = time.perf_counter()
        response = await self._post("/messages/count_tokens", request, body)
        data = await self._read(response)
        parsed = json_object(data)
        if parsed is None or not isinstance(parsed.get("input_tokens"), int):
            raise self._not_messages("answered 200 with a body that is not a token count")
        return Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            headers=forwarded_headers(response.raw_headers),
            body=data,
            upstream_s=time.perf_counter() - started,
        )

    async def complete(self, request: ProviderRequest) -> Reply:
        started = time.perf_counter()
        response = await self._post("/chat/completions", request, self._body(request))
        message = _message(await self._read(response))
        if message is None:
            raise self._not_messages("answered 200 with a body that is not a Messages reply")
        completion = to_completion(message, request.model, _json_mode(request.body))
        return Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            headers=forwarded_headers(response.raw_headers),
            body=orjson.dumps(completion),
            usage=completion["usage"],
            upstream_s=time.perf_counter() - started,
        )

    async def stream(self, request: ProviderRequest) -> Reply:
        started = time.perf_counter()
        with eager_upload():
            response = await self._post("/chat/completions", request, self._body(request))
        await self._check_stream(response)
        translator = StreamTranslator(request.model, _json_mode(request.body))
        return Reply(
            status=200,
            route=f"{self.name}/{request.model}",
            headers=forwarded_headers(response.raw_headers),
            events=self._translated(response, translator),
            upstream_s=time.perf_counter() - started,
        )

    async def embed(self, request: ProviderRequest) -> Reply:
        raise UpstreamError(
            400,
            f"'{request.model}' on '{self.name}' (Anthropic) has no embeddings endpoint.",
            kind="status",
            retryable=False,
            code="unsupported_endpoint",
        )

    async def _check_stream(self, response: aiohttp.ClientResponse) -> None:
        try:
            await self._raise_for_status(response)
            if "text/event-stream" not in response.headers.get("content-type", ""):
                raise self._not_messages("answered a stream request without an SSE stream")
        except BaseException:
            response.close()
            raise

    def _body(self, request: ProviderRequest) -> bytes:
        return orjson.dumps(
            to_messages_request(request.body, request.model, self._anthropic.default_max_tokens)
        )

    async def _translated(
        self, response: aiohttp.ClientResponse, translator: StreamTranslator
    ) -> AsyncGenerator[bytes, None]:
        async for _, chunks in self._message_events(response, translator.feed):
            for chunk in chunks:
                yield json_event(chunk)
        yield DONE

    async def _native(
        self, response: aiohttp.ClientResponse, reply: Reply
    ) -> AsyncGenerator[bytes, None]:
        """The upstream's events as they are, each checked to be one a client can read; the
        usage of message_start and message_delta put on the reply as they pass."""
        watch = NativeWatch(reply)
        async for event, _ in self._message_events(response, watch.feed):
            yield event

    async def _message_events(
        self, response: aiohttp.ClientResponse, feed: Callable[[dict[str, Any]], list[Any]]
    ) -> AsyncGenerator[tuple[bytes, list[Any]], None]:
        """Each Messages event with what `feed` made of it, until message_stop; an `error`
        event (StreamError from `feed`), a broken transport or a cut stream raise."""
        framer = SSEFramer()
        finished = False
        idle_s = self._anthropic.read_timeout_s
        try:
            async for data in response.content.iter_any():
                events = framer.feed(data)
                if not events and framer.waiting_s() > idle_s:
                    raise self._no_whole_event()
                for event in events:
                    payload = event_data(event)
                    if payload is None:
                        continue
                    parsed = self._message_event(event, payload)
                    yield event, feed(parsed)
                    finished = finished or parsed.get("type") == "message_stop"
                if finished:
                    break
        except StreamError as exc:
            retryable = exc.kind == "overloaded_error"
            raise UpstreamError(
                503 if retryable else 502,
                f"upstream '{self.name}' failed mid-stream: {exc.kind}: {exc.message}",
                kind="status",
                retryable=False,
                code=exc.kind,
            ) from exc
        except TRANSPORT_FAILURES as exc:
            raise mid_stream_failure(self.name, exc) from exc
        finally:
            response.release()
        if not finished:
            raise UpstreamError(
                502,
                f"upstream '{self.name}' ended the stream before message_stop",
                kind="protocol",
                retryable=False,
                code="upstream_stream_incomplete",
            )

    def _message_event(self, event: bytes, payload: bytes) -> dict[str, Any]:
        try:
            parsed = orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise unreadable_event(self.name, event) from None
        if not isinstance(parsed, dict):
            raise unreadable_event(self.name, event, "is not a JSON object")
        return parsed

    def _not_messages(self, what: str) -> UpstreamError:
        return UpstreamError(
            502,
            f"upstream '{self.name}' {what}",
            kind="protocol",
            retryable=True,
            code="bad_upstream_response",
        )


def _json_mode(body: dict[str, Any]) -> bool:
    fmt = body.get("response_format")
    return isinstance(fmt, dict) and fmt.get("type") == "json_schema"


def _message(data: bytes) -> dict[str, Any] | None:
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if isinstance(parsed, dict) and parsed.get("type") == "message":
        return parsed
    return None
